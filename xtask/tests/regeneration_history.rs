//! A user's program, written against the client of the oldest upstream version of 2025, compiles unchanged
//! against the client of every later version, regenerated as a maintainer would: `cargo xtask regenerate
//! --spec V --out DIR` into the same folder each time, so the crate's `record.yaml` carries its names and
//! versions forward (and `--adopt gone` when an update removes a version an operation sends).
//!
//! The specs are the 24 versions of `../shared/upstream/history/`, cut to the operations on API keys (every
//! path under `/apiKeys`, with the schemas they reach), which is what the program uses; a cut keeps each
//! crate small, so each check takes seconds. The program calls the operations by the names the oldest
//! version gave them (`delete_api_key`, `remove_project_api_key`: upstream renamed both in September 2025).
//! An update whose spec rules report a breaking change at an operation the program calls exempts that
//! version and the later ones (the API really broke there); none of 2025's does, so every version must
//! compile.
//!
//! Without `../shared` (a checkout on its own) the test prints why and passes: it cannot fail for data it
//! was not given.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Map, Value};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

fn history_dir() -> PathBuf {
    match std::env::var_os("ATLAS_UPSTREAM_HISTORY") {
        Some(dir) => PathBuf::from(dir),
        None => root().join("../shared/upstream/history"),
    }
}

/// The scratch folder of this test, under the target directory.
fn scratch_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("regeneration-history")
}

/// The target folder every nested build of the tests shares (`<target dir>/nested`), so the dependencies
/// are built once.
fn nested_target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("a target directory").join("nested")
}

/// The operations the program calls, as the record keys them (method and path, parameter names out).
const CALLED: &[&str] = &[
    "POST /api/atlas/v2/orgs/{}/apiKeys",
    "GET /api/atlas/v2/orgs/{}/apiKeys",
    "GET /api/atlas/v2/orgs/{}/apiKeys/{}",
    "DELETE /api/atlas/v2/orgs/{}/apiKeys/{}",
    "DELETE /api/atlas/v2/groups/{}/apiKeys/{}",
];

/// The program: a key rotation written against the client generated from the oldest version.
const PROGRAM: &str = r#"//! A key rotation written against the client of the oldest version; it must keep compiling.
#![allow(dead_code)]

use client::types::{CreateAtlasOrganizationApiKey, CreateAtlasOrganizationApiKeyRolesItem};
use client::{ApiUserId, Client, GroupId, OrgId};

/// Creates a key, lists the organization's keys, reads one, and revokes the old key everywhere.
pub async fn rotate(client: &Client, org: &OrgId, group: &GroupId, old: &ApiUserId) -> Result<Option<String>, client::Error> {
    let roles = vec![CreateAtlasOrganizationApiKeyRolesItem::OrgMember];
    let created = client.create_api_key(org, CreateAtlasOrganizationApiKey::new("rotated".to_owned(), roles)).send().await?;
    let new_key: Option<String> = created.body.id.clone();
    let _headers: &client::operations::ResponseHeaders = &created.headers;
    let page = client.list_api_keys(org).items_per_page(100).page_num(1).send().await?;
    let _total = page.body.total_count;
    for key in page.body.results.unwrap_or_default() {
        let _described: (Option<String>, Option<String>) = (key.id, key.desc);
    }
    let one = client.get_api_key(org, old).send().await?;
    let _public = one.body.public_key;
    client.delete_api_key(org, old).send().await?;
    client.remove_project_api_key(group, old).send().await?;
    Ok(new_key)
}
"#;

#[test]
fn a_program_written_against_the_oldest_client_compiles_against_every_later_one() {
    let dir = history_dir();
    if !dir.is_dir() {
        println!("skipped: {} is not here (the upstream history comes with ../shared)", dir.display());
        return;
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("history folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    versions.sort();
    assert!(versions.len() >= 2, "{} holds {} versions", dir.display(), versions.len());

    let scratch = scratch_dir();
    let _ = std::fs::remove_dir_all(&scratch);
    let (specs, client, program) = (scratch.join("specs"), scratch.join("client"), scratch.join("program"));
    std::fs::create_dir_all(&specs).expect("scratch");
    write_program(&program);

    let mut previous: Option<codegen::spec::Document> = None;
    let mut record = codegen::Record::default();
    let mut broken_since: Option<String> = None;
    let mut checked = 0;
    for version in &versions {
        let name = version.file_name().expect("a file").to_string_lossy().into_owned();
        let cut = cut_to_api_keys(version);
        // One file name for every version: the crate is named after it (`api-keys`).
        let spec = specs.join(&name).join("api-keys.json");
        std::fs::create_dir_all(spec.parent().expect("a folder")).expect("spec folder");
        std::fs::write(&spec, serde_json::to_string(&cut).expect("json")).expect("write the cut");
        let document = codegen::spec::Document::from_value(cut, &name);
        if let Some(base) = &previous
            && broken_since.is_none()
        {
            let breaking = spec_diff::rules::diff_documents_recorded(base, &document, &record)
                .into_iter()
                .filter(|c| c.level() == spec_diff::model::Level::Error)
                .filter_map(|c| c.operation)
                .any(|op| CALLED.contains(&codegen::record::operation_key(&op.method, &op.path).as_str()));
            if breaking {
                broken_since = Some(name.clone());
            }
        }
        regenerate(&spec, &client);
        record = codegen::record::parse(
            &std::fs::read_to_string(client.join("record.yaml")).expect("the crate's record"),
            "record.yaml",
        )
        .expect("the record reads");
        previous = Some(document);
        if broken_since.is_some() {
            continue;
        }
        let output = Command::new(env!("CARGO"))
            .args(["check", "--quiet", "--manifest-path"])
            .arg(program.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", nested_target_dir())
            .env("CARGO_NET_OFFLINE", "true")
            .env_remove("RUSTFLAGS")
            .output()
            .expect("cargo runs");
        assert!(
            output.status.success(),
            "the program written against the oldest client does not compile against {name}'s:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        checked += 1;
    }
    // 2025's updates never really broke the API-key operations: every version was checked.
    assert_eq!(broken_since, None);
    assert_eq!(checked, versions.len());
    let methods =
        std::fs::read_to_string(client.join("src/generated/operations/programmatic_api_keys.rs")).expect("module");
    for name in ["fn delete_api_key(", "fn remove_project_api_key(", "fn create_api_key("] {
        assert!(methods.contains(name), "the newest client lost `{name}`");
    }
}

/// `cargo xtask regenerate --spec SPEC --out CLIENT`, adopting the newest version of an operation whose
/// pinned one the update removed (the deliberate step the error asks for).
fn regenerate(spec: &Path, client: &Path) {
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .env("XTASK_WORKSPACE_ROOT", root())
            .args(["regenerate", "--spec"])
            .arg(spec)
            .arg("--out")
            .arg(client)
            .args(extra)
            .output()
            .expect("xtask runs")
    };
    let first = run(&[]);
    if first.status.success() {
        return;
    }
    let stderr = String::from_utf8_lossy(&first.stderr).into_owned();
    assert!(stderr.contains("--adopt"), "{} does not generate:\n{stderr}", spec.display());
    let second = run(&["--adopt", "gone"]);
    assert!(second.status.success(), "{}:\n{}", spec.display(), String::from_utf8_lossy(&second.stderr));
}

/// The program's crate: depends on the client with only the API-key operations' feature.
fn write_program(dir: &Path) {
    std::fs::create_dir_all(dir.join("src")).expect("program dir");
    let manifest = "[package]\nname = \"oldest-program\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
                    [dependencies]\nclient = { path = \"../client\", package = \"api-keys-client\", default-features = false, \
                    features = [\"programmatic-api-keys\"] }\n\n[workspace]\n";
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("manifest");
    std::fs::write(dir.join("src/lib.rs"), PROGRAM).expect("program");
    // The workspace's lock, so the nested build resolves the versions already built, offline.
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).expect("lock");
}

/// The version's spec with only the paths under `/apiKeys` and the components they reach.
fn cut_to_api_keys(version: &Path) -> Value {
    let text = std::fs::read_to_string(version).expect("a version");
    let document = codegen::spec::Document::read(&text, &version.display().to_string()).expect("it reads");
    let root = document.root;
    let paths: Map<String, Value> = root["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .filter(|(path, _)| path.contains("/apiKeys"))
        .map(|(path, item)| (path.clone(), item.clone()))
        .collect();
    // Components reached from the paths, transitively.
    let mut reached: BTreeSet<String> = BTreeSet::new();
    let mut pending: Vec<String> =
        codegen::spec::references(&Value::Object(paths.clone()), None).into_iter().map(|r| r.target).collect();
    while let Some(target) = pending.pop() {
        if !reached.insert(target.clone()) {
            continue;
        }
        if let Some(value) = target.strip_prefix('#').and_then(|pointer| root.pointer(pointer)) {
            pending.extend(codegen::spec::references(value, None).into_iter().map(|r| r.target));
        }
    }
    let mut components = Map::new();
    for target in &reached {
        let Some(pointer) = target.strip_prefix("#/components/") else { continue };
        let Some((kind, name)) = pointer.split_once('/') else { continue };
        let name = codegen::spec::pointer::unescape(name);
        let value = root["components"][kind][&name].clone();
        let section = components.entry(kind.to_owned()).or_insert_with(|| Value::Object(Map::new()));
        section.as_object_mut().expect("a section").insert(name, value);
    }
    if let Some(schemes) = root["components"].get("securitySchemes") {
        components.insert("securitySchemes".to_owned(), schemes.clone());
    }
    let mut cut = Map::new();
    for key in ["openapi", "info", "servers", "security", "tags"] {
        if let Some(value) = root.get(key) {
            cut.insert(key.to_owned(), value.clone());
        }
    }
    cut.insert("paths".to_owned(), Value::Object(paths));
    cut.insert("components".to_owned(), Value::Object(components));
    Value::Object(cut)
}
