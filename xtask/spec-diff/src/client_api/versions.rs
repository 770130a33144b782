//! The API versions the clients send. Atlas refuses a request whose `Accept` names a version the operation
//! no longer offers, so removing the version an already built client sends breaks it, even when the head
//! offers a newer one (the head's client would send that; the base's does not). The record pins each
//! operation's version, so a newer one upstream is reported, not adopted; a head client that sends another
//! version (adopted deliberately) is reported too: what it sends changed.

use serde_json::Value;

use codegen::spec::media::MediaType;
use codegen::spec::{Document, Node};
use codegen::{ClientApi, OperationApi};

use super::Clients;
use crate::model::{Change, OperationKey, Side};
use crate::rules::Rule;

/// The media types `operation` offers under `section`: its success answers (`responses`, the statuses the
/// `Accept` is chosen from) or its `requestBody`, `$ref`s followed.
fn offered<'a>(document: &'a Document, operation: &Node<'a>, section: &str) -> Vec<String> {
    let resolve = |node: Node<'a>| document.resolve(node.clone()).unwrap_or(node).value;
    let bodies: Vec<&Value> = match section {
        "responses" => operation
            .child("responses")
            .map(|responses| {
                responses
                    .entries()
                    .into_iter()
                    .filter(|(status, _)| status.starts_with('2'))
                    .map(|(_, response)| resolve(response))
                    .collect()
            })
            .unwrap_or_default(),
        _ => operation.child(section).map(resolve).into_iter().collect(),
    };
    bodies
        .iter()
        .filter_map(|body| body.get("content").and_then(Value::as_object))
        .flat_map(|content| content.keys().cloned())
        .collect()
}

/// Appends a finding for every operation both clients have whose head client sends another version, and
/// for every operation that newly offers a version newer than the one its head client sends.
pub(super) fn compare_sent(clients: &Clients<'_>, base: &ClientApi, head: &ClientApi, changes: &mut Vec<Change>) {
    for ((method, path), after) in &head.operations {
        let key =
            OperationKey { path: path.clone(), method: method.clone(), operation_id: Some(after.operation_id.clone()) };
        let before: Option<&OperationApi> = base.operations.get(&(method.clone(), path.clone()));
        if let Some(before) = before
            && (before.accept != after.accept || before.content_type != after.content_type)
        {
            let message = format!(
                "the client sends `{}` for `{}` instead of `{}`{}",
                after.version.as_deref().unwrap_or(&after.accept),
                after.method,
                before.version.as_deref().unwrap_or(&before.accept),
                if before.version.is_some() && after.version.is_some() { " (API version adopted)" } else { "" }
            );
            changes.push(clients.change(
                Rule::ClientSentVersionChanged,
                Some(key.clone()),
                (Side::Head, &after.pointer),
                None,
                message,
            ));
        }
        let known = before.map_or(&[][..], |b| b.newer_versions.as_slice());
        let new: Vec<&str> = after.newer_versions.iter().filter(|v| !known.contains(v)).map(String::as_str).collect();
        if !new.is_empty() {
            let message = format!(
                "`{}` offers {} besides the {} its client sends; the client keeps its version until \
                 `cargo xtask regenerate --adopt {}`",
                after.operation_id,
                new.join(", "),
                after.version.as_deref().unwrap_or("version"),
                after.operation_id
            );
            changes.push(clients.change(
                Rule::ClientNewerVersionOffered,
                Some(key),
                (Side::Head, &after.pointer),
                None,
                message,
            ));
        }
    }
}

/// Appends a finding for every operation whose base `Accept` or `Content-Type` the head no longer offers.
pub(super) fn compare(clients: &Clients<'_>, base: &ClientApi, changes: &mut Vec<Change>) {
    let head_document = clients.head.0;
    for ((method, path), sent) in &base.operations {
        let pointer = codegen::spec::pointer::from_tokens(&["paths", path, &method.to_ascii_lowercase()]);
        let Some(operation) = head_document.at(&pointer) else { continue };
        // Named as the rules name an operation on both sides: by the head's operationId.
        let operation_id = operation.value.get("operationId").and_then(Value::as_str).map(str::to_owned);
        let key = OperationKey { path: path.clone(), method: method.clone(), operation_id };
        let mut check = |section: &str, header: &str, media: &str| {
            // Success answers without content say nothing; only a listed set that lacks the base's media
            // type is a removal.
            let offered = offered(head_document, &operation, section);
            if offered.is_empty() || offered.iter().any(|name| MediaType::parse(name).essence == media) {
                return;
            }
            let message = format!(
                "the client generated from the base sends `{header}: {media}` for `{}`, which the head no longer offers (it offers {})",
                sent.method,
                offered.join(", ")
            );
            let rule = Rule::ClientSentVersionRemoved;
            changes.push(clients.change(rule, Some(key.clone()), (Side::Head, &pointer), None, message));
        };
        if !sent.accept.is_empty() && sent.accept != "*/*" {
            check("responses", "Accept", &sent.accept);
        }
        if let Some(content_type) = &sent.content_type {
            check("requestBody", "Content-Type", content_type);
        }
    }
}
