//! Token buckets, as Atlas limits each endpoint set (`RATE_LIMITED_TOKEN_BUCKET`).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::config::RateLimit;

/// One bucket: starts full, refills continuously at `refill / period`.
pub struct TokenBucket {
    limit: RateLimit,
    state: Mutex<(f64, Instant)>,
}

/// The bucket's verdict on one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Let it through; `remaining` tokens are left.
    Admitted {
        /// Whole tokens left after this request.
        remaining: u32,
    },
    /// Answer 429; a token will be available after `retry_after_secs` (rounded up, at least 1).
    Limited {
        /// The `Retry-After` value.
        retry_after_secs: u64,
    },
}

impl TokenBucket {
    /// A full bucket.
    pub fn new(limit: RateLimit) -> Self {
        TokenBucket { limit, state: Mutex::new((f64::from(limit.capacity), Instant::now())) }
    }

    /// The bucket's configuration.
    pub fn limit(&self) -> RateLimit {
        self.limit
    }

    fn rate_per_sec(&self) -> f64 {
        f64::from(self.limit.refill) / self.limit.period.as_secs_f64().max(1e-9)
    }

    /// Takes one token if there is one.
    pub fn admit(&self) -> Admission {
        let mut guard = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (tokens, last) = &mut *guard;
        let now = Instant::now();
        let refilled = now.duration_since(*last).as_secs_f64() * self.rate_per_sec();
        *tokens = (*tokens + refilled).min(f64::from(self.limit.capacity));
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Admission::Admitted { remaining: *tokens as u32 }
        } else {
            let wait = Duration::from_secs_f64((1.0 - *tokens) / self.rate_per_sec().max(1e-9));
            Admission::Limited { retry_after_secs: wait.as_secs_f64().ceil().max(1.0) as u64 }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_empties_then_says_when_to_come_back() {
        let bucket = TokenBucket::new(RateLimit { capacity: 2, refill: 5, period: Duration::from_secs(60) });
        assert_eq!(bucket.admit(), Admission::Admitted { remaining: 1 });
        assert_eq!(bucket.admit(), Admission::Admitted { remaining: 0 });
        match bucket.admit() {
            // One token every 12 s.
            Admission::Limited { retry_after_secs } => assert!((11..=12).contains(&retry_after_secs)),
            other => panic!("expected a 429, got {other:?}"),
        }
    }
}
