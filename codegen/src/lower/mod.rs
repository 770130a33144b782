//! Stage 2: validate the parsed document and lower it into [`crate::model`].
//!
//! Lowering walks every operation, pulls in the component schemas they use, and collects every problem it
//! meets (with its JSON pointer) instead of stopping at the first. After this stage nothing reads openapiv3.

mod docs;
mod operation;
mod refs;
mod responses;
mod schema;
mod security;

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::OpenAPI;

use crate::diagnostics::Diagnostics;
use crate::load::Loaded;
use crate::model::{Api, TypeRef};

/// Lowers a loaded spec, or returns every located problem found.
pub(crate) fn lower(loaded: &Loaded) -> Result<Api, Diagnostics> {
    let mut cx = Lowering::new(&loaded.spec, &loaded.raw, &loaded.file_name);
    cx.api.title = loaded.spec.info.title.clone();
    cx.api.version = loaded.spec.info.version.clone();
    cx.lower_operations();
    cx.api.error_body = match cx.error_bodies.len() {
        1 => cx.error_bodies.iter().next().cloned().unwrap_or_default(),
        _ => TypeRef::Any,
    };
    let Lowering { api, diagnostics, .. } = cx;
    loaded.locate(diagnostics).into_result()?;
    Ok(api)
}

/// The state of one lowering run.
pub(crate) struct Lowering<'a> {
    spec: &'a OpenAPI,
    /// The document as plain values, for keywords openapiv3 drops.
    raw: &'a serde_json::Value,
    api: Api,
    diagnostics: Diagnostics,
    /// Component schemas already lowered or being lowered: component name → Rust name.
    schema_names: BTreeMap<String, String>,
    /// Rust type name → the pointer that claimed it, to report clashes.
    type_owners: BTreeMap<String, String>,
    /// Every type an error response decodes into.
    error_bodies: BTreeSet<TypeRef>,
    /// Component schemas that are bare `$ref`s, while their target is being lowered (to catch cycles).
    aliases_in_progress: Vec<String>,
}

impl<'a> Lowering<'a> {
    fn new(spec: &'a OpenAPI, raw: &'a serde_json::Value, file_name: &str) -> Self {
        Lowering {
            spec,
            raw,
            api: Api::default(),
            diagnostics: Diagnostics::new(file_name),
            schema_names: BTreeMap::new(),
            type_owners: BTreeMap::new(),
            error_bodies: BTreeSet::new(),
            aliases_in_progress: Vec::new(),
        }
    }

    fn error(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.diagnostics.push(pointer, message);
    }

    /// Claims a Rust type name for the item at `pointer`; false (with a diagnostic) if another item has it.
    fn claim_type_name(&mut self, name: &str, pointer: &str) -> bool {
        match self.type_owners.get(name) {
            Some(owner) if owner != pointer => {
                let message = format!("the Rust type name `{name}` is already used by {owner}");
                self.error(pointer, message);
                false
            }
            _ => {
                self.type_owners.insert(name.to_owned(), pointer.to_owned());
                true
            }
        }
    }
}
