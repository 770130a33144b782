//! The client: shared state, the one entry point generated code calls, token revocation.

use std::sync::Arc;

use reqwest::Url;

use super::auth::Authenticator;
use super::builder::ClientBuilder;
use super::error::{AuthError, Error, InvalidArgument};
use super::request::OperationRequest;
use super::response::RawResponse;
use super::retry::RetryPolicy;
use super::stream::RawStream;
use super::transport;

/// The default base URL of the Atlas Administration API.
pub const DEFAULT_BASE_URL: &str = "https://cloud.mongodb.com";

/// A client for the API. Cheap to clone; clones share connections and authentication state.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<ClientInner>,
}

pub(crate) struct ClientInner {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: Url,
    pub(crate) auth: Authenticator,
    pub(crate) user_agent: String,
    pub(crate) retry: RetryPolicy,
    /// Set per request: a caller's own `reqwest::Client` keeps its connect timeout, but every attempt
    /// still ends after this long.
    pub(crate) timeout: std::time::Duration,
    /// The most bytes of one answer's body read into memory.
    pub(crate) max_body_size: usize,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("auth", &self.inner.auth)
            .field("user_agent", &self.inner.user_agent)
            .field("retry", &self.inner.retry)
            .field("max_body_size", &self.inner.max_body_size)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The `User-Agent` every request carries.
    pub fn user_agent(&self) -> &str {
        &self.inner.user_agent
    }

    /// Sends one operation's request and returns the raw answer for the generated code to decode.
    ///
    /// This is the single entry point: it authenticates (answering a digest challenge or fetching a token
    /// when needed), retries as the [`RetryPolicy`] allows, and unwraps an `envelope=true` answer. A final
    /// 401 becomes [`Error::Auth`]; every other answer, including a 429 left after the retries, is returned
    /// for decoding.
    ///
    /// Every answer's body is read into memory, at most [`ClientBuilder::max_body_size`] bytes of it: past
    /// that the call ends with a [`TransportErrorKind::BodyTooLarge`](super::TransportErrorKind) error.
    pub async fn execute<E>(&self, request: OperationRequest) -> Result<RawResponse, Error<E>> {
        transport::execute(&self.inner, request).await
    }

    /// Sends one operation's request like [`Client::execute`] (authentication, retries, envelope), but
    /// leaves the body of a final 2xx answer unread, for [`RawStream::decode_stream`] to hand out as a
    /// [`ByteStream`](super::ByteStream): a download of any size in constant memory.
    ///
    /// Any other answer (an error, a 401 challenge, a 503 before a retry) is read within the body limit as
    /// usual, and so is a 2xx that must be read to be understood (an `envelope=true` answer, a body with a
    /// `Content-Encoding`). The answer's head must arrive within the attempt timeout
    /// ([`ClientBuilder::timeout`]); the body then may take as long as it needs, as long as each chunk
    /// arrives within that timeout of the last.
    pub async fn execute_streaming<E>(&self, request: OperationRequest) -> Result<RawStream, Error<E>> {
        transport::execute_streaming(&self.inner, request).await
    }

    /// Revokes the service-account token this client holds (`POST {base_url}/api/oauth/revoke`), so it
    /// stops working at once instead of living out its hour. Call it when done: Atlas limits how many
    /// tokens a client may hold and request.
    ///
    /// Returns `Ok(true)` when a token was revoked, `Ok(false)` when there was nothing to revoke (no token
    /// fetched yet, or the client does not use a service account). A later call fetches a new token.
    pub async fn revoke_token(&self) -> Result<bool, AuthError> {
        match &self.inner.auth {
            Authenticator::ServiceAccount(source) => source.revoke(&self.inner.http, &self.inner.user_agent).await,
            Authenticator::None | Authenticator::Bearer(_) | Authenticator::Basic { .. } | Authenticator::Digest(_) => {
                Ok(false)
            }
        }
    }
}

/// Joins the base URL, the path and the query of a request.
pub(crate) fn request_url(base: &Url, request: &OperationRequest) -> Result<Url, InvalidArgument> {
    let mut url = base.clone();
    // A base without a path still has "/" as its path; appending to it would double the slash.
    let path = format!("{}{}", base.path().trim_end_matches('/'), request.path);
    url.set_path(&path);
    if request.query.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(request.query.iter().map(|(k, v)| (*k, v.as_str())));
    }
    if url.path() != path {
        return Err(InvalidArgument::Url(format!(
            "{}: the path {:?} changes when joined to the base URL",
            request.operation_id, request.path
        )));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_join_path_and_query() {
        let base = Url::parse("http://127.0.0.1:8080/prefix").unwrap();
        let request =
            OperationRequest::new("op", reqwest::Method::DELETE, "/a/{id}", "/a/x%2Fy".into(), "application/json", &[])
                .query("pretty", true);
        let url = request_url(&base, &request).unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:8080/prefix/a/x%2Fy?pretty=true");
    }

    #[test]
    fn a_base_without_a_path_adds_no_slash() {
        let client = Client::builder().base_url("http://127.0.0.1:8080/").build().unwrap();
        let request = OperationRequest::new("op", reqwest::Method::DELETE, "/a", "/a".into(), "application/json", &[]);
        let url = request_url(client.base_url(), &request).unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:8080/a");
    }
}
