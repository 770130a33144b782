//! The generated client's public API at base and at head, compared.
//!
//! Both sides are generated with the codegen library from their spec texts and read with `syn`, so
//! this needs neither rustdoc JSON nor a nightly toolchain.

mod compare;
mod extract;

pub(crate) use compare::ApiChange;

/// The client API part of a report.
#[derive(Debug, Default)]
pub(crate) struct ClientApiDiff {
    /// False when `--no-client-api` was given.
    pub(crate) compared: bool,
    /// The differences, breaking first.
    pub(crate) changes: Vec<ApiChange>,
    /// Why a side could not be compared (it did not generate, or its source did not parse).
    pub(crate) notes: Vec<String>,
}

/// The public API of the client generated from one side's spec; `None` side (no spec) has no API.
fn api_of(label: &str, spec: Option<(&str, &str)>, notes: &mut Vec<String>) -> Option<extract::PublicApi> {
    let Some((text, file_name)) = spec else { return Some(extract::PublicApi::default()) };
    match codegen::generate(text, file_name) {
        Ok(generated) => match extract::extract(&generated.files) {
            Ok(api) => Some(api),
            Err(error) => {
                notes.push(format!("the client generated at {label} does not parse: {error}"));
                None
            }
        },
        Err(diagnostics) => {
            let text = diagnostics.to_string();
            let mut lines = text.lines();
            let first = lines.next().unwrap_or("no message");
            let more = lines.count();
            let more = if more > 0 { format!(" (and {more} more)") } else { String::new() };
            notes.push(format!("the client could not be generated at {label}: {first}{more}"));
            None
        }
    }
}

/// Generates the client from both specs (text, file name) and compares their public APIs.
pub(crate) fn diff_client_api(base: Option<(&str, &str)>, head: Option<(&str, &str)>) -> ClientApiDiff {
    let mut notes = Vec::new();
    let base_api = api_of("base", base, &mut notes);
    let head_api = api_of("head", head, &mut notes);
    let changes = match (base_api, head_api) {
        (Some(base), Some(head)) => compare::compare(&base, &head),
        _ => Vec::new(),
    };
    ClientApiDiff { compared: true, changes, notes }
}
