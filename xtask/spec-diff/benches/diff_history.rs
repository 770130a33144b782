//! `cargo xtask diff` on each of the 23 real updates in `../shared/upstream/history/` (or
//! `ATLAS_UPSTREAM_HISTORY=DIR`): for each pair, the time of the spec rules alone (`--no-client-api`: both
//! sides read, the rules; median of 3) and of the whole diff (both clients described and compared too; one
//! run), and what the whole diff finds, by level, spec and client findings apart. Every diff must succeed.
//!
//! `cargo bench -p spec-diff --bench diff_history`

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use spec_diff::allowlist::Allowlist;
use spec_diff::model::{Change, Level};
use spec_diff::{Input, Options, build_report};

/// How many times the spec rules are timed per pair; the median is reported.
const RUNS: usize = 3;

fn history_dir() -> PathBuf {
    match std::env::var_os("ATLAS_UPSTREAM_HISTORY") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/upstream/history"),
    }
}

fn input(path: &Path) -> Input {
    let text = std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    Input { name: path.file_name().unwrap().to_string_lossy().into_owned(), text: Some(text) }
}

/// One diff, timed; it must succeed.
fn timed(base: &Input, head: &Input, options: &Options) -> (Duration, Vec<Change>) {
    let started = Instant::now();
    let report = build_report(base, head, Allowlist::default(), None, options)
        .unwrap_or_else(|error| panic!("{} -> {}: {error:#}", base.name, head.name));
    (started.elapsed(), report.changes)
}

/// "errors/warnings/infos" of some changes.
fn levels<'a>(changes: impl Iterator<Item = &'a Change> + Clone) -> String {
    let count = |level: Level| changes.clone().filter(|change| change.level() == level).count();
    format!("{}/{}/{}", count(Level::Error), count(Level::Warning), count(Level::Info))
}

fn main() {
    let dir = history_dir();
    if !dir.is_dir() {
        println!("diff_history: skipped, {} is not there", dir.display());
        return;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "yaml"))
        .collect();
    files.sort();
    let spec_only = Options { no_client_api: true, ..Options::default() };
    let whole = Options::default();
    println!("| update | spec rules (median of {RUNS}) | whole diff | spec findings E/W/I | client findings E/W/I |");
    println!("|---|---:|---:|---|---|");
    let (mut slowest_spec, mut slowest_whole) = (Duration::ZERO, Duration::ZERO);
    for pair in files.windows(2) {
        let (base, head) = (input(&pair[0]), input(&pair[1]));
        let mut times: Vec<Duration> = (0..RUNS).map(|_| timed(&base, &head, &spec_only).0).collect();
        times.sort();
        let spec_time = times[RUNS / 2];
        let (whole_time, changes) = timed(&base, &head, &whole);
        slowest_spec = slowest_spec.max(spec_time);
        slowest_whole = slowest_whole.max(whole_time);
        let date = |input: &Input| input.name.split('_').next().unwrap_or_default().to_owned();
        println!(
            "| {} → {} | {:.0} ms | {:.0} ms | {} | {} |",
            date(&base),
            date(&head),
            spec_time.as_secs_f64() * 1e3,
            whole_time.as_secs_f64() * 1e3,
            levels(changes.iter().filter(|change| !change.rule.is_client_api())),
            levels(changes.iter().filter(|change| change.rule.is_client_api())),
        );
    }
    println!(
        "diff_history: {} updates; slowest spec rules {:.0} ms, slowest whole diff {:.0} ms",
        files.len().saturating_sub(1),
        slowest_spec.as_secs_f64() * 1e3,
        slowest_whole.as_secs_f64() * 1e3
    );
}
