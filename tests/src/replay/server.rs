//! The replay server: HTTP/1.1 on `127.0.0.1`, one scripted answer per request, in order.

use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};

use super::fixture::{ExpectedRequest, Fixture, RecordedResponse};
use super::matching::{RecordedRequest, mismatches, split_query};

/// The status the server answers when a request does not match the script (no real service uses it).
pub const MISMATCH_STATUS: u16 = 599;

/// One scripted exchange: the request to expect and the answer to give.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// A name for messages (the fixture name).
    pub label: String,
    /// The request the client must send.
    pub request: ExpectedRequest,
    /// The answer to give when it does.
    pub response: RecordedResponse,
}

impl From<&Fixture> for Exchange {
    fn from(fixture: &Fixture) -> Self {
        Exchange { label: fixture.name.clone(), request: fixture.request.clone(), response: fixture.response.clone() }
    }
}

#[derive(Debug, Default)]
struct State {
    script: Vec<Exchange>,
    requests: Vec<RecordedRequest>,
    problems: Vec<String>,
}

/// A loopback HTTP/1.1 server that replays a script of exchanges and records what it receives.
///
/// Request number `n` is checked against exchange number `n`. Stopped when dropped.
#[derive(Debug)]
pub struct ReplayServer {
    address: SocketAddr,
    state: Arc<Mutex<State>>,
    accept_task: JoinHandle<()>,
}

impl ReplayServer {
    /// Binds `127.0.0.1:0` and starts serving `script`. Needs a running Tokio runtime.
    pub async fn start(script: Vec<Exchange>) -> std::io::Result<ReplayServer> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let address = listener.local_addr()?;
        let state = Arc::new(Mutex::new(State { script, ..State::default() }));
        let accept_task = tokio::spawn(accept_loop(listener, Arc::clone(&state)));
        Ok(ReplayServer { address, state, accept_task })
    }

    /// Starts a server that serves the given fixtures, in order.
    pub async fn serve_fixtures(fixtures: &[&Fixture]) -> std::io::Result<ReplayServer> {
        ReplayServer::start(fixtures.iter().map(|f| Exchange::from(*f)).collect()).await
    }

    /// Starts a server for one fixture, panicking (failing the test) when it cannot start.
    pub async fn serve(fixture: &Fixture) -> ReplayServer {
        ReplayServer::serve_fixtures(&[fixture])
            .await
            .unwrap_or_else(|e| panic!("the replay server for {} could not start: {e}", fixture.name))
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// `http://127.0.0.1:PORT`, for `Client::builder().base_url(..)`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().requests.clone()
    }

    /// Every problem seen so far: mismatched requests, requests beyond the script, unservable answers.
    pub fn problems(&self) -> Vec<String> {
        self.lock().problems.clone()
    }

    /// Checks that every scripted exchange was requested, each matched, and nothing else came. Returns the
    /// requests received.
    pub fn verify(&self) -> Result<Vec<RecordedRequest>, String> {
        let state = self.lock();
        let mut problems = state.problems.clone();
        if let Some(missing) = state.script.get(state.requests.len()) {
            problems.push(format!(
                "only {} of {} scripted request(s) came; the next one expected was {} ({} {})",
                state.requests.len(),
                state.script.len(),
                missing.label,
                missing.request.method,
                missing.request.path
            ));
        }
        if problems.is_empty() {
            Ok(state.requests.clone())
        } else {
            Err(format!("the replay server at {} saw problems:\n  - {}", self.address, problems.join("\n  - ")))
        }
    }

    /// Like [`ReplayServer::verify`], but panics with the problems (failing the test).
    pub fn assert_done(&self) -> Vec<RecordedRequest> {
        self.verify().unwrap_or_else(|message| panic!("{message}"))
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for ReplayServer {
    fn drop(&mut self) {
        // Aborting the accept loop drops its JoinSet, which aborts every connection task.
        self.accept_task.abort();
    }
}

async fn accept_loop(listener: TcpListener, state: Arc<Mutex<State>>) {
    let mut connections = JoinSet::new();
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _peer)) => stream,
            Err(error) => {
                lock(&state).problems.push(format!("accepting a connection failed: {error}"));
                continue;
            }
        };
        let state = Arc::clone(&state);
        connections.spawn(async move {
            let service = service_fn(move |request| answer(Arc::clone(&state), request));
            // A client closing an idle keep-alive connection ends up here as an error; it is not one for us.
            let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
        });
        while connections.try_join_next().is_some() {}
    }
}

async fn answer(state: Arc<Mutex<State>>, request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let body = match body.collect().await {
        Ok(collected) => collected.to_bytes().to_vec(),
        Err(error) => {
            let message = format!("reading the request body failed: {error}");
            lock(&state).problems.push(message.clone());
            return Ok(plain(MISMATCH_STATUS, message));
        }
    };
    let recorded = RecordedRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: split_query(parts.uri.query()),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
            .collect(),
        body,
    };
    let mut state = lock(&state);
    let number = state.requests.len() + 1;
    state.requests.push(recorded.clone());
    let Some(exchange) = state.script.get(number - 1).cloned() else {
        let message = format!(
            "request #{number} {} came, but the script has only {} exchange(s)",
            recorded.summary(),
            state.script.len()
        );
        state.problems.push(message.clone());
        return Ok(plain(MISMATCH_STATUS, message));
    };
    let found = mismatches(&exchange.request, &recorded);
    if !found.is_empty() {
        let message =
            format!("request #{number} {} does not match {}: {}", recorded.summary(), exchange.label, found.join("; "));
        state.problems.push(message.clone());
        return Ok(plain(MISMATCH_STATUS, message));
    }
    match build_response(&exchange.response) {
        Ok(response) => Ok(response),
        Err(message) => {
            let message = format!("{}: {message}", exchange.label);
            state.problems.push(message.clone());
            Ok(plain(MISMATCH_STATUS, message))
        }
    }
}

fn build_response(recorded: &RecordedResponse) -> Result<Response<Full<Bytes>>, String> {
    let status = StatusCode::from_u16(recorded.status).map_err(|e| format!("status {}: {e}", recorded.status))?;
    let mut response = Response::new(Full::new(Bytes::from(recorded.body.clone())));
    *response.status_mut() = status;
    for (name, value) in &recorded.headers {
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|e| format!("header name {name:?}: {e}"))?;
        let value = HeaderValue::from_str(value).map_err(|e| format!("header {name} value {value:?}: {e}"))?;
        response.headers_mut().append(name, value);
    }
    Ok(response)
}

fn plain(status: u16, message: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(message)));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    response
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}
