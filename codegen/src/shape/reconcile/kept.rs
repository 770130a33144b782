//! Types, fields and variants made from the record alone, for what the spec no longer has but the client
//! keeps: a field removed upstream, a value dropped from an enum, an enum type a field keeps after its
//! restriction was dropped.

use crate::plan::{EnumVariant, FieldDef, JsonKind, Presence, Travel, Ty, TypeDef, TypeKind, UnionVariant};
use crate::record::TypeRecord;
use crate::record::spelling::{parse_field_ty, parse_member, parse_ty};

/// What a kept member's docs say.
pub(super) const KEPT_NOTE: &str = "No longer in the API spec: kept so that code using it still compiles. \
     A regeneration with `--prune` removes it.";

/// The `#[deprecated]` note of kept members.
pub(crate) const DEPRECATED_NOTE: &str = "no longer in the API spec; kept for compatibility";

/// A field the record has and the spec no longer has.
pub(super) fn field(wire: &str, member: &str) -> Option<FieldDef> {
    let (rust, ty) = parse_member(member).ok()?;
    let (ty, presence) = parse_field_ty(ty).ok()?;
    Some(FieldDef {
        rust_name: rust.to_owned(),
        wire_name: wire.to_owned(),
        ty,
        presence,
        docs: vec![format!("The `{wire}` property."), String::new(), KEPT_NOTE.to_owned()],
        kept: true,
    })
}

/// A value the record has and the spec no longer lists.
pub(super) fn value(wire: &str, rust: &str) -> EnumVariant {
    EnumVariant { rust_name: rust.to_owned(), wire_name: wire.to_owned(), kept: true }
}

/// A union variant the record has and the spec no longer has.
pub(super) fn variant(name: &str, record: &crate::record::VariantRecord) -> Option<UnionVariant> {
    Some(UnionVariant {
        name: name.to_owned(),
        ty: parse_ty(&record.ty).ok()?,
        tags: record.tags.clone(),
        kind: record.kind.as_deref().map_or(JsonKind::Any, JsonKind::from_word),
        kept: true,
    })
}

/// A whole type from the record.
pub(super) fn type_def(key: &str, record: &TypeRecord) -> TypeDef {
    let kind = if let Some(fields) = &record.fields {
        let fields =
            fields.iter().filter_map(|(wire, member)| field(wire, member)).map(|f| FieldDef { kept: false, ..f });
        TypeKind::Struct { fields: fields.collect(), shape: None }
    } else if let Some(values) = &record.values {
        let variants = values.iter().map(|(wire, rust)| EnumVariant { kept: false, ..value(wire, rust) }).collect();
        TypeKind::Enum { variants, other: record.other.clone().unwrap_or_else(|| "Other".to_owned()) }
    } else if record.tagged.is_some() || record.untagged {
        let variants = record
            .variants
            .iter()
            .flatten()
            .filter_map(|(name, v)| variant(name, v))
            .map(|v| UnionVariant { kept: false, ..v })
            .collect();
        let unknown = record.other.clone().unwrap_or_else(|| "Unknown".to_owned());
        match &record.tagged {
            Some(property) => TypeKind::Tagged { property: property.clone(), variants, unknown, shape: None },
            None => TypeKind::Untagged { variants, unknown },
        }
    } else if let Some(inner) = record.newtype.as_deref().and_then(|t| parse_ty(t).ok()) {
        TypeKind::Newtype(inner)
    } else {
        TypeKind::Alias(record.alias.as_deref().and_then(|t| parse_ty(t).ok()).unwrap_or(Ty::Json))
    };
    let travels = match &kind {
        TypeKind::Struct { fields, .. } if fields.iter().any(|f| f.presence != Presence::Optional) => Travel::Requests,
        _ => Travel::Both,
    };
    TypeDef {
        name: record.name.clone(),
        docs: vec![
            format!("The type the record names `{}` (at `{key}`), which the API spec no longer has.", record.name),
            String::new(),
            "Kept from an earlier version of the spec so that code naming it still compiles; a regeneration \
             with `--prune` removes it when nothing uses it."
                .to_owned(),
        ],
        kind,
        cfg: None,
        home: None,
        pointer: String::new(),
        key: key.to_owned(),
        travels,
        kept: true,
    }
}
