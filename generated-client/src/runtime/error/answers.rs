//! Error answers the service sent: decoded ([`ErrorResponse`]) or kept raw ([`UnexpectedResponse`]).

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap};

use super::context::{RequestContext, write_prefix};
use super::{body_field, error_code_of};

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
    /// The request that got this answer (`None` for an answer decoded outside a call).
    pub request: Option<RequestContext>,
    /// True when the service said, in its own words, that the resource the request deletes does not exist
    /// (for Atlas: the documented error code for a missing resource of that kind, in Atlas's error body; see
    /// [`Error::is_already_gone`](super::Error::is_already_gone)). Decided when the answer arrives.
    pub already_gone: bool,
}

impl<E> ErrorResponse<E> {
    /// An error answer from its status, decoded body and raw body; no headers, no request. For tests of
    /// code that handles errors: `Error::from(ErrorResponse::new(..).with_request(..))`.
    pub fn new(status: StatusCode, body: E, raw_body: impl Into<Bytes>) -> Self {
        ErrorResponse {
            status,
            body,
            headers: HeaderMap::new(),
            raw_body: raw_body.into(),
            request: None,
            already_gone: false,
        }
    }

    /// Marks the answer as the service saying that the resource the request deletes does not exist (what
    /// a client sets when the answer arrives; for tests of code that handles "already gone").
    pub fn with_already_gone(mut self, already_gone: bool) -> Self {
        self.already_gone = already_gone;
        self
    }

    /// Sets the answer's headers.
    pub fn with_headers(mut self, headers: HeaderMap) -> Self {
        self.headers = headers;
        self
    }

    /// Sets the request the answer belongs to.
    pub fn with_request(mut self, request: RequestContext) -> Self {
        self.request = Some(request);
        self
    }
}

impl<E> fmt::Display for ErrorResponse<E> {
    /// `removeGroupApiKey (DELETE /api/…): the service answered 404 Not Found GROUP_NOT_FOUND: No group
    /// with ID … exists.` Code and detail are read from the raw body, so this needs nothing of `E`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_prefix(f, self.request.as_ref())?;
        write_answer(f, self.status, &self.headers, &self.raw_body)
    }
}

/// `the service answered <status>[ <errorCode>][: <detail>]`, for messages about an answer.
pub(crate) fn describe_answer(status: StatusCode, headers: &HeaderMap, body: &Bytes) -> String {
    struct Answer<'a>(StatusCode, &'a HeaderMap, &'a Bytes);
    impl fmt::Display for Answer<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write_answer(f, self.0, self.1, self.2)
        }
    }
    Answer(status, headers, body).to_string()
}

/// `the service answered <status>[ <errorCode>][: <detail>]`.
pub(super) fn write_answer(
    f: &mut fmt::Formatter<'_>,
    status: StatusCode,
    headers: &HeaderMap,
    body: &Bytes,
) -> fmt::Result {
    write!(f, "the service answered {status}")?;
    if let Some(code) = error_code_of(headers, body) {
        write!(f, " {}", shortened(&code, MAX_CODE))?;
    }
    if let Some(detail) = body_field(body, "detail").filter(|d| !d.is_empty()) {
        write!(f, ": {}", shortened(&detail, MAX_DETAIL))?;
    }
    Ok(())
}

/// How much of the server's text a message quotes: Atlas's codes are a few words and its details a
/// sentence, but a misbehaving server's can be megabytes, which belong in the kept body, not in a log line.
const MAX_CODE: usize = 128;
const MAX_DETAIL: usize = 1024;
const MAX_CONTENT_TYPE: usize = 128;

/// `text` cut after `max` characters, marked with `…` when cut.
pub(crate) fn shortened(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some((end, _)) => Cow::Owned(format!("{}…", &text[..end])),
    }
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
    /// The request that got this answer (`None` for an answer decoded outside a call).
    pub request: Option<RequestContext>,
    /// Where in the JSON body decoding failed (`results[3].eventTypeName`), when it was JSON.
    pub json_path: Option<String>,
}

impl UnexpectedResponse {
    /// An undecodable answer from its parts; `content_type` is read from `headers`.
    pub fn new(status: StatusCode, headers: HeaderMap, body: impl Into<Bytes>, reason: impl Into<String>) -> Self {
        let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
        UnexpectedResponse {
            status,
            content_type,
            headers,
            body: body.into(),
            reason: reason.into(),
            request: None,
            json_path: None,
        }
    }

    /// Sets the request the answer belongs to.
    pub fn with_request(mut self, request: RequestContext) -> Self {
        self.request = Some(request);
        self
    }
}

impl fmt::Display for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_prefix(f, self.request.as_ref())?;
        write!(
            f,
            "unexpected answer {} ({}): {}",
            self.status,
            shortened(self.content_type.as_deref().unwrap_or("no content type"), MAX_CONTENT_TYPE),
            self.reason
        )
    }
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

impl RawAnswer {
    /// A raw answer from its headers and body.
    pub fn new(headers: HeaderMap, body: impl Into<Bytes>) -> Self {
        RawAnswer { headers, body: body.into() }
    }
}
