//! Every reference under a node: each `$ref`, and each schema a discriminator `mapping` names (as a
//! reference or as a bare component name, which OpenAPI reads as `#/components/schemas/<name>`). Trim
//! follows them to cut components out; the diff follows them to know which components a change reaches.

use serde_json::Value;

use super::pointer;

/// One reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The reference as a local `$ref` would write it (`#/components/schemas/Link`).
    pub target: String,
    /// Where it is written (a JSON pointer); empty when the walk was not asked to locate.
    pub at: String,
}

/// Every reference under `value`, found with an explicit stack (no recursion per level). With `at`, each
/// carries its pointer, `at` being the pointer of `value`; without it no pointer is built (a faster walk).
pub fn references(value: &Value, at: Option<&str>) -> Vec<Reference> {
    let locate = at.is_some();
    let here = |parent: &str, token: &str| if locate { pointer::child(parent, token) } else { String::new() };
    let mut out = Vec::new();
    let mut stack = vec![(value, at.unwrap_or_default().to_owned())];
    while let Some((value, at)) = stack.pop() {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    match (key.as_str(), child) {
                        ("$ref", Value::String(reference)) => {
                            out.push(Reference { target: reference.clone(), at: here(&at, key) })
                        }
                        ("discriminator", Value::Object(discriminator)) => {
                            let mapping = discriminator.get("mapping").and_then(Value::as_object);
                            let mapping_at = here(&here(&at, key), "mapping");
                            for (tag, target) in mapping.into_iter().flatten() {
                                let Some(target) = target.as_str() else { continue };
                                let target = if target.starts_with('#') {
                                    target.to_owned()
                                } else {
                                    format!("#/components/schemas/{}", pointer::escape(target))
                                };
                                out.push(Reference { target, at: here(&mapping_at, tag) });
                            }
                            // A property may be called `discriminator` too: its schema is walked as well.
                            stack.push((child, here(&at, key)));
                        }
                        _ => stack.push((child, here(&at, key))),
                    }
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    stack.push((child, if locate { format!("{at}/{index}") } else { String::new() }));
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_refs_and_mapping_targets_with_their_places() {
        let value = serde_json::json!({
            "a": {"$ref": "#/components/schemas/A"},
            "b": [{"discriminator": {"propertyName": "kind", "mapping": {"x": "X", "y": "#/components/schemas/Y"}}}]
        });
        let mut found: Vec<(String, String)> =
            references(&value, Some("/r")).into_iter().map(|r| (r.target, r.at)).collect();
        found.sort();
        assert_eq!(
            found,
            [
                ("#/components/schemas/A".to_owned(), "/r/a/$ref".to_owned()),
                ("#/components/schemas/X".to_owned(), "/r/b/0/discriminator/mapping/x".to_owned()),
                ("#/components/schemas/Y".to_owned(), "/r/b/0/discriminator/mapping/y".to_owned()),
            ]
        );
        assert!(references(&value, None).iter().all(|r| r.at.is_empty()));
        assert_eq!(references(&value, None).len(), 3);
    }
}
