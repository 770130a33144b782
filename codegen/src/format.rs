//! Stage 4: tokens to text with syn and prettyplease. No installed rustfmt is needed.

use proc_macro2::TokenStream;

/// Formats one file's tokens; tokens that do not parse are a generator bug, reported with the tokens.
pub(crate) fn format_file(name: &str, tokens: TokenStream) -> Result<String, String> {
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => Ok(prettyplease::unparse(&file)),
        Err(error) => Err(format!("generated {name} does not parse as Rust ({error}); tokens:\n{tokens}")),
    }
}
