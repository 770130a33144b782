//! Stage 2: the document's facts, in [`crate::model`]. Nothing is decided about Rust here.
//!
//! openapiv3 reads the structure from a skeleton of the document (every schema a placeholder, see
//! [`skeleton`]); the schemas themselves are read from the value tree by [`schema`]. Every problem found is
//! collected with its JSON pointer, then reported together.

mod bodies;
mod docs;
mod operation;
mod refs;
mod schema;
mod security;
mod skeleton;

use openapiv3::OpenAPI;

use crate::diagnostics::Diagnostics;
use crate::model::Api;
use crate::spec::Document;
use crate::spec::media::is_date;
use schema::SchemaReader;

/// Lowers a document, or returns every located problem found.
pub(crate) fn lower(document: &Document) -> Result<Api, Diagnostics> {
    let mut diagnostics = Diagnostics::new(&document.name);
    check_version(document, &mut diagnostics);
    check_path_keys(document, &mut diagnostics);
    diagnostics = document.locate(diagnostics);
    diagnostics.clone().into_result()?;
    let skeleton = skeleton::skeleton(&document.root);
    let spec: OpenAPI = match serde_path_to_error::deserialize(&skeleton) {
        Ok(spec) => spec,
        Err(error) => {
            let (pointer, message) = locate_shape_error(&skeleton, path_to_pointer(error.path()), error.inner());
            diagnostics.push(pointer, format!("not a valid OpenAPI 3.0 document: {message}"));
            return Err(document.locate(diagnostics));
        }
    };
    let mut cx = Lowering { spec: &spec, document, schemas: SchemaReader::default(), diagnostics };
    let mut api = Api {
        title: spec.info.title.clone(),
        version: spec.info.version.clone(),
        pinned_version: cx.pinned_version(),
        ..Api::default()
    };
    api.operations = cx.lower_operations();
    let Lowering { schemas, mut diagnostics, .. } = cx;
    api.schemas = schemas.read_all(&document.root, &mut diagnostics);
    document.locate(diagnostics).into_result()?;
    Ok(api)
}

/// Only OpenAPI 3.0.x is read; 3.1 and Swagger 2.0 differ in ways that would be silently misread.
fn check_version(document: &Document, diagnostics: &mut Diagnostics) {
    let Some(root) = document.root.as_object() else {
        diagnostics.push("", "the document is not a mapping (expected an OpenAPI object)");
        return;
    };
    match root.get("openapi").and_then(serde_json::Value::as_str) {
        Some(version) if version.starts_with("3.0") => {}
        Some(version) => {
            diagnostics.push("/openapi", format!("only OpenAPI 3.0.x is supported, this document is {version:?}"))
        }
        None if root.contains_key("swagger") => {
            diagnostics.push("/swagger", "this is a Swagger 2.0 document; only OpenAPI 3.0.x is supported")
        }
        None => diagnostics.push("", "the document has no `openapi` version string; only OpenAPI 3.0.x is supported"),
    }
}

/// openapiv3 skips `paths` keys that do not start with `/` (as if they were extensions): say so instead.
fn check_path_keys(document: &Document, diagnostics: &mut Diagnostics) {
    let Some(paths) = document.root.get("paths").and_then(serde_json::Value::as_object) else { return };
    for key in paths.keys().filter(|key| !key.starts_with('/') && !key.starts_with("x-")) {
        diagnostics
            .push(crate::spec::pointer::from_tokens(&["paths", key]), format!("the path {key:?} must start with `/`"));
    }
}

/// The state of one lowering run.
pub(crate) struct Lowering<'a> {
    spec: &'a OpenAPI,
    document: &'a Document,
    schemas: SchemaReader,
    diagnostics: Diagnostics,
}

impl Lowering<'_> {
    fn error(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.diagnostics.push(pointer, message);
    }

    /// `x-pinned-version: YYYY-MM-DD` at the document root.
    fn pinned_version(&mut self) -> Option<String> {
        let value = self.document.root.get("x-pinned-version")?;
        match value.as_str().filter(|text| is_date(text)) {
            Some(date) => Some(date.to_owned()),
            None => {
                self.error("/x-pinned-version", "`x-pinned-version` must be a date, YYYY-MM-DD");
                None
            }
        }
    }
}

/// openapiv3 reads `paths` as a whole (it flattens extensions into it), so an error inside a path item
/// is reported at `/paths`; reading the path items one by one finds where it really is.
fn locate_shape_error(
    skeleton: &serde_json::Value,
    pointer: String,
    error: &impl std::fmt::Display,
) -> (String, String) {
    if pointer == "/paths"
        && let Some(paths) = skeleton.get("paths").and_then(serde_json::Value::as_object)
    {
        for (path, item) in paths.iter().filter(|(path, _)| !path.starts_with("x-")) {
            if let Err(inner) = serde_path_to_error::deserialize::<_, openapiv3::PathItem>(item) {
                let base = crate::spec::pointer::from_tokens(&["paths", path]);
                return (format!("{base}{}", path_to_pointer(inner.path())), inner.inner().to_string());
            }
        }
    }
    (pointer, error.to_string())
}

/// serde_path_to_error's path (`paths./a.get`) as a JSON pointer (`/paths/~1a/get`).
pub(crate) fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        let token = match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } => key.clone(),
            Segment::Enum { variant } => variant.clone(),
            Segment::Unknown => continue,
        };
        pointer = crate::spec::pointer::child(&pointer, &token);
    }
    pointer
}
