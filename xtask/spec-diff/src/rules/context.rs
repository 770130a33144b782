//! What every rule needs: both documents, `$ref` resolution, and a quick "did anything under here change?".

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

use serde_json::Value;

use super::catalog::Rule;
use crate::model::{Change, Location, OperationKey, Side};
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
}

impl<'a> Sides<'a> {
    /// Prepares the comparison; works out which components changed once, up front.
    pub(super) fn new(base: &'a Document, head: &'a Document) -> Sides<'a> {
        let changed_refs = changed_components(base, head);
        Sides { base, head, changed_refs }
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
        refs.iter().all(|reference| !self.changed_refs.contains(reference))
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
        let line = self.document(side).line_of(pointer);
        Change {
            rule,
            operation: operation.cloned(),
            location: Location { side, pointer: pointer.to_owned(), line },
            message,
        }
    }
}

/// Every reference in a subtree (`$ref`s and discriminator mapping targets), by target.
fn collect_refs(value: &Value, refs: &mut BTreeSet<String>) {
    refs.extend(codegen::spec::references(value, None).into_iter().map(|reference| reference.target));
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
            // A ref to something that is not a component (a path item, a dangling name) can't be vouched for.
            if !names.contains(&reference) && changed.insert(reference.clone()) {
                queue.push_back(reference.clone());
            }
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
