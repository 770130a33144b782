//! The one error type every operation returns.
//!
//! The variants keep apart what a caller must handle differently: a documented error answer from the
//! service, an answer nobody could decode (kept raw), a failed authentication, a transport failure and an
//! argument rejected before any request was sent.

use std::fmt;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::ids::InvalidId;

/// Everything that can go wrong when calling an operation.
///
/// `E` is the decoded error body the spec documents (for Atlas: the generated `ApiError` type); the crate
/// root exports an alias with it filled in. (Named in plain text because this runtime is copied into
/// standalone crates and must not link to generated items.)
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The service answered with a documented error status and a body that decoded as `E`.
    Api(ErrorResponse<E>),
    /// The service answered, but not in a way the spec allows us to decode (an HTML page from a proxy,
    /// truncated JSON, a wrong content type, a success body of the wrong shape). The raw body is kept.
    UnexpectedResponse(UnexpectedResponse),
    /// Authentication failed: credentials were rejected, or the server's challenge could not be answered.
    Auth(AuthError),
    /// The request never got a complete answer: connection refused or reset, timeout, TLS failure.
    Transport(TransportError),
    /// An argument was rejected before any request was sent.
    InvalidArgument(InvalidArgument),
}

impl<E> Error<E> {
    /// The HTTP status of the answer this error came from, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::UnexpectedResponse(e) => Some(e.status),
            Error::Auth(e) => e.status,
            Error::Transport(_) | Error::InvalidArgument(_) => None,
        }
    }

    /// The service's application error code (`errorCode`, e.g. `GROUP_NOT_FOUND`), if it sent one.
    ///
    /// Read from the `X-Error-Code` header when present, otherwise from the body's `errorCode` field.
    pub fn error_code(&self) -> Option<String> {
        match self {
            Error::Api(e) => error_code_of(&e.headers, &e.raw_body),
            Error::UnexpectedResponse(e) => error_code_of(&e.headers, &e.body),
            Error::Auth(e) => e.response.as_ref().and_then(|r| error_code_of(&r.headers, &r.body)),
            Error::Transport(_) | Error::InvalidArgument(_) => None,
        }
    }

    /// The `Retry-After` the service sent with this answer, in seconds.
    pub fn retry_after(&self) -> Option<u64> {
        let headers = match self {
            Error::Api(e) => &e.headers,
            Error::UnexpectedResponse(e) => &e.headers,
            _ => return None,
        };
        super::response::header_value(headers, "retry-after")
    }

    /// True when the target of a delete no longer exists: a decoded 404 (except `ORG_NOT_FOUND`,
    /// `GROUP_NOT_FOUND`, `INVALID_ORG_ID`, `INVALID_GROUP_ID`, which say the organization or project is
    /// missing), or 400 with `API_KEY_NOT_FOUND`.
    ///
    /// The client retries deletes on its own (see [`super::RetryPolicy`]): after a 500, 502 or 504, or a
    /// connection lost once the request was sent, the first attempt may already have removed the key, and
    /// the retry then sees exactly this answer: 400 `API_KEY_NOT_FOUND` for API keys (Atlas does not answer
    /// 404 for them) or 404 for other targets. Callers that only want "the key is gone" can treat it as
    /// success (see [`super::ResultExt::ignore_already_gone`]).
    pub fn is_already_gone(&self) -> bool {
        // Only a decoded service error counts: an HTML 404 from a proxy or a wrong base URL says nothing
        // about the key, and treating it as "gone" would report a delete that never happened.
        let Error::Api(answer) = self else { return false };
        let code = self.error_code();
        match answer.status.as_u16() {
            // A missing organization or project is not a deleted key: most likely the id is wrong, and
            // reporting success would hide it.
            404 => !code.as_deref().is_some_and(|code| CONTAINER_NOT_FOUND.contains(&code)),
            400 => code.as_deref() == Some("API_KEY_NOT_FOUND"),
            _ => false,
        }
    }

    /// True when the service rejected the credentials (a final 401).
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Error::Auth(e) if e.kind == AuthErrorKind::Rejected)
    }
}

/// 404 error codes that name the organization or project, not the thing being deleted.
const CONTAINER_NOT_FOUND: &[&str] = &["ORG_NOT_FOUND", "GROUP_NOT_FOUND", "INVALID_ORG_ID", "INVALID_GROUP_ID"];

fn error_code_of(headers: &HeaderMap, body: &Bytes) -> Option<String> {
    if let Some(code) = headers.get("x-error-code").and_then(|v| v.to_str().ok()) {
        return Some(code.to_owned());
    }
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    value.get("errorCode")?.as_str().map(str::to_owned)
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => {
                write!(f, "the service answered {}", e.status)?;
                if let Some(code) = error_code_of(&e.headers, &e.raw_body) {
                    write!(f, " {code}")?;
                }
                Ok(())
            }
            Error::UnexpectedResponse(e) => write!(
                f,
                "unexpected answer {} ({}): {}",
                e.status,
                e.content_type.as_deref().unwrap_or("no content type"),
                e.reason
            ),
            Error::Auth(e) => fmt::Display::fmt(e, f),
            Error::Transport(e) => fmt::Display::fmt(e, f),
            Error::InvalidArgument(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => e.source.as_ref().map(|s| s as &(dyn std::error::Error + 'static)),
            Error::InvalidArgument(e) => Some(e),
            _ => None,
        }
    }
}

impl<E> From<InvalidArgument> for Error<E> {
    fn from(e: InvalidArgument) -> Self {
        Error::InvalidArgument(e)
    }
}

impl<E> From<InvalidId> for Error<E> {
    fn from(e: InvalidId) -> Self {
        Error::InvalidArgument(InvalidArgument::Id(e))
    }
}

/// A documented error answer, decoded.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ErrorResponse<E> {
    /// The HTTP status (after unwrapping an `envelope=true` answer: the real status).
    pub status: StatusCode,
    /// The decoded body.
    pub body: E,
    /// The answer's headers (`X-Error-Code`, `Retry-After`, `RateLimit-*`).
    pub headers: HeaderMap,
    /// The body exactly as received.
    pub raw_body: Bytes,
}

/// An answer that could not be decoded as the spec says it should be.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct UnexpectedResponse {
    /// The HTTP status.
    pub status: StatusCode,
    /// The `Content-Type` the service sent, if any.
    pub content_type: Option<String>,
    /// The answer's headers.
    pub headers: HeaderMap,
    /// The body exactly as received.
    pub body: Bytes,
    /// Why it could not be decoded.
    pub reason: String,
    /// Where in the JSON body decoding failed (`results[3].eventTypeName`), when it was JSON.
    pub json_path: Option<String>,
}

/// What kind of authentication failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthErrorKind {
    /// The service rejected the credentials (or none were configured): a final 401.
    Rejected,
    /// A 401 came without a `WWW-Authenticate` challenge the client could answer.
    MissingChallenge,
    /// The `WWW-Authenticate` challenge could not be parsed.
    MalformedChallenge,
    /// The token endpoint did not hand out a token.
    TokenRequest,
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
    /// A human-readable explanation (no secrets).
    pub message: String,
    /// The answer that ended the attempt, if any.
    pub response: Option<RawAnswer>,
}

/// A raw answer kept inside an error.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RawAnswer {
    /// The answer's headers.
    pub headers: HeaderMap,
    /// The body exactly as received.
    pub body: Bytes,
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            AuthErrorKind::Rejected => write!(f, "unauthorized: {}", self.message),
            _ => write!(f, "authentication failed: {}", self.message),
        }
    }
}

impl std::error::Error for AuthError {}

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

/// A transport failure: no complete answer was received.
#[derive(Debug)]
#[non_exhaustive]
pub struct TransportError {
    /// What went wrong.
    pub kind: TransportErrorKind,
    /// How many attempts were made before giving up.
    pub attempts: u32,
    /// The underlying error.
    pub source: Option<reqwest::Error>,
    /// A human-readable explanation.
    pub message: String,
}

impl TransportError {
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
        // reqwest's Display names the URL; the builder refuses base URLs with user info, so it holds no
        // credentials and is safe to show.
        let message = format!("{error}");
        TransportError { kind, attempts, source: Some(error), message }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "transport error after {} attempt(s): {}", self.attempts, self.message)
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

impl std::error::Error for InvalidArgument {}

/// Conveniences on operation results.
pub trait ResultExt<T, E> {
    /// Treats "already gone" (404, or 400 `API_KEY_NOT_FOUND`) as success: `Ok(None)`.
    ///
    /// Use it for deletes: the client retries a delete after a 500, 502, 504 or a lost connection (see
    /// [`super::RetryPolicy`]), and when the first attempt reached the service but its answer was lost, the
    /// retry finds the key gone and gets 400 `API_KEY_NOT_FOUND` (or 404), not the 204 of the first attempt.
    fn ignore_already_gone(self) -> Result<Option<T>, Error<E>>;
}

impl<T, E> ResultExt<T, E> for Result<T, Error<E>> {
    fn ignore_already_gone(self) -> Result<Option<T>, Error<E>> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(error) if error.is_already_gone() => Ok(None),
            Err(error) => Err(error),
        }
    }
}
