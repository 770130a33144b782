//! Doc attributes from lines of documentation.

use proc_macro2::TokenStream;
use quote::quote;

/// Lines of documentation, as `#[doc]` attributes.
pub(super) fn doc_attrs(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() { String::new() } else { format!(" {line}") };
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}
