//! The rules: walk both documents operation by operation and report what differs.
//!
//! Split by area: `operations` (added, removed, deprecated, sunset, operationId), `parameters`,
//! `content` (request bodies and media types, versions included), `schema` (properties, types, enums),
//! `responses` (status codes, headers) and `security`.

mod catalog;
mod content;
mod context;
mod operations;
mod parameters;
mod responses;
mod schema;
mod security;

pub(crate) use catalog::Rule;

use crate::diff::document::Document;
use crate::diff::model::{Change, normalise};
use context::Sides;

/// Every change from `base` to `head`, sorted (breaking first) and without duplicates.
pub(crate) fn diff_documents(base: &Document, head: &Document) -> Vec<Change> {
    let sides = Sides::new(base, head);
    let mut changes = Vec::new();
    operations::compare_paths(&sides, &mut changes);
    security::compare_document_security(&sides, &mut changes);
    normalise(&mut changes);
    changes
}
