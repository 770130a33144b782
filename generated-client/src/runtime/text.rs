//! A successful answer whose documented body is a plain JSON string, sent as the bare text instead.
//!
//! The live service answers some such operations (Atlas's `createGroupDatabaseUserCert`: a `201` whose body
//! is a PEM certificate and private key) with the text itself under a `+json` content type, which no JSON
//! reader takes. [`TextDeserializer`] offers the body as one string and nothing else: a type that asks for
//! a string (`String`, `Secret`, an open enum, an id) takes it; a type that asks for anything else (a
//! struct, a list, any JSON value) is refused, so only a documented plain string is read this way, and
//! truncated or foreign JSON for anything else stays an error.

use serde::de::{self, Deserializer, Unexpected, Visitor};

/// A deserializer that holds one string and answers only requests for a string.
pub(crate) struct TextDeserializer<'a>(pub(crate) &'a str);

impl<'de> Deserializer<'de> for TextDeserializer<'de> {
    type Error = de::value::Error;

    /// Anything that does not ask for a string (`serde_json::Value` asks for anything) is refused.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::invalid_type(Unexpected::Other("bare text"), &visitor))
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_borrowed_str(self.0)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_borrowed_str(self.0)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// `T` read from `text` when `T` is a string (see the module docs); `None` when it is not one.
pub(crate) fn from_text<'a, T: serde::Deserialize<'a>>(text: &'a str) -> Option<T> {
    T::deserialize(TextDeserializer(text)).ok()
}

/// Whether `T` is read from a bare string (probed with the empty one).
pub(crate) fn takes_text<T: serde::de::DeserializeOwned>() -> bool {
    from_text::<T>("").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Object {
        #[allow(dead_code, reason = "only decoded")]
        a: String,
    }

    #[test]
    fn only_types_that_ask_for_a_string_take_bare_text() {
        assert_eq!(from_text::<String>("-----BEGIN").as_deref(), Some("-----BEGIN"));
        assert_eq!(from_text::<Option<String>>("x"), Some(Some("x".to_owned())));
        let secret = from_text::<crate::runtime::Secret>("p4ss").expect("a secret is a string");
        assert_eq!(secret.expose(), "p4ss");
        assert!(from_text::<serde_json::Value>("{\"a\":").is_none(), "any JSON value is not a plain string");
        assert!(from_text::<Object>("a").is_none());
        assert!(from_text::<Vec<String>>("a").is_none());
        assert!(from_text::<i64>("12").is_none(), "a number schema is not a string");
        assert!(takes_text::<String>() && !takes_text::<Object>());
    }
}
