//! A user's test of a key rotation, as they would write it: create a key, add an access-list entry for it,
//! list the organization's keys over several pages, then delete the old key with the new one. It runs
//! against the local Atlas, given the spec the client was generated from; the test has no server code of
//! its own.

use std::time::Duration;

use key_rotation_client::operations::ResponseHeaders;
use key_rotation_client::types::{
    CreateAtlasOrganizationApiKey, CreateAtlasOrganizationApiKeyRolesItem, UserAccessListRequest,
};
use key_rotation_client::{ApiResponse, ApiUserId, Client, Error, OrgId, PaginateExt, ResultExt, RetryPolicy};
use local_atlas::known::{ACME_ORG, ADMIN_KEY, ADMIN_PRIVATE_KEY, ADMIN_PUBLIC_KEY};
use local_atlas::{Config, LocalAtlas, ScriptedAnswer};

const SPEC: &str = include_str!("../spec/key-rotation.yaml");
/// Keys added to the organization, so the listing spans several pages of 100.
const MANY_KEYS: usize = 230;

fn client(atlas: &LocalAtlas, public_key: &str, private_key: &str) -> Client {
    Client::builder()
        .base_url(atlas.base_url())
        .digest_auth(public_key, private_key)
        .retry_policy(RetryPolicy::new().base_backoff(Duration::from_millis(10)))
        .build()
        .expect("a loopback client")
}

async fn local_atlas() -> LocalAtlas {
    let config = Config { extra_org_keys: MANY_KEYS, ..Config::default() }.with_spec(SPEC).expect("the spec reads");
    LocalAtlas::start(config).await.expect("the local Atlas starts")
}

/// The code under test: rotates the organization key `old` (whose credentials `admin` holds), returning
/// the new key's id and credentials.
async fn rotate(admin: &Client, org: &OrgId, old: &ApiUserId) -> Result<(ApiUserId, String, String), Error> {
    let request =
        CreateAtlasOrganizationApiKey::new("rotated".into(), vec![CreateAtlasOrganizationApiKeyRolesItem::OrgOwner]);
    let created: ApiResponse<_, ResponseHeaders> = admin.create_org_api_key(org, request).send().await?;
    let key = created.body;
    let id: ApiUserId = key.id.as_deref().unwrap_or_default().parse()?;
    let public_key = key.public_key.clone().unwrap_or_default();
    let private_key = key.private_key.as_ref().map(|secret| secret.expose().to_owned()).unwrap_or_default();

    let mut entry = UserAccessListRequest::default();
    entry.ip_address = Some("192.0.2.10".to_owned());
    admin.create_org_api_key_access_list_entry(org, &id, vec![entry]).send().await?;

    // From here on the new key does the work: the old one is about to go.
    let new = Client::builder()
        .base_url(admin.base_url().as_str())
        .digest_auth(&public_key, &private_key)
        .build()
        .expect("the same kind of client");
    new.delete_org_api_key(org, old).send().await.ignore_already_gone()?;
    Ok((id, public_key, private_key))
}

#[tokio::test]
async fn a_key_rotation_runs_against_the_local_atlas() {
    let atlas = local_atlas().await;
    let org: OrgId = ACME_ORG.parse().unwrap();
    let old: ApiUserId = ADMIN_KEY.parse().unwrap();
    let admin = client(&atlas, ADMIN_PUBLIC_KEY, ADMIN_PRIVATE_KEY);
    let keys_before = atlas.with_state(|s| s.api_keys.values().filter(|k| k.org_id == ACME_ORG).count());

    let (new_id, public_key, private_key) = rotate(&admin, &org, &old).await.expect("the rotation succeeds");

    // The old key is gone and no longer authenticates; the new one does.
    assert!(!atlas.org_has_key(ACME_ORG, ADMIN_KEY));
    let refused = admin.get_org_api_key(&org, &new_id).send().await.expect_err("the old key is gone");
    assert!(refused.is_unauthorized(), "{refused}");
    let new = client(&atlas, &public_key, &private_key);
    let shown = new.get_org_api_key(&org, &new_id).send().await.expect("the new key reads itself").body;
    assert_eq!(shown.desc.as_deref(), Some("rotated"));
    assert!(shown.private_key.unwrap().expose().starts_with("********-"), "listed keys hide the private key");

    // Its access list has the entry, in both forms.
    let entries = new.list_org_api_key_access_list_entries(&org, &new_id).items().try_collect().await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].cidr_block.as_deref(), Some("192.0.2.10/32"));

    // Every key of the organization, over several pages: the new one in, the old one out.
    let mut pages = new.list_org_api_keys(&org).items_per_page(100).pages();
    let (mut seen, mut numbers) = (Vec::new(), Vec::new());
    while let Some(page) = pages.next().await {
        let page = page.expect("a page");
        numbers.push(page.number);
        assert_eq!(page.total_count, Some(keys_before as i64), "one created, one deleted");
        seen.extend(page.items.into_iter().filter_map(|key| key.id));
    }
    assert_eq!(numbers, [1, 2, 3]);
    assert_eq!(seen.len(), keys_before);
    assert!(seen.contains(&new_id.as_str().to_owned()) && !seen.contains(&ADMIN_KEY.to_owned()));

    let counters = atlas.counters();
    assert_eq!(counters.count("createOrgApiKey", 200), 1);
    assert_eq!(counters.count("listOrgApiKeys", 200), 3);
    assert_eq!(counters.org_keys_deleted, 1);
}

#[tokio::test]
async fn a_rotation_survives_a_failure_the_test_scripts() {
    let atlas = local_atlas().await;
    let org: OrgId = ACME_ORG.parse().unwrap();
    let admin = client(&atlas, ADMIN_PUBLIC_KEY, ADMIN_PRIVATE_KEY);
    // The first delete attempt meets a 503; the client retries it (a 503 is refused before any work).
    atlas.script(
        "deleteOrgApiKey",
        ScriptedAnswer::atlas_error(503, "SERVICE_UNAVAILABLE", "Try again.").header("Retry-After", "0"),
    );
    // And the first access-list call is refused outright: the rotation stops there, with Atlas's error.
    atlas.script(
        "createOrgApiKeyAccessListEntry",
        ScriptedAnswer::atlas_error(
            403,
            "GLOBAL_USER_OUTSIDE_SUBNET",
            "The request came from outside the access list.",
        ),
    );
    let old: ApiUserId = ADMIN_KEY.parse().unwrap();
    let error = rotate(&admin, &org, &old).await.expect_err("the scripted 403");
    assert_eq!(error.error_code().as_deref(), Some("GLOBAL_USER_OUTSIDE_SUBNET"), "{error}");
    assert!(atlas.org_has_key(ACME_ORG, ADMIN_KEY), "nothing was deleted");

    // Run again: the 503 is retried and the rotation completes.
    rotate(&admin, &org, &old).await.expect("the second rotation succeeds");
    assert_eq!(atlas.scripted_pending(), 0);
    assert_eq!(atlas.counters().count("deleteOrgApiKey", 503), 1);
    assert!(!atlas.org_has_key(ACME_ORG, ADMIN_KEY));
}

#[tokio::test]
async fn a_recorded_answer_of_the_live_service_is_replayed() {
    let atlas = local_atlas().await;
    let recorded = "HTTP/2.0 200 OK\nContent-Type: application/vnd.atlas.2023-01-01+json;charset=utf-8\nRatelimit-Limit: 500\nRatelimit-Remaining: 492\n\n{\"desc\":\"e2e-test-atlas-org\",\"id\":\"6a793f752c88faeba59bba49\",\"links\":[],\"privateKey\":\"c8150efd-c7a0-4afd-8c4f-01bdd56c8977\",\"publicKey\":\"gswvkocq\",\"roles\":[{\"orgId\":\"a0123456789abcdef012345a\",\"roleName\":\"ORG_READ_ONLY\"}]}";
    atlas.script("createOrgApiKey", ScriptedAnswer::from_recorded(recorded).unwrap());
    let admin = client(&atlas, ADMIN_PUBLIC_KEY, ADMIN_PRIVATE_KEY);
    let org: OrgId = ACME_ORG.parse().unwrap();
    let request =
        CreateAtlasOrganizationApiKey::new("x".into(), vec![CreateAtlasOrganizationApiKeyRolesItem::OrgReadOnly]);
    let answer = admin.create_org_api_key(&org, request).send().await.expect("the recorded answer decodes");
    assert_eq!(answer.body.public_key.as_deref(), Some("gswvkocq"));
    assert_eq!(answer.headers.rate_limit_remaining, Some(492));
    assert!(!format!("{:?}", answer.body).contains("c8150efd"), "the private key is a Secret");
}
