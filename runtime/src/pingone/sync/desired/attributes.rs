//! The attributes a line manages: each one known and writable, no required one `null`
//! ([`check_attributes`]), and read as a typed patch ([`desired_user`]).

use std::collections::BTreeSet;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::names::MODEL_CUSTOM_MAP;
use super::{DesiredUser, LineError, MatchKey, QUOTED_CHARS};
use crate::pingone::UserPatch;
use crate::pingone::rules::{
    OBJECTS, READ_ONLY, SCHEMA, is_core_in_another_case, is_custom_attribute_name, member_rule,
};
use crate::quoted::shortened;

pub(super) fn desired_user(
    line: usize,
    key: MatchKey,
    attributes: Map<String, Value>,
    custom_attributes: Option<&BTreeSet<String>>,
) -> Result<DesiredUser, LineError> {
    check_attributes(&attributes, custom_attributes)?;
    // Read from a reference: the attributes are kept as they are, with no copy.
    let attributes = Value::Object(attributes);
    // Read plainly; only a line that fails is read again, tracking the path of the attribute
    // at fault (which costs on every value).
    let patch = match UserPatch::deserialize(&attributes) {
        Ok(patch) => patch,
        Err(plain) => {
            let Err(error) = serde_path_to_error::deserialize::<_, UserPatch>(&attributes) else {
                return Err(LineError::InvalidValue(plain.to_string()));
            };
            let path = error.path().to_string();
            let message = shortened(&error.into_inner().to_string(), QUOTED_CHARS);
            return Err(match path.as_str() {
                // No attribute to name (the line as a whole).
                "" | "." | "?" => LineError::InvalidValue(message),
                _ => LineError::WrongType { path, message },
            });
        }
    };
    let Value::Object(attributes) = attributes else {
        // Made an object above; no panic path.
        return Err(LineError::NotAnObject);
    };
    Ok(DesiredUser {
        line,
        key,
        patch,
        attributes,
    })
}

/// Every attribute is writable and known, and no required one is `null`.
fn check_attributes(
    attributes: &Map<String, Value>,
    custom_attributes: Option<&BTreeSet<String>>,
) -> Result<(), LineError> {
    let mut unknown = Vec::new();
    let mut nulls = Vec::new();
    for (name, value) in attributes {
        if READ_ONLY.contains(&name.as_str()) {
            unknown.push(name.clone());
        } else if OBJECTS.contains(&name.as_str()) {
            // `name`, `address`, `photo`: an object of known members, or null. Other shapes
            // are refused by the typed patch.
            if let Value::Object(members) = value {
                for (member, member_value) in members {
                    match member_rule(name, member) {
                        None => unknown.push(format!("{name}.{member}")),
                        Some(rule) if rule.required && member_value.is_null() => {
                            nulls.push(rule.path.to_owned());
                        }
                        Some(_) => {}
                    }
                }
            }
        } else if SCHEMA.contains(&name.as_str()) {
            let required = crate::pingone::rules::rule(name).is_some_and(|rule| rule.required);
            if required && value.is_null() {
                nulls.push(name.clone());
            }
        } else if !is_custom_attribute_name(name)
            || match custom_attributes {
                Some(declared) => !declared.contains(name),
                // `userName`, `Title`: PingOne would ignore it (see `is_core_in_another_case`).
                // `custom`: the name of `User`'s map, which a line means as that map
                // (`{"custom": {"costCenter": "1"}}`) and would store as one attribute.
                None => is_core_in_another_case(name) || name == MODEL_CUSTOM_MAP,
            }
        {
            unknown.push(name.clone());
        }
    }
    if !unknown.is_empty() {
        return Err(LineError::UnknownAttributes(unknown));
    }
    if !nulls.is_empty() {
        return Err(LineError::NullOnRequired(nulls));
    }
    Ok(())
}
