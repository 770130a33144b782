//! A schema as the generated client sees it: `$ref`s followed, `allOf` members merged, and a union read
//! the way the generator reads it (`codegen`'s `shape/classify.rs`): a discriminator makes a union of the
//! schemas its mapping and its `oneOf`/`anyOf` name, a union whose branches are all string enums is one
//! enum of all their values, and a union belongs to the schema that declares it, never to the children
//! that inherit from it through `allOf`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::constraints::Constraints;
use super::context::{Node, Sides, SortedEntries};
use crate::model::Side;

/// How deep one walk goes; real schemas nest a dozen levels, anything deeper is a generator's loop.
pub(super) const MAX_DEPTH: usize = 48;

/// A schema's `type` and `format`; a change of either changes the Rust type a client uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct TypeInfo {
    pub(super) kind: Option<String>,
    pub(super) format: Option<String>,
}

impl TypeInfo {
    /// `string`, `integer (int64)`, or `any`.
    pub(super) fn describe(&self) -> String {
        match (&self.kind, &self.format) {
            (Some(kind), Some(format)) => format!("{kind} ({format})"),
            (Some(kind), None) => kind.clone(),
            (None, Some(format)) => format!("any ({format})"),
            (None, None) => "any".to_owned(),
        }
    }

    /// Whether every value of `self` is also a valid `wider` value: what a server accepting `wider`
    /// takes from an old client still sending `self`.
    pub(super) fn widens_to(&self, wider: &TypeInfo) -> bool {
        let (Some(kind), Some(wider_kind)) = (self.kind.as_deref(), wider.kind.as_deref()) else { return false };
        let (format, wider_format) = (self.format.as_deref(), wider.format.as_deref());
        if kind == wider_kind {
            return matches!(
                (format, wider_format),
                (Some(_), None) | (Some("int32"), Some("int64")) | (Some("float"), Some("double"))
            );
        }
        match (kind, wider_kind) {
            ("integer", "number") => wider_format.is_none() || wider_format == Some("double"),
            ("integer" | "number" | "boolean", "string") => wider_format.is_none(),
            _ => false,
        }
    }
}

/// The type and format written on a schema node (no refs followed).
pub(super) fn type_of(value: &Value) -> TypeInfo {
    let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
    TypeInfo { kind: text("type"), format: text("format") }
}

/// An enum: where it is declared, and each value (canonical JSON text) with the pointer of its entry.
#[derive(Clone, Debug)]
pub(super) struct Enumeration {
    /// The `enum` keyword (of the first branch, for a union of enums).
    pub(super) pointer: String,
    /// Value -> the pointer of its entry.
    pub(super) values: BTreeMap<String, String>,
}

/// The `enum` of a schema node, if it has one.
pub(super) fn enum_values(node: &Node<'_>) -> Option<Enumeration> {
    let list = node.child("enum")?;
    let count = list.value.as_array()?.len();
    let values = (0..count)
        .filter_map(|index| list.index(index))
        .map(|entry| (entry.value.to_string(), entry.pointer))
        .collect();
    Some(Enumeration { pointer: list.pointer, values })
}

/// One branch of a union.
#[derive(Clone, Debug)]
pub(super) struct Branch<'a> {
    /// `oneOf` or `anyOf` (a branch only the discriminator's mapping names counts as `oneOf`).
    pub(super) keyword: &'static str,
    /// The branch's schema, `$ref`s followed.
    pub(super) schema: Node<'a>,
    /// Where the branch is written: the member of `oneOf`/`anyOf`, or the mapping entry naming it.
    pub(super) at: String,
    /// The schema it names (its pointer after `$ref`s), when it is a `$ref`; `None` for an inline branch.
    pub(super) target: Option<String>,
    /// The discriminator values that select it (the mapping's, or its component name).
    pub(super) tags: BTreeSet<String>,
    /// How messages name it: the component name, or `oneOf[2]` (with its title) for an inline branch.
    pub(super) label: String,
}

/// A union a schema declares.
#[derive(Clone, Debug, Default)]
pub(super) struct Union<'a> {
    /// Whether a discriminator selects the branch (a tagged union); otherwise the client tries them in turn.
    pub(super) discriminated: bool,
    /// The discriminator's property name.
    pub(super) property: Option<String>,
    /// The discriminator's mapping: value -> the pointer of its entry.
    pub(super) mapping: BTreeMap<String, String>,
    /// The branches, in document order.
    pub(super) branches: Vec<Branch<'a>>,
}

/// A schema with its refs followed and its `allOf` members merged: what a client actually sees.
pub(super) struct View<'a> {
    pub(super) pointer: String,
    pub(super) type_info: TypeInfo,
    pub(super) enumeration: Option<Enumeration>,
    /// The node carrying `pattern`, and the pattern.
    pub(super) pattern: Option<(String, String)>,
    pub(super) properties: BTreeMap<String, Node<'a>>,
    pub(super) required: BTreeSet<String>,
    pub(super) items: Option<Node<'a>>,
    pub(super) additional: Option<Node<'a>>,
    /// The schema that says `nullable` (the first one, so the outer schema overrides what it inherits).
    pub(super) nullable: Option<(String, bool)>,
    /// Value constraints, the outer schema's first.
    pub(super) constraints: Constraints,
    /// The union this schema declares (or aliases through a one-member `allOf`).
    pub(super) union: Option<Union<'a>>,
}

/// The view of a schema node on one side.
pub(super) fn view<'a>(sides: &Sides<'a>, side: Side, node: Node<'a>) -> View<'a> {
    let node = sides.resolve(side, node);
    let mut view = View {
        pointer: node.pointer.clone(),
        type_info: TypeInfo { kind: None, format: None },
        enumeration: None,
        pattern: None,
        properties: BTreeMap::new(),
        required: BTreeSet::new(),
        items: None,
        additional: None,
        nullable: None,
        constraints: Constraints::default(),
        union: None,
    };
    let mut visited = BTreeSet::new();
    merge_into(sides, side, node.clone(), &mut view, &mut visited, 0);
    view.union = declared_union(sides, side, &node, view.properties.is_empty());
    if let Some(union) = &view.union
        && !union.discriminated
        && let Some(collapsed) = enum_of_strings(sides, side, union)
    {
        // What the generator makes of a union of string enums (or strings): one string type.
        view.union = None;
        view.type_info = TypeInfo { kind: Some("string".to_owned()), format: None };
        view.enumeration = collapsed;
    }
    view
}

/// Merges one schema node (and, through `allOf`, its members) into the view. The first node that
/// says something (a type, an enum) wins, so the outer schema overrides what it inherits.
fn merge_into<'a>(
    sides: &Sides<'a>,
    side: Side,
    node: Node<'a>,
    view: &mut View<'a>,
    visited: &mut BTreeSet<String>,
    depth: usize,
) {
    if depth > MAX_DEPTH || !visited.insert(node.pointer.clone()) {
        return;
    }
    let value = node.value;
    let own_type = type_of(value);
    if view.type_info.kind.is_none() && own_type.kind.is_some() {
        view.type_info = own_type;
    }
    if view.enumeration.is_none() {
        view.enumeration = enum_values(&node);
    }
    if view.pattern.is_none()
        && let Some(pattern) = value.get("pattern").and_then(Value::as_str)
    {
        view.pattern = Some((format!("{}/pattern", node.pointer), pattern.to_owned()));
    }
    if view.nullable.is_none()
        && let Some(nullable) = value.get("nullable").and_then(Value::as_bool)
    {
        view.nullable = Some((format!("{}/nullable", node.pointer), nullable));
    }
    view.constraints.fill_from(&Constraints::read(&node));
    for (name, property) in node.entries_of("properties") {
        view.properties.entry(name).or_insert(property);
    }
    if let Some(required) = value.get("required").and_then(Value::as_array) {
        view.required.extend(required.iter().filter_map(Value::as_str).map(str::to_owned));
    }
    if view.items.is_none() {
        view.items = node.child("items");
    }
    if view.additional.is_none() {
        view.additional = node.child("additionalProperties").filter(|schema| schema.value.is_object());
    }
    for member in members(&node, "allOf") {
        let member = sides.resolve(side, member);
        merge_into(sides, side, member, view, visited, depth + 1);
    }
}

/// The members of a `oneOf`/`anyOf`/`allOf` list, located.
fn members<'a>(node: &Node<'a>, keyword: &str) -> Vec<Node<'a>> {
    let Some(list) = node.child(keyword) else { return Vec::new() };
    (0..list.value.as_array().map_or(0, Vec::len)).filter_map(|index| list.index(index)).collect()
}

/// The union `node` declares itself. A schema whose only `allOf` member is a union, and which adds no
/// properties, is that union (the generator makes it an alias); a child that inherits a discriminated
/// parent through `allOf` is not a union.
fn declared_union<'a>(sides: &Sides<'a>, side: Side, node: &Node<'a>, no_properties: bool) -> Option<Union<'a>> {
    let mut current = node.clone();
    for _ in 0..MAX_DEPTH {
        if let Some(union) = union_of(sides, side, &current) {
            return Some(union);
        }
        let all_of = members(&current, "allOf");
        if all_of.len() != 1 || !no_properties {
            return None;
        }
        current = sides.resolve(side, all_of[0].clone());
    }
    None
}

/// The union written on this one node: its `oneOf`/`anyOf` members and its discriminator.
fn union_of<'a>(sides: &Sides<'a>, side: Side, node: &Node<'a>) -> Option<Union<'a>> {
    let discriminator = node.child("discriminator").filter(|d| d.value.is_object());
    let mut branches: Vec<Branch<'a>> = Vec::new();
    for keyword in ["oneOf", "anyOf"] {
        for (index, member) in members(node, keyword).into_iter().enumerate() {
            let at = member.pointer.clone();
            let is_ref = member.reference().is_some();
            let schema = sides.resolve(side, member);
            let target = is_ref.then(|| schema.pointer.clone());
            let title = schema.value.get("title").and_then(Value::as_str);
            let label = match (&target, title) {
                (Some(target), _) => component_name(target).to_owned(),
                (None, Some(title)) => format!("{keyword}[{index}] ({title})"),
                (None, None) => format!("{keyword}[{index}]"),
            };
            branches.push(Branch { keyword, schema, at, target, tags: BTreeSet::new(), label });
        }
    }
    let Some(discriminator) = discriminator else {
        return (!branches.is_empty()).then(|| Union { branches, ..Union::default() });
    };
    let property = discriminator.value.get("propertyName").and_then(Value::as_str).map(str::to_owned);
    let mut mapping = BTreeMap::new();
    for (tag, entry) in discriminator.entries_of("mapping") {
        mapping.insert(tag.clone(), entry.pointer.clone());
        let Some(reference) = entry.value.as_str() else { continue };
        let Some(target) = sides.document(side).at(reference.strip_prefix('#').unwrap_or(reference)) else { continue };
        let target = sides.resolve(side, target);
        match branches.iter_mut().find(|branch| branch.target.as_deref() == Some(target.pointer.as_str())) {
            Some(branch) => {
                branch.tags.insert(tag);
            }
            // A target only the mapping names is a branch all the same (the parent of an `allOf` hierarchy).
            None => branches.push(Branch {
                keyword: "oneOf",
                label: component_name(&target.pointer).to_owned(),
                target: Some(target.pointer.clone()),
                schema: target,
                at: entry.pointer,
                tags: BTreeSet::from([tag]),
            }),
        }
    }
    // Branches the mapping does not name are selected by their component name (OpenAPI 3.0 §4.7.25).
    for branch in &mut branches {
        if branch.tags.is_empty()
            && let Some(target) = &branch.target
        {
            branch.tags.insert(component_name(target).to_owned());
        }
    }
    if branches.is_empty() {
        return None;
    }
    Some(Union { discriminated: true, property, mapping, branches })
}

/// The last token of a pointer (`Link` for `/components/schemas/Link`), unescaped.
pub(super) fn component_name(pointer: &str) -> &str {
    pointer.rsplit('/').next().unwrap_or(pointer)
}

/// A union whose branches are all strings, as the generator types it: `Some(Some(enum))` when every branch
/// lists its values (one enum of them all, each value located in its branch), `Some(None)` for a plain
/// string, `None` when a branch is anything else.
fn enum_of_strings(sides: &Sides<'_>, side: Side, union: &Union<'_>) -> Option<Option<Enumeration>> {
    let mut all: Option<Enumeration> = None;
    let mut all_enums = true;
    for branch in &union.branches {
        match string_leaf(sides, side, branch.schema.clone())? {
            Some(enumeration) => {
                let all = all.get_or_insert_with(|| Enumeration {
                    pointer: enumeration.pointer.clone(),
                    values: BTreeMap::new(),
                });
                for (value, pointer) in enumeration.values {
                    all.values.entry(value).or_insert(pointer);
                }
            }
            None => all_enums = false,
        }
    }
    Some(if all_enums { all } else { None })
}

/// Whether a branch is a string: `Some(Some(enum))` for a string enum, `Some(None)` for a plain string,
/// `None` for anything else. Follows `$ref`s and one-member compositions, as the generator does.
fn string_leaf<'a>(sides: &Sides<'a>, side: Side, node: Node<'a>) -> Option<Option<Enumeration>> {
    let mut current = sides.resolve(side, node);
    for _ in 0..MAX_DEPTH {
        let value = current.value;
        let branches = ["oneOf", "anyOf"].iter().map(|k| value.get(*k).and_then(Value::as_array).map_or(0, Vec::len));
        let all_of = value.get("allOf").and_then(Value::as_array).map_or(0, Vec::len);
        if value.get("discriminator").is_some()
            || branches.clone().sum::<usize>() > 1
            || value.get("properties").is_some()
        {
            return None;
        }
        let single =
            ["oneOf", "anyOf", "allOf"].into_iter().find_map(|keyword| members(&current, keyword).into_iter().next());
        if let Some(only) = single {
            if all_of > 1 {
                return None;
            }
            current = sides.resolve(side, only);
            continue;
        }
        let kind = value.get("type").and_then(Value::as_str);
        if let Some(enumeration) = enum_values(&current)
            && matches!(kind, None | Some("string"))
            && value.get("enum").and_then(Value::as_array).is_some_and(|list| list.iter().all(Value::is_string))
        {
            return Some(Some(enumeration));
        }
        return (kind == Some("string")).then_some(None);
    }
    None
}

/// What identifies an anonymous branch: its values, its property names, or its type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Shape {
    Values(BTreeSet<String>),
    Properties(BTreeSet<String>),
    Type(String),
}

impl Shape {
    /// How much two shapes are the same branch: 1 for the same, 0 for unrelated; for sets, the share of
    /// the smaller one that the other has (a branch that gained values is still itself).
    pub(super) fn likeness(&self, other: &Shape) -> f64 {
        let overlap = |a: &BTreeSet<String>, b: &BTreeSet<String>| {
            let smaller = a.len().min(b.len());
            if smaller == 0 { f64::from(u8::from(a == b)) } else { a.intersection(b).count() as f64 / smaller as f64 }
        };
        match (self, other) {
            (Shape::Values(a), Shape::Values(b)) | (Shape::Properties(a), Shape::Properties(b)) => overlap(a, b),
            (Shape::Type(a), Shape::Type(b)) => f64::from(u8::from(a == b)),
            _ => 0.0,
        }
    }
}

/// The shape of a view, for matching anonymous branches.
pub(super) fn shape_of(view: &View<'_>) -> Shape {
    if let Some(enumeration) = &view.enumeration {
        return Shape::Values(enumeration.values.keys().cloned().collect());
    }
    if !view.properties.is_empty() {
        return Shape::Properties(view.properties.keys().cloned().collect());
    }
    Shape::Type(view.type_info.describe())
}
