//! The members of a path-less `add` or `replace` value (RFC 7644 §3.5.2.1, §3.5.2.3: "a set of
//! attributes"): attribute names and schema URNs, and the paths that Microsoft Entra ID writes
//! there (`"name.givenName"`, `"emails[type eq \"work\"].value"`: its documented path-less
//! `replace`; scim-for-keycloak#26, pingidentity/scim2#224, pond/scimitar#123), each told
//! from the others, and two that name one attribute refused.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::attribute_name::is_schema_urn;
use super::patch_error::ScimFault;
use super::path::{Path, is_attribute_name, is_core_schema, read_path_telling_filter, split_urn};

/// The members named by an attribute name or a schema URN (in the value's order), and those
/// named by a path with a sub-attribute or a filter, read (`name.givenName`: `givenName` of
/// `name`, as the path `name.givenName` names it).
pub(super) type Members<'v> = (Vec<(&'v String, &'v Value)>, Vec<(Path, &'v Value)>);

/// Sorts the members of a path-less value into those named by an attribute name or a schema
/// URN and those named by a path.
///
/// Two members that name one attribute, or one inside the other, are refused
/// ([`ScimFault::OverlappingMembers`], `invalidSyntax`): `title` and `Title` (one attribute,
/// RFC 7643 §2.1), `name` and `name.givenName`, `name.givenName` and `Name.GivenName`,
/// `emails` and `emails[type eq "work"].value`, an extension's URN and one of its attributes.
/// A JSON object's members have no order that the value keeps (serde_json sorts them unless
/// its `preserve_order` feature is on), so which one would win is not the client's to say.
/// Two filtered paths into one attribute (`emails[type eq "work"].value` and
/// `emails[type eq "home"].value`) are applied one after the other.
///
/// # Errors
///
/// [`ScimFault::NotAnAttributeName`] for a name that is neither an attribute name, a schema
/// URN nor a path; [`ScimFault::MalformedFilter`] for a path whose filter does not read;
/// [`ScimFault::OverlappingMembers`] as above.
pub(super) fn pathless_members(members: &Map<String, Value>) -> Result<Members<'_>, ScimFault> {
    let mut plain = Vec::with_capacity(members.len());
    let mut at_paths = Vec::new();
    // Each attribute named (in lower case): the name of the member that names it whole, and
    // the parts of it that members name, with the name of the member that names each.
    let mut named: HashMap<String, (Option<&String>, HashMap<String, &String>)> = HashMap::new();
    for (name, value) in members {
        let claims = if is_attribute_name(name) || is_schema_urn(name) {
            plain.push((name, value));
            // `urn:…:User:manager.value` is a path too (put where the resource holds no such
            // member: `put_members`).
            match read_path_telling_filter(name, true) {
                Ok(Path {
                    attribute,
                    filter: None,
                    sub_attribute: Some(sub),
                }) => claims(&attribute, Some(sub.to_ascii_lowercase())),
                _ => claims(name, None),
            }
        } else {
            let path = read_path_telling_filter(name, true).map_err(|(reason, in_filter)| {
                if in_filter {
                    ScimFault::MalformedFilter {
                        reason: format!("in the value's member {name:?}: {reason}"),
                    }
                } else {
                    ScimFault::NotAnAttributeName { name: name.clone() }
                }
            })?;
            let part = match (&path.filter, &path.sub_attribute) {
                // Its own part: the elements that two filters select may differ.
                (Some(_), _) => Some(format!("[{name}")),
                (None, Some(sub)) => Some(sub.to_ascii_lowercase()),
                (None, None) => None,
            };
            let claims = claims(&path.attribute, part);
            at_paths.push((path, value));
            claims
        };
        for (attribute, part) in claims {
            let (whole, parts) = named.entry(attribute).or_default();
            let other = match &part {
                None => whole.or_else(|| parts.values().next().copied()),
                Some(part) => whole.or_else(|| parts.get(part).copied()),
            };
            if let Some(other) = other {
                return Err(ScimFault::OverlappingMembers {
                    first: other.clone(),
                    second: name.clone(),
                });
            }
            match part {
                None => *whole = Some(name),
                Some(part) => {
                    parts.insert(part, name);
                }
            }
        }
    }
    Ok((plain, at_paths))
}

/// What a member sets of `attribute` (a name, or a URN-qualified one: RFC 7644 §3.10): the
/// whole attribute, or its `part` (a sub-attribute, or the elements that a filter selects),
/// each as (attribute in lower case, part). A URN-qualified attribute claims its part of
/// the extension's member too (the extension's attributes are its parts), and a core
/// schema's attribute the resource's own attribute of its name.
fn claims(attribute: &str, part: Option<String>) -> Vec<(String, Option<String>)> {
    let mut claims = vec![(attribute.to_ascii_lowercase(), part.clone())];
    if let Some((urn, name)) = split_urn(attribute) {
        let name = name.to_ascii_lowercase();
        claims.push(if is_core_schema(urn) {
            (name, part)
        } else {
            (
                urn.to_ascii_lowercase(),
                Some(format!("{name}/{}", part.unwrap_or_default())),
            )
        });
    }
    claims
}
