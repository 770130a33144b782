//! Collecting every component the kept operations reference, transitively.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::bail;
use serde_json::{Map, Value};

/// The `components` the output needs: every `$ref` target reachable from `paths`, plus the security
/// schemes named by security requirements. Sections and names are sorted, so the output is stable.
pub(super) fn collect_components(upstream: &Value, paths: &Value, security: Option<&Value>) -> anyhow::Result<Value> {
    let mut wanted: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut queue: Vec<(String, &Value)> = vec![("/paths".to_owned(), paths)];
    let mut dangling = Vec::new();
    while let Some((at, value)) = queue.pop() {
        let mut refs = Vec::new();
        find_refs(value, &at, &mut refs);
        for (reference, ref_at) in refs {
            let Some(rest) = reference.strip_prefix("#/components/") else {
                dangling.push(format!("{ref_at}: `{reference}` is not a local components ref"));
                continue;
            };
            let Some((section, name)) = rest.split_once('/') else {
                dangling.push(format!("{ref_at}: `{reference}` does not name a component"));
                continue;
            };
            let name = name.replace("~1", "/").replace("~0", "~");
            let Some(target) = upstream.get("components").and_then(|c| c.get(section)).and_then(|s| s.get(&name))
            else {
                dangling.push(format!("{ref_at}: `{reference}` does not resolve"));
                continue;
            };
            if wanted.entry(section.to_owned()).or_default().insert(name.clone()) {
                queue.push((format!("/components/{section}/{name}"), target));
            }
        }
    }
    let mut requirements = Vec::new();
    collect_security(security, &mut requirements);
    collect_security_in_paths(paths, &mut requirements);
    for name in requirements {
        if upstream.get("components").and_then(|c| c.get("securitySchemes")).and_then(|s| s.get(&name)).is_none() {
            dangling.push(format!("security scheme `{name}` is not defined upstream"));
        }
        wanted.entry("securitySchemes".to_owned()).or_default().insert(name);
    }
    if !dangling.is_empty() {
        bail!("references that do not resolve:\n  {}", dangling.join("\n  "));
    }
    let mut components = Map::new();
    for (section, names) in wanted {
        let mut out = Map::new();
        for name in names {
            if let Some(value) = upstream.get("components").and_then(|c| c.get(&section)).and_then(|s| s.get(&name)) {
                out.insert(name, value.clone());
            }
        }
        components.insert(section, Value::Object(out));
    }
    Ok(Value::Object(components))
}

fn find_refs<'a>(value: &'a Value, at: &str, out: &mut Vec<(&'a str, String)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let here = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                match (key.as_str(), child) {
                    ("$ref", Value::String(reference)) => out.push((reference, here)),
                    _ => find_refs(child, &here, out),
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                find_refs(child, &format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
}

fn collect_security(requirements: Option<&Value>, out: &mut Vec<String>) {
    let Some(Value::Array(requirements)) = requirements else { return };
    for requirement in requirements {
        if let Value::Object(schemes) = requirement {
            out.extend(schemes.keys().cloned());
        }
    }
}

fn collect_security_in_paths(paths: &Value, out: &mut Vec<String>) {
    let Value::Object(paths) = paths else { return };
    for item in paths.values().filter_map(Value::as_object) {
        for operation in item.values() {
            collect_security(operation.get("security"), out);
        }
    }
}
