//! The local Atlas's token bucket: a 429 with `Retry-After` is waited out and retried; without retries it
//! is a typed error that carries the advice.

use std::time::{Duration, Instant};

use atlas_admin::{Client, Error};
use atlas_admin_tests::clients::{api_key, digest_client, group, org};
use local_atlas::known::*;
use local_atlas::{Config, LocalAtlas, RateLimit};

async fn start_limited() -> LocalAtlas {
    let limit = RateLimit { capacity: 2, refill: 1, period: Duration::from_secs(1) };
    LocalAtlas::start(Config { rate_limit: Some(limit), ..Config::default() })
        .await
        .expect("the local Atlas must start on loopback")
}

#[tokio::test]
async fn a_429_is_honoured_through_retry_after() {
    let atlas = start_limited().await;
    let client = digest_client(&atlas);
    client.remove_group_api_key(&group(ACME_PROD), &api_key(DEPLOY_KEY)).send().await.unwrap();
    let second = client.remove_group_api_key(&group(ACME_STAGING), &api_key(DEPLOY_KEY)).send().await.unwrap();
    assert_eq!(second.headers.rate_limit_remaining, Some(0));
    let started = Instant::now();
    let third = client.remove_group_api_key(&group(ACME_PROD), &api_key(MONITORING_KEY)).send().await.unwrap();
    let waited = started.elapsed();
    assert_eq!(third.status.as_u16(), 204);
    assert!(waited >= Duration::from_millis(950), "the client waited {waited:?}, less than Retry-After: 1");
    assert!(waited < Duration::from_secs(5), "the client waited {waited:?}");
    let counters = atlas.counters();
    assert_eq!(counters.rate_limited, 1, "{counters:#?}");
    assert_eq!(counters.count("removeGroupApiKey", 429), 1);
    assert_eq!(counters.keys_unassigned, 3);
}

#[tokio::test]
async fn without_retries_a_429_is_a_typed_error_with_the_advice() {
    let atlas = start_limited().await;
    let client = Client::builder()
        .base_url(atlas.base_url())
        .digest_auth(ADMIN_PUBLIC_KEY, ADMIN_PRIVATE_KEY)
        .no_retries()
        .build()
        .unwrap();
    for key in [UNUSED_KEY, MONITORING_KEY] {
        client.delete_org_api_key(&org(ACME_ORG), &api_key(key)).send().await.unwrap();
    }
    let error = client.delete_org_api_key(&org(ACME_ORG), &api_key(DEPLOY_KEY)).send().await.unwrap_err();
    let Error::Api(answer) = &error else { panic!("429 is documented, expected an API error: {error:?}") };
    assert_eq!(answer.status.as_u16(), 429);
    assert_eq!(answer.body.error_code.as_deref(), Some("RATE_LIMITED_TOKEN_BUCKET"));
    assert!(answer.body.detail.as_deref().unwrap_or_default().contains("Please retry after 1 seconds"));
    assert_eq!(error.retry_after(), Some(1));
    assert!(atlas.org_has_key(ACME_ORG, DEPLOY_KEY), "a limited request changes nothing");
}
