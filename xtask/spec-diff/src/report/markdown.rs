//! The Markdown report: one pull-request comment, found again by its hidden marker.

use std::fmt::Write as _;

use super::Report;
use crate::model::Level;

/// The first line of every Markdown report; the workflow finds its earlier comment by it.
pub const MARKER: &str = "<!-- atlas-admin-spec-diff -->";

/// Table cells may not hold `|` or line breaks.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// Code spans with backticks inside need a longer fence.
fn code(text: &str) -> String {
    if text.contains('`') { format!("`` {} ``", cell(text)) } else { format!("`{}`", cell(text)) }
}

fn change_table(report: &Report, indexes: &[usize], out: &mut String) {
    let _ = writeln!(out, "| rule | operation | change | location | status |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for &index in indexes {
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
        let _ = writeln!(
            out,
            "| {} | {operation} | {} | {location} | {status} |",
            code(change.rule.id()),
            cell(&change.message)
        );
    }
}

/// Renders the report as a pull-request comment: summary, breaking changes in the open, the rest and
/// the client API folded in `<details>`.
pub fn render_markdown(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{MARKER}");
    let _ = writeln!(out, "### Spec diff: {} → {}\n", code(&report.base_name), code(&report.head_name));
    let _ = writeln!(out, "**{}**\n", report.summary_sentence());
    let by_level = |level: Level| -> Vec<usize> {
        (0..report.changes.len()).filter(|&index| report.changes[index].level() == level).collect()
    };
    let errors = by_level(Level::Error);
    if !errors.is_empty() {
        let _ = writeln!(out, "#### Breaking changes\n");
        change_table(report, &errors, &mut out);
        let _ = writeln!(out);
    }
    if !report.applied.expired.is_empty() {
        let _ = writeln!(out, "#### Expired allow-list entries (these fail the check)\n");
        for &index in &report.applied.expired {
            let entry = &report.allowlist.entries[index];
            let _ = writeln!(
                out,
                "- {} {} {} expired {}: {}",
                code(&entry.rule),
                entry.operation.as_deref().map(code).unwrap_or_else(|| "(document)".to_owned()),
                code(&entry.location),
                entry.expires,
                cell(&entry.reason)
            );
        }
        let _ = writeln!(out);
    }
    for (level, title) in [(Level::Warning, "Warnings"), (Level::Info, "Other changes")] {
        let indexes = by_level(level);
        if indexes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "<details><summary>{title} ({})</summary>\n", indexes.len());
        change_table(report, &indexes, &mut out);
        let _ = writeln!(out, "\n</details>\n");
    }
    if !report.applied.unused.is_empty() {
        let _ = writeln!(
            out,
            "<details open><summary>Unused allow-list entries ({}): each fails the run</summary>\n",
            report.applied.unused.len()
        );
        for &index in &report.applied.unused {
            let entry = &report.allowlist.entries[index];
            let _ = writeln!(out, "- {} {}", code(&entry.rule), code(&entry.location));
        }
        let _ = writeln!(out, "\n</details>\n");
    }
    let _ = writeln!(out, "<sub>`cargo xtask diff`; rule ids follow oasdiff where they match.</sub>");
    out
}
