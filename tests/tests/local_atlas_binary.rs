//! The `mock-atlas` binary: flags, the printed base URL, serving, and the counters endpoint.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use atlas_admin_tests::mock_atlas::known::*;

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
    let child = Command::new(env!("CARGO_BIN_EXE_mock-atlas"))
        .args(["--port", "0", "--digest", "sha-256", "--rate-limit", "100/10/1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the mock-atlas binary starts");
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

    let client = atlas_admin::Client::builder()
        .base_url(&base_url)
        .digest_auth(ADMIN_PUBLIC_KEY, ADMIN_PRIVATE_KEY)
        .build()
        .unwrap();
    let org = ACME_ORG.parse().unwrap();
    let key = UNUSED_KEY.parse().unwrap();
    let answer = client.delete_org_api_key(&org, &key).send().await.unwrap();
    assert_eq!(answer.status.as_u16(), 204);
    assert_eq!(answer.headers.rate_limit_limit, Some(100), "the --rate-limit flag took effect");

    let text = reqwest::get(format!("{base_url}/__mock/counters")).await.unwrap().text().await.unwrap();
    let counters: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(counters["orgKeysDeleted"], 1);
    assert_eq!(counters["digestSha256Accepted"], 1);
}

#[test]
fn bad_flags_exit_with_usage() {
    let output = Command::new(env!("CARGO_BIN_EXE_mock-atlas")).args(["--digest", "sha-1"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown algorithm") && stderr.contains("USAGE"), "{stderr}");
}
