//! The Atlas profile: everything this runtime knows about the MongoDB Atlas Administration API in
//! particular, and nothing else does. The generic runtime below it takes a [`Profile`] (`profile()` is
//! Atlas's), and `Client::builder()` starts from this one.
//!
//! - defaults: the base URL ([`DEFAULT_BASE_URL`]) and the `User-Agent` (`atlas-admin-rust/<version>`);
//! - the environment: the variables the Atlas CLI and the Terraform provider read (`env.rs`);
//! - the token endpoints: `/api/oauth/token` and `/api/oauth/revoke`;
//! - error answers: how their code and detail read, and which codes mean "already gone" (`errors.rs`);
//! - the answer envelope of `envelope=true` (`envelope.rs`);
//! - the tracing span of a call: `atlas_admin.request`.

pub(crate) mod env;
pub(crate) mod envelope;
pub(crate) mod errors;

use super::builder::ClientBuilder;
use super::client::Client;
use super::profile::{Envelope, Profile};
use super::request::OperationRequest;

pub use errors::{MISSING_RESOURCE_CODES, MissingResourceCode};

/// The default base URL of the Atlas Administration API.
pub const DEFAULT_BASE_URL: &str = "https://cloud.mongodb.com";

/// The Atlas profile.
pub fn profile() -> Profile {
    Profile {
        name: "atlas",
        default_base_url: DEFAULT_BASE_URL,
        product: format!("atlas-admin-rust/{}", env!("CARGO_PKG_VERSION")),
        token_path: "/api/oauth/token",
        revoke_path: "/api/oauth/revoke",
        env: &env::ATLAS_ENV,
        span,
        envelope: Some(Envelope { requested: envelope::requested, unwrap: envelope::unwrap }),
        read_error: errors::read_error,
        already_gone: |request, status, headers, body| {
            errors::already_gone(&request.method, request.path_template, status, headers, body)
        },
    }
}

/// The span of one call: the operation and the path template (never the filled path: ids are not
/// secrets, but they do not belong in every log line), and the status and attempt the runtime records.
fn span(request: &OperationRequest) -> tracing::Span {
    tracing::info_span!(
        "atlas_admin.request",
        operation_id = request.operation_id,
        method = %request.method,
        path = request.path_template,
        status = tracing::field::Empty,
        attempt = tracing::field::Empty,
    )
}

impl Client {
    /// Starts configuring a client of the Atlas Administration API (see [`ClientBuilder`]).
    ///
    /// ```
    /// let client = atlas_admin::Client::builder().digest_auth("public-key", "private-key").build()?;
    /// assert_eq!(client.base_url().as_str(), "https://cloud.mongodb.com/");
    /// # Ok::<(), atlas_admin::runtime::BuildError>(())
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new(profile())
    }
}

impl Default for ClientBuilder {
    /// `Client::builder()`: the Atlas profile, no credentials.
    fn default() -> Self {
        ClientBuilder::new(profile())
    }
}
