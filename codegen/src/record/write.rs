//! The record as text: a comment saying what the file is and how to change it, then YAML in a fixed order
//! (maps sorted by key, members in declaration order), so equal records are equal bytes.

use super::Record;

const HEADER: &str = "\
# The names and API versions of the generated client, by what identifies each item on the wire.
# Written by `cargo xtask regenerate` and read by the next regeneration: a name once given stays, even when
# upstream renames an operationId or a schema; an item the spec no longer has is kept, deprecated, until
# `cargo xtask regenerate --prune`; each operation sends its `version` until `cargo xtask regenerate --adopt`
# moves it. A change here is a change of the client's public API: review it as one.
# Types: `types::X`, `ids::X`, `String`, `i32`, `i64`, `f64`, `bool`, `Json`, `Secret`, `Bytes`, `Vec<T>`,
# `Map<T>` (string keys), `Box<T>`; fields: `T` required, `Option<T>` optional, `Nullable<T>` required or null.
";

pub(super) fn to_text(record: &Record) -> String {
    // Serialising plain maps, strings and numbers cannot fail.
    let body = serde_yaml::to_string(record).unwrap_or_default();
    format!("{HEADER}{body}")
}

#[cfg(test)]
mod tests {
    use super::super::*;

    #[test]
    fn text_round_trips() {
        let mut record = Record { format: FORMAT, ..Record::default() };
        record.types.insert(
            "schemas/A".to_owned(),
            TypeRecord {
                name: "A".to_owned(),
                values: Some([("-weird: value".to_owned(), "WeirdValue".to_owned())].into_iter().collect()),
                other: Some("Other".to_owned()),
                ..TypeRecord::default()
            },
        );
        let text = record.to_text();
        assert!(text.starts_with("# The names"));
        assert_eq!(parse(&text, "r.yaml").unwrap(), record);
    }
}
