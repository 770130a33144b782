//! Atlas's error answers: the shape of its error body, and which error codes say that the target of a
//! delete does not exist ("already gone").
//!
//! "Already gone" turns an error into a success ([`crate::runtime::ResultExt::ignore_already_gone`]), so it
//! must mean that Atlas itself said so about that resource. A bare 404 says nothing: a proxy, a gateway or a
//! base URL with a stray path answers 404 for a route it does not know, and the key is then still there.
//! So an answer counts only when all of these hold:
//!
//! - the request was a `DELETE`;
//! - the body is Atlas's error body: a JSON object (JSON content type, no content encoding) whose `error`
//!   is the answer's status and whose `errorCode` is a string, and an `X-Error-Code` header, when present,
//!   says the same code;
//! - the status and code are the ones Atlas documents for a missing resource of the kind the path deletes
//!   ([`MISSING_RESOURCE_CODES`], by the collection named just before the path's last parameter).
//!
//! A missing organization or project (`ORG_NOT_FOUND`, `GROUP_NOT_FOUND`, `INVALID_*`) is not "gone": the
//! id is most likely wrong. `RESOURCE_NOT_FOUND` is not either: Atlas answers it for any path it does not
//! know.

use bytes::Bytes;
use reqwest::header::{CONTENT_ENCODING, CONTENT_TYPE, HeaderMap};
use reqwest::{Method, StatusCode};

use super::super::profile::ErrorText;

/// The header in which Atlas repeats the error code of an error answer.
pub(crate) const ERROR_CODE_HEADER: &str = "x-error-code";

/// The error code Atlas answers for a missing resource of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MissingResourceCode {
    /// The path segment that names the collection, just before the resource's id
    /// (`/api/atlas/v2/orgs/{orgId}/apiKeys/{apiUserId}` → `apiKeys`).
    pub collection: &'static str,
    /// The status of the answer.
    pub status: u16,
    /// Its `errorCode`.
    pub code: &'static str,
}

/// Every missing-resource code the client knows, each with where it is documented or seen. A resource kind
/// not listed here is never "already gone": the client would rather report an error than a false success.
pub const MISSING_RESOURCE_CODES: &[MissingResourceCode] = &[
    // ATLAS-FACTS ("a key that is already gone answers 400 API_KEY_NOT_FOUND, not 404"), the Terraform
    // provider's handling, and Atlas's error-code reference ("No API key with ID %s exists."). Both
    // deleteOrgApiKey and removeGroupApiKey end in `/apiKeys/{apiUserId}`.
    MissingResourceCode { collection: "apiKeys", status: 400, code: "API_KEY_NOT_FOUND" },
];

/// The error code and detail of an Atlas error answer: the code from `X-Error-Code` when present, else the
/// body's `errorCode`; the detail from the body's `detail`.
pub(crate) fn read_error(_status: StatusCode, headers: &HeaderMap, body: &Bytes) -> ErrorText {
    let fields = match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(fields)) => Some(fields),
        _ => None,
    };
    let field = |name: &str| fields.as_ref()?.get(name)?.as_str().map(str::to_owned);
    let code = match error_code_header(headers) {
        Some(code) => Some(code.to_owned()),
        None => field("errorCode"),
    };
    (code, field("detail"))
}

/// True when the answer to a `method` request on `path_template` says, in Atlas's own words, that the
/// resource the request deletes does not exist (see the module docs for the rule).
pub(crate) fn already_gone(
    method: &Method,
    path_template: &str,
    status: StatusCode,
    headers: &HeaderMap,
    body: &Bytes,
) -> bool {
    if *method != Method::DELETE {
        return false;
    }
    let Some(collection) = deleted_collection(path_template) else { return false };
    let Some(code) = atlas_error_code(status, headers, body) else { return false };
    MISSING_RESOURCE_CODES
        .iter()
        .any(|known| known.collection == collection && known.status == status.as_u16() && known.code == code)
}

/// The collection a path's last parameter is an id in: `/a/{x}/apiKeys/{id}` → `apiKeys`. `None` when the
/// path does not end in a parameter (then it names no single resource).
fn deleted_collection(path_template: &str) -> Option<&str> {
    let mut segments = path_template.trim_end_matches('/').rsplit('/');
    let last = segments.next()?;
    if !(last.starts_with('{') && last.ends_with('}')) {
        return None;
    }
    segments.next().filter(|segment| !segment.is_empty() && !segment.starts_with('{'))
}

/// The `errorCode` of an answer whose body is Atlas's error body for this status, `None` for anything else
/// (an HTML page, another service's JSON, a body whose `error` names another status, a header that
/// contradicts the body).
fn atlas_error_code(status: StatusCode, headers: &HeaderMap, body: &Bytes) -> Option<String> {
    if headers.get_all(CONTENT_ENCODING).iter().any(|value| !value.as_bytes().eq_ignore_ascii_case(b"identity")) {
        return None;
    }
    let content_type = headers.get(CONTENT_TYPE)?.to_str().ok()?;
    if !is_json(content_type) {
        return None;
    }
    let serde_json::Value::Object(fields) = serde_json::from_slice(body).ok()? else { return None };
    if fields.get("error")?.as_u64()? != u64::from(status.as_u16()) {
        return None;
    }
    let code = fields.get("errorCode")?.as_str()?;
    if headers.contains_key(ERROR_CODE_HEADER) && error_code_header(headers) != Some(code) {
        return None;
    }
    Some(code.to_owned())
}

/// The `X-Error-Code` header, when it is there and readable: the one reader of it.
fn error_code_header(headers: &HeaderMap) -> Option<&str> {
    headers.get(ERROR_CODE_HEADER)?.to_str().ok()
}

fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    const ORG_KEY: &str = "/api/atlas/v2/orgs/{orgId}/apiKeys/{apiUserId}";

    fn answer(content_type: &str, code_header: Option<&str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_str(content_type).unwrap());
        if let Some(code) = code_header {
            headers.insert(ERROR_CODE_HEADER, HeaderValue::from_str(code).unwrap());
        }
        headers
    }

    fn gone(method: Method, template: &str, status: u16, headers: &HeaderMap, body: &str) -> bool {
        already_gone(&method, template, StatusCode::from_u16(status).unwrap(), headers, &Bytes::from(body.to_owned()))
    }

    const KEY_NOT_FOUND: &str = r#"{"detail":"No API key with ID 5d1d12c087d9d63e6d682438 exists.","error":400,"errorCode":"API_KEY_NOT_FOUND","parameters":["5d1d12c087d9d63e6d682438"],"reason":"Bad Request"}"#;

    #[test]
    fn atlas_saying_the_key_is_missing_is_gone() {
        let headers = answer("application/json", Some("API_KEY_NOT_FOUND"));
        assert!(gone(Method::DELETE, ORG_KEY, 400, &headers, KEY_NOT_FOUND));
        assert!(gone(Method::DELETE, ORG_KEY, 400, &answer("application/json", None), KEY_NOT_FOUND));
        let unassign = "/api/atlas/v2/groups/{groupId}/apiKeys/{apiUserId}";
        assert!(gone(Method::DELETE, unassign, 400, &headers, KEY_NOT_FOUND));
    }

    #[test]
    fn anything_short_of_that_is_not() {
        let headers = answer("application/json", None);
        // Not a delete, or not a path that names one resource.
        assert!(!gone(Method::GET, ORG_KEY, 400, &headers, KEY_NOT_FOUND));
        assert!(!gone(Method::DELETE, "/api/atlas/v2/orgs/{orgId}/apiKeys", 400, &headers, KEY_NOT_FOUND));
        // A bare 404, an HTML page, another service's JSON, Atlas's code for an unknown route.
        assert!(!gone(Method::DELETE, ORG_KEY, 404, &headers, ""));
        assert!(!gone(Method::DELETE, ORG_KEY, 404, &answer("text/html", None), "<html>Not Found</html>"));
        assert!(!gone(Method::DELETE, ORG_KEY, 404, &headers, r#"{"message":"Not Found","code":404}"#));
        let unknown_route = r#"{"detail":"Cannot find resource /x.","error":404,"errorCode":"RESOURCE_NOT_FOUND"}"#;
        assert!(!gone(Method::DELETE, ORG_KEY, 404, &headers, unknown_route));
        // A missing organization or project: most likely a wrong id.
        let org = r#"{"error":404,"errorCode":"ORG_NOT_FOUND"}"#;
        assert!(!gone(Method::DELETE, ORG_KEY, 404, &headers, org));
        // The right code with the wrong status, a status the body contradicts, a header that contradicts it,
        // a code of another kind of resource.
        assert!(!gone(Method::DELETE, ORG_KEY, 404, &headers, r#"{"error":404,"errorCode":"API_KEY_NOT_FOUND"}"#));
        assert!(!gone(Method::DELETE, ORG_KEY, 400, &headers, r#"{"error":404,"errorCode":"API_KEY_NOT_FOUND"}"#));
        assert!(!gone(Method::DELETE, ORG_KEY, 400, &answer("application/json", Some("OTHER")), KEY_NOT_FOUND));
        let clusters = "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}";
        assert!(!gone(Method::DELETE, clusters, 400, &headers, KEY_NOT_FOUND));
        // The body of a code in an encoding the client does not decode.
        let mut encoded = headers.clone();
        encoded.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        assert!(!gone(Method::DELETE, ORG_KEY, 400, &encoded, KEY_NOT_FOUND));
    }

    #[test]
    fn the_collection_is_the_segment_before_the_last_parameter() {
        assert_eq!(deleted_collection(ORG_KEY), Some("apiKeys"));
        assert_eq!(deleted_collection("/api/atlas/v1.0/users/{userId}/keys/{keyId}"), Some("keys"));
        assert_eq!(deleted_collection("/a/{x}/{y}"), None);
        assert_eq!(deleted_collection("/a/b"), None);
        assert_eq!(deleted_collection("{x}"), None);
    }
}
