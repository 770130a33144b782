//! Sending a request: the attempts of one call (retries, and the pacing that keeps them under the
//! service's rate limit), each attempt handed to the configured authentication scheme, which sends the
//! exchanges it needs through `wire`.
//!
//! One call is a series of attempts (the retry loop); one attempt is a bounded number of exchanges (the
//! scheme's round trips). Both numbers are bounded, so no server answer can make the client loop.

use reqwest::Url;
use tokio::time::Instant;
use tracing::Instrument as _;

use super::auth::{AuthScheme, NoCredentials};
use super::error::{Error, RequestContext, TransportError, TransportErrorKind};
use super::headers;
use super::pacing::Pacer;
use super::profile::Profile;
use super::request::OperationRequest;
use super::response::RawResponse;
use super::retry::{RetryPolicy, TransportFailure, jitter};
use super::stream::{RawStream, StreamBody, UnreadBody};
use super::wire::{Call, Exchange, Failure, Mode, Wire};

/// Everything a client's calls share: the wire, where requests go, the credentials, the retry policy,
/// the pacing budget, and what the runtime knows about the service.
pub(crate) struct Engine {
    pub(crate) wire: Wire,
    pub(crate) base_url: Url,
    pub(crate) auth: Box<dyn AuthScheme>,
    pub(crate) retry: RetryPolicy,
    pub(crate) pacer: Pacer,
}

impl Engine {
    pub(crate) fn profile(&self) -> &Profile {
        &self.wire.profile
    }

    /// A call whose every answer is read into memory (within the body limit).
    pub(crate) async fn execute<E>(&self, request: OperationRequest) -> Result<RawResponse, Error<E>> {
        let (outcome, context) = self.call(&request, Mode::Buffered).await;
        let (exchange, _) = outcome.map_err(|failure| failure.into_error(context.clone()))?;
        let mut raw = exchange.raw.with_request(context);
        raw.facts = self.profile().facts(&request, raw.status, &raw.headers, &raw.body);
        Ok(raw)
    }

    /// A call whose final plain 2xx body is left unread, for the caller to stream.
    pub(crate) async fn execute_streaming<E>(&self, request: OperationRequest) -> Result<RawStream, Error<E>> {
        let (outcome, context) = self.call(&request, Mode::Streaming).await;
        let (exchange, attempts) = outcome.map_err(|failure| failure.into_error(context.clone()))?;
        let Exchange { raw, unread } = exchange;
        let facts = self.profile().facts(&request, raw.status, &raw.headers, &raw.body);
        let body = match unread {
            Some(response) => StreamBody::Unread(UnreadBody { response, idle_timeout: self.wire.timeout, attempts }),
            None => StreamBody::Read(raw.body),
        };
        Ok(RawStream { status: raw.status, headers: raw.headers, request: Some(context), body, facts })
    }

    /// One call in the profile's tracing span: the final exchange and the number of attempts it took, or
    /// why it failed.
    async fn call(&self, request: &OperationRequest, mode: Mode) -> (Result<(Exchange, u32), Failure>, RequestContext) {
        let span = (self.profile().span)(request);
        let outcome = self.with_retries(request, mode, &span).instrument(span.clone()).await;
        (outcome, request.context())
    }

    async fn with_retries(
        &self,
        request: &OperationRequest,
        mode: Mode,
        span: &tracing::Span,
    ) -> Result<(Exchange, u32), Failure> {
        // An operation that needs no credentials is sent without any, whatever the client holds.
        let scheme: &dyn AuthScheme = if request.security.is_empty() { &NoCredentials } else { self.auth.as_ref() };
        scheme.check_allowed(request.security).map_err(Failure::Auth)?;
        let url = request.url(&self.base_url).map_err(Failure::InvalidArgument)?;
        let call = Call { wire: &self.wire, request, url, mode };
        let scope = self.pacer.scope(request);
        let started = Instant::now();
        let policy = &self.retry;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            let ticket = self.pacer.acquire(&scope).await;
            let outcome = scheme.attempt(&call).await;
            let reason = match &outcome {
                Ok(exchange) => {
                    span.record("status", exchange.status().as_u16());
                    let answer_headers = &exchange.raw.headers;
                    self.pacer.observe(&scope, ticket, exchange.status(), answer_headers);
                    policy.classify_status(&request.method, exchange.status(), headers::retry_after(answer_headers))
                }
                Err(Failure::Transport(error)) => {
                    self.pacer.release(&scope, ticket);
                    policy.classify_transport(&request.method, transport_failure(error))
                }
                Err(Failure::Auth(error)) => {
                    self.pacer.release(&scope, ticket);
                    if let Some(status) = error.status {
                        span.record("status", status.as_u16());
                    }
                    None
                }
                Err(Failure::InvalidArgument(_)) => {
                    self.pacer.release(&scope, ticket);
                    None
                }
            };
            let delay = reason.and_then(|reason| policy.delay(reason, attempt, started.elapsed(), jitter()));
            let Some(delay) = delay else {
                return match outcome {
                    Ok(exchange) => Ok((exchange, attempt)),
                    Err(Failure::Transport(mut error)) => {
                        error.attempts = attempt;
                        Err(Failure::Transport(error))
                    }
                    Err(other) => Err(other),
                };
            };
            let cause = match &outcome {
                Ok(exchange) => format!("status {}", exchange.status().as_u16()),
                Err(Failure::Transport(error)) => format!("{:?}", error.kind),
                Err(_) => String::new(),
            };
            tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, cause, "retrying");
            tokio::time::sleep(delay).await;
        }
    }
}

/// How a failed attempt counts for retries. A malformed answer and a body past the limit are permanent: the
/// same server would most likely answer the same way, and repeating would only cost its time again.
fn transport_failure(error: &TransportError) -> TransportFailure {
    match error.kind {
        TransportErrorKind::Protocol | TransportErrorKind::BodyTooLarge => return TransportFailure::Permanent,
        TransportErrorKind::Timeout => return TransportFailure::TimedOut,
        _ => {}
    }
    let Some(source) = &error.source else { return TransportFailure::Permanent };
    if source.is_timeout() {
        TransportFailure::TimedOut
    } else if source.is_connect() {
        TransportFailure::NotConnected
    } else if source.is_request() || source.is_body() || source.is_decode() {
        TransportFailure::Broken
    } else {
        TransportFailure::Permanent
    }
}
