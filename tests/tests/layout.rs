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
