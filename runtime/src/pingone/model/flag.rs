//! The reading of a read-only flag of the user: a boolean, or its text.

/// A read-only flag of the user (`enabled`, `emailVerified`, `mfaEnabled`,
/// `account.canAuthenticate`): a JSON boolean, as PingOne's `User` schema has it, or the text
/// `"true"` or `"false"`, as gateways that re-serialize JSON and Terraform's PingOne provider
/// met scalars written as strings; `null` is none. Read as a boolean only, such a flag failed
/// the whole user (and every page of a list that held it, and every sync line about it),
/// though no patch ever sends these flags. Any other value (`"yes"`, `1`) is still refused:
/// its meaning is a guess.
pub(super) fn flag<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<bool>, D::Error> {
    struct Flag;
    impl<'de> serde::de::Visitor<'de> for Flag {
        type Value = Option<bool>;

        fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.write_str("a boolean, or the text \"true\" or \"false\"")
        }

        fn visit_bool<E: serde::de::Error>(self, flag: bool) -> Result<Self::Value, E> {
            Ok(Some(flag))
        }

        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E> {
            match text {
                "true" => Ok(Some(true)),
                "false" => Ok(Some(false)),
                _ => Err(E::invalid_value(serde::de::Unexpected::Str(text), &self)),
            }
        }

        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D2: serde::Deserializer<'de>>(
            self,
            deserializer: D2,
        ) -> Result<Self::Value, D2::Error> {
            deserializer.deserialize_any(self)
        }
    }
    deserializer.deserialize_option(Flag)
}
