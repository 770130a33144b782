//! `cargo xtask check-recorded --spec FILE DIR`: holds every recorded answer in DIR against the client
//! generated from FILE, through the decoder `send()` uses (each builder's `decode`).
//!
//! It generates the crate (features of the recorded operations only, so the build stays small), writes a
//! checker program that parses each recorded response and calls the decoder of its operation, runs it,
//! and reports per file (ok, or the decode error with its JSON path) and a summary by kind of error. An
//! answer passes when it decodes as the operation's success type, or, for an error status, as the spec's
//! error body; anything kept only as an `UnexpectedResponse` fails. Exit status 1 when any fails.

// Also compiled into the checker program, which uses what xtask does not (parsing the responses).
#[allow(dead_code, unreachable_pub, reason = "shared verbatim with the generated checker program")]
pub(crate) mod recorded;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, bail};

use crate::cli;
use crate::paths::{nested_target_dir, workspace_root};
use crate::regenerate::standalone::{crate_name, write_crate};

const USAGE: &str = "\
usage: cargo xtask check-recorded --spec FILE DIR

  --spec FILE  the spec to generate a client from (e.g. the output of trim --all)
  DIR          recorded answers (index.tsv and the bodies); exit 1 when any does not decode
";

pub(crate) fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    let mut spec: Option<PathBuf> = None;
    let mut dir: Option<PathBuf> = None;
    let parsed = cli::parse(args, USAGE, |flag, parser| {
        match flag.name.as_str() {
            "--spec" => spec = Some(cli::path(parser)?),
            "" if dir.is_none() => dir = flag.into_path(),
            _ => return Err(flag.unexpected()),
        }
        Ok(())
    })?;
    if let cli::Parsed::Help = parsed {
        return Ok(ExitCode::SUCCESS);
    }
    let (Some(spec), Some(dir)) = (spec, dir) else { return Err(cli::usage_error(USAGE, "give --spec FILE and DIR")) };
    check(&spec, &dir)
}

fn check(spec: &Path, dir: &Path) -> anyhow::Result<ExitCode> {
    let entries = recorded::read_index(dir).map_err(anyhow::Error::msg)?;
    let root = workspace_root();
    let work = root.join("target/check-recorded");
    let client_dir = work.join("client");
    let options = crate::options::standalone_crate();
    let generated = match write_crate(spec, &client_dir, &options, &Default::default())? {
        Ok(generated) => generated,
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            bail!("{} does not generate, so no answer can be checked", spec.display());
        }
    };
    let package = crate_name(spec);
    let mut features = BTreeSet::new();
    let mut missing = Vec::new();
    for entry in &entries {
        match generated.builders.get(&entry.operation_id) {
            Some(path) => features.extend(path.feature.clone()),
            None => missing.push(&entry.operation_id),
        }
    }
    let checker_dir = work.join("checker");
    // The target folder every nested build shares, so compiled dependencies are reused.
    let build_dir = nested_target_dir();
    write_checker(&checker_dir, &client_dir, &package, &features, &generated.builders)?;
    // The versions the workspace tested, shared with the other nested builds (cargo adds what is missing).
    std::fs::copy(root.join("Cargo.lock"), checker_dir.join("Cargo.lock")).context("copying Cargo.lock")?;
    println!("building the checker for {} answers of {} operations", entries.len(), features.len());
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["build", "--quiet", "--manifest-path"])
        .arg(checker_dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &build_dir)
        .status()
        .context("running cargo build for the checker")?;
    if !status.success() {
        bail!("the checker did not build");
    }
    let output =
        Command::new(build_dir.join("debug/check-recorded")).arg(dir).output().context("running the checker")?;
    if !output.status.success() {
        bail!("the checker failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let report = String::from_utf8(output.stdout).context("the checker's output is not UTF-8")?;
    Ok(summarise(&report, entries.len(), &missing))
}

/// Prints the checker's per-file lines and the summary; the exit code.
fn summarise(report: &str, total: usize, missing: &[&String]) -> ExitCode {
    let mut passed = 0;
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut untyped = (0, 0);
    let mut unlisted_values: BTreeMap<String, usize> = BTreeMap::new();
    for line in report.lines() {
        let fields: Vec<&str> = line.splitn(5, '\t').collect();
        match fields.as_slice() {
            ["ok", file, unlisted, unknown] => {
                passed += 1;
                let values: Vec<&str> = unlisted.split(',').filter(|v| !v.is_empty()).collect();
                let unknown: usize = unknown.parse().unwrap_or(0);
                for value in &values {
                    *unlisted_values.entry((*value).to_owned()).or_default() += 1;
                }
                untyped.0 += values.len();
                untyped.1 += unknown;
                match (values.len(), unknown) {
                    (0, 0) => println!("ok    {file}"),
                    (count, _) => {
                        println!("ok    {file} ({count} unlisted enum values, {unknown} unknown union values)")
                    }
                }
            }
            ["fail", file, kind, path, reason] => {
                *kinds.entry((*kind).to_owned()).or_default() += 1;
                println!("FAIL  {file}\n      at `{path}`: {reason}");
            }
            _ => {
                *kinds.entry("unreadable checker output".to_owned()).or_default() += 1;
                println!("?     {line}");
            }
        }
    }
    for operation in missing {
        *kinds.entry("operation not in the spec".to_owned()).or_default() += 1;
        println!("FAIL  an answer of {operation}, which the spec does not have");
    }
    println!("\n{passed}/{total} recorded answers decode");
    println!(
        "kept untyped in decoded answers: {} enum values the spec does not list, {} union values no variant took",
        untyped.0, untyped.1
    );
    for (value, count) in &unlisted_values {
        println!("  {count:>4}  unlisted {value:?}");
    }
    for (kind, count) in &kinds {
        println!("  {count:>4}  {kind}");
    }
    if passed == total { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn write_checker(
    dir: &Path,
    client: &Path,
    package: &str,
    features: &BTreeSet<String>,
    builders: &BTreeMap<String, codegen::BuilderPath>,
) -> anyhow::Result<()> {
    // The tags the answers need, and the client's default TLS (see the comment in the manifest below).
    let listed: Vec<String> =
        std::iter::once("rustls-ring").chain(features.iter().map(String::as_str)).map(|f| format!("{f:?}")).collect();
    let manifest = format!(
        "[package]\nname = \"check-recorded\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nclient = {{ package = {package:?}, path = {:?}, default-features = false, features = [{}] }}\n\
         reqwest = {{ version = \"0.13\", default-features = false }}\nbytes = \"1\"\n\
         # Not used by the checker: the client's default TLS and a user's tokio features, so its dependencies\n\
         # compile as in the other nested builds (a user's crate) and are shared with them.\n\
         tokio = {{ version = \"1\", features = [\"rt-multi-thread\", \"macros\"] }}\n\n[workspace]\n",
        client.display().to_string(),
        listed.join(", ")
    );
    let recorded = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/check_recorded/recorded.rs");
    let mut arms = String::new();
    for (operation_id, path) in builders {
        if path.feature.as_ref().is_none_or(|feature| features.contains(feature)) {
            arms.push_str(&format!(
                "        {operation_id:?} => Some(outcome(client::operations::{}::{}::decode(raw).map(|answer| format!(\"{{:?}}\", answer.body)))),\n",
                path.module, path.builder
            ));
        }
    }
    let main = format!(
        r#"//! Generated by `cargo xtask check-recorded`: decodes recorded answers with the generated decoders.
#[allow(dead_code)]
#[path = {recorded:?}]
mod recorded;

/// Ok with what the typed body could not name: values an open enum does not list, and union values no
/// variant took (both found in the body's `Debug`).
fn outcome(result: Result<String, client::Error>) -> Result<(Vec<String>, usize), (String, String, String)> {{
    match result {{
        Ok(shown) => {{
            let unlisted = shown.split("Other(\"").skip(1).filter_map(|rest| rest.split('"').next()).map(str::to_owned).collect();
            Ok((unlisted, shown.matches("Unknown(").count()))
        }}
        Err(client::runtime::Error::Api(_)) => Ok((Vec::new(), 0)),
        Err(client::runtime::Error::UnexpectedResponse(answer)) => {{
            let kind = kind_of(&answer.reason);
            Err((kind, answer.json_path.clone().unwrap_or_default(), answer.reason.replace(['\t', '\n'], " ")))
        }}
        Err(other) => Err(("other error".to_owned(), String::new(), other.to_string().replace(['\t', '\n'], " "))),
    }}
}}

/// The kind of a decode failure: serde's wording up to the specifics.
fn kind_of(reason: &str) -> String {{
    for kind in ["invalid type", "invalid value", "missing field", "unknown variant", "invalid length", "content type is not JSON", "EOF while parsing", "expected value"] {{
        if reason.contains(kind) {{
            return kind.to_owned();
        }}
    }}
    "other".to_owned()
}}

fn decode(operation_id: &str, raw: client::runtime::RawResponse) -> Option<Result<(Vec<String>, usize), (String, String, String)>> {{
    match operation_id {{
{arms}        _ => None,
    }}
}}

fn main() {{
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("the recorded folder"));
    let entries = recorded::read_index(&dir).expect("index.tsv");
    for entry in entries {{
        let bytes = std::fs::read(dir.join("responses").join(&entry.file)).expect("a recorded response");
        let response = match recorded::parse_response(&bytes) {{
            Ok(response) => response,
            Err(error) => {{
                println!("fail\t{{}}\tunreadable recording\t\t{{error}}", entry.file);
                continue;
            }}
        }};
        let mut headers = reqwest::header::HeaderMap::new();
        for (name, value) in &response.headers {{
            if let (Ok(name), Ok(value)) = (reqwest::header::HeaderName::from_bytes(name.as_bytes()), reqwest::header::HeaderValue::from_str(value)) {{
                headers.append(name, value);
            }}
        }}
        let status = reqwest::StatusCode::from_u16(response.status).expect("a status");
        let raw = client::runtime::RawResponse::new(status, headers, bytes::Bytes::from(response.body));
        match decode(&entry.operation_id, raw) {{
            Some(Ok((unlisted, unknown))) => println!("ok\t{{}}\t{{}}\t{{unknown}}", entry.file, unlisted.join(",")),
            Some(Err((kind, path, reason))) => println!("fail\t{{}}\t{{kind}}\t{{path}}\t{{reason}}", entry.file),
            None => println!("fail\t{{}}\toperation not generated\t\t{{}} is not in the generated client", entry.file, entry.operation_id),
        }}
    }}
}}
"#
    );
    crate::fresh::ensure_file_contents(&dir.join("Cargo.toml"), &manifest, crate::fresh::Mode::Write)?;
    crate::fresh::ensure_file_contents(&dir.join("src/main.rs"), &main, crate::fresh::Mode::Write)?;
    Ok(())
}
