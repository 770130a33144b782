//! The tracing span of a call: the fields it promises, and nothing secret or filled in.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use atlas_admin::runtime::Client;
use common::{DIGEST_ONLY, DigestService, ORG_KEY_PATH, Reply, TOKEN_ONLY, delete, digest_service, serve};
use tracing_subscriber::fmt::MakeWriter;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Everything logged at every level while the guard lives.
fn capture() -> (Captured, tracing::subscriber::DefaultGuard) {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    (captured, tracing::subscriber::set_default(subscriber))
}

// A current-thread runtime keeps every poll on this thread, where the scoped subscriber is installed.
#[tokio::test(flavor = "current_thread")]
async fn the_span_names_the_operation_and_template_but_no_secret_or_id() {
    let (captured, _guard) = capture();

    let (handler, _) = digest_service(DigestService::default());
    let server = serve(handler).await;
    let client =
        Client::builder().base_url(server.base_url()).digest_auth("pubkey", "private-key-1234").build().unwrap();
    for _ in 0..2 {
        client.execute::<serde_json::Value>(delete(ORG_KEY_PATH, DIGEST_ONLY)).await.unwrap();
    }

    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(output.contains("operation_id=\"deleteOrgApiKey\""), "{output}");
    assert!(output.contains("method=DELETE"), "{output}");
    assert!(output.contains("path=\"/api/atlas/v2/orgs/{orgId}/apiKeys/{apiUserId}\""), "{output}");
    assert!(output.contains("status=204"), "{output}");
    assert!(output.contains("attempt=1"), "{output}");
    assert!(!output.contains("private-key-1234"), "{output}");
    assert!(!output.contains("5953c5f380eef53887615f9a"), "the filled path leaked: {output}");
    assert!(!output.to_ascii_lowercase().contains("response=\""), "a digest answer leaked: {output}");
}

/// A service account's secret and the tokens it gets, and a static bearer token, never reach the logs.
#[tokio::test(flavor = "current_thread")]
async fn service_account_secrets_and_tokens_are_not_logged() {
    let (captured, _guard) = capture();
    let server = serve(|request| {
        if request.path() == "/api/oauth/token" {
            Reply::json(200, r#"{"access_token":"issued-token-5678","expires_in":3600,"token_type":"Bearer"}"#)
        } else {
            Reply::status(204)
        }
    })
    .await;
    let client = Client::builder()
        .base_url(server.base_url())
        .service_account("client-id", "client-secret-9012")
        .build()
        .unwrap();
    for _ in 0..2 {
        client.execute::<serde_json::Value>(delete(ORG_KEY_PATH, TOKEN_ONLY)).await.unwrap();
    }
    let bearer = Client::builder().base_url(server.base_url()).bearer_token("static-token-3456").build().unwrap();
    bearer.execute::<serde_json::Value>(delete(ORG_KEY_PATH, TOKEN_ONLY)).await.unwrap();

    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(output.contains("status=204"), "the calls were logged: {output}");
    for secret in ["client-secret-9012", "issued-token-5678", "static-token-3456"] {
        assert!(!output.contains(secret), "{secret} leaked: {output}");
    }
    // Basic auth of the token request, base64 of "client-id:client-secret-9012".
    assert!(!output.contains("Y2xpZW50LWlkOmNsaWVudC1zZWNyZXQtOTAxMg"), "{output}");
}
