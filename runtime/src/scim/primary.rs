//! RFC 7644 §3.5.2's rule for `primary`: "For multi-valued attributes, a PATCH operation that
//! sets a value's "primary" sub-attribute to "true" SHALL cause the server to automatically
//! set "primary" to "false" for any other values in the array" (RFC 7643 §2.4: the value
//! `true` appears at most once). `primary` is a boolean (RFC 7643 §2.4), so the string
//! `"True"` in any case, as Microsoft Entra ID writes `true` (see `boolean_strings`, which a
//! typed model reads it with), is `true` here too.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::attribute_name::is_schema_urn;
use super::message::ScimOperation;
use super::name_rules::Names;
use crate::boolean_strings::boolean_string;

/// After a message changed `resource` (from `before`), the elements of each multi-valued
/// attribute that the message changed and that now hold `"primary": true` lose it where they
/// held it before and an element the message made holds it: an element equal to one of
/// `before`'s primary elements was primary before the message; any other was made primary
/// by it. Where the
/// message made no primary element of an attribute, or made several (a message that breaks
/// RFC 7643 §2.4 itself, which is not this rule's to choose between), the attribute is left as
/// the operations left it.
///
/// An `add` of `{"value": "n@example.com", "primary": true}` to emails whose work address was
/// primary left two primary emails; the work address is no longer primary now.
///
/// The multi-valued attributes of an extension (the object under a schema URN, RFC 7643 §3.3)
/// keep the rule as the resource's own do: they were not looked at, so a primary phone added
/// to a custom extension left two primary phones (review 38).
pub(super) fn demote_earlier_primaries(
    before: &Map<String, Value>,
    resource: &mut Map<String, Value>,
) {
    for (name, value) in resource.iter_mut() {
        match value {
            Value::Array(elements) => demote_in_attribute(before.get(name), elements),
            // An extension's attributes live in its object (RFC 7643 §3.3, RFC 7644 §3.10):
            // its multi-valued attributes keep the rule as the core schema's do.
            Value::Object(extension) if is_schema_urn(name) => {
                let before = before.get(name).and_then(Value::as_object);
                for (name, value) in extension.iter_mut() {
                    if let Value::Array(elements) = value {
                        demote_in_attribute(before.and_then(|before| before.get(name)), elements);
                    }
                }
            }
            _ => {}
        }
    }
}

/// [`demote_earlier_primaries`] for one multi-valued attribute: its `elements` after the
/// message, and its value before it (`None` where it had none).
fn demote_in_attribute(before: Option<&Value>, elements: &mut [Value]) {
    let earlier: &[Value] = match before {
        Some(Value::Array(earlier)) => earlier,
        _ => &[],
    };
    // An attribute the message left as it was is not this rule's.
    if earlier == &*elements {
        return;
    }
    let primaries: Vec<usize> = (0..elements.len())
        .filter(|&at| is_primary(&elements[at]))
        .collect();
    if primaries.len() < 2 {
        return;
    }
    // The earlier primary elements by their JSON text, so that telling each element's age
    // costs no scan of the array (a message of many primary values stays linear).
    let earlier_primaries: HashSet<String> = earlier
        .iter()
        .filter(|element| is_primary(element))
        .map(Value::to_string)
        .collect();
    let (old, new): (Vec<usize>, Vec<usize>) = primaries
        .into_iter()
        .partition(|&at| earlier_primaries.contains(&elements[at].to_string()));
    if new.len() != 1 {
        return;
    }
    for at in old {
        if let Some(Value::Object(members)) = elements.get_mut(at) {
            *Names::AnyCase.slot(members, "primary") = Value::Bool(false);
        }
    }
}

/// Whether `element` is an object whose `primary` (named in any case, RFC 7643 §2.1, as
/// [`sets_primary`] reads it) is `true`.
fn is_primary(element: &Value) -> bool {
    element
        .as_object()
        .and_then(|members| Names::AnyCase.get(members, "primary"))
        .is_some_and(is_true)
}

/// Whether `value` is `true`, or Entra ID's `"True"` in any ASCII case.
fn is_true(value: &Value) -> bool {
    value.as_bool().or_else(|| boolean_string(value)) == Some(true)
}

/// Whether `operation` may make a value primary: its `path` ends in `primary` (in any case)
/// and its value is `true` (or `"True"`), or its value holds, at any depth, a member named
/// `primary` (or a path-less member whose path ends so) whose value is `true`, or its path (or a path-less
/// member's) has a filter that names `primary`: an `add` at
/// `emails[type eq "other" and primary eq true].value` that no value matches adds one that
/// holds `"primary": true` (RFC 7644 §3.5.2.1). Only then can
/// [`demote_earlier_primaries`] have work to do, so a message that sets no `primary` costs no
/// walk of the resource (a walk of a resource of 30,000 attributes made a message of 20,000
/// operations 11 % slower, its memory out of cache).
pub(super) fn sets_primary(operation: &ScimOperation) -> bool {
    // `get`, not indexing: the name's last seven bytes may cut a character (`"é…"`).
    let named_primary = |name: &str| {
        name.len()
            .checked_sub("primary".len())
            .and_then(|start| name.get(start..))
            .is_some_and(|end| end.eq_ignore_ascii_case("primary"))
    };
    // A filter naming `primary` (`[… primary eq true]`), which an `add` that it matches
    // nothing with copies into the value it adds: the text from the first `[` to the last `]`
    // (the sub-attribute after it is the one above).
    let filter_names_primary = |path: &str| {
        let Some(open) = path.find('[') else {
            return false;
        };
        let close = path.rfind(']').filter(|&close| close > open);
        path.as_bytes()[open..close.unwrap_or(path.len())]
            .windows("primary".len())
            .any(|window| window.eq_ignore_ascii_case(b"primary"))
    };
    let Some(value) = &operation.value else {
        return false;
    };
    if let Some(path) = operation.path.as_deref()
        && (named_primary(path) && is_true(value) || filter_names_primary(path))
    {
        return true;
    }
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(members) => {
                for (name, member) in members {
                    if named_primary(name) && is_true(member) || filter_names_primary(name) {
                        return true;
                    }
                    stack.push(member);
                }
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::sets_primary;
    use crate::ScimOperation;

    #[test]
    fn only_an_operation_that_writes_primary_true_sets_primary() {
        let sets = [
            ScimOperation::add("emails", json!([{"value": "a", "primary": true}])),
            ScimOperation::replace(r#"emails[type eq "home"].primary"#, json!(true)),
            ScimOperation::replace(r#"emails[type eq "home"].primary"#, json!("True")),
            ScimOperation::add("emails", json!([{"value": "a", "primary": "TRUE"}])),
            ScimOperation::add(
                r#"emails[type eq "x" and PRIMARY eq true].value"#,
                json!("a"),
            ),
            serde_json::from_value(json!({
                "op": "add", "value": {r#"emails[primary eq true].value"#: "a"}
            }))
            .unwrap(),
            serde_json::from_value(json!({
                "op": "replace", "value": {r#"emails[type eq "work"].Primary"#: true}
            }))
            .unwrap(),
        ];
        for operation in &sets {
            assert!(sets_primary(operation), "{operation:?}");
        }
        let others = [
            ScimOperation::add("emails", json!([{"value": "a", "primary": false}])),
            ScimOperation::replace(r#"emails[type eq "home"].primary"#, json!(false)),
            ScimOperation::replace(r#"emails[type eq "home"].primary"#, json!("False")),
            ScimOperation::replace("title", json!("primary")),
            ScimOperation::remove("emails"),
            ScimOperation::add("éé", json!({"ééé": true})),
        ];
        for operation in &others {
            assert!(!sets_primary(operation), "{operation:?}");
        }
    }
}
