//! SCIM paths that carry a schema URN (RFC 7644 §3.10, `attrPath = [URI ":"] ATTRNAME
//! *1subAttr` in §3.4.2.2, Figure 1; RFC 7643 §3.3): the extension's URN alone names the
//! extension's object whole, whether or not the resource holds it, so one text has one
//! meaning before and after a `remove` of the extension; `apply_scim_patch` and the typed
//! reading (`from_scim_patch`) agree on each message.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::{Patch, Patchable, apply_scim_patch};

#[path = "support/scim_message.rs"]
mod scim_message;
use scim_message::{applied, message};

#[path = "support/scim_enterprise.rs"]
mod scim_enterprise;
use scim_enterprise::{ENTERPRISE, Enterprise, Manager};
const CORE: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[patchable(deny_unknown_fields)]
struct User {
    schemas: Vec<String>,
    user_name: String,
    #[patchable(nested)]
    #[serde(
        rename = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
        skip_serializing_if = "Option::is_none"
    )]
    enterprise: Option<Enterprise>,
}

fn user() -> User {
    User {
        schemas: vec![CORE.into(), ENTERPRISE.into()],
        user_name: "bjensen".into(),
        enterprise: Some(Enterprise {
            employee_number: Some("7".into()),
            manager: Some(Manager {
                value: Some("a".into()),
            }),
        }),
    }
}

/// `operations` applied to `user` as JSON and read as a typed patch give one result.
fn applied_both_ways(user: &User, operations: Value) -> Value {
    let json = applied(&serde_json::to_value(user).unwrap(), operations.clone());
    let patch = UserPatch::from_scim_patch(user, &message(operations.clone()))
        .unwrap_or_else(|error| panic!("{operations}: {error}"));
    let mut typed = user.clone();
    typed.apply(patch).unwrap();
    assert_eq!(serde_json::to_value(&typed).unwrap(), json, "{operations}");
    json
}

/// The fault left alone in session 36: after a `remove` at the extension's URN, an `add` at
/// that URN read it as the attribute `User` of a schema `…:enterprise:2.0` and wrote
/// `{"urn:…:enterprise:2.0": {"User": {…}}}`, where, while the resource held the extension,
/// the same path named the extension whole. Both orders, in one message and in two.
#[test]
fn the_extensions_urn_names_it_whole_before_and_after_its_removal() {
    // (`Manager`, in another case than the model's `manager`, the model does not read: see
    // the untyped cases below.)
    let value = json!({"manager": {"value": "b"}});
    let remove = json!({"op": "remove", "path": ENTERPRISE});
    let add = json!({"op": "add", "path": ENTERPRISE, "value": value});
    let result = applied_both_ways(&user(), json!([remove.clone(), add.clone()]));
    assert_eq!(result[ENTERPRISE], value, "{result}");
    assert!(
        result
            .get("urn:ietf:params:scim:schemas:extension:enterprise:2.0")
            .is_none(),
        "{result}"
    );
    // Two messages: the resource without the extension reads the path as before.
    let mut without = user();
    without.enterprise = None;
    let result = applied_both_ways(&without, json!([add.clone()]));
    assert_eq!(result[ENTERPRISE], value, "{result}");
    // `add` then `remove`: the extension is gone.
    let result = applied_both_ways(&without, json!([add, remove]));
    assert_eq!(
        result,
        json!({"schemas": [CORE, ENTERPRISE], "userName": "bjensen"})
    );
    // In untyped JSON, values in any case, in both orders, in one message and in two.
    let held = json!({"userName": "b", (ENTERPRISE): {"employeeNumber": "7"}});
    for value in [json!({"Manager": "b"}), json!({"Manager": {"value": "b"}})] {
        let remove = json!({"op": "remove", "path": ENTERPRISE});
        let add = json!({"op": "add", "path": ENTERPRISE, "value": value});
        let expected = json!({"userName": "b", (ENTERPRISE): value});
        assert_eq!(applied(&held, json!([remove, add])), expected);
        let removed = applied(&held, json!([remove]));
        assert_eq!(applied(&removed, json!([add])), expected);
        assert_eq!(
            applied(&removed, json!([add, remove])),
            json!({"userName": "b"})
        );
    }
}

/// A `replace` and a `remove` at the extension's URN alone, where the resource does not hold
/// it: the `replace` adds the extension (RFC 7644 §3.5.2.3: an attribute that does not exist
/// is added), the `remove` changes nothing; neither touches an attribute named `User`.
#[test]
fn an_absent_extensions_urn_is_not_an_attribute_named_user() {
    let resource = json!({"userName": "b", "User": "kept"});
    assert_eq!(
        applied(
            &resource,
            json!([{"op": "replace", "path": ENTERPRISE, "value": {"employeeNumber": "1"}}])
        ),
        json!({"userName": "b", "User": "kept", (ENTERPRISE): {"employeeNumber": "1"}})
    );
    assert_eq!(
        applied(&resource, json!([{"op": "remove", "path": ENTERPRISE}])),
        resource
    );
    assert_eq!(
        applied(
            &resource,
            json!([{"op": "add", "path": format!("{ENTERPRISE}.employeeNumber"), "value": "1"}])
        ),
        json!({"userName": "b", "User": "kept", (ENTERPRISE): {"employeeNumber": "1"}})
    );
}

/// The URN in another case (RFC 8141 §3.1: the `urn` scheme and the namespace compare in any
/// case; SCIM compares a resource's names in any case, RFC 7643 §2.1): the member that the
/// resource holds; where it holds none, a new member spelled as the path spells it.
#[test]
fn the_extensions_urn_in_another_case_names_it_whole() {
    let other_case = "urn:ietf:params:scim:schemas:extension:Enterprise:2.0:user";
    let result = applied(
        &json!({(ENTERPRISE): {"employeeNumber": "7"}}),
        json!([
            {"op": "remove", "path": other_case},
            {"op": "add", "path": other_case, "value": {"employeeNumber": "8"}},
            {"op": "add", "path": ENTERPRISE, "value": {"costCenter": "4"}}
        ]),
    );
    assert_eq!(
        result,
        json!({(other_case): {"employeeNumber": "8", "costCenter": "4"}})
    );
}

/// A custom extension of SCIM's shape (`…:1.0:Employee`): its attributes, a sub-attribute,
/// a filter after its attribute, and its URN alone, before and after its removal.
#[test]
fn a_custom_extension_reads_as_the_enterprise_one_does() {
    let hr = "urn:acme:params:scim:schemas:extension:hr:1.0:Employee";
    let result = applied(
        &json!({"userName": "b"}),
        json!([
            {"op": "add", "path": format!("{hr}:costCenter"), "value": "4"},
            {"op": "add", "path": format!("{hr}:Manager.value"), "value": "m"},
            {"op": "add", "path": format!("{hr}:badges"), "value": [{"type": "a", "value": "1"}]},
            {"op": "replace", "path": format!("{hr}:badges[type eq \"a\"].value"), "value": "2"},
        ]),
    );
    assert_eq!(
        result,
        json!({"userName": "b", (hr): {
            "costCenter": "4",
            "Manager": {"value": "m"},
            "badges": [{"type": "a", "value": "2"}]
        }})
    );
    let result = applied(
        &result,
        json!([
            {"op": "remove", "path": hr},
            {"op": "add", "path": hr, "value": {"costCenter": "5"}},
            {"op": "replace", "path": format!("{hr}:costCenter"), "value": "6"}
        ]),
    );
    assert_eq!(result, json!({"userName": "b", (hr): {"costCenter": "6"}}));
}

/// A URN that the resource's `schemas` lists names that extension whole (RFC 7643 §3:
/// `schemas` holds the URIs of the schemas that the resource's attributes come from), also one
/// without SCIM's `…:2.0:User` shape, after its removal as before it.
#[test]
fn a_urn_that_schemas_lists_names_that_extension_whole() {
    let custom = "urn:example:params:Custom";
    let resource = json!({"schemas": [CORE, custom], (custom): {"level": 1}});
    let result = applied(
        &resource,
        json!([
            {"op": "remove", "path": custom},
            {"op": "add", "path": custom, "value": {"level": 2}}
        ]),
    );
    assert_eq!(
        result,
        json!({"schemas": [CORE, custom], (custom): {"level": 2}})
    );
    // Not listed, the same text is the attribute `Custom` of the schema `urn:example:params`.
    let result = applied(
        &json!({"userName": "b"}),
        json!([{"op": "add", "path": custom, "value": 2}]),
    );
    assert_eq!(
        result,
        json!({"userName": "b", "urn:example:params": {"Custom": 2}})
    );
}

/// The core schema's URN alone is no attribute either: not the attribute `User` of the
/// resource (the core schema's attributes are the resource's own, RFC 7643 §3.3), but
/// `invalidPath`, for each operation.
#[test]
fn the_core_schemas_urn_alone_is_not_an_attribute_named_user() {
    let resource = json!({"userName": "b", "User": "kept"});
    for operation in [
        json!({"op": "replace", "path": CORE, "value": {"title": "x"}}),
        json!({"op": "add", "path": CORE, "value": {"title": "x"}}),
        json!({"op": "remove", "path": CORE}),
    ] {
        let mut changed = resource.clone();
        let error = apply_scim_patch(&mut changed, &message(json!([operation.clone()])))
            .expect_err(&operation.to_string());
        assert_eq!(
            error.scim_type(),
            Some("invalidPath"),
            "{operation}: {error}"
        );
        assert!(
            error.to_string().contains("names the core schema"),
            "{error}"
        );
        assert_eq!(changed, resource);
    }
    // A member that the resource holds under the core schema's URN is that member.
    assert_eq!(
        applied(
            &json!({(CORE): {"title": "a"}}),
            json!([{"op": "add", "path": CORE, "value": {"title": "x"}}])
        ),
        json!({(CORE): {"title": "x"}})
    );
}

/// A schema whose own URN ends in a version (`urn:acme:hr:1.0`), listed in `schemas`: a path
/// after it names its attribute, not a member `urn:acme:hr:1.0:level`.
#[test]
fn a_listed_schema_ending_in_a_version_has_attributes() {
    let hr = "urn:acme:hr:1.0";
    let result = applied(
        &json!({"schemas": [hr]}),
        json!([{"op": "add", "path": format!("{hr}:level"), "value": 3}]),
    );
    assert_eq!(result, json!({"schemas": [hr], (hr): {"level": 3}}));
    // Not listed, the same text names an extension `…:1.0:level` whole, as `…:2.0:User` does.
    let result = applied(
        &json!({}),
        json!([{"op": "add", "path": format!("{hr}:level"), "value": 3}]),
    );
    assert_eq!(result, json!({"urn:acme:hr:1.0:level": 3}));
}

/// A path-less `replace` whose value holds core attributes and an extension's object, and
/// an extension's attribute by its URN-qualified name: each lands where its path would
/// (RFC 7644 §3.5.2.3), as JSON and as the typed reading reads them.
#[test]
fn a_pathless_value_with_core_and_extension_members() {
    let mut without = user();
    without.enterprise = None;
    for base in [user(), without] {
        let result = applied_both_ways(
            &base,
            json!([{"op": "replace", "value": {
                "userName": "babs",
                (ENTERPRISE): {"employeeNumber": "8"},
            }}, {"op": "replace", "value": {
                format!("{ENTERPRISE}:manager.value"): "c",
            }}]),
        );
        assert_eq!(result["userName"], "babs");
        assert_eq!(result[ENTERPRISE]["employeeNumber"], "8");
        assert_eq!(result[ENTERPRISE]["manager"]["value"], "c");
    }
}

/// Removing the extension's last attribute leaves its object empty and `schemas` as it was:
/// RFC 7644 §3.5.2.2 removes the target only (an emptied multi-valued attribute is
/// unassigned, not a complex one), and `schemas` is the service provider's to keep. As JSON
/// and as the typed reading reads it.
#[test]
fn removing_the_extensions_last_attribute_leaves_it_empty() {
    let mut base = user();
    base.enterprise = Some(Enterprise {
        employee_number: Some("7".into()),
        manager: None,
    });
    let result = applied_both_ways(
        &base,
        json!([{"op": "remove", "path": format!("{ENTERPRISE}:employeeNumber")}]),
    );
    assert_eq!(
        result,
        json!({"schemas": [CORE, ENTERPRISE], "userName": "bjensen", (ENTERPRISE): {}})
    );
}

/// A custom extension's URN that has neither SCIM's `…:1.0:Name` shape nor a place in
/// `schemas` names the member that the resource held at the message's start through the
/// whole message: after its `remove`, an `add` there adds it again rather than the attribute
/// `Custom` of a schema `urn:example:params`. (A resource that does not hold it, and does not
/// list it, has only the text to go by: see `a_urn_that_schemas_lists_names_that_extension_whole`.)
#[test]
fn a_held_custom_extensions_urn_names_it_through_the_message() {
    let custom = "urn:example:params:Custom";
    let resource = json!({"userName": "b", (custom): {"level": 1}});
    for (operations, expected) in [
        (
            json!([{"op": "remove", "path": custom}, {"op": "add", "path": custom, "value": {"level": 2}}]),
            json!({"userName": "b", (custom): {"level": 2}}),
        ),
        (
            json!([{"op": "remove", "path": custom}, {"op": "replace", "path": format!("{custom}.level"), "value": 3}]),
            json!({"userName": "b", (custom): {"level": 3}}),
        ),
        (
            json!([{"op": "remove", "path": custom}, {"op": "remove", "path": custom}]),
            json!({"userName": "b"}),
        ),
        (
            json!([{"op": "add", "path": custom, "value": {"rank": 2}}, {"op": "remove", "path": custom}]),
            json!({"userName": "b"}),
        ),
    ] {
        assert_eq!(
            applied(&resource, operations.clone()),
            expected,
            "{operations}"
        );
    }
}
