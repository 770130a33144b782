//! Responses: status codes (success and not), headers, and each response's content.

use std::collections::BTreeSet;

use serde_json::Value;

use super::catalog::Rule;
use super::content::{Body, compare_content};
use super::context::{Node, Sides, SortedEntries};
use super::operations::OperationPair;
use super::schema::Direction;
use crate::model::{Change, Side};

/// `2xx` codes and the `2XX` range are success; `default` is not, since it usually describes errors.
fn is_success(status: &str) -> bool {
    status.starts_with('2')
}

/// Compares the responses of one operation.
pub(super) fn compare_responses(sides: &Sides<'_>, pair: &OperationPair<'_>, changes: &mut Vec<Change>) {
    let key = &pair.key;
    let base: Vec<(String, Node<'_>)> = pair.base.entries_of("responses");
    let head: Vec<(String, Node<'_>)> = pair.head.entries_of("responses");
    let find = |list: &[(String, Node<'_>)], status: &str| list.iter().any(|(code, _)| code == status);
    let removed: Vec<&(String, Node<'_>)> = base.iter().filter(|(code, _)| !find(&head, code)).collect();
    let added: Vec<&(String, Node<'_>)> = head.iter().filter(|(code, _)| !find(&base, code)).collect();
    let removed_success: Vec<_> = removed.iter().filter(|(code, _)| is_success(code)).collect();
    let added_success: Vec<_> = added.iter().filter(|(code, _)| is_success(code)).collect();
    // One success status swapped for another (200 -> 201) is one change; it breaks clients that match on it.
    let swapped = removed_success.len() == 1 && added_success.len() == 1;
    if swapped {
        let (old_code, _) = removed_success[0];
        let (new_code, new_response) = added_success[0];
        let message = format!("the success status changed: {old_code} -> {new_code}");
        changes.push(sides.change(
            Rule::ResponseSuccessStatusChanged,
            Some(key),
            Side::Head,
            &new_response.pointer,
            message,
        ));
    }
    for (code, response) in removed.iter().copied() {
        let rule = match is_success(code) {
            true if swapped => continue,
            true => Rule::ResponseSuccessStatusRemoved,
            false => Rule::ResponseNonSuccessStatusRemoved,
        };
        let message = format!("removed the {code} response");
        changes.push(sides.change(rule, Some(key), Side::Base, &response.pointer, message));
    }
    for (code, response) in added.iter().copied() {
        let rule = match is_success(code) {
            true if swapped => continue,
            true => Rule::ResponseSuccessStatusAdded,
            false => Rule::ResponseNonSuccessStatusAdded,
        };
        let message = format!("added the {code} response");
        changes.push(sides.change(rule, Some(key), Side::Head, &response.pointer, message));
    }
    if swapped {
        let (_, old_response) = removed_success[0];
        let (new_code, new_response) = added_success[0];
        compare_response(sides, pair, new_code, old_response, new_response, changes);
    }
    for (code, old_response) in &base {
        if let Some((_, new_response)) = head.iter().find(|(other, _)| other == code) {
            compare_response(sides, pair, code, old_response, new_response, changes);
        }
    }
}

/// Compares one response present on both sides: its headers and its content.
fn compare_response(
    sides: &Sides<'_>,
    pair: &OperationPair<'_>,
    code: &str,
    old: &Node<'_>,
    new: &Node<'_>,
    changes: &mut Vec<Change>,
) {
    if sides.unchanged(old.value, new.value) {
        return;
    }
    let old = sides.resolve(Side::Base, old.clone());
    let new = sides.resolve(Side::Head, new.clone());
    compare_headers(sides, pair, code, &old, &new, changes);
    let body = Body {
        key: &pair.key,
        direction: Direction::Response,
        context: format!("the {code} response"),
        sent: pair.sent.as_deref(),
        error: !is_success(code),
    };
    compare_content(sides, &body, old.child("content"), new.child("content"), changes);
}

fn compare_headers(
    sides: &Sides<'_>,
    pair: &OperationPair<'_>,
    code: &str,
    old: &Node<'_>,
    new: &Node<'_>,
    changes: &mut Vec<Change>,
) {
    let key = &pair.key;
    // Header names are case-insensitive in HTTP.
    let lower = |list: Vec<(String, Node<'_>)>, side: Side| -> Vec<(String, String, bool, String)> {
        list.into_iter()
            .map(|(name, header)| {
                let header = sides.resolve(side, header);
                let required = header.value.get("required").and_then(Value::as_bool).unwrap_or(false);
                (name.to_ascii_lowercase(), name, required, header.pointer)
            })
            .collect()
    };
    let before = lower(old.entries_of("headers"), Side::Base);
    let after = lower(new.entries_of("headers"), Side::Head);
    let names: BTreeSet<&String> = before.iter().chain(after.iter()).map(|(lower, ..)| lower).collect();
    for name in names {
        let old_header = before.iter().find(|(lower, ..)| lower == name);
        let new_header = after.iter().find(|(lower, ..)| lower == name);
        let (rule, side, pointer, message) = match (old_header, new_header) {
            (None, Some((_, shown, _, pointer))) => (
                Rule::ResponseHeaderAdded,
                Side::Head,
                pointer,
                format!("the {code} response has the new header `{shown}`"),
            ),
            (Some((_, shown, required, pointer)), None) => {
                let rule =
                    if *required { Rule::RequiredResponseHeaderRemoved } else { Rule::OptionalResponseHeaderRemoved };
                (rule, Side::Base, pointer, format!("the {code} response lost the header `{shown}`"))
            }
            (Some((_, _, true, _)), Some((_, shown, false, pointer))) => (
                Rule::ResponseHeaderBecameOptional,
                Side::Head,
                pointer,
                format!("the header `{shown}` of the {code} response became optional"),
            ),
            (Some((_, _, false, _)), Some((_, shown, true, pointer))) => (
                Rule::ResponseHeaderBecameRequired,
                Side::Head,
                pointer,
                format!("the header `{shown}` of the {code} response became required"),
            ),
            _ => continue,
        };
        changes.push(sides.change(rule, Some(key), side, pointer, message));
    }
}
