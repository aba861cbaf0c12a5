//! An `add`, `replace` or `remove` at a SCIM path (RFC 7644 §3.5.2.1 to §3.5.2.3): finding the
//! attribute (in an extension's object for a URN-qualified path, RFC 7644 §3.10), the elements
//! that a filter selects, and the element that an `add` at a filter that matches nothing adds.
//! The core applier's and the emulator's.

use serde_json::{Map, Value};

use super::attribute_name::is_schema_urn;
use super::filter::{Filter, Operator};
use super::name_rules::{Names, Rules};
use super::patch_error::{ScimFault, kind_of};
use super::path::{Path, is_core_schema, names_a_schema, split_urn};
use super::put_value::{merge_members, put};

/// `add` (`append`) or `replace` of `value` at `path` in `resource`. A `null` value unassigns
/// the target, as `remove` at the path does (RFC 7643 §2.5).
pub(crate) fn put_at(
    resource: &mut Map<String, Value>,
    path: &Path,
    value: &Value,
    append: bool,
    rules: Rules,
) -> Result<(), ScimFault> {
    if value.is_null() {
        return remove_at(resource, path, rules);
    }
    let names = rules.names;
    let Some((holder, attribute, own)) = holder(resource, &path.attribute, rules, true)? else {
        unreachable!("a holder is made where none is")
    };
    let Some(filter) = &path.filter else {
        let slot = own.slot(holder, attribute);
        let Some(sub) = &path.sub_attribute else {
            return put(slot, value.clone(), append, rules);
        };
        if slot.is_null() {
            *slot = Value::Object(Map::new());
        }
        let Value::Object(members) = slot else {
            return Err(no_sub_attribute(&path.attribute, sub, slot));
        };
        return put(rules.sub.slot(members, sub), value.clone(), append, rules);
    };
    let mut matched = false;
    let items = elements(holder, attribute, &path.attribute, own, false)?;
    let absent = items.is_none();
    for element in items.into_iter().flatten() {
        if !filter.matches(element, names) {
            continue;
        }
        matched = true;
        match (&path.sub_attribute, element) {
            (Some(sub), Value::Object(members)) => {
                put(names.slot(members, sub), value.clone(), append, rules)?;
            }
            (_, element) => put(element, value.clone(), append, rules)?,
        }
    }
    if matched {
        return Ok(());
    }
    // RFC 7644 §3.5.2.3: a `replace` whose filter matches no value of a multi-valued attribute
    // is `noTarget`; one at an attribute that does not exist is an `add` ("If the target
    // location path specifies an attribute that does not exist, the service provider SHALL
    // treat the operation as an \"add\""), where the rules say so.
    let adds = append || (absent && rules.replace_adds_absent);
    if !adds {
        return Err(ScimFault::NoMatch {
            attribute: path.attribute.clone(),
        });
    }
    // An `add` whose target does not exist adds it (RFC 7644 §3.5.2.1), as Entra ID expects
    // of `emails[type eq "work"].value` for a user without a work email: the element that
    // the filter's comparisons describe, with the value.
    let element = new_element(path, filter, value, rules)?;
    match own.slot(holder, attribute) {
        Value::Array(items) => items.push(element),
        slot => *slot = Value::Array(vec![element]),
    }
    Ok(())
}

/// `add` (`append`) or `replace` of the members of a path-less value (RFC 7644 §3.5.2.1,
/// §3.5.2.3: "a set of attributes"), in order. The member of a schema URN holds an extension's
/// attributes (RFC 7643 §3.3) and merges as a complex attribute does; a URN-qualified name with
/// a value that is not an object (`urn:…:User:employeeNumber`, as some clients write an
/// extension's attribute there) that the resource does not hold is read as that path, and so
/// is one with an object value (`urn:…:User:manager` with `{"value": "…"}`) where the
/// resource holds the extension (`urn:…:User`) that it would be an attribute of. The
/// others merge into the resource as an object value merges into an object
/// ([`merge_members`]: names found in any case through one index, not a scan per name).
pub(crate) fn put_members<'m>(
    resource: &mut Map<String, Value>,
    members: impl IntoIterator<Item = (&'m String, &'m Value)>,
    append: bool,
    rules: Rules,
) -> Result<(), ScimFault> {
    let mut plain = Vec::new();
    for (name, value) in members {
        // An object under `urn:…:User:manager` is the extension's attribute where the
        // resource holds the extension `urn:…:User` (else it may be an extension itself).
        let in_extension = || {
            split_urn(name).is_some_and(|(urn, _)| {
                matches!(rules.top.get(resource, urn), Some(Value::Object(_)))
            })
        };
        if is_schema_urn(name)
            && rules.top.get(resource, name).is_none()
            && (!value.is_object() || in_extension())
        {
            let before = std::mem::take(&mut plain);
            merge_members(resource, before, append, rules.top, rules)?;
            let path = super::path::read_path(name)
                .map_err(|reason| ScimFault::MalformedPath { reason })?;
            put_at(resource, &path, value, append, rules)?;
        } else {
            plain.push((name.clone(), value.clone()));
        }
    }
    merge_members(resource, plain, append, rules.top, rules)
}

/// The element that an `add` at `attribute[filter]` (`.sub`) adds where no element matches:
/// the members that the filter's `eq` comparisons name (`type eq "work"`: `{"type": "work"}`;
/// `eq null` names none; those in parentheses too, not those under `not`), with the value
/// merged in (at `sub`, or its members). A filter with `or` does not say which element, and a value that contradicts the filter (`type eq "work"`
/// with `{"type": "home"}`) would add one that the filter does not select: both stay
/// `noTarget`.
fn new_element(
    path: &Path,
    filter: &Filter,
    value: &Value,
    rules: Rules,
) -> Result<Value, ScimFault> {
    let no_target = |ambiguous| ScimFault::NoElementToAdd {
        attribute: path.attribute.clone(),
        ambiguous,
    };
    let Some(comparisons) = filter.described() else {
        return Err(no_target(true));
    };
    let mut element = Value::Object(
        comparisons
            .into_iter()
            // Only `eq` says a value; the element must pass the other comparisons with what
            // the operation's value gives it.
            .filter(|comparison| comparison.operator == Operator::Eq && !comparison.value.is_null())
            .map(|comparison| (comparison.name.clone(), comparison.value.clone()))
            .collect(),
    );
    let value = match &path.sub_attribute {
        Some(sub) => Value::Object(Map::from_iter([(sub.clone(), value.clone())])),
        None => value.clone(),
    };
    put(&mut element, value, true, rules)?;
    if filter.matches(&element, rules.names) {
        Ok(element)
    } else {
        Err(no_target(false))
    }
}

/// `remove` at `path` in `resource`: the attribute, `attr.sub`, the matching elements of
/// `attr[filter]` (and the attribute when none is left: unassigned, RFC 7644 §3.5.2.2), or the
/// sub-attribute of the matching elements. Removing what is absent, and a filter that matches
/// nothing, succeed and change nothing. Where `rules` allow, a filter on `value` selects the
/// simple values to remove (RFC 7644 §3.5.2.2).
pub(crate) fn remove_at(
    resource: &mut Map<String, Value>,
    path: &Path,
    rules: Rules,
) -> Result<(), ScimFault> {
    let names = rules.names;
    let Some((holder, attribute, own)) = holder(resource, &path.attribute, rules, false)? else {
        return Ok(());
    };
    match (&path.filter, &path.sub_attribute) {
        (None, None) => own.remove(holder, attribute),
        (None, Some(sub)) => {
            let key = own.key(holder, attribute).cloned();
            match key.and_then(|key| holder.get_mut(&key)) {
                // `null` is unassigned (RFC 7643 §2.5), as absent is.
                None | Some(Value::Null) => {}
                Some(Value::Object(members)) => rules.sub.remove(members, sub),
                Some(held) => return Err(no_sub_attribute(&path.attribute, sub, held)),
            }
        }
        (Some(filter), None) => {
            let simple = rules.simple_values;
            if let Some(items) = elements(holder, attribute, &path.attribute, own, simple)? {
                let held = items.len();
                items.retain(|element| !filter.matches(element, names));
                // Emptied by the removal: unassigned. An empty array that nothing matched
                // stays as it was (a typed model's required `Vec` reads it, not its absence).
                if items.is_empty() && held > 0 {
                    own.remove(holder, attribute);
                }
            }
        }
        (Some(filter), Some(sub)) => {
            for element in elements(holder, attribute, &path.attribute, own, false)?
                .into_iter()
                .flatten()
            {
                if let (true, Value::Object(members)) = (filter.matches(element, names), element) {
                    names.remove(members, sub);
                }
            }
        }
    }
    Ok(())
}

/// An object that holds an attribute, the attribute's name in it, and how the object's
/// members' names compare ([`Rules::top`] for the resource's, [`Rules::extension`] for an
/// extension's).
type Holder<'r, 'a> = (&'r mut Map<String, Value>, &'a str, Names);

/// The object that holds `attribute`, and the attribute's name in it: `resource` itself, or,
/// for a URN-qualified name (`urn:…:enterprise:2.0:User:employeeNumber`, RFC 7644 §3.10), the
/// extension's object, the member of `resource` named by the URN (RFC 7643 §3.3; made when
/// `create`, `None` when absent otherwise). A name that `resource` holds as it is, or that
/// names a schema whole ([`names_a_schema`]: `urn:…:enterprise:2.0:User`, held or not), is
/// `resource`'s (the core schema's URN alone is `invalidPath`), and so is the attribute of a core schema
/// (`urn:ietf:params:scim:schemas:core:…`) that `resource` holds no member for: a core schema's
/// attributes are the resource's own.
fn holder<'r, 'a>(
    resource: &'r mut Map<String, Value>,
    attribute: &'a str,
    rules: Rules,
    create: bool,
) -> Result<Option<Holder<'r, 'a>>, ScimFault> {
    let top = rules.top;
    let Some((urn, name)) = split_urn(attribute) else {
        return Ok(Some((resource, attribute, top)));
    };
    let core = is_core_schema(urn);
    if top.key(resource, attribute).is_some() {
        return Ok(Some((resource, attribute, top)));
    }
    if names_a_schema(resource, attribute) {
        // The core schema's attributes are the resource's own: its URN alone names none.
        if core {
            return Err(ScimFault::MalformedPath {
                reason: format!(
                    "{attribute:?} names the core schema, not one of its attributes (RFC 7644 \
                     §3.10: the schema's URN, `:` and the attribute's name; a path-less \
                     operation sets the resource's own attributes)"
                ),
            });
        }
        return Ok(Some((resource, attribute, top)));
    }
    let key = top.key(resource, urn).cloned();
    if key.is_none() && (core || !create) {
        return Ok(core.then_some((resource, name, top)));
    }
    let slot = resource
        .entry(key.unwrap_or_else(|| urn.to_owned()))
        .or_insert(Value::Null);
    if slot.is_null() {
        if !create {
            return Ok(None);
        }
        *slot = Value::Object(Map::new());
    }
    match slot {
        Value::Object(extension) => Ok(Some((extension, name, rules.extension))),
        other => Err(ScimFault::ExtensionNotAnObject {
            urn: urn.to_owned(),
            found: kind_of(other),
        }),
    }
}

/// The elements of the multi-valued `attribute` (named `full` in its path) of `holder`, for a
/// filter: `None` when it is absent, an error when it is not an array, or (unless `simple`)
/// holds a value that is not an object. A filter selects complex values by their
/// sub-attributes (RFC 7644 §3.4.2.2; RFC 7643 §2.4 gives simple values none): `tags[value eq
/// "x"]` on `["x"]` matched nothing, so its `remove` removed nothing, and an `add` there
/// would put an object among strings. Only a `remove` selects simple values, by `value`
/// (RFC 7644 §3.5.2.2), where the rules allow it (`simple`).
fn elements<'h>(
    holder: &'h mut Map<String, Value>,
    attribute: &str,
    full: &str,
    names: Names,
    simple: bool,
) -> Result<Option<&'h mut Vec<Value>>, ScimFault> {
    let Some(key) = names.key(holder, attribute).cloned() else {
        return Ok(None);
    };
    match holder.get_mut(&key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => match items.iter().find(|item| !item.is_object()) {
            _ if simple => Ok(Some(items)),
            None => Ok(Some(items)),
            Some(simple) => Err(ScimFault::SimpleValues {
                attribute: full.to_owned(),
                found: kind_of(simple),
            }),
        },
        Some(_) => Err(ScimFault::NotMultiValued {
            attribute: full.to_owned(),
        }),
    }
}

/// The fault of `attribute.sub` where `attribute` holds `held`, which is no object: a
/// multi-valued attribute's path does not say which of its values (a filter does), and a
/// simple value has no sub-attributes.
fn no_sub_attribute(attribute: &str, sub: &str, held: &Value) -> ScimFault {
    let (attribute, sub) = (attribute.to_owned(), sub.to_owned());
    if held.is_array() {
        ScimFault::MultiValuedSubAttribute { attribute, sub }
    } else {
        ScimFault::NotComplex { attribute, sub }
    }
}
