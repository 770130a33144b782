//! Two public APIs compared item by item. Removals and signature changes break programs built against the
//! base client, and so does an item that stops being compiled under a cargo feature it was compiled under;
//! additions do not: every generated struct and enum is `#[non_exhaustive]` (answer enums included), so a
//! new field or variant is compatible.
//! An item the head spec no longer has but the record keeps (deprecated) is reported as kept.

use std::collections::BTreeMap;

use codegen::{ApiItem, ClientApi};

use super::Clients;
use crate::model::{Change, OperationKey, Side};
use crate::rules::Rule;

/// The operation an item belongs to, as the rules name operations.
fn operation_of(by_id: &BTreeMap<&str, (&str, &str)>, item: &ApiItem) -> Option<OperationKey> {
    let id = item.operation.as_deref()?;
    let (method, path) = by_id.get(id).copied()?;
    Some(OperationKey { path: path.to_owned(), method: method.to_owned(), operation_id: Some(id.to_owned()) })
}

fn operations_by_id(api: &ClientApi) -> BTreeMap<&str, (&str, &str)> {
    api.operations
        .iter()
        .map(|((method, path), operation)| (operation.operation_id.as_str(), (method.as_str(), path.as_str())))
        .collect()
}

/// The features an item is compiled under: its own, or every feature of its client when it is always
/// compiled.
fn features<'a>(api: &'a ClientApi, item: &'a ApiItem) -> &'a std::collections::BTreeSet<String> {
    item.features.as_ref().unwrap_or(&api.features)
}

/// Whether a user who enables one feature the base item is compiled under may lose the head item.
fn narrowed(base: &ClientApi, before: &ApiItem, head: &ClientApi, after: &ApiItem) -> bool {
    after.features.is_some() && !features(base, before).is_subset(features(head, after))
}

/// Appends a finding for every item that differs.
pub(super) fn compare(clients: &Clients<'_>, base: &ClientApi, head: &ClientApi, changes: &mut Vec<Change>) {
    let (base_ids, head_ids) = (operations_by_id(base), operations_by_id(head));
    for (key, before) in &base.items {
        let operation = |item| operation_of(&base_ids, item);
        match head.items.get(key) {
            None => {
                let message = format!("the client no longer has `{key}` ({})", before.signature);
                let change = clients.change(
                    Rule::ClientItemRemoved,
                    operation(before),
                    (Side::Base, &before.pointer),
                    Some(key),
                    message,
                );
                changes.push(change);
            }
            Some(after) if after.signature != before.signature || narrowed(base, before, head, after) => {
                let message = if after.signature != before.signature {
                    format!("`{key}` changed: `{}` -> `{}`", before.signature, after.signature)
                } else {
                    format!("`{key}` is no longer compiled under every cargo feature it was")
                };
                let operation = operation_of(&head_ids, after);
                changes.push(clients.change(
                    Rule::ClientItemChanged,
                    operation,
                    (Side::Head, &after.pointer),
                    Some(key),
                    message,
                ));
            }
            Some(after) if after.kept && !before.kept => {
                let message = format!("the head spec no longer has `{key}`; the record keeps it, deprecated");
                let operation = operation_of(&head_ids, after);
                let at = if after.pointer.is_empty() { &before.pointer } else { &after.pointer };
                let side = if after.pointer.is_empty() { Side::Base } else { Side::Head };
                changes.push(clients.change(Rule::ClientItemKept, operation, (side, at), Some(key), message));
            }
            Some(_) => {}
        }
    }
    for (key, after) in head.items.iter().filter(|(key, _)| !base.items.contains_key(*key)) {
        let message = format!("the client has the new `{key}` ({})", after.signature);
        let operation = operation_of(&head_ids, after);
        changes.push(clients.change(
            Rule::ClientItemAdded,
            operation,
            (Side::Head, &after.pointer),
            Some(key),
            message,
        ));
    }
}
