//! Benchmark 3: 10,000 deletes from 64 concurrent tasks against the local Atlas with its rate limit on.
//! Every call must end in success or a typed error, none lost, and the client's and the server's counts must
//! reconcile. Run with digest auth and with a service account, each with the client's pacing off (429s
//! retried after the fact) and on (calls spaced from the `RateLimit-*` headers): the 429s the server sent
//! and the wall time of each.
//!
//! `cargo bench -p atlas-admin-tests --bench concurrent_rate_limited`

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use atlas_admin::{Client, Error};
use atlas_admin_tests::clients::{api_key, org};
use local_atlas::known::*;
use local_atlas::{Config, RateLimit, extra_key_id};

const CALLS: usize = 10_000;
const TASKS: usize = 64;

#[derive(Default, Debug)]
struct Outcomes {
    deleted: usize,
    already_gone: usize,
    rate_limited: usize,
    unauthorized: usize,
    other_api: usize,
    unexpected: usize,
    transport: usize,
    other: usize,
}

fn main() {
    for auth in [Auth::Digest, Auth::ServiceAccount] {
        for pacing in [false, true] {
            run(auth, pacing);
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Auth {
    Digest,
    ServiceAccount,
}

fn run(auth: Auth, pacing: bool) {
    let limit = RateLimit { capacity: 200, refill: 2000, period: Duration::from_secs(1) };
    let (atlas, _server_runtime) =
        support::server_on_own_runtime(Config { extra_org_keys: CALLS, rate_limit: Some(limit), ..Default::default() });
    let builder = Client::builder().base_url(atlas.base_url()).pacing(pacing);
    let client = match auth {
        Auth::Digest => builder.digest_auth(ADMIN_PUBLIC_KEY, ADMIN_PRIVATE_KEY),
        Auth::ServiceAccount => builder.service_account(SA_CLIENT_ID, SA_CLIENT_SECRET),
    }
    .build()
    .unwrap();
    let runtime = support::client_runtime(1);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let per_task: Vec<Outcomes> = runtime.block_on(async {
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..TASKS {
            let client = client.clone();
            let next = next.clone();
            tasks.spawn(async move {
                let mut outcomes = Outcomes::default();
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= CALLS {
                        return outcomes;
                    }
                    let result = client.delete_org_api_key(&org(ACME_ORG), &api_key(&extra_key_id(index))).send().await;
                    match result {
                        Ok(_) => outcomes.deleted += 1,
                        Err(e) if e.is_already_gone() => outcomes.already_gone += 1,
                        Err(e) if e.status().map(|s| s.as_u16()) == Some(429) => outcomes.rate_limited += 1,
                        Err(e) if e.is_unauthorized() => outcomes.unauthorized += 1,
                        Err(Error::Api(_)) => outcomes.other_api += 1,
                        Err(Error::UnexpectedResponse(_)) => outcomes.unexpected += 1,
                        Err(Error::Transport(_)) => outcomes.transport += 1,
                        Err(_) => outcomes.other += 1,
                    }
                }
            });
        }
        let mut all = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            all.push(joined.expect("no task panicked"));
        }
        all
    });
    let elapsed = started.elapsed();
    let mut total = Outcomes::default();
    for o in &per_task {
        total.deleted += o.deleted;
        total.already_gone += o.already_gone;
        total.rate_limited += o.rate_limited;
        total.unauthorized += o.unauthorized;
        total.other_api += o.other_api;
        total.unexpected += o.unexpected;
        total.transport += o.transport;
        total.other += o.other;
    }
    let ended = total.deleted
        + total.already_gone
        + total.rate_limited
        + total.unauthorized
        + total.other_api
        + total.unexpected
        + total.transport
        + total.other;
    let server = atlas.counters();
    let route = |status| server.count("deleteOrgApiKey", status);
    println!(
        "concurrent_rate_limited: {CALLS} deleteOrgApiKey calls from {TASKS} tasks, {auth:?} auth, pacing {}, \
         token bucket capacity {} refill {}/s, default retry policy, {:.2} s, {} 429s sent",
        if pacing { "on" } else { "off" },
        limit.capacity,
        limit.refill,
        elapsed.as_secs_f64(),
        route(429)
    );
    println!("  client: {total:?} = {ended} calls ended");
    println!(
        "  server: {} exchanges: 204 x {}, 400 x {}, 429 x {}, 401 x {} ({} challenges, {} stale); keys deleted {}; \
         tokens issued {}",
        server.requests,
        route(204),
        route(400),
        route(429),
        route(401),
        server.challenges_issued,
        server.stale_challenges,
        server.org_keys_deleted,
        server.tokens_issued
    );
    let remaining = atlas.with_state(|s| (0..CALLS).filter(|i| s.api_keys.contains_key(&extra_key_id(*i))).count());
    println!("  keys still present: {remaining}");

    assert_eq!(ended, CALLS, "every call ended, none lost");
    assert_eq!(total.deleted as u64, server.org_keys_deleted, "client successes = server deletes");
    assert_eq!(route(204), server.org_keys_deleted);
    assert_eq!(total.already_gone as u64, route(400), "client already-gone = server 400s");
    assert!(route(429) >= total.rate_limited as u64, "each 429 error the client returned was a 429 the server sent");
    let token_requests = server.route_total("oauthToken");
    assert_eq!(server.requests, route(204) + route(400) + route(429) + route(401) + token_requests, "no other answers");
    assert_eq!(remaining + total.deleted + total.already_gone, CALLS, "keys left = calls that did not delete");
    println!("  reconciled: yes");
}
