//! The one struct of documented response headers. Every operation's answer carries it, whichever headers
//! its own responses document: an operation whose headers become documented, or gain one, changes no type,
//! and the rate-limit pair that 530 operations document is declared once. A header the record has and no
//! operation documents any more stays, deprecated.

use super::classify::Shape;
use super::operations::Selected;
use super::remembered::Remembered;
use super::types::TypeBuilder;
use crate::naming::{Namer, snake};
use crate::plan::{HeaderDef, HeadersDef, Ty};
use crate::record::spelling::{parse_member, parse_ty};

pub(crate) fn shape(
    selected: &[Selected],
    types: &mut TypeBuilder,
    remembered: &Remembered,
    name: String,
) -> HeadersDef {
    let recorded = remembered.record.headers.as_ref();
    let recorded_field = |wire: &str| {
        let (_, member) = recorded?.fields.iter().find(|(w, _)| w.eq_ignore_ascii_case(wire))?;
        let (rust, ty) = parse_member(member).ok()?;
        Some((rust.to_owned(), parse_ty(ty).ok()?))
    };
    let mut namer = Namer::default();
    namer.reserve(recorded.iter().flat_map(|h| h.fields.values()).filter_map(|m| parse_member(m).ok()).map(|(n, _)| n));
    let mut fields: Vec<HeaderDef> = Vec::new();
    for one in selected {
        for response in one.operation.responses.iter().filter(|r| r.status.is_success()) {
            for header in &response.headers {
                if fields.iter().any(|h| h.wire_name.eq_ignore_ascii_case(&header.name)) {
                    continue;
                }
                let shape = header
                    .schema
                    .and_then(|schema| types.classifier.resolve(schema).ok())
                    .map(|target| types.classifier.shape(target));
                let ty = match shape {
                    Some(Shape::Integer { .. }) => Ty::I64,
                    Some(Shape::Number) => Ty::F64,
                    Some(Shape::Boolean) => Ty::Bool,
                    _ => Ty::String,
                };
                let docs = match &header.description {
                    Some(d) => vec![format!("`{}`: {}", header.name, d.trim())],
                    None => vec![format!("The `{}` header.", header.name)],
                };
                // A header keeps its recorded name and type (another operation's spec may type it otherwise).
                let (rust_name, ty) =
                    recorded_field(&header.name).unwrap_or_else(|| (namer.claim(&snake(&header.name)), ty));
                fields.push(HeaderDef { wire_name: header.name.clone(), rust_name, ty, docs, kept: false });
            }
        }
    }
    if !remembered.prune {
        for wire in recorded.iter().flat_map(|h| h.fields.keys()) {
            if fields.iter().any(|h| h.wire_name.eq_ignore_ascii_case(wire)) {
                continue;
            }
            let Some((rust_name, ty)) = recorded_field(wire) else { continue };
            let docs = vec![format!("The `{wire}` header, which no operation of the spec documents any more.")];
            fields.push(HeaderDef { wire_name: wire.clone(), rust_name, ty, docs, kept: true });
        }
    }
    fields.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
    HeadersDef { name, fields }
}
