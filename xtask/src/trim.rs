//! `cargo xtask trim`: cuts the operations we support out of the upstream Atlas spec.
//!
//! Inputs: the upstream document, `spec/selection.yaml` (operationIds), `spec/fragments/*.yaml`
//! (operations written by hand) and `spec/corrections.yaml` (where upstream is wrong). Output:
//! `spec/atlas-admin.yaml` with the selected operations, every component they reference (transitively),
//! `servers`, the security schemes, and `info` with provenance. Deterministic; dangling refs are errors.

mod corrections;
mod refs;
mod selection;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use serde_json::{Map, Value};

use crate::cli;
use crate::fresh::{Mode, Outcome, ensure_file_contents};
use crate::paths::{RECORD_FILE, SPEC_FILE, workspace_root};

/// The upstream spec, relative to the workspace root.
pub(crate) const DEFAULT_UPSTREAM: &str = "../shared/upstream/atlas-admin-v2.yaml";

const USAGE: &str = "\
usage: cargo xtask trim [--upstream FILE] [--check]
       cargo xtask trim --all --out FILE [--upstream FILE] [--check]

  (no options)     cut spec/atlas-admin.yaml (the operations of spec/selection.yaml) out of the upstream spec;
                   an operationId upstream renamed is followed by its method and path in spec/record.yaml
  --upstream FILE  the upstream spec; default ../shared/upstream/atlas-admin-v2.yaml
  --check          write nothing; exit 1 when the output is stale
  --all            keep every operation, corrections applied (needs --out)
  --out FILE       write there instead of spec/atlas-admin.yaml
";

use codegen::spec::{Document, HTTP_METHODS};

/// Which operations to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keep {
    /// Those of `spec/selection.yaml`.
    Selection,
    /// Every upstream operation (and the fragments'), corrections applied: the whole API as the shipped
    /// crate sees it.
    All,
}

pub(crate) fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    let mut upstream: Option<PathBuf> = None;
    let mut mode = Mode::Write;
    let mut keep = Keep::Selection;
    let mut out: Option<PathBuf> = None;
    let parsed = cli::parse(args, USAGE, |flag, parser| {
        match flag.name.as_str() {
            "--upstream" => upstream = Some(cli::path(parser)?),
            "--check" => mode = Mode::Check,
            "--all" => keep = Keep::All,
            "--out" => out = Some(cli::path(parser)?),
            _ => return Err(flag.unexpected()),
        }
        Ok(())
    })?;
    if let cli::Parsed::Help = parsed {
        return Ok(ExitCode::SUCCESS);
    }
    if keep == Keep::All && out.is_none() {
        return Err(cli::usage_error(USAGE, "--all writes the whole API, not spec/atlas-admin.yaml: give --out FILE"));
    }
    let root = workspace_root();
    let upstream = upstream.unwrap_or_else(|| root.join(DEFAULT_UPSTREAM));
    let trimmed = trim(&root, &upstream, keep)?;
    if let Some(out) = out {
        ensure_file_contents(&out, &trimmed, mode)?;
        println!("wrote {}", out.display());
        return Ok(ExitCode::SUCCESS);
    }
    let target = root.join(SPEC_FILE);
    match ensure_file_contents(&target, &trimmed, mode)? {
        Outcome::Stale => {
            eprintln!("{SPEC_FILE} is not what trim produces from {}; run `cargo xtask trim`", upstream.display());
            Ok(ExitCode::FAILURE)
        }
        Outcome::Written => {
            println!("wrote {SPEC_FILE}");
            Ok(ExitCode::SUCCESS)
        }
        Outcome::Unchanged => {
            println!("{SPEC_FILE} is up to date");
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Reads a YAML or JSON file with the workspace's one reader.
fn read_yaml(path: &Path) -> anyhow::Result<Value> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let document = Document::read(&text, &path.display().to_string()).map_err(|d| anyhow::anyhow!("{d}"))?;
    Ok(document.root)
}

/// Produces the trimmed document's text.
pub(crate) fn trim(root: &Path, upstream_path: &Path, keep: Keep) -> anyhow::Result<String> {
    let upstream_text =
        std::fs::read_to_string(upstream_path).with_context(|| format!("reading {}", upstream_path.display()))?;
    let upstream_document =
        Document::read(&upstream_text, &upstream_path.display().to_string()).map_err(|d| anyhow::anyhow!("{d}"))?;
    let upstream_sha256 = upstream_document.sha256.clone();
    let mut upstream = upstream_document.root;
    let selection: Vec<String> = read_yaml(&root.join("spec/selection.yaml"))?
        .get("operations")
        .and_then(Value::as_array)
        .context("spec/selection.yaml needs an `operations` list")?
        .iter()
        .map(|v| v.as_str().map(str::to_owned).context("operationIds in spec/selection.yaml must be strings"))
        .collect::<anyhow::Result<_>>()?;
    let ids = match keep {
        Keep::All => Document::from_value(upstream.clone(), "upstream")
            .operations()
            .iter()
            .filter_map(|entry| entry.operation_id().map(str::to_owned))
            .collect(),
        Keep::Selection => {
            let record = match crate::regenerate::read_record(&root.join(RECORD_FILE), RECORD_FILE)? {
                Ok(record) => record,
                Err(diagnostics) => bail!("{diagnostics}"),
            };
            let (ids, followed) = selection::resolve(&upstream, &selection, &record)?;
            for note in followed {
                eprintln!("note: {note}");
            }
            ids
        }
    };
    let applied = corrections::apply(&mut upstream, &root.join("spec/corrections.yaml"))?;

    let mut paths = select_operations(&upstream, &ids)?;
    let mut fragment_names = Vec::new();
    let mut fragment_files: Vec<PathBuf> = std::fs::read_dir(root.join("spec/fragments"))
        .context("reading spec/fragments")?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    fragment_files.sort();
    for file in &fragment_files {
        let fragment = read_yaml(file)?;
        merge_fragment(&mut paths, &fragment, file)?;
        fragment_names.push(format!("spec/fragments/{}", file.file_name().unwrap_or_default().to_string_lossy()));
    }

    let mut out = Map::new();
    out.insert("openapi".into(), upstream.get("openapi").cloned().unwrap_or(Value::String("3.0.1".into())));
    let mut info = upstream.get("info").cloned().unwrap_or_default();
    if let Value::Object(info) = &mut info {
        info.insert(
            "x-trimmed-from".into(),
            serde_json::json!({
                "file": upstream_path.file_name().map(|n| n.to_string_lossy().into_owned()),
                "sha256": upstream_sha256,
                "source": "github.com/mongodb/openapi openapi/v2.yaml, as copied into github.com/mongodb/mongodb-atlas-cli tools/internal/specs/spec.yaml (see shared/upstream/SOURCE.md)",
                "tool": "cargo xtask trim",
                "operations": if keep == Keep::All { serde_json::json!("all") } else { serde_json::json!(selection) },
                "fragments": fragment_names,
                "corrections": applied,
            }),
        );
    }
    out.insert("info".into(), info);
    for key in ["servers", "security"] {
        if let Some(value) = upstream.get(key) {
            out.insert(key.into(), value.clone());
        }
    }
    let used_tags = used_tags(&paths);
    if let Some(Value::Array(tags)) = upstream.get("tags") {
        let kept: Vec<Value> = tags
            .iter()
            .filter(|t| t.get("name").and_then(Value::as_str).is_some_and(|n| used_tags.contains(&n.to_owned())))
            .cloned()
            .collect();
        out.insert("tags".into(), Value::Array(kept));
    }
    let paths = Value::Object(paths);
    let components = refs::collect_components(&upstream, &paths, out.get("security"))?;
    out.insert("paths".into(), paths);
    out.insert("components".into(), components);

    let yaml = serde_yaml::to_string(&Value::Object(out)).context("writing YAML")?;
    Ok(format!(
        "# Generated by `cargo xtask trim` from the upstream Atlas Admin API spec. Do not edit: change\n\
         # spec/selection.yaml, spec/fragments/ or spec/corrections.yaml, then run `cargo xtask trim`.\n\
         # Licence of this document: CC BY-NC-SA 3.0 US (see info.license).\n{yaml}"
    ))
}

/// A small valid spec holding only `operation_ids` of `upstream` and what they reference: a seed for the
/// fuzzer that is real upstream text, not a hand-written sample.
pub(crate) fn slice(upstream: &Value, operation_ids: &[String]) -> anyhow::Result<Value> {
    let paths = Value::Object(select_operations(upstream, operation_ids)?);
    let components = refs::collect_components(upstream, &paths, upstream.get("security"))?;
    let mut out = Map::new();
    for key in ["openapi", "info", "servers", "security"] {
        if let Some(value) = upstream.get(key) {
            out.insert(key.into(), value.clone());
        }
    }
    out.insert("paths".into(), paths);
    out.insert("components".into(), components);
    Ok(Value::Object(out))
}

/// The selected operations, under their paths, in upstream order.
fn select_operations(upstream: &Value, selection: &[String]) -> anyhow::Result<Map<String, Value>> {
    let mut out = Map::new();
    let mut found: Vec<&str> = Vec::new();
    let Some(Value::Object(paths)) = upstream.get("paths") else { bail!("the upstream document has no `paths`") };
    for (path, item) in paths {
        let Value::Object(item) = item else { continue };
        let mut kept = Map::new();
        for (key, value) in item {
            let is_method = HTTP_METHODS.contains(&key.as_str());
            let id = value.get("operationId").and_then(Value::as_str);
            if is_method && let Some(id) = id.filter(|id| selection.iter().any(|s| s == id)) {
                if found.contains(&id) {
                    bail!("operationId {id} appears more than once upstream");
                }
                found.push(id);
                kept.insert(key.clone(), value.clone());
            }
        }
        if !kept.is_empty() {
            // Path-level parameters and descriptions belong to every operation under the path.
            for (key, value) in item {
                if !HTTP_METHODS.contains(&key.as_str()) {
                    kept.insert(key.clone(), value.clone());
                }
            }
            out.insert(path.clone(), Value::Object(kept));
        }
    }
    let missing: Vec<&String> = selection.iter().filter(|s| !found.contains(&s.as_str())).collect();
    if !missing.is_empty() {
        bail!("operationId(s) {missing:?} are not in the upstream spec");
    }
    Ok(out)
}

fn merge_fragment(paths: &mut Map<String, Value>, fragment: &Value, file: &Path) -> anyhow::Result<()> {
    let Some(Value::Object(fragment_paths)) = fragment.get("paths") else {
        bail!("{} has no `paths`", file.display());
    };
    if let Some(extra) = fragment.as_object().and_then(|o| o.keys().find(|k| *k != "paths")) {
        bail!(
            "{}: only `paths` may appear in a fragment (found `{extra}`); components come from upstream",
            file.display()
        );
    }
    for (path, item) in fragment_paths {
        let Value::Object(item) = item else { bail!("{}: path {path} is not a mapping", file.display()) };
        let entry = paths.entry(path.clone()).or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(entry) = entry else { continue };
        for (key, value) in item {
            if entry.contains_key(key) {
                bail!("{}: {key} {path} is already in the upstream selection", file.display());
            }
            entry.insert(key.clone(), value.clone());
        }
    }
    Ok(())
}

fn used_tags(paths: &Map<String, Value>) -> Vec<String> {
    let mut tags: Vec<String> = paths
        .values()
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
        .filter_map(|op| op.get("tags").and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    tags.sort();
    tags.dedup();
    tags
}
