//! Where the two specs come from: a file, a git revision, or the working tree.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context as _;

use spec_diff::Input;

use crate::paths::SPEC_FILE;

/// The repository the command runs in, found from the current directory.
pub(crate) fn repository_root() -> Option<PathBuf> {
    let output = Command::new("git").args(["rev-parse", "--show-toplevel"]).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    Some(PathBuf::from(text.trim_end()))
}

/// Reads a side named by `--base`/`--head`: an existing file wins, otherwise it is a git revision.
pub(crate) fn read_named(argument: &str, repository: Option<&Path>) -> anyhow::Result<Input> {
    let as_path = Path::new(argument);
    if as_path.is_file() {
        let text = std::fs::read_to_string(as_path).with_context(|| format!("reading {argument}"))?;
        return Ok(Input { name: argument.to_owned(), text: Some(text) });
    }
    let Some(repository) = repository else {
        anyhow::bail!("{argument:?} is not a file, and there is no git repository here to read it as a revision");
    };
    read_revision(argument, repository)
}

/// Reads `spec/atlas-admin.yaml` as of a revision.
fn read_revision(revision: &str, repository: &Path) -> anyhow::Result<Input> {
    let name = format!("{revision}:{SPEC_FILE}");
    let commit = git(repository, &["rev-parse", "--verify", "--quiet", &format!("{revision}^{{commit}}")])?;
    if !commit.status.success() {
        // A repository without commits has no spec at HEAD yet: every operation is new.
        let has_commits = git(repository, &["rev-parse", "--verify", "--quiet", "HEAD"])?.status.success();
        if revision == "HEAD" && !has_commits {
            return Ok(Input { name, text: None });
        }
        anyhow::bail!(
            "{revision:?} is neither a file nor a git revision (for a PR base, fetch it first: git fetch origin)"
        );
    }
    let exists = git(repository, &["cat-file", "-e", &format!("{revision}:{SPEC_FILE}")])?;
    if !exists.status.success() {
        return Ok(Input { name, text: None });
    }
    let shown = git(repository, &["show", &format!("{revision}:{SPEC_FILE}")])?;
    if !shown.status.success() {
        anyhow::bail!("git show {name} failed: {}", String::from_utf8_lossy(&shown.stderr).trim());
    }
    let text = String::from_utf8(shown.stdout).with_context(|| format!("{name} is not UTF-8"))?;
    Ok(Input { name, text: Some(text) })
}

/// Reads the working tree's spec (the default head).
pub(crate) fn read_working_tree(repository: Option<&Path>) -> anyhow::Result<Input> {
    let path = repository.map(|root| root.join(SPEC_FILE)).unwrap_or_else(|| PathBuf::from(SPEC_FILE));
    let name = SPEC_FILE.to_owned();
    if !path.is_file() {
        return Ok(Input { name, text: None });
    }
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    Ok(Input { name, text: Some(text) })
}

fn git(repository: &Path, args: &[&str]) -> anyhow::Result<std::process::Output> {
    Command::new("git")
        .arg("-C")
        .arg(repository)
        .args(args)
        .output()
        .with_context(|| format!("running git {}", args.join(" ")))
}
