//! What the tests over the real upstream history share: where the history is, its specs in order, and the
//! tables they keep in BENCHMARKS.md (compared, or rewritten with `EXPECTORATE=overwrite`).

#![allow(dead_code, reason = "each test uses the part it needs")]

use std::path::{Path, PathBuf};

use spec_diff::{Document, Input};

/// `../shared/upstream/history/`, or `ATLAS_UPSTREAM_HISTORY`.
pub(crate) fn history_dir() -> PathBuf {
    match std::env::var_os("ATLAS_UPSTREAM_HISTORY") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/upstream/history"),
    }
}

fn benchmarks_md() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../BENCHMARKS.md")
}

/// The specs of the history, oldest first (file names begin with their date).
pub(crate) fn spec_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "yaml"))
        .collect();
    files.sort();
    files
}

/// Reads one spec of the history.
pub(crate) fn read(path: &Path) -> Document {
    let text = std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    spec_diff::read_input(&Input { name, text: Some(text) })
        .unwrap_or_else(|error| panic!("{} does not read: {error}", path.display()))
}

/// Requires `table` to be what BENCHMARKS.md holds between the markers `start` and `end`, or, with
/// `EXPECTORATE=overwrite`, writes it there. `rerun` is the command that rewrites it, for the message.
pub(crate) fn check_table(start: &str, end: &str, table: &str, rerun: &str) {
    let path = benchmarks_md();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let from = text.find(start).unwrap_or_else(|| panic!("BENCHMARKS.md has no `{start}` marker")) + start.len();
    let to = text[from..].find(end).unwrap_or_else(|| panic!("BENCHMARKS.md has no `{end}` marker")) + from;
    if std::env::var("EXPECTORATE").as_deref() == Ok("overwrite") {
        std::fs::write(&path, format!("{}{table}{}", &text[..from], &text[to..])).unwrap();
        return;
    }
    let written = &text[from..to];
    assert!(
        written == table,
        "a table in BENCHMARKS.md is not what the history gives; run `EXPECTORATE=overwrite {rerun}` and review \
         the change.\ncomputed:\n{table}\nwritten:\n{written}"
    );
}
