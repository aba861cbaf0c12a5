//! The members of a serde_json `Map` kept in their places when one is removed, whichever order
//! the map keeps: sorted (serde_json's default, a `BTreeMap`) or insertion order (its
//! `preserve_order` feature, an `IndexMap`, which any crate of a build may turn on).

use serde_json::{Map, Value};

/// Whether serde_json's `Map` keeps its members in insertion order (its `preserve_order`
/// feature): then `Map::remove` is `swap_remove`, which moves the last member into the removed
/// one's place. Found once, from a map of two keys (a crate cannot test another crate's
/// feature with `cfg`).
pub(crate) fn map_keeps_insertion_order() -> bool {
    static KEEPS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *KEEPS.get_or_init(|| {
        let probe: Map<String, Value> = [("b", Value::Null), ("a", Value::Null)]
            .into_iter()
            .map(|(key, value)| (key.to_owned(), value))
            .collect();
        probe.keys().next().is_some_and(|first| first == "b")
    })
}

/// Removes the member `key` of `object` and returns its value, leaving the other members in
/// their order. A sorted map removes in place; one that keeps insertion order goes through
/// `Map::retain` (its `shift_remove` exists only with serde_json's `preserve_order`, which this
/// crate cannot name), which costs a pass over the object, as a shift would.
pub(crate) fn remove_member(object: &mut Map<String, Value>, key: &str) -> Option<Value> {
    if !map_keeps_insertion_order() {
        return object.remove(key);
    }
    if !object.contains_key(key) {
        return None;
    }
    let mut removed = None;
    object.retain(|name, value| {
        if removed.is_none() && name == key {
            removed = Some(core::mem::take(value));
            false
        } else {
            true
        }
    });
    removed
}
