//! Security: requirements of operations and of the document, and the schemes in components.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::catalog::Rule;
use super::context::{Node, Sides, SortedEntries};
use super::operations::OperationPair;
use crate::model::{Change, Side};

/// One alternative of a `security` list: scheme name to scopes, with where it is.
struct Requirement {
    schemes: BTreeMap<String, Vec<String>>,
    pointer: String,
}

impl Requirement {
    /// The schemes it names, which is what identifies it; scopes are compared separately.
    fn identity(&self) -> String {
        self.schemes.keys().cloned().collect::<Vec<_>>().join(" + ")
    }
}

fn requirements(list: &Node<'_>) -> Vec<Requirement> {
    let count = list.value.as_array().map_or(0, Vec::len);
    (0..count)
        .filter_map(|index| list.index(index))
        .map(|requirement| {
            let schemes = requirement
                .value
                .as_object()
                .map(|object| {
                    object
                        .iter()
                        .map(|(name, scopes)| {
                            let scopes = scopes
                                .as_array()
                                .map(|list| list.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                                .unwrap_or_default();
                            (name.clone(), scopes)
                        })
                        .collect()
                })
                .unwrap_or_default();
            Requirement { schemes, pointer: requirement.pointer }
        })
        .collect()
}

fn describe(identity: &str) -> String {
    if identity.is_empty() { "no authentication".to_owned() } else { format!("`{identity}`") }
}

/// Compares the security requirements of one operation.
///
/// Only when one side states its own `security`; otherwise both inherit the document's, whose changes
/// are reported once (not once per operation).
pub(super) fn compare_operation_security(sides: &Sides<'_>, pair: &OperationPair<'_>, changes: &mut Vec<Change>) {
    let (base_own, head_own) = (pair.base.child("security"), pair.head.child("security"));
    if base_own.is_none() && head_own.is_none() {
        return;
    }
    let global = |side: Side| {
        let root = Node { value: &sides.document(side).root, pointer: String::new() };
        root.child("security")
    };
    let before = base_own.or_else(|| global(Side::Base)).map(|list| requirements(&list)).unwrap_or_default();
    let after = head_own.or_else(|| global(Side::Head)).map(|list| requirements(&list)).unwrap_or_default();
    let key = &pair.key;
    for requirement in &after {
        let identity = requirement.identity();
        let Some(old) = before.iter().find(|old| old.identity() == identity) else {
            let message = format!("the operation accepts {}", describe(&identity));
            changes.push(sides.change(Rule::SecurityAdded, Some(key), Side::Head, &requirement.pointer, message));
            continue;
        };
        for (scheme, scopes) in &requirement.schemes {
            let old_scopes: BTreeSet<&String> = old.schemes.get(scheme).into_iter().flatten().collect();
            for (index, scope) in scopes.iter().enumerate().filter(|(_, scope)| !old_scopes.contains(scope)) {
                let pointer = format!("{}/{}/{index}", requirement.pointer, codegen::spec::pointer::escape(scheme));
                let message = format!("`{scheme}` now needs the scope `{scope}`");
                changes.push(sides.change(Rule::SecurityScopeAdded, Some(key), Side::Head, &pointer, message));
            }
        }
        for (scheme, scopes) in &old.schemes {
            let new_scopes: BTreeSet<&String> = requirement.schemes.get(scheme).into_iter().flatten().collect();
            for (index, scope) in scopes.iter().enumerate().filter(|(_, scope)| !new_scopes.contains(scope)) {
                let pointer = format!("{}/{}/{index}", old.pointer, codegen::spec::pointer::escape(scheme));
                let message = format!("`{scheme}` no longer needs the scope `{scope}`");
                changes.push(sides.change(Rule::SecurityScopeRemoved, Some(key), Side::Base, &pointer, message));
            }
        }
    }
    for requirement in &before {
        let identity = requirement.identity();
        if !after.iter().any(|new| new.identity() == identity) {
            let message = format!("the operation no longer accepts {}", describe(&identity));
            changes.push(sides.change(Rule::SecurityRemoved, Some(key), Side::Base, &requirement.pointer, message));
        }
    }
}

/// Compares the document's `security` and `components/securitySchemes`.
pub(super) fn compare_document_security(sides: &Sides<'_>, changes: &mut Vec<Change>) {
    let root = |side: Side| Node { value: &sides.document(side).root, pointer: String::new() };
    let (base_root, head_root) = (root(Side::Base), root(Side::Head));
    let canonical = |requirement: &Requirement| {
        requirement
            .schemes
            .iter()
            .map(
                |(name, scopes)| {
                    if scopes.is_empty() { name.clone() } else { format!("{name} [{}]", scopes.join(", ")) }
                },
            )
            .collect::<Vec<_>>()
            .join(" + ")
    };
    let before = base_root.child("security").map(|list| requirements(&list)).unwrap_or_default();
    let after = head_root.child("security").map(|list| requirements(&list)).unwrap_or_default();
    for requirement in &after {
        if !before.iter().any(|old| canonical(old) == canonical(requirement)) {
            let message = format!("the API accepts {}", describe(&canonical(requirement)));
            changes.push(sides.change(Rule::GlobalSecurityAdded, None, Side::Head, &requirement.pointer, message));
        }
    }
    for requirement in &before {
        if !after.iter().any(|new| canonical(new) == canonical(requirement)) {
            let message = format!("the API no longer accepts {}", describe(&canonical(requirement)));
            changes.push(sides.change(Rule::GlobalSecurityRemoved, None, Side::Base, &requirement.pointer, message));
        }
    }
    let (old_schemes, new_schemes) = (security_schemes(&base_root), security_schemes(&head_root));
    for (name, scheme) in &new_schemes {
        match old_schemes.iter().find(|(old_name, _)| old_name == name) {
            None => {
                let message = format!("added the security scheme `{name}`");
                changes.push(sides.change(Rule::SecurityComponentAdded, None, Side::Head, &scheme.pointer, message));
            }
            Some((_, old)) => {
                let kind = |value: &Value| {
                    let text = |key: &str| value.get(key).and_then(Value::as_str).unwrap_or("").to_owned();
                    // For `http` schemes the HTTP scheme (digest, bearer) is what a client implements.
                    let scheme = text("scheme").to_ascii_lowercase();
                    if scheme.is_empty() { text("type") } else { format!("{} {scheme}", text("type")) }
                };
                let (before, after) = (kind(old.value), kind(scheme.value));
                if before != after {
                    let message = format!("the security scheme `{name}` changed type: {before} -> {after}");
                    changes.push(sides.change(
                        Rule::SecurityComponentTypeChanged,
                        None,
                        Side::Head,
                        &scheme.pointer,
                        message,
                    ));
                }
            }
        }
    }
    for (name, scheme) in &old_schemes {
        if !new_schemes.iter().any(|(new_name, _)| new_name == name) {
            let message = format!("removed the security scheme `{name}`");
            changes.push(sides.change(Rule::SecurityComponentRemoved, None, Side::Base, &scheme.pointer, message));
        }
    }
}

fn security_schemes<'a>(root: &Node<'a>) -> Vec<(String, Node<'a>)> {
    root.child("components").map(|components| components.entries_of("securitySchemes")).unwrap_or_default()
}
