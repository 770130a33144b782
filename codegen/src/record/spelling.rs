//! Types and members as the record spells them: `types::ApiKey`, `ids::OrgId`, `String`, `i32`, `i64`,
//! `f64`, `bool`, `Json`, `Secret`, `Bytes`, `Vec<T>`, `Map<T>` (string keys), `Box<T>`; a field's presence
//! around it (`Option<T>`, `Nullable<T>`); and members as `"<rust name> <type>"`.

use crate::plan::{Presence, Ty};

/// `ty` as the record writes it.
pub(crate) fn ty(ty: &Ty) -> String {
    match ty {
        Ty::Named(name) => format!("types::{name}"),
        Ty::Id(name) => format!("ids::{name}"),
        Ty::String => "String".to_owned(),
        Ty::I32 => "i32".to_owned(),
        Ty::I64 => "i64".to_owned(),
        Ty::F64 => "f64".to_owned(),
        Ty::Bool => "bool".to_owned(),
        Ty::Json => "Json".to_owned(),
        Ty::Secret => "Secret".to_owned(),
        Ty::Bytes => "Bytes".to_owned(),
        Ty::Vec(item) => format!("Vec<{}>", self::ty(item)),
        Ty::Map(value) => format!("Map<{}>", self::ty(value)),
        Ty::Boxed(inner) => format!("Box<{}>", self::ty(inner)),
    }
}

/// Reads what [`ty`] writes.
pub(crate) fn parse_ty(text: &str) -> Result<Ty, String> {
    let text = text.trim();
    let wrapped = |prefix: &str| text.strip_prefix(prefix).and_then(|rest| rest.strip_suffix('>'));
    if let Some(inner) = wrapped("Vec<") {
        return Ok(Ty::Vec(Box::new(parse_ty(inner)?)));
    }
    if let Some(inner) = wrapped("Map<") {
        return Ok(Ty::Map(Box::new(parse_ty(inner)?)));
    }
    if let Some(inner) = wrapped("Box<") {
        return Ok(Ty::Boxed(Box::new(parse_ty(inner)?)));
    }
    if let Some(name) = text.strip_prefix("types::") {
        return identifier(name).map(|name| Ty::Named(name.to_owned()));
    }
    if let Some(name) = text.strip_prefix("ids::") {
        return identifier(name).map(|name| Ty::Id(name.to_owned()));
    }
    Ok(match text {
        "String" => Ty::String,
        "i32" => Ty::I32,
        "i64" => Ty::I64,
        "f64" => Ty::F64,
        "bool" => Ty::Bool,
        "Json" => Ty::Json,
        "Secret" => Ty::Secret,
        "Bytes" => Ty::Bytes,
        other => return Err(format!("`{other}` is not a type the record knows")),
    })
}

/// A field's type with its presence, as the record writes it.
pub(crate) fn field_ty(ty: &Ty, presence: Presence) -> String {
    match presence {
        Presence::Required => self::ty(ty),
        Presence::Optional => format!("Option<{}>", self::ty(ty)),
        Presence::RequiredNullable => format!("Nullable<{}>", self::ty(ty)),
    }
}

/// Reads what [`field_ty`] writes.
pub(crate) fn parse_field_ty(text: &str) -> Result<(Ty, Presence), String> {
    let text = text.trim();
    let wrapped = |prefix: &str| text.strip_prefix(prefix).and_then(|rest| rest.strip_suffix('>'));
    if let Some(inner) = wrapped("Option<") {
        return Ok((parse_ty(inner)?, Presence::Optional));
    }
    if let Some(inner) = wrapped("Nullable<") {
        return Ok((parse_ty(inner)?, Presence::RequiredNullable));
    }
    Ok((parse_ty(text)?, Presence::Required))
}

/// A member (`"<rust name> <type>"`).
pub(crate) fn member(rust_name: &str, ty: &str) -> String {
    format!("{rust_name} {ty}")
}

/// Reads what [`member`] writes: the Rust name and the type's text.
pub(crate) fn parse_member(text: &str) -> Result<(&str, &str), String> {
    let (name, ty) = text.trim().split_once(' ').ok_or_else(|| format!("`{text}` is not `<rust name> <type>`"))?;
    Ok((identifier(name)?, ty))
}

/// `name` when it is a Rust identifier (keywords allowed: they are written raw).
pub(crate) fn identifier(name: &str) -> Result<&str, String> {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if first_ok && chars.all(|c| c.is_ascii_alphanumeric() || c == '_') && name != "_" {
        Ok(name)
    } else {
        Err(format!("`{name}` is not a Rust identifier"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_round_trip() {
        for text in ["types::ApiKey", "ids::OrgId", "Vec<Map<Box<types::Node>>>", "Json", "Secret", "Bytes", "f64"] {
            assert_eq!(ty(&parse_ty(text).unwrap()), text);
        }
        assert!(parse_ty("Vec<types::A").is_err());
        assert!(parse_ty("types::A B").is_err());
        assert!(parse_ty("u8").is_err());
    }

    #[test]
    fn presence_round_trips() {
        for text in ["Option<String>", "Nullable<i64>", "Vec<types::A>"] {
            let (ty, presence) = parse_field_ty(text).unwrap();
            assert_eq!(field_ty(&ty, presence), text);
        }
    }

    #[test]
    fn members_split_at_the_first_space() {
        assert_eq!(parse_member("r#type Option<String>"), Err("`r#type` is not a Rust identifier".to_owned()));
        assert_eq!(parse_member("kind Option<String>"), Ok(("kind", "Option<String>")));
        assert!(parse_member("lonely").is_err());
    }
}
