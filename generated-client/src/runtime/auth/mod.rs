//! Authentication: one [`AuthScheme`] per kind of credentials, each owning its whole round trip.
//!
//! A scheme gets one attempt of a call ([`Call`]) and sends through [`wire::send`](super::wire::send) as
//! many requests as it needs: digest answers a challenge (`digest.rs`), a service account fetches or
//! refreshes a token (`oauth.rs`, its tokens kept in a [`TokenStore`]), bearer and Basic send a header
//! (`simple.rs`). The transport above knows none of them: it asks the configured scheme for an attempt and
//! decides about retries. A new scheme is one new type here and one builder method.

mod digest;
mod oauth;
mod simple;
mod token_store;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::Url;
use reqwest::header::{HeaderValue, WWW_AUTHENTICATE};
use secrecy::{ExposeSecret, SecretString};

use super::error::{AuthError, AuthErrorKind, RawAnswer, describe_answer};
use super::request::SecurityScheme;
use super::wire::{Call, Exchange, Failure, Wire};

pub(crate) use digest::DigestAuth;
pub(crate) use oauth::{TokenEndpoints, TokenSource};
pub(crate) use simple::{BasicAuth, BearerToken, NoCredentials};
pub use token_store::{FileTokenStore, MemoryTokenStore, StoredToken, TokenStore, TokenStoreError};

/// A boxed future, so schemes can sit behind `dyn AuthScheme` (one allocation per attempt, next to an HTTP
/// round trip).
pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One kind of credentials and everything it takes to send a request with them.
pub(crate) trait AuthScheme: Send + Sync + fmt::Debug {
    /// The spec's security schemes these credentials serve.
    fn accepts(&self) -> &'static [SecurityScheme];

    /// The credentials in words, for errors: "an API key (HTTP Digest)".
    fn describe(&self) -> &'static str;

    /// One attempt of a call with these credentials, including every round trip authentication needs (a
    /// challenge answered, a token fetched or refreshed). A final 401 is an [`AuthError`].
    fn attempt<'a>(&'a self, call: &'a Call<'a>) -> BoxFuture<'a, Result<Exchange, Failure>>;

    /// Revokes what the credentials hold (a service account's token). `Ok(false)`: nothing to revoke.
    fn revoke<'a>(&'a self, wire: &'a Wire) -> BoxFuture<'a, Result<bool, AuthError>> {
        let _ = wire;
        Box::pin(std::future::ready(Ok(false)))
    }

    /// Checks, before anything is sent, that an operation accepting `accepted` takes these credentials.
    fn check_allowed(&self, accepted: &[SecurityScheme]) -> Result<(), AuthError> {
        if accepted.is_empty() || accepted.iter().any(|scheme| self.accepts().contains(scheme)) {
            return Ok(());
        }
        Err(AuthError::new(
            AuthErrorKind::SchemeNotAllowed,
            format!("the operation accepts {accepted:?}, but the client is configured with {}", self.describe()),
        ))
    }
}

/// What the user configured. Secrets are held in [`SecretString`] and never formatted.
pub(crate) enum Credentials {
    /// Send no credentials.
    None,
    /// A static bearer token.
    Bearer(SecretString),
    /// An API key: HTTP Digest with the public key as user name and the private key as password.
    Digest { public_key: String, private_key: SecretString },
    /// HTTP Basic: a user name and a password sent with every request.
    Basic { username: String, password: SecretString },
    /// A service account: OAuth 2.0 client credentials.
    ServiceAccount { client_id: String, client_secret: SecretString },
}

/// Settings of the authentication state that are not credentials.
#[derive(Debug, Clone)]
pub(crate) struct AuthOptions {
    pub(crate) reuse_digest_nonce: bool,
    pub(crate) token_url: Url,
    pub(crate) revoke_url: Url,
    pub(crate) min_token_interval: Duration,
    /// How long one token or revocation request may take.
    pub(crate) request_timeout: Duration,
    /// The most bytes of a token or revocation answer read into memory.
    pub(crate) max_body_size: usize,
    /// Where service-account tokens are kept between calls (and, for a file, between processes).
    pub(crate) token_store: std::sync::Arc<dyn TokenStore>,
}

impl Credentials {
    pub(crate) fn bearer(token: String) -> Self {
        Credentials::Bearer(SecretString::from(token))
    }

    pub(crate) fn is_none(&self) -> bool {
        matches!(self, Credentials::None)
    }

    /// The scheme that sends these credentials.
    pub(crate) fn into_scheme(self, options: AuthOptions) -> Box<dyn AuthScheme> {
        match self {
            Credentials::None => Box::new(NoCredentials),
            Credentials::Bearer(token) => Box::new(BearerToken(token)),
            Credentials::Basic { username, password } => Box::new(BasicAuth { username, password }),
            Credentials::Digest { public_key, private_key } => {
                Box::new(DigestAuth::new(public_key, private_key, options.reuse_digest_nonce))
            }
            Credentials::ServiceAccount { client_id, client_secret } => {
                let endpoints = TokenEndpoints {
                    token_url: options.token_url,
                    revoke_url: options.revoke_url,
                    timeout: options.request_timeout,
                    max_body_size: options.max_body_size,
                };
                Box::new(TokenSource::new(
                    client_id,
                    client_secret,
                    endpoints,
                    options.min_token_interval,
                    options.token_store,
                ))
            }
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::None => f.write_str("None"),
            Credentials::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            Credentials::Digest { public_key, .. } => {
                write!(f, "Digest {{ public_key: {public_key:?}, private_key: <redacted> }}")
            }
            Credentials::Basic { username, .. } => {
                write!(f, "Basic {{ username: {username:?}, password: <redacted> }}")
            }
            Credentials::ServiceAccount { client_id, .. } => {
                write!(f, "ServiceAccount {{ client_id: {client_id:?}, client_secret: <redacted> }}")
            }
        }
    }
}

/// `Authorization: Bearer <token>`, marked sensitive so the HTTP stack never logs it.
pub(crate) fn bearer_header(token: &SecretString) -> Result<HeaderValue, AuthError> {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose_secret()))
        .map_err(|_| AuthError::new(AuthErrorKind::TokenRequest, "the bearer token cannot be sent in a header"))?;
    value.set_sensitive(true);
    Ok(value)
}

/// True when a 401 asks for credentials (carries a `WWW-Authenticate` challenge).
fn is_challenge(exchange: &Exchange) -> bool {
    exchange.raw.headers.contains_key(WWW_AUTHENTICATE)
}

/// A 401 that authentication can do nothing more about ends the call, worded by what happened: a 401 that
/// asks for credentials refused the ones sent ([`AuthErrorKind::Rejected`], said by `refused`, or "no
/// credentials were sent" when `refused` is `None`); one that asks for nothing refused the action
/// ([`AuthErrorKind::NotAuthorized`]). Any other answer is the attempt's answer.
fn final_answer(call: &Call<'_>, exchange: Exchange, refused: Option<&str>) -> Result<Exchange, Failure> {
    if exchange.status() != StatusCode::UNAUTHORIZED {
        return Ok(exchange);
    }
    let challenged = is_challenge(&exchange);
    let raw = exchange.raw;
    let facts = call.wire.profile.facts(call.request, raw.status, &raw.headers, &raw.body);
    let summary = describe_answer(raw.status, &facts);
    let (kind, message) = match (refused, challenged) {
        (None, _) => {
            (AuthErrorKind::Rejected, format!("no credentials were sent, and the service asks for them: {summary}"))
        }
        (Some(_), false) => (AuthErrorKind::NotAuthorized, format!("not authorized: {summary}")),
        (Some(refused), true) => (AuthErrorKind::Rejected, format!("{refused}: {summary}")),
    };
    let mut answer = RawAnswer::new(raw.headers, raw.body);
    answer.error_code = facts.error_code;
    Err(Failure::Auth(AuthError::new(kind, message).with_answer(raw.status, answer)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> AuthOptions {
        AuthOptions {
            reuse_digest_nonce: true,
            token_url: Url::parse("https://cloud.mongodb.com/api/oauth/token").unwrap(),
            revoke_url: Url::parse("https://cloud.mongodb.com/api/oauth/revoke").unwrap(),
            min_token_interval: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            max_body_size: 1024,
            token_store: std::sync::Arc::new(MemoryTokenStore::default()),
        }
    }

    #[test]
    fn the_legacy_digest_only_operation_refuses_tokens() {
        let bearer = Credentials::bearer("t".into()).into_scheme(options());
        let error = bearer.check_allowed(&[SecurityScheme::HttpDigest]).unwrap_err();
        assert_eq!(error.kind, AuthErrorKind::SchemeNotAllowed);
        assert!(error.message.contains("a bearer token"), "{}", error.message);
        let digest =
            Credentials::Digest { public_key: "p".into(), private_key: SecretString::from("k") }.into_scheme(options());
        assert!(digest.check_allowed(&[SecurityScheme::HttpDigest]).is_ok());
        let error = digest.check_allowed(&[SecurityScheme::OAuth2ClientCredentials]).unwrap_err();
        assert_eq!(error.kind, AuthErrorKind::SchemeNotAllowed);
    }

    #[test]
    fn service_accounts_serve_bearer_operations() {
        let account = Credentials::ServiceAccount { client_id: "id".into(), client_secret: SecretString::from("s") }
            .into_scheme(options());
        assert!(account.check_allowed(&[SecurityScheme::HttpBearer]).is_ok());
        assert!(account.check_allowed(&[SecurityScheme::HttpDigest, SecurityScheme::OAuth2ClientCredentials]).is_ok());
    }

    #[test]
    fn basic_credentials_serve_only_basic_operations() {
        let basic =
            Credentials::Basic { username: "user".into(), password: SecretString::from("p") }.into_scheme(options());
        assert!(basic.check_allowed(&[SecurityScheme::HttpBasic]).is_ok());
        assert!(basic.check_allowed(&[SecurityScheme::HttpDigest, SecurityScheme::HttpBasic]).is_ok());
        let error = basic.check_allowed(&[SecurityScheme::HttpDigest]).unwrap_err();
        assert_eq!(error.kind, AuthErrorKind::SchemeNotAllowed);
        assert!(error.message.contains("HTTP Basic"), "{}", error.message);
        let bearer = Credentials::bearer("t".into()).into_scheme(options());
        assert!(bearer.check_allowed(&[SecurityScheme::HttpBasic]).is_err());
        let none = Credentials::None.into_scheme(options());
        assert!(none.check_allowed(&[SecurityScheme::HttpDigest]).is_ok(), "no credentials: the server decides");
    }

    #[test]
    fn credentials_debug_redacts_secrets() {
        let shown = format!(
            "{:?} {:?} {:?} {:?}",
            Credentials::Basic { username: "basic-user".into(), password: SecretString::from("basic-hidden") },
            Credentials::bearer("tok-hidden".into()),
            Credentials::Digest { public_key: "pub".into(), private_key: SecretString::from("priv-hidden") },
            Credentials::ServiceAccount { client_id: "id".into(), client_secret: SecretString::from("sa-hidden") },
        );
        assert!(!shown.contains("hidden"), "{shown}");
        assert!(shown.contains("pub") && shown.contains("id") && shown.contains("basic-user"));
        let schemes = format!(
            "{:?} {:?}",
            Credentials::bearer("tok-hidden".into()).into_scheme(options()),
            Credentials::Basic { username: "u".into(), password: SecretString::from("basic-hidden") }
                .into_scheme(options())
        );
        assert!(!schemes.contains("hidden"), "{schemes}");
    }
}
