//! A local Atlas: a stateful HTTP/1.1 server on loopback that answers the three API-key delete operations
//! and the OAuth token endpoint the way the live service does (ATLAS-FACTS.md).
//!
//! - `DELETE /api/atlas/v2/orgs/{orgId}/apiKeys/{apiUserId}`: 204; the key also leaves every project.
//! - `DELETE /api/atlas/v2/groups/{groupId}/apiKeys/{apiUserId}`: 204; unassigns from one project.
//! - `DELETE /api/atlas/v1.0/users/{userId}/keys/{keyId}`: 410 `PERSONAL_API_KEYS_DEPRECATED`.
//! - `POST /api/oauth/token`, `POST /api/oauth/revoke`: service-account tokens.
//! - `GET /__mock/counters`: what the server saw, as JSON.
//!
//! Authentication is HTTP Digest with a seeded key's public and private key (RFC 7616, MD5 and/or SHA-256)
//! or `Authorization: Bearer` with a token from the token endpoint. Errors have the live bodies and an
//! `X-Error-Code` header; `envelope=true` and `pretty=true` work; an optional token bucket answers 429.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use atlas_admin_tests::mock_atlas::{MockAtlas, MockConfig};
//! let atlas = MockAtlas::start(MockConfig::default()).await?;
//! println!("{}", atlas.base_url());
//! # Ok(()) }
//! ```

pub mod body;
pub mod cli;
pub mod clients;
pub mod config;
pub mod counters;
pub mod digest;
pub mod known;
pub mod misbehaving;
pub mod oauth;
pub mod rate_limit;
pub mod routes;
pub mod seed;
mod server;
pub mod state;

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::task::JoinHandle;

pub use config::{AuthMode, DigestAlgorithm, MockConfig, NcReplay, RateLimit, extra_key_id};
pub use counters::Counters;
pub use seed::Seed;
pub use state::AtlasState;

/// A running local Atlas. Dropping it stops the server and closes its connections.
pub struct MockAtlas {
    addr: SocketAddr,
    shared: Arc<server::Shared>,
    task: JoinHandle<()>,
}

impl MockAtlas {
    /// Starts a server on `127.0.0.1:config.port` (0 = any free port). Must be called inside a Tokio runtime.
    pub async fn start(config: MockConfig) -> std::io::Result<MockAtlas> {
        let port = config.port;
        let shared = Arc::new(server::Shared::new(config));
        let (addr, task) = server::serve(shared.clone(), port).await?;
        Ok(MockAtlas { addr, shared, task })
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
    pub fn config(&self) -> &MockConfig {
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

impl Drop for MockAtlas {
    fn drop(&mut self) {
        self.task.abort();
    }
}
