//! Every public runtime type that can hold a secret, formatted with `Debug` and `Display`: no secret may
//! show up.

use std::time::Duration;

use reqwest::Method;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::{Client, ClientBuilder, Error, OperationRequest, SecurityScheme};

const PRIVATE_KEY: &str = "PRIVATE-KEY-d3adb33f";
const CLIENT_SECRET: &str = "CLIENT-SECRET-c0ffee";
const BEARER: &str = "BEARER-TOKEN-f00d";
const SECRETS: [&str; 3] = [PRIVATE_KEY, CLIENT_SECRET, BEARER];

fn assert_hidden(what: &str, shown: &str) {
    for secret in SECRETS {
        assert!(!shown.contains(secret), "{what} shows a secret: {shown}");
    }
}

/// Answers every request on loopback with `answer`, forever.
async fn canned_server(answer: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 16 * 1024];
                let mut seen = Vec::new();
                while let Ok(n) = stream.read(&mut buffer).await {
                    if n == 0 {
                        return;
                    }
                    seen.extend_from_slice(&buffer[..n]);
                    // Requests here have no body (or a tiny form), so one read per request is enough.
                    while let Some(end) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&seen[..end]).to_ascii_lowercase();
                        let body = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        seen.drain(..(end + 4 + body).min(seen.len()));
                        if stream.write_all(answer.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    format!("http://{address}")
}

const CHALLENGE_FOREVER: &str = "HTTP/1.1 401 Unauthorized\r\n\
    WWW-Authenticate: Digest realm=\"MMS Public API\", domain=\"\", nonce=\"n1\", algorithm=MD5, qop=\"auth\", stale=false\r\n\
    Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
const TOKEN_REFUSED: &str = "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: 26\r\n\r\n{\"error\":\"invalid_client\"}";
const UNAUTHORIZED: &str = "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n";

fn request(security: &'static [SecurityScheme]) -> OperationRequest {
    OperationRequest::new(
        "deleteThing",
        Method::DELETE,
        "/things/{id}",
        "/things/1".into(),
        "application/json",
        security,
    )
}

fn builders(base: &str) -> Vec<ClientBuilder> {
    vec![
        Client::builder().base_url(base).digest_auth("public-key", PRIVATE_KEY),
        Client::builder().base_url(base).service_account("mdb_sa_id_1", CLIENT_SECRET),
        Client::builder().base_url(base).bearer_token(BEARER),
    ]
}

#[test]
fn builders_and_clients_never_show_secrets() {
    for builder in builders("https://cloud.mongodb.com") {
        assert_hidden("ClientBuilder", &format!("{builder:?} {builder:#?}"));
        let client = builder.build().unwrap();
        assert_hidden("Client", &format!("{client:?} {client:#?}"));
    }
    for builder in builders("http://example.com") {
        let error = builder.build().unwrap_err();
        assert_hidden("BuildError", &format!("{error:?} {error}"));
    }
}

#[test]
fn base_urls_with_user_info_are_refused_without_echoing_them() {
    for url in [
        format!("https://user:{PRIVATE_KEY}@example.com"),
        format!("https://user:{PRIVATE_KEY}@example.com:notaport/x"),
        format!("ftp://user:{PRIVATE_KEY}@example.com/x"),
    ] {
        let error = Client::builder().base_url(url).build().unwrap_err();
        assert_hidden("BuildError", &format!("{error:?} {error}"));
    }
}

#[tokio::test]
async fn failed_authentication_errors_never_show_secrets() {
    let mut errors: Vec<Error<serde_json::Value>> = Vec::new();
    let digest = canned_server(CHALLENGE_FOREVER).await;
    let client = Client::builder().base_url(&digest).digest_auth("public-key", PRIVATE_KEY).build().unwrap();
    // Twice: once without a known nonce, once reusing it.
    for _ in 0..2 {
        errors.push(client.execute(request(&[SecurityScheme::HttpDigest])).await.unwrap_err());
    }

    let token = canned_server(TOKEN_REFUSED).await;
    let client = Client::builder()
        .base_url(&token)
        .service_account("mdb_sa_id_1", CLIENT_SECRET)
        .token_request_interval(Duration::from_secs(60))
        .build()
        .unwrap();
    for _ in 0..2 {
        errors.push(client.execute(request(&[SecurityScheme::OAuth2ClientCredentials])).await.unwrap_err());
    }

    let refused = canned_server(UNAUTHORIZED).await;
    let client = Client::builder().base_url(&refused).bearer_token(BEARER).build().unwrap();
    errors.push(client.execute(request(&[SecurityScheme::HttpBearer])).await.unwrap_err());
    errors.push(client.execute(request(&[SecurityScheme::HttpDigest])).await.unwrap_err());

    let nowhere = Client::builder()
        .base_url("http://127.0.0.1:9")
        .service_account("mdb_sa_id_1", CLIENT_SECRET)
        .no_retries()
        .build()
        .unwrap();
    errors.push(nowhere.execute(request(&[SecurityScheme::OAuth2ClientCredentials])).await.unwrap_err());

    assert_eq!(errors.len(), 7);
    for error in &errors {
        assert!(matches!(error, Error::Auth(_)), "{error:?}");
        assert_hidden("Error", &format!("{error:?} {error:#?} {error}"));
        if let Error::Auth(auth) = error {
            assert_hidden("AuthError", &format!("{auth:?} {auth}"));
        }
    }
}
