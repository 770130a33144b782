//! The schemes that send a header and nothing more: none, a static bearer token, HTTP Basic.

use std::fmt;

use secrecy::SecretString;

use super::super::request::SecurityScheme;
use super::super::wire::{Call, Credential, Exchange, Failure, send};
use super::{AuthError, AuthScheme, BoxFuture, bearer_header, final_answer};

/// Sends no credentials; the server decides.
#[derive(Debug)]
pub(crate) struct NoCredentials;

impl AuthScheme for NoCredentials {
    fn accepts(&self) -> &'static [SecurityScheme] {
        &[]
    }

    fn describe(&self) -> &'static str {
        "no credentials"
    }

    fn attempt<'a>(&'a self, call: &'a Call<'a>) -> BoxFuture<'a, Result<Exchange, Failure>> {
        Box::pin(async move { final_answer(call, send(call, Credential::None).await?, None) })
    }

    fn check_allowed(&self, _: &[SecurityScheme]) -> Result<(), AuthError> {
        Ok(())
    }
}

/// `Authorization: Bearer <token>` with a token obtained elsewhere.
pub(crate) struct BearerToken(pub(crate) SecretString);

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BearerToken(<redacted>)")
    }
}

impl AuthScheme for BearerToken {
    fn accepts(&self) -> &'static [SecurityScheme] {
        // A service-account token is a bearer token, so either kind of operation takes it.
        &[SecurityScheme::HttpBearer, SecurityScheme::OAuth2ClientCredentials]
    }

    fn describe(&self) -> &'static str {
        "a bearer token"
    }

    fn attempt<'a>(&'a self, call: &'a Call<'a>) -> BoxFuture<'a, Result<Exchange, Failure>> {
        Box::pin(async move {
            let header = bearer_header(&self.0).map_err(Failure::Auth)?;
            final_answer(call, send(call, Credential::Header(header)).await?, Some("the bearer token was refused"))
        })
    }
}

/// HTTP Basic, sent as is with every request of an operation that asks for it; reqwest encodes it and
/// marks the header sensitive.
pub(crate) struct BasicAuth {
    pub(crate) username: String,
    pub(crate) password: SecretString,
}

impl fmt::Debug for BasicAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicAuth").field("username", &self.username).field("password", &"<redacted>").finish()
    }
}

impl AuthScheme for BasicAuth {
    fn accepts(&self) -> &'static [SecurityScheme] {
        &[SecurityScheme::HttpBasic]
    }

    fn describe(&self) -> &'static str {
        "a user name and password (HTTP Basic)"
    }

    fn attempt<'a>(&'a self, call: &'a Call<'a>) -> BoxFuture<'a, Result<Exchange, Failure>> {
        Box::pin(async move {
            let credential = Credential::Basic { username: &self.username, password: &self.password };
            final_answer(call, send(call, credential).await?, Some("the user name and password were refused"))
        })
    }
}
