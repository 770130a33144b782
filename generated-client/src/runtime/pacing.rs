//! Pacing: a client-side budget per rate-limit scope, learned from the `RateLimit-*` headers of answers,
//! that spaces calls so a burst stays under the service's limit instead of running into 429s.
//!
//! Services like Atlas limit each endpoint with a token bucket and report, on every answer, its size
//! (`RateLimit-Limit`) and what is left (`RateLimit-Remaining`). The pacer keeps an estimate of that
//! bucket per scope (one per operation):
//!
//! - **Level.** An answer says what is left: its `RateLimit-Remaining`, less the requests still in flight
//!   (requests reach the server in another order than they were sent, so any of them may not be counted
//!   yet). The server counts in its own order and answers come back in yet another, so an answer may
//!   speak of a moment before requests already answered: once the refill is estimated, answers only ever
//!   lower the level (the refill raises it); before that, the answer to the newest request sets it. Each
//!   request sent takes one.
//! - **Refill.** Between two answers the server refilled `Δremaining + admitted` tokens in `Δt`, the
//!   admitted being the requests sent in between less the 429s among them: the refill rate is estimated
//!   from windows of answers, only while the bucket is below its limit (a full bucket hides its refill).
//!   Each `remaining` may be off by the requests in flight (counted in another order than sent), so a
//!   window spans at least [`MIN_WINDOW`] and four times as many admitted requests as were in flight at
//!   either end (at least [`MIN_WINDOW_ANSWERS`]), and the estimate is the median of the last
//!   [`SAMPLES`] windows, which a stray one does not move.
//! - **Spacing.** A request goes at once while the level is at least one, so what is sent never exceeds
//!   what the server last said was left (less what is already on its way). Below one it waits until the
//!   estimated refill brings a token; without an estimate yet, until an answer says more, and when
//!   nothing is in flight one request goes alone to ask. A 429 empties the level and, without an
//!   estimate, holds the whole scope, so the callers that were about to try do not all collect a 429
//!   too: for [`FIRST_HOLD`], doubling with each 429 in a row, never past its `Retry-After` (which says
//!   when a token comes back, rounded up to seconds).
//!
//! Far from the limit a request costs one lock and a few float operations; nothing waits. A scope whose
//! answers carry no `RateLimit-*` headers is never paced.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use tokio::sync::Notify;
use tokio::time::Instant;

use super::headers;
use super::request::OperationRequest;

/// The shortest window of answers a refill estimate is taken over.
const MIN_WINDOW: Duration = Duration::from_millis(2);
/// The fewest answers a refill estimate is taken over.
const MIN_WINDOW_ANSWERS: u64 = 16;
/// How many windows the estimate is the median of.
const SAMPLES: usize = 5;
/// How long the first 429 without a refill estimate holds the scope; each 429 in a row doubles it.
const FIRST_HOLD: Duration = Duration::from_millis(10);
/// The longest a paced request waits at once before looking again (the estimate may change meanwhile).
const MAX_WAIT: Duration = Duration::from_secs(1);

/// The pacing state of one client.
#[derive(Debug)]
pub(crate) struct Pacer {
    enabled: bool,
    scopes: Mutex<HashMap<&'static str, Budget>>,
    /// Woken at every answer, for the requests waiting for one.
    answered: Notify,
}

/// What a request waits for.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Wait {
    /// Nothing: it goes.
    Go,
    /// This long, for the estimated refill (or a hold after a 429).
    For(Duration),
    /// An answer to a request in flight, which will say how much is left.
    Answer,
}

/// Which budget a request draws on.
#[derive(Debug, Clone)]
pub(crate) struct Scope(Option<&'static str>);

/// A request the pacer let through: its place in the scope's send order, when it is counted.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ticket {
    sequence: Option<u64>,
}

/// The start of an estimation window: when, at the answer to which request, what was left then, the 429s
/// until then, and the requests in flight then.
#[derive(Debug, Clone, Copy)]
struct Window {
    at: Instant,
    sequence: u64,
    remaining: f64,
    limited: u64,
    in_flight: usize,
}

/// The estimate of one scope's bucket on the server.
#[derive(Debug)]
struct Budget {
    /// `RateLimit-Limit`, when an answer said it.
    limit: Option<f64>,
    /// Tokens estimated in the server's bucket at `at` (below zero: more on its way than it holds).
    level: Option<f64>,
    at: Instant,
    /// Estimated refill, tokens per second: the median of `samples`.
    rate: Option<f64>,
    /// The refill of the last windows, tokens per second.
    samples: VecDeque<f64>,
    /// The next request's place in the send order.
    next_sequence: u64,
    /// Requests sent and not answered yet, by their place in the send order.
    in_flight: BTreeSet<u64>,
    /// The request whose answer last set the level.
    anchor: Option<u64>,
    /// 429 answers, all time.
    limited: u64,
    /// 429 answers since the last admitted one.
    limited_in_a_row: u32,
    /// Where the current estimation window started.
    window: Option<Window>,
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
            samples: VecDeque::new(),
            next_sequence: 0,
            in_flight: BTreeSet::new(),
            anchor: None,
            limited: 0,
            limited_in_a_row: 0,
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

    /// What a request must wait for before it may go.
    fn wait(&mut self, now: Instant) -> Wait {
        if let Some(until) = self.held_until {
            if now < until {
                return Wait::For(until - now);
            }
            self.held_until = None;
        }
        self.refill(now);
        let Some(level) = self.level else { return Wait::Go };
        if level >= 1.0 {
            return Wait::Go;
        }
        match self.rate {
            Some(rate) if rate > 0.0 => Wait::For(Duration::from_secs_f64((1.0 - level) / rate).min(MAX_WAIT)),
            // No estimate: the next answer will say; with none on its way, one request goes to ask.
            _ if !self.in_flight.is_empty() => Wait::Answer,
            _ => Wait::Go,
        }
    }

    /// Counts a request as sent; its place in the send order.
    fn send(&mut self) -> u64 {
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        self.in_flight.insert(sequence);
        if let Some(level) = self.level.as_mut() {
            *level -= 1.0;
        }
        sequence
    }

    /// Learns from the answer to the request `sequence`.
    fn observe(&mut self, now: Instant, sequence: u64, status: StatusCode, limit: Option<u64>, remaining: Option<u64>) {
        self.in_flight.remove(&sequence);
        let limited = status == StatusCode::TOO_MANY_REQUESTS;
        if limited {
            self.limited += 1;
            self.limited_in_a_row = self.limited_in_a_row.saturating_add(1);
        } else {
            self.limited_in_a_row = 0;
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
        // Every request still in flight may yet take a token: requests reach the server in another order
        // than they were sent, so even an older one may not be counted in `remaining`.
        let said = remaining - self.in_flight.len() as f64;
        match (self.rate, self.level) {
            // With a refill estimate the level rises by the refill and an answer can only lower it: the
            // server counts requests in its own order, so an answer may speak of a moment before others
            // that were answered already.
            (Some(_), Some(level)) => self.level = Some(level.min(said)),
            // Without one, answers are all that raises it: the newest request's answer sets it.
            _ => {
                if self.anchor.is_some_and(|anchor| sequence < anchor) {
                    return;
                }
                self.level = Some(said);
            }
        }
        if self.anchor.is_some_and(|anchor| sequence < anchor) {
            // An older answer than the last one measured from: no estimate from it.
            return;
        }
        self.anchor = Some(sequence);
        let full = self.limit.is_some_and(|limit| remaining >= limit - 1.0);
        if full {
            // A full bucket throws its refill away: no estimate from here.
            self.window = None;
            return;
        }
        let start = Window { at: now, sequence, remaining, limited: self.limited, in_flight: self.in_flight.len() };
        let Some(window) = self.window else {
            self.window = Some(start);
            return;
        };
        if window.in_flight > 2 * self.in_flight.len() + MIN_WINDOW_ANSWERS as usize / 4 {
            // Far fewer in flight now: a window from here is far less noisy than one from there.
            self.window = Some(start);
            return;
        }
        let elapsed = now.saturating_duration_since(window.at);
        let admitted = (sequence - window.sequence).saturating_sub(self.limited - window.limited);
        let noise = window.in_flight.max(self.in_flight.len()) as u64;
        if elapsed < MIN_WINDOW || admitted < MIN_WINDOW_ANSWERS.max(4 * noise) {
            return;
        }
        let sample = (remaining - window.remaining + admitted as f64) / elapsed.as_secs_f64();
        if sample > 0.0 {
            if self.samples.len() == SAMPLES {
                self.samples.pop_front();
            }
            self.samples.push_back(sample);
            let mut sorted: Vec<f64> = self.samples.iter().copied().collect();
            sorted.sort_by(f64::total_cmp);
            self.rate = Some(sorted[sorted.len() / 2]);
        }
        self.window = Some(start);
    }
}

impl Pacer {
    /// A pacer; a disabled one lets everything through at once.
    pub(crate) fn new(enabled: bool) -> Self {
        Pacer { enabled, scopes: Mutex::new(HashMap::new()), answered: Notify::new() }
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
        let Some(key) = scope.0 else { return Ticket { sequence: None } };
        loop {
            let answered = self.answered.notified();
            let mut answered = std::pin::pin!(answered);
            let wait = {
                let mut scopes = self.lock();
                let now = Instant::now();
                let budget = scopes.entry(key).or_insert_with(|| Budget::new(now));
                match budget.wait(now) {
                    Wait::Go => return Ticket { sequence: Some(budget.send()) },
                    Wait::Answer => {
                        // Registered before the lock is let go, so an answer in between is not missed.
                        answered.as_mut().enable();
                        MAX_WAIT
                    }
                    Wait::For(wait) => wait,
                }
            };
            // Whichever comes first: the wait, or an answer (the library uses tokio without its macros).
            let _ = tokio::time::timeout(wait, answered).await;
        }
    }

    /// Learns from an answer to a request sent with `ticket`.
    pub(crate) fn observe(&self, scope: &Scope, ticket: Ticket, status: StatusCode, answer: &HeaderMap) {
        let (Some(key), Some(sequence)) = (scope.0, ticket.sequence) else { return };
        let rate_limit = headers::rate_limit(answer);
        let mut scopes = self.lock();
        let now = Instant::now();
        let budget = scopes.entry(key).or_insert_with(|| Budget::new(now));
        budget.observe(now, sequence, status, rate_limit.limit, rate_limit.remaining);
        if status == StatusCode::TOO_MANY_REQUESTS {
            // The bucket is empty. With a refill estimate the level says when the next token comes; without
            // one, the server's Retry-After is all there is, and it holds every caller of the scope.
            budget.level = Some(-(budget.in_flight.len() as f64));
            if budget.rate.is_none() {
                let doubled = FIRST_HOLD.saturating_mul(1 << budget.limited_in_a_row.saturating_sub(1).min(16));
                let hold = headers::retry_after(answer).map_or(doubled, |after| doubled.min(after)).min(MAX_WAIT);
                let until = now + hold;
                budget.held_until = Some(budget.held_until.map_or(until, |held| held.max(until)));
            }
        }
        drop(scopes);
        self.answered.notify_waiters();
    }

    /// A request sent with `ticket` ended without an answer.
    pub(crate) fn release(&self, scope: &Scope, ticket: Ticket) {
        let (Some(key), Some(sequence)) = (scope.0, ticket.sequence) else { return };
        if let Some(budget) = self.lock().get_mut(key) {
            budget.in_flight.remove(&sequence);
        }
        self.answered.notify_waiters();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<&'static str, Budget>> {
        self.scopes.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sends one request and answers it at once.
    fn exchange(budget: &mut Budget, at: Instant, status: u16, remaining: u64) {
        let sequence = budget.send();
        budget.observe(at, sequence, StatusCode::from_u16(status).unwrap(), Some(100), Some(remaining));
    }

    #[test]
    fn far_from_the_limit_nothing_waits() {
        let start = Instant::now();
        let mut budget = Budget::new(start);
        assert_eq!(budget.wait(start), Wait::Go, "nothing known: go");
        exchange(&mut budget, start, 204, 99);
        assert_eq!(budget.wait(start), Wait::Go, "99 left: go");
    }

    #[test]
    fn the_refill_rate_is_learned_from_remaining_and_admitted() {
        let start = Instant::now();
        let mut budget = Budget::new(start);
        // 100 ms, 40 requests admitted, remaining from 80 to 60: 20 refilled, 200 per second.
        exchange(&mut budget, start, 204, 80);
        for i in 1..=40u64 {
            let at = start + Duration::from_millis(100 * i / 40);
            exchange(&mut budget, at, 204, 80 - i / 2);
        }
        let rate = budget.rate.expect("an estimate");
        assert!((rate - 200.0).abs() < 1.0, "{rate}");
    }

    #[test]
    fn a_stray_window_does_not_move_the_estimate() {
        let start = Instant::now();
        let mut budget = Budget::new(start);
        budget.samples = [200.0, 210.0, 190.0, 205.0].into_iter().collect();
        budget.rate = Some(202.5);
        exchange(&mut budget, start, 204, 50);
        // A window whose answers came in another order than they were counted: 20,000 a second.
        for i in 1..=20u64 {
            exchange(&mut budget, start + Duration::from_millis(i / 10), 204, 90);
        }
        let rate = budget.rate.expect("an estimate");
        assert!((190.0..=210.0).contains(&rate), "{rate}");
    }

    #[test]
    fn an_older_answer_does_not_raise_the_level() {
        let start = Instant::now();
        let mut budget = Budget::new(start);
        let (older, newer) = (budget.send(), budget.send());
        budget.observe(start, newer, StatusCode::NO_CONTENT, Some(100), Some(10));
        budget.observe(start, older, StatusCode::NO_CONTENT, Some(100), Some(11));
        assert_eq!(budget.level, Some(9.0), "the newer answer's word stands (one more on its way)");
        // With a refill estimate, an answer never raises the level.
        budget.rate = Some(1.0);
        let third = budget.send();
        let fourth = budget.send();
        budget.observe(start, fourth, StatusCode::NO_CONTENT, Some(100), Some(3));
        assert_eq!(budget.level, Some(2.0), "three left, one more on its way");
        budget.observe(start, third, StatusCode::NO_CONTENT, Some(100), Some(6));
        assert_eq!(budget.level, Some(2.0), "the server counted the third before the fourth: six is old news");
    }

    #[test]
    fn an_empty_bucket_spaces_requests_by_the_refill() {
        let start = Instant::now();
        let mut budget = Budget::new(start);
        budget.rate = Some(100.0);
        exchange(&mut budget, start, 204, 0);
        let Wait::For(wait) = budget.wait(start) else { panic!("empty: wait") };
        assert!(wait <= Duration::from_millis(10) && wait >= Duration::from_millis(9), "{wait:?}");
        assert_eq!(budget.wait(start + Duration::from_millis(10)), Wait::Go, "one token later: go");
    }

    #[test]
    fn without_an_estimate_an_empty_budget_waits_for_an_answer_or_asks_alone() {
        let start = Instant::now();
        let mut budget = Budget::new(start);
        let first = budget.send();
        let _second = budget.send();
        budget.observe(start, first, StatusCode::NO_CONTENT, Some(100), Some(1));
        assert_eq!(budget.level, Some(0.0), "one left, one more on its way");
        assert_eq!(budget.wait(start), Wait::Answer);
        budget.in_flight.clear();
        assert_eq!(budget.wait(start), Wait::Go, "nothing on its way: one goes to ask");
    }

    #[tokio::test]
    async fn a_429_without_an_estimate_holds_the_scope_longer_each_time_up_to_its_retry_after() {
        let pacer = Pacer::new(true);
        let request = OperationRequest::new("op", reqwest::Method::DELETE, "/x", "/x".into(), "application/json", &[]);
        let scope = pacer.scope(&request);
        let ticket = pacer.acquire(&scope).await;
        let mut limited = HeaderMap::new();
        limited.insert("retry-after", "1".parse().unwrap());
        limited.insert("ratelimit-remaining", "0".parse().unwrap());
        pacer.observe(&scope, ticket, StatusCode::TOO_MANY_REQUESTS, &limited);
        let held = |pacer: &Pacer| pacer.lock().get("op").and_then(|budget| budget.held_until).expect("held");
        let first = held(&pacer) - Instant::now();
        assert!(first <= FIRST_HOLD && first > FIRST_HOLD / 2, "{first:?}");
        for _ in 0..10 {
            let ticket = pacer.acquire(&scope).await;
            pacer.observe(&scope, ticket, StatusCode::TOO_MANY_REQUESTS, &limited);
        }
        let later = held(&pacer) - Instant::now();
        assert!(
            later <= Duration::from_secs(1) && later > Duration::from_millis(900),
            "{later:?}: capped by Retry-After"
        );
        let disabled = Pacer::new(false);
        assert!(disabled.scope(&request).0.is_none(), "a disabled pacer does not count");
    }
}
