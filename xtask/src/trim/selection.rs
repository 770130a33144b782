//! Which upstream operations `spec/selection.yaml` names. An entry is an operationId or `METHOD /path`.
//! operationIds are not stable upstream (`removeProjectApiKey` became `removeGroupApiKey` in September
//! 2025, with the same path and payloads), so an operationId upstream no longer has is looked up in the
//! record, which knows each operation's current and former operationIds by method and path, and the
//! operation now at that method and path is selected, with a note saying so.

use anyhow::bail;
use serde_json::Value;

use codegen::Record;
use codegen::record::{operation_key, operation_key_of_text};
use codegen::spec::Document;

/// The upstream operationIds the selection names, and a note for every entry followed through a rename.
pub(super) fn resolve(
    upstream: &Value,
    selection: &[String],
    record: &Record,
) -> anyhow::Result<(Vec<String>, Vec<String>)> {
    let document = Document::from_value(upstream.clone(), "upstream");
    let operations: Vec<(String, String)> = document
        .operations()
        .iter()
        .filter_map(|entry| Some((operation_key(entry.method, entry.path), entry.operation_id()?.to_owned())))
        .collect();
    let by_key = |key: &str| operations.iter().find(|(k, _)| k == key).map(|(_, id)| id.clone());
    let mut ids = Vec::new();
    let mut notes = Vec::new();
    let mut missing = Vec::new();
    for entry in selection {
        if operations.iter().any(|(_, id)| id == entry) {
            ids.push(entry.clone());
            continue;
        }
        if let Some(key) = operation_key_of_text(entry) {
            match by_key(&key) {
                Some(id) => ids.push(id),
                None => missing.push(entry.clone()),
            }
            continue;
        }
        match record.operation_named(entry).and_then(|key| by_key(key).map(|id| (key, id))) {
            Some((key, id)) => {
                notes.push(format!(
                    "spec/selection.yaml selects `{entry}`, which upstream now calls `{id}` (same operation: {key}); \
                     selected by its method and path; rename the entry when convenient"
                ));
                ids.push(id);
            }
            None => missing.push(entry.clone()),
        }
    }
    if !missing.is_empty() {
        bail!(
            "spec/selection.yaml selects {missing:?}, which the upstream spec does not have under that operationId, \
             nor (by spec/record.yaml) under another at the same method and path; select by `METHOD /path` or the \
             current operationId"
        );
    }
    Ok((ids, notes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upstream() -> Value {
        serde_json::json!({"paths": {
            "/orgs/{orgId}/apiKeys/{apiUserId}": {"delete": {"operationId": "deleteOrgApiKey"}},
            "/groups/{groupId}": {"get": {"operationId": "getGroup"}},
        }})
    }

    #[test]
    fn renamed_operation_ids_are_followed_through_the_record() {
        let record = codegen::record::parse(
            "format: 1\noperations:\n  DELETE /orgs/{}/apiKeys/{}:\n    operation_id: deleteApiKey\n    \
             method: delete_api_key\n    builder: DeleteApiKey\n    module: keys\n",
            "record.yaml",
        )
        .unwrap();
        let selection = ["deleteApiKey".to_owned(), "GET /groups/{projectId}".to_owned()];
        let (ids, notes) = resolve(&upstream(), &selection, &record).unwrap();
        assert_eq!(ids, ["deleteOrgApiKey", "getGroup"]);
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("now calls `deleteOrgApiKey`"), "{}", notes[0]);
        let unknown = resolve(&upstream(), &["nowhere".to_owned()], &record).unwrap_err();
        assert!(unknown.to_string().contains("[\"nowhere\"]"), "{unknown}");
    }
}
