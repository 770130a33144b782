//! The client's digest against Apache httpd's mod_auth_digest: a server nobody here wrote, with nonce-count
//! checking on and a short nonce lifetime. Apache's access log shows how many 401s the client caused.
//!
//! Needs the Debian package `apache2`, so plain `cargo test` leaves these out (`#[ignore]`); `cargo xtask
//! test` installs it and runs them with `--include-ignored`, and there they FAIL (never skip) when Apache
//! cannot start.

use std::time::Duration;

use atlas_admin::Error;
use atlas_admin::runtime::AuthErrorKind;
use atlas_admin_tests::apache::{ApacheDigest, ApacheOptions};
use atlas_admin_tests::clients::{api_key, digest_client_with, group, org};
use local_atlas::known::*;

fn start_apache(nonce_lifetime_secs: u64) -> (ApacheDigest, ApacheOptions) {
    let options = ApacheOptions { nonce_lifetime_secs, ..ApacheOptions::default() };
    match ApacheDigest::start(&options) {
        Ok(apache) => (apache, options),
        Err(message) => panic!("Apache httpd could not be started, so the interop test cannot run: {message}"),
    }
}

#[tokio::test]
#[ignore = "needs Apache httpd (Debian apache2): cargo xtask test installs it and runs this"]
async fn one_challenge_for_many_calls_with_nc_checking() {
    let (apache, options) = start_apache(300);
    let client = digest_client_with(&apache.base_url(), &options.user, &options.password);
    for _ in 0..10 {
        let answer = client.delete_org_api_key(&org(ACME_ORG), &api_key(DEPLOY_KEY)).send().await;
        let answer = answer.unwrap_or_else(|e| panic!("Apache refused the client: {e:?}\n{}", apache.diagnostics()));
        assert_eq!(answer.status.as_u16(), 204);
    }
    for _ in 0..5 {
        let answer = client.remove_group_api_key(&group(ACME_PROD), &api_key(DEPLOY_KEY)).pretty(true).send().await;
        assert_eq!(answer.unwrap().status.as_u16(), 204);
    }
    let log = apache.wait_for_log(16);
    let challenges = log.iter().filter(|e| e.status == 401).count();
    let successes = log.iter().filter(|e| e.status == 204).count();
    assert_eq!((challenges, successes), (1, 15), "one 401 for fifteen calls; access log: {log:#?}");
    assert_eq!(log[0].status, 401, "the first request fetched the challenge");
    assert!(log[1..].iter().all(|e| e.status == 204), "{log:#?}");
}

#[tokio::test]
#[ignore = "needs Apache httpd (Debian apache2): cargo xtask test installs it and runs this"]
async fn an_expired_nonce_is_renewed_through_apaches_stale_flag() {
    let (apache, options) = start_apache(2);
    let client = digest_client_with(&apache.base_url(), &options.user, &options.password);
    client.delete_org_api_key(&org(ACME_ORG), &api_key(DEPLOY_KEY)).send().await.unwrap();
    client.delete_org_api_key(&org(ACME_ORG), &api_key(DEPLOY_KEY)).send().await.unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let late = client.delete_org_api_key(&org(ACME_ORG), &api_key(DEPLOY_KEY)).send().await;
    let late =
        late.unwrap_or_else(|e| panic!("the call after the nonce expired failed: {e:?}\n{}", apache.diagnostics()));
    assert_eq!(late.status.as_u16(), 204);
    let log = apache.wait_for_log(5);
    let statuses: Vec<u16> = log.iter().map(|e| e.status).collect();
    assert_eq!(statuses, [401, 204, 204, 401, 204], "{log:#?}");
    let renewal = log[3].www_authenticate.as_deref().unwrap_or_default();
    assert!(renewal.contains("stale=true"), "Apache marks the expired nonce stale: {renewal}");
}

#[tokio::test]
#[ignore = "needs Apache httpd (Debian apache2): cargo xtask test installs it and runs this"]
async fn a_wrong_password_is_one_rejection_from_apache() {
    let (apache, options) = start_apache(300);
    let client = digest_client_with(&apache.base_url(), &options.user, "wrong-password");
    let error = client.delete_org_api_key(&org(ACME_ORG), &api_key(DEPLOY_KEY)).send().await.unwrap_err();
    let Error::Auth(auth) = &error else { panic!("expected an auth error, got {error:?}") };
    assert_eq!(auth.kind, AuthErrorKind::Rejected);
    let log = apache.wait_for_log(2);
    assert_eq!(log.iter().map(|e| e.status).collect::<Vec<_>>(), [401, 401], "{log:#?}");
}
