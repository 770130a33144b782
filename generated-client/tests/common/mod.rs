//! What the runtime tests share: the scripted loopback server and its digest service (from `local-atlas`,
//! the project's one crate of test servers), hand-built requests, and a helper to run calls concurrently.
//!
//! The requests are built by hand with `OperationRequest`, so these tests exercise the runtime alone,
//! whatever the generated code looks like.

// Each test file uses a different part of this module, and `pub` here means "for the test files", which
// the unreachable_pub lint cannot see across `mod common;`.
#![allow(dead_code, unused_imports, unreachable_pub)]

use atlas_admin::runtime::{Client, OperationRequest, SecurityScheme};
use reqwest::Method;

pub use local_atlas::DigestAlgorithm;
pub use local_atlas::raw::{DigestService, RawServer as Server, Reply, Request, digest_params, digest_service, serve};

/// Runs `count` calls at once, each on its own clone of `client` and its own task; returns their results.
pub async fn concurrently<T, Fut>(client: &Client, count: usize, call: impl Fn(Client) -> Fut) -> Vec<T>
where
    Fut: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let tasks: Vec<_> = (0..count).map(|_| tokio::spawn(call(client.clone()))).collect();
    let mut results = Vec::with_capacity(count);
    for task in tasks {
        results.push(task.await.expect("a call task panicked"));
    }
    results
}

/// A request for an operation that accepts the given credentials.
pub fn delete(path: &'static str, security: &'static [SecurityScheme]) -> OperationRequest {
    OperationRequest::new(
        "deleteOrgApiKey",
        Method::DELETE,
        "/api/atlas/v2/orgs/{orgId}/apiKeys/{apiUserId}",
        path.to_owned(),
        "application/vnd.atlas.2023-01-01+json",
        security,
    )
}

pub const ORG_KEY_PATH: &str = "/api/atlas/v2/orgs/5953c5f380eef53887615f9a/apiKeys/5953c5f380eef53887615f9b";
pub const DIGEST_ONLY: &[SecurityScheme] = &[SecurityScheme::HttpDigest];
pub const TOKEN_ONLY: &[SecurityScheme] = &[SecurityScheme::OAuth2ClientCredentials];
pub const NO_SECURITY: &[SecurityScheme] = &[];

pub const UNAUTHORIZED_BODY: &str = r#"{"error":401,"reason":"Unauthorized","detail":"You are not authorized for this resource.","errorCode":"UNEXPECTED_ERROR"}"#;
