//! Sending a request: URL, headers, authentication, reading the answer, unwrapping an envelope.

use reqwest::header::{ACCEPT, USER_AGENT};

use super::client::{ClientInner, request_url};
use super::error::{AuthError, AuthErrorKind, Error, RawAnswer, TransportError};
use super::request::OperationRequest;
use super::response::{RawResponse, unwrap_envelope};

pub(crate) async fn execute<E>(inner: &ClientInner, request: OperationRequest) -> Result<RawResponse, Error<E>> {
    inner.auth.check_allowed(request.operation_id, request.security).map_err(Error::Auth)?;
    let url = request_url(&inner.base_url, &request)?;
    let mut builder = inner
        .http
        .request(request.method.clone(), url)
        .header(ACCEPT, request.accept)
        .header(USER_AGENT, inner.user_agent.as_str());
    if !request.security.is_empty()
        && let Some((name, value)) = inner.auth.authorization()
    {
        builder = builder.header(name, value);
    }
    let response = builder.send().await.map_err(|e| Error::Transport(TransportError::from_reqwest(e, 1)))?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.map_err(|e| Error::Transport(TransportError::from_reqwest(e, 1)))?;
    let mut raw = RawResponse::new(status, headers, body);
    if request.wants_envelope() {
        raw = unwrap_envelope(raw);
    }
    if raw.status == reqwest::StatusCode::UNAUTHORIZED {
        return Err(Error::Auth(AuthError {
            kind: AuthErrorKind::Rejected,
            status: Some(raw.status),
            message: format!("{} answered 401", request.operation_id),
            response: Some(RawAnswer { headers: raw.headers, body: raw.body }),
        }));
    }
    Ok(raw)
}
