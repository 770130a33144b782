//! Validated id newtypes: one per id kind, shared by every operation that uses it.

use proc_macro2::TokenStream;
use quote::quote;

use super::cfg_attr;
use super::docs::doc_attrs;
use crate::naming::ident;
use crate::plan::{IdDef, Plan};

pub(super) fn emit(plan: &Plan) -> TokenStream {
    let ids = plan.ids.iter().map(|id| id_type(plan, id));
    quote! {
        //! Validated ids: each parses from a string only when it matches the spec's constraint.
        #(#ids)*
    }
}

fn id_type(plan: &Plan, id: &IdDef) -> TokenStream {
    let name = ident(&id.name);
    let pattern = match &id.checked_pattern {
        Some(pattern) => quote!(Some(#pattern)),
        None => quote!(None),
    };
    let length = |value: Option<u64>| match value {
        Some(value) => {
            let value = proc_macro2::Literal::usize_unsuffixed(value as usize);
            quote!(Some(#value))
        }
        None => quote!(None),
    };
    let (min, max) = (length(id.min_length), length(id.max_length));
    let docs = doc_attrs(&id.docs);
    let cfg = cfg_attr(plan, &id.cfg);
    quote! {
        #docs
        #cfg
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct #name(String);

        #cfg
        crate::runtime::impl_id!(#name, #pattern, #min, #max);
    }
}
