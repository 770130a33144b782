//! Command-line options of `cargo xtask diff`.

use std::path::PathBuf;

use crate::diff::model::Level;

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
    /// Exit non-zero when a change at or above this level is not allow-listed.
    pub(crate) fail_on: Option<Level>,
    /// The allow-list; `spec/allowlist.yaml` in the working tree when it exists.
    pub(crate) allowlist: Option<PathBuf>,
    /// Write the report here instead of standard output.
    pub(crate) output: Option<PathBuf>,
    /// Skip generating the client at both sides (it is the slow part).
    pub(crate) no_client_api: bool,
    /// Print the rule catalogue instead of diffing.
    pub(crate) list_rules: bool,
}

/// The usage text of this command.
pub(crate) const USAGE: &str = "\
usage: cargo xtask diff [--base REV|FILE] [--head REV|FILE] [--format markdown|text|json]
                        [--fail-on error|warning] [--allowlist FILE] [--output FILE] [--no-client-api] [--list-rules]

  --base        the older spec: a git revision (spec/atlas-admin.yaml at it) or a file; default HEAD
  --head        the newer spec, likewise; default the working tree's spec/atlas-admin.yaml
  --format      markdown (a pull-request comment), text (default) or json
  --fail-on     exit 1 when a change at or above this level is not allow-listed
  --allowlist   accepted breaking changes; default spec/allowlist.yaml when it exists
  --output      write the report to this file
  --no-client-api  do not generate the client at both sides to compare its public API
  --list-rules  print every rule id with its level and what it reports
";

impl Options {
    /// Parses the arguments after `diff`.
    pub(crate) fn parse(args: &[String]) -> anyhow::Result<Options> {
        let mut options = Options {
            base: "HEAD".to_owned(),
            head: None,
            format: Format::Text,
            fail_on: None,
            allowlist: None,
            output: None,
            no_client_api: false,
            list_rules: false,
        };
        let mut rest = args.iter();
        while let Some(flag) = rest.next() {
            // Both `--flag value` and `--flag=value`.
            let (name, inline) = match flag.split_once('=') {
                Some((name, value)) if name.starts_with("--") => (name, Some(value.to_owned())),
                _ => (flag.as_str(), None),
            };
            if name == "--no-client-api" {
                options.no_client_api = true;
                continue;
            }
            if name == "--list-rules" {
                options.list_rules = true;
                continue;
            }
            let mut value = || -> anyhow::Result<String> {
                match inline.clone().or_else(|| rest.next().cloned()) {
                    Some(value) => Ok(value),
                    None => anyhow::bail!("{name} needs a value\n\n{USAGE}"),
                }
            };
            match name {
                "--base" => options.base = value()?,
                "--head" => options.head = Some(value()?),
                "--format" => {
                    options.format = match value()?.as_str() {
                        "markdown" | "md" => Format::Markdown,
                        "text" => Format::Text,
                        "json" => Format::Json,
                        other => anyhow::bail!("unknown format {other:?}: use markdown, text or json"),
                    }
                }
                "--fail-on" => {
                    let text = value()?;
                    options.fail_on = match Level::parse(&text) {
                        Some(level @ (Level::Error | Level::Warning)) => Some(level),
                        _ => anyhow::bail!("--fail-on takes error or warning, not {text:?}"),
                    }
                }
                "--allowlist" => options.allowlist = Some(PathBuf::from(value()?)),
                "--output" => options.output = Some(PathBuf::from(value()?)),
                "--help" | "-h" => anyhow::bail!("{USAGE}"),
                other => anyhow::bail!("unknown option {other:?}\n\n{USAGE}"),
            }
        }
        Ok(options)
    }
}
