//! Plain reqwest clients, for tests that talk to a loopback server directly instead of through atlas-admin.

/// A reqwest client with no proxy.
///
/// atlas-admin's default `rustls-ring` feature turns on reqwest's `rustls-no-provider`, and cargo builds
/// one reqwest for the whole workspace, so every reqwest client here needs a process-wide rustls crypto
/// provider first, as in any program that builds reqwest clients next to atlas-admin.
pub fn plain_client() -> reqwest::Client {
    atlas_admin::runtime::ensure_tls_provider();
    reqwest::Client::builder().no_proxy().build().expect("a plain HTTP client")
}
