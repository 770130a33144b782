//! HTTP Digest (RFC 7616, and RFC 2617 servers that send no `qop`) with nonce reuse.
//!
//! `http-auth` parses challenges and does the hash arithmetic; this module decides which challenge to answer
//! and keeps the last one so that a run of calls costs one challenge in total. The stored `DigestClient`
//! sits behind a mutex and every `Authorization` is computed while holding it, so concurrent calls never
//! send the same nonce count twice.

use std::fmt;
use std::sync::{Mutex, MutexGuard};

use http_auth::digest::Algorithm;
use http_auth::{ChallengeParser, DigestClient, PasswordParams};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue, WWW_AUTHENTICATE};
use secrecy::{ExposeSecret, SecretString};

use super::super::error::{AuthError, AuthErrorKind, RawAnswer, describe_answer};
use super::super::request::SecurityScheme;
use super::super::wire::{Call, Credential, Exchange, Failure, send};
use super::{AuthScheme, BoxFuture, final_answer, is_challenge};

/// Digest credentials and the challenge currently being reused.
pub(crate) struct DigestAuth {
    username: String,
    password: SecretString,
    reuse_nonce: bool,
    challenge: Mutex<Option<DigestClient>>,
}

impl fmt::Debug for DigestAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The public key identifies the API key and is no secret; the private key is never shown.
        f.debug_struct("DigestAuth")
            .field("public_key", &self.username)
            .field("private_key", &"<redacted>")
            .field("reuse_nonce", &self.reuse_nonce)
            .finish_non_exhaustive()
    }
}

/// What the request line says, which the digest response covers.
#[derive(Debug, Clone, Copy)]
struct DigestTarget<'a> {
    /// The method, e.g. `DELETE`.
    method: &'a str,
    /// The request target exactly as sent: path and query.
    uri: &'a str,
}

/// How many more times a challenge marked `stale=true` is answered after the first answer. Concurrent
/// calls that share a nonce reach the server with their `nc` out of order, and a strict server answers the
/// late ones with a fresh, stale challenge; the credentials were right, so answering again is correct.
/// Bounded, so a server that always says stale cannot make the client loop.
const MAX_STALE_ANSWERS: u32 = 3;

/// What a refused digest answer means.
const REFUSED: &str = "the API key was refused (wrong public or private key?)";

impl AuthScheme for DigestAuth {
    fn accepts(&self) -> &'static [SecurityScheme] {
        &[SecurityScheme::HttpDigest]
    }

    fn describe(&self) -> &'static str {
        "an API key (HTTP Digest)"
    }

    fn attempt<'a>(&'a self, call: &'a Call<'a>) -> BoxFuture<'a, Result<Exchange, Failure>> {
        Box::pin(self.attempt_with(call))
    }
}

impl DigestAuth {
    pub(crate) fn new(username: String, password: SecretString, reuse_nonce: bool) -> Self {
        DigestAuth { username, password, reuse_nonce, challenge: Mutex::new(None) }
    }

    /// Sends with the known nonce when there is one; on a 401 (no nonce yet, a stale one, or one the server
    /// dropped) answers the fresh challenge. A 401 to that answer is final (the credentials are wrong)
    /// unless the server marks it `stale=true`, which is answered again a bounded number of times.
    async fn attempt_with(&self, call: &Call<'_>) -> Result<Exchange, Failure> {
        // The digest covers the request target exactly as it goes on the wire: path and query.
        let target = DigestTarget { method: call.request.method.as_str(), uri: call.target() };
        let known = self.known_authorization(target);
        let reused = known.is_some();
        let mut challenge = send(call, known.map_or(Credential::None, Credential::Header)).await?;
        if challenge.status() != StatusCode::UNAUTHORIZED {
            return Ok(challenge);
        }
        if reused && !is_challenge(&challenge) {
            // The reused nonce was answered and the service asks for nothing else: it knows who is calling
            // and refuses the action (a key of another organization gets 401 USER_UNAUTHORIZED). Not a
            // protocol fault, and the nonce stays good for the calls that are allowed.
            return final_answer(call, challenge, Some(REFUSED));
        }
        tracing::debug!(reused_nonce = reused, "digest challenge");
        let mut stale_answers = 0;
        loop {
            let answer = match self.answer(&challenge.raw.headers, target) {
                Ok(answer) => answer,
                Err(error) => {
                    let raw = challenge.raw;
                    let facts = call.wire.profile.facts(call.request, raw.status, &raw.headers, &raw.body);
                    let summary = describe_answer(raw.status, &facts);
                    let message = format!("authentication failed: {} ({summary})", error.message);
                    let mut answer = RawAnswer::new(raw.headers, raw.body);
                    answer.error_code = facts.error_code;
                    return Err(Failure::Auth(AuthError::new(error.kind, message).with_answer(raw.status, answer)));
                }
            };
            let answered = send(call, Credential::Header(answer)).await?;
            if answered.status() != StatusCode::UNAUTHORIZED {
                return Ok(answered);
            }
            if stale_answers < MAX_STALE_ANSWERS && challenge_is_stale(&answered.raw.headers) {
                stale_answers += 1;
                tracing::debug!(stale_answers, "answered challenge went stale");
                challenge = answered;
                continue;
            }
            if is_challenge(&answered) {
                // The nonce was just answered with these credentials and refused; reusing it would only fail
                // again.
                self.forget_challenge(&challenge.raw.headers);
            }
            return final_answer(call, answered, Some(REFUSED));
        }
    }

    /// An `Authorization` from the challenge already known, so the request needs no extra round trip.
    /// `None` when no challenge is known yet, or reuse is switched off.
    fn known_authorization(&self, target: DigestTarget<'_>) -> Option<HeaderValue> {
        if !self.reuse_nonce {
            return None;
        }
        let mut guard = self.lock();
        let client = guard.as_mut()?;
        match self.respond(client, target) {
            Ok(value) => Some(value),
            Err(_) => {
                // The stored challenge cannot be answered any more (its nonce count ran out): forget it so
                // the next 401 brings a fresh one.
                *guard = None;
                None
            }
        }
    }

    /// Answers the challenge in a 401 answer's headers, remembering it for later calls when reuse is on.
    fn answer(&self, headers: &HeaderMap, target: DigestTarget<'_>) -> Result<HeaderValue, AuthError> {
        let mut client = parse_challenge(headers)?;
        if !self.reuse_nonce {
            return self.respond(&mut client, target);
        }
        let mut guard = self.lock();
        let client = guard.insert(client);
        self.respond(client, target)
    }

    /// Forgets the stored challenge if it is still the one this call answered (in the 401 `headers` it was
    /// answered from), so the next call starts with a fresh one. A fresher challenge another call stored in
    /// the meantime is kept: forgetting it would only cost that call's successors a round trip.
    fn forget_challenge(&self, answered: &HeaderMap) {
        let Ok(answered) = parse_challenge(answered) else { return };
        let mut guard = self.lock();
        if guard.as_ref().is_some_and(|stored| stored.nonce() == answered.nonce()) {
            *guard = None;
        }
    }

    fn respond(&self, client: &mut DigestClient, target: DigestTarget<'_>) -> Result<HeaderValue, AuthError> {
        let params = PasswordParams {
            username: &self.username,
            password: self.password.expose_secret(),
            uri: target.uri,
            method: target.method,
            // The runtime sends no request bodies, so `auth-int` covers the empty body.
            body: Some(&[]),
        };
        let value =
            client.respond(&params).map_err(|reason| malformed(format!("cannot answer the challenge: {reason}")))?;
        let mut header = HeaderValue::from_str(&value)
            .map_err(|_| malformed("the answer to the challenge is not a valid header value".to_owned()))?;
        header.set_sensitive(true);
        Ok(header)
    }

    fn lock(&self) -> MutexGuard<'_, Option<DigestClient>> {
        // A panic elsewhere while holding the lock leaves at worst a stale challenge, which the next 401
        // replaces; refusing all further requests would be worse.
        self.challenge.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// True when a 401 carries a digest challenge with `stale=true`: the server vouches that the credentials
/// were right and only the nonce or its count was not accepted.
fn challenge_is_stale(headers: &HeaderMap) -> bool {
    parse_challenge(headers).is_ok_and(|challenge| challenge.stale())
}

/// The longest nonce, opaque value or realm answered. RFC 7616 sets no limit; Atlas sends a 32-character
/// nonce and Apache about 50. The client would echo a longer one in every request that reuses it, so a
/// challenge past this is refused as malformed, unanswered.
const MAX_CHALLENGE_FIELD: usize = 1024;

/// Picks the strongest Digest challenge from every `WWW-Authenticate` header of a 401 answer.
fn parse_challenge(headers: &HeaderMap) -> Result<DigestClient, AuthError> {
    let values: Vec<&HeaderValue> = headers.get_all(WWW_AUTHENTICATE).iter().collect();
    if values.is_empty() {
        return Err(missing("the 401 answer carries no WWW-Authenticate challenge".to_owned()));
    }
    let mut best: Option<DigestClient> = None;
    let mut problem: Option<String> = None;
    let mut schemes: Vec<String> = Vec::new();
    for value in values {
        let Ok(text) = value.to_str() else {
            problem.get_or_insert_with(|| "a WWW-Authenticate header is not visible ASCII".to_owned());
            continue;
        };
        for parsed in ChallengeParser::new(text) {
            let challenge = match parsed {
                Ok(challenge) => challenge,
                Err(e) => {
                    problem.get_or_insert_with(|| format!("cannot parse WWW-Authenticate: {e}"));
                    // The parser cannot resynchronise after a syntax error.
                    break;
                }
            };
            if !challenge.scheme.eq_ignore_ascii_case("Digest") {
                schemes.push(challenge.scheme.to_owned());
                continue;
            }
            match DigestClient::try_from(&challenge) {
                Ok(client) if oversized(&client) => {
                    problem.get_or_insert_with(|| {
                        format!(
                            "the Digest challenge's nonce, opaque or realm is longer than {MAX_CHALLENGE_FIELD} bytes"
                        )
                    });
                }
                Ok(client) => {
                    if best.as_ref().is_none_or(|b| strength(client.algorithm()) > strength(b.algorithm())) {
                        best = Some(client);
                    }
                }
                Err(e) => {
                    problem.get_or_insert_with(|| format!("cannot use the Digest challenge: {e}"));
                }
            }
        }
    }
    match (best, problem) {
        (Some(client), _) => Ok(client),
        (None, Some(problem)) => Err(malformed(problem)),
        (None, None) => Err(missing(format!("the 401 answer offers no Digest challenge, only {schemes:?}"))),
    }
}

fn oversized(client: &DigestClient) -> bool {
    [client.nonce(), client.realm(), client.opaque().unwrap_or_default()]
        .iter()
        .any(|field| field.len() > MAX_CHALLENGE_FIELD)
}

/// RFC 7616 leaves the choice among several challenges to local policy; ours is the strongest hash.
fn strength(algorithm: Algorithm) -> u8 {
    match algorithm {
        Algorithm::Md5 => 1,
        Algorithm::Sha256 => 2,
        Algorithm::Sha512Trunc256 => 3,
        _ => 0,
    }
}

fn missing(message: String) -> AuthError {
    AuthError::new(AuthErrorKind::MissingChallenge, message)
}

fn malformed(message: String) -> AuthError {
    AuthError::new(AuthErrorKind::MalformedChallenge, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ATLAS_CHALLENGE: &str = r#"Digest realm="MMS Public API", domain="", nonce="bVLLZjQbO7mC5Co5Hbd1OTDwRCm1YUrP", algorithm=MD5, qop="auth", stale=false"#;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for value in values {
            map.append(WWW_AUTHENTICATE, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    fn target() -> DigestTarget<'static> {
        DigestTarget { method: "DELETE", uri: "/api/atlas/v2/orgs/5953c5f380eef53887615f9a/apiKeys/x?pretty=true" }
    }

    fn field<'a>(authorization: &'a str, name: &str) -> Option<&'a str> {
        let rest = authorization.strip_prefix("Digest ")?;
        rest.split(", ").find_map(|part| {
            let (key, value) = part.split_once('=')?;
            (key == name).then(|| value.trim_matches('"'))
        })
    }

    #[test]
    fn parses_the_challenge_exactly_as_atlas_writes_it() {
        let client = parse_challenge(&headers(&[ATLAS_CHALLENGE])).unwrap();
        assert_eq!(client.realm(), "MMS Public API");
        assert_eq!(client.domain(), "");
        assert_eq!(client.nonce(), "bVLLZjQbO7mC5Co5Hbd1OTDwRCm1YUrP");
        assert_eq!(client.algorithm(), Algorithm::Md5);
        assert!(!client.stale());
        assert!(!client.rfc2069_compat());
    }

    #[test]
    fn answers_with_nc_counting_from_one_and_a_fresh_cnonce() {
        let auth = DigestAuth::new("pubkey".into(), SecretString::from("private"), true);
        let first = auth.answer(&headers(&[ATLAS_CHALLENGE]), target()).unwrap();
        let first = first.to_str().unwrap().to_owned();
        assert_eq!(field(&first, "nc"), Some("00000001"));
        assert_eq!(field(&first, "qop"), Some("auth"));
        assert_eq!(field(&first, "algorithm"), Some("MD5"));
        assert_eq!(field(&first, "username"), Some("pubkey"));
        assert_eq!(field(&first, "uri"), Some(target().uri));
        assert!(!first.contains("private"));
        let second = auth.known_authorization(target()).unwrap();
        let second = second.to_str().unwrap().to_owned();
        assert_eq!(field(&second, "nc"), Some("00000002"));
        assert_eq!(field(&second, "nonce"), field(&first, "nonce"));
        assert_ne!(field(&second, "cnonce"), field(&first, "cnonce"));
    }

    #[test]
    fn reuse_can_be_switched_off() {
        let auth = DigestAuth::new("pubkey".into(), SecretString::from("private"), false);
        assert!(auth.known_authorization(target()).is_none());
        auth.answer(&headers(&[ATLAS_CHALLENGE]), target()).unwrap();
        assert!(auth.known_authorization(target()).is_none(), "each call fetches its own challenge");
    }

    #[test]
    fn forgetting_the_challenge_means_a_fresh_one_next_time() {
        let auth = DigestAuth::new("pubkey".into(), SecretString::from("private"), true);
        auth.answer(&headers(&[ATLAS_CHALLENGE]), target()).unwrap();
        auth.forget_challenge(&headers(&[ATLAS_CHALLENGE]));
        assert!(auth.known_authorization(target()).is_none());
    }

    #[test]
    fn a_fresher_challenge_stored_by_another_call_is_kept() {
        let auth = DigestAuth::new("pubkey".into(), SecretString::from("private"), true);
        let fresher = r#"Digest realm="MMS Public API", nonce="fresher", algorithm=MD5, qop="auth""#;
        auth.answer(&headers(&[fresher]), target()).unwrap();
        auth.forget_challenge(&headers(&[ATLAS_CHALLENGE]));
        assert!(auth.known_authorization(target()).is_some(), "only the answered nonce is forgotten");
    }

    #[test]
    fn prefers_the_strongest_algorithm() {
        let sha = r#"Digest realm="r", nonce="n2", algorithm=SHA-256, qop="auth""#;
        let client = parse_challenge(&headers(&[ATLAS_CHALLENGE, sha])).unwrap();
        assert_eq!(client.algorithm(), Algorithm::Sha256);
        let client = parse_challenge(&headers(&[&format!("{ATLAS_CHALLENGE}, {sha}")])).unwrap();
        assert_eq!(client.nonce(), "n2");
    }

    #[test]
    fn servers_without_qop_get_rfc2069_answers() {
        let auth = DigestAuth::new("pubkey".into(), SecretString::from("private"), true);
        let answer = auth.answer(&headers(&[r#"Digest realm="r", nonce="abc""#]), target()).unwrap();
        let answer = answer.to_str().unwrap();
        assert_eq!(field(answer, "nc"), None);
        assert_eq!(field(answer, "qop"), None);
        assert!(field(answer, "response").is_some());
    }

    #[test]
    fn session_algorithms_are_answered() {
        let auth = DigestAuth::new("pubkey".into(), SecretString::from("private"), true);
        let answer =
            auth.answer(&headers(&[r#"Digest realm="r", nonce="abc", algorithm=SHA-256-sess, qop="auth""#]), target());
        assert_eq!(field(answer.unwrap().to_str().unwrap(), "algorithm"), Some("SHA-256-sess"));
    }

    #[test]
    fn no_header_is_a_missing_challenge() {
        assert_eq!(parse_challenge(&HeaderMap::new()).unwrap_err().kind, AuthErrorKind::MissingChallenge);
        let basic_only = parse_challenge(&headers(&[r#"Basic realm="x""#])).unwrap_err();
        assert_eq!(basic_only.kind, AuthErrorKind::MissingChallenge);
    }

    #[test]
    fn broken_challenges_are_malformed_not_panics() {
        for broken in [
            "Digest realm=",
            r#"Digest nonce="n""#,
            r#"Digest realm="r""#,
            r#"Digest realm="r", nonce="n", algorithm=ROT13"#,
            r#"Digest realm="r", nonce="n", algorithm=SHA3-512, qop="auth""#,
            r#"Digest realm="r", nonce="n", qop="auth-conf""#,
            r#"Digest realm="r", realm="s", nonce="n""#,
            "Digest ,,,,=",
            "\"",
        ] {
            let error = parse_challenge(&headers(&[broken])).unwrap_err();
            assert_eq!(error.kind, AuthErrorKind::MalformedChallenge, "{broken}: {}", error.message);
        }
        let mut non_ascii = HeaderMap::new();
        non_ascii.insert(WWW_AUTHENTICATE, HeaderValue::from_bytes(b"Digest realm=\"\xff\"").unwrap());
        assert_eq!(parse_challenge(&non_ascii).unwrap_err().kind, AuthErrorKind::MalformedChallenge);
    }

    #[test]
    fn a_nonce_past_the_limit_is_refused_and_a_sound_challenge_next_to_it_is_taken() {
        let long = "n".repeat(MAX_CHALLENGE_FIELD + 1);
        let huge = format!(r#"Digest realm="r", nonce="{long}", algorithm=MD5, qop="auth""#);
        let error = parse_challenge(&headers(&[&huge])).unwrap_err();
        assert_eq!(error.kind, AuthErrorKind::MalformedChallenge);
        assert!(!error.message.contains(&long[..64]), "the nonce is not echoed: {}", error.message);
        let at_limit = format!(r#"Digest realm="r", nonce="{}", qop="auth""#, &long[1..]);
        assert!(parse_challenge(&headers(&[&at_limit])).is_ok());
        let client = parse_challenge(&headers(&[&huge, ATLAS_CHALLENGE])).unwrap();
        assert_eq!(client.nonce(), "bVLLZjQbO7mC5Co5Hbd1OTDwRCm1YUrP");
    }

    #[test]
    fn debug_hides_the_private_key() {
        let auth = DigestAuth::new("pubkey".into(), SecretString::from("hunter2-private"), true);
        auth.answer(&headers(&[ATLAS_CHALLENGE]), target()).unwrap();
        let shown = format!("{auth:?}");
        assert!(shown.contains("pubkey"));
        assert!(!shown.contains("hunter2-private"));
    }
}
