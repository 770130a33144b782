//! The plain-text report, for a terminal.

use std::fmt::Write as _;

use super::Report;

/// Renders the report as text: a summary, then one block per change, then the client API.
pub fn render_text(report: &Report) -> String {
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
            "\nunused allow-list entry ({}), fails the run: {} {} {}",
            report.allowlist.name,
            entry.rule,
            entry.operation.as_deref().unwrap_or("(document)"),
            entry.location
        );
    }
    out
}
