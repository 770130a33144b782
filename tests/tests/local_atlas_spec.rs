//! The local Atlas serves every operation of the spec it is given (issue 18): each one answers its
//! documented success, not a 404 for an unknown route, and the CRUD ones keep state. Plain HTTP here (no
//! client), so what is checked is the server.

use std::path::Path;

use local_atlas::known::{ACME_ORG, ADMIN_KEY, GLOBEX_ORG};
use local_atlas::{AuthMode, Config, LocalAtlas};
use serde_json::{Value, json};

fn spec(relative: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(relative)).expect("a spec")
}

async fn json_of(answer: reqwest::Response) -> Value {
    serde_json::from_slice(&answer.bytes().await.unwrap()).expect("a JSON answer")
}

fn http() -> reqwest::Client {
    atlas_admin::runtime::ensure_tls_provider();
    reqwest::Client::new()
}

/// A path of `template` with plausible values: the seeded org and project, the admin key, an address.
fn filled(template: &str) -> String {
    template
        .split('/')
        .map(|segment| match segment {
            "{orgId}" => ACME_ORG,
            "{groupId}" => local_atlas::known::ACME_PROD,
            "{apiUserId}" => ADMIN_KEY,
            "{ipAddress}" => "192.0.2.1",
            s if s.starts_with('{') => "5953c5f380eef53887615f9c",
            s => s,
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn every_operation_of_the_spec_is_served() {
    for file in ["spec/atlas-admin.yaml", "tests/key-rotation/spec/key-rotation.yaml"] {
        let config = Config { auth: AuthMode::Disabled, ..Config::default() }.with_spec(&spec(file)).unwrap();
        let atlas = LocalAtlas::start(config).await.unwrap();
        let mut operations: Vec<_> = atlas.config().spec.as_ref().unwrap().operations().to_vec();
        // Deletes last, the deepest paths first: a key deleted first would take its access list with it.
        operations.sort_by_key(|op| (op.method == "DELETE", usize::MAX - op.path_template.matches('/').count()));
        assert!(!operations.is_empty());
        for operation in &operations {
            let url = format!("{}{}", atlas.base_url(), filled(&operation.path_template));
            let method = reqwest::Method::from_bytes(operation.method.as_bytes()).unwrap();
            let mut request = http().request(method, &url);
            if operation.request_schema.is_some() {
                let body = match operation.operation_id.as_str() {
                    "createOrgApiKeyAccessListEntry" => json!([{ "ipAddress": "192.0.2.1" }]),
                    _ => json!({ "desc": "made by the test", "roles": ["ORG_MEMBER"] }),
                };
                request = request.header("content-type", "application/json").body(body.to_string());
            }
            let answer = request.send().await.unwrap();
            let status = answer.status().as_u16();
            let routed = atlas.counters().route_total(&operation.operation_id);
            assert!(
                routed >= 1,
                "{file}: {} {url} was not routed to {} ({status})",
                operation.method,
                operation.operation_id
            );
            // The hand-written deletes answer as the live service does for the seeded state (the
            // unassign of a key deleted just before is 400 API_KEY_NOT_FOUND); the others succeed.
            let hand_written = local_atlas::Operation::ALL.iter().any(|op| op.operation_id() == operation.operation_id);
            if !hand_written {
                assert!((200..300).contains(&status), "{file}: {} answered {status}", operation.operation_id);
            }
        }
        assert_eq!(atlas.counters().route_total("notFound"), 0);
        assert_eq!(atlas.counters().route_total("methodNotAllowed"), 0);
    }
}

#[tokio::test]
async fn crud_operations_share_one_resource_and_page_like_atlas() {
    let config = Config { auth: AuthMode::Disabled, ..Config::default() }
        .with_spec(&spec("tests/key-rotation/spec/key-rotation.yaml"))
        .unwrap();
    let atlas = LocalAtlas::start(config).await.unwrap();
    let base = format!("{}/api/atlas/v2/orgs/{ACME_ORG}/apiKeys/{ADMIN_KEY}/accessList", atlas.base_url());
    let client = http();
    let entries: Vec<Value> = (1..=5).map(|i| json!({ "ipAddress": format!("192.0.2.{i}") })).collect();
    let created = json_of(client.post(&base).body(json!(entries).to_string()).send().await.unwrap()).await;
    assert_eq!(created["totalCount"], 5, "{created}");
    assert_eq!(created["results"][0]["cidrBlock"], "192.0.2.1/32");

    let page = json_of(client.get(format!("{base}?itemsPerPage=2&pageNum=3")).send().await.unwrap()).await;
    assert_eq!(page["results"].as_array().unwrap().len(), 1, "{page}");
    assert_eq!(page["results"][0]["ipAddress"], "192.0.2.5");
    assert_eq!(page["totalCount"], 5);

    let gone = client.delete(format!("{base}/192.0.2.5")).send().await.unwrap();
    assert_eq!(gone.status().as_u16(), 204);
    let again = client.delete(format!("{base}/192.0.2.5")).send().await.unwrap();
    assert_eq!(again.status().as_u16(), 404);
    assert_eq!(again.headers()["x-error-code"], "RESOURCE_NOT_FOUND");
    let read = client.get(format!("{base}/192.0.2.4")).send().await.unwrap();
    assert_eq!(read.status().as_u16(), 405, "the key-rotation spec has no GET of one entry");

    // Deleting the key takes its access list with it.
    let deleted = client.delete(format!("{}/api/atlas/v2/orgs/{ACME_ORG}/apiKeys/{ADMIN_KEY}", atlas.base_url()));
    assert_eq!(deleted.send().await.unwrap().status().as_u16(), 204);
    let orphan = client.get(&base).send().await.unwrap();
    assert_eq!(orphan.status().as_u16(), 400);
    assert_eq!(orphan.headers()["x-error-code"], "API_KEY_NOT_FOUND");
}

#[tokio::test]
async fn parents_are_checked_with_the_live_error_bodies() {
    let config = Config::default().with_spec(&spec("tests/key-rotation/spec/key-rotation.yaml")).unwrap();
    let atlas = LocalAtlas::start(config).await.unwrap();
    let unknown_org = format!("{}/api/atlas/v2/orgs/5953c5f380eef53887615f9a/apiKeys", atlas.base_url());
    // Without credentials: the digest challenge first, as on Atlas.
    let challenged = http().get(&unknown_org).send().await.unwrap();
    assert_eq!(challenged.status().as_u16(), 401);
    assert!(challenged.headers().contains_key("www-authenticate"));

    let open = Config { auth: AuthMode::Disabled, ..Config::default() }
        .with_spec(&spec("tests/key-rotation/spec/key-rotation.yaml"))
        .unwrap();
    let atlas = LocalAtlas::start(open).await.unwrap();
    let missing = http()
        .get(format!("{}/api/atlas/v2/orgs/5953c5f380eef53887615f9a/apiKeys", atlas.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status().as_u16(), 404);
    let body = json_of(missing).await;
    assert_eq!(body["errorCode"], "ORG_NOT_FOUND");
    let globex = http().get(format!("{}/api/atlas/v2/orgs/{GLOBEX_ORG}/apiKeys?envelope=true", atlas.base_url()));
    let globex_keys = json_of(globex.send().await.unwrap()).await;
    assert_eq!(globex_keys["status"], 200, "enveloped: {globex_keys}");
    assert!(globex_keys["content"]["results"].as_array().is_some_and(|keys| !keys.is_empty()));
}

/// The whole upstream spec (`../shared/upstream/atlas-admin-v2.yaml`, next to the repository, as
/// `xtask/tests/add_an_operation.rs` reads it): every one of its operations reaches its own handler, none
/// is an unknown route or a wrong method, and none fails on the server's side. Ids are made up, so most
/// items are missing (404) and empty bodies lack required attributes (400): that is the local Atlas
/// answering as Atlas would.
#[tokio::test]
async fn every_operation_of_the_upstream_spec_is_routed() {
    let text = spec("../shared/upstream/atlas-admin-v2.yaml");
    let config = Config { auth: AuthMode::Disabled, ..Config::default() }.with_spec(&text).unwrap();
    let atlas = LocalAtlas::start(config).await.unwrap();
    let mut operations: Vec<_> = atlas.config().spec.as_ref().unwrap().operations().to_vec();
    operations.sort_by_key(|op| (op.method == "DELETE", usize::MAX - op.path_template.matches('/').count()));
    let client = http();
    let mut unrouted = Vec::new();
    for operation in &operations {
        // Placeholders inside literal text too (`{clusterName}:pause`, `{logName}.gz`).
        let path: Vec<String> = operation
            .path_template
            .split('/')
            .map(|segment| match (segment.find('{'), segment.find('}')) {
                _ if segment == "{orgId}" => ACME_ORG.to_owned(),
                _ if segment == "{groupId}" => local_atlas::known::ACME_PROD.to_owned(),
                (Some(open), Some(close)) => {
                    format!("{}5953c5f380eef53887615f9c{}", &segment[..open], &segment[close + 1..])
                }
                _ => segment.to_owned(),
            })
            .collect();
        let method = reqwest::Method::from_bytes(operation.method.as_bytes()).unwrap();
        let mut request = client.request(method, format!("{}{}", atlas.base_url(), path.join("/")));
        if operation.request_schema.is_some() {
            request = request.header("content-type", "application/json").body("{}");
        }
        let status = request.send().await.unwrap().status().as_u16();
        if atlas.counters().route_total(&operation.operation_id) == 0 || status == 405 || status >= 500 {
            unrouted.push(format!("{} {} ({status})", operation.method, operation.path_template));
        }
    }
    assert!(operations.len() > 500, "{} operations", operations.len());
    assert!(unrouted.is_empty(), "not served: {unrouted:#?}");
}
