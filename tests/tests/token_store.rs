//! Tokens that outlive a process (issue 18): a service account's token kept in a `FileTokenStore` is
//! reused by the next client (the next run of a program), which asks the token endpoint for nothing;
//! revoking it removes it from the store; a token the service refuses is replaced; the file is the owner's
//! only and nothing shows a token.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use atlas_admin::Client;
use atlas_admin::runtime::{FileTokenStore, TokenStore};
use atlas_admin_tests::clients::{api_key, org, quick_retries};
use local_atlas::known::*;
use local_atlas::{Config, LocalAtlas, extra_key_id};

fn scratch_file(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("atlas-admin-token-store-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("tokens.json")
}

/// A client as one run of a program builds it.
fn run_client(atlas: &LocalAtlas, store: &Arc<FileTokenStore>) -> Client {
    Client::builder()
        .base_url(atlas.base_url())
        .service_account(SA_CLIENT_ID, SA_CLIENT_SECRET)
        .token_store(store.clone())
        .token_request_interval(Duration::from_millis(10))
        .retry_policy(quick_retries())
        .build()
        .unwrap()
}

async fn delete_one(client: &Client, index: usize) {
    client.delete_org_api_key(&org(ACME_ORG), &api_key(&extra_key_id(index))).send().await.expect("deleted");
}

#[tokio::test]
async fn runs_that_share_a_token_file_ask_for_one_token() {
    let atlas = LocalAtlas::start(Config { extra_org_keys: 5, ..Config::default() }).await.unwrap();
    let path = scratch_file("shared");
    for run in 0..5 {
        // A new client each time, as a new process would build: nothing in memory.
        let client = run_client(&atlas, &Arc::new(FileTokenStore::new(&path)));
        delete_one(&client, run).await;
    }
    let counters = atlas.counters();
    assert_eq!(counters.tokens_issued, 1, "{counters:#?}");
    assert_eq!(counters.bearer_accepted, 5);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(SA_CLIENT_ID), "the file is keyed by the account");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}

#[tokio::test]
async fn revoking_removes_the_token_from_the_store_and_the_next_run_fetches_one() {
    let atlas = LocalAtlas::start(Config { extra_org_keys: 3, ..Config::default() }).await.unwrap();
    let path = scratch_file("revoke");
    let store = Arc::new(FileTokenStore::new(&path));
    let first = run_client(&atlas, &store);
    delete_one(&first, 0).await;
    let key = format!("{}/api/oauth/token {SA_CLIENT_ID}", atlas.base_url());
    assert!(store.load(&key).unwrap().is_some(), "stored under the token endpoint and the client id");
    assert!(first.revoke_token().await.unwrap());
    assert!(store.load(&key).unwrap().is_none(), "revoked: gone from the store");
    assert_eq!(atlas.counters().tokens_revoked, 1);

    // A later run that only revokes (a cleanup job) revokes the stored token, not nothing.
    let second = run_client(&atlas, &store);
    delete_one(&second, 1).await;
    let cleanup = run_client(&atlas, &store);
    assert!(cleanup.revoke_token().await.unwrap(), "the stored token is revoked");
    assert_eq!(atlas.counters().tokens_revoked, 2);
    assert_eq!(atlas.counters().tokens_issued, 2);
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}

#[tokio::test]
async fn a_stored_token_the_service_refuses_is_replaced() {
    let atlas = LocalAtlas::start(Config { extra_org_keys: 3, ..Config::default() }).await.unwrap();
    let path = scratch_file("refused");
    let store = Arc::new(FileTokenStore::new(&path));
    delete_one(&run_client(&atlas, &store), 0).await;
    let key = format!("{}/api/oauth/token {SA_CLIENT_ID}", atlas.base_url());
    let stale = store.load(&key).unwrap().unwrap();
    // The service forgets it (revoked elsewhere, or the service restarted).
    assert_eq!(atlas.revoke_all_tokens(), 1);
    delete_one(&run_client(&atlas, &store), 1).await;
    let fresh = store.load(&key).unwrap().unwrap();
    assert_ne!(fresh.expose_value(), stale.expose_value(), "the refused token was replaced in the store");
    assert_eq!(atlas.counters().tokens_issued, 2);
    let shown = format!("{store:?} {fresh:?}");
    assert!(!shown.contains(fresh.expose_value()), "{shown}");
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}

#[cfg(unix)]
#[tokio::test]
async fn a_token_file_others_may_read_is_not_trusted() {
    use std::os::unix::fs::PermissionsExt as _;
    let atlas = LocalAtlas::start(Config { extra_org_keys: 2, ..Config::default() }).await.unwrap();
    let path = scratch_file("open");
    let store = Arc::new(FileTokenStore::new(&path));
    delete_one(&run_client(&atlas, &store), 0).await;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    // The next run does not use the token in it: it fetches its own, and writes an owner-only file.
    delete_one(&run_client(&atlas, &store), 1).await;
    assert_eq!(atlas.counters().tokens_issued, 2);
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}
