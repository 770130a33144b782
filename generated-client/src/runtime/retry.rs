//! When to send a request again, and how long to wait first.
//!
//! The policy is plain data plus pure decision functions, so the rules are unit-tested without a server;
//! `transport.rs` owns the loop that applies them.

use std::time::Duration;

use reqwest::{Method, StatusCode};

/// How failed attempts are retried.
///
/// Retried: `429 Too Many Requests` and `503 Service Unavailable` (waiting at least the `Retry-After` the
/// service sent), `500`, `502` and `504` (exponential backoff with jitter), and connections that failed or
/// broke before an answer arrived. Answers that may have been processed (`500`, `502`, `504`, a connection
/// lost after the request went out) are only retried for idempotent methods (`GET`, `HEAD`, `PUT`,
/// `DELETE`, `OPTIONS`), so a retry never repeats a non-idempotent request the server may have carried out.
///
/// Two limits bound the whole call: the number of attempts and a total time budget. When the next wait would
/// end beyond the budget (for example a `Retry-After: 55` with 10 s of budget left) the client stops waiting
/// and returns the last answer, decoded as usual.
///
/// A retried delete whose first attempt reached the service may find the target already gone; see
/// [`super::Error::is_already_gone`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    total_budget: Duration,
    base_backoff: Duration,
    max_backoff: Duration,
    retry_timeouts: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            total_budget: Duration::from_secs(60),
            base_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            retry_timeouts: false,
        }
    }
}

impl RetryPolicy {
    /// The default policy: at most 4 attempts within 60 s, backoff from 500 ms up to 30 s, timeouts not
    /// retried.
    pub fn new() -> Self {
        RetryPolicy::default()
    }

    /// A policy that never retries: every call makes exactly one attempt.
    pub fn none() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }

    /// The most attempts one call makes, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// How long one call may spend, waits included, before the client stops retrying.
    pub fn total_budget(mut self, budget: Duration) -> Self {
        self.total_budget = budget;
        self
    }

    /// The wait before the first backoff retry; it doubles with each further attempt.
    pub fn base_backoff(mut self, base: Duration) -> Self {
        self.base_backoff = base;
        self
    }

    /// The longest backoff wait (a longer `Retry-After` is still honoured).
    pub fn max_backoff(mut self, max: Duration) -> Self {
        self.max_backoff = max;
        self
    }

    /// Whether an attempt that ran out of time is retried (default no: the timeout was already spent
    /// waiting for a server that is likely overloaded).
    pub fn retry_timeouts(mut self, retry: bool) -> Self {
        self.retry_timeouts = retry;
        self
    }

    /// The configured number of attempts.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The configured time budget.
    pub fn budget(&self) -> Duration {
        self.total_budget
    }

    /// The wait before attempt `attempts_made + 1`, or `None` to stop and return what the last attempt got.
    ///
    /// `random` is a number in `[0, 1)` that spreads backoff waits, so clients that failed together do not
    /// come back together.
    pub(crate) fn delay(
        &self,
        reason: RetryReason,
        attempts_made: u32,
        elapsed: Duration,
        random: f64,
    ) -> Option<Duration> {
        if attempts_made >= self.max_attempts {
            return None;
        }
        let backoff = self.backoff(attempts_made, random);
        let delay = match reason {
            // The service's advice is to wait at least Retry-After and back off beyond it. The jitter on top
            // keeps the callers that were refused together from all coming back in the same instant.
            RetryReason::RateLimited { retry_after: Some(after) } => {
                after.saturating_add(self.base_backoff.mul_f64(random.clamp(0.0, 1.0))).max(backoff)
            }
            RetryReason::RateLimited { retry_after: None } | RetryReason::ServerError | RetryReason::Connection => {
                backoff
            }
        };
        if elapsed.saturating_add(delay) > self.total_budget {
            return None;
        }
        Some(delay)
    }

    /// Exponential backoff with "equal jitter": half the wait is fixed, half random, so waits still grow
    /// but are spread out.
    fn backoff(&self, attempts_made: u32, random: f64) -> Duration {
        let exponent = attempts_made.saturating_sub(1).min(20);
        let full = self.base_backoff.saturating_mul(1 << exponent).min(self.max_backoff);
        let half = full / 2;
        half + half.mul_f64(random.clamp(0.0, 1.0))
    }

    /// Why an answer should be retried, if it should.
    pub(crate) fn classify_status(
        &self,
        method: &Method,
        status: StatusCode,
        retry_after: Option<Duration>,
    ) -> Option<RetryReason> {
        match status.as_u16() {
            // The service refused before doing anything, so any method may be sent again.
            429 | 503 => Some(RetryReason::RateLimited { retry_after }),
            500 | 502 | 504 if is_idempotent(method) => Some(RetryReason::ServerError),
            _ => None,
        }
    }

    /// Whether a transport failure should be retried.
    pub(crate) fn classify_transport(&self, method: &Method, failure: TransportFailure) -> Option<RetryReason> {
        match failure {
            // Nothing was sent: safe for every method.
            TransportFailure::NotConnected => Some(RetryReason::Connection),
            TransportFailure::Broken if is_idempotent(method) => Some(RetryReason::Connection),
            TransportFailure::TimedOut if self.retry_timeouts && is_idempotent(method) => Some(RetryReason::Connection),
            _ => None,
        }
    }
}

/// What went wrong with an attempt that may be worth repeating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryReason {
    /// 429 or 503, with the `Retry-After` the service sent.
    RateLimited { retry_after: Option<Duration> },
    /// 500, 502 or 504.
    ServerError,
    /// The connection failed or broke.
    Connection,
}

/// How an attempt failed without an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TransportFailure {
    /// No connection was made, so the request was never sent.
    NotConnected,
    /// The connection broke after the request may have been sent.
    Broken,
    /// The attempt ran out of time.
    TimedOut,
    /// Anything that repeating would not fix (TLS configuration, a malformed URL).
    Permanent,
}

fn is_idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE)
}

/// A number in `[0, 1)` to spread waits with. Not for secrets: jitter only has to differ between callers
/// and calls, and the standard library's randomly keyed hasher gives that without a random-number crate
/// (each `RandomState` gets fresh keys, mixed here with the time).
pub(crate) fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher
        .write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos());
    // The top 53 bits fill an f64 mantissa exactly, so the result is uniform and below 1.
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn stops_after_the_configured_attempts() {
        let policy = RetryPolicy::new().max_attempts(3);
        assert!(policy.delay(RetryReason::ServerError, 1, Duration::ZERO, 0.5).is_some());
        assert!(policy.delay(RetryReason::ServerError, 2, Duration::ZERO, 0.5).is_some());
        assert_eq!(policy.delay(RetryReason::ServerError, 3, Duration::ZERO, 0.5), None);
        assert_eq!(RetryPolicy::none().delay(RetryReason::Connection, 1, Duration::ZERO, 0.5), None);
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let policy = RetryPolicy::new().base_backoff(SECOND).max_backoff(4 * SECOND).max_attempts(10);
        let wait = |attempts, random| policy.delay(RetryReason::ServerError, attempts, Duration::ZERO, random);
        assert_eq!(wait(1, 0.0), Some(SECOND / 2));
        assert_eq!(wait(1, 1.0), Some(SECOND));
        assert_eq!(wait(2, 1.0), Some(2 * SECOND));
        assert_eq!(wait(3, 0.0), Some(2 * SECOND));
        assert_eq!(wait(8, 1.0), Some(4 * SECOND), "capped at max_backoff");
    }

    #[test]
    fn retry_after_is_a_lower_bound() {
        let policy = RetryPolicy::new().base_backoff(Duration::from_millis(10));
        let reason = RetryReason::RateLimited { retry_after: Some(SECOND) };
        assert_eq!(policy.delay(reason, 1, Duration::ZERO, 0.0), Some(SECOND));
        // Jitter only ever adds to Retry-After, by at most one base backoff.
        assert_eq!(policy.delay(reason, 1, Duration::ZERO, 0.5), Some(SECOND + Duration::from_millis(5)));
    }

    #[test]
    fn a_wait_beyond_the_budget_stops() {
        let policy = RetryPolicy::new().total_budget(10 * SECOND);
        let reason = RetryReason::RateLimited { retry_after: Some(55 * SECOND) };
        assert_eq!(policy.delay(reason, 1, Duration::ZERO, 0.0), None);
        let reason = RetryReason::RateLimited { retry_after: Some(2 * SECOND) };
        assert_eq!(policy.delay(reason, 1, 9 * SECOND, 0.0), None);
        assert_eq!(policy.delay(reason, 1, 7 * SECOND, 0.0), Some(2 * SECOND));
    }

    #[test]
    fn only_idempotent_requests_repeat_what_may_have_been_processed() {
        let policy = RetryPolicy::new();
        let rate_limited = RetryReason::RateLimited { retry_after: None };
        assert_eq!(policy.classify_status(&Method::POST, StatusCode::TOO_MANY_REQUESTS, None), Some(rate_limited));
        assert_eq!(policy.classify_status(&Method::POST, StatusCode::INTERNAL_SERVER_ERROR, None), None);
        assert_eq!(
            policy.classify_status(&Method::DELETE, StatusCode::BAD_GATEWAY, None),
            Some(RetryReason::ServerError)
        );
        assert_eq!(policy.classify_status(&Method::DELETE, StatusCode::NOT_FOUND, None), None);
        assert_eq!(policy.classify_status(&Method::DELETE, StatusCode::NOT_IMPLEMENTED, None), None);
        assert_eq!(
            policy.classify_transport(&Method::POST, TransportFailure::NotConnected),
            Some(RetryReason::Connection)
        );
        assert_eq!(policy.classify_transport(&Method::POST, TransportFailure::Broken), None);
        assert_eq!(policy.classify_transport(&Method::DELETE, TransportFailure::Broken), Some(RetryReason::Connection));
    }

    #[test]
    fn timeouts_are_retried_only_on_request() {
        let method = Method::DELETE;
        assert_eq!(RetryPolicy::new().classify_transport(&method, TransportFailure::TimedOut), None);
        assert_eq!(
            RetryPolicy::new().retry_timeouts(true).classify_transport(&method, TransportFailure::TimedOut),
            Some(RetryReason::Connection)
        );
        assert_eq!(RetryPolicy::new().classify_transport(&method, TransportFailure::Permanent), None);
    }

    #[test]
    fn jitter_stays_in_range_and_varies() {
        let samples: Vec<f64> = (0..1000).map(|_| jitter()).collect();
        assert!(samples.iter().all(|x| (0.0..1.0).contains(x)));
        let distinct: std::collections::BTreeSet<u64> = samples.iter().map(|x| x.to_bits()).collect();
        assert!(distinct.len() > 990, "{} distinct values of 1000", distinct.len());
        let mean = samples.iter().sum::<f64>() / samples.len() as f64;
        assert!((0.4..0.6).contains(&mean), "mean {mean}");
    }

    #[test]
    fn a_wait_of_days_or_more_is_past_any_budget() {
        let policy = RetryPolicy::new();
        for after in [Duration::from_secs(3 * 86_400), Duration::from_secs(u64::MAX)] {
            let reason = RetryReason::RateLimited { retry_after: Some(after) };
            assert_eq!(policy.delay(reason, 1, Duration::ZERO, 0.99), None, "{after:?}");
        }
    }
}
