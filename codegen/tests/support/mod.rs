//! What the golden tests share: the record a golden is generated with.

use std::path::Path;

/// The record `spec` (a golden under `goldens/specs/`) is generated with: the one its earlier version
/// (`goldens/earlier/<name>`) writes, when it has one; else none.
pub(crate) fn record_for(spec: &Path, options: &codegen::Options) -> codegen::Record {
    let earlier = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/goldens/earlier")
        .join(spec.file_name().expect("a file name"));
    match std::fs::read_to_string(&earlier) {
        Ok(text) => {
            codegen::generate_with(&text, "earlier", options)
                .unwrap_or_else(|d| panic!("{} should generate:\n{d}", earlier.display()))
                .record
        }
        Err(_) => codegen::Record::default(),
    }
}
