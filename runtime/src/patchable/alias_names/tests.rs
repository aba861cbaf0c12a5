//! Tests of [`alias_names`](super): the bound on the readings of the patch that tell an alias
//! from another name.

use core::cell::Cell;

use serde::{Deserialize, Deserializer};
use serde_json::json;

use super::*;

std::thread_local! {
    /// How many times [`Counted`] was read on this thread.
    static READS: Cell<usize> = const { Cell::new(0) };
}

/// A patch that counts its readings and reads anything: no two names are one field.
struct Counted;

impl<'de> Deserialize<'de> for Counted {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        READS.with(|reads| reads.set(reads.get() + 1));
        serde::de::IgnoredAny::deserialize(deserializer)?;
        Ok(Counted)
    }
}

fn reads_of(change: impl FnOnce()) -> usize {
    READS.with(|reads| reads.set(0));
    change();
    READS.with(Cell::get)
}

/// A change of 2,000 names that the model's JSON (of 20 attributes) does not hold: each
/// could be an alias of any of them, and one reading per pair was 40,000 readings (15 s
/// in a debug build); the change takes [`READINGS`] at most, and its later names are
/// read as written.
#[test]
fn many_unknown_names_take_a_bounded_number_of_readings() {
    let base = Value::Object((0..20).map(|at| (format!("held{at}"), json!(at))).collect());
    let operations: Vec<JsonPatchOperation> = (0..2_000)
        .map(|at| JsonPatchOperation::Add {
            path: format!("/x{at}"),
            value: json!(at),
        })
        .collect();
    let reads = reads_of(|| {
        assert!(matches!(
            json_patch_by_names::<Counted>(&base, &operations),
            Ok(None)
        ));
    });
    assert!((1..=READINGS).contains(&reads), "{reads} readings");

    let members: Map<String, Value> = (0..2_000).map(|at| (format!("x{at}"), json!(at))).collect();
    let mut changed = base.clone();
    changed.as_object_mut().unwrap().extend(members);
    let reads = reads_of(|| {
        members_by_names::<Counted>(&base, &mut changed).unwrap();
    });
    assert!((1..=READINGS).contains(&reads), "{reads} readings");
}
