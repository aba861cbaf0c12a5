//! The names of a SCIM message's change that a typed model does not read where serde reads
//! names from its own buffer (below a flattened field, inside an internally tagged or
//! untagged enum), for [`Patch::from_scim_patch`](crate::Patch::from_scim_patch): there the
//! names cannot be spelled as the model spells them ([`respell_as_model`](super::respell_as_model)),
//! and a name that the message spelled in another case (`LifeCount` for `lifeCount`) was
//! dropped without a word (review 170). A name that the model does not read there may be one
//! of its names in another case, which the reading cannot tell: it is refused.

use serde::Serialize;
use serde_json::{Value, json};

use super::name_paths::{NamePath, Step};

/// The first of `unchecked` (paths of names in `changed`, as
/// [`respell_as_model`](super::respell_as_model) gives them) that the model does not read:
/// `changed` read as the model (`read`) and written back holds the name in another ASCII case
/// beside it (a model's field, the name read by a flattened map), or does not hold the name
/// with the value that `changed` gives it, and the model read with another value there (an
/// object that no typed attribute but a map or a JSON value takes) is the model read without
/// the name (`same`). `None` where `changed` does not read as the model (the typed reading
/// reports that).
///
/// A name that the model writes back as `changed` holds it is read, unless a case variant of
/// it is written beside it. One that it writes back otherwise (a `skip_deserializing` field's
/// default) or does not write (`None` left out by `skip_serializing_if`, a `skip_serializing`
/// field) is probed: a name that the model reads takes the probe's object as an error, or as
/// another model. A case variant of a field that is not written back (`None` left out),
/// beside a flattened map, cannot be told from a custom attribute there: the map reads it.
/// Each name probed costs two readings of the model.
pub(crate) fn first_unread<M: Serialize>(
    changed: &Value,
    unchecked: &[NamePath],
    read: impl Fn(Value) -> Option<M>,
    same: impl Fn(&M, &M) -> bool,
) -> Option<NamePath> {
    if unchecked.is_empty() {
        return None;
    }
    let written = serde_json::to_value(read(changed.clone())?).ok()?;
    unchecked
        .iter()
        .find(|path| {
            let Some((Step::Member(name), parent)) = path.0.split_last() else {
                return false;
            };
            let parent = NamePath(parent.to_vec());
            if let Some(found) = path.find(&written) {
                if another_case_written(&parent, name, &written) {
                    return true;
                }
                // Written back as the message gave it: read. Written back otherwise (a
                // `skip_deserializing` field's default), it is probed.
                if path.find(changed) == Some(found) {
                    return false;
                }
            }
            let with = |value: Option<Value>| {
                let mut probe = changed.clone();
                if let Some(Value::Object(members)) = parent.find_mut(&mut probe) {
                    match value {
                        Some(value) => {
                            members.insert(name.clone(), value);
                        }
                        None => {
                            members.remove(name);
                        }
                    }
                }
                read(probe)
            };
            match (with(Some(probe())), with(None)) {
                (Some(probed), Some(without)) => same(&probed, &without),
                _ => false,
            }
        })
        .cloned()
}

/// Whether the model wrote back, beside `name` at `parent`, the same name in another ASCII case
/// (RFC 7643 §2.1): `name` was read by something that takes any name (a flattened map of
/// custom attributes), not by the model's field of that name. `changed` never holds two case
/// variants that the base did not hold (the applier takes one for the other), and `name` is
/// one the base did not hold: the other is the model's.
fn another_case_written(parent: &NamePath, name: &str, written: &Value) -> bool {
    let Some(Value::Object(members)) = parent.find(written) else {
        return false;
    };
    members
        .keys()
        .any(|key| key != name && key.eq_ignore_ascii_case(name))
}

/// The value that a probe puts at a name: an object that no attribute of a model's own types
/// takes (a typed attribute refuses it, or reads another value), which a map or a JSON value
/// holds.
fn probe() -> Value {
    json!({"\u{0}sparse-patch probe": [null, {}]})
}
