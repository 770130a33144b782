//! Builds and runs `tests/external-crate/`, a crate outside the workspace that depends on `atlas-admin` by
//! path, against a replay server: the public API is enough to call all three operations, and what goes on
//! the wire is right. The first run compiles the crate's dependencies (about a minute); later runs reuse
//! `target/external`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use atlas_admin_tests::replay::{Fixture, ReplayServer, load_fixture};

/// What the server saw of one request: method, path, query pairs (sorted), Accept.
type Seen = (String, String, Vec<(String, String)>, Option<String>);

fn fixture(name: &str) -> Fixture {
    load_fixture(name).unwrap_or_else(|e| panic!("{e}"))
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// `cargo run` on the external crate, with its own target directory inside the workspace's `target/`.
fn run_external_crate(base_url: &str) -> Output {
    let root = workspace_root();
    let crate_dir = root.join("tests/external-crate");
    // The crate is not a workspace member, so it has its own lock file. Seeding it from the workspace's
    // makes it build with the versions the workspace tested (cargo drops what it does not need).
    let lock = crate_dir.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(root.join("Cargo.lock"), &lock).expect("the workspace Cargo.lock can be copied");
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    Command::new(cargo)
        .arg("run")
        .arg("--quiet")
        .arg("--manifest-path")
        .arg(crate_dir.join("Cargo.toml"))
        .arg("--")
        .arg(base_url)
        .env("CARGO_TARGET_DIR", root.join("target/external"))
        // A proxy setting must not send loopback traffic elsewhere.
        .env("NO_PROXY", "127.0.0.1")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo can be started")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_external_crate_calls_all_three_operations_through_the_public_api() {
    let org = fixture("org_delete_204");
    let group = fixture("group_unassign_envelope_400");
    let user = fixture("user_key_delete_410_deprecated");
    let server = ReplayServer::serve_fixtures(&[&org, &group, &user])
        .await
        .unwrap_or_else(|e| panic!("the replay server could not start: {e}"));
    let base_url = server.base_url();
    let output = tokio::task::spawn_blocking(move || run_external_crate(&base_url)).await.expect("cargo run finished");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the external crate failed ({}):\n{stdout}\n{stderr}", output.status);

    let requests = server.assert_done();
    assert_eq!(requests.len(), 3, "{requests:#?}");
    let seen: Vec<Seen> = requests
        .iter()
        .map(|r| (r.method.clone(), r.path.clone(), r.query_set(), r.header("accept").map(str::to_owned)))
        .collect();
    let pair = |name: &str, value: &str| (name.to_owned(), value.to_owned());
    assert_eq!(
        seen,
        vec![
            (
                "DELETE".to_owned(),
                "/api/atlas/v2/orgs/62b6e34b3ecb4a6e3ac4b8b1/apiKeys/6501f7a0c3a5b1d2e4f60718".to_owned(),
                vec![],
                Some("application/vnd.atlas.2023-01-01+json".to_owned()),
            ),
            (
                "DELETE".to_owned(),
                "/api/atlas/v2/groups/5953c5f380eef53887615f9a/apiKeys/6501f7a0c3a5b1d2e4f60718".to_owned(),
                vec![pair("envelope", "true")],
                Some("application/vnd.atlas.2023-01-01+json".to_owned()),
            ),
            (
                "DELETE".to_owned(),
                "/api/atlas/v1.0/users/5356823b3004dee37132bb7b/keys/5d1d12c087d9d63e6d682438".to_owned(),
                vec![],
                Some("application/json".to_owned()),
            ),
        ]
    );
    for request in &requests {
        assert!(
            request.header("user-agent").is_some_and(|ua| ua.starts_with("atlas-admin-rust/")),
            "{:?}",
            request.header("user-agent")
        );
    }

    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        vec![
            "deleteOrgApiKey ok 204 rate-limit 500/499",
            "removeGroupApiKey error 400 API_KEY_NOT_FOUND already-gone",
            "deleteUserApiKey error 410 PERSONAL_API_KEYS_DEPRECATED",
        ],
        "stderr:\n{stderr}"
    );
}
