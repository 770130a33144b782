//! The hand-written runtime: executing requests, errors, authentication, retries.
//!
//! Authentication: [`ClientBuilder::digest_auth`] (API keys, HTTP Digest with nonce reuse),
//! [`ClientBuilder::service_account`] (OAuth 2.0 client credentials with a cached token) and
//! [`ClientBuilder::bearer_token`]. Retries: [`RetryPolicy`]. Secrets are held in `secrecy::SecretString`
//! and never appear in `Debug`, `Display`, errors or tracing.
//!
//! Generated code only describes requests ([`OperationRequest`]) and maps answers ([`RawResponse`]); all
//! behaviour lives here, in ordinary unit-tested code. `cargo xtask regenerate --out` copies this folder
//! verbatim into standalone crates, so nothing here may refer to generated items.

// Errors keep the raw answer (headers and body) so nothing the service said is lost; that makes them large,
// but they are built once per failed call, next to a network round trip, so boxing would buy nothing.
#![allow(clippy::result_large_err, reason = "errors carry the raw answer on purpose")]

mod auth;
mod client;
mod enums;
mod error;
mod ids;
mod pagination;
mod request;
mod response;
mod retry;
mod secret;
mod transport;
mod unions;

#[cfg(test)]
mod secrets_tests;

pub use client::{BuildError, Client, ClientBuilder, DEFAULT_BASE_URL};
pub use error::{
    AuthError, AuthErrorKind, Error, ErrorResponse, InvalidArgument, RawAnswer, ResultExt, TransportError,
    TransportErrorKind, UnexpectedResponse,
};
#[allow(unused_imports, reason = "used by generated code, which may not need it")]
pub(crate) use enums::impl_open_enum;
pub(crate) use ids::impl_id;
pub use ids::{IdRule, InvalidId};
pub use pagination::{Page, PaginateExt, Paginated};
pub use request::{OperationRequest, RequestBody, SecurityScheme, encode_path_segment, joined};
pub use response::{ApiResponse, RawResponse, ResponseHeaders, header_value};
pub use retry::RetryPolicy;
pub use secret::Secret;
#[doc(hidden)]
pub use unions::{JsonKind, object_score, with_tag};
pub use unions::ObjectShape;
#[allow(unused_imports, reason = "used by generated code, which may not need it")]
pub(crate) use unions::{impl_object_shape, impl_tagged_union, impl_untagged_union};
