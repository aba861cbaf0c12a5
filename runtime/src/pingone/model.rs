//! [`User`]: the PingOne user document as a patchable model.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Patchable;

/// A PingOne user, as GET and PATCH return it.
///
/// Built from the `User` schema of the PingOne OpenAPI description (Go SDK v0.14.14) and the
/// "Update User (PATCH)" page (<https://apidocs.pingidentity.com/pingone/platform/v1/api/#patch-update-user>).
///
/// - Read-only attributes (`id`, `environment`, `createdAt`, `updatedAt`, `_links`, `enabled`,
///   `emailVerified`, `mfaEnabled`, `account`, `identityProvider`, `lifecycle`, `lastSignOn`,
///   `population`, `verifyStatus`, `memberOfGroupIDs`, `memberOfGroupNames`) are
///   `#[patchable(skip)]`: [`UserPatch`] cannot send them. Some of them can be changed with
///   their own PingOne calls.
/// - `name`, `address` and `photo` have nested patches.
/// - Inside `name`, `address`, `photo`, `identityProvider` and `lastSignOn`, attributes this
///   model does not know land in their `other` map and are written back as they were: a user
///   read and written back loses nothing at any depth. `account`, `lifecycle`, `environment`,
///   `population` and each link keep theirs in `other` too.
/// - Every other attribute, custom attributes and attributes unknown to this model, lands in
///   [`custom`](User::custom) when read and is written back as it was, so that a user read
///   and written back loses nothing. Its patch entries are tri-state: set, `null`, or absent.
///
/// Enumerations (`verifyStatus`, `account.status`...) are kept as strings, so that a value
/// added by PingOne later still reads.
///
/// ```
/// use sparse_patch::Field;
/// use sparse_patch::pingone::{User, UserPatch, NamePatch};
///
/// let user: User = serde_json::from_str(r#"{
///     "id": "a38890a6-295a-4d58-9f6e-b72b05fba379",
///     "username": "dspanner", "email": "dspanner@example.com",
///     "name": {"given": "David", "family": "Spanner"},
///     "favoriteColor": "green"
/// }"#).unwrap();
/// assert_eq!(user.custom["favoriteColor"], "green");
///
/// let patch = UserPatch::new()
///     .name(NamePatch::new().clear_family())
///     .title("Dr");
/// assert_eq!(
///     serde_json::to_string(&patch).unwrap(),
///     r#"{"name":{"family":null},"title":"Dr"}"#
/// );
/// ```
#[derive(Patchable, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[patchable(crate = "crate", derive(Eq))]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// HAL links, such as `self` and `password.reset` (read-only; an open map). A relation
    /// whose value is not one link object with an `href` (HAL allows an array of links) is
    /// left out rather than failing the whole user; read the user as a `serde_json::Value` to
    /// see it. `"_links": null` reads as no links.
    #[patchable(skip)]
    #[serde(
        rename = "_links",
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "single_links"
    )]
    pub links: BTreeMap<String, Link>,
    /// The user's ID, a UUID (read-only).
    #[patchable(skip)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The user's environment (read-only).
    #[patchable(skip)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<ResourceRef>,
    /// Account state (read-only here: lock and unlock have their own calls).
    #[patchable(skip)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<Account>,
    /// When the user was created, RFC 3339 (read-only).
    #[patchable(skip)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// When the user was last changed, RFC 3339 (read-only; PATCH bumps it).
    #[patchable(skip)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Whether the user is enabled (read-only here: it has its own call).
    /// Read from a JSON boolean, or from the text `"true"` or `"false"`.
    #[patchable(skip)]
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "flag"
    )]
    pub enabled: Option<bool>,
    /// Whether the email address is verified (read-only).
    /// Read from a JSON boolean, or from the text `"true"` or `"false"`.
    #[patchable(skip)]
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "flag"
    )]
    pub email_verified: Option<bool>,
    /// Whether MFA is enabled (not changeable by PATCH: it has its own call).
    /// Read from a JSON boolean, or from the text `"true"` or `"false"`.
    #[patchable(skip)]
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "flag"
    )]
    pub mfa_enabled: Option<bool>,
    /// The identity provider (`type` is read-only; `PING_ONE` by default).
    #[patchable(skip)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_provider: Option<IdentityProvider>,
    /// The account lifecycle (`ACCOUNT_OK`, `VERIFICATION_REQUIRED`; set on import only).
    #[patchable(skip)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<Lifecycle>,
    /// The last sign-on (read-only).
    #[patchable(skip)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sign_on: Option<LastSignOn>,
    /// The user's population (moved with its own call).
    #[patchable(skip)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<ResourceRef>,
    /// `NOT_INITIATED`, `ENABLED` or `DISABLED` (own endpoint).
    #[patchable(skip)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify_status: Option<String>,
    /// IDs of the groups the user belongs to (read-only; only with `include=memberOfGroupIDs`).
    #[patchable(skip)]
    #[serde(
        rename = "memberOfGroupIDs",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub member_of_group_ids: Option<Vec<String>>,
    /// Names of the groups the user belongs to (read-only).
    #[patchable(skip)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_of_group_names: Option<Vec<String>>,

    /// The username: 1 to 128 characters, unique in the environment. Required, never null.
    pub username: String,
    /// The email address (RFC 2822 §3.4). Required, never null.
    pub email: String,
    /// The user's name; each part can be cleared with `null`.
    #[patchable(nested)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Name>,
    /// The postal address.
    #[patchable(nested)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// The photo; `photo: null` removes it.
    #[patchable(nested)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<Photo>,
    /// A nickname, 1 to 256 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    /// A title, 1 to 256 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A user type, 1 to 256 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    /// The provisioning client's ID for the user, 1 to 1024 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// An RFC 5646 language tag, such as `en-US`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// An `Accept-Language` value, such as `en-US, en-gb;q=0.8`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_language: Option<String>,
    /// An IANA time zone, such as `America/Los_Angeles`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// The mobile phone number: at most 32 characters, at least one digit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile_phone: Option<String>,
    /// The primary phone number: at most 32 characters, at least one digit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_phone: Option<String>,
    /// Custom attributes, and any attribute this model does not know, as sent by PingOne.
    #[serde(flatten)]
    pub custom: BTreeMap<String, serde_json::Value>,
}

/// `name`: every part is 1 to 256 characters and can be cleared with `null`.
#[derive(Patchable, Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[patchable(crate = "crate", derive(Eq))]
#[serde(rename_all = "camelCase")]
pub struct Name {
    /// The given (first) name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given: Option<String>,
    /// The middle name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub middle: Option<String>,
    /// The family (last) name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// The full name, formatted for display.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formatted: Option<String>,
    /// A prefix, such as `Dr.`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub honorific_prefix: Option<String>,
    /// A suffix, such as `Jr.`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub honorific_suffix: Option<String>,
    /// Any attribute of `name` this model does not know (one PingOne adds later, say), kept as
    /// sent so that a read and a write-back lose nothing.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

/// `address`: strings of 1 to 256 characters, `postalCode` 1 to 40, `countryCode` two
/// upper-case letters (ISO 3166-1 alpha-2).
#[derive(Patchable, Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[patchable(crate = "crate", derive(Eq))]
#[serde(rename_all = "camelCase")]
pub struct Address {
    /// The street address; may hold newlines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_address: Option<String>,
    /// The city or locality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locality: Option<String>,
    /// The state or region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The postal code, 1 to 40 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// Two upper-case letters, such as `US`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
    /// Any attribute of `address` this model does not know (one PingOne adds later, say), kept
    /// as sent so that a read and a write-back lose nothing.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

/// `photo`: `href` is required inside it.
#[derive(Patchable, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[patchable(crate = "crate", derive(Eq))]
pub struct Photo {
    /// The http(s) URL of the image.
    pub href: String,
    /// Any attribute of `photo` this model does not know (one PingOne adds later, say), kept as
    /// sent so that a read and a write-back lose nothing.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

/// The relations of a HAL `_links` object whose value is one link object with an `href`; the
/// others (an array of links, which HAL allows, or a value that is no link) are skipped, so
/// that a relation of a shape the model does not hold never fails the whole document.
/// `"_links": null` (as a serializer that writes an empty map as `null` sends it) is no links:
/// it failed the whole user, and with it every page of a list that held the user, though the
/// users API notes say of `_links` "never fail on an unknown key".
fn single_links<'de, D: serde::Deserializer<'de>>(
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

/// A read-only flag of the user (`enabled`, `emailVerified`, `mfaEnabled`,
/// `account.canAuthenticate`): a JSON boolean, as PingOne's `User` schema has it, or the text
/// `"true"` or `"false"`, as gateways that re-serialize JSON and Terraform's PingOne provider
/// met scalars written as strings; `null` is none. Read as a boolean only, such a flag failed
/// the whole user (and every page of a list that held it, and every sync line about it),
/// though no patch ever sends these flags. Any other value (`"yes"`, `1`) is still refused:
/// its meaning is a guess.
fn flag<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
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

/// A reference to another resource by ID, such as `environment` or `population`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceRef {
    /// The resource's ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Anything else the reference holds.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

/// `account`: whether the user can sign on and the lock state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    /// Whether the user can authenticate (read from a JSON boolean, or from the text `"true"` or
    /// `"false"`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "flag"
    )]
    pub can_authenticate: Option<bool>,
    /// `OK` or `LOCKED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The other account attributes (`lockedAt`, `secondsUntilUnlock`, `unlockAt`...).
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

/// `identityProvider`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityProvider {
    /// The external identity provider's ID, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `PING_ONE`, `GOOGLE`, `SAML`...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    /// Any attribute of `identityProvider` this model does not know (one PingOne adds later,
    /// say), kept as sent so that a read and a write-back lose nothing.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

/// `lifecycle`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Lifecycle {
    /// `ACCOUNT_OK` or `VERIFICATION_REQUIRED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Anything else the lifecycle holds.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

/// `lastSignOn`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LastSignOn {
    /// When, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// From which IP address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_ip: Option<String>,
    /// Any attribute of `lastSignOn` this model does not know (one PingOne adds later, say),
    /// kept as sent so that a read and a write-back lose nothing.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::User;

    /// Each shape a relation of `_links` can take: a link keeps its other members; a value
    /// that is no link (no `href`, an `href` that is not a string or comes twice, an array,
    /// a scalar, `null`) is left out, and the user is read all the same.
    #[test]
    fn links_keep_every_link_and_leave_out_what_is_no_link() {
        let text = r#"{"id": "a38890a6-295a-4d58-9f6e-b72b05fba378", "username": "ada", "email": "ada@example.com",
            "_links": {
                "self": {"href": "https://x/self", "title": "me", "templated": false},
                "array": [{"href": "https://x/1"}, [1, {"a": null}]],
                "noHref": {"title": "t"},
                "numberHref": {"href": 5},
                "twice": {"href": "https://x/a", "href": "https://x/b"},
                "text": "https://x/t", "number": 1.5, "negative": -1, "flag": true, "nothing": null,
                "last": {"href": "https://x/last"}
            }}"#;
        let user: User = serde_json::from_str(text).expect("the user reads");
        assert_eq!(user.links.keys().collect::<Vec<_>>(), ["last", "self"]);
        assert_eq!(user.links["self"].href, "https://x/self");
        assert_eq!(
            serde_json::to_value(&user.links["self"]).unwrap(),
            json!({"href": "https://x/self", "title": "me", "templated": false})
        );
    }
}
