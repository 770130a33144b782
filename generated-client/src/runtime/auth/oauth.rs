//! Service accounts: OAuth 2.0 client credentials with a cached, single-flight token.
//!
//! The token endpoint allows only a few requests a minute, so every path that could ask for a token is
//! bounded: a cached token is reused until shortly before it expires, concurrent calls wait for one refresh
//! instead of starting their own, token requests are spaced at least `min_interval` apart, and a failure is
//! remembered for a cool-down instead of being retried at once. Tokens are also kept in a [`TokenStore`],
//! so one that outlives the process (a file) is reused by the next run instead of a new one being minted.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{ACCEPT, CONTENT_TYPE, USER_AGENT};
use reqwest::{StatusCode, Url};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::super::body::{ReadError, read_capped};
use super::super::error::{AnswerFacts, AuthError, AuthErrorKind, RawAnswer, describe_answer};
use super::super::headers;
use super::super::request::SecurityScheme;
use super::super::wire::{Call, Credential, Exchange, Failure, Wire, send};
use super::token_store::{StoredToken, TokenStore};
use super::{AuthScheme, BoxFuture, bearer_header, final_answer};

/// The longest a token is trusted, whatever `expires_in` says (Atlas issues one-hour tokens).
const MAX_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// Used when the token answer has no `expires_in`: short, because a 401 would be the first sign of expiry.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(300);
/// Refresh this long before expiry at most, so a token does not expire while a request is in flight.
const MAX_EXPIRY_MARGIN: Duration = Duration::from_secs(60);
/// A `Retry-After` longer than this from the token endpoint is not believed for the cool-down.
const MAX_COOL_DOWN: Duration = Duration::from_secs(120);

/// What a form value escapes: all but the RFC 3986 unreserved characters, so the usual token alphabets
/// (base64url, JWT) go through as they are.
const FORM_VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Client credentials and the token cache.
pub(crate) struct TokenSource {
    client_id: String,
    client_secret: SecretString,
    endpoints: TokenEndpoints,
    min_interval: Duration,
    state: Mutex<TokenState>,
    store: Arc<dyn TokenStore>,
    /// The key of this account's token in the store: the token endpoint and the client id.
    store_key: String,
}

/// Where tokens are fetched and revoked, and how long one such request may take.
#[derive(Debug, Clone)]
pub(crate) struct TokenEndpoints {
    pub(crate) token_url: Url,
    pub(crate) revoke_url: Url,
    pub(crate) timeout: Duration,
    /// The most bytes of a token or revocation answer read into memory.
    pub(crate) max_body_size: usize,
}

#[derive(Default)]
struct TokenState {
    token: Option<CachedToken>,
    /// Counts tokens handed out, so a 401 invalidates only the token it was sent with.
    generation: u64,
    /// Before this instant no token request may be sent.
    next_request_at: Option<Instant>,
    last_failure: Option<AuthError>,
}

struct CachedToken {
    value: SecretString,
    generation: u64,
    fetched_at: Instant,
    refresh_at: Instant,
    expires_at: Instant,
}

/// A token for one request.
pub(crate) struct Grant {
    pub(crate) value: SecretString,
    pub(crate) generation: u64,
    /// True when this call fetched it, so a 401 with it says the credentials themselves are refused.
    pub(crate) fresh: bool,
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The client id names the service account and is no secret; the client secret and token are.
        f.debug_struct("TokenSource")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("token_url", &self.endpoints.token_url.as_str())
            .field("revoke_url", &self.endpoints.revoke_url.as_str())
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct TokenAnswer {
    #[serde(deserialize_with = "secret_string")]
    access_token: SecretString,
    expires_in: Option<u64>,
    token_type: Option<String>,
}

/// What a refused service-account token means.
const REFUSED: &str = "the service-account token was refused";

impl AuthScheme for TokenSource {
    fn accepts(&self) -> &'static [SecurityScheme] {
        // A service-account token is a bearer token, so either kind of operation takes it.
        &[SecurityScheme::HttpBearer, SecurityScheme::OAuth2ClientCredentials]
    }

    fn describe(&self) -> &'static str {
        "a service account (OAuth 2.0)"
    }

    fn attempt<'a>(&'a self, call: &'a Call<'a>) -> BoxFuture<'a, Result<Exchange, Failure>> {
        Box::pin(self.attempt_with(call))
    }

    fn revoke<'a>(&'a self, wire: &'a Wire) -> BoxFuture<'a, Result<bool, AuthError>> {
        Box::pin(self.revoke_token(wire))
    }
}

impl TokenSource {
    pub(crate) fn new(
        client_id: String,
        client_secret: SecretString,
        endpoints: TokenEndpoints,
        min_interval: Duration,
        store: Arc<dyn TokenStore>,
    ) -> Self {
        let store_key = format!("{} {client_id}", endpoints.token_url);
        TokenSource {
            client_id,
            client_secret,
            endpoints,
            min_interval,
            state: Mutex::new(TokenState::default()),
            store,
            store_key,
        }
    }

    /// Sends with the cached token; on a 401 with a token that was not fetched by this call, refreshes once
    /// and retries once.
    async fn attempt_with(&self, call: &Call<'_>) -> Result<Exchange, Failure> {
        let grant = self.token(call.wire).await.map_err(Failure::Auth)?;
        let header = bearer_header(&grant.value).map_err(Failure::Auth)?;
        let first = send(call, Credential::Header(header)).await?;
        if first.status() != StatusCode::UNAUTHORIZED || grant.fresh || !self.invalidate(grant.generation).await {
            return final_answer(call, first, Some(REFUSED));
        }
        tracing::debug!("refreshing the token after a 401");
        let grant = self.token(call.wire).await.map_err(Failure::Auth)?;
        let header = bearer_header(&grant.value).map_err(Failure::Auth)?;
        final_answer(call, send(call, Credential::Header(header)).await?, Some(REFUSED))
    }

    /// Revokes the cached token (RFC 7009) and forgets it, in memory and in the store. `Ok(false)` when
    /// there is none.
    async fn revoke_token(&self, wire: &Wire) -> Result<bool, AuthError> {
        let (http, user_agent) = (&wire.http, wire.user_agent.as_str());
        let mut state = self.state.lock().await;
        if state.token.is_none() {
            // A token another run left in the store is this account's too: revoking means revoking it.
            state.token = self.stored_token(&mut state.generation);
        }
        let Some(token) = state.token.take() else { return Ok(false) };
        let encoded = SecretString::from(utf8_percent_encode(token.value.expose_secret(), FORM_VALUE).to_string());
        let form = SecretString::from(format!("token={}&token_type_hint=access_token", encoded.expose_secret()));
        let failed = |message: String| AuthError::new(AuthErrorKind::TokenRevocation, message);
        let response = http
            .post(self.endpoints.revoke_url.clone())
            .basic_auth(&self.client_id, Some(self.client_secret.expose_secret()))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .header(USER_AGENT, user_agent)
            .timeout(self.endpoints.timeout)
            .body(form.expose_secret().to_owned())
            .send()
            .await;
        let response = match response {
            Ok(response) => response,
            Err(e) => {
                // Not revoked: keep it, it still works and a later revoke_token may succeed.
                state.token = Some(token);
                return Err(failed(format!("the revocation request failed: {}", e.without_url())));
            }
        };
        let status = response.status();
        let headers = response.headers().clone();
        // An unreadable or oversized body says nothing more about the revocation than its status does.
        let body = read_capped(response, self.endpoints.max_body_size).await.unwrap_or_default();
        if status.is_success() {
            self.forget_stored(&token.value);
            return Ok(true);
        }
        // An endpoint that echoes what it was sent would put the token in the error: such a body is dropped.
        let echoed = contains(&body, token.value.expose_secret().as_bytes())
            || contains(&body, encoded.expose_secret().as_bytes());
        state.token = Some(token);
        let keep = if echoed || body_may_hold_token(&body) { bytes::Bytes::new() } else { body };
        let summary = describe_answer(status, &oauth_error(&keep));
        let message = format!("the token was not revoked: the revocation endpoint answered {status} ({summary})");
        Err(failed(message).with_answer(status, RawAnswer::new(headers, keep)))
    }

    /// A token to send: the cached one while it is fresh, else a fresh one from the store (another run's,
    /// or another client's), otherwise one new token for all waiting callers.
    async fn token(&self, wire: &Wire) -> Result<Grant, AuthError> {
        // Holding the lock across the token request is what makes the refresh single-flight.
        let mut state = self.state.lock().await;
        let now = Instant::now();
        if let Some(token) = state.token.as_ref().filter(|t| now < t.refresh_at) {
            return Ok(Grant { value: token.value.clone(), generation: token.generation, fresh: false });
        }
        // The store's token, unless it is the one just found due for a refresh.
        let due = state.token.as_ref().map(|t| t.value.expose_secret().to_owned());
        let stored = self
            .stored_token(&mut state.generation)
            .filter(|t| now < t.refresh_at && due.as_deref().is_none_or(|due| due != t.value.expose_secret()));
        if let Some(stored) = stored {
            tracing::debug!("using the token from the token store");
            let grant = Grant { value: stored.value.clone(), generation: stored.generation, fresh: false };
            state.token = Some(stored);
            return Ok(grant);
        }
        if let Some(next) = state.next_request_at.filter(|next| now < *next) {
            // Too early to ask again: use the old token while it still works, or report the last failure.
            if let Some(token) = state.token.as_ref().filter(|t| now < t.expires_at) {
                return Ok(Grant { value: token.value.clone(), generation: token.generation, fresh: false });
            }
            if let Some(failure) = &state.last_failure {
                let mut failure = failure.clone();
                failure.message = format!("{} (not asking again for {} ms)", failure.message, (next - now).as_millis());
                return Err(failure);
            }
            tokio::time::sleep_until(next).await;
        }
        let requested_at = Instant::now();
        match self.request(wire).await {
            Ok((value, lifetime)) => {
                state.generation += 1;
                let margin = MAX_EXPIRY_MARGIN.min(lifetime / 10);
                state.token = Some(CachedToken {
                    value: value.clone(),
                    generation: state.generation,
                    fetched_at: requested_at,
                    refresh_at: requested_at + lifetime.saturating_sub(margin),
                    expires_at: requested_at + lifetime,
                });
                let stored = StoredToken::new(value.expose_secret(), SystemTime::now() + lifetime);
                if let Err(error) = self.store.save(&self.store_key, &stored) {
                    tracing::warn!(%error, "the token could not be stored; it is used, but not kept for later runs");
                }
                state.next_request_at = Some(requested_at + self.min_interval);
                state.last_failure = None;
                Ok(Grant { value, generation: state.generation, fresh: true })
            }
            Err((error, retry_after)) => {
                let cool_down = self.min_interval.max(retry_after.unwrap_or_default().min(MAX_COOL_DOWN));
                state.next_request_at = Some(Instant::now() + cool_down);
                state.last_failure = Some(error.clone());
                // An early refresh that failed does not stop a token that has not expired yet.
                if let Some(token) = state.token.as_ref().filter(|t| Instant::now() < t.expires_at) {
                    return Ok(Grant { value: token.value.clone(), generation: token.generation, fresh: false });
                }
                Err(error)
            }
        }
    }

    /// Called after a 401 with the token of `generation`. Returns whether a retry with a new token is worth
    /// it: yes when the token is old enough to have been revoked or expired early, or someone already
    /// replaced it; no when it was just fetched (Atlas also answers 401 for missing permissions, and
    /// refreshing for those on every call would exhaust the token endpoint's limit).
    async fn invalidate(&self, generation: u64) -> bool {
        let mut state = self.state.lock().await;
        let Some(token) = &state.token else { return true };
        if token.generation != generation {
            return true;
        }
        if token.fetched_at.elapsed() < self.min_interval {
            return false;
        }
        if let Some(token) = state.token.take() {
            self.forget_stored(&token.value);
        }
        true
    }

    /// The store's token for this account as a cached token, when it still has time to live (a token
    /// whose fetch time is unknown counts as old, so a 401 with it is worth a refresh).
    fn stored_token(&self, generation: &mut u64) -> Option<CachedToken> {
        let stored = match self.store.load(&self.store_key) {
            Ok(stored) => stored?,
            Err(error) => {
                tracing::warn!(%error, "the token store could not be read; a new token is fetched");
                return None;
            }
        };
        let remaining = stored.remaining().min(MAX_LIFETIME);
        let margin = MAX_EXPIRY_MARGIN.min(remaining / 10);
        if remaining <= margin {
            return None;
        }
        let now = Instant::now();
        *generation += 1;
        Some(CachedToken {
            value: stored.secret().clone(),
            generation: *generation,
            fetched_at: now.checked_sub(self.min_interval).unwrap_or(now),
            refresh_at: now + remaining.saturating_sub(margin),
            expires_at: now + remaining,
        })
    }

    /// Removes this account's token from the store, if it is still `value` (another run may have stored a
    /// newer one, which stays).
    fn forget_stored(&self, value: &SecretString) {
        let same = match self.store.load(&self.store_key) {
            Ok(Some(stored)) => stored.expose_value() == value.expose_secret(),
            Ok(None) => false,
            Err(_) => true,
        };
        if same && let Err(error) = self.store.remove(&self.store_key) {
            tracing::warn!(%error, "the token could not be removed from the token store");
        }
    }

    async fn request(&self, wire: &Wire) -> Result<(SecretString, Duration), (AuthError, Option<Duration>)> {
        let (http, user_agent) = (&wire.http, wire.user_agent.as_str());
        // reqwest marks the Basic header sensitive, so the HTTP stack never logs it.
        let response = http
            .post(self.endpoints.token_url.clone())
            .basic_auth(&self.client_id, Some(self.client_secret.expose_secret()))
            .timeout(self.endpoints.timeout)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .header(USER_AGENT, user_agent)
            .body("grant_type=client_credentials")
            .send()
            .await
            .map_err(|e| (token_error(format!("the token request failed: {}", e.without_url()), None), None))?;
        let status = response.status();
        let headers = response.headers().clone();
        let retry_after = headers::retry_after(&headers);
        let body = read_capped(response, self.endpoints.max_body_size).await.map_err(|error| {
            let message = match error {
                ReadError::TooLarge => format!(
                    "the token answer is larger than the client's limit of {} bytes (ClientBuilder::max_body_size)",
                    self.endpoints.max_body_size
                ),
                ReadError::Http(e) => format!("the token answer could not be read: {}", e.without_url()),
            };
            (token_error(message, None), retry_after)
        })?;
        if !status.is_success() {
            // An OAuth error (RFC 6749: `error`, `error_description`), else the service's own error body
            // (Atlas answers a 429 here with its usual one).
            let facts = match oauth_error(&body) {
                AnswerFacts { error_code: None, detail: None, .. } => {
                    let (error_code, detail) = (wire.profile.read_error)(status, &headers, &body);
                    AnswerFacts { error_code, detail, already_gone: false }
                }
                oauth => oauth,
            };
            let message = format!("no token: the token endpoint refused ({})", describe_answer(status, &facts));
            let mut answer = RawAnswer::new(headers, body);
            answer.error_code = facts.error_code;
            return Err((token_error(message, Some((status, answer))), retry_after));
        }
        match serde_json::from_slice::<TokenAnswer>(&body) {
            Ok(answer) if answer.token_type.as_deref().is_none_or(|t| t.eq_ignore_ascii_case("bearer")) => {
                // Capped, so an absurd `expires_in` can neither overflow the clock nor keep a token forever.
                let lifetime = answer.expires_in.map_or(DEFAULT_LIFETIME, Duration::from_secs).min(MAX_LIFETIME);
                Ok((answer.access_token, lifetime))
            }
            // The body holds a token in both cases below, so it is not kept in the error.
            Ok(answer) => Err((
                token_error(
                    format!("the token endpoint handed out a {:?} token, not a bearer token", answer.token_type),
                    Some((status, RawAnswer::new(headers, bytes::Bytes::new()))),
                ),
                None,
            )),
            Err(e) => {
                let keep = if body_may_hold_token(&body) { bytes::Bytes::new() } else { body };
                let message = format!("the token answer is not the expected JSON: {e}");
                Err((token_error(message, Some((status, RawAnswer::new(headers, keep)))), None))
            }
        }
    }
}

/// Moves the token into a [`SecretString`] as soon as it is decoded. (Written here rather than enabling
/// secrecy's `serde` feature, which does the same, because standalone copies of this runtime take their
/// dependencies from the workspace list without per-crate features.)
fn secret_string<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<SecretString, D::Error> {
    String::deserialize(deserializer).map(SecretString::from)
}

/// An OAuth 2.0 error answer's code and description (RFC 6749 section 5.2: `error`,
/// `error_description`), when the body is one.
fn oauth_error(body: &[u8]) -> AnswerFacts {
    let Ok(serde_json::Value::Object(fields)) = serde_json::from_slice::<serde_json::Value>(body) else {
        return AnswerFacts::default();
    };
    let text = |name: &str| fields.get(name).and_then(serde_json::Value::as_str).map(str::to_owned);
    AnswerFacts { error_code: text("error"), detail: text("error_description"), already_gone: false }
}

fn body_may_hold_token(body: &[u8]) -> bool {
    contains(body, b"access_token")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

fn token_error(message: String, answer: Option<(StatusCode, RawAnswer)>) -> AuthError {
    let (status, response) = match answer {
        Some((status, answer)) => (Some(status), Some(answer)),
        None => (None, None),
    };
    let mut error = AuthError::new(AuthErrorKind::TokenRequest, message);
    error.status = status;
    error.response = response.map(Box::new);
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_answers_decode_into_secrets() {
        let answer: TokenAnswer =
            serde_json::from_str(r#"{"access_token":"tok-123","expires_in":3600,"token_type":"Bearer"}"#).unwrap();
        assert_eq!(answer.access_token.expose_secret(), "tok-123");
        assert_eq!(answer.expires_in, Some(3600));
    }

    #[test]
    fn bodies_with_tokens_are_not_kept() {
        assert!(body_may_hold_token(br#"{"access_token": 5}"#));
        assert!(!body_may_hold_token(b"<html>Bad Gateway</html>"));
    }

    #[test]
    fn debug_hides_the_client_secret() {
        let endpoints = TokenEndpoints {
            token_url: Url::parse("https://cloud.mongodb.com/api/oauth/token").unwrap(),
            revoke_url: Url::parse("https://cloud.mongodb.com/api/oauth/revoke").unwrap(),
            timeout: Duration::from_secs(1),
            max_body_size: 1024,
        };
        let store = Arc::new(super::super::token_store::MemoryTokenStore::default());
        let source = TokenSource::new(
            "mdb_sa_id_x".into(),
            SecretString::from("mdb_sa_sk_secret"),
            endpoints,
            Duration::ZERO,
            store,
        );
        let shown = format!("{source:?}");
        assert!(shown.contains("mdb_sa_id_x"));
        assert!(!shown.contains("mdb_sa_sk_secret"));
    }
}
