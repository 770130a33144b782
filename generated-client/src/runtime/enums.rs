//! Open string enums: the values the spec lists, plus a catch-all that keeps any other value exactly as the
//! service sent it, so a value added to the service later decodes and encodes back unchanged.

/// Implements an open enum's conversions and serde; generated code declares the enum (its listed variants
/// and a catch-all `Other(String)`-like variant) and calls this once.
///
/// Values are matched exactly, without case folding: a value the spec lists in upper case that the service
/// sends in lower case is kept in the catch-all, so nothing is rewritten on the way through.
#[allow(unused_macros, reason = "used by generated code, which may not need it")]
macro_rules! impl_open_enum {
    ($name:ident, $other:ident, { $($variant:ident => $wire:literal,)* }) => {
        impl $name {
            /// The value as the service spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::$other(value) => value.as_str(),
                }
            }
        }

        impl $name {
            /// The listed variant spelled `value`, if any: the one match of the listed values, so each enum
            /// is checked once.
            fn listed(value: &str) -> Option<Self> {
                match value {
                    $($wire => Some(Self::$variant),)*
                    _ => None,
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::listed(value).unwrap_or_else(|| Self::$other(value.to_owned()))
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self::listed(&value).unwrap_or(Self::$other(value))
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::from)
            }
        }
    };
}
#[allow(unused_imports, reason = "used by generated code, which may not need it")]
pub(crate) use impl_open_enum;

#[cfg(test)]
#[allow(unreachable_pub, reason = "the macro makes public items, as generated code needs")]
mod tests {
    /// An enum declared the way generated code declares one.
    #[derive(Debug, Clone, PartialEq, Eq)]
    enum Tier {
        Ondemand,
        Other(String),
    }
    impl_open_enum!(Tier, Other, { Ondemand => "ONDEMAND", });

    #[test]
    fn unlisted_values_round_trip_unchanged() {
        let known: Tier = serde_json::from_str("\"ONDEMAND\"").unwrap();
        assert_eq!(known, Tier::Ondemand);
        let lower: Tier = serde_json::from_str("\"ondemand\"").unwrap();
        assert_eq!(lower, Tier::Other("ondemand".into()));
        assert_eq!(serde_json::to_string(&lower).unwrap(), "\"ondemand\"");
        assert_eq!(lower.to_string(), "ondemand");
        assert_eq!("ONDEMAND".parse::<Tier>().unwrap(), Tier::Ondemand);
    }

    #[test]
    fn a_non_string_is_still_an_error() {
        assert!(serde_json::from_str::<Tier>("3").is_err());
    }
}
