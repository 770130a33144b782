//! `cargo xtask ...` builds xtask alone (`cargo run -p xtask`) and `cargo xtask test` builds the whole
//! workspace. Cargo resolves the features of shared dependencies per selection, so every dependency of
//! xtask must come out of both with the same features, or it (and everything above it: serde, codegen,
//! xtask itself) is compiled twice, and one run after the other rebuilds. `cargo tree` says what each
//! selection resolves, without building.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// `name version features` of every package `cargo tree` resolves for `selection`.
fn resolved(selection: &[&str], edges: &str) -> BTreeSet<String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace root"))
        .args(["tree", "--quiet", "--prefix", "none", "--format", "{p} {f}", "--edges", edges])
        .args(selection)
        .env("CARGO_NET_OFFLINE", "true")
        .output()
        .expect("cargo tree runs");
    assert!(output.status.success(), "cargo tree {selection:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout)
        .expect("utf-8")
        .lines()
        .map(|line| line.trim_end_matches(" (*)").to_owned())
        .filter(|line| !line.is_empty())
        .collect()
}

#[test]
fn xtask_alone_resolves_its_dependencies_as_the_whole_workspace_does() {
    let alone = resolved(&["--package", "xtask"], "normal,build");
    let workspace = resolved(&["--workspace"], "normal,build,dev");
    let differing: Vec<String> = alone
        .difference(&workspace)
        .map(|line| {
            let name = line.split_whitespace().next().unwrap_or_default();
            let there: Vec<&String> = workspace.iter().filter(|w| w.split_whitespace().next() == Some(name)).collect();
            format!("{line}\n    workspace: {there:?}")
        })
        .collect();
    assert!(
        differing.is_empty(),
        "xtask alone resolves these differently from the workspace; raise their features in xtask/Cargo.toml \
         (normal dependencies for libraries, build-dependencies for what proc macros use):\n{}",
        differing.join("\n")
    );
}
