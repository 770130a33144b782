//! The README's "Adding an operation", done as a maintainer does it: `createOrgApiKey` and `listOrgApiKeys`
//! are added to `spec/selection.yaml`, the spec is trimmed and the client generated, every recorded answer
//! of the two decodes (`cargo xtask check-recorded`), and a program calls both methods (a request body, and
//! pagination walked to the end) against a loopback server that answers with the recorded answers.

use std::path::{Path, PathBuf};
use std::process::Command;

const ADDED: &[&str] = &["createOrgApiKey", "listOrgApiKeys"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// The workspace's target directory (cargo gives tests `<target dir>/tmp`).
fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("a target directory").to_path_buf()
}

/// xtask as a maintainer runs it, its nested builds (the checker) in `<target dir>/nested`, offline.
fn xtask() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.env("CARGO_TARGET_DIR", target_dir()).env("CARGO_NET_OFFLINE", "true").env_remove("RUSTFLAGS");
    command
}

fn run(command: &mut Command) -> String {
    let output = command.output().expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{command:?} failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    stdout
}

/// A copy of `spec/` with the two operations added to the selection.
fn workspace_with_the_operations_added(dir: &Path) {
    let spec = dir.join("spec");
    std::fs::create_dir_all(spec.join("fragments")).expect("spec dir");
    for file in ["corrections.yaml", "fragments/delete-user-api-key.yaml"] {
        std::fs::copy(root().join("spec").join(file), spec.join(file)).expect("copy");
    }
    let mut selection = std::fs::read_to_string(root().join("spec/selection.yaml")).expect("selection");
    for operation in ADDED {
        selection.push_str(&format!("  - {operation}\n"));
    }
    std::fs::write(spec.join("selection.yaml"), selection).expect("write selection");
}

/// The recorded answers of the two operations, in the layout of `../shared/recorded`.
fn recorded_answers_of_the_operations(recorded: &Path, into: &Path) -> usize {
    let index = std::fs::read_to_string(recorded.join("index.tsv")).expect("index.tsv");
    let mut lines = index.lines();
    let mut kept = vec![lines.next().expect("a header").to_owned()];
    std::fs::create_dir_all(into.join("responses")).expect("responses dir");
    for line in lines {
        let fields: Vec<&str> = line.split('\t').collect();
        if ADDED.contains(&fields[4]) {
            std::fs::copy(recorded.join("responses").join(fields[0]), into.join("responses").join(fields[0]))
                .expect("copy a recorded answer");
            kept.push(line.to_owned());
        }
    }
    std::fs::write(into.join("index.tsv"), kept.join("\n") + "\n").expect("write index");
    kept.len() - 1
}

#[test]
fn create_and_list_added_to_the_selection_are_trimmed_generated_and_work() {
    let upstream = root().join("../shared/upstream/atlas-admin-v2.yaml");
    let recorded = root().join("../shared/recorded");
    let dir = target_dir().join("nested/crates/add-an-operation");
    let _ = std::fs::remove_dir_all(&dir);
    workspace_with_the_operations_added(&dir);

    // Trim: the selection now has five operations, and their components.
    run(xtask().env("XTASK_WORKSPACE_ROOT", &dir).args(["trim", "--upstream"]).arg(&upstream));
    let spec = dir.join("spec/atlas-admin.yaml");
    let trimmed = std::fs::read_to_string(&spec).expect("trimmed spec");
    for operation in ADDED {
        assert!(trimmed.contains(&format!("operationId: {operation}")), "{operation} is not in the trimmed spec");
    }

    // Every recorded answer of the two decodes with the generated decoders.
    let answers = recorded_answers_of_the_operations(&recorded, &dir.join("recorded"));
    assert!(answers >= 4, "the recordings have answers of both operations");
    let report = run(xtask().args(["check-recorded", "--spec"]).arg(&spec).arg(dir.join("recorded")));
    assert!(report.contains(&format!("{answers}/{answers} recorded answers decode")), "{report}");

    // The methods work: a program calls them against a loopback server replaying the recordings.
    let client = dir.join("client");
    run(xtask().args(["regenerate", "--spec"]).arg(&spec).arg("--out").arg(&client));
    let exercise = dir.join("exercise");
    std::fs::create_dir_all(exercise.join("src")).expect("exercise dir");
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/add_an_operation/Cargo.toml.in"))
            .expect("manifest template")
            .replace("CLIENT_PATH", &client.display().to_string());
    std::fs::write(exercise.join("Cargo.toml"), manifest).expect("manifest");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/add_an_operation/program.rs"),
        exercise.join("src/main.rs"),
    )
    .expect("program");
    std::fs::copy(root().join("Cargo.lock"), exercise.join("Cargo.lock")).expect("the workspace Cargo.lock");
    // The shared target directory of nested builds, as xtask's checker uses.
    let output = run(Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["run", "--quiet", "--manifest-path"])
        .arg(exercise.join("Cargo.toml"))
        .arg("--")
        .arg(&recorded)
        .env("CARGO_TARGET_DIR", target_dir().join("nested"))
        .env("CARGO_NET_OFFLINE", "true")
        .env_remove("RUSTFLAGS"));
    assert!(output.contains("created key 6a793f752c88faeba59bba49 (private key <redacted>)"), "{output}");
    assert!(output.contains("listed 14 keys over 3 pages"), "{output}");
}
