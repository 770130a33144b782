//! When the type the record gives a field, parameter or variant is kept although the spec now describes
//! another: when the recorded type still means the same on the wire in the direction the value travels.
//!
//! - In answers, a recorded type is kept when it decodes everything the new schema allows: `i64` where the
//!   spec narrowed to `int32`, `f64` for integers, `Json` for anything, a string for an enum, an enum for a
//!   string (enums are open: an unlisted value is kept in `Other`), a struct for a struct whose every
//!   property it has (a schema renamed or split upstream, the same properties on the wire).
//! - In requests, it is kept when everything a caller can put in it is still valid: `i32` where the spec
//!   widened to `int64`, an enum where the spec dropped the restriction (its `Other` sends any string), a
//!   struct whose every property the new schema has and whose required properties it sets. A plain string
//!   where the spec now lists values is a narrowing: the new type is used.
//! - A type travelling both ways is kept only when it is kept both ways.
//!
//! Aliases are seen through (an alias and what it names are one type to Rust).

use std::collections::HashMap;

use super::super::remembered::Remembered;
use crate::plan::{Presence, Travel, Ty, TypeDef, TypeKind};
use crate::record::spelling::{parse_field_ty, parse_member, parse_ty};

/// Which way a value travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Way {
    Request,
    Response,
    Both,
}

impl Way {
    pub(crate) fn of(travels: Travel) -> Way {
        match travels {
            Travel::Requests => Way::Request,
            Travel::Answers => Way::Response,
            Travel::Both => Way::Both,
        }
    }
}

/// What a named type is, as far as carrying goes.
#[derive(Debug, Clone)]
pub(crate) enum View {
    /// Properties: wire name, type, presence.
    Struct(Vec<(String, Ty, Presence)>),
    Enum,
    Alias(Ty),
    Other,
}

/// The named types of the new plan and of the record.
#[derive(Debug, Default)]
pub(crate) struct Views {
    new: HashMap<String, View>,
    recorded: HashMap<String, View>,
}

impl Views {
    pub(crate) fn of(defs: &std::collections::BTreeMap<String, TypeDef>, remembered: &Remembered) -> Views {
        let new = defs
            .values()
            .map(|def| {
                let view = match &def.kind {
                    TypeKind::Struct { fields, .. } => {
                        View::Struct(fields.iter().map(|f| (f.wire_name.clone(), f.ty.clone(), f.presence)).collect())
                    }
                    TypeKind::Enum { .. } => View::Enum,
                    TypeKind::Alias(target) => View::Alias(target.clone()),
                    _ => View::Other,
                };
                (def.name.clone(), view)
            })
            .collect();
        let recorded = remembered
            .record
            .types
            .values()
            .map(|record| {
                let view = if let Some(fields) = &record.fields {
                    let parsed = fields.iter().filter_map(|(wire, member)| {
                        let (_, text) = parse_member(member).ok()?;
                        let (ty, presence) = parse_field_ty(text).ok()?;
                        Some((wire.clone(), ty, presence))
                    });
                    View::Struct(parsed.collect())
                } else if record.values.is_some() {
                    View::Enum
                } else if let Some(target) = record.alias.as_deref().and_then(|t| parse_ty(t).ok()) {
                    View::Alias(target)
                } else {
                    View::Other
                };
                (record.name.clone(), view)
            })
            .collect();
        Views { new, recorded }
    }

    /// The record's view of a recorded name, else the plan's.
    fn recorded(&self, name: &str) -> Option<&View> {
        self.recorded.get(name).or_else(|| self.new.get(name))
    }

    /// The plan's view of a name.
    fn current(&self, name: &str) -> Option<&View> {
        self.new.get(name)
    }

    /// Whether a recorded type decodes `{}`: any JSON, a map, a struct without required fields (every answer
    /// struct), through aliases.
    pub(crate) fn decodes_empty_object(&self, ty: &Ty) -> bool {
        match see_through(ty, self, true) {
            Ty::Json | Ty::Map(_) => true,
            Ty::Named(name) => match self.recorded(name) {
                Some(View::Struct(fields)) => fields.iter().all(|(_, _, presence)| *presence == Presence::Optional),
                _ => false,
            },
            _ => false,
        }
    }

    /// Whether `name` (of either side) is an open string enum.
    pub(crate) fn is_enum(&self, name: &str) -> bool {
        matches!(self.new.get(name), Some(View::Enum)) || matches!(self.recorded.get(name), Some(View::Enum))
    }
}

/// How deep structs are compared inside structs before giving up (the answer is then "not carried").
const MAX_DEPTH: usize = 6;

/// Whether `recorded` can stand for `new` travelling `way`.
pub(crate) fn carries(recorded: &Ty, new: &Ty, way: Way, views: &Views) -> bool {
    carries_at(recorded, new, way, views, 0)
}

fn carries_at(recorded: &Ty, new: &Ty, way: Way, views: &Views, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match way {
        Way::Both => {
            carries_at(recorded, new, Way::Request, views, depth)
                && carries_at(recorded, new, Way::Response, views, depth)
        }
        _ => one_way(see_through(recorded, views, true), see_through(new, views, false), way, views, depth),
    }
}

/// `ty` without boxes and aliases (the record's aliases for a recorded type, the plan's for a new one).
fn see_through<'a>(ty: &'a Ty, views: &'a Views, recorded: bool) -> &'a Ty {
    let mut current = ty;
    for _ in 0..64 {
        current = match current {
            Ty::Boxed(inner) => inner,
            Ty::Named(name) => {
                let view = if recorded { views.recorded(name) } else { views.current(name) };
                match view {
                    Some(View::Alias(target)) => target,
                    _ => return current,
                }
            }
            _ => return current,
        };
    }
    current
}

fn one_way(recorded: &Ty, new: &Ty, way: Way, views: &Views, depth: usize) -> bool {
    let answers = way == Way::Response;
    let string_like = |ty: &Ty| match ty {
        Ty::String => Some(false),
        Ty::Named(name) if views.is_enum(name) => Some(true),
        _ => None,
    };
    match (recorded, new) {
        (a, b) if a == b => true,
        (Ty::Vec(a), Ty::Vec(b)) | (Ty::Map(a), Ty::Map(b)) => carries_at(a, b, way, views, depth + 1),
        (Ty::Json, _) => answers,
        (Ty::I64, Ty::I32) | (Ty::F64, Ty::I32 | Ty::I64) => answers,
        (Ty::I32, Ty::I64) | (Ty::I32 | Ty::I64, Ty::F64) => !answers,
        (Ty::Named(r), Ty::Named(n)) if string_like(recorded).is_none() => {
            match (views.recorded(r), views.current(n)) {
                (Some(View::Struct(r)), Some(View::Struct(n))) => structs(r, n, way, views, depth),
                _ => false,
            }
        }
        (Ty::Named(r), Ty::Map(value)) => match views.recorded(r) {
            // A map's keys are any property: a struct of optional properties reads every map (what it does
            // not name it does not keep) and writes one.
            Some(View::Struct(fields)) => fields.iter().all(|(_, ty, presence)| {
                (!answers || *presence == Presence::Optional) && carries_at(ty, value, way, views, depth + 1)
            }),
            _ => false,
        },
        _ => match (string_like(recorded), string_like(new)) {
            // A plain string where the spec now lists values narrows a request.
            (Some(false), Some(true)) => answers,
            (Some(_), Some(_)) => true,
            _ => false,
        },
    }
}

/// A recorded struct for a new struct: in answers, it has every property of the new one, each carried; in
/// requests, the new one has every property it has, each carried, and it sets every property the new one
/// requires.
fn structs(
    recorded: &[(String, Ty, Presence)],
    new: &[(String, Ty, Presence)],
    way: Way,
    views: &Views,
    depth: usize,
) -> bool {
    let find = |fields: &[(String, Ty, Presence)], wire: &str| fields.iter().find(|(w, _, _)| w == wire).cloned();
    match way {
        Way::Response => new.iter().all(|(wire, ty, _)| {
            find(recorded, wire).is_some_and(|(_, r, _)| carries_at(&r, ty, way, views, depth + 1))
        }),
        _ => {
            recorded
                .iter()
                .all(|(wire, ty, _)| find(new, wire).is_some_and(|(_, n, _)| carries_at(ty, &n, way, views, depth + 1)))
                && new
                    .iter()
                    .filter(|(_, _, p)| *p != Presence::Optional)
                    .all(|(wire, _, _)| find(recorded, wire).is_some_and(|(_, _, p)| p != Presence::Optional))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> Ty {
        Ty::Named(name.to_owned())
    }

    fn views() -> Views {
        let mut views = Views::default();
        for name in ["KeyStatus", "OtherStatus"] {
            views.new.insert(name.to_owned(), View::Enum);
        }
        let fields = |names: &[&str]| {
            View::Struct(names.iter().map(|n| ((*n).to_owned(), Ty::String, Presence::Optional)).collect())
        };
        views.recorded.insert("TimeThreshold".to_owned(), fields(&["metricName", "threshold", "units"]));
        views.new.insert("AvgTimeThreshold".to_owned(), fields(&["metricName", "threshold"]));
        views.new.insert("Wider".to_owned(), fields(&["metricName", "threshold", "units", "extra"]));
        views.new.insert("Fields".to_owned(), View::Alias(Ty::Map(Box::new(Ty::Json))));
        views.recorded.insert("Mappings".to_owned(), fields(&["additionalProperties"]));
        views
    }

    #[test]
    fn widening_keeps_the_recorded_type_narrowing_does_not() {
        let views = views();
        // An enum restriction dropped: the open enum still sends and decodes any string.
        for way in [Way::Request, Way::Response, Way::Both] {
            assert!(carries(&named("KeyStatus"), &Ty::String, way, &views));
        }
        // A restriction added: answers decode it as a string; a request must follow.
        assert!(carries(&Ty::String, &named("KeyStatus"), Way::Response, &views));
        assert!(!carries(&Ty::String, &named("KeyStatus"), Way::Request, &views));
        assert!(carries(&Ty::I64, &Ty::I32, Way::Response, &views));
        assert!(!carries(&Ty::I32, &Ty::I64, Way::Response, &views));
        assert!(carries(&Ty::I32, &Ty::I64, Way::Request, &views));
        assert!(!carries(&Ty::I32, &Ty::I64, Way::Both, &views));
        assert!(carries(&Ty::Vec(Box::new(named("KeyStatus"))), &Ty::Vec(Box::new(Ty::String)), Way::Both, &views));
        assert!(carries(&Ty::Boxed(Box::new(named("Node"))), &named("Node"), Way::Both, &views));
        assert!(!carries(&named("Key"), &named("Other"), Way::Response, &views));
        assert!(carries(&Ty::Json, &named("Key"), Way::Response, &views));
        assert!(!carries(&Ty::Json, &named("Key"), Way::Request, &views));
    }

    #[test]
    fn structs_and_aliases_are_compared_by_what_they_hold() {
        let views = views();
        // A threshold type split per metric: the old type reads the new one's answers.
        assert!(carries(&named("TimeThreshold"), &named("AvgTimeThreshold"), Way::Response, &views));
        assert!(!carries(&named("TimeThreshold"), &named("AvgTimeThreshold"), Way::Request, &views));
        assert!(!carries(&named("TimeThreshold"), &named("Wider"), Way::Response, &views));
        assert!(carries(&named("TimeThreshold"), &named("Wider"), Way::Request, &views));
        // An alias is the type it names.
        let map_of_maps = Ty::Map(Box::new(Ty::Map(Box::new(Ty::Json))));
        assert!(carries(&map_of_maps, &Ty::Map(Box::new(named("Fields"))), Way::Both, &views));
        // A struct of optional strings reads and writes a map of strings.
        assert!(carries(&named("Mappings"), &Ty::Map(Box::new(Ty::String)), Way::Both, &views));
    }
}
