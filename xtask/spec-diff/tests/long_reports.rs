//! The Markdown report of a very large diff still fits one pull-request comment: every breaking change in
//! full (or, when they alone are past the limit, each counted under its operation), the rest folded and cut
//! with a line saying how many are not shown and where the whole report is; the whole report (text, JSON)
//! holds every finding.

use std::collections::BTreeSet;

use spec_diff::allowlist::Allowlist;
use spec_diff::date::Day;
use spec_diff::model::{Change, Level, Location, OperationKey, Side, normalise};
use spec_diff::report::{
    COMMENT_LIMIT, MARKER, MarkdownOptions, Report, render_json, render_markdown_with, render_text,
};
use spec_diff::rules::Rule;

const WHOLE: &str = "`spec-diff-report.txt`, kept with [the workflow run](https://github.example/o/r/actions/runs/7)";

/// A finding of `rule` in operation `operation`, its message carrying `#serial#` so the tests can find it.
fn finding(rule: Rule, operation: &str, serial: usize) -> Change {
    Change {
        rule,
        operation: Some(OperationKey {
            path: format!("/api/atlas/v2/groups/{{groupId}}/{operation}"),
            method: "GET".to_owned(),
            operation_id: Some(operation.to_owned()),
        }),
        location: Location {
            side: Side::Head,
            pointer: format!("/paths/~1api~1atlas~1v2~1groups~1{{groupId}}~1{operation}/get/responses/200/x{serial}"),
            line: Some(serial + 1),
        },
        message: format!("finding #{serial}# of {operation}: the property `results/items/x{serial}` changed its shape"),
        item: None,
    }
}

/// Findings of `rule` over operations `{prefix}0..{prefix}{operations}`, `per_operation` each.
fn findings(rule: Rule, prefix: &str, operations: usize, per_operation: usize, serial: &mut usize) -> Vec<Change> {
    let mut out = Vec::new();
    for operation in 0..operations {
        for _ in 0..per_operation {
            out.push(finding(rule, &format!("{prefix}{operation}"), *serial));
            *serial += 1;
        }
    }
    out
}

fn report(mut changes: Vec<Change>, fail_on: Option<Level>) -> Report {
    normalise(&mut changes);
    let today = Day::parse("2026-08-21");
    Report::new("base.yaml".into(), "head.yaml".into(), changes, Allowlist::default(), today, true, fail_on)
}

fn markdown(report: &Report) -> String {
    render_markdown_with(report, &MarkdownOptions { full_report: Some(WHOLE.to_owned()), ..MarkdownOptions::default() })
}

/// The serials of the findings shown in full: those in table rows.
fn rows_shown(markdown: &str) -> BTreeSet<usize> {
    markdown
        .lines()
        .filter(|line| line.starts_with("| "))
        .filter_map(|line| line.split_once("finding #").and_then(|(_, rest)| rest.split_once('#')))
        .map(|(serial, _)| serial.parse().expect("a serial"))
        .collect()
}

fn serials(report: &Report, level: Level) -> BTreeSet<usize> {
    report
        .changes
        .iter()
        .filter(|change| change.level() == level)
        .map(|change| change.message.split('#').nth(1).expect("a serial").parse().expect("a number"))
        .collect()
}

/// The line under the summary: `shown` of `total` in full, and the whole report named.
fn assert_notice(markdown: &str, shown: usize, total: usize) {
    let notice = format!("> **Too many findings for one comment: {shown} of {total} are shown in full**");
    assert!(markdown.contains(&notice), "no {notice:?} in:\n{}", &markdown[..2000.min(markdown.len())]);
    let line = markdown.lines().find(|line| line.starts_with("> **Too many")).expect("the notice");
    assert!(line.ends_with(&format!("The whole report, with every finding: {WHOLE}.")), "{line}");
}

/// Every `<details>` is closed, and the report is within one comment and starts with the marker.
fn assert_well_formed(markdown: &str) {
    assert!(markdown.len() <= COMMENT_LIMIT, "{} bytes", markdown.len());
    assert!(markdown.starts_with(MARKER));
    assert_eq!(markdown.matches("<details").count(), markdown.matches("</details>").count());
}

/// The text and JSON reports hold every finding.
fn assert_whole_report_holds_everything(report: &Report) {
    let text = render_text(report);
    let lines: std::collections::HashSet<&str> = text.lines().map(str::trim).collect();
    for change in &report.changes {
        assert!(lines.contains(change.message.as_str()), "the text report lacks {}", change.message);
    }
    let json: serde_json::Value = serde_json::from_str(&render_json(report)).expect("JSON");
    assert_eq!(json["changes"].as_array().expect("changes").len(), report.changes.len());
}

#[test]
fn thousands_of_findings_fit_one_comment_with_every_breaking_change_in_full() {
    let mut serial = 0;
    let mut changes = Vec::new();
    changes.extend(findings(Rule::RemovedWithoutDeprecation, "removed", 30, 1, &mut serial));
    changes.extend(findings(Rule::ClientItemRemoved, "removed", 30, 3, &mut serial));
    changes.extend(findings(Rule::OperationIdChanged, "renamed", 1500, 1, &mut serial));
    changes.extend(findings(Rule::ResponseOptionalPropertyRemoved, "shrunk", 10, 1, &mut serial));
    changes.extend(findings(Rule::EndpointAdded, "added", 3000, 1, &mut serial));
    changes.extend(findings(Rule::ClientItemAdded, "added", 1000, 2, &mut serial));
    let report = report(changes, Some(Level::Error));
    let total = report.changes.len();
    assert_eq!(total, 6630);
    let markdown = markdown(&report);
    assert_well_formed(&markdown);
    // The 120 breaking changes, in full and in the open (before any fold), each marked failing.
    let shown = rows_shown(&markdown);
    let errors = serials(&report, Level::Error);
    assert!(errors.is_subset(&shown), "breaking changes not shown: {:?}", errors.difference(&shown));
    let first_fold = markdown.find("<details><summary>Warnings").expect("warnings folded");
    assert_eq!(rows_shown(&markdown[..first_fold]), errors);
    assert_eq!(markdown[..first_fold].matches("| **fails** |").count(), 120);
    // The rest folded per rule, each rule given a share: the small rule is whole, the large ones cut with a
    // line counting what is not shown, and the notice counts it all.
    assert!(markdown.contains("<details><summary><code>response-optional-property-removed</code> (10)</summary>"));
    let small: Vec<usize> =
        serials(&report, Level::Warning).into_iter().filter(|serial| (1620..1630).contains(serial)).collect();
    assert_eq!(small.len(), 10);
    assert!(small.iter().all(|serial| shown.contains(serial)), "the small rule is whole");
    let cut: usize = markdown
        .lines()
        .filter_map(|line| line.strip_prefix('_').and_then(|rest| rest.split_once(" more not shown here")))
        .map(|(count, _)| count.parse::<usize>().expect("a count"))
        .sum();
    assert!(cut > 0);
    assert_eq!(shown.len() + cut, total, "every finding not shown is counted where its rule is cut");
    assert_notice(&markdown, shown.len(), total);
    let not_shown = |level: Level| serials(&report, level).difference(&shown).count();
    assert!(markdown.contains(&format!("{} warnings are not shown", not_shown(Level::Warning))), "{markdown}");
    assert!(markdown.contains(&format!("{} other changes are not shown", not_shown(Level::Info))));
    assert!(!markdown.contains("breaking changes are"), "no breaking change is left out or only counted");
    // Every rule is counted in the summary table.
    assert!(markdown.contains("| warning | `api-operation-id-changed` | 1500 | 0 | 0 |"), "{markdown}");
    assert!(markdown.contains("| info | `client-item-added` | 2000 | 0 | 0 |"));
    assert_whole_report_holds_everything(&report);
}

#[test]
fn breaking_changes_past_the_limit_are_each_counted_under_their_operation() {
    let mut serial = 0;
    let mut changes = Vec::new();
    changes.extend(findings(Rule::RemovedWithoutDeprecation, "gone", 3, 1, &mut serial));
    // 5000 client findings in 625 operations: one row each would take over 1 MB.
    changes.extend(findings(Rule::ClientItemRemoved, "renamedOperation", 625, 8, &mut serial));
    changes.extend(findings(Rule::OperationIdChanged, "renamedOperation", 625, 1, &mut serial));
    let report = report(changes, Some(Level::Error));
    let markdown = markdown(&report);
    assert_well_formed(&markdown);
    // The spec's own breaking changes, the cause, in full.
    let shown = rows_shown(&markdown);
    assert!((0..3).all(|serial| shown.contains(&serial)), "{markdown}");
    // Every operation with client findings named, with its count, in the open.
    let line = markdown.lines().find(|line| line.starts_with("- `client-item-removed`: 5000 changes")).expect("a line");
    assert!(line.contains("(5000 failing) in 625 places"), "{line}");
    for operation in 0..625 {
        let place = format!("`renamedOperation{operation}` 8");
        assert!(line.contains(&format!("{place},")) || line.ends_with(&format!("{place}.")), "{place} is missing");
    }
    assert!(markdown.find(line).expect("there") < markdown.find("<details><summary>Warnings").expect("folded"));
    assert!(markdown.contains("| error | `client-item-removed` | 5000 | 5000 | 0 |"));
    assert_notice(&markdown, shown.len(), 5628);
    assert!(markdown.contains("5000 breaking changes are counted by operation or place only"), "{markdown}");
    assert!(!markdown.contains("breaking changes are not shown"));
    assert_whole_report_holds_everything(&report);
}

#[test]
fn breaking_changes_too_many_for_rows_are_listed_one_line_each() {
    let mut serial = 0;
    let mut changes = findings(Rule::RemovedWithoutDeprecation, "gone", 2, 1, &mut serial);
    // 400 rows would take about 130 KB; 400 lines without their locations fit.
    changes.extend(findings(Rule::ClientItemChanged, "changedOperation", 400, 1, &mut serial));
    changes.extend(findings(Rule::EndpointAdded, "added", 1000, 1, &mut serial));
    let report = report(changes, Some(Level::Error));
    let markdown = markdown(&report);
    assert_well_formed(&markdown);
    let shown = rows_shown(&markdown);
    assert!(shown.contains(&0) && shown.contains(&1), "the spec's own breaking changes are rows");
    assert!(markdown.contains("**`client-item-changed`**: 400 changes (400 failing), one line each:"), "{markdown}");
    for change in report.changes.iter().filter(|change| change.rule == Rule::ClientItemChanged) {
        let operation = change.operation.as_ref().and_then(|key| key.operation_id.as_deref()).expect("an id");
        let line = format!("\n- `{operation}`: {}\n", change.message.replace('|', "\\|"));
        assert!(markdown.contains(&line), "{line:?} is missing");
    }
    assert_notice(&markdown, shown.len(), 1402);
    assert!(
        markdown.contains("(400 breaking changes are listed one line each, without their location, "),
        "{markdown}"
    );
    assert!(!markdown.contains("breaking changes are counted") && !markdown.contains("breaking changes are not"));
    assert_whole_report_holds_everything(&report);
}

#[test]
fn with_fail_on_warning_the_warnings_are_in_the_open_too() {
    let mut serial = 0;
    let mut changes = Vec::new();
    changes.extend(findings(Rule::OperationIdChanged, "renamed", 3000, 1, &mut serial));
    changes.extend(findings(Rule::EndpointAdded, "added", 3000, 1, &mut serial));
    let report = report(changes, Some(Level::Warning));
    let markdown = markdown(&report);
    assert_well_formed(&markdown);
    assert!(markdown.contains("#### Warnings (these fail the check)"), "{markdown}");
    assert!(!markdown.contains("<summary>Warnings"), "failing warnings are not folded");
    assert!(markdown.contains("3000 warnings are counted by operation or place only"));
    assert!(!markdown.contains("warnings are not shown"));
    assert!(markdown.contains("<details><summary>Other changes (3000)</summary>"));
}

#[test]
fn any_finding_and_any_limit_stay_within_the_limit() {
    // One finding whose message alone is larger than a comment.
    let mut huge = finding(Rule::RemovedWithoutDeprecation, "huge", 0);
    huge.message = format!("finding #0# {}", "é|`x".repeat(40_000));
    let one = report(vec![huge], Some(Level::Error));
    let markdown = markdown(&one);
    assert_well_formed(&markdown);
    assert_notice(&markdown, 0, 1);
    assert!(markdown.contains("| error | `api-removed-without-deprecation` | 1 | 1 | 0 |"));

    // Thousands of findings and a small limit.
    let mut serial = 0;
    let mut changes = findings(Rule::ClientItemRemoved, "op", 500, 4, &mut serial);
    changes.extend(findings(Rule::EndpointAdded, "added", 2000, 1, &mut serial));
    let report = report(changes, Some(Level::Error));
    for limit in [0, 100, 3_000, 20_000] {
        let options = MarkdownOptions { limit, full_report: None };
        let markdown = render_markdown_with(&report, &options);
        assert!(markdown.len() <= limit, "{} bytes for a limit of {limit}", markdown.len());
    }
    // Without a whole report given, the notice says how to get one.
    let options = MarkdownOptions { limit: 20_000, full_report: None };
    let markdown = render_markdown_with(&report, &options);
    assert!(markdown.contains("The whole report, with every finding: `cargo xtask diff --format text`."), "{markdown}");
}

#[test]
fn a_report_that_fits_shows_every_finding_and_no_notice() {
    let mut serial = 0;
    let mut changes = findings(Rule::RemovedWithoutDeprecation, "removed", 5, 1, &mut serial);
    changes.extend(findings(Rule::EndpointAdded, "added", 50, 1, &mut serial));
    let report = report(changes, Some(Level::Error));
    let markdown = markdown(&report);
    assert_well_formed(&markdown);
    assert_eq!(rows_shown(&markdown).len(), 55);
    assert!(!markdown.contains("Too many"), "{markdown}");
    assert!(markdown.contains(&format!("The whole report: {WHOLE}.")), "{markdown}");
}
