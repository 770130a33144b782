//! The record: every public name the generator has given, and the API version each operation sends, keyed by
//! what identifies the item on the wire. It is the generator's memory between regenerations.
//!
//! [`crate::generate_document`] reads a record and returns the next one. Names found in the record are used
//! as they are (an upstream rename of an operationId or a component keeps the Rust name); names of new items
//! are chosen so that they take no recorded name; items the record has and the spec no longer has are kept,
//! deprecated, until a regeneration with [`crate::Options::prune`]. Each operation keeps sending its recorded
//! version until [`crate::Options::adopt`] moves it.
//!
//! The text form (`spec/record.yaml` beside the spec) is YAML with a fixed order, so a regeneration that
//! changes nothing rewrites the same bytes and a pull request shows each changed name as one line.

mod from_plan;
mod read;
mod rename;
pub(crate) mod spelling;
mod write;

pub(crate) use from_plan::record as of_plan;

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

pub use read::parse;

/// The version of the record's format this generator reads and writes.
pub const FORMAT: u32 = 1;

/// Names and versions of one generated client, by wire identity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// The record format ([`FORMAT`]).
    #[serde(default)]
    pub format: u32,
    /// Modules (and cargo features) by the tag they hold.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub modules: BTreeMap<String, ModuleRecord>,
    /// Operations by method and path template with its parameters unnamed (`DELETE /orgs/{}/apiKeys/{}`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub operations: BTreeMap<String, OperationRecord>,
    /// Id types by their Rust name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub ids: BTreeMap<String, IdRecord>,
    /// The one struct of documented response headers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<HeadersRecord>,
    /// The body type of error answers (`types::ApiError`, or `Json` when operations disagree).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Data types by the place of their schema (`schemas/ApiKey`, `schemas/ApiKey (request)`,
    /// `schemas/ApiKey/properties/roles/items`, `GET /orgs/{} response 200`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub types: BTreeMap<String, TypeRecord>,
}

/// A module of operations and its cargo feature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleRecord {
    /// The module name (`programmatic_api_keys`).
    pub name: String,
    /// The cargo feature (`programmatic-api-keys`).
    pub feature: String,
}

/// One operation: its Rust names, the version it sends, and the types of what it takes and returns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationRecord {
    /// The operationId upstream gave it last (for people, and for selecting it by a name it once had).
    pub operation_id: String,
    /// operationIds it had before, newest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub former_ids: Vec<String>,
    /// The client method (`delete_org_api_key`).
    pub method: String,
    /// The request builder (`DeleteOrgApiKey`).
    pub builder: String,
    /// The module (by name) it lives in.
    pub module: String,
    /// The API version it sends (`2023-01-01`, `preview`), when its media types carry one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Required parameters, in argument order: `"<in> <name>"` → `"<rust name> <type>"`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub args: IndexMap<String, String>,
    /// Optional parameters (builder methods): `"<in> <name>"` → `"<rust name> <type>"`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub options: IndexMap<String, String>,
    /// The request body: `"<rust name> <type>"`, an argument when `body_required`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Whether the body is an argument of the client method (else a builder method).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub body_required: bool,
    /// The body type of each success status (`"204": "()"`).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub success: IndexMap<String, String>,
    /// The answer enum, when the success statuses have different bodies: its name, and a variant name per
    /// status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<AnswerRecord>,
}

/// An operation's answer enum.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerRecord {
    /// The enum's name.
    pub name: String,
    /// Status (`201`, `2XX`) → variant name.
    pub variants: IndexMap<String, String>,
}

/// An id newtype and the constraint it checks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdRecord {
    /// The parameter name it is named after (`orgId`).
    pub param: String,
    /// The spec's pattern.
    pub pattern: String,
    /// The spec's `minLength`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    /// The spec's `maxLength`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
}

/// The struct of documented response headers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeadersRecord {
    /// Its name.
    pub name: String,
    /// Header name → `"<rust name> <type>"`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub fields: IndexMap<String, String>,
}

/// One data type. Exactly one of `fields`, `values`, `tagged`/`untagged` (with `variants`), `alias` and
/// `newtype` says what it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeRecord {
    /// The Rust name.
    pub name: String,
    /// A struct's fields in declaration order: property → `"<rust name> <type>"`, the type being `T` for a
    /// required field, `Option<T>` for an optional one and `Nullable<T>` for a required one that may be null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<IndexMap<String, String>>,
    /// A string enum's values: value → variant name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<IndexMap<String, String>>,
    /// A union told apart by this property.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tagged: Option<String>,
    /// A union told apart by shape.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub untagged: bool,
    /// A union's variants: name → its payload type, and the discriminator values or the JSON kind it takes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variants: Option<IndexMap<String, VariantRecord>>,
    /// The catch-all variant of an enum or union (`Other`, `Unknown`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<String>,
    /// A type alias: the type it names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// A transparent newtype: the type it wraps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newtype: Option<String>,
}

/// One variant of a union.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariantRecord {
    /// The payload type.
    #[serde(rename = "type")]
    pub ty: String,
    /// Tagged unions: the discriminator values that mean it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Untagged unions: the JSON it accepts (`object`, `string`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

impl Record {
    /// The record as text, comments first: what `spec/record.yaml` holds.
    pub fn to_text(&self) -> String {
        write::to_text(self)
    }

    /// Whether nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.modules.is_empty()
            && self.operations.is_empty()
            && self.ids.is_empty()
            && self.headers.is_none()
            && self.error.is_none()
            && self.types.is_empty()
    }

    /// The operation recorded under `operation_id`, now or in the past: its key (`DELETE /orgs/{}/x`).
    pub fn operation_named(&self, operation_id: &str) -> Option<&str> {
        let now = self.operations.iter().find(|(_, op)| op.operation_id == operation_id);
        let then = || self.operations.iter().find(|(_, op)| op.former_ids.iter().any(|id| id == operation_id));
        now.or_else(then).map(|(key, _)| key.as_str())
    }
}

/// The key of an operation: its upper-case method and its path template with parameter names taken out, so
/// that renaming a path parameter (`{groupId}` → `{projectId}`), which changes nothing on the wire, keeps it.
pub fn operation_key(method: &str, path: &str) -> String {
    let mut key = String::with_capacity(path.len() + 8);
    key.push_str(&method.to_ascii_uppercase());
    key.push(' ');
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                key.push_str("{}");
            }
            '}' => in_param = false,
            _ if in_param => {}
            _ => key.push(c),
        }
    }
    key
}

/// The key named by `METHOD /path` text (`delete /orgs/{orgId}`), if the text is one.
pub fn operation_key_of_text(text: &str) -> Option<String> {
    let (method, path) = text.trim().split_once(' ')?;
    let method = method.to_ascii_lowercase();
    (crate::spec::HTTP_METHODS.contains(&method.as_str()) && path.starts_with('/'))
        .then(|| operation_key(&method, path.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_keys_ignore_parameter_names() {
        assert_eq!(operation_key("delete", "/groups/{groupId}/apiKeys/{apiUserId}"), "DELETE /groups/{}/apiKeys/{}");
        assert_eq!(
            operation_key("delete", "/groups/{projectId}/apiKeys/{id}"),
            operation_key("DELETE", "/groups/{groupId}/apiKeys/{apiUserId}")
        );
    }
}
