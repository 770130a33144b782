//! Where things live in the workspace.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The workspace xtask acts on, found when it runs (not when it was built): `XTASK_WORKSPACE_ROOT` when set
/// (tests run the real commands on a scratch copy), otherwise the nearest directory at or above the current
/// one whose `Cargo.toml` is a workspace with an `xtask` member.
///
/// Finding it at run time matters because cargo does not rebuild xtask when only the checkout's path
/// changes: with one target directory shared by two checkouts (a global `CARGO_TARGET_DIR`,
/// `build.target-dir`, sccache), a root baked in at build time would make `cargo xtask` in one checkout read
/// and write the other. `cargo xtask` (a `cargo run` alias) keeps the directory it was started in, so the
/// walk up starts in the checkout the maintainer is working in.
pub(crate) fn workspace_root() -> PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        if let Some(root) = std::env::var_os("XTASK_WORKSPACE_ROOT") {
            return PathBuf::from(root);
        }
        let start = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        match find_workspace_root(&start) {
            Some(root) => root,
            None => {
                eprintln!(
                    "error: {} is not inside the atlas-admin workspace (no Cargo.toml with `[workspace]` and an \
                     `xtask` member at or above it); run `cargo xtask` from the checkout, or set XTASK_WORKSPACE_ROOT",
                    start.display()
                );
                std::process::exit(2);
            }
        }
    })
    .clone()
}

/// The nearest directory at or above `start` whose `Cargo.toml` declares a workspace with an `xtask` member.
///
/// A nested crate with its own `[workspace]` table (`codegen/fuzz/`) is skipped: it is a workspace, but
/// not this one.
pub(crate) fn find_workspace_root(start: &Path) -> Option<PathBuf> {
    start.ancestors().find(|dir| is_xtask_workspace(&dir.join("Cargo.toml"))).map(Path::to_path_buf)
}

fn is_xtask_workspace(manifest: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(manifest) else { return false };
    let Ok(table) = text.parse::<toml::Table>() else { return false };
    table
        .get("workspace")
        .and_then(|workspace| workspace.get("members"))
        .and_then(toml::Value::as_array)
        .is_some_and(|members| members.iter().any(|member| member.as_str() == Some("xtask")))
}

/// The one target directory of the cargo builds xtask starts of crates outside the workspace (the
/// check-recorded checker; tests' own nested builds use it too): `nested/` in the workspace's target
/// directory (`CARGO_TARGET_DIR` when set, else `target/`), so they share compiled dependencies and stay out
/// of the source folders. Not the workspace's target directory itself: `cargo xtask` runs inside a cargo
/// that may still hold its lock.
pub(crate) fn nested_target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| workspace_root().join("target"), PathBuf::from).join("nested")
}

/// The committed, trimmed spec that `regenerate` reads.
pub(crate) const SPEC_FILE: &str = "spec/atlas-admin.yaml";

/// The record of names and versions, beside the spec: read and written by `regenerate`.
pub(crate) const RECORD_FILE: &str = "spec/record.yaml";

/// A standalone crate's record, in the crate's folder.
pub(crate) const CRATE_RECORD_FILE: &str = "record.yaml";

/// The generated modules of the client crate.
pub(crate) const GENERATED_DIR: &str = "generated-client/src/generated";

/// The hand-written runtime, copied into standalone crates.
pub(crate) const RUNTIME_DIR: &str = "generated-client/src/runtime";

#[cfg(test)]
mod tests {
    // Full paths, no `use`: this file is also mounted into a bench, where `#[test]` items vanish.
    #[test]
    fn the_walk_up_skips_nested_workspaces_that_are_not_this_one() {
        use super::find_workspace_root;
        use std::path::Path;
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = here.parent().expect("xtask/ has a parent");
        assert_eq!(find_workspace_root(here).as_deref(), Some(root));
        assert_eq!(find_workspace_root(&root.join("codegen/fuzz/fuzz_targets")).as_deref(), Some(root));
        assert_eq!(find_workspace_root(Path::new("/")), None);
    }
}
