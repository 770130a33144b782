//! Validated id newtypes: one per id kind, shared by every operation that uses it.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use crate::model::{Api, IdType};
use crate::naming::ident;

pub(super) fn emit(api: &Api) -> TokenStream {
    let ids = api.ids.values().map(id_type);
    quote! {
        //! Validated ids: each parses from a string only when it matches the spec's pattern.
        #(#ids)*
    }
}

fn id_type(id: &IdType) -> TokenStream {
    let name = ident(&id.name);
    let pattern = &id.pattern;
    let min = option_tokens(id.min_length);
    let max = option_tokens(id.max_length);
    let mut lines: Vec<String> = Vec::new();
    if let Some(description) = &id.description {
        lines.extend(description.trim().lines().map(str::to_owned));
        lines.push(String::new());
    }
    lines.push(format!("Parsing checks the pattern `{pattern}`, so an invalid id is rejected before any request."));
    let docs = doc_attrs(&lines);
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct #name(String);

        crate::runtime::impl_id!(#name, #pattern, #min, #max);
    }
}

fn option_tokens(value: Option<usize>) -> TokenStream {
    match value {
        Some(value) => {
            let value = proc_macro2::Literal::usize_unsuffixed(value);
            quote!(Some(#value))
        }
        None => quote!(None),
    }
}
