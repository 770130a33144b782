//! The plan reconciled with the record, after every type is built with its recorded or fresh name:
//!
//! 1. [`align`]: types renamed upstream take their recorded names;
//! 2. [`members`]: fields, values and variants keep their recorded names and types, new ones get names no
//!    recorded member has, and those the spec lost are kept (deprecated);
//! 3. operations' parameters, bodies and answers keep recorded types that still carry them;
//! 4. types the kept members name but the spec no longer has are made again from the record ([`kept`]);
//! 5. types nothing reaches any more are dropped.

mod align;
mod carry;
pub(crate) mod kept;
mod members;

use std::collections::{BTreeMap, HashMap, HashSet};

use super::reach::{op_types, referenced};
use super::remembered::Remembered;
use crate::plan::{BodyKind, JsonKind, ObjectShape, OpDef, Presence, Success, Ty, TypeDef, TypeKind};
use crate::record::spelling::{parse_member, parse_ty};
use carry::{Views, Way};

/// Reconciles the plan's types and operations with the record. `error_types` are the body types of every
/// documented error answer, which stay (reached) even when operations disagree on one.
pub(crate) fn reconcile(
    defs: &mut BTreeMap<String, TypeDef>,
    ops: &mut [OpDef],
    error_body: &mut Ty,
    error_types: &[Ty],
    remembered: &Remembered,
) {
    let renames = align::renames(defs, ops, error_body, remembered);
    rename(defs, ops, error_body, &renames);

    let views = Views::of(defs, remembered);
    for def in defs.values_mut() {
        if let Some((_, record)) = remembered.type_named(&def.name) {
            members::reconcile(&mut def.kind, record, Way::of(def.travels), remembered.prune, &views);
        }
    }
    for op in ops.iter_mut() {
        operation(op, remembered, &views);
    }
    if let Some(recorded) = remembered.record.error.as_deref().and_then(|t| parse_ty(t).ok()) {
        members::keep(Some(recorded), error_body, Way::Response, &views);
    }
    resurrect(defs, ops, error_body, remembered);
    shapes_for_object_variants(defs);
    let mut roots: Vec<Ty> = error_types.iter().map(|ty| renamed(ty, &renames)).collect();
    roots.push(error_body.clone());
    drop_unreachable(defs, ops, &roots);
}

fn renamed(ty: &Ty, renames: &HashMap<String, String>) -> Ty {
    let mut ty = ty.clone();
    rename_ty(&mut ty, renames);
    ty
}

/// Gives renamed types their recorded names, everywhere they are named.
fn rename(
    defs: &mut BTreeMap<String, TypeDef>,
    ops: &mut [OpDef],
    error_body: &mut Ty,
    renames: &HashMap<String, String>,
) {
    if renames.is_empty() {
        return;
    }
    let old = std::mem::take(defs);
    for (name, mut def) in old {
        let name = renames.get(&name).cloned().unwrap_or(name);
        def.name.clone_from(&name);
        for ty in def.kind.tys_mut() {
            rename_ty(ty, renames);
        }
        defs.insert(name, def);
    }
    for op in ops {
        for ty in tys_of_operation(op) {
            rename_ty(ty, renames);
        }
    }
    rename_ty(error_body, renames);
}

fn rename_ty(ty: &mut Ty, renames: &HashMap<String, String>) {
    match ty {
        Ty::Named(name) => {
            if let Some(new) = renames.get(name) {
                name.clone_from(new);
            }
        }
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Boxed(inner) => rename_ty(inner, renames),
        _ => {}
    }
}

fn tys_of_operation(op: &mut OpDef) -> Vec<&mut Ty> {
    let mut out: Vec<&mut Ty> = op.args.iter_mut().chain(op.options.iter_mut()).map(|p| &mut p.ty).collect();
    out.extend(op.body.iter_mut().map(|b| &mut b.ty));
    let kinds: Vec<&mut BodyKind> = match &mut op.success {
        Success::Single(kind) => vec![kind],
        Success::PerStatus { variants, .. } => variants.iter_mut().map(|v| &mut v.body).collect(),
    };
    out.extend(kinds.into_iter().filter_map(|k| match k {
        BodyKind::Json(ty) => Some(ty),
        _ => None,
    }));
    out
}

/// An operation's parameters (requests), body (requests) and answers keep recorded types that carry them.
fn operation(op: &mut OpDef, remembered: &Remembered, views: &Views) {
    let Some(recorded) = remembered.operation(&op.key) else { return };
    let member_ty =
        |text: Option<&String>| text.and_then(|m| parse_member(m).ok()).and_then(|(_, ty)| parse_ty(ty).ok());
    for param in op.args.iter_mut().chain(op.options.iter_mut()) {
        let key = super::place::param_key_of(param);
        let recorded = member_ty(recorded.args.get(&key).or_else(|| recorded.options.get(&key)));
        members::keep(recorded, &mut param.ty, Way::Request, views);
    }
    if let Some(body) = &mut op.body {
        members::keep(member_ty(recorded.body.as_ref()), &mut body.ty, Way::Request, views);
    }
    let single = recorded.success.values().find(|text| *text != "()").and_then(|t| parse_ty(t).ok());
    match &mut op.success {
        Success::Single(BodyKind::Json(ty)) => members::keep(single, ty, Way::Response, views),
        // An answer whose schema the spec dropped (it never had a body): the recorded object type stays,
        // and the runtime decodes an empty body as an empty object.
        Success::Single(kind @ BodyKind::Empty) => {
            if let Some(recorded) = single.filter(|ty| views.decodes_empty_object(ty)) {
                *kind = BodyKind::Json(recorded);
            }
        }
        Success::Single(_) => {}
        Success::PerStatus { variants, .. } => {
            for variant in variants {
                let status = variant.status.map_or_else(|| "2XX".to_owned(), |s| s.to_string());
                if let BodyKind::Json(ty) = &mut variant.body {
                    let recorded = recorded.success.get(&status).and_then(|t| parse_ty(t).ok());
                    members::keep(recorded, ty, Way::Response, views);
                }
            }
        }
    }
}

/// Makes again, from the record, every type something names that the plan does not have.
fn resurrect(defs: &mut BTreeMap<String, TypeDef>, ops: &[OpDef], error_body: &Ty, remembered: &Remembered) {
    let mut roots: Vec<Ty> = ops.iter().flat_map(op_types).collect();
    roots.push(error_body.clone());
    loop {
        let mut missing: Vec<String> = Vec::new();
        for ty in defs.values().flat_map(|def| referenced(&def.kind)).chain(roots.drain(..)) {
            let mut names = Vec::new();
            ty.named(false, &mut names);
            missing.extend(names.into_iter().filter(|name| !defs.contains_key(name)));
        }
        if missing.is_empty() {
            return;
        }
        let mut added = false;
        for name in missing {
            if defs.contains_key(&name) {
                continue;
            }
            if let Some((key, record)) = remembered.type_named(&name) {
                defs.insert(name, kept::type_def(key, record));
                added = true;
            }
        }
        if !added {
            return;
        }
    }
}

/// An untagged union recognises an object variant by its struct's shape; a struct that is a variant only
/// because a kept variant names it gets one from its fields.
fn shapes_for_object_variants(defs: &mut BTreeMap<String, TypeDef>) {
    let mut needed = Vec::new();
    for def in defs.values() {
        if let TypeKind::Untagged { variants, .. } = &def.kind {
            for variant in variants.iter().filter(|v| v.kind == JsonKind::Object) {
                if let Ty::Named(name) = &variant.ty {
                    needed.push(name.clone());
                }
            }
        }
    }
    for name in needed {
        if let Some(TypeKind::Struct { fields, shape: shape @ None }) = defs.get_mut(&name).map(|d| &mut d.kind) {
            *shape = Some(ObjectShape {
                properties: fields.iter().map(|f| f.wire_name.clone()).collect(),
                required: fields
                    .iter()
                    .filter(|f| f.presence != Presence::Optional)
                    .map(|f| f.wire_name.clone())
                    .collect(),
                enums: Vec::new(),
            });
        }
    }
}

/// Drops the types no operation and no error answer reaches (kept types a kept member names are reached).
fn drop_unreachable(defs: &mut BTreeMap<String, TypeDef>, ops: &[OpDef], roots: &[Ty]) {
    let mut reached: HashSet<String> = HashSet::new();
    let mut stack: Vec<Ty> = ops.iter().flat_map(op_types).collect();
    stack.extend(roots.iter().cloned());
    while let Some(ty) = stack.pop() {
        let mut names = Vec::new();
        ty.named(false, &mut names);
        for name in names {
            if let Some(def) = defs.get(&name)
                && reached.insert(name)
            {
                stack.extend(referenced(&def.kind));
            }
        }
    }
    defs.retain(|name, _| reached.contains(name));
}
