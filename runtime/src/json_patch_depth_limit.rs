//! The bound on how deep the `copy` and `move` operations of one RFC 6902 document may nest
//! the document ([`DepthLimit`]), which [`apply_json_patch`](crate::apply_json_patch) keeps so
//! that a few `copy`s of a value into its own deepest member cannot nest it past what the
//! stack can clone, drop or write.
//!
//! serde_json reads at most 128 levels of text, but each `copy` of `/a` to the deepest place
//! under `/a` doubles how deep `/a` is: eight of them, in a 52 KB body applied to a document
//! 100 levels deep, nested it 25,000 levels deep, and serde_json's `clone` (by recursion)
//! overflowed the thread's stack, aborting the process (the kind of idubrov/json-patch#28:
//! a stack overflow from recursion while applying a patch).

use serde_json::Value;

use crate::JsonPatchOperation;

/// A `copy` or `move` that would nest the document past the limit: how deep, and the limit.
pub(crate) struct DepthLimitExceeded {
    pub(crate) depth: usize,
    pub(crate) limit: usize,
}

/// The least depth that one call's `copy` and `move` operations may nest the document to,
/// whatever the depth of the document and of the operations' values: four times the 128
/// levels that serde_json reads from text, and far below the depth at which its recursive
/// `clone`, `drop` and writing overflow a thread's 2 MiB stack.
pub(crate) const DEPTH_LIMIT_FLOOR: usize = 512;

/// How deep one call's `copy` and `move` operations may nest the document: as deep as the
/// document is, or as an `add` or `replace` places its value, or [`DEPTH_LIMIT_FLOOR`]
/// where that is deeper. (`add` and `replace` bring only values that the operations hold,
/// at places their paths name, so they nest no deeper than that.) Measured only when an
/// operation is a `copy` or a `move`.
pub(crate) struct DepthLimit {
    limit: Option<usize>,
}

impl DepthLimit {
    pub(crate) fn new(document: &Value, operations: &[JsonPatchOperation]) -> Self {
        let copies_or_moves = operations.iter().any(|operation| {
            matches!(
                operation,
                JsonPatchOperation::Copy { .. } | JsonPatchOperation::Move { .. }
            )
        });
        let limit = copies_or_moves.then(|| {
            let values = operations.iter().map(|operation| match operation {
                JsonPatchOperation::Add { path, value }
                | JsonPatchOperation::Replace { path, value } => {
                    token_count(path).saturating_add(json_depth(value))
                }
                _ => 0,
            });
            values
                .fold(json_depth(document), usize::max)
                .max(DEPTH_LIMIT_FLOOR)
        });
        DepthLimit { limit }
    }

    /// Checks that `value`, placed at `path` (a JSON Pointer), nests the document no deeper
    /// than the limit.
    pub(crate) fn check(&self, path: &str, value: &Value) -> Result<(), DepthLimitExceeded> {
        let Some(limit) = self.limit else {
            return Ok(());
        };
        let depth = token_count(path).saturating_add(json_depth(value));
        if depth > limit {
            return Err(DepthLimitExceeded { depth, limit });
        }
        Ok(())
    }
}

/// How many reference tokens a JSON Pointer has: how many levels below the document's top
/// its value sits.
fn token_count(path: &str) -> usize {
    path.bytes().filter(|&byte| byte == b'/').count()
}

/// How many levels of arrays and objects `value` nests: 0 for a string, number, boolean or
/// `null`, 1 for `[]`, `{}` and `{"a": 1}`, 2 for `{"a": []}`. Walked with a heap stack, not
/// recursion.
fn json_depth(value: &Value) -> usize {
    let mut deepest = 0;
    let mut pending = vec![(value, 0_usize)];
    while let Some((value, above)) = pending.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match value {
            Value::Array(elements) => Box::new(elements.iter()),
            Value::Object(members) => Box::new(members.values()),
            _ => continue,
        };
        let depth = above + 1;
        deepest = deepest.max(depth);
        pending.extend(children.map(|child| (child, depth)));
    }
    deepest
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{DEPTH_LIMIT_FLOOR, DepthLimit, json_depth, token_count};
    use crate::JsonPatchOperation;

    #[test]
    fn depth_counts_levels_of_arrays_and_objects() {
        for (value, depth) in [
            (json!(1), 0),
            (json!("a"), 0),
            (json!(null), 0),
            (json!([]), 1),
            (json!({}), 1),
            (json!({"a": 1}), 1),
            (json!({"a": []}), 2),
            (json!([1, [2, [3]], {"b": {"c": {}}}]), 4),
        ] {
            assert_eq!(json_depth(&value), depth, "{value}");
        }
        assert_eq!(token_count(""), 0);
        assert_eq!(token_count("/"), 1);
        assert_eq!(token_count("/a/0/~1"), 3);
    }

    #[test]
    fn the_limit_is_the_deepest_of_the_document_and_the_placed_values_or_the_floor() {
        let operations = |depth: usize| -> Vec<JsonPatchOperation> {
            let mut value = json!(1);
            for _ in 0..depth {
                value = json!([value]);
            }
            vec![
                JsonPatchOperation::Add {
                    path: "/x/y".into(),
                    value,
                },
                JsonPatchOperation::Move {
                    from: "/x".into(),
                    path: "/z".into(),
                },
            ]
        };
        let limit = |operations: &[JsonPatchOperation]| {
            DepthLimit::new(&json!({"a": {"b": 1}}), operations).limit
        };
        assert_eq!(limit(&operations(3)), Some(DEPTH_LIMIT_FLOOR));
        assert_eq!(limit(&operations(600)), Some(602));
        assert_eq!(limit(&operations(3)[..1]), None, "no copy or move");
        let check = DepthLimit::new(&json!({}), &operations(0));
        assert!(check.check("/a", &json!(1)).is_ok());
        let deep = (0..DEPTH_LIMIT_FLOOR).fold(json!(1), |inner, _| json!([inner]));
        assert!(check.check("", &deep).is_ok());
        let past = check.check("/a", &deep).unwrap_err();
        assert_eq!(
            (past.depth, past.limit),
            (DEPTH_LIMIT_FLOOR + 1, DEPTH_LIMIT_FLOOR)
        );
    }
}
