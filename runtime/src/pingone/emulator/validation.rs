//! What a PATCH may hold: read-only attributes, the schema's writable attributes, custom
//! attribute names, attributes the token may not touch, and the checks of each value.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::pingone::ErrorDetail;

/// Attributes that PATCH cannot change: ignored when sent.
const READ_ONLY: &[&str] = &[
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
const SCHEMA: &[&str] = &[
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
fn is_custom_attribute_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-')
        && name.len() <= 256
}

/// Every dotted path that a patch sets or clears: `name` for `{"name": null}`, `name.given`
/// (only) for `{"name": {"given": "A"}}`, which merges into `name`.
fn touched_paths(patch: &Map<String, Value>) -> Vec<String> {
    let mut out = Vec::new();
    for (key, value) in patch {
        match value {
            Value::Object(inner) => {
                out.extend(
                    touched_paths(inner)
                        .into_iter()
                        .map(|sub| format!("{key}.{sub}")),
                );
            }
            _ => out.push(key.clone()),
        }
    }
    out
}

/// RFC 7396 §2, `MergePatch(Target, Patch)`.
fn detail(code: &str, target: &str, message: String) -> ErrorDetail {
    ErrorDetail::new(code, Some(target), message)
}

/// An `innerError` object from a `json!` object.
fn inner(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn check_length(out: &mut Vec<ErrorDetail>, target: &str, value: &Value, min: usize, max: usize) {
    match value {
        Value::Null => {}
        Value::String(text) => {
            let length = text.chars().count();
            if length < min || length > max {
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
        _ => out.push(detail(
            "INVALID_VALUE",
            target,
            format!("{target} must be a string."),
        )),
    }
}

fn check_pattern(
    out: &mut Vec<ErrorDetail>,
    target: &str,
    value: &Value,
    pattern: &str,
    ok: impl Fn(&str) -> bool,
) {
    match value {
        Value::Null => {}
        Value::String(text) if ok(text) => {}
        _ => {
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

fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && domain.split('.').all(|label| !label.is_empty())
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
        && text.len() <= 320
}

fn is_word(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// The checks of the reference schema, one detail per attribute at fault.
pub(super) fn validate(
    patch: &Map<String, Value>,
    current: &Map<String, Value>,
) -> Vec<ErrorDetail> {
    let mut out = Vec::new();
    for (key, value) in patch {
        let target = key.as_str();
        match target {
            "username" | "email" if value.is_null() => out.push(detail(
                "REQUIRED_VALUE",
                target,
                format!("{target} is required and cannot be null."),
            )),
            "username" => check_length(&mut out, target, value, 1, 128),
            "email" => check_pattern(&mut out, target, value, "RFC 2822 address", is_email),
            "nickname" | "title" | "type" | "locale" => {
                check_length(&mut out, target, value, 1, 256);
            }
            "externalId" => check_length(&mut out, target, value, 1, 1024),
            "preferredLanguage" => check_length(&mut out, target, value, 1, usize::MAX),
            "timezone" => check_pattern(&mut out, target, value, r"^\w+\/\w+$", |t| {
                t.split_once('/')
                    .is_some_and(|(area, city)| is_word(area) && is_word(city))
            }),
            "mobilePhone" | "primaryPhone" => {
                check_pattern(
                    &mut out,
                    target,
                    value,
                    "at most 32 characters, one digit at least",
                    |t| t.chars().count() <= 32 && t.chars().any(|c| c.is_ascii_digit()),
                );
            }
            "name" | "address" => match value {
                Value::Null => {}
                Value::Object(inner) => {
                    for (sub, sub_value) in inner {
                        let path = format!("{target}.{sub}");
                        match (target, sub.as_str()) {
                            ("address", "countryCode") => {
                                check_pattern(&mut out, &path, sub_value, "[A-Z]{2}", |t| {
                                    t.len() == 2 && t.bytes().all(|b| b.is_ascii_uppercase())
                                })
                            }
                            ("address", "postalCode") => {
                                check_length(&mut out, &path, sub_value, 1, 40);
                            }
                            (
                                "name",
                                "given" | "middle" | "family" | "formatted" | "honorificPrefix"
                                | "honorificSuffix",
                            )
                            | ("address", "streetAddress" | "locality" | "region") => {
                                check_length(&mut out, &path, sub_value, 1, 256);
                            }
                            // Not in the schema: kept as sent, as custom attributes are.
                            _ => {}
                        }
                    }
                }
                _ => out.push(detail(
                    "INVALID_VALUE",
                    target,
                    format!("{target} must be an object."),
                )),
            },
            "photo" => match value {
                Value::Null => {}
                Value::Object(inner) => match inner.get("href") {
                    Some(Value::String(href)) => {
                        if !(href.starts_with("https://") || href.starts_with("http://"))
                            || href.contains(char::is_whitespace)
                        {
                            out.push(detail(
                                "INVALID_VALUE",
                                "photo.href",
                                "photo.href must be an http or https URL.".into(),
                            ));
                        }
                    }
                    None if current.get("photo").and_then(|p| p.get("href")).is_some() => {}
                    None | Some(Value::Null) => out.push(detail(
                        "REQUIRED_VALUE",
                        "photo.href",
                        "photo.href is required.".into(),
                    )),
                    Some(_) => out.push(detail(
                        "INVALID_VALUE",
                        "photo.href",
                        "photo.href must be a string.".into(),
                    )),
                },
                _ => out.push(detail(
                    "INVALID_VALUE",
                    target,
                    "photo must be an object.".into(),
                )),
            },
            _ => {}
        }
    }
    out
}

/// One `INSUFFICIENT_PERMISSIONS` detail per attribute of `patch` that `forbidden` names (or
/// that lies inside or around one it names).
pub(super) fn forbidden(
    patch: &Map<String, Value>,
    forbidden: &BTreeSet<String>,
) -> Vec<ErrorDetail> {
    touched_paths(patch)
        .into_iter()
        .filter(|path| {
            forbidden.iter().any(|f| {
                path == f
                    || path.starts_with(&format!("{f}."))
                    || f.starts_with(&format!("{path}."))
            })
        })
        .map(|path| {
            let message = format!("You do not have permission to update the attribute '{path}'.");
            ErrorDetail::new("INSUFFICIENT_PERMISSIONS", Some(&path), message)
        })
        .collect()
}

/// The attributes of `patch` that PATCH may change: the schema's writable ones, and custom
/// attributes with a valid name (among `custom_attributes`, when the environment declared
/// them). Read-only and other attributes are dropped, as PingOne ignores them.
pub(super) fn writable(
    patch: Map<String, Value>,
    custom_attributes: Option<&BTreeSet<String>>,
) -> Map<String, Value> {
    let mut accepted = Map::new();
    for (key, value) in patch {
        if READ_ONLY.contains(&key.as_str()) {
            continue;
        }
        let known = SCHEMA.contains(&key.as_str());
        let custom_ok = is_custom_attribute_name(&key)
            && custom_attributes.is_none_or(|names| names.contains(&key));
        if known || custom_ok {
            accepted.insert(key, value);
        }
    }
    accepted
}
