//! Benchmark 1: HTTP exchanges per digest-authenticated delete, over 1000 sequential calls against the local
//! Atlas. The server's counters give the exchanges. Goal: <= 1.001 (one challenge for the whole run).
//!
//! `cargo bench -p atlas-admin-tests --bench digest_exchanges`

mod support;

use std::time::Instant;

use atlas_admin::Client;
use atlas_admin_tests::clients::{api_key, org};
use local_atlas::known::*;
use local_atlas::{Config, extra_key_id};

const CALLS: usize = 1000;

fn run(reuse_nonce: bool) -> (f64, u64, f64) {
    let (atlas, _server_runtime) =
        support::server_on_own_runtime(Config { extra_org_keys: CALLS, ..Default::default() });
    let client = Client::builder()
        .base_url(atlas.base_url())
        .digest_auth(ADMIN_PUBLIC_KEY, ADMIN_PRIVATE_KEY)
        .digest_nonce_reuse(reuse_nonce)
        .build()
        .unwrap();
    let runtime = support::client_runtime(1);
    let started = Instant::now();
    runtime.block_on(async {
        for index in 0..CALLS {
            let answer = client.delete_org_api_key(&org(ACME_ORG), &api_key(&extra_key_id(index))).send().await;
            assert_eq!(answer.expect("every delete succeeds").status.as_u16(), 204);
        }
    });
    let elapsed = started.elapsed();
    let counters = atlas.counters();
    assert_eq!(counters.org_keys_deleted, CALLS as u64);
    assert_eq!(counters.requests, counters.count("deleteOrgApiKey", 204) + counters.challenges_issued);
    let per_call = counters.requests as f64 / CALLS as f64;
    (per_call, counters.challenges_issued, elapsed.as_secs_f64() * 1e6 / CALLS as f64)
}

fn main() {
    let (per_call, challenges, micros) = run(true);
    println!(
        "digest_exchanges: {CALLS} sequential deleteOrgApiKey calls, digest MD5, nonce reuse on: \
         {per_call:.4} exchanges per delete ({challenges} challenge(s)), {micros:.0} µs per call"
    );
    let (go_style, go_challenges, go_micros) = run(false);
    println!(
        "digest_exchanges: same with nonce reuse off (the Go SDK's behaviour): {go_style:.4} exchanges per delete \
         ({go_challenges} challenges), {go_micros:.0} µs per call"
    );
    let goal = 1.001;
    println!("goal <= {goal}: {}", if per_call <= goal { "met" } else { "NOT met" });
}
