//! Stage 4: tokens from the plan, one generated file per module. Every decision is already in the plan;
//! this stage only spells it in Rust.

mod docs;
mod ids;
mod objects;
mod operations;
mod types;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::naming::ident;
use crate::plan::{Cfg, Plan, Ty};

/// One generated file, to be emitted on its own (so files can be emitted and formatted in parallel).
#[derive(Debug, Clone, Copy)]
pub(crate) enum File {
    Root,
    Ids,
    TypesIndex,
    /// The types of one module (`Some`) or the shared ones (`None`).
    Types(Option<usize>),
    OperationsIndex,
    Operations(usize),
}

/// Every generated file, by path relative to the generated folder.
pub(crate) fn files(plan: &Plan) -> BTreeMap<String, File> {
    let mut files = BTreeMap::new();
    files.insert("mod.rs".to_owned(), File::Root);
    files.insert("ids.rs".to_owned(), File::Ids);
    files.insert("types/mod.rs".to_owned(), File::TypesIndex);
    if plan.types.iter().any(|def| def.home.is_none()) {
        files.insert("types/common.rs".to_owned(), File::Types(None));
    }
    files.insert("operations/mod.rs".to_owned(), File::OperationsIndex);
    for (index, module) in plan.modules.iter().enumerate() {
        if plan.types.iter().any(|def| def.home == Some(index)) {
            files.insert(format!("types/{}.rs", module.name), File::Types(Some(index)));
        }
        files.insert(format!("operations/{}.rs", module.name), File::Operations(index));
    }
    files
}

/// The tokens of one file.
pub(crate) fn emit(plan: &Plan, file: File) -> TokenStream {
    match file {
        File::Root => module_root(plan),
        File::Ids => ids::emit(plan),
        File::TypesIndex => types::emit_index(plan),
        File::Types(home) => types::emit_module(plan, home),
        File::OperationsIndex => operations::emit_index(plan),
        File::Operations(index) => operations::emit_module(plan, index),
    }
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
