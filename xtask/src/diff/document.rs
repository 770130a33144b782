//! Spec text (YAML or JSON) to a JSON value, with the line of every node.
//!
//! One pass over yaml-rust2's events builds both the value and the line index, so the 4 MB upstream
//! spec is read once. Building `serde_json::Value` directly (rather than through serde) also lets
//! unquoted status codes like `200:` become string keys, as OpenAPI means them.

use std::collections::HashMap;

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A parsed spec document.
#[derive(Debug, Clone)]
pub(crate) struct Document {
    /// What to call the document in messages, e.g. `origin/main:spec/atlas-admin.yaml`.
    pub(crate) name: String,
    /// The whole document.
    pub(crate) root: Value,
    /// JSON pointer to 1-based line, for every node read from YAML text.
    lines: HashMap<String, usize>,
}

impl Document {
    /// Parses YAML or JSON text. An error names the document, the line and the column.
    pub(crate) fn parse(text: &str, name: &str) -> anyhow::Result<Document> {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        let yaml_result = parser.load(&mut builder, false);
        match (yaml_result, builder.error.take()) {
            (Ok(()), None) => {}
            (Err(scan_error), _) => {
                // A JSON document YAML can't read (tabs used as indentation, say) is still a JSON document.
                if let Ok(root) = serde_json::from_str::<Value>(text) {
                    return Document::from_value(root, name);
                }
                anyhow::bail!("{name}: not valid YAML or JSON: {scan_error}");
            }
            (Ok(()), Some(error)) => anyhow::bail!("{name}: {error}"),
        }
        let root = builder.finished.take().unwrap_or(Value::Null);
        let document = Document { name: name.to_owned(), root, lines: builder.lines };
        document.check_shape()?;
        Ok(document)
    }

    /// A document from a value without lines (JSON read by serde_json, or built in code).
    pub(crate) fn from_value(root: Value, name: &str) -> anyhow::Result<Document> {
        let document = Document { name: name.to_owned(), root, lines: HashMap::new() };
        document.check_shape()?;
        Ok(document)
    }

    /// The document that stands for a spec that does not exist yet: everything in the other side is new.
    pub(crate) fn empty(name: &str) -> Document {
        Document { name: name.to_owned(), root: Value::Object(Map::new()), lines: HashMap::new() }
    }

    /// The 1-based line where the node at `pointer` starts, when known.
    pub(crate) fn line_of(&self, pointer: &str) -> Option<usize> {
        self.lines.get(pointer).copied()
    }

    /// Only the top-level shape is checked here: the rules read what they need and skip what is
    /// malformed, so a half-broken spec still diffs rather than stopping the review.
    fn check_shape(&self) -> anyhow::Result<()> {
        let Some(object) = self.root.as_object() else {
            anyhow::bail!("{}: line 1: the document is not a mapping (expected an OpenAPI object)", self.name);
        };
        if let Some(paths) = object.get("paths")
            && !paths.is_object()
        {
            let line = self.line_of("/paths").map(|line| format!("line {line}: ")).unwrap_or_default();
            anyhow::bail!("{}: {line}/paths is not a mapping", self.name);
        }
        Ok(())
    }
}

/// Escapes one JSON pointer segment (RFC 6901: `~` then `/`).
pub(crate) fn escape_segment(segment: &str) -> String {
    if segment.contains(['~', '/']) { segment.replace('~', "~0").replace('/', "~1") } else { segment.to_owned() }
}

/// A collection being built, with the pointer length to return to when it ends.
enum Frame {
    Sequence { items: Vec<Value>, anchor: usize, pointer_len: usize },
    Mapping { entries: Map<String, Value>, pending_key: Option<String>, anchor: usize, pointer_len: usize },
}

/// Receives yaml-rust2 events and builds the value and the line index.
#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    /// The pointer of the node about to start (kept as one string that grows and shrinks).
    pointer: String,
    lines: HashMap<String, usize>,
    anchors: HashMap<usize, Value>,
    finished: Option<Value>,
    error: Option<String>,
}

impl Builder {
    /// Prepares the pointer for the next node and records its line; returns the length to restore.
    fn enter_node(&mut self, mark: Marker) -> usize {
        let restore = self.pointer.len();
        match self.stack.last_mut() {
            Some(Frame::Sequence { items, .. }) => {
                self.pointer.push('/');
                self.pointer.push_str(&items.len().to_string());
                self.lines.entry(self.pointer.clone()).or_insert(mark.line());
            }
            Some(Frame::Mapping { pending_key: Some(key), .. }) => {
                // The key's line was recorded when the key was read; that is where people look.
                self.pointer.push('/');
                self.pointer.push_str(&escape_segment(key));
            }
            Some(Frame::Mapping { pending_key: None, .. }) | None => {
                self.lines.entry(self.pointer.clone()).or_insert(mark.line());
            }
        }
        restore
    }

    /// Puts a finished node into its parent (or makes it the document).
    fn attach(&mut self, value: Value, anchor: usize, restore: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, value.clone());
        }
        self.pointer.truncate(restore);
        match self.stack.last_mut() {
            Some(Frame::Sequence { items, .. }) => items.push(value),
            Some(Frame::Mapping { entries, pending_key, .. }) => {
                if let Some(key) = pending_key.take() {
                    entries.insert(key, value);
                }
            }
            None => self.finished = Some(value),
        }
    }

    /// Handles a scalar that arrives where a mapping expects a key.
    fn take_key(&mut self, text: String, mark: Marker) {
        let mut key_pointer = self.pointer.clone();
        key_pointer.push('/');
        key_pointer.push_str(&escape_segment(&text));
        self.lines.entry(key_pointer).or_insert(mark.line());
        if let Some(Frame::Mapping { pending_key, .. }) = self.stack.last_mut() {
            *pending_key = Some(text);
        }
    }

    fn expects_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Mapping { pending_key: None, .. }))
    }

    fn fail(&mut self, mark: Marker, message: &str) {
        if self.error.is_none() {
            self.error = Some(format!("line {} column {}: {message}", mark.line(), mark.col() + 1));
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                if self.expects_key() {
                    // Keys are strings in OpenAPI whatever they look like (`200`, `true`).
                    self.take_key(text, mark);
                    return;
                }
                let restore = self.enter_node(mark);
                let value = resolve_scalar(text, style, tag.as_ref());
                self.attach(value, anchor, restore);
            }
            Event::Alias(anchor) => {
                let Some(value) = self.anchors.get(&anchor).cloned() else {
                    self.fail(mark, "alias to an unknown anchor");
                    return;
                };
                if self.expects_key() {
                    match value {
                        Value::String(text) => self.take_key(text, mark),
                        _ => self.fail(mark, "a mapping key must be a scalar"),
                    }
                    return;
                }
                let restore = self.enter_node(mark);
                self.attach(value, 0, restore);
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) if self.expects_key() => {
                let _ = anchor;
                self.fail(mark, "a mapping key must be a scalar, not a collection");
            }
            Event::SequenceStart(anchor, _) => {
                let pointer_len = self.enter_node(mark);
                self.stack.push(Frame::Sequence { items: Vec::new(), anchor, pointer_len });
            }
            Event::MappingStart(anchor, _) => {
                let pointer_len = self.enter_node(mark);
                self.stack.push(Frame::Mapping { entries: Map::new(), pending_key: None, anchor, pointer_len });
            }
            Event::SequenceEnd | Event::MappingEnd => match self.stack.pop() {
                Some(Frame::Sequence { items, anchor, pointer_len }) => {
                    self.attach(Value::Array(items), anchor, pointer_len)
                }
                Some(Frame::Mapping { entries, anchor, pointer_len, .. }) => {
                    self.attach(Value::Object(entries), anchor, pointer_len)
                }
                None => self.fail(mark, "unbalanced collection end"),
            },
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart | Event::DocumentEnd => {}
        }
    }
}

/// Resolves a scalar by the YAML 1.2 core schema; quoted and block scalars are always strings.
fn resolve_scalar(text: String, style: TScalarStyle, tag: Option<&Tag>) -> Value {
    if let Some(tag) = tag
        && tag.handle == "tag:yaml.org,2002:"
    {
        if tag.suffix == "str" {
            return Value::String(text);
        }
        return resolve_plain(text);
    }
    match style {
        TScalarStyle::Plain => resolve_plain(text),
        _ => Value::String(text),
    }
}

fn resolve_plain(text: String) -> Value {
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if looks_numeric(&text) {
        if let Ok(int) = text.parse::<i64>() {
            return Value::Number(int.into());
        }
        if let Ok(int) = text.parse::<u64>() {
            return Value::Number(int.into());
        }
        if let Some(number) = text.parse::<f64>().ok().and_then(Number::from_f64) {
            return Value::Number(number);
        }
    }
    if let Some(hex) = text.strip_prefix("0x")
        && let Ok(int) = i64::from_str_radix(hex, 16)
    {
        return Value::Number(int.into());
    }
    if let Some(octal) = text.strip_prefix("0o")
        && let Ok(int) = i64::from_str_radix(octal, 8)
    {
        return Value::Number(int.into());
    }
    Value::String(text)
}

/// The core schema's number forms; Rust's parser alone would also take `inf`, `NaN` and `1_0`.
fn looks_numeric(text: &str) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    !body.is_empty()
        && body.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && body.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
        && body.chars().any(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_json_of_one_document_are_equal() {
        let yaml =
            "openapi: 3.0.1\npaths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n";
        let json = r#"{"openapi": "3.0.1", "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}}"#;
        let from_yaml = Document::parse(yaml, "a.yaml").unwrap();
        let from_json = Document::parse(json, "a.json").unwrap();
        assert_eq!(from_yaml.root, from_json.root);
        assert_eq!(from_yaml.line_of("/paths/~1a/get"), Some(4));
        assert_eq!(from_yaml.line_of("/paths/~1a/get/responses/200"), Some(6));
    }

    #[test]
    fn broken_yaml_is_a_located_error() {
        let error = Document::parse("openapi: 3.0.1\npaths: [\n", "bad.yaml").unwrap_err().to_string();
        assert!(error.starts_with("bad.yaml: "), "{error}");
        assert!(error.contains("line"), "{error}");
    }

    #[test]
    fn scalars_follow_the_core_schema() {
        let doc = Document::parse("a: 1\nb: '1'\nc: 1.5\nd: yes\ne: ~\nf: 2023-01-01\n", "s.yaml").unwrap();
        assert_eq!(doc.root["a"], Value::from(1));
        assert_eq!(doc.root["b"], Value::from("1"));
        assert_eq!(doc.root["c"], Value::from(1.5));
        assert_eq!(doc.root["d"], Value::from("yes"));
        assert_eq!(doc.root["e"], Value::Null);
        assert_eq!(doc.root["f"], Value::from("2023-01-01"));
    }
}
