//! Pacing: a client-side budget per rate-limit scope, learned from the `RateLimit-*` headers of answers,
//! that spaces calls so a burst stays under the service's limit instead of running into 429s.
//!
//! Services like Atlas limit each endpoint with a token bucket and report, on every answer, its size
//! (`RateLimit-Limit`) and what is left (`RateLimit-Remaining`). The pacer keeps an estimate of that
//! bucket per scope (one per operation):
//!
//! - **Level.** Each answer sets the level to its `RateLimit-Remaining`, less the requests still in flight
//!   (the server may not have counted them yet: the estimate errs low). Each request sent takes one.
//! - **Refill.** Between two answers the server refilled `Δremaining + admitted` tokens in `Δt`: the refill
//!   rate is estimated from windows of answers (at least [`MIN_WINDOW`] and [`MIN_WINDOW_ANSWERS`]), only
//!   while the bucket is below its limit (a full bucket hides its refill), and smoothed across windows.
//! - **Spacing.** A request goes at once while the level is at least one; otherwise it waits until the
//!   estimated refill brings one. Without an estimate yet it goes (the server decides, and its answers
//!   teach the pacer). A 429 empties the level and, without an estimate, holds the whole scope for its
//!   `Retry-After`, so the callers that were about to try do not all collect a 429 too.
//!
//! Far from the limit a request costs one lock and a few float operations; nothing waits. A scope whose
//! answers carry no `RateLimit-*` headers is never paced.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use tokio::time::Instant;

use super::headers;
use super::request::OperationRequest;

/// The shortest window of answers a refill estimate is taken over.
const MIN_WINDOW: Duration = Duration::from_millis(20);
/// The fewest answers a refill estimate is taken over.
const MIN_WINDOW_ANSWERS: u64 = 16;
/// How much a new window's estimate moves the smoothed one.
const SMOOTHING: f64 = 0.5;
/// The longest a paced request waits at once before looking again (the estimate may change meanwhile).
const MAX_WAIT: Duration = Duration::from_secs(1);

/// The pacing state of one client.
#[derive(Debug)]
pub(crate) struct Pacer {
    enabled: bool,
    scopes: Mutex<HashMap<&'static str, Budget>>,
}

/// Which budget a request draws on.
#[derive(Debug, Clone)]
pub(crate) struct Scope(Option<&'static str>);

/// A request the pacer let through: whether it counts as in flight.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ticket {
    counted: bool,
}

/// The estimate of one scope's bucket on the server.
#[derive(Debug)]
struct Budget {
    /// `RateLimit-Limit`, when an answer said it.
    limit: Option<f64>,
    /// Tokens estimated in the server's bucket at `at` (may go below zero: requests already sent).
    level: Option<f64>,
    at: Instant,
    /// Estimated refill, tokens per second.
    rate: Option<f64>,
    /// Requests sent and not answered yet.
    in_flight: u64,
    /// Answers that the server admitted (not 429), all time.
    admitted: u64,
    /// Where the current estimation window started: when, the remaining then, the admitted count then.
    window: Option<(Instant, f64, u64)>,
    /// No request of the scope goes before this (after a 429, until the estimate says otherwise).
    held_until: Option<Instant>,
}

impl Budget {
    fn new(now: Instant) -> Self {
        Budget {
            limit: None,
            level: None,
            at: now,
            rate: None,
            in_flight: 0,
            admitted: 0,
            window: None,
            held_until: None,
        }
    }

    /// Brings the level up to `now` with the estimated refill.
    fn refill(&mut self, now: Instant) {
        if let (Some(level), Some(rate)) = (self.level, self.rate) {
            let refilled = level + rate * now.saturating_duration_since(self.at).as_secs_f64();
            self.level = Some(match self.limit {
                Some(limit) => refilled.min(limit),
                None => refilled,
            });
        }
        self.at = now;
    }

    /// `None` when a request may go now; else how long to wait before looking again.
    fn wait(&mut self, now: Instant) -> Option<Duration> {
        if let Some(until) = self.held_until {
            if now < until {
                return Some(until - now);
            }
            self.held_until = None;
        }
        self.refill(now);
        let (Some(level), Some(rate)) = (self.level, self.rate) else { return None };
        if level >= 1.0 || rate <= 0.0 {
            return None;
        }
        Some(Duration::from_secs_f64((1.0 - level) / rate).min(MAX_WAIT))
    }

    fn observe(&mut self, now: Instant, status: StatusCode, limit: Option<u64>, remaining: Option<u64>) {
        let limited = status == StatusCode::TOO_MANY_REQUESTS;
        if !limited {
            self.admitted += 1;
        }
        if let Some(limit) = limit {
            self.limit = Some(limit as f64);
        }
        let remaining = match remaining {
            Some(remaining) => remaining as f64,
            None if limited => 0.0,
            None => return,
        };
        self.refill(now);
        self.level = Some(remaining - self.in_flight as f64);
        let full = self.limit.is_some_and(|limit| remaining >= limit - 1.0);
        if full {
            // A full bucket throws its refill away: no estimate from here.
            self.window = None;
            return;
        }
        match self.window {
            None => self.window = Some((now, remaining, self.admitted)),
            Some((started, remaining_then, admitted_then)) => {
                let elapsed = now.saturating_duration_since(started);
                let answers = self.admitted - admitted_then;
                if elapsed >= MIN_WINDOW && answers >= MIN_WINDOW_ANSWERS {
                    let refilled = remaining - remaining_then + answers as f64;
                    let sample = refilled / elapsed.as_secs_f64();
                    if sample > 0.0 {
                        self.rate = Some(match self.rate {
                            Some(rate) => rate + SMOOTHING * (sample - rate),
                            None => sample,
                        });
                    }
                    self.window = Some((now, remaining, self.admitted));
                }
            }
        }
    }
}

impl Pacer {
    /// A pacer; a disabled one lets everything through at once.
    pub(crate) fn new(enabled: bool) -> Self {
        Pacer { enabled, scopes: Mutex::new(HashMap::new()) }
    }

    /// Whether it paces.
    pub(crate) fn enabled(&self) -> bool {
        self.enabled
    }

    /// The scope a request draws on.
    pub(crate) fn scope(&self, request: &OperationRequest) -> Scope {
        Scope(self.enabled.then_some(request.operation_id))
    }

    /// Waits until the scope's budget allows one more request, and counts it as sent.
    pub(crate) async fn acquire(&self, scope: &Scope) -> Ticket {
        let Some(key) = scope.0 else { return Ticket { counted: false } };
        loop {
            let wait = {
                let mut scopes = self.lock();
                let now = Instant::now();
                let budget = scopes.entry(key).or_insert_with(|| Budget::new(now));
                match budget.wait(now) {
                    None => {
                        budget.in_flight += 1;
                        if let Some(level) = budget.level.as_mut() {
                            *level -= 1.0;
                        }
                        return Ticket { counted: true };
                    }
                    Some(wait) => wait,
                }
            };
            tokio::time::sleep(wait).await;
        }
    }

    /// Learns from an answer to a request sent with `ticket`.
    pub(crate) fn observe(&self, scope: &Scope, ticket: Ticket, status: StatusCode, answer: &HeaderMap) {
        let Some(key) = scope.0 else { return };
        let rate_limit = headers::rate_limit(answer);
        let mut scopes = self.lock();
        let now = Instant::now();
        let budget = scopes.entry(key).or_insert_with(|| Budget::new(now));
        if ticket.counted {
            budget.in_flight = budget.in_flight.saturating_sub(1);
        }
        budget.observe(now, status, rate_limit.limit, rate_limit.remaining);
        if status == StatusCode::TOO_MANY_REQUESTS {
            // The bucket is empty. With a refill estimate the level says when the next token comes; without
            // one, the server's Retry-After is all there is, and it holds every caller of the scope.
            budget.level = Some(-(budget.in_flight as f64));
            if budget.rate.is_none()
                && let Some(after) = headers::retry_after(answer)
            {
                let until = now + after.min(MAX_WAIT);
                budget.held_until = Some(budget.held_until.map_or(until, |held| held.max(until)));
            }
        }
    }

    /// A request sent with `ticket` ended without an answer.
    pub(crate) fn release(&self, scope: &Scope, ticket: Ticket) {
        let Some(key) = scope.0 else { return };
        if !ticket.counted {
            return;
        }
        if let Some(budget) = self.lock().get_mut(key) {
            budget.in_flight = budget.in_flight.saturating_sub(1);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<&'static str, Budget>> {
        self.scopes.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(budget: &mut Budget, at: Instant, status: u16, remaining: u64) {
        budget.observe(at, StatusCode::from_u16(status).unwrap(), Some(100), Some(remaining));
    }

    #[test]
    fn far_from_the_limit_nothing_waits() {
        let start = Instant::now();
        let mut budget = Budget::new(start);
        assert_eq!(budget.wait(start), None, "nothing known: go");
        answer(&mut budget, start, 204, 99);
        assert_eq!(budget.wait(start), None, "99 left: go");
    }

    #[test]
    fn the_refill_rate_is_learned_from_remaining_and_admitted() {
        let start = Instant::now();
        let mut budget = Budget::new(start);
        // 100 ms, 40 answers admitted, remaining from 80 to 60: 20 refilled, 200 per second.
        answer(&mut budget, start, 204, 80);
        for i in 1..=40u64 {
            let at = start + Duration::from_millis(100 * i / 40);
            answer(&mut budget, at, 204, 80 - i / 2);
        }
        let rate = budget.rate.expect("an estimate");
        assert!((rate - 200.0).abs() < 1.0, "{rate}");
    }

    #[test]
    fn an_empty_bucket_spaces_requests_by_the_refill() {
        let start = Instant::now();
        let mut budget = Budget::new(start);
        budget.rate = Some(100.0);
        answer(&mut budget, start, 204, 0);
        let wait = budget.wait(start).expect("empty: wait");
        assert!(wait <= Duration::from_millis(10) && wait >= Duration::from_millis(9), "{wait:?}");
        assert_eq!(budget.wait(start + Duration::from_millis(10)), None, "one token later: go");
    }

    #[tokio::test]
    async fn a_429_without_an_estimate_holds_the_scope_for_its_retry_after() {
        let pacer = Pacer::new(true);
        let request = OperationRequest::new("op", reqwest::Method::DELETE, "/x", "/x".into(), "application/json", &[]);
        let scope = pacer.scope(&request);
        let ticket = pacer.acquire(&scope).await;
        let mut limited = HeaderMap::new();
        limited.insert("retry-after", "1".parse().unwrap());
        limited.insert("ratelimit-remaining", "0".parse().unwrap());
        pacer.observe(&scope, ticket, StatusCode::TOO_MANY_REQUESTS, &limited);
        let held = pacer.lock().get("op").and_then(|budget| budget.held_until).expect("held");
        assert!(held > Instant::now() + Duration::from_millis(900));
        let disabled = Pacer::new(false);
        assert!(disabled.scope(&request).0.is_none(), "a disabled pacer does not count");
    }
}
