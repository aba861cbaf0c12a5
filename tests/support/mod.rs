//! Models shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sparse_patch::Patchable;

/// A nested object whose every attribute is nullable.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Name {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
}

/// A nested object with a required attribute.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Photo {
    pub href: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alt: Option<String>,
}

/// A required nested object.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub can_authenticate: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// A model with every kind of field: required, nullable, nested (required and nullable),
/// renamed, raw-identifier, map and untyped JSON. Option fields skip `None`, so that the model's JSON
/// matches what RFC 7396 produces.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub username: String,
    pub email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    #[serde(rename = "mobilePhone", skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    pub age: u32,
    pub tags: Vec<String>,
    #[patchable(nested)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<Name>,
    #[patchable(nested)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub photo: Option<Photo>,
    #[patchable(nested)]
    pub account: Account,
    pub labels: BTreeMap<String, String>,
    /// Untyped JSON, merged by RFC 7396.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra: Option<serde_json::Value>,
}

impl User {
    /// The user of the PingOne reference response, reduced to this model.
    pub fn dspanner() -> Self {
        User {
            username: "dspanner".into(),
            email: "dspanner@example.com".into(),
            nickname: None,
            phone: None,
            r#type: None,
            age: 40,
            tags: vec![],
            name: Some(Name {
                given: Some("David".into()),
                family_name: Some("Spanner".into()),
            }),
            photo: None,
            account: Account {
                can_authenticate: true,
                status: Some("OK".into()),
            },
            labels: BTreeMap::new(),
            extra: None,
        }
    }
}

/// What reading a patch gave: the patch written back as JSON, or the error's text. Two
/// implementations read alike when their outcomes are equal.
pub fn outcome<P: Serialize>(read: Result<P, serde_json::Error>) -> Result<String, String> {
    read.map(|patch| serde_json::to_string(&patch).unwrap())
        .map_err(|error| error.to_string())
}
