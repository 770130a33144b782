//! The replay server itself, driven by a plain HTTP client: it answers what the fixture recorded, records what
//! it received, and turns every mismatch into a failure that says what differed.

use atlas_admin_tests::replay::{Exchange, Fixture, MISMATCH_STATUS, ReplayServer, load_all, load_fixture};

fn fixture(name: &str) -> Fixture {
    load_fixture(name).unwrap_or_else(|e| panic!("{e}"))
}

fn http() -> reqwest::Client {
    atlas_admin_tests::http::plain_client()
}

async fn send(server: &ReplayServer, path_and_query: &str, accept: &str) -> reqwest::Response {
    http()
        .delete(format!("{}{path_and_query}", server.base_url()))
        .header("Accept", accept)
        .send()
        .await
        .expect("the replay server answers")
}

const V2: &str = "application/vnd.atlas.2023-01-01+json";

#[tokio::test]
async fn a_matching_request_gets_the_recorded_answer_byte_for_byte() {
    let fixture = fixture("group_unassign_404_group_not_found");
    let server = ReplayServer::serve(&fixture).await;
    let response = send(&server, &fixture.request.path, V2).await;
    assert_eq!(response.status().as_u16(), 404);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(response.headers()["x-error-code"], "GROUP_NOT_FOUND");
    assert_eq!(response.headers()["vary"], "Accept-Encoding");
    assert_eq!(response.headers()["x-java-method"], "ApiProjectApiUsersResource::removeApiUserFromGroup");
    assert_eq!(
        response.text().await.unwrap(),
        r#"{"detail":"No group with ID 5953c5f380eef53887615f9a exists.","error":404,"errorCode":"GROUP_NOT_FOUND","parameters":["5953c5f380eef53887615f9a"],"reason":"Not Found"}"#
    );
    let requests = server.assert_done();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "DELETE");
    assert_eq!(requests[0].header("accept"), Some(V2));
}

#[tokio::test]
async fn a_204_keeps_its_content_type_and_sends_no_body() {
    let fixture = fixture("org_delete_204");
    let server = ReplayServer::serve(&fixture).await;
    let response = send(&server, &fixture.request.path, V2).await;
    assert_eq!(response.status().as_u16(), 204);
    assert_eq!(response.headers()["content-type"], "application/vnd.atlas.2023-01-01+json;charset=utf-8");
    assert!(response.headers().get("content-length").is_none_or(|v| v == "0"));
    assert_eq!(response.bytes().await.unwrap().len(), 0);
    server.assert_done();
}

#[tokio::test]
async fn the_query_is_compared_as_a_set() {
    let fixture = fixture("org_delete_envelope_pretty_204");
    let server = ReplayServer::serve(&fixture).await;
    let response = send(&server, &format!("{}?pretty=true&envelope=true", fixture.request.path), V2).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.text().await.unwrap(), "{\n  \"status\" : 204\n}");
    let requests = server.assert_done();
    assert_eq!(
        requests[0].query,
        vec![("pretty".to_owned(), "true".to_owned()), ("envelope".to_owned(), "true".to_owned())]
    );
}

#[tokio::test]
async fn a_mismatch_is_answered_599_and_reported_with_what_differed() {
    let fixture = fixture("org_delete_204");
    let server = ReplayServer::serve(&fixture).await;
    let response = send(&server, "/api/atlas/v2/orgs/62b6e34b3ecb4a6e3ac4b8b1/apiKeys/0?pretty=false", "*/*").await;
    assert_eq!(response.status().as_u16(), MISMATCH_STATUS);
    let description = response.text().await.unwrap();
    assert!(description.contains("does not match org_delete_204"), "{description}");
    assert!(description.contains("path: expected /api/atlas/v2/orgs/"), "{description}");
    assert!(description.contains("query: expected the pairs []"), "{description}");
    assert!(description.contains("header Accept: expected"), "{description}");
    let report = server.verify().unwrap_err();
    assert!(report.contains(&description), "the report repeats the description:\n{report}");
}

#[tokio::test]
async fn a_request_beyond_the_script_is_a_failure() {
    let fixture = fixture("org_delete_204");
    let server = ReplayServer::serve(&fixture).await;
    assert_eq!(send(&server, &fixture.request.path, V2).await.status().as_u16(), 204);
    let second = send(&server, &fixture.request.path, V2).await;
    assert_eq!(second.status().as_u16(), MISMATCH_STATUS);
    let report = server.verify().unwrap_err();
    assert!(report.contains("request #2 DELETE"), "{report}");
    assert!(report.contains("the script has only 1 exchange(s)"), "{report}");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn an_exchange_never_requested_is_a_failure() {
    let first = fixture("org_delete_500_unexpected_error");
    let second = fixture("org_delete_204");
    let server = ReplayServer::serve_fixtures(&[&first, &second]).await.expect("the replay server starts");
    assert_eq!(send(&server, &first.request.path, V2).await.status().as_u16(), 500);
    let report = server.verify().unwrap_err();
    assert!(report.contains("only 1 of 2 scripted request(s) came"), "{report}");
    assert!(report.contains("org_delete_204"), "{report}");
}

#[tokio::test]
async fn the_server_listens_on_loopback_only() {
    let server = ReplayServer::start(Vec::<Exchange>::new()).await.expect("the replay server starts");
    assert!(server.address().ip().is_loopback(), "{}", server.address());
    assert_ne!(server.address().port(), 0);
    assert!(server.base_url().starts_with("http://127.0.0.1:"), "{}", server.base_url());
    assert_eq!(server.verify(), Ok(Vec::new()));
}

#[test]
fn every_fixture_loads_and_is_consistent() {
    let fixtures = load_all().unwrap_or_else(|e| panic!("{e}"));
    assert!(fixtures.len() >= 30, "only {} fixtures", fixtures.len());
    for fixture in &fixtures {
        assert!(!fixture.description.trim().is_empty(), "{} has no description", fixture.name);
    }
}
