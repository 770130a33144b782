//! Failures without an answer: transport errors, and arguments refused before sending.

use std::error::Error as _;
use std::fmt;

use reqwest::StatusCode;

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
    /// The body could not be read completely (the connection broke off, or closed before the
    /// `Content-Length` it promised).
    Body,
    /// The answer is not HTTP/1.1 the client can read: garbage instead of a status line, a malformed or
    /// oversized head (more than about 400 KiB, or more than 100 headers). Not retried: the same server
    /// would most likely answer the same way.
    Protocol,
    /// The answer's body is larger than the client's limit ([`ClientBuilder::max_body_size`]), by its
    /// `Content-Length` or by what arrived; reading stopped there. Not retried.
    ///
    /// [`ClientBuilder::max_body_size`]: super::super::ClientBuilder::max_body_size
    BodyTooLarge,
    /// Anything else reqwest reports (TLS, redirect loops).
    Other,
}

impl TransportErrorKind {
    fn describe(self) -> &'static str {
        match self {
            TransportErrorKind::Connect => "could not connect, or the connection closed before an answer",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Body => "the answer's body could not be read",
            TransportErrorKind::Protocol => "the server's answer is not valid HTTP",
            TransportErrorKind::BodyTooLarge => "the answer's body is larger than the client's limit",
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
    /// The status of the answer whose body failed, when its head arrived.
    pub status: Option<StatusCode>,
    /// For [`TransportErrorKind::BodyTooLarge`]: the limit the body went past, in bytes.
    pub body_limit: Option<usize>,
}

impl TransportError {
    /// A transport failure of `kind` after `attempts` attempts, with no underlying error (for tests).
    pub fn new(kind: TransportErrorKind, attempts: u32) -> Self {
        TransportError { kind, attempts, source: None, request: None, status: None, body_limit: None }
    }

    /// A body past the limit of `limit` bytes, in an answer of `status`.
    pub(crate) fn body_too_large(status: StatusCode, limit: usize) -> Self {
        let mut error = TransportError::new(TransportErrorKind::BodyTooLarge, 1);
        error.status = Some(status);
        error.body_limit = Some(limit);
        error
    }

    /// Sets the status of the answer whose body failed.
    pub(crate) fn with_status(mut self, status: StatusCode) -> Self {
        self.status = Some(status);
        self
    }

    /// Sets the request that failed.
    pub fn with_request(mut self, request: RequestContext) -> Self {
        self.request = Some(request);
        self
    }

    pub(crate) fn from_reqwest(error: reqwest::Error, attempts: u32) -> Self {
        let kind = if error.is_timeout() {
            TransportErrorKind::Timeout
        } else if is_malformed_answer(&error) {
            // Checked before `is_request`, which reqwest also says of an answer head that does not parse.
            TransportErrorKind::Protocol
        } else if error.is_connect() || error.is_request() {
            TransportErrorKind::Connect
        } else if error.is_body() || error.is_decode() {
            TransportErrorKind::Body
        } else {
            TransportErrorKind::Other
        };
        // The URL goes: the context names the request, and a URL is no place to risk user info.
        let mut transport = TransportError::new(kind, attempts);
        transport.source = Some(error.without_url());
        transport
    }
}

/// True when hyper refused the answer's head (a parse error: not HTTP, a bad status line or header, a head
/// past its size or header-count limit), as opposed to a connection that failed or closed.
fn is_malformed_answer(error: &reqwest::Error) -> bool {
    let mut source = error.source();
    while let Some(cause) = source {
        if cause.downcast_ref::<hyper::Error>().is_some_and(hyper::Error::is_parse) {
            return true;
        }
        source = cause.source();
    }
    false
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_prefix(f, self.request.as_ref())?;
        write!(f, "no answer after {} attempt(s): {}", self.attempts, self.kind.describe())?;
        if let Some(limit) = self.body_limit {
            write!(f, " of {limit} bytes (ClientBuilder::max_body_size)")?;
        }
        if let Some(status) = self.status {
            write!(f, " (status {})", status.as_u16())?;
        }
        Ok(())
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

    #[test]
    fn a_body_past_the_limit_names_the_limit_and_the_status() {
        let error = TransportError::body_too_large(StatusCode::OK, 1024);
        assert_eq!(
            error.to_string(),
            "no answer after 1 attempt(s): the answer's body is larger than the client's limit of 1024 bytes \
             (ClientBuilder::max_body_size) (status 200)"
        );
    }
}
