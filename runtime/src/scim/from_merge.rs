//! [`scim_patch_from_merge`]: the SCIM operations that do a JSON merge patch's work, an
//! attribute's and an extension schema's.

use serde_json::Value;

use super::attribute_name::{checked_name, is_schema_urn};
use super::case_order::{InCase, assigned, first_case_clash, in_case_order, path_below};
use super::keyed::keyed_operations;
use super::message::{ScimOperation, ScimPatch, push_replace};
use crate::{DialectError, KeyedArray, merge_patch};

/// The SCIM operations (RFC 7644 §3.5.2) that do the work of the JSON merge patch `merge`
/// (RFC 7396) on the resource `base`, with `keyed` saying which attributes are keyed arrays.
///
/// The inverse is [`merge_from_scim_patch`](crate::merge_from_scim_patch): the merge patch
/// read back from the message makes, on `base`, the change that `merge` makes (what SCIM
/// cannot say aside: `null` members inside an array's elements, and an extension left empty).
///
/// Operations follow the merge patch's members in order (serde_json's: sorted by name, or in
/// insertion order where its `preserve_order` feature is on in the build).
///
/// - A top-level attribute that the merge patch sets is `replace`d where it differs from
///   `base` (`replace` adds an attribute that does not exist, RFC 7644 §3.5.2.3); `null`
///   becomes `remove` (left out where `base` has no value: SCIM does not tell `null` from
///   unassigned, RFC 7643 §2.5). An attribute that holds an array in `base` and that the
///   merge patch sets to a value that is not an array is `remove`d first, then `replace`d (a
///   `replace` alone of a multi-valued attribute with one value would give it that value as
///   its only one, [`apply_scim_patch`](crate::apply_scim_patch)). `add` appends the
///   new elements of keyed arrays and nothing else, so that every other operation can be sent
///   twice with the effect of once.
/// - A complex attribute (an object in both) changes sub-attribute by sub-attribute
///   (`name.given`). Below that, where SCIM paths end, a changed sub-attribute object is removed
///   and set anew whole.
/// - A keyed array changes element by element with filter paths ([`diff_keyed`](crate::diff_keyed)): `remove` of
///   `emails[type eq "home"]`, `replace` of `emails[type eq "work"].value`, and one `add` of the
///   new elements, which SCIM appends. When that would not give the target's order, or an
///   element's change lies below a sub-attribute, or the base's elements share a key (two
///   clients that each added one: filters cannot tell them apart) or one of them has no
///   usable key, the array is replaced whole, which also repairs it; so is it when two of the base's keys differ
///   only in case (`Work`, `work`), which a filter compares in any case unless the attribute
///   is `caseExact` (RFC 7644 §3.4.2.2), and when an added element's key differs only in case
///   from another of the target's (an `add` finds a value held in any case, so the element
///   might not be appended). An emptied array is replaced by `[]`, as the
///   merge patch sets it. Other arrays are replaced whole. Keyed arrays change element by
///   element at the top level (and in flattened structs); inside a nested object they are
///   replaced whole, as other arrays are.
/// - A top-level attribute that the base holds as `null` counts as unassigned.
/// - SCIM reads attribute names in any case (RFC 7643 §2.1): where the merge patch removes a
///   name and sets its case variant (`department` to `Department`), the `remove` goes first,
///   so that it does not remove the value just set (and where the base holds both, the one
///   set is removed too and set anew whole). (Inside a keyed array's element, a
///   change that would leave two such names makes the array be replaced whole.)
/// - A member named by a schema URN (an extension schema's attributes, RFC 7643 §3.3, such as
///   `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`) is an object of attributes:
///   each changes as a top-level attribute does, under its URN-qualified path
///   (`urn:…:User:employeeNumber`, `urn:…:User:manager.value`, RFC 7644 §3.10), and `null`
///   removes each attribute that the base holds.
///
/// ```
/// use serde_json::json;
/// use sparse_patch::{KeyedArray, scim_patch_from_merge};
///
/// let keyed = [KeyedArray::Array { attribute: "emails", key: "type" }];
/// let base = json!({
///     "name": {"given": "David", "family": "Spanner"},
///     "emails": [{"type": "work", "value": "a@example.com"}, {"type": "home", "value": "b@example.com"}]
/// });
/// let merge = json!({
///     "name": {"given": "Dave"},
///     "emails": [{"type": "work", "value": "c@example.com"}, {"type": "home", "value": "b@example.com"}]
/// });
/// let patch = scim_patch_from_merge(&base, &merge, &keyed).unwrap();
/// assert_eq!(
///     serde_json::to_value(&patch.operations).unwrap(),
///     json!([
///         {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "c@example.com"},
///         {"op": "replace", "path": "name.given", "value": "Dave"}
///     ])
/// );
/// ```
///
/// # Errors
///
/// - [`DialectError::NotAnObject`] when `base` or `merge` is not an object;
/// - [`DialectError::ScimName`] for an attribute name that a SCIM path cannot carry (a
///   sub-attribute's too, also where its attribute is set whole, as the output must not depend
///   on the base for it; the elements of a multi-valued attribute, and what lies below a
///   sub-attribute, are sent whole, names and all), and for a schema URN member that is not an
///   object or `null`, in `merge` or, where `merge` changes it, in `base`;
/// - [`DialectError::ScimNameCase`] for two attributes of one object whose names differ only
///   in case (`title`, `Title`: one attribute to SCIM, RFC 7643 §2.1) where the result would
///   hold both, or keep one while removing the other; and for a value that an operation
///   writes (whole, or an element, or an object merged with the base's) holding two members
///   whose names differ only in case at any depth (`a[0].C` and `a[0].c` for
///   `{"a": [{"C": 1, "c": 1}]}`), which [`apply_scim_patch`](crate::apply_scim_patch)
///   refuses;
/// - [`DialectError::DuplicateKey`] and [`DialectError::ElementWithoutKey`] for a keyed array
///   of `merge` whose elements share a key or lack one (a base array whose elements do is
///   replaced whole instead).
pub fn scim_patch_from_merge(
    base: &Value,
    merge: &Value,
    keyed: &[KeyedArray],
) -> Result<ScimPatch, DialectError> {
    let Value::Object(base) = base else {
        return Err(DialectError::NotAnObject { what: "model" });
    };
    let Value::Object(merge) = merge else {
        return Err(DialectError::NotAnObject { what: "patch" });
    };
    let mut operations = Vec::new();
    for InCase {
        name,
        change,
        current,
    } in in_case_order(Some(base), merge, str::to_owned)?
    {
        let change = change.as_ref();
        if is_schema_urn(name) {
            extension_operations(name, current, change, &mut operations)?;
            continue;
        }
        checked_name(name, None)?;
        match (KeyedArray::key_of(keyed, name), change) {
            (Some(key), Value::Array(target)) => {
                keyed_operations(name, key, current, target, &mut operations)?;
            }
            _ => attribute_operations(name, current, change, 0, &mut operations)?,
        }
    }
    // A value written whole that holds two members whose names differ only in case, at any
    // depth (`replace a [{"C": 1, "c": 1}]`): a server holds one of them, which one is its
    // choice (`apply_scim_patch` refuses the message).
    for operation in &operations {
        if let (Some(path), Some(value)) = (&operation.path, &operation.value)
            && let Some((first, second)) = first_case_clash(value)
        {
            return Err(DialectError::ScimNameCase {
                path: path_below(path, &first),
                other: path_below(path, &second),
            });
        }
    }
    Ok(ScimPatch::new(operations))
}

/// The operations for the member of a schema URN (an extension's attributes): each attribute
/// changes as a top-level attribute does, under the path `URN:attribute` (RFC 7644 §3.10), and
/// `null` removes each attribute that the base holds, since a path names an attribute and not a
/// schema. A base whose member holds a value other than an object or `null` is
/// [`DialectError::ScimName`], as a change to such a value is.
fn extension_operations(
    urn: &str,
    current: Option<&Value>,
    change: &Value,
    operations: &mut Vec<ScimOperation>,
) -> Result<(), DialectError> {
    // The base's member holds a value that is not an object (a custom attribute named like a
    // URN): no path names it, since `urn:a:b` reads as the attribute `b` of the schema
    // `urn:a`; removing or replacing it would send nothing, or operations on attributes of
    // the extension that the base does not have, and lose the merge patch's change.
    let current = match current {
        None | Some(Value::Null) => None,
        Some(Value::Object(current)) => Some(current),
        Some(_) => {
            return Err(DialectError::ScimName {
                path: urn.to_owned(),
            });
        }
    };
    let attribute_path = |name: &str| {
        checked_name(name, None)
            .map(|name| format!("{urn}:{name}"))
            .map_err(|_| DialectError::ScimName {
                path: format!("{urn}:{name}"),
            })
    };
    match change {
        Value::Null => {
            for (name, value) in current.into_iter().flatten() {
                if !value.is_null() {
                    operations.push(ScimOperation::remove(attribute_path(name)?));
                }
            }
        }
        Value::Object(change) => {
            for member in in_case_order(current, change, |name| format!("{urn}:{name}"))? {
                let path = attribute_path(member.name)?;
                attribute_operations(&path, member.current, &member.change, 0, operations)?;
            }
        }
        // An extension holds attributes: a value that is not an object has no path.
        _ => {
            return Err(DialectError::ScimName {
                path: urn.to_owned(),
            });
        }
    }
    Ok(())
}

/// `value` merged into nothing: an object patch without its `null` members (RFC 7396 §2).
fn built(value: &Value) -> Value {
    let mut built = Value::Null;
    merge_patch(&mut built, value.clone());
    built
}

/// The operations for one attribute's change, at `depth` 0 (an attribute) or 1 (a
/// sub-attribute, where SCIM paths end).
fn attribute_operations(
    path: &str,
    current: Option<&Value>,
    change: &Value,
    depth: usize,
    operations: &mut Vec<ScimOperation>,
) -> Result<(), DialectError> {
    match (current, change) {
        (current, Value::Null) => {
            if assigned(current) {
                operations.push(ScimOperation::remove(path));
            }
        }
        (Some(Value::Object(current)), Value::Object(change)) if depth == 0 => {
            for member in in_case_order(Some(current), change, |name| format!("{path}.{name}"))? {
                let name = checked_name(member.name, Some(path))?;
                let sub_path = format!("{path}.{name}");
                attribute_operations(&sub_path, member.current, &member.change, 1, operations)?;
            }
        }
        (Some(Value::Object(object)), Value::Object(_)) => {
            let mut merged = Value::Object(object.clone());
            merge_patch(&mut merged, change.clone());
            if merged != Value::Object(object.clone()) {
                operations.push(ScimOperation::remove(path));
                operations.push(ScimOperation::replace(path, merged));
            }
        }
        (_, Value::Object(members)) => {
            // An attribute set whole: its members are sub-attributes, whose names are refused
            // as they are in a path (`name.a b`), whether or not the base holds the attribute.
            if depth == 0 {
                for name in members.keys() {
                    checked_name(name, Some(path))?;
                }
            }
            push_replace(path, current, built(change), operations);
        }
        (Some(current), change) if current == change => {}
        (_, change) => push_replace(path, current, change.clone(), operations),
    }
    Ok(())
}
