//! Schemas to types: component schemas become named types, inline schemas become type references (or
//! named types when they need a declaration of their own).

use openapiv3::{
    AdditionalProperties, IntegerFormat, ObjectType, ReferenceOr, Schema, SchemaKind, StringType, Type,
    VariantOrUnknownOrEmpty,
};

use super::Lowering;
use super::docs::described;
use crate::diagnostics::pointer;
use crate::model::{EnumVariant, Field, IntegerWidth, TypeDef, TypeDefKind, TypeRef};
use crate::naming::{pascal, snake};

/// A schema that is either a `$ref` or inline, whichever way openapiv3 boxed it.
#[derive(Clone, Copy)]
pub(super) enum SchemaRef<'a> {
    Ref(&'a str),
    Inline(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(value: &'a ReferenceOr<Schema>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Inline(schema),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(value: &'a ReferenceOr<Box<Schema>>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Inline(schema),
        }
    }
}

impl<'a> Lowering<'a> {
    /// The type of a schema at `at`; `hint` names any type an inline schema needs.
    pub(super) fn type_of(&mut self, schema: SchemaRef<'a>, at: &str, hint: &str) -> TypeRef {
        match schema {
            SchemaRef::Ref(reference) => match self.component_name(reference, "schemas", at) {
                Some(name) => self.named_schema(&name, at),
                None => TypeRef::Any,
            },
            SchemaRef::Inline(schema) => {
                self.check_combined_keywords(at);
                self.inline_type(schema, at, hint)
            }
        }
    }

    /// openapiv3 reads a schema with both `type` and `oneOf`/`allOf`/`anyOf`/`not` as the `type` part
    /// alone; say so instead of silently generating a narrower type.
    fn check_combined_keywords(&mut self, at: &str) {
        let Some(serde_json::Value::Object(raw)) = self.raw.pointer(at) else { return };
        if !raw.contains_key("type") {
            return;
        }
        let combined: Vec<&str> =
            ["oneOf", "allOf", "anyOf", "not"].into_iter().filter(|k| raw.contains_key(*k)).collect();
        if let Some(keyword) = combined.first() {
            self.error(at, format!("`type` together with `{keyword}` in one schema is not supported yet"));
        }
    }

    /// Lowers `components.schemas.<name>` once and refers to it by name.
    fn named_schema(&mut self, name: &str, at: &str) -> TypeRef {
        if let Some(rust_name) = self.schema_names.get(name) {
            return TypeRef::Named(rust_name.clone());
        }
        let Some(target) = self.spec.components.as_ref().and_then(|c| c.schemas.get(name)) else {
            self.error(format!("{at}/$ref"), format!("`#/components/schemas/{name}` does not resolve"));
            return TypeRef::Any;
        };
        let here = pointer(&["components", "schemas", name]);
        self.check_combined_keywords(&here);
        let schema = match target {
            ReferenceOr::Item(schema) => schema,
            // A component that is only a ref to another component is an alias of it.
            ReferenceOr::Reference { reference } => {
                if self.aliases_in_progress.iter().any(|n| n == name) {
                    self.error(format!("{here}/$ref"), format!("`$ref` cycle: `{name}` refers back to itself"));
                    return TypeRef::Any;
                }
                self.aliases_in_progress.push(name.to_owned());
                let inner = self.type_of(SchemaRef::Ref(reference), &here, &pascal(name));
                self.aliases_in_progress.pop();
                return self.declare(name, &here, described(None), TypeDefKind::Alias(inner));
            }
        };
        let rust_name = pascal(name);
        if !self.claim_type_name(&rust_name, &here) {
            return TypeRef::Any;
        }
        // Registered before its fields are lowered, so recursive schemas terminate.
        self.schema_names.insert(name.to_owned(), rust_name.clone());
        let docs = described(schema.schema_data.description.as_ref());
        let kind = match self.definition_of(schema, &here, &rust_name) {
            Some(kind) => kind,
            None => TypeDefKind::Alias(self.inline_type(schema, &here, &rust_name)),
        };
        self.api.types.insert(rust_name.clone(), TypeDef { name: rust_name.clone(), docs, kind });
        TypeRef::Named(rust_name)
    }

    fn declare(&mut self, name: &str, here: &str, docs: crate::model::Docs, kind: TypeDefKind) -> TypeRef {
        let rust_name = pascal(name);
        if !self.claim_type_name(&rust_name, here) {
            return TypeRef::Any;
        }
        self.schema_names.insert(name.to_owned(), rust_name.clone());
        self.api.types.insert(rust_name.clone(), TypeDef { name: rust_name.clone(), docs, kind });
        TypeRef::Named(rust_name)
    }

    /// The declaration a schema needs, if it needs one (a struct or an enum); `None` for plain types.
    fn definition_of(&mut self, schema: &'a Schema, at: &str, name: &str) -> Option<TypeDefKind> {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => {
                Some(self.struct_fields(object, at, name))
            }
            SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => {
                Some(self.string_enum(string, at))
            }
            _ => None,
        }
    }

    fn inline_type(&mut self, schema: &'a Schema, at: &str, hint: &str) -> TypeRef {
        if let Some(kind) = self.definition_of(schema, at, hint) {
            if !self.claim_type_name(hint, at) {
                return TypeRef::Any;
            }
            let docs = described(schema.schema_data.description.as_ref());
            self.api.types.insert(hint.to_owned(), TypeDef { name: hint.to_owned(), docs, kind });
            return TypeRef::Named(hint.to_owned());
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(_)) => TypeRef::String,
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Boolean,
            SchemaKind::Type(Type::Number(_)) => TypeRef::Number,
            SchemaKind::Type(Type::Integer(integer)) => TypeRef::Integer(match &integer.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => IntegerWidth::I32,
                _ => IntegerWidth::I64,
            }),
            SchemaKind::Type(Type::Array(array)) => match &array.items {
                Some(items) => {
                    let item = self.type_of(items.into(), &format!("{at}/items"), &format!("{hint}Item"));
                    TypeRef::Array(Box::new(item))
                }
                None => TypeRef::Array(Box::new(TypeRef::Any)),
            },
            SchemaKind::Type(Type::Object(object)) => match &object.additional_properties {
                Some(AdditionalProperties::Schema(values)) => {
                    let value = self.type_of(
                        values.as_ref().into(),
                        &format!("{at}/additionalProperties"),
                        &format!("{hint}Value"),
                    );
                    TypeRef::Map(Box::new(value))
                }
                _ => TypeRef::Map(Box::new(TypeRef::Any)),
            },
            SchemaKind::Any(_) => TypeRef::Any,
            SchemaKind::OneOf { .. } => self.unsupported(at, "oneOf"),
            SchemaKind::AllOf { .. } => self.unsupported(at, "allOf"),
            SchemaKind::AnyOf { .. } => self.unsupported(at, "anyOf"),
            SchemaKind::Not { .. } => self.unsupported(at, "not"),
        }
    }

    fn unsupported(&mut self, at: &str, keyword: &str) -> TypeRef {
        self.error(at, format!("`{keyword}` schemas are not supported yet"));
        TypeRef::Any
    }

    fn struct_fields(&mut self, object: &'a ObjectType, at: &str, name: &str) -> TypeDefKind {
        let mut fields: Vec<Field> = Vec::new();
        for (wire_name, property) in &object.properties {
            let here = format!("{at}/properties/{}", crate::diagnostics::escape_token(wire_name));
            let rust_name = snake(wire_name);
            if let Some(other) = fields.iter().find(|f| f.rust_name == rust_name) {
                let message = format!(
                    "property `{wire_name}` and property `{}` both become field `{rust_name}`",
                    other.wire_name
                );
                self.error(here, message);
                continue;
            }
            let (nullable, description) = match property {
                ReferenceOr::Item(schema) => (schema.schema_data.nullable, schema.schema_data.description.clone()),
                ReferenceOr::Reference { .. } => (false, None),
            };
            let ty = self.type_of(property.into(), &here, &format!("{name}{}", pascal(wire_name)));
            let required = object.required.iter().any(|r| r == wire_name);
            fields.push(Field {
                rust_name,
                wire_name: wire_name.clone(),
                ty,
                always_present: required && !nullable,
                docs: described(description.as_ref()),
            });
        }
        TypeDefKind::Struct { fields }
    }

    fn string_enum(&mut self, string: &StringType, at: &str) -> TypeDefKind {
        let mut variants: Vec<EnumVariant> = Vec::new();
        for (index, value) in string.enumeration.iter().enumerate() {
            // A `null` entry only says the value may be null; nullability is handled by `Option`.
            let Some(value) = value else { continue };
            let rust_name = pascal(value);
            if variants.iter().any(|v| v.rust_name == rust_name) {
                self.error(
                    format!("{at}/enum/{index}"),
                    format!("enum value {value:?} clashes with another as `{rust_name}`"),
                );
                continue;
            }
            variants.push(EnumVariant { rust_name, wire_name: value.clone() });
        }
        TypeDefKind::StringEnum { variants }
    }
}
