//! The plain-text report, for a terminal.

use std::fmt::Write as _;

use super::Report;

/// Renders the report as text: a summary, then one block per change, then the client API.
pub(crate) fn render_text(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "spec diff: {} -> {}", report.base_name, report.head_name);
    let _ = writeln!(out, "{}", report.summary_sentence());
    for (index, change) in report.changes.iter().enumerate() {
        let _ = writeln!(out);
        let operation = change.operation.as_ref().map_or_else(|| "(document)".to_owned(), ToString::to_string);
        let _ = writeln!(out, "{:<7} {}  {operation}", change.level().name(), change.rule.id());
        let _ = writeln!(out, "        {}", change.message);
        let line = change.location.line.map(|line| format!(" (line {line})")).unwrap_or_default();
        let _ = writeln!(out, "        at {} {}{line}", change.location.side.name(), change.location.pointer);
        if let Some(entry) = report.accepted_by(index) {
            let _ = writeln!(out, "        accepted until {}: {}", entry.expires, entry.reason);
        } else if report.is_failing(index) {
            let _ = writeln!(out, "        FAILS (--fail-on)");
        }
    }
    for &index in &report.applied.expired {
        let entry = &report.allowlist.entries[index];
        let _ = writeln!(
            out,
            "\nexpired allow-list entry ({}): {} {} {} expired {}: {}",
            report.allowlist.name,
            entry.rule,
            entry.operation.as_deref().unwrap_or("(document)"),
            entry.location,
            entry.expires,
            entry.reason
        );
    }
    for &index in &report.applied.unused {
        let entry = &report.allowlist.entries[index];
        let _ = writeln!(
            out,
            "\nunused allow-list entry ({}): {} {} {}",
            report.allowlist.name,
            entry.rule,
            entry.operation.as_deref().unwrap_or("(document)"),
            entry.location
        );
    }
    if report.client_api.compared {
        let _ = writeln!(out, "\nclient API:");
        for note in &report.client_api.notes {
            let _ = writeln!(out, "  note: {note}");
        }
        if report.client_api.changes.is_empty() && report.client_api.notes.is_empty() {
            let _ = writeln!(out, "  no changes");
        }
        for change in &report.client_api.changes {
            let marker = if change.breaking { "breaking" } else { "ok" };
            let _ = writeln!(out, "  {marker:<8} {:<7} {}", change.kind.name(), change.item);
            if let Some(before) = &change.before {
                let _ = writeln!(out, "           - {before}");
            }
            if let Some(after) = &change.after {
                let _ = writeln!(out, "           + {after}");
            }
        }
    }
    out
}
