//! Spec pairs for every rule of `cargo xtask diff`, with their reports as goldens
//! (`EXPECTORATE=overwrite cargo test -p spec-diff --test rules` accepts new output), and the
//! properties every diff must have: no change for mere reformatting, mirrored results when reversed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use spec_diff::allowlist::Allowlist;
use spec_diff::date::Day;
use spec_diff::model::{Change, Level};
use spec_diff::rules::{Rule, diff_documents};
use spec_diff::{Document, Input, Options, RecordInput, build_report};

fn read_doc(text: &str, name: &str) -> Result<Document, codegen::Diagnostics> {
    Document::read(text, name)
}

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases")
}

fn case_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(cases_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn read_input(case: &str, side: &str) -> Input {
    let path = cases_dir().join(case).join(format!("{side}.yaml"));
    Input { name: format!("{case}/{side}.yaml"), text: Some(std::fs::read_to_string(path).unwrap()) }
}

fn parse(input: &Input) -> Document {
    spec_diff::read_input(input).unwrap()
}

/// A fixed "today" so goldens do not depend on the day the tests run.
fn today() -> Day {
    Day::parse("2026-08-21").unwrap()
}

/// The spec rules alone, failing on nothing.
fn spec_only() -> Options {
    Options { no_client_api: true, ..Options::default() }
}

/// The spec rules and the generated clients, failing on `fail_on`.
fn with_client(fail_on: Option<Level>) -> Options {
    Options { fail_on, ..Options::default() }
}

/// The record the base client of a case was generated with (a first generation, from no record), as text.
fn base_record(base: &Input) -> RecordInput {
    let (_, record) =
        codegen::describe(&parse(base), &codegen::Options::default(), &codegen::Record::default()).unwrap();
    RecordInput { name: "base record".to_owned(), text: record.to_text() }
}

/// The record of the head regenerated from the base record, adopting every newer version when `adopt`, and
/// (as a maintainer must) the newest version of every operation whose pinned version is gone.
fn head_record(head: &Input, base_record: &RecordInput, adopt: bool) -> RecordInput {
    let record = spec_diff::read_record(Some(base_record)).unwrap();
    let adopt = codegen::Adopt { all: adopt, gone: true, ..codegen::Adopt::default() };
    let options = codegen::Options { adopt, ..codegen::Options::default() };
    let (_, next) = codegen::describe(&parse(head), &options, &record).unwrap();
    RecordInput { name: "head record".to_owned(), text: next.to_text() }
}

/// Every finding of a case, the generated clients' included: both clients with names chosen afresh, the
/// head regenerated from the base's record (what a maintainer's regeneration does), and that regeneration
/// adopting every newer version.
fn findings_of(case: &str) -> Vec<Change> {
    let (base, head) = (read_input(case, "base"), read_input(case, "head"));
    let fresh = build_report(&base, &head, Allowlist::default(), Some(today()), &with_client(None)).unwrap();
    let mut changes = fresh.changes;
    if NOT_GENERATING.contains(&case) {
        return changes;
    }
    let recorded = base_record(&base);
    for adopt in [false, true] {
        let options = Options {
            base_record: Some(recorded.clone()),
            head_record: Some(head_record(&head, &recorded, adopt)),
            ..with_client(None)
        };
        changes.extend(build_report(&base, &head, Allowlist::default(), Some(today()), &options).unwrap().changes);
    }
    changes
}

#[test]
fn golden_reports_for_every_case() {
    for case in case_names() {
        let (base, head) = (read_input(&case, "base"), read_input(&case, "head"));
        let report = build_report(&base, &head, Allowlist::default(), Some(today()), &spec_only()).unwrap();
        let text = spec_diff::report::render_text(&report);
        expectorate::assert_contents(cases_dir().join(&case).join("expected.txt"), &text);
    }
}

#[test]
fn every_rule_is_exercised_by_a_case() {
    let mut seen = BTreeSet::new();
    for case in case_names() {
        seen.extend(findings_of(&case).into_iter().map(|change| change.rule.id()));
    }
    let missing: Vec<&str> = Rule::ALL.iter().map(|rule| rule.id()).filter(|id| !seen.contains(id)).collect();
    assert!(missing.is_empty(), "rules no case exercises: {missing:?}");
}

#[test]
fn rule_ids_are_unique_and_round_trip() {
    let ids: BTreeSet<&str> = Rule::ALL.iter().map(|rule| rule.id()).collect();
    assert_eq!(ids.len(), Rule::ALL.len());
    for rule in Rule::ALL {
        assert_eq!(Rule::from_id(rule.id()), Some(*rule));
    }
}

/// What a rule says about a thing: the thing (a concept) and whether it appeared (+1), disappeared (-1)
/// or changed in place (0). Diffing the other way round must flip the sign and keep the concept.
/// `None` marks one-way rules (a widened type is a plain type change the other way round).
fn polarity(id: &'static str) -> Option<(&'static str, i8)> {
    if let Some(polarity) = constraint_polarity(id) {
        return Some(polarity);
    }
    Some(match id {
        "endpoint-added" => ("operation", 1),
        "api-removed-without-deprecation" | "api-removed-with-deprecation" => ("operation", -1),
        "endpoint-deprecated" => ("deprecation", 1),
        "endpoint-reactivated" => ("deprecation", -1),
        "api-operation-id-added" => ("operation-id", 1),
        "api-operation-id-removed" => ("operation-id", -1),
        "api-operation-id-changed" => ("operation-id", 0),
        "sunset-added" => ("sunset", 1),
        "sunset-removed" => ("sunset", -1),
        "sunset-date-brought-forward" => ("sunset-date", 1),
        "sunset-date-postponed" => ("sunset-date", -1),
        "new-required-request-parameter" | "new-optional-request-parameter" => ("parameter", 1),
        "request-parameter-removed" => ("parameter", -1),
        "request-parameter-became-required" => ("parameter-required", 1),
        "request-parameter-became-optional" => ("parameter-required", -1),
        "request-parameter-type-changed" => ("parameter-type", 0),
        // Widening one way is narrowing (a plain type change) the other way.
        "request-parameter-type-generalized" => return None,
        "request-parameter-pattern-added" => ("parameter-pattern", 1),
        "request-parameter-pattern-removed" => ("parameter-pattern", -1),
        "request-parameter-pattern-changed" => ("parameter-pattern", 0),
        "request-parameter-enum-value-added" => ("parameter-enum", 1),
        "request-parameter-enum-value-removed" => ("parameter-enum", -1),
        "request-parameter-became-enum" => ("parameter-enum-restriction", 1),
        "request-parameter-no-longer-enum" => ("parameter-enum-restriction", -1),
        "request-property-became-enum" => ("request-enum-restriction", 1),
        "request-property-no-longer-enum" => ("request-enum-restriction", -1),
        // A version the client does not use going away is a version arriving the other way round.
        "request-body-media-type-unsent-version-removed" => ("request-media-type", -1),
        "response-media-type-unsent-version-removed" => ("response-media-type", -1),
        "error-response-media-type-changed" => ("error-media-type", 0),
        "request-body-added-required" | "request-body-added-optional" => ("request-body", 1),
        "request-body-removed" => ("request-body", -1),
        "request-body-became-required" => ("request-body-required", 1),
        "request-body-became-optional" => ("request-body-required", -1),
        "request-body-media-type-added" => ("request-media-type", 1),
        "request-body-media-type-removed" => ("request-media-type", -1),
        "request-body-media-type-version-changed" => ("request-media-type", 0),
        "request-body-type-changed" => ("request-body-type", 0),
        "request-body-type-generalized" | "request-property-type-generalized" => return None,
        "new-required-request-property" | "new-optional-request-property" => ("request-property", 1),
        "request-property-removed" => ("request-property", -1),
        "request-property-became-required" => ("request-property-required", 1),
        "request-property-became-optional" => ("request-property-required", -1),
        "request-property-type-changed" => ("request-property-type", 0),
        "request-property-enum-value-added" => ("request-enum", 1),
        "request-property-enum-value-removed" => ("request-enum", -1),
        "request-property-pattern-added" => ("request-pattern", 1),
        "request-property-pattern-removed" => ("request-pattern", -1),
        "request-property-pattern-changed" => ("request-pattern", 0),
        "request-property-one-of-added" => ("request-alternative", 1),
        "request-property-one-of-removed" => ("request-alternative", -1),
        "request-property-any-of-added" => ("request-any-of", 1),
        "request-property-any-of-removed" => ("request-any-of", -1),
        "response-success-status-added" => ("success-status", 1),
        "response-success-status-removed" => ("success-status", -1),
        "response-success-status-changed" => ("success-status", 0),
        "response-non-success-status-added" => ("other-status", 1),
        "response-non-success-status-removed" => ("other-status", -1),
        "response-media-type-added" => ("response-media-type", 1),
        "response-media-type-removed" => ("response-media-type", -1),
        "response-media-type-version-changed" => ("response-media-type", 0),
        "response-body-type-changed" => ("response-body-type", 0),
        "response-optional-property-added" | "response-required-property-added" => ("response-property", 1),
        "response-optional-property-removed" | "response-required-property-removed" => ("response-property", -1),
        "response-property-became-required" => ("response-property-required", 1),
        "response-property-became-optional" => ("response-property-required", -1),
        "response-property-type-changed" => ("response-property-type", 0),
        "response-property-enum-value-added" => ("response-enum", 1),
        "response-property-enum-value-removed" => ("response-enum", -1),
        "response-property-pattern-added" => ("response-pattern", 1),
        "response-property-pattern-removed" => ("response-pattern", -1),
        "response-property-pattern-changed" => ("response-pattern", 0),
        "response-property-one-of-added" => ("response-alternative", 1),
        "response-property-one-of-removed" => ("response-alternative", -1),
        "response-property-any-of-added" => ("response-any-of", 1),
        "response-property-any-of-removed" => ("response-any-of", -1),
        "response-header-added" => ("header", 1),
        "required-response-header-removed" | "optional-response-header-removed" => ("header", -1),
        "response-header-became-required" => ("header-required", 1),
        "response-header-became-optional" => ("header-required", -1),
        "api-security-added" => ("security", 1),
        "api-security-removed" => ("security", -1),
        "api-security-scope-added" => ("security-scope", 1),
        "api-security-scope-removed" => ("security-scope", -1),
        "api-global-security-added" => ("global-security", 1),
        "api-global-security-removed" => ("global-security", -1),
        "api-security-component-added" => ("security-scheme", 1),
        "api-security-component-removed" => ("security-scheme", -1),
        "api-security-component-type-changed" => ("security-scheme", 0),
        "request-property-discriminator-mapping-added" => ("request-mapping", 1),
        "request-property-discriminator-mapping-removed" => ("request-mapping", -1),
        "response-property-discriminator-mapping-added" => ("response-mapping", 1),
        "response-property-discriminator-mapping-removed" => ("response-mapping", -1),
        "request-property-became-nullable" => ("request-nullable", 1),
        "request-property-became-not-nullable" => ("request-nullable", -1),
        "response-property-became-nullable" => ("response-nullable", 1),
        "response-property-became-not-nullable" => ("response-nullable", -1),
        "pinned-version-changed" => ("pin", 0),
        "client-item-added" => ("client-item", 1),
        "client-item-removed" => ("client-item", -1),
        "client-item-changed" => ("client-item", 0),
        _ => return None,
    })
}

/// Constraint rules: tightening one way is loosening the other (`-increased` and `-decreased` of one
/// keyword, `-tightened` and `-loosened`, `-became-unique` and `-became-not-unique`).
fn constraint_polarity(id: &'static str) -> Option<(&'static str, i8)> {
    let place =
        ["request-parameter-", "request-property-", "response-property-"].iter().find(|p| id.starts_with(*p))?;
    let rest = &id[place.len()..];
    let keyword = [
        "min-",
        "max-",
        "multiple-of-",
        "min-length-",
        "max-length-",
        "min-items-",
        "max-items-",
        "min-properties-",
        "max-properties-",
    ]
    .iter()
    .filter(|keyword| rest.starts_with(*keyword))
    .max_by_key(|keyword| keyword.len());
    let (concept_end, sign) = match (keyword, rest) {
        (_, "became-unique") => (place.len(), 1),
        (_, "became-not-unique") => (place.len(), -1),
        (Some(keyword), _) => match &rest[keyword.len()..] {
            "increased" | "tightened" => (place.len() + keyword.len(), 1),
            "decreased" | "loosened" => (place.len() + keyword.len(), -1),
            _ => return None,
        },
        (None, _) => return None,
    };
    // The concept is the place and the keyword (`request-property-min-length`; the place alone for uniqueness).
    Some((&id[..concept_end], sign))
}

fn one_way(id: &'static str) -> bool {
    polarity(id).is_none()
}

/// (concept, sign, method, path) counts for the changes of one direction.
fn signature(changes: &[Change], flip: bool) -> BTreeMap<(String, i8, String, String), usize> {
    let mut counts = BTreeMap::new();
    for change in changes {
        let Some((concept, sign)) = polarity(change.rule.id()) else { continue };
        let sign = if flip { -sign } else { sign };
        let (method, path) = change.operation.as_ref().map(|k| (k.method.clone(), k.path.clone())).unwrap_or_default();
        *counts.entry((concept.to_owned(), sign, method, path)).or_insert(0) += 1;
    }
    counts
}

#[test]
fn diffing_the_other_way_mirrors_the_result() {
    for rule in Rule::ALL {
        // Every rule must be classified, so a new rule can't dodge this test.
        assert!(
            polarity(rule.id()).is_some()
                || matches!(
                    rule.id(),
                    "request-parameter-deprecated"
                        | "request-parameter-type-generalized"
                        | "request-body-type-generalized"
                        | "request-property-type-generalized"
                        // Client findings without a mirror: the other way round they are other findings.
                        // Backwards it is a union narrowed to one of its branches, not a rule of its own.
                        | "response-became-one-of"
                        | "client-item-kept"
                        | "client-sent-version-changed"
                        | "client-newer-version-offered"
                        | "client-generation-failed"
                        | "client-sent-version-removed"
                ),
            "{} has no polarity",
            rule.id()
        );
    }
    for case in case_names() {
        let (base, head) = (parse(&read_input(&case, "base")), parse(&read_input(&case, "head")));
        let forward = diff_documents(&base, &head);
        let backward = diff_documents(&head, &base);
        // A one-way rule in one direction may show up as something else the other way (a new enum is
        // "values removed" backwards), so operations touched by one are left out of the comparison.
        let touched: BTreeSet<_> = forward
            .iter()
            .chain(backward.iter())
            .filter(|change| one_way(change.rule.id()))
            .map(|change| change.operation.clone())
            .collect();
        let keep = |changes: &[Change]| -> Vec<Change> {
            changes.iter().filter(|change| !touched.contains(&change.operation)).cloned().collect()
        };
        assert_eq!(signature(&keep(&forward), false), signature(&keep(&backward), true), "case {case}");
        // Additions located in the head are removals located at the same place in the base, and back.
        for change in keep(&forward).iter().filter(|change| polarity(change.rule.id()).is_some_and(|p| p.1 != 0)) {
            let mirrored = backward.iter().any(|other| {
                other.location.pointer == change.location.pointer
                    && polarity(other.rule.id()).map(|p| (p.0, -p.1)) == polarity(change.rule.id())
            });
            assert!(mirrored, "case {case}: no mirror for {} at {}", change.rule.id(), change.location.pointer);
        }
    }
}

/// Reverses the key order of every object and rewrites every description.
fn shuffle_and_redescribe(value: &Value) -> Value {
    match value {
        Value::Object(object) => {
            let mut entries: Vec<(&String, &Value)> = object.iter().collect();
            entries.reverse();
            Value::Object(
                entries
                    .into_iter()
                    .map(|(key, child)| {
                        let child = match (key.as_str(), child) {
                            ("description", Value::String(text)) => Value::String(format!("Reworded: {text}.")),
                            _ => shuffle_and_redescribe(child),
                        };
                        (key.clone(), child)
                    })
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(shuffle_and_redescribe).collect()),
        other => other.clone(),
    }
}

#[test]
fn reordered_keys_new_descriptions_and_json_are_no_change() {
    for case in case_names() {
        for side in ["base", "head"] {
            let original = parse(&read_input(&case, side));
            let as_json = serde_json::to_string_pretty(&shuffle_and_redescribe(&original.root)).unwrap();
            let rewritten = read_doc(&as_json, "rewritten.json").unwrap();
            let changes = diff_documents(&original, &rewritten);
            assert!(changes.is_empty(), "{case}/{side}: {changes:#?}");
        }
    }
}

#[test]
fn reformatted_yaml_is_no_change() {
    for case in case_names() {
        let original = parse(&read_input(&case, "head"));
        // Block style with other indentation and quoting than the flow-heavy originals.
        let reformatted = serde_yaml::to_string(&original.root).unwrap();
        assert_ne!(reformatted, read_input(&case, "head").text.unwrap());
        let changes = diff_documents(&original, &read_doc(&reformatted, "reformatted.yaml").unwrap());
        assert!(changes.is_empty(), "{case}: {changes:#?}");
    }
}

#[test]
fn a_spec_missing_at_base_is_all_additions() {
    let head = parse(&read_input("operations", "head"));
    let changes = diff_documents(&Document::empty("base"), &head);
    let operations: usize =
        head.root["paths"].as_object().unwrap().values().map(|item| item.as_object().unwrap().len()).sum();
    assert_eq!(changes.len(), operations);
    assert!(changes.iter().all(|change| change.rule == Rule::EndpointAdded));
}

#[test]
fn cyclic_refs_terminate_and_changes_inside_them_are_found() {
    let spec = |extra: &str| {
        format!(
            "openapi: 3.0.1\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json: {{schema: {{$ref: '#/components/schemas/A'}}}}\ncomponents:\n  schemas:\n    A: {{type: object, properties: {{b: {{$ref: '#/components/schemas/B'}}, self: {{$ref: '#/components/schemas/A'}}{extra}}}}}\n    B: {{type: object, properties: {{a: {{$ref: '#/components/schemas/A'}}}}, allOf: [{{$ref: '#/components/schemas/B'}}]}}\n    Loop1: {{$ref: '#/components/schemas/Loop2'}}\n    Loop2: {{$ref: '#/components/schemas/Loop1'}}\n"
        )
    };
    let base = read_doc(&spec(""), "base.yaml").unwrap();
    let head = read_doc(&spec(", extra: {type: string}"), "head.yaml").unwrap();
    let changes = diff_documents(&base, &head);
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0].rule, Rule::ResponseOptionalPropertyAdded);
    assert_eq!(changes[0].location.pointer, "/components/schemas/A/properties/extra");
}

#[test]
fn a_spec_that_does_not_parse_is_a_located_error() {
    let input = Input { name: "broken.yaml".to_owned(), text: Some("openapi: 3.0.1\npaths:\n  /a: [\n".to_owned()) };
    let error = spec_diff::read_input(&input).unwrap_err().to_string();
    assert!(error.starts_with("broken.yaml:4: "), "the error names the file and the line: {error}");
    let input = Input { name: "list.yaml".to_owned(), text: Some("- 1\n- 2\n".to_owned()) };
    let error = spec_diff::read_input(&input).unwrap_err().to_string();
    assert!(error.contains("list.yaml: line 1"), "{error}");
}

const ALLOWLIST: &str = "\
accepted:
  - rule: response-success-status-changed
    operation: createA
    location: /paths/~1a/post/responses/201
    reason: the service always answered 201; the spec was wrong
    expires: 2026-12-31
  - rule: required-response-header-removed
    operation: deleteI
    location: /paths/~1i/delete/responses/204/headers/X-Request-Id
    reason: accepted long ago
    expires: 2026-01-31
  - rule: request-parameter-removed
    operation: nothingLikeThis
    location: /paths/~1nowhere/get/parameters/0
    reason: no longer needed
    expires: 2027-01-01
";

#[test]
fn allowlist_accepts_by_rule_operation_and_location_and_expired_entries_fail() {
    let allowlist = Allowlist::parse(ALLOWLIST, "allowlist.yaml").unwrap();
    let (base, head) = (read_input("responses", "base"), read_input("responses", "head"));
    let options = Options { fail_on: Some(Level::Error), ..spec_only() };
    let report = build_report(&base, &head, allowlist.clone(), Some(today()), &options).unwrap();
    assert_eq!(report.summary().accepted, 1);
    assert_eq!(report.applied.expired, [1]);
    assert_eq!(report.applied.unused, [2]);
    assert!(report.failed());
    expectorate::assert_contents(
        cases_dir().join("responses/expected.md"),
        &spec_diff::report::render_markdown(&report),
    );
    expectorate::assert_contents(cases_dir().join("responses/expected.json"), &spec_diff::report::render_json(&report));

    // Before the second entry expires it accepts its change, and only the other breaking changes fail.
    let earlier = build_report(&base, &head, allowlist, Day::parse("2026-01-31"), &options).unwrap();
    assert_eq!(earlier.summary().accepted, 2);
    assert!(earlier.applied.expired.is_empty());
}

#[test]
fn allowlist_problems_are_reported_with_lines() {
    let text = "accepted:\n  - rule: no-such-rule\n    location: /paths\n    reason: r\n    expires: 2026-02-30\n  - rule: endpoint-added\n";
    let error = Allowlist::parse(text, "allow.yaml").unwrap_err().to_string();
    assert_eq!(
        error,
        "allow.yaml:2: unknown rule id `no-such-rule`\n\
         allow.yaml:2: expires must be a date YYYY-MM-DD, not `2026-02-30`\n\
         allow.yaml:6: an entry needs rule, location, reason and expires"
    );
}

#[test]
fn fail_on_warning_counts_warnings_and_none_counts_nothing() {
    let (base, head) = (read_input("operations", "base"), read_input("operations", "head"));
    let report = |fail_on: Option<Level>| {
        let options = Options { fail_on, ..spec_only() };
        build_report(&base, &head, Allowlist::default(), Some(today()), &options).unwrap()
    };
    let summary = report(None).summary();
    assert_eq!(summary.failing, 0);
    let on_error = report(Some(Level::Error)).summary();
    assert_eq!(on_error.failing, on_error.errors);
    let on_warning = report(Some(Level::Warning)).summary();
    assert_eq!(on_warning.failing, on_warning.errors + on_warning.warnings);
}

#[test]
fn client_api_changes_are_findings_that_fail_the_run() {
    let read = |side: &str| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/client-api/{side}.yaml"));
        Input { name: format!("client-api/{side}.yaml"), text: Some(std::fs::read_to_string(path).unwrap()) }
    };
    let report = build_report(
        &read("base"),
        &read("head"),
        Allowlist::default(),
        Some(today()),
        &with_client(Some(Level::Error)),
    )
    .unwrap();
    let client: Vec<&Change> = report.changes.iter().filter(|change| change.rule.is_client_api()).collect();
    let find = |rule: &str, item: &str| {
        client
            .iter()
            .find(|change| change.rule.id() == rule && change.message.contains(item))
            .unwrap_or_else(|| panic!("no {rule} about {item} in {client:#?}"))
    };
    // The operationId rename renames the method: removing the old one breaks users, the new one does not.
    let removed = find("client-item-removed", "fn Client::remove_project_api_key");
    assert_eq!(removed.level(), Level::Error);
    assert_eq!(removed.operation.as_ref().and_then(|key| key.operation_id.as_deref()), Some("removeProjectApiKey"));
    assert_eq!(find("client-item-added", "fn Client::remove_group_api_key").level(), Level::Info);
    // int32 -> int64 changes a field's type.
    let field = find("client-item-changed", "::cluster_count`");
    assert!(field.message.contains("i32") && field.message.contains("i64"), "{}", field.message);
    assert!(field.location.pointer.starts_with("/components/schemas/"), "{:?}", field.location);
    // A new optional query parameter is a new builder method: compatible.
    assert_eq!(find("client-item-added", "::include_count`").level(), Level::Info);
    // Semver-breaking client changes count for --fail-on.
    let failing: Vec<&str> = (0..report.changes.len())
        .filter(|index| report.is_failing(*index))
        .map(|index| report.changes[index].rule.id())
        .collect();
    assert!(failing.contains(&"client-item-removed") && failing.contains(&"client-item-changed"), "{failing:?}");
    assert!(report.failed());
    let text = spec_diff::report::render_text(&report);
    assert!(text.contains("semver-breaking"), "{text}");
}

#[test]
fn a_side_that_does_not_generate_is_an_error_level_finding() {
    // A `$ref` to nothing: no generator can make a type of it, but the spec diff still runs.
    let spec = |operation_id: &str| Input {
        name: format!("{operation_id}.yaml"),
        text: Some(format!(
            "openapi: 3.0.1\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      operationId: {operation_id}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json: {{schema: {{$ref: '#/components/schemas/Missing'}}}}\n"
        )),
    };
    let report = build_report(
        &spec("getA"),
        &spec("getB"),
        Allowlist::default(),
        Some(today()),
        &with_client(Some(Level::Error)),
    )
    .unwrap();
    let failed: Vec<&Change> =
        report.changes.iter().filter(|change| change.rule == Rule::ClientGenerationFailed).collect();
    assert_eq!(failed.len(), 2, "{:#?}", report.changes);
    assert!(failed[0].message.contains("cannot be generated from the base spec"), "{}", failed[0].message);
    assert!(failed[0].message.contains("Missing"), "the finding names the problem: {}", failed[0].message);
    assert_eq!(failed[0].level(), Level::Error);
    assert!(report.failed(), "an error-level finding fails --fail-on error");
    assert!(report.changes.iter().any(|change| change.rule == Rule::OperationIdChanged));
}

#[test]
fn a_schema_reached_by_exponentially_many_routes_is_compared_once() {
    // S0 reaches S1 by two properties, S1 reaches S2 by two, ...: 2^40 routes to S40.
    let spec = |leaf_extra: &str| {
        let mut text = String::from(
            "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json: {schema: {$ref: '#/components/schemas/S0'}}\ncomponents:\n  schemas:\n",
        );
        for level in 0..40 {
            let next = level + 1;
            text.push_str(&format!(
                "    S{level}: {{type: object, properties: {{left: {{$ref: '#/components/schemas/S{next}'}}, right: {{$ref: '#/components/schemas/S{next}'}}}}}}\n"
            ));
        }
        text.push_str(&format!("    S40: {{type: object, properties: {{id: {{type: string}}{leaf_extra}}}}}\n"));
        text
    };
    let base = read_doc(&spec(""), "base.yaml").unwrap();
    let head = read_doc(&spec(", extra: {type: string}"), "head.yaml").unwrap();
    let started = std::time::Instant::now();
    let changes = diff_documents(&base, &head);
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "took {:?}", started.elapsed());
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0].location.pointer, "/components/schemas/S40/properties/extra");
}

/// `preview` sorts after the dates as text, but a bump pairs the newest dated versions.
#[test]
fn a_version_bump_pairs_dated_versions_before_preview() {
    let spec = |versions: &[&str]| {
        let content: serde_json::Map<String, Value> = versions
            .iter()
            .map(|v| (format!("application/vnd.atlas.{v}+json"), serde_json::json!({"x-xgen-version": v})))
            .collect();
        serde_json::json!({
            "openapi": "3.0.1",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"delete": {"operationId": "deleteA", "responses": {"204": {"description": "ok", "content": content}}}}}
        })
        .to_string()
    };
    let base = read_doc(&spec(&["2023-01-01", "preview"]), "base.json").unwrap();
    let head = read_doc(&spec(&["2024-08-05"]), "head.json").unwrap();
    let messages: Vec<String> =
        diff_documents(&base, &head).iter().map(|c| format!("{} {}", c.rule.id(), c.message)).collect();
    assert!(messages.iter().any(|m| m.contains("2023-01-01 -> 2024-08-05")), "{messages:#?}");
    assert!(
        messages.iter().any(|m| m.starts_with("response-media-type-removed") && m.contains("preview")),
        "{messages:#?}"
    );
}

/// The client case's report with the generated clients compared: its findings are about the client, so the
/// spec-only golden (`expected.txt`) does not show them.
#[test]
fn golden_report_of_the_client_case_with_the_client_api() {
    let (base, head) = (read_input("client", "base"), read_input("client", "head"));
    let report =
        build_report(&base, &head, Allowlist::default(), Some(today()), &with_client(Some(Level::Error))).unwrap();
    let text = spec_diff::report::render_text(&report);
    expectorate::assert_contents(cases_dir().join("client/expected-client.txt"), &text);
    // Both client findings break a program built against the base client, so they fail the run.
    let failing: Vec<&str> = (0..report.changes.len())
        .filter(|index| report.is_failing(*index))
        .map(|index| report.changes[index].rule.id())
        .collect();
    assert_eq!(failing, ["client-sent-version-removed"], "{text}");
}

/// The head regenerated with the base's record: the operationId and the schema renamed upstream keep their
/// Rust names, the removed property and enum value are kept (deprecated), and the newer version is offered,
/// not adopted; so the client of the head breaks nothing the base client had. Adopting it is reported.
#[test]
fn a_regeneration_with_the_record_breaks_nothing_and_says_what_it_kept() {
    let (base, head) = (read_input("client-record", "base"), read_input("client-record", "head"));
    let recorded = base_record(&base);
    let options = Options {
        base_record: Some(recorded.clone()),
        head_record: Some(head_record(&head, &recorded, false)),
        ..with_client(Some(Level::Error))
    };
    let report = build_report(&base, &head, Allowlist::default(), Some(today()), &options).unwrap();
    let text = spec_diff::report::render_text(&report);
    expectorate::assert_contents(cases_dir().join("client-record/expected-record.txt"), &text);
    let client: BTreeSet<(&str, Option<&str>)> = report
        .changes
        .iter()
        .filter(|change| change.rule.is_client_api())
        .map(|change| (change.rule.id(), change.item.as_deref()))
        .collect();
    let expected = BTreeSet::from([
        ("client-newer-version-offered", None),
        ("client-item-kept", Some("field types::Thing::legacy_note")),
        ("client-item-kept", Some("variant types::ThingStatus::Retired")),
    ]);
    assert_eq!(client, expected, "{text}");
    // Without the record the same update removes and renames items.
    let fresh = build_report(&base, &head, Allowlist::default(), Some(today()), &with_client(None)).unwrap();
    let removed = fresh.changes.iter().filter(|change| change.rule.id() == "client-item-removed").count();
    assert!(removed >= 5, "{}", spec_diff::report::render_text(&fresh));
    // Adopting the newer version is a change of what the client sends.
    let adopted = Options { head_record: Some(head_record(&head, &recorded, true)), ..options };
    let report = build_report(&base, &head, Allowlist::default(), Some(today()), &adopted).unwrap();
    assert!(report.changes.iter().any(|change| change.rule.id() == "client-sent-version-changed"));
}

/// Cases with a side that is meant not to generate a client: the operationId rules need operations without
/// an operationId, which no client method can be named after, and the security rules an `apiKey` scheme,
/// which the generator does not support yet.
const NOT_GENERATING: &[&str] = &["operations", "security"];

/// Every other case's specs generate a client at both sides: a case that does not would exercise nothing of
/// the client comparison.
#[test]
fn every_case_generates_a_client_at_both_sides() {
    for case in case_names() {
        let generation_failed: Vec<Change> =
            findings_of(&case).into_iter().filter(|change| change.rule == Rule::ClientGenerationFailed).collect();
        if NOT_GENERATING.contains(&case.as_str()) {
            assert!(!generation_failed.is_empty(), "{case} is listed as not generating, but both sides generate");
        } else {
            assert!(generation_failed.is_empty(), "{case}: {generation_failed:#?}");
        }
    }
}

/// `document` with every `parameters` list (path-level and operation-level) in reverse order, as JSON.
fn with_parameters_reversed(document: &Document) -> Input {
    let mut root = document.root.clone();
    for item in root.get_mut("paths").and_then(Value::as_object_mut).into_iter().flat_map(|paths| paths.values_mut()) {
        let Some(item) = item.as_object_mut() else { continue };
        if let Some(Value::Array(list)) = item.get_mut("parameters") {
            list.reverse();
        }
        for operation in item.values_mut() {
            if let Some(Value::Array(list)) = operation.get_mut("parameters") {
                list.reverse();
            }
        }
    }
    Input { name: format!("{} (parameters reversed)", document.name), text: Some(root.to_string()) }
}

const KEYS_SPEC: &str = "\
openapi: 3.0.1
info: {title: keys, version: '1'}
paths:
  /groups/{groupId}/keys/{keyId}:
    get:
      operationId: getGroupKey
      parameters:
        - {name: groupId, in: path, required: true, schema: {type: string}}
        - {name: keyId, in: path, required: true, schema: {type: string}}
        - {name: role, in: query, required: true, schema: {type: string}}
        - {name: envelope, in: query, required: true, schema: {type: boolean}}
        - {name: pretty, in: query, schema: {type: boolean}}
        - {name: X-Trace, in: header, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json: {schema: {type: object, properties: {id: {type: string}}}}
";

#[test]
fn reversing_an_operations_parameters_is_no_change() {
    let base = Input { name: "keys.yaml".to_owned(), text: Some(KEYS_SPEC.to_owned()) };
    let head = with_parameters_reversed(&parse(&base));
    assert_ne!(
        parse(&base).root["paths"]["/groups/{groupId}/keys/{keyId}"]["get"]["parameters"],
        parse(&head).root["paths"]["/groups/{groupId}/keys/{keyId}"]["get"]["parameters"],
        "the head lists the parameters in another order"
    );
    let report =
        build_report(&base, &head, Allowlist::default(), Some(today()), &with_client(Some(Level::Info))).unwrap();
    assert!(report.changes.is_empty(), "{:#?}", report.changes);
    assert!(!report.failed());
    // The method's arguments: path parameters in the template's order, then the other required ones by
    // place and name, whichever order the spec lists them in.
    for input in [&base, &head] {
        let api =
            codegen::client_api(&parse(input), &codegen::Options::default(), &codegen::Record::default()).unwrap();
        let signature = &api.items["fn Client::get_group_key"].signature;
        let names: Vec<&str> = signature
            .split([',', '('])
            .filter_map(|argument| argument.trim().split_once(':'))
            .map(|(name, _)| name)
            .collect();
        assert_eq!(names, ["group_id", "key_id", "envelope", "role", "x_trace"], "{}: {signature}", input.name);
    }
}

#[test]
fn reversing_every_parameters_list_of_every_case_is_no_change() {
    for case in case_names() {
        for side in ["base", "head"] {
            let original = read_input(&case, side);
            let reversed = with_parameters_reversed(&parse(&original));
            let report =
                build_report(&original, &reversed, Allowlist::default(), Some(today()), &with_client(None)).unwrap();
            // A side that does not generate a client says so whatever the order; nothing else may show.
            let changes: Vec<&Change> = report
                .changes
                .iter()
                .filter(|change| {
                    !(NOT_GENERATING.contains(&case.as_str()) && change.rule == Rule::ClientGenerationFailed)
                })
                .collect();
            assert!(changes.is_empty(), "{case}/{side}: {changes:#?}");
        }
    }
}

/// The `responses` case with the generated clients left out, failing on errors, with `allowlist` applied.
fn responses_report(allowlist: &str, today: Option<Day>) -> spec_diff::report::Report {
    let allowlist = Allowlist::parse(allowlist, "allowlist.yaml").unwrap();
    let (base, head) = (read_input("responses", "base"), read_input("responses", "head"));
    let options = Options { fail_on: Some(Level::Error), ..spec_only() };
    build_report(&base, &head, allowlist, today, &options).unwrap()
}

/// The operationIds of the changes an allow-list entry accepts.
fn accepted_operations(report: &spec_diff::report::Report, entry: usize) -> Vec<&str> {
    (0..report.changes.len())
        .filter(|index| report.applied.accepted_by[*index] == Some(entry))
        .map(|index| {
            report.changes[index].operation.as_ref().and_then(|key| key.operation_id.as_deref()).unwrap_or("-")
        })
        .collect()
}

/// The removed required property `orgId` of the shared `Group` schema: getGroup returns a Group,
/// listGroups a list of them, so the one change is a finding of each.
const ORG_ID_REMOVED: &str = concat!(
    "  - rule: response-required-property-removed\n",
    "    location: /components/schemas/Group/properties/orgId\n",
    "    reason: orgId was never filled in\n",
);

#[test]
fn an_entry_without_an_operation_accepts_the_change_in_every_operation_reaching_it() {
    let report = responses_report(&format!("accepted:\n{ORG_ID_REMOVED}    expires: 2026-12-31\n"), Some(today()));
    assert_eq!(accepted_operations(&report, 0), ["getGroup", "listGroups"]);
    assert_eq!(report.summary().accepted, 2);
    assert!(report.applied.unused.is_empty() && report.applied.expired.is_empty());
    // Neither is failing any more; the case's other breaking changes still are.
    let failing_org_id = (0..report.changes.len())
        .filter(|index| report.is_failing(*index))
        .any(|index| report.changes[index].location.pointer.ends_with("/orgId"));
    assert!(!failing_org_id);
    assert_eq!(report.summary().failing, report.summary().errors - 2);
}

#[test]
fn an_entry_with_an_operation_accepts_the_change_in_that_operation_only() {
    let text = format!("accepted:\n{ORG_ID_REMOVED}    operation: getGroup\n    expires: 2026-12-31\n");
    let report = responses_report(&text, Some(today()));
    assert_eq!(accepted_operations(&report, 0), ["getGroup"]);
    let in_list_groups = report
        .changes
        .iter()
        .position(|change| {
            change.rule == Rule::ResponseRequiredPropertyRemoved
                && change.operation.as_ref().and_then(|key| key.operation_id.as_deref()) == Some("listGroups")
        })
        .expect("the change is a finding of listGroups too");
    assert!(report.is_failing(in_list_groups), "listGroups' finding is not accepted");
    assert!(report.applied.unused.is_empty());
}

#[test]
fn an_unused_entry_fails_the_run_even_when_no_change_does() {
    let allowlist = Allowlist::parse(
        "accepted:\n  - rule: request-parameter-removed\n    location: /paths/~1nowhere/get/parameters/0\n    reason: gone\n    expires: 2026-12-31\n",
        "allowlist.yaml",
    )
    .unwrap();
    // The document case has one warning and nothing breaking: alone, it passes --fail-on error.
    let (base, head) = (read_input("document", "base"), read_input("document", "head"));
    let options = with_client(Some(Level::Error));
    let clean = build_report(&base, &head, Allowlist::default(), Some(today()), &options).unwrap();
    assert!(!clean.failed());
    let report = build_report(&base, &head, allowlist, Some(today()), &options).unwrap();
    assert_eq!(report.summary().failing, 0);
    assert_eq!(report.applied.unused, [0]);
    assert!(report.applied.expired.is_empty());
    assert!(report.failed());
    assert!(report.summary_sentence().contains("1 unused allow-list entries"), "{}", report.summary_sentence());
}

#[test]
fn an_unreadable_clock_expires_every_entry_and_accepts_nothing() {
    let text = format!(
        "accepted:\n{ORG_ID_REMOVED}    expires: 2099-12-31\n  - rule: endpoint-added\n    location: /nowhere\n    reason: r\n    expires: 2099-12-31\n"
    );
    let report = responses_report(&text, None);
    assert!(report.applied.clock_failed);
    assert_eq!(report.applied.expired, [0, 1]);
    assert!(report.applied.accepted_by.iter().all(Option::is_none));
    assert_eq!(report.summary().accepted, 0);
    assert!(report.failed());
    assert!(report.summary_sentence().contains("the clock cannot be read"), "{}", report.summary_sentence());
    // Even a run with nothing failing fails: no entry can be trusted.
    let allowlist = Allowlist::parse(&text, "allowlist.yaml").unwrap();
    let (base, head) = (read_input("document", "base"), read_input("document", "head"));
    let quiet = build_report(&base, &head, allowlist, None, &spec_only()).unwrap();
    assert_eq!(quiet.summary().failing, 0);
    assert!(quiet.failed());
}

#[test]
fn an_entry_holds_through_its_expiry_day_and_fails_after_it() {
    let text = format!("accepted:\n{ORG_ID_REMOVED}    expires: 2026-08-21\n");
    let on_the_day = responses_report(&text, Some(today()));
    assert_eq!(on_the_day.summary().accepted, 2);
    assert!(on_the_day.applied.expired.is_empty());
    let day_after = responses_report(&text, Day::parse("2026-08-22"));
    assert_eq!(day_after.applied.expired, [0]);
    assert_eq!(day_after.summary().accepted, 0, "an expired entry accepts nothing");
    assert!(day_after.applied.unused.is_empty(), "an expired entry is reported as expired, not unused");
    assert!(day_after.failed());
    // An expired entry fails the run even when nothing else does.
    let quiet = Options { fail_on: None, ..spec_only() };
    let (base, head) = (read_input("responses", "base"), read_input("responses", "head"));
    let allowlist = Allowlist::parse(&text, "allowlist.yaml").unwrap();
    let report = build_report(&base, &head, allowlist, Day::parse("2026-08-22"), &quiet).unwrap();
    assert_eq!(report.summary().failing, 0);
    assert!(report.failed());
}

/// Every field of a type is located at the type's schema; each is still its own finding.
#[test]
fn client_findings_at_one_schema_are_kept_apart_by_item() {
    let spec = |extra: &str| Input {
        name: "fields.yaml".to_owned(),
        text: Some(format!(
            "openapi: 3.0.1\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json: {{schema: {{$ref: '#/components/schemas/A'}}}}\ncomponents:\n  schemas:\n    A: {{type: object, properties: {{id: {{type: string}}{extra}}}}}\n"
        )),
    };
    let report = build_report(
        &spec(""),
        &spec(", one: {type: string}, two: {type: integer}"),
        Allowlist::default(),
        Some(today()),
        &with_client(None),
    )
    .unwrap();
    let added: Vec<&str> = report
        .changes
        .iter()
        .filter(|change| change.rule == Rule::ClientItemAdded)
        .map(|change| change.message.as_str())
        .collect();
    assert_eq!(added.len(), 2, "{added:#?}");
    assert!(
        added.iter().any(|m| m.contains("field types::A::one"))
            && added.iter().any(|m| m.contains("field types::A::two"))
    );
}

/// The `Accept` the base client sends is chosen from its success answers; an error answer that still
/// lists the old version does not keep the request from being refused.
#[test]
fn a_sent_version_left_only_on_an_error_answer_is_still_removed() {
    let spec = |success: &str| Input {
        name: "versions.yaml".to_owned(),
        text: Some(format!(
            "openapi: 3.0.1\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          content:\n            application/vnd.atlas.{success}+json: {{schema: {{type: string}}}}\n        '404':\n          description: gone\n          content:\n            application/vnd.atlas.2023-01-01+json: {{schema: {{type: string}}}}\n"
        )),
    };
    let report =
        build_report(&spec("2023-01-01"), &spec("2024-08-05"), Allowlist::default(), Some(today()), &with_client(None))
            .unwrap();
    let removed: Vec<&Change> =
        report.changes.iter().filter(|change| change.rule == Rule::ClientSentVersionRemoved).collect();
    assert_eq!(removed.len(), 1, "{:#?}", report.changes);
    assert!(removed[0].message.contains("Accept: application/vnd.atlas.2023-01-01+json"), "{}", removed[0].message);
}

/// A `$ref` into part of a component changes when that component does, also when only an operation uses it.
#[test]
fn a_ref_into_part_of_a_component_is_followed() {
    let spec = |kind: &str| {
        format!(
            "openapi: 3.0.1\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json: {{schema: {{$ref: '#/components/schemas/Holder/properties/x'}}}}\ncomponents:\n  schemas:\n    Holder: {{type: object, properties: {{x: {{type: object, properties: {{name: {{type: {kind}}}}}}}}}}}\n"
        )
    };
    let base = read_doc(&spec("string"), "base.yaml").unwrap();
    let head = read_doc(&spec("integer"), "head.yaml").unwrap();
    let changes = diff_documents(&base, &head);
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0].rule, Rule::ResponsePropertyTypeChanged);
    assert!(diff_documents(&base, &base).is_empty());
}

#[test]
fn allowlist_keys_it_does_not_know_are_errors() {
    let misspelt = "accepted:\n  - rule: endpoint-added\n    operationId: getA\n    location: /paths\n    reason: r\n    expires: 2027-01-01\n";
    let error = Allowlist::parse(misspelt, "allow.yaml").unwrap_err().to_string();
    assert!(error.contains("allow.yaml:2: unknown key `operationId`"), "{error}");
    let error = Allowlist::parse("acepted: []\n", "allow.yaml").unwrap_err().to_string();
    assert!(error.contains("allow.yaml:1: unknown key `acepted`"), "{error}");
    let error = Allowlist::parse("- rule: endpoint-added\n", "allow.yaml").unwrap_err().to_string();
    assert!(error.contains("must be a mapping"), "{error}");
}

/// Two fields added to one type: an entry naming one item accepts that finding only; client entries are
/// not "unused" in a run that did not compare the clients.
#[test]
fn client_allowlist_entries_name_one_item() {
    let spec = |extra: &str| Input {
        name: "fields.yaml".to_owned(),
        text: Some(format!(
            "openapi: 3.0.1\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json: {{schema: {{$ref: '#/components/schemas/A'}}}}\ncomponents:\n  schemas:\n    A: {{type: object, properties: {{id: {{type: string}}{extra}}}}}\n"
        )),
    };
    let list = "accepted:\n  - rule: client-item-removed\n    location: /components/schemas/A\n    item: field types::A::one\n    reason: r\n    expires: 2027-01-01\n";
    let allowlist = Allowlist::parse(list, "allow.yaml").unwrap();
    let (base, head) = (spec(", one: {type: string}, two: {type: integer}"), spec(""));
    let report =
        build_report(&base, &head, allowlist.clone(), Some(today()), &with_client(Some(Level::Error))).unwrap();
    let removed: Vec<(bool, &str)> = (0..report.changes.len())
        .filter(|index| report.changes[*index].rule == Rule::ClientItemRemoved)
        .map(|index| (report.accepted_by(index).is_some(), report.changes[index].item.as_deref().unwrap_or_default()))
        .collect();
    assert_eq!(removed, [(true, "field types::A::one"), (false, "field types::A::two")]);
    assert!(report.failed());
    let spec_only_report = build_report(&base, &head, allowlist, Some(today()), &spec_only()).unwrap();
    assert!(spec_only_report.applied.unused.is_empty(), "a client entry is not unused when clients were not compared");
}

#[test]
fn a_sent_version_behind_a_ref_and_a_rename_is_found_under_the_heads_name() {
    let spec = |id: &str, version: &str| Input {
        name: "versions.yaml".to_owned(),
        text: Some(format!(
            "openapi: 3.0.1\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      operationId: {id}\n      responses:\n        '200': {{$ref: '#/components/responses/ok'}}\ncomponents:\n  responses:\n    ok:\n      description: ok\n      content:\n        application/vnd.atlas.{version}+json: {{schema: {{type: string}}}}\n"
        )),
    };
    let report = build_report(
        &spec("getA", "2023-01-01"),
        &spec("getAlpha", "2024-08-05"),
        Allowlist::default(),
        Some(today()),
        &with_client(None),
    )
    .unwrap();
    let removed: Vec<&Change> =
        report.changes.iter().filter(|change| change.rule == Rule::ClientSentVersionRemoved).collect();
    assert_eq!(removed.len(), 1, "{:#?}", report.changes);
    assert_eq!(removed[0].operation.as_ref().and_then(|key| key.operation_id.as_deref()), Some("getAlpha"));
}

#[test]
fn a_generation_failure_counts_the_other_problems_exactly() {
    let one = Input {
        name: "one.yaml".to_owned(),
        text: Some("openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json: {schema: {$ref: '#/components/schemas/Missing'}}\n".to_owned()),
    };
    let report = build_report(&one, &one, Allowlist::default(), Some(today()), &with_client(None)).unwrap();
    let failed = report.changes.iter().find(|change| change.rule == Rule::ClientGenerationFailed).unwrap();
    assert!(!failed.message.contains("more)"), "one problem has no others: {}", failed.message);
}

/// Which version the base client sends follows the generator's policy, pin included: with
/// `x-pinned-version: 2023-06-01` it sends 2023-01-01, so removing that version breaks it even though a newer
/// one stays; without the pin it sends 2024-08-05 and the same removal costs it nothing.
#[test]
fn an_unsent_version_is_the_one_the_pinned_client_does_not_send() {
    let spec = |pin: &str, versions: &[&str]| {
        let content: String = versions
            .iter()
            .map(|version| format!("            application/vnd.atlas.{version}+json: {{schema: {{type: string}}}}\n"))
            .collect();
        format!(
            "openapi: 3.0.1\ninfo: {{title: t, version: '1'}}\n{pin}paths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          content:\n{content}"
        )
    };
    let rules = |pin: &str| -> Vec<&'static str> {
        let base = read_doc(&spec(pin, &["2023-01-01", "2024-08-05"]), "base.yaml").unwrap();
        let head = read_doc(&spec(pin, &["2024-08-05"]), "head.yaml").unwrap();
        diff_documents(&base, &head).iter().map(|change| change.rule.id()).collect()
    };
    assert_eq!(rules(""), ["response-media-type-unsent-version-removed"]);
    assert_eq!(rules("x-pinned-version: '2023-06-01'\n"), ["response-media-type-removed"]);
}

/// Malformed unions and constraints (a `oneOf` that is no list, a mapping to nothing or to a number, bounds
/// that are strings, a negative length, a zero `multipleOf`) are read as saying nothing: no panic, and a
/// real change next to them is still found.
#[test]
fn malformed_unions_and_constraints_are_skipped_not_fatal() {
    // Every malformed value differs between the sides, so each is read, not skipped as unchanged.
    let spec = |n: u32, extra: &str| {
        format!(
            "openapi: 3.0.1\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    post:\n      operationId: postA\n      requestBody:\n        content:\n          application/json: {{schema: {{$ref: '#/components/schemas/A'}}}}\n      responses: {{'204': {{description: ok}}}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        odd: {{oneOf: {n}, anyOf: [{n}, {{$ref: '#/nowhere{n}'}}], discriminator: {{propertyName: k, mapping: {{a: {n}, b: '#/nowhere{n}', c: 'http://x/{n}'}}}}}}\n        bounds: {{type: integer, minimum: low{n}, maximum: [{n}], multipleOf: 0, exclusiveMinimum: 'yes{n}'}}\n        text: {{type: string, minLength: -{n}, maxLength: {n}.5, uniqueItems: {n}, minProperties: [{n}]}}\n{extra}"
        )
    };
    let base = read_doc(&spec(1, ""), "base.yaml").unwrap();
    let head = read_doc(&spec(2, "        name: {type: string, maxLength: 3}\n"), "head.yaml").unwrap();
    let changes = diff_documents(&base, &head);
    let rules: Vec<&str> = changes.iter().map(|change| change.rule.id()).collect();
    assert_eq!(rules, ["new-optional-request-property"], "{changes:#?}");
    let rules: Vec<&str> = diff_documents(&head, &base).iter().map(|change| change.rule.id()).collect();
    assert_eq!(rules, ["request-property-removed"]);
}
