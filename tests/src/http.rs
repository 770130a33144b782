//! Plain reqwest clients, for tests that talk to a loopback server directly instead of through atlas-admin.

/// A reqwest client with no proxy.
///
/// atlas-admin's default `rustls-ring` feature turns on reqwest's `rustls-no-provider`, and cargo builds
/// one reqwest for the whole workspace, so every reqwest client here needs a process-wide rustls crypto
/// provider. atlas-admin installs ring when it builds its own client; a test that builds a plain client
/// first installs it here. (A user's program in the same situation does the same, see the README.)
pub fn plain_client() -> reqwest::Client {
    // Err means a provider is installed already, which is all that is needed.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().no_proxy().build().expect("a plain HTTP client")
}
