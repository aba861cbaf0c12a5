//! The user's attributes that have a patch of their own: [`Name`], [`Address`], [`Photo`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Patchable;

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
