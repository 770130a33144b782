//! A finished diff (spec changes, allow-list outcome, client API) and its three renderings.

mod json;
mod markdown;
mod text;

use crate::allowlist::{Allowlist, Applied};
use crate::model::{Change, Level};

pub use json::render_json;
pub use markdown::{COMMENT_LIMIT, MARKER, MarkdownOptions, render_markdown, render_markdown_with};
pub use text::render_text;

/// Everything a rendering needs.
#[derive(Debug)]
pub struct Report {
    /// The base's name (`origin/main:spec/atlas-admin.yaml`, a path).
    pub base_name: String,
    /// The head's name.
    pub head_name: String,
    /// Spec changes, breaking first.
    pub changes: Vec<Change>,
    /// The allow-list used (empty when there is none).
    pub allowlist: Allowlist,
    /// How it applied to `changes`.
    pub applied: Applied,
    /// Whether the generated clients were compared (their findings are among `changes`).
    pub client_api_compared: bool,
    /// The `--fail-on` level.
    pub fail_on: Option<Level>,
}

/// Counts for the summary line.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Breaking changes.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Everything else.
    pub infos: usize,
    /// Changes an allow-list entry accepts.
    pub accepted: usize,
    /// Changes that fail the run under `--fail-on`.
    pub failing: usize,
}

impl Report {
    /// Assembles a report and applies the allow-list.
    pub fn new(
        base_name: String,
        head_name: String,
        changes: Vec<Change>,
        allowlist: Allowlist,
        today: Option<crate::date::Day>,
        client_api_compared: bool,
        fail_on: Option<Level>,
    ) -> Report {
        let applied = allowlist.apply(&changes, today, client_api_compared);
        Report { base_name, head_name, changes, allowlist, applied, client_api_compared, fail_on }
    }

    /// The allow-list entry accepting change `index`, if any.
    pub fn accepted_by(&self, index: usize) -> Option<&crate::allowlist::Entry> {
        self.applied.accepted_by.get(index).copied().flatten().map(|entry| &self.allowlist.entries[entry])
    }

    /// Whether change `index` fails the run.
    pub fn is_failing(&self, index: usize) -> bool {
        let change = &self.changes[index];
        self.fail_on.is_some_and(|threshold| change.level() <= threshold) && self.accepted_by(index).is_none()
    }

    /// The counts.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary::default();
        for (index, change) in self.changes.iter().enumerate() {
            match change.level() {
                Level::Error => summary.errors += 1,
                Level::Warning => summary.warnings += 1,
                Level::Info => summary.infos += 1,
            }
            summary.accepted += usize::from(self.accepted_by(index).is_some());
            summary.failing += usize::from(self.is_failing(index));
        }
        summary
    }

    /// Whether the run fails: a failing change, or an expired or unused allow-list entry (every entry, when
    /// the clock cannot be read).
    pub fn failed(&self) -> bool {
        self.summary().failing > 0 || !self.applied.expired.is_empty() || !self.applied.unused.is_empty()
    }

    /// `error`, `warning`, `info` counts as a sentence, e.g. "2 breaking changes (1 accepted), 0 warnings, 3 info".
    pub fn summary_sentence(&self) -> String {
        let summary = self.summary();
        let plural = |count: usize, one: &str, many: &str| format!("{count} {}", if count == 1 { one } else { many });
        let mut sentence = if self.changes.is_empty() {
            "no spec changes".to_owned()
        } else {
            format!(
                "{}, {}, {}",
                plural(summary.errors, "breaking change", "breaking changes"),
                plural(summary.warnings, "warning", "warnings"),
                plural(summary.infos, "other change", "other changes"),
            )
        };
        if summary.accepted > 0 {
            sentence.push_str(&format!(" ({} allow-listed)", summary.accepted));
        }
        if self.client_api_compared {
            let client: Vec<&Change> = self.changes.iter().filter(|change| change.rule.is_client_api()).collect();
            let breaking = client.iter().filter(|change| change.level() == Level::Error).count();
            sentence.push_str(&format!(
                "; client API: {} ({} semver-breaking)",
                plural(client.len(), "change", "changes"),
                breaking
            ));
        } else {
            sentence.push_str("; client API not compared");
        }
        if summary.failing > 0 {
            sentence.push_str(&format!("; {} failing", summary.failing));
        }
        if self.applied.clock_failed && !self.allowlist.entries.is_empty() {
            sentence.push_str("; the clock cannot be read, so no allow-list entry holds");
        } else if !self.applied.expired.is_empty() {
            sentence.push_str(&format!("; {} expired allow-list entries", self.applied.expired.len()));
        }
        if !self.applied.unused.is_empty() {
            sentence.push_str(&format!("; {} unused allow-list entries", self.applied.unused.len()));
        }
        sentence
    }
}
