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
/// their order: `Map::shift_remove` where serde_json keeps insertion order (its
/// `preserve_order` feature), an O(n) shift of the members after it without rehashing them;
/// else `Map::remove`, which takes the member out of the sorted map in place.
pub(crate) fn remove_member(object: &mut Map<String, Value>, key: &str) -> Option<Value> {
    object.shift_remove(key)
}

/// `Map::shift_remove` for a build without serde_json's `preserve_order`, whose `Map` has no
/// such method (and which this crate cannot test with `cfg`): there `Map::remove` keeps the
/// others' order, since the map is sorted. With the feature the inherent method, found before
/// a trait's, is called, and this one is not. `Map::retain`, the way before, rebuilt the
/// map's hash table on each removal: a message of 10 000 removals from a resource of 40 000
/// attributes took minutes (tests/scim_patch_apply.rs).
#[allow(dead_code, reason = "unused where serde_json keeps insertion order")]
trait ShiftRemove {
    fn shift_remove(&mut self, key: &str) -> Option<Value>;
}

#[allow(dead_code, reason = "unused where serde_json keeps insertion order")]
impl ShiftRemove for Map<String, Value> {
    fn shift_remove(&mut self, key: &str) -> Option<Value> {
        self.remove(key)
    }
}
