//! The client: shared state, the one entry point generated code calls, token revocation.

use std::sync::Arc;

use reqwest::Url;

use super::error::{AuthError, Error};
use super::request::OperationRequest;
use super::response::RawResponse;
use super::stream::RawStream;
use super::transport::Engine;

/// A client for the API. Cheap to clone; clones share connections, authentication state and the pacing
/// budget.
///
/// Build one with `Client::builder()` (see [`super::ClientBuilder`]); each operation of the API is a method
/// that returns a request builder, sent with `.send().await`:
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use atlas_admin::{ApiUserId, Client, OrgId, ResultExt};
///
/// let client = Client::builder().from_env()?.build()?;
/// let org: OrgId = "5953c5f380eef53887615f9a".parse()?;
/// let key: ApiUserId = "5d1d12c087d9d63e6d682438".parse()?;
/// match client.delete_org_api_key(&org, &key).send().await.ignore_already_gone()? {
///     Some(answer) => println!("deleted; {:?} calls left", answer.headers.rate_limit_remaining),
///     None => println!("already gone"),
/// }
/// client.revoke_token().await?; // a service account's token, when done
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Engine>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let engine = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &engine.base_url.as_str())
            .field("auth", &engine.auth)
            .field("user_agent", &engine.wire.user_agent)
            .field("retry", &engine.retry)
            .field("pacing", &engine.pacer.enabled())
            .field("max_body_size", &engine.wire.max_body_size)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// The base URL requests go to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The `User-Agent` every request carries.
    pub fn user_agent(&self) -> &str {
        &self.inner.wire.user_agent
    }

    /// Sends one operation's request and returns the raw answer for the generated code to decode.
    ///
    /// This is the single entry point: it paces the call under the service's rate limit, authenticates
    /// (answering a digest challenge or fetching a token when needed), retries as the
    /// [`RetryPolicy`](super::RetryPolicy) allows, and unwraps an answer envelope the request asked for. A
    /// final 401 becomes [`Error::Auth`]; every other answer, including a 429 left after the retries, is
    /// returned for decoding.
    ///
    /// Every answer's body is read into memory, at most [`ClientBuilder::max_body_size`] bytes of it: past
    /// that the call ends with a [`TransportErrorKind::BodyTooLarge`](super::TransportErrorKind) error.
    ///
    /// [`ClientBuilder::max_body_size`]: super::ClientBuilder::max_body_size
    pub async fn execute<E>(&self, request: OperationRequest) -> Result<RawResponse, Error<E>> {
        self.inner.execute(request).await
    }

    /// Sends one operation's request like [`Client::execute`] (pacing, authentication, retries, envelope),
    /// but leaves the body of a final 2xx answer unread, for [`RawStream::decode_stream`] to hand out as a
    /// [`ByteStream`](super::ByteStream): a download of any size in constant memory.
    ///
    /// Any other answer (an error, a 401 challenge, a 503 before a retry) is read within the body limit as
    /// usual, and so is a 2xx that must be read to be understood (an enveloped answer, a body with a
    /// `Content-Encoding`). The answer's head must arrive within the attempt timeout
    /// ([`ClientBuilder::timeout`](super::ClientBuilder::timeout)); the body then may take as long as it
    /// needs, as long as each chunk arrives within that timeout of the last.
    pub async fn execute_streaming<E>(&self, request: OperationRequest) -> Result<RawStream, Error<E>> {
        self.inner.execute_streaming(request).await
    }

    /// Revokes the service-account token this client holds (for Atlas `POST {base_url}/api/oauth/revoke`),
    /// so it stops working at once instead of living out its hour, and removes it from the token store.
    /// Call it when done: Atlas limits how many tokens a client may hold and request.
    ///
    /// Returns `Ok(true)` when a token was revoked, `Ok(false)` when there was nothing to revoke (no token
    /// fetched or stored yet, or the client does not use a service account). A later call fetches a new
    /// token.
    pub async fn revoke_token(&self) -> Result<bool, AuthError> {
        self.inner.auth.revoke(&self.inner.wire).await
    }
}
