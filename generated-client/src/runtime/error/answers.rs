//! Error answers the service sent: decoded ([`ErrorResponse`]) or kept raw ([`UnexpectedResponse`]).

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap};

use super::context::{RequestContext, write_prefix};

/// What the service's profile read from an error answer when it arrived (the runtime itself knows no
/// service's error body): its error code, its detail, and whether it says that the resource the request
/// deletes does not exist.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct AnswerFacts {
    pub(crate) error_code: Option<String>,
    pub(crate) detail: Option<String>,
    pub(crate) already_gone: bool,
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
    /// The request that got this answer (`None` for an answer decoded outside a call).
    pub request: Option<RequestContext>,
    /// The service's application error code (for Atlas: `X-Error-Code`, else the body's `errorCode`), as
    /// read when the answer arrived.
    pub error_code: Option<String>,
    /// The service's explanation (for Atlas: the body's `detail`), as read when the answer arrived.
    pub detail: Option<String>,
    /// True when the service said, in its own words, that the resource the request deletes does not exist
    /// (for Atlas: the documented error code for a missing resource of that kind, in Atlas's error body; see
    /// [`Error::is_already_gone`](super::Error::is_already_gone)). Decided when the answer arrives.
    pub already_gone: bool,
}

impl<E> ErrorResponse<E> {
    /// An error answer from its status, decoded body and raw body; no headers, no request, no error code
    /// or detail (a client reads those from the answer when it arrives; a test sets them with
    /// [`Self::with_error_code`] and [`Self::with_detail`]). For tests of code that handles errors:
    /// `Error::from(ErrorResponse::new(..).with_error_code("GROUP_NOT_FOUND").with_request(..))`.
    pub fn new(status: StatusCode, body: E, raw_body: impl Into<Bytes>) -> Self {
        ErrorResponse::received(status, body, HeaderMap::new(), raw_body.into(), AnswerFacts::default())
    }

    /// An answer as it arrived, with what the profile read from it.
    pub(crate) fn received(
        status: StatusCode,
        body: E,
        headers: HeaderMap,
        raw_body: Bytes,
        facts: AnswerFacts,
    ) -> Self {
        let AnswerFacts { error_code, detail, already_gone } = facts;
        ErrorResponse { status, body, headers, raw_body, request: None, error_code, detail, already_gone }
    }

    /// Sets the service's error code.
    pub fn with_error_code(mut self, code: impl Into<String>) -> Self {
        self.error_code = Some(code.into());
        self
    }

    /// Sets the service's explanation.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
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
    /// with ID … exists.` Code and detail are the ones read when the answer arrived, so this needs nothing
    /// of `E`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_prefix(f, self.request.as_ref())?;
        write_answer(f, self.status, self.error_code.as_deref(), self.detail.as_deref())
    }
}

/// `the service answered <status>[ <code>][: <detail>]`, for messages about an answer.
pub(crate) fn describe_answer(status: StatusCode, facts: &AnswerFacts) -> String {
    struct Answer<'a>(StatusCode, &'a AnswerFacts);
    impl fmt::Display for Answer<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write_answer(f, self.0, self.1.error_code.as_deref(), self.1.detail.as_deref())
        }
    }
    Answer(status, facts).to_string()
}

/// `the service answered <status>[ <code>][: <detail>]`.
fn write_answer(
    f: &mut fmt::Formatter<'_>,
    status: StatusCode,
    code: Option<&str>,
    detail: Option<&str>,
) -> fmt::Result {
    write!(f, "the service answered {status}")?;
    if let Some(code) = code {
        write!(f, " {}", shortened(code, MAX_CODE))?;
    }
    if let Some(detail) = detail.filter(|d| !d.is_empty()) {
        write!(f, ": {}", shortened(detail, MAX_DETAIL))?;
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
    /// The service's error code, when the answer carried one its profile could read (a header, say, on an
    /// answer whose body could not be decoded).
    pub error_code: Option<String>,
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
            error_code: None,
        }
    }

    /// Sets the service's error code.
    pub fn with_error_code(mut self, code: impl Into<String>) -> Self {
        self.error_code = Some(code.into());
        self
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
    /// The service's error code, as read when the answer arrived.
    pub error_code: Option<String>,
}

impl RawAnswer {
    /// A raw answer from its headers and body, with no error code (a test sets one with
    /// [`Self::with_error_code`]).
    pub fn new(headers: HeaderMap, body: impl Into<Bytes>) -> Self {
        RawAnswer { headers, body: body.into(), error_code: None }
    }

    /// Sets the service's error code.
    pub fn with_error_code(mut self, code: impl Into<String>) -> Self {
        self.error_code = Some(code.into());
        self
    }
}
