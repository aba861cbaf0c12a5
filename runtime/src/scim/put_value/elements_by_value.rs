//! [`ElementsByValue`]: the complex elements of a multi-valued attribute by their `value` and
//! their other sub-attributes, for an `add` that appends only the elements not held.

use std::collections::HashMap;

use serde_json::Value;

use super::element_equality::holds_all;
use super::hashes::member_hash;

/// The complex elements of a multi-valued attribute that have a `value` sub-attribute, by the
/// hash of their `value` ([`json_hash`]) and, once two elements share one, by that hash with
/// each other sub-attribute's ([`member_hash`]), for [`append_new`]'s question whether an
/// element holds another's `value` and its other sub-attributes.
///
/// Looked up by `value` alone, the elements that share one `value` were each compared in
/// turn: an `add` of 4,000 emails of one address, each with its own `type`, took 1.9 s, and
/// 16,000 took 31 s (quadratic). An element is now compared only with those that share its
/// `value` and the one of its other sub-attributes that the fewest share; an element that
/// gives a sub-attribute that none of them has is compared with none.
///
/// [`json_hash`]: super::hashes::json_hash
/// [`append_new`]: super::append::append_new
pub(super) struct ElementsByValue {
    caseless: bool,
    /// The elements' positions by the hash of their `value`.
    by_value: HashMap<u64, Vec<usize>>,
    /// The elements' positions by the hash of their `value` and the hash of one other
    /// sub-attribute (its name and value), one entry for each; built at the first question
    /// about a `value` that two elements share (a group's members, each of its own `value`,
    /// never need it).
    by_member: Option<HashMap<(u64, u64), Vec<usize>>>,
}

impl ElementsByValue {
    pub(super) fn new(caseless: bool) -> Self {
        ElementsByValue {
            caseless,
            by_value: HashMap::new(),
            by_member: None,
        }
    }

    /// Indexes the element at `at`, an object whose `value` hashes to `value`.
    pub(super) fn insert(&mut self, at: usize, element: &Value, value: u64) {
        self.by_value.entry(value).or_default().push(at);
        if let Some(by_member) = &mut self.by_member {
            index_members(by_member, at, element, value, self.caseless);
        }
    }

    /// Whether one of `items` that this index holds holds every sub-attribute of `element`
    /// ([`holds_all`]), an object whose `value` hashes to `value`.
    pub(super) fn holds(&mut self, items: &[Value], element: &Value, value: u64) -> bool {
        let caseless = self.caseless;
        let mut candidates = self.by_value.get(&value).map_or(&[][..], Vec::as_slice);
        if candidates.len() > 1 {
            let by_member = self.by_member.get_or_insert_with(|| {
                let mut by_member = HashMap::new();
                for (&value, ats) in &self.by_value {
                    for &at in ats {
                        index_members(&mut by_member, at, &items[at], value, caseless);
                    }
                }
                by_member
            });
            for (name, member) in element.as_object().into_iter().flatten() {
                if candidates.is_empty() {
                    break;
                }
                if name != "value" {
                    let key = (value, member_hash(name, member, caseless));
                    let sharing = by_member.get(&key).map_or(&[][..], Vec::as_slice);
                    if sharing.len() < candidates.len() {
                        candidates = sharing;
                    }
                }
            }
        }
        candidates
            .iter()
            .any(|&at| holds_all(&items[at], element, caseless))
    }
}

/// Adds to `by_member` the element at `at`, whose `value` hashes to `value`, under each of its
/// other sub-attributes ([`ElementsByValue`]).
fn index_members(
    by_member: &mut HashMap<(u64, u64), Vec<usize>>,
    at: usize,
    element: &Value,
    value: u64,
    caseless: bool,
) {
    for (name, member) in element.as_object().into_iter().flatten() {
        if name != "value" {
            let key = (value, member_hash(name, member, caseless));
            by_member.entry(key).or_default().push(at);
        }
    }
}
