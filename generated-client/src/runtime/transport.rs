//! Sending a request: URL, headers, authentication round trips, retries, reading the answer, unwrapping an
//! envelope.
//!
//! One call is a series of attempts (the retry loop); one attempt is a bounded number of exchanges (the first
//! request, one answer to a fresh digest challenge, at most three more answers to challenges the server
//! marks stale, or one retry with a refreshed token). Both numbers are
//! bounded, so no server answer can make the client loop.

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, USER_AGENT, WWW_AUTHENTICATE};
use reqwest::{StatusCode, Url};
use tokio::time::Instant;
use tracing::Instrument as _;

use super::auth::{Authenticator, DigestAuth, DigestTarget, TokenSource, bearer_header, challenge_is_stale};
use super::client::{ClientInner, request_url};
use super::error::{
    AuthError, AuthErrorKind, Error, InvalidArgument, RawAnswer, RequestContext, TransportError, describe_answer,
};
use super::request::OperationRequest;
use super::response::{RawResponse, unwrap_envelope};
use super::retry::{TransportFailure, jitter, retry_after};

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
    /// A static bearer token.
    Bearer,
    /// A service-account token.
    Token,
}

pub(crate) async fn execute<E>(inner: &ClientInner, request: OperationRequest) -> Result<RawResponse, Error<E>> {
    // The path template, never the filled path: ids are not secrets, but they do not belong in every log line.
    let span = tracing::info_span!(
        "atlas_admin.request",
        operation_id = request.operation_id,
        method = %request.method,
        path = request.path_template,
        status = tracing::field::Empty,
        attempt = tracing::field::Empty,
    );
    let outcome = with_retries(inner, &request, &span).instrument(span.clone()).await;
    let context = RequestContext::of(&request);
    match outcome {
        Ok(raw) => Ok(raw.with_request(context)),
        Err(failure) => Err(failure.into_error(context)),
    }
}

async fn with_retries(
    inner: &ClientInner,
    request: &OperationRequest,
    span: &tracing::Span,
) -> Result<RawResponse, Failure> {
    inner.auth.check_allowed(request.security).map_err(Failure::Auth)?;
    let url = request_url(&inner.base_url, request).map_err(Failure::InvalidArgument)?;
    let started = Instant::now();
    let policy = &inner.retry;
    let mut attempt: u32 = 0;
    loop {
        attempt += 1;
        span.record("attempt", attempt);
        let outcome = authenticated_attempt(inner, request, &url).await;
        let reason = match &outcome {
            Ok(raw) => {
                span.record("status", raw.status().as_u16());
                policy.classify_status(&request.method, raw.status(), retry_after(&raw.headers))
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
            return outcome.map_err(|failure| match failure {
                Failure::Transport(mut error) => {
                    error.attempts = attempt;
                    Failure::Transport(error)
                }
                other => other,
            });
        };
        let cause = match &outcome {
            Ok(raw) => format!("status {}", raw.status().as_u16()),
            Err(Failure::Transport(error)) => format!("{:?}", error.kind),
            Err(_) => String::new(),
        };
        tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, cause, "retrying");
        tokio::time::sleep(delay).await;
    }
}

fn transport_failure(error: &TransportError) -> TransportFailure {
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
async fn authenticated_attempt(
    inner: &ClientInner,
    request: &OperationRequest,
    url: &Url,
) -> Result<RawResponse, Failure> {
    if request.security.is_empty() {
        return final_answer(send(inner, request, url, None).await?, Sent::Nothing);
    }
    match &inner.auth {
        Authenticator::None => final_answer(send(inner, request, url, None).await?, Sent::Nothing),
        Authenticator::Bearer(token) => {
            let header = bearer_header(token).map_err(Failure::Auth)?;
            final_answer(send(inner, request, url, Some(header)).await?, Sent::Bearer)
        }
        Authenticator::Digest(digest) => digest_attempt(inner, digest, request, url).await,
        Authenticator::ServiceAccount(source) => token_attempt(inner, source, request, url).await,
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
async fn digest_attempt(
    inner: &ClientInner,
    digest: &DigestAuth,
    request: &OperationRequest,
    url: &Url,
) -> Result<RawResponse, Failure> {
    // The digest covers the request target exactly as it goes on the wire: path and query.
    let uri = &url[url::Position::BeforePath..url::Position::AfterQuery];
    let target = DigestTarget { method: request.method.as_str(), uri };
    let known = digest.known_authorization(target);
    let reused = known.is_some();
    let mut challenge = send(inner, request, url, known).await?;
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
        let answer = match digest.answer(&challenge.headers, target) {
            Ok(answer) => answer,
            Err(error) => {
                let summary = describe_answer(challenge.status(), &challenge.headers, &challenge.body);
                let message = format!("authentication failed: {} ({summary})", error.message);
                let answer = RawAnswer::new(challenge.headers, challenge.body);
                return Err(Failure::Auth(AuthError::new(error.kind, message).with_answer(challenge.status, answer)));
            }
        };
        let answered = send(inner, request, url, Some(answer)).await?;
        if answered.status() != StatusCode::UNAUTHORIZED {
            return Ok(answered);
        }
        if stale_answers < MAX_STALE_ANSWERS && challenge_is_stale(&answered.headers) {
            stale_answers += 1;
            tracing::debug!(stale_answers, "answered challenge went stale");
            challenge = answered;
            continue;
        }
        if is_challenge(&answered) {
            // The nonce was just answered with these credentials and refused; reusing it would only fail again.
            digest.forget_challenge(&challenge.headers);
        }
        return final_answer(answered, Sent::Digest);
    }
}

/// True when a 401 asks for credentials (carries a `WWW-Authenticate` challenge).
fn is_challenge(raw: &RawResponse) -> bool {
    raw.headers.contains_key(WWW_AUTHENTICATE)
}

/// Sends with the cached token; on a 401 with a token that was not fetched by this call, refreshes once and
/// retries once.
async fn token_attempt(
    inner: &ClientInner,
    source: &TokenSource,
    request: &OperationRequest,
    url: &Url,
) -> Result<RawResponse, Failure> {
    let grant = source.token(&inner.http, &inner.user_agent).await.map_err(Failure::Auth)?;
    let header = bearer_header(&grant.value).map_err(Failure::Auth)?;
    let first = send(inner, request, url, Some(header)).await?;
    if first.status() != StatusCode::UNAUTHORIZED || grant.fresh || !source.invalidate(grant.generation).await {
        return final_answer(first, Sent::Token);
    }
    tracing::debug!("refreshing the token after a 401");
    let grant = source.token(&inner.http, &inner.user_agent).await.map_err(Failure::Auth)?;
    let header = bearer_header(&grant.value).map_err(Failure::Auth)?;
    final_answer(send(inner, request, url, Some(header)).await?, Sent::Token)
}

/// A 401 that authentication can do nothing more about ends the call, worded by what happened: a 401
/// that asks for credentials refused the ones sent ([`AuthErrorKind::Rejected`]); one that asks for
/// nothing refused the action ([`AuthErrorKind::NotAuthorized`]).
fn final_answer(raw: RawResponse, sent: Sent) -> Result<RawResponse, Failure> {
    if raw.status() != StatusCode::UNAUTHORIZED {
        return Ok(raw);
    }
    let summary = describe_answer(raw.status(), &raw.headers, &raw.body);
    let (kind, message) = match (sent, is_challenge(&raw)) {
        (Sent::Nothing, _) => {
            (AuthErrorKind::Rejected, format!("no credentials were sent, and the service asks for them: {summary}"))
        }
        (_, false) => (AuthErrorKind::NotAuthorized, format!("not authorized: {summary}")),
        (Sent::Digest, true) => {
            (AuthErrorKind::Rejected, format!("the API key was refused (wrong public or private key?): {summary}"))
        }
        (Sent::Bearer, true) => (AuthErrorKind::Rejected, format!("the bearer token was refused: {summary}")),
        (Sent::Token, true) => (AuthErrorKind::Rejected, format!("the service-account token was refused: {summary}")),
    };
    let status = raw.status();
    Err(Failure::Auth(AuthError::new(kind, message).with_answer(status, RawAnswer::new(raw.headers, raw.body))))
}

/// One HTTP exchange. The answer is unwrapped from an `envelope=true` wrapper before anyone looks at its
/// status, so a 401 or 429 inside an envelope is handled like a bare one.
async fn send(
    inner: &ClientInner,
    request: &OperationRequest,
    url: &Url,
    authorization: Option<HeaderValue>,
) -> Result<RawResponse, Failure> {
    let mut builder = inner
        .http
        .request(request.method.clone(), url.clone())
        .header(ACCEPT, request.accept)
        .header(USER_AGENT, inner.user_agent.as_str())
        .timeout(inner.timeout);
    if let Some(value) = authorization {
        builder = builder.header(AUTHORIZATION, value);
    }
    for (name, value) in &request.headers {
        builder = builder.header(*name, value.as_str());
    }
    if let Some(body) = &request.body {
        // `Bytes` clones share the buffer, so a retried or re-authenticated request costs no copy.
        builder = builder.header(CONTENT_TYPE, body.content_type).body(body.bytes.clone());
    }
    let failed = |error: reqwest::Error| {
        let error = TransportError::from_reqwest(error, 1);
        tracing::debug!(kind = ?error.kind, "no answer");
        Failure::Transport(error)
    };
    let response = builder.send().await.map_err(failed)?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.map_err(failed)?;
    let mut raw = RawResponse::new(status, headers, body);
    if request.wants_envelope() {
        raw = unwrap_envelope(raw);
    }
    if let Some(deprecation) = raw.headers.get("deprecation").and_then(|v| v.to_str().ok()) {
        let sunset = raw.headers.get("sunset").and_then(|v| v.to_str().ok()).unwrap_or("not announced");
        tracing::warn!(deprecation, sunset, accept = request.accept, "the API version sent is deprecated");
    }
    tracing::debug!(status = raw.status().as_u16(), "answer");
    Ok(raw)
}
