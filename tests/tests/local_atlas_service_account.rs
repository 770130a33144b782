//! The client against the local Atlas with a service account: one token for many calls, refresh after
//! expiry or revocation, and the operation that only accepts digest.

use std::time::Duration;

use atlas_admin::runtime::AuthErrorKind;
use atlas_admin::{Client, Error};
use atlas_admin_tests::clients::{api_key, group, org, quick_retries, service_account_client, user, user_key};
use local_atlas::known::*;
use local_atlas::{Config, LocalAtlas};

async fn start(config: Config) -> LocalAtlas {
    LocalAtlas::start(config).await.expect("the local Atlas must start on loopback")
}

fn client_with_short_token_interval(atlas: &LocalAtlas) -> Client {
    Client::builder()
        .base_url(atlas.base_url())
        .service_account(SA_CLIENT_ID, SA_CLIENT_SECRET)
        .token_request_interval(Duration::from_millis(50))
        .retry_policy(quick_retries())
        .build()
        .unwrap()
}

#[tokio::test]
async fn one_token_serves_every_call() {
    let atlas = start(Config::default()).await;
    let client = service_account_client(&atlas);
    let unassigned = client.remove_group_api_key(&group(ACME_PROD), &api_key(MONITORING_KEY)).send().await.unwrap();
    assert_eq!(unassigned.status.as_u16(), 204);
    let deleted = client.delete_org_api_key(&org(ACME_ORG), &api_key(DEPLOY_KEY)).send().await.unwrap();
    assert_eq!(deleted.status.as_u16(), 204);
    let again = client.delete_org_api_key(&org(ACME_ORG), &api_key(DEPLOY_KEY)).send().await.unwrap_err();
    assert!(again.is_already_gone(), "{again:?}");
    assert!(!atlas.org_has_key(ACME_ORG, DEPLOY_KEY) && !atlas.is_assigned(ACME_STAGING, DEPLOY_KEY));

    let counters = atlas.counters();
    assert_eq!(counters.tokens_issued, 1, "{counters:#?}");
    assert_eq!(counters.bearer_accepted, 3);
    assert_eq!(counters.challenges_issued, 0);
    assert_eq!(counters.requests, 4, "one token request and three calls");
}

#[tokio::test]
async fn the_personal_key_operation_refuses_a_service_account_before_sending() {
    let atlas = start(Config::default()).await;
    let client = service_account_client(&atlas);
    #[allow(deprecated)]
    let error = client.delete_user_api_key(&user(USER_ID), &user_key(USER_KEY)).send().await.unwrap_err();
    let Error::Auth(auth) = &error else { panic!("expected an auth error, got {error:?}") };
    assert_eq!(auth.kind, AuthErrorKind::SchemeNotAllowed);
    assert_eq!(atlas.counters().requests, 0, "nothing was sent");
}

#[tokio::test]
async fn a_wrong_secret_is_a_token_error() {
    let atlas = start(Config::default()).await;
    let client = Client::builder()
        .base_url(atlas.base_url())
        .service_account(SA_CLIENT_ID, "mdb_sa_sk_wrong")
        .retry_policy(quick_retries())
        .build()
        .unwrap();
    let error = client.delete_org_api_key(&org(ACME_ORG), &api_key(DEPLOY_KEY)).send().await.unwrap_err();
    let Error::Auth(auth) = &error else { panic!("expected an auth error, got {error:?}") };
    assert_eq!(auth.kind, AuthErrorKind::TokenRequest, "{error}");
    assert!(!format!("{error:?}{error}").contains("mdb_sa_sk_wrong"), "the secret never shows in errors");
    let counters = atlas.counters();
    assert_eq!(counters.count("oauthToken", 401), 1, "{counters:#?}");
    assert_eq!(counters.route_total("deleteOrgApiKey"), 0);
    assert!(atlas.org_has_key(ACME_ORG, DEPLOY_KEY));
}

#[tokio::test]
async fn an_expired_token_is_replaced() {
    let atlas = start(Config { token_lifetime: Duration::from_secs(2), ..Config::default() }).await;
    let client = client_with_short_token_interval(&atlas);
    client.remove_group_api_key(&group(ACME_PROD), &api_key(DEPLOY_KEY)).send().await.unwrap();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    client.remove_group_api_key(&group(ACME_STAGING), &api_key(DEPLOY_KEY)).send().await.unwrap();
    let counters = atlas.counters();
    assert_eq!(counters.tokens_issued, 2, "{counters:#?}");
    assert_eq!(counters.keys_unassigned, 2);
    assert_eq!(counters.status_total(401), 0, "the client renewed the token before using an expired one");
}

#[tokio::test]
async fn a_revoked_token_is_refreshed_once() {
    let atlas = start(Config::default()).await;
    let client = client_with_short_token_interval(&atlas);
    client.remove_group_api_key(&group(ACME_PROD), &api_key(DEPLOY_KEY)).send().await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(atlas.revoke_all_tokens(), 1);
    client.remove_group_api_key(&group(ACME_STAGING), &api_key(DEPLOY_KEY)).send().await.unwrap();
    let counters = atlas.counters();
    assert_eq!(counters.tokens_issued, 2, "{counters:#?}");
    assert_eq!(counters.count("removeGroupApiKey", 401), 1, "{counters:#?}");
    assert_eq!(counters.count("removeGroupApiKey", 204), 2, "{counters:#?}");
}
