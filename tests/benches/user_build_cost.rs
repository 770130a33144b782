//! What atlas-admin costs its user to build: the smallest program using it (`tests/user-build/atlas_admin.rs`,
//! one delete with digest auth, its dependencies the README's install lines) against the same call written
//! by hand on the same stack (`tests/user-build/by_hand.rs`: reqwest with rustls and ring, tokio, serde,
//! serde_json, http-auth). Each is built cold (`cargo build`, dev profile, an empty target directory, the
//! workspace's lock, offline: compiling only), in turns (the order alternates every round), and the CPU time
//! of each build (user + system of cargo and everything it waited for) is compared as a ratio, round by
//! round. Then both programs delete a key on a local Atlas, so both are known to do the job.
//!
//! ```sh
//! cargo bench -p atlas-admin-tests --bench user_build_cost            # 3 rounds (6 cold builds)
//! cargo bench -p atlas-admin-tests --bench user_build_cost -- 5       # 5 rounds
//! ```
//!
//! Linux only: CPU time is read from `/proc/self/stat` (the children's user and system ticks).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use atlas_admin_tests::nested::{self, in_this_checkout, readme_install};
use local_atlas::{Config, LocalAtlas, Seed};

/// The by-hand program's dependencies: the stack atlas-admin is built on, with the same TLS.
const BY_HAND_DEPENDENCIES: &str = r#"[dependencies]
reqwest = { version = "0.13", default-features = false, features = ["rustls-no-provider"] }
rustls = { version = "0.23", default-features = false, features = ["std", "tls12", "ring"] }
tokio = { version = "1", features = ["rt-multi-thread", "macros"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
http-auth = { version = "0.1", default-features = false, features = ["digest-scheme"] }"#;

/// One of the two programs.
struct Program {
    name: &'static str,
    dir: PathBuf,
}

/// One cold build.
struct Build {
    cpu: Duration,
    wall: Duration,
    crates: usize,
}

fn main() {
    let rounds: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(3);
    let root = nested::workspace_root();
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("a target directory").join("user-build-cost");
    let source = |file: &str| std::fs::read_to_string(root.join("tests/user-build").join(file)).expect("a program");
    let library = Program { name: "atlas-admin-user", dir: base.join("atlas-admin-user") };
    let by_hand = Program { name: "by-hand", dir: base.join("by-hand") };
    nested::user_crate(
        &library.dir,
        library.name,
        &in_this_checkout(&readme_install().manifest),
        &source("atlas_admin.rs"),
    );
    nested::user_crate(&by_hand.dir, by_hand.name, BY_HAND_DEPENDENCIES, &source("by_hand.rs"));
    for program in [&library, &by_hand] {
        // Downloads whatever is missing once, so the timed builds compile only.
        let status = cargo(program).arg("fetch").status().expect("cargo fetch runs");
        assert!(status.success(), "cargo fetch for {}", program.name);
    }

    println!("cold `cargo build` (dev profile) of each program, {rounds} rounds, order alternating");
    println!("{:<6} {:<18} {:>9} {:>9} {:>7}", "round", "program", "cpu s", "wall s", "crates");
    let mut ratios = Vec::new();
    let (mut library_cpu, mut by_hand_cpu) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        let order = if round % 2 == 0 { [&library, &by_hand] } else { [&by_hand, &library] };
        let mut this_round = Vec::new();
        for program in order {
            let build = cold_build(program);
            println!(
                "{:<6} {:<18} {:>9.1} {:>9.1} {:>7}",
                round + 1,
                program.name,
                build.cpu.as_secs_f64(),
                build.wall.as_secs_f64(),
                build.crates
            );
            this_round.push((program.name, build));
        }
        let cpu_of = |name: &str| this_round.iter().find(|(n, _)| *n == name).map(|(_, b)| b.cpu).expect("built");
        let (ours, theirs) = (cpu_of(library.name), cpu_of(by_hand.name));
        library_cpu.push(ours);
        by_hand_cpu.push(theirs);
        ratios.push(ours.as_secs_f64() / theirs.as_secs_f64());
    }
    let median = |values: &mut Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    let secs = |v: &[Duration]| median(&mut v.iter().map(Duration::as_secs_f64).collect());
    println!(
        "median cpu: atlas-admin-user {:.1} s, by-hand {:.1} s; ratio of each round: {}; median ratio {:.3}",
        secs(&library_cpu),
        secs(&by_hand_cpu),
        ratios.iter().map(|r| format!("{r:.3}")).collect::<Vec<_>>().join(", "),
        median(&mut ratios.clone())
    );
    both_delete_a_key(&library, &by_hand);
}

fn cargo(program: &Program) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command
        .current_dir(&program.dir)
        .env("CARGO_TARGET_DIR", program.dir.join("target"))
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_JOBS");
    command
}

fn cold_build(program: &Program) -> Build {
    let _ = std::fs::remove_dir_all(program.dir.join("target"));
    let before = children_cpu();
    let start = Instant::now();
    let output = cargo(program).args(["build", "--offline"]).output().expect("cargo build runs");
    let wall = start.elapsed();
    let cpu = children_cpu() - before;
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{} did not build:\n{log}", program.name);
    let crates = log.lines().filter(|line| line.trim_start().starts_with("Compiling ")).count();
    Build { cpu, wall, crates }
}

/// User and system time of every child process this one has waited for (and theirs), from
/// `/proc/self/stat` (fields 16 and 17, in clock ticks of 1/100 s, Linux's `USER_HZ`).
fn children_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("Linux's /proc/self/stat");
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its `)`.
    let after = &stat[stat.rfind(')').expect("a command name") + 2..];
    let fields: Vec<u64> = after.split_whitespace().map(|f| f.parse().unwrap_or(0)).collect();
    // `after` starts at field 3, so field n is fields[n - 3].
    let ticks = fields[16 - 3] + fields[17 - 3];
    Duration::from_millis(ticks * 10)
}

/// Both programs, built as measured, delete a key of their own on a local Atlas with digest auth.
fn both_delete_a_key(library: &Program, by_hand: &Program) {
    const ORG: &str = "5953c5f380eef53887615f9a";
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("a runtime");
    let atlas = runtime
        .block_on(LocalAtlas::start(Config { seed: Seed::empty(), ..Config::default() }))
        .expect("the local Atlas starts");
    atlas.add_org(ORG, "bench org").expect("an org");
    atlas.add_api_key("5953c5f380eef53887615f9b", ORG, "admin-public", "admin-private").expect("the admin key");
    for (program, key) in [(library, "5953c5f380eef53887615f9c"), (by_hand, "5953c5f380eef53887615f9d")] {
        atlas.add_api_key(key, ORG, key, "unused").expect("a key to delete");
        let binary = program.dir.join("target/debug").join(program.name);
        let output = Command::new(&binary)
            .args([atlas.base_url().as_str(), "admin-public", "admin-private", ORG, key])
            .env("NO_PROXY", "127.0.0.1")
            .output()
            .expect("the program runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{}: {stdout}{}", program.name, String::from_utf8_lossy(&output.stderr));
        assert!(!atlas.org_has_key(ORG, key), "{} did not delete its key", program.name);
        println!("{} deleted its key on a local Atlas: {}", program.name, stdout.trim());
    }
}
