//! `cargo xtask diff` as a process, in throwaway git repositories: the local use (`--base HEAD~1`), the
//! exact command the pull-request workflow runs, and the exit status (0 nothing at or above `--fail-on`, 1
//! findings at or above it, 2 a usage or input error) the workflow tells apart.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const MARKER: &str = "<!-- atlas-admin-spec-diff -->";

fn case_file(case: &str, side: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("spec-diff/tests/cases/{case}/{side}.yaml"))
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
    // The generated clients were compared too (the operations case's sides do not generate: findings).
    assert!(stdout.contains("; client API: ") && !stdout.contains("client API not compared"), "{stdout}");
    assert!(stdout.contains("| `client-generation-failed` | (document) |"), "{stdout}");
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
    // An input error, not a finding: exit 2, which the workflow reports as "could not run".
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "no report: {}", String::from_utf8_lossy(&output.stdout));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("\"no-such-branch\" is neither a file nor a git revision"), "{stderr}");
}

fn workflow_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../.github/workflows/spec-diff.yml")
}

/// The steps of the workflow's one job, as YAML read them.
fn workflow_steps() -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(workflow_path()).unwrap();
    let workflow: serde_json::Value = serde_yaml::from_str(&text)
        .unwrap_or_else(|error| panic!("the workflow is not valid YAML, so GitHub cannot run it: {error}"));
    let steps = workflow["jobs"]["spec-diff"]["steps"].as_array().expect("jobs.spec-diff.steps is a list");
    steps.clone()
}

/// The position and the step named `name`.
fn step<'a>(steps: &'a [serde_json::Value], name: &str) -> (usize, &'a serde_json::Value) {
    steps
        .iter()
        .enumerate()
        .find(|(_, step)| step["name"] == name)
        .unwrap_or_else(|| panic!("no step {name:?} in {steps:#?}"))
}

/// The step that runs `cargo xtask diff` (id `diff`): its run line split at `; ` into the diff command and
/// what records the status.
fn workflow_command() -> (String, String) {
    let steps = workflow_steps();
    let diff: Vec<&serde_json::Value> = steps
        .iter()
        .filter(|step| step["run"].as_str().is_some_and(|run| run.trim_start().starts_with("cargo xtask diff")))
        .collect();
    assert_eq!(diff.len(), 1, "expected one cargo xtask diff step: {diff:#?}");
    assert_eq!(diff[0]["id"], "diff", "the later steps read steps.diff.outputs.status");
    let run = diff[0]["run"].as_str().unwrap().trim();
    let (command, record) = run.split_once("; ").unwrap_or_else(|| panic!("no `; ` after the command: {run}"));
    assert!(command.starts_with("cargo xtask diff "), "{command}");
    (command.to_owned(), record.to_owned())
}

/// The run page the workflow's command links to, once GitHub has substituted its expressions.
const RUN_URL: &str = "https://github.example/owner/repo/actions/runs/42";

/// What GitHub substitutes before the shell sees the line.
fn substitute(command: &str) -> String {
    command
        .replace("${{ github.base_ref }}", "main")
        .replace("${{ github.server_url }}/${{ github.repository }}/actions/runs/${{ github.run_id }}", RUN_URL)
}

/// A pull-request checkout: the base branch as a remote-tracking ref, the PR's commit (changing the
/// responses case, which has breaking changes) checked out.
fn pull_request_checkout(name: &str) -> PathBuf {
    let repo = init_repo(name);
    commit_spec(&repo, Some(&case_file("responses", "base")), "base");
    git(&repo, &["update-ref", "refs/remotes/origin/main", "HEAD"]);
    git(&repo, &["checkout", "-q", "-b", "pr"]);
    commit_spec(&repo, Some(&case_file("responses", "head")), "pr: change responses");
    repo
}

#[test]
fn workflow_command_runs_as_written() {
    let (command, _) = workflow_command();
    assert!(command.contains("--base origin/${{ github.base_ref }}"), "{command}");
    assert!(command.contains("--format markdown"), "{command}");
    assert!(command.contains("--fail-on error"), "{command}");
    let repo = pull_request_checkout("workflow");

    let output = xtask(&repo, &xtask_arguments(&substitute(&command)));
    // The responses pair has breaking changes, so with --fail-on error the diff exits 1 (and the workflow
    // posts the comment before failing the job).
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let report = std::fs::read_to_string(repo.join("spec-diff.md")).expect("the workflow posts spec-diff.md");
    assert!(report.starts_with(MARKER));
    assert!(report.contains("`origin/main:spec/atlas-admin.yaml`"), "{report}");
    assert!(report.contains("#### Breaking changes"), "{report}");
    // The marker the comment step searches for is the one the report carries.
    let workflow = std::fs::read_to_string(workflow_path()).unwrap();
    assert!(workflow.contains(&format!("const marker = '{MARKER}';")));
    assert!(command.contains("--output spec-diff.md") && workflow.contains("readFileSync('spec-diff.md'"));
    // The whole report is written, kept as an artifact, and linked from the comment.
    assert!(command.contains("--full-report spec-diff-report.txt"), "{command}");
    let whole = std::fs::read_to_string(repo.join("spec-diff-report.txt")).expect("the whole report");
    assert!(whole.starts_with("spec diff: origin/main:spec/atlas-admin.yaml -> spec/atlas-admin.yaml"), "{whole}");
    assert!(
        report.contains(&format!("The whole report: `spec-diff-report.txt`, kept with [the workflow run]({RUN_URL}).")),
        "{report}"
    );
}

/// The whole report is uploaded whatever the diff's status, before the comment that links to it; the comment
/// step finds its own earlier comment (by the marker, at the start of a comment of this workflow's bot) and
/// edits it, and never posts a body past GitHub's limit.
#[test]
fn workflow_keeps_the_whole_report_and_updates_one_comment() {
    let steps = workflow_steps();
    let (upload_at, upload) = step(&steps, "Keep the whole report");
    let (comment_at, comment) = step(&steps, "Post or update the comment");
    assert!(upload_at < comment_at);
    assert_eq!(upload["if"], "always()");
    assert!(upload["uses"].as_str().is_some_and(|uses| uses.starts_with("actions/upload-artifact@")), "{upload:#?}");
    let paths = upload["with"]["path"].as_str().expect("paths");
    assert!(paths.lines().any(|path| path.trim() == "spec-diff-report.txt"), "{paths}");
    let script = comment["with"]["script"].as_str().expect("a script");
    assert!(script.contains("comment.body.startsWith(marker)"), "{script}");
    assert!(script.contains("comment.user.login === 'github-actions[bot]'"), "{script}");
    assert!(script.contains("updateComment") && script.contains("createComment"), "{script}");
    assert!(script.contains("const limit = 65536;") && script.contains("body.length > limit"), "{script}");
}

/// A spec of `operations` operations `getThingN` (`GET /thingsN`), each with a query parameter and a
/// response of a shared schema.
fn spec_with(operations: impl Iterator<Item = usize>) -> String {
    let mut text = String::from("openapi: 3.0.1\ninfo:\n  title: many\n  version: '1'\npaths:\n");
    for n in operations {
        text.push_str(&format!(
            "  /things{n}:\n    get:\n      operationId: getThing{n}\n      parameters:\n        - name: filter\n          \
             in: query\n          schema:\n            type: string\n      responses:\n        '200':\n          \
             description: ok\n          content:\n            application/json:\n              schema:\n                \
             $ref: '#/components/schemas/Thing'\n"
        ));
    }
    text.push_str("components:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        id:\n          type: string\n");
    text
}

/// The workflow's command on a pull request that removes 40 operations and adds 2,000 (with the generated
/// clients compared, thousands of findings, the report's full Markdown far past a comment): the comment is
/// under the limit, every breaking change is in it in full, and the whole report holds every finding.
#[test]
fn workflow_command_on_thousands_of_findings_writes_a_comment_under_the_limit() {
    let (command, _) = workflow_command();
    let repo = init_repo("workflow-large");
    let write_spec = |text: String| {
        std::fs::create_dir_all(repo.join("spec")).unwrap();
        std::fs::write(repo.join("spec/atlas-admin.yaml"), text).unwrap();
    };
    write_spec(spec_with(0..200));
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "base"]);
    git(&repo, &["update-ref", "refs/remotes/origin/main", "HEAD"]);
    git(&repo, &["checkout", "-q", "-b", "pr"]);
    write_spec(spec_with(40..2200));
    git(&repo, &["commit", "-q", "-am", "pr: drop 40 operations, add 2000"]);

    let output = xtask(&repo, &xtask_arguments(&substitute(&command)));
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let comment = std::fs::read_to_string(repo.join("spec-diff.md")).unwrap();
    let whole = std::fs::read_to_string(repo.join("spec-diff-report.txt")).unwrap();
    // The whole report, one block per finding: thousands, of which the breaking ones are the removals.
    let blocks: Vec<Vec<&str>> = whole.split("\n\n").skip(1).map(|block| block.lines().collect()).collect();
    let findings: Vec<&Vec<&str>> =
        blocks.iter().filter(|block| block.len() >= 3 && block[1].starts_with("        ")).collect();
    assert!(findings.len() > 5000, "{} findings", findings.len());
    let errors: Vec<&str> =
        findings.iter().filter(|block| block[0].starts_with("error ")).map(|block| block[1].trim()).collect();
    assert!(errors.len() >= 80, "{} breaking changes", errors.len());
    assert!(whole.len() > 10 * 65_536, "the whole report is {} bytes", whole.len());

    assert!(comment.len() <= 65_536, "the comment is {} bytes", comment.len());
    for error in &errors {
        assert!(comment.contains(error), "the comment lacks the breaking change {error}");
    }
    assert_eq!(comment.matches("| **fails** |").count(), errors.len());
    let notice = comment.lines().find(|line| line.starts_with("> **Too many findings")).expect("a notice");
    assert!(notice.contains(&format!("of {} are shown in full", findings.len())), "{notice}");
    assert!(notice.ends_with(&format!("`spec-diff-report.txt`, kept with [the workflow run]({RUN_URL}).")), "{notice}");
    assert!(!notice.contains("breaking changes are"), "{notice}");
}

/// The whole run line, as the step's shell runs it (`bash {0}`: the line in a script file, without `-e`),
/// with `cargo xtask` standing for the xtask binary: the diff's status lands in `$GITHUB_OUTPUT` and the step
/// itself succeeds, so the comment is still posted.
#[test]
fn workflow_step_records_the_status_for_the_later_steps() {
    let (command, record) = workflow_command();
    assert_eq!(record, r#"echo "status=$?" >> "$GITHUB_OUTPUT""#);
    let steps = workflow_steps();
    let (_, diff) = step(&steps, "Diff the spec against the pull request's base");
    assert_eq!(diff["shell"], "bash {0}", "bash without -e, so the line goes on to record the status");
    assert!(diff.get("continue-on-error").is_none(), "{diff:#?}");

    let repo = pull_request_checkout("workflow-status");
    let script = repo.join("step.sh");
    let shim = "cargo() { if [ \"$1\" != xtask ]; then echo \"not cargo xtask: $*\" >&2; return 99; fi; shift; \"$XTASK\" \"$@\"; }";
    std::fs::write(&script, format!("{shim}\n{}\n", substitute(&format!("{command}; {record}")))).unwrap();
    let github_output = repo.join("github-output");
    let output = Command::new("bash")
        .arg(&script)
        .current_dir(&repo)
        .env("XTASK", env!("CARGO_BIN_EXE_xtask"))
        .env("GITHUB_OUTPUT", &github_output)
        .output()
        .unwrap();
    assert!(output.status.success(), "the step succeeds: {}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(std::fs::read_to_string(&github_output).unwrap(), "status=1\n");
    assert!(repo.join("spec-diff.md").is_file());
}

/// Status 1 (findings) and every other non-zero status (the diff could not run) fail the job in steps of
/// their own, after the comment step, which runs whatever the status.
#[test]
fn workflow_fails_the_job_on_findings_and_on_a_diff_that_could_not_run_in_separate_steps() {
    let steps = workflow_steps();
    let (diff_at, _) = step(&steps, "Diff the spec against the pull request's base");
    let (comment_at, comment) = step(&steps, "Post or update the comment");
    assert!(comment["if"].as_str().unwrap().starts_with("always()"), "{comment:#?}");
    let reads_status =
        |step: &&serde_json::Value| step["if"].as_str().is_some_and(|c| c.contains("steps.diff.outputs.status"));
    let failing: Vec<(usize, &serde_json::Value)> =
        steps.iter().enumerate().filter(|(_, step)| reads_status(step)).collect();
    assert_eq!(failing.len(), 2, "{failing:#?}");
    let condition = |index: usize| failing[index].1["if"].as_str().unwrap();
    assert_eq!(condition(0), "steps.diff.outputs.status == '1'");
    assert_eq!(condition(1), "steps.diff.outputs.status != '0' && steps.diff.outputs.status != '1'");
    for (at, step) in &failing {
        assert!(*at > diff_at && *at > comment_at, "{step:#?} runs after the comment is posted");
        let run = step["run"].as_str().unwrap();
        let status = run.rsplit("exit ").next().unwrap().trim();
        assert!(run.contains("exit ") && status != "0", "the step fails the job: {run}");
    }
}

/// A repository of its own (so no `spec/allowlist.yaml` of the workspace applies) with the spec committed.
fn repo_with(name: &str, case: &str) -> PathBuf {
    let repo = init_repo(name);
    commit_spec(&repo, Some(&case_file(case, "base")), "spec");
    repo
}

/// Runs `cargo xtask diff` with `args` in `repo`, with `BASE`/`HEAD` standing for the case files.
fn diff(repo: &Path, case: &str, args: &str) -> Output {
    let args = args
        .replace("BASE", &case_file(case, "base").display().to_string())
        .replace("HEAD", &case_file(case, "head").display().to_string());
    xtask(repo, &xtask_arguments(&format!("cargo xtask diff {args}")))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn exit_0_when_every_change_is_below_fail_on() {
    // The document case moves the version pin: warnings (the pin moved, so the client sends another
    // version), nothing breaking.
    let repo = repo_with("exit-0", "document");
    let output = diff(&repo, "document", "--base BASE --head HEAD --fail-on error");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(stdout.contains("0 breaking changes, 2 warnings"), "{stdout}");
    assert!(stdout.contains("pinned-version-changed"), "{stdout}");
    assert!(stdout.contains("client-sent-version-changed"), "{stdout}");
    // The same warning fails --fail-on warning.
    let output = diff(&repo, "document", "--base BASE --head HEAD --fail-on warning");
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
}

#[test]
fn exit_1_on_breaking_changes_with_fail_on_error() {
    let repo = repo_with("exit-1", "parameters");
    let output = diff(&repo, "parameters", "--base BASE --head HEAD --fail-on error");
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("new-required-request-parameter"), "the report is still written");
    assert!(text(&output.stderr).contains("spec diff failed"), "{}", text(&output.stderr));
    // Without --fail-on nothing fails.
    let output = diff(&repo, "parameters", "--base BASE --head HEAD");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
}

/// Exit 2 with no report and the reason on standard error; a usage error also prints the usage.
fn assert_exit_2(output: &Output, reason: &str, usage: bool) {
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(output.stdout.is_empty(), "no report: {}", text(&output.stdout));
    assert!(stderr.contains(reason), "{stderr}");
    assert_eq!(stderr.contains("usage: cargo xtask diff"), usage, "{stderr}");
}

#[test]
fn exit_2_on_usage_errors() {
    let repo = repo_with("exit-2-usage", "parameters");
    assert_exit_2(&diff(&repo, "parameters", "--base BASE --head HEAD --bogus"), "--bogus", true);
    assert_exit_2(&diff(&repo, "parameters", "--base BASE --head HEAD --fail-on bogus"), "\"bogus\"", true);
    assert_exit_2(&diff(&repo, "parameters", "--base BASE --head HEAD --fail-on"), "--fail-on", true);
}

#[test]
fn exit_2_on_input_errors() {
    let repo = repo_with("exit-2-input", "parameters");
    let output = diff(&repo, "parameters", "--base no-such-branch --head HEAD");
    assert_exit_2(&output, "\"no-such-branch\" is neither a file nor a git revision", false);
    std::fs::write(repo.join("broken.yaml"), "openapi: 3.0.1\npaths:\n  /a: [\n").unwrap();
    let output = xtask(&repo, &xtask_arguments("cargo xtask diff --base HEAD --head broken.yaml"));
    assert_exit_2(&output, "broken.yaml:4: ", false);
}

#[test]
fn diff_help_prints_the_usage_to_stdout() {
    let repo = repo_with("help", "parameters");
    for flag in ["--help", "-h"] {
        let output = xtask(&repo, &xtask_arguments(&format!("cargo xtask diff {flag}")));
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        assert!(text(&output.stdout).starts_with("usage: cargo xtask diff"), "{}", text(&output.stdout));
        assert!(output.stderr.is_empty(), "{}", text(&output.stderr));
    }
}
