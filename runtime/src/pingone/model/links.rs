//! `_links`: the HAL links of a user, each relation read as one [`Link`] or left out.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The relations of a HAL `_links` object whose value is one link object with an `href`; the
/// others (an array of links, which HAL allows, or a value that is no link) are skipped, so
/// that a relation of a shape the model does not hold never fails the whole document.
/// `"_links": null` (as a serializer that writes an empty map as `null` sends it) is no links:
/// it failed the whole user, and with it every page of a list that held the user, though the
/// users API notes say of `_links` "never fail on an unknown key".
pub(super) fn single_links<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, Link>, D::Error> {
    struct Links;
    impl<'de> serde::de::Visitor<'de> for Links {
        type Value = BTreeMap<String, Link>;

        fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.write_str("a HAL `_links` object")
        }

        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(BTreeMap::new())
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(BTreeMap::new())
        }

        fn visit_some<D2: serde::Deserializer<'de>>(
            self,
            deserializer: D2,
        ) -> Result<Self::Value, D2::Error> {
            deserializer.deserialize_map(self)
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut links = BTreeMap::new();
            while let Some(relation) = map.next_key::<String>()? {
                if let MaybeLink(Some(link)) = map.next_value()? {
                    links.insert(relation, link);
                }
            }
            Ok(links)
        }
    }
    deserializer.deserialize_option(Links)
}

/// A member name of a HAL link: `href` is told without a copy of the name.
enum LinkKey {
    Href,
    Other(String),
}

impl<'de> Deserialize<'de> for LinkKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Name;
        impl serde::de::Visitor<'_> for Name {
            type Value = LinkKey;

            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a member name")
            }

            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<LinkKey, E> {
                Ok(match name {
                    "href" => LinkKey::Href,
                    _ => LinkKey::Other(name.to_owned()),
                })
            }

            fn visit_string<E: serde::de::Error>(self, name: String) -> Result<LinkKey, E> {
                Ok(match name.as_str() {
                    "href" => LinkKey::Href,
                    _ => LinkKey::Other(name),
                })
            }
        }
        deserializer.deserialize_str(Name)
    }
}

/// One relation's value in `_links`: a link object with one `href` that is a string, read as
/// it comes (a user is read on every call, so not through a `serde_json::Value` first), or
/// `None` for any other value, which is read through and dropped.
struct MaybeLink(Option<Link>);

impl<'de> Deserialize<'de> for MaybeLink {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OneLink;
        impl<'de> serde::de::Visitor<'de> for OneLink {
            type Value = MaybeLink;

            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a HAL link")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<MaybeLink, A::Error> {
                let (mut href, mut other, mut valid) = (None, BTreeMap::new(), true);
                while let Some(key) = map.next_key::<LinkKey>()? {
                    match key {
                        LinkKey::Href => match map.next_value()? {
                            serde_json::Value::String(text) if href.is_none() => href = Some(text),
                            _ => valid = false,
                        },
                        LinkKey::Other(key) => {
                            other.insert(key, map.next_value()?);
                        }
                    }
                }
                Ok(MaybeLink(
                    href.filter(|_| valid).map(|href| Link { href, other }),
                ))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<MaybeLink, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(MaybeLink(None))
            }

            fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<MaybeLink, E> {
                Ok(MaybeLink(None))
            }

            fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<MaybeLink, E> {
                Ok(MaybeLink(None))
            }

            fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<MaybeLink, E> {
                Ok(MaybeLink(None))
            }

            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<MaybeLink, E> {
                Ok(MaybeLink(None))
            }

            fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<MaybeLink, E> {
                Ok(MaybeLink(None))
            }

            fn visit_unit<E: serde::de::Error>(self) -> Result<MaybeLink, E> {
                Ok(MaybeLink(None))
            }

            fn visit_none<E: serde::de::Error>(self) -> Result<MaybeLink, E> {
                Ok(MaybeLink(None))
            }
        }
        deserializer.deserialize_any(OneLink)
    }
}

/// A HAL link of `_links`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// The link's URL.
    pub href: String,
    /// Anything else the link holds.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}
