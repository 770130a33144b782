//! The failures clients meet in practice, as [`super::RawServer`] handlers: proxies' HTML pages, broken
//! JSON, wrong content types, bad or endless challenges, reset connections, silence.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::{RawServer, Reply, Request};
use crate::body::challenge_body;

/// What the server does with every request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Misbehavior {
    /// `502 Bad Gateway` with an HTML page, as a proxy in front of the service would send.
    HtmlBadGateway,
    /// A 404 whose JSON body is cut off in the middle (with a `Content-Length` that matches what is sent).
    TruncatedJson,
    /// A 404 that promises more body (`Content-Length`) than it sends, then closes the connection.
    ShortBody,
    /// A 404 with a JSON body labelled `text/plain`.
    WrongContentType,
    /// A 401 without any `WWW-Authenticate` header.
    UnauthorizedWithoutChallenge,
    /// A 401 whose `WWW-Authenticate` is a digest challenge that does not parse.
    MalformedChallenge,
    /// A 401 with a fresh, valid digest challenge to every request, whatever it carries.
    ChallengeForever,
    /// Reads the request, then closes the connection without answering.
    CloseWithoutAnswer,
    /// Reads the request and never answers (for timeouts).
    Silent,
}

/// The live GROUP_NOT_FOUND body, which the 404 cases send (whole or cut).
const ERROR_JSON: &str = r#"{"detail":"No group with ID 5953c5f380eef53887615f9a exists.","error":404,"errorCode":"GROUP_NOT_FOUND","parameters":["5953c5f380eef53887615f9a"],"reason":"Not Found"}"#;

impl Misbehavior {
    /// Starts a raw server that misbehaves this way on a free loopback port.
    pub async fn serve(self) -> std::io::Result<RawServer> {
        RawServer::start(self.handler()).await
    }

    /// The handler, for a [`RawServer`] of one's own.
    pub fn handler(self) -> impl Fn(&Request) -> Reply + Send + Sync + 'static {
        let challenges = AtomicU64::new(0);
        move |_request| {
            let json = |status: u16, body: &str| Reply::json(status, body);
            let challenge_401 = || Reply::json(401, &challenge_body()).header("Vary", "Accept-Encoding");
            match self {
                Misbehavior::HtmlBadGateway => Reply::status(502).header("Content-Type", "text/html").body(
                    "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>",
                ),
                Misbehavior::TruncatedJson => json(404, &ERROR_JSON[..60]),
                Misbehavior::ShortBody => Reply::Raw(
                    format!(
                        "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{}",
                        ERROR_JSON.len(),
                        &ERROR_JSON[..60]
                    )
                    .into_bytes(),
                ),
                Misbehavior::WrongContentType => {
                    Reply::status(404).header("Content-Type", "text/plain").body(ERROR_JSON)
                }
                Misbehavior::UnauthorizedWithoutChallenge => challenge_401(),
                Misbehavior::MalformedChallenge => challenge_401()
                    .header("WWW-Authenticate", r#"Digest realm="MMS Public API", nonce="unterminated, qop=auth"#),
                Misbehavior::ChallengeForever => {
                    let count = challenges.fetch_add(1, Ordering::SeqCst) + 1;
                    let challenge = format!(
                        r#"Digest realm="MMS Public API", domain="", nonce="forever{count}", algorithm=MD5, qop="auth", stale=false"#
                    );
                    challenge_401().header("WWW-Authenticate", &challenge)
                }
                Misbehavior::CloseWithoutAnswer => Reply::Close,
                Misbehavior::Silent => Reply::Close.after(Duration::from_secs(3600)),
            }
        }
    }
}
