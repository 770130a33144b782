//! Two public APIs compared, each difference marked semver-breaking or not.

use super::extract::PublicApi;

/// What happened to one item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ApiChangeKind {
    /// Only in the head.
    Added,
    /// Only in the base.
    Removed,
    /// In both, with another signature.
    Changed,
}

impl ApiChangeKind {
    /// `added`, `removed`, `changed`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            ApiChangeKind::Added => "added",
            ApiChangeKind::Removed => "removed",
            ApiChangeKind::Changed => "changed",
        }
    }
}

/// One difference in the generated client's public API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ApiChange {
    /// Added, removed or changed.
    pub(crate) kind: ApiChangeKind,
    /// The item's key, e.g. `fn client::Client::list_groups`.
    pub(crate) item: String,
    /// Its signature at base.
    pub(crate) before: Option<String>,
    /// Its signature at head.
    pub(crate) after: Option<String>,
    /// Whether a user's code that compiled against base can fail to compile against head.
    pub(crate) breaking: bool,
}

/// The parent type of a field or variant key (`field a::T::x` -> `a::T`).
fn parent_of(item: &str) -> Option<&str> {
    let path = item.strip_prefix("field ").or_else(|| item.strip_prefix("variant "))?;
    path.rsplit_once("::").map(|(parent, _)| parent)
}

/// Compares two APIs. Removals and signature changes break users; additions do not, except a field
/// or variant added to an exhaustive struct or enum (struct literals and exhaustive matches stop compiling).
pub(crate) fn compare(base: &PublicApi, head: &PublicApi) -> Vec<ApiChange> {
    let mut changes = Vec::new();
    for (item, before) in &base.items {
        match head.items.get(item) {
            None => changes.push(ApiChange {
                kind: ApiChangeKind::Removed,
                item: item.clone(),
                before: Some(before.clone()),
                after: None,
                breaking: true,
            }),
            Some(after) if after != before => changes.push(ApiChange {
                kind: ApiChangeKind::Changed,
                item: item.clone(),
                before: Some(before.clone()),
                after: Some(after.clone()),
                breaking: true,
            }),
            Some(_) => {}
        }
    }
    for (item, after) in &head.items {
        if base.items.contains_key(item) {
            continue;
        }
        // A new type's own fields are not an addition to an existing type.
        let breaking =
            parent_of(item).is_some_and(|parent| base.exhaustive.contains(parent) && head.exhaustive.contains(parent));
        changes.push(ApiChange {
            kind: ApiChangeKind::Added,
            item: item.clone(),
            before: None,
            after: Some(after.clone()),
            breaking,
        });
    }
    changes.sort_by(|a, b| (!a.breaking, &a.item, a.kind).cmp(&(!b.breaking, &b.item, b.kind)));
    changes
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::diff::client_api::extract::extract;

    fn api(source: &str) -> PublicApi {
        extract(&BTreeMap::from([("m.rs".to_owned(), source.to_owned())])).unwrap()
    }

    #[test]
    fn marks_semver_breaking_changes() {
        let base = api("pub struct S { pub a: u32 } pub enum E { A } pub fn f(x: u32) {} pub fn gone() {}");
        let head =
            api("pub struct S { pub a: u64, pub b: u8 } pub enum E { A, B } pub fn f(x: u32) {} pub fn new() {}");
        let found: Vec<(String, &str, bool)> =
            compare(&base, &head).into_iter().map(|c| (c.item, c.kind.name(), c.breaking)).collect();
        assert_eq!(
            found,
            [
                ("field m::S::a".to_owned(), "changed", true),
                ("field m::S::b".to_owned(), "added", true),
                ("fn m::gone".to_owned(), "removed", true),
                ("variant m::E::B".to_owned(), "added", true),
                ("fn m::new".to_owned(), "added", false),
            ]
        );
    }
}
