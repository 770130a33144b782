//! Applying `spec/corrections.yaml`. An entry either replaces the value at a JSON pointer, but only when
//! upstream still has the value it was written against (`expect`), or adds a key upstream does not have
//! (`add`, for extensions such as `x-sensitive`), but only when the key is still absent. Either way a changed
//! upstream fails loudly instead of a correction silently applying to something else.

use std::path::Path;

use anyhow::{Context, bail};
use codegen::spec::{Document, pointer};
use serde_json::Value;

/// Applies every correction; returns the pointers corrected, for the provenance record.
pub(super) fn apply(document: &mut Value, file: &Path) -> anyhow::Result<Vec<String>> {
    let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let corrections = Document::read(&text, &file.display().to_string()).map_err(|d| anyhow::anyhow!("{d}"))?;
    let Some(list) = corrections.root.get("corrections").and_then(Value::as_array) else {
        bail!("{} needs a `corrections` list", file.display());
    };
    let mut applied = Vec::new();
    for (index, correction) in list.iter().enumerate() {
        let at = || format!("{}: correction {index}", file.display());
        let field = |name: &str| correction.get(name).with_context(|| format!("{}: has no `{name}`", at()));
        let target_pointer = field("pointer")?.as_str().context("`pointer` must be a string")?;
        field("reason")?;
        match (correction.get("expect"), correction.get("add")) {
            (Some(expect), None) => {
                let replace = field("replace")?;
                let Some(target) = document.pointer_mut(target_pointer) else {
                    bail!("{}: {target_pointer} does not exist upstream any more; re-check it", at());
                };
                if target != expect {
                    bail!(
                        "{}: upstream changed the value at {target_pointer} (now {}); re-check whether the \
                         correction is still needed",
                        at(),
                        serde_json::to_string(target).unwrap_or_default()
                    );
                }
                *target = replace.clone();
            }
            (None, Some(added)) => {
                let (parent, key) = target_pointer.rsplit_once('/').context("`pointer` must name a key to add")?;
                let key = pointer::unescape(key);
                let Some(Value::Object(parent_object)) = document.pointer_mut(parent) else {
                    bail!("{}: {parent} does not exist upstream any more (or is not a mapping); re-check it", at());
                };
                if let Some(existing) = parent_object.get(&key) {
                    bail!(
                        "{}: upstream now has {target_pointer} (as {}); re-check whether the correction is still \
                         needed",
                        at(),
                        serde_json::to_string(existing).unwrap_or_default()
                    );
                }
                parent_object.insert(key, added.clone());
            }
            _ => bail!("{}: give either `expect` and `replace`, or `add`", at()),
        }
        applied.push(target_pointer.to_owned());
    }
    Ok(applied)
}
