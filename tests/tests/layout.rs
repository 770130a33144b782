//! Promises about the test layout that nothing else would notice breaking: plain `cargo test` needs
//! nothing installed, and the local Atlas has one name.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// Every test in the interop files (which need Apache httpd or curl) is `#[ignore = "..."]`, so plain
/// `cargo test` passes on a machine without them; `cargo xtask test` runs them with `--include-ignored`.
#[test]
fn tests_that_need_installed_programs_are_ignored_with_a_reason() {
    for file in ["interop_apache.rs", "interop_curl.rs"] {
        let text = std::fs::read_to_string(root().join("tests/tests").join(file)).expect("the interop file");
        let lines: Vec<&str> = text.lines().collect();
        let tests: Vec<usize> =
            (0..lines.len()).filter(|&i| matches!(lines[i].trim(), "#[test]" | "#[tokio::test]")).collect();
        assert!(!tests.is_empty(), "{file} has no tests");
        for i in tests {
            let next = lines.get(i + 1).map(|l| l.trim()).unwrap_or_default();
            assert!(
                next.starts_with("#[ignore = \"needs "),
                "{file}:{}: a test without #[ignore = \"needs ...\"]",
                i + 1
            );
        }
    }
}

/// The fake service is "the local Atlas" everywhere: crate, binary, types, endpoints and docs.
#[test]
fn the_local_atlas_has_one_name() {
    let mut files = Vec::new();
    for dir in ["tests/src", "tests/tests", "tests/benches", "tests/local-atlas", "generated-client"] {
        collect(&root().join(dir), &mut files);
    }
    for file in ["README.md", "ARCHITECTURE.md", "BENCHMARKS.md", ".ci/run"] {
        files.push(root().join(file));
    }
    let this_file = root().join("tests/tests/layout.rs");
    let mut found = Vec::new();
    for file in files.iter().filter(|f| **f != this_file) {
        let Ok(text) = std::fs::read_to_string(file) else { continue };
        for (number, line) in text.lines().enumerate() {
            if ["mock_atlas", "mock-atlas", "MockAtlas", "MockConfig", "__mock", "mock atlas"]
                .iter()
                .any(|old| line.to_ascii_lowercase().contains(&old.to_ascii_lowercase()))
            {
                found.push(format!("{}:{}: {line}", file.display(), number + 1));
            }
        }
    }
    assert!(found.is_empty(), "the old name is still used:\n{}", found.join("\n"));
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}

/// The README is also the package's readme: users first (install, tokio, auth with the environment
/// variables, errors, retries, the local Atlas in tests), maintainers after, and every link resolves.
#[test]
fn the_readme_serves_users_first_and_its_links_resolve() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let position = |text: &str| readme.find(text).unwrap_or_else(|| panic!("the README lacks {text:?}"));
    let user_parts = [
        "## Install",
        "cargo add atlas-admin",
        "Tokio",
        "## Authentication",
        "MONGODB_ATLAS_CLIENT_ID",
        "MONGODB_ATLAS_PUBLIC_API_KEY",
        "MONGODB_ATLAS_PUBLIC_KEY",
        "## Errors",
        "## Retries",
        "## Testing your code",
        "LocalAtlas::start",
    ];
    let maintainers = position("## Maintaining this workspace");
    for part in user_parts {
        assert!(position(part) < maintainers, "{part:?} comes after the maintainers' part");
    }
    for command in ["cargo xtask regenerate ", "cargo xtask test "] {
        assert!(position(command) > maintainers, "{command:?} belongs to the maintainers' part");
    }
    assert_links_resolve(&root().join("README.md"));
    assert_links_resolve(&root().join("tests/local-atlas/README.md"));
}

/// Markdown links `[text](target)` in `file`: another site's page (`https://`, not a placeholder domain),
/// or a path of this repository, relative to the file, that exists (and whose `#anchor`, when it has one,
/// is a heading there). Until the crates are published, the repository is where a reader is.
fn assert_links_resolve(file: &Path) {
    let text = std::fs::read_to_string(file).expect("the markdown file");
    let mut broken = Vec::new();
    for (start, _) in text.match_indices("](") {
        let target: String = text[start + 2..].chars().take_while(|c| *c != ')').collect();
        if target.starts_with("https://") || target.starts_with("http://") {
            if target.contains(".invalid/") || target.contains("example.com") {
                broken.push(format!("{target} (a placeholder)"));
            }
            continue;
        }
        let (path, anchor) = target.split_once('#').map_or((target.as_str(), None), |(p, a)| (p, Some(a)));
        let resolved = file.parent().expect("a folder").join(path);
        if !resolved.exists() {
            broken.push(format!("{target} ({} does not exist)", resolved.display()));
            continue;
        }
        if let Some(anchor) = anchor {
            let headings = std::fs::read_to_string(&resolved).unwrap_or_default();
            let slugs: Vec<String> = headings.lines().filter(|l| l.starts_with('#')).map(slug).collect();
            if !slugs.iter().any(|s| s == anchor) {
                broken.push(format!("{target} (no heading #{anchor} in {path})"));
            }
        }
    }
    assert!(broken.is_empty(), "{}: links that do not resolve: {broken:#?}", file.display());
}

/// A heading's anchor as GitHub makes it: lower case, spaces to `-`, other punctuation dropped.
fn slug(heading: &str) -> String {
    heading
        .trim_start_matches('#')
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The package declares the spec-derived text's licence: a NOTICE naming CC BY-NC-SA 3.0 US, shipped as the
/// licence file, and the Apache-2.0 text next to it.
#[test]
fn the_client_package_declares_both_licences() {
    let manifest: toml::Table =
        std::fs::read_to_string(root().join("generated-client/Cargo.toml")).unwrap().parse().unwrap();
    let package = manifest["package"].as_table().unwrap();
    assert_eq!(package.get("license-file").and_then(|v| v.as_str()), Some("NOTICE"));
    assert!(package.get("license").is_none(), "license-file replaces license, it does not add to it");
    let notice = std::fs::read_to_string(root().join("generated-client/NOTICE")).unwrap();
    assert!(notice.contains("CC BY-NC-SA 3.0 US") && notice.contains("Apache License 2.0"), "{notice}");
    assert!(notice.contains("https://creativecommons.org/licenses/by-nc-sa/3.0/us/"));
    let license = std::fs::read_to_string(root().join("generated-client/LICENSE")).expect("LICENSE in the package");
    assert!(license.contains("Apache License") && license.contains("Version 2.0, January 2004"));
    assert_eq!(license, std::fs::read_to_string(root().join("LICENSE")).unwrap());
}
