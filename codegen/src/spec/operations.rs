//! The operations of a document: every HTTP method under every path, in document order.

use serde_json::Value;

use super::pointer::{child, from_tokens};

/// The HTTP methods an OpenAPI path item may hold, in the order OpenAPI lists them.
pub const HTTP_METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// One operation of a document.
#[derive(Debug, Clone)]
pub struct OperationEntry<'a> {
    /// The path template (`/api/atlas/v2/orgs/{orgId}`).
    pub path: &'a str,
    /// The method in lower case (`delete`).
    pub method: &'static str,
    /// Where the operation object is.
    pub pointer: String,
    /// The operation object.
    pub value: &'a Value,
    /// The path item it belongs to (for path-level parameters).
    pub path_item: &'a Value,
    /// Where the path item is.
    pub path_pointer: String,
}

impl OperationEntry<'_> {
    /// The `operationId`, when there is one.
    pub fn operation_id(&self) -> Option<&str> {
        self.value.get("operationId").and_then(Value::as_str)
    }
}

/// Every operation under `paths`, in document order; path items that are not mappings are skipped (the
/// generator reports them).
pub(super) fn operations(root: &Value) -> Vec<OperationEntry<'_>> {
    let Some(paths) = root.get("paths").and_then(Value::as_object) else { return Vec::new() };
    let mut out = Vec::new();
    for (path, item) in paths {
        let Some(item_object) = item.as_object() else { continue };
        let path_pointer = from_tokens(&["paths", path]);
        for method in HTTP_METHODS {
            if let Some(value) = item_object.get(*method) {
                out.push(OperationEntry {
                    path,
                    method,
                    pointer: child(&path_pointer, method),
                    value,
                    path_item: item,
                    path_pointer: path_pointer.clone(),
                });
            }
        }
    }
    out
}
