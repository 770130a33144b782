//! What the server received, and how it is compared with what a fixture expects.

use super::fixture::{ExpectedRequest, HeaderPresence};

/// A request as the replay server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The HTTP method.
    pub method: String,
    /// The path as it came on the wire (still percent-encoded), without the query.
    pub path: String,
    /// The query as `(name, value)` pairs in the order sent, split on `&` and `=` and not decoded.
    pub query: Vec<(String, String)>,
    /// Every header, names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The first header named `name` (without case), if any.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The query pairs sorted, for comparing as a set.
    pub fn query_set(&self) -> Vec<(String, String)> {
        let mut pairs = self.query.clone();
        pairs.sort();
        pairs
    }

    /// `METHOD /path?query`, for messages.
    pub fn summary(&self) -> String {
        if self.query.is_empty() {
            format!("{} {}", self.method, self.path)
        } else {
            let query: Vec<String> = self.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("{} {}?{}", self.method, self.path, query.join("&"))
        }
    }
}

/// Splits a raw query string into pairs. A name without `=` gets an empty value.
pub(crate) fn split_query(query: Option<&str>) -> Vec<(String, String)> {
    let Some(query) = query else { return Vec::new() };
    query
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| match part.split_once('=') {
            Some((name, value)) => (name.to_owned(), value.to_owned()),
            None => (part.to_owned(), String::new()),
        })
        .collect()
}

/// Every way `actual` differs from `expected`, one sentence each; empty when it matches.
pub fn mismatches(expected: &ExpectedRequest, actual: &RecordedRequest) -> Vec<String> {
    let mut found = Vec::new();
    if !actual.method.eq_ignore_ascii_case(&expected.method) {
        found.push(format!("method: expected {}, got {}", expected.method, actual.method));
    }
    if actual.path != expected.path {
        found.push(format!("path: expected {}, got {}", expected.path, actual.path));
    }
    let mut wanted_query = expected.query.clone();
    wanted_query.sort();
    let got_query = actual.query_set();
    if got_query != wanted_query {
        found.push(format!("query: expected the pairs {wanted_query:?}, got {got_query:?}"));
    }
    for (name, value) in &expected.headers {
        match actual.header(name) {
            Some(got) if got == value => {}
            Some(got) => found.push(format!("header {name}: expected {value:?}, got {got:?}")),
            None => found.push(format!("header {name}: expected {value:?}, it was not sent")),
        }
    }
    match (expected.authorization, actual.header("authorization").is_some()) {
        (HeaderPresence::Absent, true) => found.push("header Authorization: sent, but must not be".to_owned()),
        (HeaderPresence::Present, false) => found.push("header Authorization: required, but not sent".to_owned()),
        _ => {}
    }
    found
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn expected() -> ExpectedRequest {
        ExpectedRequest {
            method: "DELETE".into(),
            path: "/a/b".into(),
            query: vec![("envelope".into(), "true".into()), ("pretty".into(), "true".into())],
            headers: BTreeMap::from([("Accept".into(), "application/json".into())]),
            authorization: HeaderPresence::Absent,
        }
    }

    fn actual(query: &str) -> RecordedRequest {
        RecordedRequest {
            method: "DELETE".into(),
            path: "/a/b".into(),
            query: split_query(Some(query)),
            headers: vec![("accept".into(), "application/json".into())],
            body: Vec::new(),
        }
    }

    #[test]
    fn query_order_does_not_matter() {
        assert_eq!(mismatches(&expected(), &actual("pretty=true&envelope=true")), Vec::<String>::new());
    }

    #[test]
    fn every_difference_is_named() {
        let mut request = actual("pretty=false");
        request.method = "GET".into();
        request.headers = vec![("accept".into(), "*/*".into()), ("authorization".into(), "Bearer x".into())];
        let found = mismatches(&expected(), &request);
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(found[0].starts_with("method"));
        assert!(found[1].starts_with("query"));
        assert!(found[2].starts_with("header Accept"));
        assert!(found[3].starts_with("header Authorization"));
    }
}
