//! What every rule needs: both documents, `$ref` resolution, and a quick "did anything under here change?".

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

use serde_json::Value;

use super::catalog::Rule;
use crate::model::{Change, OperationKey, Side};
use codegen::spec::pointer::escape as escape_segment;
pub(super) use codegen::spec::{Document, Node};

/// Sorted, located entries of a mapping node: the walk compares keys in one order on both sides.
pub(super) trait SortedEntries<'a> {
    /// The entries of the mapping child `key`, sorted by key, each located.
    fn entries_of(&self, key: &str) -> Vec<(String, Node<'a>)>;
    /// The entries of this node when it is a mapping, sorted by key, each located.
    fn sorted_entries(&self) -> Vec<(String, Node<'a>)>;
}

impl<'a> SortedEntries<'a> for Node<'a> {
    fn entries_of(&self, key: &str) -> Vec<(String, Node<'a>)> {
        self.child(key).map(|child| child.sorted_entries()).unwrap_or_default()
    }

    fn sorted_entries(&self) -> Vec<(String, Node<'a>)> {
        let mut entries: Vec<(String, Node<'a>)> =
            self.entries().into_iter().map(|(name, node)| (name.to_owned(), node)).collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries
    }
}

/// Both documents, and the set of components that differ between them (directly or through refs).
pub(super) struct Sides<'a> {
    /// The older document.
    pub(super) base: &'a Document,
    /// The newer document.
    pub(super) head: &'a Document,
    /// `$ref` strings whose targets differ, or reach a target that differs, on the two sides.
    changed_refs: HashSet<String>,
    /// Every component of either side, as a `$ref` names it (`#/components/schemas/Link`).
    components: BTreeSet<String>,
    /// The record the base client was generated with: the versions it pins.
    pub(super) base_record: &'a codegen::Record,
}

impl<'a> Sides<'a> {
    /// Prepares the comparison; works out which components changed once, up front.
    pub(super) fn new(base: &'a Document, head: &'a Document, base_record: &'a codegen::Record) -> Sides<'a> {
        let components = component_refs(base, head);
        let changed_refs = changed_components(base, head, &components);
        Sides { base, head, changed_refs, components, base_record }
    }

    /// The document on one side.
    pub(super) fn document(&self, side: Side) -> &'a Document {
        match side {
            Side::Base => self.base,
            Side::Head => self.head,
        }
    }

    /// Follows `$ref`s from `node` to the node they name. A dangling, external or cyclic ref stays as the
    /// ref node, so it compares by its text.
    pub(super) fn resolve(&self, side: Side, node: Node<'a>) -> Node<'a> {
        self.document(side).resolve(node.clone()).unwrap_or(node)
    }

    /// True when the two subtrees are equal and every `$ref` inside them names an unchanged component.
    /// Lets the walk skip untouched operations and schemas, which is most of a 540-operation spec.
    pub(super) fn unchanged(&self, base: &Value, head: &Value) -> bool {
        if base != head {
            return false;
        }
        let mut refs = BTreeSet::new();
        collect_refs(base, &mut refs);
        refs.iter().all(|reference| self.vouched_for(reference))
    }

    /// Whether a reference names something that is the same on both sides: an unchanged component, or a
    /// part of one (`#/components/schemas/Holder/properties/x`). Anything else cannot be vouched for.
    fn vouched_for(&self, reference: &str) -> bool {
        if self.changed_refs.contains(reference) {
            return false;
        }
        if self.components.contains(reference) {
            return true;
        }
        enclosing_component(reference)
            .is_some_and(|enclosing| self.components.contains(&enclosing) && !self.changed_refs.contains(&enclosing))
    }

    /// Builds a change located in one document, filling in the line.
    pub(super) fn change(
        &self,
        rule: Rule,
        operation: Option<&OperationKey>,
        side: Side,
        pointer: &str,
        message: String,
    ) -> Change {
        Change::at(rule, operation.cloned(), (self.document(side), side, pointer), message)
    }
}

/// Every reference in a subtree (`$ref`s and discriminator mapping targets), by target.
fn collect_refs(value: &Value, refs: &mut BTreeSet<String>) {
    refs.extend(codegen::spec::references(value, None).into_iter().map(|reference| reference.target));
}

/// The component a reference into part of one lies in (`#/components/schemas/Holder/properties/x` gives
/// `#/components/schemas/Holder`); `None` for anything shorter or outside `components`.
fn enclosing_component(reference: &str) -> Option<String> {
    let tokens: Vec<&str> = reference.splitn(5, '/').collect();
    match tokens.as_slice() {
        ["#", "components", kind, name, _rest] => Some(format!("#/components/{kind}/{name}")),
        _ => None,
    }
}

/// Every component of either document, as a `$ref` names it.
fn component_refs(base: &Document, head: &Document) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
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
    names
}

/// The refs (as written, `#/components/schemas/X`) whose targets differ between the sides, directly or
/// through refs they contain. Computed as reverse reachability from the directly changed components, so
/// cycles need no special care.
fn changed_components(base: &Document, head: &Document, names: &BTreeSet<String>) -> HashSet<String> {
    let mut changed: HashSet<String> = HashSet::new();
    let mut users: HashMap<String, Vec<String>> = HashMap::new();
    let mut queue = VecDeque::new();
    for name in names {
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
            // A ref into part of a component changes with that component; a ref to anything else (a path
            // item, a dangling name) cannot be vouched for.
            let reference = match enclosing_component(&reference) {
                Some(enclosing) if names.contains(&enclosing) => enclosing,
                _ if names.contains(&reference) => reference,
                _ => {
                    if changed.insert(reference.clone()) {
                        queue.push_back(reference.clone());
                    }
                    reference
                }
            };
            users.entry(reference).or_default().push(name.clone());
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
