//! Command-line options of `cargo xtask diff`.

use std::path::PathBuf;

use spec_diff::model::Level;

use crate::cli;

/// How the report is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// A pull-request comment.
    Markdown,
    /// For a terminal.
    Text,
    /// For tools.
    Json,
}

/// Parsed options.
#[derive(Clone, Debug)]
pub(crate) struct Options {
    /// A git revision or a file; `HEAD` when not given.
    pub(crate) base: String,
    /// A git revision or a file; the working tree's spec when not given.
    pub(crate) head: Option<String>,
    /// Report format.
    pub(crate) format: Format,
    /// Exit 1 when a change at or above this level is not allow-listed.
    pub(crate) fail_on: Option<Level>,
    /// The allow-list; `spec/allowlist.yaml` in the working tree when it exists.
    pub(crate) allowlist: Option<PathBuf>,
    /// Write the report here instead of standard output.
    pub(crate) output: Option<PathBuf>,
    /// Also write the whole report here (JSON for a `.json` file, text otherwise), every finding included,
    /// for when the Markdown report cannot show them all.
    pub(crate) full_report: Option<PathBuf>,
    /// Where readers find `full_report` (the workflow run that keeps it), linked from the Markdown report.
    pub(crate) full_report_url: Option<String>,
    /// Skip comparing the generated clients.
    pub(crate) no_client_api: bool,
    /// The record the base client was generated with, instead of the base revision's `spec/record.yaml`.
    pub(crate) base_record: Option<PathBuf>,
    /// The record the head client is generated with, instead of the head's `spec/record.yaml`.
    pub(crate) head_record: Option<PathBuf>,
    /// Print the rule catalogue instead of diffing.
    pub(crate) list_rules: bool,
}

/// The usage text of this command.
pub(crate) const USAGE: &str = "\
usage: cargo xtask diff [--base REV|FILE] [--head REV|FILE] [--format markdown|text|json]
                        [--fail-on error|warning] [--allowlist FILE] [--output FILE]
                        [--full-report FILE [--full-report-url URL]] [--no-client-api] [--list-rules]
                        [--base-record FILE] [--head-record FILE]

  --base        the older spec: a git revision (spec/atlas-admin.yaml at it) or a file; default HEAD
  --head        the newer spec, likewise; default the working tree's spec/atlas-admin.yaml
  --format      markdown (a pull-request comment), text (default) or json
  --fail-on     exit 1 when a finding at or above this level is not allow-listed
  --allowlist   accepted changes; default spec/allowlist.yaml when it exists
  --output      write the report to this file
  --full-report also write the whole report, every finding, to this file (JSON when it ends in .json, else
                text); the markdown report, which must fit one comment (65,536 characters), names it
  --full-report-url  where readers find that file (the workflow run that keeps it), linked from the markdown
  --no-client-api  do not compare the clients generated from both sides
  --base-record, --head-record
                the record of names and versions each side's client is generated with; default
                spec/record.yaml at the revision (or in the working tree), none for a spec file
  --list-rules  print every rule id with its level and what it reports

exit status: 0 nothing at or above --fail-on (and the allow-list holds), 1 findings at or above it or an
expired, unused or untrustworthy allow-list entry, 2 a usage or input error (a side that cannot be read).
";

impl Options {
    /// Parses the arguments after `diff`; `None` when `--help` was answered.
    pub(crate) fn parse(args: &[String]) -> anyhow::Result<Option<Options>> {
        let mut options = Options {
            base: "HEAD".to_owned(),
            head: None,
            format: Format::Text,
            fail_on: None,
            allowlist: None,
            output: None,
            full_report: None,
            full_report_url: None,
            no_client_api: false,
            base_record: None,
            head_record: None,
            list_rules: false,
        };
        let parsed = cli::parse(args, USAGE, |flag, parser| {
            match flag.name.as_str() {
                "--no-client-api" => options.no_client_api = true,
                "--base-record" => options.base_record = Some(cli::path(parser)?),
                "--head-record" => options.head_record = Some(cli::path(parser)?),
                "--list-rules" => options.list_rules = true,
                "--base" => options.base = cli::text(parser)?,
                "--head" => options.head = Some(cli::text(parser)?),
                "--format" => {
                    options.format = match cli::text(parser)?.as_str() {
                        "markdown" | "md" => Format::Markdown,
                        "text" => Format::Text,
                        "json" => Format::Json,
                        other => return Err(format!("unknown format {other:?}: use markdown, text or json").into()),
                    }
                }
                "--fail-on" => {
                    let text = cli::text(parser)?;
                    options.fail_on = match Level::parse(&text) {
                        Some(level @ (Level::Error | Level::Warning)) => Some(level),
                        _ => return Err(format!("--fail-on takes error or warning, not {text:?}").into()),
                    }
                }
                "--allowlist" => options.allowlist = Some(cli::path(parser)?),
                "--output" => options.output = Some(cli::path(parser)?),
                "--full-report" => options.full_report = Some(cli::path(parser)?),
                "--full-report-url" => options.full_report_url = Some(cli::text(parser)?),
                _ => return Err(flag.unexpected()),
            }
            Ok(())
        })?;
        Ok(match parsed {
            cli::Parsed::Run if options.full_report_url.is_some() && options.full_report.is_none() => {
                return Err(cli::usage_error(
                    USAGE,
                    "--full-report-url says where the --full-report file is: give both",
                ));
            }
            cli::Parsed::Run => Some(options),
            cli::Parsed::Help => None,
        })
    }
}
