//! The bound on what the `copy` operations of one RFC 6902 document may copy together
//! ([`CopyBudget`]), which [`apply_json_patch`](crate::apply_json_patch) keeps so that a few
//! `copy`s of what earlier ones made cannot grow a document exponentially.

use serde_json::Value;

use crate::JsonPatchOperation;

/// A `copy` that would bring the size copied past the limit: the size with it, and the limit.
pub(crate) struct CopyLimitExceeded {
    pub(crate) copied: usize,
    pub(crate) limit: usize,
}

/// The least size that one call's `copy` operations may copy together, whatever the size of
/// the document: 16 MiB of [`json_size`], the largest body the PingOne client reads
/// (`MAX_BODY_BYTES`). At 1 MiB, an ordinary document was refused: 6,000 `copy`s of a
/// 180-character template into a list, a 330 KB body making 1.2 MB (review 37), since a
/// `copy` holds no value to count.
pub(crate) const COPY_LIMIT_FLOOR: usize = 16 << 20;

/// What one call's `copy` operations may still copy: the size of the document and of the
/// operations' values, or [`COPY_LIMIT_FLOOR`] where that is smaller. The document is only
/// measured when an operation is a `copy`.
pub(crate) struct CopyBudget {
    limit: Option<usize>,
    copied: usize,
}

impl CopyBudget {
    pub(crate) fn new(document: &Value, operations: &[JsonPatchOperation]) -> Self {
        let copies = operations
            .iter()
            .any(|operation| matches!(operation, JsonPatchOperation::Copy { .. }));
        let limit = copies.then(|| {
            let values = operations.iter().map(|operation| match operation {
                JsonPatchOperation::Add { value, .. }
                | JsonPatchOperation::Replace { value, .. }
                | JsonPatchOperation::Test { value, .. } => json_size(value),
                _ => 0,
            });
            values
                .fold(json_size(document), usize::saturating_add)
                .max(COPY_LIMIT_FLOOR)
        });
        CopyBudget { limit, copied: 0 }
    }

    /// Counts a copy of `value`, or says that it would go past the limit.
    pub(crate) fn spend(&mut self, value: &Value) -> Result<(), CopyLimitExceeded> {
        let limit = self.limit.unwrap_or(usize::MAX);
        let copied = self.copied.saturating_add(json_size(value));
        if copied > limit {
            return Err(CopyLimitExceeded { copied, limit });
        }
        self.copied = copied;
        Ok(())
    }
}

/// The size of a JSON value for [`CopyBudget`]: one per value and per object member, plus the
/// bytes of its strings and member names (about the length of its JSON text). Walked with a
/// heap stack, not recursion.
fn json_size(value: &Value) -> usize {
    let mut size = 0_usize;
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        size = size.saturating_add(1);
        match value {
            Value::String(text) => size = size.saturating_add(text.len()),
            Value::Array(elements) => pending.extend(elements),
            Value::Object(members) => {
                for (name, value) in members {
                    size = size.saturating_add(name.len() + 1);
                    pending.push(value);
                }
            }
            _ => {}
        }
    }
    size
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value, json};

    use super::{COPY_LIMIT_FLOOR, CopyBudget, json_size};

    #[test]
    fn sizes_count_values_members_and_bytes() {
        assert_eq!(json_size(&json!(null)), 1);
        assert_eq!(json_size(&json!("xyz")), 4);
        assert_eq!(json_size(&json!([])), 1);
        // The object, "ab" and its string, "c" and its array of two.
        assert_eq!(
            json_size(&json!({"ab": "xyz", "c": [1, null]})),
            1 + 3 + 4 + 2 + 3
        );
        // By bytes, not chars.
        assert_eq!(json_size(&json!("é")), 3);
    }

    #[test]
    fn a_value_deeper_than_recursion_allows_is_measured() {
        let mut value = Value::Null;
        for _ in 0..100_000 {
            value = Value::Object(Map::from_iter([("a".to_owned(), value)]));
        }
        assert_eq!(json_size(&value), 100_000 * 3 + 1);
        // Taken apart level by level: serde_json drops a value by recursion.
        while let Value::Object(mut members) = value {
            value = members.remove("a").unwrap_or(Value::Null);
        }
    }

    #[test]
    fn the_limit_is_the_input_size_at_least_the_floor() {
        let copy = serde_json::from_value(json!({"op": "copy", "from": "/a", "path": "/b"}));
        let operations = [copy.unwrap()];
        let mut small = CopyBudget::new(&json!({"a": 1}), &operations);
        assert_eq!(small.limit, Some(COPY_LIMIT_FLOOR));
        let text = "x".repeat(COPY_LIMIT_FLOOR - 1);
        assert!(small.spend(&json!(text)).is_ok());
        assert!(small.spend(&json!(1)).is_err());
        let big = json!({"a": "x".repeat(2 * COPY_LIMIT_FLOOR)});
        let budget = CopyBudget::new(&big, &operations);
        assert_eq!(budget.limit, Some(2 * COPY_LIMIT_FLOOR + 4));
        // Without a `copy` the document is not measured.
        assert_eq!(CopyBudget::new(&big, &[]).limit, None);
    }

    /// The limit is the size of the document and of the operations' values
    /// (`apply_json_patch`'s docs): the value of an `add`, a `replace` or a `test` (RFC 6902
    /// §4.1, §4.3, §4.6) counts as the document does. (Mutation testing: a `test`'s value left
    /// out of the sum went unnoticed.)
    #[test]
    fn the_values_of_add_replace_and_test_count_toward_the_limit() {
        let text = "x".repeat(COPY_LIMIT_FLOOR);
        for op in ["add", "replace", "test"] {
            let operations: Vec<crate::JsonPatchOperation> = serde_json::from_value(json!([
                {"op": op, "path": "/v", "value": text},
                {"op": "copy", "from": "/a", "path": "/b"},
            ]))
            .unwrap();
            let budget = CopyBudget::new(&json!(null), &operations);
            // `null` is 1; the string is 1 plus its bytes.
            assert_eq!(budget.limit, Some(1 + COPY_LIMIT_FLOOR + 1), "{op}");
        }
    }
}
