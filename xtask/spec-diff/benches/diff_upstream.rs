//! The whole upstream Atlas spec (4 MB, 540 operations) against itself with one change made: exactly that
//! change must be reported, by the spec rules and by the generated client's API, and the whole diff
//! (reading both sides, describing both clients, comparing) should take well under a second.
//!
//! `cargo bench -p spec-diff --bench diff_upstream` (`ATLAS_UPSTREAM_SPEC=FILE` to point at another copy of
//! the upstream spec).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use spec_diff::allowlist::Allowlist;
use spec_diff::model::Change;
use spec_diff::rules::Rule;
use spec_diff::{Input, Options, build_report};

/// How many times each diff is timed; the median is reported.
const RUNS: usize = 7;

fn upstream_path() -> PathBuf {
    match std::env::var_os("ATLAS_UPSTREAM_SPEC") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/upstream/atlas-admin-v2.yaml"),
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

/// Times the whole diff of `base` against `head`: reading, both clients, the rules.
fn time_diff(base: &str, head: &str, options: &Options) -> (Duration, Vec<Change>) {
    let input = |name: &str, text: &str| Input { name: name.to_owned(), text: Some(text.to_owned()) };
    let (base, head) = (input("upstream.yaml", base), input("upstream-changed.yaml", head));
    let mut times = Vec::new();
    let mut changes = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let report = build_report(&base, &head, Allowlist::default(), None, options).expect("both sides read");
        times.push(started.elapsed());
        changes = report.changes;
    }
    (median(times), changes)
}

fn main() {
    let path = upstream_path();
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("diff_upstream: skipped, {} is not there", path.display());
        return;
    };
    let changed = make_one_change(&text);
    let whole = Options::default();
    let spec_only = Options { no_client_api: true, ..Options::default() };

    let (time, changes) = time_diff(&text, &changed, &whole);
    let found: Vec<(&str, Option<&str>)> = changes
        .iter()
        .map(|change| (change.rule.id(), change.operation.as_ref().and_then(|key| key.operation_id.as_deref())))
        .collect();
    assert_eq!(
        found,
        [("client-item-removed", Some("deleteOrgApiKey")), ("request-parameter-removed", Some("deleteOrgApiKey"))],
        "expected exactly the one change, seen by the rules and by the client: {changes:#?}"
    );
    assert!(changes[0].message.contains("fn operations::DeleteOrgApiKey::envelope"), "{}", changes[0].message);
    let (same_time, same) = time_diff(&text, &text, &whole);
    assert!(same.is_empty(), "the spec against itself reported {same:#?}");
    let (spec_only_time, _) = time_diff(&text, &changed, &spec_only);
    let (link_time, link_changes) = time_diff(&text, &change_a_shared_schema(&text), &whole);
    let link_spec: Vec<&Change> = link_changes.iter().filter(|change| !change.rule.is_client_api()).collect();
    assert!(link_spec.len() > 100, "Link is reached by hundreds of operations: {}", link_spec.len());
    assert!(link_spec.iter().all(|change| change.location.pointer == "/components/schemas/Link/properties/extra"));
    assert!(
        link_changes
            .iter()
            .any(|change| change.rule == Rule::ClientItemAdded && change.message.contains("Link::extra"))
    );

    let ms = |duration: Duration| duration.as_secs_f64() * 1e3;
    println!(
        "diff_upstream: {} bytes; whole diff with one change {:.0} ms (median of {RUNS}; both sides read and \
         their clients described); the spec against itself {:.0} ms; spec rules only {:.0} ms; a change to \
         Link ({} findings) {:.0} ms",
        text.len(),
        ms(time),
        ms(same_time),
        ms(spec_only_time),
        link_changes.len(),
        ms(link_time),
    );
}
