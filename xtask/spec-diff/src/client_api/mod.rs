//! The generated client's public API at base and at head, compared: each difference is a finding with its
//! own rule, so a semver-breaking change to the client fails the run like a breaking spec change does.
//!
//! Both sides are described by the generator itself ([`codegen::client_api`]), from the same plan it
//! writes the code from, without writing it.

mod compare;
mod versions;

use codegen::{ClientApi, Diagnostics};

use crate::model::{Change, Side};
use crate::rules::Rule;
use codegen::spec::Document;

/// Both sides: the document, and the client it generates or why it does not.
pub struct Clients<'a> {
    /// The base document and its client.
    pub base: (&'a Document, Result<&'a ClientApi, &'a Diagnostics>),
    /// The head document and its client.
    pub head: (&'a Document, Result<&'a ClientApi, &'a Diagnostics>),
}

impl Clients<'_> {
    fn document(&self, side: Side) -> &Document {
        match side {
            Side::Base => self.base.0,
            Side::Head => self.head.0,
        }
    }

    /// A change located in one document, its line filled in; `item` is the client item's key, when the
    /// finding is about one.
    fn change(
        &self,
        rule: Rule,
        operation: Option<crate::model::OperationKey>,
        (side, pointer): (Side, &str),
        item: Option<&str>,
        message: String,
    ) -> Change {
        let change = Change::at(rule, operation, (self.document(side), side, pointer), message);
        Change { item: item.map(str::to_owned), ..change }
    }
}

/// Every client-API finding: generation failures, item changes, and versions the base client sends that the
/// head no longer offers.
pub fn diff(clients: &Clients<'_>) -> Vec<Change> {
    let mut changes = Vec::new();
    for (side, result) in [(Side::Base, &clients.base.1), (Side::Head, &clients.head.1)] {
        if let Err(diagnostics) = result {
            changes.push(generation_failed(clients, side, diagnostics));
        }
    }
    if let (Ok(base), Ok(head)) = (clients.base.1, clients.head.1) {
        compare::compare(clients, base, head, &mut changes);
        versions::compare(clients, base, &mut changes);
        versions::compare_sent(clients, base, head, &mut changes);
    }
    changes
}

/// The finding for a side whose spec the generator rejects, naming its first problem and how many follow.
fn generation_failed(clients: &Clients<'_>, side: Side, diagnostics: &Diagnostics) -> Change {
    let first = diagnostics.items.first();
    let pointer = first.map(|item| item.pointer.clone()).unwrap_or_default();
    let text = diagnostics.to_string();
    let first_line = text.lines().next().unwrap_or("no message");
    let more = diagnostics.items.len().saturating_sub(1);
    let more = if more > 0 { format!(" (and {more} more)") } else { String::new() };
    let message = format!("the client cannot be generated from the {} spec: {first_line}{more}", side.name());
    clients.change(Rule::ClientGenerationFailed, None, (side, &pointer), None, message)
}
