//! Specs built to break a generator: long `$ref` chains, deep nesting, huge enums and objects, invalid
//! leaves under deep nesting, unclosed brackets, files with no document. Each generates or fails with
//! located errors, quickly and without a panic or a stack overflow. The time bound is generous (a hang or
//! an exponential blow-up is what it catches); measured figures are in BENCHMARKS.md.

use std::time::{Duration, Instant};

/// Far above what any of these takes (tens of milliseconds), far below what the old generator took.
const BOUND: Duration = Duration::from_secs(1);

fn operation(schema: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      operationId: getA\n      \
         responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n              \
         schema: {schema}\n"
    )
}

/// Generates `text`, checking the bound, the absence of a panic, and that every error is located.
fn outcome(name: &str, text: &str) -> Result<codegen::GeneratedFiles, codegen::Diagnostics> {
    let started = Instant::now();
    let result =
        std::panic::catch_unwind(|| codegen::generate(text, name)).unwrap_or_else(|_| panic!("{name} panicked"));
    let took = started.elapsed();
    assert!(took < BOUND, "{name} took {took:?}");
    if let Err(diagnostics) = &result {
        for item in &diagnostics.items {
            let whole_file = item.pointer.is_empty() && item.line.is_none();
            assert!(item.line.is_some() || whole_file, "{name}: an error without a line: {item:?}");
        }
        let shown = diagnostics.to_string();
        assert!(!shown.contains("(document root)"), "{name}: {shown}");
    }
    result
}

fn components(count: usize, link: impl Fn(usize) -> String) -> String {
    let mut text = operation("{$ref: '#/components/schemas/S0'}");
    text.push_str("components:\n  schemas:\n");
    for i in 0..count {
        text.push_str(&format!("    S{i}: {}\n", link(i)));
    }
    text
}

#[test]
fn a_chain_of_5000_array_schemas_generates() {
    let text = components(5000, |i| {
        if i == 4999 {
            "{type: string}".to_owned()
        } else {
            format!("{{type: array, items: {{$ref: '#/components/schemas/S{}'}}}}", i + 1)
        }
    });
    let generated = outcome("array-chain", &text).expect("generates");
    assert!(generated.files["types/mod.rs"].contains("mod"), "the chain became types");
}

#[test]
fn chains_of_thousands_of_objects_aliases_and_unions_generate() {
    let objects = components(3000, |i| {
        if i == 2999 {
            "{type: object}".to_owned()
        } else {
            format!("{{type: object, properties: {{next: {{$ref: '#/components/schemas/S{}'}}}}}}", i + 1)
        }
    });
    outcome("object-chain", &objects).expect("generates");
    let aliases = components(3000, |i| {
        if i == 2999 { "{type: integer}".to_owned() } else { format!("{{$ref: '#/components/schemas/S{}'}}", i + 1) }
    });
    outcome("alias-chain", &aliases).expect("generates");
    let unions = components(2000, |i| {
        if i == 1999 {
            "{type: string}".to_owned()
        } else {
            format!("{{oneOf: [{{$ref: '#/components/schemas/S{}'}}, {{type: integer}}]}}", i + 1)
        }
    });
    outcome("union-chain", &unions).expect("generates");
}

#[test]
fn a_cycle_of_aliases_is_a_located_error() {
    let text = components(1000, |i| format!("{{$ref: '#/components/schemas/S{}'}}", (i + 1) % 1000));
    let error = outcome("alias-cycle", &text).expect_err("fails");
    assert!(error.to_string().contains("defined only in terms of itself"), "{error}");
}

#[test]
fn an_invalid_leaf_under_deep_nesting_is_one_located_error() {
    let mut schema = "{type: [string, 'null']}".to_owned();
    for _ in 0..40 {
        schema = format!("{{type: array, items: {schema}}}");
    }
    let error = outcome("invalid-leaf", &operation(&schema)).expect_err("fails");
    assert_eq!(error.items.len(), 1, "{error}");
    assert!(error.items[0].message.contains("OpenAPI 3.1"), "{error}");
}

#[test]
fn huge_enums_and_objects_fail_fast_with_the_limit_named() {
    let values: Vec<String> = (0..100_000).map(|i| format!("V{i}")).collect();
    let enum_spec = operation(&format!("{{type: string, enum: [{}]}}", values.join(", ")));
    let error = outcome("huge-enum", &enum_spec).expect_err("fails");
    assert!(error.to_string().contains("at most 20000"), "{error}");
    let properties: Vec<String> = (0..70_000).map(|i| format!("p{i}: {{type: string}}")).collect();
    let object_spec = operation(&format!("{{type: object, properties: {{{}}}}}", properties.join(", ")));
    let error = outcome("huge-object", &object_spec).expect_err("fails");
    assert!(error.to_string().contains("at most 20000"), "{error}");
    // Inside the limits, large is fine: a 10,000-value enum generates.
    let values: Vec<String> = (0..10_000).map(|i| format!("V{i}")).collect();
    outcome("big-enum", &operation(&format!("{{type: string, enum: [{}]}}", values.join(", ")))).expect("generates");
}

#[test]
fn unclosed_brackets_and_deep_nesting_stop_at_the_parser() {
    let unclosed = format!("{}{}", operation("{type: string}"), "x: ".to_owned() + &"[".repeat(1_000_000));
    outcome("unclosed", &unclosed).expect_err("fails");
    let deep: String = (0..2000).map(|depth| format!("{}k:\n", " ".repeat(depth))).collect();
    outcome("deep-block", &deep).expect_err("fails");
}

#[test]
fn a_path_without_its_leading_slash_is_reported_not_dropped() {
    let text = operation("{type: string}").replace("  /a:\n", "  a/b:\n");
    let error = outcome("no-slash", &text).expect_err("fails");
    assert!(error.to_string().contains("must start with `/`"), "{error}");
}

#[test]
fn files_without_a_document_concern_the_whole_file() {
    for text in ["", "# a comment only\n", "   \n\n"] {
        let error = outcome("empty", text).expect_err("fails");
        assert!(error.to_string().contains("(the whole file)"), "{error}");
    }
    let two = format!("{}---\n{}", operation("{type: string}"), operation("{type: string}"));
    let error = outcome("two-documents", &two).expect_err("fails");
    assert!(error.items[0].line.is_some(), "{error}");
}

#[test]
fn an_odd_character_in_a_key_keeps_its_line() {
    let text = operation("{type: object, properties: {\"a\u{85}b\": {type: [x]}}}");
    let error = outcome("next-line", &text).expect_err("fails");
    assert!(error.items.iter().all(|item| item.line.is_some()), "{error}");
}
