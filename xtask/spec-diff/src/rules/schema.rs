//! Schemas of request and response bodies: properties added or removed, required changes, types,
//! enums, patterns and oneOf/anyOf alternatives. `$ref`s are followed, `allOf` is merged, and a pair of
//! schemas already compared in the walk is not entered again (shared and cyclic schemas).

use std::collections::{BTreeSet, HashSet};

use serde_json::Value;

use super::catalog::Rule;
use super::constraints::{self, Place};
use super::context::{Node, Sides};
use super::union::{branch_for, match_branches};
use super::view::{MAX_DEPTH, Union, View, view};
use crate::model::{Change, OperationKey, Side};

/// Whether a schema describes what the client sends or what it receives; the same change breaks one
/// and not the other (a new required property breaks requests, a removed one breaks responses).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Direction {
    /// A request body: the client writes it.
    Request,
    /// A response body: the client reads it.
    Response,
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
        if !self.compare_restructured(&before, &after, path) && self.compare_type(&before, &after, path) {
            self.compare_enum(&before, &after, path);
            self.compare_nullable(&before, &after, path);
            self.compare_mapping(&before, &after, path);
            self.compare_pattern(&before, &after, path);
            self.compare_constraints(&before, &after, path);
            // A tagged union's own properties reach the wire only through its branches (the generator types
            // it by its branches), so two tagged unions are compared branch by branch.
            let tagged = |view: &View<'a>| view.union.as_ref().is_some_and(|union| union.discriminated);
            if !(tagged(&before) && tagged(&after)) {
                self.compare_properties(&before, &after, path);
            }
            self.compare_nested(&before, &after, path);
        }
        self.depth -= 1;
    }

    /// One side is a union and the other is one of its branches (a request body replaced by its
    /// discriminated parent, or the reverse): what a caller sends is that branch, so it is compared with
    /// the plain schema, and the union's other branches are alternatives added or removed. Returns whether
    /// it was that case.
    fn compare_restructured(&mut self, before: &View<'a>, after: &View<'a>, path: &str) -> bool {
        let (union, plain, plain_side) = match (&before.union, &after.union) {
            (None, Some(union)) => (union, before, Side::Base),
            (Some(union), None) => (union, after, Side::Head),
            _ => return false,
        };
        if plain.properties.is_empty() {
            return false;
        }
        let Some(selected) = branch_for(self.sides, plain_side, plain, union) else { return false };
        let branch = union.branches[selected].schema.clone();
        let plain_node = |view: &View<'a>, side: Side| {
            let document = self.sides.document(side);
            document.at(&view.pointer)
        };
        let Some(plain_schema) = plain_node(plain, plain_side) else { return false };
        let others: Vec<usize> = (0..union.branches.len()).filter(|index| *index != selected).collect();
        match plain_side {
            Side::Base => {
                self.compare(plain_schema, branch, path);
                if self.direction == Direction::Response && !others.is_empty() {
                    let message = format!(
                        "{} was one schema and became a union: answers may now be {} other alternative(s)",
                        self.subject(path),
                        others.len()
                    );
                    self.push(Rule::ResponseBecameOneOf, Side::Head, &after.pointer, message);
                }
                self.report_branches(union, &others, Side::Head, path);
            }
            Side::Head => {
                self.compare(branch, plain_schema, path);
                self.report_branches(union, &others, Side::Base, path);
            }
        }
        true
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
            (None, Some(new)) if self.direction == Direction::Request => {
                let message = format!("{subject} was restricted to an enum");
                self.push(Rule::RequestPropertyBecameEnum, Side::Head, &new.pointer, message);
            }
            // Every value it took is still accepted, and more: a widening, not a removal of each value.
            (Some(old), None) if self.direction == Direction::Request => {
                let message = format!("{subject} is no longer restricted to an enum ({} values)", old.values.len());
                self.push(Rule::RequestPropertyNoLongerEnum, Side::Base, &old.pointer, message);
            }
            (Some(old), Some(new)) => {
                let (added_rule, removed_rule) = match self.direction {
                    Direction::Request => (Rule::RequestPropertyEnumValueAdded, Rule::RequestPropertyEnumValueRemoved),
                    Direction::Response => {
                        (Rule::ResponsePropertyEnumValueAdded, Rule::ResponsePropertyEnumValueRemoved)
                    }
                };
                for (value, pointer) in new.values.iter().filter(|(value, _)| !old.values.contains_key(*value)) {
                    let message = format!("{subject} has the new enum value {value}");
                    self.push(added_rule, Side::Head, pointer, message);
                }
                for (value, pointer) in old.values.iter().filter(|(value, _)| !new.values.contains_key(*value)) {
                    let message = format!("{subject} lost the enum value {value}");
                    self.push(removed_rule, Side::Base, pointer, message);
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
    fn compare_mapping<'v>(&mut self, before: &'v View<'a>, after: &'v View<'a>, path: &str) {
        let subject = self.subject(path);
        let (added_rule, removed_rule) = match self.direction {
            Direction::Request => {
                (Rule::RequestPropertyDiscriminatorMappingAdded, Rule::RequestPropertyDiscriminatorMappingRemoved)
            }
            Direction::Response => {
                (Rule::ResponsePropertyDiscriminatorMappingAdded, Rule::ResponsePropertyDiscriminatorMappingRemoved)
            }
        };
        let empty = Default::default();
        let mapping = |view: &'v View<'a>| view.union.as_ref().map_or(&empty, |union| &union.mapping);
        let (old, new) = (mapping(before), mapping(after));
        for (tag, pointer) in new.iter().filter(|(tag, _)| !old.contains_key(*tag)) {
            let message = format!("{subject} has the new discriminator value `{tag}`");
            self.push(added_rule, Side::Head, pointer, message);
        }
        for (tag, pointer) in old.iter().filter(|(tag, _)| !new.contains_key(*tag)) {
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

    /// Value constraints (bounds, lengths, counts, uniqueness).
    fn compare_constraints(&mut self, before: &View<'a>, after: &View<'a>, path: &str) {
        let place = match self.direction {
            Direction::Request => Place::RequestProperty,
            Direction::Response => Place::ResponseProperty,
        };
        for change in constraints::compare(&before.constraints, &after.constraints, place, &self.subject(path)) {
            self.push(change.rule, change.side, &change.pointer, change.message);
        }
    }

    /// Array items, map values and union branches.
    fn compare_nested(&mut self, before: &View<'a>, after: &View<'a>, path: &str) {
        let join = |segment: &str| if path.is_empty() { segment.to_owned() } else { format!("{path}/{segment}") };
        if let (Some(old), Some(new)) = (&before.items, &after.items) {
            self.compare(old.clone(), new.clone(), &join("items"));
        }
        if let (Some(old), Some(new)) = (&before.additional, &after.additional) {
            self.compare(old.clone(), new.clone(), &join("additionalProperties"));
        }
        let empty = Union::default();
        let (old, new) = (before.union.as_ref().unwrap_or(&empty), after.union.as_ref().unwrap_or(&empty));
        let matching = match_branches(self.sides, old, new);
        for (b, h) in matching.pairs {
            self.compare(old.branches[b].schema.clone(), new.branches[h].schema.clone(), path);
        }
        self.report_branches(old, &matching.removed, Side::Base, path);
        self.report_branches(new, &matching.added, Side::Head, path);
    }

    /// Reports branches of `union` (on `side`) that have no counterpart: removed from the base, added in
    /// the head.
    fn report_branches(&mut self, union: &Union<'a>, indices: &[usize], side: Side, path: &str) {
        let subject = self.subject(path);
        for &index in indices {
            let branch = &union.branches[index];
            let (keyword, label) = (branch.keyword, &branch.label);
            let rule = match (self.direction, keyword == "oneOf", side) {
                (Direction::Request, true, Side::Head) => Rule::RequestPropertyOneOfAdded,
                (Direction::Request, true, Side::Base) => Rule::RequestPropertyOneOfRemoved,
                (Direction::Request, false, Side::Head) => Rule::RequestPropertyAnyOfAdded,
                (Direction::Request, false, Side::Base) => Rule::RequestPropertyAnyOfRemoved,
                (Direction::Response, true, Side::Head) => Rule::ResponsePropertyOneOfAdded,
                (Direction::Response, true, Side::Base) => Rule::ResponsePropertyOneOfRemoved,
                (Direction::Response, false, Side::Head) => Rule::ResponsePropertyAnyOfAdded,
                (Direction::Response, false, Side::Base) => Rule::ResponsePropertyAnyOfRemoved,
            };
            let message = match side {
                Side::Head => format!("{subject} has the new {keyword} alternative `{label}`"),
                Side::Base => format!("{subject} lost the {keyword} alternative `{label}`"),
            };
            self.push(rule, side, &branch.at.clone(), message);
        }
    }
}
