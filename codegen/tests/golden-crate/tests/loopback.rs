//! Generated operations of the goldens against a scripted server on loopback, as a user calls them: walking
//! the pages of a list sends the same safe request page after page, and a success whose documented body is
//! a plain string decodes however the service sends the string.

use codegen_goldens::runtime::{Client, Error, PaginateExt};
use futures_util::StreamExt;
use local_atlas::raw::{Reply, Request, serve};

fn client(base_url: &str) -> Client {
    Client::builder().base_url(base_url).build().expect("a loopback client")
}

/// The value of query parameter `name` in the request's target.
fn query(request: &Request, name: &str) -> Option<String> {
    let query = request.target.split_once('?')?.1;
    query.split('&').find_map(|pair| pair.strip_prefix(&format!("{name}=")).map(str::to_owned))
}

#[tokio::test]
async fn walking_pages_sends_the_get_again_for_each_page() {
    // Five widgets, two to a page: pages 1 and 2 are full, page 3 holds the last one.
    let server = serve(|request| {
        let page: usize = query(request, "pageNum").and_then(|p| p.parse().ok()).unwrap_or(1);
        let names: Vec<String> =
            (1..=5).skip((page - 1) * 2).take(2).map(|n| format!(r#"{{"name":"w{n}"}}"#)).collect();
        Reply::json(200, &format!(r#"{{"results":[{}],"totalCount":5}}"#, names.join(",")))
    })
    .await;
    let client = client(server.base_url());
    let pages: Vec<_> = client.list_widgets().items_per_page(2).pages().collect().await;
    let names: Vec<String> = pages
        .into_iter()
        .flat_map(|page| page.expect("a page").items)
        .map(|widget| widget.name.unwrap_or_default())
        .collect();
    assert_eq!(names, ["w1", "w2", "w3", "w4", "w5"]);
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "one request per page, and none after the last: {requests:?}");
    for (index, request) in requests.iter().enumerate() {
        assert_eq!(request.method, "GET");
        assert_eq!(request.path(), "/widgets");
        assert_eq!(query(request, "pageNum").as_deref(), Some((index + 1).to_string().as_str()));
        assert_eq!(query(request, "itemsPerPage").as_deref(), Some("2"));
        assert!(request.body.is_empty());
    }
}

const PEM: &str = "-----BEGIN CERTIFICATE-----\nMIIFBzCCAu+gAwIBAgIIeVq5J3mlR3kw\n-----END CERTIFICATE-----\n\
                   -----BEGIN PRIVATE KEY-----\nMIIJQgIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";

/// The live service's content type for the certificate (`createGroupDatabaseUserCert`).
const VENDOR_JSON: &str = "application/vnd.text.2023-01-01+json;charset=utf-8";

/// A server that answers every request with `status`, `content_type` and `body`.
async fn answering(status: u16, content_type: &str, body: &[u8]) -> local_atlas::raw::RawServer {
    let reply = Reply::Respond {
        status,
        headers: vec![("Content-Type".to_owned(), content_type.to_owned())],
        body: body.to_vec(),
    };
    serve(move |_| reply.clone()).await
}

#[tokio::test]
async fn a_secret_string_answer_decodes_bare_quoted_or_empty_and_stays_redacted() {
    let quoted = serde_json::to_string(PEM).expect("a JSON string");
    for (content_type, body, expected) in
        [(VENDOR_JSON, PEM, PEM), (VENDOR_JSON, quoted.as_str(), PEM), ("text/plain", PEM, PEM), (VENDOR_JSON, "", "")]
    {
        let server = answering(201, content_type, body.as_bytes()).await;
        let answer = client(server.base_url())
            .create_user_cert("alice")
            .send()
            .await
            .unwrap_or_else(|error| panic!("{body:?} under {content_type}: {error}"));
        assert_eq!(answer.status.as_u16(), 201);
        assert_eq!(answer.body.expose(), expected, "{body:?} under {content_type}");
        let shown = format!("{answer:?}");
        assert!(!shown.contains("PRIVATE KEY"), "the key shows in Debug: {shown}");
        assert_eq!(server.requests()[0].method, "POST");
        assert_eq!(server.count(), 1, "a success is not retried");
    }
}

#[tokio::test]
async fn a_plain_string_answer_decodes_bare_or_quoted() {
    for body in ["<EntityDescriptor/>", "\"<EntityDescriptor/>\""] {
        let server = answering(200, VENDOR_JSON, body.as_bytes()).await;
        let answer = client(server.base_url()).get_metadata().send().await.expect("decodes");
        assert_eq!(answer.body, "<EntityDescriptor/>", "{body}");
    }
    let server = answering(200, "application/json", b"").await;
    let answer = client(server.base_url()).reset_password("alice").send().await.expect("decodes");
    assert_eq!(answer.body.expose(), "");
}

#[tokio::test]
async fn a_non_utf8_string_answer_is_an_error_that_keeps_its_bytes_and_status() {
    let bytes = b"-----BEGIN PRIVATE KEY-----\n\xff\xfe\n-----END PRIVATE KEY-----\n";
    let server = answering(201, VENDOR_JSON, bytes).await;
    let error = client(server.base_url()).create_user_cert("alice").send().await.expect_err("not UTF-8");
    let Error::UnexpectedResponse(answer) = &error else { panic!("expected UnexpectedResponse, got {error}") };
    assert_eq!(answer.status.as_u16(), 201, "the status says the certificate was created");
    assert_eq!(&answer.body[..], bytes);
    assert!(answer.reason.contains("not UTF-8"), "{}", answer.reason);
    assert!(!error.to_string().contains("PRIVATE KEY"), "{error}");
}
