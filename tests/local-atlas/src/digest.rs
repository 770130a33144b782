//! HTTP Digest authentication, server side (RFC 7616, and RFC 2069 without `qop`): challenges, nonces,
//! verification. The one digest check of the project: the local Atlas uses it, and so does the digest
//! service of the [`crate::raw`] server that the client's runtime tests talk to.
//!
//! The hashes come from the `md-5` and `sha2` crates. A correct response on an expired or used-up nonce gets
//! a new challenge with `stale=true`, so a client can retry without treating it as a wrong password; the
//! nonce count `nc` must be strictly increasing per nonce ([`NcOrder::Increasing`], as Apache's
//! `AuthDigestNcCheck On`) or merely never repeat ([`NcOrder::AnyOrder`]).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine;
use md5::Md5;
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::config::{ATLAS_REALM, DigestAlgorithm, NcReplay};

/// `H(data)` of RFC 7616 as lowercase hex.
pub fn hash_hex(algorithm: DigestAlgorithm, data: &str) -> String {
    match algorithm {
        DigestAlgorithm::Md5 => hex(&Md5::digest(data.as_bytes())),
        DigestAlgorithm::Sha256 => hex(&Sha256::digest(data.as_bytes())),
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// The expected `response` without `qop` (RFC 2069): `H(HA1:nonce:HA2)`.
pub fn expected_response_without_qop(
    algorithm: DigestAlgorithm,
    username: &str,
    realm: &str,
    password: &str,
    method: &str,
    uri: &str,
    nonce: &str,
) -> String {
    let ha1 = hash_hex(algorithm, &format!("{username}:{realm}:{password}"));
    let ha2 = hash_hex(algorithm, &format!("{method}:{uri}"));
    hash_hex(algorithm, &format!("{ha1}:{nonce}:{ha2}"))
}

/// The expected `response` for `qop=auth` (RFC 7616 section 3.4.1).
#[allow(clippy::too_many_arguments)]
pub fn expected_response(
    algorithm: DigestAlgorithm,
    username: &str,
    realm: &str,
    password: &str,
    method: &str,
    uri: &str,
    nonce: &str,
    nc: &str,
    cnonce: &str,
) -> String {
    let ha1 = hash_hex(algorithm, &format!("{username}:{realm}:{password}"));
    let ha2 = hash_hex(algorithm, &format!("{method}:{uri}"));
    hash_hex(algorithm, &format!("{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}"))
}

/// The parameters of an `Authorization: Digest ...` header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DigestCredentials {
    /// Every `name=value` pair, names lowercased, quoted values unescaped.
    pub params: HashMap<String, String>,
}

impl DigestCredentials {
    /// Parses an `Authorization` header value; `None` when it is not a digest header or does not parse.
    pub fn parse(header: &str) -> Option<DigestCredentials> {
        let header = header.trim_start();
        let (scheme, rest) = header.split_once(char::is_whitespace)?;
        if !scheme.eq_ignore_ascii_case("Digest") {
            return None;
        }
        parse_auth_params(rest).map(|params| DigestCredentials { params })
    }

    /// One parameter, by its lowercase name.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }
}

/// Parses `a=b, c="d", ...` (RFC 7235 auth-param list).
fn parse_auth_params(text: &str) -> Option<HashMap<String, String>> {
    let mut params = HashMap::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        if chars.peek().is_none() {
            return Some(params);
        }
        let mut name = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            name.push(c);
            chars.next();
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.next() != Some('=') || name.is_empty() {
            return None;
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next()? {
                    '"' => break,
                    '\\' => value.push(chars.next()?),
                    c => value.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == ',' || c.is_whitespace() {
                    break;
                }
                value.push(c);
                chars.next();
            }
        }
        params.insert(name.to_ascii_lowercase(), value);
    }
}

/// How a digest attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DigestOutcome {
    /// Authenticated as this API key id, with this algorithm.
    Accepted {
        /// The id the password lookup returned.
        key_id: String,
        /// The algorithm of the response.
        algorithm: DigestAlgorithm,
        /// The nonce count as sent (8 hex digits), `None` without `qop`.
        nc: Option<String>,
        /// True when this was the first accepted use of the nonce.
        first_use: bool,
    },
    /// Answer 401 with a fresh challenge; `stale` is the challenge's `stale` flag.
    Challenge {
        /// True when the credentials were right and only the nonce was not.
        stale: bool,
        /// Why, for counters and debugging (never contains a secret).
        reason: Rejection,
    },
}

/// Why a digest response was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// A required parameter is missing or malformed.
    Malformed,
    /// Another realm, an unknown or not offered algorithm, or the wrong `qop`.
    WrongParameters,
    /// The `uri` is not the request target.
    WrongUri,
    /// No such user name.
    UnknownUser,
    /// The response does not match (wrong password).
    WrongResponse,
    /// The nonce was never issued (or was forgotten).
    UnknownNonce,
    /// The nonce is older than its lifetime.
    Expired,
    /// The nonce was used as often as allowed.
    UsedUp,
    /// The nonce count was used before (or, with [`NcOrder::Increasing`], is not above the last one).
    ReplayedNonceCount,
}

/// What the nonce count must do from one request to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NcOrder {
    /// Strictly increase per nonce (Apache's `AuthDigestNcCheck On`, and the local Atlas).
    Increasing,
    /// Never repeat, in any order (what concurrent clients sharing a nonce can promise).
    AnyOrder,
}

/// How a [`DigestAuthority`] challenges and what it accepts.
#[derive(Debug, Clone)]
pub struct DigestPolicy {
    /// The realm named in challenges.
    pub realm: String,
    /// The algorithms offered, one `WWW-Authenticate` value each, in this order.
    pub algorithms: Vec<DigestAlgorithm>,
    /// How long a nonce may be used before a correct response gets `stale=true`.
    pub nonce_lifetime: Duration,
    /// How many accepted uses a nonce has before a correct response gets `stale=true` (`None`: no limit).
    pub nonce_max_uses: Option<u32>,
    /// What the nonce count must do.
    pub nc_order: NcOrder,
    /// What a replayed nonce count with a correct response gets.
    pub nc_replay: NcReplay,
    /// Whether challenges offer `qop="auth"` (RFC 7616); without it, RFC 2069 responses are expected.
    pub qop: bool,
}

impl Default for DigestPolicy {
    /// The live service's: realm `MMS Public API`, MD5, `qop="auth"`, increasing nonce counts.
    fn default() -> Self {
        DigestPolicy {
            realm: ATLAS_REALM.to_owned(),
            algorithms: vec![DigestAlgorithm::Md5],
            nonce_lifetime: Duration::from_secs(300),
            nonce_max_uses: None,
            nc_order: NcOrder::Increasing,
            nc_replay: NcReplay::Stale,
            qop: true,
        }
    }
}

struct NonceState {
    issued: Instant,
    last_nc: u32,
    uses: u32,
    seen_nc: std::collections::HashSet<u32>,
}

/// Issues nonces and verifies digest responses.
pub struct DigestAuthority {
    policy: DigestPolicy,
    nonces: Mutex<HashMap<String, NonceState>>,
}

/// Nonces kept before old, expired ones are forgotten.
const NONCE_STORE_SOFT_LIMIT: usize = 20_000;

impl DigestAuthority {
    /// An authority that challenges and checks as `policy` says.
    pub fn new(policy: DigestPolicy) -> Self {
        DigestAuthority { policy, nonces: Mutex::new(HashMap::new()) }
    }

    /// The policy it runs with.
    pub fn policy(&self) -> &DigestPolicy {
        &self.policy
    }

    /// The `WWW-Authenticate` values of a 401, one per offered algorithm, all with one new nonce.
    ///
    /// The layout is Atlas's: `Digest realm="MMS Public API", domain="", nonce="...", algorithm=MD5,
    /// qop="auth", stale=false` (unquoted `algorithm` and `stale`, an empty `domain`).
    pub fn challenge(&self, stale: bool) -> Vec<String> {
        let nonce = self.new_nonce();
        let qop = if self.policy.qop { ", qop=\"auth\"" } else { "" };
        self.policy
            .algorithms
            .iter()
            .map(|algorithm| {
                format!(
                    "Digest realm=\"{}\", domain=\"\", nonce=\"{nonce}\", algorithm={}{qop}, stale={stale}",
                    self.policy.realm,
                    algorithm.name()
                )
            })
            .collect()
    }

    fn new_nonce(&self) -> String {
        let mut bytes = [0u8; 24];
        rand::rng().fill_bytes(&mut bytes);
        let nonce = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let mut nonces = self.nonces.lock().unwrap_or_else(|e| e.into_inner());
        if nonces.len() >= NONCE_STORE_SOFT_LIMIT {
            let forget_before = self.policy.nonce_lifetime + Duration::from_secs(600);
            nonces.retain(|_, state| state.issued.elapsed() < forget_before);
        }
        let state = NonceState { issued: Instant::now(), last_nc: 0, uses: 0, seen_nc: Default::default() };
        nonces.insert(nonce.clone(), state);
        nonce
    }

    /// Checks a digest `Authorization` against the request. `password_of` looks up the private key of a
    /// public key and returns the key's id with it.
    pub fn verify(
        &self,
        credentials: &DigestCredentials,
        method: &str,
        request_target: &str,
        password_of: impl FnOnce(&str) -> Option<(String, String)>,
    ) -> DigestOutcome {
        let reject = |reason| DigestOutcome::Challenge { stale: false, reason };
        let policy = &self.policy;
        let (Some(username), Some(realm), Some(nonce), Some(uri), Some(response)) = (
            credentials.get("username"),
            credentials.get("realm"),
            credentials.get("nonce"),
            credentials.get("uri"),
            credentials.get("response"),
        ) else {
            return reject(Rejection::Malformed);
        };
        if realm != policy.realm {
            return reject(Rejection::WrongParameters);
        }
        let Some(algorithm) = DigestAlgorithm::parse(credentials.get("algorithm").unwrap_or("MD5")) else {
            return reject(Rejection::WrongParameters);
        };
        if !policy.algorithms.contains(&algorithm) {
            return reject(Rejection::WrongParameters);
        }
        let counted = if policy.qop {
            if credentials.get("qop") != Some("auth") {
                return reject(Rejection::WrongParameters);
            }
            let (Some(nc), Some(cnonce)) = (credentials.get("nc"), credentials.get("cnonce")) else {
                return reject(Rejection::Malformed);
            };
            let Some(nc_value) = (nc.len() == 8).then(|| u32::from_str_radix(nc, 16).ok()).flatten() else {
                return reject(Rejection::Malformed);
            };
            Some((nc, cnonce, nc_value))
        } else {
            if credentials.get("qop").is_some() {
                return reject(Rejection::WrongParameters);
            }
            None
        };
        if uri != request_target {
            return reject(Rejection::WrongUri);
        }
        let Some((key_id, password)) = password_of(username) else {
            return reject(Rejection::UnknownUser);
        };
        let expected = match counted {
            Some((nc, cnonce, _)) => {
                expected_response(algorithm, username, realm, &password, method, uri, nonce, nc, cnonce)
            }
            None => expected_response_without_qop(algorithm, username, realm, &password, method, uri, nonce),
        };
        if !constant_time_eq(expected.as_bytes(), response.to_ascii_lowercase().as_bytes()) {
            return reject(Rejection::WrongResponse);
        }
        let mut nonces = self.nonces.lock().unwrap_or_else(|e| e.into_inner());
        let Some(state) = nonces.get_mut(nonce) else {
            return reject(Rejection::UnknownNonce);
        };
        if state.issued.elapsed() > policy.nonce_lifetime {
            return DigestOutcome::Challenge { stale: true, reason: Rejection::Expired };
        }
        if policy.nonce_max_uses.is_some_and(|limit| state.uses >= limit) {
            return DigestOutcome::Challenge { stale: true, reason: Rejection::UsedUp };
        }
        if let Some((_, _, nc_value)) = counted {
            let replayed = match policy.nc_order {
                NcOrder::Increasing => nc_value <= state.last_nc,
                NcOrder::AnyOrder => state.seen_nc.contains(&nc_value),
            };
            if replayed {
                let stale = policy.nc_replay == NcReplay::Stale;
                return DigestOutcome::Challenge { stale, reason: Rejection::ReplayedNonceCount };
            }
            state.last_nc = state.last_nc.max(nc_value);
            state.seen_nc.insert(nc_value);
        }
        state.uses += 1;
        DigestOutcome::Accepted {
            key_id,
            algorithm,
            nc: counted.map(|(nc, _, _)| nc.to_owned()),
            first_use: state.uses == 1,
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of RFC 7616 section 3.9.1.
    #[test]
    fn rfc_7616_example_md5_and_sha256() {
        let args = ("Mufasa", "http-auth@example.org", "Circle of Life", "GET", "/dir/index.html");
        let nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
        let cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
        let md5 =
            expected_response(DigestAlgorithm::Md5, args.0, args.1, args.2, args.3, args.4, nonce, "00000001", cnonce);
        assert_eq!(md5, "8ca523f5e9506fed4657c9700eebdbec");
        let sha = expected_response(
            DigestAlgorithm::Sha256,
            args.0,
            args.1,
            args.2,
            args.3,
            args.4,
            nonce,
            "00000001",
            cnonce,
        );
        assert_eq!(sha, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
    }

    #[test]
    fn auth_params_parse_quoted_and_bare_values() {
        let creds = DigestCredentials::parse(r#"Digest username="a\"b", nc=00000001, qop=auth,uri="/x?y=1""#).unwrap();
        assert_eq!(creds.get("username"), Some("a\"b"));
        assert_eq!(creds.get("nc"), Some("00000001"));
        assert_eq!(creds.get("qop"), Some("auth"));
        assert_eq!(creds.get("uri"), Some("/x?y=1"));
        assert!(DigestCredentials::parse("Basic abc").is_none());
        assert!(DigestCredentials::parse(r#"Digest username="unterminated"#).is_none());
    }

    fn nonce_of(challenge: &str) -> String {
        challenge.split("nonce=\"").nth(1).unwrap().split('"').next().unwrap().to_owned()
    }

    fn answer(authority: &DigestAuthority, nonce: &str, nc: &str, password: &str) -> DigestOutcome {
        let response =
            expected_response(DigestAlgorithm::Md5, "user", "MMS Public API", password, "DELETE", "/p", nonce, nc, "c");
        let header = format!(
            r#"Digest username="user", realm="MMS Public API", nonce="{nonce}", uri="/p", algorithm=MD5, qop=auth, nc={nc}, cnonce="c", response="{response}""#
        );
        authority.verify(&DigestCredentials::parse(&header).unwrap(), "DELETE", "/p", |_| {
            Some(("id".into(), "secret".into()))
        })
    }

    #[test]
    fn nonce_counts_must_increase_and_expired_nonces_are_stale() {
        let authority = DigestAuthority::new(DigestPolicy {
            nonce_lifetime: Duration::from_millis(200),
            nc_replay: NcReplay::Reject,
            ..DigestPolicy::default()
        });
        let challenge = authority.challenge(false).remove(0);
        assert!(challenge.starts_with("Digest realm=\"MMS Public API\", domain=\"\", nonce=\""));
        assert!(challenge.ends_with("\", algorithm=MD5, qop=\"auth\", stale=false"));
        let nonce = nonce_of(&challenge);
        assert!(matches!(
            answer(&authority, &nonce, "00000001", "secret"),
            DigestOutcome::Accepted { first_use: true, algorithm: DigestAlgorithm::Md5, .. }
        ));
        assert!(matches!(
            answer(&authority, &nonce, "00000003", "secret"),
            DigestOutcome::Accepted { first_use: false, .. }
        ));
        assert!(matches!(
            answer(&authority, &nonce, "00000002", "secret"),
            DigestOutcome::Challenge { stale: false, .. }
        ));
        assert!(matches!(
            answer(&authority, &nonce, "00000004", "wrong"),
            DigestOutcome::Challenge { stale: false, .. }
        ));
        std::thread::sleep(Duration::from_millis(250));
        assert!(matches!(
            answer(&authority, &nonce, "00000005", "secret"),
            DigestOutcome::Challenge { stale: true, .. }
        ));
        assert!(matches!(
            answer(&authority, &nonce, "00000006", "wrong"),
            DigestOutcome::Challenge { stale: false, .. }
        ));
    }
}

#[cfg(test)]
mod policy_tests {
    use super::*;

    fn nonce_of(challenge: &str) -> String {
        challenge.split("nonce=\"").nth(1).unwrap().split('"').next().unwrap().to_owned()
    }

    fn check(authority: &DigestAuthority, header: &str) -> DigestOutcome {
        let credentials = DigestCredentials::parse(header).unwrap();
        authority.verify(&credentials, "DELETE", "/p", |_| Some(("id".into(), "secret".into())))
    }

    #[test]
    fn any_order_accepts_late_counts_but_never_a_repeat() {
        let authority = DigestAuthority::new(DigestPolicy { nc_order: NcOrder::AnyOrder, ..DigestPolicy::default() });
        let nonce = nonce_of(&authority.challenge(false)[0]);
        let header = |nc: &str| {
            let response =
                expected_response(DigestAlgorithm::Md5, "u", ATLAS_REALM, "secret", "DELETE", "/p", &nonce, nc, "c");
            format!(
                r#"Digest username="u", realm="{ATLAS_REALM}", nonce="{nonce}", uri="/p", qop=auth, nc={nc}, cnonce="c", response="{response}""#
            )
        };
        assert!(matches!(check(&authority, &header("00000002")), DigestOutcome::Accepted { .. }));
        assert!(matches!(check(&authority, &header("00000001")), DigestOutcome::Accepted { .. }));
        assert_eq!(
            check(&authority, &header("00000001")),
            DigestOutcome::Challenge { stale: true, reason: Rejection::ReplayedNonceCount }
        );
    }

    #[test]
    fn without_qop_rfc_2069_answers_are_checked_and_nonces_can_be_used_up() {
        let authority =
            DigestAuthority::new(DigestPolicy { qop: false, nonce_max_uses: Some(2), ..DigestPolicy::default() });
        let challenge = authority.challenge(false).remove(0);
        assert!(!challenge.contains("qop"), "{challenge}");
        let nonce = nonce_of(&challenge);
        let response =
            expected_response_without_qop(DigestAlgorithm::Md5, "u", ATLAS_REALM, "secret", "DELETE", "/p", &nonce);
        let header =
            format!(r#"Digest username="u", realm="{ATLAS_REALM}", nonce="{nonce}", uri="/p", response="{response}""#);
        assert!(matches!(check(&authority, &header), DigestOutcome::Accepted { nc: None, first_use: true, .. }));
        assert!(matches!(check(&authority, &header), DigestOutcome::Accepted { first_use: false, .. }));
        assert_eq!(check(&authority, &header), DigestOutcome::Challenge { stale: true, reason: Rejection::UsedUp });
        let wrong = header.replace(&response, "0");
        assert_eq!(
            check(&authority, &wrong),
            DigestOutcome::Challenge { stale: false, reason: Rejection::WrongResponse }
        );
    }
}
