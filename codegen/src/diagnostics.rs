//! Located errors: every problem the generator finds, with where it is in the input.

use std::fmt;

/// One problem in the input spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Where: a JSON pointer into the document (`/paths/~1orgs/delete/responses/200`).
    pub pointer: String,
    /// The 1-based line in the input file, when the loader knows it.
    pub line: Option<usize>,
    /// What is wrong, as a sentence.
    pub message: String,
}

/// Every problem one phase found; a phase reports all of them together rather than stopping at the first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    /// The input file name, as given by the caller.
    pub file: String,
    /// The problems, in the order they were found.
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub(crate) fn new(file: &str) -> Self {
        Diagnostics { file: file.to_owned(), items: Vec::new() }
    }

    pub(crate) fn push(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.items.push(Diagnostic { pointer: pointer.into(), line: None, message: message.into() });
    }

    /// True when nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Fails with the collected problems, if any: the "collect, then stop" point between phases.
    pub(crate) fn into_result(self) -> Result<(), Diagnostics> {
        if self.items.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for item in &self.items {
            match (item.line, item.pointer.is_empty()) {
                // A syntax error has a line but no place in a document that does not exist yet.
                (Some(line), true) => writeln!(f, "{}:{}: {}", self.file, line, item.message)?,
                (Some(line), false) => writeln!(f, "{}:{}: {}: {}", self.file, line, item.pointer, item.message)?,
                (None, _) => writeln!(f, "{}: {}: {}", self.file, display_pointer(&item.pointer), item.message)?,
            }
        }
        write!(f, "{} error(s)", self.items.len())
    }
}

fn display_pointer(pointer: &str) -> &str {
    if pointer.is_empty() { "(document root)" } else { pointer }
}

impl std::error::Error for Diagnostics {}

/// Escapes one JSON-pointer token (RFC 6901).
pub(crate) fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Builds a pointer from tokens.
pub(crate) fn pointer(tokens: &[&str]) -> String {
    tokens.iter().map(|t| format!("/{}", escape_token(t))).collect()
}
