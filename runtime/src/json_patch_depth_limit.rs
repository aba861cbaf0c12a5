//! The bound on how deep the operations of one RFC 6902 document may nest the document
//! ([`DepthLimit`]), which [`apply_json_patch`](crate::apply_json_patch) keeps so that a few
//! `copy`s of a value into its own deepest member, or `add`s each at the deepest place the one
//! before it made, cannot nest it past what the stack can clone, drop or write.
//!
//! serde_json reads at most 128 levels of text, but each `copy` of `/a` to the deepest place
//! under `/a` doubles how deep `/a` is: eight of them, in a 52 KB body applied to a document
//! 100 levels deep, nested it 25,000 levels deep, and serde_json's `clone` (by recursion)
//! overflowed the thread's stack, aborting the process (the kind of idubrov/json-patch#28:
//! a stack overflow from recursion while applying a patch).

use serde_json::Value;

use crate::JsonPatchOperation;

/// An operation that would nest the document past the limit: how deep, and the limit.
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
/// document is, or as an applied `add` or `replace` has placed its value, or
/// [`DEPTH_LIMIT_FLOOR`] where that is deeper. Only applied operations raise it: the path of
/// an `add` reaches only where the document already does, and counting the paths of
/// operations not yet applied let a failing `add` of a 40,000-token path raise the limit
/// before the `copy`s that nested the document past the stack (review 53). Measured only
/// when an operation is a `copy` or a `move`.
///
/// It also keeps an upper bound on how deep the document is, so that a `move` deeper by one
/// level is checked without walking the moved value: a walk of a large value for every such
/// `move` made 2,000 of them take a minute (review 53). The bound is made exact again, by one
/// walk of the document, when it would pass the limit.
///
/// An `add` or `replace` may nest the document as deep as the document is plus the depth of
/// the deepest value of the operations, or [`DEPTH_LIMIT_FLOOR`] where that is deeper: each
/// places a value at most as deep as the document already reaches, but 150 `add`s of a value
/// 120 levels deep, each at the deepest place that the one before it made (a 2.8 MB body, the
/// path growing by 240 characters each), nested it 18,000 levels deep, and writing it
/// overflowed the stack. Measured (by one walk of the document) only when an `add` or
/// `replace` could pass the floor.
pub(crate) struct DepthLimit {
    /// `None` when no operation is a `copy` or a `move`: nothing is measured.
    measured: Option<Measured>,
    /// How deep an `add` or `replace` may nest the document: `usize::MAX` where none can pass
    /// the floor.
    place_limit: usize,
}

struct Measured {
    limit: usize,
    /// At least as deep as the document is.
    bound: usize,
}

impl Measured {
    /// `depth`, if it is within the limit.
    fn within(&self, depth: usize) -> Result<usize, DepthLimitExceeded> {
        if depth > self.limit {
            return Err(DepthLimitExceeded {
                depth,
                limit: self.limit,
            });
        }
        Ok(depth)
    }
}

impl DepthLimit {
    pub(crate) fn new(document: &Value, operations: &[JsonPatchOperation]) -> Self {
        let copies_or_moves = operations.iter().any(|operation| {
            matches!(
                operation,
                JsonPatchOperation::Copy { .. } | JsonPatchOperation::Move { .. }
            )
        });
        // The deepest value of the `add` and `replace` operations, and the deepest that one
        // of them would nest the document.
        let (mut deepest_value, mut deepest_place) = (0, 0);
        for operation in operations {
            if let JsonPatchOperation::Add { path, value }
            | JsonPatchOperation::Replace { path, value } = operation
            {
                let depth = json_depth(value);
                deepest_value = deepest_value.max(depth);
                deepest_place = deepest_place.max(token_count(path).saturating_add(depth));
            }
        }
        let placed_past_floor = deepest_place > DEPTH_LIMIT_FLOOR;
        let depth = (copies_or_moves || placed_past_floor).then(|| json_depth(document));
        let place_limit = match depth {
            Some(depth) if placed_past_floor => {
                depth.saturating_add(deepest_value).max(DEPTH_LIMIT_FLOOR)
            }
            _ => usize::MAX,
        };
        let measured = depth.filter(|_| copies_or_moves).map(|depth| Measured {
            limit: depth.max(DEPTH_LIMIT_FLOOR),
            bound: depth,
        });
        DepthLimit {
            measured,
            place_limit,
        }
    }

    /// Checks that an `add` or `replace` of `value` at `path` nests the document no deeper
    /// than it may (see [`DepthLimit`]).
    pub(crate) fn check_place(&self, path: &str, value: &Value) -> Result<(), DepthLimitExceeded> {
        if self.place_limit == usize::MAX {
            return Ok(());
        }
        let depth = token_count(path).saturating_add(json_depth(value));
        if depth > self.place_limit {
            return Err(DepthLimitExceeded {
                depth,
                limit: self.place_limit,
            });
        }
        Ok(())
    }

    /// Records an applied `add` or `replace` of `value` at `path`: the document may now be
    /// that deep, and `copy` and `move` may nest it so deep.
    pub(crate) fn placed(&mut self, path: &str, value: &Value) {
        if let Some(measured) = &mut self.measured {
            let depth = token_count(path).saturating_add(json_depth(value));
            measured.limit = measured.limit.max(depth);
            measured.bound = measured.bound.max(depth);
        }
    }

    /// Checks that `value`, copied to `path` (a JSON Pointer), nests the document no deeper
    /// than the limit.
    pub(crate) fn check_copy(
        &mut self,
        path: &str,
        value: &Value,
    ) -> Result<(), DepthLimitExceeded> {
        let Some(measured) = &mut self.measured else {
            return Ok(());
        };
        let depth = measured.within(token_count(path).saturating_add(json_depth(value)))?;
        measured.bound = measured.bound.max(depth);
        Ok(())
    }

    /// Checks that `value`, moved from `from` to `path` (JSON Pointers), nests the document
    /// no deeper than the limit; `document` is the document with `value` removed from
    /// `from`. A value moved no deeper than it was is not measured.
    pub(crate) fn check_move(
        &mut self,
        document: &Value,
        from: &str,
        path: &str,
        value: &Value,
    ) -> Result<(), DepthLimitExceeded> {
        let Some(measured) = &mut self.measured else {
            return Ok(());
        };
        let (from, to) = (token_count(from), token_count(path));
        if to <= from {
            return Ok(());
        }
        // The value sat at `from`, within the bound: it nests at most `bound - from` levels.
        let at_most = measured.bound.saturating_add(to - from);
        if at_most <= measured.limit {
            measured.bound = at_most;
            return Ok(());
        }
        let depth = measured.within(to.saturating_add(json_depth(value)))?;
        measured.bound = json_depth(document).max(depth);
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
        let nested = |depth: usize| (0..depth).fold(json!(1), |inner, _| json!([inner]));
        let operations = [JsonPatchOperation::Move {
            from: "/x".into(),
            path: "/z".into(),
        }];
        let limit = |depth_limit: &DepthLimit| depth_limit.measured.as_ref().map(|m| m.limit);
        let document = json!({"a": {"b": 1}});
        assert_eq!(
            limit(&DepthLimit::new(&document, &operations)),
            Some(DEPTH_LIMIT_FLOOR)
        );
        assert_eq!(
            limit(&DepthLimit::new(&json!({"a": nested(600)}), &operations)),
            Some(601)
        );
        assert_eq!(
            limit(&DepthLimit::new(&document, &[])),
            None,
            "no copy or move"
        );
        // Only what is placed raises it.
        let mut depth_limit = DepthLimit::new(&document, &operations);
        depth_limit.placed("/x/y", &nested(600));
        assert_eq!(limit(&depth_limit), Some(602));

        let mut check = DepthLimit::new(&json!({}), &operations);
        assert!(check.check_copy("/a", &json!(1)).is_ok());
        let deep = nested(DEPTH_LIMIT_FLOOR);
        assert!(check.check_copy("", &deep).is_ok());
        let past = check.check_copy("/a", &deep).unwrap_err();
        assert_eq!(
            (past.depth, past.limit),
            (DEPTH_LIMIT_FLOOR + 1, DEPTH_LIMIT_FLOOR)
        );
    }

    #[test]
    fn a_move_deeper_is_measured_only_when_the_bound_would_pass_the_limit() {
        let operations = [JsonPatchOperation::Move {
            from: "/a".into(),
            path: "/b/c".into(),
        }];
        let document = json!({"a": [[1]], "b": {}});
        let mut check = DepthLimit::new(&document, &operations);
        let bound = |check: &DepthLimit| check.measured.as_ref().map(|m| m.bound);
        assert_eq!(bound(&check), Some(3));
        // Shallower or as deep: nothing changes.
        assert!(
            check
                .check_move(&document, "/b/c", "/a", &json!([[1]]))
                .is_ok()
        );
        assert_eq!(bound(&check), Some(3));
        // One level deeper: the bound grows by one, unmeasured, up to the limit.
        for step in 1..=DEPTH_LIMIT_FLOOR - 3 {
            assert!(
                check
                    .check_move(&document, "/a", "/b/c", &json!([[1]]))
                    .is_ok()
            );
            assert_eq!(bound(&check), Some(3 + step));
        }
        // Past the limit, the value and the document are measured, and the bound is exact.
        let rest = json!({"b": {}});
        assert!(check.check_move(&rest, "/a", "/b/c", &json!([[1]])).is_ok());
        assert_eq!(bound(&check), Some(4));
        // A document as deep as its value: the limit is its depth, and the move one past it.
        let deep = (0..DEPTH_LIMIT_FLOOR).fold(json!(1), |inner, _| json!([inner]));
        let document = json!({"a": deep.clone(), "b": {}});
        let mut check = DepthLimit::new(&document, &operations);
        let past = check
            .check_move(&json!({"b": {}}), "/a", "/b/c", &deep)
            .unwrap_err();
        assert_eq!(
            (past.depth, past.limit),
            (DEPTH_LIMIT_FLOOR + 2, DEPTH_LIMIT_FLOOR + 1)
        );
    }

    /// The bound stays at least the document's depth after a copy placed a deeper value, and
    /// after a move that was measured (where the moved value was shallow, the rest of the
    /// document deep): a later move deeper is then measured and refused past the limit. Found
    /// by mutation testing: with either left out, every test still passed, and the later move
    /// went past the limit unmeasured.
    #[test]
    fn the_bound_covers_the_whole_document_after_a_copy_or_a_measured_move() {
        let nested = |depth: usize| (0..depth).fold(json!(1), |inner, _| json!([inner]));
        let operations = [
            JsonPatchOperation::Copy {
                from: "/a".into(),
                path: "/b".into(),
            },
            JsonPatchOperation::Move {
                from: "/a".into(),
                path: "/b".into(),
            },
        ];
        let thirteen_deep = "/x".repeat(13);
        // A copy of a value 500 deep to 3 levels down: the bound is 503, not the 501 of the
        // document before it.
        let document = json!({"a": nested(500)});
        let mut check = DepthLimit::new(&document, &operations);
        assert!(check.check_copy("/b/c/d", &nested(500)).is_ok());
        let past = check
            .check_move(
                &document,
                "/b",
                &"/x".repeat(12),
                &json!({"c": {"d": nested(500)}}),
            )
            .unwrap_err();
        assert_eq!((past.depth, past.limit), (514, DEPTH_LIMIT_FLOOR));
        // A measured move of a shallow value: the bound stays the depth of the rest of the
        // document (501), not the moved value's 14.
        let mut check = DepthLimit::new(&json!({"a": nested(500), "m": {}}), &operations);
        let rest = json!({"a": nested(500)});
        assert!(
            check
                .check_move(&rest, "/m", &thirteen_deep, &json!({}))
                .is_ok()
        );
        let past = check
            .check_move(&json!({}), "/a", &thirteen_deep, &nested(500))
            .unwrap_err();
        assert_eq!((past.depth, past.limit), (513, DEPTH_LIMIT_FLOOR));
    }
}
