//! Broken or unsupported specs and the errors they must produce: located, all reported, never a panic.
//! Each `broken/<name>.(yaml|json)` has its expected text in `broken/<name>.txt`
//! (accept changes with `EXPECTORATE=overwrite cargo test -p codegen`).

use std::path::{Path, PathBuf};

#[test]
fn every_broken_spec_fails_with_its_expected_located_errors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/broken exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    specs.sort();
    assert!(specs.len() >= 10, "at least 10 broken specs, found {}", specs.len());
    for spec in specs {
        let text = std::fs::read_to_string(&spec).expect("readable");
        let file_name = spec.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let result = std::panic::catch_unwind(|| codegen::generate(&text, &file_name));
        let outcome = result.unwrap_or_else(|_| panic!("{file_name} made the generator panic"));
        let diagnostics = match outcome {
            Ok(_) => panic!("{file_name} generated, but it should have failed"),
            Err(diagnostics) => diagnostics,
        };
        for item in &diagnostics.items {
            assert!(item.line.is_some(), "{file_name}: diagnostic without a line: {item:?}");
        }
        let expected = spec.with_extension("txt");
        expectorate::assert_contents(expected, &format!("{diagnostics}\n"));
    }
}
