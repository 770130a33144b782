//! A tiny HTTP/1.1 server on 127.0.0.1 that answers every request with what a test scripts.
//!
//! It speaks raw bytes over TCP, so it can send what no well-behaved HTTP library would (a body shorter than
//! its `Content-Length`, a reset connection, silence, garbage, a body that never ends), and it keeps every
//! request it read and counts every connection it accepted, so a test can look at exactly what a client
//! sent, and where. [`misbehaving`] has the failures and hostile answers clients meet; [`digest_service`]
//! checks HTTP Digest with the same check the local Atlas uses.

mod digest_service;
pub mod misbehaving;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

pub use digest_service::{DigestLog, DigestService, digest_service};
pub use misbehaving::Misbehavior;

use super::digest::DigestCredentials;

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Request {
    /// The method, e.g. `DELETE`.
    pub method: String,
    /// The request target: path and query, exactly as sent.
    pub target: String,
    /// The headers in the order received.
    pub headers: Vec<(String, String)>,
    /// The body (by `Content-Length`).
    pub body: Vec<u8>,
    /// Which accepted connection it came on, counting from 0.
    pub connection: usize,
}

impl Request {
    /// The first header named `name` (without case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The target without its query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }
}

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// An answer; `Content-Length` is added unless listed.
    Respond {
        /// The status.
        status: u16,
        /// The headers, in order.
        headers: Vec<(String, String)>,
        /// The body.
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
    /// Writes `head`, then `chunk` `repeat` times (forever when `None`), waiting `interval` before each
    /// chunk, then `tail`, and closes the connection. Stops early when the client goes away. For bodies that
    /// never end (fast or dripping), heads that never end, and garbage: nothing is framed or added, so
    /// `head` and `chunk` say everything the client sees.
    Stream {
        /// The bytes written first (a status line and headers, or anything).
        head: Vec<u8>,
        /// The bytes written again and again.
        chunk: Vec<u8>,
        /// How many times; `None` for as long as the client reads.
        repeat: Option<u64>,
        /// The wait before each chunk (`Duration::ZERO`: as fast as the client reads).
        interval: Duration,
        /// The bytes written after the last chunk (e.g. `0\r\n\r\n` to end a chunked body).
        tail: Vec<u8>,
    },
}

impl Reply {
    /// An answer with this status, no headers and no body.
    pub fn status(status: u16) -> Self {
        Reply::Respond { status, headers: Vec::new(), body: Vec::new() }
    }

    /// An `application/json` answer.
    pub fn json(status: u16, body: &str) -> Self {
        Reply::status(status).header("Content-Type", "application/json").body(body)
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let Reply::Respond { headers, .. } = &mut self {
            headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }

    /// Sets the body.
    pub fn body(mut self, text: &str) -> Self {
        if let Reply::Respond { body, .. } = &mut self {
            *body = text.as_bytes().to_vec();
        }
        self
    }

    /// The same reply, after `delay`.
    pub fn after(self, delay: Duration) -> Self {
        Reply::Delay(delay, Box::new(self))
    }
}

/// A running server: its base URL and everything it received. Dropping it stops accepting connections.
pub struct RawServer {
    base: String,
    requests: Arc<Mutex<Vec<Request>>>,
    connections: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl RawServer {
    /// Starts on a free loopback port; every request gets `handler`'s reply.
    pub async fn start<F>(handler: F) -> std::io::Result<RawServer>
    where
        F: Fn(&Request) -> Reply + Send + Sync + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let requests = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let handler = Arc::new(handler);
        let log = requests.clone();
        let accepted = connections.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let connection = accepted.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(handle_connection(stream, connection, handler.clone(), log.clone()));
            }
        });
        Ok(RawServer { base, requests, connections, task })
    }

    /// Starts on a free loopback port a server that accepts connections and then does nothing with them:
    /// it never reads a request and never writes a byte, and keeps each connection open until the client
    /// closes it or the server is dropped.
    pub async fn start_accepting_only() -> std::io::Result<RawServer> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let connections = Arc::new(AtomicUsize::new(0));
        let accepted = connections.clone();
        let task = tokio::spawn(async move {
            // Held here, so they close only when the task is aborted (the server dropped).
            let mut held = Vec::new();
            while let Ok((stream, _)) = listener.accept().await {
                accepted.fetch_add(1, Ordering::SeqCst);
                held.push(stream);
            }
        });
        Ok(RawServer { base, requests: Arc::new(Mutex::new(Vec::new())), connections, task })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// Every request read so far, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.lock().clone()
    }

    /// How many requests it has read.
    pub fn count(&self) -> usize {
        self.lock().len()
    }

    /// How many connections it has accepted (whether or not a request came on them).
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// How many requests for `path` (without query) it has read.
    pub fn count_path(&self, path: &str) -> usize {
        self.lock().iter().filter(|r| r.path() == path).count()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Request>> {
        self.requests.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// [`RawServer::start`] for tests: panics, saying so, when loopback cannot be bound.
pub async fn serve<F>(handler: F) -> RawServer
where
    F: Fn(&Request) -> Reply + Send + Sync + 'static,
{
    RawServer::start(handler).await.unwrap_or_else(|e| panic!("the raw server cannot listen on 127.0.0.1: {e}"))
}

async fn handle_connection<F>(mut stream: TcpStream, connection: usize, handler: Arc<F>, log: Arc<Mutex<Vec<Request>>>)
where
    F: Fn(&Request) -> Reply + Send + Sync + 'static,
{
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buffer, connection).await else { return };
        log.lock().unwrap_or_else(|e| e.into_inner()).push(request.clone());
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
            Reply::Stream { head, chunk, repeat, interval, tail } => {
                write_stream(&mut stream, &head, &chunk, repeat, interval, &tail).await;
                return;
            }
            Reply::Delay(..) => unreachable!("delays are unwrapped above"),
        }
    }
}

/// Writes `head`, `chunk` as often as asked (or until the client goes away), then `tail`, and closes.
async fn write_stream(
    stream: &mut TcpStream,
    head: &[u8],
    chunk: &[u8],
    repeat: Option<u64>,
    interval: Duration,
    tail: &[u8],
) {
    if stream.write_all(head).await.is_err() {
        return;
    }
    let mut written = 0u64;
    while repeat.is_none_or(|repeat| written < repeat) {
        if !interval.is_zero() {
            tokio::time::sleep(interval).await;
        }
        if stream.write_all(chunk).await.is_err() {
            return;
        }
        written += 1;
    }
    let _ = stream.write_all(tail).await;
    let _ = stream.shutdown().await;
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
        302 => "Found",
        307 => "Temporary Redirect",
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

/// The parameters of a `Digest` Authorization header (names lowercased, quoted values unquoted); empty when
/// the header is not one.
pub fn digest_params(header: &str) -> HashMap<String, String> {
    DigestCredentials::parse(header).map(|credentials| credentials.params).unwrap_or_default()
}
