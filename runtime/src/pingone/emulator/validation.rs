//! What a PATCH may hold: read-only attributes, the schema's writable attributes, custom
//! attribute names and attributes the token may not touch. The checks of each value are the
//! client's pre-flight table, [`rules`](crate::pingone::rules).

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::pingone::ErrorDetail;
use crate::pingone::rules::{
    OBJECTS, READ_ONLY, SCHEMA, is_core_in_another_case, is_custom_attribute_name, member_rule,
};

/// Every dotted path that a patch sets or clears: `name` for `{"name": null}`, `name.given`
/// (only) for `{"name": {"given": "A"}}`, which merges into `name`.
pub(super) fn touched_paths(patch: &Map<String, Value>) -> Vec<String> {
    let mut out = Vec::new();
    for (key, value) in patch {
        touched(key.clone(), value, &mut out);
    }
    out
}

/// Adds to `out` the dotted paths that setting `path` to `value` touches: `path` itself, or
/// the paths inside an object, which merges. An empty object touches `path` itself: it turns
/// an attribute that is not an object into `{}`.
pub(super) fn touched(path: String, value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(inner) if !inner.is_empty() => {
            for (key, value) in inner {
                touched(format!("{path}.{key}"), value, out);
            }
        }
        _ => out.push(path),
    }
}

/// One `INSUFFICIENT_PERMISSIONS` detail per path of `touched` that `forbidden` names (or
/// that lies inside or around one it names).
pub(super) fn forbidden(touched: Vec<String>, forbidden: &BTreeSet<String>) -> Vec<ErrorDetail> {
    touched
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
/// them), and `identityProvider.id` ([`identity_provider_id`]). Read-only and other
/// attributes are dropped, as PingOne ignores them. So are the
/// members of `name`, `address` and `photo` that the schema does not have (SCIM's
/// `address.country` or `name.givenName`, or `name.Given`: names are case-sensitive), and
/// such an object left empty by that (but `photo`, kept empty, whose `href` is required:
/// the object sent is then checked as `{}`), whether or not the environment declared its custom
/// attributes: a custom attribute is a top-level attribute of the user, never a member of a
/// core object (`User_name`, `User_address` and `User_photo` in PingOne's OpenAPI
/// description). Before, without a declaration, such a member was kept, stored and answered
/// back, where PingOne loses it. A member that `current` (the user patched) already holds is
/// kept, though: only a seed can have put it there, and a seed that holds it stands for an
/// environment whose schema has it (a member PingOne adds later, which a model keeps in its
/// `other` map). *A choice*: the reference is silent on such members.
///
/// Without a declaration, a name that is a core attribute's in another case (`userName`,
/// SCIM's spelling of `username`; `Email`, `ID`, `Enabled`) is not taken for a custom
/// attribute either, but ignored: PingOne's attribute names are case-sensitive and one that
/// matches nothing in its schema is ignored (the reference's "The operation"). Kept as a
/// custom attribute, it was echoed in the 200 as if applied. *Unverified*: whether PingOne
/// lets an environment declare a custom attribute so named; one declared here is kept.
pub(super) fn writable(
    patch: Map<String, Value>,
    current: &Map<String, Value>,
    custom_attributes: Option<&BTreeSet<String>>,
) -> Map<String, Value> {
    let mut accepted = Map::new();
    for (key, value) in patch {
        if key == "identityProvider" {
            if let Some(id) = identity_provider_id(&value) {
                accepted.insert(key, serde_json::json!({ "id": id }));
            }
            continue;
        }
        if READ_ONLY.contains(&key.as_str()) {
            continue;
        }
        let known = SCHEMA.contains(&key.as_str());
        let custom_ok = is_custom_attribute_name(&key)
            && match custom_attributes {
                Some(names) => names.contains(&key),
                None => !is_core_in_another_case(&key),
            };
        if !(known || custom_ok) {
            continue;
        }
        match value {
            Value::Object(members) if OBJECTS.contains(&key.as_str()) && !members.is_empty() => {
                let known: Map<String, Value> = members
                    .into_iter()
                    .filter(|(member, _)| {
                        member_rule(&key, member).is_some()
                            || current
                                .get(&key)
                                .and_then(Value::as_object)
                                .is_some_and(|held| held.contains_key(member.as_str()))
                    })
                    .collect();
                // `photo` stays, emptied: its `href` is required, and whether the object
                // sent may lack it is for the checks to say (on a user without a photo it
                // may not).
                if !known.is_empty() || key == "photo" {
                    accepted.insert(key, Value::Object(known));
                }
            }
            value => {
                accepted.insert(key, value);
            }
        }
    }
    accepted
}

/// The `id` that a PATCH's `identityProvider` sets: a string, or `null` to clear it (RFC 7396
/// §2). PingOne's schema has `identityProvider.id` mutable ("A mutable string that identifies
/// the external identity provider used to authenticate the user", `User_identityProvider` in
/// its OpenAPI description) and `identityProvider.type` read-only (the reference's "type
/// read-only"): the type, other members, `identityProvider` as a whole (`null`, `{}`, a value
/// that is no object) and an `id` of another type are ignored. *Unverified*: PingOne's
/// answer to an `id` that is no string (ignored here, not refused: the client's pre-flight
/// has no rule for it).
fn identity_provider_id(value: &Value) -> Option<Value> {
    match value.as_object()?.get("id")? {
        id @ (Value::String(_) | Value::Null) => Some(id.clone()),
        _ => None,
    }
}
