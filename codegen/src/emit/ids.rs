//! Validated id newtypes: one per id kind, shared by every operation that uses it.

use proc_macro2::TokenStream;
use quote::quote;

use super::cfg_attr;
use super::docs::doc_attrs;
use crate::id_pattern::{IdCheck, Piece, SimplePattern};
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
    let cfg = cfg_attr(plan, &id.cfg);
    // A pattern read as pieces is a private const next to the type (formatted as code, unlike macro
    // arguments), which `impl_id!(.., pattern, ..)` checks; `regex` makes the macro compile the pattern.
    let (pattern_const, check) = match &id.check {
        IdCheck::Length => (quote!(), quote!(crate::runtime::IdCheck::Length)),
        IdCheck::Pattern(simple) => {
            let simple = simple_pattern(simple);
            let pattern_const = quote! {
                #cfg
                impl #name {
                    const PATTERN: crate::runtime::IdPattern = #simple;
                }
            };
            (pattern_const, quote!(pattern))
        }
        IdCheck::Regex => (quote!(), quote!(regex)),
    };
    let docs = doc_attrs(&id.docs);
    quote! {
        #docs
        #cfg
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct #name(String);

        #pattern_const

        #cfg
        crate::runtime::impl_id!(#name, #pattern, #check, #min, #max);
    }
}

/// `crate::runtime::IdPattern::new(..)` for a pattern read as pieces.
fn simple_pattern(simple: &SimplePattern) -> TokenStream {
    let (start, end) = (simple.anchored_start, simple.anchored_end);
    let pieces = simple.pieces.iter().map(|piece| match piece {
        Piece::Text(text) => quote!(crate::runtime::IdPiece::text(#text)),
        Piece::Class { ranges, negated, min, max } => {
            let ranges = ranges.iter().map(|(lo, hi)| quote!((#lo, #hi)));
            let min = proc_macro2::Literal::u32_unsuffixed(*min);
            let max = match max {
                Some(max) => {
                    let max = proc_macro2::Literal::u32_unsuffixed(*max);
                    quote!(Some(#max))
                }
                None => quote!(None),
            };
            let constructor = if *negated { quote!(not_class) } else { quote!(class) };
            quote!(crate::runtime::IdPiece::#constructor(&[#(#ranges),*], #min, #max))
        }
    });
    quote!(crate::runtime::IdPattern::new(#start, #end, &[#(#pieces),*]))
}
