//! Doc attributes from the model's docs.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Docs;

/// Lines of documentation, as `#[doc]` attributes.
pub(super) fn doc_attrs(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() { String::new() } else { format!(" {line}") };
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}

/// The spec's summary, description, external docs and roles, as lines.
pub(super) fn doc_lines(docs: &Docs, fallback: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let paragraph = |lines: &mut Vec<String>, text: &str| {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(text.trim().lines().map(|l| l.trim_end().to_owned()));
    };
    match (&docs.summary, &docs.description) {
        (Some(summary), description) => {
            paragraph(&mut lines, &ensure_period(summary));
            if let Some(description) = description {
                paragraph(&mut lines, description);
            }
        }
        (None, Some(description)) => paragraph(&mut lines, description),
        (None, None) => paragraph(&mut lines, fallback),
    }
    if !docs.roles.is_empty() {
        paragraph(&mut lines, &format!("Required roles: {}.", docs.roles.join(", ")));
    }
    if let Some((description, url)) = &docs.external {
        let text = description.as_deref().unwrap_or("More");
        paragraph(&mut lines, &format!("See also: [{text}](<{url}>)."));
    }
    lines
}

fn ensure_period(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '!', '?']) { text.to_owned() } else { format!("{text}.") }
}
