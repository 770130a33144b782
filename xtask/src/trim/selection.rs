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

/// The shipped crate's method names survive the September 2025 renames: the operations of
/// `spec/selection.yaml`, cut from the upstream version before the renames (2025-08-26, where they are
/// `deleteApiKey` and `removeProjectApiKey`) and from the newest, generate with the committed record to the
/// same methods, the ones recorded first. Without the record, the older cut would name them otherwise.
#[cfg(test)]
mod renames {
    use crate::paths::{RECORD_FILE, workspace_root};

    #[test]
    fn the_shipped_names_survive_the_september_2025_renames() {
        let root = workspace_root();
        let before = root.join("../shared/upstream/history/2025-08-26_952099220e.yaml");
        let newest = root.join(super::super::DEFAULT_UPSTREAM);
        if !before.is_file() || !newest.is_file() {
            println!("skipped: the upstream specs come with ../shared, which is not here");
            return;
        }
        let record_text = std::fs::read_to_string(root.join(RECORD_FILE)).expect("the committed record");
        let record = codegen::record::parse(&record_text, RECORD_FILE).expect("it reads");
        let selection = vec!["deleteOrgApiKey".to_owned(), "removeGroupApiKey".to_owned()];
        let mut methods = Vec::new();
        for upstream in [&before, &newest] {
            let value = super::super::read_yaml(upstream).expect("the upstream spec reads");
            let (ids, notes) = super::resolve(&value, &selection, &record).expect("the selection resolves");
            let cut = super::super::slice(&value, &ids).expect("the cut");
            let document = codegen::spec::Document::from_value(cut, "cut");
            for record in [&record, &codegen::Record::default()] {
                let generated = codegen::generate_document(&document, &crate::options::shipped_client(), record)
                    .expect("the cut generates");
                let mut names: Vec<String> = generated.builders.values().map(|b| b.method.clone()).collect();
                names.sort();
                methods.push((upstream == &before, record.is_empty(), names, notes.len()));
            }
        }
        let recorded = ["delete_org_api_key", "remove_group_api_key"];
        for (older, fresh, names, notes) in &methods {
            match (older, fresh) {
                // Upstream called them deleteApiKey and removeProjectApiKey: followed by their paths.
                (true, false) => assert_eq!((names.as_slice(), *notes), (&recorded.map(String::from)[..], 2)),
                (true, true) => assert_eq!(names, &["delete_api_key", "remove_project_api_key"]),
                (false, _) => assert_eq!((names.as_slice(), *notes), (&recorded.map(String::from)[..], 0)),
            }
        }
    }
}
