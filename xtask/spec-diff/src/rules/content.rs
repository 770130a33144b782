//! Request bodies and the media types of bodies (request and response).
//!
//! Atlas versions its API by media type (`application/vnd.atlas.YYYY-MM-DD+json`). Media types are
//! grouped into families with the version taken out, so moving from one version to another is one
//! change ("2023-01-01 -> 2024-08-05") whose schemas are then compared, old version against new,
//! instead of a removal plus an unrelated addition.

use std::collections::BTreeMap;

use codegen::spec::media::MediaType;
use serde_json::Value;

use super::catalog::Rule;
use super::context::{Node, Sides, SortedEntries};
use super::operations::{OperationPair, compare_sunset};
use super::schema::{Direction, SchemaWalk};
use crate::model::{Change, OperationKey, Side};

/// Compares the request bodies of one operation.
pub(super) fn compare_request_bodies(sides: &Sides<'_>, pair: &OperationPair<'_>, changes: &mut Vec<Change>) {
    let base = pair.base.child("requestBody").map(|body| sides.resolve(Side::Base, body));
    let head = pair.head.child("requestBody").map(|body| sides.resolve(Side::Head, body));
    let required = |body: &Node<'_>| body.value.get("required").and_then(Value::as_bool).unwrap_or(false);
    let key = &pair.key;
    match (base, head) {
        (None, None) => {}
        (None, Some(body)) => {
            let (rule, kind) = if required(&body) {
                (Rule::RequestBodyAddedRequired, "a required")
            } else {
                (Rule::RequestBodyAddedOptional, "an optional")
            };
            let message = format!("added {kind} request body");
            changes.push(sides.change(rule, Some(key), Side::Head, &body.pointer, message));
        }
        (Some(body), None) => {
            let message = "removed the request body".to_owned();
            changes.push(sides.change(Rule::RequestBodyRemoved, Some(key), Side::Base, &body.pointer, message));
        }
        (Some(old), Some(new)) => {
            if sides.unchanged(old.value, new.value) {
                return;
            }
            match (required(&old), required(&new)) {
                (false, true) => changes.push(sides.change(
                    Rule::RequestBodyBecameRequired,
                    Some(key),
                    Side::Head,
                    &new.pointer,
                    "the request body became required".to_owned(),
                )),
                (true, false) => changes.push(sides.change(
                    Rule::RequestBodyBecameOptional,
                    Some(key),
                    Side::Head,
                    &new.pointer,
                    "the request body became optional".to_owned(),
                )),
                _ => {}
            }
            let body = Body {
                key,
                direction: Direction::Request,
                context: "the request body".to_owned(),
                sent: pair.sent.as_deref(),
                error: false,
            };
            compare_content(sides, &body, old.child("content"), new.child("content"), changes);
        }
    }
}

/// One body of an operation, as the content walk needs to know it.
pub(super) struct Body<'k> {
    /// The operation.
    pub(super) key: &'k OperationKey,
    /// Whether the client sends or receives it.
    pub(super) direction: Direction,
    /// How messages name it: "the request body", "the 404 response".
    pub(super) context: String,
    /// The API version the base client sends for the operation, when its media types carry one.
    pub(super) sent: Option<&'k str>,
    /// Whether it is an error answer (a status that is not 2xx), which the client decodes by its shape,
    /// whatever its media type.
    pub(super) error: bool,
}

/// A media type split into its family and its API version, if it has one (any vendor).
fn split_media_type(name: &str) -> (String, Option<String>) {
    let media = MediaType::parse(name);
    let version = media.version.as_ref().map(|version| version.label().to_owned());
    (media.family(), version)
}

/// Media types by family, then by version (`""` for unversioned ones).
type Families<'a> = BTreeMap<String, BTreeMap<String, (String, Node<'a>)>>;

fn families<'a>(content: Option<&Node<'a>>) -> Families<'a> {
    let mut families: Families<'a> = BTreeMap::new();
    for (name, media) in content.map(SortedEntries::sorted_entries).unwrap_or_default() {
        let (family, version) = split_media_type(&name);
        families.entry(family).or_default().insert(version.unwrap_or_default(), (name, media));
    }
    families
}

/// Compares the `content` maps of two bodies: media types, versions, sunsets and schemas.
pub(super) fn compare_content(
    sides: &Sides<'_>,
    body: &Body<'_>,
    base: Option<Node<'_>>,
    head: Option<Node<'_>>,
    changes: &mut Vec<Change>,
) {
    let (key, context) = (body.key, body.context.as_str());
    let (added_rule, removed_rule, version_rule, unsent_rule) = match body.direction {
        Direction::Request => (
            Rule::RequestBodyMediaTypeAdded,
            Rule::RequestBodyMediaTypeRemoved,
            Rule::RequestBodyMediaTypeVersionChanged,
            Rule::RequestBodyUnsentVersionRemoved,
        ),
        Direction::Response => (
            Rule::ResponseMediaTypeAdded,
            Rule::ResponseMediaTypeRemoved,
            Rule::ResponseMediaTypeVersionChanged,
            Rule::ResponseUnsentVersionRemoved,
        ),
    };
    let mut base_families = families(base.as_ref());
    let mut head_families = families(head.as_ref());
    if body.error {
        compare_error_families(sides, body, &mut base_families, &mut head_families, changes);
    }
    let empty = BTreeMap::new();
    let names: std::collections::BTreeSet<&String> = base_families.keys().chain(head_families.keys()).collect();
    for family in names {
        let old = base_families.get(family).unwrap_or(&empty);
        let new = head_families.get(family).unwrap_or(&empty);
        let mut removed: Vec<&String> = old.keys().filter(|version| !new.contains_key(*version)).collect();
        let mut added: Vec<&String> = new.keys().filter(|version| !old.contains_key(*version)).collect();
        for (version, (name, old_media)) in old {
            if let Some((_, new_media)) = new.get(version) {
                compare_media(sides, body, name, old_media, new_media, changes);
            }
        }
        // The version the base client sends is still offered: the versions that went away are ones it never
        // sends, and those that arrived are ones it does not know about.
        if let Some(sent) = body.sent.filter(|sent| old.contains_key(*sent) && new.contains_key(*sent)) {
            for version in removed {
                let (name, media) = &old[version];
                let message = format!("{context} no longer offers {name}; the base client uses {sent}, still offered");
                changes.push(sides.change(unsent_rule, Some(key), Side::Base, &media.pointer, message));
            }
            for version in added {
                let (name, media) = &new[version];
                let message = format!("{context} now offers {name}");
                changes.push(sides.change(added_rule, Some(key), Side::Head, &media.pointer, message));
            }
            continue;
        }
        // Dated versions outrank `preview` (which sorts after them as text), so the pair below is the newest
        // dated version on each side when there is one.
        let rank = |version: &&String| (version.as_str() != "preview", (*version).clone());
        removed.sort_by_key(rank);
        added.sort_by_key(rank);
        // The newest version that went away and the newest that arrived are one version change.
        // Both lists are checked first: popping one alone would drop a plain addition or removal.
        if !removed.is_empty()
            && !added.is_empty()
            && let (Some(from), Some(to)) = (removed.pop(), added.pop())
        {
            let (_, old_media) = &old[from];
            let (new_name, new_media) = &new[to];
            let message = format!("{context}: API version {from} -> {to} ({new_name})");
            changes.push(sides.change(version_rule, Some(key), Side::Head, &new_media.pointer, message));
            compare_media(sides, body, new_name, old_media, new_media, changes);
        }
        for version in removed {
            let (name, media) = &old[version];
            let message = format!("{context} no longer offers {name}");
            changes.push(sides.change(removed_rule, Some(key), Side::Base, &media.pointer, message));
        }
        for version in added {
            let (name, media) = &new[version];
            let message = format!("{context} now offers {name}");
            changes.push(sides.change(added_rule, Some(key), Side::Head, &media.pointer, message));
        }
    }
}

/// An error answer whose JSON media type was replaced by another (`application/vnd.atlas.2023-01-01+json`
/// by `application/json`): one change, and its schemas compared, since the client decodes an error answer
/// by its shape whatever its media type. The families paired are taken out of both maps.
fn compare_error_families<'a>(
    sides: &Sides<'a>,
    body: &Body<'_>,
    base: &mut Families<'a>,
    head: &mut Families<'a>,
    changes: &mut Vec<Change>,
) {
    let json_only_in = |one: &Families<'a>, other: &Families<'a>| -> Vec<String> {
        one.iter()
            .filter(|(family, versions)| {
                !other.contains_key(*family) && versions.values().all(|(name, _)| MediaType::parse(name).is_json())
            })
            .map(|(family, _)| family.clone())
            .collect()
    };
    let (gone, arrived) = (json_only_in(base, head), json_only_in(head, base));
    let Some(replacement) = arrived.first() else { return };
    let mut paired = false;
    for family in gone {
        let Some(old_versions) = base.remove(&family) else { continue };
        let new_versions = &head[replacement];
        // The newest of each: what a reviewer compares.
        let (Some((old_name, old_media)), Some((new_name, new_media))) =
            (old_versions.values().next_back(), new_versions.values().next_back())
        else {
            continue;
        };
        let message = format!("{}: the error answer's media type changed: {old_name} -> {new_name}", body.context);
        changes.push(sides.change(
            Rule::ErrorResponseMediaTypeChanged,
            Some(body.key),
            Side::Head,
            &new_media.pointer,
            message,
        ));
        compare_media(sides, body, new_name, old_media, new_media, changes);
        paired = true;
    }
    if paired {
        head.remove(replacement);
    }
}

/// Compares one media type entry present on both sides (possibly under different versions).
fn compare_media(
    sides: &Sides<'_>,
    body: &Body<'_>,
    name: &str,
    old: &Node<'_>,
    new: &Node<'_>,
    changes: &mut Vec<Change>,
) {
    if sides.unchanged(old.value, new.value) {
        return;
    }
    compare_sunset(sides, body.key, old, new, &format!("{} as {name}", body.context), changes);
    if let (Some(old_schema), Some(new_schema)) = (old.child("schema"), new.child("schema")) {
        SchemaWalk::new(sides, body.key, body.direction, body.context.clone(), changes)
            .compare(old_schema, new_schema, "");
    }
}

#[cfg(test)]
mod tests {
    use super::split_media_type;

    #[test]
    fn versions_of_any_vendor_are_split_off() {
        let (family, version) = split_media_type("application/vnd.atlas.2023-01-01+json");
        assert_eq!((family.as_str(), version.as_deref()), ("application/vnd.atlas.*+json", Some("2023-01-01")));
        let (family, version) = split_media_type("application/vnd.atlas.preview+json");
        assert_eq!((family.as_str(), version.as_deref()), ("application/vnd.atlas.*+json", Some("preview")));
        let (family, version) = split_media_type("application/vnd.pets.2024-02-01+json");
        assert_eq!((family.as_str(), version.as_deref()), ("application/vnd.pets.*+json", Some("2024-02-01")));
        assert_eq!(split_media_type("application/json"), ("application/json".to_owned(), None));
    }
}
