//! Answer bodies: Atlas error JSON, the digest 401, the 429, envelopes, and `pretty=true` printing.

use serde_json::{Value, json};

pub use super::operations::V2_CONTENT_TYPE;
/// `Content-Type` of error answers.
pub const ERROR_CONTENT_TYPE: &str = "application/json";
/// `Content-Type` of the digest challenge, as the live service sent it in every recorded 401.
pub const CHALLENGE_CONTENT_TYPE: &str = "application/json";

/// An Atlas `ApiError` body. Keys in alphabetical order, as the live service sends them:
/// `{"detail":...,"error":404,"errorCode":...,"parameters":[...],"reason":"Not Found"}`.
pub fn api_error(status: u16, error_code: &str, detail: &str, parameters: Vec<Value>) -> Value {
    json!({
        "detail": detail,
        "error": status,
        "errorCode": error_code,
        "parameters": parameters,
        "reason": reason_phrase(status),
    })
}

/// The body of the digest challenge, always pretty-printed by the service, keys in this order.
pub fn challenge_body() -> String {
    let body = json!({
        "error": 401,
        "reason": "Unauthorized",
        "detail": "You are not authorized for this resource.",
        "errorCode": "UNEXPECTED_ERROR",
    });
    pretty(&body)
}

/// The 429 body of a token bucket (ATLAS-FACTS "Rate limits").
pub fn rate_limited_body(endpoint: &str, retry_after: u64, capacity: u32, refill: u32, period_secs: u64) -> Value {
    let detail = format!(
        "You have exceeded the rate limit of {endpoint}. Please retry after {retry_after} seconds. \
         Request capacity: {capacity}. Refill rate: {refill} per {period_secs} seconds."
    );
    api_error(
        429,
        "RATE_LIMITED_TOKEN_BUCKET",
        &detail,
        vec![json!(endpoint), json!(retry_after), json!(capacity), json!(refill), json!(period_secs)],
    )
}

/// `{"status": N, "content": ...}` for `envelope=true`; a bodiless answer has no `content`.
pub fn envelope(status: u16, content: Option<Value>) -> Value {
    match content {
        Some(content) => json!({ "status": status, "content": content }),
        None => json!({ "status": status }),
    }
}

/// Renders JSON compactly, or pretty-printed for `pretty=true`.
pub fn render(value: &Value, pretty_print: bool) -> String {
    if pretty_print { pretty(value) } else { value.to_string() }
}

/// Pretty-prints like Jackson's default pretty printer (the service is a Java application): two-space
/// indented objects, `"key" : value`, arrays on one line as `[ 1, 2 ]`, empty containers as `[ ]` and `{ }`.
pub fn pretty(value: &Value) -> String {
    let mut out = String::new();
    write_pretty(value, 0, &mut out);
    out
}

fn write_pretty(value: &Value, depth: usize, out: &mut String) {
    match value {
        Value::Object(map) if map.is_empty() => out.push_str("{ }"),
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                out.push_str(&"  ".repeat(depth + 1));
                out.push_str(&Value::String(key.clone()).to_string());
                out.push_str(" : ");
                write_pretty(item, depth + 1, out);
            }
            out.push('\n');
            out.push_str(&"  ".repeat(depth));
            out.push('}');
        }
        Value::Array(items) if items.is_empty() => out.push_str("[ ]"),
        Value::Array(items) => {
            out.push_str("[ ");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_pretty(item, depth, out);
            }
            out.push_str(" ]");
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// The reason phrase Atlas puts in `reason`.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        _ => "Error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_not_found_matches_the_live_body_byte_for_byte() {
        let id = "5953c5f380eef53887615f9a";
        let body = api_error(404, "GROUP_NOT_FOUND", &format!("No group with ID {id} exists."), vec![json!(id)]);
        assert_eq!(
            body.to_string(),
            r#"{"detail":"No group with ID 5953c5f380eef53887615f9a exists.","error":404,"errorCode":"GROUP_NOT_FOUND","parameters":["5953c5f380eef53887615f9a"],"reason":"Not Found"}"#
        );
    }

    #[test]
    fn pretty_printing_is_jackson_style() {
        assert_eq!(
            challenge_body(),
            "{\n  \"error\" : 401,\n  \"reason\" : \"Unauthorized\",\n  \"detail\" : \"You are not authorized for this resource.\",\n  \"errorCode\" : \"UNEXPECTED_ERROR\"\n}"
        );
        assert_eq!(
            pretty(&json!({"a": [], "b": {}, "c": [1, "x"]})),
            "{\n  \"a\" : [ ],\n  \"b\" : { },\n  \"c\" : [ 1, \"x\" ]\n}"
        );
    }
}
