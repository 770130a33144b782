//! One HTTP exchange: the request on the wire, the answer's head, and its body read within the limit (or,
//! for the final 2xx of a streamed call, left unread). Authentication schemes send their requests through
//! [`send`]; the transport above them decides how many attempts a call makes.

mod echo;

use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::Url;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, USER_AGENT};
use secrecy::{ExposeSecret, SecretString};
use tokio::time::Instant;

use super::body::{ReadError, read_capped};
use super::error::{AuthError, Error, InvalidArgument, RequestContext, TransportError, TransportErrorKind};
use super::profile::Profile;
use super::request::OperationRequest;
use super::response::{RawResponse, encoded_reason};
use echo::Carried;

/// What every exchange of a client shares: the HTTP client and the limits every answer is read within.
pub(crate) struct Wire {
    pub(crate) http: reqwest::Client,
    /// The `User-Agent` every request carries.
    pub(crate) user_agent: String,
    /// How long one attempt may take (buffered: sending to the end of the body; streamed: to the head, then
    /// between chunks).
    pub(crate) timeout: Duration,
    /// The most bytes of one answer's body read into memory.
    pub(crate) max_body_size: usize,
    /// What the runtime knows about the service (its envelope, how its errors read).
    pub(crate) profile: Profile,
}

/// Whether the body of a 2xx answer is read into memory or handed to the caller unread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Every body is read (within the body limit): [`super::Client::execute`].
    Buffered,
    /// A plain 2xx body is left unread: [`super::Client::execute_streaming`].
    Streaming,
}

/// One call's fixed parts, shared by its attempts and exchanges.
pub(crate) struct Call<'a> {
    pub(crate) wire: &'a Wire,
    pub(crate) request: &'a OperationRequest,
    pub(crate) url: Url,
    pub(crate) mode: Mode,
}

impl Call<'_> {
    /// The request target exactly as it goes on the wire: path and query.
    pub(crate) fn target(&self) -> &str {
        &self.url[url::Position::BeforePath..url::Position::AfterQuery]
    }

    fn envelope_requested(&self) -> bool {
        self.wire.profile.envelope.is_some_and(|envelope| (envelope.requested)(self.request))
    }
}

/// Why an attempt ended without an answer for the generated code, before `E` is known.
#[derive(Debug)]
pub(crate) enum Failure {
    Auth(AuthError),
    Transport(TransportError),
    InvalidArgument(InvalidArgument),
}

impl Failure {
    pub(crate) fn into_error<E>(self, request: RequestContext) -> Error<E> {
        match self {
            Failure::Auth(e) => Error::Auth(Box::new(e.with_request(request))),
            Failure::Transport(e) => Error::Transport(Box::new(e.with_request(request))),
            Failure::InvalidArgument(e) => Error::InvalidArgument(Box::new(e)),
        }
    }
}

/// What an exchange sends to authenticate.
pub(crate) enum Credential<'a> {
    /// Nothing.
    None,
    /// An `Authorization` header (digest answer or bearer token), already marked sensitive.
    Header(HeaderValue),
    /// HTTP Basic, encoded by reqwest (which marks the header sensitive).
    Basic { username: &'a str, password: &'a SecretString },
}

/// An answer: its head and read body, plus the unread body of a streamed 2xx.
pub(crate) struct Exchange {
    pub(crate) raw: RawResponse,
    pub(crate) unread: Option<reqwest::Response>,
}

impl Exchange {
    pub(crate) fn status(&self) -> StatusCode {
        self.raw.status
    }
}

/// One HTTP exchange. An answer the caller asked the service to wrap in an envelope is unwrapped before
/// anyone looks at its status, so a 401 or 429 inside an envelope is handled like a bare one.
pub(crate) async fn send(call: &Call<'_>, credential: Credential<'_>) -> Result<Exchange, Failure> {
    let Call { wire: inner, request, url, mode } = call;
    let mut builder = inner
        .http
        .request(request.method.clone(), url.clone())
        .header(ACCEPT, request.accept)
        .header(USER_AGENT, inner.user_agent.as_str());
    builder = match &credential {
        Credential::None => builder,
        Credential::Header(value) => builder.header(AUTHORIZATION, value.clone()),
        Credential::Basic { username, password } => builder.basic_auth(username, Some(password.expose_secret())),
    };
    for (name, value) in &request.headers {
        builder = builder.header(*name, value.as_str());
    }
    if let Some(body) = &request.body {
        // `Bytes` clones share the buffer, so a retried or re-authenticated request costs no copy.
        builder = builder.header(CONTENT_TYPE, body.content_type).body(body.bytes.clone());
    }
    if *mode == Mode::Buffered {
        // reqwest's timeout runs from sending to the end of the body.
        builder = builder.timeout(inner.timeout);
    }
    let built = builder.build().map_err(failed)?;
    let carried = Carried::of(&built, &credential);
    let started = Instant::now();
    let response = match mode {
        Mode::Buffered => inner.http.execute(built).await.map_err(failed)?,
        // No total timeout on a download, which may take as long as it needs: the head must arrive within
        // the attempt timeout, and then each chunk within it of the last (see ByteStream).
        Mode::Streaming => match tokio::time::timeout(inner.timeout, inner.http.execute(built)).await {
            Ok(sent) => sent.map_err(failed)?,
            Err(_) => return Err(timed_out(None)),
        },
    };
    let status = response.status();
    let mut headers = response.headers().clone();
    if *mode == Mode::Streaming
        && status.is_success()
        && !call.envelope_requested()
        && encoded_reason(&headers).is_none()
    {
        let raw = RawResponse::new(status, headers, Bytes::new());
        note_answer(request, &raw);
        return Ok(Exchange { raw, unread: Some(response) });
    }
    let limit = inner.max_body_size;
    let read = read_capped(response, limit);
    let body = match mode {
        Mode::Buffered => read.await,
        Mode::Streaming => match tokio::time::timeout(inner.timeout.saturating_sub(started.elapsed()), read).await {
            Ok(read) => read,
            Err(_) => return Err(timed_out(Some(status))),
        },
    };
    let body = body.map_err(|error| {
        let error = match error {
            ReadError::TooLarge => TransportError::body_too_large(status, limit),
            ReadError::Http(error) => TransportError::from_reqwest(error, 1).with_status(status),
        };
        tracing::debug!(kind = ?error.kind, status = status.as_u16(), "the answer's body was not read");
        Failure::Transport(error)
    })?;
    let mut body = body;
    if !status.is_success() && carried.scrub(&mut headers, &mut body) {
        tracing::debug!(status = status.as_u16(), "the answer echoed the credentials sent; what held them is dropped");
    }
    let mut raw = RawResponse::new(status, headers, body);
    if let Some(envelope) = inner.profile.envelope.filter(|_| call.envelope_requested()) {
        raw = (envelope.unwrap)(raw);
    }
    note_answer(request, &raw);
    Ok(Exchange { raw, unread: None })
}

fn failed(error: reqwest::Error) -> Failure {
    let error = TransportError::from_reqwest(error, 1);
    tracing::debug!(kind = ?error.kind, "no answer");
    Failure::Transport(error)
}

/// The attempt timeout of a streamed call ran out (kept by tokio, so there is no reqwest error to carry).
fn timed_out(status: Option<StatusCode>) -> Failure {
    let mut error = TransportError::new(TransportErrorKind::Timeout, 1);
    error.status = status;
    tracing::debug!(kind = ?error.kind, "no answer");
    Failure::Transport(error)
}

/// Traces the answer, and warns when the API version sent is deprecated.
fn note_answer(request: &OperationRequest, raw: &RawResponse) {
    if let Some(deprecation) = raw.headers.get("deprecation").and_then(|v| v.to_str().ok()) {
        let sunset = raw.headers.get("sunset").and_then(|v| v.to_str().ok()).unwrap_or("not announced");
        tracing::warn!(deprecation, sunset, accept = request.accept, "the API version sent is deprecated");
    }
    tracing::debug!(status = raw.status().as_u16(), "answer");
}
