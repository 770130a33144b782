//! Where the two specs come from: a file, a git revision, or the working tree.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context as _;

use spec_diff::{Input, RecordInput};

use crate::paths::{RECORD_FILE, SPEC_FILE};

/// The repository the command runs in, found from the current directory.
pub(crate) fn repository_root() -> Option<PathBuf> {
    let output = Command::new("git").args(["rev-parse", "--show-toplevel"]).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    Some(PathBuf::from(text.trim_end()))
}

/// A side with the record its client is generated with.
pub(crate) type Side = (Input, Option<RecordInput>);

/// Reads a side named by `--base`/`--head`: an existing file wins (with the record file given for it, if
/// any), otherwise it is a git revision (with `spec/record.yaml` at that revision). A record given for a
/// side replaces the revision's.
pub(crate) fn read_named(argument: &str, repository: Option<&Path>, record: Option<&Path>) -> anyhow::Result<Side> {
    let as_path = Path::new(argument);
    let (input, at_revision) = if as_path.is_file() {
        let text = std::fs::read_to_string(as_path).with_context(|| format!("reading {argument}"))?;
        (Input { name: argument.to_owned(), text: Some(text) }, None)
    } else {
        let Some(repository) = repository else {
            anyhow::bail!("{argument:?} is not a file, and there is no git repository here to read it as a revision");
        };
        read_revision(argument, repository)?
    };
    let record = match record {
        Some(record) => Some(read_record_file(record)?),
        None => at_revision,
    };
    Ok((input, record))
}

fn read_record_file(path: &Path) -> anyhow::Result<RecordInput> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(RecordInput { name: path.display().to_string(), text })
}

/// Reads `spec/atlas-admin.yaml` and `spec/record.yaml` as of a revision.
fn read_revision(revision: &str, repository: &Path) -> anyhow::Result<Side> {
    let name = format!("{revision}:{SPEC_FILE}");
    let commit = git(repository, &["rev-parse", "--verify", "--quiet", &format!("{revision}^{{commit}}")])?;
    if !commit.status.success() {
        // A repository without commits has no spec at HEAD yet: every operation is new.
        let has_commits = git(repository, &["rev-parse", "--verify", "--quiet", "HEAD"])?.status.success();
        if revision == "HEAD" && !has_commits {
            return Ok((Input { name, text: None }, None));
        }
        anyhow::bail!(
            "{revision:?} is neither a file nor a git revision (for a PR base, fetch it first: git fetch origin)"
        );
    }
    let Some(text) = show(repository, revision, SPEC_FILE)? else { return Ok((Input { name, text: None }, None)) };
    let record = show(repository, revision, RECORD_FILE)?
        .map(|text| RecordInput { name: format!("{revision}:{RECORD_FILE}"), text });
    Ok((Input { name, text: Some(text) }, record))
}

/// The text of `file` at `revision`, `None` when the revision does not have it.
fn show(repository: &Path, revision: &str, file: &str) -> anyhow::Result<Option<String>> {
    let name = format!("{revision}:{file}");
    let exists = git(repository, &["cat-file", "-e", &name])?;
    if !exists.status.success() {
        return Ok(None);
    }
    let shown = git(repository, &["show", &name])?;
    if !shown.status.success() {
        anyhow::bail!("git show {name} failed: {}", String::from_utf8_lossy(&shown.stderr).trim());
    }
    String::from_utf8(shown.stdout).map(Some).with_context(|| format!("{name} is not UTF-8"))
}

/// Reads the working tree's spec and record (the default head); a record given replaces the tree's.
pub(crate) fn read_working_tree(repository: Option<&Path>, record: Option<&Path>) -> anyhow::Result<Side> {
    let at = |file: &str| repository.map(|root| root.join(file)).unwrap_or_else(|| PathBuf::from(file));
    let path = at(SPEC_FILE);
    let name = SPEC_FILE.to_owned();
    if !path.is_file() {
        return Ok((Input { name, text: None }, None));
    }
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let record_path = record.map_or_else(|| at(RECORD_FILE), Path::to_path_buf);
    let record = if record.is_some() || record_path.is_file() { Some(read_record_file(&record_path)?) } else { None };
    Ok((Input { name, text: Some(text) }, record))
}

fn git(repository: &Path, args: &[&str]) -> anyhow::Result<std::process::Output> {
    Command::new("git")
        .arg("-C")
        .arg(repository)
        .args(args)
        .output()
        .with_context(|| format!("running git {}", args.join(" ")))
}
