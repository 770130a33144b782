//! The runtime's layers (issue 18), held against its code: each module uses only modules of its own layer
//! or below, the module graph has no cycle, and nothing but the Atlas profile (`runtime/atlas/`) knows
//! Atlas. ARCHITECTURE.md ("The runtime in layers") shows the same table.
//!
//! References are read from the source: `super::…` paths (resolved from the file's place in the module
//! tree) and `crate::runtime::…` / `$crate::runtime::…` paths, a name re-exported by `runtime/mod.rs`
//! counting as the module it comes from. Test code (from a file's first `#[cfg(test)]` on, and the test-only
//! files) is not held to the layers.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first.
const LAYERS: &[&[&str]] = &[
    &["headers", "body", "secret", "tls", "ids", "enums", "unions", "objects", "text"],
    &["error"],
    &["request", "response", "stream", "pagination"],
    &["profile"],
    &["wire"],
    &["auth", "retry", "pacing"],
    &["transport"],
    &["client", "builder", "env"],
    &["atlas"],
];

/// Files that only hold tests.
const TEST_FILES: &[&str] = &["secrets_tests.rs", "error/tests.rs"];

/// What only the Atlas profile may say, in code (comments and docs may mention Atlas).
const ATLAS_WORDS: &[&str] = &[
    "MONGODB_",
    "errorCode",
    "x-error-code",
    "/api/oauth",
    "atlas_admin.request",
    "cloud.mongodb.com",
    "\"envelope\"",
    "API_KEY_NOT_FOUND",
    "atlas-admin-rust",
];

fn runtime_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated-client/src/runtime")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("the runtime folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file: `auth/oauth.rs` → `[auth, oauth]`, `auth/mod.rs` → `[auth]`.
fn module_path(relative: &str) -> Vec<String> {
    let mut parts: Vec<String> = relative.trim_end_matches(".rs").split('/').map(str::to_owned).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The code of a file before its tests.
fn code_of(text: &str) -> &str {
    match text.find("#[cfg(test)]") {
        Some(at) => &text[..at],
        None => text,
    }
}

/// The code without comments (line comments and doc comments).
fn without_comments(code: &str) -> String {
    code.lines().map(|line| line.split_once("//").map_or(line, |(before, _)| before)).collect::<Vec<_>>().join("\n")
}

/// `name` re-exported by `runtime/mod.rs` → the module it comes from.
fn reexports(root: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    let flattened = root.replace('\n', " ");
    for statement in flattened.split(';') {
        let statement = statement.trim();
        let Some(rest) = statement.split("use ").nth(1).filter(|_| statement.contains("pub")) else { continue };
        let mut segments = rest.split("::");
        let Some(module) = segments.next() else { continue };
        let names = rest[module.len()..].trim_start_matches("::");
        for name in names.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|n| !n.is_empty()) {
            map.entry(name.to_owned()).or_insert_with(|| module.trim().to_owned());
        }
    }
    map
}

/// The top-level runtime modules one file's code refers to.
fn references(
    code: &str,
    own: &[String],
    modules: &BTreeSet<String>,
    reexported: &BTreeMap<String, String>,
) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut resolve = |root_segment: &str| {
        if modules.contains(root_segment) {
            found.insert(root_segment.to_owned());
        } else if let Some(module) = reexported.get(root_segment) {
            found.insert(module.clone());
        }
    };
    // `crate::runtime::x` and `$crate::runtime::x`.
    for (at, _) in code.match_indices("crate::runtime::") {
        let rest = &code[at + "crate::runtime::".len()..];
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        resolve(&name);
    }
    // `super::…`: count the supers, then read the next segment (or each name of a `{…}` group).
    let bytes = code.as_bytes();
    let mut index = 0;
    while let Some(offset) = code[index..].find("super::") {
        let start = index + offset;
        if start > 0
            && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_' || bytes[start - 1] == b':')
        {
            index = start + 7;
            continue;
        }
        let mut rest = &code[start..];
        let mut ups = 0;
        while let Some(next) = rest.strip_prefix("super::") {
            ups += 1;
            rest = next;
        }
        index = code.len() - rest.len();
        // The module `super` reaches, from this file's module path.
        let depth = own.len().saturating_sub(ups);
        if depth >= 1 {
            // Still inside a top-level module (its own, when depth ≥ 1): a sibling within it.
            resolve(&own[0]);
            continue;
        }
        let names: Vec<String> = if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            group.split(',').map(|n| n.trim().split("::").next().unwrap_or_default().to_owned()).collect()
        } else {
            vec![rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()]
        };
        for name in names {
            resolve(name.trim());
        }
    }
    found
}

struct Runtime {
    /// Top-level module → the top-level modules its code uses.
    uses: BTreeMap<String, BTreeSet<String>>,
    /// Top-level module → its code without comments, file by file.
    code: BTreeMap<String, Vec<(String, String)>>,
}

fn read_runtime() -> Runtime {
    let dir = runtime_dir();
    let root = std::fs::read_to_string(dir.join("mod.rs")).expect("runtime/mod.rs");
    let reexported = reexports(&root);
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    let relative = |path: &Path| path.strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/");
    let modules: BTreeSet<String> =
        files.iter().map(|f| module_path(&relative(f))).filter_map(|p| p.first().cloned()).collect();
    let mut runtime = Runtime { uses: BTreeMap::new(), code: BTreeMap::new() };
    for file in &files {
        let name = relative(file);
        if name == "mod.rs" || TEST_FILES.contains(&name.as_str()) {
            continue;
        }
        let own = module_path(&name);
        let text = std::fs::read_to_string(file).expect("a runtime file");
        let code = without_comments(code_of(&text));
        let used = references(&code, &own, &modules, &reexported);
        runtime.uses.entry(own[0].clone()).or_default().extend(used.into_iter().filter(|m| *m != own[0]));
        runtime.code.entry(own[0].clone()).or_default().push((name, code));
    }
    runtime
}

fn layer_of(module: &str) -> usize {
    LAYERS.iter().position(|layer| layer.contains(&module)).unwrap_or_else(|| {
        panic!("runtime module `{module}` is in no layer: add it to LAYERS here and to ARCHITECTURE.md")
    })
}

#[test]
fn every_module_uses_only_its_layer_and_the_ones_below() {
    let runtime = read_runtime();
    let mut problems = Vec::new();
    for (module, used) in &runtime.uses {
        for other in used {
            if layer_of(other) > layer_of(module) {
                problems.push(format!(
                    "{module} (layer {}) uses {other} (layer {})",
                    layer_of(module),
                    layer_of(other)
                ));
            }
        }
    }
    assert!(problems.is_empty(), "upward references:\n{}", problems.join("\n"));
    // The ones the issue named: errors do not reach up into requests or answers.
    let error = &runtime.uses["error"];
    assert!(!error.contains("response") && !error.contains("request"), "error uses {error:?}");
    assert!(runtime.uses["transport"].contains("auth"), "the reader sees references at all");
}

#[test]
fn the_module_graph_has_no_cycle() {
    let runtime = read_runtime();
    // Depth-first search for a back edge.
    fn visit<'a>(
        module: &'a str,
        uses: &'a BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<&'a str, bool>,
        path: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        match state.get(module) {
            Some(true) => return None,
            Some(false) => {
                let start = path.iter().position(|m| *m == module).unwrap_or(0);
                let mut cycle: Vec<String> = path[start..].iter().map(|m| (*m).to_owned()).collect();
                cycle.push(module.to_owned());
                return Some(cycle);
            }
            None => {}
        }
        state.insert(module, false);
        path.push(module);
        for next in uses.get(module).into_iter().flatten() {
            if let Some(cycle) = visit(next, uses, state, path) {
                return Some(cycle);
            }
        }
        path.pop();
        state.insert(module, true);
        None
    }
    let mut state = BTreeMap::new();
    for module in runtime.uses.keys() {
        if let Some(cycle) = visit(module, &runtime.uses, &mut state, &mut Vec::new()) {
            panic!("a module cycle: {}", cycle.join(" → "));
        }
    }
}

#[test]
fn only_the_atlas_profile_knows_atlas() {
    let runtime = read_runtime();
    let mut problems = Vec::new();
    for (module, files) in &runtime.code {
        if module == "atlas" {
            continue;
        }
        for (file, code) in files {
            for word in ATLAS_WORDS {
                if code.contains(word) {
                    problems.push(format!("{file} says {word}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "Atlas knowledge outside runtime/atlas/:\n{}", problems.join("\n"));
    let atlas: String = runtime.code["atlas"].iter().map(|(_, code)| code.as_str()).collect();
    for word in ["MONGODB_", "errorCode", "/api/oauth", "atlas_admin.request", "\"envelope\""] {
        assert!(atlas.contains(word), "the Atlas profile does not say {word}: is the check reading the code?");
    }
}

#[test]
fn the_reader_resolves_paths_as_rust_does() {
    let modules: BTreeSet<String> = ["auth", "body", "error", "wire"].iter().map(|m| (*m).to_owned()).collect();
    let reexported = BTreeMap::from([("ClientBuilder".to_owned(), "builder".to_owned())]);
    let own = module_path("auth/oauth.rs");
    let code = "use super::super::body::{A, b};\nuse super::{AuthScheme};\nlet x = super::super::error::f();\nuse super::super::{wire::Call, ClientBuilder};";
    let found = references(code, &own, &modules, &reexported);
    assert_eq!(found, ["auth", "body", "builder", "error", "wire"].iter().map(|m| (*m).to_owned()).collect());
    assert_eq!(module_path("auth/mod.rs"), ["auth"]);
    assert_eq!(code_of("a\n#[cfg(test)]\nmod tests {}"), "a\n");
}
