//! The one place spec names become Rust identifiers: case, keywords, names no identifier can hold, and
//! clashes (a [`Namer`] per scope gives every clash a deterministic suffix, so a legal spec never fails on
//! naming).

use std::collections::{HashMap, HashSet};

use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct", "trait",
    "true", "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "gen", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Names of symbols, for values made only of them (`<` → `Lt`).
const SYMBOLS: &[(char, &str)] = &[
    ('<', "Lt"),
    ('>', "Gt"),
    ('=', "Eq"),
    ('!', "Not"),
    ('+', "Plus"),
    ('-', "Minus"),
    ('*', "Star"),
    ('/', "Slash"),
    ('%', "Percent"),
    ('&', "And"),
    ('|', "Or"),
    ('^', "Caret"),
    ('~', "Tilde"),
    ('.', "Dot"),
    (',', "Comma"),
    (':', "Colon"),
    ('@', "At"),
    ('#', "Hash"),
    ('$', "Dollar"),
    ('?', "Question"),
];

/// Names of the standard prelude that generated code and the runtime's macros write unqualified
/// (`Option<T>`, `Result`, `String`, `impl From<&str>`, ...): a type or builder the spec would name so gets a
/// suffix instead, or it would shadow them in its module.
const PRELUDE_NAMES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "ToString",
    "ToOwned",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "Extend",
    "AsRef",
    "AsMut",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Debug",
    "Hash",
];

/// A snake_case identifier for fields, methods and arguments (`apiUserId` → `api_user_id`).
pub(crate) fn snake(name: &str) -> String {
    sanitize(&name.to_snake_case(), "value")
}

/// An UpperCamelCase identifier for types and variants (`deleteOrgApiKey` → `DeleteOrgApiKey`).
pub(crate) fn pascal(name: &str) -> String {
    sanitize(&name.to_upper_camel_case(), "Value")
}

/// A kebab-case cargo feature name (`Programmatic API Keys` → `programmatic-api-keys`).
pub(crate) fn kebab(name: &str) -> String {
    let cleaned: String =
        name.to_kebab_case().chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect::<String>();
    if cleaned.is_empty() { "untagged".to_owned() } else { cleaned }
}

/// A variant name for an enum value: its UpperCamelCase, or the names of its symbols when it has no letters
/// or digits (`<=` → `LtEq`), or `Empty` for the empty string.
pub(crate) fn variant(value: &str) -> String {
    if value.is_empty() {
        return "Empty".to_owned();
    }
    let camel = value.to_upper_camel_case();
    if camel.chars().any(|c| c.is_ascii_alphanumeric()) {
        return sanitize(&camel, "Value");
    }
    let spelled: String =
        value.chars().filter_map(|c| SYMBOLS.iter().find(|(symbol, _)| *symbol == c).map(|(_, name)| *name)).collect();
    if spelled.is_empty() { "Value".to_owned() } else { spelled }
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

/// The names taken in one scope. Asking for a taken name gives it a numeric suffix (`Name2`, `name_2`), so
/// the same requests in the same order always give the same names.
#[derive(Debug, Default, Clone)]
pub(crate) struct Namer {
    taken: HashSet<String>,
    /// Per base that has clashed, the suffix its last clash got: every smaller one is taken (names are never
    /// given back), so the next clash starts looking there. Without it the n-th clash of one base tries
    /// n - 1 suffixes, and n clashing names cost n² (thousands of properties that all become `a`).
    next_suffix: HashMap<String, usize>,
}

impl Namer {
    /// A scope of the items of generated modules (types, builders, ids), where the prelude's names are
    /// taken.
    pub(crate) fn for_items() -> Namer {
        Namer::with_reserved(PRELUDE_NAMES)
    }

    /// A scope in which `reserved` are already taken.
    pub(crate) fn with_reserved(reserved: &[&str]) -> Namer {
        Namer { taken: reserved.iter().map(|name| (*name).to_owned()).collect(), next_suffix: HashMap::new() }
    }

    /// Takes every name of `names` (a recorded name stays its item's, so no new item may claim it).
    pub(crate) fn reserve<S: AsRef<str>>(&mut self, names: impl IntoIterator<Item = S>) {
        self.taken.extend(names.into_iter().map(|name| name.as_ref().to_owned()));
    }

    /// Whether `name` is taken.
    pub(crate) fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Takes `base`, or the first free `base` + number (`Name2` for UpperCamelCase, `name_2` for
    /// snake_case).
    pub(crate) fn claim(&mut self, base: &str) -> String {
        if self.taken.insert(base.to_owned()) {
            return base.to_owned();
        }
        let separator = if base.starts_with(|c: char| c.is_ascii_uppercase()) { "" } else { "_" };
        let first = self.next_suffix.get(base).copied().unwrap_or(2);
        let (n, name) = (first..)
            .map(|n| (n, format!("{base}{separator}{n}")))
            .find(|(_, candidate)| self.taken.insert(candidate.clone()))
            .unwrap_or_else(|| (first, base.to_owned()));
        self.next_suffix.insert(base.to_owned(), n + 1);
        name
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
        assert_eq!(kebab("Programmatic API Keys"), "programmatic-api-keys");
    }

    #[test]
    fn awkward_names() {
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("2fa"), "_2fa");
        assert_eq!(snake("$$"), "value");
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("org_id").to_string(), "org_id");
    }

    #[test]
    fn symbol_values_get_distinct_names() {
        assert_eq!(variant("<"), "Lt");
        assert_eq!(variant(">"), "Gt");
        assert_eq!(variant("<="), "LtEq");
        assert_eq!(variant(""), "Empty");
        assert_eq!(variant("us-east-1"), "UsEast1");
    }

    #[test]
    fn clashes_get_deterministic_suffixes() {
        let mut namer = Namer::with_reserved(&["send"]);
        assert_eq!(namer.claim("send"), "send_2");
        assert_eq!(namer.claim("FooBar"), "FooBar");
        assert_eq!(namer.claim("FooBar"), "FooBar2");
        assert_eq!(namer.claim("FooBar"), "FooBar3");
        // A suffixed name claimed directly is skipped by later clashes, as before.
        assert_eq!(namer.claim("Baz3"), "Baz3");
        assert_eq!(namer.claim("Baz"), "Baz");
        assert_eq!(namer.claim("Baz"), "Baz2");
        assert_eq!(namer.claim("Baz"), "Baz4");
    }

    #[test]
    fn many_clashes_of_one_name_cost_linear_time() {
        // 200,000 clashes of one base took minutes when each tried every suffix before its own.
        let mut namer = Namer::default();
        let started = std::time::Instant::now();
        let names: Vec<String> = (0..200_000).map(|_| namer.claim("a")).collect();
        assert_eq!(names[0], "a");
        assert_eq!(names[1], "a_2");
        assert_eq!(names[199_999], "a_200000");
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
    }
}
