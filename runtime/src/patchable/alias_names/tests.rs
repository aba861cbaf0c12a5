//! Tests of [`alias_names`](super): the bound on the readings of the patch that tell an alias
//! from another name.

use core::cell::Cell;

use serde::{Deserialize, Deserializer};
use serde_json::json;

use super::*;
use crate::ScimPatch;

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

/// The SCIM reading's names (attribute paths, a filter's names and the sub-attribute after
/// it, a value's members) take the same bound, the model's spellings of names in another case
/// among the readings.
#[test]
fn many_unknown_scim_names_take_a_bounded_number_of_readings() {
    let element: Map<String, Value> = (0..20).map(|at| (format!("held{at}"), json!(at))).collect();
    let mut base = Value::Object((0..20).map(|at| (format!("held{at}"), json!(at))).collect());
    base["emails"] = json!([element]);
    let operations: Vec<Value> = (0..2_000)
        .flat_map(|at| {
            [
                json!({"op": "add", "path": format!("x{at}"), "value": at}),
                json!({"op": "add", "path": format!("emails[f{at} eq 1].s{at}"), "value": at}),
                json!({"op": "add", "value": {format!("m{at}"): at}}),
            ]
        })
        .collect();
    let message: ScimPatch = serde_json::from_value(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": operations,
    }))
    .unwrap();
    let respellings = Cell::new(0);
    let respell = |_: &mut Value| respellings.set(respellings.get() + 1);
    let reads = reads_of(|| {
        assert!(matches!(
            scim_by_names::<Counted>(&base, &message, &respell),
            Ok(None)
        ));
    });
    let readings = reads + respellings.get();
    assert!(
        reads > 0 && respellings.get() > 0,
        "{reads}, {respellings:?}"
    );
    assert!(readings <= READINGS, "{readings} readings");
}
