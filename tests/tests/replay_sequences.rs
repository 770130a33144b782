//! Scripts of several exchanges within one call or across calls: the digest round trip against the live
//! challenge, nonce reuse, and retries.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use atlas_admin::runtime::RetryPolicy;
use atlas_admin::{ApiUserId, Client, OrgId};
use atlas_admin_tests::replay::{Fixture, ReplayServer, load_fixture};
use local_atlas::DigestAlgorithm;
use local_atlas::digest::hash_hex;

const PUBLIC_KEY: &str = "xqzjpwvk";
const PRIVATE_KEY: &str = "3f1c9a52-made-up-not-a-real-key";
const LIVE_NONCE: &str = "zJbBmGCw6z2PQc8e2OuIsI4tZJL4Lx9s";

fn fixture(name: &str) -> Fixture {
    load_fixture(name).unwrap_or_else(|e| panic!("{e}"))
}

fn ids() -> (OrgId, ApiUserId) {
    ("62b6e34b3ecb4a6e3ac4b8b1".parse().expect("org id"), "6501f7a0c3a5b1d2e4f60718".parse().expect("key id"))
}

fn md5_hex(text: &str) -> String {
    hash_hex(DigestAlgorithm::Md5, text)
}

/// The parameters of a `Digest ...` Authorization header, quotes removed.
fn digest_parameters(header: &str) -> BTreeMap<String, String> {
    let rest = header.strip_prefix("Digest ").unwrap_or_else(|| panic!("not a digest answer: {header}"));
    let mut parts = Vec::new();
    let (mut current, mut quoted) = (String::new(), false);
    for c in rest.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            ',' if !quoted => parts.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    parts.push(current);
    parts
        .iter()
        .filter_map(|part| part.trim().split_once('='))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().trim_matches('"').to_owned()))
        .collect()
}

/// Checks an Authorization header against RFC 7616 (MD5, qop=auth) for a DELETE of `uri`.
fn assert_valid_digest(header: &str, uri: &str, nc: &str) {
    let p = digest_parameters(header);
    assert_eq!(p.get("username").map(String::as_str), Some(PUBLIC_KEY), "{header}");
    assert_eq!(p.get("realm").map(String::as_str), Some("MMS Public API"), "{header}");
    assert_eq!(p.get("nonce").map(String::as_str), Some(LIVE_NONCE), "{header}");
    assert_eq!(p.get("uri").map(String::as_str), Some(uri), "{header}");
    assert_eq!(p.get("qop").map(String::as_str), Some("auth"), "{header}");
    assert_eq!(p.get("nc").map(String::as_str), Some(nc), "{header}");
    assert!(p.get("algorithm").is_none_or(|a| a == "MD5"), "{header}");
    let cnonce = p.get("cnonce").unwrap_or_else(|| panic!("no cnonce: {header}"));
    let ha1 = md5_hex(&format!("{PUBLIC_KEY}:MMS Public API:{PRIVATE_KEY}"));
    let ha2 = md5_hex(&format!("DELETE:{uri}"));
    let expected = md5_hex(&format!("{ha1}:{LIVE_NONCE}:{nc}:{cnonce}:auth:{ha2}"));
    assert_eq!(p.get("response"), Some(&expected), "{header}");
}

fn digest_client(server: &ReplayServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .digest_auth(PUBLIC_KEY, PRIVATE_KEY)
        .no_retries()
        .build()
        .expect("a client")
}

#[tokio::test]
async fn the_live_digest_challenge_is_answered_correctly() {
    let challenge = fixture("org_delete_401_digest_challenge");
    let answered = fixture("org_delete_204_digest_answered");
    let server = ReplayServer::serve_fixtures(&[&challenge, &answered]).await.expect("the replay server starts");
    let (org, key) = ids();
    let response = digest_client(&server).delete_org_api_key(&org, &key).send().await.expect("204 after the digest");
    assert_eq!(response.status.as_u16(), 204);
    assert_eq!(response.headers.rate_limit_remaining, Some(498));
    let requests = server.assert_done();
    assert_eq!(requests[0].header("authorization"), None, "the first request has no challenge to answer yet");
    let authorization = requests[1].header("authorization").expect("the second request answers the challenge");
    assert_valid_digest(authorization, &answered.request.path, "00000001");
}

#[tokio::test]
async fn the_next_call_reuses_the_nonce_with_the_next_count() {
    let challenge = fixture("org_delete_401_digest_challenge");
    let answered = fixture("org_delete_204_digest_answered");
    let server =
        ReplayServer::serve_fixtures(&[&challenge, &answered, &answered]).await.expect("the replay server starts");
    let client = digest_client(&server);
    let (org, key) = ids();
    client.delete_org_api_key(&org, &key).send().await.expect("first call");
    client.delete_org_api_key(&org, &key).send().await.expect("second call, no new challenge");
    let requests = server.assert_done();
    assert_eq!(requests.len(), 3, "one challenge for two calls");
    assert_valid_digest(requests[2].header("authorization").expect("sent"), &answered.request.path, "00000002");
}

#[tokio::test]
async fn a_500_is_retried_and_the_retry_succeeds() {
    let failed = fixture("org_delete_500_unexpected_error");
    let succeeded = fixture("org_delete_204");
    let server = ReplayServer::serve_fixtures(&[&failed, &succeeded]).await.expect("the replay server starts");
    let policy = RetryPolicy::new().base_backoff(Duration::from_millis(10)).max_backoff(Duration::from_millis(50));
    let client = Client::builder().base_url(server.base_url()).retry_policy(policy).build().expect("a client");
    let (org, key) = ids();
    let response = client.delete_org_api_key(&org, &key).send().await.expect("the retry succeeds");
    assert_eq!(response.status.as_u16(), 204);
    let requests = server.assert_done();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].summary(), requests[1].summary(), "the retry repeats the same request");
}

#[tokio::test]
async fn a_retry_after_beyond_the_budget_returns_the_429_without_waiting() {
    let limited = fixture("org_delete_429_rate_limited");
    let server = ReplayServer::serve(&limited).await;
    let policy = RetryPolicy::new().total_budget(Duration::from_secs(5));
    let client = Client::builder().base_url(server.base_url()).retry_policy(policy).build().expect("a client");
    let (org, key) = ids();
    let started = Instant::now();
    let error = client.delete_org_api_key(&org, &key).send().await.expect_err("still rate limited");
    assert!(started.elapsed() < Duration::from_secs(5), "waited {:?}", started.elapsed());
    assert_eq!(error.retry_after(), Some(55));
    assert_eq!(error.error_code().as_deref(), Some("RATE_LIMITED_TOKEN_BUCKET"));
    assert_eq!(server.assert_done().len(), 1, "Retry-After 55 does not fit in 5 s: no second attempt");
}
