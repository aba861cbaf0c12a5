//! The lookups of a rule by the member's name, a `match` of the literal paths rather than a
//! search of [`RULES`](super::RULES).

use super::Rule;
use super::table::RULES;

/// The objects whose members have rules.
pub(crate) const OBJECTS: &[&str] = &["name", "address", "photo"];

/// The member of the patch named `key` when it is one of [`OBJECTS`] (for the client's
/// pre-flight).
#[cfg_attr(not(feature = "client"), allow(dead_code))]
#[inline]
pub(crate) fn object(key: &str) -> Option<&'static str> {
    // A `match`, as in `rule`; the same unit test checks it.
    match key {
        "name" => Some("name"),
        "address" => Some("address"),
        "photo" => Some("photo"),
        _ => None,
    }
}

/// The rule of a member of the patch, such as `email`.
#[inline]
pub(crate) fn rule(path: &str) -> Option<&'static Rule> {
    // A `match` of the literal paths compiles to a few integer comparisons, where a search of
    // `RULES` compares strings one by one (pre-flight looks up every member of every patch).
    // A unit test checks that it finds exactly what the search of `RULES` finds.
    let index = match path {
        "username" => 0,
        "email" => 1,
        "nickname" => 2,
        "title" => 3,
        "type" => 4,
        "locale" => 5,
        "externalId" => 6,
        "preferredLanguage" => 7,
        "timezone" => 8,
        "mobilePhone" => 9,
        "primaryPhone" => 10,
        _ => return None,
    };
    Some(indexed(index, path))
}

/// `RULES[index]`, whose path is `path` (checked in debug builds, so in the tests).
fn indexed(index: usize, path: &str) -> &'static Rule {
    let rule = &RULES[index];
    debug_assert_eq!(rule.path, path);
    rule
}

/// The rule of member `member` of object `object`, such as `name` and `given`.
#[inline]
pub(crate) fn member_rule(object: &str, member: &str) -> Option<&'static Rule> {
    // A `match`, as in `rule`; the same unit test checks it.
    let (index, path) = match (object, member) {
        ("name", "given") => (11, "name.given"),
        ("name", "middle") => (12, "name.middle"),
        ("name", "family") => (13, "name.family"),
        ("name", "formatted") => (14, "name.formatted"),
        ("name", "honorificPrefix") => (15, "name.honorificPrefix"),
        ("name", "honorificSuffix") => (16, "name.honorificSuffix"),
        ("address", "streetAddress") => (17, "address.streetAddress"),
        ("address", "locality") => (18, "address.locality"),
        ("address", "region") => (19, "address.region"),
        ("address", "postalCode") => (20, "address.postalCode"),
        ("address", "countryCode") => (21, "address.countryCode"),
        ("photo", "href") => (22, "photo.href"),
        _ => return None,
    };
    Some(indexed(index, path))
}
