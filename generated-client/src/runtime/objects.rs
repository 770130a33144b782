//! Objects (generated structs) in JSON, without a serde derive per struct: generated code writes one small
//! `Serialize` and `Deserialize` impl per struct that lean on the pieces here, which keeps the whole-API
//! crate quick to check (a derive expands to several generic visitors per struct).
//!
//! Decoding is as lenient as the derive it replaces, and a little more: unknown properties are skipped, a
//! property repeated in one object keeps its last value, and a missing required property is serde's usual
//! "missing field" error.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};

/// Reads an object key as its position among a struct's wire names (`None` for a key the struct does not
/// know), without allocating it.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct FieldIndex(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FieldIndex {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<usize>, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for FieldIndex {
    type Value = Option<usize>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a property name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|name| *name == key))
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|name| name.as_bytes() == key))
    }
}

/// A required property's value, or serde's "missing field" error when the object did not have it.
#[doc(hidden)]
pub fn required<T, E: de::Error>(value: Option<T>, name: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(name))
}

/// What a struct's decoder says it expected when the value is not an object.
#[doc(hidden)]
pub fn expecting_object(formatter: &mut fmt::Formatter<'_>, name: &str) -> fmt::Result {
    write!(formatter, "a JSON object (`{name}`)")
}

#[cfg(test)]
mod tests {
    use serde::de::{IgnoredAny, MapAccess};

    use super::*;

    /// A struct decoded the way generated code decodes one.
    #[derive(Debug, PartialEq)]
    struct Key {
        id: String,
        note: Option<String>,
    }

    impl<'de> serde::Deserialize<'de> for Key {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct Fields;
            impl<'de> Visitor<'de> for Fields {
                type Value = Key;
                fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                    expecting_object(formatter, "Key")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Key, A::Error> {
                    let (mut id, mut note) = (None, None);
                    while let Some(index) = map.next_key_seed(FieldIndex(&["id", "note"]))? {
                        match index {
                            Some(0) => id = Some(map.next_value()?),
                            Some(1) => note = map.next_value()?,
                            _ => drop(map.next_value::<IgnoredAny>()?),
                        }
                    }
                    Ok(Key { id: required(id, "id")?, note })
                }
            }
            deserializer.deserialize_map(Fields)
        }
    }

    #[test]
    fn known_keys_decode_and_unknown_ones_are_skipped() {
        let key: Key = serde_json::from_str(r#"{"extra":{"a":[1]},"id":"k","note":null,"id":"last"}"#).unwrap();
        assert_eq!(key, Key { id: "last".into(), note: None });
        let escaped: Key = serde_json::from_str(r#"{"i\u0064":"k","note":"n"}"#).unwrap();
        assert_eq!(escaped, Key { id: "k".into(), note: Some("n".into()) });
    }

    #[test]
    fn a_missing_required_property_or_a_non_object_is_an_error() {
        let missing = serde_json::from_str::<Key>(r#"{"note":"n"}"#).unwrap_err();
        assert!(missing.to_string().contains("missing field `id`"), "{missing}");
        let array = serde_json::from_str::<Key>(r#"["k"]"#).unwrap_err();
        assert!(array.to_string().contains("a JSON object (`Key`)"), "{array}");
    }
}
