//! The hand-written runtime: executing requests, errors, authentication, retries, pacing.
//!
//! Layers, each using only the ones before it (`tests/tests/runtime_layers.rs` holds the code to this):
//!
//! 1. foundations: `headers` (the one parser of each header), `body` (reading within a limit), `secret`,
//!    `tls`, `ids`, and the helpers generated code expands (`enums`, `unions`);
//! 2. `error/`: the error type and its payloads;
//! 3. `request`, `response`, `stream`, `pagination`: what generated code hands over and gets back;
//! 4. [`Profile`] (`profile`): what the runtime is told about the one service it talks to;
//! 5. `wire/`: one HTTP exchange;
//! 6. `auth/`: one scheme per kind of credentials, each owning its round trips, and the token stores;
//!    `retry`, `pacing`: policies;
//! 7. `transport/`: the attempts of a call;
//! 8. [`Client`], [`ClientBuilder`], `env` (credentials from the environment);
//! 9. [`atlas`]: the Atlas profile, the only module that knows Atlas.
//!
//! Authentication: [`ClientBuilder::digest_auth`] (API keys, HTTP Digest with nonce reuse),
//! [`ClientBuilder::service_account`] (OAuth 2.0 client credentials with a cached token, kept in a
//! [`TokenStore`], revoked with [`Client::revoke_token`]), [`ClientBuilder::bearer_token`],
//! [`ClientBuilder::basic_auth`] (HTTP Basic, for operations whose spec asks for it), or
//! [`ClientBuilder::from_env`]. Retries: [`RetryPolicy`]. Secrets are held in `secrecy::SecretString` and
//! never appear in `Debug`, `Display`, errors or tracing.
//!
//! Answers are read into memory up to [`ClientBuilder::max_body_size`] ([`DEFAULT_MAX_BODY_SIZE`]);
//! downloads can instead be streamed ([`Client::execute_streaming`], [`RawStream`], [`ByteStream`]).
//!
//! Generated code only describes requests ([`OperationRequest`]) and maps answers ([`RawResponse`]); all
//! behaviour lives here, in ordinary unit-tested code. `cargo xtask regenerate --out` copies this folder
//! verbatim into standalone crates, so nothing here may refer to generated items.

pub mod atlas;
mod auth;
mod body;
mod builder;
mod client;
mod enums;
mod env;
mod error;
mod headers;
mod ids;
mod objects;
mod pacing;
mod pagination;
mod profile;
mod request;
mod response;
mod retry;
mod secret;
mod stream;
mod text;
mod tls;
mod transport;
mod unions;
mod wire;

#[cfg(test)]
mod secrets_tests;

pub use atlas::DEFAULT_BASE_URL;
pub use atlas::env::{
    BASE_URL_VAR, CLIENT_ID_VAR, CLIENT_SECRET_VAR, OPS_MANAGER_URL_VAR, PRIVATE_API_KEY_VAR, PRIVATE_KEY_VAR,
    PUBLIC_API_KEY_VAR, PUBLIC_KEY_VAR,
};
pub use auth::{FileTokenStore, MemoryTokenStore, StoredToken, TokenStore, TokenStoreError};
pub use body::DEFAULT_MAX_BODY_SIZE;
pub use builder::{BuildError, ClientBuilder};
pub use client::Client;
#[allow(unused_imports, reason = "used by generated code, which may not need it")]
pub(crate) use enums::impl_open_enum;
pub use env::EnvError;
pub use error::{
    AuthError, AuthErrorKind, Error, ErrorResponse, InvalidArgument, RawAnswer, RequestContext, ResultExt,
    TransportError, TransportErrorKind, UnexpectedResponse,
};
pub use headers::header_value;
#[allow(unused_imports, reason = "used by generated code, which may not need it")]
pub(crate) use ids::impl_id;
pub use ids::{IdCheck, IdPattern, IdPiece, IdRule, InvalidId};
#[allow(unused_imports, reason = "used by generated code, which may not need it")]
pub(crate) use objects::impl_object;
#[doc(hidden)]
pub use objects::{Key, ReadObject, deserialize_object, presence};
pub use pagination::{Items, Page, Pages, PaginateExt, Paginated};
pub use profile::{EnvNames, Profile};
pub use request::{OperationRequest, RequestBody, SecurityScheme, encode_path_segment, joined};
pub use response::{ApiResponse, RawResponse, ResponseHeaders};
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use stream::{ByteStream, RawStream};
pub use tls::ensure_tls_provider;
pub use unions::ObjectShape;
#[doc(hidden)]
pub use unions::{JsonKind, object_score, with_tag};
#[allow(unused_imports, reason = "used by generated code, which may not need it")]
pub(crate) use unions::{impl_object_shape, impl_tagged_union, impl_untagged_union};
