//! Every package in the lock builds with the Rust the workspace declares (`rust-version`, its MSRV): none
//! declares a newer `rust-version` of its own. Resolver 3 picks such versions when it can, and this holds
//! the committed lock to it; CI runs this test again after `cargo update` (`.ci/run`), where a dependency's
//! new release could raise the bar. Clippy's `incompatible_msrv` (on by default, `-D warnings` in CI) holds
//! the workspace's own code to the standard library of that Rust.

use std::path::Path;
use std::process::Command;

/// `1.88` or `1.88.0` as a comparable triple.
fn version(text: &str) -> (u64, u64, u64) {
    let mut parts = text.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

fn host() -> String {
    let output = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .arg("-vV")
        .output()
        .expect("rustc -vV runs");
    let text = String::from_utf8(output.stdout).expect("utf-8");
    text.lines().find_map(|line| line.strip_prefix("host: ")).expect("rustc names its host").to_owned()
}

#[test]
fn no_dependency_needs_a_newer_rust_than_the_workspace_declares() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace root");
    let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .current_dir(root)
        .args(["metadata", "--format-version", "1", "--locked", "--filter-platform", &host()])
        .env("CARGO_NET_OFFLINE", "true")
        .output()
        .expect("cargo metadata runs");
    assert!(output.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&output.stderr));
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).expect("cargo metadata's JSON");
    let packages = metadata["packages"].as_array().expect("packages");
    let msrv = packages
        .iter()
        .find(|p| p["name"] == "atlas-admin")
        .and_then(|p| p["rust_version"].as_str())
        .expect("atlas-admin declares its rust-version");
    let newer: Vec<String> = packages
        .iter()
        .filter_map(|p| {
            let declared = p["rust_version"].as_str()?;
            (version(declared) > version(msrv)).then(|| format!("{} {} needs Rust {declared}", p["name"], p["version"]))
        })
        .collect();
    assert!(packages.len() > 50, "cargo metadata listed only {} packages", packages.len());
    assert!(newer.is_empty(), "the workspace declares Rust {msrv}, but:\n{}", newer.join("\n"));
}
