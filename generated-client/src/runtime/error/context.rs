//! Which request an error belongs to, and URLs made safe to show.

use std::fmt;

use reqwest::Method;

/// The request an error belongs to: the spec's operationId, the method, and the path with its ids filled
/// in. No host, no query: the base URL is the caller's own configuration, and the query holds only flags.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestContext {
    /// The spec's operationId, e.g. `deleteOrgApiKey`.
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path as sent (percent-encoded), e.g. `/api/atlas/v2/orgs/{orgId}/apiKeys/{apiUserId}` filled in.
    pub path: String,
}

impl RequestContext {
    /// A context from its parts (for tests that build errors by hand).
    pub fn new(operation_id: &'static str, method: Method, path: impl Into<String>) -> Self {
        RequestContext { operation_id, method, path: path.into() }
    }
}

impl fmt::Display for RequestContext {
    /// `deleteOrgApiKey (DELETE /api/atlas/v2/orgs/…/apiKeys/…)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} {})", self.operation_id, self.method, self.path)
    }
}

/// Writes `context: ` when there is one, so payload messages read the same with or without it.
pub(super) fn write_prefix(f: &mut fmt::Formatter<'_>, context: Option<&RequestContext>) -> fmt::Result {
    match context {
        Some(context) => write!(f, "{context}: "),
        None => Ok(()),
    }
}

/// A URL (or anything a user typed as one) as it may appear in a message: everything up to the last `@`
/// is user info, which may hold a password, and is cut out, whatever the rest looks like. Handles what a
/// URL parser would refuse or misread: no scheme (`user:password@host`, which parses as the scheme `user`),
/// a `/` inside the password, a `@` inside the password.
pub(crate) fn redact_url(text: &str) -> String {
    let Some(at) = text.rfind('@') else { return text.to_owned() };
    let scheme = match text.find("://") {
        Some(end) if end < at && is_scheme(&text[..end]) => &text[..end + 3],
        _ => "",
    };
    format!("{scheme}<redacted>@{}", &text[at + 1..])
}

fn is_scheme(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_info_is_cut_out_whatever_the_shape() {
        for (url, shown) in [
            ("https://user:pw@example.com/x", "https://<redacted>@example.com/x"),
            ("user:pw@example.com", "<redacted>@example.com"),
            ("user:pw@example.com:8080/x?y", "<redacted>@example.com:8080/x?y"),
            ("//user:pw@example.com", "<redacted>@example.com"),
            ("https://user:p/w@example.com", "https://<redacted>@example.com"),
            ("https://user:p@w@example.com", "https://<redacted>@example.com"),
            ("ftp://u:pw@h", "ftp://<redacted>@h"),
            ("https://example.com/x", "https://example.com/x"),
            ("not a url", "not a url"),
        ] {
            assert_eq!(redact_url(url), shown, "{url}");
        }
    }

    #[test]
    fn the_context_names_operation_method_and_path() {
        let context = RequestContext::new("deleteOrgApiKey", Method::DELETE, "/api/atlas/v2/orgs/a/apiKeys/b");
        assert_eq!(context.to_string(), "deleteOrgApiKey (DELETE /api/atlas/v2/orgs/a/apiKeys/b)");
    }
}
