//! Benchmark 2: median latency of `delete_org_api_key` divided by that of a hand-written reqwest DELETE to
//! the same loopback server. The server runs without authentication so both sides do the same work on the
//! wire; every call deletes a distinct existing key, so both get 204. Calls alternate between the two
//! clients, in rotating order, to cancel drift and position effects. Goal: ratio <= 1.05.
//!
//! `cargo bench -p atlas-admin-tests --bench latency_vs_raw`

mod support;

use std::time::{Duration, Instant};

use atlas_admin::Client;
use atlas_admin_tests::clients::{api_key, org};
use local_atlas::known::*;
use local_atlas::{AuthMode, Config, extra_key_id};

const WARMUP: usize = 500;
const SAMPLES: usize = 10_000;

fn main() {
    let keys = 3 * (WARMUP + SAMPLES);
    let (atlas, _server_runtime) =
        support::server_on_own_runtime(Config { extra_org_keys: keys, auth: AuthMode::Disabled, ..Default::default() });
    let base = atlas.base_url();
    let client = Client::builder().base_url(&base).no_auth().build().unwrap();
    let raw = atlas_admin_tests::http::plain_client();
    // The same reqwest settings the client uses (total and connect timeouts), to see what they cost.
    // (plain_client above installed the TLS provider that every reqwest client of this build needs.)
    let raw_with_timeouts = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .connect_timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let runtime = support::client_runtime(1);
    let org_id = org(ACME_ORG);
    let (mut generated, mut handwritten, mut handwritten_timeouts) = runtime.block_on(async {
        let mut generated = Vec::with_capacity(SAMPLES);
        let mut handwritten = Vec::with_capacity(SAMPLES);
        let mut handwritten_timeouts = Vec::with_capacity(SAMPLES);
        for round in 0..WARMUP + SAMPLES {
            // The three contenders take turns going first, so none gains from its place in the round.
            let mut times = [Duration::ZERO; 3];
            for slot in 0..3 {
                let which = (round + slot) % 3;
                let index = 3 * round + which;
                times[which] = match which {
                    0 => {
                        let key = api_key(&extra_key_id(index));
                        let started = Instant::now();
                        let answer = client
                            .delete_org_api_key(&org_id, &key)
                            .send()
                            .await
                            .expect("the client's delete succeeds");
                        let elapsed = started.elapsed();
                        assert_eq!(answer.status.as_u16(), 204);
                        elapsed
                    }
                    1 => raw_delete(&raw, &base, index).await,
                    _ => raw_delete(&raw_with_timeouts, &base, index).await,
                };
            }
            if round >= WARMUP {
                generated.push(times[0]);
                handwritten.push(times[1]);
                handwritten_timeouts.push(times[2]);
            }
        }
        (generated, handwritten, handwritten_timeouts)
    });
    let client_median = support::median(&mut generated);
    let raw_median = support::median(&mut handwritten);
    let raw_timeouts_median = support::median(&mut handwritten_timeouts);
    let ratio = client_median.as_secs_f64() / raw_median.as_secs_f64();
    let ratio_timeouts = client_median.as_secs_f64() / raw_timeouts_median.as_secs_f64();
    let micros = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "latency_vs_raw: {SAMPLES} samples each after {WARMUP} warm-up calls, server without auth, 204 every time"
    );
    println!(
        "  delete_org_api_key: median {:.1} µs, p90 {:.1} µs, p99 {:.1} µs",
        micros(client_median),
        micros(support::percentile(&generated, 90)),
        micros(support::percentile(&generated, 99))
    );
    println!(
        "  raw reqwest DELETE: median {:.1} µs, p90 {:.1} µs, p99 {:.1} µs",
        micros(raw_median),
        micros(support::percentile(&handwritten, 90)),
        micros(support::percentile(&handwritten, 99))
    );
    println!(
        "  raw reqwest DELETE with the client's timeouts: median {:.1} µs, p90 {:.1} µs, p99 {:.1} µs",
        micros(raw_timeouts_median),
        micros(support::percentile(&handwritten_timeouts, 90)),
        micros(support::percentile(&handwritten_timeouts, 99))
    );
    println!("  ratio of medians: {ratio:.3} (goal <= 1.05: {})", if ratio <= 1.05 { "met" } else { "NOT met" });
    println!("  ratio against the raw DELETE with the same timeouts: {ratio_timeouts:.3}");
    assert_eq!(atlas.counters().org_keys_deleted, keys as u64);
}

/// One hand-written DELETE of the key `index`; returns how long it took until the body was read.
async fn raw_delete(raw: &reqwest::Client, base: &str, index: usize) -> Duration {
    let url = format!("{base}/api/atlas/v2/orgs/{ACME_ORG}/apiKeys/{}", extra_key_id(index));
    let started = Instant::now();
    let answer = raw
        .delete(&url)
        .header("Accept", "application/vnd.atlas.2023-01-01+json")
        .send()
        .await
        .expect("the raw delete succeeds");
    let status = answer.status();
    let _ = answer.bytes().await;
    let elapsed = started.elapsed();
    assert_eq!(status.as_u16(), 204);
    elapsed
}
