//! `cargo xtask diff` as a process, in throwaway git repositories: the local use (`--base HEAD~1`)
//! and the exact command the pull-request workflow runs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const MARKER: &str = "<!-- atlas-admin-spec-diff -->";

fn case_file(case: &str, side: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/diff/cases/{case}/{side}.yaml"))
}

/// A fresh directory under cargo's per-target temp dir, named after the test.
fn fresh_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("diff-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn git(repo: &Path, args: &[&str]) {
    let output = Command::new("git").arg("-C").arg(repo).args(args).output().unwrap();
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
}

/// `git init` with an identity of its own, so the test needs no global git configuration.
fn init_repo(name: &str) -> PathBuf {
    let repo = fresh_dir(name);
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["config", "user.email", "diff-test@example.invalid"]);
    git(&repo, &["config", "user.name", "diff test"]);
    git(&repo, &["config", "commit.gpgsign", "false"]);
    repo
}

fn commit_spec(repo: &Path, spec: Option<&Path>, message: &str) {
    std::fs::create_dir_all(repo.join("spec")).unwrap();
    match spec {
        Some(source) => {
            std::fs::copy(source, repo.join("spec/atlas-admin.yaml")).unwrap();
        }
        None => std::fs::write(repo.join("spec/selection.yaml"), "operations: []\n").unwrap(),
    }
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", message]);
}

/// Runs the xtask binary the way `cargo xtask` does (the alias is `run --package xtask --`), in `repo`.
fn xtask(repo: &Path, args: &[String]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).current_dir(repo).output().unwrap()
}

/// Splits a command line written in the workflow or the brief; none of them quote anything.
fn xtask_arguments(command: &str) -> Vec<String> {
    let words: Vec<String> = command.split_whitespace().map(str::to_owned).collect();
    assert_eq!(&words[..2], ["cargo", "xtask"], "not a cargo xtask command: {command}");
    words[2..].to_vec()
}

#[test]
fn base_head_tilde_one_in_a_fresh_clone_reports_the_last_commit() {
    let repo = init_repo("head-1");
    commit_spec(&repo, Some(&case_file("operations", "base")), "spec before");
    commit_spec(&repo, Some(&case_file("operations", "head")), "spec: drop deleteA, deprecate getC");
    let output = xtask(&repo, &xtask_arguments("cargo xtask diff --base HEAD~1 --format markdown"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.starts_with(MARKER), "{stdout}");
    assert!(stdout.contains("### Spec diff: `HEAD~1:spec/atlas-admin.yaml` → `spec/atlas-admin.yaml`"), "{stdout}");
    assert!(stdout.contains("| `api-removed-without-deprecation` | `deleteA` DELETE `/a` |"), "{stdout}");
    assert!(stdout.contains("<summary>Client API changes"), "{stdout}");
}

#[test]
fn the_working_tree_is_the_default_head_and_head_the_default_base() {
    let repo = init_repo("worktree");
    commit_spec(&repo, Some(&case_file("parameters", "base")), "spec");
    std::fs::copy(case_file("parameters", "head"), repo.join("spec/atlas-admin.yaml")).unwrap();
    let output = xtask(&repo, &xtask_arguments("cargo xtask diff --format json --no-client-api --fail-on error"));
    // Breaking changes and --fail-on error: exit 1, report still written.
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["base"], "HEAD:spec/atlas-admin.yaml");
    assert!(report["summary"]["failing"].as_u64().unwrap() > 0);
}

#[test]
fn a_spec_missing_at_base_reports_everything_added() {
    let repo = init_repo("missing");
    commit_spec(&repo, None, "no spec yet");
    commit_spec(&repo, Some(&case_file("security", "head")), "add the spec");
    let output = xtask(&repo, &xtask_arguments("cargo xtask diff --base HEAD~1 --format text --fail-on error"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("0 breaking changes"), "{stdout}");
    assert_eq!(stdout.matches("endpoint-added").count(), 3, "{stdout}");
}

#[test]
fn an_unknown_revision_is_an_error_not_a_panic() {
    let repo = init_repo("unknown");
    commit_spec(&repo, Some(&case_file("security", "base")), "spec");
    let output = xtask(&repo, &xtask_arguments("cargo xtask diff --base no-such-branch"));
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("\"no-such-branch\" is neither a file nor a git revision"), "{stderr}");
}

/// The `run:` line of the workflow step that calls `cargo xtask diff`.
fn workflow_command() -> String {
    let workflow = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.github/workflows/spec-diff.yml");
    let text = std::fs::read_to_string(workflow).unwrap();
    let commands: Vec<&str> = text
        .lines()
        .filter_map(|line| line.trim().strip_prefix("run: "))
        .filter(|command| command.starts_with("cargo xtask diff"))
        .collect();
    assert_eq!(commands.len(), 1, "expected one cargo xtask diff step: {commands:?}");
    commands[0].to_owned()
}

#[test]
fn workflow_command_runs_as_written() {
    let command = workflow_command();
    assert!(command.contains("--base origin/${{ github.base_ref }}"), "{command}");
    assert!(command.contains("--format markdown"), "{command}");
    // What GitHub substitutes before the shell sees the line.
    let command = command.replace("${{ github.base_ref }}", "main");

    // A pull-request checkout: the base branch as a remote-tracking ref, the PR's commit checked out.
    let repo = init_repo("workflow");
    commit_spec(&repo, Some(&case_file("responses", "base")), "base");
    git(&repo, &["update-ref", "refs/remotes/origin/main", "HEAD"]);
    git(&repo, &["checkout", "-q", "-b", "pr"]);
    commit_spec(&repo, Some(&case_file("responses", "head")), "pr: change responses");

    let output = xtask(&repo, &xtask_arguments(&command));
    // The responses pair has breaking changes, so with --fail-on error the step fails (and the
    // workflow posts the comment before failing the job).
    let fails = command.contains("--fail-on error");
    assert_eq!(output.status.success(), !fails, "{}", String::from_utf8_lossy(&output.stderr));
    let report = std::fs::read_to_string(repo.join("spec-diff.md")).expect("the workflow posts spec-diff.md");
    assert!(report.starts_with(MARKER));
    assert!(report.contains("`origin/main:spec/atlas-admin.yaml`"), "{report}");
    assert!(report.contains("#### Breaking changes"), "{report}");
    // The marker the comment step searches for is the one the report carries.
    let workflow =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.github/workflows/spec-diff.yml"))
            .unwrap();
    assert!(workflow.contains(&format!("const marker = '{MARKER}';")));
    assert!(workflow.contains("--output spec-diff.md") && workflow.contains("readFileSync('spec-diff.md'"));
}
