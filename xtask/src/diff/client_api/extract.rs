//! The public API of generated Rust source, read with `syn`: one entry per public item, keyed by a
//! stable name, with a signature string to compare.

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;
use syn::{Attribute, Fields, ImplItem, Item, Type, Visibility};

/// The public items of a crate's generated files.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct PublicApi {
    /// `struct groups::Group`, `field groups::Group::name`, `fn client::Client::list_groups`, ... to
    /// the item's signature as written in tokens.
    pub(crate) items: BTreeMap<String, String>,
    /// Structs and enums without `#[non_exhaustive]`: adding a field or variant to them breaks users
    /// who build or match them exhaustively.
    pub(crate) exhaustive: BTreeSet<String>,
}

/// Reads every generated file; a file that does not parse is an error naming it.
pub(crate) fn extract(files: &BTreeMap<String, String>) -> Result<PublicApi, String> {
    let mut api = PublicApi::default();
    for (name, source) in files {
        if !name.ends_with(".rs") {
            continue;
        }
        let file = syn::parse_file(source).map_err(|error| format!("{name}: {error}"))?;
        let module = module_of(name);
        collect_items(&module, &file.items, &mut api);
    }
    Ok(api)
}

/// `ids.rs` -> `ids`, `a/b.rs` -> `a::b`, `mod.rs`/`lib.rs` -> the crate root.
fn module_of(file_name: &str) -> String {
    let stem = file_name.trim_end_matches(".rs");
    let parts: Vec<&str> = stem.split('/').filter(|part| !matches!(*part, "mod" | "lib")).collect();
    parts.join("::")
}

fn join(module: &str, name: &str) -> String {
    if module.is_empty() { name.to_owned() } else { format!("{module}::{name}") }
}

fn is_public(visibility: &Visibility) -> bool {
    matches!(visibility, Visibility::Public(_))
}

/// Tokens as text, with the spaces `TokenStream`'s printer puts around punctuation taken out where
/// rustfmt would not have them (`Option < i32 >` -> `Option<i32>`), so reports read like Rust.
fn tokens(item: &impl ToTokens) -> String {
    let mut text = item.to_token_stream().to_string();
    for (spaced, tight) in [
        (" :: ", "::"),
        (":: ", "::"),
        (" ::", "::"),
        (" : ", ": "),
        (" < ", "<"),
        ("< ", "<"),
        (" <", "<"),
        (" >", ">"),
        (" (", "("),
        ("( ", "("),
        (" )", ")"),
        (" ,", ","),
        (",)", ")"),
        ("& ", "&"),
        (" ;", ";"),
        ("[ ", "["),
        (" ]", "]"),
        ("# [", "#["),
    ] {
        text = text.replace(spaced, tight);
    }
    // Removing the space before `(` also took the one after a comma (`(), ()` became `(),()`).
    let mut tidy = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        tidy.push(c);
        if c == ',' && chars.peek().is_some_and(|next| !matches!(next, ' ' | ')' | '>' | ']')) {
            tidy.push(' ');
        }
    }
    tidy
}

fn is_non_exhaustive(attributes: &[Attribute]) -> bool {
    attributes.iter().any(|attribute| attribute.path().is_ident("non_exhaustive"))
}

/// The traits a `#[derive(...)]` implements: part of the API (users rely on `Clone`, `Debug`, ...).
fn derived_traits(attributes: &[Attribute]) -> Vec<String> {
    let mut traits = Vec::new();
    for attribute in attributes.iter().filter(|attribute| attribute.path().is_ident("derive")) {
        let _ = attribute.parse_nested_meta(|meta| {
            if let Some(last) = meta.path.segments.last() {
                traits.push(last.ident.to_string());
            }
            Ok(())
        });
    }
    traits
}

fn collect_items(module: &str, items: &[Item], api: &mut PublicApi) {
    for item in items {
        match item {
            Item::Struct(item) if is_public(&item.vis) => {
                let path = join(module, &item.ident.to_string());
                api.items.insert(format!("struct {path}"), format!("struct {}{}", item.ident, tokens(&item.generics)));
                if !is_non_exhaustive(&item.attrs) {
                    api.exhaustive.insert(path.clone());
                }
                for name in derived_traits(&item.attrs) {
                    api.items.insert(format!("impl {path}: {name}"), format!("#[derive({name})]"));
                }
                let fields = match &item.fields {
                    Fields::Named(fields) => fields.named.iter().collect::<Vec<_>>(),
                    Fields::Unnamed(fields) => fields.unnamed.iter().collect(),
                    Fields::Unit => Vec::new(),
                };
                for (index, field) in fields.into_iter().enumerate() {
                    if !is_public(&field.vis) {
                        continue;
                    }
                    let name = field.ident.as_ref().map_or_else(|| index.to_string(), ToString::to_string);
                    api.items.insert(format!("field {path}::{name}"), format!("{name}: {}", tokens(&field.ty)));
                }
            }
            Item::Enum(item) if is_public(&item.vis) => {
                let path = join(module, &item.ident.to_string());
                api.items.insert(format!("enum {path}"), format!("enum {}{}", item.ident, tokens(&item.generics)));
                if !is_non_exhaustive(&item.attrs) {
                    api.exhaustive.insert(path.clone());
                }
                for name in derived_traits(&item.attrs) {
                    api.items.insert(format!("impl {path}: {name}"), format!("#[derive({name})]"));
                }
                for variant in &item.variants {
                    let mut signature = format!("{}{}", variant.ident, tokens(&variant.fields));
                    if let Some((_, discriminant)) = &variant.discriminant {
                        signature.push_str(&format!(" = {}", tokens(discriminant)));
                    }
                    api.items.insert(format!("variant {path}::{}", variant.ident), signature);
                }
            }
            Item::Fn(item) if is_public(&item.vis) => {
                let path = join(module, &item.sig.ident.to_string());
                api.items.insert(format!("fn {path}"), tokens(&item.sig));
            }
            Item::Type(item) if is_public(&item.vis) => {
                let path = join(module, &item.ident.to_string());
                api.items.insert(
                    format!("type {path}"),
                    format!("{}{} = {}", item.ident, tokens(&item.generics), tokens(&item.ty)),
                );
            }
            Item::Const(item) if is_public(&item.vis) => {
                let path = join(module, &item.ident.to_string());
                api.items.insert(format!("const {path}"), format!("{}: {}", item.ident, tokens(&item.ty)));
            }
            Item::Static(item) if is_public(&item.vis) => {
                let path = join(module, &item.ident.to_string());
                api.items.insert(format!("static {path}"), format!("{}: {}", item.ident, tokens(&item.ty)));
            }
            Item::Trait(item) if is_public(&item.vis) => {
                let path = join(module, &item.ident.to_string());
                api.items.insert(format!("trait {path}"), tokens(&item.generics));
                for inner in &item.items {
                    if let syn::TraitItem::Fn(function) = inner {
                        api.items.insert(format!("fn {path}::{}", function.sig.ident), tokens(&function.sig));
                    }
                }
            }
            Item::Use(item) if is_public(&item.vis) => {
                let text = tokens(&item.tree);
                api.items.insert(format!("use {}", join(module, &text)), text);
            }
            Item::Mod(item) if is_public(&item.vis) => {
                if let Some((_, inner)) = &item.content {
                    collect_items(&join(module, &item.ident.to_string()), inner, api);
                }
            }
            Item::Impl(item) => {
                let self_type = type_name(&item.self_ty);
                let path = join(module, &self_type);
                match &item.trait_ {
                    Some((negative, trait_path, _)) => {
                        let bang = if negative.is_some() { "!" } else { "" };
                        // The whole trait path with its arguments: `TryFrom<&str>` and `TryFrom<String>` are two
                        // impls, and removing one must show.
                        let trait_name = trait_path
                            .segments
                            .last()
                            .map(|s| format!("{}{}", s.ident, tokens(&s.arguments)))
                            .unwrap_or_default();
                        api.items.insert(
                            format!("impl {path}: {bang}{trait_name}"),
                            format!(
                                "impl{} {bang}{} for {}",
                                tokens(&item.generics),
                                tokens(trait_path),
                                tokens(&item.self_ty)
                            ),
                        );
                    }
                    None => {
                        for inner in &item.items {
                            match inner {
                                ImplItem::Fn(function) if is_public(&function.vis) => {
                                    api.items
                                        .insert(format!("fn {path}::{}", function.sig.ident), tokens(&function.sig));
                                }
                                ImplItem::Const(constant) if is_public(&constant.vis) => {
                                    api.items.insert(
                                        format!("const {path}::{}", constant.ident),
                                        format!("{}: {}", constant.ident, tokens(&constant.ty)),
                                    );
                                }
                                _ => {}
                            }
                        }
                    }
                }
            }
            // Generated code implements some items through runtime macros (`impl_id!(OrgId, "pattern", ..)`):
            // the call's arguments are the API it adds, so a change in them is a change of the API.
            Item::Macro(item) => {
                let name = item.mac.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
                let subject = item.mac.tokens.clone().into_iter().next().map(|t| t.to_string()).unwrap_or_default();
                api.items.insert(
                    format!("macro {}!({subject})", join(module, &name)),
                    format!("{name}!({})", item.mac.tokens),
                );
            }
            _ => {}
        }
    }
}

/// The name of an impl's self type without its generic arguments (`Page<T>` -> `Page`).
fn type_name(self_type: &Type) -> String {
    match self_type {
        Type::Path(path) => path.path.segments.last().map(|segment| segment.ident.to_string()).unwrap_or_default(),
        other => tokens(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_public_items_only() {
        let source = r#"
            #[derive(Clone, Debug)]
            pub struct Group { pub id: String, secret: u8 }
            #[non_exhaustive]
            pub enum Kind { A, B(u32) }
            struct Hidden;
            impl Group { pub fn name(&self) -> &str { "" } fn private(&self) {} }
            impl std::fmt::Display for Group { fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { Ok(()) } }
            pub type Id = String;
        "#;
        let files = BTreeMap::from([("groups.rs".to_owned(), source.to_owned())]);
        let api = extract(&files).unwrap();
        let keys: Vec<&str> = api.items.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "enum groups::Kind",
                "field groups::Group::id",
                "fn groups::Group::name",
                "impl groups::Group: Clone",
                "impl groups::Group: Debug",
                "impl groups::Group: Display",
                "struct groups::Group",
                "type groups::Id",
                "variant groups::Kind::A",
                "variant groups::Kind::B",
            ]
        );
        assert!(api.exhaustive.contains("groups::Group"));
        assert!(!api.exhaustive.contains("groups::Kind"));
    }

    #[test]
    fn signatures_read_like_rust() {
        let source = "impl C { pub fn get(&self, id: &str, n: Option<Vec<i32>>) -> Result<(), (u8, u8)> { todo!() } }";
        let api = extract(&BTreeMap::from([("c.rs".to_owned(), source.to_owned())])).unwrap();
        assert_eq!(api.items["fn c::C::get"], "fn get(&self, id: &str, n: Option<Vec<i32>>) -> Result<(), (u8, u8)>");
    }

    #[test]
    fn trait_arguments_and_runtime_macro_calls_are_part_of_the_api() {
        let source = r#"
            pub struct OrgId(String);
            impl TryFrom<&str> for OrgId { type Error = (); fn try_from(v: &str) -> Result<Self, ()> { Err(()) } }
            impl TryFrom<String> for OrgId { type Error = (); fn try_from(v: String) -> Result<Self, ()> { Err(()) } }
            crate::runtime::impl_id!(OrgId, "^([a-f0-9]{24})$", None, None);
        "#;
        let api = extract(&BTreeMap::from([("ids.rs".to_owned(), source.to_owned())])).unwrap();
        assert!(api.items.contains_key("impl ids::OrgId: TryFrom<&str>"), "{:?}", api.items.keys());
        assert!(api.items.contains_key("impl ids::OrgId: TryFrom<String>"), "{:?}", api.items.keys());
        assert!(api.items["macro ids::impl_id!(OrgId)"].contains("^([a-f0-9]{24})$"));
    }

    #[test]
    fn a_file_that_does_not_parse_is_named() {
        let files = BTreeMap::from([("broken.rs".to_owned(), "pub struct {".to_owned())]);
        let error = extract(&files).unwrap_err();
        assert!(error.starts_with("broken.rs: "), "{error}");
    }
}
