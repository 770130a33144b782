//! What users read: `Display` of an error names the request and the service's answer once each, and no
//! message repeats along the `source()` chain (anyhow's `{:#}` prints the chain, joined by ": ").

use std::time::Duration;

use atlas_admin::{ApiUserId, Client, Error, GroupId, OrgId};
use local_atlas::known::{ACME_ORG, ADMIN_PRIVATE_KEY, ADMIN_PUBLIC_KEY, DEPLOY_KEY, MISSING_GROUP};
use local_atlas::{Config, LocalAtlas};

/// Every message along the chain, the error's own first.
fn chain(error: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut messages = vec![error.to_string()];
    let mut next = error.source();
    while let Some(cause) = next {
        messages.push(cause.to_string());
        next = cause.source();
    }
    messages
}

/// No link repeats another: no message contains a later one, or is contained in it.
fn assert_no_repeats(messages: &[String]) {
    for (i, earlier) in messages.iter().enumerate() {
        for later in &messages[i + 1..] {
            assert!(!earlier.contains(later.as_str()) && !later.contains(earlier.as_str()), "{messages:#?}");
        }
    }
}

fn occurrences(text: &str, part: &str) -> usize {
    text.matches(part).count()
}

async fn local_atlas() -> LocalAtlas {
    LocalAtlas::start(Config::default()).await.expect("the local Atlas starts on loopback")
}

#[tokio::test]
async fn a_service_error_names_operation_method_path_status_code_and_detail_once() {
    let atlas = local_atlas().await;
    let client =
        Client::builder().base_url(atlas.base_url()).digest_auth(ADMIN_PUBLIC_KEY, ADMIN_PRIVATE_KEY).build().unwrap();
    let group: GroupId = MISSING_GROUP.parse().unwrap();
    let key: ApiUserId = DEPLOY_KEY.parse().unwrap();
    let error = client.remove_group_api_key(&group, &key).send().await.expect_err("no such project");
    let path = format!("/api/atlas/v2/groups/{MISSING_GROUP}/apiKeys/{DEPLOY_KEY}");
    let detail = format!("No group with ID {MISSING_GROUP} exists.");
    let shown = error.to_string();
    for part in ["removeGroupApiKey", "DELETE", path.as_str(), "404 Not Found", "GROUP_NOT_FOUND", detail.as_str()] {
        assert_eq!(occurrences(&shown, part), 1, "{part:?} in {shown:?}");
    }
    let request = error.request().expect("the error names its request");
    assert_eq!(
        (request.operation_id, request.method.as_str(), request.path.as_str()),
        ("removeGroupApiKey", "DELETE", path.as_str())
    );
    // anyhow prints the chain; it is the one message, since a decoded answer has no cause.
    let anyhow = format!("{:#}", anyhow::Error::from(error));
    assert_eq!(anyhow, shown);
}

#[tokio::test]
async fn a_transport_error_prints_each_cause_once() {
    // Bind and drop, so the port is very likely free and refuses connections.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .connect_timeout(Duration::from_secs(2))
        .no_retries()
        .build()
        .unwrap();
    let org: OrgId = ACME_ORG.parse().unwrap();
    let key: ApiUserId = DEPLOY_KEY.parse().unwrap();
    let error = client.delete_org_api_key(&org, &key).send().await.expect_err("nothing listens");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    let messages = chain(&error);
    assert!(messages.len() >= 2, "the HTTP stack's error is the source: {messages:#?}");
    assert_no_repeats(&messages);
    let anyhow = format!("{:#}", anyhow::Error::from(error));
    let path = format!("/api/atlas/v2/orgs/{ACME_ORG}/apiKeys/{DEPLOY_KEY}");
    assert_eq!(occurrences(&anyhow, &path), 1, "{anyhow}");
    assert_eq!(occurrences(&anyhow, "127.0.0.1"), 0, "the URL is not repeated by the HTTP stack: {anyhow}");
    assert!(
        anyhow.starts_with(&format!("deleteOrgApiKey (DELETE {path}): no answer after 1 attempt(s): ")),
        "{anyhow}"
    );
}

#[tokio::test]
async fn an_invalid_id_prints_once() {
    let error: Error = "not-an-org".parse::<OrgId>().map_err(Error::from).expect_err("invalid");
    let messages = chain(&error);
    assert_eq!(messages.len(), 1, "{messages:#?}");
    let anyhow = format!("{:#}", anyhow::Error::from(error));
    assert_eq!(occurrences(&anyhow, "not-an-org"), 1, "{anyhow}");
}

#[test]
fn the_error_fits_clippys_result_large_err_threshold() {
    // clippy warns at 128 bytes for the Err side of a Result; every payload is boxed.
    assert!(std::mem::size_of::<Error>() <= 16, "{} bytes", std::mem::size_of::<Error>());
    assert!(std::mem::size_of::<atlas_admin::runtime::AuthError>() < 128);
}

/// A caller's function with the crate's error in its `Result`: `cargo clippy -D warnings` (CI) would fail
/// on it if the error were large.
fn users_function(fail: bool) -> Result<u8, Error> {
    if fail { Err("x".parse::<OrgId>().map(drop).map_err(Error::from).unwrap_err()) } else { Ok(1) }
}

#[test]
fn a_users_result_is_cheap() {
    assert_eq!(users_function(false).unwrap(), 1);
    assert!(users_function(true).is_err());
}
