//! `cargo xtask diff`: what changed between two versions of the trimmed spec, for pull requests.
//!
//! - `input`: where each side comes from (file, git revision, working tree).
//! - `document`: text to a JSON value with a line index.
//! - `rules`: the comparison, one file per area, and the catalogue of rule ids and levels.
//! - `client_api`: the generated client's public API at both sides, compared.
//! - `allowlist` and `date`: accepted breaking changes and their expiry.
//! - `report`: markdown, text and JSON.

pub(crate) mod allowlist;
pub(crate) mod args;
pub(crate) mod client_api;
pub(crate) mod date;
pub(crate) mod document;
pub(crate) mod input;
pub(crate) mod model;
pub(crate) mod report;
pub(crate) mod rules;

use std::process::ExitCode;

use anyhow::Context as _;

use allowlist::Allowlist;
use args::{Format, Options};
use document::Document;
use input::Input;
use report::Report;

/// Where the allow-list lives, relative to the repository root.
pub(crate) const ALLOWLIST_FILE: &str = "spec/allowlist.yaml";

/// Runs `cargo xtask diff` with the arguments after `diff`.
pub(crate) fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    let options = Options::parse(args)?;
    if options.list_rules {
        for rule in rules::Rule::ALL {
            println!("{:<45} {:<8} {}", rule.id(), rule.level().name(), rule.summary());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let repository = input::repository_root();
    let base = input::read_named(&options.base, repository.as_deref())?;
    let head = match &options.head {
        Some(head) => input::read_named(head, repository.as_deref())?,
        None => input::read_working_tree(repository.as_deref())?,
    };
    let allowlist = match &options.allowlist {
        Some(path) => Allowlist::read(path)?,
        None => {
            let default = repository.as_deref().map(|root| root.join(ALLOWLIST_FILE));
            match default.filter(|path| path.is_file()) {
                Some(path) => Allowlist::read(&path)?,
                None => Allowlist::default(),
            }
        }
    };
    let today = date::Day::today();
    let report = build_report(&base, &head, allowlist, today, &options)?;
    let rendered = match options.format {
        Format::Markdown => report::render_markdown(&report),
        Format::Text => report::render_text(&report),
        Format::Json => report::render_json(&report),
    };
    match &options.output {
        Some(path) => std::fs::write(path, &rendered).with_context(|| format!("writing {}", path.display()))?,
        None => print!("{rendered}"),
    }
    if report.failed() {
        eprintln!("spec diff failed (today is {}): {}", today.format(), report.summary_sentence());
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// Parses one side; a missing spec is the empty document.
pub(crate) fn parse_input(input: &Input) -> anyhow::Result<Document> {
    match &input.text {
        Some(text) => Document::parse(text, &input.name),
        None => Ok(Document::empty(&input.name)),
    }
}

/// Diffs two inputs and applies the allow-list: everything but reading and writing files.
pub(crate) fn build_report(
    base: &Input,
    head: &Input,
    allowlist: Allowlist,
    today: date::Day,
    options: &Options,
) -> anyhow::Result<Report> {
    let base_document = parse_input(base)?;
    let head_document = parse_input(head)?;
    let changes = rules::diff_documents(&base_document, &head_document);
    let client_api = if options.no_client_api {
        client_api::ClientApiDiff::default()
    } else {
        client_api::diff_client_api(spec_of(base), spec_of(head))
    };
    Ok(Report::new(base.name.clone(), head.name.clone(), changes, allowlist, today, client_api, options.fail_on))
}

/// The text and file name codegen should see for one side, when the side has a spec.
fn spec_of(input: &Input) -> Option<(&str, &str)> {
    input.text.as_deref().map(|text| (text, file_name(&input.name)))
}

/// The file name codegen should see (its extension picks YAML or JSON).
fn file_name(name: &str) -> &str {
    name.rsplit([':', '/']).next().unwrap_or(name)
}
