//! The local Atlas's server side checked by a client nobody here wrote: `curl --digest` (RFC 7616, MD5 and
//! SHA-256) and curl speaking OAuth client credentials.
//!
//! Needs the Debian package `curl`, so plain `cargo test` leaves these out (`#[ignore]`); `cargo xtask test`
//! installs it and runs them with `--include-ignored`, and there they fail loudly when curl is missing.

use std::process::Command;

use local_atlas::known::*;
use local_atlas::{Config, DigestAlgorithm, LocalAtlas};

const CURL: &str = "/usr/bin/curl";

/// What curl got: the final status, the final headers block, and the body.
struct CurlResult {
    status: u16,
    headers: String,
    body: String,
}

/// Runs curl (off the async threads) and returns the last answer it received.
async fn curl(args: Vec<String>) -> CurlResult {
    assert!(std::path::Path::new(CURL).exists(), "{CURL} is missing: install the Debian package `curl`");
    let output = tokio::task::spawn_blocking(move || {
        Command::new(CURL)
            .args([
                "--silent",
                "--show-error",
                "--max-time",
                "10",
                "--dump-header",
                "-",
                "--write-out",
                "\n%{http_code}",
            ])
            .args(&args)
            .output()
    })
    .await
    .unwrap()
    .expect("curl runs");
    assert!(output.status.success(), "curl failed: {}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    let (rest, status) = text.rsplit_once('\n').unwrap();
    // With --digest curl prints the 401's headers and body too; the final answer's head starts last.
    let last_head = rest.rfind("HTTP/1.1 ").unwrap();
    let (headers, body) = rest[last_head..].split_once("\r\n\r\n").unwrap();
    CurlResult { status: status.trim().parse().unwrap(), headers: headers.to_ascii_lowercase(), body: body.to_owned() }
}

fn digest_args(user: &str, password: &str, url: String) -> Vec<String> {
    vec!["--digest".into(), "-u".into(), format!("{user}:{password}"), "-X".into(), "DELETE".into(), url]
}

async fn start(config: Config) -> LocalAtlas {
    LocalAtlas::start(config).await.expect("the local Atlas must start on loopback")
}

#[tokio::test]
#[ignore = "needs curl (Debian curl): cargo xtask test installs it and runs this"]
async fn curl_digest_md5_deletes_an_org_key_then_finds_it_gone() {
    let atlas = start(Config::default()).await;
    let url = format!("{}/api/atlas/v2/orgs/{ACME_ORG}/apiKeys/{DEPLOY_KEY}", atlas.base_url());
    let first = curl(digest_args(ADMIN_PUBLIC_KEY, ADMIN_PRIVATE_KEY, url.clone())).await;
    assert_eq!(first.status, 204, "{}", first.body);
    assert!(first.headers.contains("content-type: application/vnd.atlas.2023-01-01+json;charset=utf-8"));
    assert!(first.body.is_empty());
    assert!(!atlas.org_has_key(ACME_ORG, DEPLOY_KEY) && !atlas.is_assigned(ACME_PROD, DEPLOY_KEY));

    let second = curl(digest_args(ADMIN_PUBLIC_KEY, ADMIN_PRIVATE_KEY, url)).await;
    assert_eq!(second.status, 400);
    assert!(second.headers.contains("x-error-code: api_key_not_found"), "{}", second.headers);
    let body: serde_json::Value = serde_json::from_str(&second.body).unwrap();
    assert_eq!(body["detail"], format!("No API key with ID {DEPLOY_KEY} exists."));
    let counters = atlas.counters();
    assert_eq!((counters.challenges_issued, counters.digest_accepted), (2, 2), "curl does not reuse nonces");
}

#[tokio::test]
#[ignore = "needs curl (Debian curl): cargo xtask test installs it and runs this"]
async fn curl_digest_sha256_unassigns_a_key() {
    let atlas = start(Config { digest_algorithms: vec![DigestAlgorithm::Sha256], ..Config::default() }).await;
    let url = format!("{}/api/atlas/v2/groups/{ACME_PROD}/apiKeys/{MONITORING_KEY}?pretty=true", atlas.base_url());
    let result = curl(digest_args(ADMIN_PUBLIC_KEY, ADMIN_PRIVATE_KEY, url)).await;
    assert_eq!(result.status, 204, "{}", result.body);
    assert!(!atlas.is_assigned(ACME_PROD, MONITORING_KEY));
    assert_eq!(atlas.counters().digest_sha256_accepted, 1);
}

#[tokio::test]
#[ignore = "needs curl (Debian curl): cargo xtask test installs it and runs this"]
async fn curl_with_a_wrong_password_gets_the_atlas_challenge() {
    let atlas = start(Config::default()).await;
    let url = format!("{}/api/atlas/v2/orgs/{ACME_ORG}/apiKeys/{DEPLOY_KEY}", atlas.base_url());
    let result = curl(digest_args(ADMIN_PUBLIC_KEY, "wrong", url)).await;
    assert_eq!(result.status, 401);
    assert!(
        result.headers.contains(r#"www-authenticate: digest realm="mms public api", domain="", nonce=""#),
        "{}",
        result.headers
    );
    assert!(result.headers.contains(r#"algorithm=md5, qop="auth", stale=false"#), "{}", result.headers);
    assert_eq!(
        result.body,
        "{\n  \"error\" : 401,\n  \"reason\" : \"Unauthorized\",\n  \"detail\" : \"You are not authorized for this resource.\",\n  \"errorCode\" : \"UNEXPECTED_ERROR\"\n}"
    );
    assert!(atlas.org_has_key(ACME_ORG, DEPLOY_KEY));
}

#[tokio::test]
#[ignore = "needs curl (Debian curl): cargo xtask test installs it and runs this"]
async fn curl_personal_key_delete_is_gone_and_enveloped_errors_are_200() {
    let atlas = start(Config::default()).await;
    let url = format!("{}/api/atlas/v1.0/users/{USER_ID}/keys/{USER_KEY}", atlas.base_url());
    let result = curl(digest_args(ADMIN_PUBLIC_KEY, ADMIN_PRIVATE_KEY, url)).await;
    assert_eq!(result.status, 410);
    let body: serde_json::Value = serde_json::from_str(&result.body).unwrap();
    assert_eq!(body["errorCode"], "PERSONAL_API_KEYS_DEPRECATED");

    let url = format!("{}/api/atlas/v2/groups/{MISSING_GROUP}/apiKeys/{DEPLOY_KEY}?envelope=true", atlas.base_url());
    let result = curl(digest_args(ADMIN_PUBLIC_KEY, ADMIN_PRIVATE_KEY, url)).await;
    assert_eq!(result.status, 200);
    let body: serde_json::Value = serde_json::from_str(&result.body).unwrap();
    assert_eq!(body["status"], 404);
    assert_eq!(body["content"]["errorCode"], "GROUP_NOT_FOUND");
}

#[tokio::test]
#[ignore = "needs curl (Debian curl): cargo xtask test installs it and runs this"]
async fn curl_gets_a_service_account_token_and_deletes_with_it() {
    let atlas = start(Config::default()).await;
    let token_answer = curl(vec![
        "-u".into(),
        format!("{SA_CLIENT_ID}:{SA_CLIENT_SECRET}"),
        "-H".into(),
        "Content-Type: application/x-www-form-urlencoded".into(),
        "--data".into(),
        "grant_type=client_credentials".into(),
        format!("{}/api/oauth/token", atlas.base_url()),
    ])
    .await;
    assert_eq!(token_answer.status, 200, "{}", token_answer.body);
    let token: serde_json::Value = serde_json::from_str(&token_answer.body).unwrap();
    assert_eq!(token["expires_in"], 3600);
    let access_token = token["access_token"].as_str().unwrap();
    let result = curl(vec![
        "-H".into(),
        format!("Authorization: Bearer {access_token}"),
        "-X".into(),
        "DELETE".into(),
        format!("{}/api/atlas/v2/orgs/{ACME_ORG}/apiKeys/{UNUSED_KEY}", atlas.base_url()),
    ])
    .await;
    assert_eq!(result.status, 204, "{}", result.body);
    assert!(!atlas.org_has_key(ACME_ORG, UNUSED_KEY));
    let counters = atlas.counters();
    assert_eq!((counters.tokens_issued, counters.bearer_accepted), (1, 1));
}
