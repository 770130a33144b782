//! The builder's options that reach the wire: a caller's own `reqwest::Client` (with authentication,
//! retries and the per-attempt timeout still applied), the User-Agent suffix, and token revocation.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use atlas_admin::runtime::{Client, Error, RetryPolicy, TransportErrorKind};
use atlas_admin::{ApiUserId, OrgId};
use common::{DIGEST_ONLY, DigestService, ORG_KEY_PATH, Reply, delete, digest_service, serve};
use local_atlas::known::{ACME_ORG, DEPLOY_KEY, SA_CLIENT_ID, SA_CLIENT_SECRET, UNUSED_KEY};
use local_atlas::{Config, LocalAtlas};

/// A caller's client: a default header the service never asked for, and no timeout of its own.
fn callers_http_client() -> reqwest::Client {
    // What a program that builds its own reqwest clients next to atlas-admin's default features does first.
    atlas_admin::runtime::ensure_tls_provider();
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-team", reqwest::header::HeaderValue::from_static("infra"));
    reqwest::Client::builder().default_headers(headers).build().expect("a reqwest client")
}

#[tokio::test]
async fn a_callers_http_client_still_gets_digest_retries_and_the_user_agent() {
    // First a 503 (retried), then the digest service: challenge, answer, accepted.
    let (digest, log) = digest_service(DigestService::default());
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    let server = serve(move |request| {
        if counter.fetch_add(1, Ordering::SeqCst) == 0 {
            Reply::status(503).header("Retry-After", "0")
        } else {
            digest(request)
        }
    })
    .await;
    let client = Client::builder()
        .base_url(server.base_url())
        .http_client(callers_http_client())
        .digest_auth("pubkey", "private-key-1234")
        .user_agent_suffix("cleanup-job/1.2")
        .retry_policy(RetryPolicy::new().base_backoff(Duration::from_millis(5)))
        .build()
        .unwrap();
    let raw = client.execute::<serde_json::Value>(delete(ORG_KEY_PATH, DIGEST_ONLY)).await.expect("accepted");
    assert_eq!(raw.status().as_u16(), 204);
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "the 503, the challenge, the answer: {requests:#?}");
    assert_eq!(log.lock().unwrap().accepted, 1);
    assert!(requests[2].header("authorization").is_some_and(|a| a.starts_with("Digest ")));
    for request in &requests {
        assert_eq!(request.header("x-team"), Some("infra"), "the caller's client is the one sending");
        let user_agent = request.header("user-agent").expect("a User-Agent");
        assert!(
            user_agent.starts_with("atlas-admin-rust/") && user_agent.ends_with(" cleanup-job/1.2"),
            "{user_agent}"
        );
    }
}

#[tokio::test]
async fn the_attempt_timeout_applies_to_a_callers_http_client() {
    let server = serve(|_| Reply::Close.after(Duration::from_secs(3600))).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .http_client(callers_http_client())
        .timeout(Duration::from_millis(300))
        .no_retries()
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.execute::<serde_json::Value>(delete(ORG_KEY_PATH, &[])).await.expect_err("silence");
    let Error::Transport(transport) = &error else { panic!("expected a transport error, got {error:?}") };
    assert_eq!(transport.kind, TransportErrorKind::Timeout);
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[tokio::test]
async fn revoke_token_revokes_the_service_accounts_token_and_the_next_call_fetches_a_new_one() {
    let atlas = LocalAtlas::start(Config::default()).await.expect("the local Atlas starts");
    let client = Client::builder()
        .base_url(atlas.base_url())
        .service_account(SA_CLIENT_ID, SA_CLIENT_SECRET)
        .token_request_interval(Duration::ZERO)
        .build()
        .unwrap();
    assert!(!client.revoke_token().await.expect("nothing to revoke yet"), "no token was fetched yet");
    let org: OrgId = ACME_ORG.parse().unwrap();
    let delete_key = |key: &str| {
        let key: ApiUserId = key.parse().unwrap();
        let client = client.clone();
        let org = org.clone();
        async move { client.delete_org_api_key(&org, &key).send().await }
    };
    delete_key(UNUSED_KEY).await.expect("deleted with the first token");
    assert!(client.revoke_token().await.expect("revoked"));
    let counters = atlas.counters();
    assert_eq!((counters.tokens_issued, counters.tokens_revoked), (1, 1), "{counters:#?}");
    assert!(!client.revoke_token().await.expect("nothing left"), "the revoked token is forgotten");
    delete_key(DEPLOY_KEY).await.expect("deleted with a new token");
    let counters = atlas.counters();
    assert_eq!(counters.tokens_issued, 2, "{counters:#?}");
    assert_eq!(counters.count("deleteOrgApiKey", 401), 0, "the revoked token was never sent again");
    assert!(!atlas.org_has_key(ACME_ORG, UNUSED_KEY) && !atlas.org_has_key(ACME_ORG, DEPLOY_KEY));
}

#[tokio::test]
async fn revoke_token_without_a_service_account_revokes_nothing() {
    let atlas = LocalAtlas::start(Config::default()).await.expect("the local Atlas starts");
    let client = Client::builder().base_url(atlas.base_url()).digest_auth("public", "private").build().unwrap();
    assert!(!client.revoke_token().await.expect("nothing to revoke"));
    assert_eq!(atlas.counters().requests, 0, "nothing was sent");
}
