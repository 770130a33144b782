//! Every `cargo xtask` subcommand answers `--help` and `-h` on standard output with exit 0, doing nothing
//! else, and refuses a flag it does not know with exit 2 and its usage on standard error.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const SUBCOMMANDS: &[&str] = &["regenerate", "trim", "check-recorded", "fuzz", "test", "diff"];

/// An empty directory: the workspace root and the only `PATH` entry the commands get, so a `--help` that
/// went on to do its work would fail at once (no spec, no cargo, no apt-get) instead of regenerating,
/// fuzzing or running the whole test suite.
fn nowhere(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("help-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the xtask binary with `args`, killing it if it is not done within `limit`; it must leave the workspace
/// root it is given as empty as it found it.
fn xtask(args: &[&str], limit: Duration) -> Output {
    let dir = nowhere(&args.join("-"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .env("XTASK_WORKSPACE_ROOT", &dir)
        .env("PATH", &dir)
        .env("CARGO", dir.join("cargo"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            child.kill().unwrap();
            let output = child.wait_with_output().unwrap();
            panic!("xtask {args:?} still ran after {limit:?}: {}", String::from_utf8_lossy(&output.stdout));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let written: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|entry| entry.unwrap().file_name()).collect();
    assert!(written.is_empty(), "xtask {args:?} wrote {written:?} into the workspace root");
    output
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_prints_the_usage_to_stdout_and_does_nothing_else() {
    for command in SUBCOMMANDS {
        for flag in ["--help", "-h"] {
            // `test` and `fuzz` would run for minutes; their help returns at once.
            let output = xtask(&[command, flag], Duration::from_secs(30));
            let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
            assert_eq!(output.status.code(), Some(0), "{command} {flag}: {stderr}");
            assert!(stdout.starts_with(&format!("usage: cargo xtask {command}")), "{command} {flag}: {stdout}");
            assert!(stderr.is_empty(), "{command} {flag}: {stderr}");
        }
    }
}

#[test]
fn an_unknown_flag_is_a_usage_error() {
    // `test` hands its flags to cargo test, so it has no unknown flags of its own.
    for command in SUBCOMMANDS.iter().filter(|command| **command != "test") {
        let output = xtask(&[command, "--bogus"], Duration::from_secs(30));
        let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
        assert_eq!(output.status.code(), Some(2), "{command}: {stderr}");
        assert!(stderr.contains("--bogus"), "{command}: the error names the flag: {stderr}");
        assert!(stderr.contains(&format!("usage: cargo xtask {command}")), "{command}: {stderr}");
        assert!(stdout.is_empty(), "{command}: {stdout}");
    }
}

#[test]
fn the_top_level_help_lists_every_subcommand() {
    let output = xtask(&["--help"], Duration::from_secs(30));
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(stdout.starts_with("usage: cargo xtask <command>"), "{stdout}");
    for command in SUBCOMMANDS {
        assert!(stdout.contains(&format!("\n  {command} ")), "{command} is not listed: {stdout}");
    }
    let output = xtask(&["no-such-command"], Duration::from_secs(30));
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("usage: cargo xtask <command>"), "{}", text(&output.stderr));
}
