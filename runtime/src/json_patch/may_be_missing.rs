//! [`MayBeMissing`]: whether a value of the base is one that a server storing no empty value
//! may lack, each object looked through once, at any depth.

use serde_json::{Map, Value};

/// Whether a value of the base is one that a server storing no empty value may lack: `null`,
/// `[]`, or an object of nothing but such values (`{}`, `{"a": null, "b": {}}`).
///
/// The answer for each object looked through is kept (by its address: the base is borrowed,
/// unchanged, for the whole walk), so that [`members`], which asks for an object and then for
/// the objects inside it, looks through each once: an object found whole is known to be
/// empty, and the objects around a value that is not empty are known not to be. It uses a
/// heap stack, not recursion.
///
/// [`members`]: super::from_merge
#[derive(Default)]
pub(super) struct MayBeMissing {
    known: std::collections::HashMap<*const Map<String, Value>, bool>,
}

/// How deep [`members`] and [`MayBeMissing::check`] go by recursion, without allocating or
/// remembering, before they walk with a heap stack: deeper than any JSON text that serde_json
/// reads (128 levels), so that only values built in code take the walk.
///
/// [`members`]: super::from_merge
pub(super) const SHALLOW_DEPTH: usize = 160;

/// [`MayBeMissing::check`] by recursion, `None` past `depth` levels of objects.
fn shallow_may_be_missing(value: &Value, depth: usize) -> Option<bool> {
    match value {
        Value::Null => Some(true),
        Value::Array(elements) => Some(elements.is_empty()),
        Value::Object(object) => {
            let depth = depth.checked_sub(1)?;
            for value in object.values() {
                if !shallow_may_be_missing(value, depth)? {
                    return Some(false);
                }
            }
            Some(true)
        }
        _ => Some(false),
    }
}

impl MayBeMissing {
    pub(super) fn check(&mut self, value: &Value) -> bool {
        if let Some(answer) = shallow_may_be_missing(value, SHALLOW_DEPTH) {
            return answer;
        }
        let root = match value {
            Value::Null => return true,
            Value::Array(elements) => return elements.is_empty(),
            Value::Object(object) => object,
            _ => return false,
        };
        if let Some(&known) = self.known.get(&core::ptr::from_ref(root)) {
            return known;
        }
        // The objects from `root` down to the one being looked through, each with its values
        // still to look at.
        let mut path = vec![(root, root.values())];
        while let Some((object, values)) = path.last_mut() {
            let object = *object;
            let empty = match values.next() {
                None => {
                    self.known.insert(core::ptr::from_ref(object), true);
                    path.pop();
                    continue;
                }
                Some(Value::Null) => true,
                Some(Value::Array(elements)) => elements.is_empty(),
                Some(Value::Object(inner)) => match self.known.get(&core::ptr::from_ref(inner)) {
                    Some(&known) => known,
                    None => {
                        path.push((inner, inner.values()));
                        continue;
                    }
                },
                Some(_) => false,
            };
            if !empty {
                for (object, _) in path {
                    self.known.insert(core::ptr::from_ref(object), false);
                }
                return false;
            }
        }
        true
    }
}
