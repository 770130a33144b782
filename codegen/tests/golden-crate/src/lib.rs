//! Every codegen golden, compiled against the real runtime. Nothing here is used at run time: building
//! this crate is the test (`codegen/tests/goldens.rs` checks every golden is mounted here).
#![allow(dead_code, reason = "the goldens are compiled, not called")]

#[path = "../../../../generated-client/src/runtime/mod.rs"]
pub mod runtime;

// Goldens are formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "../../goldens/expected/minimal/mod.rs"]
pub mod minimal;
#[rustfmt::skip]
#[path = "../../goldens/expected/petstore/mod.rs"]
pub mod petstore;
#[rustfmt::skip]
#[path = "../../goldens/expected/two-inline-error-bodies/mod.rs"]
pub mod two_inline_error_bodies;
