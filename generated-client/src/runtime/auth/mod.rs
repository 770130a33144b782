//! Credentials and the shared authentication state.
//!
//! [`Credentials`] is what the user configured; [`Authenticator`] is the state built from it (a digest
//! nonce, a cached token) that every request of one client shares. How a request goes through it (one
//! answered challenge, one token refresh) is in `transport.rs`, next to the sending.

mod digest;
mod oauth;

use std::fmt;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

use super::error::{AuthError, AuthErrorKind};
use super::request::SecurityScheme;

pub(crate) use digest::{DigestAuth, DigestTarget, challenge_is_stale};
pub(crate) use oauth::{TokenEndpoints, TokenSource};

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

impl Credentials {
    pub(crate) fn bearer(token: String) -> Self {
        Credentials::Bearer(SecretString::from(token))
    }

    pub(crate) fn is_none(&self) -> bool {
        matches!(self, Credentials::None)
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
}

/// The authentication state shared by all requests of one client.
#[derive(Debug)]
pub(crate) enum Authenticator {
    None,
    Bearer(SecretString),
    /// Sent as is with every request; reqwest encodes it and marks the header sensitive.
    Basic {
        username: String,
        password: SecretString,
    },
    Digest(DigestAuth),
    // Boxed: the token cache is much larger than the other variants, and there is one per client.
    ServiceAccount(Box<TokenSource>),
}

impl Authenticator {
    pub(crate) fn new(credentials: Credentials, options: AuthOptions) -> Self {
        match credentials {
            Credentials::None => Authenticator::None,
            Credentials::Bearer(token) => Authenticator::Bearer(token),
            Credentials::Basic { username, password } => Authenticator::Basic { username, password },
            Credentials::Digest { public_key, private_key } => {
                Authenticator::Digest(DigestAuth::new(public_key, private_key, options.reuse_digest_nonce))
            }
            Credentials::ServiceAccount { client_id, client_secret } => {
                let endpoints = TokenEndpoints {
                    token_url: options.token_url,
                    revoke_url: options.revoke_url,
                    timeout: options.request_timeout,
                    max_body_size: options.max_body_size,
                };
                Authenticator::ServiceAccount(Box::new(TokenSource::new(
                    client_id,
                    client_secret,
                    endpoints,
                    options.min_token_interval,
                )))
            }
        }
    }

    fn accepted_schemes(&self) -> &'static [SecurityScheme] {
        match self {
            Authenticator::None => &[],
            // A service-account token is a bearer token, so either kind of operation takes both.
            Authenticator::Bearer(_) | Authenticator::ServiceAccount(_) => {
                &[SecurityScheme::HttpBearer, SecurityScheme::OAuth2ClientCredentials]
            }
            Authenticator::Basic { .. } => &[SecurityScheme::HttpBasic],
            Authenticator::Digest(_) => &[SecurityScheme::HttpDigest],
        }
    }

    fn describe(&self) -> &'static str {
        match self {
            Authenticator::None => "no credentials",
            Authenticator::Bearer(_) => "a bearer token",
            Authenticator::Basic { .. } => "a user name and password (HTTP Basic)",
            Authenticator::Digest(_) => "an API key (HTTP Digest)",
            Authenticator::ServiceAccount(_) => "a service account (OAuth 2.0)",
        }
    }

    /// Checks that the operation accepts the configured credentials, before anything is sent.
    pub(crate) fn check_allowed(&self, accepted: &[SecurityScheme]) -> Result<(), AuthError> {
        if matches!(self, Authenticator::None) || accepted.is_empty() {
            return Ok(());
        }
        if accepted.iter().any(|scheme| self.accepted_schemes().contains(scheme)) {
            return Ok(());
        }
        Err(AuthError::new(
            AuthErrorKind::SchemeNotAllowed,
            format!("the operation accepts {accepted:?}, but the client is configured with {}", self.describe()),
        ))
    }
}

/// `Authorization: Bearer <token>`, marked sensitive so the HTTP stack never logs it.
pub(crate) fn bearer_header(token: &SecretString) -> Result<HeaderValue, AuthError> {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose_secret()))
        .map_err(|_| AuthError::new(AuthErrorKind::TokenRequest, "the bearer token cannot be sent in a header"))?;
    value.set_sensitive(true);
    Ok(value)
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
        }
    }

    #[test]
    fn the_legacy_digest_only_operation_refuses_tokens() {
        let bearer = Authenticator::new(Credentials::bearer("t".into()), options());
        let error = bearer.check_allowed(&[SecurityScheme::HttpDigest]).unwrap_err();
        assert_eq!(error.kind, AuthErrorKind::SchemeNotAllowed);
        assert!(error.message.contains("a bearer token"), "{}", error.message);
        let digest = Authenticator::new(
            Credentials::Digest { public_key: "p".into(), private_key: SecretString::from("k") },
            options(),
        );
        assert!(digest.check_allowed(&[SecurityScheme::HttpDigest]).is_ok());
        let error = digest.check_allowed(&[SecurityScheme::OAuth2ClientCredentials]).unwrap_err();
        assert_eq!(error.kind, AuthErrorKind::SchemeNotAllowed);
    }

    #[test]
    fn service_accounts_serve_bearer_operations() {
        let account = Authenticator::new(
            Credentials::ServiceAccount { client_id: "id".into(), client_secret: SecretString::from("s") },
            options(),
        );
        assert!(account.check_allowed(&[SecurityScheme::HttpBearer]).is_ok());
        assert!(account.check_allowed(&[SecurityScheme::HttpDigest, SecurityScheme::OAuth2ClientCredentials]).is_ok());
    }

    #[test]
    fn basic_credentials_serve_only_basic_operations() {
        let basic = Authenticator::new(
            Credentials::Basic { username: "user".into(), password: SecretString::from("p") },
            options(),
        );
        assert!(basic.check_allowed(&[SecurityScheme::HttpBasic]).is_ok());
        assert!(basic.check_allowed(&[SecurityScheme::HttpDigest, SecurityScheme::HttpBasic]).is_ok());
        let error = basic.check_allowed(&[SecurityScheme::HttpDigest]).unwrap_err();
        assert_eq!(error.kind, AuthErrorKind::SchemeNotAllowed);
        assert!(error.message.contains("HTTP Basic"), "{}", error.message);
        let bearer = Authenticator::new(Credentials::bearer("t".into()), options());
        assert!(bearer.check_allowed(&[SecurityScheme::HttpBasic]).is_err());
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
    }
}
