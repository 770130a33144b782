//! "Already gone" turns an error into success, so it must mean that Atlas said so about that resource
//! (issue 16, part 1). A bare 404, an HTML page, another service's JSON or Atlas's answer for an unknown
//! route says nothing about the key: `ignore_already_gone()` must return the error, and the program must
//! not believe a key is revoked while it still exists.

use std::time::Duration;

use atlas_admin::{Client, Error, ResultExt};
use atlas_admin_tests::clients::{api_key, digest_client, digest_client_with, group, org};
use local_atlas::known::*;
use local_atlas::raw::{Reply, serve};
use local_atlas::{Config, LocalAtlas};

fn no_auth_client(base_url: &str) -> Client {
    Client::builder().base_url(base_url).no_retries().timeout(Duration::from_secs(10)).build().unwrap()
}

/// Deletes the deploy key through a server that answers every request with `reply`.
async fn delete_through(reply: Reply) -> Result<Option<()>, Error> {
    let server = serve(move |_| reply.clone()).await;
    let result =
        no_auth_client(server.base_url()).delete_org_api_key(&org(ACME_ORG), &api_key(DEPLOY_KEY)).send().await;
    assert_eq!(server.count(), 1, "one request");
    result.ignore_already_gone().map(|answer| answer.map(|_| ()))
}

#[tokio::test]
async fn a_404_html_page_is_not_already_gone() {
    let html = Reply::status(404).header("Content-Type", "text/html").body("<html><h1>404 Not Found</h1></html>");
    let error = delete_through(html).await.expect_err("an HTML 404 is an error");
    assert!(matches!(error, Error::UnexpectedResponse(_)), "{error:?}");
    assert!(!error.is_already_gone());
}

#[tokio::test]
async fn a_404_with_another_services_json_is_not_already_gone() {
    for body in [
        r#"{"message":"Not Found","documentation_url":"https://example.invalid/docs"}"#,
        r#"{"error":"not_found"}"#,
        r#"{}"#,
        // Atlas-shaped, but the body says another status than the answer's.
        r#"{"error":400,"errorCode":"API_KEY_NOT_FOUND"}"#,
    ] {
        let error = delete_through(Reply::json(404, body)).await.expect_err("a foreign 404 is an error");
        assert!(!error.is_already_gone(), "{body}: {error:?}");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(404), "{body}");
    }
}

#[tokio::test]
async fn a_bare_404_is_not_already_gone() {
    let error = delete_through(Reply::status(404)).await.expect_err("a bare 404 is an error");
    assert!(!error.is_already_gone(), "{error:?}");
}

#[tokio::test]
async fn atlas_saying_the_key_is_missing_is_already_gone_even_from_a_raw_server() {
    let body = format!(
        r#"{{"detail":"No API key with ID {DEPLOY_KEY} exists.","error":400,"errorCode":"API_KEY_NOT_FOUND","parameters":["{DEPLOY_KEY}"],"reason":"Bad Request"}}"#
    );
    let answer = Reply::json(400, &body).header("X-Error-Code", "API_KEY_NOT_FOUND");
    assert_eq!(delete_through(answer).await.expect("already gone"), None);
    // The same code under a header that names another code is not Atlas's error body.
    let contradicted = Reply::json(400, &body).header("X-Error-Code", "UNEXPECTED_ERROR");
    assert!(delete_through(contradicted).await.is_err());
}

#[tokio::test]
async fn a_base_url_with_a_stray_path_does_not_make_a_key_look_revoked() {
    let atlas = LocalAtlas::start(Config::default()).await.unwrap();
    let stray = format!("{}/proxy", atlas.base_url());
    let client = digest_client_with(&stray, ADMIN_PUBLIC_KEY, ADMIN_PRIVATE_KEY);
    let result = client.delete_org_api_key(&org(ACME_ORG), &api_key(DEPLOY_KEY)).send().await;
    let error = result.ignore_already_gone().expect_err("the local Atlas does not know /proxy/api/...");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404), "{error:?}");
    assert_eq!(error.error_code().as_deref(), Some("RESOURCE_NOT_FOUND"));
    assert!(atlas.org_has_key(ACME_ORG, DEPLOY_KEY), "the key is still there, and the client said so");

    let unassign = client.remove_group_api_key(&group(ACME_PROD), &api_key(DEPLOY_KEY)).send().await;
    assert!(unassign.ignore_already_gone().is_err());
    assert!(atlas.is_assigned(ACME_PROD, DEPLOY_KEY));
}

#[tokio::test]
async fn a_missing_org_or_project_is_not_already_gone_but_a_missing_key_is() {
    let atlas = LocalAtlas::start(Config::default()).await.unwrap();
    let client = digest_client(&atlas);
    let missing_org = client.delete_org_api_key(&org("5953c5f380eef53887615f9a"), &api_key(DEPLOY_KEY)).send().await;
    assert_eq!(missing_org.unwrap_err().error_code().as_deref(), Some("ORG_NOT_FOUND"));
    let missing_group =
        client.remove_group_api_key(&group("5953c5f380eef53887615f9a"), &api_key(DEPLOY_KEY)).send().await;
    assert!(!missing_group.unwrap_err().is_already_gone());

    client.delete_org_api_key(&org(ACME_ORG), &api_key(DEPLOY_KEY)).send().await.expect("deleted");
    let again = client.delete_org_api_key(&org(ACME_ORG), &api_key(DEPLOY_KEY)).send().await;
    assert!(again.ignore_already_gone().expect("already gone").is_none());
    let envelope = client.delete_org_api_key(&org(ACME_ORG), &api_key(DEPLOY_KEY)).envelope(true).send().await;
    assert!(envelope.ignore_already_gone().expect("already gone, inside an envelope too").is_none());
}
