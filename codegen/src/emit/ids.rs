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
    let kind = &id.name;
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

        impl #name {
            /// The constraints this id is checked against.
            pub fn rule() -> &'static crate::runtime::IdRule {
                static RULE: crate::runtime::IdRule = crate::runtime::IdRule::new(#kind, #pattern, #min, #max);
                &RULE
            }

            /// Checks and wraps `value`.
            pub fn new(value: impl Into<String>) -> Result<Self, crate::runtime::InvalidId> {
                let value = value.into();
                Self::rule().check(&value)?;
                Ok(Self(value))
            }

            /// The id as a string.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::str::FromStr for #name {
            type Err = crate::runtime::InvalidId;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Self::new(value)
            }
        }

        impl TryFrom<&str> for #name {
            type Error = crate::runtime::InvalidId;
            fn try_from(value: &str) -> Result<Self, Self::Error> {
                Self::new(value)
            }
        }

        impl TryFrom<String> for #name {
            type Error = crate::runtime::InvalidId;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::new(value)
            }
        }

        impl From<#name> for String {
            fn from(value: #name) -> Self {
                value.0
            }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
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
