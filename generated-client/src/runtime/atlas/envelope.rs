//! Atlas's answer envelope: with `envelope=true` in the query the service answers 200 and wraps the real
//! answer as `{"status": N, "content": ...}`, for clients that cannot read status codes. The runtime
//! unwraps it, so the caller sees exactly what it would have seen without the envelope.

use bytes::Bytes;
use reqwest::StatusCode;

use super::super::request::OperationRequest;
use super::super::response::{RawResponse, is_json};

/// True when the request asks for an envelope.
pub(crate) fn requested(request: &OperationRequest) -> bool {
    request.query_value("envelope") == Some("true")
}

/// `200 {"status": N, "content": ...}` becomes status `N` with body `content` (empty when there is none).
/// Anything that is not an envelope is returned unchanged and decoded as usual.
pub(crate) fn unwrap(response: RawResponse) -> RawResponse {
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
    RawResponse { status, body, ..response }
}

#[cfg(test)]
mod tests {
    use reqwest::Method;
    use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};

    use super::*;

    fn json(status: u16, body: &str) -> RawResponse {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        RawResponse::new(StatusCode::from_u16(status).unwrap(), headers, Bytes::from(body.to_owned()))
    }

    #[test]
    fn envelope_is_requested_only_when_true() {
        let request = OperationRequest::new("op", Method::DELETE, "/x", "/x".into(), "application/json", &[]);
        assert!(!requested(&request.clone().query("envelope", false)));
        assert!(!requested(&request));
        assert!(requested(&request.query("envelope", true)));
    }

    #[test]
    fn envelope_with_error_content_becomes_the_real_status() {
        let raw = unwrap(json(200, r#"{"status":404,"content":{"error":404,"errorCode":"GROUP_NOT_FOUND"}}"#));
        assert_eq!(raw.status(), StatusCode::NOT_FOUND);
        assert_eq!(&raw.body()[..], br#"{"error":404,"errorCode":"GROUP_NOT_FOUND"}"#);
    }

    #[test]
    fn envelope_without_content_becomes_an_empty_body() {
        let raw = unwrap(json(200, r#"{"status":204}"#));
        assert_eq!(raw.status(), StatusCode::NO_CONTENT);
        assert!(raw.body().is_empty());
        let not_one = unwrap(json(200, r#"{"results":[]}"#));
        assert_eq!(not_one.status(), StatusCode::OK, "not an envelope: unchanged");
    }
}
