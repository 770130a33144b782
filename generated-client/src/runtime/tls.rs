//! Which TLS this build carries, from the crate's features (`rustls-ring`, the default; `rustls-aws-lc`;
//! `native-tls`). The only place the runtime looks at features.

// This runtime is also compiled by crates that declare none of these features (standalone crates from
// `cargo xtask regenerate --out`); there every feature is simply off. The golden crate and the key-rotation
// client declare `rustls-ring`, since in a workspace build their reqwest is atlas-admin's.
#![allow(unexpected_cfgs, reason = "crates that mount this runtime need not declare its TLS features")]

/// Whether a TLS feature was compiled in (a crate without one still talks plain HTTP, e.g. to loopback).
pub(crate) const COMPILED_IN: bool =
    cfg!(any(feature = "rustls-ring", feature = "rustls-aws-lc", feature = "native-tls"));

/// Makes sure reqwest finds a TLS crypto provider, for a program that builds `reqwest::Client`s of its own
/// (for [`super::ClientBuilder::http_client`], or anything else) before it builds an atlas-admin client.
///
/// With the default `rustls-ring` feature, atlas-admin turns on reqwest's `rustls-no-provider`, and cargo
/// builds one reqwest per program: every reqwest client in the program then needs a process-wide rustls
/// crypto provider, and building one without it panics. This installs ring's, unless the program installed
/// one of its own first (then that one is kept). `ClientBuilder::build` calls it too. With `rustls-aws-lc`
/// reqwest brings its own default and with `native-tls` none is needed: then it does nothing.
pub fn ensure_tls_provider() {
    #[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc")))]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Err means another thread installed one in between: that one is used, which is as good.
        let _ = ring_provider().install_default();
    }
}

/// ring's provider. rustls 0.23.48 deprecates `crypto::ring::default_provider` because ring has no
/// post-quantum key exchange (rustls 0.24 moves ring to a crate of its own); 0.23 has no other way to name
/// it. The alternatives do not fit: `ClientConfig::builder()` installs ring only when no crate in the
/// program enables rustls's aws-lc-rs too, and panics when one does; building the provider from its parts
/// needs items rustls keeps private. So the call stays, in this one place, and `rustls-aws-lc` is the
/// feature for post-quantum key exchange (README, "TLS").
#[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc")))]
#[allow(deprecated, reason = "see above: no other constructor of ring's provider in rustls 0.23")]
fn ring_provider() -> rustls::crypto::CryptoProvider {
    rustls::crypto::ring::default_provider()
}
