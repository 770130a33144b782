//! The record of a plan: what the next regeneration reads.

use indexmap::IndexMap;

use super::spelling::{field_ty, member, ty};
use super::{
    AnswerRecord, FORMAT, HeadersRecord, IdRecord, ModuleRecord, OperationRecord, Record, TypeRecord, VariantRecord,
};
use crate::plan::{BodyKind, OpDef, Plan, Success, TypeDef, TypeKind};
use crate::shape::place::param_key_of;

/// Everything `plan` names, by wire identity; `previous` gives operations their former operationIds.
pub(crate) fn record(plan: &Plan, previous: &Record) -> Record {
    let mut record = Record { format: FORMAT, ..Record::default() };
    for module in &plan.modules {
        let entry = ModuleRecord { name: module.name.clone(), feature: module.feature.clone() };
        record.modules.insert(module.tag.clone(), entry);
    }
    for op in &plan.operations {
        let module = plan.modules[op.module].name.clone();
        record.operations.insert(op.key.clone(), operation(op, module, previous.operations.get(&op.key)));
    }
    for id in &plan.ids {
        let entry = IdRecord {
            param: id.param.clone(),
            pattern: id.pattern.clone(),
            min_length: id.min_length,
            max_length: id.max_length,
        };
        record.ids.insert(id.name.clone(), entry);
    }
    let fields = plan.headers.fields.iter().map(|h| (h.wire_name.clone(), member(&h.rust_name, &ty(&h.ty)))).collect();
    record.headers = Some(HeadersRecord { name: plan.headers.name.clone(), fields });
    record.error = Some(ty(&plan.error_body));
    for def in &plan.types {
        record.types.insert(def.key.clone(), type_record(def));
    }
    record
}

fn operation(op: &OpDef, module: String, previous: Option<&OperationRecord>) -> OperationRecord {
    let mut former_ids = Vec::new();
    if let Some(previous) = previous {
        if previous.operation_id != op.operation_id {
            former_ids.push(previous.operation_id.clone());
        }
        former_ids.extend(previous.former_ids.iter().filter(|id| **id != op.operation_id).cloned());
    }
    let params = |list: &[crate::plan::ParamDef]| -> IndexMap<String, String> {
        list.iter().map(|p| (param_key_of(p), member(&p.rust_name, &ty(&p.ty)))).collect()
    };
    let body_text = |kind: &BodyKind| match kind {
        BodyKind::Json(json) => ty(json),
        BodyKind::Bytes => "Bytes".to_owned(),
        BodyKind::Empty => "()".to_owned(),
    };
    let (success, answer) = match &op.success {
        Success::Single(kind) => ([("2xx".to_owned(), body_text(kind))].into_iter().collect(), None),
        Success::PerStatus { answer, variants } => {
            let label = |status: Option<u16>| status.map_or_else(|| "2XX".to_owned(), |s| s.to_string());
            let success = variants.iter().map(|v| (label(v.status), body_text(&v.body))).collect();
            let names = variants.iter().map(|v| (label(v.status), v.name.clone())).collect();
            (success, Some(AnswerRecord { name: answer.clone(), variants: names }))
        }
    };
    OperationRecord {
        operation_id: op.operation_id.clone(),
        former_ids,
        method: op.method_name.clone(),
        builder: op.builder.clone(),
        module,
        version: op.version.clone(),
        args: params(&op.args),
        options: params(&op.options),
        body: op.body.as_ref().map(|b| member(&b.rust_name, &ty(&b.ty))),
        body_required: op.body.as_ref().is_some_and(|b| b.required),
        success,
        answer,
    }
}

fn type_record(def: &TypeDef) -> TypeRecord {
    let mut record = TypeRecord { name: def.name.clone(), ..TypeRecord::default() };
    match &def.kind {
        TypeKind::Struct { fields, .. } => {
            let fields =
                fields.iter().map(|f| (f.wire_name.clone(), member(&f.rust_name, &field_ty(&f.ty, f.presence))));
            record.fields = Some(fields.collect());
        }
        TypeKind::Enum { variants, other } => {
            record.values = Some(variants.iter().map(|v| (v.wire_name.clone(), v.rust_name.clone())).collect());
            record.other = Some(other.clone());
        }
        TypeKind::Tagged { property, variants, unknown, .. } => {
            record.tagged = Some(property.clone());
            let variants = variants
                .iter()
                .map(|v| (v.name.clone(), VariantRecord { ty: ty(&v.ty), tags: v.tags.clone(), kind: None }));
            record.variants = Some(variants.collect());
            record.other = Some(unknown.clone());
        }
        TypeKind::Untagged { variants, unknown } => {
            record.untagged = true;
            let variants = variants.iter().map(|v| {
                let variant = VariantRecord { ty: ty(&v.ty), tags: Vec::new(), kind: Some(v.kind.word().to_owned()) };
                (v.name.clone(), variant)
            });
            record.variants = Some(variants.collect());
            record.other = Some(unknown.clone());
        }
        TypeKind::Alias(target) => record.alias = Some(ty(target)),
        TypeKind::Newtype(inner) => record.newtype = Some(ty(inner)),
    }
    record
}
