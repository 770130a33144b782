//! Schemas of request and response bodies: properties added or removed, required changes, types,
//! enums, patterns and oneOf/anyOf alternatives. `$ref`s are followed, `allOf` is merged, and a pair of
//! schemas already compared in the walk is not entered again (shared and cyclic schemas).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde_json::Value;

use super::catalog::Rule;
use super::context::{Node, Sides, SortedEntries};
use crate::model::{Change, OperationKey, Side};

/// How deep one walk goes; real schemas nest a dozen levels, anything deeper is a generator's loop.
const MAX_DEPTH: usize = 48;

/// Whether a schema describes what the client sends or what it receives; the same change breaks one
/// and not the other (a new required property breaks requests, a removed one breaks responses).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Direction {
    /// A request body: the client writes it.
    Request,
    /// A response body: the client reads it.
    Response,
}

/// A schema's `type` and `format`; a change of either changes the Rust type a client uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct TypeInfo {
    kind: Option<String>,
    format: Option<String>,
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
}

impl TypeInfo {
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

/// The enum values of a schema node as canonical JSON text, each with its index in the list.
pub(super) fn enum_values(value: &Value) -> Option<BTreeMap<String, usize>> {
    let values = value.get("enum")?.as_array()?;
    Some(values.iter().enumerate().map(|(index, value)| (value.to_string(), index)).collect())
}

/// A schema with its refs followed and its `allOf` members merged: what a client actually sees.
struct View<'a> {
    pointer: String,
    type_info: TypeInfo,
    /// The node carrying `enum`, and the values.
    enumeration: Option<(String, BTreeMap<String, usize>)>,
    /// The node carrying `pattern`, and the pattern.
    pattern: Option<(String, String)>,
    properties: BTreeMap<String, Node<'a>>,
    required: BTreeSet<String>,
    items: Option<Node<'a>>,
    additional: Option<Node<'a>>,
    /// `oneOf`/`anyOf` members by keyword and label: the name their ref ends in, or their position
    /// when inline.
    alternatives: BTreeMap<(&'static str, String), Node<'a>>,
    /// The schema that says `nullable` (the first one, so the outer schema overrides what it inherits).
    nullable: Option<(String, bool)>,
    /// The discriminator's mapping: tag value to the pointer of its entry.
    mapping: BTreeMap<String, String>,
}

fn view<'a>(sides: &Sides<'a>, side: Side, node: Node<'a>) -> View<'a> {
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
        alternatives: BTreeMap::new(),
        nullable: None,
        mapping: BTreeMap::new(),
    };
    let mut visited = BTreeSet::new();
    merge_into(sides, side, node, &mut view, &mut visited, 0);
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
    if view.enumeration.is_none()
        && let Some(values) = enum_values(value)
    {
        view.enumeration = Some((format!("{}/enum", node.pointer), values));
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
    if let Some(mapping) = node.child("discriminator").and_then(|discriminator| discriminator.child("mapping")) {
        for (tag, entry) in mapping.sorted_entries() {
            view.mapping.entry(tag).or_insert(entry.pointer);
        }
    }
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
    for keyword in ["oneOf", "anyOf"] {
        let Some(members) = node.child(keyword) else { continue };
        for index in 0..members.value.as_array().map_or(0, Vec::len) {
            let Some(member) = members.index(index) else { continue };
            let label = match member.value.get("$ref").and_then(Value::as_str) {
                Some(reference) => reference.rsplit('/').next().unwrap_or(reference).to_owned(),
                None => format!("{keyword}[{index}]"),
            };
            view.alternatives.entry((keyword, label)).or_insert(member);
        }
    }
    if let Some(members) = node.child("allOf") {
        for index in 0..members.value.as_array().map_or(0, Vec::len) {
            if let Some(member) = members.index(index) {
                let member = sides.resolve(side, member);
                merge_into(sides, side, member, view, visited, depth + 1);
            }
        }
    }
}

/// Whether a client sees a property in this direction (readOnly ones are never sent, writeOnly ones
/// never received).
fn visible(sides: &Sides<'_>, side: Side, property: &Node<'_>, direction: Direction) -> bool {
    let resolved = sides.resolve(side, property.clone());
    let flag = |key: &str| {
        property.value.get(key).and_then(Value::as_bool).unwrap_or(false)
            || resolved.value.get(key).and_then(Value::as_bool).unwrap_or(false)
    };
    match direction {
        Direction::Request => !flag("readOnly"),
        Direction::Response => !flag("writeOnly"),
    }
}

/// One walk over a body schema pair, collecting changes for one operation.
pub(super) struct SchemaWalk<'w, 'a> {
    /// Both documents.
    pub(super) sides: &'w Sides<'a>,
    /// The operation the body belongs to.
    pub(super) key: &'w OperationKey,
    /// Request or response.
    pub(super) direction: Direction,
    /// Names the body in messages: "the request body", "the 200 response".
    pub(super) context: String,
    /// Where changes go.
    pub(super) changes: &'w mut Vec<Change>,
    /// The (base, head) schema pairs already compared in this walk (or being compared above this
    /// point). A pair is compared once: reaching it again by another route would find the same
    /// changes at the same places, which the report merges anyway, and re-walking every route of a
    /// schema graph is exponential (the upstream spec reaches `Link` by hundreds of routes). This also
    /// stops cyclic schemas.
    visited: HashSet<(String, String)>,
    /// How deep the walk is now.
    depth: usize,
}

impl<'w, 'a> SchemaWalk<'w, 'a> {
    /// Starts a walk.
    pub(super) fn new(
        sides: &'w Sides<'a>,
        key: &'w OperationKey,
        direction: Direction,
        context: String,
        changes: &'w mut Vec<Change>,
    ) -> Self {
        SchemaWalk { sides, key, direction, context, changes, visited: HashSet::new(), depth: 0 }
    }

    fn push(&mut self, rule: Rule, side: Side, pointer: &str, message: String) {
        let change = self.sides.change(rule, Some(self.key), side, pointer, message);
        self.changes.push(change);
    }

    /// "the request body" or "property `a/b` of the request body".
    fn subject(&self, path: &str) -> String {
        if path.is_empty() { self.context.clone() } else { format!("property `{path}` of {}", self.context) }
    }

    /// Compares two schemas found at the same place (`path`, slash-separated property names).
    pub(super) fn compare(&mut self, base: Node<'a>, head: Node<'a>, path: &str) {
        if self.depth > MAX_DEPTH || self.sides.unchanged(base.value, head.value) {
            return;
        }
        let before = view(self.sides, Side::Base, base);
        let after = view(self.sides, Side::Head, head);
        if !self.visited.insert((before.pointer.clone(), after.pointer.clone())) {
            return;
        }
        self.depth += 1;
        if self.compare_type(&before, &after, path) {
            self.compare_enum(&before, &after, path);
            self.compare_nullable(&before, &after, path);
            self.compare_mapping(&before, &after, path);
            self.compare_pattern(&before, &after, path);
            self.compare_properties(&before, &after, path);
            self.compare_nested(&before, &after, path);
        }
        self.depth -= 1;
    }

    /// Reports a type change; returns whether the rest is worth comparing (not when the type changed).
    fn compare_type(&mut self, before: &View<'a>, after: &View<'a>, path: &str) -> bool {
        // A side without a type says nothing, rather than "any": the Atlas spec often omits
        // `type: object` on schemas that only have properties.
        if before.type_info.kind.is_none() || after.type_info.kind.is_none() || before.type_info == after.type_info {
            return true;
        }
        let widened = before.type_info.widens_to(&after.type_info);
        let rule = match (self.direction, path.is_empty()) {
            (Direction::Request, true) if widened => Rule::RequestBodyTypeGeneralized,
            (Direction::Request, false) if widened => Rule::RequestPropertyTypeGeneralized,
            (Direction::Request, true) => Rule::RequestBodyTypeChanged,
            (Direction::Request, false) => Rule::RequestPropertyTypeChanged,
            (Direction::Response, true) => Rule::ResponseBodyTypeChanged,
            (Direction::Response, false) => Rule::ResponsePropertyTypeChanged,
        };
        let message = format!(
            "the type of {} changed: {} -> {}",
            self.subject(path),
            before.type_info.describe(),
            after.type_info.describe()
        );
        self.push(rule, Side::Head, &after.pointer, message);
        false
    }

    fn compare_enum(&mut self, before: &View<'a>, after: &View<'a>, path: &str) {
        let subject = self.subject(path);
        match (&before.enumeration, &after.enumeration) {
            (None, Some((pointer, _))) if self.direction == Direction::Request => {
                let message = format!("{subject} was restricted to an enum");
                self.push(Rule::RequestPropertyBecameEnum, Side::Head, pointer, message);
            }
            (Some((old_pointer, old)), Some((new_pointer, new))) => {
                let (added_rule, removed_rule) = match self.direction {
                    Direction::Request => (Rule::RequestPropertyEnumValueAdded, Rule::RequestPropertyEnumValueRemoved),
                    Direction::Response => {
                        (Rule::ResponsePropertyEnumValueAdded, Rule::ResponsePropertyEnumValueRemoved)
                    }
                };
                for (value, index) in new.iter().filter(|(value, _)| !old.contains_key(*value)) {
                    let message = format!("{subject} has the new enum value {value}");
                    self.push(added_rule, Side::Head, &format!("{new_pointer}/{index}"), message);
                }
                for (value, index) in old.iter().filter(|(value, _)| !new.contains_key(*value)) {
                    let message = format!("{subject} lost the enum value {value}");
                    self.push(removed_rule, Side::Base, &format!("{old_pointer}/{index}"), message);
                }
            }
            _ => {}
        }
    }

    /// `nullable` flips. A response field is an `Option` whatever the spec says, so neither way breaks the
    /// base client's decoding; a request property that stops accepting `null` breaks callers sending it.
    fn compare_nullable(&mut self, before: &View<'a>, after: &View<'a>, path: &str) {
        let flag = |view: &View<'a>| view.nullable.as_ref().is_some_and(|(_, nullable)| *nullable);
        let (was, is) = (flag(before), flag(after));
        if was == is {
            return;
        }
        let rule = match (self.direction, is) {
            (Direction::Request, true) => Rule::RequestPropertyBecameNullable,
            (Direction::Request, false) => Rule::RequestPropertyBecameNotNullable,
            (Direction::Response, true) => Rule::ResponsePropertyBecameNullable,
            (Direction::Response, false) => Rule::ResponsePropertyBecameNotNullable,
        };
        let (side, pointer) = match (&after.nullable, &before.nullable) {
            (Some((pointer, _)), _) => (Side::Head, pointer.clone()),
            (None, Some((pointer, _))) => (Side::Base, pointer.clone()),
            (None, None) => (Side::Head, after.pointer.clone()),
        };
        let message =
            format!("{} {}", self.subject(path), if is { "may now be null" } else { "may no longer be null" });
        self.push(rule, side, &pointer, message);
    }

    /// Discriminator values added to or removed from a union's mapping.
    fn compare_mapping(&mut self, before: &View<'a>, after: &View<'a>, path: &str) {
        let subject = self.subject(path);
        let (added_rule, removed_rule) = match self.direction {
            Direction::Request => {
                (Rule::RequestPropertyDiscriminatorMappingAdded, Rule::RequestPropertyDiscriminatorMappingRemoved)
            }
            Direction::Response => {
                (Rule::ResponsePropertyDiscriminatorMappingAdded, Rule::ResponsePropertyDiscriminatorMappingRemoved)
            }
        };
        for (tag, pointer) in after.mapping.iter().filter(|(tag, _)| !before.mapping.contains_key(*tag)) {
            let message = format!("{subject} has the new discriminator value `{tag}`");
            self.push(added_rule, Side::Head, pointer, message);
        }
        for (tag, pointer) in before.mapping.iter().filter(|(tag, _)| !after.mapping.contains_key(*tag)) {
            let message = format!("{subject} lost the discriminator value `{tag}`");
            self.push(removed_rule, Side::Base, pointer, message);
        }
    }

    fn compare_pattern(&mut self, before: &View<'a>, after: &View<'a>, path: &str) {
        let subject = self.subject(path);
        let request = self.direction == Direction::Request;
        let (rule, side, pointer, message) = match (&before.pattern, &after.pattern) {
            (None, Some((pointer, new))) => {
                let rule = if request { Rule::RequestPropertyPatternAdded } else { Rule::ResponsePropertyPatternAdded };
                (rule, Side::Head, pointer, format!("{subject} must now match `{new}`"))
            }
            (Some((pointer, old)), None) => {
                let rule =
                    if request { Rule::RequestPropertyPatternRemoved } else { Rule::ResponsePropertyPatternRemoved };
                (rule, Side::Base, pointer, format!("{subject} no longer has to match `{old}`"))
            }
            (Some((_, old)), Some((pointer, new))) if old != new => {
                let rule =
                    if request { Rule::RequestPropertyPatternChanged } else { Rule::ResponsePropertyPatternChanged };
                (rule, Side::Head, pointer, format!("the pattern of {subject} changed: `{old}` -> `{new}`"))
            }
            _ => return,
        };
        self.push(rule, side, &pointer.clone(), message);
    }

    fn compare_properties(&mut self, before: &View<'a>, after: &View<'a>, path: &str) {
        let direction = self.direction;
        let sides = self.sides;
        let names: BTreeSet<&String> = before.properties.keys().chain(after.properties.keys()).collect();
        for name in names {
            let child_path = if path.is_empty() { name.clone() } else { format!("{path}/{name}") };
            let old = before.properties.get(name).filter(|p| visible(sides, Side::Base, p, direction));
            let new = after.properties.get(name).filter(|p| visible(sides, Side::Head, p, direction));
            let (was_required, is_required) = (before.required.contains(name), after.required.contains(name));
            match (old, new) {
                (None, None) => {}
                (None, Some(property)) => {
                    let rule = match (direction, is_required) {
                        (Direction::Request, true) => Rule::NewRequiredRequestProperty,
                        (Direction::Request, false) => Rule::NewOptionalRequestProperty,
                        (Direction::Response, true) => Rule::ResponseRequiredPropertyAdded,
                        (Direction::Response, false) => Rule::ResponseOptionalPropertyAdded,
                    };
                    let kind = if is_required { "required" } else { "optional" };
                    let message = format!("added the {kind} property `{child_path}` to {}", self.context);
                    self.push(rule, Side::Head, &property.pointer, message);
                }
                (Some(property), None) => {
                    let rule = match (direction, was_required) {
                        (Direction::Request, _) => Rule::RequestPropertyRemoved,
                        (Direction::Response, true) => Rule::ResponseRequiredPropertyRemoved,
                        (Direction::Response, false) => Rule::ResponseOptionalPropertyRemoved,
                    };
                    let kind = if was_required { "required" } else { "optional" };
                    let message = format!("removed the {kind} property `{child_path}` from {}", self.context);
                    self.push(rule, Side::Base, &property.pointer, message);
                }
                (Some(old), Some(new)) => {
                    let rule = match (direction, was_required, is_required) {
                        (Direction::Request, false, true) => Some(Rule::RequestPropertyBecameRequired),
                        (Direction::Request, true, false) => Some(Rule::RequestPropertyBecameOptional),
                        (Direction::Response, true, false) => Some(Rule::ResponsePropertyBecameOptional),
                        (Direction::Response, false, true) => Some(Rule::ResponsePropertyBecameRequired),
                        _ => None,
                    };
                    if let Some(rule) = rule {
                        let kind = if is_required { "required" } else { "optional" };
                        let message = format!("property `{child_path}` of {} became {kind}", self.context);
                        self.push(rule, Side::Head, &new.pointer, message);
                    }
                    self.compare(old.clone(), new.clone(), &child_path);
                }
            }
        }
    }

    /// Array items, map values and oneOf/anyOf alternatives.
    fn compare_nested(&mut self, before: &View<'a>, after: &View<'a>, path: &str) {
        let join = |segment: &str| if path.is_empty() { segment.to_owned() } else { format!("{path}/{segment}") };
        if let (Some(old), Some(new)) = (&before.items, &after.items) {
            self.compare(old.clone(), new.clone(), &join("items"));
        }
        if let (Some(old), Some(new)) = (&before.additional, &after.additional) {
            self.compare(old.clone(), new.clone(), &join("additionalProperties"));
        }
        let subject = self.subject(path);
        let labels: BTreeSet<&(&str, String)> = before.alternatives.keys().chain(after.alternatives.keys()).collect();
        for key in labels {
            let (keyword, label) = key;
            let (added_rule, removed_rule) = match (self.direction, *keyword) {
                (Direction::Request, "oneOf") => (Rule::RequestPropertyOneOfAdded, Rule::RequestPropertyOneOfRemoved),
                (Direction::Request, _) => (Rule::RequestPropertyAnyOfAdded, Rule::RequestPropertyAnyOfRemoved),
                (Direction::Response, "oneOf") => {
                    (Rule::ResponsePropertyOneOfAdded, Rule::ResponsePropertyOneOfRemoved)
                }
                (Direction::Response, _) => (Rule::ResponsePropertyAnyOfAdded, Rule::ResponsePropertyAnyOfRemoved),
            };
            match (before.alternatives.get(key), after.alternatives.get(key)) {
                (None, Some(new)) => {
                    let message = format!("{subject} has the new {keyword} alternative `{label}`");
                    self.push(added_rule, Side::Head, &new.pointer, message);
                }
                (Some(old), None) => {
                    let message = format!("{subject} lost the {keyword} alternative `{label}`");
                    self.push(removed_rule, Side::Base, &old.pointer, message);
                }
                (Some(old), Some(new)) => self.compare(old.clone(), new.clone(), path),
                (None, None) => {}
            }
        }
    }
}
