//! The read-only parts of a user that have no patch: references, `account`,
//! `identityProvider`, `lifecycle`, `lastSignOn`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::flag::flag;

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
