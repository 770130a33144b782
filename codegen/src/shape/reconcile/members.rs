//! The members of a type the record knows, reconciled with the record: each keeps its recorded name, a type
//! that still carries it (see [`super::carry`]) and, in requests, a presence at least as strict as recorded;
//! new members get names no recorded member has; recorded members the spec no longer has are kept,
//! deprecated, unless pruning. Struct fields keep their recorded order (a constructor's arguments follow
//! it), new fields after them.

use indexmap::IndexMap;

use super::carry::{Views, Way, carries};
use super::kept;
use crate::naming::Namer;
use crate::plan::{EnumVariant, FieldDef, Presence, Ty, TypeKind, UnionVariant};
use crate::record::TypeRecord;
use crate::record::spelling::{parse_field_ty, parse_member, parse_ty};

/// Reconciles `kind` with `record`.
pub(super) fn reconcile(kind: &mut TypeKind, record: &TypeRecord, way: Way, prune: bool, views: &Views) {
    match kind {
        TypeKind::Struct { fields, .. } => {
            if let Some(recorded) = &record.fields {
                *fields = struct_fields(std::mem::take(fields), recorded, way, prune, views);
            }
        }
        TypeKind::Enum { variants, other } => {
            if let Some(recorded) = &record.values {
                *variants = enum_values(std::mem::take(variants), recorded, record.other.as_deref(), prune);
                if let Some(name) = &record.other {
                    other.clone_from(name);
                }
            }
        }
        TypeKind::Tagged { variants, unknown, .. } | TypeKind::Untagged { variants, unknown } => {
            if let Some(recorded) = &record.variants {
                *variants =
                    union_variants(std::mem::take(variants), recorded, record.other.as_deref(), way, prune, views);
                if let Some(name) = &record.other {
                    unknown.clone_from(name);
                }
            }
        }
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => {
            let recorded = record.alias.as_deref().or(record.newtype.as_deref()).and_then(|t| parse_ty(t).ok());
            if let Some(recorded) = recorded
                && carries(&recorded, ty, way, views)
            {
                *ty = recorded;
            }
        }
    }
}

/// How strict a presence is: a request field stays at least as strict as recorded, since loosening it would
/// change the field's type or the constructor's arguments.
fn strictness(presence: Presence) -> u8 {
    match presence {
        Presence::Optional => 0,
        Presence::RequiredNullable => 1,
        Presence::Required => 2,
    }
}

fn struct_fields(
    mut new: Vec<FieldDef>,
    recorded: &IndexMap<String, String>,
    way: Way,
    prune: bool,
    views: &Views,
) -> Vec<FieldDef> {
    let mut namer = Namer::default();
    namer.reserve(recorded.values().filter_map(|m| parse_member(m).ok()).map(|(name, _)| name));
    let mut out = Vec::with_capacity(new.len().max(recorded.len()));
    for (wire, member) in recorded {
        let Ok((rust, text)) = parse_member(member) else { continue };
        let Ok((ty, presence)) = parse_field_ty(text) else { continue };
        match new.iter().position(|f| f.wire_name == *wire) {
            Some(at) => {
                let mut field = new.remove(at);
                field.rust_name = rust.to_owned();
                if carries(&ty, &field.ty, way, views) {
                    field.ty = ty;
                }
                if way != Way::Response && strictness(presence) > strictness(field.presence) {
                    field.presence = presence;
                }
                out.push(field);
            }
            None if !prune => out.extend(kept::field(wire, member)),
            None => {}
        }
    }
    for mut field in new {
        field.rust_name = namer.claim(&field.rust_name);
        out.push(field);
    }
    out
}

fn enum_values(
    new: Vec<EnumVariant>,
    recorded: &IndexMap<String, String>,
    other: Option<&str>,
    prune: bool,
) -> Vec<EnumVariant> {
    let mut namer = Namer::default();
    namer.reserve(recorded.values().map(String::as_str).chain(other));
    let mut out: Vec<EnumVariant> = new
        .into_iter()
        .map(|mut value| {
            value.rust_name = match recorded.get(&value.wire_name) {
                Some(name) => name.clone(),
                None => namer.claim(&value.rust_name),
            };
            value
        })
        .collect();
    if !prune {
        for (wire, rust) in recorded {
            if !out.iter().any(|v| v.wire_name == *wire) {
                out.push(kept::value(wire, rust));
            }
        }
    }
    out
}

/// Pairs new union variants with recorded ones, giving each new variant the name of its recorded one:
/// tagged variants are the same variant when they share a discriminator value; untagged ones when their
/// payload type is the same, else the first unmatched recorded variant of the same JSON kind.
pub(super) fn match_variants<'r>(
    new: &[UnionVariant],
    recorded: &'r IndexMap<String, crate::record::VariantRecord>,
) -> Vec<Option<&'r str>> {
    let mut matched: Vec<Option<&str>> = vec![None; new.len()];
    let mut taken: Vec<&str> = Vec::new();
    for by_kind in [false, true] {
        for (index, variant) in new.iter().enumerate() {
            if matched[index].is_some() {
                continue;
            }
            let found = recorded.iter().find(|(name, r)| {
                if taken.contains(&name.as_str()) {
                    return false;
                }
                if !variant.tags.is_empty() {
                    return r.tags.iter().any(|tag| variant.tags.contains(tag));
                }
                match by_kind {
                    false => parse_ty(&r.ty).is_ok_and(|ty| ty == variant.ty),
                    true => r.kind.as_deref() == Some(variant.kind.word()),
                }
            });
            if let Some((name, _)) = found {
                taken.push(name);
                matched[index] = Some(name);
            }
        }
    }
    matched
}

fn union_variants(
    new: Vec<UnionVariant>,
    recorded: &IndexMap<String, crate::record::VariantRecord>,
    other: Option<&str>,
    way: Way,
    prune: bool,
    views: &Views,
) -> Vec<UnionVariant> {
    let mut namer = Namer::default();
    namer.reserve(recorded.keys().map(String::as_str).chain(other));
    let matched = match_variants(&new, recorded);
    let mut out = Vec::with_capacity(new.len());
    for (variant, name) in new.into_iter().zip(&matched) {
        match name {
            Some(name) => out.push(renamed(variant, name, &recorded[*name].ty, way, views)),
            None => {
                let mut variant = variant;
                variant.name = namer.claim(&variant.name);
                out.push(variant);
            }
        }
    }
    if !prune {
        for (name, r) in recorded {
            if !matched.contains(&Some(name.as_str())) {
                out.extend(kept::variant(name, r));
            }
        }
    }
    out
}

fn renamed(mut variant: UnionVariant, name: &str, recorded_ty: &str, way: Way, views: &Views) -> UnionVariant {
    variant.name = name.to_owned();
    if let Ok(ty) = parse_ty(recorded_ty)
        && carries(&ty, &variant.ty, way, views)
    {
        variant.ty = ty;
    }
    variant
}

/// Whether a recorded type keeps `ty`: used by operations' parameters, bodies and answers.
pub(super) fn keep(recorded: Option<Ty>, ty: &mut Ty, way: Way, views: &Views) {
    if let Some(recorded) = recorded
        && carries(&recorded, ty, way, views)
    {
        *ty = recorded;
    }
}
