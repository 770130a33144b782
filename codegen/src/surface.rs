//! The public API of the client a spec generates, item by item, read from the plan (no source is emitted or
//! formatted, so both sides of a 540-operation spec diff are described in a fraction of a second).
//!
//! Each item has a stable key (`fn Client::list_org_api_keys`, `field types::ApiKey::id`), the signature a
//! program built against the client depends on, and the place in the spec it comes from. Signatures are
//! spelled from the same plan types [`crate::emit`] writes the code from (the borrowing of arguments is
//! one rule, [`Ty::is_borrowed_argument`]); `codegen/tests/client_api.rs` holds the item keys against the
//! emitted source of every golden spec.

use std::collections::{BTreeMap, BTreeSet};

use crate::naming::ident;
use crate::plan::{BodyKind, OpDef, Plan, Presence, Success, Ty, TypeDef, TypeKind, UnionVariant};
use crate::spec::pointer;

/// The public API of one generated client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientApi {
    /// Every public item by its key.
    pub items: BTreeMap<String, ApiItem>,
    /// What each operation's request sends, by (HTTP method in upper case, path template).
    pub operations: BTreeMap<(String, String), OperationApi>,
    /// Every cargo feature of the client (empty without features): an item compiled always is compiled
    /// under any of them.
    pub features: BTreeSet<String>,
    /// The operations (`METHOD /path`) whose parameters, bodies or answers reach each type (`types::X`): a
    /// change to a type is a change to them.
    pub reached_by: BTreeMap<String, BTreeSet<(String, String)>>,
}

/// One public item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiItem {
    /// What a program depends on, as Rust (`fn(&self, org_id: &ids::OrgId) -> operations::DeleteOrgApiKey`).
    pub signature: String,
    /// The JSON pointer of what the item is made from (an operation, a schema); empty for an item the record
    /// keeps and the spec no longer has.
    pub pointer: String,
    /// The operationId it belongs to, for items of one operation.
    pub operation: Option<String>,
    /// The cargo features it is compiled under, any of which enables it (`None`: always compiled).
    pub features: Option<BTreeSet<String>>,
    /// No longer in the spec: kept from the record (a member kept this way is `#[deprecated]`).
    pub kept: bool,
}

/// What one operation's request sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationApi {
    /// The operationId.
    pub operation_id: String,
    /// The client method (`delete_org_api_key`).
    pub method: String,
    /// The `Accept` header it sends (the media type of the version it was generated for).
    pub accept: String,
    /// The API version it sends, when its media types carry one.
    pub version: Option<String>,
    /// Dated versions newer than the one it sends, offered but not adopted.
    pub newer_versions: Vec<String>,
    /// The `Content-Type` of its body, when it has one.
    pub content_type: Option<String>,
    /// The JSON pointer of the operation.
    pub pointer: String,
}

/// Lists the public items of the client `plan` describes.
pub(crate) fn describe(plan: &Plan) -> ClientApi {
    let mut api = ClientApi::default();
    let sp = Speller::new(plan);
    if plan.features {
        api.features = plan.modules.iter().map(|m| m.feature.clone()).collect();
    }
    let first_use: BTreeMap<&str, String> =
        plan.operations.iter().map(|op| (op.operation_id.as_str(), operation_pointer(op))).collect();
    for id in &plan.ids {
        let at = id.first_user.as_deref().and_then(|user| first_use.get(user)).cloned().unwrap_or_default();
        let item = api.add(format!("struct ids::{}", id.name), "struct(String)".to_owned(), &at, None);
        item.features = features(plan, &id.cfg);
    }
    for def in &plan.types {
        let mut part = ClientApi::default();
        type_items(&mut part, &sp, def);
        let features = features(plan, &def.cfg).or_else(|| home_feature(plan, def.home));
        for item in part.items.values_mut() {
            item.features.clone_from(&features);
            item.kept |= def.kept;
        }
        api.items.append(&mut part.items);
    }
    headers_items(&mut api, &sp, plan);
    api.reached_by = reached_by(plan);
    // The error every operation returns: one error schema shared by all, or JSON when they disagree, so
    // one new error schema anywhere changes it for every operation.
    let error_at = match &plan.error_body {
        Ty::Named(name) => plan.types.iter().find(|def| &def.name == name).map(|def| def.pointer.clone()),
        _ => None,
    };
    let error_at = error_at.unwrap_or_else(|| "/paths".to_owned());
    api.add("type Error".to_owned(), format!("= Error<{}>", sp.ty(&plan.error_body)), &error_at, None);
    for op in &plan.operations {
        let module = &plan.modules[op.module];
        let mut part = ClientApi::default();
        operation_items(&mut part, &sp, op, &module.name, &plan.headers.name);
        if plan.features {
            let feature = Some(BTreeSet::from([module.feature.clone()]));
            for item in part.items.values_mut() {
                item.features.clone_from(&feature);
            }
        }
        api.items.append(&mut part.items);
        api.operations.append(&mut part.operations);
    }
    api
}

/// The cargo features an item is compiled under: moving an item to another feature breaks a user who
/// enables only the old one.
fn features(plan: &Plan, cfg: &crate::plan::Cfg) -> Option<BTreeSet<String>> {
    match cfg {
        Some(modules) if plan.features => Some(modules.iter().map(|m| plan.modules[*m].feature.clone()).collect()),
        _ => None,
    }
}

/// A type in a module's own file is compiled with that module's feature.
fn home_feature(plan: &Plan, home: Option<usize>) -> Option<BTreeSet<String>> {
    let module = &plan.modules[home?];
    plan.features.then(|| BTreeSet::from([module.feature.clone()]))
}

impl ClientApi {
    fn add(&mut self, key: String, signature: String, pointer: &str, operation: Option<&str>) -> &mut ApiItem {
        let item = ApiItem {
            signature,
            pointer: pointer.to_owned(),
            operation: operation.map(str::to_owned),
            features: None,
            kept: false,
        };
        self.items.insert(key.clone(), item);
        self.items.get_mut(&key).expect("just inserted")
    }
}

/// Which operations reach each type.
fn reached_by(plan: &Plan) -> BTreeMap<String, BTreeSet<(String, String)>> {
    let index: BTreeMap<&str, &TypeDef> = plan.types.iter().map(|def| (def.name.as_str(), def)).collect();
    let mut out: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    for op in &plan.operations {
        let key = (op.http_method.to_ascii_uppercase(), op.path.clone());
        let mut stack = crate::shape::op_types(op);
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        while let Some(ty) = stack.pop() {
            let mut names = Vec::new();
            ty.named(false, &mut names);
            for name in names {
                let Some((name, def)) = index.get_key_value(name.as_str()) else { continue };
                if seen.insert(name) {
                    out.entry(format!("types::{name}")).or_default().insert(key.clone());
                    stack.extend(crate::shape::referenced(&def.kind));
                }
            }
        }
    }
    out
}

/// The one headers struct and its fields.
fn headers_items(api: &mut ClientApi, sp: &Speller, plan: &Plan) {
    let path = format!("operations::{}", plan.headers.name);
    api.add(format!("struct {path}"), "struct (Default)".to_owned(), "/paths", None);
    for header in &plan.headers.fields {
        let item = api.add(
            format!("field {path}::{}", rust(&header.rust_name)),
            format!("Option<{}>", sp.ty(&header.ty)),
            "/paths",
            None,
        );
        item.kept = header.kept;
    }
}

fn operation_pointer(op: &OpDef) -> String {
    pointer::from_tokens(&["paths", &op.path, &op.http_method.to_ascii_lowercase()])
}

/// A name as Rust spells it (`r#type` for the property `type`).
fn rust(name: &str) -> String {
    ident(name).to_string()
}

/// Spells types as a user writes them. A type alias is spelled as what it names: `type Fields =
/// BTreeMap<String, Value>` and the map it names are one type to Rust, so a field that moves from one to
/// the other has not changed.
struct Speller<'a> {
    aliases: BTreeMap<&'a str, &'a Ty>,
}

impl<'a> Speller<'a> {
    fn new(plan: &'a Plan) -> Self {
        let aliases = plan
            .types
            .iter()
            .filter_map(|def| match &def.kind {
                TypeKind::Alias(target) => Some((def.name.as_str(), target)),
                _ => None,
            })
            .collect();
        Speller { aliases }
    }

    /// A type as a user writes it, from the generated root (`types::ApiKey`, `Vec<ids::OrgId>`): the paths
    /// the emitter's `type_tokens` writes, spelled for people, aliases seen through.
    fn ty(&self, ty: &Ty) -> String {
        self.spell(ty, 0)
    }

    fn spell(&self, ty: &Ty, depth: usize) -> String {
        match ty {
            // Aliases are never cyclic (a cycle becomes a newtype); the bound is a backstop.
            Ty::Named(name) if depth < 64 && self.aliases.contains_key(name.as_str()) => {
                self.spell(self.aliases[name.as_str()], depth + 1)
            }
            Ty::Vec(item) => format!("Vec<{}>", self.spell(item, depth + 1)),
            Ty::Map(value) => format!("BTreeMap<String, {}>", self.spell(value, depth + 1)),
            Ty::Boxed(inner) => format!("Box<{}>", self.spell(inner, depth + 1)),
            other => plain(other),
        }
    }

    /// How a method takes an argument of `ty`: ids and strings borrowed, as the emitter writes them.
    fn argument(&self, ty: &Ty) -> String {
        match ty {
            Ty::String => "&str".to_owned(),
            borrowed if borrowed.is_borrowed_argument() => format!("&{}", self.ty(borrowed)),
            other => self.ty(other),
        }
    }

    fn body_type(&self, kind: &BodyKind) -> String {
        match kind {
            BodyKind::Empty => "()".to_owned(),
            BodyKind::Json(json) => self.ty(json),
            BodyKind::Bytes => "bytes::Bytes".to_owned(),
        }
    }
}

/// A type without aliases to see through, as a user writes it.
fn plain(ty: &Ty) -> String {
    match ty {
        Ty::Named(name) => format!("types::{name}"),
        Ty::Id(name) => format!("ids::{name}"),
        Ty::String => "String".to_owned(),
        Ty::I32 => "i32".to_owned(),
        Ty::I64 => "i64".to_owned(),
        Ty::F64 => "f64".to_owned(),
        Ty::Bool => "bool".to_owned(),
        Ty::Json => "serde_json::Value".to_owned(),
        Ty::Secret => "Secret".to_owned(),
        Ty::Bytes => "bytes::Bytes".to_owned(),
        Ty::Vec(item) => format!("Vec<{}>", plain(item)),
        Ty::Map(value) => format!("BTreeMap<String, {}>", plain(value)),
        Ty::Boxed(inner) => format!("Box<{}>", plain(inner)),
    }
}

fn type_items(api: &mut ClientApi, sp: &Speller, def: &TypeDef) {
    let path = format!("types::{}", def.name);
    let at = def.pointer.as_str();
    match &def.kind {
        TypeKind::Struct { fields, .. } => {
            let required: Vec<_> = fields.iter().filter(|f| f.presence != Presence::Optional).collect();
            let derives = if required.is_empty() { "struct (Default)" } else { "struct" };
            api.add(format!("struct {path}"), derives.to_owned(), at, None);
            for field in fields {
                let signature = match field.presence {
                    Presence::Required => sp.ty(&field.ty),
                    Presence::RequiredNullable | Presence::Optional => format!("Option<{}>", sp.ty(&field.ty)),
                };
                api.add(format!("field {path}::{}", rust(&field.rust_name)), signature, at, None).kept = field.kept;
            }
            if !required.is_empty() {
                let args: Vec<String> = required
                    .iter()
                    .map(|f| match f.presence {
                        Presence::RequiredNullable => format!("{}: Option<{}>", rust(&f.rust_name), sp.ty(&f.ty)),
                        _ => format!("{}: {}", rust(&f.rust_name), sp.ty(&f.ty)),
                    })
                    .collect();
                api.add(format!("fn {path}::new"), format!("fn({}) -> Self", args.join(", ")), at, None);
            }
        }
        TypeKind::Newtype(inner) => {
            api.add(format!("struct {path}"), format!("struct(pub {})", sp.ty(inner)), at, None);
        }
        TypeKind::Enum { variants, other } => {
            api.add(format!("enum {path}"), "enum".to_owned(), at, None);
            for variant in variants {
                let signature = format!("= {:?}", variant.wire_name);
                api.add(format!("variant {path}::{}", rust(&variant.rust_name)), signature, at, None).kept =
                    variant.kept;
            }
            api.add(format!("variant {path}::{}", rust(other)), "(String)".to_owned(), at, None);
        }
        // How a union is told apart (by a property or by shape) is decoding, not API: no part of the signature.
        TypeKind::Tagged { variants, unknown, .. } => {
            api.add(format!("enum {path}"), "enum".to_owned(), at, None);
            union_items(api, sp, &path, at, variants, unknown);
        }
        TypeKind::Untagged { variants, unknown } => {
            api.add(format!("enum {path}"), "enum".to_owned(), at, None);
            union_items(api, sp, &path, at, variants, unknown);
        }
        TypeKind::Alias(target) => {
            api.add(format!("type {path}"), format!("= {}", sp.ty(target)), at, None);
        }
    }
}

fn union_items(api: &mut ClientApi, sp: &Speller, path: &str, at: &str, variants: &[UnionVariant], unknown: &str) {
    for variant in variants {
        let key = format!("variant {path}::{}", rust(&variant.name));
        api.add(key, format!("({})", sp.ty(&variant.ty)), at, None).kept = variant.kept;
    }
    api.add(format!("variant {path}::{}", rust(unknown)), "(serde_json::Value)".to_owned(), at, None);
}

fn operation_items(api: &mut ClientApi, sp: &Speller, op: &OpDef, module: &str, headers_name: &str) {
    let at = operation_pointer(op);
    let id = Some(op.operation_id.as_str());
    let builder = format!("operations::{}", op.builder);
    // Each item of an operation is also at `operations::<tag>::`, under the tag's feature.
    let mut in_module = vec![op.builder.clone()];
    if let Success::PerStatus { answer, .. } = &op.success {
        in_module.push(answer.clone());
    }
    for name in in_module {
        api.add(format!("mod operations::{module}::{name}"), "pub use".to_owned(), &at, id);
    }
    let mut args: Vec<String> = vec!["&self".to_owned()];
    args.extend(op.args.iter().map(|p| format!("{}: {}", rust(&p.rust_name), sp.argument(&p.ty))));
    if let Some(body) = op.body.as_ref().filter(|body| body.required) {
        args.push(format!("{}: {}", rust(&body.rust_name), sp.ty(&body.ty)));
    }
    let signature = format!("fn({}) -> {builder}", args.join(", "));
    api.add(format!("fn Client::{}", rust(&op.method_name)), signature, &at, id);
    api.add(format!("struct {builder}"), "struct".to_owned(), &at, id);
    for option in &op.options {
        let signature = format!("fn(self, value: {}) -> Self", sp.argument(&option.ty));
        api.add(format!("fn {builder}::{}", rust(&option.rust_name)), signature, &at, id);
    }
    if let Some(body) = op.body.as_ref().filter(|body| !body.required) {
        let signature = format!("fn(self, value: {}) -> Self", sp.ty(&body.ty));
        api.add(format!("fn {builder}::{}", rust(&body.rust_name)), signature, &at, id);
    }
    let headers = format!("operations::{}", headers_name);
    let body = match &op.success {
        Success::Single(kind) => sp.body_type(kind),
        Success::PerStatus { answer, .. } => format!("operations::{answer}"),
    };
    let output = format!("Result<ApiResponse<{body}, {headers}>, Error>");
    api.add(format!("fn {builder}::send"), format!("async fn(self) -> {output}"), &at, id);
    api.add(format!("fn {builder}::decode"), format!("fn(RawResponse) -> {output}"), &at, id);
    if matches!(op.success, Success::Single(BodyKind::Bytes)) {
        let signature = format!("async fn(self) -> Result<ApiResponse<ByteStream, {headers}>, Error>");
        api.add(format!("fn {builder}::send_stream"), signature, &at, id);
    }
    if let Some(page) = &op.pagination {
        let signature = format!("Page = {body}, Item = {}", sp.ty(&page.item));
        api.add(format!("impl {builder}: Paginated"), signature, &at, id);
    }
    if let Success::PerStatus { answer, variants } = &op.success {
        let path = format!("operations::{answer}");
        api.add(format!("enum {path}"), "enum".to_owned(), &at, id);
        for variant in variants {
            let payload = match &variant.body {
                BodyKind::Empty => String::new(),
                other => format!("({})", sp.body_type(other)),
            };
            api.add(format!("variant {path}::{}", rust(&variant.name)), payload, &at, id);
        }
    }
    let content_type = op.body.as_ref().map(|body| body.content_type.clone());
    let sends = OperationApi {
        operation_id: op.operation_id.clone(),
        method: op.method_name.clone(),
        accept: op.accept.clone(),
        version: op.version.clone(),
        newer_versions: op.newer_versions.clone(),
        content_type,
        pointer: at,
    };
    api.operations.insert((op.http_method.to_ascii_uppercase(), op.path.clone()), sends);
}
