//! Service accounts: the OAuth 2.0 client-credentials token endpoint and bearer-token verification.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine;
use rand::RngCore;

use super::encoding::percent_decode;
use super::state::{AtlasState, Principal};

/// An access token handed out by `/api/oauth/token`.
struct IssuedToken {
    client_id: String,
    org_id: String,
    expires: Instant,
}

/// What the token endpoint answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenAnswer {
    /// 200 with this token and lifetime.
    Issued {
        /// The bearer token.
        access_token: String,
        /// Seconds until it expires.
        expires_in: u64,
    },
    /// 400 with an OAuth error code (`invalid_request`, `unsupported_grant_type`).
    BadRequest(&'static str),
    /// 401 `invalid_client`: missing or wrong Basic credentials.
    InvalidClient,
}

/// What the revocation endpoint answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevokeAnswer {
    /// 200: the client's token is revoked.
    Revoked,
    /// 200 as well (RFC 7009: an unknown token is not an error), but nothing was revoked.
    NotHeld,
    /// 400 with an OAuth error code: no `token` in the form.
    BadRequest(&'static str),
    /// 401 `invalid_client`: missing or wrong Basic credentials.
    InvalidClient,
}

/// Issues and checks bearer tokens.
pub struct TokenAuthority {
    lifetime: Duration,
    tokens: Mutex<HashMap<String, IssuedToken>>,
}

impl TokenAuthority {
    /// An authority whose tokens live `lifetime`.
    pub fn new(lifetime: Duration) -> Self {
        TokenAuthority { lifetime, tokens: Mutex::new(HashMap::new()) }
    }

    /// `POST /api/oauth/token`: `Authorization: Basic base64(client_id:client_secret)` and a form body with
    /// `grant_type=client_credentials`.
    pub fn token(&self, state: &AtlasState, authorization: Option<&str>, form_body: &str) -> TokenAnswer {
        let Some((client_id, client_secret)) = authorization.and_then(parse_basic) else {
            return TokenAnswer::InvalidClient;
        };
        let Some(account) = state.service_accounts.get(&client_id) else {
            return TokenAnswer::InvalidClient;
        };
        if account.client_secret != client_secret {
            return TokenAnswer::InvalidClient;
        }
        match form_value(form_body, "grant_type").as_deref() {
            Some("client_credentials") => {}
            Some(_) => return TokenAnswer::BadRequest("unsupported_grant_type"),
            None => return TokenAnswer::BadRequest("invalid_request"),
        }
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let access_token = format!("local-atlas.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes));
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        tokens.retain(|_, t| t.expires > Instant::now());
        tokens.insert(
            access_token.clone(),
            IssuedToken { client_id, org_id: account.org_id.clone(), expires: Instant::now() + self.lifetime },
        );
        TokenAnswer::Issued { access_token, expires_in: self.lifetime.as_secs() }
    }

    /// `POST /api/oauth/revoke` (RFC 7009): `Authorization: Basic` as for a token, and a form body with
    /// `token=...`. Forgets the token when it belongs to that client.
    pub fn revoke(&self, state: &AtlasState, authorization: Option<&str>, form_body: &str) -> RevokeAnswer {
        let Some((client_id, client_secret)) = authorization.and_then(parse_basic) else {
            return RevokeAnswer::InvalidClient;
        };
        if state.service_accounts.get(&client_id).is_none_or(|account| account.client_secret != client_secret) {
            return RevokeAnswer::InvalidClient;
        }
        let Some(token) = form_value(form_body, "token") else { return RevokeAnswer::BadRequest("invalid_request") };
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        match tokens.get(&token) {
            Some(issued) if issued.client_id == client_id => {
                tokens.remove(&token);
                RevokeAnswer::Revoked
            }
            _ => RevokeAnswer::NotHeld,
        }
    }

    /// Forgets every token, as if they had all been revoked. Returns how many there were.
    pub fn revoke_all(&self) -> usize {
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        let count = tokens.len();
        tokens.clear();
        count
    }

    /// The service account behind `Authorization: Bearer <token>`, if the token is known and not expired.
    pub fn verify(&self, token: &str) -> Option<Principal> {
        let tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        let issued = tokens.get(token).filter(|t| t.expires > Instant::now())?;
        Some(Principal::ServiceAccount { client_id: issued.client_id.clone(), org_id: issued.org_id.clone() })
    }
}

/// `Basic base64(id:secret)` → `(id, secret)`.
fn parse_basic(header: &str) -> Option<(String, String)> {
    let (scheme, encoded) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("Basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

/// One value of an `application/x-www-form-urlencoded` body (only `%XX` and `+` decoding, which is all the
/// token endpoint's fields need).
fn form_value(body: &str, name: &str) -> Option<String> {
    body.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| percent_decode(value, true))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::Seed;

    #[test]
    fn tokens_are_issued_for_right_secrets_only_and_expire() {
        let seed = Seed::committed();
        let state = AtlasState::from_seed(&seed);
        let account = &seed.service_accounts[0];
        let basic = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD
                .encode(format!("{}:{}", account.client_id, account.client_secret))
        );
        let authority = TokenAuthority::new(Duration::from_millis(100));
        let TokenAnswer::Issued { access_token, .. } =
            authority.token(&state, Some(&basic), "grant_type=client_credentials")
        else {
            panic!("no token");
        };
        assert!(authority.verify(&access_token).is_some());
        assert_eq!(
            authority.token(&state, Some("Basic eDp5"), "grant_type=client_credentials"),
            TokenAnswer::InvalidClient
        );
        assert_eq!(
            authority.token(&state, Some(&basic), "grant_type=password"),
            TokenAnswer::BadRequest("unsupported_grant_type")
        );
        std::thread::sleep(Duration::from_millis(150));
        assert!(authority.verify(&access_token).is_none());
    }

    #[test]
    fn only_the_owning_client_revokes_a_token() {
        let seed = Seed::committed();
        let mut state = AtlasState::from_seed(&seed);
        let account = &seed.service_accounts[0];
        let basic = |id: &str, secret: &str| {
            format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}")))
        };
        let owner = basic(&account.client_id, &account.client_secret);
        let authority = TokenAuthority::new(Duration::from_secs(60));
        let TokenAnswer::Issued { access_token, .. } =
            authority.token(&state, Some(&owner), "grant_type=client_credentials")
        else {
            panic!("no token");
        };
        let form = format!("token={access_token}&token_type_hint=access_token");
        assert_eq!(
            authority.revoke(&state, Some(&basic(&account.client_id, "wrong")), &form),
            RevokeAnswer::InvalidClient
        );
        state.service_accounts.insert(
            "other".into(),
            crate::state::ServiceAccount { client_secret: "s".into(), org_id: account.org_id.clone() },
        );
        assert_eq!(authority.revoke(&state, Some(&basic("other", "s")), &form), RevokeAnswer::NotHeld);
        assert!(authority.verify(&access_token).is_some(), "another client cannot revoke it");
        assert_eq!(
            authority.revoke(&state, Some(&owner), "token_type_hint=x"),
            RevokeAnswer::BadRequest("invalid_request")
        );
        assert_eq!(authority.revoke(&state, Some(&owner), &form), RevokeAnswer::Revoked);
        assert!(authority.verify(&access_token).is_none());
        assert_eq!(authority.revoke(&state, Some(&owner), &form), RevokeAnswer::NotHeld);
    }

    #[test]
    fn form_values_are_decoded() {
        assert_eq!(form_value("a=1&token=x%2By+z", "token").as_deref(), Some("x+y z"));
        assert_eq!(form_value("a=1", "token"), None);
    }
}
