//! Specs built to break a generator: long `$ref` chains, deep nesting, huge enums and objects, invalid
//! leaves under deep nesting, unclosed brackets, files with no document, and (built by the structural
//! generator in `hostile/`, since they are megabytes) deep nesting through every construct, `$ref` chains
//! through every construct, thousands of siblings of every kind, names that all clash, and the shapes that
//! once grew faster than their input. Each generates or fails with located errors, without a panic or a
//! stack overflow (tests run on 2 MiB thread stacks), within a generous bound: a fixed part, plus a part
//! per megabyte for the large ones (a hang or a quadratic blow-up is what it catches: those took minutes).
//! Measured figures are in BENCHMARKS.md.

mod hostile;

use std::time::{Duration, Instant};

use hostile::{Part, Sibling, Via, spec};

/// Far above what any of the small ones takes (tens of milliseconds), far below what the old generator took.
const BOUND: Duration = Duration::from_secs(1);

/// The bound of a large spec: 2 s, plus 8 s per megabyte (about twice the slowest construct measured per
/// megabyte, many operations, on a loaded machine). The shapes fixed here took 10 to 100 times that.
fn bound_for(text: &str) -> Duration {
    Duration::from_secs(2) + Duration::from_secs_f64(8.0 * text.len() as f64 / 1_000_000.0)
}

fn operation(schema: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      operationId: getA\n      \
         responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n              \
         schema: {schema}\n"
    )
}

/// Generates `text`, checking the bound, the absence of a panic, and that every error is located.
fn outcome(name: &str, text: &str) -> Result<codegen::GeneratedFiles, codegen::Diagnostics> {
    outcome_within(name, text, BOUND)
}

/// [`outcome`] with another bound.
fn outcome_within(name: &str, text: &str, bound: Duration) -> Result<codegen::GeneratedFiles, codegen::Diagnostics> {
    let started = Instant::now();
    let result =
        std::panic::catch_unwind(|| codegen::generate(text, name)).unwrap_or_else(|_| panic!("{name} panicked"));
    let took = started.elapsed();
    assert!(took < bound, "{name} ({} bytes) took {took:?}, over {bound:?}", text.len());
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

/// A large spec built by the structural generator, held to [`bound_for`] its size.
fn large(name: &str, parts: &[Part]) -> Result<codegen::GeneratedFiles, codegen::Diagnostics> {
    let text = spec(parts);
    outcome_within(name, &text, bound_for(&text))
}

#[test]
fn nesting_through_every_construct_to_the_depth_limit_generates_or_fails_located() {
    for via in Via::ALL {
        // About 250 levels of mappings and sequences: as deep as the reader goes.
        let deepest = 240 / via.levels();
        large(&format!("nested-{via:?}"), &[Part::Nested { via, depth: deepest }]).expect("generates");
        let error =
            large(&format!("too-deep-{via:?}"), &[Part::Nested { via, depth: 2 * deepest }]).expect_err("fails");
        assert_eq!(error.items.len(), 1, "{error}");
    }
}

#[test]
fn nested_callbacks_do_not_overflow_the_stack() {
    // 50 levels of callbacks overflowed a 2 MiB stack when openapiv3 deserialised them; a client does not
    // generate callbacks, so they are not read.
    large("callbacks", &[Part::Callbacks { depth: 48 }]).expect("generates");
    let error = large("callbacks-too-deep", &[Part::Callbacks { depth: 100 }]).expect_err("fails");
    assert!(error.items[0].line.is_some(), "{error}");
}

#[test]
fn ref_chains_through_every_construct_generate() {
    for via in Via::ALL {
        for cycle in [false, true] {
            large(&format!("chain-{via:?}-{cycle}"), &[Part::Chain { via, length: 4000, cycle }]).expect("generates");
        }
    }
}

#[test]
fn thousands_of_siblings_of_every_kind_generate_or_meet_a_stated_limit() {
    for kind in Sibling::ALL {
        let name = format!("siblings-{kind:?}");
        match (kind, large(&name, &[Part::Siblings { kind, count: 4000 }])) {
            (Sibling::Patterns, Err(error)) => {
                // 4000 patterns that each compile large: the first 32 are checked, the rest refused.
                assert_eq!(error.items.len(), 4000 - 32, "{name}");
                assert!(error.items[0].message.contains("at most 32 such patterns"), "{error}");
            }
            (Sibling::Patterns, Ok(_)) => panic!("{name}: 4000 large patterns must meet the limit"),
            (_, result) => {
                result.unwrap_or_else(|error| panic!("{name}: {error}"));
            }
        }
    }
}

#[test]
fn twenty_thousand_names_that_all_clash_cost_linear_time() {
    // Each clash tried every suffix before its own: 20,000 properties named `a`, `A`, `a!`, ... took 48 s.
    for kind in [Sibling::ClashingProperties, Sibling::ClashingEnumValues] {
        large(&format!("{kind:?}"), &[Part::Siblings { kind, count: 19_999 }]).expect("generates");
    }
    for kind in [Sibling::ClashingComponents, Sibling::ClashingOperations] {
        large(&format!("{kind:?}"), &[Part::Siblings { kind, count: 4000 }]).expect("generates");
    }
}

#[test]
fn a_1_4_mb_spec_of_one_wide_object_named_20000_times_generates() {
    // Every use of the component copied its 20,000 properties: measured 28 s at 8,000 x 8,000 (0.6 MB),
    // so minutes at this size (1.4 MB).
    let text = spec(&[Part::Fanout { fields: 20_000, width: 19_999 }]);
    assert!(text.len() > 1_400_000, "{} bytes", text.len());
    outcome_within("fanout", &text, bound_for(&text)).expect("generates");
}

#[test]
fn thousands_of_tags_over_one_chain_of_types_cost_linear_time() {
    // Each tag's operation walked the whole chain: 4,000 x 4,000 took 11.8 s.
    large("tags", &[Part::Tags { operations: 3000, shared: 3000 }]).expect("generates");
}

#[test]
fn inheritance_that_multiplies_properties_stops_at_the_stated_limit() {
    // 2,000 schemas each inheriting from the next: 4 million fields, from 670 KB.
    let error = large("inheritance", &[Part::Inheritance { depth: 2000, width: 2 }]).expect_err("fails");
    assert_eq!(error.items.len(), 1, "{error}");
    assert!(error.items[0].message.contains("more than 100000 properties in all"), "{error}");
    assert!(error.items[0].pointer.starts_with("/components/schemas/P0L"), "{error}");
    // A diamond of inheritance is merged once per schema, not once per path.
    large("diamond", &[Part::Diamond { depth: 60 }]).expect("generates");
}

#[test]
fn one_enum_named_by_thousands_of_union_properties_stops_at_the_stated_limit() {
    let error = large("enum-fanout", &[Part::EnumFanout { fields: 4000, width: 4000 }]).expect_err("fails");
    assert_eq!(error.items.len(), 1, "{error}");
    assert!(error.items[0].message.contains("more than 200000 enum values"), "{error}");
    large("enum-fanout-small", &[Part::EnumFanout { fields: 300, width: 300 }]).expect("generates");
}

#[test]
fn a_4_5_mb_spec_of_every_shape_at_once_generates() {
    let mut parts: Vec<Part> =
        Via::ALL.iter().map(|via| Part::Nested { via: *via, depth: 240 / via.levels() }).collect();
    parts.extend([
        Part::Callbacks { depth: 48 },
        Part::Chain { via: Via::OneOf, length: 8000, cycle: true },
        Part::Chain { via: Via::Properties, length: 8000, cycle: false },
        Part::Siblings { kind: Sibling::Components, count: 10_000 },
        Part::Siblings { kind: Sibling::MappingEntries, count: 10_000 },
        Part::Fanout { fields: 8000, width: 8000 },
        Part::Diamond { depth: 60 },
    ]);
    let text = spec(&parts);
    assert!(text.len() > 4_500_000, "{} bytes", text.len());
    outcome_within("everything", &text, bound_for(&text)).expect("generates");
}
