//! Credentials and the per-request authentication step.
//!
//! [`Credentials`] is what the user configured; [`Authenticator`] is the shared state built from it (a
//! digest nonce, a cached token) that every request goes through.

use std::fmt;

use reqwest::header::{AUTHORIZATION, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use super::error::{AuthError, AuthErrorKind};
use super::request::SecurityScheme;

/// What the user configured. Secrets are held in [`SecretString`] and never formatted.
pub(crate) enum Credentials {
    /// Send no credentials.
    None,
    /// A static bearer token.
    Bearer(SecretString),
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
        }
    }
}

/// The authentication state shared by all requests of one client.
#[derive(Debug)]
pub(crate) struct Authenticator {
    credentials: Credentials,
}

impl Authenticator {
    pub(crate) fn new(credentials: Credentials) -> Self {
        Authenticator { credentials }
    }

    /// Checks that the operation accepts the configured credentials, before anything is sent.
    pub(crate) fn check_allowed(&self, operation_id: &str, accepted: &[SecurityScheme]) -> Result<(), AuthError> {
        let needs = match &self.credentials {
            Credentials::None => return Ok(()),
            Credentials::Bearer(_) => [SecurityScheme::HttpBearer, SecurityScheme::OAuth2ClientCredentials],
        };
        if accepted.iter().any(|scheme| needs.contains(scheme)) {
            Ok(())
        } else {
            Err(AuthError {
                kind: AuthErrorKind::SchemeNotAllowed,
                status: None,
                message: format!(
                    "{operation_id} accepts {accepted:?}, but the client is configured with {:?}",
                    self.credentials
                ),
                response: None,
            })
        }
    }

    /// The `Authorization` header for the first attempt, if the credentials give one up front.
    pub(crate) fn authorization(&self) -> Option<(reqwest::header::HeaderName, HeaderValue)> {
        match &self.credentials {
            Credentials::None => None,
            Credentials::Bearer(token) => {
                let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose_secret())).ok()?;
                value.set_sensitive(true);
                Some((AUTHORIZATION, value))
            }
        }
    }
}
