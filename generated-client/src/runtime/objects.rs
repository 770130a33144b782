//! Objects (generated structs) in JSON, without a serde derive per struct: generated code calls
//! [`impl_object!`] once per struct, listing each property's field, wire name and presence. A serde derive
//! expands to a field enum with its own visitor, a `visit_seq`, duplicate checks and per-field fallbacks for
//! every struct, which was most of what checking a large client cost.
//!
//! What goes on the wire is what the derive sent: required and nullable properties always (a `None`
//! nullable as `null`), optional ones only when set, in the struct's order. Reading differs from the derive
//! in two ways: a property repeated in one object keeps its last value (the derive failed), and only an
//! object is read as a struct (the derive also took an array, by position). As before, unknown properties
//! are skipped and a missing required property is serde's usual "missing field" error.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, Visitor};

/// A struct read from an object's entries; [`impl_object!`] implements it, and the struct's `Deserialize`
/// calls [`deserialize_object`].
#[doc(hidden)]
pub trait ReadObject: Sized {
    /// The struct's name, for the error when the value is not an object.
    const NAME: &'static str;
    /// Reads the struct from the object's entries.
    fn read<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Decodes a [`ReadObject`] struct from a JSON object.
#[doc(hidden)]
pub fn deserialize_object<'de, T: ReadObject, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: ReadObject> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "a JSON object (`{}`)", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read(map)
    }
}

/// An object's key, borrowed from the input when it can be (no allocation for a key without escapes).
#[doc(hidden)]
#[derive(Debug)]
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The key's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a property name")
    }

    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(key)))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key.to_owned())))
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key)))
    }
}

/// How a property of each presence is written and what its read value becomes. The read value is
/// `Some(what next_value decoded)` once the key was seen, `None` before.
#[doc(hidden)]
pub mod presence {
    /// A property the type requires and does not make nullable: always sent; missing is an error.
    pub mod required {
        use serde::{Serialize, de, ser::SerializeMap};

        /// Writes the property.
        pub fn put<M: SerializeMap, T: Serialize + ?Sized>(
            map: &mut M,
            key: &'static str,
            value: &T,
        ) -> Result<(), M::Error> {
            map.serialize_entry(key, value)
        }

        /// The value read, or serde's "missing field" error.
        pub fn take<T, E: de::Error>(value: Option<T>, key: &'static str) -> Result<T, E> {
            value.ok_or_else(|| E::missing_field(key))
        }
    }

    /// A property the type requires but makes nullable (an `Option`): always sent, `None` as `null`;
    /// missing or `null` reads as `None`.
    pub mod nullable {
        pub use super::optional::take;
        pub use super::required::put;
    }

    /// An optional property (an `Option`): sent only when set; missing or `null` reads as `None`.
    pub mod optional {
        use serde::{Serialize, de, ser::SerializeMap};

        /// Writes the property when it is set.
        pub fn put<M: SerializeMap, T: Serialize>(
            map: &mut M,
            key: &'static str,
            value: &Option<T>,
        ) -> Result<(), M::Error> {
            match value {
                Some(value) => map.serialize_entry(key, value),
                None => Ok(()),
            }
        }

        /// The value read, `None` when the key was missing or `null`.
        pub fn take<T, E: de::Error>(value: Option<Option<T>>, _key: &'static str) -> Result<Option<T>, E> {
            Ok(value.flatten())
        }
    }
}

/// Implements a generated struct's `Serialize`, [`ReadObject`] and `Deserialize`: generated code declares the
/// struct and calls this once, with each field, its wire name and its presence (`required`, `nullable`,
/// `optional`), in the struct's order.
///
/// Locals the expansion makes (`map`, `key`, `serializer`) cannot clash with a field's name: the locals
/// a macro makes are its own.
#[allow(unused_macros, reason = "used by generated code, which may not need it")]
macro_rules! impl_object {
    ($name:ident, { $($field:ident: $wire:literal $presence:ident,)* }) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                #[allow(unused_mut, reason = "a struct without properties writes none")]
                let mut map = serializer.serialize_map(None)?;
                $($crate::runtime::presence::$presence::put(&mut map, $wire, &self.$field)?;)*
                map.end()
            }
        }

        impl $crate::runtime::ReadObject for $name {
            const NAME: &'static str = ::core::stringify!($name);
            fn read<'de, A: ::serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                $(let mut $field = None;)*
                while let Some(key) = map.next_key::<$crate::runtime::Key<'de>>()? {
                    match key.as_str() {
                        $($wire => $field = Some(map.next_value()?),)*
                        _ => {
                            let _: ::serde::de::IgnoredAny = map.next_value()?;
                        }
                    }
                }
                Ok(Self { $($field: $crate::runtime::presence::$presence::take($field, $wire)?,)* })
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::runtime::deserialize_object(deserializer)
            }
        }
    };
}
#[allow(unused_imports, reason = "used by generated code, which may not need it")]
pub(crate) use impl_object;

#[cfg(test)]
#[allow(unreachable_pub, reason = "the macro makes public items, as generated code needs")]
mod tests {
    /// A struct declared the way generated code declares one, with fields named like the expansion's
    /// own locals.
    #[derive(Debug, PartialEq)]
    struct Key {
        id: String,
        map: Option<String>,
        key: Option<u32>,
    }
    impl_object!(Key, { id: "id" required, map: "map" nullable, key: "theKey" optional, });

    #[test]
    fn known_keys_decode_and_unknown_ones_are_skipped() {
        let key: Key = serde_json::from_str(r#"{"extra":{"a":[1]},"id":"k","map":null,"id":"last"}"#).unwrap();
        assert_eq!(key, Key { id: "last".into(), map: None, key: None });
        let escaped: Key = serde_json::from_str(r#"{"i\u0064":"k","theKey":3}"#).unwrap();
        assert_eq!(escaped, Key { id: "k".into(), map: None, key: Some(3) });
        let from_value: Key = serde_json::from_value(serde_json::json!({"id": "v", "map": "m"})).unwrap();
        assert_eq!(from_value, Key { id: "v".into(), map: Some("m".into()), key: None });
    }

    #[test]
    fn a_missing_required_property_or_a_non_object_is_an_error() {
        let missing = serde_json::from_str::<Key>(r#"{"map":"n"}"#).unwrap_err();
        assert!(missing.to_string().contains("missing field `id`"), "{missing}");
        let array = serde_json::from_str::<Key>(r#"["k"]"#).unwrap_err();
        assert!(array.to_string().contains("a JSON object (`Key`)"), "{array}");
    }

    #[test]
    fn nullable_properties_are_sent_as_null_and_optional_ones_left_out() {
        let key = Key { id: "k".into(), map: None, key: None };
        assert_eq!(serde_json::to_string(&key).unwrap(), r#"{"id":"k","map":null}"#);
        let key = Key { id: "k".into(), map: Some("m".into()), key: Some(1) };
        assert_eq!(serde_json::to_string(&key).unwrap(), r#"{"id":"k","map":"m","theKey":1}"#);
    }
}
