//! Users can build every value an operation returns, to unit-test their own code without a server: the
//! success answer (a download's too), and each kind of error with its payload.

use atlas_admin::operations::ResponseHeaders;
use atlas_admin::runtime::{
    AuthError, AuthErrorKind, ErrorResponse, InvalidArgument, InvalidId, RawAnswer, RequestContext, TransportError,
    TransportErrorKind, UnexpectedResponse,
};
use atlas_admin::types::ApiError;
use atlas_admin::{ApiResponse, Error, ResultExt};
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};

type Deleted = ApiResponse<(), ResponseHeaders>;

/// The kind of code a user wants to test: what to print for each outcome of a delete.
fn describe(result: Result<Deleted, Error>) -> String {
    match result.ignore_already_gone() {
        Ok(Some(answer)) => format!("deleted, {:?} left", answer.headers.rate_limit_remaining),
        Ok(None) => "already gone".to_owned(),
        Err(error) if error.is_unauthorized() => format!("check the credentials: {error}"),
        Err(error) => match error.retry_after() {
            Some(seconds) => format!("try again in {seconds} s"),
            None => format!("failed: {error}"),
        },
    }
}

fn context() -> RequestContext {
    RequestContext::new("deleteOrgApiKey", Method::DELETE, "/api/atlas/v2/orgs/o/apiKeys/k")
}

/// Generated answer types are `#[non_exhaustive]` (a property added upstream must not break callers), so
/// they are built from `Default` and their public fields.
fn api_error(status: u16, code: &str) -> ApiError {
    let mut error = ApiError::default();
    error.detail = Some(format!("detail of {code}"));
    error.error = Some(i32::from(status));
    error.error_code = Some(code.to_owned());
    error
}

fn api(status: u16, code: &str, headers: HeaderMap) -> ErrorResponse<ApiError> {
    let body = api_error(status, code);
    let raw = serde_json::to_vec(&body).unwrap();
    // The code and detail a client reads from the answer when it arrives; a test says them.
    ErrorResponse::new(StatusCode::from_u16(status).unwrap(), body, raw)
        .with_headers(headers)
        .with_error_code(code)
        .with_detail(format!("detail of {code}"))
        .with_request(context())
}

#[test]
fn a_success_answer() {
    let mut headers = ResponseHeaders::default();
    headers.rate_limit_limit = Some(500);
    headers.rate_limit_remaining = Some(499);
    let answer = ApiResponse::new(StatusCode::NO_CONTENT, headers, ()).with_raw_headers(HeaderMap::new());
    assert_eq!(describe(Ok(answer)), "deleted, Some(499) left");
}

#[test]
fn decoded_error_answers() {
    // "Already gone" is what the client decides when Atlas's answer says so; a test sets it.
    let gone = api(400, "API_KEY_NOT_FOUND", HeaderMap::new()).with_already_gone(true);
    assert_eq!(describe(Err(gone.into())), "already gone");
    let mut headers = HeaderMap::new();
    headers.insert("retry-after", HeaderValue::from_static("55"));
    assert_eq!(describe(Err(api(429, "RATE_LIMITED", headers).into())), "try again in 55 s");
    let error: Error = api(404, "ORG_NOT_FOUND", HeaderMap::new()).into();
    assert!(!error.is_already_gone());
    assert_eq!(error.error_code().as_deref(), Some("ORG_NOT_FOUND"));
    assert_eq!(
        describe(Err(error)),
        "failed: deleteOrgApiKey (DELETE /api/atlas/v2/orgs/o/apiKeys/k): the service answered 404 Not Found \
         ORG_NOT_FOUND: detail of ORG_NOT_FOUND"
    );
}

#[test]
fn the_other_kinds_of_error() {
    let unexpected = UnexpectedResponse::new(StatusCode::BAD_GATEWAY, HeaderMap::new(), "<html/>", "not JSON");
    assert_eq!(Error::from(unexpected).status(), Some(StatusCode::BAD_GATEWAY));

    let mut headers = HeaderMap::new();
    headers.insert("x-error-code", HeaderValue::from_static("USER_UNAUTHORIZED"));
    let answer = RawAnswer::new(headers, "{}").with_error_code("USER_UNAUTHORIZED");
    let auth = AuthError::new(AuthErrorKind::NotAuthorized, "not authorized")
        .with_answer(StatusCode::UNAUTHORIZED, answer)
        .with_request(context());
    let auth: Error = auth.into();
    assert_eq!(auth.error_code().as_deref(), Some("USER_UNAUTHORIZED"));
    assert_eq!(
        describe(Err(auth)),
        "check the credentials: deleteOrgApiKey (DELETE /api/atlas/v2/orgs/o/apiKeys/k): not authorized"
    );

    let transport: Error = TransportError::new(TransportErrorKind::Timeout, 4).with_request(context()).into();
    assert_eq!(
        describe(Err(transport)),
        "failed: deleteOrgApiKey (DELETE /api/atlas/v2/orgs/o/apiKeys/k): no answer after 4 attempt(s): timed out"
    );

    let invalid = InvalidId { kind: "OrgId", value: "x".into(), reason: "too short".into() };
    let argument: Error = InvalidArgument::Id(invalid.clone()).into();
    assert_eq!(describe(Err(argument)), "failed: invalid OrgId \"x\": too short");
    assert_eq!(Error::from(invalid).to_string(), "invalid OrgId \"x\": too short");
}

#[tokio::test]
async fn a_download_can_be_built_by_hand() {
    use atlas_admin::runtime::ByteStream;
    let mut answer = ApiResponse::new(StatusCode::OK, (), ByteStream::from_bytes("file contents"));
    assert_eq!(answer.body.chunk().await.unwrap().as_deref(), Some(&b"file contents"[..]));
    assert_eq!(answer.body.chunk().await.unwrap(), None);
    let mut too_large = TransportError::new(TransportErrorKind::BodyTooLarge, 1);
    too_large.status = Some(StatusCode::OK);
    too_large.body_limit = Some(1024);
    let error: Error = too_large.into();
    assert_eq!(error.status(), Some(StatusCode::OK));
    assert!(error.to_string().contains("limit of 1024 bytes"), "{error}");
}
