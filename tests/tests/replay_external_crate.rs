//! The README's install section, held to what it says, and a user's program built from it: a crate outside
//! the workspace whose `Cargo.toml` has exactly the dependency lines the README shows (`atlas-admin` and
//! `local-atlas` by path from a checkout next to the crate, tokio with the runtime and macros) and whose
//! `main.rs` is `tests/external-crate/main.rs`, built and run against a replay server: the public API is
//! enough to call all three operations, and what goes on the wire is right. The README's `cargo add`
//! commands are run too, and must add the same lines.
//!
//! The build uses the shared target directory of nested builds (`atlas_admin_tests::nested`); the first
//! compiles the crate's dependencies (about a minute), later ones reuse them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use atlas_admin_tests::nested::{self, README_CHECKOUT as CHECKOUT, in_this_checkout as here, readme_install};
use atlas_admin_tests::replay::{Fixture, ReplayServer, load_fixture};

/// What the server saw of one request: method, path, query pairs (sorted), Accept.
type Seen = (String, String, Vec<(String, String)>, Option<String>);

fn fixture(name: &str) -> Fixture {
    load_fixture(name).unwrap_or_else(|e| panic!("{e}"))
}

fn workspace_root() -> PathBuf {
    nested::workspace_root()
}

/// A fresh crate outside the workspace, in the shared scratch folder of nested builds.
fn user_crate(name: &str, dependencies: &str, main: &str) -> PathBuf {
    let dir = nested::scratch_dir(env!("CARGO_TARGET_TMPDIR"), name);
    nested::user_crate(&dir, name, dependencies, main);
    dir
}

/// The dependency tables of a manifest: table → dependency → (path made absolute, features).
type Dependencies = BTreeMap<String, BTreeMap<String, (Option<PathBuf>, Vec<String>)>>;

fn dependencies(manifest_dir: &Path) -> Dependencies {
    let text = std::fs::read_to_string(manifest_dir.join("Cargo.toml")).expect("the manifest");
    let manifest: toml::Table = text.parse().expect("a TOML manifest");
    let mut tables = Dependencies::new();
    for table in ["dependencies", "dev-dependencies"] {
        let Some(deps) = manifest.get(table).and_then(toml::Value::as_table) else { continue };
        let entry = tables.entry(table.to_owned()).or_default();
        for (name, spec) in deps {
            let path = spec.get("path").and_then(toml::Value::as_str).map(|path| {
                manifest_dir.join(path).canonicalize().unwrap_or_else(|e| panic!("{table}.{name}: {path}: {e}"))
            });
            let features = spec
                .get("features")
                .and_then(toml::Value::as_array)
                .map(|list| list.iter().filter_map(|f| f.as_str().map(str::to_owned)).collect())
                .unwrap_or_default();
            entry.insert(name.clone(), (path, features));
        }
    }
    tables
}

#[test]
fn the_readme_install_commands_add_the_lines_it_shows() {
    let install = readme_install();
    assert!(install.manifest.contains(&format!("path = \"{CHECKOUT}/generated-client\"")), "{}", install.manifest);
    assert!(install.manifest.contains(&format!("path = \"{CHECKOUT}/tests/local-atlas\"")), "{}", install.manifest);
    let dir = user_crate("readme-commands", "[dependencies]", "fn main() {}\n");
    for command in &install.commands {
        assert_eq!(command[..2], ["cargo", "add"], "the Install section runs only `cargo add`: {command:?}");
        let output = nested::cargo(env!("CARGO_TARGET_TMPDIR"))
            .args(command[1..].iter().map(|word| here(word)))
            .current_dir(&dir)
            .output()
            .expect("cargo add runs");
        assert!(output.status.success(), "{command:?}: {}", String::from_utf8_lossy(&output.stderr));
    }
    let shown = user_crate("readme-lines", &here(&install.manifest), "fn main() {}\n");
    let added = dependencies(&dir);
    assert_eq!(added, dependencies(&shown), "the README's commands and its manifest lines disagree");
    let main = &added["dependencies"];
    assert_eq!(main["atlas-admin"].0.as_deref(), Some(workspace_root().join("generated-client").as_path()));
    assert_eq!(main["tokio"].1, ["rt-multi-thread", "macros"]);
    assert!(added["dev-dependencies"].contains_key("local-atlas"), "{added:?}");
}

/// `cargo run` of the user's program: the README's dependency lines and `tests/external-crate/main.rs`.
fn run_external_crate(base_url: &str) -> Output {
    let main = std::fs::read_to_string(workspace_root().join("tests/external-crate/main.rs")).expect("main.rs");
    let dir = user_crate("atlas-admin-external-user", &here(&readme_install().manifest), &main);
    nested::cargo(env!("CARGO_TARGET_TMPDIR"))
        .args(["run", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .arg("--")
        .arg(base_url)
        // A proxy setting must not send loopback traffic elsewhere.
        .env("NO_PROXY", "127.0.0.1")
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
