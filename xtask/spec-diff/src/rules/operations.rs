//! Operations: added, removed (with or without deprecation), deprecated, reactivated, operationId and
//! `x-sunset`. Then hands each operation present on both sides to the other areas.

use std::collections::{BTreeMap, BTreeSet};

use codegen::spec::OperationEntry;

use serde_json::Value;

use super::catalog::Rule;
use super::context::{Node, Sides};
use super::{content, parameters, responses, security, sent};
use crate::model::{Change, OperationKey, Side};

/// Stands in for a missing node so lookups need no special case.
static MISSING: Value = Value::Null;

/// One operation present on both sides, with its path items (for path-level parameters).
pub(super) struct OperationPair<'a> {
    /// Which operation this is.
    pub(super) key: OperationKey,
    /// The operation object in the base.
    pub(super) base: Node<'a>,
    /// The operation object in the head.
    pub(super) head: Node<'a>,
    /// The path item holding it in the base.
    pub(super) base_item: Node<'a>,
    /// The path item holding it in the head.
    pub(super) head_item: Node<'a>,
    /// The API version the client generated from the base sends for it, when its media types carry one.
    pub(super) sent: Option<String>,
}

/// Compares every operation of both documents, matched by method and path.
pub(super) fn compare_paths(sides: &Sides<'_>, changes: &mut Vec<Change>) {
    let base = operations_of(sides, Side::Base);
    let head = operations_of(sides, Side::Head);
    let keys: BTreeSet<&(String, &str)> = base.keys().chain(head.keys()).collect();
    for key in keys {
        let (path, method) = (&key.0, key.1);
        let (base_entry, head_entry) = (base.get(key), head.get(key));
        let operation_id = head_entry.or(base_entry).and_then(|entry| entry.operation_id()).map(str::to_owned);
        let key = OperationKey { path: path.clone(), method: method.to_uppercase(), operation_id };
        match (base_entry, head_entry) {
            (None, None) => {}
            (None, Some(head)) => changes.push(sides.change(
                Rule::EndpointAdded,
                Some(&key),
                Side::Head,
                &head.pointer,
                format!("added the operation {key}"),
            )),
            (Some(base), None) => {
                let rule = if is_deprecated(base.value) {
                    Rule::RemovedWithDeprecation
                } else {
                    Rule::RemovedWithoutDeprecation
                };
                changes.push(sides.change(
                    rule,
                    Some(&key),
                    Side::Base,
                    &base.pointer,
                    format!("removed the operation {key}"),
                ));
            }
            (Some(base), Some(head)) => {
                if sides.unchanged(base.path_item, head.path_item) {
                    continue;
                }
                let node = |value, pointer: &String| Node { value, pointer: pointer.clone() };
                let base_operation = node(base.value, &base.pointer);
                let sent = sent::sent_version(sides, Side::Base, &base_operation);
                let pair = OperationPair {
                    key,
                    sent,
                    base: base_operation,
                    head: node(head.value, &head.pointer),
                    base_item: node(base.path_item, &base.path_pointer),
                    head_item: node(head.path_item, &head.path_pointer),
                };
                compare_operation(sides, &pair, changes);
            }
        }
    }
}

/// The operations of one side (from the one reader's list), by path and method.
fn operations_of<'a>(sides: &Sides<'a>, side: Side) -> BTreeMap<(String, &'static str), OperationEntry<'a>> {
    sides
        .document(side)
        .operations()
        .into_iter()
        .filter(|entry| entry.value.is_object())
        .map(|entry| ((entry.path.to_owned(), entry.method), entry))
        .collect()
}

fn operation_id_of(operation: &Node<'_>) -> Option<String> {
    operation.value.get("operationId").and_then(Value::as_str).map(str::to_owned)
}

fn is_deprecated(value: &Value) -> bool {
    value.get("deprecated").and_then(Value::as_bool).unwrap_or(false)
}

/// Compares one operation present on both sides.
fn compare_operation(sides: &Sides<'_>, pair: &OperationPair<'_>, changes: &mut Vec<Change>) {
    let path_parameters_unchanged = sides.unchanged(
        pair.base_item.value.get("parameters").unwrap_or(&MISSING),
        pair.head_item.value.get("parameters").unwrap_or(&MISSING),
    );
    if path_parameters_unchanged && sides.unchanged(pair.base.value, pair.head.value) {
        return;
    }
    let key = &pair.key;
    match (operation_id_of(&pair.base), operation_id_of(&pair.head)) {
        (None, Some(id)) => changes.push(sides.change(
            Rule::OperationIdAdded,
            Some(key),
            Side::Head,
            &format!("{}/operationId", pair.head.pointer),
            format!("added the operationId `{id}`"),
        )),
        (Some(id), None) => changes.push(sides.change(
            Rule::OperationIdRemoved,
            Some(key),
            Side::Base,
            &format!("{}/operationId", pair.base.pointer),
            format!("removed the operationId `{id}`"),
        )),
        (Some(before), Some(after)) if before != after => changes.push(sides.change(
            Rule::OperationIdChanged,
            Some(key),
            Side::Head,
            &format!("{}/operationId", pair.head.pointer),
            format!("operationId changed: `{before}` -> `{after}`"),
        )),
        _ => {}
    }
    match (is_deprecated(pair.base.value), is_deprecated(pair.head.value)) {
        (false, true) => changes.push(sides.change(
            Rule::EndpointDeprecated,
            Some(key),
            Side::Head,
            &format!("{}/deprecated", pair.head.pointer),
            format!("deprecated the operation {key}"),
        )),
        (true, false) => changes.push(sides.change(
            Rule::EndpointReactivated,
            Some(key),
            // Node at the flag that went away.
            Side::Base,
            &format!("{}/deprecated", pair.base.pointer),
            format!("the operation {key} is no longer deprecated"),
        )),
        _ => {}
    }
    compare_sunset(sides, key, &pair.base, &pair.head, "the operation", changes);
    parameters::compare_parameters(sides, pair, changes);
    content::compare_request_bodies(sides, pair, changes);
    responses::compare_responses(sides, pair, changes);
    security::compare_operation_security(sides, pair, changes);
}

/// Compares the `x-sunset` dates of two matching nodes (an operation, or one media type of a response).
pub(super) fn compare_sunset(
    sides: &Sides<'_>,
    key: &OperationKey,
    base: &Node<'_>,
    head: &Node<'_>,
    what: &str,
    changes: &mut Vec<Change>,
) {
    let base_date = base.value.get("x-sunset").and_then(Value::as_str);
    let head_date = head.value.get("x-sunset").and_then(Value::as_str);
    let (rule, side, node, message) = match (base_date, head_date) {
        (None, Some(date)) => {
            (Rule::SunsetAdded, Side::Head, head, format!("{what} will be removed on {date} (x-sunset)"))
        }
        (Some(date), None) => {
            (Rule::SunsetRemoved, Side::Base, base, format!("{what} no longer has a sunset date (was {date})"))
        }
        // ISO dates compare correctly as text; anything else is compared the same way, for stability.
        (Some(before), Some(after)) if before > after => (
            Rule::SunsetBroughtForward,
            Side::Head,
            head,
            format!("{what}'s sunset moved earlier: {before} -> {after}"),
        ),
        (Some(before), Some(after)) if before < after => {
            (Rule::SunsetPostponed, Side::Head, head, format!("{what}'s sunset moved later: {before} -> {after}"))
        }
        _ => return,
    };
    let pointer = format!("{}/x-sunset", node.pointer);
    changes.push(sides.change(rule, Some(key), side, &pointer, message));
}
