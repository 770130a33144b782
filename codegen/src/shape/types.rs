//! Rust types for schemas, by direction: a schema reached by answers gets a response type (every property
//! optional), one reached by requests a request type (required properties plain, read-only ones absent);
//! one type serves both when the two forms are the same. Named types are allocated on demand and defined
//! from a queue, so a chain of `$ref`s of any length is a loop, not a recursion.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::rc::Rc;

use super::classify::{Classifier, Prop, Shape};
use super::place::Places;
use super::remembered::Remembered;
use crate::diagnostics::Diagnostics;
use crate::model::{SchemaGraph, SchemaId};
use crate::naming::{Namer, pascal, snake, variant};
use crate::plan::{
    EnumVariant, FieldDef, Form, JsonKind, ObjectShape, Presence, Travel, Ty, TypeDef, TypeKind, UnionVariant,
};
use crate::spec::limits::MAX_LISTED_VALUES;

/// Which way a value travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Dir {
    Request,
    Response,
}

/// Builds the `types` module.
pub(crate) struct TypeBuilder<'a> {
    pub classifier: Classifier<'a>,
    graph: &'a SchemaGraph,
    places: &'a Places,
    remembered: &'a Remembered<'a>,
    /// Schemas whose request and response forms differ.
    asym: HashSet<SchemaId>,
    /// Schemas whose two different forms are both used (the request form gets `Request`).
    both_forms_used: HashSet<SchemaId>,
    /// Every schema the operations reach, with the direction it travels.
    reached: HashSet<(SchemaId, Dir)>,
    namer: Namer,
    reserved: HashMap<SchemaId, String>,
    allocated: HashMap<(SchemaId, Form), String>,
    by_name: HashMap<String, SchemaId>,
    queue: VecDeque<(SchemaId, Form, String)>,
    defs: BTreeMap<String, TypeDef>,
    /// Struct name → its properties (and a tagged union's tag), for untagged unions that must recognise
    /// it. The shape itself is made only for the structs a union has: it copies each enum property's
    /// values, so making it for every struct cost properties × values.
    object_shapes: HashMap<String, PendingShape>,
    needs_shape: HashSet<String>,
    pub diagnostics: Diagnostics,
    reported_cycles: HashSet<SchemaId>,
    /// Schemas some `$ref` names: each gets a declared type, so reaching one again is a name, never a
    /// recursion (a `$ref` can point back into the schema that holds it).
    ref_targets: HashSet<SchemaId>,
    /// How deep [`Self::structural`] is nested; inline nesting is bounded by the document's, this is a
    /// backstop.
    depth: usize,
}

/// The deepest inline nesting followed before a type is given up as any JSON (with a located error).
const MAX_INLINE_DEPTH: usize = 300;

impl<'a> TypeBuilder<'a> {
    pub(crate) fn new(graph: &'a SchemaGraph, file: &str, places: &'a Places, remembered: &'a Remembered<'a>) -> Self {
        let mut namer = Namer::for_items();
        namer.reserve(remembered.type_names());
        TypeBuilder {
            classifier: Classifier::new(graph),
            graph,
            places,
            remembered,
            asym: HashSet::new(),
            both_forms_used: HashSet::new(),
            reached: HashSet::new(),
            namer,
            reserved: HashMap::new(),
            allocated: HashMap::new(),
            by_name: HashMap::new(),
            queue: VecDeque::new(),
            defs: BTreeMap::new(),
            object_shapes: HashMap::new(),
            needs_shape: HashSet::new(),
            diagnostics: Diagnostics::new(file),
            reported_cycles: HashSet::new(),
            ref_targets: graph.nodes.iter().filter_map(|node| node.reference).collect(),
            depth: 0,
        }
    }

    /// Works out, from every schema the operations reach and in which direction, which schemas have two
    /// forms and which names components get. Must run before [`Self::ty`].
    pub(crate) fn prepare(&mut self, roots: &[(SchemaId, Dir)]) {
        let mut reached: HashSet<(SchemaId, Dir)> = HashSet::new();
        let mut queue: Vec<(SchemaId, Dir)> = Vec::new();
        for root in roots {
            if reached.insert(*root) {
                queue.push(*root);
            }
        }
        let mut edges = Vec::new();
        while let Some((id, dir)) = queue.pop() {
            edges.clear();
            match self.classifier.shape(id) {
                // A request never carries read-only properties, so what only they reach is not sent.
                Shape::Struct(props) if dir == Dir::Request => {
                    edges.extend(props.iter().filter(|p| !p.read_only).map(|p| p.schema))
                }
                shape => shape.edges(&mut edges),
            }
            for next in &edges {
                if reached.insert((*next, dir)) {
                    queue.push((*next, dir));
                }
            }
        }
        // A schema's forms differ when it has required or read-only properties, or reaches one that does.
        let nodes: HashSet<SchemaId> = reached.iter().map(|(id, _)| *id).collect();
        let mut users: HashMap<SchemaId, Vec<SchemaId>> = HashMap::new();
        let mut pending = Vec::new();
        let mut sorted: Vec<SchemaId> = nodes.iter().copied().collect();
        sorted.sort_unstable();
        for id in &sorted {
            let shape = self.classifier.shape(*id);
            edges.clear();
            shape.edges(&mut edges);
            for next in &edges {
                users.entry(*next).or_default().push(*id);
            }
            if let Shape::Struct(props) = &shape
                && props.iter().any(|p| p.required || p.read_only)
                && self.asym.insert(*id)
            {
                pending.push(*id);
            }
        }
        while let Some(id) = pending.pop() {
            for user in users.get(&id).into_iter().flatten() {
                if self.asym.insert(*user) {
                    pending.push(*user);
                }
            }
        }
        // Component names are reserved first, in name order, so an inline type never takes one; a component
        // the record knows keeps its recorded name.
        let mut components: Vec<(String, SchemaId)> =
            sorted.iter().filter_map(|id| self.graph.get(*id).component.clone().map(|name| (name, *id))).collect();
        components.sort();
        for (name, id) in components {
            if matches!(self.classifier.shape(id), Shape::Alias(_)) {
                continue;
            }
            let key = self.places.of(&self.graph.get(id).pointer);
            let rust = match self.remembered.type_at(&key) {
                Some(recorded) => recorded.name.clone(),
                None => self.namer.claim(&pascal(&name)),
            };
            self.reserved.insert(id, rust);
        }
        for id in &sorted {
            if self.asym.contains(id)
                && reached.contains(&(*id, Dir::Request))
                && reached.contains(&(*id, Dir::Response))
            {
                self.both_forms_used.insert(*id);
            }
        }
        self.reached = reached;
    }

    fn form_for(&self, id: SchemaId, dir: Dir) -> Form {
        match (self.asym.contains(&id), dir) {
            (false, _) => Form::Both,
            (true, Dir::Request) => Form::Request,
            (true, Dir::Response) => Form::Response,
        }
    }

    /// The type of schema `id` travelling in `dir`; `hint` names an inline type that needs a declaration.
    pub(crate) fn ty(&mut self, id: SchemaId, dir: Dir, hint: &str) -> Ty {
        let target = match self.classifier.resolve(id) {
            Ok(target) => target,
            Err(at) => {
                if self.reported_cycles.insert(at) {
                    let pointer = self.graph.get(at).pointer.clone();
                    self.diagnostics.push(
                        pointer,
                        "this schema is defined only in terms of itself (a cycle of `$ref`s or one-branch \
                         compositions), so it has no type",
                    );
                }
                return Ty::Json;
            }
        };
        let shape = self.classifier.shape(target);
        let declared = matches!(shape, Shape::Struct(_) | Shape::Enum(_) | Shape::Tagged { .. } | Shape::Untagged(_));
        if declared || self.reserved.contains_key(&target) || self.ref_targets.contains(&target) {
            return self.named(target, dir, hint);
        }
        if self.depth >= MAX_INLINE_DEPTH {
            let pointer = self.graph.get(target).pointer.clone();
            self.diagnostics.push(pointer, format!("schemas nested more than {MAX_INLINE_DEPTH} deep inline"));
            return Ty::Json;
        }
        self.depth += 1;
        let ty = self.structural(&shape, dir, hint);
        self.depth -= 1;
        ty
    }

    /// The type of a shape that needs no declaration of its own.
    fn structural(&mut self, shape: &Shape, dir: Dir, hint: &str) -> Ty {
        match shape {
            Shape::Map(Some(values)) => Ty::Map(Box::new(self.ty(*values, dir, &format!("{hint}Value")))),
            Shape::Map(None) => Ty::Map(Box::new(Ty::Json)),
            Shape::Array(Some(items)) => Ty::Vec(Box::new(self.ty(*items, dir, &format!("{hint}Item")))),
            Shape::Array(None) => Ty::Vec(Box::new(Ty::Json)),
            Shape::String => Ty::String,
            Shape::Secret => Ty::Secret,
            Shape::Integer { wide: true } => Ty::I64,
            Shape::Integer { wide: false } => Ty::I32,
            Shape::Number => Ty::F64,
            Shape::Boolean => Ty::Bool,
            Shape::Any | Shape::Alias(_) => Ty::Json,
            Shape::Struct(_) | Shape::Enum(_) | Shape::Tagged { .. } | Shape::Untagged(_) => Ty::Json,
        }
    }

    fn named(&mut self, target: SchemaId, dir: Dir, hint: &str) -> Ty {
        let form = self.form_for(target, dir);
        if let Some(name) = self.allocated.get(&(target, form)) {
            return Ty::Named(name.clone());
        }
        let key = self.key(target, form);
        let recorded =
            self.remembered.type_at(&key).map(|r| r.name.clone()).filter(|name| !self.by_name.contains_key(name));
        let name = match self.reserved.get(&target) {
            _ if recorded.is_some() => recorded.unwrap_or_default(),
            Some(base) if form == Form::Request && self.both_forms_used.contains(&target) => {
                self.namer.claim(&format!("{base}Request"))
            }
            Some(base) => base.clone(),
            None => {
                // An inline schema inside a component is named by where it is, so it gets the same name
                // whoever reaches it first; one in an operation by the hint its use gives.
                let base = inline_name(&self.graph.get(target).pointer).unwrap_or_else(|| pascal(hint));
                if form == Form::Request && self.both_forms_used.contains(&target) {
                    self.namer.claim(&format!("{base}Request"))
                } else {
                    self.namer.claim(&base)
                }
            }
        };
        self.allocated.insert((target, form), name.clone());
        self.by_name.insert(name.clone(), target);
        self.queue.push_back((target, form, name.clone()));
        Ty::Named(name)
    }

    /// What identifies the type of schema `target` in form `form` in the record: its place, and ` (request)`
    /// for the request form of a schema whose two forms are both used.
    pub(crate) fn key(&self, target: SchemaId, form: Form) -> String {
        let place = self.places.of(&self.graph.get(target).pointer);
        if form == Form::Request && self.both_forms_used.contains(&target) {
            format!("{place} (request)")
        } else {
            place
        }
    }

    /// Defines every allocated type (allocating more as they are reached) and returns them by name.
    pub(crate) fn build_all(mut self) -> (BTreeMap<String, TypeDef>, Diagnostics, Classifier<'a>) {
        while let Some((target, form, name)) = self.queue.pop_front() {
            let def = self.define(target, form, &name);
            self.defs.insert(name, def);
        }
        let mut needed: Vec<String> = std::mem::take(&mut self.needs_shape).into_iter().collect();
        needed.sort();
        let mut listed = 0;
        for name in needed {
            let Some(pending) = self.object_shapes.remove(&name) else { continue };
            let shape = self.object_shape(&pending, MAX_LISTED_VALUES - listed);
            let Some(def) = self.defs.get_mut(&name) else { continue };
            let Some(shape) = shape else {
                self.diagnostics.push(
                    def.pointer.clone(),
                    format!(
                        "the unions of this spec must tell their objects apart by more than {MAX_LISTED_VALUES} \
                         enum values in all (each enum property of each object a union holds lists its values)"
                    ),
                );
                break;
            };
            listed += shape.enums.iter().map(|(_, values)| values.len()).sum::<usize>();
            if let TypeKind::Struct { shape: slot, .. } | TypeKind::Tagged { shape: slot, .. } = &mut def.kind {
                *slot = Some(shape);
            }
        }
        for (id, message) in std::mem::take(&mut self.classifier.over_limit) {
            self.diagnostics.push(self.graph.get(id).pointer.clone(), message);
        }
        (self.defs, self.diagnostics, self.classifier)
    }

    fn define(&mut self, target: SchemaId, form: Form, name: &str) -> TypeDef {
        let node = self.graph.get(target);
        let dir = if form == Form::Request { Dir::Request } else { Dir::Response };
        let mut docs = description_lines(node.description.as_deref(), &format!("The `{}` schema.", schema_label(node)));
        match form {
            Form::Request if self.both_forms_used.contains(&target) => {
                docs.push(String::new());
                docs.push(format!(
                    "The request form of `{}`: required properties are plain fields, read-only ones are left out.",
                    schema_label(node)
                ));
            }
            Form::Response if self.both_forms_used.contains(&target) => {
                docs.push(String::new());
                docs.push(format!("The answer form; requests use [`{name}Request`]."));
            }
            _ => {}
        }
        if node.deprecated {
            docs.push(String::new());
            docs.push("Deprecated in the API spec.".to_owned());
        }
        let shape = self.classifier.shape(target);
        let kind = match shape {
            Shape::Struct(props) => self.struct_kind(props, form, dir, name),
            Shape::Enum(values) => enum_kind(&values),
            Shape::Tagged { property, variants } => {
                let mut namer = Namer::default();
                let mut out = Vec::new();
                for (schema, tags) in variants.iter().cloned() {
                    let hint = format!("{name}{}", variant(&tags[0]));
                    let ty = self.ty(schema, dir, &hint);
                    let base = match (&ty, tags.len()) {
                        (_, 1) => variant(&tags[0]),
                        (Ty::Named(type_name), _) => type_name.clone(),
                        _ => variant(&tags[0]),
                    };
                    out.push(UnionVariant { name: namer.claim(&base), ty, tags, kind: JsonKind::Object, kept: false });
                }
                let props = self.classifier.object_props(target).into();
                let tags: Vec<String> = out.iter().flat_map(|v| v.tags.iter().cloned()).collect();
                self.object_shapes.insert(name.to_owned(), PendingShape { props, tag: Some((property.clone(), tags)) });
                TypeKind::Tagged { property, variants: out, unknown: catch_all(&namer, "Unknown"), shape: None }
            }
            Shape::Untagged(branches) => {
                let mut namer = Namer::default();
                let mut out = Vec::new();
                for (index, branch) in branches.iter().enumerate() {
                    let ty = self.ty(*branch, dir, &format!("{name}Variant{}", index + 1));
                    let kind = self.json_kind(*branch);
                    if let (Ty::Named(type_name), JsonKind::Object) = (&ty, kind) {
                        self.needs_shape.insert(type_name.clone());
                    }
                    let base = match &ty {
                        Ty::Named(type_name) => type_name.clone(),
                        other => kind_name(other, kind).to_owned(),
                    };
                    out.push(UnionVariant { name: namer.claim(&base), ty, tags: Vec::new(), kind, kept: false });
                }
                TypeKind::Untagged { variants: out, unknown: catch_all(&namer, "Unknown") }
            }
            other => TypeKind::Alias(self.structural(&other, dir, name)),
        };
        let key = self.key(target, form);
        // Which way its values travel: its form says so for a split schema; a schema with one form may be
        // reached by answers only, requests only, or both.
        let travels = match form {
            Form::Request => Travel::Requests,
            Form::Response => Travel::Answers,
            Form::Both => {
                match (self.reached.contains(&(target, Dir::Request)), self.reached.contains(&(target, Dir::Response)))
                {
                    (true, false) => Travel::Requests,
                    (false, true) => Travel::Answers,
                    _ => Travel::Both,
                }
            }
        };
        TypeDef {
            name: name.to_owned(),
            docs,
            kind,
            cfg: None,
            home: None,
            pointer: node.pointer.clone(),
            key,
            travels,
            kept: false,
        }
    }

    fn struct_kind(&mut self, props: Rc<[Prop]>, form: Form, dir: Dir, name: &str) -> TypeKind {
        let mut namer = Namer::default();
        let mut fields = Vec::new();
        for prop in props.iter() {
            if form == Form::Request && prop.read_only {
                continue;
            }
            let presence = match (form, prop.required, prop.nullable) {
                (Form::Request, true, false) => Presence::Required,
                (Form::Request, true, true) => Presence::RequiredNullable,
                _ => Presence::Optional,
            };
            let ty = self.ty(prop.schema, dir, &format!("{name}{}", pascal(&prop.name)));
            let mut docs = description_lines(prop.description.as_deref(), &format!("The `{}` property.", prop.name));
            let mut notes = Vec::new();
            if prop.required && form != Form::Request {
                notes.push("Required by the spec; `None` only when an answer leaves it out or sends `null`.");
            }
            if prop.read_only {
                notes.push("Read-only: set by the service.");
            }
            if self.graph.get(prop.schema).write_only {
                notes.push("Write-only: sent, never returned.");
            }
            if prop.deprecated {
                notes.push("Deprecated in the API spec.");
            }
            if !notes.is_empty() {
                docs.push(String::new());
                docs.push(notes.join(" "));
            }
            fields.push(FieldDef {
                rust_name: namer.claim(&snake(&prop.name)),
                wire_name: prop.name.clone(),
                ty,
                presence,
                docs,
                kept: false,
            });
        }
        self.object_shapes.insert(name.to_owned(), PendingShape { props, tag: None });
        TypeKind::Struct { fields, shape: None }
    }

    /// What an untagged union needs to recognise an object with these properties (and, for a tagged
    /// union, its tag property with the values that name its variants); `None` when it would list more
    /// than `budget` enum values.
    fn object_shape(&mut self, pending: &PendingShape, mut budget: usize) -> Option<ObjectShape> {
        let props = &pending.props;
        let mut shape = ObjectShape {
            properties: props.iter().map(|p| p.name.clone()).collect(),
            required: props.iter().filter(|p| p.required).map(|p| p.name.clone()).collect(),
            enums: Vec::new(),
        };
        for prop in props.iter() {
            if let Ok(target) = self.classifier.resolve(prop.schema)
                && let Shape::Enum(values) = self.classifier.shape(target)
            {
                budget = budget.checked_sub(values.len())?;
                shape.enums.push((prop.name.clone(), values.to_vec()));
            }
        }
        if let Some((property, tags)) = &pending.tag {
            shape.enums.retain(|(name, _)| name != property);
            budget.checked_sub(tags.len())?;
            shape.enums.push((property.clone(), tags.clone()));
            if !shape.properties.contains(property) {
                shape.properties.push(property.clone());
            }
        }
        Some(shape)
    }

    /// Whether a value of `ty` fits in a path segment, a query value or a header: a scalar, an id or an enum.
    pub(crate) fn is_plain_value(&mut self, ty: &Ty) -> bool {
        match ty {
            Ty::String | Ty::Secret | Ty::I32 | Ty::I64 | Ty::F64 | Ty::Bool | Ty::Id(_) => true,
            Ty::Named(name) => match self.by_name.get(name).copied() {
                Some(schema) => matches!(
                    self.classifier.shape(schema),
                    Shape::Enum(_)
                        | Shape::String
                        | Shape::Secret
                        | Shape::Integer { .. }
                        | Shape::Number
                        | Shape::Boolean
                ),
                None => false,
            },
            _ => false,
        }
    }

    fn json_kind(&mut self, id: SchemaId) -> JsonKind {
        let Ok(target) = self.classifier.resolve(id) else { return JsonKind::Any };
        match self.classifier.shape(target) {
            Shape::Struct(_) | Shape::Tagged { .. } => JsonKind::Object,
            Shape::Map(_) => JsonKind::Map,
            Shape::Array(_) => JsonKind::Array,
            Shape::Enum(_) | Shape::String | Shape::Secret => JsonKind::String,
            Shape::Integer { .. } => JsonKind::Integer,
            Shape::Number => JsonKind::Number,
            Shape::Boolean => JsonKind::Boolean,
            Shape::Untagged(_) | Shape::Any | Shape::Alias(_) => JsonKind::Any,
        }
    }
}

/// A struct's properties, kept until a union needs its [`ObjectShape`].
struct PendingShape {
    props: Rc<[Prop]>,
    /// A tagged union's tag property and the values that name its variants.
    tag: Option<(String, Vec<String>)>,
}

fn enum_kind(values: &[String]) -> TypeKind {
    let mut namer = Namer::default();
    let variants: Vec<EnumVariant> = values
        .iter()
        .map(|value| EnumVariant { rust_name: namer.claim(&variant(value)), wire_name: value.clone(), kept: false })
        .collect();
    TypeKind::Enum { variants, other: catch_all(&namer, "Other") }
}

/// The catch-all variant's name: `preferred` unless a listed value took it.
fn catch_all(namer: &Namer, preferred: &str) -> String {
    [preferred, "Unlisted", "UnlistedValue"]
        .into_iter()
        .find(|name| !namer.is_taken(name))
        .map(str::to_owned)
        .unwrap_or_else(|| namer.clone().claim(preferred))
}

fn kind_name(ty: &Ty, kind: JsonKind) -> &'static str {
    match (ty, kind) {
        (Ty::Vec(_), _) => "Array",
        (Ty::Map(_), _) => "Object",
        (Ty::I32 | Ty::I64, _) => "Integer",
        (Ty::F64, _) => "Number",
        (Ty::Bool, _) => "Boolean",
        (Ty::String | Ty::Secret, _) => "String",
        _ => "Value",
    }
}

fn schema_label(node: &crate::model::Schema) -> String {
    node.component.clone().unwrap_or_else(|| node.pointer.clone())
}

/// A description as doc lines, or the fallback.
pub(crate) fn description_lines(description: Option<&str>, fallback: &str) -> Vec<String> {
    let text = description.map(str::trim).filter(|d| !d.is_empty()).unwrap_or(fallback);
    text.lines().map(|l| l.trim_end().to_owned()).collect()
}

/// The name of an inline schema inside a component, from its place: `/components/schemas/Key/properties/
/// roles/items` is `KeyRolesItem`. `None` outside components.
fn inline_name(pointer: &str) -> Option<String> {
    let rest = pointer.strip_prefix("/components/schemas/")?;
    let mut tokens = rest.split('/').map(crate::spec::pointer::unescape);
    let mut name = pascal(&tokens.next()?);
    while let Some(token) = tokens.next() {
        match token.as_str() {
            "properties" => name.push_str(&pascal(&tokens.next()?)),
            "items" => name.push_str("Item"),
            "additionalProperties" => name.push_str("Value"),
            "allOf" => {
                tokens.next();
            }
            "oneOf" | "anyOf" => name.push_str(&format!("Variant{}", tokens.next()?.parse::<usize>().ok()? + 1)),
            _ => return None,
        }
    }
    Some(name)
}
