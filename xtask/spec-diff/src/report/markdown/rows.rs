//! The pieces of the Markdown report: escaped cells and code spans, one finding as a table row, a rule's
//! findings one line each, or as a single line naming every operation (or place) they are in, and
//! allow-list entries.

use std::fmt::Write as _;

use crate::allowlist::Entry;
use crate::model::Change;
use crate::report::Report;
use crate::rules::Rule;

/// The head of a table whose rows name their rule.
pub(super) const TABLE_WITH_RULE: &str = "| rule | operation | change | location | status |\n|---|---|---|---|---|\n";

/// The head of a table under one rule's heading.
pub(super) const TABLE: &str = "| operation | change | location | status |\n|---|---|---|---|\n";

/// Longest message quoted as an example in a rule's one-line form; a longer one is left out rather than cut
/// (cutting could leave a code span open).
const EXAMPLE_MAX: usize = 200;

/// Table cells may not hold `|` or line breaks.
pub(super) fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// Code spans with backticks inside need a longer fence.
pub(super) fn code(text: &str) -> String {
    if text.contains('`') { format!("`` {} ``", cell(text)) } else { format!("`{}`", cell(text)) }
}

/// One finding as a table row (with its rule in the first column when `with_rule`), newline included.
pub(super) fn row(report: &Report, index: usize, with_rule: bool) -> String {
    let change = &report.changes[index];
    let operation = match &change.operation {
        Some(key) => {
            let id = key.operation_id.as_deref().map(|id| format!("{} ", code(id))).unwrap_or_default();
            format!("{id}{} {}", key.method, code(&key.path))
        }
        None => "(document)".to_owned(),
    };
    let line = change.location.line.map(|line| format!(" line {line}")).unwrap_or_default();
    let location = format!("{} {}{line}", change.location.side.name(), code(&change.location.pointer));
    let status = match report.accepted_by(index) {
        Some(entry) => format!("accepted until {}: {}", entry.expires, cell(&entry.reason)),
        None if report.is_failing(index) => "**fails**".to_owned(),
        None => String::new(),
    };
    let rule = if with_rule { format!("| {} ", code(change.rule.id())) } else { String::new() };
    format!("{rule}| {operation} | {} | {location} | {status} |\n", cell(&change.message))
}

/// ` (N failing, M allow-listed)`, or nothing when neither.
fn status(report: &Report, indexes: &[usize]) -> String {
    let failing = indexes.iter().filter(|&&index| report.is_failing(index)).count();
    let accepted = indexes.iter().filter(|&&index| report.accepted_by(index).is_some()).count();
    let mut status = Vec::new();
    if failing > 0 {
        status.push(format!("{failing} failing"));
    }
    if accepted > 0 {
        status.push(format!("{accepted} allow-listed"));
    }
    if status.is_empty() { String::new() } else { format!(" ({})", status.join(", ")) }
}

/// A rule's findings one line each, without their locations: the rule with its counts, then each
/// finding's operation (or place) and message, and the allow-list entry accepting it.
pub(super) fn compact_list(report: &Report, rule: Rule, indexes: &[usize]) -> String {
    let mut out = format!(
        "**{}**: {}{}, one line each:\n\n",
        code(rule.id()),
        counted(indexes.len(), "change", "changes"),
        status(report, indexes)
    );
    for &index in indexes {
        let change = &report.changes[index];
        let accepted = report.accepted_by(index).map(|entry| format!(" (allow-listed until {})", entry.expires));
        let _ = writeln!(out, "- {}: {}{}", place(change), cell(&change.message), accepted.unwrap_or_default());
    }
    out.push('\n');
    out
}

/// Where a finding is, briefly: its operationId (else method and path), or the pointer of a document-wide one.
fn place(change: &Change) -> String {
    match &change.operation {
        Some(key) => match &key.operation_id {
            Some(id) => code(id),
            None => format!("{} {}", key.method, code(&key.path)),
        },
        None => code(&change.location.pointer),
    }
}

/// A rule's findings as one list item: how many, how many fail or are accepted, an example, and every place
/// with its count, in report order, within `budget` bytes: places that do not fit are counted at the end.
/// `None` when not even the start fits. Also returns how many findings the places named hold.
pub(super) fn rule_line(report: &Report, rule: Rule, indexes: &[usize], budget: usize) -> Option<(String, usize)> {
    let mut places: Vec<(String, usize)> = Vec::new();
    for &index in indexes {
        let name = place(&report.changes[index]);
        match places.iter_mut().find(|(known, _)| *known == name) {
            Some((_, count)) => *count += 1,
            None => places.push((name, 1)),
        }
    }
    let status = status(report, indexes);
    let example = &report.changes[indexes[0]].message;
    let example = if example.len() <= EXAMPLE_MAX { format!("; e.g. {}", cell(example)) } else { String::new() };
    let mut line = format!(
        "- {}: {}{status} in {}{example}. By place: ",
        code(rule.id()),
        counted(indexes.len(), "change", "changes"),
        counted(places.len(), "place", "places")
    );
    let mut listed = 0;
    for (at, (name, count)) in places.iter().enumerate() {
        let item = format!("{}{name} {count}", if at == 0 { "" } else { ", " });
        let rest = places.len() - at - 1;
        // Room for this place and, unless it is the last, the line that counts the places left out.
        let tail = if rest == 0 { 2 } else { 64 };
        if line.len() + item.len() + tail > budget {
            let separator = if at == 0 { "" } else { ", " };
            let left = indexes.len() - listed;
            let more = counted(places.len() - at, "more place", "more places");
            let _ = write!(line, "{separator}and {more} ({})", counted(left, "change", "changes"));
            line.push_str(".\n");
            return (line.len() <= budget).then_some((line, listed));
        }
        line.push_str(&item);
        listed += count;
    }
    line.push_str(".\n");
    (line.len() <= budget).then_some((line, listed))
}

/// `count` with the noun that agrees with it.
fn counted(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// An allow-list entry on one line: rule, operation, location, then `tail`.
pub(super) fn entry_line(entry: &Entry, tail: &str) -> String {
    format!(
        "- {} {} {}{tail}\n",
        code(&entry.rule),
        entry.operation.as_deref().map(code).unwrap_or_else(|| "(document)".to_owned()),
        code(&entry.location),
    )
}
