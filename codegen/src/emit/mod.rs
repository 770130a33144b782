//! Stage 4: tokens from the plan, one generated file per module. Every decision is already in the plan;
//! this stage only spells it in Rust.

mod docs;
mod ids;
mod operations;
mod types;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::naming::ident;
use crate::plan::{Cfg, Plan, Ty};

/// The token streams of every generated file, by path relative to the generated folder.
pub(crate) fn emit(plan: &Plan) -> BTreeMap<String, TokenStream> {
    let mut files = BTreeMap::new();
    files.insert("mod.rs".to_owned(), module_root(plan));
    files.insert("ids.rs".to_owned(), ids::emit(plan));
    files.insert("types.rs".to_owned(), types::emit(plan));
    files.insert("operations/mod.rs".to_owned(), operations::emit_index(plan));
    for (index, module) in plan.modules.iter().enumerate() {
        files.insert(format!("operations/{}.rs", module.name), operations::emit_module(plan, index));
    }
    files
}

fn module_root(plan: &Plan) -> TokenStream {
    let title = format!(" Generated from \"{}\", version {}.", plan.title, plan.version);
    let error_body = type_tokens(&plan.error_body, &quote!(self));
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
/// (`super` from `types.rs`, `super::super` from an operations module, `self` from the generated root).
pub(crate) fn type_tokens(ty: &Ty, modules: &TokenStream) -> TokenStream {
    match ty {
        Ty::Named(name) => {
            let name = ident(name);
            quote!(#modules::types::#name)
        }
        Ty::Id(name) => {
            let name = ident(name);
            quote!(#modules::ids::#name)
        }
        Ty::String => quote!(String),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::F64 => quote!(f64),
        Ty::Bool => quote!(bool),
        Ty::Json => quote!(serde_json::Value),
        Ty::Secret => quote!(crate::runtime::Secret),
        Ty::Bytes => quote!(bytes::Bytes),
        Ty::Vec(item) => {
            let item = type_tokens(item, modules);
            quote!(Vec<#item>)
        }
        Ty::Map(value) => {
            let value = type_tokens(value, modules);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        Ty::Boxed(inner) => {
            let inner = type_tokens(inner, modules);
            quote!(Box<#inner>)
        }
    }
}

/// `#[cfg(any(feature = "a", ...))]` for an item compiled only under some modules' features.
pub(crate) fn cfg_attr(plan: &Plan, cfg: &Cfg) -> TokenStream {
    match cfg {
        Some(modules) if plan.features => {
            let features: Vec<&str> = modules.iter().map(|m| plan.modules[*m].feature.as_str()).collect();
            match features.as_slice() {
                [one] => quote!(#[cfg(feature = #one)]),
                many => quote!(#[cfg(any(#(feature = #many),*))]),
            }
        }
        _ => TokenStream::new(),
    }
}
