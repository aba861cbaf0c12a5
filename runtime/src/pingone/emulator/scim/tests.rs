//! The emulator's SCIM paths, filters and operations, one rule at a time.

use serde_json::{Map, Value, json};

use super::apply::apply;
use super::message::{Invalid, read_message};
use super::path::{
    Comparison, Condition, Filter, NO_SCHEMA_URN, ONLY_EQ, Operator, Path, read_path,
};
use crate::SCIM_PATCH_OP_SCHEMA;

fn path(attribute: &str, filter: Option<Vec<Vec<(&str, Value)>>>, sub: Option<&str>) -> Path {
    Path {
        attribute: attribute.to_owned(),
        filter: filter.map(|any| {
            Filter(
                any.into_iter()
                    .map(|all| {
                        all.into_iter()
                            .map(|(n, v)| {
                                Condition::from(Comparison {
                                    name: n.to_owned(),
                                    operator: Operator::Eq,
                                    value: v,
                                })
                            })
                            .collect()
                    })
                    .collect(),
            )
        }),
        sub_attribute: sub.map(str::to_owned),
    }
}

#[test]
fn paths_of_each_shape() {
    assert_eq!(read_path("nickname"), Ok(path("nickname", None, None)));
    assert_eq!(
        read_path("name.given"),
        Ok(path("name", None, Some("given")))
    );
    assert_eq!(
        read_path(r#"badges[type eq "work"]"#),
        Ok(path(
            "badges",
            Some(vec![vec![("type", json!("work"))]]),
            None
        ))
    );
    assert_eq!(
        read_path(r#"badges[type eq "work"].value"#),
        Ok(path(
            "badges",
            Some(vec![vec![("type", json!("work"))]]),
            Some("value")
        ))
    );
    assert_eq!(read_path("my-attr_2"), Ok(path("my-attr_2", None, None)));
}

#[test]
fn filter_values_are_json_literals_with_their_escapes() {
    let filter = |text: &str| {
        read_path(&format!("a[v eq {text}]")).map(|p| match &p.filter.unwrap().0[0][0] {
            Condition::Compare(comparison) => comparison.value.clone(),
            other => panic!("{other:?}"),
        })
    };
    assert_eq!(filter(r#""say \"hi\"""#), Ok(json!(r#"say "hi""#)));
    assert_eq!(filter(r#""back\\slash""#), Ok(json!(r"back\slash")));
    assert_eq!(filter(r#""ends with \\""#), Ok(json!("ends with \\")));
    assert_eq!(filter(r#""a ] b""#), Ok(json!("a ] b")));
    assert_eq!(filter(r#""\u00e9\n""#), Ok(json!("é\n")));
    assert_eq!(filter("7"), Ok(json!(7)));
    // The number as serde_json reads its text: the `f64` -1500 by default, the text kept
    // with its `arbitrary_precision`; one value either way.
    let number = filter("-1.5e3").unwrap();
    assert_eq!(number, serde_json::from_str::<Value>("-1.5e3").unwrap());
    assert_eq!(crate::keyed_array::key_identity(&number), "-15e2");
    assert_eq!(filter("true"), Ok(json!(true)));
    assert_eq!(filter("false"), Ok(json!(false)));
    assert_eq!(filter("null"), Ok(json!(null)));
}

#[test]
fn whitespace_and_case_inside_the_brackets() {
    for text in [
        r#"a[x eq 1 and y eq "b" or z eq null].s"#,
        r#"a[  x  EQ 1 AND y Eq "b"   Or z eq null ].s"#,
    ] {
        let and = vec![("x", json!(1)), ("y", json!("b"))];
        let expected = path("a", Some(vec![and, vec![("z", json!(null))]]), Some("s"));
        assert_eq!(read_path(text), Ok(expected), "{text}");
    }
    // No space after the operator: RFC 7644 §3.4.2.2 has one (`compareOp SP compValue`).
    let error = read_path(r#"a[x eq"b"]"#).unwrap_err();
    assert!(
        error.contains("the operator \"eq\" at byte 4 needs a space after it"),
        "{error}"
    );
}

/// `and` and `or` glued to the value before them or the comparison after them (`"b"and`)
/// were read as keywords: RFC 7644 §3.4.2.2 puts a space on each side, and PingOne's reader
/// may not take them (the client always writes them). Refused, naming the keyword.
#[test]
fn a_logical_operator_without_spaces_is_refused() {
    for text in [
        r#"a[x eq "b"and y eq 1]"#,
        r#"a[x eq "b" OR"y" eq 1]"#,
        r#"a[x eq true or y eq "b"and z eq 1]"#,
    ] {
        let error = read_path(text).unwrap_err();
        assert!(
            error.contains("needs a space before it and after it"),
            "{text}: {error}"
        );
    }
}

#[test]
fn malformed_paths_say_where() {
    for (text, reason) in [
        ("", "expected an attribute name at byte 0, found the end"),
        ("1a", "expected an attribute name at byte 0, found '1'"),
        ("a.", "expected an attribute name at byte 2, found the end"),
        ("a b", "expected the end of the path at byte 1, found ' '"),
        ("a.b.c", "expected the end of the path at byte 3, found '.'"),
        ("a[", "expected an attribute name at byte 2, found the end"),
        ("a[x]", "expected the operator eq at byte 3, found ']'"),
        (
            "a[x\teq 1]",
            "expected the operator eq at byte 3, found '\\t'",
        ),
        (
            r#"a[x ne "b"]"#,
            r#"the operator "ne" is not supported (only eq)"#,
        ),
        ("a[x pr]", r#"the operator "pr" is not supported (only eq)"#),
        ("a[x eq]", "expected a value at byte 6, found ']'"),
        (r#"a[x eq "b]"#, "a string value's closing quote is missing"),
        (
            r#"a[x eq "b\"]"#,
            "a string value's closing quote is missing",
        ),
        (
            "a[x eq b]",
            "the value b at byte 7 is not a JSON string, number, true, false or null",
        ),
        (
            "a[x eq {}]",
            "the value {} at byte 7 is not a JSON string, number, true, false or null",
        ),
        (
            r#"a[x eq "b""#,
            "expected `and`, `or` or `]` at byte 10, found the end",
        ),
        (
            r#"a[x eq "b" c]"#,
            "expected `and`, `or` or `]` at byte 11, found 'c'",
        ),
        (
            r#"a[x eq "b"]x"#,
            "expected the end of the path at byte 11, found 'x'",
        ),
        (r#"urn:x:User:name"#, NO_SCHEMA_URN),
    ] {
        assert_eq!(read_path(text), Err(reason.to_owned()), "{text}");
    }
}

/// `not x eq "b"` said `the operator "x" is not supported`, reading `not` as an attribute
/// and its operand as the operator; `(x eq "b")` said `expected an attribute name`. Each
/// now names what is not supported, and where.
#[test]
fn not_and_parentheses_are_named_as_unsupported() {
    for (text, reason) in [
        (r#"a[(x eq "b")]"#, "grouping with parentheses at byte 2"),
        (
            r#"a[x eq "b" and (y eq 1 or y eq 2)]"#,
            "grouping with parentheses at byte 15",
        ),
        (
            r#"a[not x eq "b"]"#,
            r#"the logical operator "not" at byte 2"#,
        ),
        (
            r#"a[x eq 1 or NOT (y eq 2)]"#,
            r#"the logical operator "NOT" at byte 12"#,
        ),
    ] {
        let expected = format!("{reason} is not supported ({ONLY_EQ})");
        assert_eq!(read_path(text), Err(expected), "{text}");
    }
    // An attribute named `not` is compared as any other.
    assert_eq!(
        read_path("a[not eq 1]"),
        Ok(path("a", Some(vec![vec![("not", json!(1))]]), None))
    );
}

fn apply_json(user: Value, operations: Value) -> Result<Value, Invalid> {
    let message = json!({"schemas": [SCIM_PATCH_OP_SCHEMA], "Operations": operations});
    let Value::Object(message) = message else {
        unreachable!()
    };
    let operations = read_message(message)?;
    let Value::Object(mut user) = user else {
        unreachable!()
    };
    apply(&mut user, &operations)?;
    Ok(Value::Object(user))
}

#[test]
fn add_appends_to_arrays_and_merges_objects() {
    let user = json!({"name": {"given": "A"}, "tags": ["x"]});
    let ops = json!([
        {"op": "add", "path": "tags", "value": ["y", "z"]},
        {"op": "add", "path": "tags", "value": "w"},
        {"op": "add", "path": "name", "value": {"family": "B"}},
        {"op": "add", "value": {"nickname": "N", "tags": ["v"]}},
    ]);
    assert_eq!(
        apply_json(user, ops).unwrap(),
        json!({
            "name": {"given": "A", "family": "B"},
            "tags": ["x", "y", "z", "w", "v"],
            "nickname": "N"
        })
    );
}

#[test]
fn replace_replaces_arrays_and_needs_a_match() {
    let user = json!({"tags": ["x"], "b": [{"t": "w", "v": 1}, {"t": "h", "v": 2}]});
    let ops = json!([
        {"op": "replace", "path": "tags", "value": ["y"]},
        {"op": "replace", "path": "b[t eq \"h\"]", "value": {"v": 3}},
    ]);
    assert_eq!(
        apply_json(user.clone(), ops).unwrap(),
        json!({"tags": ["y"], "b": [{"t": "w", "v": 1}, {"t": "h", "v": 3}]})
    );
    let ops = json!([{"op": "replace", "path": "b[t eq \"o\"].v", "value": 4}]);
    let error = apply_json(user, ops).unwrap_err();
    assert_eq!(error.target, "b[t eq \"o\"].v");
    assert_eq!(
        error.message,
        "No value of b matches the filter (noTarget)."
    );
}

/// `add` at `badges[type eq "work"]` with `"x"` answered 200 with the work badge turned
/// into the string `"x"` (with `["x"]`, into an array): an `add` destroyed an element.
#[test]
fn a_filter_without_sub_attribute_takes_an_object_only() {
    let user = json!({"b": [{"t": "w", "v": 1}, {"t": "h", "v": 2}]});
    for op in ["add", "replace"] {
        for (value, kind) in [
            (json!("x"), "a string"),
            (json!(["x"]), "an array"),
            (json!(7), "a number"),
            (json!(true), "a boolean"),
        ] {
            let ops = json!([
                {"op": "replace", "path": "nickname", "value": "N"},
                {"op": op, "path": "b[t eq \"w\"]", "value": value},
            ]);
            let error = apply_json(user.clone(), ops).unwrap_err();
            assert_eq!(error.target, "b[t eq \"w\"]");
            assert_eq!(
                error.message,
                format!(
                    "A filter selects complex values: the value of an {op} at it must be an \
                     object of sub-attributes, not {kind} (invalidValue)."
                )
            );
        }
        // An object merges into each selected element; a sub-attribute takes any value.
        let ops = json!([
            {"op": op, "path": "b[t eq \"w\"]", "value": {"v": 3}},
            {"op": op, "path": "b[t eq \"h\"].v", "value": [4]},
        ]);
        assert_eq!(
            apply_json(user.clone(), ops).unwrap(),
            json!({"b": [{"t": "w", "v": 3}, {"t": "h", "v": [4]}]})
        );
    }
}

#[test]
fn remove_of_the_last_element_unassigns_the_attribute() {
    let user = json!({"b": [{"t": "w"}], "c": "x"});
    let ops =
        json!([{"op": "remove", "path": "b[t eq \"w\"]"}, {"op": "remove", "path": "gone.x"}]);
    assert_eq!(apply_json(user, ops).unwrap(), json!({"c": "x"}));
}

#[test]
fn messages_that_are_not_patch_ops() {
    let read = |body: Value| {
        let Value::Object(body) = body else {
            unreachable!()
        };
        read_message(body).map(|_| ()).unwrap_err().target
    };
    assert_eq!(read(json!({"Operations": []})), "schemas");
    assert_eq!(
        read(json!({"schemas": [SCIM_PATCH_OP_SCHEMA]})),
        "Operations"
    );
    assert_eq!(
        read(json!({"schemas": [SCIM_PATCH_OP_SCHEMA], "Operations": []})),
        "Operations"
    );
    let with = |op: Value| json!({"schemas": [SCIM_PATCH_OP_SCHEMA], "Operations": [op]});
    assert_eq!(
        read(with(json!({"op": "move", "path": "a"}))),
        "Operations[0]"
    );
    assert_eq!(read(with(json!({"op": "remove"}))), "Operations[0]");
    assert_eq!(read(with(json!({"op": "add", "path": "a"}))), "a");
    assert_eq!(
        read(with(json!({"op": "add", "value": 1}))),
        "Operations[0]"
    );
    assert_eq!(
        read(with(json!({"op": "add", "path": "a[", "value": 1}))),
        "a["
    );
}

/// A message whose own names are in another case (`operations`, `Schemas`) was refused
/// with "must hold an array of one or more Operations" (or "must list … in schemas"),
/// which it did, and so was the PatchOp URI in another case, though the crate's own
/// `ScimPatch` reads all of them (RFC 7643 §2.1: attribute names in any case).
#[test]
fn the_messages_own_names_and_uri_are_read_in_any_case() {
    let op = json!([{"op": "replace", "path": "nickname", "value": "N"}]);
    let lower = SCIM_PATCH_OP_SCHEMA.to_lowercase();
    for message in [
        json!({"schemas": [SCIM_PATCH_OP_SCHEMA], "operations": op}),
        json!({"Schemas": [SCIM_PATCH_OP_SCHEMA], "OPERATIONS": op}),
        json!({"schemas": [lower], "Operations": op}),
    ] {
        let Value::Object(body) = message.clone() else {
            unreachable!()
        };
        let mut user = Map::new();
        apply(&mut user, &read_message(body).unwrap()).unwrap();
        assert_eq!(Value::Object(user), json!({"nickname": "N"}), "{message}");
        // The crate's reader agrees.
        serde_json::from_value::<crate::ScimPatch>(message).unwrap();
    }
    // Given twice in two cases: which one is meant is not known.
    for (message, target) in [
        (
            json!({"schemas": [SCIM_PATCH_OP_SCHEMA], "Operations": op, "operations": []}),
            "Operations",
        ),
        (
            json!({"schemas": [SCIM_PATCH_OP_SCHEMA], "Schemas": [], "Operations": op}),
            "schemas",
        ),
    ] {
        let Value::Object(body) = message.clone() else {
            unreachable!()
        };
        let error = read_message(body).unwrap_err();
        assert_eq!(error.target, target, "{message}");
        assert!(error.message.contains("twice"), "{}", error.message);
    }
}

/// A URN-qualified name (Entra ID's `urn:…:enterprise:2.0:User:employeeNumber`) in a
/// path-less value was told "send it as an operation of its own, with it as the path",
/// and as a path it was "malformed: expected the end of the path at byte 3, found ':'":
/// neither said that PingOne's users have no schema URN.
#[test]
fn a_schema_urn_is_refused_saying_so() {
    let urn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    for operation in [
        json!({"op": "replace", "value": {format!("{urn}:employeeNumber"): "7"}}),
        json!({"op": "add", "value": {urn: {"employeeNumber": "7"}}}),
        json!({"op": "replace", "path": format!("{urn}:employeeNumber"), "value": "7"}),
        json!({"op": "remove", "path": "URN:ietf:params:scim:schemas:core:2.0:User:title"}),
    ] {
        let error = apply_json(json!({}), json!([operation])).unwrap_err();
        assert!(
            error.message.contains(NO_SCHEMA_URN),
            "{operation}: {}",
            error.message
        );
    }
    // `urn` without the colon is an attribute name like any other.
    assert_eq!(
        apply_json(json!({}), json!([{"op": "add", "path": "urn", "value": 1}])).unwrap(),
        json!({"urn": 1})
    );
}

/// `add` appended a value that the attribute already held: `tags` `["x"]` with `["x", "y"]`
/// became `["x", "x", "y"]`, and a badge added twice was held twice (thomaspoignant/
/// scim-patch#214). RFC 7644 §3.5.2.1: "If the target location already contains the value
/// specified, no changes SHOULD be made".
#[test]
fn add_appends_no_value_the_attribute_already_holds() {
    let user = json!({"tags": ["x"], "b": [{"t": "w", "v": 1}]});
    let ops = json!([
        {"op": "add", "path": "tags", "value": ["x", "y", "y"]},
        {"op": "add", "path": "tags", "value": "x"},
        {"op": "add", "path": "b", "value": {"t": "w", "v": 1}},
        {"op": "add", "value": {"b": [{"t": "w", "v": 1}, {"t": "h"}]}},
    ]);
    assert_eq!(
        apply_json(user.clone(), ops).unwrap(),
        json!({"tags": ["x", "y"], "b": [{"t": "w", "v": 1}, {"t": "h"}]})
    );
    // Equal as JSON only: another case, another number, another member is another value.
    let ops = json!([
        {"op": "add", "path": "tags", "value": ["X"]},
        {"op": "add", "path": "b", "value": [{"t": "W", "v": 1}, {"t": "w", "v": 1.0}, {"t": "w"}]},
    ]);
    assert_eq!(
        apply_json(user, ops).unwrap(),
        json!({
            "tags": ["x", "X"],
            "b": [{"t": "w", "v": 1}, {"t": "W", "v": 1}, {"t": "w", "v": 1.0}, {"t": "w"}]
        })
    );
}

/// An `add` of an array to an absent (or `null`) attribute, at the top, below a complex
/// attribute or through a path-less value, sets it as an `add` to `[]` does: each value once.
/// It was set whole, so `["x", "x"]` was stored twice where the attribute was absent and once
/// where it was `[]`.
#[test]
fn add_of_an_array_where_there_is_none_keeps_each_value_once() {
    let twice = json!(["x", {"t": "w", "$ref": null}, "x", {"t": "w"}]);
    let once = json!(["x", {"t": "w"}]);
    for user in [
        json!({}),
        json!({"tags": null, "name": null}),
        json!({"tags": [], "name": {"tags": []}}),
    ] {
        let ops = json!([
            {"op": "add", "path": "tags", "value": twice},
            {"op": "add", "path": "name.tags", "value": twice},
            {"op": "add", "value": {"more": twice}},
        ]);
        assert_eq!(
            apply_json(user.clone(), ops).unwrap(),
            json!({"tags": once, "name": {"tags": once}, "more": once}),
            "{user}"
        );
    }
    // `replace` sets the array whole, as it was sent.
    let ops = json!([{"op": "replace", "path": "tags", "value": ["x", "x"]}]);
    assert_eq!(
        apply_json(json!({}), ops).unwrap(),
        json!({"tags": ["x", "x"]})
    );
}

/// A filter on a multi-valued attribute of simple values (`tags: ["x", "y"]`) matched
/// nothing: `remove` at `tags[value eq "x"]` answered 200 and removed nothing, and an
/// `add` there (which adds what matches nothing) would put an object among the strings.
#[test]
fn a_filter_on_simple_values_is_refused() {
    let user = json!({"tags": ["x", "y"], "mixed": [{"t": "w"}, 7]});
    for (op, path) in [
        (
            json!({"op": "remove", "path": "tags[value eq \"x\"]"}),
            "tags",
        ),
        (
            json!({"op": "add", "path": "tags[value eq \"z\"]", "value": {"a": 1}}),
            "tags",
        ),
        (
            json!({"op": "replace", "path": "tags[value eq \"x\"].a", "value": 1}),
            "tags",
        ),
        (
            json!({"op": "remove", "path": "mixed[t eq \"w\"]"}),
            "mixed",
        ),
    ] {
        let error = apply_json(user.clone(), json!([op])).unwrap_err();
        assert!(
            error
                .message
                .starts_with(&format!("{path} holds simple values")),
            "{op}: {}",
            error.message
        );
        assert!(
            error.message.ends_with("(invalidFilter)."),
            "{}",
            error.message
        );
    }
    // Without a filter, simple values are added and removed as ever.
    let ops = json!([
        {"op": "add", "path": "tags", "value": "z"},
        {"op": "remove", "path": "mixed"},
    ]);
    assert_eq!(
        apply_json(user, ops).unwrap(),
        json!({"tags": ["x", "y", "z"]})
    );
}

/// A `null` inside a value stayed in the user where an array held it: `replace` at
/// `b[t eq "w"]` with `{"v": null}` stored `{"t": "w", "v": null}` (where `name` with
/// `{"given": null}` removed `given`), and Entra ID's `{"$ref": null, "value": "x"}` was
/// stored with its `null`, and appended again beside the `{"value": "x"}` it equals.
/// RFC 7643 §2.5: assigning `null` is removing.
#[test]
fn a_null_inside_a_value_is_unassigned_at_any_depth() {
    let user = json!({"name": {"given": "A", "family": "B"}, "b": [{"t": "w", "v": 1}], "m": [{"value": "x"}]});
    let ops = json!([
        {"op": "replace", "path": "b[t eq \"w\"]", "value": {"v": null, "d": {"e": null, "f": 1}}},
        {"op": "add", "path": "b", "value": [{"t": "h", "v": null, "l": [{"g": null}, null]}]},
        {"op": "add", "path": "m", "value": [{"$ref": null, "value": "x"}, {"$ref": null, "value": "y"}]},
        {"op": "replace", "path": "name", "value": {"given": null}},
        {"op": "add", "path": "c[t eq \"n\"]", "value": {"v": null, "w": 2}},
    ]);
    assert_eq!(
        apply_json(user, ops).unwrap(),
        json!({
            "name": {"family": "B"},
            "b": [{"t": "w", "d": {"f": 1}}, {"t": "h", "l": [{}, null]}],
            "m": [{"value": "x"}, {"value": "y"}],
            "c": [{"t": "n", "w": 2}],
        })
    );
}

/// An `add` of many values to a multi-valued attribute (an Entra ID group's members) looked
/// through the attribute once per value: 40,000 values (1.8 MB, under the 2 MB that a body may
/// hold) took 374 s here, 20,000 took 109 s. They are now found by hash, in linear time (the
/// `dialects` bench's group `scim_read` times it); equal
/// values are still equal as JSON (members in any order, `-0.0` and `0.0`).
#[test]
fn an_add_of_many_values() {
    let values: Vec<Value> = (0..40_000)
        .map(|i| json!({"value": format!("member-{i:08}"), "type": "direct"}))
        .collect();
    let mut want = vec![json!({"value": "x"})];
    want.extend(values.iter().cloned());
    let ops = json!([{"op": "add", "path": "members", "value": values}]);
    let user = apply_json(json!({"members": [{"value": "x"}]}), ops).unwrap();
    assert_eq!(user, json!({ "members": want }));

    let user = json!({"members": [{"a": 1, "b": [0.0]}, "x"]});
    let ops =
        json!([{"op": "add", "path": "members", "value": [{"b": [-0.0], "a": 1}, "x", "y", "y"]}]);
    assert_eq!(
        apply_json(user, ops).unwrap(),
        json!({"members": [{"a": 1, "b": [0.0]}, "x", "y"]})
    );
}

/// What the emulator refuses as a malformed operation whatever the user holds, the client's
/// pre-flight refuses before sending (`check_scim_patch` let all but `null` at a path through,
/// and PingOne answered 400, or 200 for a path-less value's `name.given` that it dropped).
#[cfg(feature = "client")]
#[test]
fn malformed_operations_are_refused_by_the_pre_flight_too() {
    let user = json!({"username": "ada", "badges": [{"type": "w", "value": "x"}]});
    for operation in [
        json!({"op": "remove"}),
        json!({"op": "remove", "path": "badges", "value": [{"value": "x"}]}),
        json!({"op": "replace", "value": "Ada"}),
        json!({"op": "add", "value": null}),
        json!({"op": "add"}),
        json!({"op": "replace", "value": {"name.given": "Ada"}}),
        json!({"op": "replace", "path": "", "value": "x"}),
        json!({"op": "replace", "path": "name.given.first", "value": "x"}),
        json!({"op": "remove", "path": "name..given"}),
        json!({"op": "remove", "path": "badges[type eq \"w\""}),
        json!({"op": "remove", "path": "badges[type eq \"w\"]value"}),
        json!({"op": "replace", "path": "given name", "value": "x"}),
        json!({"op": "replace", "path": "name.1st", "value": "x"}),
        json!({"op": "replace", "path": "nickname", "value": null}),
    ] {
        assert!(
            apply_json(user.clone(), json!([operation.clone()])).is_err(),
            "{operation}"
        );
        let operation: crate::ScimOperation = serde_json::from_value(operation.clone()).unwrap();
        let message = crate::ScimPatch::new(vec![operation.clone()]);
        assert!(
            crate::pingone::check_scim_patch(&message).is_err(),
            "{operation:?}"
        );
    }
}

/// The pre-flight's shape check (`preflight/scim_shape.rs`) never refuses an operation that the
/// emulator takes: on
/// random paths and values (attribute names, `.`, brackets, quoted filter values with `]` and
/// escapes, schema URNs, names PingOne cannot have), whatever `check_scim_patch` refuses, the
/// emulator refuses too, on a user that holds every attribute the paths name.
#[cfg(feature = "client")]
mod shape_law {
    use proptest::prelude::*;
    use serde_json::{Value, json};

    use super::apply_json;

    fn path() -> impl Strategy<Value = String> {
        let piece = proptest::sample::select(vec![
            "name",
            "given",
            "badges",
            "type",
            "value",
            "$ref",
            "urn:x:y:",
            ".",
            ".",
            "[",
            "]",
            "[type eq \"w\"]",
            "[value eq \"a]b\"]",
            "\"",
            "\\",
            " ",
            "1",
            "_",
            "-",
            "x",
        ]);
        proptest::collection::vec(piece, 0..5).prop_map(|pieces| pieces.concat())
    }

    fn value() -> impl Strategy<Value = Option<Value>> {
        proptest::sample::select(vec![
            None,
            Some(Value::Null),
            Some(json!("w")),
            Some(json!({"type": "w", "value": "v"})),
            Some(json!({"nickname": "Al"})),
            Some(json!({"name.given": "Al"})),
            Some(json!([{"value": "v"}])),
        ])
    }

    proptest! {
        #[test]
        fn what_the_pre_flight_refuses_the_emulator_refuses(
            op in proptest::sample::select(vec!["add", "remove", "replace"]),
            path in proptest::option::weighted(0.9, path()),
            value in value(),
        ) {
            let mut operation = json!({"op": op});
            if let Some(path) = &path {
                operation["path"] = json!(path);
            }
            if let Some(value) = &value {
                operation["value"] = value.clone();
            }
            let read: crate::ScimOperation = serde_json::from_value(operation.clone()).unwrap();
            let user = json!({
                "username": "ada",
                "nickname": "Al",
                "name": {"given": "Ada"},
                "badges": [{"type": "w", "value": "v", "$ref": "r"}],
            });
            // The shape's faults; a value's rule (an object for `type`) is the validation's,
            // which `apply_json` does not run.
            let shape = [
                "is not a SCIM path",
                "a remove needs a path",
                "a remove takes no value",
                "without a path needs an object",
                "is not an attribute name:",
                "starts with a schema URN",
                "is given no value",
            ];
            if let Err(error) = crate::pingone::check_scim_patch(&crate::ScimPatch::new(vec![read]))
                && shape.iter().any(|text| error.to_string().contains(text))
            {
                prop_assert!(
                    apply_json(user, json!([operation])).is_err(),
                    "refused before sending, taken by the emulator: {operation}"
                );
            }
        }
    }
}
