//! A raw-server handler that checks HTTP Digest the way the local Atlas does (the same
//! [`DigestAuthority`]), for tests of a client's digest state machine without the rest of the local Atlas.

use std::sync::{Arc, Mutex};

use super::{Reply, Request};
use crate::body::{CHALLENGE_CONTENT_TYPE, V2_CONTENT_TYPE, challenge_body};
use crate::config::NcReplay;
use crate::digest::{DigestAuthority, DigestCredentials, DigestOutcome, DigestPolicy, NcOrder, Rejection};

/// One user and how the service checks it.
#[derive(Debug, Clone)]
pub struct DigestService {
    /// The digest user name.
    pub username: String,
    /// The password.
    pub password: String,
    /// How it challenges and what it accepts.
    pub policy: DigestPolicy,
}

impl Default for DigestService {
    /// User `pubkey`, password `private-key-1234`, Atlas's challenge, and nonce counts that may arrive in any
    /// order but never twice (concurrent calls sharing a nonce reach a server out of order).
    fn default() -> Self {
        DigestService {
            username: "pubkey".to_owned(),
            password: "private-key-1234".to_owned(),
            policy: DigestPolicy {
                nc_order: NcOrder::AnyOrder,
                nc_replay: NcReplay::Reject,
                ..DigestPolicy::default()
            },
        }
    }
}

impl DigestService {
    /// Offers only `algorithm`.
    pub fn algorithm(mut self, algorithm: crate::DigestAlgorithm) -> Self {
        self.policy.algorithms = vec![algorithm];
        self
    }

    /// Offers no `qop`, so RFC 2069 answers are expected.
    pub fn without_qop(mut self) -> Self {
        self.policy.qop = false;
        self
    }

    /// Makes a nonce stale after `uses` accepted uses.
    pub fn nonce_max_uses(mut self, uses: u32) -> Self {
        self.policy.nonce_max_uses = Some(uses);
        self
    }
}

/// What the digest service saw.
#[derive(Debug, Default)]
pub struct DigestLog {
    /// 401 answers with a challenge.
    pub challenges: usize,
    /// Of those, challenges with `stale=true`.
    pub stale_challenges: usize,
    /// Requests accepted.
    pub accepted: usize,
    /// Responses that repeated a nonce count already used with their nonce: replays.
    pub duplicate_nc: usize,
    /// The nonce count of each nonce's first accepted use (`qop` only).
    pub first_nc: Vec<String>,
}

/// A handler for [`super::RawServer`] that answers 204 to correct digest responses and a fresh challenge
/// otherwise, and the log it writes.
pub fn digest_service(
    service: DigestService,
) -> (impl Fn(&Request) -> Reply + Send + Sync + 'static, Arc<Mutex<DigestLog>>) {
    let log = Arc::new(Mutex::new(DigestLog::default()));
    let shared = log.clone();
    let authority = DigestAuthority::new(service.policy.clone());
    let handler = move |request: &Request| {
        let mut log = shared.lock().unwrap_or_else(|e| e.into_inner());
        let credentials = request.header("authorization").and_then(DigestCredentials::parse);
        let outcome = match &credentials {
            Some(credentials) => authority.verify(credentials, &request.method, &request.target, |user| {
                (user == service.username).then(|| (user.to_owned(), service.password.clone()))
            }),
            None => DigestOutcome::Challenge { stale: false, reason: Rejection::Malformed },
        };
        match outcome {
            DigestOutcome::Accepted { nc, first_use, .. } => {
                log.accepted += 1;
                if let (true, Some(nc)) = (first_use, nc) {
                    log.first_nc.push(nc);
                }
                Reply::status(204).header("Content-Type", V2_CONTENT_TYPE)
            }
            DigestOutcome::Challenge { stale, reason } => {
                log.challenges += 1;
                log.stale_challenges += usize::from(stale);
                log.duplicate_nc += usize::from(reason == Rejection::ReplayedNonceCount);
                let mut reply = Reply::status(401)
                    .header("Content-Type", CHALLENGE_CONTENT_TYPE)
                    .header("Vary", "Accept-Encoding")
                    .body(&challenge_body());
                for value in authority.challenge(stale) {
                    reply = reply.header("WWW-Authenticate", &value);
                }
                reply
            }
        }
    };
    (handler, log)
}
