//! How this workspace asks codegen to generate: the Atlas conventions codegen itself does not know.

/// Atlas lists page by `pageNum` and `itemsPerPage`, and answer `results` with a `totalCount`.
pub(crate) fn atlas_pagination() -> codegen::Pagination {
    codegen::Pagination {
        page_param: "pageNum".to_owned(),
        size_param: "itemsPerPage".to_owned(),
        items_property: "results".to_owned(),
        total_property: Some("totalCount".to_owned()),
    }
}

/// The shipped `atlas-admin` crate: every operation of the trimmed spec, no per-tag features.
pub(crate) fn shipped_client() -> codegen::Options {
    codegen::Options { pagination: Some(atlas_pagination()), ..codegen::Options::default() }
}

/// A standalone crate: one cargo feature per tag, all on by default.
pub(crate) fn standalone_crate() -> codegen::Options {
    codegen::Options { features: true, ..shipped_client() }
}
