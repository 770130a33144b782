//! Parameters: added, removed, required or not, deprecated, and their schema's type, pattern, enum and
//! value constraints.

use std::collections::BTreeMap;

use serde_json::Value;

use super::catalog::Rule;
use super::constraints::{self, Place};
use super::context::{Node, Sides};
use super::operations::OperationPair;
use super::view::{enum_values, type_of};
use crate::model::{Change, Side};

/// A parameter: where the operation lists it (maybe a `$ref`), and what it resolves to.
struct Parameter<'a> {
    /// The list entry; additions, removals and required changes are located here, since the
    /// component a `$ref` names may well still exist.
    site: String,
    /// The parameter object itself.
    value: &'a Value,
    /// Its pointer after `$ref`s were followed; schema changes are located under it.
    resolved: Node<'a>,
}

/// The parameters an operation takes, path-level ones included, keyed by (location, name).
///
/// An operation's own parameter overrides a path-level one with the same key, as OpenAPI says.
fn effective_parameters<'a>(
    sides: &Sides<'a>,
    side: Side,
    item: &Node<'a>,
    operation: &Node<'a>,
) -> BTreeMap<(String, String), Parameter<'a>> {
    let mut parameters = BTreeMap::new();
    for holder in [item, operation] {
        let Some(list) = holder.child("parameters") else { continue };
        let count = list.value.as_array().map_or(0, Vec::len);
        for index in 0..count {
            let Some(entry) = list.index(index) else { continue };
            let site = entry.pointer.clone();
            let resolved = sides.resolve(side, entry);
            let location = resolved.value.get("in").and_then(Value::as_str);
            let name = resolved.value.get("name").and_then(Value::as_str);
            if let (Some(location), Some(name)) = (location, name) {
                let parameter = Parameter { site, value: resolved.value, resolved: resolved.clone() };
                parameters.insert((location.to_owned(), name.to_owned()), parameter);
            }
        }
    }
    parameters
}

fn is_required(parameter: &Value) -> bool {
    // Path parameters are required whatever the document says.
    parameter.get("in").and_then(Value::as_str) == Some("path")
        || parameter.get("required").and_then(Value::as_bool).unwrap_or(false)
}

/// Compares the parameters of one operation.
pub(super) fn compare_parameters(sides: &Sides<'_>, pair: &OperationPair<'_>, changes: &mut Vec<Change>) {
    let base = effective_parameters(sides, Side::Base, &pair.base_item, &pair.base);
    let head = effective_parameters(sides, Side::Head, &pair.head_item, &pair.head);
    let key = &pair.key;
    for ((location, name), parameter) in &head {
        if base.contains_key(&(location.clone(), name.clone())) {
            continue;
        }
        let (rule, kind) = if is_required(parameter.value) {
            (Rule::NewRequiredRequestParameter, "required")
        } else {
            (Rule::NewOptionalRequestParameter, "optional")
        };
        let message = format!("added the {kind} {location} parameter `{name}`");
        changes.push(sides.change(rule, Some(key), Side::Head, &parameter.site, message));
    }
    for ((location, name), before) in &base {
        let Some(after) = head.get(&(location.clone(), name.clone())) else {
            let message = format!("removed the {location} parameter `{name}`");
            changes.push(sides.change(Rule::RequestParameterRemoved, Some(key), Side::Base, &before.site, message));
            continue;
        };
        if sides.unchanged(before.value, after.value) {
            continue;
        }
        let label = format!("{location} parameter `{name}`");
        match (is_required(before.value), is_required(after.value)) {
            (false, true) => changes.push(sides.change(
                Rule::RequestParameterBecameRequired,
                Some(key),
                Side::Head,
                &after.site,
                format!("the {label} became required"),
            )),
            (true, false) => changes.push(sides.change(
                Rule::RequestParameterBecameOptional,
                Some(key),
                Side::Head,
                &after.site,
                format!("the {label} became optional"),
            )),
            _ => {}
        }
        let deprecated = |value: &Value| value.get("deprecated").and_then(Value::as_bool).unwrap_or(false);
        if !deprecated(before.value) && deprecated(after.value) {
            let message = format!("deprecated the {label}");
            changes.push(sides.change(Rule::RequestParameterDeprecated, Some(key), Side::Head, &after.site, message));
        }
        if let (Some(before_schema), Some(after_schema)) =
            (before.resolved.child("schema"), after.resolved.child("schema"))
        {
            let before_schema = sides.resolve(Side::Base, before_schema);
            let after_schema = sides.resolve(Side::Head, after_schema);
            compare_parameter_schema(sides, pair, &label, &before_schema, &after_schema, changes);
        }
    }
}

/// Type, pattern, enum and constraints of a parameter's schema, and of its items for array parameters.
fn compare_parameter_schema(
    sides: &Sides<'_>,
    pair: &OperationPair<'_>,
    label: &str,
    before: &Node<'_>,
    after: &Node<'_>,
    changes: &mut Vec<Change>,
) {
    let key = &pair.key;
    // Additions and modifications are located in the head, removals in the base where they still are.
    let mut push = |rule: Rule, side: Side, pointer: &str, message: String| {
        changes.push(sides.change(rule, Some(key), side, pointer, message));
    };
    let (before_type, after_type) = (type_of(before.value), type_of(after.value));
    if before_type != after_type {
        let rule = if before_type.widens_to(&after_type) {
            Rule::RequestParameterTypeGeneralized
        } else {
            Rule::RequestParameterTypeChanged
        };
        push(
            rule,
            Side::Head,
            &after.pointer,
            format!("the type of the {label} changed: {} -> {}", before_type.describe(), after_type.describe()),
        );
        return;
    }
    let pattern = |value: &Value| value.get("pattern").and_then(Value::as_str).map(str::to_owned);
    match (pattern(before.value), pattern(after.value)) {
        (None, Some(new)) => push(
            Rule::RequestParameterPatternAdded,
            Side::Head,
            &format!("{}/pattern", after.pointer),
            format!("the {label} must now match `{new}`"),
        ),
        (Some(old), None) => push(
            Rule::RequestParameterPatternRemoved,
            Side::Base,
            &format!("{}/pattern", before.pointer),
            format!("the {label} no longer has to match `{old}`"),
        ),
        (Some(old), Some(new)) if old != new => push(
            Rule::RequestParameterPatternChanged,
            Side::Head,
            &format!("{}/pattern", after.pointer),
            format!("the pattern of the {label} changed: `{old}` -> `{new}`"),
        ),
        _ => {}
    }
    match (enum_values(before), enum_values(after)) {
        (None, Some(new)) => push(
            Rule::RequestParameterBecameEnum,
            Side::Head,
            &new.pointer,
            format!("the {label} was restricted to an enum"),
        ),
        (Some(old), None) => push(
            Rule::RequestParameterNoLongerEnum,
            Side::Base,
            &old.pointer,
            format!("the {label} is no longer restricted to an enum ({} values)", old.values.len()),
        ),
        (Some(old), Some(new)) => {
            for (value, pointer) in new.values.iter().filter(|(value, _)| !old.values.contains_key(*value)) {
                push(
                    Rule::RequestParameterEnumValueAdded,
                    Side::Head,
                    pointer,
                    format!("the {label} accepts the new value {value}"),
                );
            }
            for (value, pointer) in old.values.iter().filter(|(value, _)| !new.values.contains_key(*value)) {
                push(
                    Rule::RequestParameterEnumValueRemoved,
                    Side::Base,
                    pointer,
                    format!("the {label} no longer accepts the value {value}"),
                );
            }
        }
        _ => {}
    }
    let (old, new) = (constraints::Constraints::read(before), constraints::Constraints::read(after));
    for change in constraints::compare(&old, &new, Place::RequestParameter, &format!("the {label}")) {
        push(change.rule, change.side, &change.pointer, change.message);
    }
    if let (Some(before_items), Some(after_items)) = (before.child("items"), after.child("items")) {
        let before_items = sides.resolve(Side::Base, before_items);
        let after_items = sides.resolve(Side::Head, after_items);
        compare_parameter_schema(sides, pair, &format!("{label} (items)"), &before_items, &after_items, changes);
    }
}
