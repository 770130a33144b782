//! The JSON report, for tools.

use serde_json::{Value, json};

use super::Report;

/// Renders the report as pretty JSON with a trailing newline.
pub fn render_json(report: &Report) -> String {
    let summary = report.summary();
    let changes: Vec<Value> = report
        .changes
        .iter()
        .enumerate()
        .map(|(index, change)| {
            let operation = change
                .operation
                .as_ref()
                .map(|key| json!({ "operationId": key.operation_id, "method": key.method, "path": key.path }));
            let accepted =
                report.accepted_by(index).map(|entry| json!({ "reason": entry.reason, "expires": entry.expires }));
            json!({
                "id": change.rule.id(),
                "level": change.level().name(),
                "operation": operation,
                "location": {
                    "side": change.location.side.name(),
                    "pointer": change.location.pointer,
                    "line": change.location.line,
                },
                "message": change.message,
                "item": change.item,
                "accepted": accepted,
                "failing": report.is_failing(index),
            })
        })
        .collect();
    let entry = |index: &usize| {
        let entry = &report.allowlist.entries[*index];
        json!({ "rule": entry.rule, "operation": entry.operation, "location": entry.location, "item": entry.item, "expires": entry.expires, "reason": entry.reason })
    };
    let document = json!({
        "base": report.base_name,
        "head": report.head_name,
        "summary": {
            "error": summary.errors,
            "warning": summary.warnings,
            "info": summary.infos,
            "accepted": summary.accepted,
            "failing": summary.failing,
        },
        "failOn": report.fail_on.map(|level| level.name()),
        "failed": report.failed(),
        "changes": changes,
        "allowlist": {
            "expired": report.applied.expired.iter().map(entry).collect::<Vec<_>>(),
            "unused": report.applied.unused.iter().map(entry).collect::<Vec<_>>(),
            "clockFailed": report.applied.clock_failed,
        },
        "clientApiCompared": report.client_api_compared,
    });
    let mut text =
        serde_json::to_string_pretty(&document).unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"));
    text.push('\n');
    text
}
