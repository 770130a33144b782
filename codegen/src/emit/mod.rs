//! Stage 3: tokens from the model, one generated file per module.

mod docs;
mod ids;
mod operations;
mod types;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Api, IntegerWidth, TypeRef};
use crate::naming::ident;

/// The token streams of every generated file, by file name.
pub(crate) fn emit(api: &Api) -> BTreeMap<String, TokenStream> {
    let mut files = BTreeMap::new();
    files.insert("mod.rs".to_owned(), module_root(api));
    files.insert("ids.rs".to_owned(), ids::emit(api));
    files.insert("types.rs".to_owned(), types::emit(api));
    files.insert("operations.rs".to_owned(), operations::emit(api));
    files
}

fn module_root(api: &Api) -> TokenStream {
    let title = format!(" Generated from \"{}\", version {}.", api.title, api.version);
    let error_body = type_tokens(&api.error_body, &quote!(self));
    quote! {
        #![doc = #title]

        pub mod ids;
        pub mod operations;
        pub mod types;

        /// The error every operation returns: a documented error answer decodes into its body type.
        pub type Error = crate::runtime::Error<#error_body>;
    }
}

/// The tokens naming `ty`, from a module where the generated sibling modules are reached through `modules`
/// (`super` from a sibling, `self` from the generated root).
pub(crate) fn type_tokens(ty: &TypeRef, modules: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(#modules::types::#name)
        }
        TypeRef::Id(name) => {
            let name = ident(name);
            quote!(#modules::ids::#name)
        }
        TypeRef::String => quote!(String),
        TypeRef::Integer(IntegerWidth::I32) => quote!(i32),
        TypeRef::Integer(IntegerWidth::I64) => quote!(i64),
        TypeRef::Number => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Array(item) => {
            let item = type_tokens(item, modules);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = type_tokens(value, modules);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Any => quote!(serde_json::Value),
    }
}
