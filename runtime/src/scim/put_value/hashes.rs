//! The hashes by which an `add` finds the elements that a multi-valued attribute holds: of a
//! JSON value ([`json_hash`]) and of an object's member ([`member_hash`]), that equal values
//! share.

use std::hash::{DefaultHasher, Hash, Hasher};

use serde_json::Value;

use crate::number_identity::{number_identity, numbers_keep_their_text, whole_value};

/// A hash of a JSON value that equal values share ([`same_element`]): an object's members in
/// any order, `0.0` and `-0.0` alike, and, `caseless`, strings in any case.
///
/// [`same_element`]: super::element_equality::same_element
pub(super) fn json_hash(value: &Value, caseless: bool) -> u64 {
    let mut hasher = DefaultHasher::new();
    hash_json(value, caseless, &mut hasher);
    hasher.finish()
}

fn hash_json(value: &Value, caseless: bool, state: &mut DefaultHasher) {
    match value {
        Value::Null => state.write_u8(0),
        Value::Bool(value) => {
            state.write_u8(1);
            value.hash(state);
        }
        Value::Number(number) => {
            state.write_u8(2);
            hash_number(number, state);
        }
        Value::String(text) if caseless => {
            state.write_u8(3);
            text.to_lowercase().hash(state);
        }
        Value::String(text) => {
            state.write_u8(3);
            text.hash(state);
        }
        Value::Array(items) => {
            state.write_u8(4);
            state.write_usize(items.len());
            for item in items {
                hash_json(item, caseless, state);
            }
        }
        Value::Object(members) => {
            state.write_u8(5);
            state.write_usize(members.len());
            // The members' hashes summed: the same in any order.
            let sum = members.iter().fold(0_u64, |sum, (name, value)| {
                sum.wrapping_add(member_hash(name, value, caseless))
            });
            state.write_u64(sum);
        }
    }
}

/// Hashes `number` so that numbers of one value share the hash ([`key_identity`]: `1`,
/// `1.0` and `1e0`; `0.0` and `-0.0`): an integer, and a float whose value is an integer
/// (below 2^127), by that integer; another float by its bits. With serde_json's
/// `arbitrary_precision`, where a number is its text and its value the exact decimal that the
/// text writes, by that value's identity ([`number_identity`]): read there as an integer where
/// the text is one and by its nearest `f64` where it is not, `9007199254740993` and
/// `9007199254740993.0`, one value, had two hashes, and an `add` of the second appended it
/// beside the first (review 69).
///
/// Hashed by their nearest `f64`, distinct wide integers collided: the integers around 2^63
/// that round to one `f64` (2,048 of them) were each compared with every one before them, and
/// an `add` of 16,000 of them (0.4 MB) took 46 s in a test build.
///
/// [`key_identity`]: crate::keyed_array::key_identity
fn hash_number(number: &serde_json::Number, state: &mut DefaultHasher) {
    if numbers_keep_their_text() {
        number_identity(number).hash(state);
        return;
    }
    // Each number is an `i64`, a `u64` or a finite `f64` here.
    let whole = number
        .as_i64()
        .map(i128::from)
        .or_else(|| number.as_u64().map(i128::from))
        .or_else(|| number.as_f64().and_then(whole_value));
    match whole {
        Some(whole) => state.write_i128(whole),
        None => state.write_u64(number.as_f64().map_or(0, f64::to_bits)),
    }
}

/// A hash of an object's member `name` with its `value`, that equal members share
/// ([`json_hash`] of the value; the name as written).
pub(super) fn member_hash(name: &str, value: &Value, caseless: bool) -> u64 {
    let mut member = DefaultHasher::new();
    name.hash(&mut member);
    hash_json(value, caseless, &mut member);
    member.finish()
}
