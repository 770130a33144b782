//! Validation shared by the generated id newtypes (`OrgId`, `GroupId`, ...).
//!
//! Each generated id type holds one [`IdRule`] taken from its spec `pattern` and length limits; parsing a
//! string checks it, so a malformed id is rejected before any request is sent.

use std::fmt;
use std::sync::OnceLock;

use regex::Regex;

/// The constraints of one kind of id, as the spec states them.
#[derive(Debug)]
pub struct IdRule {
    kind: &'static str,
    pattern: &'static str,
    min_length: Option<usize>,
    max_length: Option<usize>,
    regex: OnceLock<Option<Regex>>,
}

impl IdRule {
    /// A rule for the id type named `kind`.
    pub const fn new(
        kind: &'static str,
        pattern: &'static str,
        min_length: Option<usize>,
        max_length: Option<usize>,
    ) -> Self {
        IdRule { kind, pattern, min_length, max_length, regex: OnceLock::new() }
    }

    /// The regular expression an id must match.
    pub fn pattern(&self) -> &'static str {
        self.pattern
    }

    /// Checks `value`, saying which id and why when it is rejected.
    pub fn check(&self, value: &str) -> Result<(), InvalidId> {
        let reject = |reason: String| InvalidId { kind: self.kind, value: shorten(value), reason };
        let length = value.chars().count();
        if let Some(min) = self.min_length.filter(|min| length < *min) {
            return Err(reject(format!("it is {length} characters long, at least {min} are required")));
        }
        if let Some(max) = self.max_length.filter(|max| length > *max) {
            return Err(reject(format!("it is {length} characters long, at most {max} are allowed")));
        }
        // The generator compiled this pattern already, so `None` here means the pattern and the regex
        // crate disagree; rejecting is the safe answer.
        match self.regex.get_or_init(|| Regex::new(self.pattern).ok()) {
            Some(regex) if regex.is_match(value) => Ok(()),
            Some(_) => Err(reject(format!("it does not match the pattern {}", self.pattern))),
            None => Err(reject(format!("the pattern {} does not compile", self.pattern))),
        }
    }
}

/// Ids are not secrets, but an overlong value would flood a log line.
fn shorten(value: &str) -> String {
    const LIMIT: usize = 64;
    if value.chars().count() <= LIMIT {
        value.to_owned()
    } else {
        let mut short: String = value.chars().take(LIMIT).collect();
        short.push('…');
        short
    }
}

/// A string that is not a valid id of its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidId {
    /// The id type, e.g. `OrgId`.
    pub kind: &'static str,
    /// The rejected value (cut to 64 characters).
    pub value: String,
    /// Why it was rejected.
    pub reason: String,
}

impl fmt::Display for InvalidId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {} {:?}: {}", self.kind, self.value, self.reason)
    }
}

impl std::error::Error for InvalidId {}

#[cfg(test)]
mod tests {
    use super::*;

    static HEX24: IdRule = IdRule::new("OrgId", "^([a-f0-9]{24})$", Some(24), Some(24));

    #[test]
    fn accepts_24_lowercase_hex_digits() {
        assert_eq!(HEX24.check("5953c5f380eef53887615f9a"), Ok(()));
    }

    #[test]
    fn rejects_wrong_length_naming_the_kind() {
        let e = HEX24.check("abc").unwrap_err();
        assert_eq!(e.to_string(), "invalid OrgId \"abc\": it is 3 characters long, at least 24 are required");
    }

    #[test]
    fn rejects_uppercase_by_pattern() {
        let e = HEX24.check("5953C5F380EEF53887615F9A").unwrap_err();
        assert_eq!(e.reason, "it does not match the pattern ^([a-f0-9]{24})$");
    }

    #[test]
    fn shortens_long_values() {
        let e = HEX24.check(&"a".repeat(200)).unwrap_err();
        assert_eq!(e.value.chars().count(), 65);
    }
}
