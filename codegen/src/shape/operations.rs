//! Operations to client methods and request builders: argument order, parameter types and styles, the
//! request body, the success answers per status, the documented headers, and the method's docs.

use std::collections::BTreeMap;

use super::classify::Shape;
use super::ids::{IdKey, IdUses};
use super::place::param_key;
use super::types::{Dir, TypeBuilder, description_lines};
use super::versions::contents_for;
use crate::model::{Content, Location, Operation, Param, SecurityKind, Segment, Status};
use crate::naming::{Namer, pascal, snake};
use crate::plan::{BodyDef, BodyKind, OpDef, ParamDef, ParamPlace, PathPiece, StatusVariant, Success, Ty};
use crate::record::OperationRecord;
use crate::record::spelling::parse_member;
use crate::spec::media::{Format, Version};

/// Builder methods and fields the generated request builder already has.
pub(crate) const BUILDER_RESERVED: &[&str] = &["client", "send", "send_stream", "decode", "request"];

/// An operation with its chosen version, ready to be shaped.
pub(crate) struct Selected<'a> {
    pub operation: &'a Operation,
    pub version: Option<Version>,
    pub module: usize,
    /// Its key in the record.
    pub key: String,
    /// What the record says of it.
    pub recorded: Option<&'a OperationRecord>,
}

impl Selected<'_> {
    /// The request body content of the chosen version.
    pub(crate) fn body_content(&self) -> Option<&Content> {
        let body = self.operation.request_body.as_ref()?;
        let contents = contents_for(&body.contents, self.version.as_ref());
        contents.iter().find(|c| c.media.is_json()).or(contents.first()).copied()
    }

    /// The success statuses, each with the content of the chosen version (JSON preferred).
    pub(crate) fn success_contents(&self) -> Vec<(Status, Option<&Content>)> {
        let mut out: Vec<(Status, Option<&Content>)> = self
            .operation
            .responses
            .iter()
            .filter(|r| r.status.is_success())
            .map(|r| {
                let contents = contents_for(&r.contents, self.version.as_ref());
                let chosen = contents
                    .iter()
                    .find(|c| c.media.is_json() && c.schema.is_some())
                    .or_else(|| contents.iter().find(|c| c.schema.is_some()))
                    .or(contents.first())
                    .copied();
                (r.status, chosen)
            })
            .collect();
        out.sort_by_key(|(status, _)| *status);
        out
    }

    /// JSON schemas of the error answers.
    pub(crate) fn error_schemas(&self) -> Vec<(Status, crate::model::SchemaId)> {
        self.operation
            .responses
            .iter()
            .filter(|r| !r.status.is_success())
            .filter_map(|r| {
                let contents = contents_for(&r.contents, self.version.as_ref());
                let json = contents.into_iter().find(|c| c.media.is_json())?;
                Some((r.status, json.schema?))
            })
            .collect()
    }
}

/// Gathers the id uses of one operation (before ids are named).
pub(crate) fn record_ids(selected: &Selected, types: &mut TypeBuilder, uses: &mut IdUses) {
    for param in &selected.operation.params {
        if let Some(key) = id_key(param, types) {
            uses.record(key, &selected.operation.operation_id, param.description.as_ref());
        }
    }
}

/// The id constraint of a parameter, when it is a string with a pattern.
fn id_key(param: &Param, types: &mut TypeBuilder) -> Option<IdKey> {
    let target = types.classifier.resolve(param.schema).ok()?;
    if !matches!(types.classifier.shape(target), Shape::String) {
        return None;
    }
    let node = types.classifier.graph.get(target);
    let pattern = node.pattern.clone()?;
    Some(IdKey { param: param.name.clone(), pattern, min_length: node.min_length, max_length: node.max_length })
}

/// The Rust names the record gives an operation's parameters and body.
struct RecordedParams<'a> {
    /// `"<in> <name>"` → Rust name, required and optional alike.
    by_key: BTreeMap<&'a str, &'a str>,
    /// Path parameters' Rust names in the order of the path template (a renamed path parameter keeps its
    /// place).
    path: Vec<&'a str>,
    body: Option<&'a str>,
}

impl<'a> RecordedParams<'a> {
    fn new(recorded: Option<&'a OperationRecord>) -> Self {
        let mut by_key = BTreeMap::new();
        let mut path = Vec::new();
        if let Some(op) = recorded {
            for (key, member) in op.args.iter().chain(&op.options) {
                let Ok((name, _)) = parse_member(member) else { continue };
                by_key.insert(key.as_str(), name);
                if key.starts_with("path ") {
                    path.push(name);
                }
            }
        }
        let body = recorded.and_then(|op| op.body.as_deref()).and_then(|body| parse_member(body).ok()).map(|(n, _)| n);
        RecordedParams { by_key, path, body }
    }

    fn names(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.by_key.values().copied().chain(self.body)
    }

    /// The recorded name of `param`; a path parameter whose name changed is found by its place in the path.
    fn get(&self, param: &Param, path_position: Option<usize>) -> Option<&'a str> {
        let key = param_key(param.location, &param.name);
        if let Some(name) = self.by_key.get(key.as_str()) {
            return Some(name);
        }
        match param.location {
            Location::Path => path_position.and_then(|at| self.path.get(at)).copied(),
            _ => None,
        }
    }
}

/// Names shared by all operations: client methods, and builders with their companion types.
pub(crate) struct OperationNames {
    pub methods: Namer,
    pub builders: Namer,
}

/// Shapes one operation.
pub(crate) fn shape_operation(
    selected: &Selected,
    types: &mut TypeBuilder,
    ids: &BTreeMap<IdKey, String>,
    names: &mut OperationNames,
    error_bodies: &mut Vec<Ty>,
) -> OpDef {
    let operation = selected.operation;
    let recorded = selected.recorded;
    let builder = match recorded {
        Some(op) => op.builder.clone(),
        None => names.builders.claim(&pascal(&operation.operation_id)),
    };
    let method_name = match recorded {
        Some(op) => op.method.clone(),
        None => names.methods.claim(&snake(&operation.operation_id)),
    };
    let mut fields = Namer::with_reserved(BUILDER_RESERVED);
    let recorded_names = RecordedParams::new(recorded);
    fields.reserve(recorded_names.names());

    // Required path parameters in the order of the template, then the other required ones by place and
    // name, then optional ones by place and name: a reordered `parameters` list changes nothing.
    let mut params: Vec<&Param> = operation.params.iter().collect();
    params.sort_by(|a, b| (a.location, &a.name).cmp(&(b.location, &b.name)));
    let path_order: Vec<&str> = operation
        .segments
        .iter()
        .filter_map(|s| match s {
            Segment::Param(name) => Some(name.as_str()),
            Segment::Literal(_) => None,
        })
        .collect();
    params.sort_by_key(|p| {
        (p.location != Location::Path, !p.required, path_order.iter().position(|n| *n == p.name).unwrap_or(0))
    });
    let mut args = Vec::new();
    let mut options = Vec::new();
    let mut rust_names: BTreeMap<String, String> = BTreeMap::new();
    let path_position = |name: &str| path_order.iter().position(|n| *n == name);
    for param in params {
        let recorded_name = recorded_names.get(param, path_position(&param.name));
        let Some(def) = param_def(param, &builder, types, ids, &mut fields, recorded_name) else { continue };
        if param.location == Location::Path {
            rust_names.insert(param.name.clone(), def.rust_name.clone());
        }
        if param.required { args.push(def) } else { options.push(def) }
    }
    let segments = operation
        .segments
        .iter()
        .map(|s| match s {
            Segment::Literal(text) => PathPiece::Literal(text.clone()),
            Segment::Param(name) => PathPiece::Param(rust_names.get(name).cloned().unwrap_or_else(|| snake(name))),
        })
        .collect();

    let body = selected
        .body_content()
        .and_then(|content| body_def(selected, content, &builder, types, &mut fields, recorded_names.body));
    let success = success(selected, &builder, types, names);
    let accept = accept(selected);
    for (status, schema) in selected.error_schemas() {
        let ty = types.ty(schema, Dir::Response, &format!("{builder}Error{}", status.label()));
        if !error_bodies.contains(&ty) {
            error_bodies.push(ty);
        }
    }
    let docs = method_docs(selected, &accept);
    OpDef {
        key: selected.key.clone(),
        operation_id: operation.operation_id.clone(),
        method_name,
        builder,
        module: selected.module,
        http_method: operation.method.clone(),
        path: operation.path.clone(),
        segments,
        docs,
        deprecated: operation.docs.deprecated,
        args,
        options,
        body,
        accept,
        version: selected.version.as_ref().map(|v| v.label().to_owned()),
        newer_versions: super::versions::newer_than(operation, selected.version.as_ref()),
        success,
        security: operation.security.clone(),
        pagination: None,
    }
}

fn param_def(
    param: &Param,
    builder: &str,
    types: &mut TypeBuilder,
    ids: &BTreeMap<IdKey, String>,
    fields: &mut Namer,
    recorded_name: Option<&str>,
) -> Option<ParamDef> {
    let ty = match id_key(param, types).and_then(|key| ids.get(&key)) {
        Some(id) => Ty::Id(id.clone()),
        None => types.ty(param.schema, Dir::Request, &format!("{builder}{}", pascal(&param.name))),
    };
    let ty = match ty {
        Ty::Secret => Ty::String,
        Ty::Vec(item) if types.is_plain_value(&item) => Ty::Vec(item),
        other if types.is_plain_value(&other) => other,
        _ => {
            types.diagnostics.push(
                format!("{}/schema", param.pointer),
                format!(
                    "parameter `{}` is not a string, number, boolean, enum, id or a list of those; object \
                     parameters are not supported",
                    param.name
                ),
            );
            return None;
        }
    };
    let place = match param.location {
        Location::Path => ParamPlace::Path,
        Location::Header => ParamPlace::Header,
        Location::Query => ParamPlace::Query {
            join: match (param.style.as_deref(), param.explode) {
                (Some("spacedelimited"), _) => Some(' '),
                (Some("pipedelimited"), _) => Some('|'),
                (_, Some(false)) => Some(','),
                _ => None,
            },
        },
    };
    let mut docs = description_lines(
        param.description.as_deref(),
        &format!("Sets the `{}` {} parameter.", param.name, location_name(param.location)),
    );
    let node = types.classifier.graph.get(param.schema);
    if let Some(default) = &node.default {
        docs.push(String::new());
        docs.push(format!("The service's default: `{default}`."));
    }
    let rust_name = recorded_name.map_or_else(|| fields.claim(&snake(&param.name)), str::to_owned);
    Some(ParamDef { wire_name: param.name.clone(), rust_name, place, ty, docs })
}

fn location_name(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
    }
}

fn body_def(
    selected: &Selected,
    content: &Content,
    builder: &str,
    types: &mut TypeBuilder,
    fields: &mut Namer,
    recorded_name: Option<&str>,
) -> Option<BodyDef> {
    let body = selected.operation.request_body.as_ref()?;
    let ty = match (&content.media.format, content.schema) {
        (Format::Json, Some(schema)) => types.ty(schema, Dir::Request, &format!("{builder}Body")),
        (Format::Json, None) => Ty::Json,
        (Format::Bytes(_), _) => Ty::Bytes,
        (Format::Form | Format::Multipart, _) => {
            types.diagnostics.push(
                content.pointer.clone(),
                format!("request bodies of type `{}` are not supported (JSON or raw bytes are)", content.media.essence),
            );
            return None;
        }
    };
    let docs = description_lines(body.description.as_deref(), "The request body.");
    Some(BodyDef {
        required: body.required,
        rust_name: recorded_name.map_or_else(|| fields.claim("body"), str::to_owned),
        ty,
        content_type: content.media.text.clone(),
        docs,
    })
}

fn body_kind(content: Option<&Content>, builder: &str, status: Status, types: &mut TypeBuilder) -> BodyKind {
    // A 204 or 205 answer ends at its head (RFC 9110 §15.3.5, §15.3.6): whatever schema the spec gives it
    // (Atlas once documented its 204s with an empty-object `NoBody`), there is nothing to decode.
    if matches!(status, Status::Code(204 | 205)) {
        return BodyKind::Empty;
    }
    let Some(content) = content else { return BodyKind::Empty };
    match (&content.media.format, content.schema) {
        (Format::Json, Some(schema)) => {
            BodyKind::Json(types.ty(schema, Dir::Response, &format!("{builder}Response{}", suffix(status))))
        }
        (Format::Bytes(_), _) => BodyKind::Bytes,
        _ => BodyKind::Empty,
    }
}

fn suffix(status: Status) -> String {
    match status {
        Status::Code(200) | Status::Range(2) => String::new(),
        other => other.label(),
    }
}

fn success(selected: &Selected, builder: &str, types: &mut TypeBuilder, names: &mut OperationNames) -> Success {
    let statuses = selected.success_contents();
    let kinds: Vec<(Status, BodyKind)> =
        statuses.iter().map(|(status, content)| (*status, body_kind(*content, builder, *status, types))).collect();
    let Some((_, first)) = kinds.first() else { return Success::Single(BodyKind::Empty) };
    if kinds.iter().all(|(_, kind)| kind == first) {
        return Success::Single(first.clone());
    }
    let recorded = selected.recorded.and_then(|op| op.answer.as_ref());
    let answer = match recorded {
        Some(answer) => answer.name.clone(),
        None => names.builders.claim(&format!("{builder}Answer")),
    };
    let mut variant_names = Namer::default();
    variant_names.reserve(recorded.iter().flat_map(|answer| answer.variants.values()));
    let variants = kinds
        .into_iter()
        .map(|(status, body)| {
            let code = match status {
                Status::Code(code) => Some(code),
                _ => None,
            };
            let name = match recorded.and_then(|answer| answer.variants.get(&status.label())) {
                Some(name) => name.clone(),
                None => variant_names.claim(status_name(status)),
            };
            StatusVariant { status: code, name, body }
        })
        .collect();
    Success::PerStatus { answer, variants }
}

fn status_name(status: Status) -> &'static str {
    match status {
        Status::Code(200) => "Ok",
        Status::Code(201) => "Created",
        Status::Code(202) => "Accepted",
        Status::Code(203) => "NonAuthoritativeInformation",
        Status::Code(204) => "NoContent",
        Status::Code(205) => "ResetContent",
        Status::Code(206) => "PartialContent",
        _ => "Success",
    }
}

/// The `Accept` header: the chosen version's success media type (JSON first), else the request body's
/// version as JSON, else plain JSON.
fn accept(selected: &Selected) -> String {
    let statuses = selected.success_contents();
    let contents: Vec<&Content> = statuses.iter().filter_map(|(_, c)| *c).collect();
    if let Some(content) = contents.iter().find(|c| c.media.is_json()).or(contents.first()) {
        return content.media.essence.clone();
    }
    if let Some(content) = selected.body_content()
        && content.media.is_json()
    {
        return content.media.essence.clone();
    }
    "application/json".to_owned()
}

fn method_docs(selected: &Selected, accept: &str) -> Vec<String> {
    let operation = selected.operation;
    let docs = &operation.docs;
    let mut lines = Vec::new();
    let paragraph = |lines: &mut Vec<String>, text: &str| {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(text.trim().lines().map(|l| l.trim_end().to_owned()));
    };
    match (&docs.summary, &docs.description) {
        (Some(summary), description) => {
            paragraph(&mut lines, &ensure_period(summary));
            if let Some(description) = description {
                paragraph(&mut lines, description);
            }
        }
        (None, Some(description)) => paragraph(&mut lines, description),
        (None, None) => paragraph(&mut lines, &format!("Calls `{}`.", operation.operation_id)),
    }
    if !docs.roles.is_empty() {
        paragraph(&mut lines, &format!("Required roles: {}.", docs.roles.join(", ")));
    }
    if let Some((description, url)) = &docs.external {
        let text = description.as_deref().unwrap_or("More");
        paragraph(&mut lines, &format!("See also: [{text}](<{url}>)."));
    }
    lines.push(String::new());
    lines.push(format!(
        "- Request: `{} {}` (operationId `{}`), `Accept: {accept}`",
        operation.method, operation.path, operation.operation_id
    ));
    let statuses: Vec<String> = operation.responses.iter().map(|r| r.status.label()).collect();
    lines.push(format!("- Documented answers: {}", statuses.join(", ")));
    let versions: Vec<String> = super::versions::offered(operation).iter().map(|v| v.label().to_owned()).collect();
    if !versions.is_empty() {
        let chosen = selected.version.as_ref().map_or("none", |v| v.label());
        lines.push(format!("- API versions offered: {} (this client sends {chosen})", versions.join(", ")));
    }
    if selected.version == Some(Version::Preview) {
        lines.push("- A preview version: it may change or go away without notice.".to_owned());
    }
    let sunset = operation
        .responses
        .iter()
        .flat_map(|r| &r.contents)
        .find(|c| c.media.version == selected.version && c.sunset.is_some())
        .and_then(|c| c.sunset.clone());
    if let Some(sunset) = sunset {
        lines.push(format!("- The version sent is announced to sunset on {sunset}."));
    }
    if !operation.security.is_empty() {
        let kinds: Vec<&str> = operation.security.iter().map(|k| security_name(*k)).collect();
        lines.push(format!("- Accepted credentials: {}", kinds.join(", ")));
    }
    if docs.deprecated {
        lines.push(String::new());
        lines.push("Deprecated in the API spec.".to_owned());
    }
    lines
}

fn security_name(kind: SecurityKind) -> &'static str {
    match kind {
        SecurityKind::HttpDigest => "HTTP Digest",
        SecurityKind::HttpBasic => "HTTP Basic",
        SecurityKind::HttpBearer => "bearer token",
        SecurityKind::OAuth2ClientCredentials => "OAuth 2.0 client credentials",
    }
}

fn ensure_period(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '!', '?']) { text.to_owned() } else { format!("{text}.") }
}
