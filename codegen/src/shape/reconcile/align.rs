//! Renamed schemas found by where they are used. Operations are known by method and path, which upstream
//! renames do not touch; walking from each operation's parameters, body and answers down through fields and
//! variants, in the record and in the new plan side by side, pairs each recorded type with the type now in
//! its place. A new type (its place unknown to the record) in the place of a recorded type whose place the
//! spec no longer has is that type renamed upstream (`ApiKeyView` → `OrgApiKey`, an inline enum moved into
//! a component): it takes the recorded name.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use crate::plan::{OpDef, Success, Ty, TypeDef, TypeKind};
use crate::record::spelling::{parse_field_ty, parse_member, parse_ty};
use crate::record::{OperationRecord, TypeRecord};
use crate::shape::place::param_key_of;
use crate::shape::remembered::Remembered;

/// New (fresh) name → recorded name, for every type that is a recorded one renamed upstream.
pub(super) fn renames(
    defs: &BTreeMap<String, TypeDef>,
    ops: &[OpDef],
    error_body: &Ty,
    remembered: &Remembered,
) -> HashMap<String, String> {
    let keys: HashSet<&str> = defs.values().map(|def| def.key.as_str()).collect();
    let mut walk =
        Walk { defs, remembered, keys, renames: HashMap::new(), taken: HashSet::new(), queue: VecDeque::new() };
    for op in ops {
        if let Some(recorded) = remembered.operation(&op.key) {
            walk.seed_operation(op, recorded);
        }
    }
    if let Some(recorded) = remembered.record.error.as_deref().and_then(|text| parse_ty(text).ok()) {
        walk.queue.push_back((recorded, error_body.clone()));
    }
    walk.run();
    walk.renames
}

struct Walk<'a> {
    defs: &'a BTreeMap<String, TypeDef>,
    remembered: &'a Remembered<'a>,
    /// The places the new plan has types at.
    keys: HashSet<&'a str>,
    renames: HashMap<String, String>,
    /// Recorded names already given to a new type.
    taken: HashSet<String>,
    queue: VecDeque<(Ty, Ty)>,
}

impl Walk<'_> {
    fn seed_operation(&mut self, op: &OpDef, recorded: &OperationRecord) {
        for param in op.args.iter().chain(&op.options) {
            let key = param_key_of(param);
            let member = recorded.args.get(&key).or_else(|| recorded.options.get(&key));
            if let Some(ty) = member.and_then(|m| parse_member(m).ok()).and_then(|(_, ty)| parse_ty(ty).ok()) {
                self.queue.push_back((ty, param.ty.clone()));
            }
        }
        if let (Some(body), Some(member)) = (&op.body, &recorded.body)
            && let Some(ty) = parse_member(member).ok().and_then(|(_, ty)| parse_ty(ty).ok())
        {
            self.queue.push_back((ty, body.ty.clone()));
        }
        for (status, body) in success_types(op) {
            let recorded = match &status {
                Some(status) => recorded.success.get(status),
                None => recorded.success.values().find(|text| *text != "()"),
            };
            if let Some(ty) = recorded.and_then(|text| parse_ty(text).ok()) {
                self.queue.push_back((ty, body));
            }
        }
    }

    fn run(&mut self) {
        let mut visited: HashSet<(String, String)> = HashSet::new();
        while let Some((recorded, new)) = self.queue.pop_front() {
            match (recorded, new) {
                (Ty::Boxed(a), b) => self.queue.push_back((*a, b)),
                (a, Ty::Boxed(b)) => self.queue.push_back((a, *b)),
                (Ty::Vec(a), Ty::Vec(b)) | (Ty::Map(a), Ty::Map(b)) => self.queue.push_back((*a, *b)),
                (Ty::Named(recorded), Ty::Named(new)) => {
                    self.pair(&recorded, &new);
                    if visited.insert((recorded.clone(), new.clone())) {
                        self.descend(&recorded, &new);
                    }
                }
                _ => {}
            }
        }
    }

    /// Gives `new` the name `recorded` when `new` is unknown to the record and `recorded`'s place is gone.
    fn pair(&mut self, recorded: &str, new: &str) {
        let Some(def) = self.defs.get(new) else { return };
        if self.remembered.type_at(&def.key).is_some() || self.renames.contains_key(new) || recorded == new {
            return;
        }
        let Some((recorded_key, _)) = self.remembered.type_named(recorded) else { return };
        if self.keys.contains(recorded_key) || !self.taken.insert(recorded.to_owned()) {
            return;
        }
        self.renames.insert(new.to_owned(), recorded.to_owned());
    }

    /// Pairs the members of a recorded type with those of the new type in its place.
    fn descend(&mut self, recorded: &str, new: &str) {
        let (Some((_, record)), Some(def)) = (self.remembered.type_named(recorded), self.defs.get(new)) else { return };
        for (recorded, new) in member_pairs(record, &def.kind) {
            self.queue.push_back((recorded, new));
        }
    }
}

/// The recorded and new types of the members two versions of a type share: fields by property, tagged
/// variants by a shared discriminator value, untagged variants by name; aliases and newtypes by what they
/// name.
pub(super) fn member_pairs(record: &TypeRecord, kind: &TypeKind) -> Vec<(Ty, Ty)> {
    let mut pairs = Vec::new();
    match kind {
        TypeKind::Struct { fields, .. } => {
            for field in fields {
                let recorded = record.fields.as_ref().and_then(|f| f.get(&field.wire_name));
                if let Some((ty, _)) =
                    recorded.and_then(|m| parse_member(m).ok()).and_then(|(_, t)| parse_field_ty(t).ok())
                {
                    pairs.push((ty, field.ty.clone()));
                }
            }
        }
        TypeKind::Tagged { variants, .. } | TypeKind::Untagged { variants, .. } => {
            if let Some(recorded) = &record.variants {
                for (variant, name) in variants.iter().zip(super::members::match_variants(variants, recorded)) {
                    if let Some(ty) = name.and_then(|name| parse_ty(&recorded[name].ty).ok()) {
                        pairs.push((ty, variant.ty.clone()));
                    }
                }
            }
        }
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => {
            let recorded = record.alias.as_ref().or(record.newtype.as_ref());
            if let Some(recorded) = recorded.and_then(|text| parse_ty(text).ok()) {
                pairs.push((recorded, ty.clone()));
            }
        }
        TypeKind::Enum { .. } => {}
    }
    pairs
}

/// The JSON body type of each success status (`None` for every status of a single success type).
pub(super) fn success_types(op: &OpDef) -> Vec<(Option<String>, Ty)> {
    use crate::plan::BodyKind;
    match &op.success {
        Success::Single(BodyKind::Json(ty)) => vec![(None, ty.clone())],
        Success::Single(_) => Vec::new(),
        Success::PerStatus { variants, .. } => variants
            .iter()
            .filter_map(|v| match &v.body {
                BodyKind::Json(ty) => {
                    Some((Some(v.status.map_or_else(|| "2XX".to_owned(), |s| s.to_string())), ty.clone()))
                }
                _ => None,
            })
            .collect(),
    }
}
