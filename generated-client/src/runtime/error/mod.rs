//! The one error type every operation returns.
//!
//! The variants keep apart what a caller must handle differently: a documented error answer from the
//! service, an answer nobody could decode (kept raw), a failed authentication, a transport failure and an
//! argument rejected before any request was sent.
//!
//! Messages: `Display` of an error that came from a request names it once (operation, method, path) and
//! then says what happened, with the status, the service's `errorCode` and `detail` each once. A message
//! never repeats what `source()` returns, so printing the chain (anyhow's `{:#}`, or walking `source()`)
//! shows every part exactly once. Payloads are boxed, so `Result<T, Error<E>>` stays two words wide.

mod answers;
mod auth;
mod context;
mod transport;

use std::fmt;

use reqwest::StatusCode;

use super::headers;
use super::ids::InvalidId;

pub(crate) use answers::{AnswerFacts, describe_answer, shortened};
pub use answers::{ErrorResponse, RawAnswer, UnexpectedResponse};
pub use auth::{AuthError, AuthErrorKind};
pub use context::RequestContext;
pub(crate) use context::redact_url;
pub use transport::{InvalidArgument, TransportError, TransportErrorKind};

/// Everything that can go wrong when calling an operation.
///
/// `E` is the decoded error body the spec documents (for Atlas: the generated `ApiError` type); the crate
/// root exports an alias with it filled in. (Named in plain text because this runtime is copied into
/// standalone crates and must not link to generated items.)
///
/// Every payload is boxed: an error keeps the whole answer (headers and raw body), and boxing keeps the
/// `Result` small on the success path (clippy's `result_large_err`). Build one in a test with `From`:
/// `Error::from(ErrorResponse::new(..))`, or `Error::Api(Box::new(..))`.
///
/// ```no_run
/// # async fn run(client: atlas_admin::Client, org: atlas_admin::OrgId, key: atlas_admin::ApiUserId) {
/// use atlas_admin::Error;
///
/// match client.delete_org_api_key(&org, &key).send().await {
///     Ok(_) => println!("deleted"),
///     Err(error) if error.is_already_gone() => println!("already gone"),
///     Err(error) if error.is_unauthorized() => println!("check the credentials: {error}"),
///     Err(Error::Api(answer)) => println!("Atlas said {} {:?}: {:?}", answer.status, answer.error_code, answer.detail),
///     Err(error) => match error.retry_after() {
///         Some(seconds) => println!("try again in {seconds} s"),
///         None => println!("failed: {error}"), // names the request, the status, Atlas's code and detail
///     },
/// }
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The service answered with an error status and a body that decoded as `E`.
    Api(Box<ErrorResponse<E>>),
    /// The service answered, but not in a way the spec allows us to decode (an HTML page from a proxy,
    /// truncated JSON, a wrong content type, a success body of the wrong shape). The raw body is kept.
    UnexpectedResponse(Box<UnexpectedResponse>),
    /// Authentication failed: credentials were refused, the caller is not authorized, or the server's
    /// challenge could not be answered.
    Auth(Box<AuthError>),
    /// The request never got a complete answer: connection refused or reset, timeout, TLS failure.
    Transport(Box<TransportError>),
    /// An argument was rejected before any request was sent.
    InvalidArgument(Box<InvalidArgument>),
}

impl<E> Error<E> {
    /// The HTTP status of the answer this error came from, if there was one (for a transport error: when
    /// the answer's head arrived but its body did not, or was past the limit).
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::UnexpectedResponse(e) => Some(e.status),
            Error::Auth(e) => e.status,
            Error::Transport(e) => e.status,
            Error::InvalidArgument(_) => None,
        }
    }

    /// The service's application error code (e.g. `GROUP_NOT_FOUND`), if it sent one.
    ///
    /// Read when the answer arrived, by the service's profile (for Atlas: the `X-Error-Code` header when
    /// present, otherwise the body's `errorCode`).
    pub fn error_code(&self) -> Option<String> {
        match self {
            Error::Api(e) => e.error_code.clone(),
            Error::UnexpectedResponse(e) => e.error_code.clone(),
            Error::Auth(e) => e.response.as_ref().and_then(|r| r.error_code.clone()),
            Error::Transport(_) | Error::InvalidArgument(_) => None,
        }
    }

    /// The request this error belongs to, when it came from one.
    pub fn request(&self) -> Option<&RequestContext> {
        match self {
            Error::Api(e) => e.request.as_ref(),
            Error::UnexpectedResponse(e) => e.request.as_ref(),
            Error::Auth(e) => e.request.as_ref(),
            Error::Transport(e) => e.request.as_ref(),
            Error::InvalidArgument(_) => None,
        }
    }

    /// The `Retry-After` the service sent with this answer, in seconds.
    pub fn retry_after(&self) -> Option<u64> {
        let headers = match self {
            Error::Api(e) => &e.headers,
            Error::UnexpectedResponse(e) => &e.headers,
            _ => return None,
        };
        headers::retry_after(headers).map(|wait| wait.as_secs())
    }

    /// True when the service said, in its own words, that the resource this delete targets does not exist.
    ///
    /// Decided when the answer arrives, by the service's profile. For Atlas that is its documented error
    /// code for a missing resource of that kind in Atlas's error body (400 `API_KEY_NOT_FOUND` for API
    /// keys; see `runtime::atlas::MISSING_RESOURCE_CODES`), never a bare 404,
    /// an HTML page or another service's JSON: a proxy or a base URL with a stray path answers 404 for a route
    /// it does not know, and the key is then still there. A missing organization or project
    /// (`ORG_NOT_FOUND`, `GROUP_NOT_FOUND`) is not "gone" either: most likely the id is wrong.
    ///
    /// The client retries deletes on its own (see [`super::RetryPolicy`]): after a 500, 502 or 504, or a
    /// connection lost once the request was sent, the first attempt may already have removed the key, and
    /// the retry then sees exactly this answer. Callers that only want "the key is gone" can treat it as
    /// success (see [`super::ResultExt::ignore_already_gone`]).
    pub fn is_already_gone(&self) -> bool {
        matches!(self, Error::Api(answer) if answer.already_gone)
    }

    /// True when the call ended with a final 401: the credentials were refused, or the caller is not
    /// authorized for the action ([`AuthErrorKind::Rejected`] or [`AuthErrorKind::NotAuthorized`]).
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Error::Auth(e) if matches!(e.kind, AuthErrorKind::Rejected | AuthErrorKind::NotAuthorized))
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => fmt::Display::fmt(e, f),
            Error::UnexpectedResponse(e) => fmt::Display::fmt(e, f),
            Error::Auth(e) => fmt::Display::fmt(e, f),
            Error::Transport(e) => fmt::Display::fmt(e, f),
            Error::InvalidArgument(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    /// The cause behind the payload, never the payload itself: `Display` already printed the payload, and
    /// returning it again would print its message twice along the chain.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => std::error::Error::source(e.as_ref()),
            Error::Api(_) | Error::UnexpectedResponse(_) | Error::Auth(_) | Error::InvalidArgument(_) => None,
        }
    }
}

impl<E> From<InvalidId> for Error<E> {
    fn from(e: InvalidId) -> Self {
        Error::InvalidArgument(Box::new(InvalidArgument::Id(e)))
    }
}

impl<E> From<ErrorResponse<E>> for Error<E> {
    fn from(e: ErrorResponse<E>) -> Self {
        Error::Api(Box::new(e))
    }
}

impl<E> From<UnexpectedResponse> for Error<E> {
    fn from(e: UnexpectedResponse) -> Self {
        Error::UnexpectedResponse(Box::new(e))
    }
}

impl<E> From<AuthError> for Error<E> {
    fn from(e: AuthError) -> Self {
        Error::Auth(Box::new(e))
    }
}

impl<E> From<TransportError> for Error<E> {
    fn from(e: TransportError) -> Self {
        Error::Transport(Box::new(e))
    }
}

impl<E> From<InvalidArgument> for Error<E> {
    fn from(e: InvalidArgument) -> Self {
        Error::InvalidArgument(Box::new(e))
    }
}

/// Conveniences on operation results.
pub trait ResultExt<T, E> {
    /// Treats "already gone" ([`Error::is_already_gone`]: the service's own code for a missing resource of
    /// that kind, such as 400 `API_KEY_NOT_FOUND`) as success: `Ok(None)`. Any other error stays an error,
    /// a bare 404 included.
    ///
    /// Use it for deletes: the client retries a delete after a 500, 502, 504 or a lost connection (see
    /// [`super::RetryPolicy`]), and when the first attempt reached the service but its answer was lost, the
    /// retry finds the key gone and gets 400 `API_KEY_NOT_FOUND`, not the 204 of the first attempt.
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

#[cfg(test)]
mod tests;
