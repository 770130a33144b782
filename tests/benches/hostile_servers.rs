//! The hostile-server suite's time and peak memory, case by case (BENCHMARKS.md section 7).
//!
//! Each case of `atlas_admin_tests::hostile` runs in a child process of its own (this program, started
//! again with `--case <name>`), three times in a row; the child reports each call's time and its own peak
//! resident set (`VmHWM` in `/proc/self/status`, so Linux only), and this program prints the table. One
//! process per case, so a case's peak is its own and not the largest so far.
//!
//! `cargo bench -p atlas-admin-tests --bench hostile_servers [-- <part of a case name>]`

use std::process::Command;
use std::time::Duration;

use atlas_admin_tests::hostile::{Case, Settings, describe, run};

/// Calls per case, in its one process.
const RUNS: usize = 3;

/// The attempt timeout of the bench's clients. The client's default is 60 s; the cases that only a timeout
/// can end (a body dripping forever, a server that never answers) end after this instead.
const TIMEOUT: Duration = Duration::from_secs(2);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(at) = args.iter().position(|arg| arg == "--case") {
        let name = args.get(at + 1).expect("--case needs a case name");
        child(Case::from_name(name).unwrap_or_else(|| panic!("no case named {name:?}")));
        return;
    }
    // `cargo bench` passes `--bench`; anything else that is not a flag selects cases by name.
    let filters: Vec<&String> = args.iter().filter(|arg| !arg.starts_with("--")).collect();
    let cases: Vec<Case> = Case::ALL
        .iter()
        .copied()
        .filter(|case| filters.is_empty() || filters.iter().any(|f| case.name().contains(f.as_str())))
        .collect();
    println!("hostile servers: each case in a child process of its own, {RUNS} calls in a row");
    println!("  time: one call, from its start to its typed outcome (median, min-max of {RUNS})");
    println!("  peak memory: the child's VmHWM (peak resident set): the client, its Tokio runtime, and the");
    println!("  loopback server it calls (which sends from one fixed 64 KiB buffer); the baseline is the floor");
    println!("  clients: body limit 32 MiB (the default), attempt timeout {TIMEOUT:?} (default 60 s), 4 attempts");
    println!("  within 10 s, backoff from 10 ms up to 100 ms (the default: 500 ms up to 30 s)");
    println!();
    println!("  requests: what the server read in one call (for the redirects, also the server it points to)");
    println!();
    println!("| case | outcome | requests | time (median, min-max) | peak memory |");
    println!("|---|---|---|---|---|");
    for case in cases {
        let output = Command::new(std::env::current_exe().expect("the bench's own path"))
            .args(["--case", case.name()])
            .output()
            .expect("the child process starts");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let Some(line) = stdout.lines().find_map(|line| line.strip_prefix("RESULT\t")) else {
            let stderr = String::from_utf8_lossy(&output.stderr);
            println!("| {} | child failed ({}): {} | | | |", case.name(), output.status, stderr.trim());
            continue;
        };
        let fields: Vec<&str> = line.split('\t').collect();
        let [outcome, traffic, median, min, max, peak_kib] = fields[..] else {
            panic!("a malformed result line: {line}")
        };
        let peak: f64 = peak_kib.parse::<f64>().expect("VmHWM in KiB") / 1024.0;
        println!("| {} | {outcome} | {traffic} | {median} ({min}-{max}) | {peak:.1} MiB |", case.name());
    }
}

/// Runs `case` RUNS times and prints `RESULT\t<outcome>\t<traffic>\t<median>\t<min>\t<max>\t<VmHWM KiB>`
/// (outcome and traffic of the last run).
fn child(case: Case) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime for the case");
    let settings = Settings { timeout: TIMEOUT, ..Settings::default() };
    let mut times = Vec::with_capacity(RUNS);
    let (mut outcome, mut traffic) = (String::new(), String::new());
    for _ in 0..RUNS {
        let run = runtime.block_on(run(case, &settings));
        times.push(run.elapsed);
        outcome = describe(&run.outcome);
        traffic = run.traffic();
    }
    times.sort_unstable();
    let peak = peak_resident_kib().expect("VmHWM in /proc/self/status (Linux)");
    println!(
        "RESULT\t{outcome}\t{traffic}\t{}\t{}\t{}\t{peak}",
        shown(times[RUNS / 2]),
        shown(times[0]),
        shown(times[RUNS - 1])
    );
}

fn shown(duration: Duration) -> String {
    if duration >= Duration::from_secs(1) {
        format!("{:.2} s", duration.as_secs_f64())
    } else if duration >= Duration::from_millis(1) {
        format!("{:.1} ms", duration.as_secs_f64() * 1e3)
    } else {
        format!("{} µs", duration.as_micros())
    }
}

/// The process's peak resident set so far, in KiB.
fn peak_resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
