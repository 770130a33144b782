//! Applying `spec/corrections.yaml`: each entry replaces the value at a JSON pointer, but only when
//! upstream still has the value the correction was written against.

use std::path::Path;

use anyhow::{Context, bail};
use serde_json::Value;

/// Applies every correction; returns the pointers corrected, for the provenance record.
pub(super) fn apply(document: &mut Value, file: &Path) -> anyhow::Result<Vec<String>> {
    let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let corrections: Value = serde_yaml::from_str(&text).with_context(|| format!("parsing {}", file.display()))?;
    let Some(list) = corrections.get("corrections").and_then(Value::as_array) else {
        bail!("{} needs a `corrections` list", file.display());
    };
    let mut applied = Vec::new();
    for (index, correction) in list.iter().enumerate() {
        let field = |name: &str| {
            correction.get(name).with_context(|| format!("{}: correction {index} has no `{name}`", file.display()))
        };
        let pointer = field("pointer")?.as_str().context("`pointer` must be a string")?;
        let expect = field("expect")?;
        let replace = field("replace")?;
        field("reason")?;
        let Some(target) = document.pointer_mut(pointer) else {
            bail!("{}: correction {index}: {pointer} does not exist upstream any more; re-check it", file.display());
        };
        if target != expect {
            bail!(
                "{}: correction {index}: upstream changed the value at {pointer} (now {}); re-check whether the \
                 correction is still needed",
                file.display(),
                serde_json::to_string(target).unwrap_or_default()
            );
        }
        *target = replace.clone();
        applied.push(pointer.to_owned());
    }
    Ok(applied)
}
