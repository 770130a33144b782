//! `cargo xtask fuzz --seconds N`: runs the libFuzzer target of `codegen::generate` (`codegen/fuzz/`) on
//! nightly for N seconds, from a seed corpus of our specs (goldens, broken specs, regression specs, the
//! shipped spec), slices of the upstream spec, and structured seeds (every construct of the structural
//! generator of hostile specs, `codegen/tests/hostile`), and reports executions and findings. A panic, a
//! stack overflow, an error without a location, a text input over one second of CPU, and a structured
//! input whose time grows faster than its size are findings (the target judges time itself;
//! libFuzzer's `-timeout=60` only catches a hang). Installs `cargo-fuzz` from crates.io when it is missing.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, bail};
use serde_json::Value;

use crate::cli;
use crate::paths::workspace_root;

/// The structural generator of hostile specs, shared with codegen's tests and the fuzz target: its seeds.
#[path = "../../codegen/tests/hostile/mod.rs"]
mod hostile;

const USAGE: &str = "\
usage: cargo xtask fuzz [--seconds N]

  --seconds N  how long to fuzz codegen::generate (default 60); needs the nightly toolchain and installs
               cargo-fuzz when it is missing. Exit 1 when the fuzzer finds a new crash or timeout.
";

pub(crate) fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    let mut seconds: u64 = 60;
    let parsed = cli::parse(args, USAGE, |flag, parser| {
        match flag.name.as_str() {
            "--seconds" => seconds = cli::number(parser)?,
            _ => return Err(flag.unexpected()),
        }
        Ok(())
    })?;
    if let cli::Parsed::Help = parsed {
        return Ok(ExitCode::SUCCESS);
    }
    let root = workspace_root();
    ensure_cargo_fuzz()?;
    let corpus = root.join("target/fuzz/corpus/generate");
    let seeds = write_seeds(&root, &corpus)?;
    let fuzz_dir = root.join("codegen/fuzz");
    let artifacts = root.join("target/fuzz/artifacts/generate");
    std::fs::create_dir_all(&artifacts)?;
    let before = findings(&artifacts);
    println!("fuzzing codegen::generate for {seconds} s from {seeds} seeds in {}", corpus.display());
    let output = Command::new("cargo")
        .current_dir(&root)
        .args(["+nightly", "fuzz", "run", "--fuzz-dir"])
        .arg(&fuzz_dir)
        .arg("generate")
        // No sanitizer: codegen and the target forbid `unsafe`, and what the target looks for (panics,
        // stack overflows, errors without a location, time that grows too fast) needs none; AddressSanitizer
        // made each input several times slower (a large `regex` pattern took 270 ms to compile under it).
        .args(["--sanitizer", "none"])
        .arg(&corpus)
        .arg("--")
        .arg(format!("-max_total_time={seconds}"))
        .args(["-timeout=60", "-rss_limit_mb=2048", "-print_final_stats=1", "-max_len=1048576"])
        .arg(format!("-artifact_prefix={}/", artifacts.display()))
        .env("CARGO_TARGET_DIR", root.join("target/fuzz/build"))
        .output()
        .context("running cargo +nightly fuzz (is the nightly toolchain installed?)")?;
    let log = String::from_utf8_lossy(&output.stderr);
    let executions = stat(&log, "stat::number_of_executed_units");
    let slowest = stat(&log, "stat::slowest_unit_time_sec");
    let new: Vec<PathBuf> = findings(&artifacts).into_iter().filter(|f| !before.contains(f)).collect();
    println!(
        "executions: {}; slowest input: {} s; findings: {}",
        executions.map_or_else(|| "unknown".to_owned(), |n| n.to_string()),
        slowest.map_or_else(|| "unknown".to_owned(), |n| n.to_string()),
        new.len()
    );
    for finding in &new {
        println!("  {} (add it under codegen/tests/regressions/ once fixed)", finding.display());
    }
    if !output.status.success() && new.is_empty() {
        eprintln!(
            "{}",
            log.lines().rev().take(30).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("\n")
        );
        bail!("the fuzzer failed without a finding");
    }
    Ok(if new.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn ensure_cargo_fuzz() -> anyhow::Result<()> {
    let installed = Command::new("cargo").args(["fuzz", "--version"]).output().is_ok_and(|o| o.status.success());
    if installed {
        return Ok(());
    }
    println!("installing cargo-fuzz from crates.io");
    let status = Command::new("cargo").args(["install", "cargo-fuzz", "--locked"]).status()?;
    if !status.success() {
        bail!("cargo install cargo-fuzz failed");
    }
    Ok(())
}

/// The seed corpus: our specs as they are, one-operation slices of the upstream spec, and a structured
/// input (a 0xFF byte, then the parts) for every construct of the structural generator.
fn write_seeds(root: &Path, corpus: &Path) -> anyhow::Result<usize> {
    std::fs::create_dir_all(corpus)?;
    let mut count = 0;
    for (name, parts) in hostile::seeds() {
        let mut bytes = vec![0xFF];
        bytes.extend(hostile::bytes_of(&parts));
        std::fs::write(corpus.join(format!("structured-{name}")), bytes)?;
        count += 1;
    }
    for dir in ["codegen/tests/goldens/specs", "codegen/tests/broken", "codegen/tests/regressions", "spec"] {
        for entry in std::fs::read_dir(root.join(dir)).with_context(|| format!("reading {dir}"))?.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "yaml" || e == "json") {
                let name = format!("{}-{}", dir.replace('/', "_"), entry.file_name().to_string_lossy());
                std::fs::copy(&path, corpus.join(name))?;
                count += 1;
            }
        }
    }
    let upstream = root.join(crate::trim::DEFAULT_UPSTREAM);
    if let Ok(text) = std::fs::read_to_string(&upstream) {
        let document = codegen::spec::Document::read(&text, "upstream").map_err(|d| anyhow::anyhow!("{d}"))?;
        let ids: Vec<String> =
            document.operations().iter().filter_map(|entry| entry.operation_id().map(str::to_owned)).collect();
        // Every 20th operation: a spread over the tags, each a valid spec of real upstream text.
        for id in ids.iter().step_by(20) {
            let slice = crate::trim::slice(&document.root, std::slice::from_ref(id))?;
            let text = serde_json::to_string_pretty(&slice)?;
            std::fs::write(corpus.join(format!("upstream-{id}.json")), text)?;
            count += 1;
        }
    }
    Ok(count)
}

fn findings(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.path()).filter(|p| p.is_file()).collect())
        .unwrap_or_default();
    found.sort();
    found
}

fn stat(log: &str, name: &str) -> Option<Value> {
    let line = log.lines().find(|l| l.starts_with(name))?;
    let value = line.rsplit(':').next()?.trim();
    serde_json::from_str(value).ok()
}
