//! The document as openapiv3 is allowed to see it: every schema replaced by a placeholder.
//!
//! openapiv3 types the structure (operations, parameters, bodies, responses, security); schemas are read
//! by [`super::schema`] from the value tree. Replacing them here keeps openapiv3 from re-reading them (its
//! untagged enums retry every variant on the way up, which is exponential in the depth of an invalid leaf)
//! and means there is one reader of schemas, not two that could disagree.
//!
//! Callbacks are emptied too: they describe requests the service makes to the caller, which a client does
//! not generate, and they are openapiv3's one recursive structure besides schemas (a callback holds
//! operations that hold callbacks), whose deserialisation takes several large stack frames per level: 50
//! levels of nested callbacks, well inside the reader's depth limit, overflowed a 2 MiB thread stack.

use serde_json::{Map, Value};

use crate::spec::HTTP_METHODS;

/// A copy of `root` in which every schema object is `{}` (or `{"$ref": ...}` when it is a reference), and
/// every callbacks map is empty.
pub(super) fn skeleton(root: &Value) -> Value {
    let mut copy = root.clone();
    empty_callbacks(&mut copy);
    // Component schemas: each entry is a schema.
    if let Some(Value::Object(schemas)) = copy.pointer_mut("/components/schemas") {
        for schema in schemas.values_mut() {
            *schema = placeholder(schema);
        }
    }
    // Everywhere else a schema is the value of a `schema` key (parameters, headers, media types). The walk
    // keeps its own stack, so no nesting can overflow it.
    let mut stack: Vec<&mut Value> = vec![&mut copy];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(entries) => {
                for (key, child) in entries.iter_mut() {
                    if key == "schema" && child.is_object() {
                        *child = placeholder(child);
                    } else {
                        stack.push(child);
                    }
                }
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
    copy
}

/// Empties `components.callbacks` and the `callbacks` of every operation.
fn empty_callbacks(root: &mut Value) {
    if let Some(callbacks) = root.pointer_mut("/components/callbacks") {
        *callbacks = Value::Object(Map::new());
    }
    let Some(Value::Object(paths)) = root.get_mut("paths") else { return };
    for item in paths.values_mut() {
        for method in HTTP_METHODS {
            if let Some(callbacks) = item.get_mut(*method).and_then(|operation| operation.get_mut("callbacks")) {
                *callbacks = Value::Object(Map::new());
            }
        }
    }
}

fn placeholder(schema: &Value) -> Value {
    let mut out = Map::new();
    if let Some(reference) = schema.get("$ref") {
        out.insert("$ref".to_owned(), reference.clone());
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_become_placeholders_and_refs_stay() {
        let root = serde_json::json!({
            "paths": {"/a": {"get": {"parameters": [{"name": "x", "in": "query", "schema": {"type": ["string", "null"]}}],
                "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}}},
            "components": {"schemas": {"A": {"type": "object", "properties": {"schema": {"type": "string"}}}}}
        });
        let skeleton = skeleton(&root);
        assert_eq!(skeleton["paths"]["/a"]["get"]["parameters"][0]["schema"], serde_json::json!({}));
        assert_eq!(
            skeleton["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
            serde_json::json!({"$ref": "#/components/schemas/A"})
        );
        assert_eq!(skeleton["components"]["schemas"]["A"], serde_json::json!({}));
    }

    #[test]
    fn callbacks_are_emptied() {
        let nested = serde_json::json!({"c": {"{$url}": {"post": {"callbacks": {"d": {}}, "responses": {}}}}});
        let root = serde_json::json!({
            "paths": {"/a": {"get": {"callbacks": nested.clone(), "responses": {}}}},
            "components": {"callbacks": nested}
        });
        let skeleton = skeleton(&root);
        assert_eq!(skeleton["paths"]["/a"]["get"]["callbacks"], serde_json::json!({}));
        assert_eq!(skeleton["components"]["callbacks"], serde_json::json!({}));
    }
}
