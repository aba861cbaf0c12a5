//! How [`User`], [`Name`], [`Address`] and [`Photo`] are read: as serde's derive reads them
//! (each is the same fields with the same attributes, `#[serde(remote)]`, which fails to
//! compile if a field is missing), except that their flattened map of the members the model
//! does not know (`custom`, `other`) refuses a member given twice ([`unique_members`]), as
//! serde's derive refuses a field given twice. Written here rather than as
//! `#[serde(deserialize_with)]` on the models: `#[derive(Patchable)]` would carry the function
//! over to the patch, whose map is another type.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::{
    Account, Address, IdentityProvider, LastSignOn, Lifecycle, Link, Name, Photo, ResourceRef, User,
};

/// Reads a flattened map of members, refusing a member given twice with serde's own words for
/// a field given twice (``duplicate field `costCenter` ``): `{"costCenter": "1", "costCenter":
/// "2"}` in an answered user kept the last value silently (serde's `BTreeMap` does), where
/// `username` given twice is an error; RFC 8259 §4 leaves open which member a reader keeps,
/// so the user's value is not known. As cheap as serde's map: one search per member.
pub(super) fn unique_members<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, serde_json::Value>, D::Error> {
    struct Members;
    impl<'de> Visitor<'de> for Members {
        type Value = BTreeMap<String, serde_json::Value>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a map")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut members = BTreeMap::new();
            while let Some(key) = map.next_key::<String>()? {
                match members.entry(key) {
                    std::collections::btree_map::Entry::Occupied(entry) => {
                        return Err(de::Error::custom(format_args!(
                            "duplicate field `{}`",
                            entry.key()
                        )));
                    }
                    std::collections::btree_map::Entry::Vacant(entry) => {
                        entry.insert(map.next_value()?);
                    }
                }
            }
            Ok(members)
        }
    }
    deserializer.deserialize_map(Members)
}

#[derive(Deserialize)]
#[serde(remote = "User")]
#[serde(rename_all = "camelCase")]
struct UserRead {
    #[serde(rename = "_links", default, deserialize_with = "super::single_links")]
    links: BTreeMap<String, Link>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    environment: Option<ResourceRef>,
    #[serde(default)]
    account: Option<Account>,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    updated_at: Option<String>,
    #[serde(default)]
    enabled: Option<bool>,
    #[serde(default)]
    email_verified: Option<bool>,
    #[serde(default)]
    mfa_enabled: Option<bool>,
    #[serde(default)]
    identity_provider: Option<IdentityProvider>,
    #[serde(default)]
    lifecycle: Option<Lifecycle>,
    #[serde(default)]
    last_sign_on: Option<LastSignOn>,
    #[serde(default)]
    population: Option<ResourceRef>,
    #[serde(default)]
    verify_status: Option<String>,
    #[serde(rename = "memberOfGroupIDs", default)]
    member_of_group_ids: Option<Vec<String>>,
    #[serde(default)]
    member_of_group_names: Option<Vec<String>>,
    username: String,
    email: String,
    #[serde(default)]
    name: Option<Name>,
    #[serde(default)]
    address: Option<Address>,
    #[serde(default)]
    photo: Option<Photo>,
    #[serde(default)]
    nickname: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    r#type: Option<String>,
    #[serde(default)]
    external_id: Option<String>,
    #[serde(default)]
    locale: Option<String>,
    #[serde(default)]
    preferred_language: Option<String>,
    #[serde(default)]
    timezone: Option<String>,
    #[serde(default)]
    mobile_phone: Option<String>,
    #[serde(default)]
    primary_phone: Option<String>,
    #[serde(flatten, deserialize_with = "unique_members")]
    custom: BTreeMap<String, serde_json::Value>,
}

impl<'de> Deserialize<'de> for User {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        UserRead::deserialize(deserializer)
    }
}

#[derive(Deserialize)]
#[serde(remote = "Name")]
#[serde(rename_all = "camelCase")]
struct NameRead {
    #[serde(default)]
    given: Option<String>,
    #[serde(default)]
    middle: Option<String>,
    #[serde(default)]
    family: Option<String>,
    #[serde(default)]
    formatted: Option<String>,
    #[serde(default)]
    honorific_prefix: Option<String>,
    #[serde(default)]
    honorific_suffix: Option<String>,
    #[serde(flatten, deserialize_with = "unique_members")]
    other: BTreeMap<String, serde_json::Value>,
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        NameRead::deserialize(deserializer)
    }
}

#[derive(Deserialize)]
#[serde(remote = "Address")]
#[serde(rename_all = "camelCase")]
struct AddressRead {
    #[serde(default)]
    street_address: Option<String>,
    #[serde(default)]
    locality: Option<String>,
    #[serde(default)]
    region: Option<String>,
    #[serde(default)]
    postal_code: Option<String>,
    #[serde(default)]
    country_code: Option<String>,
    #[serde(flatten, deserialize_with = "unique_members")]
    other: BTreeMap<String, serde_json::Value>,
}

impl<'de> Deserialize<'de> for Address {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        AddressRead::deserialize(deserializer)
    }
}

#[derive(Deserialize)]
#[serde(remote = "Photo")]
struct PhotoRead {
    href: String,
    #[serde(flatten, deserialize_with = "unique_members")]
    other: BTreeMap<String, serde_json::Value>,
}

impl<'de> Deserialize<'de> for Photo {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        PhotoRead::deserialize(deserializer)
    }
}
