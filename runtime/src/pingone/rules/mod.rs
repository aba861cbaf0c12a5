//! PingOne's rules for the values of a user, as one table ([`RULES`]) that the client checks
//! a patch against before sending it (pre-flight, in `preflight/`) and the emulator checks
//! every PATCH against ([`check_patch`]).
//!
//! Source: the `User` schema of the PingOne OpenAPI description and the "Update User (PATCH)"
//! page (<https://apidocs.pingidentity.com/pingone/platform/v1/api/#patch-update-user>); the
//! 16 KB profile limit from "Custom attributes".
//!
//! The table and the lookups of a rule by attribute are here; `check.rs` checks a value, or a
//! whole patch, against its rule; `formats.rs` holds the formats that a pattern cannot say.

mod check;
mod formats;

#[cfg(any(feature = "client", test))]
pub(crate) use crate::quoted::outside_text;
#[cfg(any(feature = "emulator", test))]
pub(crate) use check::check_patch;
pub(crate) use check::check_size;
#[cfg(feature = "client")]
pub(crate) use check::{Seen, check, detail};
#[cfg(feature = "client")]
pub(crate) use formats::LONGEST_EMAIL_BYTES;
use formats::{
    is_accept_language, is_country_code, is_email, is_http_url, is_language_tag, is_phone,
    is_time_zone,
};

/// The largest user profile PingOne keeps, in bytes of JSON (16 KB).
pub const MAX_PROFILE_BYTES: usize = 16 * 1024;

/// What a value must be.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Check {
    /// A string of `min` to `max` characters (Unicode scalar values).
    Length { min: usize, max: usize },
    /// A string that `test` accepts; `pattern` is the schema's regex of it, which the detail
    /// of a refused value carries as `innerError.allowedPattern`.
    Pattern {
        pattern: &'static str,
        test: fn(&str) -> bool,
    },
    /// A string of a format that has no regex in the schema (an email address, a phone
    /// number, an `http` or `https` URL with a host: [`is_http_url`]): the detail of a refused
    /// value says what it must be in its message and has no `allowedPattern`, which is "a
    /// regex pattern" in the `P1Error` schema.
    Format(Format),
    /// A string of `min` to `max` characters that the schema's `pattern` admits: no control,
    /// format (zero-width, bidi) or private-use character, line or paragraph separator (none
    /// is among the pattern's classes: [`outside_text`]; the other classes are not checked),
    /// `\n` and `\r` allowed where `lines`, and no printable ASCII character whose bit is
    /// set in `ascii_refused` (bit `n` for the byte `n`: the pattern's own set, exact for
    /// ASCII: a symbol in a street address, a comma in a family name; a mask rather than a
    /// function, as it is tested for every byte of the value); and, once those pass, that
    /// `format` accepts it, when it is given.
    Text {
        min: usize,
        max: usize,
        pattern: &'static str,
        lines: bool,
        ascii_refused: u128,
        format: Option<Format>,
    },
}

/// A format that a [`Check::Text`] value must have beyond its characters: `what` says
/// what it must be, `test` tells.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Format {
    what: &'static str,
    test: fn(&str) -> bool,
}

/// One rule: the attribute's dotted path, whether `null` is refused (a required attribute),
/// and what a value must be.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rule {
    pub(crate) path: &'static str,
    pub(crate) required: bool,
    pub(crate) check: Check,
}

const fn length(path: &'static str, min: usize, max: usize) -> Rule {
    Rule {
        path,
        required: false,
        check: Check::Length { min, max },
    }
}

const fn pattern(path: &'static str, pattern: &'static str, test: fn(&str) -> bool) -> Rule {
    Rule {
        path,
        required: false,
        check: Check::Pattern { pattern, test },
    }
}

/// Text of letters, marks, spaces, symbols, numbers and punctuation, the schema's pattern of
/// most text attributes.
const TEXT: &str = r"^[\p{L}\p{M}\p{Zs}\p{S}\p{N}\p{P}]*$";

/// The schema's pattern of `name.family` and `name.formatted`. Checked exactly for ASCII on
/// `name.family` ([`NAME_REFUSED`]); on `name.formatted` only its exclusion of control
/// characters is: the schema's own example of it, "Ms. Barbara J Jensen, III", has a comma.
const NAME: &str = r"^[\p{L}\p{M}\p{N}' .-]*$";

/// The schema's pattern of `address.streetAddress`, which may hold lines.
const STREET: &str = r"^[\p{L}\p{M}\p{N}\p{Zs}\p{P}\n\r]*$";

const fn text(path: &'static str, min: usize, max: usize, pattern: &'static str) -> Rule {
    Rule {
        path,
        required: false,
        check: Check::Text {
            min,
            max,
            pattern,
            lines: false,
            ascii_refused: 0,
            format: None,
        },
    }
}

/// A mask of [`Check::Text`]'s `ascii_refused`: bit `n` set for each byte `n` of `bytes`.
const fn ascii_mask(bytes: &[u8]) -> u128 {
    let mut mask = 0;
    let mut index = 0;
    while index < bytes.len() {
        mask |= 1 << bytes[index];
        index += 1;
    }
    mask
}

/// Bits `from` to `to`, both included.
const fn ascii_range(from: u8, to: u8) -> u128 {
    (u128::MAX >> (127 - to)) & (u128::MAX << from)
}

/// The printable ASCII characters that [`NAME`] refuses: all but letters, digits, `'`, space,
/// `.` and `-`.
const NAME_REFUSED: u128 = ascii_range(b' ', b'~')
    & !(ascii_range(b'0', b'9')
        | ascii_range(b'A', b'Z')
        | ascii_range(b'a', b'z')
        | ascii_mask(b"' .-"));

/// The printable ASCII characters that [`STREET`] refuses: the symbols (`\p{S}`: `$`, `+`,
/// `<`, `=`, `>`, `^`, `` ` ``, `|`, `~`).
const STREET_REFUSED: u128 = ascii_mask(b"$+<=>^`|~");

const PHONE: Format = Format {
    what: "a phone number: at most 32 characters, one digit at least",
    test: is_phone,
};

const fn format(path: &'static str, format: Format) -> Rule {
    Rule {
        path,
        required: false,
        check: Check::Format(format),
    }
}

/// The rules, one per attribute that has one. Attributes of `name`, `address` and `photo`
/// are written `name.given`; those objects themselves must be objects (or `null`).
// A `static`, not a `const`: one table at one address, so that a rule's index is its offset
// in it (the client's pre-flight tells a member written twice by it); a `const` is copied
// where it is used, and `&RULES[i]` was then not within `RULES.as_ptr()`'s table.
pub(crate) static RULES: &[Rule] = &[
    Rule {
        required: true,
        ..text("username", 1, 128, TEXT)
    },
    Rule {
        required: true,
        ..format(
            "email",
            Format {
                what: "an RFC 2822 address",
                test: is_email,
            },
        )
    },
    text("nickname", 1, 256, TEXT),
    text("title", 1, 256, TEXT),
    text("type", 1, 256, TEXT),
    Rule {
        path: "locale",
        required: false,
        check: Check::Text {
            min: 1,
            max: 256,
            pattern: TEXT,
            lines: false,
            ascii_refused: 0,
            format: Some(Format {
                what: "an RFC 5646 language tag, such as en-US",
                test: is_language_tag,
            }),
        },
    },
    length("externalId", 1, 1024),
    format(
        "preferredLanguage",
        Format {
            what: "an Accept-Language value (RFC 7231 §5.3.5), such as en-US, en-gb;q=0.8",
            test: is_accept_language,
        },
    ),
    pattern("timezone", r"^\w+\/\w+$", is_time_zone),
    format("mobilePhone", PHONE),
    format("primaryPhone", PHONE),
    text("name.given", 1, 256, TEXT),
    text("name.middle", 1, 256, TEXT),
    Rule {
        path: "name.family",
        required: false,
        check: Check::Text {
            min: 1,
            max: 256,
            pattern: NAME,
            lines: false,
            ascii_refused: NAME_REFUSED,
            format: None,
        },
    },
    text("name.formatted", 1, 256, NAME),
    length("name.honorificPrefix", 1, 256),
    length("name.honorificSuffix", 1, 256),
    Rule {
        path: "address.streetAddress",
        required: false,
        check: Check::Text {
            min: 1,
            max: 256,
            pattern: STREET,
            lines: true,
            ascii_refused: STREET_REFUSED,
            format: None,
        },
    },
    text("address.locality", 1, 256, TEXT),
    text("address.region", 1, 256, TEXT),
    text("address.postalCode", 1, 40, TEXT),
    pattern("address.countryCode", "[A-Z]{2}", is_country_code),
    Rule {
        required: true,
        ..format(
            "photo.href",
            Format {
                what: "an http or https URL",
                test: is_http_url,
            },
        )
    },
];

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

/// An attribute of the user that a PATCH of the user cannot change, as the reference names it
/// (`../shared/reference/pingone-users-api.md`, "The user document": "read-only", "own
/// endpoints", "moved with its own call", "set on import only"): what to do instead, or `""`
/// where PingOne alone sets it. PingOne ignores such an attribute in a PATCH and answers 200,
/// so a patch that means to change it changes nothing, and says nothing: the client's
/// pre-flight refuses it. `account` and `identityProvider` are not among them, as some of
/// their members may change ("lock/unlock have their own calls", "type read-only"): the
/// emulator ignores `account` whole and `identityProvider` but its `id`, the client lets
/// them through.
#[cfg(feature = "client")]
#[inline]
pub(crate) fn read_only(key: &str) -> Option<&'static str> {
    Some(match key {
        "id" | "environment" | "createdAt" | "updatedAt" | "_links" | "lastSignOn"
        | "memberOfGroupIDs" | "memberOfGroupNames" => "",
        "enabled" => {
            " (it has its own call: PUT /environments/{environmentID}/users/{userID}/enabled)"
        }
        "mfaEnabled" => {
            " (it has its own call: PUT /environments/{environmentID}/users/{userID}/mfaEnabled)"
        }
        "emailVerified" | "lifecycle" => " (PingOne sets it by verification, or on import)",
        // `UpdateUserVerifyStatus`: `management/api_users.go` of
        // `patrickcping/pingone-go-sdk-v2`, and the reference's "own endpoint".
        "verifyStatus" => {
            " (it has its own call: PUT /environments/{environmentID}/users/{userID}/verifyStatus)"
        }
        "population" => {
            " (a user moves with its own call: PUT /environments/{environmentID}/users/{userID}/population)"
        }
        "password" => {
            " (it has its own calls: /environments/{environmentID}/users/{userID}/password)"
        }
        _ => return None,
    })
}

/// What ends the advice for a read-only attribute ([`read_only_detail`]): how a model leaves
/// it out of its patches.
#[cfg(feature = "client")]
pub(crate) const SKIP_NOTE: &str =
    " (a model's field that PATCH cannot change is marked #[patchable(skip)])";

/// The advice that ends the fault of one read-only attribute ([`read_only_detail`]); an
/// error's text that lists several says it once for them all.
#[cfg(feature = "client")]
pub(crate) fn read_only_advice() -> String {
    format!("; leave it out of the patch{SKIP_NOTE}")
}

/// The fault of the read-only attribute `key` in a patch ([`read_only`]'s `how`).
#[cfg(feature = "client")]
#[cold]
#[inline(never)]
pub(crate) fn read_only_detail(key: &str, how: &str) -> super::ErrorDetail {
    detail(
        "INVALID_VALUE",
        key,
        format!(
            "{key} is read-only: a PATCH of the user does not change it, and PingOne ignores \
             it{how}{}",
            read_only_advice()
        ),
    )
}

/// The fault of a top-level attribute of a patch that PingOne ignores, answering 200: one that
/// a PATCH cannot change ([`read_only`]), or a name that no attribute of a user has and no
/// custom attribute can have ([`is_custom_attribute_name`]: `cost_center`, `a.b`, `1x`), which
/// matches nothing in the schema (the reference's "The operation"). A model of your own whose
/// fields are not renamed to PingOne's spelling (`mobile_phone` for `mobilePhone`) sent such
/// names, and "succeeded".
#[cfg(feature = "client")]
#[inline]
pub(crate) fn ignored_attribute(key: &str) -> Option<super::ErrorDetail> {
    if let Some(how) = read_only(key) {
        return Some(read_only_detail(key, how));
    }
    // HAL's reserved `_embedded` (beside `_links`, read-only) is PingOne's own: a user read
    // with it (`User::custom` keeps what the model does not know) and written back whole
    // (`to_patch`) sends it, and PingOne ignores it as it answered it. Other names that start
    // with `_` (`_id`, `__v`: a document store's) are no attribute's.
    if !is_custom_attribute_name(key) && key != "_embedded" {
        return Some(unnamable_detail(key));
    }
    // `userName`, `Email`: a core attribute's name in another case, which PingOne's
    // case-sensitive schema does not match (the sync job refuses it too).
    core_spelling(key).map(|core| other_case_detail(key, core))
}

/// The fault of the attribute `key`, a core attribute's name `core` in another case
/// ([`ignored_attribute`]).
#[cfg(feature = "client")]
#[cold]
#[inline(never)]
fn other_case_detail(key: &str, core: &str) -> super::ErrorDetail {
    detail(
        "INVALID_VALUE",
        key,
        format!(
            "{key} is no attribute of a PingOne user: PingOne's names are case-sensitive, and \
             this one is {core}; PingOne ignores {key} and answers 200, changing nothing. Write \
             {core} (a custom attribute declared with this name is sent with pre-flight off)"
        ),
    )
}

/// The advice that ends the fault of an attribute that no user can have ([`unnamable_detail`]);
/// an error's text that lists several such faults says it once.
#[cfg(feature = "client")]
pub(crate) const UNNAMABLE_ADVICE: &str = "; rename it or leave it out of the patch";

/// The fault of the attribute `key`, a name that no attribute of a user has and no custom
/// attribute can have ([`ignored_attribute`]); with PingOne's spelling where `key` is a core
/// attribute's written in snake case or with hyphens (`mobile_phone`, `external-id`).
#[cfg(feature = "client")]
#[cold]
#[inline(never)]
fn unnamable_detail(key: &str) -> super::ErrorDetail {
    let bare: String = key.chars().filter(|c| !matches!(c, '_' | '-')).collect();
    let spelling = SCHEMA
        .iter()
        .chain(READ_ONLY)
        .find(|core| core.eq_ignore_ascii_case(&bare))
        .map_or_else(String::new, |core| {
            format!(
                " (PingOne's name is {core}: #[serde(rename_all = \"camelCase\")] on a model writes its fields so)"
            )
        });
    detail(
        "INVALID_VALUE",
        key,
        format!(
            "{key} is no attribute of a PingOne user, and no custom attribute can be so named (a \
             letter, then letters, digits and hyphens, at most 256 characters): PingOne ignores \
             it and answers 200, changing nothing{spelling}{UNNAMABLE_ADVICE}",
            key = crate::quoted::cut(key, 64),
        ),
    )
}

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

#[cfg(test)]
mod tests;
