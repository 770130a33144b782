//! A struct's `Serialize` and `Deserialize`, written out instead of derived: one plain loop over the
//! object's keys and one entry per property, leaning on the runtime's `objects` module. A serde derive
//! expands to several generic visitors per struct, which is most of what checking a large client costs.
//!
//! What goes on the wire is what the derive sent: required and nullable properties always (a `None`
//! nullable as `null`), optional ones only when set. What is read is at least as lenient: unknown properties
//! skipped, `null` or absence for an `Option`, the last of repeated keys.

use proc_macro2::TokenStream;
use quote::quote;

use crate::naming::ident;
use crate::plan::{FieldDef, Presence};

/// The two impls of the struct `name`, under `cfg`.
pub(super) fn object_impls(name: &str, fields: &[FieldDef], cfg: &TokenStream) -> TokenStream {
    let type_name = ident(name);
    let kept = fields
        .iter()
        .any(|f| f.kept)
        .then(|| quote!(#[allow(deprecated, reason = "kept fields travel like the others")]));
    let serialize = serialize(fields);
    let deserialize = deserialize(name, fields);
    quote! {
        #cfg
        #kept
        impl serde::Serialize for #type_name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #serialize
            }
        }
        #cfg
        #kept
        impl<'de> serde::Deserialize<'de> for #type_name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #deserialize
            }
        }
    }
}

fn serialize(fields: &[FieldDef]) -> TokenStream {
    let entries = fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        let wire = &f.wire_name;
        match f.presence {
            Presence::Optional => quote! {
                if let Some(value) = &self.#field {
                    map.serialize_entry(#wire, value)?;
                }
            },
            Presence::Required | Presence::RequiredNullable => quote! {
                map.serialize_entry(#wire, &self.#field)?;
            },
        }
    });
    let map = match fields.is_empty() {
        true => quote!(map),
        false => quote!(mut map),
    };
    quote! {
        use serde::ser::SerializeMap as _;
        let #map = serializer.serialize_map(None)?;
        #(#entries)*
        map.end()
    }
}

fn deserialize(name: &str, fields: &[FieldDef]) -> TokenStream {
    let type_name = ident(name);
    // Locals by position, so no property's name can shadow `map` or `index`.
    let locals: Vec<_> = (0..fields.len()).map(|index| quote::format_ident!("f{index}")).collect();
    let wires = fields.iter().map(|f| &f.wire_name);
    let arms = fields.iter().zip(&locals).enumerate().map(|(index, (f, local))| {
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        match f.presence {
            Presence::Required => quote!(Some(#index) => #local = Some(map.next_value()?),),
            Presence::Optional | Presence::RequiredNullable => quote!(Some(#index) => #local = map.next_value()?,),
        }
    });
    let inits = fields.iter().zip(&locals).map(|(f, local)| {
        let field = ident(&f.rust_name);
        let wire = &f.wire_name;
        match f.presence {
            Presence::Required => quote!(#field: crate::runtime::required(#local, #wire)?,),
            Presence::Optional | Presence::RequiredNullable => quote!(#field: #local,),
        }
    });
    let declared = locals.iter().map(|local| quote!(let mut #local = None;));
    quote! {
        struct Fields;
        impl<'de> serde::de::Visitor<'de> for Fields {
            type Value = #type_name;
            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                crate::runtime::expecting_object(formatter, #name)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<#type_name, A::Error> {
                #(#declared)*
                while let Some(index) = map.next_key_seed(crate::runtime::FieldIndex(&[#(#wires),*]))? {
                    match index {
                        #(#arms)*
                        _ => drop(map.next_value::<serde::de::IgnoredAny>()?),
                    }
                }
                Ok(#type_name { #(#inits)* })
            }
        }
        deserializer.deserialize_map(Fields)
    }
}
