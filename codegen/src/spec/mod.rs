//! The one reader of OpenAPI documents in the workspace: the generator, `cargo xtask trim` and the spec diff
//! all turn text into a [`Document`] here, and share its pointers, `$ref` resolution, operation list and
//! media-type parsing, so they cannot disagree about what a spec says.

pub mod limits;
mod lines;
pub mod media;
mod operations;
pub mod pointer;
mod read;
mod refs;

use serde_json::Value;

use crate::diagnostics::Diagnostics;
pub use operations::{HTTP_METHODS, OperationEntry};
pub use refs::{Reference, references};

/// A spec read from text: its values, and the line where each node starts.
#[derive(Debug, Clone)]
pub struct Document {
    /// What to call the document in messages (`spec/atlas-admin.yaml`, `origin/main:spec/atlas-admin.yaml`).
    pub name: String,
    /// The sha256 of the text, lower-case hex (empty for a document not read from text).
    pub sha256: String,
    /// The whole document.
    pub root: Value,
    /// Pointer → 1-based line, for every node read from YAML text.
    lines: read::Lines,
}

/// A node of a document with the pointer where it lives.
#[derive(Debug, Clone)]
pub struct Node<'a> {
    /// The node itself.
    pub value: &'a Value,
    /// Its JSON pointer.
    pub pointer: String,
}

impl<'a> Node<'a> {
    /// A child by key, with the pointer extended.
    pub fn child(&self, key: &str) -> Option<Node<'a>> {
        self.value.get(key).map(|value| Node { value, pointer: pointer::child(&self.pointer, key) })
    }

    /// A child by index, with the pointer extended.
    pub fn index(&self, index: usize) -> Option<Node<'a>> {
        self.value.get(index).map(|value| Node { value, pointer: format!("{}/{index}", self.pointer) })
    }

    /// The entries of this node when it is a mapping, in document order, each located.
    pub fn entries(&self) -> Vec<(&'a str, Node<'a>)> {
        let Some(object) = self.value.as_object() else { return Vec::new() };
        object
            .iter()
            .map(|(name, value)| (name.as_str(), Node { value, pointer: pointer::child(&self.pointer, name) }))
            .collect()
    }

    /// The items of this node when it is a sequence, each located.
    pub fn items(&self) -> Vec<Node<'a>> {
        let Some(items) = self.value.as_array() else { return Vec::new() };
        items.iter().enumerate().map(|(i, value)| Node { value, pointer: format!("{}/{i}", self.pointer) }).collect()
    }

    /// The `$ref` this node is, if it is one.
    pub fn reference(&self) -> Option<&'a str> {
        self.value.get("$ref").and_then(Value::as_str)
    }
}

/// Why a `$ref` could not be followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefError {
    /// The reference points into another document.
    External {
        /// The reference as written.
        reference: String,
        /// Where the `$ref` is.
        at: String,
    },
    /// Nothing is at the pointer the reference names.
    Dangling {
        /// The reference as written.
        reference: String,
        /// Where the `$ref` is.
        at: String,
    },
    /// The chain of references is longer than [`limits::MAX_REF_HOPS`]: a cycle.
    Cycle {
        /// Where the chain starts.
        at: String,
    },
}

impl RefError {
    /// Where the offending `$ref` is.
    pub fn pointer(&self) -> String {
        match self {
            RefError::External { at, .. } | RefError::Dangling { at, .. } => pointer::child(at, "$ref"),
            RefError::Cycle { at } => at.clone(),
        }
    }
}

impl std::fmt::Display for RefError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RefError::External { reference, .. } => {
                write!(f, "`{reference}` points into another document; only local references (`#/...`) are read")
            }
            RefError::Dangling { reference, .. } => write!(f, "`{reference}` does not resolve"),
            RefError::Cycle { .. } => {
                write!(f, "`$ref` chain longer than {} hops: the references form a cycle", limits::MAX_REF_HOPS)
            }
        }
    }
}

impl Document {
    /// Reads YAML or JSON text. Limits are checked first; every error carries the line it is at, or says
    /// it concerns the whole file.
    pub fn read(text: &str, name: &str) -> Result<Document, Diagnostics> {
        match read::read(text) {
            Ok((root, lines)) => {
                Ok(Document { name: name.to_owned(), sha256: crate::sha256_hex(text.as_bytes()), root, lines })
            }
            Err(error) => {
                let mut diagnostics = Diagnostics::new(name);
                diagnostics.push_at_line("", error.line, error.message);
                Err(diagnostics)
            }
        }
    }

    /// A document from a value without lines (built in code).
    pub fn from_value(root: Value, name: &str) -> Document {
        Document { name: name.to_owned(), sha256: String::new(), root, lines: read::Lines::default() }
    }

    /// The document that stands for a spec that does not exist (yet): an empty mapping.
    pub fn empty(name: &str) -> Document {
        Document::from_value(Value::Object(serde_json::Map::new()), name)
    }

    /// The root node.
    pub fn root_node(&self) -> Node<'_> {
        Node { value: &self.root, pointer: String::new() }
    }

    /// The node at `pointer`, if any.
    pub fn at(&self, pointer: &str) -> Option<Node<'_>> {
        self.root.pointer(pointer).map(|value| Node { value, pointer: pointer.to_owned() })
    }

    /// The 1-based line where `pointer` (or its nearest ancestor that has one) starts.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        self.lines.line_of(pointer)
    }

    /// Fills in the line of every diagnostic that has none.
    pub fn locate(&self, mut diagnostics: Diagnostics) -> Diagnostics {
        for item in &mut diagnostics.items {
            if item.line.is_none() {
                item.line = self.line_of(&item.pointer);
            }
        }
        diagnostics
    }

    /// Follows local `$ref`s from `node` to the node they name (the node itself when it is no reference).
    pub fn resolve<'a>(&'a self, node: Node<'a>) -> Result<Node<'a>, RefError> {
        let start = node.pointer.clone();
        let mut current = node;
        for _ in 0..limits::MAX_REF_HOPS {
            let Some(reference) = current.reference() else { return Ok(current) };
            let at = current.pointer.clone();
            let Some(target) = pointer::local_ref(reference) else {
                return Err(RefError::External { reference: reference.to_owned(), at });
            };
            let Some(value) = self.root.pointer(target) else {
                return Err(RefError::Dangling { reference: reference.to_owned(), at });
            };
            current = Node { value, pointer: target.to_owned() };
        }
        Err(RefError::Cycle { at: start })
    }

    /// Every operation, in document order.
    pub fn operations(&self) -> Vec<OperationEntry<'_>> {
        operations::operations(&self.root)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(text: &str) -> Document {
        Document::read(text, "t.yaml").expect("reads")
    }

    #[test]
    fn lines_fall_back_to_the_nearest_ancestor() {
        let doc = document("a:\n  b: 1\n  c:\n    - x\n    - y: 2\n\"d/e\": 3\n");
        assert_eq!(doc.line_of("/a/b"), Some(2));
        assert_eq!(doc.line_of("/a/c/1/y"), Some(5));
        assert_eq!(doc.line_of("/d~1e"), Some(6));
        assert_eq!(doc.line_of("/a/c/1/missing"), Some(5));
    }

    #[test]
    fn refs_resolve_with_located_failures() {
        let doc = document(
            "components:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {type: string}\n    \
             C: {$ref: '#/components/schemas/C'}\n    D: {$ref: 'other.yaml#/x'}\n    E: {$ref: '#/nowhere'}\n",
        );
        let a = doc.at("/components/schemas/A").unwrap();
        assert_eq!(doc.resolve(a).unwrap().pointer, "/components/schemas/B");
        let c = doc.at("/components/schemas/C").unwrap();
        assert!(matches!(doc.resolve(c), Err(RefError::Cycle { .. })));
        let d = doc.at("/components/schemas/D").unwrap();
        assert!(matches!(doc.resolve(d), Err(RefError::External { .. })));
        let e = doc.at("/components/schemas/E").unwrap();
        let error = doc.resolve(e).unwrap_err();
        assert_eq!(error.pointer(), "/components/schemas/E/$ref");
    }

    #[test]
    fn operations_in_document_order() {
        let doc =
            document("paths:\n  /b:\n    post: {operationId: p}\n    get: {operationId: g}\n  /a:\n    delete: {}\n");
        let found: Vec<(&str, &str)> = doc.operations().iter().map(|o| (o.path, o.method)).collect();
        assert_eq!(found, [("/b", "get"), ("/b", "post"), ("/a", "delete")]);
    }
}
