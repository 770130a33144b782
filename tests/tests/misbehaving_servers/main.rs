//! How calls end when the server misbehaves: each case ends in a typed error, without a panic or a hang,
//! after a bounded number of requests. End to end through the generated methods.
//!
//! This file has the everyday failures (a proxy's HTML page, broken JSON, bad challenges, silence);
//! `hostile.rs` has the hostile-server suite (bodies and heads that never end, garbage, redirects,
//! absurd `Retry-After`s and challenges), whose time and memory `benches/hostile_servers.rs` measures.

mod hostile;

use std::future::Future;
use std::time::{Duration, Instant};

use atlas_admin::runtime::{AuthErrorKind, TransportErrorKind};
use atlas_admin::{Client, Error};
use atlas_admin_tests::clients::{api_key, group, org, quick_retries};
use local_atlas::known::*;
use local_atlas::raw::{Misbehavior, RawServer};

async fn server(behavior: Misbehavior) -> RawServer {
    behavior.serve().await.expect("the misbehaving server must start on loopback")
}

fn digest_client(server: &RawServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .digest_auth(ADMIN_PUBLIC_KEY, ADMIN_PRIVATE_KEY)
        .timeout(Duration::from_millis(500))
        .connect_timeout(Duration::from_millis(500))
        .retry_policy(quick_retries().total_budget(Duration::from_secs(5)))
        .build()
        .unwrap()
}

/// Runs a call with a hard deadline, so a hang fails the test instead of blocking the suite.
async fn within_deadline<T>(call: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(15), call).await.expect("the call hung for 15 s")
}

async fn delete_org_key(client: &Client) -> Error {
    within_deadline(client.delete_org_api_key(&org(ACME_ORG), &api_key(DEPLOY_KEY)).send())
        .await
        .expect_err("a misbehaving server cannot make the call succeed")
}

#[tokio::test]
async fn html_502_from_a_proxy_is_kept_raw_after_bounded_retries() {
    let server = server(Misbehavior::HtmlBadGateway).await;
    let error = delete_org_key(&digest_client(&server)).await;
    let Error::UnexpectedResponse(answer) = &error else { panic!("expected UnexpectedResponse, got {error:?}") };
    assert_eq!(answer.status.as_u16(), 502);
    assert_eq!(answer.content_type.as_deref(), Some("text/html"));
    assert!(std::str::from_utf8(&answer.body).unwrap().contains("<h1>502 Bad Gateway</h1>"));
    assert_eq!(server.count(), 4, "a DELETE is retried on 502, up to the 4 attempts of the policy");
}

#[tokio::test]
async fn truncated_json_is_an_unexpected_response() {
    let server = server(Misbehavior::TruncatedJson).await;
    let error = delete_org_key(&digest_client(&server)).await;
    let Error::UnexpectedResponse(answer) = &error else { panic!("expected UnexpectedResponse, got {error:?}") };
    assert_eq!(answer.status.as_u16(), 404);
    assert!(answer.reason.contains("JSON"), "{}", answer.reason);
    assert_eq!(answer.body.len(), 60, "the cut-off body is kept as received");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn json_with_the_wrong_content_type_is_an_unexpected_response() {
    let server = server(Misbehavior::WrongContentType).await;
    let error = within_deadline(
        digest_client(&server).remove_group_api_key(&group(MISSING_GROUP), &api_key(DEPLOY_KEY)).send(),
    )
    .await
    .unwrap_err();
    let Error::UnexpectedResponse(answer) = &error else { panic!("expected UnexpectedResponse, got {error:?}") };
    assert_eq!(answer.content_type.as_deref(), Some("text/plain"));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_401_without_www_authenticate_is_a_missing_challenge() {
    let server = server(Misbehavior::UnauthorizedWithoutChallenge).await;
    let error = delete_org_key(&digest_client(&server)).await;
    let Error::Auth(auth) = &error else { panic!("expected an auth error, got {error:?}") };
    assert_eq!(auth.kind, AuthErrorKind::MissingChallenge, "{error}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_malformed_challenge_is_reported_as_such() {
    let server = server(Misbehavior::MalformedChallenge).await;
    let error = delete_org_key(&digest_client(&server)).await;
    let Error::Auth(auth) = &error else { panic!("expected an auth error, got {error:?}") };
    assert_eq!(auth.kind, AuthErrorKind::MalformedChallenge, "{error}");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_server_that_challenges_forever_gets_one_answer_then_a_rejection() {
    let server = server(Misbehavior::ChallengeForever).await;
    let client = digest_client(&server);
    let error = delete_org_key(&client).await;
    let Error::Auth(auth) = &error else { panic!("expected an auth error, got {error:?}") };
    assert_eq!(auth.kind, AuthErrorKind::Rejected, "{error}");
    assert_eq!(server.count(), 2, "the challenge and one answer to it");
    // The next call starts over rather than looping on the refused nonce.
    let again = delete_org_key(&client).await;
    assert!(again.is_unauthorized(), "{again:?}");
    assert!(server.count() <= 4, "{} requests for two calls", server.count());
}

#[tokio::test]
async fn a_connection_closed_without_answer_is_a_transport_error() {
    let server = server(Misbehavior::CloseWithoutAnswer).await;
    let error = delete_org_key(&digest_client(&server)).await;
    let Error::Transport(transport) = &error else { panic!("expected a transport error, got {error:?}") };
    assert!(transport.attempts >= 1 && transport.attempts <= 4, "{transport:?}");
    assert_eq!(server.count(), transport.attempts as usize, "every attempt reached the server once");
}

#[tokio::test]
async fn a_server_slower_than_the_timeout_is_a_timeout() {
    let server = server(Misbehavior::Silent).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer_token("test-token")
        .timeout(Duration::from_millis(300))
        .retry_policy(quick_retries())
        .build()
        .unwrap();
    let started = Instant::now();
    let error = delete_org_key(&client).await;
    let Error::Transport(transport) = &error else { panic!("expected a transport error, got {error:?}") };
    assert_eq!(transport.kind, TransportErrorKind::Timeout, "{transport:?}");
    assert!(started.elapsed() < Duration::from_secs(3), "took {:?}", started.elapsed());
    assert_eq!(server.count(), 1, "a timed-out attempt is not retried by default");
}

#[tokio::test]
async fn nothing_listening_is_a_connect_error() {
    // Bind and drop, so the port is very likely free and refuses connections.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .bearer_token("test-token")
        .retry_policy(quick_retries())
        .build()
        .unwrap();
    let error = delete_org_key(&client).await;
    let Error::Transport(transport) = &error else { panic!("expected a transport error, got {error:?}") };
    assert_eq!(transport.kind, TransportErrorKind::Connect, "{transport:?}");
}
