//! Turning a raw answer into the typed outcome the generated code promises.

use std::str::FromStr;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use serde::de::DeserializeOwned;

use super::error::{Error, ErrorResponse, RequestContext, UnexpectedResponse};

/// Response headers the spec documents for an operation, decoded into a generated struct.
pub trait ResponseHeaders: Sized {
    /// Reads the documented headers; a missing or unparsable header becomes `None`.
    fn from_headers(headers: &HeaderMap) -> Self;
}

impl ResponseHeaders for () {
    fn from_headers(_: &HeaderMap) -> Self {}
}

/// Reads one header as `T`; missing or unparsable values are `None` (the service may omit any of them).
pub fn header_value<T: FromStr>(headers: &HeaderMap, name: &str) -> Option<T> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// A successful answer: its status, its documented headers, and its body.
#[derive(Debug, Clone)]
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
}

impl<T, H> ApiResponse<T, H> {
    /// A successful answer from its parts, with no raw headers: for tests of code that handles answers.
    pub fn new(status: StatusCode, headers: H, body: T) -> Self {
        ApiResponse { status, headers, body, raw_headers: HeaderMap::new() }
    }

    /// Sets the headers as received.
    pub fn with_raw_headers(mut self, raw_headers: HeaderMap) -> Self {
        self.raw_headers = raw_headers;
        self
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
}

impl RawResponse {
    /// A raw answer from its parts.
    pub fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        RawResponse { status, headers, body, request: None }
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

    /// The `Content-Type` header, if present and readable.
    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok())
    }

    /// The outcome of an operation whose success carries no body: any 2xx is success (its body ignored),
    /// anything else an error.
    pub fn decode_empty<H: ResponseHeaders, E: DeserializeOwned>(self) -> Result<ApiResponse<(), H>, Error<E>> {
        if self.status.is_success() { self.empty_success() } else { self.into_error() }
    }

    /// The outcome of an operation whose success carries a JSON body of type `T`: any 2xx is decoded as
    /// `T`, anything else is an error.
    pub fn decode_json<T: DeserializeOwned, H: ResponseHeaders, E: DeserializeOwned>(
        self,
    ) -> Result<ApiResponse<T, H>, Error<E>> {
        if self.status.is_success() { self.json_success() } else { self.into_error() }
    }

    /// A success that carries no body: whatever body came is ignored.
    pub fn empty_success<H: ResponseHeaders, E>(self) -> Result<ApiResponse<(), H>, Error<E>> {
        Ok(ApiResponse {
            status: self.status,
            headers: H::from_headers(&self.headers),
            body: (),
            raw_headers: self.headers,
        })
    }

    /// A success whose body is JSON of type `T`.
    pub fn json_success<T: DeserializeOwned, H: ResponseHeaders, E>(self) -> Result<ApiResponse<T, H>, Error<E>> {
        if !is_json(self.content_type()) {
            return Err(self.unexpected("the content type is not JSON".to_owned()));
        }
        match serde_json::from_slice(&self.body) {
            Ok(body) => Ok(ApiResponse {
                status: self.status,
                headers: H::from_headers(&self.headers),
                body,
                raw_headers: self.headers,
            }),
            Err(e) => Err(self.unexpected(format!("the body is not the documented JSON: {e}"))),
        }
    }

    /// An error answer: decoded as `E` when it is JSON of that shape, kept raw otherwise.
    pub fn into_error<T, E: DeserializeOwned>(self) -> Result<T, Error<E>> {
        if !is_json(self.content_type()) {
            return Err(self.unexpected("the content type is not JSON".to_owned()));
        }
        match serde_json::from_slice(&self.body) {
            Ok(body) => Err(Error::Api(Box::new(ErrorResponse {
                status: self.status,
                body,
                headers: self.headers,
                raw_body: self.body,
                request: self.request,
            }))),
            Err(e) => Err(self.unexpected(format!("the body is not the documented error JSON: {e}"))),
        }
    }

    fn unexpected<E>(self, reason: String) -> Error<E> {
        let mut unexpected = UnexpectedResponse::new(self.status, self.headers, self.body, reason);
        unexpected.request = self.request;
        Error::UnexpectedResponse(Box::new(unexpected))
    }
}

/// `application/json`, `application/vnd.atlas.2023-01-01+json;charset=utf-8` and the like.
pub(crate) fn is_json(content_type: Option<&str>) -> bool {
    let Some(content_type) = content_type else { return false };
    let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Unwraps an `envelope=true` answer: `200 {"status": N, "content": ...}` becomes status `N` with body
/// `content`, so the caller sees exactly what it would have seen without the envelope. Anything that is not
/// an envelope is returned unchanged and decoded as usual.
pub(crate) fn unwrap_envelope(response: RawResponse) -> RawResponse {
    if !is_json(response.content_type()) {
        return response;
    }
    let Ok(serde_json::Value::Object(mut map)) = serde_json::from_slice::<serde_json::Value>(&response.body) else {
        return response;
    };
    let Some(status) = map
        .get("status")
        .and_then(serde_json::Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .and_then(|s| StatusCode::from_u16(s).ok())
    else {
        return response;
    };
    let body = match map.remove("content") {
        None | Some(serde_json::Value::Null) => Bytes::new(),
        Some(content) => match serde_json::to_vec(&content) {
            Ok(bytes) => Bytes::from(bytes),
            Err(_) => return response,
        },
    };
    RawResponse { status, headers: response.headers, body, request: response.request }
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
    fn envelope_with_error_content_becomes_the_real_status() {
        let raw = unwrap_envelope(json(200, r#"{"status":404,"content":{"error":404,"errorCode":"GROUP_NOT_FOUND"}}"#));
        assert_eq!(raw.status, StatusCode::NOT_FOUND);
        assert_eq!(&raw.body[..], br#"{"error":404,"errorCode":"GROUP_NOT_FOUND"}"#);
    }

    #[test]
    fn envelope_without_content_becomes_an_empty_body() {
        let raw = unwrap_envelope(json(200, r#"{"status":204}"#));
        assert_eq!(raw.status, StatusCode::NO_CONTENT);
        assert!(raw.body.is_empty());
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
