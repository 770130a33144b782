//! Cargo builds that tests and benches start of their own: crates outside the workspace, built the way a
//! user builds them. They all use one target directory, `nested/` in the workspace's target directory
//! (wherever that is: `target/`, or `CARGO_TARGET_DIR`), never a folder of the source tree, so the
//! dependencies they share compile once for all of them.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The shared target directory of nested builds; `target_tmpdir` is the caller's
/// `env!("CARGO_TARGET_TMPDIR")` (`<target dir>/tmp`, which cargo gives integration tests and benches).
pub fn target_dir(target_tmpdir: &str) -> PathBuf {
    Path::new(target_tmpdir).parent().unwrap_or(Path::new(target_tmpdir)).join("nested")
}

/// A scratch folder for one nested crate, under the shared target directory.
pub fn scratch_dir(target_tmpdir: &str, name: &str) -> PathBuf {
    target_dir(target_tmpdir).join("crates").join(name)
}

/// `cargo` for a nested build: the shared target directory, offline (everything comes from the workspace's
/// lock, already downloaded; a test never reaches the network), and none of the caller's `RUSTFLAGS`, so
/// every nested build compiles its dependencies the same way and they are reused.
pub fn cargo(target_tmpdir: &str) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command
        .env("CARGO_TARGET_DIR", target_dir(target_tmpdir))
        .env("CARGO_NET_OFFLINE", "true")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS");
    command
}

/// The workspace's root folder.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// Where the README's install lines expect the checkout, relative to the user's crate.
pub const README_CHECKOUT: &str = "../atlas-admin-rust";

/// The README's install section: its `cargo add` commands (each split into words, comments dropped) and
/// the manifest lines it says they add.
#[derive(Debug, Clone)]
pub struct Install {
    /// The commands of its `sh` block.
    pub commands: Vec<Vec<String>>,
    /// Its `toml` block: `[dependencies]` and `[dev-dependencies]` lines.
    pub manifest: String,
}

/// Reads the install section of the workspace's README.
pub fn readme_install() -> Install {
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).expect("README.md");
    let start = readme.find("\n## Install\n").expect("the README has an Install section");
    let section = &readme[start + 1..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |end| end + 3)];
    let block = |fence: &str| -> String {
        let open = section.find(fence).unwrap_or_else(|| panic!("the Install section has a {fence} block"));
        let body = &section[open + fence.len()..];
        body[..body.find("\n```").expect("the block is closed")].trim().to_owned()
    };
    let commands = block("```sh\n")
        .lines()
        .map(|line| line.split('#').next().unwrap_or_default().split_whitespace().map(str::to_owned).collect())
        .filter(|words: &Vec<String>| !words.is_empty())
        .collect();
    Install { commands, manifest: block("```toml\n") }
}

/// `text` with the checkout the README assumes (`../atlas-admin-rust`) replaced by this one.
pub fn in_this_checkout(text: &str) -> String {
    text.replace(README_CHECKOUT, &workspace_root().display().to_string())
}

/// Writes a crate outside any workspace into `dir` (emptied first): a manifest with `dependencies`
/// (manifest lines), `main` as `src/main.rs`, and the workspace's `Cargo.lock`, so it builds with the
/// versions the workspace tested (cargo drops what it does not need) and offline.
pub fn user_crate(dir: &Path, name: &str, dependencies: &str, main: &str) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("src")).expect("a crate folder");
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n{dependencies}\n\n\
         # Not a member of any workspace around it.\n[workspace]\n"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("a manifest");
    std::fs::write(dir.join("src/main.rs"), main).expect("main.rs");
    std::fs::copy(workspace_root().join("Cargo.lock"), dir.join("Cargo.lock")).expect("the workspace Cargo.lock");
}
