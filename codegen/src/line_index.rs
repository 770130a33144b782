//! Maps JSON pointers to line numbers in the input text, so diagnostics can say where a problem is.
//!
//! Built from yaml-rust2's marked events, which cover JSON input too (JSON is YAML flow syntax).

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostics::escape_token;

/// Pointer → 1-based line of the node's key (or of the node itself for sequence items and the root).
#[derive(Debug, Default)]
pub(crate) struct LineIndex {
    lines: HashMap<String, usize>,
}

impl LineIndex {
    /// Indexes `text`; text that does not parse gives an empty index (the loader reports the parse error).
    pub(crate) fn new(text: &str) -> Self {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        if parser.load(&mut builder, false).is_err() {
            return LineIndex::default();
        }
        LineIndex { lines: builder.lines }
    }

    /// The line of `pointer`, or of its nearest indexed ancestor.
    pub(crate) fn line_of(&self, pointer: &str) -> Option<usize> {
        let mut current = pointer;
        loop {
            if let Some(line) = self.lines.get(current) {
                return Some(*line);
            }
            let cut = current.rfind('/')?;
            current = &current[..cut];
        }
    }
}

enum Frame {
    /// In a mapping: the pointer of the mapping, and the pending key (None while waiting for a key).
    Mapping {
        pointer: String,
        key: Option<(String, usize)>,
    },
    Sequence {
        pointer: String,
        next: usize,
    },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    lines: HashMap<String, usize>,
}

impl Builder {
    /// Called for every value node: returns its pointer and records its line.
    fn value_pointer(&mut self, mark: Marker) -> Option<String> {
        match self.stack.last_mut() {
            None => {
                self.lines.insert(String::new(), mark.line());
                Some(String::new())
            }
            Some(Frame::Sequence { pointer, next }) => {
                let child = format!("{pointer}/{next}");
                *next += 1;
                self.lines.entry(child.clone()).or_insert(mark.line());
                Some(child)
            }
            Some(Frame::Mapping { pointer, key }) => {
                let (name, key_line) = key.take()?;
                let child = format!("{pointer}/{}", escape_token(&name));
                self.lines.entry(child.clone()).or_insert(key_line);
                Some(child)
            }
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(value, ..) => {
                // A scalar in key position of a mapping is a key, not a value.
                if let Some(Frame::Mapping { key, .. }) = self.stack.last_mut()
                    && key.is_none()
                {
                    *key = Some((value, mark.line()));
                    return;
                }
                self.value_pointer(mark);
            }
            Event::Alias(_) => {
                self.value_pointer(mark);
            }
            Event::MappingStart(..) => {
                let pointer = self.value_pointer(mark).unwrap_or_default();
                self.stack.push(Frame::Mapping { pointer, key: None });
            }
            Event::SequenceStart(..) => {
                let pointer = self.value_pointer(mark).unwrap_or_default();
                self.stack.push(Frame::Sequence { pointer, next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_keys_and_items_get_their_lines() {
        let text = "a:\n  b: 1\n  c:\n    - x\n    - y: 2\n\"d/e\": 3\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_of("/a"), Some(1));
        assert_eq!(index.line_of("/a/b"), Some(2));
        assert_eq!(index.line_of("/a/c/1"), Some(5));
        assert_eq!(index.line_of("/a/c/1/y"), Some(5));
        assert_eq!(index.line_of("/d~1e"), Some(6));
        assert_eq!(index.line_of("/a/c/1/missing"), Some(5), "falls back to the nearest ancestor");
    }

    #[test]
    fn json_is_indexed_too() {
        let text = "{\n  \"a\": {\n    \"b\": [1,\n 2]\n  }\n}\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_of("/a/b"), Some(3));
    }
}
