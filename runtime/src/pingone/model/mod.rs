//! [`User`]: the PingOne user document as a patchable model.
//!
//! Here the [`User`] itself; `nested` the attributes with a patch of their own (`name`,
//! `address`, `photo`), `read_only` the read-only parts without one, `links` the reading of
//! `_links`, and `flag` the reading of a read-only flag.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Patchable;

mod flag;
mod links;
mod nested;
mod read_only;

use flag::flag;
pub use links::Link;
use links::single_links;
pub use nested::{Address, AddressPatch, Name, NamePatch, Photo, PhotoPatch};
pub use read_only::{Account, IdentityProvider, LastSignOn, Lifecycle, ResourceRef};

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

#[cfg(test)]
mod tests;
