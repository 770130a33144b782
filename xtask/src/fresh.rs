//! The one freshness function: writes a file in normal mode; in check mode compares and reports.

use std::path::Path;

use anyhow::Context;

/// Whether to write files or only compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Write,
    Check,
}

/// The outcome for one file.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Unchanged,
    Written,
    /// Check mode found a difference (or a missing file).
    Stale,
}

/// Ensures `path` holds `contents` (newlines normalised, so a CRLF checkout is not "stale").
pub(crate) fn ensure_file_contents(path: &Path, contents: &str, mode: Mode) -> anyhow::Result<Outcome> {
    let normalise = |text: &str| text.replace("\r\n", "\n");
    let current = std::fs::read_to_string(path).ok().map(|t| normalise(&t));
    if current.as_deref() == Some(normalise(contents).as_str()) {
        return Ok(Outcome::Unchanged);
    }
    match mode {
        Mode::Check => Ok(Outcome::Stale),
        Mode::Write => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
            }
            std::fs::write(path, contents).with_context(|| format!("writing {}", path.display()))?;
            Ok(Outcome::Written)
        }
    }
}

/// Every file under `dir`, as `/`-separated paths relative to it, sorted; nothing when `dir` is missing.
pub(crate) fn files_under(dir: &Path) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut pending = vec![(dir.to_path_buf(), String::new())];
    while let Some((folder, prefix)) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for entry in entries {
            let entry = entry.with_context(|| format!("reading {}", folder.display()))?;
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if entry.path().is_dir() {
                pending.push((entry.path(), format!("{name}/")));
            } else {
                out.push(name);
            }
        }
    }
    out.sort();
    Ok(out)
}
