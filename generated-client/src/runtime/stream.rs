//! Downloads read as they arrive: [`RawStream`] (what [`super::Client::execute_streaming`] returns) and
//! [`ByteStream`] (the body of a successful answer, chunk by chunk).
//!
//! A streamed call authenticates, retries and unwraps an envelope exactly like a buffered one; only the body
//! of its final 2xx answer is left unread. Error answers are read (within the body limit) and decoded as
//! [`RawResponse::into_error`] does, so a failed download reads the same as any failed call.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_util::Stream;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use super::error::{AnswerFacts, Error, RequestContext, TransportError, TransportErrorKind};
use super::response::{ApiResponse, RawResponse, ResponseHeaders, encoded_reason};

/// The answer of a streamed call, before the generated code decodes it: the head, and the body still
/// unread when it is a plain 2xx.
pub struct RawStream {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) request: Option<RequestContext>,
    pub(crate) body: StreamBody,
    /// What the service's profile read from the answer when it arrived.
    pub(crate) facts: AnswerFacts,
}

/// A streamed answer's body: unread, or already read (an error answer, an envelope, an encoded body).
pub(crate) enum StreamBody {
    Read(Bytes),
    Unread(UnreadBody),
}

/// A body left on the connection, with what its chunks need to report a failure.
pub(crate) struct UnreadBody {
    pub(crate) response: reqwest::Response,
    /// How long to wait for each chunk: the attempt timeout.
    pub(crate) idle_timeout: Duration,
    /// The attempts the call made, for the errors of its chunks.
    pub(crate) attempts: u32,
}

impl fmt::Debug for RawStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = match &self.body {
            StreamBody::Read(bytes) => format!("read ({} bytes)", bytes.len()),
            StreamBody::Unread(_) => "unread".to_owned(),
        };
        f.debug_struct("RawStream")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("request", &self.request)
            .field("body", &body)
            .finish()
    }
}

impl RawStream {
    /// A streamed answer whose body is already at hand: for tests of code that decodes downloads (what the
    /// generated `send_stream()` does with it is then exactly what it does with an answer off the wire
    /// whose body was read: a 2xx becomes a one-chunk [`ByteStream`], anything else an error).
    pub fn new(status: StatusCode, headers: HeaderMap, body: impl Into<Bytes>) -> Self {
        RawStream { status, headers, request: None, body: StreamBody::Read(body.into()), facts: AnswerFacts::default() }
    }

    /// Names the request this answers; errors decoded from it carry it.
    pub fn with_request(mut self, request: RequestContext) -> Self {
        self.request = Some(request);
        self
    }

    /// The HTTP status (after unwrapping an `envelope=true` answer: the real status).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers as received.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The outcome of a download: for a 2xx, its body as a [`ByteStream`] (read as the caller polls it;
    /// [`ApiResponse::raw_body`] stays empty); anything else is decoded as an error exactly as
    /// [`RawResponse::into_error`] does. A 2xx body sent with a `Content-Encoding` is an
    /// [`Error::UnexpectedResponse`] (read within the body limit), as for [`RawResponse::decode_bytes`].
    pub fn decode_stream<H: ResponseHeaders, E: DeserializeOwned>(
        self,
    ) -> Result<ApiResponse<ByteStream, H>, Error<E>> {
        let RawStream { status, headers, request, body, facts } = self;
        let body = match body {
            StreamBody::Read(bytes) => {
                let mut raw = RawResponse::new(status, headers, bytes);
                raw.request = request;
                raw.facts = facts;
                if !status.is_success() || encoded_reason(&raw.headers).is_some() {
                    // An encoded 2xx goes the same way as decode_bytes, which refuses it.
                    return raw.decode_bytes::<H, E>().map(|answer| answer.map_body(ByteStream::from_bytes));
                }
                return Ok(ApiResponse {
                    status,
                    headers: H::from_headers(&raw.headers),
                    body: ByteStream::from_bytes(raw.body),
                    raw_headers: raw.headers,
                    raw_body: Bytes::new(),
                });
            }
            StreamBody::Unread(unread) => ByteStream::from_response(unread, request),
        };
        Ok(ApiResponse {
            status,
            headers: H::from_headers(&headers),
            body,
            raw_headers: headers,
            raw_body: Bytes::new(),
        })
    }
}

/// The body of a download, chunk by chunk as it arrives: a [`Stream`] of `Result<Bytes, TransportError>`
/// (use `futures::StreamExt::next`, or [`ByteStream::chunk`] without a futures crate).
///
/// Only the chunk in hand is held, so a download of any size takes constant memory; the body limit of
/// buffered answers does not apply. Each chunk must arrive within the attempt timeout
/// ([`ClientBuilder::timeout`]) of the one before, so a stalled connection ends with a
/// [`TransportErrorKind::Timeout`] rather than a hang; the download as a whole may take as long as it needs.
/// After an error the stream ends.
///
/// [`ClientBuilder::timeout`]: super::ClientBuilder::timeout
pub struct ByteStream {
    chunks: Pin<Box<dyn Stream<Item = Result<Bytes, TransportError>> + Send>>,
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream").finish_non_exhaustive()
    }
}

impl ByteStream {
    /// A stream of one chunk: for tests of code that handles downloads, and for bodies already read.
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        let bytes: Bytes = bytes.into();
        let chunks = if bytes.is_empty() { Vec::new() } else { vec![Ok(bytes)] };
        ByteStream { chunks: Box::pin(futures_util::stream::iter(chunks)) }
    }

    /// The next chunk, `Ok(None)` at the end of the body.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, TransportError> {
        std::future::poll_fn(|cx| self.chunks.as_mut().poll_next(cx)).await.transpose()
    }

    fn from_response(unread: UnreadBody, request: Option<RequestContext>) -> Self {
        struct State {
            response: Option<reqwest::Response>,
            idle_timeout: Duration,
            attempts: u32,
            request: Option<RequestContext>,
        }
        let state = State {
            response: Some(unread.response),
            idle_timeout: unread.idle_timeout,
            attempts: unread.attempts,
            request,
        };
        let chunks = futures_util::stream::unfold(state, |mut state| async move {
            let response = state.response.as_mut()?;
            let status = response.status();
            let failure = match tokio::time::timeout(state.idle_timeout, response.chunk()).await {
                Ok(Ok(Some(chunk))) => return Some((Ok(chunk), state)),
                Ok(Ok(None)) => return None,
                Ok(Err(error)) => TransportError::from_reqwest(error, state.attempts),
                Err(_) => {
                    let mut error = TransportError::new(TransportErrorKind::Timeout, state.attempts);
                    error.status = Some(status);
                    error
                }
            };
            // The stream ends after an error: the connection is gone or in an unknown state.
            state.response = None;
            let mut failure = failure.with_status(status);
            if let Some(request) = state.request.clone() {
                failure = failure.with_request(request);
            }
            Some((Err(failure), state))
        });
        ByteStream { chunks: Box::pin(chunks) }
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.chunks.as_mut().poll_next(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_stream_from_bytes_yields_them_once() {
        let mut stream = ByteStream::from_bytes("abc");
        assert_eq!(stream.chunk().await.unwrap().as_deref(), Some(&b"abc"[..]));
        assert_eq!(stream.chunk().await.unwrap(), None);
        assert_eq!(ByteStream::from_bytes("").chunk().await.unwrap(), None);
    }

    #[test]
    fn an_error_answer_is_decoded_as_into_error_does() {
        let mut headers = HeaderMap::new();
        headers.insert(reqwest::header::CONTENT_TYPE, "application/json".parse().unwrap());
        let stream = RawStream::new(StatusCode::NOT_FOUND, headers, &br#"{"errorCode":"X"}"#[..]);
        let error = stream.decode_stream::<(), serde_json::Value>().unwrap_err();
        assert!(matches!(error, Error::Api(ref e) if e.body["errorCode"] == "X"), "{error:?}");
    }

    #[tokio::test]
    async fn a_success_at_hand_becomes_a_one_chunk_stream_with_no_raw_body() {
        let stream = RawStream::new(StatusCode::OK, HeaderMap::new(), "log lines");
        let mut answer = stream.decode_stream::<(), serde_json::Value>().unwrap();
        assert!(answer.raw_body.is_empty());
        assert_eq!(answer.body.chunk().await.unwrap().as_deref(), Some(&b"log lines"[..]));
        assert_eq!(answer.body.chunk().await.unwrap(), None);
    }
}
