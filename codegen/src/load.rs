//! Stage 1: text (YAML or JSON) to `openapiv3::OpenAPI`, with locations for diagnostics.

use std::sync::OnceLock;

use openapiv3::OpenAPI;

use crate::diagnostics::Diagnostics;
use crate::line_index::LineIndex;

/// A parsed spec, with what is needed to point at places in its text.
#[derive(Debug)]
pub struct Loaded {
    /// The parsed document.
    pub spec: OpenAPI,
    /// The input file name, as given by the caller (used in diagnostics and generated headers).
    pub file_name: String,
    /// The sha256 of the input text, lower-case hex.
    pub sha256: String,
    /// The same document as plain JSON values, for what openapiv3 does not keep (keywords it ignores).
    pub raw: serde_json::Value,
    text: String,
    lines: OnceLock<LineIndex>,
}

impl Loaded {
    /// The 1-based line where `pointer` (or its nearest ancestor) starts in the input text.
    ///
    /// The index is built on first use: a clean run never pays for it.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        self.lines.get_or_init(|| LineIndex::new(&self.text)).line_of(pointer)
    }

    /// Fills in the line of every diagnostic.
    pub(crate) fn locate(&self, mut diagnostics: Diagnostics) -> Diagnostics {
        for item in &mut diagnostics.items {
            if item.line.is_none() {
                item.line = self.line_of(&item.pointer);
            }
        }
        diagnostics
    }
}

/// Parses `text` (YAML or JSON; JSON is tried first when the text starts with `{`).
pub fn load(text: &str, file_name: &str) -> Result<Loaded, Diagnostics> {
    let parsed = if text.trim_start().starts_with('{') { parse_json(text) } else { parse_yaml(text) };
    let (spec, raw) = parsed.map_err(|(pointer, line, message)| {
        let mut diagnostics = Diagnostics::new(file_name);
        diagnostics.push(pointer.clone(), message);
        if let Some(item) = diagnostics.items.last_mut() {
            item.line = line.or_else(|| LineIndex::new(text).line_of(&pointer));
        }
        diagnostics
    })?;
    let loaded = Loaded {
        spec,
        file_name: file_name.to_owned(),
        sha256: sha256_hex(text.as_bytes()),
        raw,
        text: text.to_owned(),
        lines: OnceLock::new(),
    };
    if !loaded.spec.openapi.starts_with("3.0") {
        let mut diagnostics = Diagnostics::new(file_name);
        diagnostics
            .push("/openapi", format!("only OpenAPI 3.0.x is supported, this document is {:?}", loaded.spec.openapi));
        return Err(loaded.locate(diagnostics));
    }
    Ok(loaded)
}

type ParseFailure = (String, Option<usize>, String);

/// Text to plain values (syntax errors carry the parser's line), then values to openapiv3 (shape errors
/// carry a JSON pointer; the line is looked up later).
fn parse_yaml(text: &str) -> Result<(OpenAPI, serde_json::Value), ParseFailure> {
    let raw: serde_json::Value = serde_yaml::from_str(text).map_err(|error| {
        let line = error.location().map(|l| l.line());
        (String::new(), line, format!("not valid YAML: {}", strip_location(&error.to_string())))
    })?;
    to_openapi(raw)
}

fn parse_json(text: &str) -> Result<(OpenAPI, serde_json::Value), ParseFailure> {
    let raw: serde_json::Value = serde_json::from_str(text).map_err(|error| {
        let line = Some(error.line()).filter(|l| *l > 0);
        (String::new(), line, format!("not valid JSON: {}", strip_location(&error.to_string())))
    })?;
    to_openapi(raw)
}

fn to_openapi(raw: serde_json::Value) -> Result<(OpenAPI, serde_json::Value), ParseFailure> {
    match serde_path_to_error::deserialize(&raw) {
        Ok(spec) => Ok((spec, raw)),
        Err(error) => {
            let pointer = path_to_pointer(error.path());
            Err((pointer, None, format!("not a valid OpenAPI 3.0 document: {}", error.inner())))
        }
    }
}

/// serde_path_to_error's path (`paths./a.get`) as a JSON pointer (`/paths/~1a/get`).
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        let token = match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } => key.clone(),
            Segment::Enum { variant } => variant.clone(),
            Segment::Unknown => continue,
        };
        pointer.push('/');
        pointer.push_str(&crate::diagnostics::escape_token(&token));
    }
    pointer
}

/// The parsers append "at line X column Y"; the diagnostic carries the line separately.
fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(cut) => message[..cut].to_owned(),
        None => message.to_owned(),
    }
}

/// The sha256 of `bytes`, lower-case hex: how generated headers and trim's provenance name an input.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
