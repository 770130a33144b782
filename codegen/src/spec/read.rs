//! Text (YAML or JSON) to a JSON value and the line of every node, in one pass over yaml-rust2's events.
//!
//! Building `serde_json::Value` directly (rather than through serde) lets unquoted status codes like `200:`
//! become string keys, as OpenAPI means them, and keeps the walk iterative: collections under construction
//! live on an explicit stack, so no input can overflow the Rust stack. Depth, node count (alias expansions
//! included, so an alias bomb stops early) and input size are bounded by [`super::limits`]. Lines are
//! recorded per node in [`Lines`], whose cost does not grow with the node's depth.

use std::collections::HashMap;

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::limits::{MAX_DEPTH, MAX_INPUT_BYTES, MAX_NODES};
pub(super) use super::lines::Lines;
use super::lines::NodeId;

/// What reading produced: the value and its lines, or where and why it failed.
pub(super) type ReadResult = Result<(Value, Lines), ReadError>;

/// A text that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ReadError {
    /// The 1-based line, when the problem is at one place; `None` when it concerns the whole file.
    pub(super) line: Option<usize>,
    /// What is wrong.
    pub(super) message: String,
}

/// Reads `text`. JSON is YAML's flow syntax, so one parser serves both; JSON that YAML refuses (tabs used
/// as indentation) is read by serde_json, without lines.
pub(super) fn read(text: &str) -> ReadResult {
    if text.len() > MAX_INPUT_BYTES {
        return Err(ReadError {
            line: None,
            message: format!("the file is {} bytes; at most {MAX_INPUT_BYTES} are read", text.len()),
        });
    }
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    let outcome = parser.load(&mut builder, true);
    if let Some(error) = builder.error.take() {
        return Err(error);
    }
    if let Err(scan) = outcome {
        if text.trim_start().starts_with(['{', '['])
            && let Ok(root) = serde_json::from_str::<Value>(text)
        {
            return Ok((root, Lines::default()));
        }
        let line = scan.marker().line();
        let message = scan.info().to_owned();
        return Err(ReadError { line: Some(line.max(1)), message: format!("not valid YAML or JSON: {message}") });
    }
    match builder.finished.take() {
        Some(root) => Ok((root, builder.lines)),
        None => Err(ReadError {
            line: None,
            message: "the file holds no document (it is empty or only comments)".to_owned(),
        }),
    }
}

/// A collection being built, with its node in the line index.
enum Frame {
    Sequence { items: Vec<Value>, anchor: usize, node: NodeId },
    Mapping { entries: Map<String, Value>, pending_key: Option<PendingKey>, anchor: usize, node: NodeId },
}

/// A mapping key read, waiting for its value: the key, its line, and the node its value is.
struct PendingKey {
    key: String,
    line: usize,
    node: NodeId,
}

/// Receives yaml-rust2 events and builds the value and the line index.
#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    lines: Lines,
    anchors: HashMap<usize, (Value, usize)>,
    finished: Option<Value>,
    documents: usize,
    nodes: usize,
    error: Option<ReadError>,
}

impl Builder {
    /// Records the node about to start in the line index; returns its id.
    fn enter_node(&mut self, mark: Marker) -> NodeId {
        match self.stack.last() {
            Some(Frame::Sequence { items, node, .. }) => self.lines.item(*node, items.len(), mark.line()),
            // The key's line was recorded when the key was read; that is where people look.
            Some(Frame::Mapping { pending_key: Some(pending), .. }) => pending.node,
            // A value where a key is expected: the mapping's own line stands for it.
            Some(Frame::Mapping { pending_key: None, node, .. }) => *node,
            None => self.lines.root(mark.line()),
        }
    }

    /// Puts a finished node into its parent (or makes it the document).
    fn attach(&mut self, value: Value, anchor: usize, weight: usize, mark: Marker) {
        if anchor != 0 {
            self.anchors.insert(anchor, (value.clone(), weight));
        }
        let mut duplicate = None;
        match self.stack.last_mut() {
            Some(Frame::Sequence { items, .. }) => items.push(value),
            Some(Frame::Mapping { entries, pending_key, .. }) => {
                if let Some(PendingKey { key, line, .. }) = pending_key.take() {
                    if entries.contains_key(&key) {
                        duplicate = Some((key.clone(), line));
                    }
                    entries.insert(key, value);
                }
            }
            None => {
                if self.finished.is_some() {
                    self.fail(mark.line(), "a second YAML document in one file; a spec is one document".to_owned());
                }
                self.finished = Some(value);
            }
        }
        if let Some((key, line)) = duplicate {
            self.fail(line, format!("the key {key:?} appears twice in one mapping"));
        }
    }

    /// Handles a scalar that arrives where a mapping expects a key.
    fn take_key(&mut self, text: String, line: usize) {
        if let Some(Frame::Mapping { pending_key, node: parent, .. }) = self.stack.last_mut() {
            let node = self.lines.key(*parent, &text, line);
            *pending_key = Some(PendingKey { key: text, line, node });
        }
    }

    fn expects_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Mapping { pending_key: None, .. }))
    }

    /// Counts `weight` more nodes; false (with an error) past the bound.
    fn count(&mut self, weight: usize, line: usize) -> bool {
        self.nodes = self.nodes.saturating_add(weight);
        if self.nodes > MAX_NODES {
            self.fail(line, format!("the document has more than {MAX_NODES} nodes (aliases expanded)"));
            return false;
        }
        true
    }

    fn fail(&mut self, line: usize, message: String) {
        if self.error.is_none() {
            self.error = Some(ReadError { line: Some(line.max(1)), message });
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        let line = mark.line();
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                if self.expects_key() {
                    // Keys are strings in OpenAPI whatever they look like (`200`, `true`).
                    self.take_key(text, line);
                    return;
                }
                if !self.count(1, line) {
                    return;
                }
                self.enter_node(mark);
                let value = resolve_scalar(text, style, tag.as_ref());
                self.attach(value, anchor, 1, mark);
            }
            Event::Alias(anchor) => {
                let Some((value, weight)) = self.anchors.get(&anchor).cloned() else {
                    self.fail(line, "an alias to an unknown anchor".to_owned());
                    return;
                };
                if self.expects_key() {
                    match value {
                        Value::String(text) => self.take_key(text, line),
                        _ => self.fail(line, "a mapping key must be a scalar".to_owned()),
                    }
                    return;
                }
                if !self.count(weight, line) {
                    return;
                }
                self.enter_node(mark);
                self.attach(value, 0, weight, mark);
            }
            Event::SequenceStart(..) | Event::MappingStart(..) if self.expects_key() => {
                self.fail(line, "a mapping key must be a scalar, not a collection".to_owned());
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    self.fail(line, format!("nesting deeper than {MAX_DEPTH} levels"));
                    return;
                }
                if !self.count(1, line) {
                    return;
                }
                let node = self.enter_node(mark);
                let frame = if matches!(event, Event::SequenceStart(..)) {
                    Frame::Sequence { items: Vec::new(), anchor, node }
                } else {
                    Frame::Mapping { entries: Map::new(), pending_key: None, anchor, node }
                };
                self.stack.push(frame);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, anchor) = match self.stack.pop() {
                    Some(Frame::Sequence { items, anchor, .. }) => (Value::Array(items), anchor),
                    Some(Frame::Mapping { entries, anchor, .. }) => (Value::Object(entries), anchor),
                    None => {
                        self.fail(line, "an unbalanced end of a collection".to_owned());
                        return;
                    }
                };
                let weight = if anchor == 0 { 0 } else { node_count(&value) };
                self.attach(value, anchor, weight, mark);
            }
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents > 1 {
                    self.fail(line, "a second YAML document in one file; a spec is one document".to_owned());
                }
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
    }
}

/// How many nodes a value holds, counted without recursion (an anchored value may be aliased many times).
fn node_count(value: &Value) -> usize {
    let mut count = 0;
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        count += 1;
        match value {
            Value::Array(items) => stack.extend(items),
            Value::Object(entries) => stack.extend(entries.values()),
            _ => {}
        }
    }
    count
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

    fn lines_of(text: &str) -> Lines {
        read(text).expect("reads").1
    }

    #[test]
    fn yaml_and_json_of_one_document_are_equal() {
        let yaml =
            "openapi: 3.0.1\npaths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n";
        let json = r#"{"openapi": "3.0.1", "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}}"#;
        assert_eq!(read(yaml).unwrap().0, read(json).unwrap().0);
        let lines = lines_of(yaml);
        assert_eq!(lines.get("/paths/~1a/get"), Some(4));
        assert_eq!(lines.get("/paths/~1a/get/responses/200"), Some(6));
    }

    #[test]
    fn scalars_follow_the_core_schema() {
        let (root, _) = read("a: 1\nb: '1'\nc: 1.5\nd: yes\ne: ~\nf: 2023-01-01\n").unwrap();
        assert_eq!(root["a"], Value::from(1));
        assert_eq!(root["b"], Value::from("1"));
        assert_eq!(root["c"], Value::from(1.5));
        assert_eq!(root["d"], Value::from("yes"));
        assert_eq!(root["e"], Value::Null);
        assert_eq!(root["f"], Value::from("2023-01-01"));
    }

    #[test]
    fn broken_yaml_is_located() {
        let error = read("openapi: 3.0.1\npaths: [\n  a: b: c\n").unwrap_err();
        assert!(error.line.is_some(), "{error:?}");
    }

    #[test]
    fn empty_and_comment_only_files_concern_the_whole_file() {
        for text in ["", "# only a comment\n", "\n\n"] {
            let error = read(text).unwrap_err();
            assert_eq!(error.line, None, "{text:?}");
            assert!(error.message.contains("no document"), "{error:?}");
        }
    }

    #[test]
    fn a_second_document_is_an_error_at_its_line() {
        let error = read("openapi: 3.0.1\n---\nopenapi: 3.0.2\n").unwrap_err();
        assert_eq!(error.line, Some(2), "{error:?}");
    }

    #[test]
    fn duplicate_keys_are_an_error_at_the_second_key() {
        let error = read("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(error.line, Some(3), "{error:?}");
    }

    #[test]
    fn deep_nesting_and_alias_bombs_stop_early() {
        let deep = format!("a: {}", "[".repeat(100_000));
        assert!(read(&deep).is_err());
        let block: String = (0..300).map(|depth| format!("{}k:\n", "  ".repeat(depth))).collect();
        assert!(read(&block).unwrap_err().message.contains("nesting deeper"));
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..12 {
            let prev = level - 1;
            bomb.push_str(&format!("a{level}: &a{level} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
        }
        let error = read(&bomb).unwrap_err();
        assert!(error.message.contains("more than"), "{error:?}");
    }

    #[test]
    fn a_next_line_character_in_a_key_still_has_lines() {
        let text = "openapi: 3.0.1\npaths:\n  \"/a\u{85}b\":\n    get: {}\n";
        let (root, lines) = read(text).unwrap();
        assert!(root["paths"].as_object().unwrap().keys().next().unwrap().contains('\u{85}'));
        assert!(lines.has_key(|k| k.contains('\u{85}')), "{lines:?}");
    }
}
