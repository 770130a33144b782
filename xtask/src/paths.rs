//! Where things live in the workspace.

use std::path::{Path, PathBuf};

/// The workspace root (the parent of `xtask/`). `XTASK_WORKSPACE_ROOT` points it elsewhere, so tests can
/// run the real commands on a scratch copy.
pub(crate) fn workspace_root() -> PathBuf {
    if let Some(root) = std::env::var_os("XTASK_WORKSPACE_ROOT") {
        return PathBuf::from(root);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

/// The committed, trimmed spec that `regenerate` reads.
pub(crate) const SPEC_FILE: &str = "spec/atlas-admin.yaml";

/// The generated modules of the client crate.
pub(crate) const GENERATED_DIR: &str = "generated-client/src/generated";

/// The hand-written runtime, copied into standalone crates.
pub(crate) const RUNTIME_DIR: &str = "generated-client/src/runtime";
