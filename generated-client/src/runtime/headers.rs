//! The one parser of each response header the runtime reads: documented headers for generated structs
//! ([`header_value`]), `Retry-After` ([`retry_after`]) and the `RateLimit-*` pair ([`rate_limit`]). Every
//! other module reads these headers through here, so one header never means two things.

use std::str::FromStr;
use std::time::Duration;

use reqwest::header::HeaderMap;

/// Reads one header as `T`; missing or unparsable values are `None` (the service may omit any of them).
pub fn header_value<T: FromStr>(headers: &HeaderMap, name: &str) -> Option<T> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// `Retry-After` in seconds. The HTTP-date form is not used by the services this client talks to and is
/// treated as absent, which falls back to exponential backoff; so is anything else that is not a number of
/// seconds (`-30`, `1.5`, `+5`).
///
/// A number too large for a `u64` (a server saying "never") saturates instead of counting as absent: it is
/// still a wait past any budget, so the call returns the answer at once rather than retrying it.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get("retry-after")?.to_str().ok()?.trim();
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)))
}

/// The `RateLimit-Limit` and `RateLimit-Remaining` of an answer (draft-ietf-httpapi-ratelimit-headers, as
/// Atlas sends them): the size of the budget and what is left of it. Either may be missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct RateLimit {
    pub(crate) limit: Option<u64>,
    pub(crate) remaining: Option<u64>,
}

/// Reads the `RateLimit-*` pair.
pub(crate) fn rate_limit(headers: &HeaderMap) -> RateLimit {
    RateLimit {
        limit: header_value(headers, "ratelimit-limit"),
        remaining: header_value(headers, "ratelimit-remaining"),
    }
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn retry_after_reads_seconds_only() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_static("55"));
        assert_eq!(retry_after(&headers), Some(55 * SECOND));
        headers.insert("retry-after", HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"));
        assert_eq!(retry_after(&headers), None);
        for unusable in ["-30", "1.5", "", "+5", "0x10"] {
            headers.insert("retry-after", HeaderValue::from_str(unusable).unwrap());
            assert_eq!(retry_after(&headers), None, "{unusable:?}");
        }
        headers.insert("retry-after", HeaderValue::from_static("99999999999999999999999"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(u64::MAX)));
    }

    #[test]
    fn rate_limit_headers_are_read_whatever_their_case() {
        let mut headers = HeaderMap::new();
        headers.insert("RateLimit-Limit", HeaderValue::from_static("500"));
        headers.insert("ratelimit-remaining", HeaderValue::from_static(" 499 "));
        assert_eq!(rate_limit(&headers), RateLimit { limit: Some(500), remaining: Some(499) });
        headers.insert("ratelimit-remaining", HeaderValue::from_static("-1"));
        assert_eq!(rate_limit(&headers).remaining, None);
        assert_eq!(rate_limit(&HeaderMap::new()), RateLimit::default());
    }
}
