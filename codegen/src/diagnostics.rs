//! Located errors: every problem the generator finds, with where it is in the input.

use std::fmt;

/// One problem in the input spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Where: a JSON pointer into the document (`/paths/~1orgs/delete/responses/200`); empty for a problem
    /// found before there was a document (a syntax error, which has a line) or one about the whole file.
    pub pointer: String,
    /// The 1-based line in the input file; `None` only for problems that concern the whole file.
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
    /// No problems yet, for the file called `file`.
    pub fn new(file: &str) -> Self {
        Diagnostics { file: file.to_owned(), items: Vec::new() }
    }

    /// Records a problem at `pointer`; its line is filled in later from the document.
    pub fn push(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.items.push(Diagnostic { pointer: pointer.into(), line: None, message: message.into() });
    }

    /// Records a problem whose line is already known.
    pub(crate) fn push_at_line(&mut self, pointer: impl Into<String>, line: Option<usize>, message: impl Into<String>) {
        self.items.push(Diagnostic { pointer: pointer.into(), line, message: message.into() });
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
                (None, true) => writeln!(f, "{}: (the whole file): {}", self.file, item.message)?,
                (None, false) => writeln!(f, "{}: {}: {}", self.file, item.pointer, item.message)?,
            }
        }
        write!(f, "{} error(s)", self.items.len())
    }
}

impl std::error::Error for Diagnostics {}
