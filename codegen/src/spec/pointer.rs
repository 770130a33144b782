//! JSON pointers (RFC 6901): the one implementation of escaping, joining and local `$ref` parsing.

/// Escapes one pointer token: `~` becomes `~0`, `/` becomes `~1`.
pub fn escape(token: &str) -> String {
    if token.contains(['~', '/']) { token.replace('~', "~0").replace('/', "~1") } else { token.to_owned() }
}

/// Appends `/` and the escaped `token` to `pointer`, without allocating when the token needs no escape.
pub fn push_child(pointer: &mut String, token: &str) {
    pointer.push('/');
    if token.contains(['~', '/']) {
        pointer.push_str(&escape(token));
    } else {
        pointer.push_str(token);
    }
}

/// Undoes [`escape`].
pub fn unescape(token: &str) -> String {
    if token.contains('~') { token.replace("~1", "/").replace("~0", "~") } else { token.to_owned() }
}

/// `parent` extended by one (unescaped) token.
pub fn child(parent: &str, token: &str) -> String {
    let mut pointer = String::with_capacity(parent.len() + token.len() + 1);
    pointer.push_str(parent);
    push_child(&mut pointer, token);
    pointer
}

/// A pointer from unescaped tokens.
pub fn from_tokens(tokens: &[&str]) -> String {
    tokens.iter().fold(String::new(), |pointer, token| child(&pointer, token))
}

/// The pointer a local `$ref` (`#/components/schemas/Pet`) names, or `None` for a reference into another
/// document (`other.yaml#/...`, `https://...`).
pub fn local_ref(reference: &str) -> Option<&str> {
    let pointer = reference.strip_prefix('#')?;
    (pointer.is_empty() || pointer.starts_with('/')).then_some(pointer)
}

/// The last token of a pointer, unescaped (`/components/schemas/A~1B` gives `A/B`).
pub fn last_token(pointer: &str) -> String {
    unescape(pointer.rsplit('/').next().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_round_trips() {
        assert_eq!(escape("/a~b"), "~1a~0b");
        assert_eq!(unescape("~1a~0b"), "/a~b");
        assert_eq!(from_tokens(&["paths", "/orgs/{orgId}", "get"]), "/paths/~1orgs~1{orgId}/get");
        assert_eq!(last_token("/components/schemas/A~1B"), "A/B");
    }

    #[test]
    fn only_local_refs_have_a_pointer() {
        assert_eq!(local_ref("#/components/schemas/Pet"), Some("/components/schemas/Pet"));
        assert_eq!(local_ref("#"), Some(""));
        assert_eq!(local_ref("other.yaml#/a"), None);
        assert_eq!(local_ref("#a"), None);
    }
}
