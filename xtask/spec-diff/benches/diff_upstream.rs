//! The whole upstream Atlas spec (4 MB, 540 operations) against itself with one change made:
//! exactly that change must be reported, and the diff itself should take well under half a second.
//!
//! `CARGO_TARGET_DIR=/work/targets/diff cargo bench -p xtask --bench diff_upstream`
//! (`ATLAS_UPSTREAM_SPEC=FILE` to point at another copy of the upstream spec).

// The diff lives in the xtask binary; the bench compiles the same source files to call it directly.
#[path = "../src/diff/mod.rs"]
#[allow(
    dead_code,
    unused_imports,
    reason = "the bench uses only the parser and the rules; clippy --all-targets also compiles the unit tests' imports without the tests"
)]
mod diff;
#[path = "../src/paths.rs"]
#[allow(dead_code, reason = "only SPEC_FILE is used by the diff")]
mod paths;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use diff::document::Document;
use diff::rules::{Rule, diff_documents};

/// How many times the diff is timed; the median is reported.
const RUNS: usize = 7;

fn upstream_path() -> PathBuf {
    match std::env::var_os("ATLAS_UPSTREAM_SPEC") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/upstream/atlas-admin-v2.yaml"),
    }
}

/// Removes the `envelope` parameter from `deleteOrgApiKey`, the one change the diff must find.
fn make_one_change(text: &str) -> String {
    let operation = text.find("operationId: deleteOrgApiKey").expect("deleteOrgApiKey is in the upstream spec");
    let line = "                - $ref: '#/components/parameters/envelope'\n";
    let at = operation + text[operation..].find(line).expect("deleteOrgApiKey takes the envelope parameter");
    format!("{}{}", &text[..at], &text[at + line.len()..])
}

/// Adds a property to `Link`, which hundreds of operations reach: the worst case for the walk.
fn change_a_shared_schema(text: &str) -> String {
    let schema = text.find("\n        Link:\n").expect("Link is in the upstream spec");
    let properties = "            properties:\n";
    let at = schema + text[schema..].find(properties).expect("Link has properties") + properties.len();
    format!("{}                extra:\n                    type: string\n{}", &text[..at], &text[at..])
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let path = upstream_path();
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("diff_upstream: skipped, {} is not there", path.display());
        return;
    };
    let changed = make_one_change(&text);

    let started = Instant::now();
    let base = Document::parse(&text, "upstream.yaml").expect("the upstream spec parses");
    let parse_time = started.elapsed();
    let head = Document::parse(&changed, "upstream-changed.yaml").expect("the changed spec parses");
    let operations: usize = base.root["paths"]
        .as_object()
        .map(|paths| {
            let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
            paths.values().map(|item| methods.iter().filter(|method| item.get(**method).is_some()).count()).sum()
        })
        .unwrap_or(0);

    let mut diff_times = Vec::new();
    let mut changes = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        changes = diff_documents(&base, &head);
        diff_times.push(started.elapsed());
    }
    let mut same_times = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let none = diff_documents(&base, &base);
        same_times.push(started.elapsed());
        assert!(none.is_empty(), "the spec against itself reported {none:#?}");
    }

    assert_eq!(changes.len(), 1, "expected exactly the one change, got {changes:#?}");
    let change = &changes[0];
    assert_eq!(change.rule, Rule::RequestParameterRemoved);
    let operation = change.operation.as_ref().expect("the change belongs to an operation");
    assert_eq!(operation.operation_id.as_deref(), Some("deleteOrgApiKey"));
    assert_eq!(operation.method, "DELETE");

    let shared = Document::parse(&change_a_shared_schema(&text), "upstream-link.yaml").expect("parses");
    let mut shared_times = Vec::new();
    let mut shared_changes = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        shared_changes = diff_documents(&base, &shared);
        shared_times.push(started.elapsed());
    }
    // One change per operation that reaches Link, all at the one place that changed.
    assert!(shared_changes.len() > 100, "Link is reached by hundreds of operations: {}", shared_changes.len());
    assert!(shared_changes.iter().all(|change| change.location.pointer == "/components/schemas/Link/properties/extra"));

    let diff_time = median(diff_times);
    println!(
        "diff_upstream: {} bytes, {operations} operations; parse {:.1} ms per side; \
         diff with one change {:.1} ms (median of {RUNS}); diff against itself {:.1} ms; \
         diff with a change to Link ({} operations affected) {:.1} ms; reported: {} {}",
        text.len(),
        parse_time.as_secs_f64() * 1e3,
        diff_time.as_secs_f64() * 1e3,
        median(same_times).as_secs_f64() * 1e3,
        shared_changes.len(),
        median(shared_times).as_secs_f64() * 1e3,
        change.rule.id(),
        operation,
    );
    assert!(diff_time < Duration::from_millis(500), "the diff took {diff_time:?}, the goal is under 0.5 s");
}
