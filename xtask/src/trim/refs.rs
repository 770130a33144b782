//! Collecting every component the kept operations reference, transitively.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::bail;
use codegen::spec::{Reference, pointer, references};
use serde_json::{Map, Value};

/// The `components` the output needs: every `$ref` target reachable from `paths`, plus the security
/// schemes named by security requirements. Sections and names are sorted, so the output is stable.
pub(super) fn collect_components(upstream: &Value, paths: &Value, security: Option<&Value>) -> anyhow::Result<Value> {
    let mut wanted: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut queue: Vec<(String, &Value)> = vec![("/paths".to_owned(), paths)];
    let mut dangling = Vec::new();
    while let Some((at, value)) = queue.pop() {
        for Reference { target: reference, at: ref_at } in references(value, Some(&at)) {
            let Some(rest) = reference.strip_prefix("#/components/") else {
                dangling.push(format!("{ref_at}: `{reference}` is not a local components ref"));
                continue;
            };
            let Some((section, name)) = rest.split_once('/') else {
                dangling.push(format!("{ref_at}: `{reference}` does not name a component"));
                continue;
            };
            let name = pointer::unescape(name);
            let Some(target) = upstream.get("components").and_then(|c| c.get(section)).and_then(|s| s.get(&name))
            else {
                dangling.push(format!("{ref_at}: `{reference}` does not resolve"));
                continue;
            };
            if wanted.entry(section.to_owned()).or_default().insert(name.clone()) {
                queue.push((pointer::from_tokens(&["components", section, &name]), target));
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
