//! A finished diff (spec changes, allow-list outcome, client API) and its three renderings.

mod json;
mod markdown;
mod text;

use crate::diff::allowlist::{Allowlist, Applied};
use crate::diff::client_api::ClientApiDiff;
use crate::diff::model::{Change, Level};

pub(crate) use json::render_json;
pub(crate) use markdown::render_markdown;
pub(crate) use text::render_text;

/// Everything a rendering needs.
#[derive(Debug)]
pub(crate) struct Report {
    /// The base's name (`origin/main:spec/atlas-admin.yaml`, a path).
    pub(crate) base_name: String,
    /// The head's name.
    pub(crate) head_name: String,
    /// Spec changes, breaking first.
    pub(crate) changes: Vec<Change>,
    /// The allow-list used (empty when there is none).
    pub(crate) allowlist: Allowlist,
    /// How it applied to `changes`.
    pub(crate) applied: Applied,
    /// The generated client's API differences.
    pub(crate) client_api: ClientApiDiff,
    /// The `--fail-on` level.
    pub(crate) fail_on: Option<Level>,
}

/// Counts for the summary line.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Summary {
    /// Breaking changes.
    pub(crate) errors: usize,
    /// Warnings.
    pub(crate) warnings: usize,
    /// Everything else.
    pub(crate) infos: usize,
    /// Changes an allow-list entry accepts.
    pub(crate) accepted: usize,
    /// Changes that fail the run under `--fail-on`.
    pub(crate) failing: usize,
}

impl Report {
    /// Assembles a report and applies the allow-list.
    pub(crate) fn new(
        base_name: String,
        head_name: String,
        changes: Vec<Change>,
        allowlist: Allowlist,
        today: crate::diff::date::Day,
        client_api: ClientApiDiff,
        fail_on: Option<Level>,
    ) -> Report {
        let applied = allowlist.apply(&changes, today);
        Report { base_name, head_name, changes, allowlist, applied, client_api, fail_on }
    }

    /// The allow-list entry accepting change `index`, if any.
    pub(crate) fn accepted_by(&self, index: usize) -> Option<&crate::diff::allowlist::Entry> {
        self.applied.accepted_by.get(index).copied().flatten().map(|entry| &self.allowlist.entries[entry])
    }

    /// Whether change `index` fails the run.
    pub(crate) fn is_failing(&self, index: usize) -> bool {
        let change = &self.changes[index];
        self.fail_on.is_some_and(|threshold| change.level() <= threshold) && self.accepted_by(index).is_none()
    }

    /// The counts.
    pub(crate) fn summary(&self) -> Summary {
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

    /// Whether the run fails: a failing change, or an expired allow-list entry.
    pub(crate) fn failed(&self) -> bool {
        self.summary().failing > 0 || !self.applied.expired.is_empty()
    }

    /// `error`, `warning`, `info` counts as a sentence, e.g. "2 breaking changes (1 accepted), 0 warnings, 3 info".
    pub(crate) fn summary_sentence(&self) -> String {
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
        if self.client_api.compared {
            let breaking = self.client_api.changes.iter().filter(|change| change.breaking).count();
            sentence.push_str(&format!(
                "; client API: {} ({} semver-breaking)",
                plural(self.client_api.changes.len(), "change", "changes"),
                breaking
            ));
        }
        if summary.failing > 0 {
            sentence.push_str(&format!("; {} failing", summary.failing));
        }
        if !self.applied.expired.is_empty() {
            sentence.push_str(&format!("; {} expired allow-list entries", self.applied.expired.len()));
        }
        sentence
    }
}
