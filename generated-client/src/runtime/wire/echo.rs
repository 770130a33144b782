//! Error answers that echo the credentials they were sent (a careless proxy, a debugging endpoint) must not
//! carry them into an error, where `Display` and `Debug` would show them.
//!
//! Only credentials that travel in the clear are looked for: a bearer token, and a Basic header (its base64
//! value, and the password itself). A digest answer holds a hash, never the key.

use bytes::Bytes;
use reqwest::header::{AUTHORIZATION, HeaderMap};
use secrecy::{ExposeSecret, SecretString};

use super::Credential;

/// A Basic password shorter than this is not looked for in bodies: it would match ordinary text and drop
/// bodies for nothing. (The encoded header, which holds it, is always looked for.)
const MIN_PASSWORD_SEARCHED: usize = 8;

/// What of a request's credentials an error answer must not bring back.
pub(crate) struct Carried {
    secrets: Vec<SecretString>,
}

impl Carried {
    /// The secrets in `request`'s `Authorization` header (a Bearer token, an encoded Basic pair) and, for
    /// Basic, the password.
    pub(crate) fn of(request: &reqwest::Request, credential: &Credential<'_>) -> Self {
        let mut secrets = Vec::new();
        if let Some(value) = request.headers().get(AUTHORIZATION).and_then(|v| v.to_str().ok()) {
            for scheme in ["Bearer ", "Basic "] {
                if let Some(secret) = value.strip_prefix(scheme) {
                    secrets.push(SecretString::from(secret.trim().to_owned()));
                }
            }
        }
        if let Credential::Basic { password, .. } = credential
            && password.expose_secret().len() >= MIN_PASSWORD_SEARCHED
        {
            secrets.push((*password).clone());
        }
        Carried { secrets }
    }

    /// Drops every header whose value holds a carried secret, and the body if it holds one. True when
    /// anything was dropped.
    pub(crate) fn scrub(&self, headers: &mut HeaderMap, body: &mut Bytes) -> bool {
        if self.secrets.is_empty() {
            return false;
        }
        let holds = |bytes: &[u8]| self.secrets.iter().any(|secret| contains(bytes, secret.expose_secret().as_bytes()));
        let echoed: Vec<_> =
            headers.iter().filter(|(_, value)| holds(value.as_bytes())).map(|(name, _)| name.clone()).collect();
        for name in &echoed {
            headers.remove(name);
        }
        let body_echoed = holds(body);
        if body_echoed {
            *body = Bytes::new();
        }
        body_echoed || !echoed.is_empty()
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn carried_by(authorization: &str, credential: Credential<'_>) -> Carried {
        let mut request = reqwest::Request::new(reqwest::Method::GET, "http://127.0.0.1/".parse().unwrap());
        request.headers_mut().insert(AUTHORIZATION, HeaderValue::from_str(authorization).unwrap());
        Carried::of(&request, &credential)
    }

    #[test]
    fn an_echoed_token_drops_the_body_and_the_header_that_hold_it() {
        let carried = carried_by("Bearer tok-123456", Credential::None);
        let mut headers = HeaderMap::new();
        headers.insert("x-echo", HeaderValue::from_static("Bearer tok-123456"));
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        let mut body = Bytes::from_static(br#"{"got":"tok-123456"}"#);
        assert!(carried.scrub(&mut headers, &mut body));
        assert!(body.is_empty() && !headers.contains_key("x-echo") && headers.contains_key("content-type"));
        let mut clean = Bytes::from_static(br#"{"errorCode":"X"}"#);
        assert!(!carried.scrub(&mut HeaderMap::new(), &mut clean));
        assert_eq!(&clean[..], br#"{"errorCode":"X"}"#);
    }

    #[test]
    fn a_basic_password_is_looked_for_when_long_enough() {
        let long = SecretString::from("long-password".to_owned());
        let carried = carried_by("Basic dTpsb25nLXBhc3N3b3Jk", Credential::Basic { username: "u", password: &long });
        let mut body = Bytes::from_static(b"you sent long-password");
        assert!(carried.scrub(&mut HeaderMap::new(), &mut body));
        let short = SecretString::from("pw".to_owned());
        let carried = carried_by("Basic dTpwdw==", Credential::Basic { username: "u", password: &short });
        let mut body = Bytes::from_static(b"wrong password");
        assert!(!carried.scrub(&mut HeaderMap::new(), &mut body), "a two-letter password matches anything");
        let mut body = Bytes::from_static(b"Basic dTpwdw==");
        assert!(carried.scrub(&mut HeaderMap::new(), &mut body), "the encoded pair is always looked for");
    }

    #[test]
    fn digest_answers_are_not_secrets() {
        let carried = carried_by(r#"Digest username="pub", response="abc""#, Credential::None);
        let mut body = Bytes::from_static(br#"response="abc""#);
        assert!(!carried.scrub(&mut HeaderMap::new(), &mut body));
    }
}
