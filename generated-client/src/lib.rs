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
//! An operation is a method of [`Client`] that takes the required parameters and returns a request
//! builder ([`operations::DeleteOrgApiKey`] here): optional parameters are its methods, `.send().await`
//! sends it, and the answer's headers are [`operations::ResponseHeaders`] whatever the operation:
//!
//! ```no_run
//! # async fn run(client: &atlas_admin::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use atlas_admin::{ApiUserId, GroupId, ResultExt};
//!
//! let group: GroupId = "5953c5f380eef53887615f9a".parse()?;
//! let key: ApiUserId = "5d1d12c087d9d63e6d682438".parse()?;
//! let request: atlas_admin::operations::RemoveGroupApiKey<'_> = client.remove_group_api_key(&group, &key);
//! // `envelope` and `pretty` are the operation's optional query parameters; a retried delete whose first
//! // attempt went through answers "already gone", which `ignore_already_gone` turns into `None`.
//! match request.pretty(false).send().await.ignore_already_gone()? {
//!     Some(answer) => println!("unassigned ({})", answer.status),
//!     None => println!("was not assigned any more"),
//! }
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
