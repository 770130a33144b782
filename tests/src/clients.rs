//! Clients of the `atlas-admin` crate set up for a local Atlas, and the seeded ids as typed ids.

use std::time::Duration;

use atlas_admin::runtime::RetryPolicy;
use atlas_admin::{ApiUserId, Client, GroupId, KeyId, OrgId, UserId};
use local_atlas::{LocalAtlas, known};

/// A client that authenticates with the seeded admin key over digest.
pub fn digest_client(atlas: &LocalAtlas) -> Client {
    digest_client_with(&atlas.base_url(), known::ADMIN_PUBLIC_KEY, known::ADMIN_PRIVATE_KEY)
}

/// A digest client for any base URL and key, with short timeouts and quick retries for tests.
pub fn digest_client_with(base_url: &str, public_key: &str, private_key: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .digest_auth(public_key, private_key)
        .timeout(Duration::from_secs(10))
        .retry_policy(quick_retries())
        .build()
        .expect("a loopback digest client builds")
}

/// A client that authenticates with the seeded service account.
pub fn service_account_client(atlas: &LocalAtlas) -> Client {
    Client::builder()
        .base_url(atlas.base_url())
        .service_account(known::SA_CLIENT_ID, known::SA_CLIENT_SECRET)
        .timeout(Duration::from_secs(10))
        .retry_policy(quick_retries())
        .build()
        .expect("a loopback service-account client builds")
}

/// Retries as by default, but with millisecond backoff so tests do not wait.
pub fn quick_retries() -> RetryPolicy {
    RetryPolicy::new().base_backoff(Duration::from_millis(10)).max_backoff(Duration::from_millis(100))
}

/// An org id (panics on a malformed one: for test constants).
pub fn org(id: &str) -> OrgId {
    id.parse().expect("a valid org id")
}

/// A group (project) id.
pub fn group(id: &str) -> GroupId {
    id.parse().expect("a valid group id")
}

/// An API key id (`apiUserId`).
pub fn api_key(id: &str) -> ApiUserId {
    id.parse().expect("a valid API key id")
}

/// A user id.
pub fn user(id: &str) -> UserId {
    id.parse().expect("a valid user id")
}

/// A personal API key id.
pub fn user_key(id: &str) -> KeyId {
    id.parse().expect("a valid key id")
}
