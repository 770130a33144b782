//! The client and its builder.

use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;

use secrecy::SecretString;

use super::auth::{AuthOptions, Authenticator, Credentials};
use super::error::{Error, InvalidArgument};
use super::request::OperationRequest;
use super::response::RawResponse;
use super::retry::RetryPolicy;
use super::transport;

/// The default base URL of the Atlas Administration API.
pub const DEFAULT_BASE_URL: &str = "https://cloud.mongodb.com";

/// A client for the API. Cheap to clone; clones share connections and authentication state.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<ClientInner>,
}

pub(crate) struct ClientInner {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: Url,
    pub(crate) auth: Authenticator,
    pub(crate) user_agent: String,
    pub(crate) retry: RetryPolicy,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("auth", &self.inner.auth)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// Sends one operation's request and returns the raw answer for the generated code to decode.
    ///
    /// This is the single entry point: it authenticates (answering a digest challenge or fetching a token
    /// when needed), retries as the [`RetryPolicy`] allows, and unwraps an `envelope=true` answer. A final
    /// 401 becomes [`Error::Auth`]; every other answer, including a 429 left after the retries, is returned
    /// for decoding.
    pub async fn execute<E>(&self, request: OperationRequest) -> Result<RawResponse, Error<E>> {
        transport::execute(&self.inner, request).await
    }
}

/// Configures a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    base_url: String,
    credentials: Credentials,
    allow_insecure_http: bool,
    connect_timeout: Duration,
    timeout: Duration,
    retry: RetryPolicy,
    reuse_digest_nonce: bool,
    min_token_interval: Duration,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: DEFAULT_BASE_URL.to_owned(),
            credentials: Credentials::None,
            allow_insecure_http: false,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            reuse_digest_nonce: true,
            min_token_interval: DEFAULT_MIN_TOKEN_INTERVAL,
        }
    }
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
        }
    }
}

impl std::error::Error for BuildError {}

impl ClientBuilder {
    /// Where requests go (default `https://cloud.mongodb.com`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
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

    /// Whether digest challenges are reused across calls (default yes).
    ///
    /// Switched off, every call first sends its request without credentials, takes the 401 challenge and
    /// answers it: two requests per call, as the official Go SDK does. Useful only for servers that refuse
    /// a nonce count they did not expect.
    pub fn digest_nonce_reuse(mut self, reuse: bool) -> Self {
        self.reuse_digest_nonce = reuse;
        self
    }

    /// Authenticates with a service account: OAuth 2.0 client credentials exchanged at
    /// `{base_url}/api/oauth/token` for a bearer token.
    ///
    /// The token is cached until shortly before it expires; concurrent calls share one refresh.
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

    /// How long to wait for a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one attempt may take from sending to the end of the body (default 60 s).
    ///
    /// Each retry gets this time again; [`RetryPolicy::total_budget`] bounds when a new attempt may start.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Builds the client, refusing configurations that would leak credentials.
    pub fn build(self) -> Result<Client, BuildError> {
        let mut base_url = Url::parse(&self.base_url)
            .map_err(|e| BuildError::InvalidBaseUrl(format!("{:?}: {e}", shown(&self.base_url))))?;
        if !matches!(base_url.scheme(), "http" | "https") {
            return Err(BuildError::InvalidBaseUrl(format!(
                "{:?}: the scheme must be http or https",
                shown(&self.base_url)
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
        let http = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            // The API does not redirect; following one would carry credentials somewhere unchecked.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| BuildError::Http(e.to_string()))?;
        let user_agent = format!(
            "atlas-admin-rust/{} ({}; {})",
            env!("CARGO_PKG_VERSION"),
            std::env::consts::OS,
            std::env::consts::ARCH
        );
        let token_url = Url::parse(&format!("{}/api/oauth/token", base_url.as_str().trim_end_matches('/')))
            .map_err(|e| BuildError::InvalidBaseUrl(format!("no token endpoint can be derived from it: {e}")))?;
        let options = AuthOptions {
            reuse_digest_nonce: self.reuse_digest_nonce,
            token_url,
            min_token_interval: self.min_token_interval,
        };
        let auth = Authenticator::new(self.credentials, options);
        Ok(Client { inner: Arc::new(ClientInner { http, base_url, auth, user_agent, retry: self.retry }) })
    }
}

/// The base URL as it may appear in an error: user info (which may hold a password) is cut out.
fn shown(base_url: &str) -> String {
    let Some((scheme, rest)) = base_url.split_once("://") else { return base_url.to_owned() };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://<redacted>@{}", &rest[at + 1..]),
        None => base_url.to_owned(),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Joins the base URL, the path and the query of a request.
pub(crate) fn request_url(base: &Url, request: &OperationRequest) -> Result<Url, InvalidArgument> {
    let mut url = base.clone();
    // A base without a path still has "/" as its path; appending to it would double the slash.
    let path = format!("{}{}", base.path().trim_end_matches('/'), request.path);
    url.set_path(&path);
    if request.query.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(request.query.iter().map(|(k, v)| (*k, v.as_str())));
    }
    if url.path() != path {
        return Err(InvalidArgument::Url(format!("path {:?} changed when joined", request.path)));
    }
    Ok(url)
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
    fn urls_join_path_and_query() {
        let base = Url::parse("http://127.0.0.1:8080/prefix").unwrap();
        let request =
            OperationRequest::new("op", reqwest::Method::DELETE, "/a/{id}", "/a/x%2Fy".into(), "application/json", &[])
                .query("pretty", true);
        let url = request_url(&base, &request).unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:8080/prefix/a/x%2Fy?pretty=true");
    }

    #[test]
    fn a_base_without_a_path_adds_no_slash() {
        let client = Client::builder().base_url("http://127.0.0.1:8080/").build().unwrap();
        let request = OperationRequest::new("op", reqwest::Method::DELETE, "/a", "/a".into(), "application/json", &[]);
        let url = request_url(client.base_url(), &request).unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:8080/a");
    }

    #[test]
    fn every_kind_of_credentials_needs_https_or_loopback() {
        let builders = [
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
    fn the_token_endpoint_follows_the_base_url() {
        for (base, token) in [
            ("https://cloud.mongodb.com", "https://cloud.mongodb.com/api/oauth/token"),
            ("http://127.0.0.1:9/prefix/", "http://127.0.0.1:9/prefix/api/oauth/token"),
        ] {
            let client = Client::builder().base_url(base).service_account("id", "secret").build().unwrap();
            let shown = format!("{client:?}");
            assert!(shown.contains(token), "{shown}");
        }
    }
}
