//! Every public runtime type that can hold a secret, formatted with `Debug` and `Display`: no secret may
//! show up.

use std::ffi::OsString;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::{Client, ClientBuilder, Error, OperationRequest, SecurityScheme};

// Self-contained on purpose: this module is also compiled wherever the runtime is mounted (the codegen
// golden crate, standalone crates), which have tokio but not the project's test servers.

const PRIVATE_KEY: &str = "PRIVATE-KEY-d3adb33f";
const CLIENT_SECRET: &str = "CLIENT-SECRET-c0ffee";
const BEARER: &str = "BEARER-TOKEN-f00d";
const ISSUED_TOKEN: &str = "ISSUED-TOKEN-beef";
const BASIC_PASSWORD: &str = "BASIC-PASSWORD-5eed";
/// What goes on the wire for `basic-user:BASIC-PASSWORD-5eed` (base64): it must not show up either.
const BASIC_ENCODED: &str = "YmFzaWMtdXNlcjpCQVNJQy1QQVNTV09SRC01ZWVk";
const SECRETS: [&str; 6] = [PRIVATE_KEY, CLIENT_SECRET, BEARER, ISSUED_TOKEN, BASIC_PASSWORD, BASIC_ENCODED];

fn assert_hidden(what: &str, shown: &str) {
    for secret in SECRETS {
        assert!(!shown.contains(secret), "{what} shows a secret: {shown}");
    }
}

/// A raw HTTP/1.1 answer.
fn answer(status: &str, headers: &str, body: &str) -> String {
    format!("HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\n\r\n{body}", body.len())
}

/// Answers every request on loopback with `reply(path, body)`, forever.
async fn server(reply: impl Fn(&str, &str) -> String + Send + Sync + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let reply = Arc::new(reply);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let reply = reply.clone();
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 16 * 1024];
                let mut seen = Vec::new();
                while let Ok(n) = stream.read(&mut buffer).await {
                    if n == 0 {
                        return;
                    }
                    seen.extend_from_slice(&buffer[..n]);
                    // Requests here have no body or a small form, which arrives with its head.
                    while let Some(end) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&seen[..end]).into_owned();
                        let length = head
                            .to_ascii_lowercase()
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:").map(|v| v.trim().to_owned()))
                            .and_then(|v| v.parse::<usize>().ok())
                            .unwrap_or(0);
                        let total = (end + 4 + length).min(seen.len());
                        let body = String::from_utf8_lossy(&seen[end + 4..total]).into_owned();
                        let path = head.split(' ').nth(1).unwrap_or_default().to_owned();
                        seen.drain(..total);
                        if stream.write_all(reply(&path, &body).as_bytes()).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    format!("http://{address}")
}

/// A server that answers every request with the same raw answer.
async fn canned_server(fixed: String) -> String {
    server(move |_, _| fixed.clone()).await
}

fn challenge_forever() -> String {
    let challenge = r#"Digest realm="MMS Public API", domain="", nonce="n1", algorithm=MD5, qop="auth", stale=false"#;
    answer("401 Unauthorized", &format!("WWW-Authenticate: {challenge}\r\nContent-Type: application/json\r\n"), "{}")
}

fn token_refused() -> String {
    answer("400 Bad Request", "Content-Type: application/json\r\n", r#"{"error":"invalid_client"}"#)
}

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
        Client::builder().base_url(base).basic_auth("basic-user", BASIC_PASSWORD),
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
        // No scheme: `user:` parses as one, so the rest is a "path" that a naive redaction would echo.
        format!("user:{PRIVATE_KEY}@example.com"),
        format!("user:{PRIVATE_KEY}@example.com/x"),
        format!("//user:{PRIVATE_KEY}@example.com"),
        format!("user:a/{PRIVATE_KEY}@example.com"),
        format!("https://user:a/{PRIVATE_KEY}@example.com"),
        format!("https://user:{PRIVATE_KEY}@@example.com"),
    ] {
        let error = Client::builder().base_url(url).build().unwrap_err();
        assert_hidden("BuildError", &format!("{error:?} {error}"));
    }
}

#[tokio::test]
async fn failed_authentication_errors_never_show_secrets() {
    let mut errors: Vec<Error<serde_json::Value>> = Vec::new();
    let digest = canned_server(challenge_forever()).await;
    let client = Client::builder().base_url(&digest).digest_auth("public-key", PRIVATE_KEY).build().unwrap();
    // Twice: once without a known nonce, once reusing it.
    for _ in 0..2 {
        errors.push(client.execute(request(&[SecurityScheme::HttpDigest])).await.unwrap_err());
    }

    let token = canned_server(token_refused()).await;
    let client = Client::builder()
        .base_url(&token)
        .service_account("mdb_sa_id_1", CLIENT_SECRET)
        .token_request_interval(Duration::from_secs(60))
        .build()
        .unwrap();
    for _ in 0..2 {
        errors.push(client.execute(request(&[SecurityScheme::OAuth2ClientCredentials])).await.unwrap_err());
    }

    let refused = canned_server(answer("401 Unauthorized", "", "")).await;
    let client = Client::builder().base_url(&refused).bearer_token(BEARER).build().unwrap();
    errors.push(client.execute(request(&[SecurityScheme::HttpBearer])).await.unwrap_err());
    errors.push(client.execute(request(&[SecurityScheme::HttpDigest])).await.unwrap_err());

    // Refusals that echo the header they got, as a careless server might (in the body and in a header).
    let echoing = server(|_, _| {
        let body = format!(r#"{{"detail":"bad credentials: Basic {BASIC_ENCODED} or Bearer {BEARER}"}}"#);
        answer("401 Unauthorized", "WWW-Authenticate: Basic realm=\"x\"\r\nContent-Type: text/plain\r\n", &body)
    })
    .await;
    let client = Client::builder().base_url(&echoing).basic_auth("basic-user", BASIC_PASSWORD).build().unwrap();
    errors.push(client.execute(request(&[SecurityScheme::HttpBasic])).await.unwrap_err());
    let client = Client::builder().base_url(&echoing).bearer_token(BEARER).build().unwrap();
    errors.push(client.execute(request(&[SecurityScheme::HttpBearer])).await.unwrap_err());

    let nowhere = Client::builder()
        .base_url("http://127.0.0.1:9")
        .service_account("mdb_sa_id_1", CLIENT_SECRET)
        .no_retries()
        .build()
        .unwrap();
    errors.push(nowhere.execute(request(&[SecurityScheme::OAuth2ClientCredentials])).await.unwrap_err());

    assert_eq!(errors.len(), 9);
    for error in &errors {
        assert!(matches!(error, Error::Auth(_)), "{error:?}");
        assert_hidden("Error", &format!("{error:?} {error:#?} {error}"));
        if let Error::Auth(auth) = error {
            assert_hidden("AuthError", &format!("{auth:?} {auth}"));
        }
    }
}

#[tokio::test]
async fn a_refused_revocation_never_shows_the_token_or_the_secret() {
    // The token endpoint hands out ISSUED_TOKEN; the revocation endpoint refuses and echoes what it got.
    let sent = Arc::new(std::sync::Mutex::new(String::new()));
    let log = sent.clone();
    let base = server(move |path, body| match path {
        "/api/oauth/token" => answer(
            "200 OK",
            "Content-Type: application/json\r\n",
            &format!(r#"{{"access_token":"{ISSUED_TOKEN}","expires_in":3600}}"#),
        ),
        "/api/oauth/revoke" => {
            *log.lock().unwrap() = body.to_owned();
            let echo = format!(r#"{{"error":"unsupported_token_type","got":"{body}"}}"#);
            answer("400 Bad Request", "Content-Type: application/json\r\n", &echo)
        }
        _ => answer("204 No Content", "", ""),
    })
    .await;
    let client = Client::builder()
        .base_url(&base)
        .service_account("mdb_sa_id_1", CLIENT_SECRET)
        .token_request_interval(Duration::ZERO)
        .build()
        .unwrap();
    client.execute::<serde_json::Value>(request(&[SecurityScheme::OAuth2ClientCredentials])).await.unwrap();
    let error = client.revoke_token().await.expect_err("the endpoint refuses");
    assert_eq!(error.kind, super::AuthErrorKind::TokenRevocation);
    assert_eq!(error.status.map(|s| s.as_u16()), Some(400));
    assert_hidden("AuthError", &format!("{error:?} {error:#?} {error}"));
    // What was sent did carry the token, so the check above had something to find.
    assert!(sent.lock().unwrap().contains(ISSUED_TOKEN), "{}", sent.lock().unwrap());
}

#[test]
fn environment_errors_and_builders_from_the_environment_never_show_values() {
    let from = |vars: &[(&str, &str)]| {
        let vars: Vec<(String, OsString)> = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).into())).collect();
        ClientBuilder::default().configured_from(|name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
    };
    let builder = from(&[("MONGODB_ATLAS_PUBLIC_API_KEY", "pub"), ("MONGODB_ATLAS_PRIVATE_API_KEY", PRIVATE_KEY)]);
    assert_hidden("ClientBuilder", &format!("{:?}", builder.expect("an API key")));
    let builder = from(&[("MONGODB_ATLAS_CLIENT_ID", "id"), ("MONGODB_ATLAS_CLIENT_SECRET", CLIENT_SECRET)]);
    assert_hidden("ClientBuilder", &format!("{:?}", builder.expect("a service account")));
    for half in [("MONGODB_ATLAS_CLIENT_SECRET", CLIENT_SECRET), ("MONGODB_ATLAS_PRIVATE_KEY", PRIVATE_KEY)] {
        let error = from(&[half]).expect_err("half a pair");
        assert_hidden("EnvError", &format!("{error:?} {error}"));
    }
}
