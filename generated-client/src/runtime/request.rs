//! What a generated operation hands to the runtime: a fully described request.

use bytes::Bytes;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use reqwest::{Method, Url};
use serde::Serialize;

use super::error::{InvalidArgument, RequestContext};

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

    /// The value of a query parameter, when it is set (the first, when it is repeated).
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(key, _)| *key == name).map(|(_, value)| value.as_str())
    }

    /// What errors about this request name: operation, method, filled path.
    pub fn context(&self) -> RequestContext {
        RequestContext::new(self.operation_id, self.method.clone(), self.path.clone())
    }

    /// The URL of this request: the base URL, the path appended to its path, and the query.
    pub(crate) fn url(&self, base: &Url) -> Result<Url, InvalidArgument> {
        let mut url = base.clone();
        // A base without a path still has "/" as its path; appending to it would double the slash.
        let path = format!("{}{}", base.path().trim_end_matches('/'), self.path);
        url.set_path(&path);
        if self.query.is_empty() {
            url.set_query(None);
        } else {
            url.query_pairs_mut().clear().extend_pairs(self.query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        if url.path() != path {
            return Err(InvalidArgument::Url(format!(
                "{}: the path {:?} changes when joined to the base URL",
                self.operation_id, self.path
            )));
        }
        Ok(url)
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
    fn urls_join_path_and_query() {
        let base = Url::parse("http://127.0.0.1:8080/prefix").unwrap();
        let request =
            OperationRequest::new("op", Method::DELETE, "/a/{id}", "/a/x%2Fy".into(), "application/json", &[])
                .query("pretty", true);
        assert_eq!(request.url(&base).unwrap().as_str(), "http://127.0.0.1:8080/prefix/a/x%2Fy?pretty=true");
        assert_eq!(request.query_value("pretty"), Some("true"));
        assert_eq!(request.query_value("envelope"), None);
    }

    #[test]
    fn a_base_without_a_path_adds_no_slash() {
        let base = Url::parse("http://127.0.0.1:8080/").unwrap();
        let request = OperationRequest::new("op", Method::DELETE, "/a", "/a".into(), "application/json", &[]);
        assert_eq!(request.url(&base).unwrap().as_str(), "http://127.0.0.1:8080/a");
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
