//! `cargo xtask regenerate` as maintainers use it: stale code is caught with the command to run, and a
//! standalone crate from another spec builds on its own.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

fn xtask() -> Command {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("xtask-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn check_passes_on_the_committed_tree() {
    let output = xtask().arg("regenerate").arg("--check").output().expect("xtask runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn regenerating_twice_gives_byte_identical_files() {
    let spec = root().join("spec/atlas-admin.yaml");
    let first = generate_into("first", &spec);
    let second = generate_into("second", &spec);
    assert_eq!(first.len(), 6, "{:?}", first.iter().map(|(name, _)| name).collect::<Vec<_>>());
    assert_eq!(first, second);
}

/// Runs the xtask binary (what maintainers run) into its own folder and reads back the generated files.
fn generate_into(label: &str, spec: &Path) -> Vec<(String, String)> {
    let out = temp_dir(&format!("twice-{label}"));
    let status = xtask().args(["regenerate", "--spec"]).arg(spec).arg("--out").arg(&out).status().expect("runs");
    assert!(status.success());
    files_under(&out.join("src/generated"))
}

/// Every file under `dir` with its contents, by path relative to `dir`, sorted.
fn files_under(dir: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut pending = vec![(dir.to_path_buf(), String::new())];
    while let Some((folder, prefix)) = pending.pop() {
        for entry in std::fs::read_dir(&folder).expect("a folder").flatten() {
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if entry.path().is_dir() {
                pending.push((entry.path(), format!("{name}/")));
            } else {
                files.push((name, std::fs::read_to_string(entry.path()).expect("file")));
            }
        }
    }
    files.sort();
    files
}

/// Removing a parameter from the spec makes `--check` fail, naming the stale file and the command.
#[test]
fn a_changed_spec_makes_check_fail_with_the_command_to_run() {
    let dir = temp_dir("changed-spec");
    // A copy of the workspace parts the check reads: the spec and the generated modules.
    std::fs::create_dir_all(dir.join("spec")).expect("spec dir");
    let spec = std::fs::read_to_string(root().join("spec/atlas-admin.yaml")).expect("spec");
    let without_pretty = spec.replacen("      - $ref: '#/components/parameters/pretty'\n", "", 1);
    assert_ne!(spec, without_pretty, "the test must really remove a parameter");
    std::fs::write(dir.join("spec/atlas-admin.yaml"), without_pretty).expect("write");
    let generated = dir.join("generated-client/src/generated");
    std::fs::create_dir_all(&generated).expect("generated dir");
    for (name, contents) in files_under(&root().join("generated-client/src/generated")) {
        let target = generated.join(&name);
        std::fs::create_dir_all(target.parent().expect("a parent")).expect("dir");
        std::fs::write(target, contents).expect("copy");
    }
    let output = xtask().args(["regenerate", "--check"]).env("XTASK_WORKSPACE_ROOT", &dir).output().expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "check passed on a changed spec");
    let module = "generated-client/src/generated/operations/programmatic_api_keys.rs";
    assert!(stderr.contains(&format!("{module} is stale")), "{stderr}");
    assert!(stderr.contains("run `cargo xtask regenerate`"), "{stderr}");
    // And nothing was written in check mode.
    let after = std::fs::read_to_string(generated.join("operations/programmatic_api_keys.rs")).expect("still there");
    let before = std::fs::read_to_string(root().join(module)).expect("committed");
    assert_eq!(after, before);
}

/// A spec the generator cannot handle: non-zero exit, located errors, nothing written, no panic.
#[test]
fn an_unsupported_spec_exits_non_zero_with_located_errors() {
    let dir = temp_dir("unsupported");
    let spec = root().join("codegen/tests/broken/object-parameter.yaml");
    let out = dir.join("out");
    let output = xtask().args(["regenerate", "--spec"]).arg(&spec).arg("--out").arg(&out).output().expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("object-parameter.yaml:10: /paths/~1a/get/parameters/0/schema: parameter `filter` is not"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.exists(), "nothing may be written for a spec that fails");
}

/// The standalone crate holds no path back into the checkout: generated from a scratch copy of the checkout's
/// parts `regenerate --out` reads, then the copy is deleted and the crate moved elsewhere, it still passes
/// `cargo check --offline` (its own `[workspace]`, the runtime copied in, every target: the runtime's unit
/// tests compile with its normal dependencies alone).
#[test]
fn a_standalone_crate_builds_after_the_checkout_and_the_crate_move() {
    let dir = temp_dir("standalone-moved");
    let checkout = dir.join("checkout");
    for file in ["Cargo.toml", "generated-client/Cargo.toml"] {
        std::fs::create_dir_all(checkout.join(file).parent().expect("a parent")).expect("dir");
        std::fs::copy(root().join(file), checkout.join(file)).expect("copy a manifest");
    }
    for (name, contents) in files_under(&root().join("generated-client/src/runtime")) {
        let target = checkout.join("generated-client/src/runtime").join(name);
        std::fs::create_dir_all(target.parent().expect("a parent")).expect("dir");
        std::fs::write(target, contents).expect("copy the runtime");
    }
    let spec = root().join("codegen/tests/goldens/specs/petstore.yaml");
    let written = dir.join("written/petstore");
    let output = xtask()
        .args(["regenerate", "--spec"])
        .arg(&spec)
        .arg("--out")
        .arg(&written)
        .env("XTASK_WORKSPACE_ROOT", &checkout)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(written.join("src/runtime/mod.rs").exists(), "the runtime is copied in");

    // The checkout it came from is gone, and the crate is moved.
    std::fs::remove_dir_all(&checkout).expect("remove the checkout copy");
    let moved = dir.join("elsewhere/petstore");
    std::fs::create_dir_all(moved.parent().expect("a parent")).expect("dir");
    std::fs::rename(&written, &moved).expect("move the crate");

    // No file of the crate names the checkout or the spec's folder.
    for (name, contents) in files_under(&moved) {
        for place in [&checkout, &root(), &dir.join("written"), spec.parent().expect("a folder")] {
            let place = place.display().to_string();
            assert!(!contents.contains(&place), "{name} names {place}");
        }
    }
    let manifest: toml::Table =
        std::fs::read_to_string(moved.join("Cargo.toml")).expect("manifest").parse().expect("TOML");
    assert!(manifest.get("dev-dependencies").is_none(), "{manifest:#?}");
    let dependencies = manifest["dependencies"].as_table().expect("dependencies");
    assert!(dependencies.contains_key("reqwest") && dependencies.contains_key("tokio"), "{dependencies:#?}");
    for (name, dependency) in dependencies {
        assert!(dependency.get("path").is_none(), "{name} is a path dependency: {dependency}");
    }

    // Same versions as the workspace, offline, and the target folder every nested build shares
    // (`<target dir>/nested`): a build, not a check, so the other nested builds reuse what it compiles.
    std::fs::copy(root().join("Cargo.lock"), moved.join("Cargo.lock")).expect("copy lock");
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("a target directory").join("nested");
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--quiet", "--manifest-path"])
        .arg(moved.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target_dir)
        .env("CARGO_NET_OFFLINE", "true")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}
