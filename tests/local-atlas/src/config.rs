//! How a local Atlas behaves: authentication, digest algorithms, lifetimes, rate limits.

use std::sync::Arc;
use std::time::Duration;

use super::seed::Seed;
use super::spec::ApiSpec;

/// The realm Atlas names in its digest challenge.
pub const ATLAS_REALM: &str = "MMS Public API";

/// A digest hash algorithm (RFC 7616 section 3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestAlgorithm {
    /// `MD5`, what Atlas offers.
    Md5,
    /// `SHA-256`.
    Sha256,
}

impl DigestAlgorithm {
    /// The token used in `algorithm=` parameters.
    pub fn name(self) -> &'static str {
        match self {
            DigestAlgorithm::Md5 => "MD5",
            DigestAlgorithm::Sha256 => "SHA-256",
        }
    }

    /// Parses an `algorithm=` token (case-insensitive).
    pub fn parse(token: &str) -> Option<DigestAlgorithm> {
        if token.eq_ignore_ascii_case("MD5") {
            Some(DigestAlgorithm::Md5)
        } else if token.eq_ignore_ascii_case("SHA-256") {
            Some(DigestAlgorithm::Sha256)
        } else {
            None
        }
    }
}

/// Whether requests to the API routes must authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMode {
    /// Digest (seeded API keys) or Bearer (tokens from `/api/oauth/token`) is required, as on Atlas.
    Required,
    /// No authentication at all: for benchmarks that compare the client with a raw HTTP call.
    Disabled,
}

/// A token bucket: `capacity` requests at once, refilled by `refill` every `period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// How many requests the bucket holds when full.
    pub capacity: u32,
    /// How many requests are added back every `period`.
    pub refill: u32,
    /// The refill period.
    pub period: Duration,
}

/// What a replayed nonce count (an `nc` not greater than the last one seen) with a correct response gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NcReplay {
    /// A fresh challenge with `stale=true`: the sender knows the password, it only needs a new nonce.
    Stale,
    /// A fresh challenge with `stale=false`, as Apache's `AuthDigestNcCheck On` does.
    Reject,
}

/// The configuration of one local Atlas.
#[derive(Debug, Clone)]
pub struct Config {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Organizations, projects, keys and accounts to start with.
    pub seed: Seed,
    /// Additional org API keys (ids `ffff` + 20 hex digits, counting from 0) added to the first organization,
    /// so benchmarks have thousands of keys to delete.
    pub extra_org_keys: usize,
    /// Whether the API routes require authentication.
    pub auth: AuthMode,
    /// The algorithms offered in a 401, one `WWW-Authenticate` header each, in this order.
    pub digest_algorithms: Vec<DigestAlgorithm>,
    /// How long a nonce may be used before a correct response gets `stale=true`.
    pub nonce_lifetime: Duration,
    /// What a replayed nonce count gets.
    pub nc_replay: NcReplay,
    /// `expires_in` of tokens from `/api/oauth/token`.
    pub token_lifetime: Duration,
    /// Rate limit of each API route (one bucket per route, shared by all callers); `None` = unlimited.
    pub rate_limit: Option<RateLimit>,
    /// Rate limit of the token endpoint; Atlas allows about 10 a minute.
    pub token_rate_limit: Option<RateLimit>,
    /// The spec whose operations to serve besides the three API-key deletes (the spec a client was
    /// generated from): see [`crate::serve`]. `None`: only the three.
    pub spec: Option<Arc<ApiSpec>>,
}

impl Config {
    /// This configuration, serving the operations of the spec in `text` (YAML or JSON) too.
    pub fn with_spec(mut self, text: &str) -> Result<Config, String> {
        self.spec = Some(Arc::new(ApiSpec::from_text(text)?));
        Ok(self)
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            port: 0,
            seed: Seed::committed(),
            extra_org_keys: 0,
            auth: AuthMode::Required,
            digest_algorithms: vec![DigestAlgorithm::Md5],
            nonce_lifetime: Duration::from_secs(300),
            nc_replay: NcReplay::Stale,
            token_lifetime: Duration::from_secs(3600),
            rate_limit: None,
            token_rate_limit: None,
            spec: None,
        }
    }
}

/// The id of the `index`-th extra org key (see [`Config::extra_org_keys`]).
pub fn extra_key_id(index: usize) -> String {
    format!("ffff{index:020x}")
}
