//! HTTP Basic against a loopback server that checks the header: sent to operations whose spec asks for
//! it (`type: http, scheme: basic`), refused before sending for the others, and a refusal worded as such.

mod common;

use atlas_admin::runtime::{AuthErrorKind, Client, Error, SecurityScheme};
use base64::Engine as _;
use common::{DIGEST_ONLY, NO_SECURITY, ORG_KEY_PATH, Reply, delete, serve};

const BASIC_ONLY: &[SecurityScheme] = &[SecurityScheme::HttpBasic];
const USER: &str = "basic-user";
/// A colon and non-ASCII in the password: only the first colon separates user from password.
const PASSWORD: &str = "pa:ss-wörd-7f3e";

fn expected_header() -> String {
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}")))
}

fn client(base: &str, password: &str) -> Client {
    Client::builder().base_url(base).basic_auth(USER, password).no_retries().build().unwrap()
}

/// 204 to the right `Authorization`, 401 with a Basic challenge to anything else.
async fn basic_server() -> common::Server {
    let expected = expected_header();
    serve(move |request| {
        if request.header("authorization") == Some(expected.as_str()) {
            Reply::status(204)
        } else {
            Reply::json(401, r#"{"error":401,"errorCode":"UNAUTHORIZED"}"#)
                .header("WWW-Authenticate", r#"Basic realm="x""#)
        }
    })
    .await
}

#[tokio::test]
async fn a_basic_operation_gets_the_encoded_user_and_password() {
    let server = basic_server().await;
    let raw = client(server.base_url(), PASSWORD).execute::<serde_json::Value>(delete(ORG_KEY_PATH, BASIC_ONLY)).await;
    assert_eq!(raw.unwrap().status().as_u16(), 204);
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "no challenge round trip: Basic is sent up front");
    assert_eq!(requests[0].header("authorization"), Some(expected_header().as_str()));
}

#[tokio::test]
async fn a_refused_password_is_a_rejection_that_never_shows_it() {
    let server = basic_server().await;
    let error = client(server.base_url(), "wrong-password-91c2")
        .execute::<serde_json::Value>(delete(ORG_KEY_PATH, BASIC_ONLY))
        .await
        .unwrap_err();
    let Error::Auth(auth) = &error else { panic!("expected an auth error, got {error:?}") };
    assert_eq!(auth.kind, AuthErrorKind::Rejected);
    assert!(error.to_string().contains("the user name and password were refused"), "{error}");
    let shown = format!("{error} {error:?} {error:#?}");
    assert!(!shown.contains("wrong-password-91c2") && !shown.contains(&expected_header()[6..]), "{shown}");
}

#[tokio::test]
async fn operations_that_do_not_take_basic_get_nothing_sent() {
    let server = basic_server().await;
    let client = client(server.base_url(), PASSWORD);
    let error = client.execute::<serde_json::Value>(delete(ORG_KEY_PATH, DIGEST_ONLY)).await.unwrap_err();
    assert!(matches!(&error, Error::Auth(a) if a.kind == AuthErrorKind::SchemeNotAllowed), "{error:?}");
    assert_eq!(server.count(), 0, "refused before sending");
    // An operation that needs no credentials gets none.
    let _ = client.execute::<serde_json::Value>(delete(ORG_KEY_PATH, NO_SECURITY)).await;
    assert_eq!(server.requests()[0].header("authorization"), None);
}

#[test]
fn basic_credentials_need_https_or_loopback() {
    let error = Client::builder().base_url("http://cloud.example").basic_auth(USER, PASSWORD).build().unwrap_err();
    assert!(error.to_string().contains("cloud.example") && !error.to_string().contains(PASSWORD), "{error}");
    let builder = Client::builder().basic_auth(USER, PASSWORD);
    assert!(!format!("{builder:?}").contains(PASSWORD));
    assert!(!format!("{:?}", builder.build().unwrap()).contains(PASSWORD));
}
