//! The record as shaping reads it: looked up by wire identity (operation key, type place, tag, id
//! constraint) and by name, and every recorded name reserved so that a new item never takes one.

use std::collections::{HashMap, HashSet};

use crate::record::{IdRecord, ModuleRecord, OperationRecord, Record, TypeRecord};

/// The record of the previous generation, indexed.
pub(crate) struct Remembered<'a> {
    pub record: &'a Record,
    /// When set, items the spec no longer has are dropped instead of kept.
    pub prune: bool,
    types_by_name: HashMap<&'a str, (&'a str, &'a TypeRecord)>,
}

impl<'a> Remembered<'a> {
    pub(crate) fn new(record: &'a Record, prune: bool) -> Self {
        let types_by_name = record.types.iter().map(|(key, ty)| (ty.name.as_str(), (key.as_str(), ty))).collect();
        Remembered { record, prune, types_by_name }
    }

    pub(crate) fn operation(&self, key: &str) -> Option<&'a OperationRecord> {
        self.record.operations.get(key)
    }

    pub(crate) fn module(&self, tag: &str) -> Option<&'a ModuleRecord> {
        self.record.modules.get(tag)
    }

    /// The tag of the recorded module called `name`.
    pub(crate) fn tag_of_module(&self, name: &str) -> Option<&'a str> {
        self.record.modules.iter().find(|(_, module)| module.name == name).map(|(tag, _)| tag.as_str())
    }

    pub(crate) fn type_at(&self, key: &str) -> Option<&'a TypeRecord> {
        self.record.types.get(key)
    }

    /// The recorded type called `name`, with its key.
    pub(crate) fn type_named(&self, name: &str) -> Option<(&'a str, &'a TypeRecord)> {
        self.types_by_name.get(name).copied()
    }

    pub(crate) fn type_names(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.record.types.values().map(|ty| ty.name.as_str())
    }

    /// Names of things that live beside request builders in `operations`: builders, answer enums, the
    /// headers struct.
    pub(crate) fn operation_item_names(&self) -> HashSet<&'a str> {
        let mut names: HashSet<&str> = HashSet::new();
        for op in self.record.operations.values() {
            names.insert(&op.builder);
            if let Some(answer) = &op.answer {
                names.insert(&answer.name);
            }
        }
        if let Some(headers) = &self.record.headers {
            names.insert(&headers.name);
        }
        names
    }

    pub(crate) fn method_names(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.record.operations.values().map(|op| op.method.as_str())
    }

    pub(crate) fn ids(&self) -> impl Iterator<Item = (&'a str, &'a IdRecord)> + '_ {
        self.record.ids.iter().map(|(name, id)| (name.as_str(), id))
    }
}
