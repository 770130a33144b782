//! A sequence of real spec versions replayed as a maintainer lives it: each version is regenerated with the
//! record the previous regeneration wrote, and each update's client changes are set beside the spec rules'
//! verdict. A removed or changed client item is *explained* when a spec rule reports a breaking change at
//! its operation, at its schema, or at an operation that uses its type; anything else is a break the
//! generator made on its own. The same versions regenerated without a record (every name chosen afresh)
//! show what the record saves.
//!
//! When an update removes the version an operation's record pins, generation fails with a located error;
//! the replay then does what the error asks of a maintainer (`--adopt gone`) and says which operations
//! moved.

use std::collections::BTreeSet;

use codegen::spec::Document;
use codegen::{Adopt, ClientApi, Record};

use crate::client_api::{self, Clients};
use crate::model::{Change, Level};
use crate::rules::{self, Rule};

/// What one update did to the client, with or without the record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Breaks {
    /// Public items removed.
    pub removed: usize,
    /// Public items whose signature changed (or that lost a cargo feature).
    pub changed: usize,
    /// Removed or changed items that a breaking spec finding explains.
    pub explained: usize,
    /// The others: `item: message`.
    pub unexplained: Vec<String>,
    /// Items the spec lost and the record kept (deprecated).
    pub kept: usize,
}

impl Breaks {
    /// Removed and changed items: what breaks programs built against the previous client.
    pub fn breaking(&self) -> usize {
        self.removed + self.changed
    }
}

/// One update of the replay.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Update {
    /// The older version's name.
    pub from: String,
    /// The newer version's name.
    pub to: String,
    /// Breaking (error-level) findings of the spec rules.
    pub spec_breaking: usize,
    /// The client regenerated with the record.
    pub with_record: Breaks,
    /// The client regenerated without one.
    pub without_record: Breaks,
    /// Operations whose pinned version the update removed, so the replay adopted their newest.
    pub adopted: Vec<String>,
}

/// The previous version, its clients and the record it was generated with.
struct Previous {
    name: String,
    document: Document,
    record_used: Record,
    with_record: ClientApi,
    without_record: ClientApi,
}

/// Replays versions one at a time, carrying the record forward.
pub struct Replay {
    options: codegen::Options,
    record: Record,
    previous: Option<Previous>,
}

impl Replay {
    /// A replay starting from an empty record; `options` are the generator's.
    pub fn new(options: codegen::Options) -> Replay {
        Replay { options, record: Record::default(), previous: None }
    }

    /// The record after the last version.
    pub fn record(&self) -> &Record {
        &self.record
    }

    /// Regenerates `document` (named `name`) with the record, and returns what the update from the previous
    /// version did, or `None` for the first version. A version that does not generate is an error.
    pub fn step(&mut self, name: &str, document: Document) -> anyhow::Result<Option<Update>> {
        let fresh = codegen::client_api(&document, &self.options, &Record::default())
            .map_err(|d| anyhow::anyhow!("{name} does not generate:\n{d}"))?;
        let (with_record, next, adopted) = match codegen::describe(&document, &self.options, &self.record) {
            Ok((api, next)) => (api, next, Vec::new()),
            Err(first) => {
                let options =
                    codegen::Options { adopt: Adopt { gone: true, ..Adopt::default() }, ..self.options.clone() };
                let (api, next) = codegen::describe(&document, &options, &self.record)
                    .map_err(|d| anyhow::anyhow!("{name} does not generate with the record:\n{first}\n{d}"))?;
                let adopted = moved(&self.record, &next);
                (api, next, adopted)
            }
        };
        let update = self.previous.as_ref().map(|previous| {
            let spec = rules::diff_documents_recorded(&previous.document, &document, &previous.record_used);
            let breaking: Vec<&Change> =
                spec.iter().filter(|c| c.level() == Level::Error && !c.rule.is_client_api()).collect();
            let judge = |base: &ClientApi, head: &ClientApi| {
                let clients = Clients { base: (&previous.document, Ok(base)), head: (&document, Ok(head)) };
                classify(&client_api::diff(&clients), &breaking, base, head)
            };
            Update {
                from: previous.name.clone(),
                to: name.to_owned(),
                spec_breaking: breaking.len(),
                with_record: judge(&previous.with_record, &with_record),
                without_record: judge(&previous.without_record, &fresh),
                adopted,
            }
        });
        let record_used = std::mem::replace(&mut self.record, next);
        self.previous =
            Some(Previous { name: name.to_owned(), document, record_used, with_record, without_record: fresh });
        Ok(update)
    }
}

/// Operations whose version differs between two records.
fn moved(before: &Record, after: &Record) -> Vec<String> {
    after
        .operations
        .iter()
        .filter(|(key, op)| before.operations.get(*key).is_some_and(|b| b.version.is_some() && b.version != op.version))
        .map(|(_, op)| op.operation_id.clone())
        .collect()
}

/// Counts the client findings of one update and sorts the breaking ones into explained and not.
fn classify(client: &[Change], breaking: &[&Change], base: &ClientApi, head: &ClientApi) -> Breaks {
    let operations: BTreeSet<(&str, &str)> =
        breaking.iter().filter_map(|c| c.operation.as_ref()).map(|op| (op.method.as_str(), op.path.as_str())).collect();
    let mut breaks = Breaks::default();
    for change in client {
        match change.rule {
            Rule::ClientItemRemoved => breaks.removed += 1,
            Rule::ClientItemChanged => breaks.changed += 1,
            Rule::ClientItemKept => {
                breaks.kept += 1;
                continue;
            }
            _ => continue,
        }
        let at_operation =
            change.operation.as_ref().is_some_and(|op| operations.contains(&(op.method.as_str(), op.path.as_str())));
        let item = change.item.as_deref().unwrap_or_default();
        let users = type_of(item)
            .into_iter()
            .flat_map(|ty| base.reached_by.get(ty).into_iter().chain(head.reached_by.get(ty)).flatten());
        let at_user = users.into_iter().any(|(method, path)| operations.contains(&(method.as_str(), path.as_str())));
        let pointer = change.location.pointer.as_str();
        let at_schema = !pointer.is_empty()
            && pointer != "/paths"
            && breaking.iter().any(|c| c.location.pointer.starts_with(pointer));
        if at_operation || at_user || at_schema {
            breaks.explained += 1;
        } else {
            breaks.unexplained.push(format!("{item}: {}", change.message));
        }
    }
    breaks
}

/// The type an item belongs to (`types::X` for `field types::X::f`, `struct types::X`, `fn types::X::new`).
fn type_of(item: &str) -> Option<&str> {
    let path = item.split_once(' ')?.1;
    let rest = path.strip_prefix("types::")?;
    let end = rest.find("::").map_or(path.len(), |at| "types::".len() + at);
    Some(&path[..end])
}

/// The replay's table, one row per update: spec verdict, and client breaks with and without the record.
pub fn table(updates: &[Update]) -> String {
    let mut out = String::from(
        "| update | spec: breaking findings | without record: items removed / changed | with record: items removed / changed (explained by a spec finding, not explained) | kept, deprecated | versions adopted |\n|---|---|---|---|---|---|\n",
    );
    for update in updates {
        let (with, without) = (&update.with_record, &update.without_record);
        out.push_str(&format!(
            "| {} → {} | {} | {} / {} | {} / {} ({}, {}) | {} | {} |\n",
            short(&update.from),
            short(&update.to),
            update.spec_breaking,
            without.removed,
            without.changed,
            with.removed,
            with.changed,
            with.explained,
            with.unexplained.len(),
            with.kept,
            update.adopted.len()
        ));
    }
    let breaking = |pick: fn(&Update) -> usize| updates.iter().filter(|u| pick(u) > 0).count();
    out.push_str(&format!(
        "| **updates that break** ({} in all) | {} | {} | {} (not explained: {}) | | |\n",
        updates.len(),
        breaking(|u| u.spec_breaking),
        breaking(|u| u.without_record.breaking()),
        breaking(|u| u.with_record.breaking()),
        breaking(|u| u.with_record.unexplained.len()),
    ));
    out
}

/// A history file's date (`2025-03-18_48775e5ef8.yaml` → `2025-03-18`).
fn short(name: &str) -> &str {
    name.split('_').next().unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::type_of;

    #[test]
    fn items_name_their_type() {
        assert_eq!(type_of("field types::ApiKey::roles"), Some("types::ApiKey"));
        assert_eq!(type_of("struct types::ApiKey"), Some("types::ApiKey"));
        assert_eq!(type_of("fn types::ApiKey::new"), Some("types::ApiKey"));
        assert_eq!(type_of("fn Client::get_thing"), None);
    }
}
