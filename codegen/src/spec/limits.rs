//! The bounds every input is held to before and while it is read, so that no spec (from upstream or from a
//! pull request) can make the generator hang, exhaust memory or overflow its stack. Past a bound the answer
//! is a located error. The whole upstream Atlas spec (4 MB; nesting depth 17; 76,728 values; 1,145
//! component schemas; at most 294 values in one enum and 44 properties in one object) stays far inside
//! every one of them.

/// The largest input accepted, in bytes.
pub const MAX_INPUT_BYTES: usize = 32 * 1024 * 1024;

/// The deepest nesting of mappings and sequences accepted.
pub const MAX_DEPTH: usize = 256;

/// The most nodes (scalars, mappings, sequences, alias expansions included) one document may hold.
pub const MAX_NODES: usize = 4_000_000;

/// The most schema objects (component and inline) one document may hold.
pub const MAX_SCHEMAS: usize = 500_000;

/// The most values one enum may list.
pub const MAX_ENUM_VALUES: usize = 20_000;

/// The most properties one object schema may have.
pub const MAX_PROPERTIES: usize = 20_000;

/// The most properties the object schemas an API reaches may hold together, once `allOf` is merged: each
/// schema gets copies of its parents' properties, so a chain of n inheriting schemas asks for n² fields.
/// (The upstream spec's structs hold about 7,000 fields.)
pub const MAX_FIELDS: usize = 100_000;

/// The most enum values the unions of a spec may list to tell their objects apart: each enum property of
/// each object a union holds lists all its values, so one large enum named by many properties multiplies.
pub const MAX_LISTED_VALUES: usize = 200_000;

/// An id pattern that compiles within this many bytes is small; compiling takes time in proportion to the
/// compiled size.
pub const SMALL_PATTERN_BYTES: usize = 64 * 1024;

/// The most id patterns that may compile larger than [`SMALL_PATTERN_BYTES`] (up to the `regex` crate's
/// default limit of 10 MiB, a few tens of milliseconds each). The upstream spec has 5.
pub const MAX_LARGE_PATTERNS: usize = 32;

/// How many `$ref` hops one lookup follows before calling it a cycle.
pub const MAX_REF_HOPS: usize = 64;
