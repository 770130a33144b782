//! A tiny loopback server that misbehaves on purpose: proxies' HTML pages, broken JSON, wrong content
//! types, bad or endless challenges, reset connections, silence. It speaks raw bytes over TCP, so it can
//! send what no well-behaved HTTP library would.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// What the server does with every request.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// Any fixed raw answer.
    Raw(String),
}

/// A running misbehaving server. Dropping it stops it.
pub struct MisbehavingServer {
    addr: SocketAddr,
    requests: Arc<AtomicU64>,
    task: JoinHandle<()>,
}

impl MisbehavingServer {
    /// Starts on a free loopback port.
    pub async fn start(behavior: Misbehavior) -> std::io::Result<MisbehavingServer> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let requests = Arc::new(AtomicU64::new(0));
        let counter = requests.clone();
        let task = tokio::spawn(async move {
            let mut connections = JoinSet::new();
            while let Ok((stream, _)) = listener.accept().await {
                connections.spawn(serve(stream, behavior.clone(), counter.clone()));
            }
        });
        Ok(MisbehavingServer { addr, requests, task })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// How many requests it has read.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for MisbehavingServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads one request head (the deletes carry no body).
async fn read_head(stream: &mut TcpStream) -> Option<()> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 2048];
    loop {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
        if buffer.windows(4).any(|w| w == b"\r\n\r\n") {
            return Some(());
        }
    }
}

fn answer(status: &str, headers: &[(&str, &str)], body: &str) -> String {
    let mut text = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    text
}

const ERROR_JSON: &str = r#"{"detail":"No group with ID 5953c5f380eef53887615f9a exists.","error":404,"errorCode":"GROUP_NOT_FOUND","parameters":["5953c5f380eef53887615f9a"],"reason":"Not Found"}"#;
const CHALLENGE_BODY: &str = r#"{"error":401,"reason":"Unauthorized","detail":"You are not authorized for this resource.","errorCode":"UNEXPECTED_ERROR"}"#;

async fn serve(mut stream: TcpStream, behavior: Misbehavior, requests: Arc<AtomicU64>) {
    while read_head(&mut stream).await.is_some() {
        let count = requests.fetch_add(1, Ordering::SeqCst) + 1;
        let json = ("Content-Type", "application/json");
        let text = match &behavior {
            Misbehavior::HtmlBadGateway => answer(
                "502 Bad Gateway",
                &[("Content-Type", "text/html")],
                "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>",
            ),
            Misbehavior::TruncatedJson => answer("404 Not Found", &[json], &ERROR_JSON[..60]),
            Misbehavior::ShortBody => {
                let head = format!(
                    "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                    ERROR_JSON.len()
                );
                let _ = stream.write_all(format!("{head}{}", &ERROR_JSON[..60]).as_bytes()).await;
                return;
            }
            Misbehavior::WrongContentType => answer("404 Not Found", &[("Content-Type", "text/plain")], ERROR_JSON),
            Misbehavior::UnauthorizedWithoutChallenge => answer("401 Unauthorized", &[json], CHALLENGE_BODY),
            Misbehavior::MalformedChallenge => answer(
                "401 Unauthorized",
                &[json, ("WWW-Authenticate", r#"Digest realm="MMS Public API", nonce="unterminated, qop=auth"#)],
                CHALLENGE_BODY,
            ),
            Misbehavior::ChallengeForever => {
                let challenge = format!(
                    r#"Digest realm="MMS Public API", domain="", nonce="forever{count}", algorithm=MD5, qop="auth", stale=false"#
                );
                answer("401 Unauthorized", &[json, ("WWW-Authenticate", &challenge)], CHALLENGE_BODY)
            }
            Misbehavior::CloseWithoutAnswer => return,
            Misbehavior::Silent => {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                return;
            }
            Misbehavior::Raw(text) => text.clone(),
        };
        if stream.write_all(text.as_bytes()).await.is_err() {
            return;
        }
    }
}
