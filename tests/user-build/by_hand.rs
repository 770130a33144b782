//! The delete of `atlas_admin.rs` written by hand on the same stack (reqwest with rustls and ring, tokio,
//! serde, serde_json, http-auth): the ids checked, the digest challenge answered, the version in `Accept`,
//! the error body decoded and "already gone" recognised. What it leaves out (retries, nonce reuse, the
//! token flow, redirects refused, the body limit) the library does; the bench compares build costs only.

use std::time::Duration;

use http_auth::{PasswordClient, PasswordParams};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, AUTHORIZATION, WWW_AUTHENTICATE};
use serde::Deserialize;

/// Atlas's error body, the part this program reads.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApiError {
    error_code: Option<String>,
    detail: Option<String>,
}

/// An Atlas id: 24 lower-case hexadecimal digits.
fn hex24(id: &str) -> Result<&str, String> {
    let valid = id.len() == 24 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if valid { Ok(id) } else { Err(format!("{id:?} is not 24 lower-case hexadecimal digits")) }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // reqwest's `rustls-no-provider` needs a process-wide provider: ring's, as atlas-admin installs.
    #[allow(deprecated, reason = "rustls 0.23.48 deprecates ring's provider, with no other way to name it")]
    let _ = rustls::crypto::ring::default_provider().install_default();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [base_url, public_key, private_key, org, key] = &args[..] else {
        return Err("usage: BASE_URL PUBLIC_KEY PRIVATE_KEY ORG_ID API_KEY_ID".into());
    };
    let path = format!("/api/atlas/v2/orgs/{}/apiKeys/{}", hex24(org)?, hex24(key)?);
    let url = format!("{}{path}", base_url.trim_end_matches('/'));
    let accept = "application/vnd.atlas.2023-01-01+json";
    let client = reqwest::Client::builder().timeout(Duration::from_secs(60)).build()?;
    let mut answer = client.delete(&url).header(ACCEPT, accept).send().await?;
    if answer.status() == StatusCode::UNAUTHORIZED {
        let challenge = answer.headers().get(WWW_AUTHENTICATE).ok_or("a 401 without a challenge")?.to_str()?;
        let mut digest = PasswordClient::try_from(challenge)?;
        let params = PasswordParams { username: public_key, password: private_key, uri: &path, method: "DELETE", body: None };
        let authorization = digest.respond(&params)?;
        answer = client.delete(&url).header(ACCEPT, accept).header(AUTHORIZATION, authorization).send().await?;
    }
    let status = answer.status();
    if status.is_success() {
        println!("deleted ({status})");
        return Ok(());
    }
    let body = answer.bytes().await?;
    match serde_json::from_slice::<ApiError>(&body) {
        Ok(error) if status == StatusCode::NOT_FOUND || error.error_code.as_deref() == Some("API_KEY_NOT_FOUND") => {
            println!("already gone");
            Ok(())
        }
        Ok(error) => Err(format!("{status} {}: {}", error.error_code.unwrap_or_default(), error.detail.unwrap_or_default()).into()),
        Err(_) => Err(format!("{status}: {}", String::from_utf8_lossy(&body)).into()),
    }
}
