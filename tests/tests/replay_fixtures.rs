//! Every fixture, through the generated client: the request it sends must be the recorded one, and the typed
//! outcome must be the one the fixture's `expect` states. Failures are collected across all fixtures and
//! reported together, and the run fails if any fixture file was not exercised.

use std::collections::BTreeSet;

use atlas_admin_tests::replay::{
    Exchange, Fixture, ReplayServer, check_outcome, client_for, fixtures_dir, load_all, run_call,
};

/// Runs one fixture (after the fixtures it names in `preceded_by`) and returns what went wrong.
async fn exercise(fixture: &Fixture, all: &[Fixture]) -> Vec<String> {
    let mut script = Vec::new();
    for name in &fixture.preceded_by {
        match all.iter().find(|f| &f.name == name) {
            Some(before) => script.push(Exchange::from(before)),
            None => return vec![format!("preceded_by names {name}, which is not a fixture")],
        }
    }
    script.push(Exchange::from(fixture));
    let server = match ReplayServer::start(script).await {
        Ok(server) => server,
        Err(e) => return vec![format!("the replay server could not start: {e}")],
    };
    let client = client_for(fixture, &server.base_url());
    let outcome = run_call(fixture, &client).await;
    let mut problems = check_outcome(fixture, &outcome);
    if let Err(report) = server.verify() {
        problems.push(report);
    }
    problems
}

#[tokio::test]
async fn every_fixture_gives_the_outcome_it_records() {
    let fixtures = load_all().unwrap_or_else(|e| panic!("{e}"));
    let mut failures = Vec::new();
    let mut exercised = BTreeSet::new();
    for fixture in &fixtures {
        let problems = exercise(fixture, &fixtures).await;
        if problems.is_empty() {
            exercised.insert(fixture.name.clone());
        } else {
            failures.push(format!("{}:\n    {}", fixture.name, problems.join("\n    ")));
        }
    }
    assert!(failures.is_empty(), "{} of {} fixtures failed:\n{}", failures.len(), fixtures.len(), failures.join("\n"));

    // Independently of the loader: every file in the folder must have been run through the client.
    let on_disk: BTreeSet<String> = std::fs::read_dir(fixtures_dir())
        .expect("the fixtures folder is readable")
        .map(|entry| entry.expect("a readable entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name != "README.md")
        .collect();
    let run: BTreeSet<String> = exercised.iter().map(|name| format!("{name}.json")).collect();
    let missed: Vec<&String> = on_disk.difference(&run).collect();
    assert!(missed.is_empty(), "fixture files not exercised: {missed:?}");
    assert!(run.len() >= 30, "only {} fixtures ran", run.len());
}

#[tokio::test]
async fn a_fixture_the_client_does_not_match_fails_with_what_differed() {
    // Guard against a loop that passes vacuously: the same fixture with a different expected path must fail.
    let fixtures = load_all().unwrap_or_else(|e| panic!("{e}"));
    let mut fixture = fixtures.iter().find(|f| f.name == "org_delete_204").expect("org_delete_204 exists").clone();
    fixture.request.path = fixture.request.path.replace("/orgs/", "/groups/");
    let problems = exercise(&fixture, &fixtures).await;
    let all = problems.join("\n");
    assert!(all.contains("path: expected /api/atlas/v2/groups/"), "{all}");
    assert!(all.contains("expected a `ok` outcome, got Err"), "{all}");
}

#[tokio::test]
async fn a_fixture_whose_expectation_is_wrong_fails() {
    let fixtures = load_all().unwrap_or_else(|e| panic!("{e}"));
    let fixture = fixtures.iter().find(|f| f.name == "group_unassign_404_group_not_found").expect("fixture exists");
    let mut wrong = fixture.clone();
    let text = r#"{"kind": "api", "status": 404, "error_code": "ORG_NOT_FOUND", "already_gone": true}"#;
    wrong.expect = serde_json::from_str(text).expect("a valid expectation");
    let problems = exercise(&wrong, &fixtures).await;
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(problems[0].starts_with("body.error_code: expected Some(\"ORG_NOT_FOUND\")"), "{problems:#?}");
    assert!(problems[1].starts_with("error_code(): expected Some(\"ORG_NOT_FOUND\")"), "{problems:#?}");
    assert!(problems[2].starts_with("is_already_gone(): expected true"), "{problems:#?}");
}
