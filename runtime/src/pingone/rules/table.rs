//! [`RULES`]: the table of PingOne's rules, one per attribute, and the patterns and masks its
//! rules are built from.

use super::formats::{
    is_accept_language, is_country_code, is_email, is_http_url, is_language_tag, is_phone,
    is_time_zone,
};
use super::{Check, Format, Rule};

pub(super) const fn length(path: &'static str, min: usize, max: usize) -> Rule {
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
pub(super) const NAME_REFUSED: u128 = ascii_range(b' ', b'~')
    & !(ascii_range(b'0', b'9')
        | ascii_range(b'A', b'Z')
        | ascii_range(b'a', b'z')
        | ascii_mask(b"' .-"));

/// The printable ASCII characters that [`STREET`] refuses: the symbols (`\p{S}`: `$`, `+`,
/// `<`, `=`, `>`, `^`, `` ` ``, `|`, `~`).
pub(super) const STREET_REFUSED: u128 = ascii_mask(b"$+<=>^`|~");

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
