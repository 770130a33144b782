//! One xtask binary, two checkouts: with a target directory shared by two checkouts (a global
//! `CARGO_TARGET_DIR`, `build.target-dir`, sccache), cargo builds xtask once and runs that same binary in
//! both. Each run must act on the checkout it was started in, never on the one the binary was built from.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// A scratch checkout with what `regenerate` reads and writes: the workspace manifest, the spec, its record
/// and the generated modules. `edit` changes the spec text.
fn checkout(dir: &Path, edit: impl Fn(&str) -> String) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("spec")).expect("spec dir");
    std::fs::copy(root().join("Cargo.toml"), dir.join("Cargo.toml")).expect("copy Cargo.toml");
    let spec = std::fs::read_to_string(root().join("spec/atlas-admin.yaml")).expect("spec");
    std::fs::write(dir.join("spec/atlas-admin.yaml"), edit(&spec)).expect("write spec");
    std::fs::copy(root().join("spec/record.yaml"), dir.join("spec/record.yaml")).expect("copy the record");
    let generated = dir.join("generated-client/src/generated");
    std::fs::create_dir_all(&generated).expect("generated dir");
    copy_tree(&root().join("generated-client/src/generated"), &generated);
}

/// Copies a folder and everything under it.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a folder");
    for entry in std::fs::read_dir(from).expect("a folder to copy").flatten() {
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy generated file");
        }
    }
}

/// The one xtask binary of the shared target directory, started in `dir` the way `cargo xtask` starts it
/// (cargo run keeps the caller's directory), with no override of the workspace root.
fn xtask_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(dir)
        .env_remove("XTASK_WORKSPACE_ROOT")
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .expect("xtask runs")
}

fn operations(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("generated-client/src/generated/operations/programmatic_api_keys.rs"))
        .expect("the operations module")
}

#[test]
fn two_checkouts_sharing_one_binary_each_act_on_their_own() {
    let base = root().join("target/xtask-tests/two-checkouts");
    let (same, changed) = (base.join("same"), base.join("changed"));
    checkout(&same, str::to_owned);
    checkout(&changed, |spec| {
        let edited = spec.replacen("      - $ref: '#/components/parameters/pretty'\n", "", 1);
        assert_ne!(spec, edited, "the test must really change the spec");
        edited
    });
    let committed = operations(&root());

    // Started in the unchanged checkout: fresh.
    let output = xtask_in(&same, &["regenerate", "--check"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));

    // Started in a subdirectory of the changed checkout: its own spec is read, so its code is stale.
    let output = xtask_in(&changed.join("spec"), &["regenerate", "--check"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "the check read another checkout's spec");
    assert!(stderr.contains("generated-client/src/generated/operations/programmatic_api_keys.rs is stale"), "{stderr}");

    // Regenerating writes into the changed checkout only.
    let output = xtask_in(&changed, &["regenerate"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_ne!(operations(&changed), committed, "the changed checkout was regenerated");
    assert_eq!(operations(&same), committed, "the other checkout is untouched");
    assert_eq!(operations(&root()), committed, "the checkout the binary was built from is untouched");
    let output = xtask_in(&changed, &["regenerate", "--check"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn outside_any_checkout_it_says_so_instead_of_using_the_build_checkout() {
    let dir = std::env::temp_dir();
    let output = xtask_in(&dir, &["regenerate", "--check"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("is not inside the atlas-admin workspace"), "{stderr}");
}
