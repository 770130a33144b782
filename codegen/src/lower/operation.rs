//! Operations: names, paths, parameters and docs.

use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr, SchemaKind, Type};

use super::Lowering;
use super::docs::{described, docs};
use super::schema::SchemaRef;
use crate::diagnostics::pointer;
use crate::model::{IdType, Operation, Param, ParamLocation, PathPart, TypeRef};
use crate::naming::{pascal, snake};

/// Builder method names the generated request builder already uses.
const RESERVED_BUILDER_NAMES: &[&str] = &["send", "client"];

impl<'a> Lowering<'a> {
    pub(super) fn lower_operations(&mut self) {
        let spec = self.spec;
        for (path, item) in &spec.paths.paths {
            let path_pointer = pointer(&["paths", path]);
            let ReferenceOr::Item(item) = item else {
                self.error(path_pointer, "`$ref` path items are not supported");
                continue;
            };
            for (method, operation) in item.iter() {
                let at = format!("{path_pointer}/{method}");
                let mut parameters: Vec<(&'a ReferenceOr<Parameter>, String)> = Vec::new();
                for (index, parameter) in item.parameters.iter().enumerate() {
                    parameters.push((parameter, format!("{path_pointer}/parameters/{index}")));
                }
                for (index, parameter) in operation.parameters.iter().enumerate() {
                    parameters.push((parameter, format!("{at}/parameters/{index}")));
                }
                if let Some(lowered) = self.lower_operation(path, method, operation, &parameters, &at) {
                    let key = lowered.method_name.clone();
                    if let Some(existing) = self.api.operations.get(&key) {
                        let message = format!(
                            "operationId `{}` and `{}` both become method `{key}`",
                            lowered.operation_id, existing.operation_id
                        );
                        self.error(format!("{at}/operationId"), message);
                    } else {
                        self.api.operations.insert(key, lowered);
                    }
                }
            }
        }
    }

    fn lower_operation(
        &mut self,
        path: &str,
        method: &str,
        operation: &'a openapiv3::Operation,
        parameters: &[(&'a ReferenceOr<Parameter>, String)],
        at: &str,
    ) -> Option<Operation> {
        let Some(operation_id) = operation.operation_id.clone() else {
            self.error(at, "operation has no operationId; one is needed to name its method");
            return None;
        };
        let type_name = pascal(&operation_id);
        if operation.request_body.is_some() {
            self.error(format!("{at}/requestBody"), "request bodies are not supported yet");
        }
        let mut params: Vec<(Param, bool)> = Vec::new();
        for (parameter, here) in parameters {
            let Some((parameter, here)) = self.resolve(parameter, here, "parameters", |c| &c.parameters) else {
                continue;
            };
            let Some((param, required)) = self.lower_param(parameter, &here, &type_name) else { continue };
            // An operation-level parameter overrides a path-level one with the same name and location.
            params.retain(|(p, _)| !(p.wire_name == param.wire_name && p.location == param.location));
            params.push((param, required));
        }
        self.check_param_names(&params, at);
        let path_parts = self.path_parts(path, &params, at);
        let (success, accept, versions, documented_statuses) = self.lower_responses(operation, at, &type_name);
        let security = self.lower_security(operation.security.as_ref(), at);
        let (required_params, optional_params) = params.into_iter().partition::<Vec<_>, _>(|(_, required)| *required);
        Some(Operation {
            method_name: snake(&operation_id),
            type_name,
            http_method: method.to_ascii_uppercase(),
            path: path.to_owned(),
            path_parts,
            docs: docs(
                operation.summary.as_ref(),
                operation.description.as_ref(),
                operation.external_docs.as_ref(),
                &operation.extensions,
                operation.deprecated,
            ),
            required_params: required_params.into_iter().map(|(p, _)| p).collect(),
            optional_params: optional_params.into_iter().map(|(p, _)| p).collect(),
            accept,
            versions,
            success,
            documented_statuses,
            security,
            operation_id,
        })
    }

    fn lower_param(&mut self, parameter: &'a Parameter, at: &str, op_type: &str) -> Option<(Param, bool)> {
        let (data, location) = match parameter {
            Parameter::Path { parameter_data, .. } => (parameter_data, ParamLocation::Path),
            Parameter::Query { parameter_data, .. } => (parameter_data, ParamLocation::Query),
            Parameter::Header { parameter_data, .. } => {
                let message = format!("header parameter `{}` is not supported yet", parameter_data.name);
                self.error(at, message);
                return None;
            }
            Parameter::Cookie { parameter_data, .. } => {
                self.error(at, format!("cookie parameter `{}` is not supported", parameter_data.name));
                return None;
            }
        };
        if location == ParamLocation::Path && !data.required {
            self.error(format!("{at}/required"), format!("path parameter `{}` must be required", data.name));
        }
        let ParameterSchemaOrContent::Schema(schema) = &data.format else {
            self.error(at, format!("parameter `{}` uses `content`; only `schema` parameters are supported", data.name));
            return None;
        };
        let rust_name = snake(&data.name);
        if RESERVED_BUILDER_NAMES.contains(&rust_name.as_str()) {
            self.error(at, format!("parameter `{}` would clash with the request builder's `{rust_name}`", data.name));
            return None;
        }
        let schema_at = format!("{at}/schema");
        let (ty, default) = match self.resolve(schema, &schema_at, "schemas", |c| &c.schemas) {
            Some((resolved, resolved_at)) => {
                let default = resolved.schema_data.default.as_ref().map(|d| d.to_string());
                let ty = match &resolved.schema_kind {
                    SchemaKind::Type(Type::String(string)) if string.pattern.is_some() => {
                        let description = resolved.schema_data.description.as_ref().or(data.description.as_ref());
                        self.id_type(&data.name, string, description, &resolved_at)
                    }
                    _ => self.type_of(SchemaRef::from(schema), &schema_at, &format!("{op_type}{}", pascal(&data.name))),
                };
                (ty, default)
            }
            None => (TypeRef::Any, None),
        };
        if !self.is_plain_value(&ty, location) {
            self.error(schema_at, format!("parameter `{}` is not a string, number, boolean, enum or (in a query) an array of those; such parameters are not supported yet", data.name));
            return None;
        }
        let param = Param {
            wire_name: data.name.clone(),
            rust_name,
            location,
            ty,
            docs: described(data.description.as_ref()),
            default,
        };
        Some((param, data.required))
    }

    /// Whether a value of `ty` can be written into a path segment or query value.
    fn is_plain_value(&self, ty: &TypeRef, location: ParamLocation) -> bool {
        match ty {
            TypeRef::String | TypeRef::Integer(_) | TypeRef::Number | TypeRef::Boolean | TypeRef::Id(_) => true,
            TypeRef::Named(name) => {
                matches!(self.api.types.get(name).map(|t| &t.kind), Some(crate::model::TypeDefKind::StringEnum { .. }))
            }
            TypeRef::Array(item) => location == ParamLocation::Query && self.is_plain_value(item, ParamLocation::Path),
            TypeRef::Map(_) | TypeRef::Any => false,
        }
    }

    /// Every parameter becomes a field of the request builder, so their Rust names must differ.
    fn check_param_names(&mut self, params: &[(Param, bool)], at: &str) {
        for (index, (param, _)) in params.iter().enumerate() {
            if let Some((other, _)) = params[..index].iter().find(|(p, _)| p.rust_name == param.rust_name) {
                let message = format!(
                    "parameters `{}` and `{}` both become `{}` in Rust",
                    other.wire_name, param.wire_name, param.rust_name
                );
                self.error(format!("{at}/parameters"), message);
            }
        }
    }

    /// One id type per parameter name; every use must agree on the constraints.
    fn id_type(
        &mut self,
        name: &str,
        string: &openapiv3::StringType,
        description: Option<&String>,
        at: &str,
    ) -> TypeRef {
        let pattern = string.pattern.clone().unwrap_or_default();
        if let Err(error) = regex::Regex::new(&pattern) {
            let first_line = error.to_string().lines().last().unwrap_or_default().trim().to_owned();
            self.error(
                format!("{at}/pattern"),
                format!("pattern {pattern:?} is not a valid regular expression: {first_line}"),
            );
            return TypeRef::String;
        }
        let id = IdType {
            name: pascal(name),
            pattern,
            min_length: string.min_length,
            max_length: string.max_length,
            description: description.cloned(),
            pointer: at.to_owned(),
        };
        match self.api.ids.get(&id.name) {
            Some(existing)
                if (&existing.pattern, existing.min_length, existing.max_length)
                    != (&id.pattern, id.min_length, id.max_length) =>
            {
                let message = format!(
                    "`{name}` is constrained differently here than at {}; one id type `{}` needs one pattern and length",
                    existing.pointer, id.name
                );
                self.error(at, message);
            }
            Some(_) => {}
            None => {
                self.api.ids.insert(id.name.clone(), id.clone());
            }
        }
        TypeRef::Id(id.name)
    }

    /// Splits the path template into literals and parameters, checking both sides match.
    fn path_parts(&mut self, path: &str, params: &[(Param, bool)], at: &str) -> Vec<PathPart> {
        let mut parts = Vec::new();
        let mut rest = path;
        let mut seen = Vec::new();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                self.error(at, format!("path {path:?} has an unclosed `{{`"));
                return parts;
            };
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_owned()));
            }
            let name = &rest[open + 1..close];
            match params.iter().find(|(p, _)| p.location == ParamLocation::Path && p.wire_name == name) {
                Some((param, _)) => parts.push(PathPart::Param(param.rust_name.clone())),
                None => self
                    .error(at, format!("path {path:?} uses `{{{name}}}` but no path parameter `{name}` is declared")),
            }
            seen.push(name.to_owned());
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_owned()));
        }
        for (param, _) in params.iter().filter(|(p, _)| p.location == ParamLocation::Path) {
            if !seen.contains(&param.wire_name) {
                let message = format!("path parameter `{}` does not appear in the path {path:?}", param.wire_name);
                self.error(format!("{at}/parameters"), message);
            }
        }
        parts
    }
}
