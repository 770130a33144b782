//! `cargo xtask test`: the one test command. Installs what the tests need on a fresh machine (Apache httpd
//! and curl, from Debian's packages) and runs every test of the workspace.
//!
//! The tests start their own servers (the replay server, the local Atlas, Apache) on loopback; they fail,
//! never skip, when one cannot start. The interop tests that need Apache or curl are `#[ignore]`, so plain
//! `cargo test` passes on a machine without them; this command installs both and runs those tests too
//! (`--include-ignored`).

use std::path::Path;
use std::process::{Command, ExitCode};

use anyhow::{Context, bail};

use crate::paths::workspace_root;

/// What the interop tests need, and the Debian package that provides it.
const NEEDED: &[(&str, &str)] = &[("/usr/sbin/apache2", "apache2"), ("/usr/bin/curl", "curl")];

const USAGE: &str = "\
usage: cargo xtask test [CARGO TEST OPTIONS] [-- TEST BINARY OPTIONS]

  installs what the interop tests need (apache2, curl) and runs every test of the workspace, ignored
  interop tests included, then the doc tests. Options go to cargo test as they are (they are cargo's, so
  only --help/-h as the first argument is read here).
";

pub(crate) fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    if matches!(args.first().map(String::as_str), Some("--help" | "-h")) {
        print!("{USAGE}");
        return Ok(ExitCode::SUCCESS);
    }
    install_system_packages()?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    // Not --all-targets: that would run the benchmarks' `main` too (they are `harness = false` programs);
    // clippy --all-targets already compiles them.
    let status = Command::new(&cargo)
        .current_dir(workspace_root())
        .args(cargo_test_args(args))
        .status()
        .context("running cargo test")?;
    // Doc tests cannot be selected with other targets; the same selection (the whole workspace) resolves
    // the same dependency features, so they reuse what the run above compiled.
    let docs = Command::new(&cargo)
        .current_dir(workspace_root())
        .args(["test", "--workspace", "--exclude", GOLDEN_CRATE, "--exclude", KEY_ROTATION_CRATE, "--doc"])
        .status()
        .context("running cargo test --doc")?;
    Ok(if status.success() && docs.success() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// The crates that mount the runtime next to generated code (the goldens, the key-rotation client): the
/// runtime's doc examples name `atlas_admin`, so they run in atlas-admin, not there (`cargo test --doc`
/// does not heed their `doctest = false`).
const GOLDEN_CRATE: &str = "codegen-goldens";
const KEY_ROTATION_CRATE: &str = "key-rotation-client";

/// `cargo test` with every target but the benchmarks, the caller's cargo arguments, then `--` and
/// `--include-ignored` in front of the caller's test-binary arguments (what follows their own `--`).
///
/// One cargo run over the whole workspace, so every dependency is compiled once, with the features the
/// whole workspace asks for (the same set `cargo xtask` itself is built with, see `xtask/Cargo.toml`).
/// `--tests` runs the unit tests of every library whose target says `test = true`: not the golden crate's
/// (it mounts the runtime without atlas-admin's TLS features, so the runtime's unit tests run in
/// atlas-admin only), whose integration tests still run.
fn cargo_test_args(args: &[String]) -> Vec<String> {
    let (cargo_args, test_args) = match args.iter().position(|a| a == "--") {
        Some(split) => (&args[..split], &args[split + 1..]),
        None => (args, &[][..]),
    };
    let mut all: Vec<String> = ["test", "--workspace", "--no-fail-fast", "--bins", "--tests", "--examples"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    all.extend(cargo_args.iter().cloned());
    all.extend(["--".to_owned(), "--include-ignored".to_owned()]);
    all.extend(test_args.iter().cloned());
    all
}

fn install_system_packages() -> anyhow::Result<()> {
    let missing: Vec<&str> = NEEDED.iter().filter(|(binary, _)| !Path::new(binary).exists()).map(|(_, p)| *p).collect();
    if missing.is_empty() {
        return Ok(());
    }
    println!("installing {} (needed by the interop tests)", missing.join(", "));
    // apt-get needs root; elsewhere go through sudo without a password prompt, or say what to install.
    let as_root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    let apt = |args: &[&str]| -> anyhow::Result<()> {
        let mut command = if as_root {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.args(["-n", "apt-get"]);
            sudo
        };
        let status = command
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .context("running apt-get (the interop tests need Debian's apache2 and curl packages)")?;
        if !status.success() {
            bail!("apt-get {} failed; install {} by hand and run again", args.join(" "), missing.join(" "));
        }
        Ok(())
    };
    apt(&["update", "-qq"])?;
    let mut install = vec!["install", "-y", "-qq", "--no-install-recommends"];
    install.extend(&missing);
    apt(&install)
}

#[cfg(test)]
mod tests {
    use super::cargo_test_args;

    fn strings(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn the_ignored_interop_tests_run_and_caller_arguments_land_on_their_side() {
        let base = ["test", "--workspace", "--no-fail-fast", "--bins", "--tests", "--examples"];
        let mut plain = strings(&base);
        plain.extend(strings(&["--", "--include-ignored"]));
        assert_eq!(cargo_test_args(&[]), plain);
        let mut split = strings(&base);
        split.extend(strings(&["-p", "atlas-admin", "--", "--include-ignored", "--nocapture"]));
        assert_eq!(cargo_test_args(&strings(&["-p", "atlas-admin", "--", "--nocapture"])), split);
    }
}
