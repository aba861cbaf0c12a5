//! [`JsonPatchPlan`]: RFC 6902 operations shown as a plan, one line per operation, with the
//! value each one changes.

use core::fmt;

use serde_json::Value;

use crate::json_patch_apply::OperationApplier;
use crate::{JsonPatchError, JsonPatchOperation};

/// RFC 6902 operations shown as a plan of what they change in `base`, the document they
/// apply to: one line per operation, in order, each with the value it replaces or removes as
/// the operations before it left the document (a "terraform plan"-like view of a
/// [`diff`](crate::Patchable::diff), of the sync job's planned patch, or of any
/// [`to_json_patch`](crate::Patch::to_json_patch) output). Nothing is changed: the
/// operations are applied to a copy of `base`, as [`apply_json_patch`](crate::apply_json_patch)
/// would.
///
/// Each line is a sign, the JSON Pointer (RFC 6901; the whole document, `""`, as `(root)`;
/// one holding a line break, a control character, `"` or `\`, quoted and escaped as the
/// errors quote it: `"/a\nb"`), and the values as compact JSON:
///
/// - `+ /title: "Dr"`: an `add` (§4.1) or `copy` (§4.5) where the document held nothing, or
///   at an array's index, where it inserts (a `copy` ends with `(copied from /from)`);
/// - `~ /name/given: "Ann" -> "Anne"`: an `add`, `replace` (§4.3) or `copy` over a value (an
///   object's member; a `replace` of an array's element);
/// - `= /address: {}`: an `add` of the value already there (to_json_patch adds an empty
///   object or array that a server's document may lack, so that the operation after it
///   finds it);
/// - `- /nickname: "Dave"`: a `remove` (§4.2), with the value removed;
/// - `> /from -> /path: value`: a `move` (§4.4);
/// - `? /etag == "7"`: a `test` (§4.6).
///
/// An operation that cannot be applied there (its path does not exist, a `test` that fails)
/// ends with `(does not apply: …)`, the reason as [`JsonPatchError`](crate::JsonPatchError)
/// says it, and the lines after it show the document as the operations before it left it
/// (RFC 6902 §5 would fail the whole document). Values are shown whole, as serde_json writes
/// them: the C0 control characters (U+0000 to U+001F, line breaks among them) escaped, so
/// that each operation is one line, but not DEL, the C1 controls or bidirectional marks,
/// which a program that prints the plan to a terminal escapes itself (as `sync_users
/// --show-changes` does); lines are separated by `\n`, without one after the
/// last; no operations show nothing.
///
/// ```
/// use serde_json::json;
/// use sparse_patch::{JsonPatchPlan, json_patch_from_merge};
///
/// let current = json!({"name": {"given": "Ann", "family": "Lee"}, "nickname": "Annie"});
/// let merge = json!({"name": {"given": "Anne"}, "nickname": null, "title": "Dr"});
/// let operations = json_patch_from_merge(&current, &merge).unwrap();
/// assert_eq!(
///     JsonPatchPlan::new(&current, &operations).to_string(),
///     "~ /name/given: \"Ann\" -> \"Anne\"\n- /nickname: \"Annie\"\n+ /title: \"Dr\""
/// );
/// ```
#[derive(Debug, Clone, Copy)]
pub struct JsonPatchPlan<'a> {
    base: &'a Value,
    operations: &'a [JsonPatchOperation],
}

impl<'a> JsonPatchPlan<'a> {
    /// The plan of `operations` on `base`.
    #[must_use]
    pub fn new(base: &'a Value, operations: &'a [JsonPatchOperation]) -> Self {
        JsonPatchPlan { base, operations }
    }
}

impl fmt::Display for JsonPatchPlan<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut document = self.base.clone();
        let mut applier = OperationApplier::new(&document, self.operations);
        for (index, operation) in self.operations.iter().enumerate() {
            if index > 0 {
                f.write_str("\n")?;
            }
            line(f, operation, &document)?;
            // A failing operation's reason ends its line, and the operations after it are
            // shown on the document as it was before it.
            match applier.apply(&mut document, index, operation) {
                Ok(()) => {}
                Err(JsonPatchError::Operation { fault, .. }) => {
                    write!(f, " (does not apply: {fault})")?;
                }
                Err(JsonPatchError::CopyLimit { limit, .. }) => {
                    write!(f, " (does not apply: it copies past the limit of {limit})")?;
                }
                Err(JsonPatchError::DepthLimit { depth, limit, .. }) => write!(
                    f,
                    " (does not apply: it nests the document {depth} levels deep, \
                     past the limit of {limit})"
                )?,
                // Not made by applying operations.
                Err(JsonPatchError::Serialize(_) | JsonPatchError::Patch(_)) => break,
            }
        }
        Ok(())
    }
}

/// One operation's line, `before` the document it applies to.
fn line(f: &mut fmt::Formatter<'_>, operation: &JsonPatchOperation, before: &Value) -> fmt::Result {
    let held = |path: &str| before.pointer(path).filter(|value| !value.is_null());
    // An `add` (or `copy`) into an array inserts: it replaces no element (RFC 6902 §4.1).
    let replaced = |path: &str| held(path).filter(|_| !in_array(before, path));
    match operation {
        JsonPatchOperation::Add { path, value } => set(f, path, replaced(path), value),
        JsonPatchOperation::Replace { path, value } => set(f, path, held(path), value),
        JsonPatchOperation::Copy { from, path } => {
            match before.pointer(from) {
                Some(value) => set(f, path, replaced(path), value)?,
                None => write!(f, "+ {}", Pointer(path))?,
            }
            write!(f, " (copied from {})", Pointer(from))
        }
        JsonPatchOperation::Remove { path } => match held(path) {
            Some(old) => write!(f, "- {}: {old}", Pointer(path)),
            None => write!(f, "- {}", Pointer(path)),
        },
        JsonPatchOperation::Move { from, path } => {
            write!(f, "> {} -> {}", Pointer(from), Pointer(path))?;
            match before.pointer(from) {
                Some(value) => write!(f, ": {value}"),
                None => Ok(()),
            }
        }
        JsonPatchOperation::Test { path, value } => write!(f, "? {} == {value}", Pointer(path)),
    }
}

/// Whether `path` names an element of an array of `document` (its parent is an array), where
/// an `add` inserts (RFC 6902 §4.1: the elements from that index on shift).
fn in_array(document: &Value, path: &str) -> bool {
    path.rfind('/')
        .and_then(|slash| document.pointer(&path[..slash]))
        .is_some_and(Value::is_array)
}

/// The line of a value set at `path` over `old`: `+`, `~` or `=`.
fn set(f: &mut fmt::Formatter<'_>, path: &str, old: Option<&Value>, new: &Value) -> fmt::Result {
    match old {
        None => write!(f, "+ {}: {new}", Pointer(path)),
        Some(old) if crate::json_equality::json_equal(old, new) => {
            write!(f, "= {}: {new}", Pointer(path))
        }
        Some(old) => write!(f, "~ {}: {old} -> {new}", Pointer(path)),
    }
}

/// A JSON Pointer as a plan's line shows it: the whole document (`""`) as `(root)`; a
/// pointer that starts with `/` and holds only characters that Rust's `Debug` writes as they
/// are, as it is; any other quoted and escaped as `Debug` writes a string (as the errors
/// quote it): a pointer is the caller's text (a map key from a feed), and one holding a line
/// break, a terminal's escape or `"` would otherwise break the line into two, forge a line,
/// or read as another pointer (`"(root)"`).
struct Pointer<'a>(&'a str);

impl fmt::Display for Pointer<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plain = |c: char| c == '\'' || c.escape_debug().len() == 1;
        if self.0.is_empty() {
            f.write_str("(root)")
        } else if self.0.starts_with('/') && self.0.chars().all(plain) {
            f.write_str(self.0)
        } else {
            write!(f, "{:?}", self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::JsonPatchPlan;
    use crate::JsonPatchOperation;

    fn plan(base: &serde_json::Value, operations: serde_json::Value) -> String {
        let operations: Vec<JsonPatchOperation> = serde_json::from_value(operations).unwrap();
        JsonPatchPlan::new(base, &operations).to_string()
    }

    /// Each operation's line: set over nothing, over a value, over the same value; removed;
    /// moved; copied; tested; the root; each read on the document as the operations before it
    /// left it (the `replace` after the `add` sees the added value).
    #[test]
    fn each_operation_is_one_line_with_the_value_it_changes() {
        let base = json!({"name": {"given": "Ann"}, "nickname": "Annie", "address": {}, "n": null});
        let shown = plan(
            &base,
            json!([
                {"op": "add", "path": "/title", "value": "Dr"},
                {"op": "replace", "path": "/title", "value": "Prof"},
                {"op": "add", "path": "/name/given", "value": "Anne"},
                {"op": "add", "path": "/address", "value": {}},
                {"op": "add", "path": "/n", "value": 1},
                {"op": "remove", "path": "/nickname"},
                {"op": "move", "from": "/title", "path": "/rank"},
                {"op": "copy", "from": "/rank", "path": "/name/prefix"},
                {"op": "test", "path": "/rank", "value": "Prof"},
                {"op": "replace", "path": "", "value": {}},
            ]),
        );
        assert_eq!(
            shown.lines().collect::<Vec<_>>(),
            [
                r#"+ /title: "Dr""#,
                r#"~ /title: "Dr" -> "Prof""#,
                r#"~ /name/given: "Ann" -> "Anne""#,
                "= /address: {}",
                "+ /n: 1",
                r#"- /nickname: "Annie""#,
                r#"> /title -> /rank: "Prof""#,
                r#"+ /name/prefix: "Prof" (copied from /rank)"#,
                r#"? /rank == "Prof""#,
                // The document's members in serde_json's order (sorted, or as inserted with
                // `preserve_order`): written by serde_json too.
                &format!(
                    "~ (root): {} -> {{}}",
                    json!({"name": {"given": "Anne", "prefix": "Prof"}, "address": {}, "n": 1, "rank": "Prof"})
                ),
            ]
        );
        assert_eq!(plan(&base, json!([])), "");
    }

    /// An operation that does not apply says so and why; the lines after it read the document
    /// as it was before it.
    #[test]
    fn an_operation_that_does_not_apply_says_so_and_the_rest_are_shown() {
        let base = json!({"title": "Dr"});
        let shown = plan(
            &base,
            json!([
                {"op": "remove", "path": "/nickname"},
                {"op": "test", "path": "/title", "value": "Prof"},
                {"op": "add", "path": "/title", "value": "Prof"},
                {"op": "copy", "from": "/missing", "path": "/copy"},
            ]),
        );
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines.len(), 4, "{shown}");
        assert!(
            lines[0].starts_with("- /nickname (does not apply: "),
            "{shown}"
        );
        assert!(
            lines[1].starts_with(r#"? /title == "Prof" (does not apply: "#),
            "{shown}"
        );
        assert_eq!(lines[2], r#"~ /title: "Dr" -> "Prof""#);
        // A `copy` from nothing adds nothing that the plan could show.
        assert!(
            lines[3].starts_with("+ /copy (copied from /missing) (does not apply: "),
            "{shown}"
        );
    }

    /// An operation refused by the copy or the depth limit (which `apply_json_patch` measures
    /// once for the whole document) says which limit, as the one refused for another reason
    /// says why.
    #[test]
    fn an_operation_past_a_limit_says_which_limit() {
        // A document of 9 MiB may copy 16 MiB: the second copy of its string is past that.
        let base = json!({"a": "x".repeat(9 << 20), "b": {}});
        let shown = plan(
            &base,
            json!([
                {"op": "copy", "from": "/a", "path": "/b/a"},
                {"op": "copy", "from": "/a", "path": "/b/b"},
            ]),
        );
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(!lines[0].contains("does not apply"));
        assert!(
            lines[1].ends_with(" (does not apply: it copies past the limit of 16777216)"),
            "{}",
            &lines[1][lines[1].len() - 80..]
        );
        // A document 602 levels deep may be nested 602 levels deep.
        let inner = (0..600).fold(json!({}), |inner, _| json!({"a": inner}));
        let base = json!({"a": inner, "b": {}});
        let shown = plan(
            &base,
            json!([
                {"op": "copy", "from": "/a", "path": "/b/c"},
                {"op": "add", "path": "/d", "value": 1},
            ]),
        );
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(
            lines[0].ends_with(
                " (does not apply: it nests the document 603 levels deep, past the limit of 602)"
            ),
            "{}",
            &lines[0][lines[0].len() - 100..]
        );
        assert_eq!(lines[1], "+ /d: 1");
    }

    /// An `add` or `copy` at an array's index inserts there, the elements from it on shifting
    /// (RFC 6902 §4.1, §4.5): it was shown as a change of the element it found there
    /// (`~ /arr/0: 1 -> 9`), or as no change when that element equalled the value (`=
    /// /arr/0: 9`, where a second `9` is inserted). It is shown as an insertion; a `replace`
    /// there as before, and an `add` at an object's member named `0` too.
    #[test]
    fn an_add_or_copy_into_an_array_is_an_insertion() {
        let base = json!({"arr": [1, 2], "o": {"0": 5}});
        let shown = plan(
            &base,
            json!([
                {"op": "add", "path": "/arr/0", "value": 9},
                {"op": "add", "path": "/arr/0", "value": 9},
                {"op": "copy", "from": "/arr/1", "path": "/arr/1"},
                {"op": "add", "path": "/arr/-", "value": 3},
                {"op": "add", "path": "/o/0", "value": 6},
                {"op": "replace", "path": "/arr/0", "value": 7},
            ]),
        );
        assert_eq!(
            shown.lines().collect::<Vec<_>>(),
            [
                "+ /arr/0: 9",
                "+ /arr/0: 9",
                "+ /arr/1: 9 (copied from /arr/1)",
                "+ /arr/-: 3",
                "~ /o/0: 5 -> 6",
                "~ /arr/0: 9 -> 7",
            ]
        );
    }

    /// A pointer is the caller's text (a map key from a feed, through `to_json_patch`): one
    /// holding a line break or a terminal's escape was written as it is, so that `"/a\n+
    /// /admin"` showed as two lines, the second a forged `+ /admin` (and `\u{1b}[2J` cleared
    /// the terminal). Such a pointer, and one that does not start with `/` (which `(root)`
    /// could be), is shown quoted and escaped, as the errors quote it; a plain one as it is.
    #[test]
    fn a_pointer_with_a_line_break_or_an_escape_is_shown_quoted_on_its_line() {
        let base = json!({"a\nb": 1, "c\u{1b}[2J": 2, "it's \"q\"": 3, "t~/s": 4});
        let shown = plan(
            &base,
            json!([
                {"op": "remove", "path": "/a\nb"},
                {"op": "add", "path": "/new\n+ /admin", "value": true},
                {"op": "replace", "path": "/c\u{1b}[2J", "value": 0},
                {"op": "move", "from": "/q\r\n", "path": "/p\u{2028}"},
                {"op": "remove", "path": "/t~0~1s"},
                {"op": "remove", "path": "/it's \"q\""},
                {"op": "remove", "path": "/don't"},
            ]),
        );
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines.len(), 7, "{shown}");
        assert_eq!(lines[0], r#"- "/a\nb": 1"#);
        assert!(
            lines[1].starts_with(r#"+ "/new\n+ /admin": true (does not apply: "#),
            "{shown}"
        );
        assert_eq!(lines[2], r#"~ "/c\u{1b}[2J": 2 -> 0"#);
        assert!(
            lines[3].starts_with(r#"> "/q\r\n" -> "/p\u{2028}" (does not apply: "#),
            "{shown}"
        );
        assert_eq!(lines[4], "- /t~0~1s: 4");
        assert_eq!(lines[5], r#"- "/it's \"q\"": 3"#);
        // An apostrophe, which `escape_debug` escapes but a quoted string does not, is plain.
        assert!(
            lines[6].starts_with("- /don't (does not apply: "),
            "{shown}"
        );
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\r'),
            "{shown}"
        );
        // An operation made in code, with a path that no reading would take.
        let operations = [JsonPatchOperation::Test {
            path: "(root)".to_owned(),
            value: json!(1),
        }];
        let shown = JsonPatchPlan::new(&base, &operations).to_string();
        assert!(
            shown.starts_with(r#"? "(root)" == 1 (does not apply: "#),
            "{shown}"
        );
    }

    /// A plan of n operations that fail before a `copy`, on a document of size d, measured
    /// the copy and depth limits (a walk of the document and of every operation's value)
    /// again after each failure, n × (n + d) work: 10,000 failing `remove`s and a `copy` on a
    /// document of 10,000 members took 3.1 s. They are measured once, and each operation
    /// after a failure is still shown on the document as it was before it.
    #[test]
    fn the_limits_are_measured_once_however_many_operations_fail() {
        use crate::json_patch_apply::LIMITS_MEASURED;
        let base = json!({"a": {"b": 1}});
        let mut operations = vec![json!({"op": "remove", "path": "/missing"}); 1_000];
        operations.push(json!({"op": "copy", "from": "/a", "path": "/c"}));
        operations.push(json!({"op": "move", "from": "/c", "path": "/a/d"}));
        let before = LIMITS_MEASURED.with(core::cell::Cell::get);
        let shown = plan(&base, serde_json::Value::Array(operations));
        assert_eq!(LIMITS_MEASURED.with(core::cell::Cell::get) - before, 1);
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines.len(), 1_002, "{shown}");
        assert!(
            lines[999].starts_with("- /missing (does not apply: "),
            "{shown}"
        );
        assert_eq!(lines[1_000], r#"+ /c: {"b":1} (copied from /a)"#);
        assert_eq!(lines[1_001], r#"> /c -> /a/d: {"b":1}"#);
    }
}
