//! The names of a user's attributes: those of the schema that PATCH changes, the read-only
//! ones, and the checks of a name against them.

#[cfg(feature = "client")]
use super::table::RULES;

/// Attributes that PATCH cannot change: ignored when sent.
pub(crate) const READ_ONLY: &[&str] = &[
    "id",
    "environment",
    "createdAt",
    "updatedAt",
    "_links",
    "enabled",
    "emailVerified",
    "mfaEnabled",
    "account",
    "identityProvider",
    "lifecycle",
    "lastSignOn",
    "population",
    "verifyStatus",
    "memberOfGroupIDs",
    "memberOfGroupNames",
    "password",
];

/// Attributes of the schema that PATCH changes.
pub(crate) const SCHEMA: &[&str] = &[
    "username",
    "email",
    "name",
    "address",
    "photo",
    "nickname",
    "title",
    "type",
    "externalId",
    "locale",
    "preferredLanguage",
    "timezone",
    "mobilePhone",
    "primaryPhone",
];

/// A letter first, then letters, digits and hyphens, at most 256 characters.
pub(crate) fn is_custom_attribute_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-')
        && name.len() <= 256
}

/// Whether `key` is the name of a core attribute (writable or read-only) in another case
/// (`userName`, `Email`): never taken for an undeclared custom attribute, since PingOne's
/// attribute names are case-sensitive and it ignores one its schema lacks.
pub(crate) fn is_core_in_another_case(key: &str) -> bool {
    SCHEMA
        .iter()
        .chain(READ_ONLY)
        .any(|core| core.eq_ignore_ascii_case(key))
}

/// PingOne's spelling of `path` (`username` for `userName`, `name.given` for `name.Given`)
/// when `path` names a core attribute or member in another case, for messages: PingOne's
/// names are case-sensitive, and a feed or a SCIM-minded client often writes `userName`
/// (the sync job's message). The client's alone: the emulator ignores any member its schema
/// lacks, in any case.
#[cfg(feature = "client")]
pub(crate) fn core_spelling(path: &str) -> Option<&'static str> {
    SCHEMA
        .iter()
        .chain(READ_ONLY)
        .copied()
        .chain(RULES.iter().map(|rule| rule.path))
        .find(|core| *core != path && core.eq_ignore_ascii_case(path))
}
