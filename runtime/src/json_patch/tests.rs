//! The unit tests of `json_patch`: pointer tokens escaped and pointers read as RFC 6901
//! defines them, and operations read as RFC 6902 §4 writes them.

use super::{JsonPatchOperation, escape_pointer_token, pointer_fault};

/// RFC 6901 §3's definition: `~` to `~0` first, then `/` to `~1` (so that `~1` in a name
/// becomes `~01`, not `/`).
fn by_definition(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[test]
fn escapes_as_rfc_6901_defines() {
    for token in [
        "", "~", "/", "~1", "~0", "a/b~c", "~~//", "/~/", "é/ü~ß", "plain", "a~", "/a",
    ] {
        assert_eq!(
            escape_pointer_token(token),
            by_definition(token),
            "{token:?}"
        );
    }
}

/// RFC 6901 §3's grammar: the root `""`, `/` (the key `""`), escapes `~0` and `~1` (`~01`
/// is the key `~1`), tokens that look like array indexes (`-`, `01`, huge ones: their
/// meaning depends on the document, not on the grammar) and text that is not ASCII are
/// pointers; a path without its leading `/` and a `~` without `0` or `1` are not.
#[test]
fn pointers_as_rfc_6901_reads_them() {
    for pointer in [
        "",
        "/",
        "//",
        "/~01",
        "/a~1b/~0",
        "/-",
        "/01",
        "/99999999999999999999999",
        "/é/ü",
        "/ ",
    ] {
        assert_eq!(pointer_fault(pointer), None, "{pointer:?}");
    }
    for (path, fault) in [
        ("a", r#"it must be empty or start with "/""#),
        (" /a", r#"it must be empty or start with "/""#),
        ("#/a", r#"it must be empty or start with "/""#),
        ("/~", r#""~" at byte 1 is not followed by "0" or "1""#),
        ("/a~2", r#""~" at byte 2 is not followed by "0" or "1""#),
        ("/é~/", r#""~" at byte 3 is not followed by "0" or "1""#),
        ("/~0~", r#""~" at byte 3 is not followed by "0" or "1""#),
    ] {
        let found = pointer_fault(path).unwrap_or_default();
        assert!(found.starts_with(fault), "{path:?}: {found}");
    }
}

/// An operation that RFC 6902 §4 does not name, or one of its names in another case,
/// ends the reading of the whole document, naming the `op`: one read as nothing would
/// drop what it says from the operations after it.
#[test]
fn other_operations_are_refused_by_name() {
    for (document, op) in [
        (r#"[{"op": "spam", "path": "/a", "value": 1}]"#, "spam"),
        (r#"[{"op": "Move", "from": "/a", "path": "/b"}]"#, "Move"),
        (
            r#"[{"op": "TEST", "path": "/a", "value": 1}, {"op": "remove", "path": "/a"}]"#,
            "TEST",
        ),
        (r#"[{"op": "Add", "path": "/a", "value": 1}]"#, "Add"),
    ] {
        let error = serde_json::from_str::<Vec<JsonPatchOperation>>(document).unwrap_err();
        assert!(
            error.to_string().starts_with(&format!(
                "unknown variant `{op}`, expected one of `add`, `remove`, `replace`, `move`, `copy`, `test`"
            )),
            "{document}: {error}"
        );
    }
}

/// The six operations of RFC 6902 §4 are read, `move` and `copy` with their `from`.
#[test]
fn the_six_operations_are_read() {
    let read: Vec<JsonPatchOperation> = serde_json::from_str(
        r#"[{"op": "move", "from": "/a", "path": "/b"},
                {"op": "copy", "from": "/b", "path": "/c"},
                {"op": "test", "path": "/c", "value": null}]"#,
    )
    .unwrap();
    assert_eq!(
        read,
        [
            JsonPatchOperation::Move {
                from: "/a".into(),
                path: "/b".into()
            },
            JsonPatchOperation::Copy {
                from: "/b".into(),
                path: "/c".into()
            },
            JsonPatchOperation::Test {
                path: "/c".into(),
                value: serde_json::Value::Null
            },
        ]
    );
    // Written back as RFC 6902 writes them.
    assert_eq!(
        serde_json::to_string(&read[..2]).unwrap(),
        r#"[{"op":"move","from":"/a","path":"/b"},{"op":"copy","from":"/b","path":"/c"}]"#
    );
}

/// An operation object that breaks RFC 6902 §4's rules is refused, not read with a
/// default: a member it needs missing or `null` (a `test` without `value` is no test for
/// `null`), an `op` that is not a string, a member given twice (RFC 6902 §4 and
/// Appendix A.13; RFC 8259 §4 leaves a duplicate's meaning to the reader). Members that
/// it does not define are ignored (RFC 6902 §4, Appendix A.11).
#[test]
fn operations_that_break_the_rules_of_section_4_are_refused() {
    for (operation, error) in [
        (r#"{"op": "add", "value": 1}"#, "missing field `path`"),
        (
            r#"{"op": "add", "path": null, "value": 1}"#,
            "invalid type: null",
        ),
        (r#"{"op": "add", "path": "/-"}"#, "missing field `value`"),
        (
            r#"{"op": "replace", "path": "/0"}"#,
            "missing field `value`",
        ),
        (r#"{"op": "test", "path": "/0"}"#, "missing field `value`"),
        (r#"{"op": "copy", "path": "/-"}"#, "missing field `from`"),
        (r#"{"op": "move", "path": ""}"#, "missing field `from`"),
        (
            r#"{"op": "move", "from": "a", "path": "/b"}"#,
            r#"the `from` "a" is not a JSON Pointer"#,
        ),
        (r#"{"op": 1, "path": "/a"}"#, "invalid type: integer `1`"),
        (r#"{"path": "/a"}"#, "missing field `op`"),
        (
            r#"{"op": "add", "path": "/a", "value": 1, "op": "remove"}"#,
            "duplicate field `op`",
        ),
        (
            r#"{"op": "add", "path": "/a", "path": "/b", "value": 1}"#,
            "duplicate field `path`",
        ),
        (
            r#"{"op": "add", "path": "/a", "value": 1, "value": 2}"#,
            "duplicate field `value`",
        ),
    ] {
        let read = serde_json::from_str::<JsonPatchOperation>(operation);
        let text = read.map_or_else(|error| error.to_string(), |read| format!("read: {read:?}"));
        assert!(text.starts_with(error), "{operation}: {text}");
    }
    let read: JsonPatchOperation = serde_json::from_str(
        r#"{"op": "add", "path": "/a", "value": 1, "xyz": 123, "from": "/b"}"#,
    )
    .unwrap();
    assert_eq!(
        read,
        JsonPatchOperation::Add {
            path: "/a".into(),
            value: 1.into()
        }
    );
}

/// Every operation reads its `path` as a pointer, and says which one is wrong.
#[test]
fn each_operation_refuses_a_path_that_is_no_pointer() {
    for operation in [
        r#"{"op": "add", "path": "a/b", "value": 1}"#,
        r#"{"op": "remove", "path": "a/b"}"#,
        r#"{"op": "replace", "path": "a/b", "value": 1}"#,
        r#"{"op": "move", "from": "/a", "path": "a/b"}"#,
        r#"{"op": "test", "path": "a/b", "value": 1}"#,
    ] {
        let error = serde_json::from_str::<JsonPatchOperation>(operation).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with(r#"the path "a/b" is not a JSON Pointer (RFC 6901 §3)"#),
            "{operation}: {error}"
        );
    }
    // A `from` that is no pointer is named as the `from` (it was "the path").
    for operation in [
        r#"{"op": "copy", "from": "a/b", "path": "/a"}"#,
        r#"{"op": "move", "from": "a/b", "path": "/a"}"#,
    ] {
        let error = serde_json::from_str::<JsonPatchOperation>(operation).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with(r#"the `from` "a/b" is not a JSON Pointer (RFC 6901 §3)"#),
            "{operation}: {error}"
        );
    }
    let read: JsonPatchOperation =
        serde_json::from_str(r#"{"op": "remove", "path": "/~01"}"#).unwrap();
    assert_eq!(
        read,
        JsonPatchOperation::Remove {
            path: String::from("/~01")
        }
    );
}
