//! Operations: ids, paths, parameters (path-level and operation-level, `$ref`s resolved) and docs.

use openapiv3::{Parameter, ParameterSchemaOrContent, PathStyle, QueryStyle, ReferenceOr};

use super::Lowering;
use super::docs::docs;
use crate::model::{Location, Operation, Param, Segment};
use crate::spec::pointer::{child, from_tokens};

impl<'a> Lowering<'a> {
    pub(super) fn lower_operations(&mut self) -> Vec<Operation> {
        let spec = self.spec;
        let mut operations = Vec::new();
        for (path, item) in &spec.paths.paths {
            let path_pointer = from_tokens(&["paths", path]);
            if !path.starts_with('/') {
                self.error(path_pointer, format!("the path {path:?} must start with `/`"));
                continue;
            }
            let ReferenceOr::Item(item) = item else {
                self.error(path_pointer, "`$ref` path items are not supported");
                continue;
            };
            for (method, operation) in item.iter() {
                let at = child(&path_pointer, method);
                let mut parameters: Vec<(&'a ReferenceOr<Parameter>, String)> = Vec::new();
                for (index, parameter) in item.parameters.iter().enumerate() {
                    parameters.push((parameter, format!("{path_pointer}/parameters/{index}")));
                }
                for (index, parameter) in operation.parameters.iter().enumerate() {
                    parameters.push((parameter, format!("{at}/parameters/{index}")));
                }
                if let Some(lowered) = self.lower_operation(path, method, operation, &parameters, &at) {
                    operations.push(lowered);
                }
            }
        }
        operations
    }

    fn lower_operation(
        &mut self,
        path: &str,
        method: &str,
        operation: &'a openapiv3::Operation,
        parameters: &[(&'a ReferenceOr<Parameter>, String)],
        at: &str,
    ) -> Option<Operation> {
        let Some(operation_id) = operation.operation_id.clone().filter(|id| !id.trim().is_empty()) else {
            self.error(at, "operation has no operationId; one is needed to name its method");
            return None;
        };
        let mut params: Vec<Param> = Vec::new();
        for (parameter, here) in parameters {
            let Some((parameter, here)) = self.resolve(parameter, here, "parameters", |c| &c.parameters) else {
                continue;
            };
            let Some(param) = self.lower_param(parameter, &here) else { continue };
            // An operation-level parameter overrides a path-level one with the same name and location.
            params.retain(|p| !(p.name == param.name && p.location == param.location));
            params.push(param);
        }
        let segments = self.segments(path, &params, at);
        let request_body = self.lower_request_body(operation, at);
        let responses = self.lower_responses(operation, at);
        let security = self.lower_security(operation.security.as_ref(), at);
        Some(Operation {
            pointer: at.to_owned(),
            method: method.to_ascii_uppercase(),
            path: path.to_owned(),
            segments,
            tags: operation.tags.clone(),
            docs: docs(
                operation.summary.as_ref(),
                operation.description.as_ref(),
                operation.external_docs.as_ref(),
                &operation.extensions,
                operation.deprecated,
            ),
            params,
            request_body,
            responses,
            security,
            operation_id,
        })
    }

    fn lower_param(&mut self, parameter: &'a Parameter, at: &str) -> Option<Param> {
        let (data, location, style) = match parameter {
            Parameter::Path { parameter_data, style } => {
                let style = match style {
                    PathStyle::Simple => "simple",
                    PathStyle::Label => "label",
                    PathStyle::Matrix => "matrix",
                };
                (parameter_data, Location::Path, Some(style))
            }
            Parameter::Query { parameter_data, style, .. } => {
                let style = match style {
                    QueryStyle::Form => "form",
                    QueryStyle::SpaceDelimited => "spaceDelimited",
                    QueryStyle::PipeDelimited => "pipeDelimited",
                    QueryStyle::DeepObject => "deepObject",
                };
                (parameter_data, Location::Query, Some(style))
            }
            Parameter::Header { parameter_data, .. } => (parameter_data, Location::Header, None),
            Parameter::Cookie { parameter_data, .. } => {
                self.error(at, format!("cookie parameter `{}` is not supported", parameter_data.name));
                return None;
            }
        };
        if location == Location::Path && !data.required {
            self.error(format!("{at}/required"), format!("path parameter `{}` must be required", data.name));
        }
        let ParameterSchemaOrContent::Schema(_) = &data.format else {
            self.error(at, format!("parameter `{}` uses `content`; only `schema` parameters are supported", data.name));
            return None;
        };
        let schema = self.schemas.intern(child(at, "schema"));
        Some(Param {
            name: data.name.clone(),
            location,
            required: data.required,
            style: style.map(str::to_owned),
            explode: data.explode,
            schema,
            description: data.description.clone(),
            pointer: at.to_owned(),
        })
    }

    /// Splits the path template into literals and parameters, checking both sides match.
    fn segments(&mut self, path: &str, params: &[Param], at: &str) -> Vec<Segment> {
        let mut segments = Vec::new();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                self.error(at, format!("unclosed `{{` in path {path:?}"));
                break;
            };
            if open > 0 {
                segments.push(Segment::Literal(rest[..open].to_owned()));
            }
            let name = &rest[open + 1..close];
            if params.iter().any(|p| p.location == Location::Path && p.name == name) {
                segments.push(Segment::Param(name.to_owned()));
            } else {
                self.error(at, format!("path {path:?} uses `{{{name}}}`, which no path parameter declares"));
            }
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            segments.push(Segment::Literal(rest.to_owned()));
        }
        for param in params.iter().filter(|p| p.location == Location::Path) {
            if !segments.iter().any(|s| matches!(s, Segment::Param(name) if *name == param.name)) {
                let message = format!("path parameter `{}` does not appear in the path {path:?}", param.name);
                self.error(param.pointer.clone(), message);
            }
        }
        segments
    }
}
