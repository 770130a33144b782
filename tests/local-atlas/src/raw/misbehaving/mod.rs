//! The failures and hostile answers clients meet, as [`super::RawServer`] handlers: proxies' HTML pages,
//! broken JSON, wrong content types, bad or endless challenges, reset connections, silence; and the
//! hostile ones: bodies that never end (fast or dripping) or claim a terabyte, heads that never end,
//! garbage instead of HTTP, invalid UTF-8, JSON nested a hundred thousand deep, gzip nobody asked for,
//! redirects elsewhere, `Retry-After` of days or below zero, digest challenges no client should answer.
//!
//! Bodies are in `bodies.rs`, heads (status lines, headers, redirects, challenges) in `heads.rs`.

mod bodies;
mod heads;

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
    /// Accepts connections and does nothing with them: never reads, never writes, never closes. Only
    /// [`Misbehavior::serve`] can do this (a handler is only called once a request was read, so
    /// [`Misbehavior::handler`] answers like [`Misbehavior::Silent`]).
    AcceptOnly,
    /// A 200 whose `Content-Length` says 1 TiB, followed by zeros for as long as the client reads.
    DeclaredHugeBody,
    /// A 200 JSON answer without a length (ended by closing the connection, which never comes): 64 KiB
    /// chunks of spaces as fast as the client reads, forever.
    EndlessBody,
    /// A 200 `application/octet-stream` answer of `bytes` bytes (rounded up to whole 64 KiB chunks),
    /// chunked, sent as fast as the client reads: a large download.
    LongBody {
        /// The body's size (rounded up to a multiple of 64 KiB).
        bytes: u64,
    },
    /// A 200 chunked JSON answer that sends one byte every 100 ms, forever.
    DripForever,
    /// A 404 `application/json` answer with invalid UTF-8 in its body and in its `X-Error-Code` header.
    InvalidUtf8,
    /// A 404 `application/json` error whose `parameters` hold `depth` nested arrays (`[[[...]]]`).
    DeepJson {
        /// How deep.
        depth: usize,
    },
    /// A 404 JSON error body compressed with gzip (`Content-Encoding: gzip`), whatever the client asked.
    Gzip,
    /// A 204 with a body (and a `Content-Length` for it), on a connection kept open.
    BodyOn204,
    /// A 200 whose head has one header that never ends (64 KiB chunks of `a` for as long as the client
    /// reads).
    HugeHeader,
    /// A 200 whose head is header after header, for as long as the client reads.
    CountlessHeaders,
    /// Bytes that are not HTTP (an SSH banner, then noise), for as long as the client reads.
    Garbage,
    /// A `307 Temporary Redirect` to the same path on `http://{host}:{port}`.
    Redirect {
        /// The host of the `Location` (`127.0.0.1`, `localhost`).
        host: &'static str,
        /// The port of the `Location`.
        port: u16,
    },
    /// A 503 JSON error with this `Retry-After` value (`259200`, `-30`, a number past `u64`).
    RetryAfter(&'static str),
    /// A 401 with a digest challenge whose nonce is 10 KiB long.
    DigestHugeNonce,
    /// A 401 with a digest challenge for an algorithm no client knows (`SHA3-512`).
    DigestUnknownAlgorithm,
}

/// The live GROUP_NOT_FOUND body, which the 404 cases send (whole or cut).
const ERROR_JSON: &str = r#"{"detail":"No group with ID 5953c5f380eef53887615f9a exists.","error":404,"errorCode":"GROUP_NOT_FOUND","parameters":["5953c5f380eef53887615f9a"],"reason":"Not Found"}"#;

impl Misbehavior {
    /// Starts a raw server that misbehaves this way on a free loopback port.
    pub async fn serve(self) -> std::io::Result<RawServer> {
        match self {
            Misbehavior::AcceptOnly => RawServer::start_accepting_only().await,
            _ => RawServer::start(self.handler()).await,
        }
    }

    /// The handler, for a [`RawServer`] of one's own.
    pub fn handler(self) -> impl Fn(&Request) -> Reply + Send + Sync + 'static {
        let challenges = AtomicU64::new(0);
        move |request| {
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
                Misbehavior::Silent | Misbehavior::AcceptOnly => Reply::Close.after(Duration::from_secs(3600)),
                Misbehavior::DeclaredHugeBody => bodies::declared_huge(),
                Misbehavior::EndlessBody => bodies::endless(),
                Misbehavior::LongBody { bytes } => bodies::long(bytes),
                Misbehavior::DripForever => bodies::drip_forever(),
                Misbehavior::InvalidUtf8 => bodies::invalid_utf8(),
                Misbehavior::DeepJson { depth } => bodies::deep_json(depth),
                Misbehavior::Gzip => bodies::gzip(),
                Misbehavior::BodyOn204 => bodies::body_on_204(),
                Misbehavior::HugeHeader => heads::huge_header(),
                Misbehavior::CountlessHeaders => heads::countless_headers(),
                Misbehavior::Garbage => heads::garbage(),
                Misbehavior::Redirect { host, port } => heads::redirect(host, port, &request.target),
                Misbehavior::RetryAfter(value) => heads::retry_after(value),
                Misbehavior::DigestHugeNonce => {
                    let nonce = "n".repeat(10 * 1024);
                    let challenge = format!(r#"Digest realm="MMS Public API", nonce="{nonce}", algorithm=MD5, qop="auth""#);
                    challenge_401().header("WWW-Authenticate", &challenge)
                }
                Misbehavior::DigestUnknownAlgorithm => challenge_401().header(
                    "WWW-Authenticate",
                    r#"Digest realm="MMS Public API", nonce="n0nce", algorithm=SHA3-512, qop="auth""#,
                ),
            }
        }
    }
}
