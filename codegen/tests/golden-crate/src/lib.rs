//! Every codegen golden, compiled against the real runtime: building this crate is the main test
//! (`codegen/tests/goldens.rs` checks every golden is mounted here); `tests/` below holds behaviour tests of
//! the generated types (round trips of unlisted enum values, nulls, unions).
#![allow(dead_code, reason = "the goldens are compiled, not all called")]

#[path = "../../../../generated-client/src/runtime/mod.rs"]
pub mod runtime;

// Goldens are formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "../../goldens/expected/body-and-no-body/mod.rs"]
pub mod body_and_no_body;

// Goldens are formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "../../goldens/expected/composition/mod.rs"]
pub mod composition;

// Goldens are formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "../../goldens/expected/conflicting-id-patterns/mod.rs"]
pub mod conflicting_id_patterns;

// Goldens are formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "../../goldens/expected/csv-content/mod.rs"]
pub mod csv_content;

// Goldens are formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "../../goldens/expected/field-name-clash/mod.rs"]
pub mod field_name_clash;

// Goldens are formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "../../goldens/expected/kept/mod.rs"]
pub mod kept;

// Goldens are formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "../../goldens/expected/lookaround-pattern/mod.rs"]
pub mod lookaround_pattern;

// Goldens are formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "../../goldens/expected/method-name-clash/mod.rs"]
pub mod method_name_clash;

// Goldens are formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "../../goldens/expected/minimal/mod.rs"]
pub mod minimal;

// Goldens are formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "../../goldens/expected/no-success-response/mod.rs"]
pub mod no_success_response;

// Goldens are formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "../../goldens/expected/one-of/mod.rs"]
pub mod one_of;

// Goldens are formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "../../goldens/expected/paginated-post/mod.rs"]
pub mod paginated_post;

// Goldens are formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "../../goldens/expected/param-name-clash/mod.rs"]
pub mod param_name_clash;

// Goldens are formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "../../goldens/expected/petstore/mod.rs"]
pub mod petstore;

// Goldens are formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "../../goldens/expected/regex-id-pattern/mod.rs"]
pub mod regex_id_pattern;

// Goldens are formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "../../goldens/expected/request-body/mod.rs"]
pub mod request_body;

// Goldens are formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "../../goldens/expected/requests/mod.rs"]
pub mod requests;

// Goldens are formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "../../goldens/expected/std-names/mod.rs"]
pub mod std_names;

// Goldens are formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "../../goldens/expected/text-answers/mod.rs"]
pub mod text_answers;

// Goldens are formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "../../goldens/expected/two-inline-error-bodies/mod.rs"]
pub mod two_inline_error_bodies;

// Goldens are formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "../../goldens/expected/type-with-one-of/mod.rs"]
pub mod type_with_one_of;

// Goldens are formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "../../goldens/expected/versions/mod.rs"]
pub mod versions;
