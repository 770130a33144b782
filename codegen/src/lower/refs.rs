//! Resolving openapiv3's `$ref`s to `#/components/...`, with located errors for anything that does not resolve.

use indexmap::IndexMap;
use openapiv3::{Components, ReferenceOr};

use super::Lowering;
use crate::spec::limits::MAX_REF_HOPS;
use crate::spec::pointer::{from_tokens, unescape};

impl<'a> Lowering<'a> {
    /// Resolves `item` (inline or a `$ref` into `components.<section>`), following chains of refs.
    /// Returns the target and the pointer where it lives.
    pub(super) fn resolve<T>(
        &mut self,
        item: &'a ReferenceOr<T>,
        at: &str,
        section: &str,
        table: fn(&'a Components) -> &'a IndexMap<String, ReferenceOr<T>>,
    ) -> Option<(&'a T, String)> {
        let mut current = item;
        let mut here = at.to_owned();
        for _ in 0..MAX_REF_HOPS {
            match current {
                ReferenceOr::Item(value) => return Some((value, here)),
                ReferenceOr::Reference { reference } => {
                    let name = self.component_name(reference, section, &here)?;
                    let Some(target) = self.spec.components.as_ref().and_then(|c| table(c).get(&name)) else {
                        self.error(format!("{here}/$ref"), format!("`{reference}` does not resolve"));
                        return None;
                    };
                    here = from_tokens(&["components", section, &name]);
                    current = target;
                }
            }
        }
        self.error(at, format!("`$ref` chain longer than {MAX_REF_HOPS} hops: the references form a cycle"));
        None
    }

    /// The component name in `#/components/<section>/<name>`, or a diagnostic.
    fn component_name(&mut self, reference: &str, section: &str, at: &str) -> Option<String> {
        let prefix = format!("#/components/{section}/");
        match reference.strip_prefix(&prefix) {
            Some(name) if !name.is_empty() && !name.contains('/') => Some(unescape(name)),
            _ => {
                let message = format!("`{reference}`: only local references to `{prefix}<name>` are supported here");
                self.error(format!("{at}/$ref"), message);
                None
            }
        }
    }
}
