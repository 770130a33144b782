//! Streamed downloads against loopback servers: `Client::execute_streaming` then `RawStream::decode_stream`,
//! as the generated `send_stream()` calls them. The body of a 2xx is handed over unread; everything else
//! (authentication, retries, envelopes, error answers) goes as for a buffered call.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use atlas_admin::runtime::{ByteStream, Client, Error, OperationRequest, SecurityScheme, TransportErrorKind};
use common::{DigestService, Reply, digest_service, serve};
use reqwest::Method;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

const DOWNLOAD_PATH: &str = "/api/atlas/v2/groups/5953c5f380eef53887615f9a/logs/mongodb.gz";
const NOT_FOUND: &str = r#"{"detail":"No group with ID 5953c5f380eef53887615f9a exists.","error":404,"errorCode":"GROUP_NOT_FOUND","reason":"Not Found"}"#;

fn download(security: &'static [SecurityScheme]) -> OperationRequest {
    OperationRequest::new(
        "getHostLogs",
        Method::GET,
        "/api/atlas/v2/groups/{groupId}/logs/{logName}.gz",
        DOWNLOAD_PATH.to_owned(),
        "application/vnd.atlas.2023-02-01+gzip",
        security,
    )
}

fn client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .bearer_token("stream-token")
        .timeout(Duration::from_secs(2))
        .retry_policy(atlas_admin::runtime::RetryPolicy::new().base_backoff(Duration::from_millis(5)))
        .build()
        .unwrap()
}

/// A hard deadline, so a download that waits for a body the server holds back fails instead of hanging.
async fn within_deadline<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(15), future).await.expect("hung for 15 s")
}

/// What the generated `send_stream()` does.
async fn send_stream(
    client: &Client,
    request: OperationRequest,
) -> Result<atlas_admin::runtime::ApiResponse<ByteStream, ()>, Error<serde_json::Value>> {
    client.execute_streaming(request).await?.decode_stream()
}

/// Reads a stream to its end: the bytes, or the first error (after the chunks before it).
async fn read_all(stream: &mut ByteStream) -> (Vec<u8>, Option<atlas_admin::runtime::TransportError>) {
    let mut bytes = Vec::new();
    loop {
        match stream.chunk().await {
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
            Ok(None) => return (bytes, None),
            Err(error) => return (bytes, Some(error)),
        }
    }
}

/// A server that sends a 200 head and `first` chunk, then holds the rest of the body back until `release`
/// fires, then sends `rest` and ends the body.
async fn holding_server(first: Vec<u8>, rest: Vec<u8>) -> (String, oneshot::Sender<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (release, released) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut request = Vec::new();
        let mut buffer = [0u8; 4096];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = stream.read(&mut buffer).await.unwrap();
            assert!(n > 0, "the client closed before sending its request");
            request.extend_from_slice(&buffer[..n]);
        }
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.atlas.2023-02-01+gzip\r\nTransfer-Encoding: chunked\r\n\r\n";
        let chunk = |bytes: &[u8]| [format!("{:x}\r\n", bytes.len()).as_bytes(), bytes, b"\r\n"].concat();
        stream.write_all(&[head.as_bytes(), &chunk(&first)].concat()).await.unwrap();
        released.await.unwrap();
        stream.write_all(&[&chunk(&rest)[..], b"0\r\n\r\n"].concat()).await.unwrap();
        // Held open until the client has read the end.
        let _ = stream.read(&mut buffer).await;
    });
    (base, release)
}

#[tokio::test]
async fn a_download_is_handed_over_before_its_body_has_arrived() {
    let first = vec![b'a'; 1024];
    let rest = vec![b'b'; 4 * 1024 * 1024];
    let (base, release) = holding_server(first.clone(), rest.clone()).await;
    // A limit far below the body: only a stream can hand over 4 MiB.
    let client = Client::builder().base_url(&base).bearer_token("t").max_body_size(64 * 1024).build().unwrap();
    // The server sends the rest only once released, so a client that read the body before returning would
    // wait for it here, and the deadline would fail the test.
    let mut answer = within_deadline(send_stream(&client, download(&[SecurityScheme::HttpBearer]))).await.unwrap();
    assert_eq!(answer.status.as_u16(), 200);
    assert!(answer.raw_body.is_empty(), "a stream keeps no raw body");
    assert_eq!(answer.raw_headers.get("content-type").unwrap(), "application/vnd.atlas.2023-02-01+gzip");
    let chunk = within_deadline(answer.body.chunk()).await.unwrap().expect("the first chunk");
    assert_eq!(&chunk[..], &first[..], "the first chunk arrived alone, before the rest was sent");
    release.send(()).unwrap();
    let (bytes, error) = within_deadline(read_all(&mut answer.body)).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(bytes.len(), rest.len());
    assert!(bytes.iter().all(|b| *b == b'b'));
}

#[tokio::test]
async fn an_error_answer_to_a_download_is_decoded_as_any_error() {
    let server = serve(|_| Reply::json(404, NOT_FOUND).header("X-Error-Code", "GROUP_NOT_FOUND")).await;
    let error = send_stream(&client(server.base_url()), download(&[])).await.unwrap_err();
    let Error::Api(answer) = &error else { panic!("expected Api, got {error:?}") };
    assert_eq!(answer.status.as_u16(), 404);
    assert_eq!(answer.body["errorCode"], "GROUP_NOT_FOUND");
    assert_eq!(&answer.raw_body[..], NOT_FOUND.as_bytes(), "the error's raw body is kept");
    assert_eq!(
        error.to_string(),
        format!(
            "getHostLogs (GET {DOWNLOAD_PATH}): the service answered 404 Not Found GROUP_NOT_FOUND: No group with ID \
             5953c5f380eef53887615f9a exists."
        )
    );
}

#[tokio::test]
async fn an_error_body_past_the_limit_is_refused_as_for_any_call() {
    let big = format!(r#"{{"errorCode":"X","detail":"{}"}}"#, "x".repeat(10_000));
    let server = serve(move |_| Reply::json(500, &big)).await;
    let client = Client::builder().base_url(server.base_url()).no_retries().max_body_size(1024).build().unwrap();
    let error = send_stream(&client, download(&[])).await.unwrap_err();
    let Error::Transport(transport) = &error else { panic!("expected Transport, got {error:?}") };
    assert_eq!(transport.kind, TransportErrorKind::BodyTooLarge);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
}

#[tokio::test]
async fn a_download_after_a_503_is_retried_then_streamed() {
    let seen = Arc::new(AtomicUsize::new(0));
    let server = serve(move |_| {
        if seen.fetch_add(1, Ordering::SeqCst) == 0 {
            Reply::json(503, r#"{"error":503,"errorCode":"SERVICE_UNAVAILABLE"}"#).header("Retry-After", "0")
        } else {
            Reply::status(200).header("Content-Type", "application/gzip").body("the log file")
        }
    })
    .await;
    let mut answer = send_stream(&client(server.base_url()), download(&[])).await.unwrap();
    assert_eq!(read_all(&mut answer.body).await.0, b"the log file");
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_download_behind_a_digest_challenge_answers_it_then_streams() {
    let (digest, log) = digest_service(DigestService::default());
    let server = serve(move |request| match digest(request) {
        Reply::Respond { status: 204, .. } => {
            Reply::status(200).header("Content-Type", "application/gzip").body("logs")
        }
        challenge => challenge,
    })
    .await;
    let client =
        Client::builder().base_url(server.base_url()).digest_auth("pubkey", "private-key-1234").build().unwrap();
    for _ in 0..2 {
        let mut answer = send_stream(&client, download(&[SecurityScheme::HttpDigest])).await.unwrap();
        assert_eq!(read_all(&mut answer.body).await.0, b"logs");
    }
    let log = log.lock().unwrap();
    assert_eq!((log.challenges, log.accepted), (1, 2), "one challenge, then its nonce reused");
}

#[tokio::test]
async fn an_envelope_is_unwrapped_before_the_status_is_looked_at() {
    let server = serve(|_| Reply::json(200, &format!(r#"{{"status":404,"content":{NOT_FOUND}}}"#))).await;
    let error = send_stream(&client(server.base_url()), download(&[]).query("envelope", true)).await.unwrap_err();
    assert!(matches!(&error, Error::Api(e) if e.status.as_u16() == 404), "{error:?}");
}

#[tokio::test]
async fn an_encoded_download_is_refused_as_decode_bytes_does() {
    let server = serve(|_| {
        Reply::status(200)
            .header("Content-Type", "application/octet-stream")
            .header("Content-Encoding", "br")
            .body("??")
    })
    .await;
    let error = send_stream(&client(server.base_url()), download(&[])).await.unwrap_err();
    let Error::UnexpectedResponse(answer) = &error else { panic!("expected UnexpectedResponse, got {error:?}") };
    assert!(answer.reason.contains("Content-Encoding"), "{}", answer.reason);
    assert_eq!(&answer.body[..], b"??");
}

#[tokio::test]
async fn a_download_that_breaks_off_ends_with_a_body_error_after_its_chunks() {
    let server = serve(|_| {
        let mut head = b"HTTP/1.1 200 OK\r\nContent-Type: application/gzip\r\nContent-Length: 1000000\r\n\r\n".to_vec();
        head.extend(std::iter::repeat_n(b'z', 100_000));
        Reply::Raw(head)
    })
    .await;
    let mut answer = send_stream(&client(server.base_url()), download(&[])).await.unwrap();
    let (bytes, error) = within_deadline(read_all(&mut answer.body)).await;
    assert_eq!(bytes.len(), 100_000, "what arrived was handed over");
    let error = error.expect("the body broke off");
    assert_eq!(error.kind, TransportErrorKind::Body, "{error:?}");
    assert_eq!(error.status.map(|s| s.as_u16()), Some(200));
    assert!(error.to_string().starts_with(&format!("getHostLogs (GET {DOWNLOAD_PATH}): ")), "{error}");
    assert_eq!(answer.body.chunk().await.unwrap(), None, "the stream ends after its error");
}

#[tokio::test]
async fn a_stalled_download_times_out_chunk_by_chunk() {
    let server = serve(|_| Reply::Stream {
        head: b"HTTP/1.1 200 OK\r\nContent-Type: application/gzip\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n"
            .to_vec(),
        chunk: b"1\r\n.\r\n".to_vec(),
        repeat: Some(1),
        interval: Duration::from_secs(3600),
        tail: Vec::new(),
    })
    .await;
    let client = Client::builder().base_url(server.base_url()).timeout(Duration::from_millis(300)).build().unwrap();
    let mut answer = send_stream(&client, download(&[])).await.unwrap();
    let (bytes, error) = within_deadline(read_all(&mut answer.body)).await;
    assert_eq!(bytes, b"first");
    let error = error.expect("the next chunk never came");
    assert_eq!(error.kind, TransportErrorKind::Timeout, "{error:?}");
}

#[tokio::test]
async fn a_download_whose_head_never_comes_times_out() {
    let server = serve(|_| Reply::Close.after(Duration::from_secs(3600))).await;
    let client = Client::builder().base_url(server.base_url()).timeout(Duration::from_millis(300)).build().unwrap();
    let error = within_deadline(send_stream(&client, download(&[]))).await.unwrap_err();
    let Error::Transport(transport) = &error else { panic!("expected Transport, got {error:?}") };
    assert_eq!((transport.kind, transport.attempts), (TransportErrorKind::Timeout, 1), "not retried by default");
    assert_eq!(server.count(), 1);
}
