//! Failures without an answer: transport errors, and arguments refused before sending.

use std::fmt;

use super::super::ids::InvalidId;
use super::context::{RequestContext, write_prefix};

/// What kind of transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be made, or was reset or closed before a complete answer head arrived.
    Connect,
    /// The connect or total timeout ran out.
    Timeout,
    /// The body could not be read completely.
    Body,
    /// Anything else reqwest reports (TLS, redirect loops, a malformed answer).
    Other,
}

impl TransportErrorKind {
    fn describe(self) -> &'static str {
        match self {
            TransportErrorKind::Connect => "could not connect, or the connection closed before an answer",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Body => "the answer's body could not be read",
            TransportErrorKind::Other => "the request failed",
        }
    }
}

/// A transport failure: no complete answer was received.
///
/// `Display` says what happened; the HTTP stack's own error is the [`std::error::Error::source`], with its
/// URL removed (the request is named once, by the context).
#[derive(Debug)]
#[non_exhaustive]
pub struct TransportError {
    /// What went wrong.
    pub kind: TransportErrorKind,
    /// How many attempts were made before giving up.
    pub attempts: u32,
    /// The underlying error.
    pub source: Option<reqwest::Error>,
    /// The request that failed (`None` for hand-built errors).
    pub request: Option<RequestContext>,
}

impl TransportError {
    /// A transport failure of `kind` after `attempts` attempts, with no underlying error (for tests).
    pub fn new(kind: TransportErrorKind, attempts: u32) -> Self {
        TransportError { kind, attempts, source: None, request: None }
    }

    /// Sets the request that failed.
    pub fn with_request(mut self, request: RequestContext) -> Self {
        self.request = Some(request);
        self
    }

    pub(crate) fn from_reqwest(error: reqwest::Error, attempts: u32) -> Self {
        let kind = if error.is_timeout() {
            TransportErrorKind::Timeout
        } else if error.is_connect() || error.is_request() {
            TransportErrorKind::Connect
        } else if error.is_body() || error.is_decode() {
            TransportErrorKind::Body
        } else {
            TransportErrorKind::Other
        };
        // The URL goes: the context names the request, and a URL is no place to risk user info.
        TransportError { kind, attempts, source: Some(error.without_url()), request: None }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_prefix(f, self.request.as_ref())?;
        write!(f, "no answer after {} attempt(s): {}", self.attempts, self.kind.describe())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|s| s as &(dyn std::error::Error + 'static))
    }
}

/// An argument rejected before any request was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidArgument {
    /// An id did not match its pattern.
    Id(InvalidId),
    /// The base URL and path did not form a valid URL.
    Url(String),
    /// The request body could not be encoded.
    Body(String),
}

impl fmt::Display for InvalidArgument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidArgument::Id(e) => fmt::Display::fmt(e, f),
            InvalidArgument::Url(m) => write!(f, "invalid URL: {m}"),
            InvalidArgument::Body(m) => write!(f, "the request body cannot be encoded: {m}"),
        }
    }
}

/// No `source()`: `Display` already prints the rejected id, so returning it would print it twice.
impl std::error::Error for InvalidArgument {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_says_what_happened() {
        let error = TransportError::new(TransportErrorKind::Timeout, 2);
        assert_eq!(error.to_string(), "no answer after 2 attempt(s): timed out");
        assert!(std::error::Error::source(&error).is_none());
    }
}
