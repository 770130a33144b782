//! The fixtures cover every operation with every documented status, the envelope and pretty variants, and
//! the bad answers a client meets in practice. Run with `--nocapture` to see the table.

use std::collections::{BTreeMap, BTreeSet};

use atlas_admin_tests::replay::{Expectation, Fixture, Operation, load_all};

fn fixtures() -> Vec<Fixture> {
    load_all().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_documented_status_of_every_operation_has_a_fixture_decoded_as_documented() {
    let fixtures = fixtures();
    // (operation, status the caller sees) -> fixture names, for answers the client decodes as documented.
    let mut table: BTreeMap<(Operation, u16), Vec<&str>> = BTreeMap::new();
    for fixture in &fixtures {
        if !matches!(fixture.expect, Expectation::Unexpected { .. }) {
            table.entry((fixture.call.operation, fixture.expect.status())).or_default().push(&fixture.name);
        }
    }
    let mut missing = Vec::new();
    for operation in Operation::ALL {
        for status in operation.documented_statuses() {
            match table.get(&(operation, *status)) {
                Some(names) => println!("{operation:<18} {status}  {}", names.join(", ")),
                None => missing.push(format!("{operation} {status}")),
            }
        }
    }
    assert!(missing.is_empty(), "no fixture for: {missing:?}");
    // The converse: a decoded outcome with a status the operation does not document would mean the fixture
    // or the client is wrong.
    for ((operation, status), names) in &table {
        assert!(operation.documented_statuses().contains(status), "{operation} does not document {status}: {names:?}");
    }
}

#[test]
fn every_operation_has_envelope_and_pretty_fixtures() {
    let fixtures = fixtures();
    for operation in Operation::ALL {
        let of =
            |pick: fn(&Fixture) -> bool| fixtures.iter().filter(|f| f.call.operation == operation && pick(f)).count();
        assert!(of(|f| f.call.envelope == Some(true)) > 0, "{operation} has no envelope=true fixture");
        assert!(of(|f| f.call.pretty == Some(true)) > 0, "{operation} has no pretty=true fixture");
    }
    // An envelope around success and around an error, at least once each.
    let enveloped: BTreeSet<&str> =
        fixtures.iter().filter(|f| f.call.envelope == Some(true)).map(|f| f.expect.kind()).collect();
    assert!(enveloped.contains("ok") && enveloped.contains("api"), "{enveloped:?}");
}

#[test]
fn the_bad_answers_are_there() {
    let fixtures = fixtures();
    let unexpected: Vec<&Fixture> =
        fixtures.iter().filter(|f| matches!(f.expect, Expectation::Unexpected { .. })).collect();
    let content_type = |f: &Fixture| f.response.header("content-type").unwrap_or_default().to_owned();
    assert!(
        unexpected.iter().any(|f| content_type(f).starts_with("text/html") && f.response.status == 502),
        "an HTML 502 from a proxy"
    );
    assert!(
        unexpected.iter().any(|f| content_type(f) == "application/json"
            && serde_json::from_str::<serde_json::Value>(&f.response.body).is_err()),
        "truncated JSON"
    );
    assert!(
        unexpected.iter().any(|f| content_type(f).starts_with("text/plain")
            && serde_json::from_str::<serde_json::Value>(&f.response.body).is_ok()),
        "JSON under a wrong content type"
    );
}

#[test]
fn the_live_shapes_are_there() {
    let fixtures = fixtures();
    let find = |name: &str| fixtures.iter().find(|f| f.name == name).unwrap_or_else(|| panic!("{name} is missing"));
    let no_content = find("org_delete_204");
    assert_eq!(no_content.response.header("content-type"), Some("application/vnd.atlas.2023-01-01+json;charset=utf-8"));
    assert_eq!(no_content.response.body, "");
    assert_eq!(find("group_unassign_204").response.header("ratelimit-limit"), Some("1200"));
    assert_eq!(no_content.response.header("ratelimit-limit"), Some("500"));
    // The live GROUP_NOT_FOUND answer (shared/recorded): that body, no RateLimit headers, Vary.
    let not_found = find("group_unassign_404_group_not_found");
    assert_eq!(
        not_found.response.body,
        r#"{"detail":"No group with ID 5953c5f380eef53887615f9a exists.","error":404,"errorCode":"GROUP_NOT_FOUND","parameters":["5953c5f380eef53887615f9a"],"reason":"Not Found"}"#
    );
    assert_eq!(not_found.response.header("ratelimit-limit"), None);
    assert_eq!(not_found.response.header("ratelimit-remaining"), None);
    assert_eq!(not_found.response.header("vary"), Some("Accept-Encoding"));
    // The live 401 challenge, as all ten recorded 401s: no X-Error-Code, Vary: Accept-Encoding.
    for name in ["org_delete_401_digest_challenge", "user_key_delete_401_digest_challenge"] {
        let fixture = find(name);
        let challenge = fixture.response.header("www-authenticate").expect("a challenge");
        assert!(challenge.starts_with(r#"Digest realm="MMS Public API", domain="", nonce=""#), "{challenge}");
        assert!(challenge.ends_with(r#"", algorithm=MD5, qop="auth", stale=false"#), "{challenge}");
        assert_eq!(fixture.response.header("x-error-code"), None, "{name}");
        assert_eq!(fixture.response.header("vary"), Some("Accept-Encoding"), "{name}");
    }
    // Every error answer of the service itself (not a proxy, not an envelope, not a digest challenge)
    // carries X-Error-Code; none but a 429 carries RateLimit headers.
    let errors: Vec<&Fixture> = fixtures
        .iter()
        .filter(|f| f.response.status >= 400 && f.response.header("server") == Some("mdbws"))
        .filter(|f| f.response.header("www-authenticate").is_none())
        .collect();
    assert!(errors.len() >= 10, "{} service errors", errors.len());
    for fixture in &errors {
        let is_json = fixture.response.header("content-type").is_some_and(|t| t.starts_with("application/json"));
        if is_json && serde_json::from_str::<serde_json::Value>(&fixture.response.body).is_ok() {
            assert!(fixture.response.header("x-error-code").is_some(), "{} has no X-Error-Code", fixture.name);
        }
        if fixture.response.status != 429 {
            assert_eq!(fixture.response.header("ratelimit-limit"), None, "{}", fixture.name);
        }
    }
    // Live successes carry more than the documented headers; the fixtures do too.
    for fixture in fixtures.iter().filter(|f| f.response.status == 204 && f.response.header("server") == Some("mdbws"))
    {
        for header in ["x-frame-options", "x-java-method", "x-permitted-cross-domain-policies"] {
            assert!(fixture.response.header(header).is_some(), "{} lacks {header}", fixture.name);
        }
    }
}

/// Answers copied from the live service's recordings, for every shipped operation that has one, plus the
/// live shapes the recordings show: deprecated versions' headers, a null `parameters`.
#[test]
fn recorded_answers_and_their_shapes_are_there() {
    let fixtures = fixtures();
    let recorded: BTreeSet<(Operation, &str)> = fixtures
        .iter()
        .filter(|f| f.description.starts_with("Recorded from the live service"))
        .map(|f| (f.call.operation, f.name.as_str()))
        .collect();
    assert_eq!(recorded.iter().filter(|(op, _)| *op == Operation::DeleteOrgApiKey).count(), 3, "{recorded:?}");
    assert_eq!(recorded.iter().filter(|(op, _)| *op == Operation::RemoveGroupApiKey).count(), 1, "{recorded:?}");
    let find = |name: &str| fixtures.iter().find(|f| f.name == name).unwrap_or_else(|| panic!("{name} is missing"));
    let deprecated = find("group_unassign_204_deprecated_version");
    assert!(deprecated.response.header("deprecation").is_some() && deprecated.response.header("sunset").is_some());
    assert!(find("group_unassign_404_parameters_null").response.body.contains(r#""parameters":null"#));
}

/// The coverage lists above are only as good as their source: they must be exactly what the committed spec
/// documents, so a status the spec adds (or drops) makes this fail until a fixture follows.
#[test]
fn the_documented_statuses_are_the_specs() {
    let spec_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/atlas-admin.yaml");
    let text = std::fs::read_to_string(spec_path).expect("spec/atlas-admin.yaml");
    let spec: serde_json::Value = serde_yaml::from_str(&text).expect("the spec parses");
    let mut documented: BTreeMap<String, BTreeSet<u16>> = BTreeMap::new();
    for item in spec["paths"].as_object().expect("paths").values() {
        for operation in item.as_object().expect("path item").values() {
            let Some(id) = operation.get("operationId").and_then(|v| v.as_str()) else { continue };
            let statuses = operation["responses"].as_object().expect("responses").keys();
            documented.insert(id.to_owned(), statuses.map(|s| s.parse().expect("numeric status")).collect());
        }
    }
    let listed: BTreeMap<String, BTreeSet<u16>> = Operation::ALL
        .into_iter()
        .map(|op| (op.operation_id().to_owned(), op.documented_statuses().iter().copied().collect()))
        .collect();
    assert_eq!(listed, documented);
}
