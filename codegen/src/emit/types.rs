//! Data types: structs, string enums and aliases from the spec's schemas.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, doc_lines};
use super::type_tokens;
use crate::model::{Api, EnumVariant, Field, TypeDef, TypeDefKind};
use crate::naming::ident;

pub(super) fn emit(api: &Api) -> TokenStream {
    let types = api.types.values().map(type_def);
    quote! {
        //! Data types from the spec's schemas.
        #(#types)*
    }
}

fn type_def(def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(&doc_lines(&def.docs, &format!("The `{}` schema.", def.name)));
    match &def.kind {
        TypeDefKind::Struct { fields } => {
            let fields = fields.iter().map(field);
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                pub struct #name {
                    #(#fields)*
                }
            }
        }
        TypeDefKind::StringEnum { variants } => string_enum(&name, &docs, variants),
        TypeDefKind::Alias(target) => {
            let target = type_tokens(target, &quote!(super));
            quote! {
                #docs
                pub type #name = #target;
            }
        }
    }
}

fn field(field: &Field) -> TokenStream {
    let name = ident(&field.rust_name);
    let ty = type_tokens(&field.ty, &quote!(super));
    let docs = doc_attrs(&doc_lines(&field.docs, &format!("The `{}` property.", field.wire_name)));
    let wire = &field.wire_name;
    let rename = (field.rust_name.trim_start_matches("r#") != wire).then(|| quote!(rename = #wire,));
    if field.always_present {
        let serde = rename.map(|rename| quote!(#[serde(#rename)]));
        quote! {
            #docs
            #serde
            pub #name: #ty,
        }
    } else {
        quote! {
            #docs
            #[serde(#rename default, skip_serializing_if = "Option::is_none")]
            pub #name: Option<#ty>,
        }
    }
}

fn string_enum(name: &proc_macro2::Ident, docs: &TokenStream, variants: &[EnumVariant]) -> TokenStream {
    // The catch-all keeps decoding working when the service adds a value; it must not clash with one.
    let other = if variants.iter().any(|v| v.rust_name == "Other") { "UnknownValue" } else { "Other" };
    let other = ident(other);
    let declared = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire_name;
        let doc = format!(" `{wire}`");
        quote! {
            #[doc = #doc]
            #[serde(rename = #wire)]
            #variant,
        }
    });
    let as_str = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire_name;
        quote!(Self::#variant => #wire,)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum #name {
            #(#declared)*
            /// A value this version of the client does not know.
            #[serde(other, skip_serializing)]
            #other,
        }

        impl #name {
            /// The value as the service spells it.
            pub fn as_str(&self) -> &'static str {
                match self {
                    #(#as_str)*
                    Self::#other => "",
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}
