//! What changed between two versions of an OpenAPI spec, judged by what it means for a program built
//! against the client generated from the older one. `cargo xtask diff` is its command line; this crate
//! reads nothing from disk or git: it takes the two texts and returns a report.
//!
//! - Both sides are read by the workspace's one spec reader ([`codegen::spec::Document`]), and the client
//!   API of each is described by the generator itself ([`codegen::client_api`]), once per side.
//! - `rules`: the comparison, one file per area, and the catalogue of rule ids and levels.
//! - `client_api`: the generated client's public API at both sides, compared, as findings with rules.
//! - `allowlist` and `date`: accepted changes and their expiry.
//! - `report`: markdown, text and JSON.

pub mod allowlist;
pub mod client_api;
pub mod date;
pub mod history;
pub mod model;
pub mod report;
pub mod rules;

pub use codegen::spec::Document;

use allowlist::Allowlist;
use model::Level;
use report::Report;

/// One side's spec: its name for messages, and its text (`None` when the spec does not exist there yet,
/// so that everything on the other side is new).
#[derive(Debug, Clone)]
pub struct Input {
    /// How to name it in messages and the report: `origin/main:spec/atlas-admin.yaml`, a path.
    pub name: String,
    /// The text; `None` when the revision has no spec.
    pub text: Option<String>,
}

/// A record of names and versions (`spec/record.yaml` at some revision): its name for messages, and its
/// text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordInput {
    /// How to name it in messages.
    pub name: String,
    /// The text.
    pub text: String,
}

/// How to diff.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Findings at or above this level that no allow-list entry accepts fail the run.
    pub fail_on: Option<Level>,
    /// Leave out the generated client's API (its findings and generation failures).
    pub no_client_api: bool,
    /// The options the client is generated with (the shipped client's, for the workspace's spec).
    pub codegen: codegen::Options,
    /// The record the base client was generated with (`None`: names chosen afresh).
    pub base_record: Option<RecordInput>,
    /// The record the head client is generated with: the one committed with the head spec, so that the client
    /// findings are exactly what the regeneration changes for users.
    pub head_record: Option<RecordInput>,
}

/// A side read and described: the document, and the client it generates (or why it does not).
struct Side {
    document: Document,
    record: codegen::Record,
    client: Option<Result<codegen::ClientApi, codegen::Diagnostics>>,
}

/// Reads one side; a missing spec is the empty document. Text that cannot be read at all is an input error
/// naming its line; a spec the generator rejects still diffs (its rejection is a finding).
pub fn read_input(input: &Input) -> anyhow::Result<Document> {
    let Some(text) = &input.text else { return Ok(Document::empty(&input.name)) };
    let document = Document::read(text, &input.name).map_err(|diagnostics| anyhow::anyhow!("{diagnostics}"))?;
    check_shape(&document)?;
    Ok(document)
}

/// Only the top-level shape is checked: the rules read what they need and skip what is malformed, so a
/// half-broken spec still diffs rather than stopping the review.
fn check_shape(document: &Document) -> anyhow::Result<()> {
    let Some(object) = document.root.as_object() else {
        anyhow::bail!("{}: line 1: the document is not a mapping (expected an OpenAPI object)", document.name);
    };
    if let Some(paths) = object.get("paths")
        && !paths.is_object()
    {
        let line = document.line_of("/paths").map(|line| format!("line {line}: ")).unwrap_or_default();
        anyhow::bail!("{}: {line}/paths is not a mapping", document.name);
    }
    Ok(())
}

/// Reads a record: the empty record when there is none; a record that cannot be read is an input error
/// naming its line.
pub fn read_record(input: Option<&RecordInput>) -> anyhow::Result<codegen::Record> {
    match input {
        Some(input) => {
            codegen::record::parse(&input.text, &input.name).map_err(|diagnostics| anyhow::anyhow!("{diagnostics}"))
        }
        None => Ok(codegen::Record::default()),
    }
}

fn read_side(input: &Input, record: Option<&RecordInput>, options: &Options) -> anyhow::Result<Side> {
    let document = read_input(input)?;
    let record = read_record(record)?;
    let client = (!options.no_client_api).then(|| match input.text {
        Some(_) => codegen::client_api(&document, &options.codegen, &record),
        None => Ok(codegen::ClientApi::default()),
    });
    Ok(Side { document, record, client })
}

/// Diffs two inputs and applies the allow-list: everything but reading and writing files. `today` is
/// `None` when the clock cannot be read; every allow-list entry then fails closed.
///
/// The two sides are read and described on two threads: reading and shaping a 540-operation spec is
/// most of the time, and the sides are independent.
pub fn build_report(
    base: &Input,
    head: &Input,
    allowlist: Allowlist,
    today: Option<date::Day>,
    options: &Options,
) -> anyhow::Result<Report> {
    let (base_side, head_side) = std::thread::scope(|scope| {
        let base_side = scope.spawn(|| read_side(base, options.base_record.as_ref(), options));
        let head_side = read_side(head, options.head_record.as_ref(), options);
        (base_side.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), head_side)
    });
    let (base_side, head_side) = (base_side?, head_side?);
    let mut changes = rules::diff_documents_recorded(&base_side.document, &head_side.document, &base_side.record);
    if let (Some(base_client), Some(head_client)) = (&base_side.client, &head_side.client) {
        let sides = client_api::Clients {
            base: (&base_side.document, base_client.as_ref()),
            head: (&head_side.document, head_client.as_ref()),
        };
        changes.extend(client_api::diff(&sides));
        model::normalise(&mut changes);
    }
    // Two 4 MB documents and their clients take a while to free: free them side by side.
    std::thread::scope(|scope| {
        scope.spawn(move || drop(base_side));
        drop(head_side);
    });
    let report = Report::new(
        base.name.clone(),
        head.name.clone(),
        changes,
        allowlist,
        today,
        !options.no_client_api,
        options.fail_on,
    );
    Ok(report)
}
