//! Doc attributes from lines of documentation.

use proc_macro2::TokenStream;
use quote::quote;

/// Lines of documentation, as `#[doc]` attributes.
pub(super) fn doc_attrs(lines: &[String]) -> TokenStream {
    let lines = indent_list_continuations(lines);
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() { String::new() } else { format!(" {line}") };
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}

/// Markdown continues a list item on the next line; rustdoc (and clippy's `doc_lazy_continuation`) want
/// such a line indented under the item. Spec prose often leaves it flush, so it is indented here.
fn indent_list_continuations(lines: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(lines.len());
    let mut in_item: Option<usize> = None;
    for line in lines {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.is_empty() {
            in_item = None;
            out.push(line.clone());
            continue;
        }
        if let Some(marker) = list_marker(trimmed) {
            in_item = Some(indent + marker);
            out.push(line.clone());
            continue;
        }
        match in_item {
            Some(width) if indent < width => out.push(format!("{}{trimmed}", " ".repeat(width))),
            _ => out.push(line.clone()),
        }
    }
    out
}

/// The width of a list marker (`- `, `* `, `+ `, `1. `, `1) `) at the start of `text`.
fn list_marker(text: &str) -> Option<usize> {
    if text.starts_with("- ") || text.starts_with("* ") || text.starts_with("+ ") {
        return Some(2);
    }
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits < 10 && (text[digits..].starts_with(". ") || text[digits..].starts_with(") ")) {
        return Some(digits + 2);
    }
    None
}
