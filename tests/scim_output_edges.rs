//! SCIM output (`scim_patch_from_merge`) at the edges that a mutation review found unpinned:
//! which names a path carries (`ATTRNAME`, RFC 7643 §2.1), which members are schema URNs
//! (RFC 7644 §3.10), and outputs that differ only in operations (no change sent twice).

use serde_json::{Value, json};
use sparse_patch::{DialectError, KeyedArray, scim_patch_from_merge};

fn ops(base: Value, merge: Value) -> Result<Value, DialectError> {
    scim_patch_from_merge(&base, &merge, &[])
        .map(|patch| serde_json::to_value(&patch.operations).unwrap())
}

fn refused_path(base: Value, merge: Value) -> String {
    match ops(base, merge.clone()) {
        Err(DialectError::ScimName { path }) => path,
        other => panic!("{merge}: {other:?}"),
    }
}

#[test]
fn an_attribute_name_is_a_letter_then_letters_digits_hyphens_and_underscores() {
    for name in ["a", "x-y", "first_name", "a1-_b", "Z9"] {
        assert_eq!(
            ops(json!({}), json!({name: 1})).unwrap(),
            json!([{"op": "replace", "path": name, "value": 1}]),
            "{name}"
        );
    }
    // `$ref` too, as a sub-attribute (RFC 7643 §2.3.7).
    assert_eq!(
        ops(
            json!({"manager": {"value": "m1"}}),
            json!({"manager": {"$ref": "u"}})
        )
        .unwrap(),
        json!([{"op": "replace", "path": "manager.$ref", "value": "u"}])
    );
    for name in ["1a", "-a", "_a", "", "a.b", "a b", "a$", "é", "$refs"] {
        assert_eq!(refused_path(json!({}), json!({name: 1})), name);
        assert_eq!(
            refused_path(json!({"name": {"given": "x"}}), json!({"name": {name: 1}})),
            format!("name.{name}")
        );
    }
}

/// A sub-attribute's name is refused whether or not the base holds the attribute: written
/// whole (`replace name {"a b": 1}`, where the base has no `name` object) it is as much a
/// sub-attribute name as in a path (`name.a b`, refused where it has one), and the output must
/// not depend on the base for it. An extension attribute's sub-attributes too. (Below a
/// sub-attribute, where SCIM paths end, and in the elements of a multi-valued attribute,
/// values are sent whole, names and all.)
#[test]
fn a_sub_attribute_name_is_refused_also_where_the_attribute_is_set_whole() {
    let urn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    for name in ["1a", "-a", "_a", "", "a.b", "a b", "a$", "é", "$refs"] {
        for base in [json!({}), json!({"name": "text"}), json!({"name": null})] {
            assert_eq!(
                refused_path(base, json!({"name": {"given": "x", name: 1}})),
                format!("name.{name}")
            );
        }
        assert_eq!(
            refused_path(json!({}), json!({"name": {name: null}})),
            format!("name.{name}")
        );
        assert_eq!(
            refused_path(json!({}), json!({urn: {"manager": {name: 1}}})),
            format!("{urn}:manager.{name}")
        );
        assert_eq!(
            refused_path(
                json!({urn: {"manager": {"value": "m"}}}),
                json!({urn: {"manager": {name: 1}}})
            ),
            format!("{urn}:manager.{name}")
        );
    }
    assert_eq!(
        ops(json!({}), json!({"name": {"given": "x", "$ref": "u"}})).unwrap(),
        json!([{"op": "replace", "path": "name", "value": {"given": "x", "$ref": "u"}}])
    );
    assert_eq!(
        ops(json!({}), json!({"name": {"x": {"a b": 1}}})).unwrap(),
        json!([{"op": "replace", "path": "name", "value": {"x": {"a b": 1}}}])
    );
    assert_eq!(
        ops(json!({}), json!({"items": [{"a b": 1}]})).unwrap(),
        json!([{"op": "replace", "path": "items", "value": [{"a b": 1}]}])
    );
}

#[test]
fn a_schema_urn_has_a_namespace_and_a_name_and_ends_with_neither_colon_nor_space() {
    // A URN's object holds attributes, each under `URN:attribute`.
    for urn in [
        "urn:x:y",
        "URN:x:y",
        "urn:ietf:params:scim:schemas:extension:a:2.0:B",
    ] {
        assert_eq!(
            ops(json!({}), json!({urn: {"a": 1}})).unwrap(),
            json!([{"op": "replace", "path": format!("{urn}:a"), "value": 1}]),
            "{urn}"
        );
    }
    // Not URNs, nor attribute names: refused whole, whatever they hold.
    for name in [
        "urn::y",
        "urn:x:",
        "urn:x:y:",
        "urn:x",
        "urn:",
        "urn:x:y z",
        "urn:x:y\"",
        "urn:x:y]",
        "urn:x:\u{e9}",
        "urx:x:y",
    ] {
        assert_eq!(refused_path(json!({}), json!({name: {"a": 1}})), name);
    }
}

#[test]
fn null_on_an_extension_removes_only_the_attributes_it_holds() {
    let base = json!({"urn:x:y": {"a": 1, "b": null}});
    assert_eq!(
        ops(base, json!({"urn:x:y": null})).unwrap(),
        json!([{"op": "remove", "path": "urn:x:y:a"}])
    );
}

/// A member named like a schema URN whose base value is not an object (a custom attribute
/// `"urn:x:y": "text"`): no path names it (`urn:x:y` reads as the attribute `y` of the schema
/// `urn:x`, RFC 7644 §3.10). Its `null` sent nothing, so the server kept the value that the
/// merge patch removes; an object merged into it sent `replace urn:x:y:a`, an attribute of an
/// extension the server does not hold. Both are refused by the member's name, as a change to
/// a value that is not an object is; the base's value is left alone where the patch does not
/// touch it.
#[test]
fn an_extension_member_that_the_base_holds_as_no_object_is_refused() {
    for base in [
        json!({"urn:x:y": "text"}),
        json!({"urn:x:y": 1}),
        json!({"urn:x:y": [1]}),
    ] {
        for merge in [json!({"urn:x:y": null}), json!({"urn:x:y": {"a": 1}})] {
            assert_eq!(refused_path(base.clone(), merge), "urn:x:y", "{base}");
        }
        assert_eq!(
            ops(base.clone(), json!({"b": 1})).unwrap(),
            json!([{"op": "replace", "path": "b", "value": 1}])
        );
    }
    // `null` in the base is unassigned, as for any attribute.
    assert_eq!(
        ops(json!({"urn:x:y": null}), json!({"urn:x:y": null})).unwrap(),
        json!([])
    );
    assert_eq!(
        ops(json!({"urn:x:y": null}), json!({"urn:x:y": {"a": 1}})).unwrap(),
        json!([{"op": "replace", "path": "urn:x:y:a", "value": 1}])
    );
}

#[test]
fn a_message_without_operations_is_empty() {
    use sparse_patch::{ScimOperation, ScimPatch};
    assert!(ScimPatch::new(vec![]).is_empty());
    assert!(!ScimPatch::new(vec![ScimOperation::remove("title")]).is_empty());
    // What the output gives for a patch that changes nothing of its base.
    let unchanged = scim_patch_from_merge(&json!({"a": 1}), &json!({"a": 1, "b": null}), &[]);
    assert!(unchanged.unwrap().is_empty());
}

#[test]
fn an_op_displays_as_it_is_written() {
    use sparse_patch::ScimOp;
    for (op, text) in [
        (ScimOp::Add, "add"),
        (ScimOp::Remove, "remove"),
        (ScimOp::Replace, "replace"),
    ] {
        assert_eq!(op.to_string(), text);
        // Width and alignment are honoured, as for a `str` (a table of operations).
        assert_eq!(format!("{op:>8}|{op:<8}|"), format!("{text:>8}|{text:<8}|"));
        assert_eq!(serde_json::to_value(op).unwrap(), json!(text));
    }
}

#[test]
fn a_filter_value_is_a_json_scalar() {
    use sparse_patch::scim_filter_value;
    for (value, text) in [
        (json!("a\"b\\c\n"), r#""a\"b\\c\n""#),
        (json!(""), r#""""#),
        (json!(-1.5), "-1.5"),
        (json!(7), "7"),
        (json!(true), "true"),
        (json!(null), "null"),
    ] {
        assert_eq!(scim_filter_value(&value).as_deref(), Some(text), "{value}");
    }
    assert_eq!(scim_filter_value(&json!([])), None);
    assert_eq!(scim_filter_value(&json!({"a": 1})), None);
}

#[test]
fn a_message_or_operation_that_is_not_an_object_says_what_was_expected() {
    use sparse_patch::{ScimOperation, ScimPatch};
    let error = serde_json::from_value::<ScimPatch>(json!("add")).unwrap_err();
    assert_eq!(
        error.to_string(),
        r#"invalid type: string "add", expected a SCIM PatchOp message"#
    );
    let error = serde_json::from_value::<ScimOperation>(json!(["add"])).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid type: sequence, expected a SCIM PATCH operation"
    );
}

/// RFC 7644 §3.5.2: "The body of each request MUST contain the "schemas" attribute with the
/// URI value of urn:ietf:params:scim:api:messages:2.0:PatchOp." A missing `schemas` was
/// refused, but an empty one, or one listing another schema (a client sending the User
/// schema's URI, as some do), read as a PatchOp message. The URI is compared in any ASCII case.
#[test]
fn a_message_whose_schemas_do_not_list_patchop_is_refused() {
    use sparse_patch::{SCIM_PATCH_OP_SCHEMA, ScimPatch};
    let operations = r#""Operations": [{"op": "remove", "path": "title"}]"#;
    for schemas in [
        "[]",
        r#"["urn:ietf:params:scim:schemas:core:2.0:User"]"#,
        r#"["urn:ietf:params:scim:api:messages:2.0:ListResponse"]"#,
        r#"["urn:ietf:params:scim:api:messages:2.0:PatchOp:"]"#,
    ] {
        let text = format!(r#"{{"schemas": {schemas}, {operations}}}"#);
        let error = serde_json::from_str::<ScimPatch>(&text)
            .unwrap_err()
            .to_string();
        let shown: Vec<String> = serde_json::from_str(schemas).unwrap();
        assert!(
            error.starts_with(&format!(
                "the schemas {shown:?} do not list {SCIM_PATCH_OP_SCHEMA}, which a PatchOp message must (RFC 7644 §3.5.2)"
            )),
            "{text}: {error}"
        );
    }
    for schemas in [
        format!(r#"["{SCIM_PATCH_OP_SCHEMA}"]"#),
        r#"["urn:ietf:params:scim:api:messages:2.0:patchop"]"#.to_owned(),
        format!(r#"["urn:x", "{SCIM_PATCH_OP_SCHEMA}"]"#),
    ] {
        let text = format!(r#"{{"schemas": {schemas}, {operations}}}"#);
        let read = serde_json::from_str::<ScimPatch>(&text).unwrap();
        assert_eq!(read.operations.len(), 1, "{text}");
    }
}

/// Changes that leave the resource as it is send nothing: `null` on an attribute that the
/// base holds as `null` (SCIM's unassigned), and a sub-attribute object merged into an equal
/// one. Two names of the patch that differ only in case are refused, also when they are next
/// to each other in the patch. (Mutation testing: `assigned` taking a `null` for a value, the
/// equal merge sending `remove` and `replace`, and the pairwise name check skipping the next
/// name, all went unnoticed.)
#[test]
fn no_change_sends_nothing_and_adjacent_case_variants_are_refused() {
    assert_eq!(
        ops(json!({"nickName": null}), json!({"nickName": null})).unwrap(),
        json!([])
    );
    assert_eq!(
        ops(
            json!({"name": {"givenName": null}}),
            json!({"name": {"givenName": null}})
        )
        .unwrap(),
        json!([])
    );
    assert_eq!(
        ops(
            json!({"name": {"extra": {"a": 1}}}),
            json!({"name": {"extra": {"a": 1}}})
        )
        .unwrap(),
        json!([])
    );
    let variants = ops(json!({}), json!({"NICKNAME": "a", "nickName": "b"}));
    assert!(
        matches!(variants, Err(DialectError::ScimNameCase { .. })),
        "{variants:?}"
    );
}

/// Keys that a server comparing upper cases takes for one (Java's `equalsIgnoreCase`, which
/// most SCIM servers run: `ı` and `i` are both `I`, `ς` and `σ` both `Σ`) were told apart by
/// their lower cases alone, so removing the `ı` email sent `remove emails[type eq "ı"]`,
/// which such a server applies to the `i` email too. Such keys now have the array replaced
/// whole, as `Work` and `work` do.
#[test]
fn keys_whose_upper_cases_are_equal_are_case_variants_too() {
    let keyed = [KeyedArray::Array {
        attribute: "emails",
        key: "type",
    }];
    for (kept, removed) in [("i", "ı"), ("σ", "ς"), ("I", "ı")] {
        let base = json!({"emails": [
            {"type": kept, "value": "a"},
            {"type": removed, "value": "b"},
        ]});
        let merge = json!({"emails": [{"type": kept, "value": "a"}]});
        let message = scim_patch_from_merge(&base, &merge, &keyed).unwrap();
        assert_eq!(
            serde_json::to_value(&message.operations).unwrap(),
            json!([{"op": "replace", "path": "emails", "value": [{"type": kept, "value": "a"}]}]),
            "{kept} {removed}"
        );
    }
    // Keys equal in no case still change element by element.
    let base = json!({"emails": [{"type": "i", "value": "a"}, {"type": "j", "value": "b"}]});
    let merge = json!({"emails": [{"type": "i", "value": "a"}]});
    let message = scim_patch_from_merge(&base, &merge, &keyed).unwrap();
    assert_eq!(
        serde_json::to_value(&message.operations).unwrap(),
        json!([{"op": "remove", "path": "emails[type eq \"j\"]"}])
    );
}

/// An extension holds attributes: a merge patch that sets it to a value that is not an
/// object (or `null`) has no path to say it with, and is refused by the extension's name
/// rather than sent as nothing, whether or not the base holds the extension. (Mutation
/// testing: such a change sent no operation, unnoticed.)
#[test]
fn an_extension_set_to_a_value_that_is_no_object_is_refused() {
    for base in [
        json!({}),
        json!({"urn:x:y": {"a": 1}}),
        json!({"urn:x:y": null}),
    ] {
        for value in [json!("text"), json!(1), json!([1]), json!(true)] {
            assert_eq!(
                refused_path(base.clone(), json!({ "urn:x:y": value })),
                "urn:x:y",
                "{base}"
            );
        }
    }
}

/// An attribute set whole where the base has none is sent as the merge patch builds it,
/// without its `null` members at any depth (RFC 7396 §2), not as the patch writes it.
#[test]
fn an_attribute_set_whole_is_sent_without_its_nulls() {
    assert_eq!(
        ops(
            json!({}),
            json!({"name": {"given": "A", "middle": null, "x": {"y": null, "z": 1}}})
        )
        .unwrap(),
        json!([{"op": "replace", "path": "name", "value": {"given": "A", "x": {"z": 1}}}])
    );
}

/// SCIM paths end at a sub-attribute (`attrPath = [URI ":"] ATTRNAME *1subAttr`, RFC 7644
/// §3.4.2.2, Figure 1): a change below one, to a
/// sub-attribute that holds an object, removes that object and sets it anew whole (its old
/// members merged with the change), so that a member the change removes is gone also where
/// the server merges a `replace`'s object into the one it holds (RFC 7644 §3.5.2.3). Set where
/// the base holds none, it is `replace`d, without its `null` members.
#[test]
fn a_change_below_a_sub_attribute_removes_it_and_sets_it_anew_whole() {
    let base = json!({"a": {"b": {"c": 1, "d": 2}, "e": 3}});
    assert_eq!(
        ops(base.clone(), json!({"a": {"b": {"c": 5}}})).unwrap(),
        json!([{"op": "remove", "path": "a.b"},
               {"op": "replace", "path": "a.b", "value": {"c": 5, "d": 2}}])
    );
    assert_eq!(
        ops(base.clone(), json!({"a": {"b": {"d": null}}})).unwrap(),
        json!([{"op": "remove", "path": "a.b"},
               {"op": "replace", "path": "a.b", "value": {"c": 1}}])
    );
    assert_eq!(
        ops(base.clone(), json!({"a": {"b": {"c": 1}}})).unwrap(),
        json!([])
    );
    assert_eq!(
        ops(
            json!({"a": {"e": 3}}),
            json!({"a": {"b": {"c": 5, "x": null}}})
        )
        .unwrap(),
        json!([{"op": "replace", "path": "a.b", "value": {"c": 5}}])
    );
}
