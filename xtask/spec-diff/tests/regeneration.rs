//! Regenerating when Atlas moves breaks only what Atlas broke. The 24 upstream versions of 2025
//! (`../shared/upstream/history/`) are replayed as a maintainer lives them ([`spec_diff::history`]): from
//! the oldest with an empty record, each version is regenerated with the record the previous one wrote,
//! every operation selected, one cargo feature per tag. Each update's removed and changed client items are
//! set beside the spec rules' verdict, and none may be unexplained: a client item changes only where a spec
//! rule reports a breaking change at its operation, its schema or an operation that uses its type. The
//! per-update table, with the same versions regenerated without a record beside it, is BENCHMARKS.md's
//! (`EXPECTORATE=overwrite` rewrites it after a reviewer has read why it moved).
//!
//! `ATLAS_UPSTREAM_HISTORY=DIR` points at another copy of the history. Without the directory (a checkout
//! without `../shared`) the test prints why and passes: it cannot fail for data it was not given.

mod support;

use spec_diff::history::{Replay, table};
use support::{check_table, history_dir, read, spec_files};

const START: &str = "<!-- regeneration-table:start (written by xtask/spec-diff/tests/regeneration.rs) -->";
const END: &str = "<!-- regeneration-table:end -->";

#[test]
fn regenerating_each_real_update_with_the_record_breaks_only_what_the_spec_broke() {
    let dir = history_dir();
    if !dir.is_dir() {
        println!("regeneration: skipped, {} is not there (set ATLAS_UPSTREAM_HISTORY to a copy of it)", dir.display());
        return;
    }
    let files = spec_files(&dir);
    assert!(files.len() >= 2, "{} holds {} specs, not a history", dir.display(), files.len());
    let mut replay = Replay::new(codegen::Options { features: true, ..codegen::Options::default() });
    let mut updates = Vec::new();
    // Reading is a good part of the time: a thread reads the next spec while the last one is replayed.
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel(1);
        scope.spawn(move || {
            for path in &files {
                if sender.send((path.file_name().unwrap().to_string_lossy().into_owned(), read(path))).is_err() {
                    return;
                }
            }
        });
        for (name, document) in receiver {
            let step = replay.step(&name, document).unwrap_or_else(|error| panic!("{error:#}"));
            updates.extend(step);
        }
    });
    let unexplained: Vec<String> = updates
        .iter()
        .flat_map(|u| u.with_record.unexplained.iter().map(move |item| format!("{} → {}: {item}", u.from, u.to)))
        .collect();
    assert!(
        unexplained.is_empty(),
        "{} client items changed with no breaking spec finding to explain them:\n{}",
        unexplained.len(),
        unexplained.join("\n")
    );
    // The record must be why: regenerated without one, the same updates break the client far more often.
    let breaking = |pick: fn(&spec_diff::history::Update) -> usize| updates.iter().filter(|u| pick(u) > 0).count();
    assert!(breaking(|u| u.with_record.breaking()) < breaking(|u| u.without_record.breaking()));
    check_table(START, END, &format!("\n{}", table(&updates)), "cargo test -p spec-diff --test regeneration");
}
