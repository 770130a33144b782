//! Validation shared by the generated id newtypes (`OrgId`, `GroupId`, ...).
//!
//! Each generated id type holds one [`IdRule`] taken from its spec `pattern` and length limits; parsing a
//! string checks it, so a malformed id is rejected before any request is sent. The generator reads most
//! patterns as an [`IdPattern`] (literal text and character classes, checked here without the `regex`
//! crate); only a pattern that needs more (alternation, look-around, Unicode properties) is checked with
//! `regex`, by a function generated for that id, so only a crate with such an id depends on `regex`.

use std::fmt;

mod pattern;

pub use pattern::{IdPattern, IdPiece};

/// How an id's value is held to its pattern.
#[derive(Debug, Clone, Copy)]
pub enum IdCheck {
    /// No pattern: only the lengths are checked.
    Length,
    /// The pattern, read by the generator as a sequence of pieces.
    Pattern(IdPattern),
    /// A pattern only a regular-expression engine checks: the generated function says whether a value
    /// matches, or `None` when the pattern does not compile.
    Function(fn(&str) -> Option<bool>),
}

/// The constraints of one kind of id, as the spec states them.
#[derive(Debug)]
pub struct IdRule {
    kind: &'static str,
    pattern: Option<&'static str>,
    check: IdCheck,
    min_length: Option<usize>,
    max_length: Option<usize>,
}

impl IdRule {
    /// A rule for the id type named `kind`: `pattern` is the spec's pattern as checked (for messages and
    /// [`IdRule::pattern`]), `check` how it is checked.
    pub const fn new(
        kind: &'static str,
        pattern: Option<&'static str>,
        check: IdCheck,
        min_length: Option<usize>,
        max_length: Option<usize>,
    ) -> Self {
        IdRule { kind, pattern, check, min_length, max_length }
    }

    /// The regular expression an id must match (`None`: only its length is checked).
    pub fn pattern(&self) -> Option<&'static str> {
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
        let pattern = self.pattern.unwrap_or_default();
        let matches = match self.check {
            IdCheck::Length => return Ok(()),
            IdCheck::Pattern(simple) => simple.is_match(value),
            // The generator compiled this pattern already, so `None` here means the pattern and the regex
            // crate disagree; rejecting is the safe answer.
            IdCheck::Function(check) => match check(value) {
                Some(matches) => matches,
                None => return Err(reject(format!("the pattern {pattern} does not compile"))),
            },
        };
        if matches { Ok(()) } else { Err(reject(format!("it does not match the pattern {pattern}"))) }
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

/// Implements an id newtype's checked constructor and conversions; generated code declares the struct
/// (`pub struct OrgId(String);`, with its docs and derives) and calls this once per id kind, with the
/// pattern, how it is checked (an [`IdCheck`]; `pattern` for the type's `const PATTERN:`
/// [`IdPattern`]; `regex` for a pattern only the `regex` crate checks, the calling crate then depending on
/// `regex`) and the length limits.
///
/// The struct's field stays private, so the only ways to get an id are the checked ones below.
#[allow(unused_macros, reason = "used by generated code, which may not need it")]
macro_rules! impl_id {
    // The pattern read as pieces by the generator, declared next to the type as `const PATTERN`.
    ($name:ident, $pattern:expr, pattern, $min:expr, $max:expr) => {
        $crate::runtime::impl_id!($name, $pattern, $crate::runtime::IdCheck::Pattern($name::PATTERN), $min, $max);
    };
    // A pattern only a regular-expression engine checks: compiled once, on first use.
    ($name:ident, Some($pattern:literal), regex, $min:expr, $max:expr) => {
        $crate::runtime::impl_id!(
            $name,
            Some($pattern),
            $crate::runtime::IdCheck::Function({
                fn check(value: &str) -> Option<bool> {
                    static REGEX: std::sync::OnceLock<Option<::regex::Regex>> = std::sync::OnceLock::new();
                    REGEX.get_or_init(|| ::regex::Regex::new($pattern).ok()).as_ref().map(|regex| regex.is_match(value))
                }
                check
            }),
            $min,
            $max
        );
    };
    ($name:ident, $pattern:expr, $check:expr, $min:expr, $max:expr) => {
        impl $name {
            /// The constraints this id is checked against.
            pub fn rule() -> &'static $crate::runtime::IdRule {
                static RULE: $crate::runtime::IdRule =
                    $crate::runtime::IdRule::new(stringify!($name), $pattern, $check, $min, $max);
                &RULE
            }

            /// Checks and wraps `value`.
            pub fn new(value: impl Into<String>) -> Result<Self, $crate::runtime::InvalidId> {
                let value = value.into();
                Self::rule().check(&value)?;
                Ok(Self(value))
            }

            /// The id as a string.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::runtime::InvalidId;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Self::new(value)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = $crate::runtime::InvalidId;
            fn try_from(value: &str) -> Result<Self, Self::Error> {
                Self::new(value)
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::runtime::InvalidId;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::new(value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}
#[allow(unused_imports, reason = "used by generated code, which may not need it")]
pub(crate) use impl_id;

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
#[allow(unreachable_pub, reason = "impl_id! makes public methods, as generated code needs; here the type is private")]
mod tests {
    use super::*;

    /// An id type declared the way generated code declares one.
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(try_from = "String", into = "String")]
    struct TestId(String);
    impl_id!(TestId, Some("^([a-f0-9]{24})$"), IdCheck::Pattern(HEX24_PATTERN), Some(24), Some(24));

    const HEX24_PATTERN: IdPattern =
        IdPattern::new(true, true, &[IdPiece::class(&[('0', '9'), ('a', 'f')], 24, Some(24))]);

    #[test]
    fn declared_ids_parse_convert_and_deserialize_only_when_valid() {
        let id: TestId = "5953c5f380eef53887615f9a".parse().unwrap();
        assert_eq!(id.as_str(), "5953c5f380eef53887615f9a");
        assert_eq!(id.to_string(), "5953c5f380eef53887615f9a");
        assert_eq!(String::from(id.clone()), "5953c5f380eef53887615f9a");
        assert_eq!(TestId::try_from("5953c5f380eef53887615f9a".to_owned()), Ok(id.clone()));
        assert_eq!(TestId::try_from("nope").unwrap_err().kind, "TestId");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"5953c5f380eef53887615f9a\"");
        assert!(serde_json::from_str::<TestId>("\"ABC\"").is_err());
        assert_eq!(TestId::rule().pattern(), Some("^([a-f0-9]{24})$"));
    }

    static HEX24: IdRule =
        IdRule::new("OrgId", Some("^([a-f0-9]{24})$"), IdCheck::Pattern(HEX24_PATTERN), Some(24), Some(24));

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
