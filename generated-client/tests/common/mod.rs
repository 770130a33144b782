//! A tiny HTTP/1.1 server on 127.0.0.1 for the runtime tests, and a digest-checking service built on it.
//!
//! It speaks real HTTP over loopback so the client's whole stack (reqwest, hyper, the pool) is exercised,
//! and it can misbehave on purpose: close without answering, stall, send truncated bodies.

// Each test file uses a different part of this module, and `pub` here means "for the test files", which
// the unreachable_pub lint cannot see across `mod common;`.
#![allow(dead_code, unreachable_pub)]

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use atlas_admin::runtime::{OperationRequest, SecurityScheme};
use md5::{Digest as _, Md5};
use reqwest::Method;
use sha2::Sha256;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Which accepted connection it came on, counting from 0.
    pub connection: usize,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }
}

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Reply {
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Waits, then replies.
    Delay(Duration, Box<Reply>),
    /// Closes the connection without answering.
    Close,
    /// Resets the connection (TCP RST) without answering.
    Reset,
    /// Writes these bytes and closes the connection.
    Raw(Vec<u8>),
}

impl Reply {
    pub fn status(status: u16) -> Self {
        Reply::Respond { status, headers: Vec::new(), body: Vec::new() }
    }

    pub fn json(status: u16, body: &str) -> Self {
        Reply::status(status).header("Content-Type", "application/json").body(body)
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let Reply::Respond { headers, .. } = &mut self {
            headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }

    pub fn body(mut self, text: &str) -> Self {
        if let Reply::Respond { body, .. } = &mut self {
            *body = text.as_bytes().to_vec();
        }
        self
    }

    pub fn after(self, delay: Duration) -> Self {
        Reply::Delay(delay, Box::new(self))
    }
}

/// A running server: its base URL and everything it received.
#[derive(Clone)]
pub struct Server {
    pub base: String,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    pub fn count_path(&self, path: &str) -> usize {
        self.requests.lock().unwrap().iter().filter(|r| r.path() == path).count()
    }
}

/// Starts a server that answers every request with `handler`'s reply.
/// Runs `count` calls at once, each on its own clone of `client` and its own task; returns their results.
pub async fn concurrently<T, Fut>(
    client: &atlas_admin::runtime::Client,
    count: usize,
    call: impl Fn(atlas_admin::runtime::Client) -> Fut,
) -> Vec<T>
where
    Fut: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let tasks: Vec<_> = (0..count).map(|_| tokio::spawn(call(client.clone()))).collect();
    let mut results = Vec::with_capacity(count);
    for task in tasks {
        results.push(task.await.expect("a call task panicked"));
    }
    results
}

pub async fn serve<F>(handler: F) -> Server
where
    F: Fn(&Request) -> Reply + Send + Sync + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let handler = Arc::new(handler);
    let log = requests.clone();
    tokio::spawn(async move {
        let mut connection = 0;
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(handle_connection(stream, connection, handler.clone(), log.clone()));
            connection += 1;
        }
    });
    Server { base, requests }
}

async fn handle_connection<F>(mut stream: TcpStream, connection: usize, handler: Arc<F>, log: Arc<Mutex<Vec<Request>>>)
where
    F: Fn(&Request) -> Reply + Send + Sync + 'static,
{
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buffer, connection).await else { return };
        log.lock().unwrap().push(request.clone());
        let mut reply = handler(&request);
        while let Reply::Delay(delay, inner) = reply {
            tokio::time::sleep(delay).await;
            reply = *inner;
        }
        match reply {
            Reply::Respond { status, headers, body } => {
                let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
                for (name, value) in &headers {
                    let _ = write!(head, "{name}: {value}\r\n");
                }
                if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-length")) {
                    let _ = write!(head, "Content-Length: {}\r\n", body.len());
                }
                head.push_str("\r\n");
                let mut bytes = head.into_bytes();
                bytes.extend_from_slice(&body);
                if stream.write_all(&bytes).await.is_err() {
                    return;
                }
            }
            Reply::Close => return,
            Reply::Reset => {
                // Zero linger turns the close into a RST instead of an orderly FIN.
                let _ = stream.set_zero_linger();
                return;
            }
            Reply::Raw(bytes) => {
                let _ = stream.write_all(&bytes).await;
                let _ = stream.shutdown().await;
                return;
            }
            Reply::Delay(..) => unreachable!("delays are unwrapped above"),
        }
    }
}

async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>, connection: usize) -> Option<Request> {
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    while buffer.len() < head_end + 4 + length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = buffer[head_end + 4..head_end + 4 + length].to_vec();
    buffer.drain(..head_end + 4 + length);
    Some(Request { method, target, headers, body, connection })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Other",
    }
}

/// A request for an operation that accepts the given credentials.
pub fn delete(path: &'static str, security: &'static [SecurityScheme]) -> OperationRequest {
    OperationRequest::new(
        "deleteOrgApiKey",
        Method::DELETE,
        "/api/atlas/v2/orgs/{orgId}/apiKeys/{apiUserId}",
        path.to_owned(),
        "application/vnd.atlas.2023-01-01+json",
        security,
    )
}

pub const ORG_KEY_PATH: &str = "/api/atlas/v2/orgs/5953c5f380eef53887615f9a/apiKeys/5953c5f380eef53887615f9b";
pub const DIGEST_ONLY: &[SecurityScheme] = &[SecurityScheme::HttpDigest];
pub const TOKEN_ONLY: &[SecurityScheme] = &[SecurityScheme::OAuth2ClientCredentials];
pub const NO_SECURITY: &[SecurityScheme] = &[];

pub const UNAUTHORIZED_BODY: &str = r#"{"error":401,"reason":"Unauthorized","detail":"You are not authorized for this resource.","errorCode":"UNEXPECTED_ERROR"}"#;

/// The parameters of a `Digest` Authorization header (quoted values unquoted).
pub fn digest_params(header: &str) -> HashMap<String, String> {
    let rest = header.strip_prefix("Digest ").unwrap_or(header);
    let mut params = HashMap::new();
    let mut chars = rest.chars().peekable();
    loop {
        let key: String = chars.by_ref().take_while(|c| *c != '=').collect::<String>().trim().to_owned();
        if key.is_empty() {
            break;
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '"' => break,
                    other => value.push(other),
                }
            }
            chars.by_ref().take_while(|c| *c != ',').for_each(drop);
        } else {
            value = chars.by_ref().take_while(|c| *c != ',').collect::<String>().trim().to_owned();
        }
        params.insert(key.trim_start_matches(',').trim().to_owned(), value);
    }
    params
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

pub fn hash(algorithm: &str, text: &str) -> String {
    match algorithm {
        "SHA-256" => hex(&Sha256::digest(text.as_bytes())),
        _ => hex(&Md5::digest(text.as_bytes())),
    }
}

/// How the digest-checking service behaves.
#[derive(Debug, Clone)]
pub struct DigestConfig {
    pub realm: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    /// `MD5` or `SHA-256`.
    pub algorithm: &'static str,
    /// False: an RFC 2069-style challenge without `qop`.
    pub qop: bool,
    /// After this many successful uses a nonce is stale.
    pub nonce_uses: Option<u32>,
}

impl Default for DigestConfig {
    fn default() -> Self {
        DigestConfig {
            realm: "MMS Public API",
            username: "pubkey",
            password: "private-key-1234",
            algorithm: "MD5",
            qop: true,
            nonce_uses: None,
        }
    }
}

/// What the digest-checking service saw.
#[derive(Debug, Default)]
pub struct DigestLog {
    pub challenges: usize,
    pub stale_challenges: usize,
    pub accepted: usize,
    /// (nonce, nc) pairs seen more than once: replays.
    pub duplicate_nc: usize,
    pub first_nc: Vec<String>,
    nonces: HashMap<String, u32>,
    seen: HashSet<(String, String)>,
    next_nonce: u32,
}

/// A service that checks digest answers the way Atlas does, challenging with the Atlas header format.
pub fn digest_service(
    config: DigestConfig,
) -> (impl Fn(&Request) -> Reply + Send + Sync + 'static, Arc<Mutex<DigestLog>>) {
    let log = Arc::new(Mutex::new(DigestLog::default()));
    let state = log.clone();
    let handler = move |request: &Request| {
        let mut log = state.lock().unwrap();
        match check_digest(&config, &mut log, request) {
            Ok(()) => {
                log.accepted += 1;
                Reply::status(204).header("Content-Type", "application/vnd.atlas.2023-01-01+json;charset=utf-8")
            }
            Err(stale) => challenge(&config, &mut log, stale),
        }
    };
    (handler, log)
}

fn challenge(config: &DigestConfig, log: &mut DigestLog, stale: bool) -> Reply {
    log.challenges += 1;
    if stale {
        log.stale_challenges += 1;
    }
    log.next_nonce += 1;
    let nonce = format!("nonce-{}-{}", log.next_nonce, hash("MD5", &log.next_nonce.to_string()));
    log.nonces.insert(nonce.clone(), 0);
    let qop = if config.qop { ", qop=\"auth\"" } else { "" };
    let value = format!(
        "Digest realm=\"{}\", domain=\"\", nonce=\"{nonce}\", algorithm={}{qop}, stale={stale}",
        config.realm, config.algorithm
    );
    Reply::json(401, UNAUTHORIZED_BODY).header("WWW-Authenticate", &value).header("X-Error-Code", "UNEXPECTED_ERROR")
}

/// `Err(stale)` when the request must be challenged.
fn check_digest(config: &DigestConfig, log: &mut DigestLog, request: &Request) -> Result<(), bool> {
    let header = request.header("authorization").ok_or(false)?;
    let params = digest_params(header);
    let get = |name: &str| params.get(name).cloned().unwrap_or_default();
    let nonce = get("nonce");
    let uses = *log.nonces.get(&nonce).ok_or(false)?;
    if get("uri") != request.target || get("username") != config.username || get("realm") != config.realm {
        return Err(false);
    }
    let ha1 = hash(config.algorithm, &format!("{}:{}:{}", config.username, config.realm, config.password));
    let ha2 = hash(config.algorithm, &format!("{}:{}", request.method, request.target));
    let expected = if config.qop {
        if get("qop") != "auth" {
            return Err(false);
        }
        let nc = get("nc");
        if uses == 0 {
            log.first_nc.push(nc.clone());
        }
        if !log.seen.insert((nonce.clone(), nc.clone())) {
            log.duplicate_nc += 1;
            return Err(false);
        }
        hash(config.algorithm, &format!("{ha1}:{nonce}:{nc}:{}:auth:{ha2}", get("cnonce")))
    } else {
        hash(config.algorithm, &format!("{ha1}:{nonce}:{ha2}"))
    };
    if get("response") != expected {
        return Err(false);
    }
    if config.nonce_uses.is_some_and(|limit| uses >= limit) {
        return Err(true);
    }
    log.nonces.insert(nonce, uses + 1);
    Ok(())
}
