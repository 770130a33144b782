//! Sending a request: authentication round trips and retries around the exchanges of `exchange.rs` (URL,
//! headers, reading the answer within the body limit, unwrapping an envelope).
//!
//! One call is a series of attempts (the retry loop); one attempt is a bounded number of exchanges (the first
//! request, one answer to a fresh digest challenge, at most three more answers to challenges the server
//! marks stale, or one retry with a refreshed token). Both numbers are
//! bounded, so no server answer can make the client loop.

mod echo;
mod exchange;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, WWW_AUTHENTICATE};
use tokio::time::Instant;
use tracing::Instrument as _;

use super::atlas;
use super::auth::{Authenticator, DigestAuth, DigestTarget, TokenSource, bearer_header, challenge_is_stale};
use super::client::{ClientInner, request_url};
use super::error::{
    AuthError, AuthErrorKind, Error, InvalidArgument, RawAnswer, RequestContext, TransportError, TransportErrorKind,
    describe_answer,
};
use super::request::OperationRequest;
use super::response::RawResponse;
use super::retry::{TransportFailure, jitter, retry_after};
use super::stream::{RawStream, StreamBody, UnreadBody};
use exchange::{Call, Credential, Exchange, Mode, send};

/// Why a call ended without an answer for the generated code, before `E` is known.
enum Failure {
    Auth(AuthError),
    Transport(TransportError),
    InvalidArgument(InvalidArgument),
}

impl Failure {
    fn into_error<E>(self, request: RequestContext) -> Error<E> {
        match self {
            Failure::Auth(e) => Error::Auth(Box::new(e.with_request(request))),
            Failure::Transport(e) => Error::Transport(Box::new(e.with_request(request))),
            Failure::InvalidArgument(e) => Error::InvalidArgument(Box::new(e)),
        }
    }
}

/// What a request carried, which decides how a final 401 is worded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sent {
    /// No credentials (none configured, or the operation needs none).
    Nothing,
    /// A digest answer.
    Digest,
    /// A user name and password (HTTP Basic).
    Basic,
    /// A static bearer token.
    Bearer,
    /// A service-account token.
    Token,
}

pub(crate) async fn execute<E>(inner: &ClientInner, request: OperationRequest) -> Result<RawResponse, Error<E>> {
    let (outcome, context) = call(inner, &request, Mode::Buffered).await;
    match outcome {
        Ok((exchange, _)) => {
            let mut raw = exchange.raw.with_request(context);
            raw.already_gone = already_gone(&request, raw.status, &raw.headers, &raw.body);
            Ok(raw)
        }
        Err(failure) => Err(failure.into_error(context)),
    }
}

/// Whether an error answer says, in the service's own words, that what the request deletes does not exist.
fn already_gone(request: &OperationRequest, status: StatusCode, headers: &HeaderMap, body: &Bytes) -> bool {
    !status.is_success() && atlas::errors::already_gone(&request.method, request.path_template, status, headers, body)
}

pub(crate) async fn execute_streaming<E>(
    inner: &ClientInner,
    request: OperationRequest,
) -> Result<RawStream, Error<E>> {
    let (outcome, context) = call(inner, &request, Mode::Streaming).await;
    let (exchange, attempts) = outcome.map_err(|failure| failure.into_error(context.clone()))?;
    let Exchange { raw, unread } = exchange;
    let already_gone = already_gone(&request, raw.status, &raw.headers, &raw.body);
    let body = match unread {
        Some(response) => StreamBody::Unread(UnreadBody { response, idle_timeout: inner.timeout, attempts }),
        None => StreamBody::Read(raw.body),
    };
    Ok(RawStream { status: raw.status, headers: raw.headers, request: Some(context), body, already_gone })
}

/// One call in a tracing span: the final exchange and the number of attempts it took, or why it failed.
async fn call(
    inner: &ClientInner,
    request: &OperationRequest,
    mode: Mode,
) -> (Result<(Exchange, u32), Failure>, RequestContext) {
    // The path template, never the filled path: ids are not secrets, but they do not belong in every log line.
    let span = tracing::info_span!(
        "atlas_admin.request",
        operation_id = request.operation_id,
        method = %request.method,
        path = request.path_template,
        status = tracing::field::Empty,
        attempt = tracing::field::Empty,
    );
    let outcome = with_retries(inner, request, mode, &span).instrument(span.clone()).await;
    (outcome, RequestContext::of(request))
}

async fn with_retries(
    inner: &ClientInner,
    request: &OperationRequest,
    mode: Mode,
    span: &tracing::Span,
) -> Result<(Exchange, u32), Failure> {
    inner.auth.check_allowed(request.security).map_err(Failure::Auth)?;
    let url = request_url(&inner.base_url, request).map_err(Failure::InvalidArgument)?;
    let call = Call { inner, request, url, mode };
    let started = Instant::now();
    let policy = &inner.retry;
    let mut attempt: u32 = 0;
    loop {
        attempt += 1;
        span.record("attempt", attempt);
        let outcome = authenticated_attempt(&call).await;
        let reason = match &outcome {
            Ok(exchange) => {
                span.record("status", exchange.status().as_u16());
                policy.classify_status(&request.method, exchange.status(), retry_after(&exchange.raw.headers))
            }
            Err(Failure::Transport(error)) => policy.classify_transport(&request.method, transport_failure(error)),
            Err(Failure::Auth(error)) => {
                if let Some(status) = error.status {
                    span.record("status", status.as_u16());
                }
                None
            }
            Err(Failure::InvalidArgument(_)) => None,
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

/// One attempt, including the authentication round trip it may need.
async fn authenticated_attempt(call: &Call<'_>) -> Result<Exchange, Failure> {
    if call.request.security.is_empty() {
        return final_answer(send(call, Credential::None).await?, Sent::Nothing);
    }
    match &call.inner.auth {
        Authenticator::None => final_answer(send(call, Credential::None).await?, Sent::Nothing),
        Authenticator::Bearer(token) => {
            let header = bearer_header(token).map_err(Failure::Auth)?;
            final_answer(send(call, Credential::Header(header)).await?, Sent::Bearer)
        }
        Authenticator::Basic { username, password } => {
            final_answer(send(call, Credential::Basic { username, password }).await?, Sent::Basic)
        }
        Authenticator::Digest(digest) => digest_attempt(call, digest).await,
        Authenticator::ServiceAccount(source) => token_attempt(call, source).await,
    }
}

/// How many more times a challenge marked `stale=true` is answered after the first answer. Concurrent
/// calls that share a nonce reach the server with their `nc` out of order, and a strict server answers the
/// late ones with a fresh, stale challenge; the credentials were right, so answering again is correct.
/// Bounded, so a server that always says stale cannot make the client loop.
const MAX_STALE_ANSWERS: u32 = 3;

/// Sends with the known nonce when there is one; on a 401 (no nonce yet, a stale one, or one the server
/// dropped) answers the fresh challenge. A 401 to that answer is final (the credentials are wrong) unless
/// the server marks it `stale=true`, which is answered again a bounded number of times.
async fn digest_attempt(call: &Call<'_>, digest: &DigestAuth) -> Result<Exchange, Failure> {
    // The digest covers the request target exactly as it goes on the wire: path and query.
    let uri = &call.url[url::Position::BeforePath..url::Position::AfterQuery];
    let target = DigestTarget { method: call.request.method.as_str(), uri };
    let known = digest.known_authorization(target);
    let reused = known.is_some();
    let mut challenge = send(call, known.map_or(Credential::None, Credential::Header)).await?;
    if challenge.status() != StatusCode::UNAUTHORIZED {
        return Ok(challenge);
    }
    if reused && !is_challenge(&challenge) {
        // The reused nonce was answered and the service asks for nothing else: it knows who is calling and
        // refuses the action (a key of another organization gets 401 USER_UNAUTHORIZED). Not a protocol
        // fault, and the nonce stays good for the calls that are allowed.
        return final_answer(challenge, Sent::Digest);
    }
    tracing::debug!(reused_nonce = reused, "digest challenge");
    let mut stale_answers = 0;
    loop {
        let answer = match digest.answer(&challenge.raw.headers, target) {
            Ok(answer) => answer,
            Err(error) => {
                let raw = challenge.raw;
                let summary = describe_answer(raw.status, &raw.headers, &raw.body);
                let message = format!("authentication failed: {} ({summary})", error.message);
                let answer = RawAnswer::new(raw.headers, raw.body);
                return Err(Failure::Auth(AuthError::new(error.kind, message).with_answer(raw.status, answer)));
            }
        };
        let answered = send(call, Credential::Header(answer)).await?;
        if answered.status() != StatusCode::UNAUTHORIZED {
            return Ok(answered);
        }
        if stale_answers < MAX_STALE_ANSWERS && challenge_is_stale(&answered.raw.headers) {
            stale_answers += 1;
            tracing::debug!(stale_answers, "answered challenge went stale");
            challenge = answered;
            continue;
        }
        if is_challenge(&answered) {
            // The nonce was just answered with these credentials and refused; reusing it would only fail again.
            digest.forget_challenge(&challenge.raw.headers);
        }
        return final_answer(answered, Sent::Digest);
    }
}

/// True when a 401 asks for credentials (carries a `WWW-Authenticate` challenge).
fn is_challenge(exchange: &Exchange) -> bool {
    exchange.raw.headers.contains_key(WWW_AUTHENTICATE)
}

/// Sends with the cached token; on a 401 with a token that was not fetched by this call, refreshes once and
/// retries once.
async fn token_attempt(call: &Call<'_>, source: &TokenSource) -> Result<Exchange, Failure> {
    let inner = call.inner;
    let grant = source.token(&inner.http, &inner.user_agent).await.map_err(Failure::Auth)?;
    let header = bearer_header(&grant.value).map_err(Failure::Auth)?;
    let first = send(call, Credential::Header(header)).await?;
    if first.status() != StatusCode::UNAUTHORIZED || grant.fresh || !source.invalidate(grant.generation).await {
        return final_answer(first, Sent::Token);
    }
    tracing::debug!("refreshing the token after a 401");
    let grant = source.token(&inner.http, &inner.user_agent).await.map_err(Failure::Auth)?;
    let header = bearer_header(&grant.value).map_err(Failure::Auth)?;
    final_answer(send(call, Credential::Header(header)).await?, Sent::Token)
}

/// A 401 that authentication can do nothing more about ends the call, worded by what happened: a 401
/// that asks for credentials refused the ones sent ([`AuthErrorKind::Rejected`]); one that asks for
/// nothing refused the action ([`AuthErrorKind::NotAuthorized`]).
fn final_answer(exchange: Exchange, sent: Sent) -> Result<Exchange, Failure> {
    if exchange.status() != StatusCode::UNAUTHORIZED {
        return Ok(exchange);
    }
    let challenged = is_challenge(&exchange);
    let raw = exchange.raw;
    let summary = describe_answer(raw.status(), &raw.headers, &raw.body);
    let (kind, message) = match (sent, challenged) {
        (Sent::Nothing, _) => {
            (AuthErrorKind::Rejected, format!("no credentials were sent, and the service asks for them: {summary}"))
        }
        (_, false) => (AuthErrorKind::NotAuthorized, format!("not authorized: {summary}")),
        (Sent::Digest, true) => {
            (AuthErrorKind::Rejected, format!("the API key was refused (wrong public or private key?): {summary}"))
        }
        (Sent::Basic, true) => (AuthErrorKind::Rejected, format!("the user name and password were refused: {summary}")),
        (Sent::Bearer, true) => (AuthErrorKind::Rejected, format!("the bearer token was refused: {summary}")),
        (Sent::Token, true) => (AuthErrorKind::Rejected, format!("the service-account token was refused: {summary}")),
    };
    let status = raw.status();
    Err(Failure::Auth(AuthError::new(kind, message).with_answer(status, RawAnswer::new(raw.headers, raw.body))))
}
