//! Unions (`oneOf`/`anyOf`): by a discriminator property, or by shape. Both decode through a JSON value and
//! never fail on an object or value the spec does not foresee: what no variant takes is kept, as sent, in
//! the catch-all variant.

use serde_json::Value;

/// What an object type looks like, so an untagged union can tell which variant an object is.
pub trait ObjectShape {
    /// Every property the spec lists.
    const PROPERTIES: &'static [&'static str];
    /// The properties the spec requires.
    const REQUIRED: &'static [&'static str];
    /// The values the spec lists for enum properties: an object whose value is not among them is likely
    /// another variant.
    const ENUMS: &'static [(&'static str, &'static [&'static str])];
}

impl<T: ObjectShape> ObjectShape for Box<T> {
    const PROPERTIES: &'static [&'static str] = T::PROPERTIES;
    const REQUIRED: &'static [&'static str] = T::REQUIRED;
    const ENUMS: &'static [(&'static str, &'static [&'static str])] = T::ENUMS;
}

/// The JSON kind an untagged variant accepts.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    Object,
    Array,
    String,
    Integer,
    Number,
    Boolean,
    Any,
}

impl JsonKind {
    /// Whether `value` is of this kind.
    pub fn accepts(self, value: &Value) -> bool {
        match self {
            JsonKind::Object => value.is_object(),
            JsonKind::Array => value.is_array(),
            JsonKind::String => value.is_string(),
            JsonKind::Integer => value.is_i64() || value.is_u64(),
            JsonKind::Number => value.is_number(),
            JsonKind::Boolean => value.is_boolean(),
            JsonKind::Any => true,
        }
    }
}

/// How well an object matches an object variant: `None` when a required property is missing, else the
/// number of its keys the variant knows, plus a bonus per enum property whose value the variant lists, and
/// a larger penalty per one whose value it does not (the variant still decodes, keeping the value, when
/// no other fits better).
#[doc(hidden)]
pub fn object_score(value: &Value, properties: &[&str], required: &[&str], enums: &[(&str, &[&str])]) -> Option<usize> {
    let object = value.as_object()?;
    if required.iter().any(|name| !object.contains_key(*name)) {
        return None;
    }
    let known = object.keys().filter(|key| properties.contains(&key.as_str())).count();
    let mut score = known * 4 + 1_000;
    for (property, listed) in enums {
        match object.get(*property).and_then(Value::as_str) {
            Some(found) if listed.contains(&found) => score += 2,
            Some(_) => score = score.saturating_sub(500),
            None => {}
        }
    }
    Some(score)
}

/// Serialises a variant and, when it is an object without the discriminator, adds it, so a request built
/// from a variant always says which variant it is.
#[doc(hidden)]
pub fn with_tag<T: serde::Serialize, E: serde::ser::Error>(value: &T, property: &str, tag: &str) -> Result<Value, E> {
    let mut value = serde_json::to_value(value).map_err(E::custom)?;
    if let Value::Object(object) = &mut value
        && !object.contains_key(property)
    {
        object.insert(property.to_owned(), Value::String(tag.to_owned()));
    }
    Ok(value)
}

/// Implements a discriminated union's serde: the discriminator's value picks the variant; an unlisted value,
/// or an object that does not decode as its variant, is kept in the catch-all.
#[allow(unused_macros, reason = "used by generated code, which may not need it")]
macro_rules! impl_tagged_union {
    ($name:ident, $unknown:ident, $property:literal, { $($variant:ident => [$($tag:literal),+],)* }) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                let tag = value.get($property).and_then(serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    $(Some($($tag)|+) => match serde_json::from_value(value.clone()) {
                        Ok(inner) => Ok(Self::$variant(inner)),
                        Err(_) => Ok(Self::$unknown(value)),
                    },)*
                    _ => Ok(Self::$unknown(value)),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let value = match self {
                    $(Self::$variant(inner) => {
                        let tags: &[&str] = &[$($tag),+];
                        $crate::runtime::with_tag(inner, $property, tags[0])?
                    })*
                    Self::$unknown(value) => value.clone(),
                };
                serde::Serialize::serialize(&value, serializer)
            }
        }
    };
}
#[allow(unused_imports, reason = "used by generated code, which may not need it")]
pub(crate) use impl_tagged_union;

/// Implements an undiscriminated union's serde: among the variants of the value's JSON kind, objects go
/// first to the struct variant whose required properties are present and that knows most of their keys;
/// the first that decodes wins (ties in the spec's order); anything else is kept in the catch-all.
#[allow(unused_macros, reason = "used by generated code, which may not need it")]
macro_rules! impl_untagged_union {
    ($name:ident, $unknown:ident, { $($variant:ident($ty:ty): $kind:ident,)* }) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                // `Self`, never `$name`, in here: a union named like the generic `D` would be taken for it.
                let value = serde_json::Value::deserialize(deserializer)?;
                let mut candidates: Vec<(usize, usize, fn(&serde_json::Value) -> Option<Self>)> = Vec::new();
                $(
                    if let Some(score) = $crate::runtime::impl_untagged_union!(@score $kind, $ty, &value) {
                        let attempt: fn(&serde_json::Value) -> Option<Self> =
                            |value| serde_json::from_value(value.clone()).ok().map(Self::$variant);
                        candidates.push((score, candidates.len(), attempt));
                    }
                )*
                // Best score first; among equals, the spec's order.
                candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                for (_, _, attempt) in candidates {
                    if let Some(decoded) = attempt(&value) {
                        return Ok(decoded);
                    }
                }
                Ok(Self::$unknown(value))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(inner) => serde::Serialize::serialize(inner, serializer),)*
                    Self::$unknown(value) => serde::Serialize::serialize(value, serializer),
                }
            }
        }
    };
    (@score object, $ty:ty, $value:expr) => {
        $crate::runtime::object_score(
            $value,
            <$ty as $crate::runtime::ObjectShape>::PROPERTIES,
            <$ty as $crate::runtime::ObjectShape>::REQUIRED,
            <$ty as $crate::runtime::ObjectShape>::ENUMS,
        )
    };
    (@score map, $ty:ty, $value:expr) => { $crate::runtime::JsonKind::Object.accepts($value).then_some(0) };
    (@score array, $ty:ty, $value:expr) => { $crate::runtime::JsonKind::Array.accepts($value).then_some(0) };
    (@score string, $ty:ty, $value:expr) => { $crate::runtime::JsonKind::String.accepts($value).then_some(0) };
    (@score integer, $ty:ty, $value:expr) => { $crate::runtime::JsonKind::Integer.accepts($value).then_some(0) };
    (@score number, $ty:ty, $value:expr) => { $crate::runtime::JsonKind::Number.accepts($value).then_some(0) };
    (@score boolean, $ty:ty, $value:expr) => { $crate::runtime::JsonKind::Boolean.accepts($value).then_some(0) };
    (@score any, $ty:ty, $value:expr) => { Some(0) };
}
#[allow(unused_imports, reason = "used by generated code, which may not need it")]
pub(crate) use impl_untagged_union;

/// Implements [`ObjectShape`] for a generated struct.
#[allow(unused_macros, reason = "used by generated code, which may not need it")]
macro_rules! impl_object_shape {
    ($name:ident, [$($property:literal),*], [$($required:literal),*], { $($enum:literal => [$($value:literal),*],)* }) => {
        impl $crate::runtime::ObjectShape for $name {
            const PROPERTIES: &'static [&'static str] = &[$($property),*];
            const REQUIRED: &'static [&'static str] = &[$($required),*];
            const ENUMS: &'static [(&'static str, &'static [&'static str])] = &[$(($enum, &[$($value),*])),*];
        }
    };
}
#[allow(unused_imports, reason = "used by generated code, which may not need it")]
pub(crate) use impl_object_shape;

#[cfg(test)]
#[allow(unreachable_pub, reason = "the macros make public items, as generated code needs")]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    struct Aws {
        #[serde(rename = "providerName", default, skip_serializing_if = "Option::is_none")]
        provider_name: Option<String>,
        #[serde(rename = "awsAccountId", default, skip_serializing_if = "Option::is_none")]
        aws_account_id: Option<String>,
    }
    impl_object_shape!(Aws, ["providerName", "awsAccountId"], [], { "providerName" => ["AWS"], });

    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    struct Gcp {
        #[serde(rename = "gcpProjectId", default, skip_serializing_if = "Option::is_none")]
        gcp_project_id: Option<String>,
    }
    impl_object_shape!(Gcp, ["gcpProjectId", "providerName"], ["gcpProjectId"], { "providerName" => ["GCP"], });

    #[derive(Debug, Clone, PartialEq)]
    enum Tagged {
        Aws(Aws),
        Gcp(Box<Gcp>),
        Unknown(serde_json::Value),
    }
    impl_tagged_union!(Tagged, Unknown, "providerName", { Aws => ["AWS"], Gcp => ["GCP", "gcp"], });

    #[derive(Debug, Clone, PartialEq)]
    enum Untagged {
        Aws(Aws),
        Gcp(Gcp),
        String(String),
        Unknown(serde_json::Value),
    }
    impl_untagged_union!(Untagged, Unknown, { Aws(Aws): object, Gcp(Gcp): object, String(String): string, });

    #[test]
    fn tagged_by_mapping_unknown_kept_and_tag_added_on_the_way_out() {
        let aws: Tagged = serde_json::from_str(r#"{"providerName":"AWS","awsAccountId":"1"}"#).unwrap();
        assert!(matches!(&aws, Tagged::Aws(inner) if inner.aws_account_id.as_deref() == Some("1")));
        let gcp: Tagged = serde_json::from_str(r#"{"providerName":"gcp"}"#).unwrap();
        assert!(matches!(gcp, Tagged::Gcp(_)));
        let raw = r#"{"providerName":"TENCENT","x":[1,2]}"#;
        let unknown: Tagged = serde_json::from_str(raw).unwrap();
        assert!(matches!(&unknown, Tagged::Unknown(_)));
        assert_eq!(serde_json::to_string(&unknown).unwrap(), raw);
        let built = Tagged::Aws(Aws { provider_name: None, aws_account_id: Some("2".into()) });
        assert_eq!(serde_json::to_value(&built).unwrap()["providerName"], "AWS");
    }

    #[test]
    fn untagged_picks_the_best_matching_object_and_keeps_the_rest() {
        let gcp: Untagged = serde_json::from_str(r#"{"gcpProjectId":"p"}"#).unwrap();
        assert!(matches!(gcp, Untagged::Gcp(_)), "{gcp:?}");
        let aws: Untagged = serde_json::from_str(r#"{"awsAccountId":"a"}"#).unwrap();
        assert!(matches!(aws, Untagged::Aws(_)), "{aws:?}");
        let text: Untagged = serde_json::from_str(r#""plain""#).unwrap();
        assert_eq!(text, Untagged::String("plain".into()));
        // An enum property's listed value beats more known keys.
        let by_value: Untagged =
            serde_json::from_str(r#"{"providerName":"GCP","awsAccountId":"a","gcpProjectId":"p"}"#).unwrap();
        assert!(matches!(by_value, Untagged::Gcp(_)), "{by_value:?}");
        let number: Untagged = serde_json::from_str("42").unwrap();
        assert_eq!(number, Untagged::Unknown(serde_json::json!(42)));
    }
}
