//! What a generated operation hands to the runtime: a fully described request.

use bytes::Bytes;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use reqwest::Method;
use serde::Serialize;

use super::error::InvalidArgument;

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
    /// Header parameters that are set.
    pub headers: Vec<(&'static str, String)>,
    /// The request body, when there is one.
    pub body: Option<RequestBody>,
}

/// A request body, already encoded.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RequestBody {
    /// Its `Content-Type` (for Atlas, the same versioned media type as the `Accept` header).
    pub content_type: &'static str,
    /// The encoded body.
    pub bytes: Bytes,
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
        OperationRequest {
            operation_id,
            method,
            path_template,
            path,
            query: Vec::new(),
            accept,
            security,
            headers: Vec::new(),
            body: None,
        }
    }

    /// Adds a query parameter.
    pub fn query(mut self, name: &'static str, value: impl ToString) -> Self {
        self.query.push((name, value.to_string()));
        self
    }

    /// Adds a list query parameter: repeated (`a=1&a=2`, OpenAPI's `form` with `explode`), or as one
    /// value joined by `separator` (`,` for `explode: false`, ` ` or `|` for the delimited styles).
    pub fn query_values<T: ToString>(
        mut self,
        name: &'static str,
        values: impl IntoIterator<Item = T>,
        separator: Option<char>,
    ) -> Self {
        match separator {
            None => self.query.extend(values.into_iter().map(|value| (name, value.to_string()))),
            Some(separator) => self.query.push((name, joined(values, separator))),
        }
        self
    }

    /// Adds a header parameter.
    pub fn header(mut self, name: &'static str, value: impl ToString) -> Self {
        self.headers.push((name, value.to_string()));
        self
    }

    /// Sets a JSON body. Encoding fails only for values JSON cannot hold (a map with non-string keys),
    /// which is an invalid argument, found before anything is sent.
    pub fn json_body<T: Serialize + ?Sized>(
        mut self,
        content_type: &'static str,
        value: &T,
    ) -> Result<Self, InvalidArgument> {
        let bytes = serde_json::to_vec(value).map_err(|e| InvalidArgument::Body(e.to_string()))?;
        self.body = Some(RequestBody { content_type, bytes: Bytes::from(bytes) });
        Ok(self)
    }

    /// Sets a body of raw bytes.
    pub fn bytes_body(mut self, content_type: &'static str, bytes: Bytes) -> Self {
        self.body = Some(RequestBody { content_type, bytes });
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

/// Values joined by `separator`, for list parameters written as one value.
pub fn joined<T: ToString>(values: impl IntoIterator<Item = T>, separator: char) -> String {
    let mut out = String::new();
    for (index, value) in values.into_iter().enumerate() {
        if index > 0 {
            out.push(separator);
        }
        out.push_str(&value.to_string());
    }
    out
}

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

    #[test]
    fn list_parameters_repeat_or_join() {
        let request = OperationRequest::new("op", Method::GET, "/x", "/x".into(), "application/json", &[]);
        let repeated = request.clone().query_values("tag", ["a", "b"], None);
        assert_eq!(repeated.query, [("tag", "a".to_owned()), ("tag", "b".to_owned())]);
        let joined = request.query_values("tag", [1, 2, 3], Some(','));
        assert_eq!(joined.query, [("tag", "1,2,3".to_owned())]);
    }

    #[test]
    fn json_bodies_carry_their_content_type() {
        let request = OperationRequest::new("op", Method::POST, "/x", "/x".into(), "application/json", &[])
            .json_body("application/vnd.atlas.2023-01-01+json", &serde_json::json!({"desc": "k"}))
            .unwrap();
        let body = request.body.unwrap();
        assert_eq!(body.content_type, "application/vnd.atlas.2023-01-01+json");
        assert_eq!(&body.bytes[..], br#"{"desc":"k"}"#);
    }
}
