//! Inputs that once broke the generator (found by the mutation test or the fuzzer), each under
//! `regressions/`: every one generates or fails with located errors, without a panic, quickly.

use std::path::Path;
use std::time::{Duration, Instant};

#[test]
fn every_regression_spec_generates_or_fails_located() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut specs: Vec<_> = std::fs::read_dir(&dir).expect("tests/regressions").flatten().map(|e| e.path()).collect();
    specs.sort();
    assert!(!specs.is_empty());
    for spec in specs {
        let text = std::fs::read_to_string(&spec).expect("readable");
        let name = spec.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let started = Instant::now();
        let result = std::panic::catch_unwind(|| codegen::generate(&text, &name))
            .unwrap_or_else(|_| panic!("{name} made the generator panic"));
        // A generous bound: it catches a hang, not a slowdown.
        assert!(started.elapsed() < Duration::from_secs(1), "{name} took {:?}", started.elapsed());
        if let Err(diagnostics) = result {
            for item in &diagnostics.items {
                assert!(item.line.is_some() || item.pointer.is_empty(), "{name}: {item:?}");
            }
        }
    }
}
