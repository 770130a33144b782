//! Turns an OpenAPI 3.0 document into Rust source for a typed client.
//!
//! Stages, one direction: [`spec::Document::read`] (text to values with lines, limits checked) → lower
//! (the spec's facts) → shape (every Rust decision) → emit tokens with `quote` → format with `syn` +
//! `prettyplease`. The crate does no file or network I/O: it takes text and returns text, so the same code
//! serves `cargo xtask regenerate`, the freshness test, `trim` and the spec diff.
#![deny(missing_docs)]

mod diagnostics;
mod emit;
mod format;
mod id_pattern;
mod lower;
mod model;
mod naming;
mod plan;
pub mod record;
mod shape;
pub mod spec;
mod surface;

use std::collections::{BTreeMap, BTreeSet};

pub use diagnostics::{Diagnostic, Diagnostics};
pub use record::Record;
use spec::Document;
pub use surface::{ApiItem, ClientApi, OperationApi};

/// What the generator is asked for, beyond the spec itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Pin every operation to its newest version not after this date (`YYYY-MM-DD`); overrides the spec's
    /// `x-pinned-version`.
    pub pinned_version: Option<String>,
    /// Send `preview` versions where an operation offers one.
    pub prefer_preview: bool,
    /// Gate each tag's operations, and the types only they use, behind a cargo feature.
    pub features: bool,
    /// How list operations page, when the API has a convention for it.
    pub pagination: Option<Pagination>,
    /// Operations that move to the newest version they offer instead of the version the record pins.
    pub adopt: Adopt,
    /// Drop what the record has and the spec no longer has, instead of keeping it deprecated.
    pub prune: bool,
}

/// Which operations adopt the newest API version they offer instead of the one the record pins: a
/// deliberate step, since it changes what the client sends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Adopt {
    /// Every operation.
    pub all: bool,
    /// Every operation whose pinned version the spec no longer offers (else each is a located error).
    pub gone: bool,
    /// The operations named: by operationId (current or former) or by `METHOD /path`.
    pub operations: BTreeSet<String>,
}

impl Adopt {
    /// Whether nothing is adopted.
    pub fn is_none(&self) -> bool {
        !self.all && !self.gone && self.operations.is_empty()
    }

    /// Whether the operation with this operationId and record key adopts; `gone` says whether the version
    /// the record pins is no longer offered.
    pub(crate) fn covers(
        &self,
        operation_id: &str,
        key: &str,
        recorded: Option<&record::OperationRecord>,
        gone: bool,
    ) -> bool {
        self.all
            || (self.gone && gone)
            || self.operations.iter().any(|name| {
                name == operation_id
                    || record::operation_key_of_text(name).is_some_and(|k| k == key)
                    || recorded.is_some_and(|r| r.operation_id == *name || r.former_ids.contains(name))
            })
    }
}

/// A page-number pagination convention: which query parameters choose the page, and which properties of
/// the answer hold the items and their total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// The page number parameter (Atlas: `pageNum`).
    pub page_param: String,
    /// The page size parameter (Atlas: `itemsPerPage`).
    pub size_param: String,
    /// The answer's list of items (Atlas: `results`).
    pub items_property: String,
    /// The answer's total count, when it has one (Atlas: `totalCount`).
    pub total_property: Option<String>,
}

/// The generated source files of one spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFiles {
    /// Path relative to the generated folder (`mod.rs`, `types.rs`, `operations/<tag>.rs`, ...) →
    /// formatted Rust source, header included.
    pub files: BTreeMap<String, String>,
    /// The operationIds generated, sorted.
    pub operations: Vec<String>,
    /// Cargo features (one per tag) when `Options::features` is set, sorted.
    pub features: Vec<String>,
    /// What was left out, and why.
    pub notes: Vec<String>,
    /// Where each operation's request builder is, by operationId.
    pub builders: BTreeMap<String, BuilderPath>,
    /// The record of this generation: what the next one reads.
    pub record: Record,
    /// Operations offering a newer dated version than the one they send: operationId → (sent, newer).
    pub newer_versions: BTreeMap<String, (String, Vec<String>)>,
    /// Crates the generated code uses beyond the runtime's dependencies, sorted: `regex` when an id's
    /// pattern is more than literal text and character classes (see the runtime's `IdCheck`).
    pub extra_dependencies: Vec<String>,
}

/// Where one operation's request builder lives in the generated modules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuilderPath {
    /// The module under `operations` (one per tag).
    pub module: String,
    /// The builder type (`DeleteOrgApiKey`).
    pub builder: String,
    /// The client method (`delete_org_api_key`).
    pub method: String,
    /// The cargo feature that enables it, when features are on.
    pub feature: Option<String>,
}

/// Generates the client modules for the spec in `text` with default options and no record; `file_name` is
/// how the header and diagnostics name the input (e.g. `spec/atlas-admin.yaml`).
pub fn generate(text: &str, file_name: &str) -> Result<GeneratedFiles, Diagnostics> {
    generate_with(text, file_name, &Options::default())
}

/// Generates the client modules for the spec in `text`, with no record (every name chosen afresh).
pub fn generate_with(text: &str, file_name: &str, options: &Options) -> Result<GeneratedFiles, Diagnostics> {
    let document = Document::read(text, file_name)?;
    generate_document(&document, options, &Record::default())
}

/// Every decision about the client, made: the stages before any source is written.
fn plan(document: &Document, options: &Options, record: &Record) -> Result<plan::Plan, Diagnostics> {
    let api = lower::lower(document)?;
    shape::shape(&api, options, &document.name, record).map_err(|d| document.locate(d))
}

/// The public API of the client `document` generates with the names of `record`, without writing its
/// source: what the spec diff compares. Fails exactly when [`generate_document`] fails for a reason of the
/// spec.
pub fn client_api(document: &Document, options: &Options, record: &Record) -> Result<ClientApi, Diagnostics> {
    Ok(surface::describe(&plan(document, options, record)?))
}

/// The public API of the client `document` generates with the names of `record`, and the record that
/// generation writes, from one plan: what a regeneration changes for users, and what the next one reads.
pub fn describe(document: &Document, options: &Options, record: &Record) -> Result<(ClientApi, Record), Diagnostics> {
    let plan = plan(document, options, record)?;
    Ok((surface::describe(&plan), record::of_plan(&plan, record)))
}

/// Generates from an already read document, with the names and versions of `record` (the empty record for
/// a first generation); the result carries the record to keep for the next one.
pub fn generate_document(
    document: &Document,
    options: &Options,
    record: &Record,
) -> Result<GeneratedFiles, Diagnostics> {
    let plan = plan(document, options, record)?;
    let header = format!(
        "// Generated by `cargo xtask regenerate` from {} (sha256 {}).\n\
         // Do not edit: change the generator or the spec, then regenerate.\n\n",
        document.name, document.sha256
    );
    let mut files = BTreeMap::new();
    let mut problems = Diagnostics::new(&document.name);
    for (name, formatted) in format::emit_and_format(&plan) {
        match formatted {
            Ok(source) => {
                files.insert(name, format!("{header}{source}"));
            }
            Err(message) => problems.push_at_line("", None, message),
        }
    }
    problems.into_result()?;
    let mut operations: Vec<String> = plan.operations.iter().map(|op| op.operation_id.clone()).collect();
    operations.sort();
    let features = if plan.features { plan.modules.iter().map(|m| m.feature.clone()).collect() } else { Vec::new() };
    let builders = plan
        .operations
        .iter()
        .map(|op| {
            let module = &plan.modules[op.module];
            let path = BuilderPath {
                module: module.name.clone(),
                builder: op.builder.clone(),
                method: op.method_name.clone(),
                feature: plan.features.then(|| module.feature.clone()),
            };
            (op.operation_id.clone(), path)
        })
        .collect();
    let newer_versions = plan
        .operations
        .iter()
        .filter(|op| !op.newer_versions.is_empty())
        .map(|op| (op.operation_id.clone(), (op.version.clone().unwrap_or_default(), op.newer_versions.clone())))
        .collect();
    let extra_dependencies = if plan.ids.iter().any(|id| id.check == id_pattern::IdCheck::Regex) {
        vec!["regex".to_owned()]
    } else {
        Vec::new()
    };
    let next = record::of_plan(&plan, record);
    Ok(GeneratedFiles {
        files,
        operations,
        features,
        notes: plan.notes,
        builders,
        record: next,
        newer_versions,
        extra_dependencies,
    })
}

/// The sha256 of `bytes`, lower-case hex: how generated headers and trim's provenance name an input.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
