//! A typed client for the MongoDB Atlas Administration API, starting with its API-key delete operations.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use atlas_admin::{ApiUserId, Client, OrgId};
//!
//! let client = Client::builder().bearer_token("token from elsewhere").build()?;
//! let org: OrgId = "5953c5f380eef53887615f9a".parse()?;
//! let key: ApiUserId = "5d1d12c087d9d63e6d682438".parse()?;
//! let answer = client.delete_org_api_key(&org, &key).send().await?;
//! println!("deleted ({}); {:?} requests left", answer.status, answer.headers.rate_limit_remaining);
//! # Ok(())
//! # }
//! ```
//!
//! Layout: [`ids`] (validated id newtypes), [`types`] (data types), [`operations`] (request builders) are
//! generated from the spec by `cargo xtask regenerate`; [`runtime`] (client, auth, retries, errors) is
//! hand-written.
#![deny(missing_docs)]

// Generated code is formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
mod generated;
pub mod runtime;

pub use generated::ids::*;
pub use generated::{Error, ids, operations, types};
pub use runtime::{ApiResponse, Client, ClientBuilder, PaginateExt, ResultExt, RetryPolicy, Secret};

/// Mistakes the type system must catch, as `compile_fail` doc tests.
#[cfg(doctest)]
mod type_safety;

/// The README's examples, compiled as doc tests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeExamples;
