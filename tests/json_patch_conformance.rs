//! `apply_json_patch` on the kinds of case that the community's JSON Patch conformance suite
//! (github.com/json-patch/json-patch-tests, `tests.json` and `spec_tests.json`) and peer
//! implementations' bug reports cover, written here case by case from RFC 6902 and RFC 6901:
//! array index rules, pointer escapes, `test`'s equality (RFC 6902 §4.6), `move` into its own
//! child, `copy` and `move` from nothing, a `copy` that copies what it made, and the whole
//! document at `""`. Every failure leaves the document as it was (RFC 6902 §5).

use serde_json::{Value, json};
use sparse_patch::{JsonPatchError, JsonPatchOperation, PointerFault, apply_json_patch};

fn operations(value: Value) -> Vec<JsonPatchOperation> {
    serde_json::from_value(value.clone()).unwrap_or_else(|error| panic!("{value}: {error}"))
}

/// The document after the operations, which must apply.
fn applied(document: Value, value: Value) -> Value {
    let mut changed = document.clone();
    apply_json_patch(&mut changed, &operations(value.clone()))
        .unwrap_or_else(|error| panic!("{value} on {document}: {error}"));
    changed
}

/// The error of operations that must fail, after checking that the document is unchanged.
fn refused(document: Value, value: Value) -> JsonPatchError {
    let mut changed = document.clone();
    let error = apply_json_patch(&mut changed, &operations(value.clone()))
        .err()
        .unwrap_or_else(|| panic!("{value} on {document} applied"));
    assert_eq!(
        changed, document,
        "{value}: a failed document changes nothing"
    );
    error
}

/// The fault of operations that must fail at an operation.
fn fault(document: Value, value: Value) -> PointerFault {
    match refused(document, value.clone()) {
        JsonPatchError::Operation { fault, .. } => fault,
        other => panic!("{value}: {other}"),
    }
}

/// RFC 6902 Appendix A.6 to A.9, A.14 and A.15: the examples of the three operations that
/// are not `add`, `remove` and `replace`, which the reader refused by name before.
#[test]
fn rfc_6902_appendix_a_examples_of_move_copy_and_test() {
    assert_eq!(
        applied(
            json!({"foo": {"bar": "baz", "waldo": "fred"}, "qux": {"corge": "grault"}}),
            json!([{"op": "move", "from": "/foo/waldo", "path": "/qux/thud"}])
        ),
        json!({"foo": {"bar": "baz"}, "qux": {"corge": "grault", "thud": "fred"}})
    );
    // A.7: the `path` is read after the element was taken away.
    assert_eq!(
        applied(
            json!({"foo": ["all", "grass", "cows", "eat"]}),
            json!([{"op": "move", "from": "/foo/1", "path": "/foo/3"}])
        ),
        json!({"foo": ["all", "cows", "eat", "grass"]})
    );
    let doc = json!({"baz": "qux", "foo": ["a", 2, "c"]});
    assert_eq!(
        applied(
            doc.clone(),
            json!([{"op": "test", "path": "/baz", "value": "qux"}, {"op": "test", "path": "/foo/1", "value": 2}])
        ),
        doc
    );
    assert_eq!(
        fault(
            json!({"baz": "qux"}),
            json!([{"op": "test", "path": "/baz", "value": "bar"}])
        ),
        PointerFault::NotEqual { at: "/baz".into() }
    );
    // A.14: `~01` is the name `~1`, not `/`. A.15: the string "10" is not the number 10.
    let doc = json!({"/": 9, "~1": 10});
    assert_eq!(
        applied(
            doc.clone(),
            json!([{"op": "test", "path": "/~01", "value": 10}])
        ),
        doc
    );
    assert_eq!(
        fault(doc, json!([{"op": "test", "path": "/~01", "value": "10"}])),
        PointerFault::NotEqual { at: "/~01".into() }
    );
}

/// An array index is `0` or digits without a leading zero (RFC 6901 §4), whatever the
/// operation and whether it is in `path` or `from`: `01`, `00`, `1e0`, `-1`, `+1` and ` 1`
/// are not indexes of an array (but are names in an object); `-` is the place after the last
/// element, which only `add` (and the `path` of `move` and `copy`) can use; the length is a
/// place for `add` alone.
#[test]
fn array_indexes_follow_rfc_6901_in_every_operation() {
    let doc = json!({"a": ["x", "y"], "o": {"01": 1, "1e0": 2, "-": 3}});
    for token in ["01", "00", "1e0", "-1", "+1", " 1", "1 ", "0x1", "١"] {
        let path = format!("/a/{token}");
        for operation in [
            json!({"op": "add", "path": path, "value": 0}),
            json!({"op": "remove", "path": path}),
            json!({"op": "replace", "path": path, "value": 0}),
            json!({"op": "test", "path": path, "value": "y"}),
            json!({"op": "copy", "from": path, "path": "/b"}),
            json!({"op": "move", "from": path, "path": "/b"}),
            json!({"op": "move", "from": "/o", "path": path}),
        ] {
            assert_eq!(
                fault(doc.clone(), json!([operation])),
                PointerFault::NotAnIndex { at: path.clone() },
                "{operation}"
            );
        }
    }
    // In an object they are names.
    assert_eq!(
        applied(
            doc.clone(),
            json!([
                {"op": "test", "path": "/o/01", "value": 1},
                {"op": "test", "path": "/o/1e0", "value": 2.0},
                {"op": "test", "path": "/o/-", "value": 3},
            ])
        ),
        doc
    );
    // `-`: `add` appends, the others find nothing to read there.
    assert_eq!(
        applied(
            doc.clone(),
            json!([{"op": "copy", "from": "/a/0", "path": "/a/-"}])
        )["a"],
        json!(["x", "y", "x"])
    );
    for operation in [
        json!({"op": "remove", "path": "/a/-"}),
        json!({"op": "replace", "path": "/a/-", "value": 0}),
        json!({"op": "test", "path": "/a/-", "value": 0}),
        json!({"op": "copy", "from": "/a/-", "path": "/b"}),
    ] {
        assert_eq!(
            fault(doc.clone(), json!([operation])),
            PointerFault::NotAnIndex { at: "/a/-".into() },
            "{operation}"
        );
    }
    // The length: `add` appends there; nothing is there for the others.
    assert_eq!(
        applied(
            doc.clone(),
            json!([{"op": "move", "from": "/a/0", "path": "/a/1"}])
        )["a"],
        json!(["y", "x"])
    );
    for operation in [
        json!({"op": "remove", "path": "/a/2"}),
        json!({"op": "replace", "path": "/a/2", "value": 0}),
        json!({"op": "test", "path": "/a/2", "value": null}),
        json!({"op": "copy", "from": "/a/2", "path": "/b"}),
    ] {
        assert_eq!(
            fault(doc.clone(), json!([operation])),
            PointerFault::Missing { at: "/a/2".into() },
            "{operation}"
        );
    }
    assert_eq!(
        fault(doc, json!([{"op": "copy", "from": "/a/0", "path": "/a/3"}])),
        PointerFault::PastTheEnd {
            at: "/a/3".into(),
            len: 2
        }
    );
}

/// An index of more digits than a `usize` holds (RFC 6901 §4 sets no bound) is an index past
/// the end of any array, never a small one: `add` is refused as past the end, and the others
/// find nothing there. Read as `0` (an overflow taken for the first element), `add` put the
/// value first and `remove` took the first element away.
#[test]
fn an_index_too_large_for_a_usize_is_past_the_end() {
    let doc = json!({"a": ["x", "y"]});
    for token in ["18446744073709551616", "99999999999999999999999"] {
        let path = format!("/a/{token}");
        assert_eq!(
            fault(
                doc.clone(),
                json!([{"op": "add", "path": path, "value": 0}])
            ),
            PointerFault::PastTheEnd {
                at: path.clone(),
                len: 2
            }
        );
        for operation in [
            json!({"op": "remove", "path": path}),
            json!({"op": "replace", "path": path, "value": 0}),
            json!({"op": "test", "path": path, "value": "x"}),
            json!({"op": "copy", "from": path, "path": "/b"}),
            json!({"op": "move", "from": path, "path": "/b"}),
        ] {
            assert_eq!(
                fault(doc.clone(), json!([operation])),
                PointerFault::Missing { at: path.clone() },
                "{operation}"
            );
        }
    }
}

/// RFC 6901 §3 and §4: `""` is the whole document and `/` the member named `""`; a trailing
/// `/` names `""` below; `~01` is `~1` (`~0` first undone last); names are case-sensitive and
/// hold any other character as it is (`%`, `^`, `|`, `\`, `"`, space).
#[test]
fn pointer_escapes_and_empty_names() {
    let doc = json!({
        "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4, "i\\j": 5, "k\"l": 6, " ": 7, "m~n": 8,
        "~1": 9, "foo": {"": 10}
    });
    let tests: Vec<Value> = [
        ("", json!(doc.clone())),
        ("/", json!(0)),
        ("/a~1b", json!(1)),
        ("/c%d", json!(2)),
        ("/e^f", json!(3)),
        ("/g|h", json!(4)),
        ("/i\\j", json!(5)),
        ("/k\"l", json!(6)),
        ("/ ", json!(7)),
        ("/m~0n", json!(8)),
        ("/~01", json!(9)),
        ("/foo/", json!(10)),
    ]
    .into_iter()
    .map(|(path, value)| json!({"op": "test", "path": path, "value": value}))
    .collect();
    assert_eq!(applied(doc.clone(), Value::Array(tests)), doc);
    // `from` is unescaped as `path` is.
    assert_eq!(
        applied(
            json!({"m~n": {"a/b": 1}}),
            json!([{"op": "move", "from": "/m~0n/a~1b", "path": "/~1~0"}])
        ),
        json!({"m~n": {}, "/~": 1})
    );
    assert_eq!(
        applied(
            json!({"foo": "bar"}),
            json!([{"op": "add", "path": "/FOO", "value": 1}])
        ),
        json!({"foo": "bar", "FOO": 1})
    );
}

/// RFC 6902 §4.6: numbers are equal by value (`1`, `1.0`, `1e0`; `0` and `-0`), objects in
/// any order of their members, arrays only in their order; a string is never a number; a
/// member that is `null` is not a missing one. The `json-patch` crate compares with
/// serde_json's `==`, to which the integer `1` and the float `1.0` differ.
#[test]
fn test_compares_as_section_4_6_says() {
    let doc = json!({"n": 1, "z": 0, "o": {"a": [1, {"b": 2}], "c": null}, "s": "1", "nul": null});
    let passes = [
        json!({"op": "test", "path": "/n", "value": 1.0}),
        json!({"op": "test", "path": "/n", "value": 1}),
        json!({"op": "test", "path": "/z", "value": -0.0}),
        json!({"op": "test", "path": "/o", "value": {"c": null, "a": [1.0, {"b": 2}]}}),
        json!({"op": "test", "path": "/nul", "value": null}),
        json!({"op": "test", "path": "/o/a/1/b", "value": 2, "spurious": 1}),
    ];
    for operation in passes {
        assert_eq!(applied(doc.clone(), json!([operation])), doc, "{operation}");
    }
    // `1e0` as text: a float, equal to the integer.
    let read: Vec<JsonPatchOperation> =
        serde_json::from_str(r#"[{"op": "test", "path": "/n", "value": 1e0}]"#).unwrap();
    let mut changed = doc.clone();
    apply_json_patch(&mut changed, &read).unwrap();
    for (path, value) in [
        ("/n", json!(1.5)),
        ("/n", json!("1")),
        ("/s", json!(1)),
        ("/z", json!(false)),
        ("/o/a", json!([{"b": 2}, 1])),
        ("/o", json!({"a": [1, {"b": 2}]})),
        ("/o", json!({"a": [1, {"b": 2}], "c": null, "d": null})),
        ("/nul", json!(0)),
    ] {
        assert_eq!(
            fault(
                doc.clone(),
                json!([{"op": "test", "path": path, "value": value}])
            ),
            PointerFault::NotEqual { at: path.into() },
            "{path} {value}"
        );
    }
    assert_eq!(
        fault(
            doc,
            json!([{"op": "test", "path": "/missing", "value": null}])
        ),
        PointerFault::Missing {
            at: "/missing".into()
        }
    );
}

/// A failed `test` undoes the operations before it (RFC 6902 §5), whatever they were.
#[test]
fn a_failed_test_undoes_what_came_before_it() {
    let doc = json!({"a": [1, 2], "b": {"c": 1}, "version": 7});
    let error = refused(
        doc,
        json!([
            {"op": "move", "from": "/a/0", "path": "/b/d"},
            {"op": "copy", "from": "/b", "path": "/e"},
            {"op": "remove", "path": "/a"},
            {"op": "test", "path": "/version", "value": 6},
        ]),
    );
    assert!(
        error.to_string().starts_with(
            r#"operation 3 (`test` at "/version") cannot be applied: the value at "/version" is not equal to the tested value (RFC 6902 §4.6)"#
        ),
        "{error}"
    );
}

/// RFC 6902 §4.4: `from` may not be a proper prefix of `path`, token by token. On an array,
/// taking the element away first shifted the others, and the `add` put the value into
/// another element (nlohmann/json#5397); on an object, the value was lost (chbrown/rfc6902#110).
/// A `move` to its own place changes nothing; one to a name that only starts with `from`'s
/// last token (`/a` to `/ab`) is no move into a child.
#[test]
fn move_into_its_own_child_is_refused() {
    for (doc, from, path) in [
        (json!([[1, 2], [3]]), "/0", "/0/0"),
        (json!([[1, 2], [3]]), "/0", "/0/-"),
        (json!({"a": {"b": {}}}), "/a", "/a/b/c"),
        (json!({"a": {"b": {}}}), "/a", "/a/x"),
        (json!({"a": 1}), "", "/a"),
        (json!({"a~b": {"c": 1}}), "/a~0b", "/a~0b/c"),
    ] {
        assert_eq!(
            fault(doc, json!([{"op": "move", "from": from, "path": path}])),
            PointerFault::MoveIntoChild { from: from.into() },
            "{from} to {path}"
        );
    }
    for (doc, from, path, expected) in [
        (json!({"foo": 1}), "/foo", "/foo", json!({"foo": 1})),
        (json!([[1], 2]), "/0", "/0", json!([[1], 2])),
        (json!({"a": 1}), "", "", json!({"a": 1})),
        (
            json!({"a": 1, "b": 2}),
            "/a",
            "/ab",
            json!({"ab": 1, "b": 2}),
        ),
        (json!({"a": {"b": 1}}), "/a/b", "/a", json!({"a": 1})),
        (json!({"a": {"b": 1}}), "/a/b", "", json!(1)),
        (json!({"foo": null}), "/foo", "/bar", json!({"bar": null})),
    ] {
        assert_eq!(
            applied(doc, json!([{"op": "move", "from": from, "path": path}])),
            expected,
            "{from} to {path}"
        );
    }
}

/// `copy` and `move` need their `from` (RFC 6902 §4.4, §4.5), also where it equals `path`,
/// and their `path`'s parent, as `add` does (nlohmann/json#894: a `copy` to a path without a
/// parent succeeded); the error says both pointers.
#[test]
fn copy_and_move_from_nothing_or_to_no_parent_are_refused() {
    let doc = json!({"foo": 1, "s": "text"});
    for op in ["copy", "move"] {
        assert_eq!(
            fault(
                doc.clone(),
                json!([{"op": op, "from": "/bar", "path": "/foo"}])
            ),
            PointerFault::Missing { at: "/bar".into() },
            "{op}"
        );
        assert_eq!(
            fault(
                doc.clone(),
                json!([{"op": op, "from": "/bar", "path": "/bar"}])
            ),
            PointerFault::Missing { at: "/bar".into() },
            "{op}"
        );
        assert_eq!(
            fault(
                doc.clone(),
                json!([{"op": op, "from": "/foo", "path": "/a/b/c"}])
            ),
            PointerFault::Missing { at: "/a".into() },
            "{op}"
        );
        assert_eq!(
            fault(
                doc.clone(),
                json!([{"op": op, "from": "/foo", "path": "/s/x"}])
            ),
            PointerFault::IntoAValue {
                at: "/s/x".into(),
                found: "a string"
            },
            "{op}"
        );
    }
    let error = refused(
        doc,
        json!([{"op": "move", "from": "/bar/0", "path": "/foo"}]),
    );
    assert!(
        error.to_string().starts_with(
            r#"operation 0 (`move` from "/bar/0" to "/foo") cannot be applied: nothing is at "/bar""#
        ),
        "{error}"
    );
}

/// A copy is a value of its own: changing it, or its source, after the `copy` changes the
/// other not (json-patch-tests' "copy object then change destination" and "... source").
#[test]
fn a_copy_is_independent_of_its_source() {
    let doc = json!({"foo": {"bar": [{"boo": "net"}]}});
    assert_eq!(
        applied(
            doc.clone(),
            json!([
                {"op": "copy", "from": "/foo", "path": "/bak"},
                {"op": "replace", "path": "/bak/bar/0/boo", "value": "qux"},
                {"op": "remove", "path": "/foo/bar/0/boo"},
            ])
        ),
        json!({"foo": {"bar": [{}]}, "bak": {"bar": [{"boo": "qux"}]}})
    );
}

/// A `copy` that copies what earlier ones made doubles the document each time: forty of them,
/// a body of two kilobytes, would ask for 2^40 values (twenty-four here, for 2^24) (evanphx/json-patch's
/// `AccumulatedCopySizeLimit`, java-json-tools/json-patch#167). What one call's `copy`
/// operations copy is bounded by the size of the document and the operations' values, or
/// 16 MiB where that is smaller; copies within it apply.
#[test]
fn a_copy_bomb_is_refused_before_it_is_made() {
    let doc = json!({"a": ["0123456789"]});
    let bomb: Vec<Value> = (0..24)
        .map(|_| json!({"op": "copy", "from": "/a", "path": "/a/-"}))
        .collect();
    let error = refused(doc.clone(), Value::Array(bomb));
    let JsonPatchError::CopyLimit {
        index,
        copied,
        limit,
    } = error
    else {
        panic!("{error}");
    };
    assert_eq!(limit, 16 << 20);
    assert!(copied > limit && copied <= 2 * limit + 16, "{copied}");
    // `["0123456789"]` is 12 in size (one per value, and the string's ten bytes), and copy n
    // (from 0) copies 12 * 2^n: the first n + 1 copy 12 * (2^(n + 1) - 1), past 16 MiB at 20.
    assert_eq!(index, 20);
    assert_eq!(copied, 12 * ((1 << 21) - 1));
    // The bound grows with the document: a document of 32 MiB may copy 32 MiB.
    let big = json!({"a": "x".repeat(1 << 25), "b": {}});
    let copied = applied(
        big.clone(),
        json!([{"op": "copy", "from": "/a", "path": "/b/a"}]),
    );
    assert_eq!(copied["b"]["a"], big["a"]);
    let error = refused(
        big,
        json!([
            {"op": "copy", "from": "/a", "path": "/b/a"},
            {"op": "copy", "from": "/a", "path": "/b/b"},
        ]),
    );
    assert!(
        matches!(error, JsonPatchError::CopyLimit { index: 1, .. }),
        "{error}"
    );
    assert!(
        error.to_string().starts_with(
            "operation 1 (`copy`) would bring the size copied by the document's `copy` operations to"
        ),
        "{error}"
    );
}

/// `{"a": {"a": ... {}}}`, `depth` objects below the top, and the pointer of its deepest
/// object.
fn chain(depth: usize) -> (Value, String) {
    let value = (0..depth).fold(json!({}), |inner, _| json!({"a": inner}));
    (value, "/a".repeat(depth))
}

/// A document 101 levels deep (`/a` and its chain) and eight `copy`s of `/a` into the deepest
/// member of `/a`, each doubling how deep it nests, with the pointer of the deepest object
/// that the eighth would make.
fn copy_bomb() -> (Value, Vec<Value>, String) {
    let (inner, mut deepest) = chain(100);
    let doc = json!({ "a": inner });
    deepest.insert_str(0, "/a");
    let mut bomb = Vec::new();
    for _ in 0..8 {
        let path = format!("{deepest}/b");
        // The copy's own deepest object: `/a` as it was, below `path`.
        deepest = format!("{path}{}", &deepest[2..]);
        bomb.push(json!({"op": "copy", "from": "/a", "path": path}));
    }
    (doc, bomb, deepest)
}

/// Each `copy` of `/a` into the deepest member of `/a` doubles how deep it nests: eight of
/// them, a 52 KB body, applied to a document 100 levels deep (as serde_json reads one) nested
/// it 25,000 levels deep, and serde_json's recursive `clone` overflowed the thread's stack,
/// aborting the process (the kind of idubrov/json-patch#28, a stack overflow from recursion
/// while applying a patch). `copy` and `move` nest the document at most as deep as the
/// document or the operations' `add` and `replace` values do, or 512 levels.
#[test]
fn a_copy_that_doubles_the_depth_is_refused_past_the_limit() {
    let (doc, bomb, _) = copy_bomb();
    let error = refused(doc.clone(), Value::Array(bomb.clone()));
    // Copy n (from 0) places `/a`, 101 * 2^n levels deep, 101 * 2^n levels down: 808 at 2.
    let JsonPatchError::DepthLimit {
        index,
        depth,
        limit,
    } = error
    else {
        panic!("{error}");
    };
    assert_eq!((index, depth, limit), (2, 809, 512));
    // Within the limit, the copies apply: the first two nest it 405 levels deep.
    let copied = applied(doc, Value::Array(bomb[..2].to_vec()));
    assert!(
        copied
            .pointer(&format!("{}/b/a", "/a".repeat(101)))
            .is_some()
    );
    // The limit grows with the document: one 602 levels deep may be nested to 602 levels.
    let (inner, _) = chain(600);
    let doc = json!({ "a": inner, "b": {} });
    let within = applied(
        doc.clone(),
        json!([{"op": "copy", "from": "/a/a", "path": "/b/c"}]),
    );
    assert!(within["b"]["c"].is_object());
    let error = refused(doc, json!([{"op": "copy", "from": "/a", "path": "/b/c"}]));
    assert!(
        matches!(
            error,
            JsonPatchError::DepthLimit {
                index: 0,
                depth: 603,
                limit: 602
            }
        ),
        "{error}"
    );
    assert!(
        error.to_string().starts_with(
            "operation 0 would nest the document 603 levels deep, past the limit of 602 (the depth of the document"
        ),
        "{error}"
    );
}

/// The copies above, with one more operation at the end: an `add` whose path is 40,000 `/`s
/// (it cannot apply), or an `add` just below the deepest object the copies make (it applies).
/// The limit counted every `add`'s path before any operation ran, so either lifted it to what
/// the copies needed, and the process aborted on a stack overflow (review 53). Only an applied
/// `add` or `replace` raises the limit now, and an `add` reaches only where the document does.
#[test]
fn the_path_of_a_later_add_does_not_raise_the_depth_limit() {
    let (doc, bomb, deepest) = copy_bomb();
    for last in [
        json!({"op": "add", "path": "/".repeat(40_000), "value": 1}),
        json!({"op": "add", "path": format!("{deepest}/z"), "value": 1}),
    ] {
        let mut operations = bomb.clone();
        operations.push(last);
        let error = refused(doc.clone(), Value::Array(operations));
        assert!(
            matches!(
                error,
                JsonPatchError::DepthLimit {
                    index: 2,
                    limit: 512,
                    ..
                }
            ),
            "{error}"
        );
    }
    // An applied `add` of a deep value does raise it: what it placed may be moved.
    // (Built as values: serde_json reads no text deeper than 128 levels.)
    let value = (0..600).fold(json!(1), |inner, _| json!([inner]));
    let mut moved = json!({"b": {"c": {}}});
    let moves = [
        JsonPatchOperation::Add {
            path: "/b/c/x".into(),
            value,
        },
        JsonPatchOperation::Move {
            from: "/b/c/x".into(),
            path: "/a".into(),
        },
        JsonPatchOperation::Move {
            from: "/a".into(),
            path: "/b/y".into(),
        },
    ];
    apply_json_patch(&mut moved, &moves).unwrap();
    assert!(moved["b"]["y"].is_array());
    // Without the `add`, one level deeper than the document is past the limit.
    let mut without = moved.clone();
    let error = apply_json_patch(
        &mut without,
        &moves[2..]
            .iter()
            .cloned()
            .map(|operation| match operation {
                JsonPatchOperation::Move { .. } => JsonPatchOperation::Move {
                    from: "/b/y".into(),
                    path: "/b/c/z".into(),
                },
                other => other,
            })
            .collect::<Vec<_>>(),
    )
    .unwrap_err();
    assert!(
        matches!(
            error,
            JsonPatchError::DepthLimit {
                depth: 603,
                limit: 602,
                ..
            }
        ),
        "{error}"
    );
}

/// Each `add` places a value no deeper than serde_json reads (128 levels), where the document
/// already reaches, but each may go to the deepest place that the one before it made: 150
/// `add`s of a chain 120 levels deep, each at the end of the one before (a 2.8 MB body, read
/// as text), nested the document 18,000 levels deep, and writing or dropping it overflowed the
/// stack, aborting the process. An `add` or `replace` may nest the document as deep as it was
/// plus the deepest value of the operations, or 512 levels: the fifth `add` is refused.
/// Within that, an `add` at the deepest place of a document deeper than 512 levels applies.
#[test]
fn adds_each_at_the_deepest_place_are_refused_past_the_limit() {
    let chain = format!("{}{{}}{}", r#"{"a":"#.repeat(120), "}".repeat(120));
    let mut path = String::from("/x");
    let mut body = Vec::new();
    for _ in 0..150 {
        body.push(format!(
            r#"{{"op": "add", "path": "{path}", "value": {chain}}}"#
        ));
        path.push_str(&"/a".repeat(120));
        path.push_str("/b");
    }
    let operations: Vec<JsonPatchOperation> =
        serde_json::from_str(&format!("[{}]", body.join(","))).unwrap();
    let mut document = json!({});
    let result = apply_json_patch(&mut document, &operations);
    if result.is_ok() {
        // Dropping the document would overflow the stack.
        std::mem::forget(document);
        panic!("150 adds nested the document 18,000 levels deep");
    }
    assert!(
        matches!(
            result,
            Err(JsonPatchError::DepthLimit {
                index: 4,
                depth: 606,
                limit: 512
            })
        ),
        "{result:?}"
    );
    assert_eq!(document, json!({}));
    // A document 600 levels deep (built as a value: serde_json reads no deeper text) takes an
    // `add` of the chain at its deepest object, and a `replace` there too.
    let deep = (0..599).fold(json!({}), |inner, _| json!({"a": inner}));
    let deepest = "/a".repeat(599);
    let chain: Value = serde_json::from_str(&chain).unwrap();
    let mut document = deep.clone();
    apply_json_patch(
        &mut document,
        &[
            JsonPatchOperation::Add {
                path: format!("{deepest}/b"),
                value: chain.clone(),
            },
            JsonPatchOperation::Replace {
                path: format!("{deepest}/b"),
                value: chain,
            },
        ],
    )
    .unwrap();
    assert!(document.pointer(&format!("{deepest}/b/a")).is_some());
}

/// A `move` takes its value from where it was, but may still nest the document deeper:
/// chains moved one below the other. A `move` deeper than the limit is refused; one that
/// lifts a value up always applies.
#[test]
fn a_move_deeper_than_the_limit_is_refused() {
    let (first, first_end) = chain(300);
    let (second, _) = chain(300);
    let doc = json!({"x": first, "y": second});
    let error = refused(
        doc.clone(),
        json!([{"op": "move", "from": "/y", "path": format!("/x{first_end}/y")}]),
    );
    // `/y`, 301 levels deep, placed 302 levels down.
    assert!(
        matches!(
            error,
            JsonPatchError::DepthLimit {
                index: 0,
                depth: 603,
                limit: 512
            }
        ),
        "{error}"
    );
    let lifted = applied(
        doc,
        json!([
            {"op": "move", "from": "/y/a/a", "path": "/z"},
            {"op": "move", "from": "/y", "path": format!("/x{}/y", "/a".repeat(200))},
        ]),
    );
    assert!(lifted.get("z").is_some() && lifted.get("y").is_none());
}

/// Copies of original data, many of them, are no bomb: 6,000 `copy`s of a 180-character
/// template into a list (a 330 KB body making a document of 1.2 MB) were refused at copy 5,607
/// when the bound's floor was 1 MiB, since a `copy` holds no value of its own to count
/// (review 37). The floor is 16 MiB, the largest body the PingOne client reads.
#[test]
fn many_copies_of_a_small_template_apply() {
    let document = json!({"template": {"text": "t".repeat(180)}, "items": []});
    let copies: Vec<Value> = (0..6_000)
        .map(|_| json!({"op": "copy", "from": "/template", "path": "/items/-"}))
        .collect();
    let copied = applied(document, Value::Array(copies));
    assert_eq!(copied["items"].as_array().unwrap().len(), 6_000);
    assert_eq!(copied["items"][5_999], copied["template"]);
}

/// The path `""` is the whole document: `add`, `replace`, `move` (from a member) and `copy`
/// set it to any value, `test` compares it, `remove` is refused (no document would be left).
#[test]
fn the_whole_document_at_the_empty_path() {
    let doc = json!({"foo": {"bar": [1]}});
    assert_eq!(
        applied(
            doc.clone(),
            json!([{"op": "add", "path": "", "value": "x"}])
        ),
        json!("x")
    );
    assert_eq!(
        applied(
            doc.clone(),
            json!([{"op": "replace", "path": "", "value": []}, {"op": "add", "path": "/-", "value": 1}])
        ),
        json!([1])
    );
    assert_eq!(
        applied(
            doc.clone(),
            json!([{"op": "copy", "from": "/foo/bar", "path": ""}])
        ),
        json!([1])
    );
    assert_eq!(
        applied(
            doc.clone(),
            json!([{"op": "test", "path": "", "value": {"foo": {"bar": [1.0]}}}])
        ),
        doc
    );
    assert_eq!(
        fault(doc, json!([{"op": "remove", "path": ""}])),
        PointerFault::WholeDocument
    );
}

/// `Patch::from_json_patch` on the same kinds of case: what the operations do to the model's
/// JSON is read into the typed patch, and what they cannot do, or the patch cannot hold, is
/// refused with nothing read.
mod typed {
    use serde::{Deserialize, Serialize};
    use serde_json::{Value, json};
    use sparse_patch::{JsonPatchError, JsonPatchOperation, Patch, Patchable, PointerFault};

    #[derive(Patchable, Serialize, Deserialize, Debug, Clone, PartialEq)]
    pub struct Name {
        pub given: String,
        pub family: Option<String>,
    }

    #[derive(Patchable, Serialize, Deserialize, Debug, Clone, PartialEq)]
    pub struct User {
        pub email: String,
        pub nickname: Option<String>,
        pub version: u32,
        #[patchable(nested)]
        pub name: Name,
        pub tags: Vec<String>,
    }

    fn user() -> User {
        User {
            email: "a@example.com".into(),
            nickname: Some("Al".into()),
            version: 7,
            name: Name {
                given: "Alan".into(),
                family: Some("Turing".into()),
            },
            tags: vec!["x".into(), "y".into()],
        }
    }

    fn read(operations: &Value) -> Result<UserPatch, JsonPatchError> {
        let operations: Vec<JsonPatchOperation> = serde_json::from_value(operations.clone())
            .unwrap_or_else(|error| panic!("{operations}: {error}"));
        UserPatch::from_json_patch(&user(), &operations)
    }

    /// A `test` that holds lets the rest through (a version compared as a number: `7.0` is
    /// `7`); one that fails reads nothing. `move` and `copy` are read as the change they make.
    #[test]
    fn test_move_and_copy_are_read_into_the_patch() {
        let patch = read(&json!([
            {"op": "test", "path": "/version", "value": 7.0},
            {"op": "copy", "from": "/name/given", "path": "/nickname"},
            {"op": "move", "from": "/tags/0", "path": "/tags/-"},
            {"op": "replace", "path": "/version", "value": 8},
        ]))
        .unwrap();
        assert_eq!(
            patch,
            UserPatch::new()
                .nickname("Alan")
                .tags(vec!["y".into(), "x".into()])
                .version(8_u32)
        );
        let error = read(&json!([
            {"op": "replace", "path": "/nickname", "value": "B"},
            {"op": "test", "path": "/version", "value": 6},
        ]))
        .unwrap_err();
        assert!(
            matches!(
                &error,
                JsonPatchError::Operation {
                    index: 1,
                    op: "test",
                    fault: PointerFault::NotEqual { .. },
                    ..
                }
            ),
            "{error}"
        );
    }

    /// A required attribute taken away by `move` or `remove`, at the top or in a nested
    /// model, is refused, naming it by its path.
    #[test]
    fn a_required_attribute_moved_or_removed_away_is_refused() {
        for (operations, expected) in [
            (
                json!([{"op": "move", "from": "/email", "path": "/nickname"}]),
                "invalid value: null for `email`",
            ),
            // Below the top level too, by its path: the model's reading said only
            // "missing field `given`".
            (
                json!([{"op": "remove", "path": "/name/given"}]),
                "invalid value: null for `name.given`, a required attribute that cannot be cleared",
            ),
            (
                json!([{"op": "move", "from": "/name/given", "path": "/name/family"}]),
                "invalid value: null for `name.given`",
            ),
        ] {
            let error = read(&operations).unwrap_err();
            assert!(
                matches!(error, JsonPatchError::Patch(_)) && error.to_string().contains(expected),
                "{operations}: {error}"
            );
        }
    }

    /// A required attribute that the model reads with `#[serde(default)]` reads as that
    /// default when the operations remove it, as the model reads the document that lacks it
    /// (RFC 6902 §4.2) and as a nested one does (review 141; it was refused, ``invalid value:
    /// null for `roles` ``). One without a serde default is still refused, also beside one
    /// that reads as its default. (Found by mutation testing: with the removed members left out
    /// of the check, every test still passed, the models of the others failing to read without
    /// them.)
    #[test]
    fn a_removed_required_attribute_with_a_default_reads_as_the_default() {
        #[derive(Patchable, Serialize, Deserialize, Debug, Clone, PartialEq)]
        struct Settings {
            #[serde(default)]
            roles: Vec<String>,
            #[serde(default)]
            level: u8,
            note: Option<String>,
            owner: String,
        }
        let base = Settings {
            roles: vec!["admin".into()],
            level: 3,
            note: None,
            owner: "ada".into(),
        };
        for (operations, expected) in [
            (
                json!([{"op": "remove", "path": "/roles"}]),
                SettingsPatch::new().roles(Vec::<String>::new()),
            ),
            (
                json!([{"op": "copy", "from": "/roles/0", "path": "/note"}, {"op": "remove", "path": "/level"}]),
                SettingsPatch::new().note("admin").level(0_u8),
            ),
            // Set to its default, it is read as any value is.
            (
                json!([{"op": "replace", "path": "/roles", "value": []}]),
                SettingsPatch::new().roles(Vec::<String>::new()),
            ),
        ] {
            let operations: Vec<JsonPatchOperation> = serde_json::from_value(operations).unwrap();
            assert_eq!(
                SettingsPatch::from_json_patch(&base, &operations).unwrap(),
                expected
            );
        }
        let operations: Vec<JsonPatchOperation> = serde_json::from_value(json!([
            {"op": "remove", "path": "/level"},
            {"op": "remove", "path": "/owner"},
            {"op": "remove", "path": "/roles"},
        ]))
        .unwrap();
        let error = SettingsPatch::from_json_patch(&base, &operations).unwrap_err();
        assert!(
            matches!(error, JsonPatchError::Patch(_))
                && error.to_string().contains(
                    "invalid value: null for `owner`, a required attribute that cannot be cleared"
                ),
            "{error}"
        );
    }

    /// `from_scim_patch` reads the change as `from_json_patch` does: a required attribute of
    /// a nested model removed is named by its path there too.
    #[test]
    fn a_scim_remove_of_a_nested_required_attribute_is_named_by_its_path() {
        let message: sparse_patch::ScimPatch = serde_json::from_value(json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "remove", "path": "name.given"}]
        }))
        .unwrap();
        let error = UserPatch::from_scim_patch(&user(), &message).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("invalid value: null for `name.given`, a required attribute"),
            "{error}"
        );
    }

    /// The whole document replaced (`add`, `replace`, `copy` or `move` at `""`) by a value
    /// that is not an object is refused: serde's derive would read a struct from an array, by
    /// position (`["b@example.com", null, 1, ["B", null], []]` as a user), but a patch is
    /// read from a map only.
    #[test]
    fn the_whole_document_replaced_by_what_is_not_an_object_is_refused() {
        let as_array = json!(["b@example.com", null, 1, ["B", null], []]);
        for operations in [
            json!([{"op": "replace", "path": "", "value": as_array}]),
            json!([{"op": "add", "path": "", "value": as_array}]),
            json!([{"op": "add", "path": "/tags/-", "value": as_array}, {"op": "move", "from": "/tags/2", "path": ""}]),
            json!([{"op": "replace", "path": "", "value": "text"}]),
            json!([{"op": "copy", "from": "/tags", "path": ""}]),
        ] {
            let error = read(&operations).unwrap_err();
            assert!(
                matches!(error, JsonPatchError::Patch(_))
                    && error.to_string().contains("expected struct UserPatch"),
                "{operations}: {error}"
            );
        }
        // An object replaces it as a merge patch's members would.
        let patch = read(&json!([{"op": "replace", "path": "", "value": {
            "email": "b@example.com", "version": 7, "name": {"given": "Alan"}, "tags": []
        }}]))
        .unwrap();
        assert_eq!(
            patch,
            UserPatch::new()
                .email("b@example.com")
                .clear_nickname()
                .name(NamePatch::new().clear_family())
                .tags(Vec::<String>::new())
        );
    }
}

/// A `remove` (and the removal of a `move`) leaves an object's other members in their places.
/// Where serde_json keeps members in insertion order (its `preserve_order` feature, which any
/// crate of a build may turn on), `Map::remove` is a `swap_remove`: removing `a` from
/// `{"a", "b", "c"}` wrote `{"c":3,"b":2}`. Only a run with that feature can fail here; CI runs
/// this file with it (`.ci/run`), as the merge's order tests.
#[test]
fn a_removed_member_leaves_the_others_in_their_places() {
    let parse = |text: &str| serde_json::from_str::<Value>(text).unwrap();
    let removed = applied(
        parse(r#"{"a":1,"b":2,"c":3}"#),
        json!([{"op": "remove", "path": "/a"}]),
    );
    assert_eq!(removed.to_string(), r#"{"b":2,"c":3}"#);
    let moved = applied(
        parse(r#"{"x":{"p":1,"q":2,"r":3}}"#),
        json!([{"op": "move", "from": "/x/p", "path": "/y"}]),
    );
    assert_eq!(moved.to_string(), r#"{"x":{"q":2,"r":3},"y":1}"#);
}
