//! Calls `create_org_api_key` and walks `list_org_api_keys` to its end, against a loopback server that
//! answers with the service's recorded answers (the list sliced into pages of the size asked for).
//! Copied into a scratch crate by `xtask/tests/add_an_operation.rs`; prints what it saw.

use std::path::{Path, PathBuf};

use client::types::{CreateAtlasOrganizationApiKey, CreateAtlasOrganizationApiKeyRolesItem};
use client::{OrgId, PaginateExt};
use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A recorded answer: status line, headers, body.
struct Recorded {
    status: String,
    headers: Vec<(String, String)>,
    body: String,
}

fn read(dir: &Path, operation: &str) -> Recorded {
    let index = std::fs::read_to_string(dir.join("index.tsv")).expect("index.tsv");
    let file = index.lines().find(|l| l.ends_with(&format!("\t{operation}"))).expect("a recording").split('\t').next().unwrap();
    let text = std::fs::read_to_string(dir.join("responses").join(file)).expect("the recording");
    let (head, body) = text.split_once("\n\n").expect("a head and a body");
    let mut lines = head.lines();
    let status = lines.next().unwrap().split_once(' ').unwrap().1.to_owned();
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .filter(|(name, _)| !name.eq_ignore_ascii_case("content-length") && !name.eq_ignore_ascii_case("connection"))
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect();
    Recorded { status, headers, body: body.to_owned() }
}

/// Serves one request per connection: the recorded create answer for the POST, the recorded list answer,
/// sliced to the page asked for, for the GET. A request the recording does not fit gets a 400.
async fn serve(listener: tokio::net::TcpListener, created: Recorded, listed: Recorded) {
    let all: serde_json::Value = serde_json::from_str(&listed.body).expect("the list is JSON");
    loop {
        let (mut socket, _) = listener.accept().await.expect("accept");
        let mut request = Vec::new();
        let mut buffer = [0u8; 4096];
        let (head, mut body) = loop {
            let read = socket.read(&mut buffer).await.expect("read");
            request.extend_from_slice(&buffer[..read]);
            if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&request[..end]).into_owned();
                break (head, request[end + 4..].to_vec());
            }
        };
        let length: usize = head
            .lines()
            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length: ").map(|v| v.trim().parse().unwrap()))
            .unwrap_or(0);
        while body.len() < length {
            let read = socket.read(&mut buffer).await.expect("read body");
            body.extend_from_slice(&buffer[..read]);
        }
        let target = head.lines().next().unwrap().split(' ').nth(1).unwrap().to_owned();
        let (status, headers, answer) = if head.starts_with("POST /api/atlas/v2/orgs/a0123456789abcdef012345a/apiKeys ")
            && head.to_ascii_lowercase().contains("content-type: application/vnd.atlas.2023-01-01+json")
        {
            let sent: serde_json::Value = serde_json::from_slice(&body).expect("a JSON body");
            assert_eq!(sent, serde_json::json!({"desc": "rotation", "roles": ["ORG_READ_ONLY"]}), "the body sent");
            (created.status.clone(), created.headers.clone(), created.body.clone())
        } else if head.starts_with("GET /api/atlas/v2/orgs/a0123456789abcdef012345a/apiKeys?") {
            let query = target.split_once('?').unwrap().1;
            let param = |name: &str| query.split('&').find_map(|p| p.strip_prefix(&format!("{name}="))?.parse::<usize>().ok());
            let (page, size) = (param("pageNum").unwrap_or(1), param("itemsPerPage").unwrap_or(100));
            let mut page_body = all.clone();
            let results: Vec<serde_json::Value> =
                all["results"].as_array().unwrap().iter().skip((page - 1) * size).take(size).cloned().collect();
            page_body["results"] = serde_json::Value::Array(results);
            (listed.status.clone(), listed.headers.clone(), page_body.to_string())
        } else {
            ("400 Bad Request".to_owned(), vec![("Content-Type".to_owned(), "application/json".to_owned())], format!("{{\"error\":400,\"errorCode\":\"UNEXPECTED\",\"detail\":{head:?}}}"))
        };
        let mut out = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n", answer.len());
        for (name, value) in headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str("\r\n");
        out.push_str(&answer);
        socket.write_all(out.as_bytes()).await.expect("write");
        let _ = socket.shutdown().await;
    }
}

#[tokio::main]
async fn main() {
    let recorded = PathBuf::from(std::env::args().nth(1).expect("the recorded folder"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(serve(listener, read(&recorded, "createOrgApiKey"), read(&recorded, "listOrgApiKeys")));

    let atlas = client::Client::builder()
        .base_url(format!("http://{address}"))
        .bearer_token("token")
        .build()
        .expect("a client");
    let org: OrgId = "a0123456789abcdef012345a".parse().expect("an org id");

    let body = CreateAtlasOrganizationApiKey::new("rotation".into(), vec![CreateAtlasOrganizationApiKeyRolesItem::OrgReadOnly]);
    let created = atlas.create_org_api_key(&org, body).send().await.expect("created");
    let key = created.body;
    println!(
        "created key {} (private key {:?})",
        key.id.as_deref().unwrap_or("?"),
        key.private_key.as_ref().expect("the private key is returned once")
    );
    assert!(key.private_key.as_ref().is_some_and(|secret| !secret.expose().is_empty()));

    let mut pages = 0;
    let mut keys = Vec::new();
    let mut walk = std::pin::pin!(atlas.list_org_api_keys(&org).items_per_page(5).pages());
    while let Some(page) = walk.next().await {
        let page = page.expect("a page");
        pages += 1;
        keys.extend(page.items);
    }
    println!("listed {} keys over {pages} pages", keys.len());
}
