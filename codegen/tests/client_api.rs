//! The client API the generator describes from its plan (`codegen::client_api`) is the public API of the
//! source it emits (`codegen::generate_document`): for every golden spec, the committed Atlas spec and the
//! broken and regression specs, under several options, both fail together or the item keys read from the
//! emitted files with `syn` equal the plan's, every client method has its operation, and every item points
//! at a node of the spec.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use syn::{Fields, ImplItem, Item, Type, Visibility};

/// Every spec, and whether it must generate (goldens and the committed spec do; broken ones may not).
fn specs() -> Vec<(PathBuf, bool)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut specs = vec![(root.join("../spec/atlas-admin.yaml"), true)];
    for (dir, must_generate) in [("tests/goldens/specs", true), ("tests/broken", false), ("tests/regressions", false)] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
            .collect();
        found.sort();
        assert!(!found.is_empty(), "no specs in {dir}");
        specs.extend(found.into_iter().map(|p| (p, must_generate)));
    }
    specs
}

/// The option sets compared: the defaults, features, the workspace's pagination, and both.
fn option_sets() -> Vec<(&'static str, codegen::Options)> {
    let pagination = Some(codegen::Pagination {
        page_param: "pageNum".into(),
        size_param: "itemsPerPage".into(),
        items_property: "results".into(),
        total_property: Some("totalCount".into()),
    });
    vec![
        ("default", codegen::Options::default()),
        ("features", codegen::Options { features: true, ..Default::default() }),
        ("pagination", codegen::Options { pagination: pagination.clone(), ..Default::default() }),
        ("features+pagination", codegen::Options { features: true, pagination, ..Default::default() }),
    ]
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

/// The last segment of a path type (`Builder` of `Builder<'_>`, `Client` of `crate::runtime::Client`).
fn type_name(ty: &Type, file: &str) -> String {
    match ty {
        Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default(),
        other => panic!("{file}: an impl for a type that is not a path: {other:?}"),
    }
}

/// The public item keys of one generated file whose items live at `module::`.
fn file_keys(module: &str, file: &str, source: &str, keys: &mut BTreeSet<String>) {
    let parsed = syn::parse_file(source).unwrap_or_else(|e| panic!("{file} does not parse: {e}"));
    for item in parsed.items {
        match item {
            Item::Struct(s) if is_pub(&s.vis) => {
                let path = format!("{module}::{}", s.ident);
                if let Fields::Named(fields) = &s.fields {
                    for field in fields.named.iter().filter(|f| is_pub(&f.vis)) {
                        let name = field.ident.as_ref().map(ToString::to_string).unwrap_or_default();
                        keys.insert(format!("field {path}::{name}"));
                    }
                }
                keys.insert(format!("struct {path}"));
            }
            Item::Enum(e) if is_pub(&e.vis) => {
                let path = format!("{module}::{}", e.ident);
                keys.extend(e.variants.iter().map(|v| format!("variant {path}::{}", v.ident)));
                keys.insert(format!("enum {path}"));
            }
            Item::Type(t) if is_pub(&t.vis) => {
                keys.insert(format!("type {module}::{}", t.ident));
            }
            // Not in the key language: any such item is public API the plan does not describe.
            Item::Fn(f) if is_pub(&f.vis) => {
                keys.insert(format!("fn {module}::{}", f.sig.ident));
            }
            Item::Const(c) if is_pub(&c.vis) => {
                keys.insert(format!("const {module}::{}", c.ident));
            }
            Item::Static(s) if is_pub(&s.vis) => {
                keys.insert(format!("static {module}::{}", s.ident));
            }
            Item::Trait(t) if is_pub(&t.vis) => {
                keys.insert(format!("trait {module}::{}", t.ident));
            }
            Item::Impl(block) => {
                let name = type_name(&block.self_ty, file);
                if let Some((_, trait_path, _)) = &block.trait_ {
                    let trait_name = trait_path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
                    if trait_name == "Paginated" {
                        keys.insert(format!("impl {module}::{name}: Paginated"));
                    }
                    continue;
                }
                let owner = if name == "Client" { name } else { format!("{module}::{name}") };
                for inner in &block.items {
                    if let ImplItem::Fn(f) = inner
                        && is_pub(&f.vis)
                    {
                        keys.insert(format!("fn {owner}::{}", f.sig.ident));
                    }
                }
            }
            _ => {}
        }
    }
}

/// The public item keys of the generated source, read from its files.
fn source_keys(files: &codegen::GeneratedFiles) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for (file, source) in &files.files {
        if file == "mod.rs" {
            // The generated root declares the modules and the `Error` alias every operation returns.
            let parsed = syn::parse_file(source).unwrap_or_else(|e| panic!("{file} does not parse: {e}"));
            for item in parsed.items {
                if let Item::Type(t) = item
                    && is_pub(&t.vis)
                {
                    keys.insert(format!("type {}", t.ident));
                }
            }
            continue;
        }
        if file == "types/mod.rs" {
            continue;
        }
        // Items of an operations file are also public at `operations::<tag>::`: moving one to another tag
        // removes that path. `operations/mod.rs` holds the headers struct every answer carries.
        let tag =
            file.strip_prefix("operations/").and_then(|rest| rest.strip_suffix(".rs")).filter(|tag| *tag != "mod");
        if let Some(tag) = tag {
            let parsed = syn::parse_file(source).unwrap_or_else(|e| panic!("{file} does not parse: {e}"));
            for item in parsed.items {
                match item {
                    Item::Struct(s) if is_pub(&s.vis) => keys.insert(format!("mod operations::{tag}::{}", s.ident)),
                    Item::Enum(e) if is_pub(&e.vis) => keys.insert(format!("mod operations::{tag}::{}", e.ident)),
                    _ => false,
                };
            }
        }
        let module = match file.split_once('/') {
            Some(("types", _)) => "types",
            Some(("operations", _)) => "operations",
            None if file == "ids.rs" => "ids",
            _ => panic!("an unexpected generated file: {file}"),
        };
        file_keys(module, file, source, &mut keys);
    }
    keys
}

fn listed(keys: &[&String]) -> String {
    keys.iter().map(|k| format!("\n    {k}")).collect()
}

/// Compares plan and source for one spec and option set, adding any difference of keys to `disagreements`;
/// the plan's keys, or `None` when both failed.
fn check(
    document: &codegen::spec::Document,
    path: &Path,
    (label, options): &(&str, codegen::Options),
    must_generate: bool,
    disagreements: &mut Vec<String>,
) -> Option<BTreeSet<String>> {
    let name = format!("{} ({label})", document.name);
    let record = support::record_for(path, options);
    let (files, api) =
        match (codegen::generate_document(document, options, &record), codegen::client_api(document, options, &record))
        {
            (Ok(files), Ok(api)) => (files, api),
            (Err(_), Err(_)) if !must_generate => return None,
            (Err(d), Err(_)) => panic!("{name} should generate:\n{d}"),
            (Ok(_), Err(d)) => panic!("{name}: the source generates but client_api fails:\n{d}"),
            (Err(d), Ok(_)) => panic!("{name}: client_api succeeds but the source fails:\n{d}"),
        };
    let from_source = source_keys(&files);
    let from_plan: BTreeSet<String> = api.items.keys().cloned().collect();
    let only_plan: Vec<&String> = from_plan.difference(&from_source).collect();
    let only_source: Vec<&String> = from_source.difference(&from_plan).collect();
    if !(only_plan.is_empty() && only_source.is_empty()) {
        disagreements.push(format!(
            "{name}:\n  only in the plan:{}\n  only in the source:{}",
            listed(&only_plan),
            listed(&only_source),
        ));
    }
    let methods: BTreeSet<&str> = api.operations.values().map(|op| op.method.as_str()).collect();
    for key in &from_plan {
        if let Some(method) = key.strip_prefix("fn Client::") {
            assert!(methods.contains(method), "{name}: {key} has no entry in ClientApi.operations");
        }
    }
    for method in &methods {
        let key = format!("fn Client::{method}");
        assert!(from_plan.contains(&key), "{name}: operation method {method} has no item {key}");
    }
    let no_operations = document.operations().is_empty();
    for (key, item) in &api.items {
        // An id no operation uses, and a type only the record has, have no place in the spec.
        if item.pointer.is_empty() && (key.starts_with("struct ids::") && no_operations || item.kept) {
            continue;
        }
        assert!(item.pointer.starts_with('/'), "{name}: {key} has pointer {:?}", item.pointer);
        let resolves = document.root.pointer(&item.pointer).is_some();
        assert!(resolves, "{name}: {key}'s pointer {} is not in the spec", item.pointer);
    }
    for op in api.operations.values() {
        assert!(document.root.pointer(&op.pointer).is_some(), "{name}: {}'s pointer {}", op.method, op.pointer);
    }
    Some(from_plan)
}

#[test]
fn client_api_lists_exactly_the_public_items_of_the_emitted_source() {
    let mut compared = 0;
    let mut kinds = BTreeSet::new();
    let mut disagreements = Vec::new();
    for (path, must_generate) in specs() {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let document = match codegen::spec::Document::read(&text, &name) {
            Ok(document) => document,
            Err(_) if !must_generate => continue,
            Err(d) => panic!("{name} should read:\n{d}"),
        };
        for options in option_sets() {
            if let Some(keys) = check(&document, &path, &options, must_generate, &mut disagreements) {
                compared += 1;
                kinds.extend(keys.iter().filter_map(|k| k.split_once(' ').map(|(kind, _)| kind.to_owned())));
            }
        }
    }
    assert!(disagreements.is_empty(), "client_api and the emitted source disagree:\n{}", disagreements.join("\n"));
    // The goldens and the committed spec, under every option set.
    assert!(compared >= 4 * 18, "only {compared} spec and option pairs were compared");
    // Every arm of the extraction that has a spec to exercise it is exercised (no golden has a `pub type`).
    for kind in ["enum", "field", "fn", "impl", "mod", "struct", "type", "variant"] {
        assert!(kinds.contains(kind), "no spec has a `{kind}` item, so its extraction is never compared");
    }
}
