//! Stage 3: decisions. From the model's facts and the record of the previous generation, the Rust form of
//! everything: which version each operation uses, a type per schema and direction, names, id types, boxed
//! recursion, modules and cargo features.

mod classify;
mod headers;
mod ids;
mod modules;
mod operations;
pub(crate) mod place;
mod reach;
mod reconcile;
mod recursion;
mod remembered;
mod types;
mod versions;

use std::collections::BTreeMap;

use crate::diagnostics::Diagnostics;
use crate::model::Api;
use crate::naming::Namer;
use crate::plan::{BodyKind, OpDef, PageDef, Plan, Success, Ty, TypeDef, TypeKind};
use crate::record::{Record, operation_key};
use crate::{Options, Pagination};
use operations::{OperationNames, Selected, record_ids, shape_operation};
use place::Places;
use remembered::Remembered;
use types::{Dir, TypeBuilder};
use versions::{Choice, choose_recorded};

pub(crate) use reach::{op_types, referenced};
pub(crate) use reconcile::kept::DEPRECATED_NOTE;

/// Methods the runtime's `Client` already has: an operation named like one gets a suffix.
const CLIENT_RESERVED: &[&str] = &["builder", "base_url", "execute", "revoke_token", "clone", "fmt"];

/// Shapes the whole API, or returns every located problem found. Names and versions come from `record`
/// where it has them; [`reconcile`] keeps what the record has and the spec lost.
pub(crate) fn shape(api: &Api, options: &Options, file: &str, record: &Record) -> Result<Plan, Diagnostics> {
    let remembered = Remembered::new(record, options.prune);
    let places = Places::new(api);
    let mut diagnostics = Diagnostics::new(file);

    // Operations in operationId order, so names do not depend on where an operation sits in the document.
    let mut operations: Vec<&crate::model::Operation> = api.operations.iter().collect();
    operations.sort_by(|a, b| a.operation_id.cmp(&b.operation_id).then_with(|| a.pointer.cmp(&b.pointer)));
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    let mut unique = Vec::new();
    for operation in operations {
        if let Some(first) = seen.insert(&operation.operation_id, &operation.pointer) {
            diagnostics.push(
                format!("{}/operationId", operation.pointer),
                format!(
                    "operationId `{}` is already used by {first}; operationIds must be unique",
                    operation.operation_id
                ),
            );
            continue;
        }
        unique.push(operation);
    }
    let (modules, module_of) = modules::assign(&unique, &remembered);
    let pin = options.pinned_version.as_deref().or(api.pinned_version.as_deref());
    let mut notes = Vec::new();
    let mut selected = Vec::new();
    for (operation, module) in unique.into_iter().zip(module_of) {
        let key = operation_key(&operation.method, &operation.path);
        let recorded = remembered.operation(&key);
        let pinned = recorded.and_then(|r| r.version.as_deref());
        let gone = pinned.is_some_and(|pinned| !versions::offered(operation).iter().any(|v| v.label() == pinned));
        let adopt = options.adopt.covers(&operation.operation_id, &key, recorded, gone);
        match choose_recorded(operation, pinned, adopt, pin, options.prefer_preview) {
            Choice::Use(version) => selected.push(Selected { operation, version, module, key, recorded }),
            Choice::NewerThanPin => notes.push(format!(
                "{} is left out: every version it offers is newer than the pinned {}",
                operation.operation_id,
                pin.unwrap_or_default()
            )),
            Choice::PinnedGone { pinned, offered } => {
                let offered: Vec<&str> = offered.iter().map(|v| v.label()).collect();
                diagnostics.push(
                    operation.pointer.clone(),
                    format!(
                        "`{}` sends API version {pinned} (spec/record.yaml), which it no longer offers (it offers {}); \
                         moving to another version changes what the client sends: adopt one deliberately with \
                         `cargo xtask regenerate --adopt {}` (or `--adopt gone` for every such operation)",
                        operation.operation_id,
                        if offered.is_empty() { "none".to_owned() } else { offered.join(", ") },
                        operation.operation_id
                    ),
                );
            }
        }
    }

    let mut types = TypeBuilder::new(&api.schemas, file, &places, &remembered);
    types.prepare(&roots(&selected));
    let mut id_uses = ids::IdUses::default();
    for one in &selected {
        record_ids(one, &mut types, &mut id_uses);
    }
    let ids::Named { names: id_names, defs: mut id_defs, refused: refused_patterns } = id_uses.name_all(&remembered);
    for (operation_id, message) in refused_patterns {
        let at = seen.get(operation_id.as_str()).map_or_else(String::new, |op| format!("{op}/parameters"));
        diagnostics.push(at, message);
    }
    let mut methods = Namer::with_reserved(CLIENT_RESERVED);
    methods.reserve(remembered.method_names());
    let mut builders = Namer::for_items();
    builders.reserve(remembered.operation_item_names());
    let headers_name = remembered.record.headers.as_ref().map_or_else(|| builders.claim(HEADERS), |h| h.name.clone());
    let mut names = OperationNames { methods, builders };
    let mut error_bodies = Vec::new();
    let mut ops: Vec<OpDef> =
        selected.iter().map(|one| shape_operation(one, &mut types, &id_names, &mut names, &mut error_bodies)).collect();
    let headers = headers::shape(&selected, &mut types, &remembered, headers_name);
    let (mut defs, type_diagnostics, _) = types.build_all();
    diagnostics.items.extend(type_diagnostics.items);
    diagnostics.into_result()?;

    let mut error_body = match error_bodies.as_slice() {
        [one] => one.clone(),
        _ => Ty::Json,
    };
    reconcile::reconcile(&mut defs, &mut ops, &mut error_body, &error_bodies, &remembered);
    recursion::break_cycles(&mut defs);
    if let Some(convention) = &options.pagination {
        for op in &mut ops {
            op.pagination = pagination(op, &defs, convention);
        }
    }
    ops.sort_by(|a, b| a.method_name.cmp(&b.method_name));
    let mut types: Vec<TypeDef> = defs.into_values().collect();
    reach::assign(&ops, &mut types, &mut id_defs, &error_body, modules.len(), options.features);
    Ok(Plan {
        title: api.title.clone(),
        version: api.version.clone(),
        ids: id_defs,
        types,
        operations: ops,
        modules,
        error_body,
        features: options.features,
        notes,
        headers,
    })
}

/// The name of the headers struct when the record has none.
const HEADERS: &str = "ResponseHeaders";

/// Every schema the selected operations use, with the direction it travels.
fn roots(selected: &[Selected]) -> Vec<(crate::model::SchemaId, Dir)> {
    let mut roots = Vec::new();
    for one in selected {
        roots.extend(one.operation.params.iter().map(|p| (p.schema, Dir::Request)));
        if let Some(schema) = one.body_content().and_then(|c| c.schema) {
            roots.push((schema, Dir::Request));
        }
        for (_, content) in one.success_contents() {
            if let Some(schema) = content.and_then(|c| c.schema) {
                roots.push((schema, Dir::Response));
            }
        }
        roots.extend(one.error_schemas().into_iter().map(|(_, schema)| (schema, Dir::Response)));
        for response in &one.operation.responses {
            roots.extend(response.headers.iter().filter_map(|h| h.schema).map(|s| (s, Dir::Response)));
        }
    }
    roots
}

/// Methods whose request may be sent again without effect on the service (RFC 9110 §9.2.1): walking pages
/// sends the request once per page.
const SAFE_METHODS: &[&str] = &["GET", "HEAD"];

/// A list operation: page and size parameters, and a body with the list of items. Only a safe request is
/// walked: the next page of a POST (Atlas's `createGroupAccessListEntry` answers a page of the list) would
/// send the POST again.
fn pagination(op: &OpDef, defs: &BTreeMap<String, TypeDef>, convention: &Pagination) -> Option<PageDef> {
    if !SAFE_METHODS.contains(&op.http_method.to_ascii_uppercase().as_str()) {
        return None;
    }
    let Success::Single(BodyKind::Json(Ty::Named(body))) = &op.success else { return None };
    let page = op.options.iter().find(|p| p.wire_name == convention.page_param)?;
    let size = op.options.iter().find(|p| p.wire_name == convention.size_param)?;
    if !matches!(page.ty, Ty::I32 | Ty::I64) || !matches!(size.ty, Ty::I32 | Ty::I64) {
        return None;
    }
    let TypeKind::Struct { fields, .. } = &defs.get(body)?.kind else { return None };
    let items = fields.iter().find(|f| f.wire_name == convention.items_property)?;
    let Ty::Vec(item) = &items.ty else { return None };
    let total = convention
        .total_property
        .as_ref()
        .and_then(|name| fields.iter().find(|f| f.wire_name == *name && matches!(f.ty, Ty::I32 | Ty::I64)));
    Some(PageDef {
        page_field: page.rust_name.clone(),
        size_field: size.rust_name.clone(),
        items_field: items.rust_name.clone(),
        item: (**item).clone(),
        total_field: total.map(|f| f.rust_name.clone()),
        total_ty: total.map_or(Ty::I64, |f| f.ty.clone()),
        page_ty: page.ty.clone(),
    })
}
