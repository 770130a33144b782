//! The rules: walk both documents operation by operation and report what differs.
//!
//! Split by area: `operations` (added, removed, deprecated, sunset, operationId), `parameters`,
//! `content` (request bodies and media types, versions included; `sent` is the version the base client
//! sends), `schema` (properties, types, enums; `view` is a schema as the client sees it, `union` pairs
//! union branches by identity, `constraints` the value constraints), `responses` (status codes, headers),
//! `security` and `document` (the version pin).

mod catalog;
mod constraints;
mod content;
mod context;
mod document;
mod operations;
mod parameters;
mod responses;
mod schema;
mod security;
mod sent;
mod union;
mod view;

pub use catalog::Rule;

use crate::model::{Change, normalise};
use codegen::spec::Document;
use context::Sides;

/// Every change from `base` to `head`, sorted (breaking first) and without duplicates, for a base client
/// generated without a record (each operation sends the version the generator's policy chooses).
pub fn diff_documents(base: &Document, head: &Document) -> Vec<Change> {
    diff_documents_recorded(base, head, &codegen::Record::default())
}

/// Every change from `base` to `head`, for a base client generated with `base_record`: an operation the
/// record pins sends its pinned version.
pub fn diff_documents_recorded(base: &Document, head: &Document, base_record: &codegen::Record) -> Vec<Change> {
    let sides = Sides::new(base, head, base_record);
    let mut changes = Vec::new();
    operations::compare_paths(&sides, &mut changes);
    security::compare_document_security(&sides, &mut changes);
    document::compare_pinned_version(&sides, &mut changes);
    normalise(&mut changes);
    changes
}
