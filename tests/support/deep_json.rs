//! JSON nested far deeper than serde_json reads from text (128 levels), built in code as a
//! user may build it, and taken apart without recursion: serde_json clones, compares and drops
//! a `Value` by recursion, which overflows a test thread's stack long before 100,000 levels,
//! so a test must neither clone, compare nor drop one whole. Shared by the tests of the
//! functions that walk such values (`tests/compose.rs`, `tests/json_patch_output.rs`).
#![allow(dead_code)]

use serde_json::{Map, Value};

/// `{"a": {"a": ... leaf ...}}`, `depth` objects deep.
pub fn nested(depth: usize, leaf: Value) -> Value {
    (0..depth).fold(leaf, |inner, _| {
        Value::Object(Map::from_iter([("a".to_owned(), inner)]))
    })
}

/// The depth and the leaf of a value made by [`nested`], taken apart level by level (so
/// dropped without recursion).
pub fn dismantle(mut value: Value) -> (usize, Value) {
    let mut depth = 0;
    loop {
        match value {
            Value::Object(mut object) if object.len() == 1 && object.contains_key("a") => {
                value = object.remove("a").expect("the member `a`");
                depth += 1;
            }
            leaf => return (depth, leaf),
        }
    }
}
