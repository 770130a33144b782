//! Turning a raw answer into the typed outcome the generated code promises.

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_ENCODING, CONTENT_TYPE, HeaderMap};
use serde::de::DeserializeOwned;

use super::error::{AnswerFacts, Error, ErrorResponse, RequestContext, UnexpectedResponse, shortened};
use super::text::{from_text, takes_text};

/// Response headers the spec documents for an operation, decoded into a generated struct.
pub trait ResponseHeaders: Sized {
    /// Reads the documented headers; a missing or unparsable header becomes `None`.
    fn from_headers(headers: &HeaderMap) -> Self;
}

impl ResponseHeaders for () {
    fn from_headers(_: &HeaderMap) -> Self {}
}

/// A successful answer: its status, its documented headers, and its body.
///
/// `Debug` shows the raw body's length, not its bytes: a body may hold a secret that its typed form keeps
/// redacted (the private key of a new API key, a certificate's private key).
#[derive(Clone)]
#[non_exhaustive]
pub struct ApiResponse<T, H> {
    /// The HTTP status (after unwrapping an `envelope=true` answer: the real status).
    pub status: StatusCode,
    /// The headers the spec documents for this answer.
    pub headers: H,
    /// The decoded body (`()` when the operation returns none).
    pub body: T,
    /// All headers as received.
    pub raw_headers: HeaderMap,
    /// The body exactly as received: what the typed body could not hold (properties the spec does not
    /// list) is still here. Empty for a streamed download, whose body is the stream in `body`.
    pub raw_body: Bytes,
}

impl<T: std::fmt::Debug, H: std::fmt::Debug> std::fmt::Debug for ApiResponse<T, H> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &self.body)
            .field("raw_headers", &self.raw_headers)
            .field("raw_body", &format_args!("<{} bytes>", self.raw_body.len()))
            .finish()
    }
}

impl<T, H> ApiResponse<T, H> {
    /// A successful answer from its parts, with no raw headers or body: for tests of code that handles
    /// answers.
    pub fn new(status: StatusCode, headers: H, body: T) -> Self {
        ApiResponse { status, headers, body, raw_headers: HeaderMap::new(), raw_body: Bytes::new() }
    }

    /// Sets the headers as received.
    pub fn with_raw_headers(mut self, raw_headers: HeaderMap) -> Self {
        self.raw_headers = raw_headers;
        self
    }

    /// Sets the body as received.
    pub fn with_raw_body(mut self, raw_body: impl Into<Bytes>) -> Self {
        self.raw_body = raw_body.into();
        self
    }

    /// The same answer with its body mapped.
    pub fn map_body<U>(self, f: impl FnOnce(T) -> U) -> ApiResponse<U, H> {
        ApiResponse {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
            raw_headers: self.raw_headers,
            raw_body: self.raw_body,
        }
    }

    /// The answer without its body, and the body.
    pub fn split_body(self) -> (ApiResponse<(), H>, T) {
        let ApiResponse { status, headers, body, raw_headers, raw_body } = self;
        (ApiResponse { status, headers, body: (), raw_headers, raw_body }, body)
    }

    /// The `Deprecation` header: the service sends it when the API version asked for is deprecated.
    pub fn deprecation(&self) -> Option<&str> {
        self.raw_headers.get("deprecation").and_then(|v| v.to_str().ok())
    }

    /// The `Sunset` header: when the API version asked for goes away (an HTTP date).
    pub fn sunset(&self) -> Option<&str> {
        self.raw_headers.get("sunset").and_then(|v| v.to_str().ok())
    }
}

/// An answer as received (after unwrapping an envelope), before the generated code decodes it.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    /// The request it answers, so errors decoded from it can name it.
    pub(crate) request: Option<RequestContext>,
    /// What the service's profile read from it when it arrived (error code, detail, "already gone"),
    /// carried into the error.
    pub(crate) facts: AnswerFacts,
}

impl RawResponse {
    /// A raw answer from its parts.
    pub fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        RawResponse { status, headers, body, request: None, facts: AnswerFacts::default() }
    }

    /// Names the request this answers; errors decoded from it carry it.
    pub fn with_request(mut self, request: RequestContext) -> Self {
        self.request = Some(request);
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers as received.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body as received.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The `Content-Type` header, if present and readable.
    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok())
    }

    /// For an operation whose 2xx answers differ: which documented answer (by index into `documented`,
    /// each a status, `None` for a range, and whether it has a body) this answer is decoded as; `None` when
    /// it is not a 2xx. An undocumented 2xx is decoded as the documented success without a body when its
    /// body is empty and one is documented, else as the first documented success with a body.
    pub fn success_index(&self, documented: &[(Option<u16>, bool)]) -> Option<usize> {
        if !self.status.is_success() {
            return None;
        }
        let code = self.status.as_u16();
        if let Some(index) = documented.iter().position(|(status, _)| *status == Some(code)) {
            return Some(index);
        }
        if let Some(index) = documented.iter().position(|(status, _)| status.is_none()) {
            return Some(index);
        }
        let empty = self.body.iter().all(u8::is_ascii_whitespace);
        documented.iter().position(|(_, has_body)| *has_body != empty).or(if documented.is_empty() {
            None
        } else {
            Some(0)
        })
    }

    /// The outcome of an operation whose success carries no body: any 2xx is success (a body, documented or
    /// not, is kept in `raw_body` as received, also one with a `Content-Encoding`), anything else an error.
    pub fn decode_empty<H: ResponseHeaders, E: DeserializeOwned>(self) -> Result<ApiResponse<(), H>, Error<E>> {
        if self.status.is_success() { Ok(self.success(())) } else { self.into_error() }
    }

    /// The outcome of an operation whose success carries a JSON body of type `T`: any 2xx (documented or
    /// not) is decoded as `T`, anything else is an error.
    ///
    /// When `T` is a plain string (`String`, [`super::Secret`], an open enum) the body need not be JSON: a
    /// body that is not a JSON string (bare text, under any content type, or an empty body) is the string
    /// itself, exactly as received. A body that is not UTF-8 cannot be a Rust string: it is an
    /// [`UnexpectedResponse`] that keeps the bytes and the 2xx status (the service did what was asked), rather
    /// than a string with replacement characters, which would silently be another key or password.
    pub fn decode_json<T: DeserializeOwned, H: ResponseHeaders, E: DeserializeOwned>(
        self,
    ) -> Result<ApiResponse<T, H>, Error<E>> {
        if !self.status.is_success() {
            return self.into_error();
        }
        if let Some(reason) = encoded_reason(&self.headers) {
            return Err(self.unexpected(reason, None));
        }
        // A success without a body, for an operation documented with one (Atlas documented body-less
        // answers with an empty-object `NoBody` schema): the body is what an empty object decodes to, when
        // the type has such a value (every answer struct does), rather than a failed success. (An empty
        // body for a documented string is the empty string: `decode_text`.)
        if self.body.iter().all(u8::is_ascii_whitespace) && !takes_text::<T>() {
            return match serde_json::from_slice::<T>(b"{}") {
                Ok(body) => Ok(self.success(body)),
                Err(_) => Err(self.unexpected("the body is empty, and the documented JSON is not".to_owned(), None)),
            };
        }
        if !is_json(self.content_type()) {
            return self.decode_text("the content type is not JSON".to_owned(), None);
        }
        let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
        match serde_path_to_error::deserialize(&mut deserializer) {
            Ok(body) => Ok(self.success(body)),
            Err(error) => {
                let path = error.path().to_string();
                let reason = decode_reason("the body is not the documented JSON", &path, &error.inner().to_string());
                self.decode_text(reason, Some(path))
            }
        }
    }

    /// A 2xx body that is not the documented JSON, read as bare text when `T` is a plain string; otherwise
    /// the error `reason` (at `json_path`) says why it is not `T`.
    fn decode_text<T: DeserializeOwned, H: ResponseHeaders, E>(
        self,
        reason: String,
        json_path: Option<String>,
    ) -> Result<ApiResponse<T, H>, Error<E>> {
        match std::str::from_utf8(&self.body) {
            Ok(text) => match from_text::<T>(text) {
                Some(body) => Ok(self.success(body)),
                None => Err(self.unexpected(reason, json_path)),
            },
            Err(error) if takes_text::<T>() => {
                let reason = format!(
                    "the body is not UTF-8 (at byte {}), so it cannot be the documented string; its bytes are kept",
                    error.valid_up_to()
                );
                Err(self.unexpected(reason, None))
            }
            Err(_) => Err(self.unexpected(reason, json_path)),
        }
    }

    /// The outcome of an operation whose success carries a non-JSON body (a download): its bytes. A body
    /// sent with a `Content-Encoding` is refused (see [`RawResponse::into_error`]): its bytes are not the
    /// download.
    pub fn decode_bytes<H: ResponseHeaders, E: DeserializeOwned>(self) -> Result<ApiResponse<Bytes, H>, Error<E>> {
        if !self.status.is_success() {
            return self.into_error();
        }
        if let Some(reason) = encoded_reason(&self.headers) {
            return Err(self.unexpected(reason, None));
        }
        let body = self.body.clone();
        Ok(self.success(body))
    }

    fn success<T, H: ResponseHeaders>(self, body: T) -> ApiResponse<T, H> {
        ApiResponse {
            status: self.status,
            headers: H::from_headers(&self.headers),
            body,
            raw_headers: self.headers,
            raw_body: self.body,
        }
    }

    /// An error answer: decoded as `E` when it is JSON of that shape, kept raw otherwise.
    ///
    /// A body sent with a `Content-Encoding` (`gzip`, say) is kept raw as an [`UnexpectedResponse`] without
    /// being decoded: the client never asks for an encoding (it sends no `Accept-Encoding`) and decodes
    /// none. (When reqwest's own `gzip` feature is on in the build, reqwest asks for gzip and decodes it
    /// before this point, and the answer arrives here without the header.)
    pub fn into_error<T, E: DeserializeOwned>(self) -> Result<T, Error<E>> {
        if let Some(reason) = encoded_reason(&self.headers) {
            return Err(self.unexpected(reason, None));
        }
        if !is_json(self.content_type()) {
            return Err(self.unexpected("the content type is not JSON".to_owned(), None));
        }
        let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
        match serde_path_to_error::deserialize(&mut deserializer) {
            Ok(body) => {
                let mut error = ErrorResponse::received(self.status, body, self.headers, self.body, self.facts);
                error.request = self.request;
                Err(Error::Api(Box::new(error)))
            }
            Err(error) => {
                let path = error.path().to_string();
                let reason =
                    decode_reason("the body is not the documented error JSON", &path, &error.inner().to_string());
                Err(self.unexpected(reason, Some(path)))
            }
        }
    }

    fn unexpected<E>(self, reason: String, json_path: Option<String>) -> Error<E> {
        let mut unexpected = UnexpectedResponse::new(self.status, self.headers, self.body, reason);
        unexpected.request = self.request;
        unexpected.json_path = json_path;
        unexpected.error_code = self.facts.error_code;
        Error::UnexpectedResponse(Box::new(unexpected))
    }
}

/// The longest JSON path and decoder message a reason quotes. Both come from the server (a key, a string
/// that was not the number expected, the depth of its nesting), so they are cut short: a message is no place
/// for a megabyte of someone else's text. The whole path stays in `UnexpectedResponse::json_path`.
const MAX_QUOTED: usize = 256;

fn decode_reason(what: &str, path: &str, message: &str) -> String {
    format!("{what}: at `{}`: {}", shortened(path, MAX_QUOTED), shortened(message, MAX_QUOTED))
}

/// Why a body cannot be decoded as sent: it carries a `Content-Encoding` other than `identity`. `None` for a
/// plain body.
pub(crate) fn encoded_reason(headers: &HeaderMap) -> Option<String> {
    let encodings: Vec<&[u8]> = headers.get_all(CONTENT_ENCODING).iter().map(|value| value.as_bytes()).collect();
    let plain = encodings.iter().all(|value| value.trim_ascii().is_empty() || value.eq_ignore_ascii_case(b"identity"));
    if plain {
        return None;
    }
    // The server's value, cut short: a header may be hundreds of KiB, and a message is no place for it.
    let all = encodings.iter().map(|value| String::from_utf8_lossy(value)).collect::<Vec<_>>().join(", ");
    let shown = shortened(&all, 40);
    Some(format!(
        "the body is sent with Content-Encoding {shown:?}, which the client did not ask for and does not decode"
    ))
}

/// `application/json`, `application/vnd.atlas.2023-01-01+json;charset=utf-8` and the like.
pub(crate) fn is_json(content_type: Option<&str>) -> bool {
    let Some(content_type) = content_type else { return false };
    let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn json(status: u16, body: &str) -> RawResponse {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        RawResponse::new(StatusCode::from_u16(status).unwrap(), headers, Bytes::from(body.to_owned()))
    }

    #[test]
    fn vendor_media_types_with_charset_are_json() {
        assert!(is_json(Some("application/vnd.atlas.2023-01-01+json;charset=utf-8")));
        assert!(is_json(Some("application/json")));
        assert!(!is_json(Some("text/html")));
        assert!(!is_json(None));
    }

    #[test]
    fn decode_sorts_success_from_error_by_status() {
        let ok = json(200, r#"{"a":1}"#).decode_json::<serde_json::Value, (), serde_json::Value>().unwrap();
        assert_eq!(ok.body["a"], 1);
        let empty = json(204, "").decode_empty::<(), serde_json::Value>().unwrap();
        assert_eq!(empty.status, StatusCode::NO_CONTENT);
        let error = json(404, r#"{"errorCode":"X"}"#).decode_empty::<(), serde_json::Value>().unwrap_err();
        assert!(matches!(error, Error::Api(ref e) if e.body["errorCode"] == "X"), "{error:?}");
    }

    #[test]
    fn an_undocumented_success_is_decoded_as_the_documented_one() {
        let documented = [(Some(200), true), (Some(204), false)];
        assert_eq!(json(201, r#"{"a":1}"#).success_index(&documented), Some(0));
        assert_eq!(json(202, "").success_index(&documented), Some(1));
        assert_eq!(json(204, "").success_index(&documented), Some(1));
        assert_eq!(json(404, "{}").success_index(&documented), None);
        let created = json(201, r#"{"a":1}"#).decode_json::<serde_json::Value, (), serde_json::Value>().unwrap();
        assert_eq!(created.status, StatusCode::CREATED);
    }

    #[test]
    fn a_decode_error_names_its_json_path_and_keeps_the_body() {
        #[derive(Debug, serde::Deserialize)]
        struct Page {
            #[allow(dead_code, reason = "only decoded")]
            results: Vec<Item>,
        }
        #[derive(Debug, serde::Deserialize)]
        struct Item {
            #[allow(dead_code, reason = "only decoded")]
            count: i32,
        }
        let raw = json(200, r#"{"results":[{"count":1},{"count":"two"}]}"#);
        let error = raw.decode_json::<Page, (), serde_json::Value>().unwrap_err();
        let Error::UnexpectedResponse(answer) = error else { panic!("expected UnexpectedResponse") };
        assert_eq!(answer.json_path.as_deref(), Some("results[1].count"));
        assert!(answer.reason.contains("results[1].count"), "{}", answer.reason);
        assert_eq!(&answer.body[..], br#"{"results":[{"count":1},{"count":"two"}]}"#);
    }

    #[test]
    fn an_encoded_body_is_kept_raw_and_said_to_be_encoded() {
        let gzip = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03";
        for status in [200, 404] {
            let mut raw = json(status, "");
            raw.body = Bytes::from_static(gzip);
            raw.headers.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            let error = if status == 200 {
                raw.decode_json::<serde_json::Value, (), serde_json::Value>().unwrap_err()
            } else {
                raw.into_error::<(), serde_json::Value>().unwrap_err()
            };
            let Error::UnexpectedResponse(answer) = error else { panic!("expected UnexpectedResponse") };
            assert!(answer.reason.contains(r#"Content-Encoding "gzip""#), "{}", answer.reason);
            assert_eq!(&answer.body[..], gzip, "kept as received");
        }
        let mut identity = json(200, r#"{"a":1}"#);
        identity.headers.insert(CONTENT_ENCODING, HeaderValue::from_static("identity"));
        assert!(identity.decode_json::<serde_json::Value, (), serde_json::Value>().is_ok());
        let mut encoded_download = json(200, "bytes");
        encoded_download.headers.insert(CONTENT_ENCODING, HeaderValue::from_static("br"));
        assert!(encoded_download.decode_bytes::<(), serde_json::Value>().is_err());
    }

    #[test]
    fn a_reason_quotes_the_server_briefly() {
        let huge = "x".repeat(1_000_000);
        let body = format!(r#"{{"{huge}":1,"count":"{huge}"}}"#);
        #[derive(Debug, serde::Deserialize)]
        struct Counted {
            #[allow(dead_code, reason = "only decoded")]
            count: i32,
        }
        let error = json(200, &body).decode_json::<Counted, (), serde_json::Value>().unwrap_err();
        let Error::UnexpectedResponse(answer) = error else { panic!("expected UnexpectedResponse") };
        assert!(answer.reason.len() < 2 * MAX_QUOTED + 100, "{} bytes", answer.reason.len());
        assert!(answer.reason.starts_with("the body is not the documented JSON: at `count`: invalid type"));
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let error = json(404, &deep).into_error::<(), Vec<serde_json::Value>>().unwrap_err();
        let Error::UnexpectedResponse(answer) = error else { panic!("expected UnexpectedResponse") };
        assert!(answer.reason.contains("recursion limit") && answer.reason.len() < 2 * MAX_QUOTED + 100);
    }

    fn answer(status: u16, content_type: Option<&str>, body: &[u8]) -> RawResponse {
        let mut headers = HeaderMap::new();
        if let Some(content_type) = content_type {
            headers.insert(CONTENT_TYPE, HeaderValue::from_str(content_type).unwrap());
        }
        RawResponse::new(StatusCode::from_u16(status).unwrap(), headers, Bytes::copy_from_slice(body))
    }

    const PEM: &str = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";

    #[test]
    fn a_plain_string_answer_decodes_quoted_bare_or_empty() {
        let vendor = Some("application/vnd.atlas.2023-01-01+json;charset=utf-8");
        let quoted = serde_json::to_string(PEM).unwrap();
        for (content_type, body, expected) in [
            (vendor, quoted.as_str(), PEM),
            (vendor, PEM, PEM),
            (Some("text/plain"), PEM, PEM),
            (None, PEM, PEM),
            (vendor, "", ""),
            (vendor, "123", "123"),
            (vendor, "\"\"", ""),
        ] {
            let decoded = answer(201, content_type, body.as_bytes())
                .decode_json::<String, (), serde_json::Value>()
                .unwrap_or_else(|e| panic!("{body:?} under {content_type:?}: {e}"));
            assert_eq!(decoded.body, expected, "{body:?} under {content_type:?}");
            assert_eq!(decoded.status, StatusCode::CREATED);
            assert_eq!(&decoded.raw_body[..], body.as_bytes(), "the raw body is kept as received");
        }
        let secret = answer(201, vendor, PEM.as_bytes()).decode_json::<super::super::Secret, (), serde_json::Value>();
        assert_eq!(secret.unwrap().body.expose(), PEM);
    }

    #[test]
    fn a_non_utf8_answer_for_a_string_is_an_error_keeping_its_bytes_and_status() {
        let bytes = b"-----BEGIN \xff\xfe KEY-----";
        let error = answer(201, Some("application/vnd.atlas.2023-01-01+json"), bytes)
            .decode_json::<String, (), serde_json::Value>()
            .unwrap_err();
        let Error::UnexpectedResponse(kept) = error else { panic!("expected UnexpectedResponse") };
        assert_eq!(kept.status, StatusCode::CREATED);
        assert_eq!(&kept.body[..], bytes);
        assert!(kept.reason.contains("not UTF-8 (at byte 11)"), "{}", kept.reason);
    }

    #[test]
    fn bare_text_is_still_an_error_for_anything_but_a_plain_string() {
        #[derive(Debug, serde::Deserialize)]
        struct Key {
            #[allow(dead_code, reason = "only decoded")]
            id: Option<String>,
        }
        let vendor = Some("application/vnd.atlas.2023-01-01+json");
        assert!(answer(200, vendor, PEM.as_bytes()).decode_json::<Key, (), serde_json::Value>().is_err());
        assert!(answer(200, Some("text/html"), b"<html/>").decode_json::<Key, (), serde_json::Value>().is_err());
        // Truncated JSON for an untyped body is not a string: still the decode error, with its path.
        let error = answer(200, vendor, b"{\"a\":").decode_json::<serde_json::Value, (), serde_json::Value>();
        let Err(Error::UnexpectedResponse(kept)) = error else { panic!("expected UnexpectedResponse") };
        assert!(kept.reason.starts_with("the body is not the documented JSON"), "{}", kept.reason);
        assert!(answer(200, vendor, b"\xff").decode_json::<Vec<String>, (), serde_json::Value>().is_err());
    }

    #[test]
    fn debug_of_an_answer_shows_the_raw_body_length_not_its_bytes() {
        let decoded = answer(201, Some("text/plain"), PEM.as_bytes())
            .decode_json::<super::super::Secret, (), serde_json::Value>()
            .unwrap();
        let shown = format!("{decoded:?}");
        assert!(!shown.contains("PRIVATE KEY"), "{shown}");
        assert!(shown.contains(&format!("raw_body: <{} bytes>", PEM.len())), "{shown}");
    }

    #[test]
    fn html_error_is_kept_raw() {
        let mut raw = json(502, "<html>Bad Gateway</html>");
        raw.headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/html"));
        let err = raw.into_error::<(), serde_json::Value>().unwrap_err();
        match err {
            Error::UnexpectedResponse(e) => assert_eq!(&e.body[..], b"<html>Bad Gateway</html>"),
            other => panic!("expected UnexpectedResponse, got {other:?}"),
        }
    }
}
