//! Any bytes as a spec: `codegen::generate` must not panic, overflow its stack or hang (libFuzzer's
//! `-timeout` turns an input over the bound into a finding), and every error it returns must be located
//! (a line, or the whole file).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let name = if text.trim_start().starts_with('{') { "fuzz.json" } else { "fuzz.yaml" };
    if let Err(diagnostics) = codegen::generate(text, name) {
        for item in &diagnostics.items {
            assert!(item.line.is_some() || item.pointer.is_empty(), "an error without a location: {item:?}");
        }
    }
});
