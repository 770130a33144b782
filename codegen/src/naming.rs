//! The one place spec names become Rust identifiers: case, keywords, and names no identifier can hold.

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct", "trait",
    "true", "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "gen", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// A snake_case identifier for fields, methods and arguments (`apiUserId` → `api_user_id`).
pub(crate) fn snake(name: &str) -> String {
    sanitize(&name.to_snake_case(), "value")
}

/// An UpperCamelCase identifier for types and variants (`deleteOrgApiKey` → `DeleteOrgApiKey`).
pub(crate) fn pascal(name: &str) -> String {
    sanitize(&name.to_upper_camel_case(), "Value")
}

fn sanitize(candidate: &str, fallback: &str) -> String {
    let cleaned: String = candidate.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    let cleaned = if cleaned.is_empty() { fallback.to_owned() } else { cleaned };
    if cleaned.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("_{cleaned}");
    }
    if NOT_RAW.contains(&cleaned.as_str()) {
        return format!("{cleaned}_");
    }
    cleaned
}

/// An identifier token, raw (`r#type`) when the name is a keyword.
pub(crate) fn ident(name: &str) -> proc_macro2::Ident {
    if KEYWORDS.contains(&name) {
        proc_macro2::Ident::new_raw(name, proc_macro2::Span::call_site())
    } else {
        proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(snake("apiUserId"), "api_user_id");
        assert_eq!(snake("RateLimit-Remaining"), "rate_limit_remaining");
        assert_eq!(pascal("deleteOrgApiKey"), "DeleteOrgApiKey");
        assert_eq!(pascal("ApiHostView_Atlas"), "ApiHostViewAtlas");
    }

    #[test]
    fn awkward_names() {
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("2fa"), "_2fa");
        assert_eq!(snake("$$"), "value");
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("org_id").to_string(), "org_id");
    }
}
