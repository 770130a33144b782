//! When the type the record gives a field, parameter or variant is kept although the spec now describes
//! another: when the recorded type still means the same on the wire in the direction the value travels.
//!
//! - In answers, a recorded type is kept when it decodes everything the new schema allows: `i64` where the
//!   spec narrowed to `int32`, `f64` for integers, `Json` for anything, a string for an enum, and an enum
//!   for a string (enums are open: an unlisted value is kept in `Other`).
//! - In requests, it is kept when everything a caller can put in it is still valid: `i32` where the spec
//!   widened to `int64`, an enum where the spec dropped the restriction (its `Other` sends any string). A
//!   plain string where the spec now lists values is a narrowing: the new type is used.
//! - A type travelling both ways is kept only when it is kept both ways.

use crate::plan::{Form, Ty};

/// Which way a value travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Way {
    Request,
    Response,
    Both,
}

impl Way {
    pub(crate) fn of(form: Form) -> Way {
        match form {
            Form::Request => Way::Request,
            Form::Response => Way::Response,
            Form::Both => Way::Both,
        }
    }
}

/// Whether `recorded` can stand for `new` travelling `way`; `is_enum` says whether a named type is an (open)
/// string enum.
pub(crate) fn carries(recorded: &Ty, new: &Ty, way: Way, is_enum: &dyn Fn(&str) -> bool) -> bool {
    match way {
        Way::Both => carries(recorded, new, Way::Request, is_enum) && carries(recorded, new, Way::Response, is_enum),
        _ => one_way(unboxed(recorded), unboxed(new), way, is_enum),
    }
}

fn unboxed(ty: &Ty) -> &Ty {
    let mut current = ty;
    while let Ty::Boxed(inner) = current {
        current = inner;
    }
    current
}

fn one_way(recorded: &Ty, new: &Ty, way: Way, is_enum: &dyn Fn(&str) -> bool) -> bool {
    let answers = way == Way::Response;
    let string_like = |ty: &Ty| match ty {
        Ty::String => Some(false),
        Ty::Named(name) if is_enum(name) => Some(true),
        _ => None,
    };
    match (recorded, new) {
        (a, b) if a == b => true,
        (Ty::Vec(a), Ty::Vec(b)) | (Ty::Map(a), Ty::Map(b)) => carries(a, b, way, is_enum),
        (Ty::Json, _) => answers,
        (Ty::I64, Ty::I32) | (Ty::F64, Ty::I32 | Ty::I64) => answers,
        (Ty::I32, Ty::I64) | (Ty::I32 | Ty::I64, Ty::F64) => !answers,
        _ => match (string_like(recorded), string_like(new)) {
            // A plain string where the spec now lists values narrows a request.
            (Some(false), Some(true)) => answers,
            (Some(_), Some(_)) => true,
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> Ty {
        Ty::Named(name.to_owned())
    }

    fn is_enum(name: &str) -> bool {
        name.ends_with("Status")
    }

    #[test]
    fn widening_keeps_the_recorded_type_narrowing_does_not() {
        // An enum restriction dropped: the open enum still sends and decodes any string.
        for way in [Way::Request, Way::Response, Way::Both] {
            assert!(carries(&named("KeyStatus"), &Ty::String, way, &is_enum));
        }
        // A restriction added: answers decode it as a string; a request must follow.
        assert!(carries(&Ty::String, &named("KeyStatus"), Way::Response, &is_enum));
        assert!(!carries(&Ty::String, &named("KeyStatus"), Way::Request, &is_enum));
        assert!(carries(&Ty::I64, &Ty::I32, Way::Response, &is_enum));
        assert!(!carries(&Ty::I32, &Ty::I64, Way::Response, &is_enum));
        assert!(carries(&Ty::I32, &Ty::I64, Way::Request, &is_enum));
        assert!(!carries(&Ty::I32, &Ty::I64, Way::Both, &is_enum));
        assert!(carries(&Ty::Vec(Box::new(named("KeyStatus"))), &Ty::Vec(Box::new(Ty::String)), Way::Both, &is_enum));
        assert!(carries(&Ty::Boxed(Box::new(named("Node"))), &named("Node"), Way::Both, &is_enum));
        assert!(!carries(&named("Key"), &named("Other"), Way::Response, &is_enum));
        assert!(carries(&Ty::Json, &named("Key"), Way::Response, &is_enum));
        assert!(!carries(&Ty::Json, &named("Key"), Way::Request, &is_enum));
    }
}
