//! Whether two elements of a multi-valued attribute are one value ([`same_element`]: as JSON,
//! or as SCIM compares values), and whether an object holds another's members ([`holds_all`]).

use serde_json::Value;

use crate::keyed_array::key_identity;
use crate::number_identity::{numbers_keep_their_text, same_json_number};
use crate::scim::filter::equal_in_any_case;

#[cfg(test)]
thread_local! {
    /// How many times [`holds_all`] compared an element with another, for the test
    /// that the comparisons do not grow with the elements that share a `value`.
    pub(super) static CONTAINMENT_CHECKS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// How many times [`same_element`] compared two values (at any depth), for the test that
    /// distinct values are not compared for sharing a hash.
    pub(super) static ELEMENT_COMPARISONS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Whether `held` is an object that holds every member of the object `element`, equal
/// ([`same_element`]).
pub(super) fn holds_all(held: &Value, element: &Value, caseless: bool) -> bool {
    #[cfg(test)]
    CONTAINMENT_CHECKS.with(|count| count.set(count.get() + 1));
    match (held, element) {
        (Value::Object(held), Value::Object(element)) => element.iter().all(|(name, value)| {
            held.get(name)
                .is_some_and(|held| same_element(held, value, caseless))
        }),
        _ => false,
    }
}

/// Whether `a` and `b` are one value: as JSON (`==` in a build without serde_json's
/// `arbitrary_precision`, numbers as [`same_json_number`] tells in any build), or, `caseless`,
/// as SCIM compares values (strings in any case, numbers by value, at any depth; RFC 7643
/// §2.2, RFC 7644 §3.4.2.2).
pub(super) fn same_element(a: &Value, b: &Value, caseless: bool) -> bool {
    #[cfg(test)]
    ELEMENT_COMPARISONS.with(|count| count.set(count.get() + 1));
    if !caseless && !numbers_keep_their_text() {
        return a == b;
    }
    match (a, b) {
        (Value::String(a), Value::String(b)) if caseless => equal_in_any_case(a, b),
        (Value::Number(_), Value::Number(_)) if caseless => key_identity(a) == key_identity(b),
        (Value::Number(a), Value::Number(b)) => same_json_number(a, b),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_element(a, b, caseless))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(name, a)| b.get(name).is_some_and(|b| same_element(a, b, caseless)))
        }
        _ => a == b,
    }
}
