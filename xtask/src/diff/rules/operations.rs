//! Operations: added, removed (with or without deprecation), deprecated, reactivated, operationId and
//! `x-sunset`. Then hands each operation present on both sides to the other areas.

use std::collections::BTreeSet;

use serde_json::Value;

use super::catalog::Rule;
use super::context::{Located, Sides};
use super::{content, parameters, responses, security};
use crate::diff::model::{Change, OperationKey, Side};

/// The HTTP methods an OpenAPI 3.0 path item can hold.
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Stands in for a missing node so lookups need no special case.
static MISSING: Value = Value::Null;

/// One operation present on both sides, with its path items (for path-level parameters).
pub(super) struct OperationPair<'a> {
    /// Which operation this is.
    pub(super) key: OperationKey,
    /// The operation object in the base.
    pub(super) base: Located<'a>,
    /// The operation object in the head.
    pub(super) head: Located<'a>,
    /// The path item holding it in the base.
    pub(super) base_item: Located<'a>,
    /// The path item holding it in the head.
    pub(super) head_item: Located<'a>,
}

/// Compares every operation of every path.
pub(super) fn compare_paths(sides: &Sides<'_>, changes: &mut Vec<Change>) {
    let base_paths = paths_of(sides, Side::Base);
    let head_paths = paths_of(sides, Side::Head);
    let names: BTreeSet<&String> = base_paths.iter().chain(head_paths.iter()).map(|(name, _)| name).collect();
    for name in names {
        let base_item = base_paths.iter().find(|(path, _)| path == name).map(|(_, item)| item);
        let head_item = head_paths.iter().find(|(path, _)| path == name).map(|(_, item)| item);
        if let (Some(base_item), Some(head_item)) = (base_item, head_item)
            && sides.unchanged(base_item.value, head_item.value)
        {
            continue;
        }
        for method in METHODS {
            let base_operation = base_item.and_then(|item| operation_of(item, method));
            let head_operation = head_item.and_then(|item| operation_of(item, method));
            let operation_id = head_operation.as_ref().or(base_operation.as_ref()).and_then(|op| operation_id_of(op));
            let key = OperationKey { path: name.clone(), method: method.to_uppercase(), operation_id };
            match (base_operation, head_operation) {
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
                    let (Some(base_item), Some(head_item)) = (base_item, head_item) else { continue };
                    let pair =
                        OperationPair { key, base, head, base_item: base_item.clone(), head_item: head_item.clone() };
                    compare_operation(sides, &pair, changes);
                }
            }
        }
    }
}

/// The path items of one side, resolved, in key order.
fn paths_of<'a>(sides: &Sides<'a>, side: Side) -> Vec<(String, Located<'a>)> {
    let root = Located { value: &sides.document(side).root, pointer: String::new() };
    root.entries("paths")
        .into_iter()
        .filter(|(name, _)| name.starts_with('/'))
        .map(|(name, item)| (name, sides.resolve(side, item)))
        .collect()
}

fn operation_of<'a>(item: &Located<'a>, method: &str) -> Option<Located<'a>> {
    item.child(method).filter(|operation| operation.value.is_object())
}

fn operation_id_of(operation: &Located<'_>) -> Option<String> {
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
            // Located at the flag that went away.
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
    base: &Located<'_>,
    head: &Located<'_>,
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
