//! What each schema is, read from its facts: composition resolved (`allOf` merged, `oneOf` decided,
//! discriminators read), but no Rust names yet. Every function here loops over explicit work lists, so a
//! chain of schemas of any length costs no stack, and looks names up in sets, so thousands of branches,
//! values or properties cost linear time. Shapes hold their lists behind `Rc`: a shape is looked up at
//! every use of its schema, and copying a struct of thousands of properties at each of thousands of uses
//! was quadratic.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use serde_json::Value;

use crate::model::{Additional, JsonType, SchemaGraph, SchemaId};
use crate::spec::limits::{MAX_FIELDS, MAX_PROPERTIES, MAX_REF_HOPS};

/// One property of an object shape.
#[derive(Debug, Clone)]
pub(crate) struct Prop {
    pub name: String,
    pub schema: SchemaId,
    pub required: bool,
    pub read_only: bool,
    pub nullable: bool,
    pub deprecated: bool,
    pub description: Option<String>,
}

/// What a schema is.
#[derive(Debug, Clone)]
pub(crate) enum Shape {
    /// The same type as another schema (a `$ref`, a one-branch `allOf`/`oneOf`).
    Alias(SchemaId),
    Struct(Rc<[Prop]>),
    /// A free-form object; `None` values are any JSON.
    Map(Option<SchemaId>),
    Array(Option<SchemaId>),
    /// An open string enum with these values.
    Enum(Rc<[String]>),
    String,
    Secret,
    Integer {
        wide: bool,
    },
    Number,
    Boolean,
    Any,
    /// A union by the value of `property`: each target schema with the values that mean it.
    Tagged {
        property: String,
        variants: Rc<[(SchemaId, Vec<String>)]>,
    },
    /// A union by shape, branches in order.
    Untagged(Rc<[SchemaId]>),
}

impl Shape {
    /// The schemas this shape's type is made of.
    pub(crate) fn edges(&self, out: &mut Vec<SchemaId>) {
        match self {
            Shape::Alias(target) => out.push(*target),
            Shape::Struct(props) => out.extend(props.iter().map(|p| p.schema)),
            Shape::Map(Some(inner)) | Shape::Array(Some(inner)) => out.push(*inner),
            Shape::Tagged { variants, .. } => out.extend(variants.iter().map(|(target, _)| *target)),
            Shape::Untagged(branches) => out.extend(branches.iter()),
            _ => {}
        }
    }
}

/// What a union branch is, for deciding whether a union is really a string.
enum Leaf {
    Enum(Vec<String>),
    String,
    Other,
}

/// Classifies schemas, each once.
pub(crate) struct Classifier<'a> {
    pub graph: &'a SchemaGraph,
    cache: HashMap<SchemaId, Shape>,
    /// Properties merged into object shapes so far, all schemas together (bounded by [`MAX_FIELDS`]).
    merged: usize,
    /// Schemas whose merged properties went past a limit, with the message: located errors for the caller
    /// to report (their shapes keep the properties merged before the limit). The limit of all schemas
    /// together is reported once, at the first schema past it.
    pub over_limit: Vec<(SchemaId, String)>,
    total_reported: bool,
}

impl<'a> Classifier<'a> {
    pub(crate) fn new(graph: &'a SchemaGraph) -> Self {
        Classifier { graph, cache: HashMap::new(), merged: 0, over_limit: Vec::new(), total_reported: false }
    }

    /// The shape of `id`.
    pub(crate) fn shape(&mut self, id: SchemaId) -> Shape {
        if let Some(shape) = self.cache.get(&id) {
            return shape.clone();
        }
        let shape = self.classify(id);
        self.cache.insert(id, shape.clone());
        shape
    }

    /// Follows aliases from `id` to the schema that decides the type; `Err` names where a cycle of aliases
    /// was found.
    pub(crate) fn resolve(&mut self, id: SchemaId) -> Result<SchemaId, SchemaId> {
        let mut seen = HashSet::new();
        let mut current = id;
        loop {
            if !seen.insert(current) {
                return Err(current);
            }
            match self.shape(current) {
                Shape::Alias(target) => current = target,
                _ => return Ok(current),
            }
        }
    }

    /// The schema behind `$ref` hops (not composition), bounded.
    fn deref(&self, id: SchemaId) -> SchemaId {
        let mut current = id;
        for _ in 0..MAX_REF_HOPS {
            match self.graph.get(current).reference {
                Some(target) => current = target,
                None => return current,
            }
        }
        current
    }

    fn classify(&mut self, id: SchemaId) -> Shape {
        let node = self.graph.get(id);
        if let Some(target) = node.reference {
            return Shape::Alias(target);
        }
        if let Some(discriminator) = &node.discriminator {
            let mut variants: Vec<(SchemaId, Vec<String>)> = Vec::new();
            let mut position: HashMap<SchemaId, usize> = HashMap::new();
            for (tag, target) in &discriminator.mapping {
                let target = self.deref(*target);
                match position.get(&target) {
                    Some(&at) => variants[at].1.push(tag.clone()),
                    None => {
                        position.insert(target, variants.len());
                        variants.push((target, vec![tag.clone()]));
                    }
                }
            }
            // Branches the mapping does not name are known by their component name (OpenAPI 3.0 §4.7.25).
            for branch in node.one_of.iter().chain(&node.any_of) {
                let target = self.deref(*branch);
                if !position.contains_key(&target)
                    && let Some(name) = self.graph.get(target).component.clone()
                {
                    position.insert(target, variants.len());
                    variants.push((target, vec![name]));
                }
            }
            if !variants.is_empty() {
                return Shape::Tagged { property: discriminator.property.clone(), variants: variants.into() };
            }
        }
        let mut branches: Vec<SchemaId> = Vec::new();
        let mut seen: HashSet<SchemaId> = HashSet::new();
        for branch in node.one_of.iter().chain(&node.any_of) {
            if seen.insert(*branch) {
                branches.push(*branch);
            }
        }
        if !branches.is_empty() {
            return self.union(branches);
        }
        if !node.all_of.is_empty() {
            let props = self.object_props(id);
            if !props.is_empty() || node.json_type == Some(JsonType::Object) && node.all_of.len() > 1 {
                return Shape::Struct(props.into());
            }
            if node.all_of.len() == 1 {
                return Shape::Alias(node.all_of[0]);
            }
        }
        self.plain(id)
    }

    /// A union whose branches are all strings is a string (an enum of all their values when each lists its
    /// values): that is what a `type: object` next to a `oneOf` of string enums means on the wire.
    fn union(&mut self, branches: Vec<SchemaId>) -> Shape {
        if branches.len() == 1 {
            return Shape::Alias(branches[0]);
        }
        let mut values: Vec<String> = Vec::new();
        let mut listed_once: HashSet<String> = HashSet::new();
        let mut all_enums = true;
        for branch in &branches {
            match self.leaf_kind(*branch) {
                Leaf::Enum(listed) => {
                    for value in listed {
                        if listed_once.insert(value.clone()) {
                            values.push(value);
                        }
                    }
                }
                Leaf::String => all_enums = false,
                Leaf::Other => return Shape::Untagged(branches.into()),
            }
        }
        if all_enums { Shape::Enum(values.into()) } else { Shape::String }
    }

    /// Whether `id` is a string enum, a string or something else, following `$ref`s and one-branch
    /// compositions in a loop (never through a nested union, so a chain of unions costs no stack).
    fn leaf_kind(&self, id: SchemaId) -> Leaf {
        let mut current = id;
        for _ in 0..MAX_REF_HOPS {
            let node = self.graph.get(current);
            if let Some(target) = node.reference {
                current = target;
                continue;
            }
            let branches = node.one_of.len() + node.any_of.len();
            if node.discriminator.is_some() || branches > 1 || !node.properties.is_empty() {
                return Leaf::Other;
            }
            if let Some(only) = node.one_of.first().or(node.any_of.first()).or(node.all_of.first()) {
                if node.all_of.len() > 1 {
                    return Leaf::Other;
                }
                current = *only;
                continue;
            }
            if let Some(values) = &node.enum_values {
                let strings: Vec<String> = values.iter().filter_map(Value::as_str).map(str::to_owned).collect();
                if strings.len() == values.len() && matches!(node.json_type, None | Some(JsonType::String)) {
                    return Leaf::Enum(strings);
                }
            }
            return if node.json_type == Some(JsonType::String) { Leaf::String } else { Leaf::Other };
        }
        Leaf::Other
    }

    /// A schema without composition.
    fn plain(&mut self, id: SchemaId) -> Shape {
        let node = self.graph.get(id);
        if let Some(values) = &node.enum_values {
            let strings: Vec<String> = values.iter().filter_map(Value::as_str).map(str::to_owned).collect();
            if strings.len() == values.len() && matches!(node.json_type, None | Some(JsonType::String)) {
                return Shape::Enum(strings.into());
            }
        }
        match node.json_type {
            Some(JsonType::String) => {
                if node.sensitive || node.format.as_deref() == Some("password") {
                    Shape::Secret
                } else {
                    Shape::String
                }
            }
            Some(JsonType::Integer) => Shape::Integer { wide: node.format.as_deref() != Some("int32") },
            Some(JsonType::Number) => Shape::Number,
            Some(JsonType::Boolean) => Shape::Boolean,
            Some(JsonType::Array) => Shape::Array(node.items),
            Some(JsonType::Object) | None => {
                if !node.properties.is_empty() {
                    Shape::Struct(self.object_props(id).into())
                } else if let Additional::Schema(values) = node.additional {
                    Shape::Map(Some(values))
                } else if node.json_type == Some(JsonType::Object) {
                    Shape::Map(None)
                } else if node.items.is_some() {
                    Shape::Array(node.items)
                } else {
                    Shape::Any
                }
            }
        }
    }

    /// The properties of `id` as an object: its own and those of its `allOf` branches (through `$ref`s and
    /// inheritance chains), in order, each name once (a later definition of a name replaces the schema of an
    /// earlier one, keeping its place). Discriminators and `oneOf`s of the branches are not followed: a child
    /// that inherits from a polymorphic parent takes the parent's properties, not its union.
    ///
    /// Inheritance copies every parent's properties into each child, so a chain of n schemas asks for n²
    /// fields: past [`MAX_PROPERTIES`] in one object or [`MAX_FIELDS`] in all, the merge stops and the
    /// schema is recorded in [`Self::over_limit`].
    pub(crate) fn object_props(&mut self, id: SchemaId) -> Vec<Prop> {
        /// A step of the walk: visit a schema (queue its branches, then its own properties), or merge the
        /// own properties of one already visited.
        enum Step {
            Visit(SchemaId),
            Own(SchemaId),
        }
        let mut props: Vec<Prop> = Vec::new();
        // Where each name is in `props`, so a later definition finds it without a scan.
        let mut position: HashMap<String, usize> = HashMap::new();
        let mut required: HashSet<String> = HashSet::new();
        let mut visited: HashSet<SchemaId> = HashSet::new();
        let mut stack = vec![Step::Visit(id)];
        while let Some(step) = stack.pop() {
            match step {
                Step::Visit(current) => {
                    let current = self.deref(current);
                    if !visited.insert(current) {
                        continue;
                    }
                    // Branches before own properties: a child lists what it adds after what it inherits.
                    stack.push(Step::Own(current));
                    stack.extend(self.graph.get(current).all_of.iter().rev().map(|branch| Step::Visit(*branch)));
                }
                Step::Own(current) => {
                    let node = self.graph.get(current);
                    required.extend(node.required.iter().cloned());
                    for (name, schema) in &node.properties {
                        let prop_node = self.graph.get(*schema);
                        let target = self.graph.get(self.deref(*schema));
                        let prop = Prop {
                            name: name.clone(),
                            schema: *schema,
                            required: false,
                            read_only: prop_node.read_only || target.read_only,
                            nullable: prop_node.nullable || target.nullable,
                            deprecated: prop_node.deprecated || target.deprecated,
                            description: prop_node.description.clone().or_else(|| target.description.clone()),
                        };
                        match position.get(name) {
                            Some(&at) => props[at] = prop,
                            None => {
                                position.insert(name.clone(), props.len());
                                props.push(prop);
                            }
                        }
                    }
                    if let Some(message) = self.over(props.len()) {
                        if let Some(message) = message {
                            self.over_limit.push((id, message));
                        }
                        break;
                    }
                }
            }
        }
        self.merged += props.len();
        for prop in &mut props {
            prop.required = required.contains(&prop.name);
        }
        props
    }

    /// Whether an object of `count` merged properties is past a limit (`None`: it is not), and the message
    /// to report (`Some(None)`: past the limit of all schemas, already reported).
    fn over(&mut self, count: usize) -> Option<Option<String>> {
        if count > MAX_PROPERTIES {
            return Some(Some(format!(
                "this object has more than {MAX_PROPERTIES} properties once its `allOf` branches are merged"
            )));
        }
        if self.merged + count <= MAX_FIELDS {
            return None;
        }
        let first = !std::mem::replace(&mut self.total_reported, true);
        Some(first.then(|| {
            format!(
                "the object schemas reached hold more than {MAX_FIELDS} properties in all once `allOf` is merged \
                 (each schema gets copies of its parents' properties)"
            )
        }))
    }
}
