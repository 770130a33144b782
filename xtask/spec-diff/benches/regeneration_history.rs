//! Replays the 24 upstream versions of 2025 (`../shared/upstream/history/`) as regenerations carrying the
//! record forward, and prints the per-update table of BENCHMARKS.md (client items removed and changed with
//! and without the record, and whether a breaking spec finding explains each), the items no finding
//! explains, and the time taken. `cargo bench -p spec-diff --bench regeneration_history`; a directory as
//! the first argument replays another history.

use std::path::{Path, PathBuf};
use std::time::Instant;

use spec_diff::history::{Replay, table};

fn main() -> anyhow::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .filter(|arg| !arg.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/upstream/history"));
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(&dir)?.map(|entry| entry.map(|e| e.path())).collect::<Result<_, _>>()?;
    files.retain(|path| path.extension().is_some_and(|e| e == "yaml"));
    files.sort();
    let started = Instant::now();
    let mut replay = Replay::new(codegen::Options { features: true, ..codegen::Options::default() });
    let mut updates = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path)?;
        let document = codegen::spec::Document::read(&text, &name).map_err(|d| anyhow::anyhow!("{d}"))?;
        if let Some(update) = replay.step(&name, document)? {
            eprintln!(
                "{} -> {}: {:?}",
                update.from,
                update.to,
                (update.with_record.breaking(), update.without_record.breaking())
            );
            updates.push(update);
        }
    }
    println!("{}", table(&updates));
    for update in &updates {
        for item in update.with_record.unexplained.iter().take(40) {
            println!("unexplained {} -> {}: {item}", update.from, update.to);
        }
        if update.with_record.unexplained.len() > 40 {
            println!("... and {} more", update.with_record.unexplained.len() - 40);
        }
    }
    println!("{} versions replayed in {:.1} s", files.len(), started.elapsed().as_secs_f64());
    Ok(())
}
