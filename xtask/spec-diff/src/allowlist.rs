//! Accepted breaking changes: `spec/allowlist.yaml`.
//!
//! ```yaml
//! accepted:
//!   - rule: request-parameter-removed          # a rule id
//!     operation: listGroupApiKeys              # operationId; leave out to match every operation
//!     location: /paths/~1api~1atlas~1v2~1groups~1{groupId}~1apiKeys/get/parameters/3
//!     reason: upstream dropped a parameter the service never honoured
//!     expires: 2026-12-31                      # after this day the entry fails the run
//!   - rule: client-item-removed
//!     location: /components/schemas/ApiError
//!     item: field types::ApiError::detail      # client findings: the one item (leave out: every item there)
//!     reason: the service never sent it
//!     expires: 2026-12-31
//! ```
//!
//! A key the list does not know (`operationId:` for `operation:`) is an error, not ignored: a misspelt
//! limit would otherwise widen the entry to every operation.
//!
//! Entries match on rule id, JSON pointer and (when given) operationId, never on message wording, so
//! rewording a message cannot silently un-accept or accept a change. An entry without `operation` accepts
//! the change at that location in every operation: one entry covers a schema hundreds of operations reach.
//! An entry that accepts nothing, an expired entry, and every entry when the clock cannot be read fail the
//! run: the list never silently outlives what it was written for.

use std::path::Path;

use anyhow::Context as _;
use serde_json::Value;

use crate::date::Day;
use crate::model::Change;
use crate::rules::Rule;
use codegen::spec::Document;

/// One accepted change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The rule id.
    pub rule: String,
    /// The operationId; `None` matches the change in any operation (and document-wide ones).
    pub operation: Option<String>,
    /// The JSON pointer of the change.
    pub location: String,
    /// For client findings, the item's key; `None` matches every item at the location.
    pub item: Option<String>,
    /// Why it is accepted.
    pub reason: String,
    /// The last day the entry holds.
    pub expires: String,
    /// The line of the entry in the file.
    pub line: Option<usize>,
}

impl Entry {
    /// Whether this entry names that change.
    pub fn matches(&self, change: &Change) -> bool {
        let operation_id = change.operation.as_ref().and_then(|key| key.operation_id.as_deref());
        self.rule == change.rule.id()
            && self.location == change.location.pointer
            && (self.operation.is_none() || self.operation.as_deref() == operation_id)
            && (self.item.is_none() || self.item == change.item)
    }
}

/// A parsed allow-list.
#[derive(Clone, Debug, Default)]
pub struct Allowlist {
    /// Where it came from, for messages.
    pub name: String,
    /// The entries in file order.
    pub entries: Vec<Entry>,
}

/// How the allow-list applied to one report.
#[derive(Debug, Default)]
pub struct Applied {
    /// For each change (same order as the report), the entry that accepts it.
    pub accepted_by: Vec<Option<usize>>,
    /// Entries past their expiry date (all of them when the clock cannot be read): each fails the run.
    pub expired: Vec<usize>,
    /// Entries that matched nothing: each fails the run (delete it, or fix its location).
    pub unused: Vec<usize>,
    /// True when the clock could not be read, so no entry could be trusted.
    pub clock_failed: bool,
}

impl Allowlist {
    /// Reads a file; every problem is reported with its line.
    pub fn read(path: &Path) -> anyhow::Result<Allowlist> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        Allowlist::parse(&text, &path.display().to_string())
    }

    /// Parses the allow-list text.
    pub fn parse(text: &str, name: &str) -> anyhow::Result<Allowlist> {
        let document = Document::read(text, name).map_err(|diagnostics| anyhow::anyhow!("{diagnostics}"))?;
        let mut problems = Vec::new();
        let mut entries = Vec::new();
        let Some(root) = document.root.as_object() else {
            anyhow::bail!("{name}: the allow-list must be a mapping with the key `accepted`");
        };
        if let Some(unknown) = root.keys().find(|key| key.as_str() != "accepted") {
            let line = document.line_of(&codegen::spec::pointer::child("", unknown)).unwrap_or(1);
            anyhow::bail!("{name}:{line}: unknown key `{unknown}` (the allow-list has only `accepted`)");
        }
        let list = match root.get("accepted") {
            None | Some(Value::Null) => &[][..],
            Some(Value::Array(list)) => &list[..],
            Some(_) => anyhow::bail!("{name}: `accepted` must be a list"),
        };
        for (index, item) in list.iter().enumerate() {
            let pointer = format!("/accepted/{index}");
            let line = document.line_of(&pointer);
            let at = match line {
                Some(line) => format!("{name}:{line}"),
                None => format!("{name}: {pointer}"),
            };
            let text = |key: &str| item.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
            const KEYS: [&str; 6] = ["rule", "operation", "location", "item", "reason", "expires"];
            for unknown in item.as_object().into_iter().flat_map(|entry| entry.keys()) {
                if !KEYS.contains(&unknown.as_str()) {
                    problems.push(format!("{at}: unknown key `{unknown}` (an entry has {})", KEYS.join(", ")));
                }
            }
            let (Some(rule), Some(location), Some(reason), Some(expires)) =
                (text("rule"), text("location"), text("reason"), text("expires"))
            else {
                problems.push(format!("{at}: an entry needs rule, location, reason and expires"));
                continue;
            };
            if Rule::from_id(rule).is_none() {
                problems.push(format!("{at}: unknown rule id `{rule}`"));
            }
            if Day::parse(expires).is_none() {
                problems.push(format!("{at}: expires must be a date YYYY-MM-DD, not `{expires}`"));
            }
            if !location.starts_with('/') {
                problems.push(format!("{at}: location must be a JSON pointer starting with /, not `{location}`"));
            }
            entries.push(Entry {
                rule: rule.to_owned(),
                operation: text("operation").map(str::to_owned),
                location: location.to_owned(),
                item: text("item").map(str::to_owned),
                reason: reason.to_owned(),
                expires: expires.to_owned(),
                line,
            });
        }
        if !problems.is_empty() {
            anyhow::bail!("{}", problems.join("\n"));
        }
        Ok(Allowlist { name: name.to_owned(), entries })
    }

    /// Matches the entries against a report, with `today` deciding which entries expired; `None` (a clock
    /// that cannot be read) makes every entry expired. Without `client_compared`, entries for client rules
    /// had nothing to match and are not counted unused.
    pub fn apply(&self, changes: &[Change], today: Option<Day>, client_compared: bool) -> Applied {
        // Dates were checked when parsing; an unparsable one here counts as expired, the safe side.
        let expired: Vec<usize> = (0..self.entries.len())
            .filter(|&index| match (Day::parse(&self.entries[index].expires), today) {
                (Some(expires), Some(today)) => expires < today,
                _ => true,
            })
            .collect();
        let mut used = vec![false; self.entries.len()];
        let accepted_by = changes
            .iter()
            .map(|change| {
                let found = (0..self.entries.len())
                    .find(|index| !expired.contains(index) && self.entries[*index].matches(change));
                if let Some(index) = found {
                    used[index] = true;
                }
                found
            })
            .collect();
        let not_looked_for = |index: &usize| {
            !client_compared && Rule::from_id(&self.entries[*index].rule).is_some_and(Rule::is_client_api)
        };
        let unused = (0..self.entries.len())
            .filter(|index| !used[*index] && !expired.contains(index) && !not_looked_for(index))
            .collect();
        Applied { accepted_by, expired, unused, clock_failed: today.is_none() }
    }
}
