//! Retries against a real loopback server: rate limits, server errors, lost connections, limits.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use atlas_admin::runtime::{Client, Error, OperationRequest, RetryPolicy, TransportErrorKind};
use common::{DIGEST_ONLY, DigestService, NO_SECURITY, ORG_KEY_PATH, Reply, delete, digest_service, serve};
use reqwest::Method;

const RATE_LIMITED: &str = r#"{"error":429,"errorCode":"RATE_LIMITED_TOKEN_BUCKET","detail":"Please retry after 1 seconds.","reason":"Too Many Requests"}"#;

fn fast() -> RetryPolicy {
    RetryPolicy::new().base_backoff(Duration::from_millis(5)).max_backoff(Duration::from_millis(20))
}

fn client(base: &str, policy: RetryPolicy) -> Client {
    Client::builder().base_url(base).retry_policy(policy).build().unwrap()
}

async fn call_request(client: &Client, request: OperationRequest) -> Result<u16, Error<serde_json::Value>> {
    let raw = client.execute::<serde_json::Value>(request).await?;
    if raw.status().is_success() {
        Ok(raw.decode_empty::<(), serde_json::Value>()?.status.as_u16())
    } else {
        raw.into_error()
    }
}

async fn call(client: &Client) -> Result<u16, Error<serde_json::Value>> {
    call_request(client, delete(ORG_KEY_PATH, NO_SECURITY)).await
}

/// Answers with `first` for the first `times` requests, then 204.
fn failing_then_ok(times: usize, first: Reply) -> impl Fn(&common::Request) -> Reply + Send + Sync + 'static {
    let seen = Arc::new(AtomicUsize::new(0));
    move |_| if seen.fetch_add(1, Ordering::SeqCst) < times { first.clone() } else { Reply::status(204) }
}

#[tokio::test]
async fn a_429_waits_for_retry_after_then_succeeds() {
    let server = serve(failing_then_ok(1, Reply::json(429, RATE_LIMITED).header("Retry-After", "1"))).await;
    let started = Instant::now();
    assert_eq!(call(&client(server.base_url(), fast())).await.unwrap(), 204);
    assert!(started.elapsed() >= Duration::from_secs(1), "waited {:?}", started.elapsed());
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_503_is_retried() {
    let server = serve(failing_then_ok(2, Reply::json(503, r#"{"error":503}"#))).await;
    assert_eq!(call(&client(server.base_url(), fast())).await.unwrap(), 204);
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn a_500_backs_off_and_is_retried() {
    let server = serve(failing_then_ok(2, Reply::json(500, r#"{"error":500,"errorCode":"UNEXPECTED_ERROR"}"#))).await;
    let started = Instant::now();
    assert_eq!(call(&client(server.base_url(), fast())).await.unwrap(), 204);
    assert_eq!(server.count(), 3);
    // Equal jitter: at least half of 5 ms, then half of 10 ms.
    assert!(started.elapsed() >= Duration::from_micros(7_500));
}

#[tokio::test]
async fn a_500_on_a_post_is_not_repeated() {
    let server = serve(failing_then_ok(1, Reply::json(500, r#"{"error":500}"#))).await;
    let request =
        OperationRequest::new("createThing", Method::POST, "/things", "/things".into(), "application/json", &[]);
    let error = call_request(&client(server.base_url(), fast()), request).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn with_retries_off_the_first_answer_is_final() {
    let server = serve(failing_then_ok(1, Reply::json(503, r#"{"error":503}"#))).await;
    let client = Client::builder().base_url(server.base_url()).no_retries().build().unwrap();
    let error = call(&client).await.unwrap_err();
    assert!(matches!(&error, Error::Api(e) if e.status.as_u16() == 503), "{error:?}");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn exhausted_retries_return_the_last_answer_decoded() {
    let server = serve(|_| Reply::json(429, RATE_LIMITED).header("Retry-After", "0")).await;
    let error = call(&client(server.base_url(), fast().max_attempts(3))).await.unwrap_err();
    assert_eq!(server.count(), 3);
    match &error {
        Error::Api(e) => assert_eq!(e.status.as_u16(), 429),
        other => panic!("expected Api, got {other:?}"),
    }
    assert_eq!(error.retry_after(), Some(0));
    assert_eq!(error.error_code().as_deref(), Some("RATE_LIMITED_TOKEN_BUCKET"));
}

#[tokio::test]
async fn a_retry_after_beyond_the_budget_returns_the_answer_at_once() {
    let server = serve(|_| Reply::json(429, RATE_LIMITED).header("Retry-After", "1")).await;
    let started = Instant::now();
    let error = call(&client(server.base_url(), fast().total_budget(Duration::from_millis(300)))).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(900), "did not wait: {:?}", started.elapsed());
    assert_eq!(server.count(), 1);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(error.retry_after(), Some(1));
}

#[tokio::test]
async fn an_html_502_after_retries_keeps_its_body() {
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let server = serve(move |_| Reply::status(502).header("Content-Type", "text/html").body(page)).await;
    let error = call(&client(server.base_url(), fast().max_attempts(2))).await.unwrap_err();
    assert_eq!(server.count(), 2);
    match error {
        Error::UnexpectedResponse(e) => {
            assert_eq!(e.status.as_u16(), 502);
            assert_eq!(&e.body[..], page.as_bytes());
        }
        other => panic!("expected UnexpectedResponse, got {other:?}"),
    }
}

#[tokio::test]
async fn a_connection_closed_without_an_answer_is_retried() {
    let server = serve(failing_then_ok(1, Reply::Close)).await;
    assert_eq!(call(&client(server.base_url(), fast())).await.unwrap(), 204);
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_reset_connection_is_retried() {
    let server = serve(failing_then_ok(2, Reply::Reset)).await;
    assert_eq!(call(&client(server.base_url(), fast())).await.unwrap(), 204);
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn a_lost_connection_without_retries_is_a_transport_error() {
    for reply in [Reply::Close, Reply::Reset] {
        let server = serve(move |_| reply.clone()).await;
        let client = Client::builder().base_url(server.base_url()).no_retries().build().unwrap();
        match call(&client).await.unwrap_err() {
            Error::Transport(e) => {
                assert_eq!(e.kind, TransportErrorKind::Connect, "{e}");
                assert_eq!(e.attempts, 1);
            }
            other => panic!("expected Transport, got {other:?}"),
        }
        assert_eq!(server.count(), 1);
    }
}

#[tokio::test]
async fn a_refused_connection_reports_every_attempt() {
    // Bind and drop a listener to get a loopback port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = client(&format!("http://127.0.0.1:{port}"), fast().max_attempts(3));
    match call(&client).await.unwrap_err() {
        Error::Transport(e) => {
            assert_eq!(e.kind, TransportErrorKind::Connect);
            assert_eq!(e.attempts, 3);
            assert!(e.to_string().contains("after 3 attempt(s)"), "{e}");
        }
        other => panic!("expected Transport, got {other:?}"),
    }
}

#[tokio::test]
async fn a_server_slower_than_the_timeout_is_a_timeout() {
    let server = serve(|_| Reply::status(204).after(Duration::from_secs(3))).await;
    let client = Client::builder().base_url(server.base_url()).timeout(Duration::from_millis(200)).build().unwrap();
    let started = Instant::now();
    match call(&client).await.unwrap_err() {
        Error::Transport(e) => {
            assert_eq!(e.kind, TransportErrorKind::Timeout);
            assert_eq!(e.attempts, 1, "timeouts are not retried by default");
        }
        other => panic!("expected Transport, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn timeouts_can_be_retried() {
    let server = serve(failing_then_ok(1, Reply::status(204).after(Duration::from_secs(3)))).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .timeout(Duration::from_millis(200))
        .retry_policy(fast().retry_timeouts(true))
        .build()
        .unwrap();
    assert_eq!(call(&client).await.unwrap(), 204);
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_body_cut_short_is_a_transport_error() {
    let raw = b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"error\":404,\"errorCo".to_vec();
    let server = serve(move |_| Reply::Raw(raw.clone())).await;
    let client = Client::builder().base_url(server.base_url()).no_retries().build().unwrap();
    match call(&client).await.unwrap_err() {
        Error::Transport(e) => assert_eq!(e.kind, TransportErrorKind::Body, "{e}"),
        other => panic!("expected Transport, got {other:?}"),
    }
}

#[tokio::test]
async fn truncated_json_in_a_complete_answer_is_kept_raw() {
    let server = serve(|_| Reply::json(404, r#"{"error":404,"errorCode":"GROUP_NOT"#)).await;
    match call(&client(server.base_url(), fast())).await.unwrap_err() {
        Error::UnexpectedResponse(e) => {
            assert_eq!(e.status.as_u16(), 404);
            assert_eq!(&e.body[..], br#"{"error":404,"errorCode":"GROUP_NOT"#);
        }
        other => panic!("expected UnexpectedResponse, got {other:?}"),
    }
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_rate_limit_inside_an_envelope_is_retried() {
    let server = serve(failing_then_ok(
        1,
        Reply::json(200, r#"{"status":429,"content":{"error":429,"errorCode":"RATE_LIMITED"}}"#)
            .header("Retry-After", "0"),
    ))
    .await;
    let request = delete(ORG_KEY_PATH, NO_SECURITY).query("envelope", true);
    assert_eq!(call_request(&client(server.base_url(), fast()), request).await.unwrap(), 204);
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_retried_digest_call_reuses_the_nonce() {
    let (digest, log) = digest_service(DigestService::default());
    let limited = Arc::new(AtomicUsize::new(0));
    let server = serve(move |request| {
        // The second authenticated request is rate limited once.
        if request.header("authorization").is_some() && limited.fetch_add(1, Ordering::SeqCst) == 1 {
            return Reply::json(429, RATE_LIMITED).header("Retry-After", "0");
        }
        digest(request)
    })
    .await;
    let client = Client::builder()
        .base_url(server.base_url())
        .digest_auth("pubkey", "private-key-1234")
        .retry_policy(fast())
        .build()
        .unwrap();
    for _ in 0..2 {
        let raw = client.execute::<serde_json::Value>(delete(ORG_KEY_PATH, DIGEST_ONLY)).await.unwrap();
        assert_eq!(raw.status().as_u16(), 204);
    }
    let log = log.lock().unwrap();
    assert_eq!(log.challenges, 1);
    assert_eq!(log.accepted, 2);
    assert_eq!(server.count(), 4);
}
