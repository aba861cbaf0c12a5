//! PingOne's rules for the values of a user, as one table ([`RULES`]) that the client checks
//! a patch against before sending it (pre-flight, in `preflight/`) and the emulator checks
//! every PATCH against ([`check_patch`]).
//!
//! Source: the `User` schema of the PingOne OpenAPI description and the "Update User (PATCH)"
//! page (<https://apidocs.pingidentity.com/pingone/platform/v1/api/#patch-update-user>); the
//! 16 KB profile limit from "Custom attributes".

use std::borrow::Cow;

use serde_json::{Map, Value, json};

use super::ErrorDetail;

mod formats;

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
/// (the sync job's message); the emulator ignores such a member as PingOne does.
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

/// Checks `patch` (a JSON merge patch of a user) against [`RULES`]: one detail per attribute
/// at fault, each with its `target`. Attributes without a rule (custom ones, and ones
/// PingOne would ignore) pass.
///
/// `current` is the user the patch applies to, when known (the emulator knows it, the client
/// does not): a `photo` object without `href` is refused only when the user has no photo
/// `href` to keep.
#[cfg(any(feature = "emulator", test))]
pub(crate) fn check_patch(
    patch: &Map<String, Value>,
    current: Option<&Map<String, Value>>,
) -> Vec<ErrorDetail> {
    let mut out = Vec::new();
    for (key, value) in patch {
        if OBJECTS.contains(&key.as_str()) {
            match value {
                Value::Null => {}
                Value::Object(members) => {
                    for (member, member_value) in members {
                        if let Some(rule) = member_rule(key, member) {
                            check(&mut out, rule, member_value.into());
                        }
                    }
                    let keeps_href = current
                        .and_then(|user| user.get("photo"))
                        .and_then(|photo| photo.get("href"))
                        .is_some();
                    if key == "photo"
                        && !members.contains_key("href")
                        && current.is_some()
                        && !keeps_href
                    {
                        out.push(required("photo.href"));
                    }
                }
                _ => out.push(detail(
                    "INVALID_VALUE",
                    key,
                    format!("{key} must be an object."),
                )),
            }
        } else if let Some(rule) = rule(key) {
            check(&mut out, rule, value.into());
        }
    }
    out
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

/// Checks the size of a whole profile (or of a patch, which cannot be larger than the
/// profile it makes): a detail when its JSON is longer than [`MAX_PROFILE_BYTES`].
pub(crate) fn check_size(json_bytes: usize) -> Option<ErrorDetail> {
    (json_bytes > MAX_PROFILE_BYTES).then(|| {
        ErrorDetail::new(
            "SIZE_LIMIT_EXCEEDED",
            None,
            format!("The user profile is {json_bytes} bytes, more than {MAX_PROFILE_BYTES} bytes."),
        )
        .with_inner_error(inner(json!({ "maximumValue": MAX_PROFILE_BYTES })))
    })
}

/// A value as a rule sees it: `null`, a string (borrowed from the JSON where it can be), or
/// anything else.
pub(crate) enum Seen<'a> {
    Null,
    Text(Cow<'a, str>),
    Other,
}

#[cfg(any(feature = "emulator", test))]
impl<'a> From<&'a Value> for Seen<'a> {
    fn from(value: &'a Value) -> Self {
        match value {
            Value::Null => Seen::Null,
            Value::String(text) => Seen::Text(Cow::Borrowed(text)),
            _ => Seen::Other,
        }
    }
}

/// Checks one value against its rule; the target is the rule's path.
pub(crate) fn check(out: &mut Vec<ErrorDetail>, rule: &Rule, value: Seen<'_>) {
    let target = rule.path;
    let text = match value {
        Seen::Null if rule.required => {
            out.push(required(target));
            return;
        }
        Seen::Null => return,
        Seen::Text(text) => text,
        Seen::Other => {
            out.push(detail(
                "INVALID_VALUE",
                target,
                format!("{target} must be a string."),
            ));
            return;
        }
    };
    match rule.check {
        Check::Text {
            min,
            max,
            pattern,
            lines,
            ascii_refused,
            format,
        } => {
            let found = out.len();
            check_length(out, target, &text, min, max);
            if let Some(c) = (ascii_refused != 0)
                .then(|| {
                    text.bytes()
                        .find(|&byte| byte < 0x80 && ascii_refused >> byte & 1 == 1)
                })
                .flatten()
            {
                out.push(
                    detail(
                        "INVALID_VALUE",
                        target,
                        format!(
                            "{target} must match {pattern}: it holds {:?}.",
                            char::from(c)
                        ),
                    )
                    .with_inner_error(inner(json!({ "allowedPattern": pattern }))),
                );
            } else if holds_refused_character(&text, lines) {
                out.push(
                    detail(
                        "INVALID_VALUE",
                        target,
                        format!(
                            "{target} must not hold a control or invisible format character{} \
                             (it must match {pattern}).",
                            if lines {
                                " other than a line break"
                            } else {
                                " (such as a tab, a line break or a zero-width space)"
                            }
                        ),
                    )
                    .with_inner_error(inner(json!({ "allowedPattern": pattern }))),
                );
            }
            if let Some(format) = format
                && out.len() == found
            {
                check_format(out, target, &text, format);
            }
        }
        Check::Length { min, max } => check_length(out, target, &text, min, max),
        Check::Format(format) => check_format(out, target, &text, format),
        Check::Pattern { pattern, test } => {
            if !test(&text) {
                out.push(
                    detail(
                        "INVALID_VALUE",
                        target,
                        format!("{target} must match {pattern}."),
                    )
                    .with_inner_error(inner(json!({ "allowedPattern": pattern }))),
                );
            }
        }
    }
}

/// Adds an `INVALID_VALUE` detail that says what `text` must be when `format` refuses it.
fn check_format(out: &mut Vec<ErrorDetail>, target: &str, text: &str, format: Format) {
    if !(format.test)(text) {
        out.push(detail(
            "INVALID_VALUE",
            target,
            format!("{target} must be {}.", format.what),
        ));
    }
}

/// Whether `text` holds a character that [`Check::Text`] refuses: one [`outside_text`] (but
/// `\n` and `\r` where `lines`).
///
/// Pre-flight runs it on every text attribute of every patch: printable ASCII (most text) is
/// settled by one pass over the bytes without an early exit, which the compiler vectorizes;
/// characters are decoded only for other text. A unit test compares it with the definition,
/// written with `char`s.
fn holds_refused_character(text: &str, lines: bool) -> bool {
    if text.bytes().fold(true, |printable, byte| {
        printable & (b' '..0x7f).contains(&byte)
    }) {
        return false;
    }
    text.chars()
        .any(|c| outside_text(c) && !(lines && matches!(c, '\n' | '\r')))
}

/// Whether `c` is outside every class of the schema's text patterns (letters, marks, numbers,
/// punctuation, symbols, space separators): a control character (`\p{Cc}`), a line or
/// paragraph separator (`\p{Zl}`, `\p{Zp}`), an invisible format character (`\p{Cf}`:
/// zero-width space and joiner, bidi marks and overrides, byte order mark, soft hyphen, tags,
/// as of Unicode 15.1) or a private-use one (`\p{Co}`). Unassigned code points are not
/// known here. ASCII is settled by one comparison.
pub(crate) fn outside_text(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    c.is_control()
        || matches!(
            c,
            '\u{2028}'
                | '\u{2029}'
                | '\u{ad}'
                | '\u{600}'..='\u{605}'
                | '\u{61c}'
                | '\u{6dd}'
                | '\u{70f}'
                | '\u{890}'..='\u{891}'
                | '\u{8e2}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206f}'
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
                | '\u{110bd}'
                | '\u{110cd}'
                | '\u{13430}'..='\u{1343f}'
                | '\u{1bca0}'..='\u{1bca3}'
                | '\u{1d173}'..='\u{1d17a}'
                | '\u{e0001}'
                | '\u{e0020}'..='\u{e007f}'
                | '\u{e000}'..='\u{f8ff}'
                | '\u{f0000}'..='\u{ffffd}'
                | '\u{100000}'..='\u{10fffd}'
        )
}

/// Adds an `INVALID_VALUE` detail when `text` is not `min` to `max` characters long.
fn check_length(out: &mut Vec<ErrorDetail>, target: &str, text: &str, min: usize, max: usize) {
    // A string of n bytes has n / 4 (rounded up) to n characters: counted only when those
    // bounds do not settle it.
    let bytes = text.len();
    let surely_valid = bytes <= max && bytes.div_ceil(4) >= min;
    if !surely_valid && !(min..=max).contains(&text.chars().count()) {
        out.push(
            detail(
                "INVALID_VALUE",
                target,
                format!("{target} must be between {min} and {max} characters long."),
            )
            .with_inner_error(inner(
                json!({ "rangeMinimumValue": min, "rangeMaximumValue": max }),
            )),
        );
    }
}

fn required(target: &str) -> ErrorDetail {
    detail(
        "REQUIRED_VALUE",
        target,
        format!("{target} is required and cannot be null."),
    )
}

pub(crate) fn detail(code: &str, target: &str, message: String) -> ErrorDetail {
    ErrorDetail::new(code, Some(target), message)
}

/// An `innerError` object from a `json!` object.
fn inner(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 3986 §3.2.2 and §3.2.3: an authority is `host [ ":" port ]`, a port is digits,
    /// and an IP literal ends at its `]`. Text after the `]` that is not a port
    /// (`https://[::1]x/a.png`), and a port that is not digits, passed as URLs with a host.
    #[test]
    fn a_url_s_host_is_followed_by_a_port_of_digits_or_nothing() {
        for text in [
            "https://[::1]x/a.png",
            "https://[::1]]/a.png",
            "https://[::1][::2]/a.png",
            "https://[::1]:44x/a.png",
            "https://user@[::1]evil.example/a.png",
            "https://example.com:44x/a.png",
            "https://example.com:https/a.png",
            "https://example.com::443/a.png",
        ] {
            assert!(!is_http_url(text), "{text}");
        }
        for text in [
            "https://[::1]/a.png",
            "https://[::1]",
            "https://[::1]:/a.png",
            "https://[2001:db8::7]:8443/a.png",
            "https://user:pw@[::1]:443",
            "https://example.com:/a.png",
            "https://example.com:443?a",
            "http://localhost:8080/a.png",
        ] {
            assert!(is_http_url(text), "{text}");
        }
    }

    /// The masks of the refused ASCII characters are the patterns' sets.
    #[test]
    fn the_refused_ascii_masks_are_the_patterns_sets() {
        let refused = |mask: u128| -> String {
            (0u8..128)
                .filter(|&byte| mask >> byte & 1 == 1)
                .map(char::from)
                .collect()
        };
        assert_eq!(refused(NAME_REFUSED), "!\"#$%&()*+,/:;<=>?@[\\]^_`{|}~");
        assert_eq!(refused(STREET_REFUSED), "$+<=>^`|~");
    }

    #[test]
    fn every_rule_has_a_distinct_path_and_objects_hold_their_members() {
        for (index, rule) in RULES.iter().enumerate() {
            assert!(
                RULES[index + 1..]
                    .iter()
                    .all(|other| other.path != rule.path),
                "{} twice",
                rule.path
            );
            if let Some((object, _)) = rule.path.split_once('.') {
                assert!(OBJECTS.contains(&object), "{}", rule.path);
            }
        }
    }

    /// `rule` and `member_rule` find what a search of `RULES` by path finds, for every path
    /// and for keys that have no rule.
    #[test]
    fn the_lookups_find_what_a_search_of_the_table_finds() {
        let by_search = |path: &str| RULES.iter().find(|rule| rule.path == path);
        let mut keys: Vec<String> = RULES.iter().map(|rule| rule.path.to_owned()).collect();
        for rule in RULES {
            if let Some((object, member)) = rule.path.split_once('.') {
                keys.extend([
                    member.to_owned(),
                    format!("{object}.{member}x"),
                    object.to_owned(),
                ]);
            }
            keys.extend([
                rule.path.to_uppercase(),
                format!("{}s", rule.path),
                rule.path[1..].to_owned(),
                // Another case of one letter (`Locale`, `userName`-like): PingOne's names are
                // case-sensitive, so no rule.
                format!("{}{}", rule.path[..1].to_uppercase(), &rule.path[1..]),
            ]);
        }
        keys.extend(["", ".", "custom", "name.", ".given"].map(str::to_owned));
        for key in &keys {
            let found = rule(key).map(|rule| rule.path);
            let expected = by_search(key).filter(|rule| !rule.path.contains('.'));
            assert_eq!(found, expected.map(|rule| rule.path), "{key}");
            let expected = OBJECTS.iter().find(|object| **object == key.as_str());
            assert_eq!(object(key), expected.copied(), "{key}");
            for object in OBJECTS.iter().chain(&["custom", "nam"]) {
                let found = member_rule(object, key).map(|rule| rule.path);
                let expected = by_search(&format!("{object}.{key}")).map(|rule| rule.path);
                assert_eq!(found, expected, "{object}.{key}");
            }
        }
        let found = RULES
            .iter()
            .filter(|each| match each.path.split_once('.') {
                Some((object, member)) => member_rule(object, member).is_some(),
                None => rule(each.path).is_some(),
            })
            .count();
        assert_eq!(found, RULES.len());
    }

    /// The length check counts characters only when the byte length does not settle it.
    #[test]
    fn lengths_are_counted_in_characters() {
        let rule = length("x", 2, 5);
        for (text, valid) in [
            ("a", false),
            ("ab", true),
            ("abcde", true),
            ("abcdef", false),
            ("é", false),
            ("éé", true),
            ("ééééé", true),
            ("éééééé", false),
            ("\u{1f600}", false),
            ("\u{1f600}\u{1f600}", true),
            (
                "\u{1f600}\u{1f600}\u{1f600}\u{1f600}\u{1f600}\u{1f600}",
                false,
            ),
            ("aé", true),
        ] {
            let mut out = Vec::new();
            check(&mut out, &rule, Seen::Text(Cow::Borrowed(text)));
            assert_eq!(out.is_empty(), valid, "{text}");
        }
    }

    /// RFC 2822's `addr-spec` as `is_email` reads it (see there), written with `char`s and
    /// every `@` tried as the separator: the definition that the byte-wise one must match.
    fn is_email_by_definition(text: &str) -> bool {
        let atext = |c: char| {
            !c.is_ascii() || c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c)
        };
        let printable = |c: char| !c.is_ascii() || c.is_ascii_graphic();
        let dot_atom = |s: &str| {
            !s.is_empty()
                && s.split('.')
                    .all(|run| !run.is_empty() && run.chars().all(atext))
        };
        let quoted = |s: &str| {
            let Some(inner) = s
                .strip_prefix('"')
                .and_then(|rest| rest.strip_suffix('"'))
                .filter(|_| s.len() >= 2)
            else {
                return false;
            };
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                let fine = match c {
                    '\\' => chars.next().is_some_and(printable),
                    '"' => false,
                    c => printable(c),
                };
                if !fine {
                    return false;
                }
            }
            true
        };
        let literal = |s: &str| {
            s.len() >= 2
                && s.starts_with('[')
                && s.ends_with(']')
                && s[1..s.len() - 1]
                    .chars()
                    .all(|c| printable(c) && !"[]\\".contains(c))
        };
        text.len() <= 320
            && !text.chars().any(|c| c.is_whitespace() || c.is_control())
            && text.match_indices('@').any(|(at, _)| {
                let (local, domain) = (&text[..at], &text[at + 1..]);
                (dot_atom(local) || quoted(local))
                    && (literal(domain) || (dot_atom(domain) && domain.contains('.')))
            })
    }

    /// The fast path of `holds_refused_character` (printable ASCII read as bytes) against the
    /// definition with `char`s: every string of up to 3 characters over printable ASCII at
    /// its edges, every C0 and C1 control, DEL, the separators, a format character and
    /// multi-byte letters.
    #[test]
    fn holds_refused_character_matches_its_definition() {
        let definition = |text: &str, lines: bool| {
            text.chars()
                .any(|c| outside_text(c) && !(lines && matches!(c, '\n' | '\r')))
        };
        let mut alphabet: Vec<char> = [' ', '~', 'a', '\u{7f}', '\u{a0}', 'é', '\u{2028}']
            .into_iter()
            .chain('\0'..' ')
            .chain('\u{80}'..='\u{9f}')
            .chain(['\u{2029}', '\u{1b}', '\u{200b}', '😀'])
            .collect();
        alphabet.dedup();
        let mut refused = 0;
        for a in &alphabet {
            for b in &alphabet {
                for c in ["", " ", "x", "\u{7f}"] {
                    let text = format!("{a}{b}{c}");
                    for lines in [false, true] {
                        let expected = definition(&text, lines);
                        assert_eq!(holds_refused_character(&text, lines), expected, "{text:?}");
                        refused += usize::from(expected);
                    }
                }
            }
        }
        // Both answers occur often, so that the comparison can fail either way.
        assert!(refused > 10_000, "{refused}");
        assert!(!holds_refused_character("Senior Engineer", false));
        assert!(holds_refused_character("Boss\u{7f}", false));
        assert!(!holds_refused_character("1 Main St\r\nFlat 2", true));
    }

    #[test]
    fn is_email_matches_its_definition() {
        // Every string of up to 4 characters over an alphabet with the separators, the
        // quote, the escape and the brackets, a special, ASCII and non-ASCII whitespace and
        // controls, and multi-byte letters.
        let alphabet = [
            'a',
            '@',
            '.',
            '"',
            '\\',
            '[',
            ']',
            '<',
            ' ',
            '\t',
            '\u{7f}',
            '\u{85}',
            '\u{a0}',
            '\u{2003}',
            'é',
            '\u{1f600}',
            '!',
        ];
        let mut texts = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..4 {
            last = last
                .iter()
                .flat_map(|text| alphabet.iter().map(move |c| format!("{text}{c}")))
                .collect();
            texts.extend(last.iter().cloned());
        }
        // The same with a last label, so that many are valid.
        let labelled: Vec<String> = texts.iter().map(|text| format!("{text}.c")).collect();
        texts.extend(labelled);
        let valid = "david.spanner@example.com";
        for length in [318, 319, 320, 321, 322] {
            let local = "x".repeat(length - "@example.com".len());
            texts.push(format!("{local}@example.com"));
            texts.push(format!("{}@example.com", "é".repeat(length / 2 - 6)));
        }
        texts.extend(
            [
                valid,
                "a@b.c",
                "a@b..c",
                "@b.c",
                "a@.c",
                "a@b.",
                "a@b@c.d",
                "a b@c.d",
                "añ@ex.com",
                "a@ex.com\u{a0}",
                "a@ex.com\u{0}",
                "\u{85}a@ex.com",
                "\"a\"@b.c",
                "\"a@b\"@c.d",
                "\"a\\\"b\"@c.d",
                "\"a\"b@c.d",
                "a@[1.2.3.4]",
                "a@[1.2\\3]",
                ".a@b.c",
                "a.@b.c",
                "a..b@c.d",
                "a<b>@c.d",
                // A space in ASCII text, where only the quoted string or the domain literal
                // could take it (this module refuses whitespace there too).
                "\"a b\"@c.d",
                "\" \"@c.d",
                "a@[1.2 .3]",
            ]
            .map(str::to_owned),
        );
        assert!(texts.len() > 160_000);
        let accepted = texts.iter().filter(|text| is_email(text)).count();
        assert!(accepted > 100, "{accepted}");
        for text in &texts {
            assert_eq!(is_email(text), is_email_by_definition(text), "{text:?}");
        }
        assert!(is_email(valid));
        for text in ["\"a b\"@c.d", "\" \"@c.d", "a@[1.2 .3]", "a@[ ]"] {
            assert!(!is_email(text), "{text}");
        }
    }

    /// RFC 5646's examples (its appendix A) and ill-formed tags; RFC 7231's ranges.
    #[test]
    fn language_tags_and_accept_language_values() {
        for tag in [
            "de",
            "zh-Hant",
            "zh-cmn-Hans-CN",
            "sr-Latn-RS",
            "sl-rozaj-biske",
            "de-CH-1901",
            "hy-Latn-IT-arevela",
            "es-419",
            "en-US-u-islamcal",
            "qaa-Qaaa-QM-x-southern",
            "x-whatever",
            "zh-min-nan",
            "EN-gb-OED",
            "en-a-bbb-x-a-ccc",
            "de-DE-u-co-phonebk",
            // RFC 5646 §2.1: a language of 5 to 8 letters, variants of 5 to 8 characters
            // (`scotland`, `valencia` are registered ones).
            "abcdefgh",
            "abcdefgh-Latn-US",
            "en-scotland",
            "ca-ES-valencia",
            "sl-rozaj-biske-1994",
        ] {
            assert!(is_language_tag(tag), "{tag}");
        }
        // RFC 5646 §2.2.8's irregular grandfathered tags, copied from the RFC (the reader
        // keeps its own list, which this checks), in any case.
        for tag in [
            "en-GB-oed",
            "i-ami",
            "i-bnn",
            "i-default",
            "i-enochian",
            "i-hak",
            "i-klingon",
            "i-lux",
            "i-mingo",
            "i-navajo",
            "i-pwn",
            "i-tao",
            "i-tay",
            "i-tsu",
            "sgn-BE-FR",
            "sgn-BE-NL",
            "sgn-CH-DE",
        ] {
            assert!(is_language_tag(tag), "{tag}");
            assert!(is_language_tag(&tag.to_ascii_uppercase()), "{tag}");
            assert!(!is_language_tag(&format!("{tag}-x")), "{tag}-x");
        }
        for tag in [
            "",
            "de-419-DE",
            "a-DE",
            "ar-a-aaa-b-bbb-a",
            "en-a",
            "x-",
            "en-x",
            "en--US",
            "en-US-",
            "123",
            "en-abcdefghi",
            "en-US-1",
            "i-unknown",
            "en_US",
            "zh-a-b-c",
            "abcdefghi",
            "en-scotlands",
            "i-tai",
        ] {
            assert!(!is_language_tag(tag), "{tag}");
        }
        for value in [
            "da, en-gb;q=0.8, en;q=0.7",
            "*",
            "en;q=0",
            "en;q=1.000",
            "en;q=0.",
            "fr , ,de",
            "en ;Q=0.5",
        ] {
            assert!(is_accept_language(value), "{value}");
        }
        for value in [
            "",
            " , ",
            "en;q=1.001",
            "en;q=2",
            "en;q=.5",
            "en;q=0.1234",
            "en;x=1",
            "1en",
            "en-",
            "en;",
            "en q=0.5",
            "*-US",
            // A weight whose second byte is inside a character: refused, not a panic of
            // the slice at byte 2 (`weight[..2]`).
            "en;q\u{e9}",
            "en;q\u{e9}=1",
            "en;\u{1f600}",
            "en;\u{e9}q=1",
            // RFC 4647 §2.1: subtags of 1 to 8 characters.
            "abcdefghi",
            "en-abcdefghi",
        ] {
            assert!(!is_accept_language(value), "{value}");
        }
    }

    /// One detail per attribute at fault, as `check_patch` says: a text value that holds both
    /// a character its pattern's ASCII set refuses and a control character, or that is too
    /// long and not of its format, is told once.
    #[test]
    fn one_detail_per_attribute_at_fault() {
        let patch = json!({
            "name": {"family": "Jensen,\u{7}"},
            "address": {"streetAddress": "1 Main St | Flat\u{0}2"},
            "locale": "x".repeat(257),
        });
        let details = check_patch(patch.as_object().unwrap(), None);
        let mut targets: Vec<&str> = details
            .iter()
            .filter_map(|detail| detail.target.as_deref())
            .collect();
        targets.sort_unstable();
        assert_eq!(
            targets,
            ["address.streetAddress", "locale", "name.family"],
            "{details:?}"
        );
    }

    #[test]
    fn a_photo_without_href_depends_on_the_current_user() {
        let patch = json!({"photo": {}});
        let patch = patch.as_object().unwrap();
        let without = json!({"username": "u"});
        let with = json!({"photo": {"href": "https://example.com/a.png"}});
        assert!(check_patch(patch, None).is_empty());
        assert!(check_patch(patch, with.as_object()).is_empty());
        let details = check_patch(patch, without.as_object());
        assert_eq!(details[0].target.as_deref(), Some("photo.href"));
        assert_eq!(details[0].code.as_deref(), Some("REQUIRED_VALUE"));
    }
}
