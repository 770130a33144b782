//! A program that runs again and again (a cron job, a CLI) with a service account: each run a new process
//! that makes one call. Without a token store that outlives the process every run asks the token endpoint
//! for a new token; with a `FileTokenStore` the runs reuse one. The local Atlas limits its token endpoint
//! as Atlas does (about ten a minute: a bucket of 10, refilled 10 a minute). Each run is a child process
//! of this bench; the figures are the server's counts and the runs' wall times.
//!
//! `cargo bench -p atlas-admin-tests --bench token_reuse`

mod support;

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use atlas_admin::Client;
use atlas_admin::runtime::FileTokenStore;
use atlas_admin_tests::clients::{api_key, org};
use local_atlas::known::*;
use local_atlas::{Config, RateLimit, extra_key_id};

const RUNS: usize = 20;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(position) = args.iter().position(|a| a == "--child") {
        std::process::exit(child(&args[position + 1..]));
    }
    // `cargo bench` passes `--bench`; anything else is not ours.
    let token_limit = RateLimit { capacity: 10, refill: 10, period: Duration::from_secs(60) };
    for store in [false, true] {
        let config = Config { extra_org_keys: RUNS, token_rate_limit: Some(token_limit), ..Config::default() };
        let (atlas, _server_runtime) = support::server_on_own_runtime(config);
        let dir = std::env::temp_dir().join(format!("token-reuse-bench-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        let file = dir.join("tokens.json");
        let mut times = Vec::with_capacity(RUNS);
        let mut failed = 0;
        for run in 0..RUNS {
            let mut command = Command::new(std::env::current_exe().expect("the bench's own path"));
            command.arg("--child").arg(atlas.base_url()).arg(run.to_string());
            if store {
                command.arg(&file);
            }
            let started = Instant::now();
            let status = command.status().expect("a child run");
            times.push(started.elapsed());
            failed += usize::from(!status.success());
        }
        let counters = atlas.counters();
        let median = support::median(&mut times);
        println!(
            "token_reuse: {RUNS} runs, one delete each, {}: {} succeeded, {failed} failed; token endpoint: {} \
             tokens issued, {} 429s; median run {:.1} ms",
            if store { "FileTokenStore" } else { "no store (the default, in memory)" },
            RUNS - failed,
            counters.tokens_issued,
            counters.count("oauthToken", 429),
            median.as_secs_f64() * 1e3
        );
        let _ = std::fs::remove_dir_all(&dir);
        if store {
            assert_eq!((failed, counters.tokens_issued), (0, 1), "every run reuses the first token");
        }
    }
}

/// One run: a new client (with the file store when a path is given), one delete. Exit status 0 or 1.
fn child(args: &[String]) -> i32 {
    let [base_url, index, rest @ ..] = args else { return 2 };
    let index: usize = index.parse().unwrap_or(0);
    let mut builder = Client::builder().base_url(base_url).service_account(SA_CLIENT_ID, SA_CLIENT_SECRET);
    if let Some(path) = rest.first() {
        builder = builder.token_store(Arc::new(FileTokenStore::new(path)));
    }
    let client = builder.build().expect("a loopback client");
    let runtime = support::client_runtime(1);
    let result = runtime.block_on(client.delete_org_api_key(&org(ACME_ORG), &api_key(&extra_key_id(index))).send());
    match result {
        Ok(_) => 0,
        Err(error) => {
            eprintln!("run {index}: {error}");
            1
        }
    }
}
