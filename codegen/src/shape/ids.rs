//! Id newtypes: a string parameter with a `pattern` is a validated id, keyed by its constraint (pattern and
//! lengths) and named after its parameter. One name used with two constraints gives two types (the
//! constraint more operations use keeps the plain name); one constraint under two names gives two types
//! too, so a `GroupId` is never accepted where an `OrgId` is wanted.

use std::collections::BTreeMap;

use super::remembered::Remembered;
use crate::id_pattern::{self, IdCheck};
use crate::naming::{Namer, pascal};
use crate::plan::IdDef;
use crate::spec::limits::{MAX_LARGE_PATTERNS, SMALL_PATTERN_BYTES};

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

    /// Names every id: the recorded name of its constraint; else the recorded name of a constraint of the same
    /// parameter that the spec no longer has (a pattern rewritten upstream keeps the type); else by parameter
    /// name, the most used constraint first, taking no recorded name.
    pub(crate) fn name_all(&self, remembered: &Remembered) -> Named {
        let mut by_param: BTreeMap<&str, Vec<(&IdKey, usize)>> = BTreeMap::new();
        for (key, (operations, _)) in &self.uses {
            by_param.entry(&key.param).or_default().push((key, operations.len()));
        }
        let mut namer = Namer::for_items();
        namer.reserve(remembered.ids().map(|(name, _)| name));
        let recorded_key = |name: &str, id: &crate::record::IdRecord| {
            let key = IdKey {
                param: id.param.clone(),
                pattern: id.pattern.clone(),
                min_length: id.min_length,
                max_length: id.max_length,
            };
            (key, name.to_owned())
        };
        let recorded: BTreeMap<IdKey, String> = remembered.ids().map(|(name, id)| recorded_key(name, id)).collect();
        // Recorded ids whose constraint is gone, by parameter: their names can follow a new constraint.
        let mut orphaned: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (key, name) in &recorded {
            if !self.uses.contains_key(key) {
                orphaned.entry(key.param.as_str()).or_default().push(name.as_str());
            }
        }
        let mut names = BTreeMap::new();
        let mut defs = Vec::new();
        let mut large = 0;
        let mut refused = Vec::new();
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
                let mut followed = || orphaned.get_mut(param).and_then(|names| names.pop()).map(str::to_owned);
                let name = match recorded.get(*key) {
                    Some(name) => name.clone(),
                    None => followed().unwrap_or_else(|| namer.claim(&base)),
                };
                names.insert((*key).clone(), name.clone());
                let checked = match checkable_pattern(&key.pattern, &mut large) {
                    Ok(checked) => checked,
                    Err(TooManyLarge) => {
                        refused.push((operations.first().cloned().unwrap_or_default(), too_many_large(&key.pattern)));
                        None
                    }
                };
                defs.push(id_def(&name, key, checked, description.as_deref(), operations, rank > 0, &plain));
            }
        }
        defs.sort_by(|a, b| a.name.cmp(&b.name));
        Named { names, defs, refused }
    }
}

/// Every id named.
pub(crate) struct Named {
    /// The type name of each constraint.
    pub names: BTreeMap<IdKey, String>,
    /// The id types, by name.
    pub defs: Vec<IdDef>,
    /// For each pattern past [`MAX_LARGE_PATTERNS`]: the first operation that uses it, and why it is refused.
    pub refused: Vec<(String, String)>,
}

fn too_many_large(pattern: &str) -> String {
    let shown: String = pattern.chars().take(100).collect();
    let cut = if shown.len() < pattern.len() { "…" } else { "" };
    format!(
        "the pattern `{shown}{cut}` is one id pattern too many that compiles to more than {} KiB: the `regex` \
         crate's work grows with that size, so a spec may have at most {MAX_LARGE_PATTERNS} such patterns",
        SMALL_PATTERN_BYTES / 1024
    )
}

fn id_def(
    name: &str,
    key: &IdKey,
    checked: Option<String>,
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
        param: key.param.clone(),
        pattern: key.pattern.clone(),
        checked_pattern: checked,
        check,
        min_length: key.min_length,
        max_length: key.max_length,
        docs,
        cfg: None,
        first_user: operations.first().cloned(),
    }
}

/// A pattern that would be one large compile past [`MAX_LARGE_PATTERNS`].
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct TooManyLarge;

/// The pattern to check: the spec's when the `regex` crate compiles it, else the pattern with its
/// look-around groups removed when that compiles, else nothing (length checks only). `large` counts the
/// patterns that compiled past [`SMALL_PATTERN_BYTES`] so far.
pub(crate) fn checkable_pattern(pattern: &str, large: &mut usize) -> Result<Option<String>, TooManyLarge> {
    if compiles(pattern, large)? {
        return Ok(Some(pattern.to_owned()));
    }
    let weaker = without_lookaround(pattern);
    Ok((weaker != pattern && compiles(&weaker, large)?).then_some(weaker))
}

/// Whether the `regex` crate compiles `pattern` (within its default size limit, as the generated code
/// does). Compiling takes time in proportion to the compiled size (a 30-byte pattern can take 30 ms), so
/// each pattern is tried small first, and only [`MAX_LARGE_PATTERNS`] may take the full size.
fn compiles(pattern: &str, large: &mut usize) -> Result<bool, TooManyLarge> {
    match regex::RegexBuilder::new(pattern).size_limit(SMALL_PATTERN_BYTES).build() {
        Ok(_) => Ok(true),
        Err(regex::Error::CompiledTooBig(_)) => {
            if *large >= MAX_LARGE_PATTERNS {
                return Err(TooManyLarge);
            }
            *large += 1;
            Ok(regex::Regex::new(pattern).is_ok())
        }
        Err(_) => Ok(false),
    }
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
        let mut large = 0;
        let mut check = |pattern: &str| checkable_pattern(pattern, &mut large).unwrap();
        assert_eq!(check(pattern).as_deref(), Some(r"^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)(\.|$)){4}$"));
        assert_eq!(check("^[a-f0-9]{24}$").as_deref(), Some("^[a-f0-9]{24}$"));
        assert_eq!(check(r"(?<=a)\1"), None);
        assert_eq!(large, 0, "none of these is large");
    }

    #[test]
    fn large_patterns_are_counted_and_bounded() {
        // Unicode classes repeated: about 4 MiB compiled (the largest pattern of the upstream spec).
        let big = r"^[\p{L}\p{N}\-_.(),:&@+']{1,64}$";
        let mut large = MAX_LARGE_PATTERNS - 1;
        assert_eq!(checkable_pattern(big, &mut large), Ok(Some(big.to_owned())));
        assert_eq!(large, MAX_LARGE_PATTERNS);
        assert_eq!(checkable_pattern(big, &mut large), Err(TooManyLarge));
        // Small patterns cost nothing from the budget, even when it is spent.
        assert_eq!(checkable_pattern("^[a-f0-9]{24}$", &mut large), Ok(Some("^[a-f0-9]{24}$".to_owned())));
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
        let record = crate::record::Record::default();
        let Named { names, defs, refused } = uses.name_all(&Remembered::new(&record, false));
        assert!(refused.is_empty());
        assert_eq!(names[&hex("^[a-f0-9]{24}$")], "GroupId");
        assert_eq!(names[&hex("^[a-fA-F0-9]{24}$")], "GroupIdForListStreamWorkspaces");
        assert_eq!(defs.len(), 2);
    }
}
