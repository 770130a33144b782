//! The hand-written runtime: executing requests, errors, authentication, retries.
//!
//! Authentication: [`ClientBuilder::digest_auth`] (API keys, HTTP Digest with nonce reuse),
//! [`ClientBuilder::service_account`] (OAuth 2.0 client credentials with a cached token, revoked with
//! [`Client::revoke_token`]), [`ClientBuilder::bearer_token`], [`ClientBuilder::basic_auth`] (HTTP Basic,
//! for operations whose spec asks for it), or [`ClientBuilder::from_env`] for the
//! variables the Atlas CLI and the Terraform provider read. Retries: [`RetryPolicy`]. Secrets are held in `secrecy::SecretString`
//! and never appear in `Debug`, `Display`, errors or tracing.
//!
//! Answers are read into memory up to [`ClientBuilder::max_body_size`] ([`DEFAULT_MAX_BODY_SIZE`]);
//! downloads can instead be streamed ([`Client::execute_streaming`], [`RawStream`], [`ByteStream`]).
//!
//! Generated code only describes requests ([`OperationRequest`]) and maps answers ([`RawResponse`]); all
//! behaviour lives here, in ordinary unit-tested code. `cargo xtask regenerate --out` copies this folder
//! verbatim into standalone crates, so nothing here may refer to generated items.

mod auth;
mod body;
mod builder;
mod client;
mod enums;
mod env;
mod error;
mod ids;
mod pagination;
mod request;
mod response;
mod retry;
mod secret;
mod stream;
mod tls;
mod transport;
mod unions;

#[cfg(test)]
mod secrets_tests;

pub use body::DEFAULT_MAX_BODY_SIZE;
pub use builder::{BuildError, ClientBuilder};
pub use client::{Client, DEFAULT_BASE_URL};
#[allow(unused_imports, reason = "used by generated code, which may not need it")]
pub(crate) use enums::impl_open_enum;
pub use env::{
    CLIENT_ID_VAR, CLIENT_SECRET_VAR, EnvError, PRIVATE_API_KEY_VAR, PRIVATE_KEY_VAR, PUBLIC_API_KEY_VAR,
    PUBLIC_KEY_VAR,
};
pub use error::{
    AuthError, AuthErrorKind, Error, ErrorResponse, InvalidArgument, RawAnswer, RequestContext, ResultExt,
    TransportError, TransportErrorKind, UnexpectedResponse,
};
pub(crate) use ids::impl_id;
pub use ids::{IdCheck, IdPattern, IdPiece, IdRule, InvalidId};
pub use pagination::{Page, PaginateExt, Paginated};
pub use request::{OperationRequest, RequestBody, SecurityScheme, encode_path_segment, joined};
pub use response::{ApiResponse, RawResponse, ResponseHeaders, header_value};
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use stream::{ByteStream, RawStream};
pub use tls::ensure_tls_provider;
pub use unions::ObjectShape;
#[doc(hidden)]
pub use unions::{JsonKind, object_score, with_tag};
#[allow(unused_imports, reason = "used by generated code, which may not need it")]
pub(crate) use unions::{impl_object_shape, impl_tagged_union, impl_untagged_union};
