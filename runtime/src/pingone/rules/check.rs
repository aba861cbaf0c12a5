//! Checks a value, or a whole patch, against its rule in the table
//! ([`RULES`](super::RULES)), with the details that PingOne's 400 `INVALID_DATA` answer
//! carries.

use crate::quoted::outside_text;
use std::borrow::Cow;

use serde_json::{Map, Value, json};

use super::super::ErrorDetail;
use super::{Check, Format, MAX_PROFILE_BYTES, Rule};

/// Checks `patch` (a JSON merge patch of a user) against [`RULES`](super::RULES): one detail
/// per attribute at fault, each with its `target`. Attributes without a rule (custom ones,
/// and ones PingOne would ignore) pass.
///
/// `current` is the user the patch applies to, when known (the emulator knows it, the client
/// does not): a `photo` object without `href` is refused only when the user has no photo
/// `href` to keep.
#[cfg(any(feature = "emulator", test))]
pub(crate) fn check_patch(
    patch: &Map<String, Value>,
    current: Option<&Map<String, Value>>,
) -> Vec<ErrorDetail> {
    use super::{OBJECTS, member_rule, rule};

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
pub(super) fn holds_refused_character(text: &str, lines: bool) -> bool {
    if text.bytes().fold(true, |printable, byte| {
        printable & (b' '..0x7f).contains(&byte)
    }) {
        return false;
    }
    text.chars()
        .any(|c| outside_text(c) && !(lines && matches!(c, '\n' | '\r')))
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
