//! Modules of operations, one per tag, each with its cargo feature. A recorded operation stays in the module
//! the record puts it in, even when upstream moves it to another tag or renames its tag: moving it would
//! move it behind another cargo feature. New tags get new modules whose names take no recorded name.

use std::collections::BTreeMap;

use super::remembered::Remembered;
use crate::model::Operation;
use crate::naming::{Namer, kebab, snake};
use crate::plan::Module;
use crate::record::operation_key;

/// The modules, sorted by name, and the index of each operation's module.
pub(crate) fn assign(operations: &[&Operation], remembered: &Remembered) -> (Vec<Module>, Vec<usize>) {
    let mut namer = Namer::with_reserved(&["mod"]);
    namer.reserve(remembered.record.modules.values().map(|m| m.name.as_str()));
    // Module name → (tag, feature).
    let mut by_name: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut fresh: BTreeMap<String, String> = BTreeMap::new();
    let mut chosen = Vec::with_capacity(operations.len());
    for operation in operations {
        let tag = operation.tags.first().map_or("", String::as_str);
        let recorded = remembered
            .operation(&operation_key(&operation.method, &operation.path))
            .and_then(|op| remembered.tag_of_module(&op.module).map(|tag| (tag, op.module.as_str())));
        let (tag, name, feature) = match recorded.or_else(|| remembered.module(tag).map(|m| (tag, m.name.as_str()))) {
            Some((tag, name)) => {
                let feature = remembered.module(tag).map_or_else(|| kebab(name), |m| m.feature.clone());
                (tag.to_owned(), name.to_owned(), feature)
            }
            None => {
                let label = if tag.is_empty() { "untagged" } else { tag };
                let name = fresh.entry(tag.to_owned()).or_insert_with(|| namer.claim(&snake(label))).clone();
                (tag.to_owned(), name, kebab(label))
            }
        };
        by_name.entry(name.clone()).or_insert((tag, feature));
        chosen.push(name);
    }
    let modules: Vec<Module> = by_name
        .into_iter()
        .map(|(name, (tag, feature))| {
            let label = if tag.is_empty() { "untagged".to_owned() } else { tag.clone() };
            Module { docs: vec![format!("Operations tagged `{label}`.")], tag, name, feature }
        })
        .collect();
    let index: BTreeMap<&str, usize> = modules.iter().enumerate().map(|(i, m)| (m.name.as_str(), i)).collect();
    let of = chosen.iter().map(|name| index[name.as_str()]).collect();
    (modules, of)
}
