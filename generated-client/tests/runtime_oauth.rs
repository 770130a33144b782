//! Service accounts: the token request, caching, single-flight refresh, refresh after a 401, and not
//! hammering the token endpoint.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use atlas_admin::runtime::{AuthErrorKind, Client, Error};
use base64::Engine as _;
use common::{ORG_KEY_PATH, Reply, Request, Server, TOKEN_ONLY, UNAUTHORIZED_BODY, concurrently, delete, serve};

const TOKEN_PATH: &str = "/api/oauth/token";

/// A service that hands out `token-1`, `token-2`, ... and accepts the tokens in `valid`.
struct TokenService {
    issued: AtomicUsize,
    valid: Mutex<Vec<String>>,
    expires_in: u64,
    token_delay: Duration,
}

impl TokenService {
    fn new(expires_in: u64) -> Arc<Self> {
        Arc::new(TokenService {
            issued: AtomicUsize::new(0),
            valid: Mutex::new(Vec::new()),
            expires_in,
            token_delay: Duration::ZERO,
        })
    }

    fn reply(&self, request: &Request) -> Reply {
        if request.path() == TOKEN_PATH {
            let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
            let token = format!("token-{n}");
            self.valid.lock().unwrap().push(token.clone());
            let body =
                format!(r#"{{"access_token":"{token}","expires_in":{},"token_type":"Bearer"}}"#, self.expires_in);
            return Reply::json(200, &body).after(self.token_delay);
        }
        let presented = request.header("authorization").and_then(|h| h.strip_prefix("Bearer ")).unwrap_or_default();
        if self.valid.lock().unwrap().iter().any(|t| t == presented) {
            Reply::status(204)
        } else {
            Reply::json(401, UNAUTHORIZED_BODY)
        }
    }
}

async fn start(service: Arc<TokenService>) -> Server {
    serve(move |request| service.reply(request)).await
}

fn client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .service_account("mdb_sa_id_1234", "mdb_sa_sk_abcd")
        .token_request_interval(Duration::ZERO)
        .no_retries()
        .build()
        .unwrap()
}

async fn call(client: &Client) -> Result<u16, Error<serde_json::Value>> {
    let raw = client.execute::<serde_json::Value>(delete(ORG_KEY_PATH, TOKEN_ONLY)).await?;
    if raw.status().is_success() {
        Ok(raw.decode_empty::<(), serde_json::Value>()?.status.as_u16())
    } else {
        raw.into_error()
    }
}

#[tokio::test]
async fn the_token_request_is_client_credentials_with_basic_auth() {
    let server = start(TokenService::new(3600)).await;
    assert_eq!(call(&client(server.base_url())).await.unwrap(), 204);
    let requests = server.requests();
    let token = &requests[0];
    assert_eq!(token.method, "POST");
    assert_eq!(token.path(), TOKEN_PATH);
    let expected = base64::engine::general_purpose::STANDARD.encode("mdb_sa_id_1234:mdb_sa_sk_abcd");
    assert_eq!(token.header("authorization"), Some(format!("Basic {expected}").as_str()));
    assert_eq!(token.header("content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(token.header("accept"), Some("application/json"));
    assert_eq!(token.body, b"grant_type=client_credentials");
    assert_eq!(requests[1].header("authorization"), Some("Bearer token-1"));
}

#[tokio::test]
async fn the_token_is_cached_across_calls() {
    let server = start(TokenService::new(3600)).await;
    let client = client(server.base_url());
    for _ in 0..5 {
        call(&client).await.unwrap();
    }
    assert_eq!(server.count_path(TOKEN_PATH), 1);
    assert_eq!(server.count(), 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_share_one_token_request() {
    let service = Arc::new(TokenService {
        issued: AtomicUsize::new(0),
        valid: Mutex::new(Vec::new()),
        expires_in: 3600,
        token_delay: Duration::from_millis(200),
    });
    let server = start(service).await;
    let client = client(server.base_url());
    for outcome in concurrently(&client, 16, |client| async move { call(&client).await }).await {
        assert_eq!(outcome.unwrap(), 204);
    }
    assert_eq!(server.count_path(TOKEN_PATH), 1);
}

#[tokio::test]
async fn a_token_near_expiry_is_refreshed_before_use() {
    // expires_in 1 s: the 10 % margin makes it due after 0.9 s.
    let server = start(TokenService::new(1)).await;
    let client = client(server.base_url());
    call(&client).await.unwrap();
    call(&client).await.unwrap();
    assert_eq!(server.count_path(TOKEN_PATH), 1);
    tokio::time::sleep(Duration::from_millis(950)).await;
    call(&client).await.unwrap();
    assert_eq!(server.count_path(TOKEN_PATH), 2);
}

#[tokio::test]
async fn a_401_with_a_cached_token_refreshes_once_and_retries_once() {
    let service = TokenService::new(3600);
    let server = start(service.clone()).await;
    let client = client(server.base_url());
    call(&client).await.unwrap();
    // The service revokes the token.
    service.valid.lock().unwrap().clear();
    assert_eq!(call(&client).await.unwrap(), 204);
    assert_eq!(server.count_path(TOKEN_PATH), 2);
    let sent: Vec<_> =
        server.requests().iter().map(|r| (r.path().to_owned(), r.header("authorization").map(str::to_owned))).collect();
    let after_revocation: Vec<_> =
        sent[2..].iter().map(|(path, auth)| (path.as_str(), auth.as_deref().unwrap_or(""))).collect();
    assert_eq!(after_revocation[0], (ORG_KEY_PATH, "Bearer token-1"));
    assert_eq!(after_revocation[1].0, TOKEN_PATH);
    assert_eq!(after_revocation[2], (ORG_KEY_PATH, "Bearer token-2"));
    assert_eq!(after_revocation.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_401s_trigger_one_refresh() {
    let service = TokenService::new(3600);
    let server = start(service.clone()).await;
    let client = client(server.base_url());
    call(&client).await.unwrap();
    service.valid.lock().unwrap().clear();
    for outcome in concurrently(&client, 8, |client| async move { call(&client).await }).await {
        assert_eq!(outcome.unwrap(), 204);
    }
    assert_eq!(server.count_path(TOKEN_PATH), 2);
}

#[tokio::test]
async fn a_401_with_a_fresh_token_is_a_rejection_without_refresh() {
    let server = serve(|request| {
        if request.path() == TOKEN_PATH {
            Reply::json(200, r#"{"access_token":"t","expires_in":3600,"token_type":"Bearer"}"#)
        } else {
            Reply::json(401, r#"{"error":401,"errorCode":"NOT_API_KEY_ADMIN"}"#)
        }
    })
    .await;
    let client = Client::builder()
        .base_url(server.base_url())
        .service_account("id", "secret")
        .token_request_interval(Duration::from_secs(60))
        .build()
        .unwrap();
    let error = call(&client).await.unwrap_err();
    assert!(error.is_unauthorized(), "{error:?}");
    assert_eq!(error.error_code().as_deref(), Some("NOT_API_KEY_ADMIN"));
    // A young cached token that gets 401 again means missing permissions: no token request for that.
    let error = call(&client).await.unwrap_err();
    assert!(error.is_unauthorized());
    assert_eq!(server.count_path(TOKEN_PATH), 1);
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn a_failed_token_request_is_reported_and_not_repeated_at_once() {
    let server = serve(|request| {
        if request.path() == TOKEN_PATH {
            Reply::json(400, r#"{"error":"invalid_client","error_description":"bad secret"}"#)
        } else {
            Reply::status(204)
        }
    })
    .await;
    let client = Client::builder()
        .base_url(server.base_url())
        .service_account("id", "secret")
        .token_request_interval(Duration::from_secs(60))
        .build()
        .unwrap();
    for _ in 0..3 {
        match call(&client).await.unwrap_err() {
            Error::Auth(error) => {
                assert_eq!(error.kind, AuthErrorKind::TokenRequest);
                assert_eq!(error.status.map(|s| s.as_u16()), Some(400));
                let body = &error.response.as_ref().unwrap().body;
                assert!(String::from_utf8_lossy(body).contains("invalid_client"));
            }
            other => panic!("expected Auth, got {other:?}"),
        }
    }
    assert_eq!(server.count(), 1, "one token request, no API request");
}

#[tokio::test]
async fn a_rate_limited_token_endpoint_is_left_alone_for_its_retry_after() {
    let server = serve(|request| {
        if request.path() == TOKEN_PATH {
            Reply::json(429, r#"{"error":429}"#).header("Retry-After", "30")
        } else {
            Reply::status(204)
        }
    })
    .await;
    let client = client(server.base_url());
    for _ in 0..3 {
        let error = call(&client).await.unwrap_err();
        assert!(matches!(&error, Error::Auth(e) if e.kind == AuthErrorKind::TokenRequest), "{error:?}");
    }
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn an_unreadable_token_answer_is_a_token_request_error() {
    let server = serve(|_| Reply::status(200).header("Content-Type", "text/html").body("<html>proxy</html>")).await;
    match call(&client(server.base_url())).await.unwrap_err() {
        Error::Auth(error) => {
            assert_eq!(error.kind, AuthErrorKind::TokenRequest);
            assert_eq!(&error.response.unwrap().body[..], b"<html>proxy</html>");
        }
        other => panic!("expected Auth, got {other:?}"),
    }
}
