//! `cargo xtask regenerate`: the generated modules of the client, from the committed spec; or a standalone
//! crate from any spec.

pub(crate) mod standalone;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::cli;
use crate::fresh::{Mode, Outcome, ensure_file_contents, files_under};
use crate::paths::{GENERATED_DIR, RECORD_FILE, SPEC_FILE, workspace_root};

const USAGE: &str = "\
usage: cargo xtask regenerate [--check] [--adopt OPERATION]... [--prune] [--rename OLD=NEW]...
       cargo xtask regenerate --spec FILE --out DIR [--adopt OPERATION]... [--prune] [--rename OLD=NEW]...

  (no options)  write generated-client/src/generated and spec/record.yaml from spec/atlas-admin.yaml, with
                the names and API versions spec/record.yaml gives
  --check       write nothing; exit 1 when the generated files or the record are stale
  --adopt OP    let OP (an operationId, current or former, or `METHOD /path`) send the newest API version it
                offers instead of the one the record pins; repeatable; `all` for every operation, `gone` for
                those whose pinned version the spec no longer offers
  --prune       drop what the record keeps (deprecated) and the spec no longer has
  --rename OLD=NEW
                rename a recorded item on purpose (a client method, a builder, a type, an id type) and every
                reference to it; the record is changed, then the client is regenerated; repeatable
  --spec FILE   generate a standalone crate from any OpenAPI 3.0 document ...
  --out DIR     ... into DIR (a crate with a feature per tag), with DIR/record.yaml as its record
";

/// What a regeneration is asked to change beyond following the spec.
#[derive(Debug, Clone, Default)]
pub(crate) struct Changes {
    pub(crate) adopt: codegen::Adopt,
    pub(crate) prune: bool,
    /// Deliberate renames of recorded names, applied to the record before generating.
    pub(crate) renames: Vec<(String, String)>,
}

impl Changes {
    pub(crate) fn apply(&self, mut options: codegen::Options) -> codegen::Options {
        options.adopt = self.adopt.clone();
        options.prune = self.prune;
        options
    }

    /// The record with the renames done, or why one cannot be.
    pub(crate) fn rename(&self, mut record: codegen::Record) -> anyhow::Result<codegen::Record> {
        for (old, new) in &self.renames {
            let renamed = record.rename(old, new).map_err(|why| anyhow::anyhow!("--rename {old}={new}: {why}"))?;
            println!("renamed `{old}` to `{new}` ({renamed} definition(s) and every reference)");
        }
        Ok(record)
    }
}

pub(crate) fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    let mut mode = Mode::Write;
    let mut spec: Option<PathBuf> = None;
    let mut out: Option<PathBuf> = None;
    let mut changes = Changes::default();
    let parsed = cli::parse(args, USAGE, |flag, parser| {
        match flag.name.as_str() {
            "--check" => mode = Mode::Check,
            "--spec" => spec = Some(cli::path(parser)?),
            "--out" => out = Some(cli::path(parser)?),
            "--prune" => changes.prune = true,
            "--rename" => {
                let text = cli::text(parser)?;
                let Some((old, new)) = text.split_once('=') else {
                    return Err(lexopt::Error::Custom(format!("--rename takes OLD=NEW, not `{text}`").into()));
                };
                changes.renames.push((old.trim().to_owned(), new.trim().to_owned()));
            }
            "--adopt" => match cli::text(parser)? {
                all if all == "all" => changes.adopt.all = true,
                gone if gone == "gone" => changes.adopt.gone = true,
                name => {
                    changes.adopt.operations.insert(name);
                }
            },
            _ => return Err(flag.unexpected()),
        }
        Ok(())
    })?;
    if let cli::Parsed::Help = parsed {
        return Ok(ExitCode::SUCCESS);
    }
    let changing = changes.prune || !changes.adopt.is_none() || !changes.renames.is_empty();
    match (spec, out) {
        (_, _) if mode == Mode::Check && changing => {
            Err(cli::usage_error(USAGE, "--check writes nothing, so it takes no --adopt, --prune or --rename"))
        }
        (None, None) => regenerate_client(mode, &changes),
        (Some(spec), Some(out)) if mode == Mode::Write => standalone::generate_crate(&spec, &out, &changes),
        (Some(_), Some(_)) => {
            Err(cli::usage_error(USAGE, "--check applies to the client crate only, not to --spec/--out"))
        }
        _ => Err(cli::usage_error(USAGE, "--spec and --out go together")),
    }
}

fn regenerate_client(mode: Mode, changes: &Changes) -> anyhow::Result<ExitCode> {
    let root = workspace_root();
    let stale = match ensure_generated(&root, mode, changes)? {
        Ok(stale) => stale,
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            eprintln!("{SPEC_FILE} cannot be generated with {RECORD_FILE}; nothing was written");
            return Ok(ExitCode::FAILURE);
        }
    };
    match mode {
        Mode::Check if !stale.is_empty() => {
            for file in &stale {
                eprintln!("{file} is stale: it is not what the generator makes from {SPEC_FILE}");
            }
            eprintln!("run `cargo xtask regenerate` and commit the result");
            Ok(ExitCode::FAILURE)
        }
        Mode::Check => {
            println!("generated code is up to date with {SPEC_FILE}");
            Ok(ExitCode::SUCCESS)
        }
        Mode::Write => {
            for file in &stale {
                println!("wrote {file}");
            }
            if stale.is_empty() {
                println!("generated code was already up to date with {SPEC_FILE}");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Generates the client modules from the committed spec and record, and writes (or, in check mode,
/// compares) them and the next record. Returns the files that were written or are stale, relative to the
/// workspace root, or the located problems of a spec or record that does not generate. Files in the
/// generated folder that the generator no longer makes count as stale (and are removed in write mode).
pub(crate) fn ensure_generated(
    root: &Path,
    mode: Mode,
    changes: &Changes,
) -> anyhow::Result<Result<Vec<String>, codegen::Diagnostics>> {
    let spec_path = root.join(SPEC_FILE);
    let text = std::fs::read_to_string(&spec_path).with_context(|| format!("reading {}", spec_path.display()))?;
    let record = match read_record(&root.join(RECORD_FILE), RECORD_FILE)? {
        Ok(record) => changes.rename(record)?,
        Err(diagnostics) => return Ok(Err(diagnostics)),
    };
    let document = match codegen::spec::Document::read(&text, SPEC_FILE) {
        Ok(document) => document,
        Err(diagnostics) => return Ok(Err(diagnostics)),
    };
    let options = changes.apply(crate::options::shipped_client());
    let generated = match codegen::generate_document(&document, &options, &record) {
        Ok(generated) => generated,
        Err(diagnostics) => return Ok(Err(diagnostics)),
    };
    report_versions(&generated);
    require_dependencies(root, &generated.extra_dependencies)?;
    let dir = root.join(GENERATED_DIR);
    let mut changed = Vec::new();
    if ensure_file_contents(&root.join(RECORD_FILE), &generated.record.to_text(), mode)? != Outcome::Unchanged {
        changed.push(RECORD_FILE.to_owned());
    }
    for (name, contents) in &generated.files {
        if ensure_file_contents(&dir.join(name), contents, mode)? != Outcome::Unchanged {
            changed.push(format!("{GENERATED_DIR}/{name}"));
        }
    }
    for name in files_under(&dir)? {
        if !generated.files.contains_key(&name) {
            if mode == Mode::Write {
                let path = dir.join(&name);
                std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
            }
            changed.push(format!("{GENERATED_DIR}/{name}"));
        }
    }
    changed.sort();
    Ok(Ok(changed))
}

/// The record at `path` (`name` in messages), or the empty record when there is no file yet.
pub(crate) fn read_record(path: &Path, name: &str) -> anyhow::Result<Result<codegen::Record, codegen::Diagnostics>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(codegen::record::parse(&text, name)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Ok(codegen::Record::default())),
        Err(error) => Err(error).with_context(|| format!("reading {}", path.display())),
    }
}

/// Says which operations offer a newer API version than the one they send, and how to adopt it.
pub(crate) fn report_versions(generated: &codegen::GeneratedFiles) {
    if generated.newer_versions.is_empty() {
        return;
    }
    eprintln!("{} operation(s) offer a newer API version than the one they send:", generated.newer_versions.len());
    for (operation, (sent, newer)) in &generated.newer_versions {
        eprintln!("  {operation}: sends {sent}, offers {}", newer.join(", "));
    }
    eprintln!("each keeps its version; `cargo xtask regenerate --adopt OPERATION` moves one (read its changes first)");
}

/// The client crate must depend on what its generated code uses beyond the runtime (`regex` for an id
/// pattern that only a regular-expression engine checks); said here rather than by a compile error.
fn require_dependencies(root: &Path, extra: &[String]) -> anyhow::Result<()> {
    if extra.is_empty() {
        return Ok(());
    }
    let path = root.join(CLIENT_MANIFEST);
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let manifest: toml::Table = text.parse().with_context(|| format!("parsing {}", path.display()))?;
    let declared = manifest.get("dependencies").and_then(toml::Value::as_table);
    let missing: Vec<&String> = extra.iter().filter(|dep| !declared.is_some_and(|d| d.contains_key(*dep))).collect();
    if !missing.is_empty() {
        let lines: Vec<String> = missing.iter().map(|dep| format!("{dep}.workspace = true")).collect();
        anyhow::bail!(
            "the generated code uses {} (an id pattern that is more than text and character classes); add `{}` \
             to [dependencies] in {CLIENT_MANIFEST}",
            missing.iter().map(|dep| format!("`{dep}`")).collect::<Vec<_>>().join(", "),
            lines.join("`, `")
        );
    }
    Ok(())
}

/// The client crate's manifest.
const CLIENT_MANIFEST: &str = "generated-client/Cargo.toml";

#[cfg(test)]
mod tests {
    use super::*;

    /// Generated code that needs `regex` fails regeneration until the client's manifest depends on it.
    #[test]
    fn a_dependency_the_generated_code_needs_must_be_declared() {
        let dir = std::env::temp_dir().join(format!("xtask-require-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("generated-client")).expect("a folder");
        std::fs::write(dir.join(CLIENT_MANIFEST), "[package]\nname = \"x\"\n[dependencies]\nserde = \"1\"\n")
            .expect("write");
        let error = require_dependencies(&dir, &["regex".to_owned()]).expect_err("regex is missing").to_string();
        assert!(
            error.contains("add `regex.workspace = true` to [dependencies] in generated-client/Cargo.toml"),
            "{error}"
        );
        std::fs::write(dir.join(CLIENT_MANIFEST), "[dependencies]\nregex.workspace = true\n").expect("write");
        assert!(require_dependencies(&dir, &["regex".to_owned()]).is_ok());
        assert!(require_dependencies(&dir.join("nowhere"), &[]).is_ok(), "nothing needed, nothing read");
        let _ = std::fs::remove_dir_all(dir);
    }

    /// The same check as `cargo xtask regenerate --check`, so `cargo test` catches stale generated code.
    #[test]
    fn generated_code_is_fresh() {
        let stale = ensure_generated(&workspace_root(), Mode::Check, &Changes::default())
            .expect("the committed spec is read")
            .expect("the committed spec generates");
        assert!(stale.is_empty(), "stale generated files: {stale:?}; run `cargo xtask regenerate`");
    }
}
