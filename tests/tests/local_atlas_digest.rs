//! The client against the local Atlas with HTTP Digest: every operation, MD5 and SHA-256, the error
//! answers, nonce reuse and expiry, and counters that reconcile with what the client did.

use std::time::Duration;

use atlas_admin::Error;
use atlas_admin::runtime::AuthErrorKind;
use atlas_admin_tests::clients::{api_key, digest_client, digest_client_with, group, org, user, user_key};
use local_atlas::known::*;
use local_atlas::{Config, DigestAlgorithm, LocalAtlas};

async fn start(config: Config) -> LocalAtlas {
    LocalAtlas::start(config).await.expect("the local Atlas must start on loopback")
}

async fn all_three_operations(algorithms: Vec<DigestAlgorithm>) {
    let atlas = start(Config { digest_algorithms: algorithms, ..Config::default() }).await;
    let client = digest_client(&atlas);

    let unassigned = client.remove_group_api_key(&group(ACME_PROD), &api_key(MONITORING_KEY)).send().await.unwrap();
    assert_eq!(unassigned.status.as_u16(), 204);
    assert_eq!(unassigned.headers.rate_limit_limit, Some(1200));
    assert!(!atlas.is_assigned(ACME_PROD, MONITORING_KEY));
    assert!(atlas.org_has_key(ACME_ORG, MONITORING_KEY), "unassigning keeps the key in the org");

    let deleted = client.delete_org_api_key(&org(ACME_ORG), &api_key(DEPLOY_KEY)).send().await.unwrap();
    assert_eq!(deleted.status.as_u16(), 204);
    assert_eq!(deleted.headers.rate_limit_limit, Some(500));
    assert!(!atlas.org_has_key(ACME_ORG, DEPLOY_KEY));
    assert!(!atlas.is_assigned(ACME_PROD, DEPLOY_KEY) && !atlas.is_assigned(ACME_STAGING, DEPLOY_KEY));

    #[allow(deprecated)]
    let gone = client.delete_user_api_key(&user(USER_ID), &user_key(USER_KEY)).send().await.unwrap_err();
    assert_eq!(gone.status().map(|s| s.as_u16()), Some(410));
    assert_eq!(gone.error_code().as_deref(), Some("PERSONAL_API_KEYS_DEPRECATED"));
    assert!(matches!(gone, Error::Api(_)), "410 is documented, so it decodes: {gone:?}");

    // Three calls, one challenge: the nonce of the first 401 is reused with a growing nc.
    let counters = atlas.counters();
    assert_eq!(counters.challenges_issued, 1, "{counters:#?}");
    assert_eq!(counters.requests, 4, "{counters:#?}");
    assert_eq!(counters.digest_accepted, 3);
    let sha256 = atlas.config().digest_algorithms == [DigestAlgorithm::Sha256];
    assert_eq!(counters.digest_sha256_accepted, if sha256 { 3 } else { 0 });
}

#[tokio::test]
async fn all_three_operations_with_md5_digest() {
    all_three_operations(vec![DigestAlgorithm::Md5]).await;
}

#[tokio::test]
async fn all_three_operations_with_sha256_digest() {
    all_three_operations(vec![DigestAlgorithm::Sha256]).await;
}

#[tokio::test]
async fn sha256_is_chosen_when_both_are_offered() {
    let atlas =
        start(Config { digest_algorithms: vec![DigestAlgorithm::Md5, DigestAlgorithm::Sha256], ..Default::default() })
            .await;
    let client = digest_client(&atlas);
    client.delete_org_api_key(&org(ACME_ORG), &api_key(UNUSED_KEY)).send().await.unwrap();
    assert!(!atlas.org_has_key(ACME_ORG, UNUSED_KEY));
    let counters = atlas.counters();
    assert_eq!((counters.digest_accepted, counters.digest_sha256_accepted), (1, 1), "{counters:#?}");
}

#[tokio::test]
async fn a_second_delete_is_already_gone() {
    let atlas = start(Config::default()).await;
    let client = digest_client(&atlas);
    client.delete_org_api_key(&org(ACME_ORG), &api_key(UNUSED_KEY)).send().await.unwrap();
    let again = client.delete_org_api_key(&org(ACME_ORG), &api_key(UNUSED_KEY)).send().await.unwrap_err();
    assert!(again.is_already_gone(), "{again:?}");
    let Error::Api(answer) = &again else { panic!("expected an API error, got {again:?}") };
    assert_eq!(answer.status.as_u16(), 400);
    assert_eq!(answer.body.error_code.as_deref(), Some("API_KEY_NOT_FOUND"));
    assert_eq!(answer.body.detail.as_deref(), Some(format!("No API key with ID {UNUSED_KEY} exists.").as_str()));
    assert_eq!(answer.headers.get("x-error-code").unwrap(), "API_KEY_NOT_FOUND");

    // Unassigning the deleted key from a project is already gone too.
    let unassign = client.remove_group_api_key(&group(ACME_PROD), &api_key(UNUSED_KEY)).send().await.unwrap_err();
    assert!(unassign.is_already_gone(), "{unassign:?}");
    assert_eq!(atlas.counters().org_keys_deleted, 1);
}

#[tokio::test]
async fn unknown_group_and_org_have_the_live_bodies() {
    let atlas = start(Config::default()).await;
    let client = digest_client(&atlas);
    let group_error =
        client.remove_group_api_key(&group(MISSING_GROUP), &api_key(DEPLOY_KEY)).send().await.unwrap_err();
    let Error::Api(answer) = &group_error else { panic!("expected an API error, got {group_error:?}") };
    assert_eq!(answer.status.as_u16(), 404);
    assert_eq!(
        std::str::from_utf8(&answer.raw_body).unwrap(),
        r#"{"detail":"No group with ID 5953c5f380eef53887615f9a exists.","error":404,"errorCode":"GROUP_NOT_FOUND","parameters":["5953c5f380eef53887615f9a"],"reason":"Not Found"}"#
    );
    assert_eq!(answer.body.error, Some(404));
    assert_eq!(answer.body.reason.as_deref(), Some("Not Found"));

    let org_error = client.delete_org_api_key(&org(MISSING_ORG), &api_key(DEPLOY_KEY)).send().await.unwrap_err();
    assert_eq!(org_error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(org_error.error_code().as_deref(), Some("ORG_NOT_FOUND"));
    assert!(atlas.org_has_key(ACME_ORG, DEPLOY_KEY));
}

#[tokio::test]
async fn envelope_and_pretty_give_the_same_outcomes() {
    let atlas = start(Config::default()).await;
    let client = digest_client(&atlas);
    let ok = client
        .delete_org_api_key(&org(ACME_ORG), &api_key(UNUSED_KEY))
        .envelope(true)
        .pretty(true)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status.as_u16(), 204, "the envelope's status is the real one");
    assert_eq!(atlas.counters().count("deleteOrgApiKey", 200), 1, "on the wire it was a 200");
    let error = client
        .remove_group_api_key(&group(MISSING_GROUP), &api_key(DEPLOY_KEY))
        .envelope(true)
        .pretty(true)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(error.error_code().as_deref(), Some("GROUP_NOT_FOUND"));
}

#[tokio::test]
async fn a_wrong_password_is_one_unauthorized_error() {
    let atlas = start(Config::default()).await;
    let client = digest_client_with(&atlas.base_url(), ADMIN_PUBLIC_KEY, "not-the-private-key");
    let error = client.delete_org_api_key(&org(ACME_ORG), &api_key(DEPLOY_KEY)).send().await.unwrap_err();
    let Error::Auth(auth) = &error else { panic!("expected an auth error, got {error:?}") };
    assert_eq!(auth.kind, AuthErrorKind::Rejected);
    assert!(error.is_unauthorized());
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert!(!format!("{error:?}{error}").contains("not-the-private-key"), "the password never shows in errors");
    // The challenge, and the one answer to it that was refused: no retry loop.
    let counters = atlas.counters();
    assert_eq!((counters.requests, counters.challenges_issued, counters.digest_accepted), (2, 2, 0), "{counters:#?}");
    assert!(atlas.org_has_key(ACME_ORG, DEPLOY_KEY));
}

#[tokio::test]
async fn an_expired_nonce_is_renewed_through_stale() {
    let atlas = start(Config { nonce_lifetime: Duration::from_secs(1), ..Config::default() }).await;
    let client = digest_client(&atlas);
    client.remove_group_api_key(&group(ACME_PROD), &api_key(DEPLOY_KEY)).send().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    client.remove_group_api_key(&group(ACME_STAGING), &api_key(DEPLOY_KEY)).send().await.unwrap();
    let counters = atlas.counters();
    assert_eq!(counters.stale_challenges, 1, "{counters:#?}");
    assert_eq!(counters.challenges_issued, 2, "{counters:#?}");
    assert_eq!(counters.keys_unassigned, 2);
}

#[tokio::test]
async fn counters_reconcile_with_the_calls_made() {
    let atlas = start(Config { extra_org_keys: 20, ..Config::default() }).await;
    let client = digest_client(&atlas);
    let mut ok = 0;
    let mut gone = 0;
    for index in 0..20 {
        let key = api_key(&local_atlas::extra_key_id(index % 15));
        match client.delete_org_api_key(&org(ACME_ORG), &key).send().await {
            Ok(_) => ok += 1,
            Err(e) if e.is_already_gone() => gone += 1,
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    assert_eq!((ok, gone), (15, 5));
    let counters = atlas.counters();
    assert_eq!(counters.org_keys_deleted, 15);
    assert_eq!(counters.count("deleteOrgApiKey", 204), 15);
    assert_eq!(counters.count("deleteOrgApiKey", 400), 5);
    assert_eq!(counters.count("deleteOrgApiKey", 401), counters.challenges_issued);
    assert_eq!(counters.requests, 20 + counters.challenges_issued);

    // The HTTP view of the counters says the same.
    let url = format!("{}{}", atlas.base_url(), local_atlas::COUNTERS_PATH);
    let body = atlas_admin_tests::http::plain_client().get(url).send().await.unwrap().text().await.unwrap();
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["orgKeysDeleted"], 15);
    assert_eq!(json["byRoute"]["deleteOrgApiKey"]["400"], 5);
    assert_eq!(atlas.counters(), counters, "reading the counters over HTTP is not counted");
}

#[tokio::test]
async fn a_key_of_another_org_is_not_authorized_worded_as_such() {
    let atlas = start(Config::default()).await;
    let globex = digest_client_with(&atlas.base_url(), "wertyuio", "3a5b7c9d-1e2f-4a4b-d5c6-e7f8091a2b3c");
    // Twice: once answering a fresh challenge, once reusing the nonce (where the 401 carries no challenge
    // at all, and the client used to call that a missing challenge, as if the server were at fault).
    for call in ["fresh challenge", "reused nonce"] {
        let error = globex.delete_org_api_key(&org(ACME_ORG), &api_key(DEPLOY_KEY)).send().await.unwrap_err();
        let Error::Auth(auth) = &error else { panic!("{call}: a final 401 is an auth error: {error:?}") };
        assert_eq!(auth.kind, AuthErrorKind::NotAuthorized, "{call}: {error}");
        assert!(error.is_unauthorized(), "{call}");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
        assert_eq!(error.error_code().as_deref(), Some("USER_UNAUTHORIZED"), "{call}: {error:?}");
        let shown = error.to_string();
        assert_eq!(
            shown,
            format!(
                "deleteOrgApiKey (DELETE /api/atlas/v2/orgs/{ACME_ORG}/apiKeys/{DEPLOY_KEY}): not authorized: the \
                 service answered 401 Unauthorized USER_UNAUTHORIZED: Current user is not authorized to perform \
                 this action."
            ),
            "{call}"
        );
        assert!(!shown.contains("WWW-Authenticate") && !shown.contains("challenge"), "{call}: {shown}");
    }
    assert!(atlas.org_has_key(ACME_ORG, DEPLOY_KEY));
    // The nonce was not refused, so it is kept: the second call and an allowed one cost no new challenge.
    let allowed = globex.remove_group_api_key(&group(GLOBEX_DEV), &api_key(UNUSED_KEY)).send().await;
    assert_eq!(allowed.unwrap_err().error_code().as_deref(), Some("API_KEY_NOT_FOUND"));
    assert_eq!(atlas.counters().challenges_issued, 1, "{:#?}", atlas.counters());
}
