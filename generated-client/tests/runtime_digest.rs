//! HTTP Digest against a real loopback server that checks every answer.

mod common;

use atlas_admin::runtime::{AuthErrorKind, Client, Error};
use common::{
    DIGEST_ONLY, DigestAlgorithm, DigestService, ORG_KEY_PATH, Reply, UNAUTHORIZED_BODY, concurrently, delete,
    digest_params, digest_service, serve,
};

type Outcome = Result<(), Error<serde_json::Value>>;

async fn call(client: &Client) -> Outcome {
    let raw = client.execute::<serde_json::Value>(delete(ORG_KEY_PATH, DIGEST_ONLY)).await?;
    raw.decode_empty::<(), serde_json::Value>().map(drop)
}

fn client(base: &str, password: &str) -> Client {
    Client::builder().base_url(base).digest_auth("pubkey", password).no_retries().build().unwrap()
}

#[tokio::test]
async fn a_run_of_calls_costs_one_challenge() {
    let (handler, log) = digest_service(DigestService::default());
    let server = serve(handler).await;
    let client = client(server.base_url(), "private-key-1234");
    for _ in 0..10 {
        call(&client).await.unwrap();
    }
    let log = log.lock().unwrap();
    assert_eq!(log.challenges, 1);
    assert_eq!(log.accepted, 10);
    assert_eq!(server.count(), 11, "one unauthenticated request, then ten answered ones");
    assert_eq!(log.first_nc, ["00000001"]);
    let requests = server.requests();
    assert!(requests[0].header("authorization").is_none());
    let last = digest_params(requests[10].header("authorization").unwrap());
    assert_eq!(last["nc"], "0000000a");
    assert_eq!(last["uri"], ORG_KEY_PATH);
    assert!(requests.iter().all(|r| r.header("user-agent").unwrap().starts_with("atlas-admin-rust/")));
}

#[tokio::test]
async fn clones_share_the_nonce() {
    let (handler, log) = digest_service(DigestService::default());
    let server = serve(handler).await;
    let client = client(server.base_url(), "private-key-1234");
    call(&client).await.unwrap();
    call(&client.clone()).await.unwrap();
    assert_eq!(log.lock().unwrap().challenges, 1);
}

#[tokio::test]
async fn a_stale_nonce_is_replaced_by_the_fresh_challenge() {
    let config = DigestService::default().nonce_max_uses(3);
    let (handler, log) = digest_service(config);
    let server = serve(handler).await;
    let client = client(server.base_url(), "private-key-1234");
    for _ in 0..7 {
        call(&client).await.unwrap();
    }
    let log = log.lock().unwrap();
    assert_eq!(log.accepted, 7);
    assert_eq!(log.stale_challenges, 2, "after the 3rd and the 6th call");
    assert_eq!(log.challenges, 3);
    assert_eq!(server.count(), 7 + 3);
}

#[tokio::test]
async fn a_wrong_private_key_is_one_rejection_after_one_answered_challenge() {
    let (handler, log) = digest_service(DigestService::default());
    let server = serve(handler).await;
    let client = client(server.base_url(), "wrong-key");
    let error = call(&client).await.unwrap_err();
    assert!(error.is_unauthorized(), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(error.error_code().as_deref(), Some("UNEXPECTED_ERROR"));
    assert_eq!(server.count(), 2);
    assert_eq!(log.lock().unwrap().accepted, 0);
    // The next call does not reuse the refused nonce and again stops after one answered challenge.
    let error = call(&client).await.unwrap_err();
    assert!(error.is_unauthorized());
    assert_eq!(server.count(), 4);
}

#[tokio::test]
async fn a_server_that_challenges_forever_ends_in_one_rejection() {
    let server = serve(|_| {
        Reply::json(401, UNAUTHORIZED_BODY).header(
            "WWW-Authenticate",
            r#"Digest realm="MMS Public API", domain="", nonce="again", algorithm=MD5, qop="auth", stale=true"#,
        )
    })
    .await;
    let client = Client::builder().base_url(server.base_url()).digest_auth("pubkey", "key").build().unwrap();
    let error = call(&client).await.unwrap_err();
    assert!(matches!(&error, Error::Auth(e) if e.kind == AuthErrorKind::Rejected), "{error:?}");
    // The first request, the answer to its challenge, then at most three answers to challenges marked stale.
    assert_eq!(server.count(), 5);
}

#[tokio::test]
async fn an_answer_that_went_stale_is_answered_again_and_succeeds() {
    let seen = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = seen.clone();
    let server = serve(move |_| {
        // Challenge, then "stale" to the first answer (as a strict server does when concurrent calls reach it
        // with their nonce counts out of order), then accept.
        match counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst) {
            0 | 1 => Reply::json(401, UNAUTHORIZED_BODY).header(
                "WWW-Authenticate",
                r#"Digest realm="MMS Public API", domain="", nonce="n1", algorithm=MD5, qop="auth", stale=true"#,
            ),
            _ => Reply::status(204),
        }
    })
    .await;
    let client = Client::builder().base_url(server.base_url()).digest_auth("pubkey", "key").build().unwrap();
    call(&client).await.expect("a stale answer is answered again");
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn a_401_without_a_challenge_is_missing_challenge() {
    let server = serve(|_| Reply::json(401, UNAUTHORIZED_BODY)).await;
    let error = call(&client(server.base_url(), "key")).await.unwrap_err();
    match &error {
        Error::Auth(e) => {
            assert_eq!(e.kind, AuthErrorKind::MissingChallenge);
            assert_eq!(e.response.as_ref().map(|r| r.body.len()), Some(UNAUTHORIZED_BODY.len()));
        }
        other => panic!("expected Auth, got {other:?}"),
    }
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_malformed_challenge_is_reported_not_panicked_on() {
    for challenge in
        [r#"Digest realm="r", algorithm=MD5"#, "Digest realm=", r#"Digest realm="r", nonce="n", algorithm=XYZ"#]
    {
        let server = serve(move |_| Reply::status(401).header("WWW-Authenticate", challenge)).await;
        let error = call(&client(server.base_url(), "key")).await.unwrap_err();
        assert!(
            matches!(&error, Error::Auth(e) if e.kind == AuthErrorKind::MalformedChallenge),
            "{challenge}: {error:?}"
        );
        assert_eq!(server.count(), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_never_repeat_a_nonce_count() {
    let (handler, log) = digest_service(DigestService::default());
    let server = serve(handler).await;
    let client = client(server.base_url(), "private-key-1234");
    call(&client).await.unwrap();
    for outcome in concurrently(&client, 40, |client| async move { call(&client).await }).await {
        outcome.unwrap();
    }
    let log = log.lock().unwrap();
    assert_eq!(log.duplicate_nc, 0);
    assert_eq!(log.accepted, 41);
    assert_eq!(log.challenges, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_first_calls_all_succeed_without_replays() {
    let (handler, log) = digest_service(DigestService::default());
    let server = serve(handler).await;
    let client = client(server.base_url(), "private-key-1234");
    for outcome in concurrently(&client, 20, |client| async move { call(&client).await }).await {
        outcome.unwrap();
    }
    let log = log.lock().unwrap();
    assert_eq!(log.duplicate_nc, 0);
    assert_eq!(log.accepted, 20);
}

#[tokio::test]
async fn sha_256_challenges_are_answered() {
    let (handler, log) = digest_service(DigestService::default().algorithm(DigestAlgorithm::Sha256));
    let server = serve(handler).await;
    let client = client(server.base_url(), "private-key-1234");
    call(&client).await.unwrap();
    call(&client).await.unwrap();
    assert_eq!(log.lock().unwrap().accepted, 2);
    let requests = server.requests();
    assert_eq!(digest_params(requests[1].header("authorization").unwrap())["algorithm"], "SHA-256");
}

#[tokio::test]
async fn servers_without_qop_get_rfc_2069_answers() {
    let (handler, log) = digest_service(DigestService::default().without_qop());
    let server = serve(handler).await;
    let client = client(server.base_url(), "private-key-1234");
    for _ in 0..3 {
        call(&client).await.unwrap();
    }
    assert_eq!(log.lock().unwrap().accepted, 3);
    let params = digest_params(server.requests()[1].header("authorization").unwrap());
    assert!(!params.contains_key("nc") && !params.contains_key("qop"), "{params:?}");
}

#[tokio::test]
async fn without_nonce_reuse_every_call_fetches_a_challenge() {
    let (handler, log) = digest_service(DigestService::default());
    let server = serve(handler).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .digest_auth("pubkey", "private-key-1234")
        .digest_nonce_reuse(false)
        .build()
        .unwrap();
    for _ in 0..3 {
        call(&client).await.unwrap();
    }
    let log = log.lock().unwrap();
    assert_eq!(log.challenges, 3);
    assert_eq!(log.first_nc, ["00000001"; 3]);
    assert_eq!(server.count(), 6);
}

#[tokio::test]
async fn query_strings_are_part_of_the_digest_uri() {
    let (handler, log) = digest_service(DigestService::default());
    let server = serve(handler).await;
    let client = client(server.base_url(), "private-key-1234");
    let raw =
        client.execute::<serde_json::Value>(delete(ORG_KEY_PATH, DIGEST_ONLY).query("pretty", true)).await.unwrap();
    assert_eq!(raw.status().as_u16(), 204);
    assert_eq!(log.lock().unwrap().accepted, 1);
    assert!(server.requests()[1].target.ends_with("?pretty=true"));
}
