//! Structural mutation of real specs: a few thousand mutants of our specs (goldens, broken specs, the
//! shipped spec), each with one to three structural changes (a node deleted, replaced by another kind of
//! value, a `$ref` to anywhere or nowhere, a subtree copied elsewhere, a composition wrapped around it, a
//! discriminator added, a key renamed). Every mutant generates, or fails with errors that each name a line
//! (or say they concern the whole file); none panics or takes long. Deterministic: the same seed gives the
//! same mutants. The coverage-guided fuzzer (`cargo xtask fuzz`) goes further, outside the normal test run.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

const MUTANTS: usize = 3000;
/// Catches a hang or a blow-up; these take milliseconds.
const BOUND: Duration = Duration::from_secs(1);

/// xorshift64*: small, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn seeds() -> Vec<(String, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in ["tests/goldens/specs", "tests/broken", "tests/regressions"] {
        if let Ok(entries) = std::fs::read_dir(root.join(dir)) {
            files.extend(
                entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json")),
            );
        }
    }
    files.push(root.join("../spec/atlas-admin.yaml"));
    files.sort();
    files
        .into_iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).ok()?;
            let document = codegen::spec::Document::read(&text, "seed").ok()?;
            Some((path.file_name()?.to_string_lossy().into_owned(), document.root))
        })
        .collect()
}

/// Every node's pointer, walked with a stack.
fn pointers(root: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![(root, String::new())];
    while let Some((value, at)) = stack.pop() {
        out.push(at.clone());
        match value {
            Value::Object(entries) => {
                for (key, child) in entries {
                    stack.push((child, codegen::spec::pointer::child(&at, key)));
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    stack.push((child, format!("{at}/{index}")));
                }
            }
            _ => {}
        }
    }
    out
}

fn parent_and_key(pointer: &str) -> Option<(&str, String)> {
    let (parent, key) = pointer.rsplit_once('/')?;
    Some((parent, codegen::spec::pointer::unescape(key)))
}

fn mutate(document: &mut Value, rng: &mut Rng) {
    let all = pointers(document);
    let target = all[rng.below(all.len())].clone();
    let other = all[rng.below(all.len())].clone();
    let other_value = document.pointer(&other).cloned().unwrap_or(Value::Null);
    let kinds = [
        json!(null),
        json!(true),
        json!(0),
        json!(-1.5),
        json!(""),
        json!("3.1.0"),
        json!([]),
        json!({}),
        json!(["string", "null"]),
        json!({"type": "object"}),
        json!({"$ref": format!("#{other}")}),
        json!({"$ref": "#/components/schemas/Nowhere"}),
        json!({"$ref": "elsewhere.yaml#/x"}),
        json!({"oneOf": [other_value.clone(), {"type": "string"}]}),
        json!({"allOf": [other_value.clone()]}),
        json!({"type": "string", "enum": ["<", ">", "", "a", "A"]}),
        json!({"type": "array", "items": {"$ref": format!("#{target}")}}),
        other_value,
    ];
    let Some(node) = document.pointer_mut(&target) else { return };
    match rng.below(6) {
        0 => {
            // Delete the node from its parent.
            if let Some((parent, key)) = parent_and_key(&target)
                && let Some(parent) = document.pointer_mut(parent)
            {
                match parent {
                    Value::Object(entries) => {
                        entries.remove(&key);
                    }
                    Value::Array(items) => {
                        if let Ok(index) = key.parse::<usize>()
                            && index < items.len()
                        {
                            items.remove(index);
                        }
                    }
                    _ => {}
                }
            }
        }
        1 => {
            // Rename a key.
            if let Some((parent, key)) = parent_and_key(&target)
                && let Some(Value::Object(entries)) = document.pointer_mut(parent)
                && let Some(value) = entries.remove(&key)
            {
                let names = ["type", "$ref", "oneOf", "allOf", "properties", "items", "required", "x", "/x", "~"];
                entries.insert(names[rng.below(names.len())].to_owned(), value);
            }
        }
        2 if node.is_object() => {
            let mut discriminator = Map::new();
            discriminator.insert("propertyName".into(), json!("kind"));
            discriminator.insert("mapping".into(), json!({"a": format!("#{other}"), "b": "Missing"}));
            node.as_object_mut().map(|o| o.insert("discriminator".into(), Value::Object(discriminator)));
        }
        _ => *node = kinds[rng.below(kinds.len())].clone(),
    }
}

#[test]
fn thousands_of_mutants_generate_or_fail_located_quickly() {
    let seeds = seeds();
    assert!(seeds.len() >= 20, "too few seeds: {}", seeds.len());
    let mut rng = Rng(0x05EE_D0FA_71A5);
    let (mut generated, mut failed, mut slowest) = (0, 0, Duration::ZERO);
    for index in 0..MUTANTS {
        let (name, seed) = &seeds[index % seeds.len()];
        let mut document = seed.clone();
        for _ in 0..=rng.below(3) {
            mutate(&mut document, &mut rng);
        }
        let text = serde_json::to_string_pretty(&document).expect("serialises");
        // A stack overflow aborts the process with no message: `MUTANT_DEBUG=FILE` leaves each mutant in
        // FILE before it runs, so the last one written is the culprit (then add it to `regressions/`).
        if let Some(file) = std::env::var_os("MUTANT_DEBUG") {
            std::fs::write(file, &text).expect("writes the mutant");
        }
        let started = Instant::now();
        let result = std::panic::catch_unwind(|| codegen::generate(&text, "mutant.json"))
            .unwrap_or_else(|_| panic!("mutant {index} of {name} panicked:\n{text}"));
        let took = started.elapsed();
        slowest = slowest.max(took);
        assert!(took < BOUND, "mutant {index} of {name} took {took:?}:\n{text}");
        match result {
            Ok(_) => generated += 1,
            Err(diagnostics) => {
                failed += 1;
                for item in &diagnostics.items {
                    let whole_file = item.pointer.is_empty();
                    assert!(item.line.is_some() || whole_file, "mutant {index} of {name}: {item:?}\n{text}");
                }
            }
        }
    }
    println!("{MUTANTS} mutants: {generated} generated, {failed} failed with located errors, slowest {slowest:?}");
    assert!(generated > 100 && failed > 100, "the mutants must exercise both outcomes ({generated}/{failed})");
}
