//! The Markdown report: one pull-request comment, found again by its hidden marker, that always fits in one
//! comment (GitHub refuses a body over 65,536 characters).
//!
//! What goes in, most important first:
//! 1. the summary sentence and a table counting every finding by level and rule (always whole);
//! 2. the findings that must be seen (breaking changes, and warnings too under `--fail-on warning`), in the
//!    open: one table row each when they fit; when they do not, one list line each (operation and message)
//!    for as many rules as fit, and the rules with the most findings one line for the whole rule, naming
//!    every operation (or place) with its count (spec rules before client rules, the smallest first);
//! 3. allow-list entries that fail the run (expired, unused);
//! 4. the other findings, folded: `<details>` per level, then per rule, each rule given a fair share of what
//!    is left (small rules whole, large ones cut with a line saying how many are not shown).
//!
//! When anything is not shown in full, a line under the summary says how many and where the whole report
//! is (`MarkdownOptions::full_report`).

mod budget;
mod rows;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::Report;
use crate::model::Level;
use crate::rules::Rule;
use budget::{lines_within, share};
use rows::{TABLE, TABLE_WITH_RULE, code, compact_list, entry_line, row, rule_line};

/// The first line of every Markdown report; the workflow finds its earlier comment by it.
pub const MARKER: &str = "<!-- atlas-admin-spec-diff -->";

/// GitHub's limit for one comment, in characters. The report counts bytes, which are never fewer (UTF-8
/// takes at least one byte per character, and per UTF-16 unit).
pub const COMMENT_LIMIT: usize = 65_536;

/// Room kept for the line that says what is not shown, besides the text of `full_report`.
const NOTICE_ROOM: usize = 512;

/// What folds the counts when every finding is shown in full.
const COUNTS_OPEN: &str = "<details><summary>Changes by rule</summary>\n\n";
const COUNTS_CLOSE: &str = "</details>\n\n";

/// The last resort, should the parts ever add up to more than the limit: the comment is cut at a line.
const CUT: &str = "\n**The comment was cut here to fit; see the whole report.**\n";

/// How the comment is written.
#[derive(Clone, Debug)]
pub struct MarkdownOptions {
    /// The most bytes the comment may take.
    pub limit: usize,
    /// Where the whole report is, as Markdown (a file name, a link), named when something is not shown.
    pub full_report: Option<String>,
}

impl Default for MarkdownOptions {
    fn default() -> MarkdownOptions {
        MarkdownOptions { limit: COMMENT_LIMIT, full_report: None }
    }
}

/// Renders the report as a pull-request comment of at most [`COMMENT_LIMIT`] bytes, with no link to a whole
/// report.
pub fn render_markdown(report: &Report) -> String {
    render_markdown_with(report, &MarkdownOptions::default())
}

/// Renders the report as a pull-request comment of at most `options.limit` bytes.
pub fn render_markdown_with(report: &Report, options: &MarkdownOptions) -> String {
    let whole = options.full_report.clone().unwrap_or_else(|| "`cargo xtask diff --format text`".to_owned());
    let head = head(report);
    let counts = counts(report);
    let allowlist_room = options.limit / 8;
    let expired = expired(report, allowlist_room);
    let unused = unused(report, allowlist_room);
    let footer = match &options.full_report {
        Some(full) => format!(
            "<sub>`cargo xtask diff`; rule ids follow oasdiff where they match. The whole report: {full}.</sub>\n"
        ),
        None => "<sub>`cargo xtask diff`; rule ids follow oasdiff where they match.</sub>\n".to_owned(),
    };
    let fixed = head.len()
        + counts.len()
        + COUNTS_OPEN.len()
        + COUNTS_CLOSE.len()
        + expired.len()
        + unused.len()
        + footer.len()
        + NOTICE_ROOM
        + whole.len();
    let mut budget = options.limit.saturating_sub(fixed);

    let (open_levels, folded_levels): (Vec<Level>, Vec<Level>) =
        [Level::Error, Level::Warning, Level::Info].into_iter().partition(|&level| must_show(report, level));
    let mut shown = Shown::default();
    let open = open_sections(report, &open_levels, budget, &mut shown);
    budget = budget.saturating_sub(open.len());
    let folded = folded_sections(report, &folded_levels, budget, &mut shown);

    let notice = notice(report, &shown, &whole);
    let mut out = head;
    out.push_str(&notice);
    // The counts are the only full account when something is not shown; otherwise the findings below are.
    if notice.is_empty() && !counts.is_empty() {
        let _ = write!(out, "{COUNTS_OPEN}{counts}{COUNTS_CLOSE}");
    } else {
        out.push_str(&counts);
    }
    out.push_str(&open);
    out.push_str(&expired);
    out.push_str(&folded);
    out.push_str(&unused);
    out.push_str(&footer);
    within(out, options.limit)
}

/// Findings of `level` are shown in the open, never left out: breaking changes, and any level that fails
/// the run.
fn must_show(report: &Report, level: Level) -> bool {
    level == Level::Error || report.fail_on.is_some_and(|threshold| level <= threshold)
}

fn head(report: &Report) -> String {
    format!(
        "{MARKER}\n### Spec diff: {} → {}\n\n**{}**\n\n",
        code(&report.base_name),
        code(&report.head_name),
        report.summary_sentence()
    )
}

/// Every finding counted by level and rule.
fn counts(report: &Report) -> String {
    if report.changes.is_empty() {
        return String::new();
    }
    let mut out = String::from("| level | rule | changes | failing | allow-listed |\n|---|---|--:|--:|--:|\n");
    for ((level, rule), indexes) in by_rule(report, &[Level::Error, Level::Warning, Level::Info]) {
        let failing = indexes.iter().filter(|&&index| report.is_failing(index)).count();
        let accepted = indexes.iter().filter(|&&index| report.accepted_by(index).is_some()).count();
        let _ = writeln!(out, "| {level} | {} | {} | {failing} | {accepted} |", code(rule.id()), indexes.len());
    }
    out.push('\n');
    out
}

/// The findings of `levels`, by level and rule (catalogue order), each list in report order.
fn by_rule(report: &Report, levels: &[Level]) -> BTreeMap<(Level, Rule), Vec<usize>> {
    let mut groups: BTreeMap<(Level, Rule), Vec<usize>> = BTreeMap::new();
    for (index, change) in report.changes.iter().enumerate() {
        if levels.contains(&change.level()) {
            groups.entry((change.level(), change.rule)).or_default().push(index);
        }
    }
    groups
}

/// How many findings of each level are shown in full (table rows), one line each, or only counted under
/// their operation in a rule's line.
#[derive(Default)]
struct Shown {
    full: BTreeMap<Level, usize>,
    lines: BTreeMap<Level, usize>,
    counted: BTreeMap<Level, usize>,
}

fn plural(level: Level) -> &'static str {
    match level {
        Level::Error => "breaking changes",
        Level::Warning => "warnings",
        Level::Info => "other changes",
    }
}

/// The line under the summary when something is not shown in full: how many, and where they all are.
fn notice(report: &Report, shown: &Shown, whole: &str) -> String {
    let total = report.changes.len();
    let full: usize = shown.full.values().sum();
    if full == total {
        return String::new();
    }
    let of = |map: &BTreeMap<Level, usize>, level: Level| map.get(&level).copied().unwrap_or(0);
    let mut parts = Vec::new();
    for level in [Level::Error, Level::Warning, Level::Info] {
        let of_level = report.changes.iter().filter(|change| change.level() == level).count();
        let (lines, counted) = (of(&shown.lines, level), of(&shown.counted, level));
        if lines > 0 {
            parts.push(format!("{lines} {} are listed one line each, without their location", plural(level)));
        }
        if counted > 0 {
            parts.push(format!("{counted} {} are counted by operation or place only", plural(level)));
        }
        let left_out = of_level - of(&shown.full, level) - lines - counted;
        if left_out > 0 {
            parts.push(format!("{left_out} {} are not shown", plural(level)));
        }
    }
    format!(
        "> **Too many findings for one comment: {full} of {total} are shown in full** ({}; the table counts \
         every one). The whole report, with every finding: {whole}.\n\n",
        parts.join(", ")
    )
}

/// How one rule's findings that must be seen are shown.
enum Form {
    /// One table row each.
    Rows,
    /// One list line each, without locations.
    Lines(String),
    /// One line for the rule, naming its operations (or places) with their counts, and how many findings
    /// those hold; `None` when not even that fit.
    Counted(Option<(String, usize)>),
}

impl Form {
    fn size(&self, rows: usize) -> usize {
        match self {
            Form::Rows => rows,
            Form::Lines(text) => text.len(),
            Form::Counted(line) => line.as_ref().map_or(0, |(line, _)| line.len()),
        }
    }
}

/// The findings of `levels` (those that must be seen) in the open, within `budget` bytes.
///
/// Every rule starts counted on one line (the room shared fairly); then rules move to one line per finding
/// while that fits, then to table rows: spec rules first (the cause of client findings), then the cheapest.
/// A report that fits is a table; one that does not lists as many findings one by one as it can.
fn open_sections(report: &Report, levels: &[Level], budget: usize, shown: &mut Shown) -> String {
    const INTRO: &str = "Too many to show one by one here, so these rules are given one line each, with every \
                         operation (or place) and its number of changes:\n\n";
    let blocks: Vec<((Level, Rule), Vec<usize>)> = by_rule(report, levels).into_iter().collect();
    let heading = |level: Level| match level {
        Level::Error => "#### Breaking changes\n\n".to_owned(),
        other => format!("#### {} (these fail the check)\n\n", capitalised(plural(other))),
    };
    let used_levels: Vec<Level> =
        levels.iter().copied().filter(|&level| blocks.iter().any(|((l, _), _)| *l == level)).collect();
    let overhead: usize =
        used_levels.iter().map(|&level| heading(level).len() + TABLE_WITH_RULE.len() + 1 + INTRO.len() + 1).sum();
    let budget = budget.saturating_sub(overhead);

    let natural: Vec<usize> = blocks
        .iter()
        .map(|((_, rule), indexes)| rule_line(report, *rule, indexes, usize::MAX).map_or(0, |(line, _)| line.len()))
        .collect();
    let counted = share(&natural, budget, |block, room| {
        let ((_, rule), indexes) = &blocks[block];
        rule_line(report, *rule, indexes, room).map(|line| {
            let used = line.0.len();
            (line, used)
        })
    });
    let mut forms: Vec<Form> = counted.into_iter().map(Form::Counted).collect();
    let rows_size: Vec<usize> =
        blocks.iter().map(|(_, indexes)| indexes.iter().map(|&index| row(report, index, true).len()).sum()).collect();
    let mut left = budget.saturating_sub(forms.iter().map(|form| form.size(0)).sum());
    let mut order: Vec<usize> = (0..blocks.len()).collect();
    order.sort_by_key(|&block| (blocks[block].0.1.is_client_api(), rows_size[block], block));
    for upgrade_to_rows in [false, true] {
        for &block in &order {
            let ((_, rule), indexes) = &blocks[block];
            let better = if upgrade_to_rows {
                if !matches!(forms[block], Form::Lines(_)) {
                    continue;
                }
                Form::Rows
            } else {
                Form::Lines(compact_list(report, *rule, indexes))
            };
            let (now, then) = (forms[block].size(rows_size[block]), better.size(rows_size[block]));
            if then <= left + now {
                left = left + now - then;
                forms[block] = better;
            }
        }
    }

    let mut out = String::new();
    for level in used_levels {
        out.push_str(&heading(level));
        let mut rows: Vec<usize> = Vec::new();
        let (mut lines, mut counted) = (String::new(), String::new());
        for (block, ((block_level, _), indexes)) in blocks.iter().enumerate() {
            if *block_level != level {
                continue;
            }
            match &forms[block] {
                Form::Rows => {
                    rows.extend(indexes);
                    *shown.full.entry(level).or_default() += indexes.len();
                }
                Form::Lines(text) => {
                    lines.push_str(text);
                    *shown.lines.entry(level).or_default() += indexes.len();
                }
                Form::Counted(Some((line, listed))) => {
                    counted.push_str(line);
                    *shown.counted.entry(level).or_default() += listed;
                }
                Form::Counted(None) => {}
            }
        }
        if !rows.is_empty() {
            rows.sort_unstable();
            out.push_str(TABLE_WITH_RULE);
            for index in rows {
                out.push_str(&row(report, index, true));
            }
            out.push('\n');
        }
        out.push_str(&lines);
        if !counted.is_empty() {
            out.push_str(INTRO);
            out.push_str(&counted);
            out.push('\n');
        }
    }
    out
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The other findings, folded per level and rule, each rule given a fair share of `budget` bytes.
fn folded_sections(report: &Report, levels: &[Level], budget: usize, shown: &mut Shown) -> String {
    let blocks: Vec<((Level, Rule), Vec<usize>)> = by_rule(report, levels).into_iter().collect();
    let title = |level: Level| match level {
        Level::Error => "Breaking changes",
        Level::Warning => "Warnings",
        Level::Info => "Other changes",
    };
    let open = |level: Level, count: usize| format!("<details><summary>{} ({count})</summary>\n\n", title(level));
    const CLOSE: &str = "</details>\n\n";
    let overhead: usize = levels
        .iter()
        .map(|&level| {
            let count = blocks.iter().filter(|((l, _), _)| *l == level).map(|(_, indexes)| indexes.len()).sum();
            open(level, count).len() + CLOSE.len()
        })
        .sum();
    let budget = budget.saturating_sub(overhead);
    let rule_open = |rule: Rule, count: usize| {
        format!("<details><summary><code>{}</code> ({count})</summary>\n\n{TABLE}", rule.id())
    };
    // After the rows, a blank line, then the close (so the table or the cut line ends before it).
    let more = |count: usize| format!("\n_{count} more not shown here: see the whole report._\n");
    let natural: Vec<usize> = blocks
        .iter()
        .map(|((_, rule), indexes)| {
            rule_open(*rule, indexes.len()).len()
                + indexes.iter().map(|&index| row(report, index, false).len()).sum::<usize>()
                + 1
                + CLOSE.len()
        })
        .collect();
    let rendered = share(&natural, budget, |block, room| {
        let ((_, rule), indexes) = &blocks[block];
        let mut text = rule_open(*rule, indexes.len());
        let mut count = 0;
        for (at, &index) in indexes.iter().enumerate() {
            let row = row(report, index, false);
            let rest = indexes.len() - at - 1;
            let tail = if rest == 0 { 0 } else { more(rest).len() } + 1 + CLOSE.len();
            if text.len() + row.len() + tail > room {
                break;
            }
            text.push_str(&row);
            count += 1;
        }
        if count == 0 {
            return None;
        }
        if count < indexes.len() {
            text.push_str(&more(indexes.len() - count));
        }
        text.push('\n');
        text.push_str(CLOSE);
        let used = text.len();
        Some(((text, count), used))
    });
    let mut out = String::new();
    for &level in levels {
        let count: usize = blocks.iter().filter(|((l, _), _)| *l == level).map(|(_, indexes)| indexes.len()).sum();
        if count == 0 {
            continue;
        }
        out.push_str(&open(level, count));
        for (block, ((block_level, _), _)) in blocks.iter().enumerate() {
            if *block_level != level {
                continue;
            }
            if let Some((text, rows)) = &rendered[block] {
                out.push_str(text);
                *shown.full.entry(level).or_default() += rows;
            }
        }
        out.push_str(CLOSE);
    }
    out
}

/// Expired allow-list entries: in the open, since they fail the run.
fn expired(report: &Report, budget: usize) -> String {
    if report.applied.expired.is_empty() {
        return String::new();
    }
    let lines: Vec<String> = report
        .applied
        .expired
        .iter()
        .map(|&index| {
            let entry = &report.allowlist.entries[index];
            entry_line(entry, &format!(" expired {}: {}", entry.expires, rows::cell(&entry.reason)))
        })
        .collect();
    let more = |count: usize| if count == 0 { String::new() } else { format!("- and {count} more\n") };
    format!("#### Expired allow-list entries (these fail the check)\n\n{}\n", lines_within(&lines, budget, more))
}

/// Allow-list entries no finding used: they fail the run too.
fn unused(report: &Report, budget: usize) -> String {
    if report.applied.unused.is_empty() {
        return String::new();
    }
    let lines: Vec<String> =
        report.applied.unused.iter().map(|&index| entry_line(&report.allowlist.entries[index], "")).collect();
    let more = |count: usize| if count == 0 { String::new() } else { format!("- and {count} more\n") };
    format!(
        "<details open><summary>Unused allow-list entries ({}): each fails the run</summary>\n\n{}\n</details>\n\n",
        lines.len(),
        lines_within(&lines, budget, more)
    )
}

/// `out` itself when it fits in `limit` bytes; otherwise cut at the last line that fits, with a line saying so.
/// The parts are sized to fit, so this is a guard, not a way of fitting.
fn within(mut out: String, limit: usize) -> String {
    if out.len() <= limit {
        return out;
    }
    let mut end = limit.saturating_sub(CUT.len());
    while !out.is_char_boundary(end) {
        end -= 1;
    }
    let end = out[..end].rfind('\n').map_or(0, |newline| newline + 1);
    out.truncate(end);
    if out.len() + CUT.len() <= limit {
        out.push_str(CUT);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guard_cuts_at_a_line_and_says_so() {
        let text: String = (0..100).map(|n| format!("line {n}\n")).collect();
        let cut = within(text.clone(), 200);
        assert!(cut.len() <= 200, "{}", cut.len());
        assert!(cut.ends_with(CUT) && text.starts_with(cut.trim_end_matches(CUT)), "{cut}");
        assert_eq!(within(text.clone(), 10_000), text);
        assert!(within(text, 10).len() <= 10);
    }
}
