//! A client of the Atlas Administration API with the operations of a key rotation, generated from
//! `spec/key-rotation.yaml` (cut from the upstream spec) next to the real runtime, the way a user who adds
//! those operations to `spec/selection.yaml` gets them in `atlas-admin`. It exists for the key-rotation
//! test and example, which run against the local Atlas with no server code of their own.
//!
//! The generated code is written by the generator, never by hand: `tests/fresh.rs` regenerates it and
//! fails when it differs (`EXPECTORATE=overwrite cargo test -p key-rotation-client --test fresh` writes it).
#![deny(missing_docs)]

#[path = "../../../generated-client/src/runtime/mod.rs"]
pub mod runtime;

// Generated code is formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
mod generated;

pub use generated::ids::*;
pub use generated::{Error, ids, operations, types};
pub use runtime::{ApiResponse, Client, ClientBuilder, PaginateExt, ResultExt, RetryPolicy};
