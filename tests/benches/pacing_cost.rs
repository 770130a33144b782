//! What pacing (on by default) costs far from the rate limit: the median latency of `delete_org_api_key`
//! with pacing on divided by that with pacing off, against the local Atlas without authentication or rate
//! limit (its answers carry `RateLimit-Remaining` equal to `RateLimit-Limit`, so the pacer reads them and
//! never waits). The two clients take turns, the first of each round alternating.
//!
//! `cargo bench -p atlas-admin-tests --bench pacing_cost`

mod support;

use std::time::{Duration, Instant};

use atlas_admin::{Client, OrgId};
use atlas_admin_tests::clients::{api_key, org};
use local_atlas::known::*;
use local_atlas::{AuthMode, Config, extra_key_id};

const WARMUP: usize = 500;
const SAMPLES: usize = 10_000;

fn main() {
    let keys = 2 * (WARMUP + SAMPLES);
    let (atlas, _server_runtime) =
        support::server_on_own_runtime(Config { extra_org_keys: keys, auth: AuthMode::Disabled, ..Default::default() });
    let paced = Client::builder().base_url(atlas.base_url()).no_auth().build().unwrap();
    let unpaced = Client::builder().base_url(atlas.base_url()).no_auth().pacing(false).build().unwrap();
    let runtime = support::client_runtime(1);
    let org_id = org(ACME_ORG);
    let (mut on, mut off) = runtime.block_on(async {
        let (mut on, mut off) = (Vec::with_capacity(SAMPLES), Vec::with_capacity(SAMPLES));
        for round in 0..WARMUP + SAMPLES {
            let mut times = [Duration::ZERO; 2];
            for slot in 0..2 {
                let which = (round + slot) % 2;
                let client = if which == 0 { &paced } else { &unpaced };
                times[which] = delete(client, &org_id, 2 * round + which).await;
            }
            if round >= WARMUP {
                on.push(times[0]);
                off.push(times[1]);
            }
        }
        (on, off)
    });
    let (on_median, off_median) = (support::median(&mut on), support::median(&mut off));
    let micros = |d: Duration| d.as_secs_f64() * 1e6;
    println!("pacing_cost: {SAMPLES} samples each after {WARMUP} warm-up calls, no rate limit, 204 every time");
    println!("  pacing on:  median {:.1} µs, p90 {:.1} µs", micros(on_median), micros(support::percentile(&on, 90)));
    println!("  pacing off: median {:.1} µs, p90 {:.1} µs", micros(off_median), micros(support::percentile(&off, 90)));
    println!("  ratio of medians (on / off): {:.3}", on_median.as_secs_f64() / off_median.as_secs_f64());
    assert_eq!(atlas.counters().org_keys_deleted, keys as u64);
    assert_eq!(atlas.counters().rate_limited, 0);
}

async fn delete(client: &Client, org_id: &OrgId, index: usize) -> Duration {
    let key = api_key(&extra_key_id(index));
    let started = Instant::now();
    let answer = client.delete_org_api_key(org_id, &key).send().await.expect("the delete succeeds");
    let elapsed = started.elapsed();
    assert_eq!(answer.status.as_u16(), 204);
    elapsed
}
