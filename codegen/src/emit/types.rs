//! Data types: structs (request, response or both forms), open enums, unions, newtypes and aliases.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::objects::object_impls;
use super::operations::kept_attr;
use super::{cfg_attr, type_tokens};
use crate::naming::ident;
use crate::plan::{EnumVariant, FieldDef, ObjectShape, Plan, Presence, TypeDef, TypeKind, UnionVariant};

/// Above this many required properties a constructor takes many arguments; clippy is told that is wanted.
const MANY_ARGUMENTS: usize = 7;

/// `types/mod.rs`: every type re-exported, so all are `types::Name` whichever file holds them.
pub(super) fn emit_index(plan: &Plan) -> TokenStream {
    let mut declarations = Vec::new();
    if plan.types.iter().any(|def| def.home.is_none()) {
        declarations.push(quote! {
            mod common;
            pub use common::*;
        });
    }
    for (index, module) in plan.modules.iter().enumerate() {
        if !plan.types.iter().any(|def| def.home == Some(index)) {
            continue;
        }
        let name = ident(&module.name);
        let feature = &module.feature;
        let cfg = plan.features.then(|| quote!(#[cfg(feature = #feature)]));
        declarations.push(quote! {
            #cfg
            mod #name;
            #cfg
            pub use #name::*;
        });
    }
    quote! {
        //! Data types from the spec's schemas: `common.rs` holds those operations of several tags use, and
        //! each tag's file those only its operations use.
        #(#declarations)*
    }
}

/// The types of one module's file (`Some`), or of `common.rs` (`None`).
pub(super) fn emit_module(plan: &Plan, home: Option<usize>) -> TokenStream {
    let types = plan.types.iter().filter(|def| def.home == home).map(|def| type_def(plan, def));
    let doc = match home {
        Some(index) => format!(" Data types only the operations tagged `{}` use.", plan.modules[index].tag),
        None => " Data types that operations of several tags use.".to_owned(),
    };
    quote! {
        #![doc = #doc]
        #(#types)*
    }
}

fn type_def(plan: &Plan, def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(&def.docs);
    let cfg = cfg_attr(plan, &def.cfg);
    let modules = quote!(super::super);
    match &def.kind {
        TypeKind::Struct { fields, shape, .. } => {
            let required: Vec<&FieldDef> = fields.iter().filter(|f| f.presence != Presence::Optional).collect();
            let default = required.is_empty().then(|| quote!(Default,));
            let declared = fields.iter().map(field);
            let constructor = (!required.is_empty()).then(|| constructor(&def.name, fields, &required, &cfg));
            let shape = shape.as_ref().map(|shape| object_shape(&name, shape, &cfg));
            let serde = object_impls(&def.name, fields, &cfg);
            quote! {
                #docs
                #cfg
                #[derive(Debug, Clone, #default PartialEq)]
                #[non_exhaustive]
                pub struct #name {
                    #(#declared)*
                }
                #serde
                #constructor
                #shape
            }
        }
        TypeKind::Newtype(inner) => {
            let inner = type_tokens(inner, &modules);
            quote! {
                #docs
                #cfg
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #inner);
            }
        }
        TypeKind::Enum { variants, other } => open_enum(&name, &docs, &cfg, variants, other),
        TypeKind::Tagged { property, variants, unknown, shape } => {
            let shape = shape.as_ref().map(|shape| object_shape(&name, shape, &cfg));
            let (declared, unknown) = union_variants(variants, unknown);
            let arms = variants.iter().map(|v| {
                let variant = ident(&v.name);
                let tags = &v.tags;
                quote!(#variant => [#(#tags),*],)
            });
            let impls = allowing_kept(
                variants.iter().any(|v| v.kept),
                quote!(crate::runtime::impl_tagged_union!(#name, #unknown, #property, { #(#arms)* });),
            );
            quote! {
                #docs
                #cfg
                #[derive(Debug, Clone, PartialEq)]
                #[non_exhaustive]
                #[allow(clippy::large_enum_variant, reason = "a decoded value is moved, never stored in bulk")]
                pub enum #name {
                    #(#declared)*
                    /// A value whose discriminator the spec does not list (or that does not decode as its
                    /// variant), kept as sent.
                    #unknown(serde_json::Value),
                }
                #cfg
                #impls
                #shape
            }
        }
        TypeKind::Untagged { variants, unknown } => {
            let (declared, unknown) = union_variants(variants, unknown);
            let arms = variants.iter().map(|v| {
                let variant = ident(&v.name);
                let ty = type_tokens(&v.ty, &quote!(super::super));
                let kind = ident(v.kind.word());
                quote!(#variant(#ty): #kind,)
            });
            let impls = allowing_kept(
                variants.iter().any(|v| v.kept),
                quote!(crate::runtime::impl_untagged_union!(#name, #unknown, { #(#arms)* });),
            );
            quote! {
                #docs
                #cfg
                #[derive(Debug, Clone, PartialEq)]
                #[non_exhaustive]
                #[allow(clippy::large_enum_variant, reason = "a decoded value is moved, never stored in bulk")]
                pub enum #name {
                    #(#declared)*
                    /// A value that matches none of the variants, kept as sent.
                    #unknown(serde_json::Value),
                }
                #cfg
                #impls
            }
        }
        TypeKind::Alias(target) => {
            let target = type_tokens(target, &modules);
            quote! {
                #docs
                #cfg
                pub type #name = #target;
            }
        }
    }
}

fn object_shape(name: &proc_macro2::Ident, shape: &ObjectShape, cfg: &TokenStream) -> TokenStream {
    let names = &shape.properties;
    let required = &shape.required;
    let enums = shape.enums.iter().map(|(property, values)| quote!(#property => [#(#values),*],));
    quote! {
        #cfg
        crate::runtime::impl_object_shape!(#name, [#(#names),*], [#(#required),*], { #(#enums)* });
    }
}

fn field(field: &FieldDef) -> TokenStream {
    let name = ident(&field.rust_name);
    let ty = type_tokens(&field.ty, &quote!(super::super));
    let docs = doc_attrs(&field.docs);
    let docs = match field.kept {
        true => {
            let deprecated = kept_attr();
            quote!(#docs #deprecated)
        }
        false => docs,
    };
    match field.presence {
        Presence::Required => quote! {
            #docs
            pub #name: #ty,
        },
        Presence::RequiredNullable | Presence::Optional => quote! {
            #docs
            pub #name: Option<#ty>,
        },
    }
}

fn constructor(type_name: &str, fields: &[FieldDef], required: &[&FieldDef], cfg: &TokenStream) -> TokenStream {
    let name = ident(type_name);
    let args = required.iter().map(|f| {
        let arg = ident(&f.rust_name);
        let ty = type_tokens(&f.ty, &quote!(super::super));
        match f.presence {
            Presence::RequiredNullable => quote!(#arg: Option<#ty>),
            _ => quote!(#arg: #ty),
        }
    });
    let inits = fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        match f.presence {
            Presence::Optional => quote!(#field: None,),
            _ => quote!(#field,),
        }
    });
    let allow = (required.len() > MANY_ARGUMENTS)
        .then(|| quote!(#[allow(clippy::too_many_arguments, reason = "one argument per required property")]));
    let kept = fields
        .iter()
        .any(|f| f.kept)
        .then(|| quote!(#[allow(deprecated, reason = "kept fields are set like the others")]));
    let doc = format!(" A `{type_name}` with its required properties; the optional ones start as `None`.");
    quote! {
        #cfg
        #kept
        impl #name {
            #[doc = #doc]
            #allow
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits)* }
            }
        }
    }
}

fn open_enum(
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    cfg: &TokenStream,
    variants: &[EnumVariant],
    other: &str,
) -> TokenStream {
    let other = ident(other);
    let declared = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let doc = format!(" `{}`", v.wire_name);
        let deprecated = v.kept.then(kept_attr);
        quote! {
            #[doc = #doc]
            #deprecated
            #variant,
        }
    });
    let arms = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire_name;
        quote!(#variant => #wire,)
    });
    let impls = allowing_kept(
        variants.iter().any(|v| v.kept),
        quote!(crate::runtime::impl_open_enum!(#name, #other, { #(#arms)* });),
    );
    quote! {
        #docs
        #cfg
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#declared)*
            /// A value the spec does not list, kept exactly as sent.
            #other(String),
        }
        #cfg
        #impls
    }
}

fn union_variants(variants: &[UnionVariant], unknown: &str) -> (Vec<TokenStream>, proc_macro2::Ident) {
    let declared = variants
        .iter()
        .map(|v| {
            let variant = ident(&v.name);
            let ty = type_tokens(&v.ty, &quote!(super::super));
            let doc = if v.tags.is_empty() {
                format!(" A `{}` value.", v.name)
            } else {
                let tags: Vec<String> = v.tags.iter().map(|t| format!("`{t}`")).collect();
                format!(" Discriminator {}.", tags.join(", "))
            };
            let deprecated = v.kept.then(kept_attr);
            quote! {
                #[doc = #doc]
                #deprecated
                #variant(#ty),
            }
        })
        .collect();
    (declared, ident(unknown))
}

/// A runtime macro's impls, which name every variant: wrapped in an anonymous const that allows the
/// deprecation of kept variants (an attribute on a macro call would not reach its expansion).
pub(super) fn allowing_kept(kept: bool, call: TokenStream) -> TokenStream {
    if kept {
        quote! {
            #[allow(deprecated, reason = "the impls name kept members like the others")]
            const _: () = {
                #call
            };
        }
    } else {
        call
    }
}
