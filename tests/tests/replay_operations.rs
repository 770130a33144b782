//! Named outcomes, written out in Rust the way a caller would write them: one test per notable fixture, on
//! top of the data-driven loop in `replay_fixtures.rs`.

use atlas_admin::runtime::ResultExt as _;
use atlas_admin::{ApiUserId, Client, Error, GroupId, KeyId, OrgId, UserId};
use atlas_admin_tests::replay::{RecordedRequest, ReplayServer, load_fixture};
use serde_json::json;

const ORG: &str = "62b6e34b3ecb4a6e3ac4b8b1";
const GROUP: &str = "5953c5f380eef53887615f9a";
const KEY: &str = "6501f7a0c3a5b1d2e4f60718";
const USER: &str = "5356823b3004dee37132bb7b";
const USER_KEY: &str = "5d1d12c087d9d63e6d682438";
const V2: &str = "application/vnd.atlas.2023-01-01+json";

/// A replay server for one fixture and a client for it that makes one attempt per call.
async fn replay(name: &str) -> (ReplayServer, Client) {
    let fixture = load_fixture(name).unwrap_or_else(|e| panic!("{e}"));
    let server = ReplayServer::serve(&fixture).await;
    let client = Client::builder().base_url(server.base_url()).no_retries().build().expect("a client");
    (server, client)
}

fn org() -> OrgId {
    ORG.parse().expect("a valid org id")
}
fn group() -> GroupId {
    GROUP.parse().expect("a valid group id")
}
fn key() -> ApiUserId {
    KEY.parse().expect("a valid key id")
}

/// The server saw exactly one request; returns it.
fn only_request(server: &ReplayServer) -> RecordedRequest {
    let mut requests = server.assert_done();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    requests.remove(0)
}

#[tokio::test]
async fn org_delete_204_reports_both_rate_limit_headers() {
    let (server, client) = replay("org_delete_204").await;
    let response = client.delete_org_api_key(&org(), &key()).send().await.expect("204 is success");
    assert_eq!(response.status.as_u16(), 204);
    assert_eq!(response.headers.rate_limit_limit, Some(500));
    assert_eq!(response.headers.rate_limit_remaining, Some(499));
    assert_eq!(response.raw_headers["content-type"], "application/vnd.atlas.2023-01-01+json;charset=utf-8");
    let request = only_request(&server);
    assert_eq!(request.summary(), format!("DELETE /api/atlas/v2/orgs/{ORG}/apiKeys/{KEY}"));
    assert_eq!(request.header("accept"), Some(V2));
    assert_eq!(request.header("authorization"), None);
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn missing_rate_limit_headers_are_none() {
    let (server, client) = replay("org_delete_204_without_rate_limit_headers").await;
    let response = client.delete_org_api_key(&org(), &key()).send().await.expect("204 is success");
    assert_eq!((response.headers.rate_limit_limit, response.headers.rate_limit_remaining), (None, None));
    server.assert_done();

    let (server, client) = replay("group_unassign_204_only_limit_header").await;
    let response = client.remove_group_api_key(&group(), &key()).send().await.expect("204 is success");
    assert_eq!((response.headers.rate_limit_limit, response.headers.rate_limit_remaining), (Some(1200), None));
    server.assert_done();
}

#[tokio::test]
async fn group_unassign_404_decodes_the_live_error_and_keeps_the_raw_body() {
    let (server, client) = replay("group_unassign_404_group_not_found").await;
    let error = client.remove_group_api_key(&group(), &key()).send().await.expect_err("404 is an error");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(error.error_code().as_deref(), Some("GROUP_NOT_FOUND"));
    assert!(!error.is_already_gone(), "a missing project is not a deleted key: most likely a wrong id");
    assert_eq!(error.retry_after(), None);
    assert_eq!(
        error.to_string(),
        format!(
            "removeGroupApiKey (DELETE /api/atlas/v2/groups/{GROUP}/apiKeys/{KEY}): the service answered 404 Not \
             Found GROUP_NOT_FOUND: No group with ID 5953c5f380eef53887615f9a exists."
        )
    );
    let Error::Api(api) = &error else { panic!("expected Error::Api, got {error:?}") };
    assert_eq!(api.body.error, Some(404));
    assert_eq!(api.body.error_code.as_deref(), Some("GROUP_NOT_FOUND"));
    assert_eq!(api.body.detail.as_deref(), Some("No group with ID 5953c5f380eef53887615f9a exists."));
    assert_eq!(api.body.reason.as_deref(), Some("Not Found"));
    assert_eq!(api.body.parameters, Some(vec![json!(GROUP)]));
    assert_eq!(api.body.bad_request_detail, None);
    assert_eq!(
        &api.raw_body[..],
        br#"{"detail":"No group with ID 5953c5f380eef53887615f9a exists.","error":404,"errorCode":"GROUP_NOT_FOUND","parameters":["5953c5f380eef53887615f9a"],"reason":"Not Found"}"#
    );
    assert_eq!(api.headers["x-error-code"], "GROUP_NOT_FOUND");
    assert_eq!(only_request(&server).path, format!("/api/atlas/v2/groups/{GROUP}/apiKeys/{KEY}"));
}

#[tokio::test]
async fn a_key_already_gone_is_a_400_that_ignore_already_gone_turns_into_none() {
    let (server, client) = replay("group_unassign_400_api_key_not_found").await;
    let result = client.remove_group_api_key(&group(), &key()).send().await;
    let error = result.as_ref().expect_err("400 is an error");
    assert_eq!(error.error_code().as_deref(), Some("API_KEY_NOT_FOUND"));
    assert!(error.is_already_gone());
    let Error::Api(api) = error else { panic!("expected Error::Api, got {error:?}") };
    assert_eq!(api.body.detail.as_deref(), Some("No API key with ID 6501f7a0c3a5b1d2e4f60718 exists."));
    assert!(result.ignore_already_gone().expect("already gone is fine").is_none());
    server.assert_done();
}

#[tokio::test]
async fn a_429_keeps_retry_after_and_mixed_parameters() {
    let (server, client) = replay("org_delete_429_rate_limited").await;
    let error = client.delete_org_api_key(&org(), &key()).send().await.expect_err("429 is an error");
    assert_eq!(error.retry_after(), Some(55));
    assert_eq!(error.error_code().as_deref(), Some("RATE_LIMITED_TOKEN_BUCKET"));
    assert!(!error.is_already_gone());
    let Error::Api(api) = &error else { panic!("expected Error::Api, got {error:?}") };
    assert_eq!(api.status.as_u16(), 429);
    assert_eq!(api.body.parameters, Some(vec![json!("ORG_API_KEYS"), json!(55), json!(10), json!(5), json!(60)]));
    assert!(api.body.detail.as_deref().is_some_and(|d| d.contains("Please retry after 55 seconds")));
    server.assert_done();
}

#[tokio::test]
async fn the_digest_challenge_without_credentials_is_an_auth_error_that_keeps_the_answer() {
    let (server, client) = replay("org_delete_401_digest_challenge").await;
    let error = client.delete_org_api_key(&org(), &key()).send().await.expect_err("401 is an error");
    assert!(error.is_unauthorized());
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(error.error_code().as_deref(), Some("UNEXPECTED_ERROR"));
    let Error::Auth(auth) = &error else { panic!("expected Error::Auth, got {error:?}") };
    let answer = auth.response.as_ref().expect("the 401 answer is kept");
    assert_eq!(
        answer.headers["www-authenticate"],
        r#"Digest realm="MMS Public API", domain="", nonce="zJbBmGCw6z2PQc8e2OuIsI4tZJL4Lx9s", algorithm=MD5, qop="auth", stale=false"#
    );
    assert!(std::str::from_utf8(&answer.body).expect("utf-8").starts_with("{\n  \"error\" : 401,"));
    assert_eq!(only_request(&server).header("authorization"), None);
}

#[tokio::test]
async fn a_rejected_bearer_token_is_an_auth_error_and_was_sent() {
    let fixture = load_fixture("group_unassign_401_bearer_rejected").unwrap_or_else(|e| panic!("{e}"));
    let server = ReplayServer::serve(&fixture).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer_token("fixture-token-not-a-secret")
        .no_retries()
        .build()
        .expect("a client");
    let error = client.remove_group_api_key(&group(), &key()).send().await.expect_err("401 is an error");
    assert!(error.is_unauthorized(), "{error:?}");
    assert_eq!(error.error_code().as_deref(), Some("USER_UNAUTHORIZED"));
    assert_eq!(only_request(&server).header("authorization"), Some("Bearer fixture-token-not-a-secret"));
}

#[tokio::test]
async fn an_envelope_204_is_the_204_the_caller_would_see_without_it() {
    let (server, client) = replay("org_delete_envelope_204").await;
    let response = client.delete_org_api_key(&org(), &key()).envelope(true).send().await.expect("success");
    assert_eq!(response.status.as_u16(), 204, "the envelope's 200 is unwrapped");
    assert_eq!(response.headers.rate_limit_limit, Some(500));
    assert_eq!(response.headers.rate_limit_remaining, Some(496));
    assert_eq!(only_request(&server).query, vec![("envelope".to_owned(), "true".to_owned())]);
}

#[tokio::test]
async fn an_envelope_404_is_the_same_error_as_the_plain_404() {
    let (plain_server, client) = replay("org_delete_404_org_not_found").await;
    let plain = client.delete_org_api_key(&org(), &key()).send().await.expect_err("404");
    plain_server.assert_done();
    let (server, client) = replay("org_delete_envelope_404").await;
    let wrapped = client.delete_org_api_key(&org(), &key()).envelope(true).send().await.expect_err("404 inside");
    server.assert_done();

    let (Error::Api(plain_api), Error::Api(wrapped_api)) = (&plain, &wrapped) else {
        panic!("expected two Api errors, got {plain:?} and {wrapped:?}")
    };
    assert_eq!(wrapped_api.status, plain_api.status);
    assert_eq!(wrapped_api.body, plain_api.body);
    assert_eq!(wrapped_api.raw_body, plain_api.raw_body, "the unwrapped content, not the envelope");
    // The envelope answer carried no X-Error-Code: the code comes from the unwrapped body.
    assert!(wrapped_api.headers.get("x-error-code").is_none());
    assert_eq!(wrapped.error_code(), plain.error_code());
    assert_eq!(wrapped.is_already_gone(), plain.is_already_gone());
}

#[tokio::test]
async fn envelope_and_pretty_together_unwrap_a_pretty_envelope() {
    let (server, client) = replay("org_delete_envelope_pretty_204").await;
    let response = client.delete_org_api_key(&org(), &key()).envelope(true).pretty(true).send().await.expect("success");
    assert_eq!(response.status.as_u16(), 204);
    let mut query = only_request(&server).query_set();
    query.sort();
    assert_eq!(query, vec![("envelope".to_owned(), "true".to_owned()), ("pretty".to_owned(), "true".to_owned())]);
}

#[tokio::test]
async fn a_pretty_404_means_the_same_and_keeps_its_layout() {
    let (plain_server, client) = replay("org_delete_404_org_not_found").await;
    let plain = client.delete_org_api_key(&org(), &key()).send().await.expect_err("404");
    plain_server.assert_done();
    let (server, client) = replay("org_delete_pretty_404").await;
    let pretty = client.delete_org_api_key(&org(), &key()).pretty(true).send().await.expect_err("404");
    assert_eq!(only_request(&server).query, vec![("pretty".to_owned(), "true".to_owned())]);
    let (Error::Api(plain), Error::Api(pretty)) = (&plain, &pretty) else { panic!("expected two Api errors") };
    assert_eq!(pretty.body, plain.body);
    assert!(pretty.raw_body.starts_with(b"{\n  \"detail\" : \"No organization with ID"), "{:?}", pretty.raw_body);
}

#[tokio::test]
async fn an_html_502_from_a_proxy_is_kept_raw() {
    let (server, client) = replay("org_delete_502_html_from_proxy").await;
    let error = client.delete_org_api_key(&org(), &key()).send().await.expect_err("502");
    let Error::UnexpectedResponse(raw) = &error else { panic!("expected UnexpectedResponse, got {error:?}") };
    assert_eq!(raw.status.as_u16(), 502);
    assert_eq!(raw.content_type.as_deref(), Some("text/html"));
    assert!(raw.body.starts_with(b"<html>\r\n<head><title>502 Bad Gateway</title>"));
    assert_eq!(error.error_code(), None);
    assert!(!error.is_already_gone());
    server.assert_done();
}

#[tokio::test]
async fn truncated_json_is_kept_raw_and_the_header_still_names_the_error() {
    let (server, client) = replay("org_delete_404_truncated_json").await;
    let error = client.delete_org_api_key(&org(), &key()).send().await.expect_err("404");
    let Error::UnexpectedResponse(raw) = &error else { panic!("expected UnexpectedResponse, got {error:?}") };
    assert_eq!(raw.status.as_u16(), 404);
    assert!(raw.reason.contains("not the documented error JSON"), "{}", raw.reason);
    assert_eq!(raw.body.len(), 70);
    assert_eq!(error.error_code().as_deref(), Some("ORG_NOT_FOUND"));
    assert!(!error.is_already_gone(), "an answer that could not be decoded says nothing about the key");
    server.assert_done();
}

#[tokio::test]
async fn json_labelled_text_plain_is_not_guessed_at() {
    let (server, client) = replay("group_unassign_404_wrong_content_type").await;
    let error = client.remove_group_api_key(&group(), &key()).send().await.expect_err("404");
    let Error::UnexpectedResponse(raw) = &error else { panic!("expected UnexpectedResponse, got {error:?}") };
    assert_eq!(raw.content_type.as_deref(), Some("text/plain;charset=ISO-8859-1"));
    assert!(raw.reason.contains("content type"), "{}", raw.reason);
    // No X-Error-Code header here: error_code() falls back to reading the body's errorCode.
    assert_eq!(error.error_code().as_deref(), Some("GROUP_NOT_FOUND"));
    server.assert_done();
}

#[tokio::test]
async fn a_503_maintenance_page_keeps_retry_after() {
    let (server, client) = replay("group_unassign_503_maintenance").await;
    let error = client.remove_group_api_key(&group(), &key()).send().await.expect_err("503");
    assert!(matches!(error, Error::UnexpectedResponse(_)), "{error:?}");
    assert_eq!(error.retry_after(), Some(30));
    server.assert_done();
}

#[tokio::test]
async fn org_403_and_500_decode_with_their_codes() {
    let (server, client) = replay("org_delete_403_outside_subnet").await;
    let error = client.delete_org_api_key(&org(), &key()).send().await.expect_err("403");
    assert_eq!(error.error_code().as_deref(), Some("GLOBAL_USER_OUTSIDE_SUBNET"));
    assert!(!error.is_already_gone());
    server.assert_done();

    let (server, client) = replay("org_delete_500_unexpected_error").await;
    let error = client.delete_org_api_key(&org(), &key()).send().await.expect_err("500");
    let Error::Api(api) = &error else { panic!("expected Error::Api, got {error:?}") };
    assert_eq!((api.status.as_u16(), api.body.error_code.as_deref()), (500, Some("UNEXPECTED_ERROR")));
    assert_eq!(api.body.parameters, Some(vec![]));
    server.assert_done();
}

#[tokio::test]
#[allow(deprecated)]
async fn the_legacy_user_key_delete_answers_410_deprecated() {
    let (server, client) = replay("user_key_delete_410_deprecated").await;
    let user: UserId = USER.parse().expect("a valid user id");
    let key: KeyId = USER_KEY.parse().expect("a valid key id");
    let error = client.delete_user_api_key(&user, &key).send().await.expect_err("410");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(410));
    assert_eq!(error.error_code().as_deref(), Some("PERSONAL_API_KEYS_DEPRECATED"));
    assert!(!error.is_already_gone(), "the endpoint is gone, not the key");
    let Error::Api(api) = &error else { panic!("expected Error::Api, got {error:?}") };
    assert_eq!(api.body.reason.as_deref(), Some("Gone"));
    let request = only_request(&server);
    assert_eq!(request.path, format!("/api/atlas/v1.0/users/{USER}/keys/{USER_KEY}"));
    assert_eq!(request.header("accept"), Some("application/json"));
}

#[tokio::test]
#[allow(deprecated)]
async fn the_legacy_user_key_delete_documented_200_is_success_with_no_body() {
    for name in ["user_key_delete_200_empty", "user_key_delete_200_empty_document"] {
        let (server, client) = replay(name).await;
        let user: UserId = USER.parse().expect("a valid user id");
        let key: KeyId = USER_KEY.parse().expect("a valid key id");
        let response = client.delete_user_api_key(&user, &key).send().await.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(response.status.as_u16(), 200, "{name}");
        let () = response.body;
        server.assert_done();
    }
}

#[tokio::test]
async fn a_deprecated_versions_answer_is_a_success_that_keeps_deprecation_and_sunset() {
    let (server, client) = replay("group_unassign_204_deprecated_version").await;
    let response = client.remove_group_api_key(&group(), &key()).send().await.expect("204 is success");
    assert_eq!(response.status.as_u16(), 204);
    assert_eq!(response.raw_headers["deprecation"], "Wed, 4 Oct 2023 00:00:00 GMT");
    assert_eq!(response.raw_headers["sunset"], "Thu, 1 Jul 2027 00:00:00 GMT");
    server.assert_done();
}

#[tokio::test]
async fn a_404_with_null_parameters_decodes() {
    let (server, client) = replay("group_unassign_404_parameters_null").await;
    let error = client.remove_group_api_key(&group(), &key()).send().await.expect_err("404");
    let Error::Api(api) = &error else { panic!("expected Error::Api, got {error:?}") };
    assert_eq!(api.body.parameters, None);
    assert_eq!(api.body.error_code.as_deref(), Some("GROUP_NOT_FOUND"));
    server.assert_done();
}

#[tokio::test]
async fn the_recorded_live_204s_decode_with_their_rate_limit_headers() {
    for (name, limit) in [
        ("org_delete_204_recorded_1", 500),
        ("org_delete_204_recorded_2", 500),
        ("org_delete_204_recorded_3", 500),
        ("group_unassign_204_recorded_1", 1200),
    ] {
        let fixture = load_fixture(name).unwrap_or_else(|e| panic!("{e}"));
        let server = ReplayServer::serve(&fixture).await;
        let client = Client::builder().base_url(server.base_url()).no_retries().build().expect("a client");
        let outcome = atlas_admin_tests::replay::run_call(&fixture, &client).await;
        let atlas_admin_tests::replay::Outcome::Ok { status, rate_limit_limit, .. } = outcome else {
            panic!("{name}: {outcome:?}")
        };
        assert_eq!((status, rate_limit_limit), (204, Some(limit)), "{name}");
        server.assert_done();
    }
}
