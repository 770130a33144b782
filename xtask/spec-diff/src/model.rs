//! What a spec diff produces: changes with a rule, a level, an operation and a location.

use std::fmt;

use super::rules::Rule;

/// How much a change matters to a client of the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Breaking: existing clients can fail. Sorted first.
    Error,
    /// Probably harmless, but a reviewer should look.
    Warning,
    /// Not breaking.
    Info,
}

impl Level {
    /// The lowercase name used on the command line, in JSON and in allow-lists.
    pub fn name(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
        }
    }

    /// Parses the command-line name (`error`, `warning`, `info`).
    pub fn parse(text: &str) -> Option<Level> {
        match text {
            "error" => Some(Level::Error),
            "warning" => Some(Level::Warning),
            "info" => Some(Level::Info),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which of the two documents a location points into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// The older document (removals are located here, since the head no longer has the item).
    Base,
    /// The newer document (additions and modifications are located here).
    Head,
}

impl Side {
    /// `base` or `head`.
    pub fn name(self) -> &'static str {
        match self {
            Side::Base => "base",
            Side::Head => "head",
        }
    }
}

/// The operation a change belongs to.
///
/// Operations are matched by method and path, because operationIds are not stable upstream
/// (`removeProjectApiKey` became `removeGroupApiKey`); the id is carried for people and allow-lists.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OperationKey {
    /// The path template, e.g. `/api/atlas/v2/groups/{groupId}`.
    pub path: String,
    /// The HTTP method in upper case.
    pub method: String,
    /// The head's operationId, or the base's when the operation was removed.
    pub operation_id: Option<String>,
}

impl fmt::Display for OperationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.operation_id {
            Some(id) => write!(f, "{id} ({} {})", self.method, self.path),
            None => write!(f, "{} {}", self.method, self.path),
        }
    }
}

/// Where a change is, in one of the two documents.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// Which document `pointer` and `line` refer to.
    pub side: Side,
    /// A JSON pointer (RFC 6901) to the node, after `$ref`s were followed.
    pub pointer: String,
    /// The 1-based line of the node, when the document came with a line index.
    pub line: Option<usize>,
}

/// One reported difference between base and head.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// The rule that found it; gives the stable id and the level.
    pub rule: Rule,
    /// The operation it affects; `None` for document-wide changes (global security, components).
    pub operation: Option<OperationKey>,
    /// Where it is.
    pub location: Location,
    /// A sentence for people. Nothing matches on it.
    pub message: String,
    /// For a client finding, the item's key (`field types::ApiError::error_code`): many items share one
    /// location (every field of a type), so allow-list entries and duplicates are told apart by it.
    pub item: Option<String>,
}

impl Change {
    /// A change at `pointer` in `document` (the side named by `side`), its line filled in from the document.
    pub fn at(
        rule: Rule,
        operation: Option<OperationKey>,
        (document, side, pointer): (&codegen::spec::Document, Side, &str),
        message: String,
    ) -> Change {
        let line = document.line_of(pointer);
        Change { rule, operation, location: Location { side, pointer: pointer.to_owned(), line }, message, item: None }
    }

    /// The level of the rule that found this change.
    pub fn level(&self) -> Level {
        self.rule.level()
    }

    /// The key that orders reports: breaking first, then by operation, rule and place.
    fn sort_key(&self) -> (Level, Option<&OperationKey>, &'static str, &Location, &str) {
        (self.level(), self.operation.as_ref(), self.rule.id(), &self.location, &self.message)
    }
}

/// Sorts changes into report order and drops duplicates.
///
/// A duplicate is the same rule at the same place for the same operation, which happens when one
/// component is reached twice (two versions of a response sharing a schema, say). Client findings are
/// located at the schema or operation an item comes from, which many items share (every field of a
/// type), so for them the item is part of what makes a finding.
pub fn normalise(changes: &mut Vec<Change>) {
    changes.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    changes.dedup_by(|later, earlier| {
        later.rule == earlier.rule
            && later.operation == earlier.operation
            && later.location == earlier.location
            && later.item == earlier.item
    });
}
