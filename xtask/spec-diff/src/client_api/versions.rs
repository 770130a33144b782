//! The media types the base client sends. Atlas refuses a request whose `Accept` names a version the
//! operation no longer offers, so removing the version an already built client sends breaks it, even when
//! the head offers a newer one (the head's client would send that; the base's does not).

use serde_json::Value;

use codegen::ClientApi;
use codegen::spec::media::MediaType;

use super::Clients;
use crate::model::{Change, OperationKey, Side};
use crate::rules::Rule;

/// The media types `operation` offers under `section`: its success answers (`responses`, the statuses the
/// `Accept` is chosen from) or its `requestBody`.
fn offered(operation: &Value, section: &str) -> Vec<String> {
    let contents: Vec<&Value> = match section {
        "responses" => operation
            .get("responses")
            .and_then(Value::as_object)
            .map(|responses| {
                responses
                    .iter()
                    .filter(|(status, _)| status.starts_with('2'))
                    .filter_map(|(_, response)| response.get("content"))
                    .collect()
            })
            .unwrap_or_default(),
        _ => operation.get(section).and_then(|body| body.get("content")).into_iter().collect(),
    };
    contents.iter().filter_map(|content| content.as_object()).flat_map(|content| content.keys().cloned()).collect()
}

/// Appends a finding for every operation whose base `Accept` or `Content-Type` the head no longer offers.
pub(super) fn compare(clients: &Clients<'_>, base: &ClientApi, changes: &mut Vec<Change>) {
    let head_document = clients.head.0;
    for ((method, path), sent) in &base.operations {
        let pointer = codegen::spec::pointer::from_tokens(&["paths", path, &method.to_ascii_lowercase()]);
        let Some(operation) = head_document.root.pointer(&pointer) else { continue };
        let key =
            OperationKey { path: path.clone(), method: method.clone(), operation_id: Some(sent.operation_id.clone()) };
        let mut check = |section: &str, header: &str, media: &str| {
            // A response whose media types are `$ref`ed or absent says nothing; only a listed set that lacks
            // the base's media type is a removal.
            let offered = offered(operation, section);
            if offered.is_empty() || offered.iter().any(|name| MediaType::parse(name).essence == media) {
                return;
            }
            let message = format!(
                "the client generated from the base sends `{header}: {media}` for `{}`, which the head no longer offers (it offers {})",
                sent.method,
                offered.join(", ")
            );
            changes.push(clients.change(
                Rule::ClientSentVersionRemoved,
                Some(key.clone()),
                Side::Head,
                &pointer,
                message,
            ));
        };
        if !sent.accept.is_empty() && sent.accept != "*/*" {
            check("responses", "Accept", &sent.accept);
        }
        if let Some(content_type) = &sent.content_type {
            check("requestBody", "Content-Type", content_type);
        }
    }
}
