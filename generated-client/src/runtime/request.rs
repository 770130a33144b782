//! What a generated operation hands to the runtime: a fully described request.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use reqwest::Method;

/// One kind of credentials an operation accepts, from the spec's `securitySchemes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SecurityScheme {
    /// HTTP Digest (`type: http, scheme: digest`).
    HttpDigest,
    /// HTTP Basic (`type: http, scheme: basic`).
    HttpBasic,
    /// A bearer token (`type: http, scheme: bearer`).
    HttpBearer,
    /// OAuth 2.0 client credentials: a bearer token from a token endpoint.
    OAuth2ClientCredentials,
}

/// A request as the generated code describes it: everything the runtime needs, nothing it must guess.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct OperationRequest {
    /// The spec's operationId, for tracing.
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path as written in the spec, with `{placeholders}`; for tracing, never holds ids.
    pub path_template: &'static str,
    /// The path with every placeholder filled in and percent-encoded.
    pub path: String,
    /// Query parameters that are set, in spec order.
    pub query: Vec<(&'static str, String)>,
    /// The `Accept` header: the operation's versioned media type.
    pub accept: &'static str,
    /// The credential kinds the operation accepts; empty means it needs none.
    pub security: &'static [SecurityScheme],
}

impl OperationRequest {
    /// A request with no query parameters.
    pub fn new(
        operation_id: &'static str,
        method: Method,
        path_template: &'static str,
        path: String,
        accept: &'static str,
        security: &'static [SecurityScheme],
    ) -> Self {
        OperationRequest { operation_id, method, path_template, path, query: Vec::new(), accept, security }
    }

    /// Adds a query parameter.
    pub fn query(mut self, name: &'static str, value: impl ToString) -> Self {
        self.query.push((name, value.to_string()));
        self
    }

    /// True when the caller asked the service to wrap its answer (`envelope=true`).
    pub fn wants_envelope(&self) -> bool {
        self.query.iter().any(|(name, value)| *name == "envelope" && value == "true")
    }
}

/// Characters that must be escaped inside one path segment (RFC 3986 `pchar` complement).
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|');

/// Percent-encodes one path parameter value.
pub fn encode_path_segment(value: &str) -> String {
    utf8_percent_encode(value, PATH_SEGMENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_escape_slashes_and_spaces() {
        assert_eq!(encode_path_segment("a/b c"), "a%2Fb%20c");
        assert_eq!(encode_path_segment("5953c5f380eef53887615f9a"), "5953c5f380eef53887615f9a");
    }

    #[test]
    fn envelope_is_detected_only_when_true() {
        let request = OperationRequest::new("op", Method::DELETE, "/x", "/x".into(), "application/json", &[]);
        assert!(!request.clone().query("envelope", false).wants_envelope());
        assert!(request.query("envelope", true).wants_envelope());
    }
}
