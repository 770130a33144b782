//! Configuring a [`Client`]: where, who, how patiently, over which HTTP client.
//!
//! `Client::builder()` starts from the Atlas profile (`runtime::atlas`); [`ClientBuilder::new`] from any
//! [`Profile`].

use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::HeaderValue;
use secrecy::SecretString;

use super::auth::{AuthOptions, Credentials, MemoryTokenStore, TokenStore};
use super::body::DEFAULT_MAX_BODY_SIZE;
use super::client::Client;
use super::error::redact_url;
use super::pacing::Pacer;
use super::profile::Profile;
use super::retry::RetryPolicy;
use super::tls;
use super::transport::Engine;
use super::wire::Wire;

/// Configures a [`Client`].
///
/// ```
/// use std::time::Duration;
///
/// use atlas_admin::{Client, RetryPolicy};
///
/// let client = Client::builder()
///     .base_url("https://cloud.mongodb.com")
///     .service_account("mdb_sa_id_...", "mdb_sa_sk_...")
///     .timeout(Duration::from_secs(30))
///     .retry_policy(RetryPolicy::new().max_attempts(3))
///     .user_agent_suffix("key-rotation/1.0")
///     .build()?;
/// assert!(client.user_agent().ends_with("key-rotation/1.0"));
/// # Ok::<(), atlas_admin::runtime::BuildError>(())
/// ```
#[derive(Debug)]
pub struct ClientBuilder {
    pub(crate) profile: Profile,
    /// Set by [`ClientBuilder::base_url`] (or the environment); `None`: the profile's default.
    pub(crate) base_url: Option<String>,
    pub(crate) credentials: Credentials,
    allow_insecure_http: bool,
    connect_timeout: Duration,
    timeout: Duration,
    retry: RetryPolicy,
    reuse_digest_nonce: bool,
    min_token_interval: Duration,
    http: Option<reqwest::Client>,
    user_agent_suffix: Option<String>,
    max_body_size: usize,
    pacing: bool,
    token_store: Option<Arc<dyn TokenStore>>,
}

/// The token endpoint allows about ten requests a minute; one every ten seconds stays well below.
const DEFAULT_MIN_TOKEN_INTERVAL: Duration = Duration::from_secs(10);

/// Why a client could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL does not parse, or is not http(s).
    InvalidBaseUrl(String),
    /// Credentials would travel in clear text: plain `http://` to a host that is not loopback.
    InsecureHttp(String),
    /// The HTTP stack could not be set up.
    Http(String),
    /// The `User-Agent` with the suffix is not a valid header value.
    InvalidUserAgent,
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::InvalidBaseUrl(m) => write!(f, "invalid base URL: {m}"),
            BuildError::InsecureHttp(host) => write!(
                f,
                "refusing to send credentials over plain http to {host}; use https, a loopback host, or \
                 ClientBuilder::danger_allow_insecure_http()"
            ),
            BuildError::Http(m) => write!(f, "could not set up the HTTP client: {m}"),
            BuildError::InvalidUserAgent => {
                f.write_str("the User-Agent suffix holds characters a header cannot carry (visible ASCII only)")
            }
        }
    }
}

impl std::error::Error for BuildError {}

impl ClientBuilder {
    /// A builder for a service described by `profile`, with no credentials and the default limits
    /// (`Client::builder()` is this with the Atlas profile).
    pub fn new(profile: Profile) -> Self {
        ClientBuilder {
            profile,
            base_url: None,
            credentials: Credentials::None,
            allow_insecure_http: false,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            reuse_digest_nonce: true,
            min_token_interval: DEFAULT_MIN_TOKEN_INTERVAL,
            http: None,
            user_agent_suffix: None,
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            pacing: true,
            token_store: None,
        }
    }

    /// Where requests go (default: the profile's, `https://cloud.mongodb.com` for Atlas).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Whether calls are paced to stay under the service's rate limit (default on).
    ///
    /// On, the client keeps a budget per operation from the `RateLimit-Limit` and `RateLimit-Remaining`
    /// headers of answers, learns the refill rate from them, and spaces calls when the budget runs out,
    /// instead of sending them into 429s. Far from the limit nothing waits (BENCHMARKS.md measures the
    /// cost). Off, calls go at once and a 429 is only retried after the fact.
    pub fn pacing(mut self, pace: bool) -> Self {
        self.pacing = pace;
        self
    }

    /// Where a service account's tokens are kept (default: in memory, for the life of the client).
    ///
    /// A [`FileTokenStore`](super::FileTokenStore) keeps them across processes, so a program that runs
    /// every minute reuses a valid token instead of asking the token endpoint each run; one `Arc` shared by
    /// several clients shares their tokens. Revoking a token ([`Client::revoke_token`]) removes it from the
    /// store.
    pub fn token_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.token_store = Some(store);
        self
    }

    /// Sends `Authorization: Bearer <token>` with every request (a token obtained elsewhere).
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Credentials::bearer(token.into());
        self
    }

    /// Authenticates with an API key over HTTP Digest: the public key is the user name, the private key the
    /// password.
    ///
    /// The client remembers the last challenge and answers it again with a growing nonce count, so a run of
    /// calls costs one extra round trip in total; see [`ClientBuilder::digest_nonce_reuse`].
    pub fn digest_auth(mut self, public_key: impl Into<String>, private_key: impl Into<String>) -> Self {
        self.credentials =
            Credentials::Digest { public_key: public_key.into(), private_key: SecretString::from(private_key.into()) };
        self
    }

    /// Authenticates with HTTP Basic: `Authorization: Basic base64(user:password)` on every request of an
    /// operation whose spec asks for it (`type: http, scheme: basic`).
    ///
    /// The password is held in a `secrecy::SecretString` and never formatted; the header is marked
    /// sensitive, so the HTTP stack never logs it. Like every credential, it is refused over plain `http://`
    /// to anything but loopback.
    pub fn basic_auth(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials =
            Credentials::Basic { username: username.into(), password: SecretString::from(password.into()) };
        self
    }

    /// Whether digest challenges are reused across calls (default yes).
    ///
    /// Switched off, every call first sends its request without credentials, takes the 401 challenge and
    /// answers it: two requests per call, as the official Go SDK does. Useful only for servers that refuse
    /// a nonce count they did not expect.
    pub fn digest_nonce_reuse(mut self, reuse: bool) -> Self {
        self.reuse_digest_nonce = reuse;
        self
    }

    /// Authenticates with a service account: OAuth 2.0 client credentials exchanged at the profile's token
    /// endpoint (`{base_url}/api/oauth/token` for Atlas) for a bearer token.
    ///
    /// The token is cached until shortly before it expires; concurrent calls share one refresh. Revoke it
    /// when done with [`Client::revoke_token`].
    pub fn service_account(mut self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        self.credentials = Credentials::ServiceAccount {
            client_id: client_id.into(),
            client_secret: SecretString::from(client_secret.into()),
        };
        self
    }

    /// The shortest time between two token requests of a service account (default 10 s).
    ///
    /// The token endpoint allows about ten requests a minute. A failed token request is not repeated
    /// before this much time (or the endpoint's `Retry-After`) has passed, and a 401 with a token younger
    /// than this is taken as a refusal (Atlas also answers 401 for missing permissions) rather than a reason
    /// to fetch another token.
    pub fn token_request_interval(mut self, interval: Duration) -> Self {
        self.min_token_interval = interval;
        self
    }

    /// How failed attempts are retried (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Makes every call a single attempt.
    pub fn no_retries(mut self) -> Self {
        self.retry = RetryPolicy::none();
        self
    }

    /// Sends no credentials (the default).
    pub fn no_auth(mut self) -> Self {
        self.credentials = Credentials::None;
        self
    }

    /// Allows credentials over plain `http://` to hosts that are not loopback. Only for networks you trust.
    pub fn danger_allow_insecure_http(mut self) -> Self {
        self.allow_insecure_http = true;
        self
    }

    /// How long to wait for a connection (default 10 s). Not used with [`ClientBuilder::http_client`]: set
    /// it on that client.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one attempt may take from sending to the end of the body (default 60 s). Applies to every
    /// request, also with [`ClientBuilder::http_client`].
    ///
    /// Each retry gets this time again; [`RetryPolicy::total_budget`] bounds when a new attempt may start.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The most bytes of one answer's body the client reads into memory (default
    /// [`DEFAULT_MAX_BODY_SIZE`], 32 MiB).
    ///
    /// A body declared larger (`Content-Length`) is refused without being read; one that turns out larger
    /// stops being read at the limit. Either way the call ends with a
    /// [`TransportErrorKind::BodyTooLarge`](super::TransportErrorKind::BodyTooLarge) error (not retried), so
    /// a misbehaving server cannot make the client hold more than this per answer. It applies to every
    /// answer read whole (successes, errors, challenges, token answers), not to the body of a streamed
    /// download ([`Client::execute_streaming`]), which is never held.
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// Sends requests through this `reqwest::Client` (proxies, extra root certificates, a connection pool
    /// shared with the rest of the program) instead of one built here.
    ///
    /// Authentication, retries, the per-attempt [`timeout`](ClientBuilder::timeout) and the `User-Agent`
    /// still apply: they are added to every request. What is configured on the client itself is kept: its
    /// connect timeout, proxies, TLS settings, default headers, and its redirect policy (the client built
    /// here follows no redirects; reqwest drops `Authorization` when a redirect leaves the host).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Appends `suffix` to the `User-Agent` (`atlas-admin-rust/<version> (<os>; <arch>) <suffix>`), so the
    /// service's logs can tell your program apart, e.g. `my-cleanup-job/1.2`.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Builds the client, refusing configurations that would leak credentials.
    pub fn build(self) -> Result<Client, BuildError> {
        let given = self.base_url.as_deref().unwrap_or(self.profile.default_base_url);
        let mut base_url =
            Url::parse(given).map_err(|e| BuildError::InvalidBaseUrl(format!("{:?}: {e}", redact_url(given))))?;
        if !matches!(base_url.scheme(), "http" | "https") {
            return Err(BuildError::InvalidBaseUrl(format!(
                "{:?}: the scheme must be http or https",
                redact_url(given)
            )));
        }
        if !base_url.username().is_empty() || base_url.password().is_some() {
            // Said without echoing the URL: the part it refuses may be a password.
            return Err(BuildError::InvalidBaseUrl(
                "the base URL must not carry a user name or password; configure credentials on the builder".to_owned(),
            ));
        }
        if base_url.scheme() == "http"
            && !self.credentials.is_none()
            && !self.allow_insecure_http
            && !is_loopback(&base_url)
        {
            return Err(BuildError::InsecureHttp(base_url.host_str().unwrap_or_default().to_owned()));
        }
        // Paths are joined by appending, so a trailing slash would double up.
        let trimmed = base_url.path().trim_end_matches('/').to_owned();
        base_url.set_path(&trimmed);
        let mut user_agent = format!("{} ({}; {})", self.profile.product, std::env::consts::OS, std::env::consts::ARCH);
        if let Some(suffix) = self.user_agent_suffix.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            user_agent.push(' ');
            user_agent.push_str(suffix);
        }
        HeaderValue::from_str(&user_agent).map_err(|_| BuildError::InvalidUserAgent)?;
        let http = match self.http {
            Some(http) => http,
            None => own_http_client(&base_url, self.connect_timeout)?,
        };
        let endpoint = |path: &str| {
            Url::parse(&format!("{}{path}", base_url.as_str().trim_end_matches('/')))
                .map_err(|e| BuildError::InvalidBaseUrl(format!("no {path} endpoint can be derived from it: {e}")))
        };
        let options = AuthOptions {
            reuse_digest_nonce: self.reuse_digest_nonce,
            token_url: endpoint(self.profile.token_path)?,
            revoke_url: endpoint(self.profile.revoke_path)?,
            min_token_interval: self.min_token_interval,
            request_timeout: self.timeout,
            max_body_size: self.max_body_size,
            token_store: self.token_store.unwrap_or_else(|| Arc::new(MemoryTokenStore::default())),
        };
        let wire =
            Wire { http, user_agent, timeout: self.timeout, max_body_size: self.max_body_size, profile: self.profile };
        let engine = Engine {
            wire,
            base_url,
            auth: self.credentials.into_scheme(options),
            retry: self.retry,
            pacer: Pacer::new(self.pacing),
        };
        Ok(Client { inner: Arc::new(engine) })
    }
}

/// The HTTP client built when the caller brings none.
fn own_http_client(base_url: &Url, connect_timeout: Duration) -> Result<reqwest::Client, BuildError> {
    if base_url.scheme() == "https" && !tls::COMPILED_IN {
        return Err(BuildError::Http(
            "this build has no TLS: enable the `rustls-ring`, `rustls-aws-lc` or `native-tls` feature, or pass a \
             client with ClientBuilder::http_client"
                .to_owned(),
        ));
    }
    tls::ensure_tls_provider();
    reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        // The API does not redirect; following one would carry credentials somewhere unchecked.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| BuildError::Http(e.without_url().to_string()))
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_over_plain_http_need_loopback() {
        let err = Client::builder().base_url("http://example.com").bearer_token("t").build().unwrap_err();
        assert_eq!(err, BuildError::InsecureHttp("example.com".into()));
        assert!(Client::builder().base_url("http://127.0.0.1:1").bearer_token("t").build().is_ok());
        assert!(Client::builder().base_url("http://[::1]:1").bearer_token("t").build().is_ok());
        assert!(Client::builder().base_url("http://localhost:1").bearer_token("t").build().is_ok());
        assert!(Client::builder().base_url("http://example.com").build().is_ok(), "no credentials, nothing to leak");
        assert!(
            Client::builder()
                .base_url("http://example.com")
                .bearer_token("t")
                .danger_allow_insecure_http()
                .build()
                .is_ok()
        );
    }

    #[test]
    fn every_kind_of_credentials_needs_https_or_loopback() {
        let builders = [
            Client::builder().basic_auth("user", "password"),
            Client::builder().digest_auth("public", "private"),
            Client::builder().service_account("id", "secret"),
            Client::builder().bearer_token("t"),
        ];
        for builder in builders {
            let error = builder.base_url("http://cloud.example").build().unwrap_err();
            assert_eq!(error, BuildError::InsecureHttp("cloud.example".into()));
        }
        assert!(Client::builder().digest_auth("p", "k").base_url("http://127.0.0.1:1").build().is_ok());
        assert!(Client::builder().service_account("i", "s").base_url("https://cloud.example").build().is_ok());
    }

    #[test]
    fn the_token_endpoints_follow_the_base_url() {
        for (base, token, revoke) in [
            (
                "https://cloud.mongodb.com",
                "https://cloud.mongodb.com/api/oauth/token",
                "https://cloud.mongodb.com/api/oauth/revoke",
            ),
            ("http://127.0.0.1:9/prefix/", "http://127.0.0.1:9/prefix/api/oauth/token", "/prefix/api/oauth/revoke"),
        ] {
            let client = Client::builder().base_url(base).service_account("id", "secret").build().unwrap();
            let shown = format!("{client:?}");
            assert!(shown.contains(token) && shown.contains(revoke), "{shown}");
        }
    }

    #[test]
    fn the_user_agent_names_the_crate_and_then_the_caller() {
        let client = Client::builder().user_agent_suffix("cleanup-job/1.2").build().unwrap();
        let user_agent = client.user_agent();
        assert!(user_agent.starts_with(&format!("atlas-admin-rust/{} (", env!("CARGO_PKG_VERSION"))), "{user_agent}");
        assert!(user_agent.ends_with(") cleanup-job/1.2"), "{user_agent}");
        let error = Client::builder().user_agent_suffix("bad\nsuffix").build().unwrap_err();
        assert_eq!(error, BuildError::InvalidUserAgent);
    }

    #[test]
    fn a_generic_profile_knows_no_atlas() {
        let profile = Profile::generic("petstore-client", "https://petstore.example/v1");
        let client = ClientBuilder::new(profile.clone()).build().unwrap();
        assert_eq!(client.base_url().as_str(), "https://petstore.example/v1");
        assert!(client.user_agent().starts_with("petstore-client ("), "{}", client.user_agent());
        let error = ClientBuilder::new(profile).from_env().unwrap_err();
        assert_eq!(error.to_string(), "no credentials in the environment: the client's profile reads no variables");
        let atlas = Client::builder().build().unwrap();
        assert!(atlas.user_agent().starts_with("atlas-admin-rust/"), "{}", atlas.user_agent());
    }

    #[test]
    fn https_works_with_the_default_features() {
        // The default feature set carries TLS, so the default base URL builds.
        assert!(Client::builder().build().is_ok());
    }
}
