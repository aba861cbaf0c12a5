//! A `remove` whose `value` names the values to remove from a multi-valued attribute:
//! `{"op": "Remove", "path": "members", "value": [{"value": "2819c223"}]}`, as Microsoft
//! Entra ID removes group members (its "Update Group [Remove Members]" request, without the
//! `aadOptscim062020` flag). RFC 7644 §3.5.2.2 gives `remove` no `value`; the request reads
//! as the filter `members[value eq "2819c223"]`, which is what Entra ID sends with the flag,
//! and what SCIM servers that take Entra ID's requests read it as (apache/directory-scimple#436,
//! ssoready#182).

use serde_json::Value;

use super::filter::{Comparison, Condition, Filter, Operator};
use super::patch_error::{ScimFault, kind_of};

/// The filter that selects the values that a `remove`'s `value` names: each element of an
/// array `value` (or the value itself, where it is not an array) selects the values of the
/// attribute that hold each of its members (`{"value": "2819c223"}`: `value eq "2819c223"`,
/// strings compared in any case and numbers by value, as a filter compares them), a simple
/// value selecting the simple values equal to it (or, among complex values, those whose
/// `value` is). A `null` member is unassigned (RFC 7643 §2.5) and selects by nothing (Entra ID
/// sends `"$ref": null`).
///
/// A value compared is simple: an element, or a member of an element, that is an array or
/// an object would match no value of a multi-valued attribute (RFC 7643 §2.3.8: a complex
/// attribute's sub-attributes are simple; RFC 7644 §3.4.2.2's `compValue` is a string, a
/// number, a boolean or `null`), and is refused rather than read as a `remove` of nothing.
///
/// Elements that name one member, the same for each (`[{"value": …}, {"value": …}]`), with a
/// string, number or boolean, are found through a set of their values
/// ([`Filter::fold_equalities`]): removing 10,000 members from a group of 10,000 compares
/// each member once, not once per value named.
///
/// # Errors
///
/// [`ScimFault::EmptyRemovedValue`] for an element that names nothing (`{}`, `null`,
/// `{"$ref": null}`), which would select every value;
/// [`ScimFault::RemovedValueNotSimple`] for an element, or a member of one, that is an array
/// or an object (`[["a"]]`, `[{"value": ["a"]}]`).
pub(crate) fn selecting_filter(value: &Value) -> Result<Filter, ScimFault> {
    let elements = match value {
        Value::Array(elements) => elements.as_slice(),
        one => std::slice::from_ref(one),
    };
    let mut any = Vec::with_capacity(elements.len());
    for element in elements {
        let all: Vec<Condition> = match element {
            Value::Null => Vec::new(),
            Value::Object(members) => members
                .iter()
                .filter(|(_, value)| !value.is_null())
                .map(|(name, value)| simple(value).map(|value| equal(name, value)))
                .collect::<Result<_, _>>()?,
            element => vec![equal("value", simple(element)?)],
        };
        if all.is_empty() {
            return Err(ScimFault::EmptyRemovedValue);
        }
        any.push(all);
    }
    let mut filter = Filter(any);
    filter.fold_equalities();
    Ok(filter)
}

/// `value`, where a filter compares it: a string, a number, a boolean or `null`.
fn simple(value: &Value) -> Result<&Value, ScimFault> {
    match value {
        Value::Array(_) | Value::Object(_) => Err(ScimFault::RemovedValueNotSimple {
            found: kind_of(value),
        }),
        simple => Ok(simple),
    }
}

/// `name eq value`.
fn equal(name: &str, value: &Value) -> Condition {
    Condition::Compare(Comparison {
        name: name.to_owned(),
        operator: Operator::Eq,
        value: value.clone(),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use crate::scim::filter::COMPARISONS;
    use crate::{ScimOp, ScimOperation, ScimPatch, apply_scim_patch};

    /// Removes `removed` of `members` members by value, in one operation, and counts the
    /// comparisons made.
    fn comparisons_to_remove(members: usize, removed: usize) -> usize {
        let member = |index: usize| json!({"value": format!("Ü-{index}"), "display": "x"});
        let mut group = json!({"members": (0..members).map(member).collect::<Vec<_>>()});
        let value: Vec<Value> = (0..removed)
            .map(|index| json!({"value": format!("ü-{index}")}))
            .collect();
        let message = ScimPatch::new(vec![ScimOperation {
            op: ScimOp::Remove,
            path: Some("members".into()),
            value: Some(Value::Array(value)),
        }]);
        COMPARISONS.with(|count| count.set(0));
        apply_scim_patch(&mut group, &message).unwrap();
        assert_eq!(
            group["members"].as_array().map_or(0, Vec::len),
            members - removed
        );
        COMPARISONS.with(std::cell::Cell::get)
    }

    /// Entra ID's removal of many members by value compared each member with each value
    /// named (an `or` of `value eq …`): 4,000 of 4,000 took 8,002,000 comparisons. Now each
    /// member is looked up once.
    #[test]
    fn members_removed_by_value_are_each_compared_once() {
        assert_eq!(comparisons_to_remove(4_000, 4_000), 4_000);
        assert_eq!(comparisons_to_remove(4_000, 10), 4_000);
    }

    /// The same `or` written in a path's filter: `members[value eq "ü-0" or value eq "ü-1"
    /// or …]`.
    #[test]
    fn an_or_of_equalities_in_a_path_compares_each_member_once() {
        let members = 4_000;
        let mut group = json!({"members": (0..members)
            .map(|index| json!({"value": format!("Ü-{index}")}))
            .collect::<Vec<_>>()});
        let filter = (0..members)
            .map(|index| format!("value eq \"ü-{index}\""))
            .collect::<Vec<_>>()
            .join(" or ");
        let message = ScimPatch::new(vec![ScimOperation::remove(format!("members[{filter}]"))]);
        COMPARISONS.with(|count| count.set(0));
        apply_scim_patch(&mut group, &message).unwrap();
        assert_eq!(group, json!({}));
        assert_eq!(COMPARISONS.with(std::cell::Cell::get), members);
    }
}
