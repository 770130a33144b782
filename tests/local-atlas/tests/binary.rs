//! The `local-atlas` binary: flags, the printed base URL, serving, and the counters endpoint.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use local_atlas::DigestAlgorithm;
use local_atlas::digest::expected_response;
use local_atlas::known::*;
use local_atlas::raw::digest_params;

/// A plain reqwest client. Built in the workspace next to atlas-admin, whose default TLS feature leaves
/// reqwest without a crypto provider, it needs one installed first: building a rustls config installs the
/// one rustls's features name (ring, the only one this workspace enables) as the process default.
/// (`crypto::ring::default_provider` would say so directly, but rustls 0.23.48 deprecates it.)
fn plain_client() -> reqwest::Client {
    let _ = rustls::ClientConfig::builder();
    reqwest::Client::builder().no_proxy().build().expect("a plain HTTP client")
}

/// Kills the binary when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_prints_its_url_and_serves_the_seed() {
    let child = Command::new(env!("CARGO_BIN_EXE_local-atlas"))
        .args(["--port", "0", "--digest", "sha-256", "--rate-limit", "100/10/1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the local-atlas binary starts");
    let mut running = Running(child);
    let stdout = running.0.stdout.take().unwrap();
    let lines: Vec<String> = tokio::task::spawn_blocking(move || {
        BufReader::new(stdout).lines().map_while(Result::ok).take_while(|l| !l.starts_with("try:")).collect()
    })
    .await
    .unwrap();
    let first = lines.first().expect("the binary printed something");
    let base_url = first.strip_prefix("local Atlas listening on ").expect("the first line names the URL").to_owned();
    assert!(base_url.starts_with("http://127.0.0.1:"), "{base_url}");
    assert!(lines.iter().any(|l| l.contains(ADMIN_PUBLIC_KEY)), "the seeded credentials are printed: {lines:#?}");
    assert!(lines.iter().any(|l| l.contains("Sha256")), "{lines:#?}");

    // A digest exchange by hand: the challenge, then the SHA-256 answer.
    let path = format!("/api/atlas/v2/orgs/{ACME_ORG}/apiKeys/{UNUSED_KEY}");
    let http = plain_client();
    let challenge = http.delete(format!("{base_url}{path}")).send().await.unwrap();
    assert_eq!(challenge.status().as_u16(), 401);
    let header = challenge.headers()["www-authenticate"].to_str().unwrap().to_owned();
    let params = digest_params(&header);
    assert_eq!(params["algorithm"], "SHA-256", "{header}");
    let (realm, nonce) = (&params["realm"], &params["nonce"]);
    let response = expected_response(
        DigestAlgorithm::Sha256,
        ADMIN_PUBLIC_KEY,
        realm,
        ADMIN_PRIVATE_KEY,
        "DELETE",
        &path,
        nonce,
        "00000001",
        "c0ffee",
    );
    let authorization = format!(
        r#"Digest username="{ADMIN_PUBLIC_KEY}", realm="{realm}", nonce="{nonce}", uri="{path}", algorithm=SHA-256, qop=auth, nc=00000001, cnonce="c0ffee", response="{response}""#
    );
    let answer = http.delete(format!("{base_url}{path}")).header("authorization", authorization).send().await.unwrap();
    assert_eq!(answer.status().as_u16(), 204);
    assert_eq!(answer.headers()["ratelimit-limit"], "100", "the --rate-limit flag took effect");

    let url = format!("{base_url}{}", local_atlas::COUNTERS_PATH);
    let text = http.get(url).send().await.unwrap().text().await.unwrap();
    let counters: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(counters["orgKeysDeleted"], 1);
    assert_eq!(counters["digestSha256Accepted"], 1);
}

#[test]
fn bad_flags_exit_with_usage() {
    let output = Command::new(env!("CARGO_BIN_EXE_local-atlas")).args(["--digest", "sha-1"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown algorithm") && stderr.contains("USAGE"), "{stderr}");
}

#[test]
fn help_goes_to_stdout_and_succeeds() {
    let output = Command::new(env!("CARGO_BIN_EXE_local-atlas")).arg("--help").output().unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("local-atlas: a local MongoDB Atlas"));
}
