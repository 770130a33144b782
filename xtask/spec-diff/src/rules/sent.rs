//! The API version a client generated from one side sends for an operation (its `Accept`, and the
//! `Content-Type` of its request body): the version the base record pins, else the one the generator's own
//! policy (`codegen::spec::media::choose_version`) chooses. Removing a version the client does not send,
//! while the one it sends stays, costs it nothing.

use codegen::spec::media::{MediaType, Version, VersionChoice, choose_version, is_date};
use serde_json::Value;

use super::context::{Node, Sides};
use crate::model::Side;

/// The version label the client generated from `side` sends for `operation`; `None` when its media types
/// carry no version (or every one is newer than the document's pin).
pub(super) fn sent_version(sides: &Sides<'_>, side: Side, operation: &Node<'_>) -> Option<String> {
    if side == Side::Base
        && let Some(pinned) = recorded_version(sides, operation)
    {
        return Some(pinned);
    }
    let mut bodies: Vec<Node<'_>> = Vec::new();
    if let Some(responses) = operation.child("responses") {
        for (status, response) in responses.entries() {
            if status.starts_with('2') {
                bodies.push(sides.resolve(side, response));
            }
        }
    }
    if let Some(body) = operation.child("requestBody") {
        bodies.push(sides.resolve(side, body));
    }
    let mut offered: Vec<Version> = bodies
        .iter()
        .filter_map(|body| body.value.get("content").and_then(Value::as_object))
        .flat_map(|content| content.keys())
        .filter_map(|name| MediaType::parse(name).version)
        .collect();
    offered.sort();
    offered.dedup();
    let pin = sides.document(side).root.get("x-pinned-version").and_then(Value::as_str).filter(|pin| is_date(pin));
    match choose_version(&offered, pin, false) {
        VersionChoice::Use(version) => version.map(|version| version.label().to_owned()),
        VersionChoice::NewerThanPin => None,
    }
}

/// The version the base record pins `operation` (at `/paths/<path>/<method>`) to.
fn recorded_version(sides: &Sides<'_>, operation: &Node<'_>) -> Option<String> {
    let mut tokens = operation.pointer.rsplitn(3, '/');
    let method = tokens.next()?;
    let path = codegen::spec::pointer::unescape(tokens.next()?);
    let key = codegen::record::operation_key(method, &path);
    sides.base_record.operations.get(&key)?.version.clone()
}
