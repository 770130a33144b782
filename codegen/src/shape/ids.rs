//! Id newtypes: a string parameter with a `pattern` is a validated id, keyed by its constraint (pattern and
//! lengths) and named after its parameter. One name used with two constraints gives two types (the
//! constraint more operations use keeps the plain name); one constraint under two names gives two types
//! too, so a `GroupId` is never accepted where an `OrgId` is wanted.

use std::collections::BTreeMap;

use crate::id_pattern::{self, IdCheck};
use crate::naming::{Namer, pascal};
use crate::plan::IdDef;

/// What an id is checked against.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct IdKey {
    pub param: String,
    pub pattern: String,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
}

/// Every use of every id, gathered before any is named.
#[derive(Debug, Default)]
pub(crate) struct IdUses {
    /// Key → (operationIds that use it, in order of first use; its description).
    uses: BTreeMap<IdKey, (Vec<String>, Option<String>)>,
}

impl IdUses {
    pub(crate) fn record(&mut self, key: IdKey, operation_id: &str, description: Option<&String>) {
        let entry = self.uses.entry(key).or_insert_with(|| (Vec::new(), description.cloned()));
        if !entry.0.iter().any(|id| id == operation_id) {
            entry.0.push(operation_id.to_owned());
        }
        if entry.1.is_none() {
            entry.1 = description.cloned();
        }
    }

    /// Names every id: by parameter name, the most used constraint first.
    pub(crate) fn name_all(&self) -> (BTreeMap<IdKey, String>, Vec<IdDef>) {
        let mut by_param: BTreeMap<&str, Vec<(&IdKey, usize)>> = BTreeMap::new();
        for (key, (operations, _)) in &self.uses {
            by_param.entry(&key.param).or_default().push((key, operations.len()));
        }
        let mut namer = Namer::default();
        let mut names = BTreeMap::new();
        let mut defs = Vec::new();
        for (param, mut keys) in by_param {
            keys.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
            let plain = pascal(param);
            for (rank, (key, _)) in keys.iter().enumerate() {
                let (operations, description) = &self.uses[*key];
                let base = if rank == 0 {
                    plain.clone()
                } else {
                    format!("{plain}For{}", pascal(operations.first().map_or("", String::as_str)))
                };
                let name = namer.claim(&base);
                names.insert((*key).clone(), name.clone());
                defs.push(id_def(&name, key, description.as_deref(), operations, rank > 0, &plain));
            }
        }
        defs.sort_by(|a, b| a.name.cmp(&b.name));
        (names, defs)
    }
}

fn id_def(
    name: &str,
    key: &IdKey,
    description: Option<&str>,
    operations: &[String],
    secondary: bool,
    plain: &str,
) -> IdDef {
    let mut docs: Vec<String> = Vec::new();
    if let Some(description) = description {
        docs.extend(description.trim().lines().map(|l| l.trim_end().to_owned()));
        docs.push(String::new());
    }
    let checked = checkable_pattern(&key.pattern);
    let check = checked.as_deref().map_or(IdCheck::Length, id_pattern::check_for);
    match &checked {
        Some(pattern) if *pattern == key.pattern => docs.push(format!(
            "Parsing checks the pattern `{}`, so an invalid id is rejected before any request.",
            key.pattern
        )),
        Some(pattern) => docs.push(format!(
            "The spec's pattern `{}` uses look-around, which the `regex` crate cannot check; parsing checks \
             `{pattern}` (the pattern without its look-around), which accepts a little more.",
            key.pattern
        )),
        None => docs.push(format!(
            "The spec's pattern `{}` cannot be checked by the `regex` crate; parsing checks only the length.",
            key.pattern
        )),
    }
    if matches!(&check, IdCheck::Pattern(simple) if simple.ascii_escapes) {
        docs.push(
            "`\\d` and `\\w` mean ASCII digits and word characters (`[0-9]`, `[0-9A-Za-z_]`), as in ECMA-262, \
             the dialect of OpenAPI patterns."
                .to_owned(),
        );
    }
    if secondary {
        let shown: Vec<&str> = operations.iter().take(3).map(String::as_str).collect();
        docs.push(String::new());
        docs.push(format!(
            "`{}` is constrained this way by {} (other operations use [`{plain}`]).",
            key.param,
            shown.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    IdDef {
        name: name.to_owned(),
        checked_pattern: checked,
        check,
        min_length: key.min_length,
        max_length: key.max_length,
        docs,
        cfg: None,
        first_user: operations.first().cloned(),
    }
}

/// The pattern to check: the spec's when the `regex` crate compiles it, else the pattern with its
/// look-around groups removed when that compiles, else nothing (length checks only).
pub(crate) fn checkable_pattern(pattern: &str) -> Option<String> {
    if regex::Regex::new(pattern).is_ok() {
        return Some(pattern.to_owned());
    }
    let weaker = without_lookaround(pattern);
    (weaker != pattern && regex::Regex::new(&weaker).is_ok()).then_some(weaker)
}

/// Removes `(?=…)`, `(?!…)`, `(?<=…)` and `(?<!…)` groups, respecting escapes and character classes.
fn without_lookaround(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len());
    let mut i = 0;
    while i < chars.len() {
        let rest = &chars[i..];
        let lookaround = rest.starts_with(&['(', '?', '='])
            || rest.starts_with(&['(', '?', '!'])
            || rest.starts_with(&['(', '?', '<', '='])
            || rest.starts_with(&['(', '?', '<', '!']);
        if lookaround {
            // Skip to the matching close parenthesis.
            let mut depth = 0usize;
            let mut in_class = false;
            while i < chars.len() {
                match chars[i] {
                    '\\' => i += 1,
                    '[' if !in_class => in_class = true,
                    ']' if in_class => in_class = false,
                    '(' if !in_class => depth += 1,
                    ')' if !in_class => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            i += 1;
            continue;
        }
        if chars[i] == '\\' && i + 1 < chars.len() {
            out.push(chars[i]);
            out.push(chars[i + 1]);
            i += 2;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookaround_is_removed_to_a_weaker_check() {
        let pattern = r"^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)(\.(?!$)|$)){4}$";
        assert!(regex::Regex::new(pattern).is_err());
        assert_eq!(checkable_pattern(pattern).as_deref(), Some(r"^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)(\.|$)){4}$"));
        assert_eq!(checkable_pattern("^[a-f0-9]{24}$").as_deref(), Some("^[a-f0-9]{24}$"));
        assert_eq!(checkable_pattern(r"(?<=a)\1"), None);
    }

    #[test]
    fn one_name_two_constraints_two_types_the_most_used_plain() {
        let mut uses = IdUses::default();
        let hex = |pattern: &str| IdKey {
            param: "groupId".into(),
            pattern: pattern.into(),
            min_length: None,
            max_length: None,
        };
        uses.record(hex("^[a-f0-9]{24}$"), "getGroup", None);
        uses.record(hex("^[a-f0-9]{24}$"), "deleteGroup", None);
        uses.record(hex("^[a-fA-F0-9]{24}$"), "listStreamWorkspaces", None);
        let (names, defs) = uses.name_all();
        assert_eq!(names[&hex("^[a-f0-9]{24}$")], "GroupId");
        assert_eq!(names[&hex("^[a-fA-F0-9]{24}$")], "GroupIdForListStreamWorkspaces");
        assert_eq!(defs.len(), 2);
    }
}
