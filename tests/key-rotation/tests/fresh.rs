//! The generated code of this crate is what the generator writes from `spec/key-rotation.yaml` today, with
//! the options the shipped client is generated with (Atlas's pagination) and the names and versions of
//! `spec/record.yaml`: a change of the generator or the spec that is not regenerated fails here.
//! `EXPECTORATE=overwrite` writes the new code and record.

use std::path::Path;

#[test]
fn the_generated_code_is_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = std::fs::read_to_string(root.join("spec/key-rotation.yaml")).expect("the spec");
    let options = codegen::Options {
        pagination: Some(codegen::Pagination {
            page_param: "pageNum".to_owned(),
            size_param: "itemsPerPage".to_owned(),
            items_property: "results".to_owned(),
            total_property: Some("totalCount".to_owned()),
        }),
        ..codegen::Options::default()
    };
    let record_path = root.join("spec/record.yaml");
    let record = match std::fs::read_to_string(&record_path) {
        Ok(text) => codegen::record::parse(&text, "spec/record.yaml").expect("the record reads"),
        Err(_) => codegen::Record::default(),
    };
    let document = codegen::spec::Document::read(&spec, "spec/key-rotation.yaml").expect("the spec reads");
    let generated = codegen::generate_document(&document, &options, &record).expect("the spec generates");
    expectorate::assert_contents(&record_path, &generated.record.to_text());
    let folder = root.join("src/generated");
    for (file, contents) in &generated.files {
        let path = folder.join(file);
        if std::env::var_os("EXPECTORATE").is_some() {
            // A new file in a new folder: expectorate writes files, not folders.
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("the folder");
        }
        expectorate::assert_contents(path, contents);
    }
    let mut stale = Vec::new();
    collect(&folder, &folder, &mut stale);
    stale.retain(|file| !generated.files.contains_key(file));
    assert!(stale.is_empty(), "files the generator no longer writes (delete them): {stale:?}");
    for operation in ["createOrgApiKey", "listOrgApiKeys", "createOrgApiKeyAccessListEntry", "deleteOrgApiKey"] {
        assert!(generated.operations.iter().any(|o| o == operation), "{operation} is generated");
    }
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, out);
        } else {
            out.push(path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/"));
        }
    }
}
