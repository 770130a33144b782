use reqwest::Method;

use super::*;

const GROUP_NOT_FOUND: &str = r#"{"detail":"No group with ID 5953c5f380eef53887615f9a exists.","error":404,"errorCode":"GROUP_NOT_FOUND","parameters":["5953c5f380eef53887615f9a"],"reason":"Not Found"}"#;
const PATH: &str = "/api/atlas/v2/groups/5953c5f380eef53887615f9a/apiKeys/6501f7a0c3a5b1d2e4f60718";

fn context() -> RequestContext {
    RequestContext::new("removeGroupApiKey", Method::DELETE, PATH)
}

fn occurrences(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn an_api_error_names_operation_method_path_status_code_and_detail_once_each() {
    let error: Error<serde_json::Value> =
        ErrorResponse::new(StatusCode::NOT_FOUND, serde_json::Value::Null, GROUP_NOT_FOUND)
            .with_error_code("GROUP_NOT_FOUND")
            .with_detail("No group with ID 5953c5f380eef53887615f9a exists.")
            .with_request(context())
            .into();
    let shown = error.to_string();
    for part in [
        "removeGroupApiKey",
        "DELETE",
        PATH,
        "404 Not Found",
        "GROUP_NOT_FOUND",
        "No group with ID 5953c5f380eef53887615f9a exists.",
    ] {
        assert_eq!(occurrences(&shown, part), 1, "{part:?} in {shown:?}");
    }
    assert_eq!(
        shown,
        format!(
            "removeGroupApiKey (DELETE {PATH}): the service answered 404 Not Found GROUP_NOT_FOUND: No group with ID \
             5953c5f380eef53887615f9a exists."
        )
    );
}

#[test]
fn without_detail_or_code_nothing_is_made_up() {
    let error: Error<()> = ErrorResponse::new(StatusCode::INTERNAL_SERVER_ERROR, (), "{}").into();
    assert_eq!(error.to_string(), "the service answered 500 Internal Server Error");
}

#[test]
fn the_result_stays_small() {
    // clippy's result_large_err fires at 128 bytes; boxing keeps the error at a tag and a pointer.
    assert!(std::mem::size_of::<Error<serde_json::Value>>() <= 16);
    assert!(std::mem::size_of::<Result<(), Error<serde_json::Value>>>() <= 16);
}

#[test]
fn an_invalid_id_is_printed_once_along_the_chain() {
    let id = InvalidId { kind: "OrgId", value: "abc".into(), reason: "it is too short".into() };
    let error: Error<()> = id.into();
    assert_eq!(error.to_string(), "invalid OrgId \"abc\": it is too short");
    assert!(std::error::Error::source(&error).is_none());
}

#[test]
fn a_message_quotes_the_servers_code_and_detail_briefly() {
    let (code, detail) = ("C".repeat(100_000), "d".repeat(1_000_000));
    let body = format!(r#"{{"errorCode":"{code}","detail":"{detail}"}}"#);
    let error: Error<()> =
        ErrorResponse::new(StatusCode::BAD_REQUEST, (), body.clone()).with_error_code(code).with_detail(detail).into();
    let shown = error.to_string();
    assert!(shown.len() < 2000, "{} bytes", shown.len());
    assert!(shown.starts_with("the service answered 400 Bad Request CCC") && shown.ends_with("ddd…"), "{shown}");
    assert_eq!(error.error_code().map(|code| code.len()), Some(100_000), "the code itself is kept whole");
    let Error::Api(answer) = error else { unreachable!() };
    assert_eq!(answer.raw_body.len(), body.len(), "and so is the body");
}
