//! The hostile-server suite's cases, shared by its tests (`tests/misbehaving_servers/hostile.rs`) and its
//! bench (`benches/hostile_servers.rs`): for each case, the server (a [`Misbehavior`] of the raw server in
//! `local-atlas`), the client, and the call, run end to end on loopback through the generated methods (or,
//! for the download, `Client::execute_streaming`).

use std::time::{Duration, Instant};

use atlas_admin::runtime::{OperationRequest, SecurityScheme};
use atlas_admin::types::ApiError;
use atlas_admin::{Client, Error};
use local_atlas::known::{ACME_ORG, ADMIN_PRIVATE_KEY, ADMIN_PUBLIC_KEY, DEPLOY_KEY};
use local_atlas::raw::{Misbehavior, RawServer, Reply, serve};

use crate::clients::{api_key, org, quick_retries};

/// The bearer token every case's client sends (a test value: no service knows it).
pub const TOKEN: &str = "hostile-suite-token";

/// The default size of the long bodies: what the issue measured the old client holding in memory.
pub const LONG_BODY: u64 = 256 * 1024 * 1024;

/// One case of the suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// A well-behaved 204: the floor the other cases' time and memory are read against.
    Baseline,
    /// A body shorter than its `Content-Length`, then the connection closes.
    ShortBody,
    /// A `Content-Length` of 1 TiB.
    DeclaredHugeBody,
    /// A body without a length, sent as fast as it is read, forever.
    EndlessFastBody,
    /// A long chunked body ([`Settings::long_body`], 256 MiB) past the body limit.
    LongBodyPastTheLimit,
    /// A long chunked body with the limit raised past it ([`Settings::raised_limit`]).
    LongBodyUnderARaisedLimit,
    /// A long download through `execute_streaming`, read chunk by chunk.
    StreamedDownload,
    /// A header that never ends.
    HugeHeader,
    /// Headers that never end.
    CountlessHeaders,
    /// Not HTTP at all.
    Garbage,
    /// Invalid UTF-8 in an error body and its `X-Error-Code`.
    InvalidUtf8,
    /// An error body with 100,000 nested arrays in it.
    DeepJson,
    /// A gzip error body the client did not ask for.
    Gzip,
    /// A body that sends one byte every 100 ms, forever.
    DripForever,
    /// A server that accepts the connection and never reads or answers.
    AcceptNeverAnswer,
    /// A 307 to another port of 127.0.0.1.
    RedirectOtherPort,
    /// A 307 to another host (`localhost`) and port.
    RedirectOtherHost,
    /// A 307 to another host and port, with a caller's own reqwest client that follows redirects.
    RedirectFollowedByOwnClient,
    /// A digest challenge with a 10 KiB nonce.
    DigestHugeNonce,
    /// A digest challenge for `SHA3-512`.
    DigestUnknownAlgorithm,
    /// A 503 with `Retry-After: 259200` (three days).
    RetryAfterDays,
    /// A 503 with a `Retry-After` too large for a `u64`.
    RetryAfterPastU64,
    /// A 503 with `Retry-After: -30`.
    RetryAfterNegative,
    /// A 204 with a body.
    BodyOn204,
}

impl Case {
    /// Every case, in the order of the table in BENCHMARKS.md.
    pub const ALL: &[Case] = &[
        Case::Baseline,
        Case::ShortBody,
        Case::DeclaredHugeBody,
        Case::EndlessFastBody,
        Case::LongBodyPastTheLimit,
        Case::LongBodyUnderARaisedLimit,
        Case::StreamedDownload,
        Case::HugeHeader,
        Case::CountlessHeaders,
        Case::Garbage,
        Case::InvalidUtf8,
        Case::DeepJson,
        Case::Gzip,
        Case::DripForever,
        Case::AcceptNeverAnswer,
        Case::RedirectOtherPort,
        Case::RedirectOtherHost,
        Case::RedirectFollowedByOwnClient,
        Case::DigestHugeNonce,
        Case::DigestUnknownAlgorithm,
        Case::RetryAfterDays,
        Case::RetryAfterPastU64,
        Case::RetryAfterNegative,
        Case::BodyOn204,
    ];

    /// Its name in the bench's table and on the bench's command line.
    pub fn name(self) -> &'static str {
        match self {
            Case::Baseline => "baseline: a plain 204",
            Case::ShortBody => "body shorter than Content-Length",
            Case::DeclaredHugeBody => "Content-Length: 1 TiB",
            Case::EndlessFastBody => "endless fast body",
            Case::LongBodyPastTheLimit => "256 MiB body, default limit",
            Case::LongBodyUnderARaisedLimit => "256 MiB body, limit raised to 512 MiB",
            Case::StreamedDownload => "256 MiB streamed download",
            Case::HugeHeader => "endless header",
            Case::CountlessHeaders => "countless headers",
            Case::Garbage => "garbage instead of HTTP",
            Case::InvalidUtf8 => "invalid UTF-8 body and header",
            Case::DeepJson => "JSON nested 100,000 deep",
            Case::Gzip => "gzip body not asked for",
            Case::DripForever => "body dripping forever",
            Case::AcceptNeverAnswer => "accepts, never answers",
            Case::RedirectOtherPort => "redirect to another port",
            Case::RedirectOtherHost => "redirect to another host",
            Case::RedirectFollowedByOwnClient => "redirect, own client follows",
            Case::DigestHugeNonce => "digest nonce of 10 KiB",
            Case::DigestUnknownAlgorithm => "digest algorithm SHA3-512",
            Case::RetryAfterDays => "Retry-After: 3 days",
            Case::RetryAfterPastU64 => "Retry-After past u64",
            Case::RetryAfterNegative => "Retry-After: -30",
            Case::BodyOn204 => "body on a 204",
        }
    }

    /// The case of this name.
    pub fn from_name(name: &str) -> Option<Case> {
        Case::ALL.iter().copied().find(|case| case.name() == name)
    }

    fn misbehavior(self, elsewhere: u16, settings: &Settings) -> Option<Misbehavior> {
        Some(match self {
            Case::Baseline => return None,
            Case::ShortBody => Misbehavior::ShortBody,
            Case::DeclaredHugeBody => Misbehavior::DeclaredHugeBody,
            Case::EndlessFastBody => Misbehavior::EndlessBody,
            Case::LongBodyPastTheLimit | Case::LongBodyUnderARaisedLimit | Case::StreamedDownload => {
                Misbehavior::LongBody { bytes: settings.long_body }
            }
            Case::HugeHeader => Misbehavior::HugeHeader,
            Case::CountlessHeaders => Misbehavior::CountlessHeaders,
            Case::Garbage => Misbehavior::Garbage,
            Case::InvalidUtf8 => Misbehavior::InvalidUtf8,
            Case::DeepJson => Misbehavior::DeepJson { depth: 100_000 },
            Case::Gzip => Misbehavior::Gzip,
            Case::DripForever => Misbehavior::DripForever,
            Case::AcceptNeverAnswer => Misbehavior::AcceptOnly,
            Case::RedirectOtherPort => Misbehavior::Redirect { host: "127.0.0.1", port: elsewhere },
            Case::RedirectOtherHost | Case::RedirectFollowedByOwnClient => {
                Misbehavior::Redirect { host: "localhost", port: elsewhere }
            }
            Case::DigestHugeNonce => Misbehavior::DigestHugeNonce,
            Case::DigestUnknownAlgorithm => Misbehavior::DigestUnknownAlgorithm,
            Case::RetryAfterDays => Misbehavior::RetryAfter("259200"),
            Case::RetryAfterPastU64 => Misbehavior::RetryAfter("99999999999999999999999"),
            Case::RetryAfterNegative => Misbehavior::RetryAfter("-30"),
            Case::BodyOn204 => Misbehavior::BodyOn204,
        })
    }

    fn redirects(self) -> bool {
        matches!(self, Case::RedirectOtherPort | Case::RedirectOtherHost | Case::RedirectFollowedByOwnClient)
    }
}

/// How the clients of a run are set up.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The attempt timeout (the client's default is 60 s; the suite uses less so that the cases bounded by
    /// it end soon).
    pub timeout: Duration,
    /// The body limit of every case but [`Case::LongBodyUnderARaisedLimit`]; `None` for the client's
    /// default (32 MiB).
    pub max_body_size: Option<usize>,
    /// The body limit of [`Case::LongBodyUnderARaisedLimit`].
    pub raised_limit: usize,
    /// The size of the long bodies and of the download (rounded up to 64 KiB).
    pub long_body: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            timeout: Duration::from_secs(1),
            max_body_size: None,
            raised_limit: 512 * 1024 * 1024,
            long_body: LONG_BODY,
        }
    }
}

/// A successful call: the status, and how many body bytes the client handed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Success {
    /// The HTTP status.
    pub status: u16,
    /// The body bytes received (`raw_body`, or every chunk of a download).
    pub body_bytes: u64,
    /// The largest chunk of a download (0 for a buffered answer).
    pub largest_chunk: usize,
}

/// What one run of a case left: its outcome, how long the call took, and the servers, to look at what
/// they received.
pub struct Run {
    /// The call's outcome.
    pub outcome: Result<Success, Error>,
    /// From the call's start to its outcome (servers and client are set up before).
    pub elapsed: Duration,
    /// The misbehaving server (for the baseline, a plain one).
    pub server: RawServer,
    /// For the redirects: the server the `Location` points to.
    pub elsewhere: Option<RawServer>,
    /// The client that made the call, for a second one.
    pub client: Client,
}

impl Run {
    /// What reached the servers, in a few words: requests read (connections, when none was read), and for
    /// the redirects what reached the server the `Location` points to.
    pub fn traffic(&self) -> String {
        let mut traffic = match self.server.count() {
            0 => format!("0 ({} connection(s))", self.server.connections()),
            count => count.to_string(),
        };
        if let Some(elsewhere) = &self.elsewhere {
            let authorization = elsewhere.requests().iter().filter(|r| r.header("authorization").is_some()).count();
            traffic.push_str(&format!("; elsewhere {} ({authorization} with credentials)", elsewhere.count()));
        }
        traffic
    }
}

/// Runs one case: starts its servers on loopback, builds its client, and makes one call.
pub async fn run(case: Case, settings: &Settings) -> Run {
    let elsewhere = if case.redirects() { Some(serve(|_| Reply::status(204)).await) } else { None };
    let port = elsewhere.as_ref().map_or(0, |server| port_of(server.base_url()));
    let server = match case.misbehavior(port, settings) {
        Some(behavior) => behavior.serve().await.expect("a misbehaving server starts on loopback"),
        None => serve(|_| Reply::status(204)).await,
    };
    let client = client(case, server.base_url(), settings);
    let started = Instant::now();
    let outcome = match case {
        Case::StreamedDownload => download(&client).await,
        _ => delete(&client).await,
    };
    Run { outcome, elapsed: started.elapsed(), server, elsewhere, client }
}

fn port_of(base_url: &str) -> u16 {
    base_url.rsplit(':').next().and_then(|port| port.parse().ok()).expect("a base URL with a port")
}

fn client(case: Case, base_url: &str, settings: &Settings) -> Client {
    let mut builder = Client::builder()
        .base_url(base_url)
        .timeout(settings.timeout)
        .connect_timeout(Duration::from_secs(1))
        .retry_policy(quick_retries().total_budget(Duration::from_secs(10)));
    builder = match case {
        Case::DigestHugeNonce | Case::DigestUnknownAlgorithm => {
            builder.digest_auth(ADMIN_PUBLIC_KEY, ADMIN_PRIVATE_KEY)
        }
        _ => builder.bearer_token(TOKEN),
    };
    if case == Case::LongBodyUnderARaisedLimit {
        builder = builder.max_body_size(settings.raised_limit);
    } else if let Some(limit) = settings.max_body_size {
        builder = builder.max_body_size(limit);
    }
    if case == Case::RedirectFollowedByOwnClient {
        atlas_admin::runtime::ensure_tls_provider();
        let own = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::limited(3))
            .build()
            .expect("a reqwest client that follows redirects");
        builder = builder.http_client(own);
    }
    builder.build().expect("a loopback client builds")
}

/// The call of every case but the download: a generated method whose success has no body.
pub async fn delete(client: &Client) -> Result<Success, Error> {
    let answer = client.delete_org_api_key(&org(ACME_ORG), &api_key(DEPLOY_KEY)).send().await?;
    Ok(Success { status: answer.status.as_u16(), body_bytes: answer.raw_body.len() as u64, largest_chunk: 0 })
}

/// A download the generated code does not offer yet, described by hand as the generated `send_stream()`
/// will: `execute_streaming(..).await?.decode_stream()`.
async fn download(client: &Client) -> Result<Success, Error> {
    let request = OperationRequest::new(
        "downloadSomething",
        reqwest::Method::GET,
        "/api/atlas/v2/groups/{groupId}/download",
        "/api/atlas/v2/groups/5953c5f380eef53887615f9a/download".to_owned(),
        "application/vnd.atlas.2023-01-01+gzip",
        &[SecurityScheme::HttpBearer],
    );
    let answer = client.execute_streaming::<ApiError>(request).await?.decode_stream::<(), ApiError>()?;
    let status = answer.status.as_u16();
    let mut body = answer.body;
    let (mut body_bytes, mut largest_chunk) = (0u64, 0usize);
    while let Some(chunk) = body.chunk().await? {
        body_bytes += chunk.len() as u64;
        largest_chunk = largest_chunk.max(chunk.len());
    }
    Ok(Success { status, body_bytes, largest_chunk })
}

/// The outcome in a few words, for the bench's table: the variant, its kind, attempts and status.
pub fn describe(outcome: &Result<Success, Error>) -> String {
    match outcome {
        Ok(success) if success.largest_chunk > 0 => format!(
            "Ok {}, {} MiB in chunks of at most {} KiB",
            success.status,
            success.body_bytes >> 20,
            success.largest_chunk >> 10
        ),
        Ok(success) => format!("Ok {}, raw_body {} bytes", success.status, success.body_bytes),
        Err(Error::Transport(error)) => {
            let status = error.status.map(|s| format!(", status {}", s.as_u16())).unwrap_or_default();
            format!("Transport {:?}, {} attempt(s){status}", error.kind, error.attempts)
        }
        Err(Error::Auth(error)) => format!("Auth {:?}", error.kind),
        Err(Error::Api(error)) => {
            format!(
                "Api {} {}",
                error.status.as_u16(),
                outcome.as_ref().err().and_then(Error::error_code).unwrap_or_default()
            )
        }
        Err(Error::UnexpectedResponse(answer)) => {
            // The reason of the deep JSON quotes a path of eighty `[0]`s: its start says enough.
            let reason: String = answer.reason.chars().take(100).collect();
            let cut = if reason.len() < answer.reason.len() { "…" } else { "" };
            format!("UnexpectedResponse {}: {reason}{cut}", answer.status.as_u16())
        }
        Err(other) => format!("{other:?}"),
    }
}
