//! `cargo xtask diff`: the command line of the spec diff (the `spec-diff` crate). Reads the two sides (files
//! or git revisions) and the allow-list, writes the report, and turns it into an exit status: 0 nothing at or
//! above `--fail-on`, 1 findings at or above it (or an allow-list that does not hold), 2 a usage or input
//! error.

mod args;
mod input;

use std::process::ExitCode;

use anyhow::Context as _;

use args::{Format, Options};
use spec_diff::allowlist::Allowlist;
use spec_diff::date::Day;
use spec_diff::report;
use spec_diff::rules::Rule;

/// Where the allow-list lives, relative to the repository root.
const ALLOWLIST_FILE: &str = "spec/allowlist.yaml";

/// Where the Markdown report says the whole report is: the `--full-report` file, linked to
/// `--full-report-url` when given.
fn markdown_options(options: &Options) -> report::MarkdownOptions {
    let full_report = options.full_report.as_ref().map(|path| match &options.full_report_url {
        Some(url) => {
            let name =
                path.file_name().map_or_else(|| path.display().to_string(), |name| name.to_string_lossy().into_owned());
            format!("`{name}`, kept with [the workflow run]({url})")
        }
        None => format!("`{}`", path.display()),
    });
    report::MarkdownOptions { full_report, ..report::MarkdownOptions::default() }
}

fn write(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// Runs `cargo xtask diff` with the arguments after `diff`. Every error is exit 2: exit 1 means findings.
pub(crate) fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    match diff(args) {
        Ok(code) => Ok(code),
        Err(error) => {
            eprintln!("error: {error:#}");
            Ok(ExitCode::from(2))
        }
    }
}

fn diff(args: &[String]) -> anyhow::Result<ExitCode> {
    let Some(options) = Options::parse(args)? else { return Ok(ExitCode::SUCCESS) };
    if options.list_rules {
        for rule in Rule::ALL {
            println!("{:<45} {:<8} {}", rule.id(), rule.level().name(), rule.summary());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let repository = input::repository_root();
    let (base, base_record) = input::read_named(&options.base, repository.as_deref(), options.base_record.as_deref())?;
    let (head, head_record) = match &options.head {
        Some(head) => input::read_named(head, repository.as_deref(), options.head_record.as_deref())?,
        None => input::read_working_tree(repository.as_deref(), options.head_record.as_deref())?,
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
    let today = Day::today();
    let diff_options = spec_diff::Options {
        fail_on: options.fail_on,
        no_client_api: options.no_client_api,
        codegen: crate::options::shipped_client(),
        base_record,
        head_record,
    };
    let report = spec_diff::build_report(&base, &head, allowlist, today, &diff_options)?;
    let rendered = match options.format {
        Format::Markdown => report::render_markdown_with(&report, &markdown_options(&options)),
        Format::Text => report::render_text(&report),
        Format::Json => report::render_json(&report),
    };
    // The whole report first: the comment may point to it.
    if let Some(path) = &options.full_report {
        let whole = if path.extension().is_some_and(|extension| extension == "json") {
            report::render_json(&report)
        } else {
            report::render_text(&report)
        };
        write(path, &whole)?;
    }
    match &options.output {
        Some(path) => write(path, &rendered)?,
        None => print!("{rendered}"),
    }
    if report.failed() {
        let today = today.map_or_else(|| "unreadable".to_owned(), Day::format);
        eprintln!("spec diff failed (today is {today}): {}", report.summary_sentence());
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
