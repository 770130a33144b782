//! The hostile-server suite: each case of `atlas_admin_tests::hostile` against its server on loopback, with
//! the typed outcome it must end in, how many requests it may cost, and what may reach which server.
//!
//! Every call runs under `within_deadline` (15 s), a bound generous enough to only catch a hang; the time
//! and memory each case takes are measured by `benches/hostile_servers.rs` (BENCHMARKS.md section 7).

use std::time::Duration;

use atlas_admin::Error;
use atlas_admin::runtime::{AuthErrorKind, DEFAULT_MAX_BODY_SIZE, TransportErrorKind};
use atlas_admin_tests::hostile::{Case, Run, Settings, Success, TOKEN, delete, run};

use super::within_deadline;

async fn run_case(case: Case) -> Run {
    run_with(case, Settings::default()).await
}

async fn run_with(case: Case, settings: Settings) -> Run {
    within_deadline(run(case, &settings)).await
}

/// The transport error a case must end in, with its kind and attempts.
fn transport_error(run: &Run, kind: TransportErrorKind, attempts: u32) -> &atlas_admin::runtime::TransportError {
    let Err(Error::Transport(error)) = &run.outcome else {
        panic!("expected a transport error, got {:?}", run.outcome)
    };
    assert_eq!((error.kind, error.attempts), (kind, attempts), "{error:?}");
    assert!(error.request.is_some(), "the error names its request");
    error
}

/// Every request the server received carried the client's bearer token, and only that.
fn every_request_carried_the_token(run: &Run) {
    for request in run.server.requests() {
        assert_eq!(request.header("authorization"), Some(format!("Bearer {TOKEN}").as_str()), "{request:?}");
    }
}

#[tokio::test]
async fn the_baseline_succeeds_with_one_request() {
    let run = run_case(Case::Baseline).await;
    assert_eq!(run.outcome.as_ref().ok(), Some(&Success { status: 204, body_bytes: 0, largest_chunk: 0 }));
    assert_eq!(run.server.count(), 1);
    every_request_carried_the_token(&run);
}

#[tokio::test]
async fn a_body_shorter_than_its_content_length_is_a_body_error_retried_for_a_delete() {
    let run = run_case(Case::ShortBody).await;
    // The connection broke mid-answer, as a lost connection does: a DELETE is idempotent, so the policy's
    // 4 attempts are made.
    let error = transport_error(&run, TransportErrorKind::Body, 4);
    assert_eq!(error.status.map(|s| s.as_u16()), Some(404), "the head arrived");
    assert_eq!(run.server.count(), 4);
}

#[tokio::test]
async fn a_content_length_of_a_terabyte_is_refused_before_reading() {
    let run = run_case(Case::DeclaredHugeBody).await;
    let error = transport_error(&run, TransportErrorKind::BodyTooLarge, 1);
    assert_eq!(error.status.map(|s| s.as_u16()), Some(200));
    assert_eq!(error.body_limit, Some(DEFAULT_MAX_BODY_SIZE));
    assert_eq!(run.server.count(), 1, "past the limit is not retried");
    let message = run.outcome.as_ref().unwrap_err().to_string();
    assert!(message.contains(&format!("limit of {DEFAULT_MAX_BODY_SIZE} bytes")), "{message}");
}

#[tokio::test]
async fn an_endless_fast_body_stops_at_the_limit() {
    let run = run_case(Case::EndlessFastBody).await;
    let error = transport_error(&run, TransportErrorKind::BodyTooLarge, 1);
    assert_eq!(error.status.map(|s| s.as_u16()), Some(200));
    assert_eq!(run.server.count(), 1);
}

#[tokio::test]
async fn a_long_body_past_a_lowered_limit_stops_there() {
    let settings = Settings { max_body_size: Some(1024 * 1024), long_body: 8 * 1024 * 1024, ..Settings::default() };
    let run = run_with(Case::LongBodyPastTheLimit, settings).await;
    let error = transport_error(&run, TransportErrorKind::BodyTooLarge, 1);
    assert_eq!(error.body_limit, Some(1024 * 1024));
}

#[tokio::test]
async fn a_long_body_under_a_raised_limit_is_read_whole() {
    let long_body = 8 * 1024 * 1024;
    let settings =
        Settings { max_body_size: Some(1024), raised_limit: long_body as usize, long_body, ..Settings::default() };
    let run = run_with(Case::LongBodyUnderARaisedLimit, settings).await;
    let success = run.outcome.as_ref().expect("the limit was raised to the body's size");
    assert_eq!((success.status, success.body_bytes), (200, long_body), "a body exactly at the limit is kept");
}

#[tokio::test]
async fn a_streamed_download_far_past_the_limit_arrives_in_small_chunks() {
    // A 1 MiB limit on everything read whole, and a 64 MiB download: only a stream can hand it over.
    let settings = Settings { max_body_size: Some(1024 * 1024), long_body: 64 * 1024 * 1024, ..Settings::default() };
    let run = run_with(Case::StreamedDownload, settings).await;
    let success = run.outcome.as_ref().expect("the download arrives");
    assert_eq!((success.status, success.body_bytes), (200, 64 * 1024 * 1024));
    assert!(success.largest_chunk <= 1024 * 1024, "chunks of at most {} bytes", success.largest_chunk);
    assert_eq!(run.server.count(), 1);
}

#[tokio::test]
async fn an_endless_header_is_a_protocol_error_sent_once() {
    let run = run_case(Case::HugeHeader).await;
    transport_error(&run, TransportErrorKind::Protocol, 1);
    assert_eq!(run.server.count(), 1, "a malformed answer is not retried");
}

#[tokio::test]
async fn countless_headers_are_a_protocol_error_sent_once() {
    let run = run_case(Case::CountlessHeaders).await;
    transport_error(&run, TransportErrorKind::Protocol, 1);
    assert_eq!(run.server.count(), 1);
}

#[tokio::test]
async fn garbage_instead_of_http_is_a_protocol_error_sent_once() {
    let run = run_case(Case::Garbage).await;
    let error = transport_error(&run, TransportErrorKind::Protocol, 1);
    assert!(std::error::Error::source(error).is_some(), "the HTTP stack's error is kept as the source");
    assert_eq!(run.server.count(), 1, "not the four attempts of a lost connection");
    let message = run.outcome.as_ref().unwrap_err().to_string();
    assert!(message.ends_with("no answer after 1 attempt(s): the server's answer is not valid HTTP"), "{message}");
}

#[tokio::test]
async fn invalid_utf8_is_an_unexpected_response_kept_raw() {
    let run = run_case(Case::InvalidUtf8).await;
    let error = run.outcome.as_ref().unwrap_err();
    let Error::UnexpectedResponse(answer) = error else { panic!("expected UnexpectedResponse, got {error:?}") };
    assert_eq!(answer.status.as_u16(), 404);
    assert!(answer.body.windows(2).any(|w| w == b"\xff\xfe"), "the body is kept byte for byte");
    assert_eq!(error.error_code(), None, "neither the header nor the body can be read as text");
    assert!(error.to_string().contains("404"), "{error}");
    assert_eq!(run.server.count(), 1);
}

#[tokio::test]
async fn json_nested_a_hundred_thousand_deep_is_an_unexpected_response_without_overflow() {
    let run = run_case(Case::DeepJson).await;
    let error = run.outcome.as_ref().unwrap_err();
    let Error::UnexpectedResponse(answer) = error else { panic!("expected UnexpectedResponse, got {error:?}") };
    assert!(answer.reason.contains("recursion limit"), "{}", answer.reason);
    assert!(answer.body.len() > 200_000, "kept whole: {} bytes", answer.body.len());
    // Display and error_code parse the body again, bounded by the same recursion limit: the code comes from
    // the body only if it parses, and it does not.
    assert!(error.to_string().contains("404") && error.error_code().is_none(), "{error}");
    assert_eq!(run.server.count(), 1);
}

#[tokio::test]
async fn a_gzip_body_nobody_asked_for_is_kept_raw_and_named() {
    let run = run_case(Case::Gzip).await;
    let error = run.outcome.as_ref().unwrap_err();
    let Error::UnexpectedResponse(answer) = error else { panic!("expected UnexpectedResponse, got {error:?}") };
    assert_eq!(answer.status.as_u16(), 404);
    assert!(answer.reason.contains(r#"Content-Encoding "gzip""#), "{}", answer.reason);
    assert_eq!(&answer.body[..2], b"\x1f\x8b", "the gzip bytes as received");
    let request = &run.server.requests()[0];
    assert_eq!(request.header("accept-encoding"), None, "the client asks for no encoding");
}

#[tokio::test]
async fn a_body_dripping_forever_ends_at_the_attempt_timeout() {
    let run = run_case(Case::DripForever).await;
    let error = transport_error(&run, TransportErrorKind::Timeout, 1);
    assert_eq!(error.status.map(|s| s.as_u16()), Some(200), "the head arrived, the body never ended");
    assert_eq!(run.server.count(), 1, "a timed-out attempt is not retried by default");
    assert!(run.elapsed >= Duration::from_millis(900), "ended by the 1 s timeout, not before: {:?}", run.elapsed);
}

#[tokio::test]
async fn a_server_that_accepts_and_never_answers_ends_at_the_attempt_timeout() {
    let run = run_case(Case::AcceptNeverAnswer).await;
    transport_error(&run, TransportErrorKind::Timeout, 1);
    assert_eq!(run.server.connections(), 1);
}

/// A 307 elsewhere is returned as the answer, not followed: the server it points to never hears of it.
fn not_followed(run: &Run) {
    let error = run.outcome.as_ref().unwrap_err();
    let Error::UnexpectedResponse(answer) = error else { panic!("expected UnexpectedResponse, got {error:?}") };
    assert_eq!(answer.status.as_u16(), 307);
    let location = answer.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let elsewhere = run.elsewhere.as_ref().expect("a redirect case");
    let port = elsewhere.base_url().rsplit(':').next().unwrap();
    assert!(location.contains(&format!(":{port}/")), "{location} points to the other server");
    assert_eq!(elsewhere.connections(), 0, "nothing reached {location}");
    assert_eq!(run.server.count(), 1);
    every_request_carried_the_token(run);
}

#[tokio::test]
async fn a_redirect_to_another_port_is_not_followed() {
    not_followed(&run_case(Case::RedirectOtherPort).await);
}

#[tokio::test]
async fn a_redirect_to_another_host_is_not_followed() {
    not_followed(&run_case(Case::RedirectOtherHost).await);
}

#[tokio::test]
async fn a_redirect_followed_by_a_callers_own_client_leaves_the_credentials_behind() {
    let run = run_case(Case::RedirectFollowedByOwnClient).await;
    assert_eq!(run.outcome.as_ref().map(|s| s.status).ok(), Some(204), "{:?}", run.outcome);
    every_request_carried_the_token(&run);
    let elsewhere = run.elsewhere.as_ref().unwrap().requests();
    assert_eq!(elsewhere.len(), 1, "the caller's client followed the redirect");
    assert_eq!(elsewhere[0].header("authorization"), None, "{:?}", elsewhere[0]);
}

#[tokio::test]
async fn a_digest_challenge_with_a_10_kib_nonce_is_refused_unanswered() {
    let run = run_case(Case::DigestHugeNonce).await;
    let error = run.outcome.as_ref().unwrap_err();
    let Error::Auth(auth) = error else { panic!("expected an auth error, got {error:?}") };
    assert_eq!(auth.kind, AuthErrorKind::MalformedChallenge, "{error}");
    assert!(!error.to_string().contains(&"n".repeat(64)), "the nonce is not echoed: {error}");
    assert_eq!(run.server.count(), 1, "the challenge is not answered");
    assert_eq!(run.server.requests()[0].header("authorization"), None);
}

#[tokio::test]
async fn a_digest_challenge_for_an_unknown_algorithm_is_refused_unanswered() {
    let run = run_case(Case::DigestUnknownAlgorithm).await;
    let error = run.outcome.as_ref().unwrap_err();
    let Error::Auth(auth) = error else { panic!("expected an auth error, got {error:?}") };
    assert_eq!(auth.kind, AuthErrorKind::MalformedChallenge, "{error}");
    assert_eq!(run.server.count(), 1);
}

/// A `Retry-After` past the retry budget: the answer comes back at once, decoded, with its `Retry-After`.
fn returned_at_once(run: &Run) -> &Error {
    let error = run.outcome.as_ref().unwrap_err();
    assert!(matches!(error, Error::Api(e) if e.status.as_u16() == 503), "{error:?}");
    assert_eq!(error.error_code().as_deref(), Some("SERVICE_UNAVAILABLE"));
    assert_eq!(run.server.count(), 1, "no retry: the wait would end past the 10 s budget");
    // Not a timing test: far below the 10 s budget, to show the client did not wait at all.
    assert!(run.elapsed < Duration::from_secs(5), "{:?}", run.elapsed);
    error
}

#[tokio::test]
async fn a_retry_after_of_days_returns_the_answer_at_once() {
    let run = run_case(Case::RetryAfterDays).await;
    assert_eq!(returned_at_once(&run).retry_after(), Some(259_200), "the caller can still read it");
}

#[tokio::test]
async fn a_retry_after_too_large_for_a_u64_returns_the_answer_at_once() {
    let run = run_case(Case::RetryAfterPastU64).await;
    returned_at_once(&run);
}

#[tokio::test]
async fn a_negative_retry_after_counts_as_absent_and_backs_off() {
    let run = run_case(Case::RetryAfterNegative).await;
    let error = run.outcome.as_ref().unwrap_err();
    assert!(matches!(error, Error::Api(e) if e.status.as_u16() == 503), "{error:?}");
    assert_eq!(run.server.count(), 4, "retried with backoff, as a 503 without Retry-After");
}

#[tokio::test]
async fn a_body_on_a_204_is_not_read_nor_taken_for_the_next_answer() {
    let run = run_case(Case::BodyOn204).await;
    assert_eq!(run.outcome.as_ref().ok(), Some(&Success { status: 204, body_bytes: 0, largest_chunk: 0 }));
    // The bytes after the 204's head look like a 200: the next call must not read them as its answer.
    for _ in 0..3 {
        let next = within_deadline(delete(&run.client)).await;
        assert_eq!(next.as_ref().map(|s| s.status).ok(), Some(204), "{next:?}");
    }
    assert_eq!(run.server.count(), 4, "every call got its own answer");
}
