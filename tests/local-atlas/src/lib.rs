//! The local Atlas: a stateful HTTP/1.1 server on loopback that answers the MongoDB Atlas Administration
//! API's API-key delete operations and its OAuth endpoints the way the live service does, for tests of
//! code that calls Atlas (with `atlas-admin` or any other client).
//!
//! - `DELETE /api/atlas/v2/orgs/{orgId}/apiKeys/{apiUserId}`: 204; the key also leaves every project.
//! - `DELETE /api/atlas/v2/groups/{groupId}/apiKeys/{apiUserId}`: 204; unassigns from one project.
//! - `DELETE /api/atlas/v1.0/users/{userId}/keys/{keyId}`: 410 `PERSONAL_API_KEYS_DEPRECATED`.
//! - `POST /api/oauth/token`, `POST /api/oauth/revoke`: service-account tokens (client credentials,
//!   RFC 7009 revocation).
//! - `GET /__local-atlas/counters`: what the server saw, as JSON.
//!
//! Authentication is HTTP Digest with a seeded key's public and private key (RFC 7616, MD5 and/or SHA-256)
//! or `Authorization: Bearer` with a token from the token endpoint. Errors have the live bodies and an
//! `X-Error-Code` header; `envelope=true` and `pretty=true` work; an optional token bucket answers 429.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! use local_atlas::{Config, LocalAtlas, Seed};
//!
//! // A free port on 127.0.0.1, with nothing but what the test seeds.
//! let atlas = LocalAtlas::start(Config { seed: Seed::empty(), ..Config::default() }).await?;
//! atlas.add_org("5953c5f380eef53887615f9a", "test org").unwrap();
//! atlas.add_api_key("5953c5f380eef53887615f9b", "5953c5f380eef53887615f9a", "public", "private").unwrap();
//! assert!(atlas.org_has_key("5953c5f380eef53887615f9a", "5953c5f380eef53887615f9b"));
//! assert_eq!(atlas.counters().requests, 0);
//! println!("point the client at {}", atlas.base_url());
//! # Ok(()) }
//! ```
//!
//! [`raw`] is a second, much smaller server that answers every request with what a test scripts, down to
//! raw bytes: HTML pages from a proxy, truncated bodies, reset connections, silence.

pub mod body;
pub mod cli;
pub mod config;
pub mod counters;
pub mod digest;
pub mod known;
pub mod oauth;
pub mod operations;
pub mod rate_limit;
pub mod raw;
pub mod routes;
pub mod seed;
mod server;
pub mod state;

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::task::JoinHandle;

pub use config::{AuthMode, Config, DigestAlgorithm, NcReplay, RateLimit, extra_key_id};
pub use counters::Counters;
pub use operations::{OPERATIONS, Operation, OperationInfo};
pub use seed::Seed;
pub use state::AtlasState;

/// The README's example, compiled and run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExample;

/// The path of the counters endpoint.
pub const COUNTERS_PATH: &str = "/__local-atlas/counters";

/// A running local Atlas. Dropping it stops the server and closes its connections.
pub struct LocalAtlas {
    addr: SocketAddr,
    shared: Arc<server::Shared>,
    task: JoinHandle<()>,
}

impl LocalAtlas {
    /// Starts a server on `127.0.0.1:config.port` (0, the default, picks a free port). Must be called inside
    /// a Tokio runtime.
    pub async fn start(config: Config) -> std::io::Result<LocalAtlas> {
        let port = config.port;
        let shared = Arc::new(server::Shared::new(config));
        let (addr, task) = server::serve(shared.clone(), port).await?;
        Ok(LocalAtlas { addr, shared, task })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`: the client's base URL.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The configuration it runs with.
    pub fn config(&self) -> &Config {
        &self.shared.config
    }

    /// A snapshot of what it saw so far.
    pub fn counters(&self) -> Counters {
        self.shared.counters.snapshot()
    }

    /// Sets the counters back to zero (state is kept).
    pub fn reset_counters(&self) {
        self.shared.counters.reset();
    }

    /// Runs `f` with the state locked, to look at it or change it.
    pub fn with_state<R>(&self, f: impl FnOnce(&mut AtlasState) -> R) -> R {
        f(&mut self.shared.state.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Adds an organization. Ids are 24 lowercase hex digits, as on Atlas.
    pub fn add_org(&self, id: &str, name: &str) -> Result<(), String> {
        check_id("organization", id)?;
        self.with_state(|s| s.orgs.insert(id.to_owned(), name.to_owned()));
        Ok(())
    }

    /// Adds a project (a group) to an existing organization.
    pub fn add_project(&self, id: &str, org_id: &str) -> Result<(), String> {
        check_id("project", id)?;
        self.with_state(|s| {
            if !s.orgs.contains_key(org_id) {
                return Err(format!("project {id}: no organization {org_id}"));
            }
            s.projects.insert(id.to_owned(), org_id.to_owned());
            Ok(())
        })
    }

    /// Adds an organization API key; its public and private key are digest credentials from now on.
    pub fn add_api_key(&self, id: &str, org_id: &str, public_key: &str, private_key: &str) -> Result<(), String> {
        check_id("API key", id)?;
        self.with_state(|s| {
            if !s.orgs.contains_key(org_id) {
                return Err(format!("API key {id}: no organization {org_id}"));
            }
            s.insert_key(id, org_id, public_key, private_key);
            Ok(())
        })
    }

    /// Assigns an existing API key to a project of its organization.
    pub fn assign_key(&self, key_id: &str, project_id: &str) -> Result<(), String> {
        self.with_state(|s| {
            let org = s.projects.get(project_id).cloned().ok_or_else(|| format!("no project {project_id}"))?;
            let key = s.api_keys.get_mut(key_id).ok_or_else(|| format!("no API key {key_id}"))?;
            if key.org_id != org {
                return Err(format!("API key {key_id} is not in the organization of project {project_id}"));
            }
            key.projects.insert(project_id.to_owned());
            Ok(())
        })
    }

    /// Adds a service account acting in an existing organization.
    pub fn add_service_account(&self, client_id: &str, client_secret: &str, org_id: &str) -> Result<(), String> {
        self.with_state(|s| {
            if !s.orgs.contains_key(org_id) {
                return Err(format!("service account {client_id}: no organization {org_id}"));
            }
            let account = state::ServiceAccount { client_secret: client_secret.to_owned(), org_id: org_id.to_owned() };
            s.service_accounts.insert(client_id.to_owned(), account);
            Ok(())
        })
    }

    /// Revokes every access token handed out so far (clients must fetch new ones). Returns how many.
    pub fn revoke_all_tokens(&self) -> usize {
        self.shared.tokens.revoke_all()
    }

    /// True when the organization still holds the key.
    pub fn org_has_key(&self, org_id: &str, key_id: &str) -> bool {
        self.with_state(|s| s.org_has_key(org_id, key_id))
    }

    /// True when the key is still assigned to the project.
    pub fn is_assigned(&self, group_id: &str, key_id: &str) -> bool {
        self.with_state(|s| s.is_assigned(group_id, key_id))
    }
}

impl Drop for LocalAtlas {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn check_id(what: &str, id: &str) -> Result<(), String> {
    if seed::is_id(id) { Ok(()) } else { Err(format!("{what} id {id:?} is not 24 lowercase hex digits")) }
}
