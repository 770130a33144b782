//! Media types and the API versions they carry: the one parser of `application/vnd.<vendor>.<version>+json`
//! and its relatives, for the generator and the diff alike.

use std::fmt;

/// A media type as the spec writes it, taken apart.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MediaType {
    /// The media type as written (parameters included).
    pub text: String,
    /// `type/subtype` in lower case, without parameters.
    pub essence: String,
    /// The vendor of a `vnd.` subtype (`atlas` in `application/vnd.atlas.2023-01-01+json`).
    pub vendor: Option<String>,
    /// The API version a vendor subtype carries (`2023-01-01`, `preview`).
    pub version: Option<Version>,
    /// How the body is encoded.
    pub format: Format,
}

/// How a body is encoded.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// `application/json` or any `+json` subtype.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/*`.
    Multipart,
    /// Anything else (`text/csv`, `application/gzip`, `+csv`, `+gzip`), read and written as bytes.
    Bytes(String),
}

/// An API version as a media type carries it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Version {
    /// A dated version, `YYYY-MM-DD`; sorts by date.
    Date(String),
    /// `preview`: unstable, never chosen unless it is all there is or it is asked for.
    Preview,
    /// Another label (`v3`).
    Other(String),
}

impl Version {
    /// Reads a version label.
    pub fn parse(label: &str) -> Version {
        if label == "preview" {
            Version::Preview
        } else if is_date(label) {
            Version::Date(label.to_owned())
        } else {
            Version::Other(label.to_owned())
        }
    }

    /// The label as written.
    pub fn label(&self) -> &str {
        match self {
            Version::Date(date) => date,
            Version::Preview => "preview",
            Version::Other(label) => label,
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// `YYYY-MM-DD` with plausible month and day.
pub fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let digits = |range: std::ops::Range<usize>| text[range].parse::<u32>().ok();
    let (Some(_), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else { return false };
    text.chars().enumerate().all(|(i, c)| matches!(i, 4 | 7) || c.is_ascii_digit())
        && (1..=12).contains(&month)
        && (1..=31).contains(&day)
}

/// What a client generated from a spec uses for one operation, among the versions it offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionChoice {
    /// Use this version (`None`: the operation's media types carry no version).
    Use(Option<Version>),
    /// Every version the operation offers is newer than the pin date.
    NewerThanPin,
}

/// The version policy, the one place it is decided (the generator and the diff both ask here): the newest
/// dated version offered (not after `pin`, a `YYYY-MM-DD`, when given); `preview` only when that is all
/// there is or `prefer_preview` asks for it. `offered` is every version the operation's success answers and
/// request body carry, in any order.
pub fn choose_version(offered: &[Version], pin: Option<&str>, prefer_preview: bool) -> VersionChoice {
    if offered.is_empty() {
        return VersionChoice::Use(None);
    }
    let has_preview = offered.contains(&Version::Preview);
    if prefer_preview && has_preview {
        return VersionChoice::Use(Some(Version::Preview));
    }
    let dated = offered.iter().filter(|v| matches!(v, Version::Date(_)));
    let newest = match pin {
        Some(pin) => dated.filter(|v| v.label() <= pin).max(),
        None => dated.max(),
    };
    if let Some(version) = newest {
        return VersionChoice::Use(Some(version.clone()));
    }
    if pin.is_some() && offered.iter().any(|v| matches!(v, Version::Date(_))) {
        return VersionChoice::NewerThanPin;
    }
    if has_preview {
        return VersionChoice::Use(Some(Version::Preview));
    }
    VersionChoice::Use(offered.iter().max().cloned())
}

impl MediaType {
    /// Takes a media type apart. Never fails: what it does not recognise is bytes.
    pub fn parse(text: &str) -> MediaType {
        let essence = text.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        let (kind, subtype) = essence.split_once('/').unwrap_or((essence.as_str(), ""));
        let (name, suffix) = match subtype.rsplit_once('+') {
            Some((name, suffix)) => (name, Some(suffix)),
            None => (subtype, None),
        };
        let (vendor, version) = match name.strip_prefix("vnd.") {
            Some(rest) => match rest.split_once('.') {
                Some((vendor, version)) if !version.is_empty() => {
                    (Some(vendor.to_owned()), Some(Version::parse(version)))
                }
                _ => (Some(rest.to_owned()), None),
            },
            None => (None, None),
        };
        let format = match (kind, subtype, suffix) {
            (_, _, Some("json")) | ("application", "json", None) => Format::Json,
            ("application", "x-www-form-urlencoded", None) => Format::Form,
            ("multipart", _, _) => Format::Multipart,
            (_, _, Some(suffix)) => Format::Bytes(suffix.to_owned()),
            _ => Format::Bytes(essence.clone()),
        };
        MediaType { text: text.to_owned(), essence, vendor, version, format }
    }

    /// The media type with its version taken out (`application/vnd.atlas.*+json`), so the versions of one
    /// body share it; a media type without a version is its own family (its essence).
    pub fn family(&self) -> String {
        match (&self.vendor, &self.version) {
            (Some(vendor), Some(version)) => {
                let versioned = format!("vnd.{vendor}.{}", version.label());
                self.essence.replacen(&versioned, &format!("vnd.{vendor}.*"), 1)
            }
            _ => self.essence.clone(),
        }
    }

    /// True for JSON bodies.
    pub fn is_json(&self) -> bool {
        self.format == Format::Json
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendor_versions_of_any_vendor() {
        let atlas = MediaType::parse("application/vnd.atlas.2023-01-01+json");
        assert_eq!(atlas.vendor.as_deref(), Some("atlas"));
        assert_eq!(atlas.version, Some(Version::Date("2023-01-01".into())));
        assert!(atlas.is_json());
        let pets = MediaType::parse("application/vnd.pets.2024-06-30+json; charset=utf-8");
        assert_eq!(pets.vendor.as_deref(), Some("pets"));
        assert_eq!(pets.version, Some(Version::Date("2024-06-30".into())));
        assert_eq!(MediaType::parse("application/vnd.atlas.preview+json").version, Some(Version::Preview));
        assert_eq!(MediaType::parse("application/vnd.github.v3+json").version, Some(Version::Other("v3".into())));
        assert_eq!(MediaType::parse("application/vnd.github+json").version, None);
    }

    #[test]
    fn formats() {
        assert!(MediaType::parse("application/json").is_json());
        assert!(MediaType::parse("application/problem+json").is_json());
        let csv = MediaType::parse("application/vnd.atlas.2023-01-01+csv");
        assert_eq!(csv.format, Format::Bytes("csv".into()));
        assert_eq!(csv.version, Some(Version::Date("2023-01-01".into())));
        assert_eq!(MediaType::parse("application/gzip").format, Format::Bytes("application/gzip".into()));
        assert_eq!(MediaType::parse("multipart/form-data").format, Format::Multipart);
        assert_eq!(MediaType::parse("application/x-www-form-urlencoded").format, Format::Form);
    }

    #[test]
    fn dates_sort_and_validate() {
        assert!(is_date("2025-03-12"));
        assert!(!is_date("2025-13-12"));
        assert!(!is_date("preview"));
        assert!(Version::Date("2023-01-01".into()) < Version::Date("2024-08-05".into()));
    }
}
