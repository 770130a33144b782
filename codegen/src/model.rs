//! The facts of an API, as lowering reads them from the spec: what the spec says, before any decision about
//! Rust. Operations keep every parameter, body, status and media type (with its version); schemas form a
//! graph (an arena of nodes linked by [`SchemaId`]) that keeps `required`, `nullable`, `readOnly` and the
//! composition keywords as written. [`crate::shape`] decides the Rust form from these facts.

use serde_json::Value;

use crate::spec::media::MediaType;

/// The whole API.
#[derive(Debug, Default)]
pub(crate) struct Api {
    /// The spec's `info.title`.
    pub title: String,
    /// The spec's `info.version`.
    pub version: String,
    /// The document's `x-pinned-version` (a date): each operation uses its newest version not after it.
    pub pinned_version: Option<String>,
    /// Operations, in document order.
    pub operations: Vec<Operation>,
    /// Every schema the document holds or reaches.
    pub schemas: SchemaGraph,
}

/// One operation.
#[derive(Debug, Clone)]
pub(crate) struct Operation {
    pub operation_id: String,
    /// Where the operation object is.
    pub pointer: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// The path template as written.
    pub path: String,
    pub segments: Vec<Segment>,
    pub tags: Vec<String>,
    pub docs: Docs,
    pub params: Vec<Param>,
    pub request_body: Option<RequestBody>,
    /// Every documented status, in document order.
    pub responses: Vec<Response>,
    /// The credential kinds the operation accepts (the operation's requirements, else the document's);
    /// empty when it needs none.
    pub security: Vec<SecurityKind>,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    Literal(String),
    /// A path parameter, by its wire name.
    Param(String),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Location {
    Path,
    Query,
    Header,
}

/// One parameter, after `$ref`s and path-level parameters are resolved.
#[derive(Debug, Clone)]
pub(crate) struct Param {
    pub name: String,
    pub location: Location,
    pub required: bool,
    /// The spec's `style` (`form`, `spaceDelimited`, `pipeDelimited`, `simple`), when given.
    pub style: Option<String>,
    /// The spec's `explode`, when given.
    pub explode: Option<bool>,
    pub schema: SchemaId,
    pub description: Option<String>,
    pub pointer: String,
}

/// A request body.
#[derive(Debug, Clone)]
pub(crate) struct RequestBody {
    pub required: bool,
    pub description: Option<String>,
    pub contents: Vec<Content>,
}

/// A documented status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Status {
    Code(u16),
    /// `2XX` and the like: the first digit.
    Range(u16),
    Default,
}

impl Status {
    pub(crate) fn is_success(self) -> bool {
        match self {
            Status::Code(code) => (200..300).contains(&code),
            Status::Range(range) => range == 2,
            Status::Default => false,
        }
    }

    pub(crate) fn label(self) -> String {
        match self {
            Status::Code(code) => code.to_string(),
            Status::Range(range) => format!("{range}XX"),
            Status::Default => "default".to_owned(),
        }
    }
}

/// One documented answer.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    pub status: Status,
    pub contents: Vec<Content>,
    pub headers: Vec<Header>,
}

/// One media type of a body, with its schema.
#[derive(Debug, Clone)]
pub(crate) struct Content {
    pub media: MediaType,
    /// `None`: the media type is declared without a schema (the answer has no body to decode).
    pub schema: Option<SchemaId>,
    /// The version's `x-sunset` date, when announced.
    pub sunset: Option<String>,
    pub pointer: String,
}

/// A documented response header.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    pub name: String,
    pub schema: Option<SchemaId>,
    pub description: Option<String>,
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

/// A credential kind an operation accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum SecurityKind {
    HttpDigest,
    HttpBasic,
    HttpBearer,
    OAuth2ClientCredentials,
}

/// An index into [`SchemaGraph::nodes`].
pub(crate) type SchemaId = usize;

/// Every schema of the document, component and inline, each once.
#[derive(Debug, Default)]
pub(crate) struct SchemaGraph {
    pub nodes: Vec<Schema>,
}

impl SchemaGraph {
    pub(crate) fn get(&self, id: SchemaId) -> &Schema {
        &self.nodes[id]
    }
}

/// The JSON type a schema's `type` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonType {
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Object,
}

/// What `additionalProperties` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Additional {
    /// Not written.
    #[default]
    Unspecified,
    /// `true` or `{}`: any values.
    Any,
    /// `false`.
    Forbidden,
    Schema(SchemaId),
}

/// A discriminator: the property that names the variant, and which schema each of its values means.
#[derive(Debug, Clone)]
pub(crate) struct Discriminator {
    pub property: String,
    pub mapping: Vec<(String, SchemaId)>,
}

/// One schema object, as written.
#[derive(Debug, Clone, Default)]
pub(crate) struct Schema {
    pub pointer: String,
    /// The name under `components.schemas`, for component schemas.
    pub component: Option<String>,
    /// A `$ref` schema: the schema it names (OpenAPI 3.0 ignores a `$ref`'s siblings but `description`).
    pub reference: Option<SchemaId>,
    pub json_type: Option<JsonType>,
    pub format: Option<String>,
    pub nullable: bool,
    pub read_only: bool,
    pub write_only: bool,
    pub deprecated: bool,
    pub description: Option<String>,
    pub default: Option<Value>,
    /// `enum`, when written (`null` entries dropped: they only repeat `nullable`).
    pub enum_values: Option<Vec<Value>>,
    pub properties: Vec<(String, SchemaId)>,
    pub required: Vec<String>,
    pub additional: Additional,
    pub items: Option<SchemaId>,
    pub all_of: Vec<SchemaId>,
    pub one_of: Vec<SchemaId>,
    pub any_of: Vec<SchemaId>,
    pub discriminator: Option<Discriminator>,
    pub pattern: Option<String>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    /// `x-sensitive: true`: the value is a secret.
    pub sensitive: bool,
}
