//! The Rust form of an API, every decision made: what [`crate::emit`] writes. [`crate::shape`] builds it
//! from [`crate::model`]'s facts. Names are Rust identifiers, documentation is lines of text, and every
//! list is in the order it is emitted.

use std::collections::BTreeSet;

use crate::model::SecurityKind;

/// The whole client.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    pub title: String,
    pub version: String,
    pub ids: Vec<IdDef>,
    pub types: Vec<TypeDef>,
    pub operations: Vec<OpDef>,
    /// One module (and, with features on, one cargo feature) per tag.
    pub modules: Vec<Module>,
    /// The type every error answer decodes into.
    pub error_body: Ty,
    /// Whether items are gated by per-module cargo features.
    pub features: bool,
    /// What generation left out, and why (operations a version pin excludes).
    pub notes: Vec<String>,
    /// The one struct of documented response headers, which every operation's answer carries.
    pub headers: HeadersDef,
}

/// The struct of documented response headers: one for the whole client, so an operation whose headers
/// become documented, or gain one, changes no type.
#[derive(Debug, Clone, Default)]
pub(crate) struct HeadersDef {
    pub name: String,
    pub fields: Vec<HeaderDef>,
}

/// A module of operations: one per tag.
#[derive(Debug, Clone)]
pub(crate) struct Module {
    /// The tag as the spec writes it.
    pub tag: String,
    /// The module's name (snake_case).
    pub name: String,
    /// Its cargo feature (kebab-case).
    pub feature: String,
    pub docs: Vec<String>,
}

/// The cargo features an item is compiled under: `None` always, else any of these modules' features.
pub(crate) type Cfg = Option<BTreeSet<usize>>;

/// A type in generated code.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Ty {
    /// A declared type, by name (`types` module).
    Named(String),
    /// A validated id (`ids` module).
    Id(String),
    String,
    I32,
    I64,
    F64,
    Bool,
    /// Any JSON value.
    #[default]
    Json,
    /// A secret string, redacted in `Debug`.
    Secret,
    /// Raw bytes (a non-JSON body).
    Bytes,
    Vec(Box<Ty>),
    Map(Box<Ty>),
    /// A heap indirection that breaks a recursive type.
    Boxed(Box<Ty>),
}

impl Ty {
    /// The declared types this type names, outside `Vec`/`Map`/`Box` or inside them (`direct` only: the ones
    /// whose size it contains).
    pub(crate) fn named(&self, direct: bool, out: &mut Vec<String>) {
        let mut current = self;
        loop {
            match current {
                Ty::Named(name) => {
                    out.push(name.clone());
                    return;
                }
                Ty::Vec(inner) | Ty::Map(inner) | Ty::Boxed(inner) if !direct => current = inner,
                _ => return,
            }
        }
    }
}

impl Ty {
    /// Whether a method takes this type by reference (`&OrgId`, `&str`) rather than by value: required
    /// arguments and setters borrow ids and strings, the builder stores an owned copy.
    pub(crate) fn is_borrowed_argument(&self) -> bool {
        matches!(self, Ty::Id(_) | Ty::String)
    }
}

/// A validated id newtype.
#[derive(Debug, Clone)]
pub(crate) struct IdDef {
    pub name: String,
    /// The parameter it is named after, and the spec's pattern: with the lengths, what identifies it.
    pub param: String,
    pub pattern: String,
    /// The pattern the value is checked against (the spec's, or a weaker form of it).
    pub checked_pattern: Option<String>,
    /// How that pattern is checked.
    pub check: crate::id_pattern::IdCheck,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub docs: Vec<String>,
    pub cfg: Cfg,
    /// The operationId of the first operation that takes it.
    pub first_user: Option<String>,
}

/// A declared data type.
#[derive(Debug, Clone)]
pub(crate) struct TypeDef {
    pub name: String,
    pub docs: Vec<String>,
    pub kind: TypeKind,
    pub cfg: Cfg,
    /// The one module whose operations reach it (its file is `types/<module>.rs`); `None` for a type
    /// several modules share (`types/common.rs`).
    pub home: Option<usize>,
    /// The schema it is made from (a JSON pointer).
    pub pointer: String,
    /// What identifies it in the record: the place of its schema (`schemas/ApiKey`), and ` (request)` for the
    /// request form of a schema whose two forms are both used.
    pub key: String,
    /// Which way its values travel.
    pub travels: Travel,
    /// No longer in the spec: kept from the record, so code that names it still compiles.
    pub kept: bool,
}

/// Which way a type's values travel: a type with one form may be reached by answers only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Travel {
    Requests,
    Answers,
    Both,
}

/// Which way a struct's values travel, which decides how strict it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Form {
    /// Sent: required properties are plain fields, read-only ones absent.
    Request,
    /// Received: every property optional.
    Response,
    /// Both forms are the same.
    Both,
}

#[derive(Debug, Clone)]
pub(crate) enum TypeKind {
    Struct {
        fields: Vec<FieldDef>,
        /// How an untagged union recognises the struct, when one must.
        shape: Option<ObjectShape>,
    },
    /// A transparent wrapper (a type alias that would be recursive).
    Newtype(Ty),
    /// An open string enum.
    Enum {
        variants: Vec<EnumVariant>,
        other: String,
    },
    /// A union told apart by a property's value.
    Tagged {
        property: String,
        variants: Vec<UnionVariant>,
        unknown: String,
        /// How an untagged union recognises it, when one must (from the schema's own properties).
        shape: Option<ObjectShape>,
    },
    /// A union told apart by shape.
    Untagged {
        variants: Vec<UnionVariant>,
        unknown: String,
    },
    Alias(Ty),
}

impl TypeKind {
    /// The types a type is made of, by value (its fields' types, its variants' payloads, what it aliases or
    /// wraps).
    pub(crate) fn tys(&self) -> Vec<&Ty> {
        match self {
            TypeKind::Struct { fields, .. } => fields.iter().map(|f| &f.ty).collect(),
            TypeKind::Tagged { variants, .. } | TypeKind::Untagged { variants, .. } => {
                variants.iter().map(|v| &v.ty).collect()
            }
            TypeKind::Newtype(ty) | TypeKind::Alias(ty) => vec![ty],
            TypeKind::Enum { .. } => Vec::new(),
        }
    }

    /// [`Self::tys`], to change them (boxing, renaming).
    pub(crate) fn tys_mut(&mut self) -> Vec<&mut Ty> {
        match self {
            TypeKind::Struct { fields, .. } => fields.iter_mut().map(|f| &mut f.ty).collect(),
            TypeKind::Tagged { variants, .. } | TypeKind::Untagged { variants, .. } => {
                variants.iter_mut().map(|v| &mut v.ty).collect()
            }
            TypeKind::Newtype(ty) | TypeKind::Alias(ty) => vec![ty],
            TypeKind::Enum { .. } => Vec::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct FieldDef {
    pub rust_name: String,
    pub wire_name: String,
    pub ty: Ty,
    pub presence: Presence,
    pub docs: Vec<String>,
    /// No longer in the spec: kept from the record, deprecated.
    pub kept: bool,
}

/// What an untagged union knows of a struct variant: its property names, the required ones, and the
/// values its enum properties allow (an object whose value is not listed is not this variant).
#[derive(Debug, Clone, Default)]
pub(crate) struct ObjectShape {
    pub properties: Vec<String>,
    pub required: Vec<String>,
    pub enums: Vec<(String, Vec<String>)>,
}

/// How a field is present in its struct.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Presence {
    /// Always there: a plain field.
    Required,
    /// Always there, but may be `null`: an `Option` that is sent as `null` when `None`.
    RequiredNullable,
    /// May be absent: an `Option` left out when `None`.
    Optional,
}

#[derive(Debug, Clone)]
pub(crate) struct EnumVariant {
    pub rust_name: String,
    pub wire_name: String,
    /// No longer in the spec: kept from the record, deprecated.
    pub kept: bool,
}

/// The JSON kind an untagged variant accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonKind {
    /// An object of a declared struct, recognised by its properties.
    Object,
    /// Any object.
    Map,
    Array,
    String,
    Integer,
    Number,
    Boolean,
    Any,
}

impl JsonKind {
    const ALL: [JsonKind; 8] = [
        JsonKind::Object,
        JsonKind::Map,
        JsonKind::Array,
        JsonKind::String,
        JsonKind::Integer,
        JsonKind::Number,
        JsonKind::Boolean,
        JsonKind::Any,
    ];

    /// The kind as one word (`object`, `string`, ...): how the runtime's union macro and the record name it.
    pub(crate) fn word(self) -> &'static str {
        match self {
            JsonKind::Object => "object",
            JsonKind::Map => "map",
            JsonKind::Array => "array",
            JsonKind::String => "string",
            JsonKind::Integer => "integer",
            JsonKind::Number => "number",
            JsonKind::Boolean => "boolean",
            JsonKind::Any => "any",
        }
    }

    /// Reads what [`Self::word`] writes; anything else is [`JsonKind::Any`].
    pub(crate) fn from_word(word: &str) -> JsonKind {
        JsonKind::ALL.into_iter().find(|kind| kind.word() == word).unwrap_or(JsonKind::Any)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct UnionVariant {
    pub name: String,
    pub ty: Ty,
    /// Tagged unions: the discriminator values that mean this variant.
    pub tags: Vec<String>,
    /// Untagged unions: what JSON it accepts.
    pub kind: JsonKind,
    /// No longer in the spec: kept from the record, deprecated.
    pub kept: bool,
}

/// One operation: a client method and its request builder.
#[derive(Debug, Clone)]
pub(crate) struct OpDef {
    /// What identifies it in the record ([`crate::record::operation_key`]).
    pub key: String,
    pub operation_id: String,
    pub method_name: String,
    pub builder: String,
    /// Index into [`Plan::modules`].
    pub module: usize,
    pub http_method: String,
    pub path: String,
    pub segments: Vec<PathPiece>,
    pub docs: Vec<String>,
    pub deprecated: bool,
    /// Required parameters: arguments of the client method, in this order.
    pub args: Vec<ParamDef>,
    /// Optional parameters: builder methods.
    pub options: Vec<ParamDef>,
    pub body: Option<BodyDef>,
    pub accept: String,
    /// The API version it sends (its label), when its media types carry one.
    pub version: Option<String>,
    /// Dated versions newer than the one it sends, which it offers but has not adopted.
    pub newer_versions: Vec<String>,
    pub success: Success,
    pub security: Vec<SecurityKind>,
    pub pagination: Option<PageDef>,
}

#[derive(Debug, Clone)]
pub(crate) enum PathPiece {
    Literal(String),
    /// A path parameter, by its Rust name.
    Param(String),
}

/// Where a parameter goes and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamPlace {
    Path,
    /// A query parameter; lists are repeated (`a=1&a=2`) unless joined by the given separator.
    Query {
        join: Option<char>,
    },
    Header,
}

#[derive(Debug, Clone)]
pub(crate) struct ParamDef {
    pub wire_name: String,
    pub rust_name: String,
    pub place: ParamPlace,
    pub ty: Ty,
    pub docs: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct BodyDef {
    pub required: bool,
    pub rust_name: String,
    /// `Ty::Bytes` for a non-JSON body.
    pub ty: Ty,
    pub content_type: String,
    pub docs: Vec<String>,
}

/// What a successful answer's body is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BodyKind {
    Empty,
    Json(Ty),
    Bytes,
}

/// What success looks like.
#[derive(Debug, Clone)]
pub(crate) enum Success {
    /// Every 2xx has the same body.
    Single(BodyKind),
    /// The 2xx answers differ: an enum with a variant per status.
    PerStatus { answer: String, variants: Vec<StatusVariant> },
}

#[derive(Debug, Clone)]
pub(crate) struct StatusVariant {
    /// `None` for a range (`2XX`).
    pub status: Option<u16>,
    pub name: String,
    pub body: BodyKind,
}

#[derive(Debug, Clone)]
pub(crate) struct HeaderDef {
    pub wire_name: String,
    pub rust_name: String,
    pub ty: Ty,
    pub docs: Vec<String>,
    /// No longer documented by any operation: kept from the record, deprecated.
    pub kept: bool,
}

/// How to walk a paginated list operation.
#[derive(Debug, Clone)]
pub(crate) struct PageDef {
    /// The builder field of the page number.
    pub page_field: String,
    /// The builder field of the page size.
    pub size_field: String,
    /// The body's list field, and the type of its items.
    pub items_field: String,
    pub item: Ty,
    /// The body's total-count field, when it has one.
    pub total_field: Option<String>,
    /// The type of the total count.
    pub total_ty: Ty,
    /// The type of the page number.
    pub page_ty: Ty,
}
