//! The generator's own model of an API: what lowering produces and emission consumes.
//!
//! Nothing here mentions openapiv3; names are already Rust identifiers, and every collection is ordered so
//! that emission is deterministic.

use std::collections::BTreeMap;

/// The whole API.
#[derive(Debug, Default)]
pub(crate) struct Api {
    /// The spec's `info.title`.
    pub title: String,
    /// The spec's `info.version`.
    pub version: String,
    /// Validated id newtypes, by Rust type name.
    pub ids: BTreeMap<String, IdType>,
    /// Named data types (component schemas and named inline schemas), by Rust type name.
    pub types: BTreeMap<String, TypeDef>,
    /// Operations, ordered by method name.
    pub operations: BTreeMap<String, Operation>,
    /// The type error bodies decode into, shared by all operations.
    pub error_body: TypeRef,
}

/// A string id constrained by a pattern: `OrgId`, `GroupId`, ...
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IdType {
    pub name: String,
    pub pattern: String,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub description: Option<String>,
    /// Where it was first defined, for clash diagnostics.
    pub pointer: String,
}

/// A named data type.
#[derive(Debug, Clone)]
pub(crate) struct TypeDef {
    pub name: String,
    pub docs: Docs,
    pub kind: TypeDefKind,
}

#[derive(Debug, Clone)]
pub(crate) enum TypeDefKind {
    /// An object with known properties.
    Struct { fields: Vec<Field> },
    /// A string with a closed set of values.
    StringEnum { variants: Vec<EnumVariant> },
    /// Another name for a type (a component schema that is an array, a scalar, a free-form object).
    Alias(TypeRef),
}

#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub rust_name: String,
    pub wire_name: String,
    pub ty: TypeRef,
    /// Required and not nullable: the only case where the field is not an `Option`.
    pub always_present: bool,
    pub docs: Docs,
}

#[derive(Debug, Clone)]
pub(crate) struct EnumVariant {
    pub rust_name: String,
    pub wire_name: String,
}

/// A reference to a type in generated code.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum TypeRef {
    /// A named data type (`types` module).
    Named(String),
    /// A validated id (`ids` module).
    Id(String),
    String,
    Integer(IntegerWidth),
    Number,
    Boolean,
    Array(Box<TypeRef>),
    /// A JSON object with free-form keys.
    Map(Box<TypeRef>),
    /// Any JSON value.
    #[default]
    Any,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum IntegerWidth {
    I32,
    I64,
}

/// Documentation gathered from summary, description, externalDocs and vendor extensions.
#[derive(Debug, Clone, Default)]
pub(crate) struct Docs {
    pub summary: Option<String>,
    pub description: Option<String>,
    pub external: Option<(Option<String>, String)>,
    pub roles: Vec<String>,
    pub deprecated: bool,
}

/// One operation.
#[derive(Debug, Clone)]
pub(crate) struct Operation {
    pub operation_id: String,
    /// snake_case method on the client.
    pub method_name: String,
    /// UpperCamelCase name of the request builder.
    pub type_name: String,
    /// Upper-case HTTP method.
    pub http_method: String,
    /// The path template as written in the spec.
    pub path: String,
    pub path_parts: Vec<PathPart>,
    pub docs: Docs,
    /// Required parameters, in spec order: arguments of the client method.
    pub required_params: Vec<Param>,
    /// Optional parameters, in spec order: builder methods.
    pub optional_params: Vec<Param>,
    /// The `Accept` header.
    pub accept: String,
    /// Every media-type version the operation's success responses offer, oldest first.
    pub versions: Vec<String>,
    pub success: Success,
    /// Documented statuses, for docs.
    pub documented_statuses: Vec<String>,
    pub security: Vec<SecurityKind>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PathPart {
    Literal(String),
    /// A path parameter, by its Rust name.
    Param(String),
}

#[derive(Debug, Clone)]
pub(crate) struct Param {
    pub wire_name: String,
    pub rust_name: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub docs: Docs,
    /// The spec's default, shown in docs.
    pub default: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamLocation {
    Path,
    Query,
}

/// What a successful answer carries.
#[derive(Debug, Clone, Default)]
pub(crate) struct Success {
    /// The body type; `None` means no body.
    pub body: Option<TypeRef>,
    /// Documented headers of the success answers.
    pub headers: Vec<HeaderField>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeaderField {
    pub wire_name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    pub description: Option<String>,
}

/// A credential kind an operation accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum SecurityKind {
    HttpDigest,
    HttpBasic,
    HttpBearer,
    OAuth2ClientCredentials,
}
