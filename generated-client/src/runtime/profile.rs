//! A service profile: what the generic runtime is told about the one service a client talks to, so that
//! nothing else in the runtime knows any service. Defaults (base URL, user agent), where credentials come
//! from in the environment, the token endpoints, how the service's error bodies say their code and detail
//! and that a resource is "already gone", an answer envelope, and the tracing span of a call.
//!
//! `runtime::atlas::profile()` is the Atlas profile, and `Client::builder()` starts from it;
//! [`Profile::generic`] is one that assumes nothing beyond HTTP, for other services
//! ([`super::ClientBuilder::new`]).

use std::fmt;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::error::AnswerFacts;
use super::request::OperationRequest;
use super::response::RawResponse;

/// What the runtime knows about one service. Cheap to clone (data and function pointers).
#[derive(Clone)]
pub struct Profile {
    pub(crate) name: &'static str,
    pub(crate) default_base_url: &'static str,
    /// The first word of the `User-Agent`, e.g. `atlas-admin-rust/0.1.0`.
    pub(crate) product: String,
    pub(crate) token_path: &'static str,
    pub(crate) revoke_path: &'static str,
    pub(crate) env: &'static EnvNames,
    /// The span of one call. It must declare the fields `status` and `attempt` (empty), which the
    /// runtime records.
    pub(crate) span: fn(&OperationRequest) -> tracing::Span,
    pub(crate) envelope: Option<Envelope>,
    /// The error code and the detail an error answer carries.
    pub(crate) read_error: ReadError,
    /// Whether an error answer says that the resource the request deletes does not exist.
    pub(crate) already_gone: fn(&OperationRequest, StatusCode, &HeaderMap, &Bytes) -> bool,
}

/// Reads an error answer's code and detail.
pub(crate) type ReadError = fn(StatusCode, &HeaderMap, &Bytes) -> ErrorText;

/// An error answer's code and detail, when it has them.
pub(crate) type ErrorText = (Option<String>, Option<String>);

/// An answer envelope: a query flag with which the caller asks the service to wrap its answer (status and
/// body inside a 200), and how to unwrap it so the caller sees the real answer.
#[derive(Clone, Copy)]
pub(crate) struct Envelope {
    pub(crate) requested: fn(&OperationRequest) -> bool,
    pub(crate) unwrap: fn(RawResponse) -> RawResponse,
}

/// The environment variables [`super::ClientBuilder::from_env`] reads, each list in order of precedence.
#[derive(Debug, PartialEq, Eq)]
pub struct EnvNames {
    /// The service, as messages name it ("no Atlas credentials in the environment").
    pub(crate) service: &'static str,
    /// Who a service account is (OAuth 2.0 client id).
    pub(crate) client_id: &'static [&'static str],
    /// Its client secret.
    pub(crate) client_secret: &'static [&'static str],
    /// An API key's public key (the digest user name).
    pub(crate) public_key: &'static [&'static str],
    /// Its private key (the digest password).
    pub(crate) private_key: &'static [&'static str],
    /// The base URL.
    pub(crate) base_url: &'static [&'static str],
}

impl EnvNames {
    /// No variables at all.
    pub const NONE: EnvNames =
        EnvNames { service: "", client_id: &[], client_secret: &[], public_key: &[], private_key: &[], base_url: &[] };
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile").field("name", &self.name).finish_non_exhaustive()
    }
}

impl Profile {
    /// A profile that assumes nothing beyond HTTP: no environment variables, no envelope, no error body it
    /// can read (so nothing is ever "already gone"), OAuth endpoints at `/oauth/token` and `/oauth/revoke`.
    pub fn generic(name: &'static str, default_base_url: &'static str) -> Profile {
        Profile {
            name,
            default_base_url,
            product: name.to_owned(),
            token_path: "/oauth/token",
            revoke_path: "/oauth/revoke",
            env: &EnvNames::NONE,
            span: |request| {
                tracing::info_span!(
                    "request",
                    operation_id = request.operation_id,
                    method = %request.method,
                    path = request.path_template,
                    status = tracing::field::Empty,
                    attempt = tracing::field::Empty,
                )
            },
            envelope: None,
            read_error: |_, _, _| (None, None),
            already_gone: |_, _, _, _| false,
        }
    }

    /// What the profile reads from an answer: for a 2xx nothing, for an error its code, detail and
    /// whether it says that what the request deletes is already gone.
    pub(crate) fn facts(
        &self,
        request: &OperationRequest,
        status: StatusCode,
        headers: &HeaderMap,
        body: &Bytes,
    ) -> AnswerFacts {
        if status.is_success() {
            return AnswerFacts::default();
        }
        let (error_code, detail) = (self.read_error)(status, headers, body);
        let already_gone = (self.already_gone)(request, status, headers, body);
        AnswerFacts { error_code, detail, already_gone }
    }
}
