//! `cargo xtask regenerate`: the generated modules of the client, from the committed spec; or a standalone
//! crate from any spec.

pub(crate) mod standalone;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::cli;
use crate::fresh::{Mode, Outcome, ensure_file_contents, files_under};
use crate::paths::{GENERATED_DIR, SPEC_FILE, workspace_root};

const USAGE: &str = "\
usage: cargo xtask regenerate [--check]
       cargo xtask regenerate --spec FILE --out DIR

  (no options)  write generated-client/src/generated from spec/atlas-admin.yaml
  --check       write nothing; exit 1 when the generated files are stale
  --spec FILE   generate a standalone crate from any OpenAPI 3.0 document ...
  --out DIR     ... into DIR (a crate with a feature per tag)
";

pub(crate) fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    let mut mode = Mode::Write;
    let mut spec: Option<PathBuf> = None;
    let mut out: Option<PathBuf> = None;
    let parsed = cli::parse(args, USAGE, |flag, parser| {
        match flag.name.as_str() {
            "--check" => mode = Mode::Check,
            "--spec" => spec = Some(cli::path(parser)?),
            "--out" => out = Some(cli::path(parser)?),
            _ => return Err(flag.unexpected()),
        }
        Ok(())
    })?;
    if let cli::Parsed::Help = parsed {
        return Ok(ExitCode::SUCCESS);
    }
    match (spec, out) {
        (None, None) => regenerate_client(mode),
        (Some(spec), Some(out)) if mode == Mode::Write => standalone::generate_crate(&spec, &out),
        (Some(_), Some(_)) => {
            Err(cli::usage_error(USAGE, "--check applies to the client crate only, not to --spec/--out"))
        }
        _ => Err(cli::usage_error(USAGE, "--spec and --out go together")),
    }
}

fn regenerate_client(mode: Mode) -> anyhow::Result<ExitCode> {
    let root = workspace_root();
    let stale = ensure_generated(&root, mode)?;
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

/// Generates the client modules from the committed spec and writes (or, in check mode, compares) them.
/// Returns the files that were written or are stale, relative to the workspace root. Files in the
/// generated folder that the generator no longer makes count as stale (and are removed in write mode).
pub(crate) fn ensure_generated(root: &Path, mode: Mode) -> anyhow::Result<Vec<String>> {
    let spec_path = root.join(SPEC_FILE);
    let text = std::fs::read_to_string(&spec_path).with_context(|| format!("reading {}", spec_path.display()))?;
    let generated = codegen::generate_with(&text, SPEC_FILE, &crate::options::shipped_client())
        .map_err(|d| anyhow::anyhow!("{SPEC_FILE} cannot be generated:\n{d}"))?;
    require_dependencies(root, &generated.extra_dependencies)?;
    let dir = root.join(GENERATED_DIR);
    let mut changed = Vec::new();
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
    Ok(changed)
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
        let stale = ensure_generated(&workspace_root(), Mode::Check).expect("the committed spec generates");
        assert!(stale.is_empty(), "stale generated files: {stale:?}; run `cargo xtask regenerate`");
    }
}
