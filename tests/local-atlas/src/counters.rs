//! What the local Atlas saw: requests by route and status, challenges, tokens, deletes.
//!
//! Readable in-process ([`super::LocalAtlas::counters`]) and over HTTP (`GET /__local-atlas/counters`); the counters
//! endpoint does not count itself.

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde::Serialize;

/// A snapshot of the counters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counters {
    /// Every HTTP exchange (request and answer), all routes.
    pub requests: u64,
    /// Route name (the operationId, `oauthToken`, `notFound`, ...) → status → count.
    pub by_route: BTreeMap<String, BTreeMap<u16, u64>>,
    /// 401 answers carrying a digest challenge.
    pub challenges_issued: u64,
    /// Of those, challenges with `stale=true`.
    pub stale_challenges: u64,
    /// Requests accepted with digest credentials.
    pub digest_accepted: u64,
    /// Of those, requests whose digest used SHA-256.
    pub digest_sha256_accepted: u64,
    /// Requests accepted with a bearer token.
    pub bearer_accepted: u64,
    /// Access tokens handed out by `/api/oauth/token`.
    pub tokens_issued: u64,
    /// Access tokens revoked by `/api/oauth/revoke`.
    pub tokens_revoked: u64,
    /// Org API keys deleted (204 from `deleteOrgApiKey`).
    pub org_keys_deleted: u64,
    /// Project assignments removed (204 from `removeGroupApiKey`).
    pub keys_unassigned: u64,
    /// 429 answers.
    pub rate_limited: u64,
}

impl Counters {
    /// How many answers with `status` the route got.
    pub fn count(&self, route: &str, status: u16) -> u64 {
        self.by_route.get(route).and_then(|m| m.get(&status)).copied().unwrap_or(0)
    }

    /// How many requests the route got, any status.
    pub fn route_total(&self, route: &str) -> u64 {
        self.by_route.get(route).map(|m| m.values().sum()).unwrap_or(0)
    }

    /// How many answers had `status`, all routes.
    pub fn status_total(&self, status: u16) -> u64 {
        self.by_route.values().filter_map(|m| m.get(&status)).sum()
    }
}

/// The live counters, behind a lock.
#[derive(Default)]
pub struct CounterSet {
    inner: Mutex<Counters>,
}

impl CounterSet {
    /// Applies `change` under the lock.
    pub fn update(&self, change: impl FnOnce(&mut Counters)) {
        change(&mut self.inner.lock().unwrap_or_else(|e| e.into_inner()));
    }

    /// Records one exchange.
    pub fn record(&self, route: &str, status: u16) {
        self.update(|c| {
            c.requests += 1;
            *c.by_route.entry(route.to_owned()).or_default().entry(status).or_default() += 1;
        });
    }

    /// A copy of the current values.
    pub fn snapshot(&self) -> Counters {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Sets everything back to zero.
    pub fn reset(&self) {
        *self.inner.lock().unwrap_or_else(|e| e.into_inner()) = Counters::default();
    }
}
