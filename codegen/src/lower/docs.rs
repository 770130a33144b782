//! Documentation for generated items, gathered from the spec.

use indexmap::IndexMap;
use openapiv3::ExternalDocumentation;

use crate::model::Docs;

/// Vendor extensions that carry documentation, and the heading they get in generated docs.
/// These are read as plain lists of strings; an extension of another shape is ignored.
pub(super) const ROLE_EXTENSIONS: &[&str] = &["x-rolesRequirements"];

pub(super) fn docs(
    summary: Option<&String>,
    description: Option<&String>,
    external: Option<&ExternalDocumentation>,
    extensions: &IndexMap<String, serde_json::Value>,
    deprecated: bool,
) -> Docs {
    let roles = ROLE_EXTENSIONS
        .iter()
        .filter_map(|name| extensions.get(*name))
        .filter_map(serde_json::Value::as_array)
        .flatten()
        .filter_map(serde_json::Value::as_str)
        .map(str::to_owned)
        .collect();
    Docs {
        summary: summary.cloned(),
        description: description.cloned(),
        external: external.map(|e| (e.description.clone(), e.url.clone())),
        roles,
        deprecated,
    }
}
