//! What every rule needs: both documents, `$ref` resolution, and a quick "did anything under here change?".

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

use serde_json::Value;

use super::catalog::Rule;
use crate::diff::document::{Document, escape_segment};
use crate::diff::model::{Change, Location, OperationKey, Side};

/// How many `$ref` hops one lookup follows before giving up; a loop of refs is a broken spec, not a hang.
const MAX_REF_HOPS: usize = 32;

/// A node of one document with the JSON pointer where it lives (after following `$ref`s).
#[derive(Clone, Debug)]
pub(crate) struct Located<'a> {
    /// The node itself.
    pub(crate) value: &'a Value,
    /// Its JSON pointer.
    pub(crate) pointer: String,
}

impl<'a> Located<'a> {
    /// A child by key, with the pointer extended.
    pub(crate) fn child(&self, key: &str) -> Option<Located<'a>> {
        self.value.get(key).map(|value| Located { value, pointer: format!("{}/{}", self.pointer, escape_segment(key)) })
    }

    /// A child by index, with the pointer extended.
    pub(crate) fn index(&self, index: usize) -> Option<Located<'a>> {
        self.value.get(index).map(|value| Located { value, pointer: format!("{}/{index}", self.pointer) })
    }

    /// The entries of an object child, in sorted key order, each located.
    pub(crate) fn entries(&self, key: &str) -> Vec<(String, Located<'a>)> {
        self.child(key).map(|child| child.own_entries()).unwrap_or_default()
    }

    /// The entries of this node when it is an object, in sorted key order, each located.
    pub(crate) fn own_entries(&self) -> Vec<(String, Located<'a>)> {
        let Some(object) = self.value.as_object() else { return Vec::new() };
        let mut entries: Vec<_> = object
            .iter()
            .map(|(name, value)| {
                (name.clone(), Located { value, pointer: format!("{}/{}", self.pointer, escape_segment(name)) })
            })
            .collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries
    }
}

/// Both documents, and the set of components that differ between them (directly or through refs).
pub(crate) struct Sides<'a> {
    /// The older document.
    pub(crate) base: &'a Document,
    /// The newer document.
    pub(crate) head: &'a Document,
    /// `$ref` strings whose targets differ, or reach a target that differs, on the two sides.
    changed_refs: HashSet<String>,
}

impl<'a> Sides<'a> {
    /// Prepares the comparison; works out which components changed once, up front.
    pub(crate) fn new(base: &'a Document, head: &'a Document) -> Sides<'a> {
        let changed_refs = changed_components(base, head);
        Sides { base, head, changed_refs }
    }

    /// The document on one side.
    pub(crate) fn document(&self, side: Side) -> &'a Document {
        match side {
            Side::Base => self.base,
            Side::Head => self.head,
        }
    }

    /// Follows `$ref`s from `node` to the node they name. A dangling or external ref stays as the ref node,
    /// so it compares by its text.
    pub(crate) fn resolve(&self, side: Side, node: Located<'a>) -> Located<'a> {
        let document = self.document(side);
        let mut current = node;
        for _ in 0..MAX_REF_HOPS {
            let Some(reference) = current.value.get("$ref").and_then(Value::as_str) else { return current };
            let Some(target_pointer) = reference.strip_prefix('#') else { return current };
            let Some(target) = document.root.pointer(target_pointer) else { return current };
            current = Located { value: target, pointer: target_pointer.to_owned() };
        }
        current
    }

    /// True when the two subtrees are equal and every `$ref` inside them names an unchanged component.
    /// Lets the walk skip untouched operations and schemas, which is most of a 540-operation spec.
    pub(crate) fn unchanged(&self, base: &Value, head: &Value) -> bool {
        if base != head {
            return false;
        }
        let mut refs = BTreeSet::new();
        collect_refs(base, &mut refs);
        refs.iter().all(|reference| !self.changed_refs.contains(*reference))
    }

    /// Builds a change located in one document, filling in the line.
    pub(crate) fn change(
        &self,
        rule: Rule,
        operation: Option<&OperationKey>,
        side: Side,
        pointer: &str,
        message: String,
    ) -> Change {
        let line = self.document(side).line_of(pointer);
        Change {
            rule,
            operation: operation.cloned(),
            location: Location { side, pointer: pointer.to_owned(), line },
            message,
        }
    }
}

/// Every `$ref` string in a subtree.
fn collect_refs<'v>(value: &'v Value, refs: &mut BTreeSet<&'v str>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                if key == "$ref"
                    && let Some(text) = child.as_str()
                {
                    refs.insert(text);
                } else {
                    collect_refs(child, refs);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_refs(item, refs)),
        _ => {}
    }
}

/// The refs (as written, `#/components/schemas/X`) whose targets differ between the sides, directly or
/// through refs they contain. Computed as reverse reachability from the directly changed components, so
/// cycles need no special care.
fn changed_components(base: &Document, head: &Document) -> HashSet<String> {
    let mut names: BTreeSet<String> = BTreeSet::new();
    for document in [base, head] {
        if let Some(components) = document.root.get("components").and_then(Value::as_object) {
            for (kind, entries) in components {
                if let Some(entries) = entries.as_object() {
                    for name in entries.keys() {
                        names.insert(format!("#/components/{}/{}", escape_segment(kind), escape_segment(name)));
                    }
                }
            }
        }
    }
    let mut changed: HashSet<String> = HashSet::new();
    let mut users: HashMap<String, Vec<String>> = HashMap::new();
    let mut queue = VecDeque::new();
    for name in &names {
        let pointer = &name[1..];
        let base_value = base.root.pointer(pointer);
        let head_value = head.root.pointer(pointer);
        if base_value != head_value {
            changed.insert(name.clone());
            queue.push_back(name.clone());
        }
        let mut refs = BTreeSet::new();
        for value in [base_value, head_value].into_iter().flatten() {
            collect_refs(value, &mut refs);
        }
        for reference in refs {
            users.entry(reference.to_owned()).or_default().push(name.clone());
            // A ref to something that is not a component (a path item, a dangling name) can't be vouched for.
            if !names.contains(reference) && changed.insert(reference.to_owned()) {
                queue.push_back(reference.to_owned());
            }
        }
    }
    while let Some(name) = queue.pop_front() {
        for user in users.get(&name).into_iter().flatten() {
            if changed.insert(user.clone()) {
                queue.push_back(user.clone());
            }
        }
    }
    changed
}
