//! A struct's serde: one call of the runtime's `impl_object!` with each property's field, wire name and
//! presence, in the struct's order, instead of a serde derive (which expands to several generic visitors
//! per struct, most of what checking a large client cost). The runtime's `objects.rs` says what each
//! presence sends and reads.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::allowing_kept;
use crate::naming::ident;
use crate::plan::{FieldDef, Presence};

/// The `impl_object!` call of the struct `name`, under `cfg`.
pub(super) fn object_impls(name: &str, fields: &[FieldDef], cfg: &TokenStream) -> TokenStream {
    let type_name = ident(name);
    let entries = fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        let wire = &f.wire_name;
        let presence = match f.presence {
            Presence::Required => quote!(required),
            Presence::RequiredNullable => quote!(nullable),
            Presence::Optional => quote!(optional),
        };
        quote!(#field: #wire #presence,)
    });
    let call = allowing_kept(
        fields.iter().any(|f| f.kept),
        quote!(crate::runtime::impl_object!(#type_name, { #(#entries)* });),
    );
    quote! {
        #cfg
        #call
    }
}
