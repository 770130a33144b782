//! Authentication failures.

use std::fmt;

use reqwest::StatusCode;

use super::answers::RawAnswer;
use super::context::{RequestContext, write_prefix};

/// What kind of authentication failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthErrorKind {
    /// The credentials were refused, or none were configured: a final 401 that asks for (other)
    /// credentials, e.g. a fresh digest challenge right after the client answered one (a wrong key).
    Rejected,
    /// The service knows who is calling but refuses the action: a final 401 that asks for no other
    /// credentials, e.g. `USER_UNAUTHORIZED` for an API key of another organization.
    NotAuthorized,
    /// A 401 to a request without credentials came without a `WWW-Authenticate` challenge the client could
    /// answer.
    MissingChallenge,
    /// The `WWW-Authenticate` challenge could not be parsed.
    MalformedChallenge,
    /// The token endpoint did not hand out a token.
    TokenRequest,
    /// The revocation endpoint did not revoke the token.
    TokenRevocation,
    /// The operation does not accept the configured kind of credentials.
    SchemeNotAllowed,
}

/// An authentication failure. Never contains a secret.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AuthError {
    /// What went wrong.
    pub kind: AuthErrorKind,
    /// The HTTP status of the answer that ended the attempt, if any.
    pub status: Option<StatusCode>,
    /// What happened, in words (no secrets; names the service's `errorCode` and `detail` when it sent them).
    pub message: String,
    /// The answer that ended the attempt, if any (boxed: it holds all headers, and the error stays small).
    pub response: Option<Box<RawAnswer>>,
    /// The request that failed (`None` for token requests made outside a call, and for hand-built errors).
    pub request: Option<RequestContext>,
}

impl AuthError {
    /// An authentication failure of `kind`, explained by `message` (which must hold no secret).
    pub fn new(kind: AuthErrorKind, message: impl Into<String>) -> Self {
        AuthError { kind, status: None, message: message.into(), response: None, request: None }
    }

    /// Sets the status and the answer that ended the attempt.
    pub fn with_answer(mut self, status: StatusCode, answer: RawAnswer) -> Self {
        self.status = Some(status);
        self.response = Some(Box::new(answer));
        self
    }

    /// Sets the request that failed.
    pub fn with_request(mut self, request: RequestContext) -> Self {
        self.request = Some(request);
        self
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_prefix(f, self.request.as_ref())?;
        f.write_str(&self.message)
    }
}

impl std::error::Error for AuthError {}
