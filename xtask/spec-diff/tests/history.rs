//! The diff on real updates: every consecutive pair of the 24 upstream specs of 2025 in
//! `../shared/upstream/history/` (23 updates) is diffed by the spec rules, and the findings of each update,
//! counted by level and by rule, must be the table in BENCHMARKS.md (section 9). A change to the rules
//! that moves any count shows here as a table that no longer matches; `EXPECTORATE=overwrite` rewrites the
//! table after a reviewer has read why it moved.
//!
//! `ATLAS_UPSTREAM_HISTORY=DIR` points at another copy of the history. Without the directory (a checkout
//! without `../shared`) the test prints why and passes: it cannot fail for data it was not given.

mod support;

use std::collections::BTreeMap;
use std::path::PathBuf;

use spec_diff::Document;
use spec_diff::model::Level;
use spec_diff::rules::diff_documents;
use support::{check_table, history_dir, read, spec_files};

/// Where BENCHMARKS.md keeps the table.
const START: &str = "<!-- history-table:start (written by xtask/spec-diff/tests/history.rs) -->";
const END: &str = "<!-- history-table:end -->";

/// Diffs each spec with the next, `diff` turning a pair into a row. Reading is most of the time, so a
/// thread reads the next spec while the last pair is diffed; at most three specs are held at once.
fn diff_consecutive<T>(files: &[PathBuf], diff: impl Fn(&Document, &Document) -> T) -> Vec<T> {
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Document>(1);
        scope.spawn(move || {
            for path in files {
                if sender.send(read(path)).is_err() {
                    return;
                }
            }
        });
        let mut previous: Option<Document> = None;
        let mut rows = Vec::new();
        for document in receiver {
            if let Some(base) = &previous {
                rows.push(diff(base, &document));
            }
            previous = Some(document);
        }
        rows
    })
}

/// The findings of one update, counted.
struct Counts {
    label: String,
    by_level: BTreeMap<Level, usize>,
    by_rule: BTreeMap<(Level, &'static str), usize>,
}

fn count(label: String, changes: &[spec_diff::model::Change]) -> Counts {
    let mut counts = Counts { label, by_level: BTreeMap::new(), by_rule: BTreeMap::new() };
    for change in changes {
        *counts.by_level.entry(change.level()).or_default() += 1;
        *counts.by_rule.entry((change.level(), change.rule.id())).or_default() += 1;
    }
    counts
}

/// `2025-03-18_48775e5ef8.yaml` -> `2025-03-18`.
fn date_of(document: &Document) -> &str {
    document.name.split('_').next().unwrap_or(&document.name)
}

/// The markdown table: one row per update, the findings by level, then by rule.
fn render(rows: &[Counts]) -> String {
    let mut out = String::from(
        "| update | errors | warnings | infos | findings by rule (E error, W warning, I info) |\n|---|---:|---:|---:|---|\n",
    );
    for row in rows {
        let level = |level: Level| row.by_level.get(&level).copied().unwrap_or(0);
        let rules: Vec<String> = row
            .by_rule
            .iter()
            .map(|((level, id), n)| {
                let mark = match level {
                    Level::Error => "E",
                    Level::Warning => "W",
                    Level::Info => "I",
                };
                format!("{mark} `{id}` {n}")
            })
            .collect();
        let rules = if rules.is_empty() { "(none)".to_owned() } else { rules.join(", ") };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {rules} |\n",
            row.label,
            level(Level::Error),
            level(Level::Warning),
            level(Level::Info)
        ));
    }
    let total = |level: Level| rows.iter().map(|row| row.by_level.get(&level).copied().unwrap_or(0)).sum::<usize>();
    out.push_str(&format!(
        "| **all {} updates** | {} | {} | {} | |\n",
        rows.len(),
        total(Level::Error),
        total(Level::Warning),
        total(Level::Info)
    ));
    out
}

#[test]
fn every_real_update_diffs_and_its_counts_are_the_table_in_benchmarks_md() {
    let dir = history_dir();
    if !dir.is_dir() {
        println!("history: skipped, {} is not there (set ATLAS_UPSTREAM_HISTORY to a copy of it)", dir.display());
        return;
    }
    let files = spec_files(&dir);
    assert!(files.len() >= 2, "{} holds {} specs, not a history", dir.display(), files.len());
    let rows: Vec<Counts> = diff_consecutive(&files, |base, head| {
        count(format!("{} → {}", date_of(base), date_of(head)), &diff_documents(base, head))
    });
    assert_eq!(rows.len(), files.len() - 1);
    let table = format!("\n{}", render(&rows));
    check_table(START, END, &table, "cargo test -p spec-diff --test history");
}
