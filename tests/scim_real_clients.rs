//! SCIM PatchOp messages as real provisioning clients send them, read by `apply_scim_patch`,
//! `merge_from_scim_patch` and `Patch::from_scim_patch`: each quirk either read as the client
//! meant it, or refused with a typed error, never read as something else.
//!
//! Microsoft Entra ID's requests are those of its "Use SCIM to provision users and groups"
//! page and of its "Known issues and resolutions with SCIM 2.0 protocol compliance" page
//! (without and with the `aadOptscim062020` flag), as SCIM servers' bug reports quote them.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::{
    Patch, Patchable, ScimFault, ScimPatch, apply_scim_patch, merge_from_scim_patch,
};

#[path = "support/scim_message.rs"]
mod scim_message;
use scim_message::{applied, fault, message};

#[path = "support/number_features.rs"]
mod number_features;

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn group() -> Value {
    json!({
        "displayName": "Tour Guides",
        "members": [
            {"value": "2819c223-7f76-453a-919d-413861904646", "display": "Babs", "$ref": "Users/2819c223"},
            {"value": "902c246b-6245-4190-8e05-00816be7344a", "display": "Mandy"},
            {"value": "e9e30dba-f08f-4109-8486-d5c6a331660a"}
        ]
    })
}

/// Entra ID removes a group member with `"path": "members"` and the member in `value`
/// (`$ref` given as `null`), which RFC 7644 §3.5.2.2 does not define: the value names the
/// members to remove, by the sub-attributes it gives. It was refused (`invalidValue`), so
/// that Entra ID could not remove a member (apache/directory-scimple#436,
/// thomaspoignant/scim-patch#959, Captain-P-Goldfish/SCIM-SDK#167).
#[test]
fn entra_removes_group_members_by_value() {
    let removed = applied(
        &group(),
        json!([{
            "op": "Remove",
            "path": "members",
            "value": [{"$ref": null, "value": "2819C223-7F76-453A-919D-413861904646"}]
        }]),
    );
    assert_eq!(
        removed["members"],
        json!([
            {"value": "902c246b-6245-4190-8e05-00816be7344a", "display": "Mandy"},
            {"value": "e9e30dba-f08f-4109-8486-d5c6a331660a"}
        ])
    );
    // Several at once, one that the group does not hold, and the value as one object.
    let removed = applied(
        &group(),
        json!([
            {"op": "remove", "path": "Members", "value": [
                {"value": "902c246b-6245-4190-8e05-00816be7344a"},
                {"value": "not-a-member"}
            ]},
            {"op": "remove", "path": "members", "value": {"value": "e9e30dba-f08f-4109-8486-d5c6a331660a"}}
        ]),
    );
    assert_eq!(removed["members"].as_array().unwrap().len(), 1);
    assert_eq!(removed["members"][0]["display"], "Babs");
    // A member named by two sub-attributes: both must match.
    let kept = applied(
        &group(),
        json!([{"op": "remove", "path": "members", "value": [
            {"value": "902c246b-6245-4190-8e05-00816be7344a", "display": "Somebody else"}
        ]}]),
    );
    assert_eq!(kept, group());
    // The last one removed: no members left, the attribute is unassigned.
    let emptied = applied(
        &json!({"members": [{"value": "a"}]}),
        json!([{"op": "remove", "path": "members", "value": [{"value": "a"}]}]),
    );
    assert_eq!(emptied, json!({}));
    // Simple values, by their value.
    let tags = applied(
        &json!({"tags": ["x", "y", 3]}),
        json!([{"op": "remove", "path": "tags", "value": ["X", 3.0]}]),
    );
    assert_eq!(tags, json!({"tags": ["y"]}));
    // The merge patch of the change.
    assert_eq!(
        merge_from_scim_patch(
            &json!({"members": [{"value": "a"}, {"value": "b"}]}),
            &message(json!([{"op": "remove", "path": "members", "value": [{"value": "b"}]}]))
        )
        .unwrap(),
        json!({"members": [{"value": "a"}]})
    );
}

/// Entra ID adds a member that the group holds already as `{"$ref": null, "value": "…"}`
/// (a re-sync, "provision on demand"), where the group holds the member with its `display`
/// and `$ref`: the member was appended a second time (AzureAD/SCIMReferenceCode#10). RFC 7644
/// §3.5.2.1: "If the target location already contains the value specified, no changes SHOULD
/// be made." An element that gives another sub-attribute's value is still appended.
#[test]
fn entra_adding_a_member_the_group_holds_changes_nothing() {
    let again = applied(
        &group(),
        json!([{"op": "Add", "path": "members", "value": [
            {"$ref": null, "value": "2819c223-7f76-453a-919d-413861904646"},
            {"value": "902c246b-6245-4190-8e05-00816be7344a", "display": "Mandy"}
        ]}]),
    );
    assert_eq!(again, group());
    let emails = json!({"emails": [{"type": "work", "value": "a@example.com"}]});
    let added = applied(
        &emails,
        json!([{"op": "add", "path": "emails", "value": {"type": "home", "value": "a@example.com"}}]),
    );
    assert_eq!(added["emails"].as_array().unwrap().len(), 2);
    let added = applied(
        &group(),
        json!([{"op": "add", "path": "members", "value": [
            {"value": "902c246b-6245-4190-8e05-00816be7344a", "display": "Amanda"}
        ]}]),
    );
    assert_eq!(added["members"].as_array().unwrap().len(), 4);
}

/// RFC 7644 §3.5.2: "a PATCH operation that sets a value's "primary" sub-attribute to "true"
/// SHALL cause the server to automatically set "primary" to "false" for any other values in
/// the array" (RFC 7643 §2.4: `true` at most once). An `add` of a new primary email, or a
/// `replace` that makes the home address primary, left two primary values (found by review
/// 37). A message that makes two values primary itself is left as it wrote them.
#[test]
fn a_value_made_primary_takes_primary_from_the_others() {
    let user = json!({"emails": [
        {"type": "work", "value": "w@example.com", "primary": true},
        {"type": "home", "value": "h@example.com"}
    ]});
    let added = applied(
        &user,
        json!([{"op": "add", "path": "emails",
                "value": [{"type": "other", "value": "n@example.com", "primary": true}]}]),
    );
    assert_eq!(
        added["emails"],
        json!([
            {"type": "work", "value": "w@example.com", "primary": false},
            {"type": "home", "value": "h@example.com"},
            {"type": "other", "value": "n@example.com", "primary": true}
        ])
    );
    let replaced = applied(
        &user,
        json!([{"op": "replace", "path": "emails[type eq \"home\"].primary", "value": true}]),
    );
    assert_eq!(replaced["emails"][0]["primary"], json!(false));
    assert_eq!(replaced["emails"][1]["primary"], json!(true));
    // Two made primary by the message: left as written.
    let both = applied(
        &user,
        json!([{"op": "add", "path": "emails", "value": [
            {"value": "a@example.com", "primary": true},
            {"value": "b@example.com", "primary": true}
        ]}]),
    );
    assert_eq!(both["emails"][0]["primary"], json!(true));
    // `Primary` in another case is the same attribute (RFC 7643 §2.1), and keeps its spelling.
    let capital = json!({"emails": [{"value": "w@example.com", "Primary": true}]});
    let added = applied(
        &capital,
        json!([{"op": "add", "path": "emails", "value": [{"value": "n@example.com", "PRIMARY": true}]}]),
    );
    assert_eq!(
        added["emails"],
        json!([{"value": "w@example.com", "Primary": false}, {"value": "n@example.com", "PRIMARY": true}])
    );
    // A change elsewhere leaves a primary alone.
    assert_eq!(
        applied(
            &user,
            json!([{"op": "replace", "path": "title", "value": "x"}])
        )["emails"],
        user["emails"]
    );
}

/// An `add` finds a value held as a filter's `eq` and a `remove`'s value find it: strings in
/// any case (RFC 7643 §2.2: `caseExact` is false unless the schema says so), numbers by value
/// (`1` is `1.0`). The held check compared JSON, so `add ["x"]` to `["X"]` appended `"x"`, an
/// `add` of member `abc-1` to a group holding `ABC-1` appended it, and `add [1.0]` to `[1]`
/// appended `1.0`: a `remove` of the same value then took both (found by review 37).
#[test]
fn an_add_finds_a_value_held_as_a_filter_finds_it() {
    let tags = json!({"tags": ["X"], "scores": [1]});
    assert_eq!(
        applied(
            &tags,
            json!([{"op": "add", "path": "tags", "value": ["x"]},
                   {"op": "add", "path": "scores", "value": [1.0]}])
        ),
        tags
    );
    let group = json!({"members": [{"value": "ABC-1", "display": "Babs"}]});
    assert_eq!(
        applied(
            &group,
            json!([{"op": "add", "path": "members", "value": [{"value": "abc-1"}]}])
        ),
        group
    );
    // Another value is still appended.
    assert_eq!(
        applied(
            &tags,
            json!([{"op": "add", "path": "tags", "value": ["Y"]}])
        )["tags"],
        json!(["X", "Y"])
    );
}

/// What a remove's value cannot say is refused: a value beside a filter (the path already
/// names what to remove), an element that names nothing (it would remove every member), a
/// value on an attribute that holds one value.
#[test]
fn a_remove_value_that_does_not_name_values_is_refused() {
    assert_eq!(
        fault(
            &group(),
            json!([{"op": "remove", "path": "members[value eq \"a\"]", "value": [{"value": "b"}]}])
        ),
        ScimFault::RemoveWithValue
    );
    for nothing in [json!([{}]), json!([{"$ref": null}]), json!([null])] {
        let found = fault(
            &group(),
            json!([{"op": "remove", "path": "members", "value": nothing}]),
        );
        assert_eq!(found, ScimFault::EmptyRemovedValue, "{nothing}");
        assert_eq!(found.scim_type(), "invalidValue");
    }
    // An attribute that holds one value: the value has no values to name (it was
    // `NotMultiValued`, `invalidPath`, whose text spoke of a filter that the message did not
    // write; review 170).
    let single = fault(
        &group(),
        json!([{"op": "remove", "path": "displayName", "value": "Tour Guides"}]),
    );
    assert_eq!(
        single,
        ScimFault::RemovedValueOfSingleValue {
            attribute: "displayName".into()
        }
    );
    assert_eq!(single.scim_type(), "invalidValue");
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Member {
    value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    display: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Email {
    value: String,
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Name {
    given_name: String,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Account {
    display_name: String,
    // Required and without a serde default: absent does not read.
    #[schemars(with = "Vec<serde_json::Value>")]
    members: Vec<Member>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<serde_json::Value>")]
    emails: Vec<Email>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    #[schemars(with = "serde_json::Value")]
    name: Name,
}

fn account() -> Account {
    let member = |value: &str, display: Option<&str>| Member {
        value: value.into(),
        display: display.map(Into::into),
    };
    let email = |value: &str, kind: &str| Email {
        value: value.into(),
        kind: kind.into(),
    };
    Account {
        display_name: "Tour Guides".into(),
        members: vec![member("a", Some("Babs")), member("b", None)],
        emails: vec![
            email("w@example.com", "work"),
            email("h@example.com", "home"),
        ],
        tags: vec!["x".into(), "y".into(), "Y".into()],
        name: Name {
            given_name: "Barbara".into(),
        },
    }
}

/// A `remove` with a value (Entra ID's group members, a user's `emails`) at every kind of
/// target, each with its hand-checked result: a multi-valued complex attribute loses the
/// values that hold each member given (in any case, `$ref: null` left out), a multi-valued
/// simple one the values equal to a simple element, a value that matches nothing changes
/// nothing (an empty array too: the attribute stays `[]`), and an absent attribute stays
/// absent; a single-valued attribute, simple or complex, a missing path, and a value that
/// compares an array or an object are refused, the resource left as it was. The typed reading
/// (`from_scim_patch`, then `apply`) gives the applier's document, or refuses too.
///
/// Review 170 found two faults: a value that compared an array or an object (`[["a"]]`,
/// `[{"value": {"id": "a"}}]`) matched nothing and was taken as a `remove` of nothing, and
/// a `remove` that matched nothing in an empty array removed the array, which a model's
/// required `Vec` then could not read (`invalid value: null for members`).
#[test]
fn a_remove_with_a_value_at_every_kind_of_target() {
    let base = serde_json::to_value(account()).unwrap();
    let with = |pointer: &str, value: Value| {
        let mut changed = base.clone();
        *changed.pointer_mut(pointer).unwrap() = value;
        changed
    };
    let taken: Vec<(Value, Value)> = vec![
        (
            json!({"op": "Remove", "path": "members", "value": [{"$ref": null, "value": "A"}]}),
            with("/members", json!([{"value": "b"}])),
        ),
        (
            json!({"op": "Remove", "path": "emails", "value": [{"value": "W@example.com", "type": "work"}]}),
            with(
                "/emails",
                json!([{"value": "h@example.com", "type": "home"}]),
            ),
        ),
        (
            json!({"op": "Remove", "path": "emails", "value": [{"value": "w@example.com", "type": "home"}]}),
            base.clone(),
        ),
        (
            json!({"op": "Remove", "path": "tags", "value": ["y"]}),
            with("/tags", json!(["x"])),
        ),
        (
            json!({"op": "Remove", "path": "tags", "value": [{"value": "x"}, 7, true]}),
            with("/tags", json!(["y", "Y"])),
        ),
        (
            json!({"op": "Remove", "path": "members", "value": [{"value": "z"}]}),
            base.clone(),
        ),
        (
            json!({"op": "Remove", "path": "members", "value": []}),
            base.clone(),
        ),
        (
            json!({"op": "Remove", "path": "roles", "value": [{"value": "a"}]}),
            base.clone(),
        ),
    ];
    for (operation, expected) in &taken {
        let operations = json!([operation]);
        let mut document = base.clone();
        apply_scim_patch(&mut document, &message(operations.clone()))
            .unwrap_or_else(|error| panic!("{operation}: {error}"));
        assert_eq!(&document, expected, "{operation}");
        let patch = AccountPatch::from_scim_patch(&account(), &message(operations))
            .unwrap_or_else(|error| panic!("{operation}: {error}"));
        let mut typed = account();
        typed.apply(patch).unwrap();
        assert_eq!(
            &serde_json::to_value(typed).unwrap(),
            expected,
            "{operation}"
        );
    }
    let refused = [
        (
            json!({"op": "Remove", "path": "displayName", "value": "Tour Guides"}),
            ScimFault::RemovedValueOfSingleValue {
                attribute: "displayName".into(),
            },
        ),
        (
            json!({"op": "Remove", "path": "Name", "value": {"givenName": "Barbara"}}),
            ScimFault::RemovedValueOfSingleValue {
                attribute: "name".into(),
            },
        ),
        (
            json!({"op": "Remove", "value": [{"value": "a"}]}),
            ScimFault::RemoveWithoutPath,
        ),
        (
            json!({"op": "Remove", "path": "members", "value": [["a"]]}),
            ScimFault::RemovedValueNotSimple { found: "an array" },
        ),
        (
            json!({"op": "Remove", "path": "members", "value": [{"value": {"id": "a"}}]}),
            ScimFault::RemovedValueNotSimple { found: "an object" },
        ),
        (
            json!({"op": "Remove", "path": "tags", "value": [{"value": ["x"]}]}),
            ScimFault::RemovedValueNotSimple { found: "an array" },
        ),
        // Checked where the attribute is absent too: the value is malformed whatever the
        // resource holds.
        (
            json!({"op": "Remove", "path": "roles", "value": [["a"]]}),
            ScimFault::RemovedValueNotSimple { found: "an array" },
        ),
    ];
    for (operation, expected) in refused {
        let operations = json!([operation]);
        assert_eq!(fault(&base, operations.clone()), expected, "{operation}");
        assert_eq!(
            expected.scim_type(),
            if expected == ScimFault::RemoveWithoutPath {
                "noTarget"
            } else {
                "invalidValue"
            }
        );
        let error = AccountPatch::from_scim_patch(&account(), &message(operations)).unwrap_err();
        assert!(
            matches!(&error, sparse_patch::ScimPatchError::Operation { fault, .. } if *fault == expected),
            "{operation}: {error:?}"
        );
    }
    // An empty array that a removal matches nothing in stays, also through a filter, and the
    // model's required `Vec` reads it.
    let mut empty = account();
    empty.members.clear();
    for operation in [
        json!({"op": "Remove", "path": "members", "value": [{"value": "a"}]}),
        json!({"op": "Remove", "path": "members[value eq \"a\"]"}),
    ] {
        let operations = json!([operation]);
        let document = serde_json::to_value(&empty).unwrap();
        assert_eq!(
            applied(&document, operations.clone()),
            document,
            "{operation}"
        );
        let patch = AccountPatch::from_scim_patch(&empty, &message(operations))
            .unwrap_or_else(|error| panic!("{operation}: {error}"));
        assert!(patch.is_empty(), "{operation}: {patch:?}");
    }
}

fn user() -> Value {
    json!({
        "userName": "bjensen",
        "displayName": "Babs",
        "name": {"givenName": "Barbara", "familyName": "Jensen"},
        "emails": [{"type": "work", "value": "bjensen@example.com", "primary": true}],
        "active": true
    })
}

/// Entra ID's path-less `replace` names attributes by their paths (`name.givenName`,
/// `emails[type eq "work"].value`, an extension's URN-qualified attribute), as its
/// compliance page shows it with `aadOptscim062020`. Such a member was refused
/// (`invalidPath`); servers that read it as one name stored `"name.givenName"` beside `name`
/// (pingidentity/scim2#224, Captain-P-Goldfish/scim-for-keycloak#26, pond/scimitar#123).
#[test]
fn entra_pathless_values_name_attributes_by_their_paths() {
    let changed = applied(
        &user(),
        json!([{
            "op": "Replace",
            "value": {
                "displayName": "Barbara Jensen",
                "name.givenName": "Babs",
                "Name.FamilyName": "J",
                "emails[type eq \"work\"].value": "babs@example.com",
                "addresses[type eq \"work\"].locality": "Hollywood",
                format!("{ENTERPRISE}:employeeNumber"): "701984",
                format!("{ENTERPRISE}:manager.value"): "26118915"
            }
        }]),
    );
    assert_eq!(
        changed,
        json!({
            "userName": "bjensen",
            "displayName": "Barbara Jensen",
            "name": {"givenName": "Babs", "familyName": "J"},
            "emails": [{"type": "work", "value": "babs@example.com", "primary": true}],
            "addresses": [{"type": "work", "locality": "Hollywood"}],
            "active": true,
            ENTERPRISE: {"employeeNumber": "701984", "manager": {"value": "26118915"}}
        })
    );
    // An extension's complex attribute, where the resource holds the extension: inside it,
    // not a member of the resource named by the URN-qualified name.
    let manager = applied(
        &changed,
        json!([{"op": "add", "value": {format!("{ENTERPRISE}:manager"): {"displayName": "Boss"}}}]),
    );
    assert_eq!(
        manager[ENTERPRISE]["manager"],
        json!({"value": "26118915", "displayName": "Boss"})
    );
    assert_eq!(
        manager.as_object().unwrap().len(),
        changed.as_object().unwrap().len()
    );
    // An `add` as well.
    let added = applied(
        &json!({}),
        json!([{"op": "add", "value": {"name.givenName": "B"}}]),
    );
    assert_eq!(added, json!({"name": {"givenName": "B"}}));
}

/// Two members of one path-less value that name one attribute, or one inside the other, do
/// not say which comes last (a JSON object's members have no order that serde_json keeps):
/// refused, not one of them picked by the order of the map.
#[test]
fn pathless_members_that_overlap_are_refused() {
    let cases = [
        (json!({"title": "a", "Title": "b"}), "Title", "title"),
        (
            json!({"name": {"givenName": "a"}, "name.givenName": "b"}),
            "name",
            "name.givenName",
        ),
        (
            json!({"name.givenName": "a", "NAME.GIVENNAME": "b"}),
            "NAME.GIVENNAME",
            "name.givenName",
        ),
        (
            json!({"emails": [], "emails[type eq \"work\"].value": "b"}),
            "emails",
            "emails[type eq \"work\"].value",
        ),
        (
            json!({ENTERPRISE: {"employeeNumber": "1"}, format!("{ENTERPRISE}:employeeNumber"): "2"}),
            ENTERPRISE,
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
        ),
        (
            json!({format!("{ENTERPRISE}:manager"): {"value": "1"}, format!("{ENTERPRISE}:manager.value"): "2"}),
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
        ),
        (
            json!({"urn:ietf:params:scim:schemas:core:2.0:User:title": "a", "title": "b"}),
            "title",
            "urn:ietf:params:scim:schemas:core:2.0:User:title",
        ),
    ];
    for (value, first, second) in cases {
        let found = fault(&user(), json!([{"op": "replace", "value": value}]));
        // The members' order is the map's: either may come first.
        let ScimFault::OverlappingMembers {
            first: one,
            second: other,
        } = &found
        else {
            panic!("{value}: {found:?}");
        };
        let mut named = [one.as_str(), other.as_str()];
        named.sort_unstable();
        let mut expected = [first, second];
        expected.sort_unstable();
        assert_eq!(named, expected, "{value}");
        assert_eq!(found.scim_type(), "invalidSyntax");
    }
    // Inside a value merged into an object, names that differ only in case name one member.
    let found = fault(
        &user(),
        json!([{"op": "add", "path": "name", "value": {"familyName": "J", "FamilyName": "K"}}]),
    );
    assert!(
        matches!(&found, ScimFault::OverlappingMembers { first, second }
            if first.eq_ignore_ascii_case("familyName") && second.eq_ignore_ascii_case("familyName") && first != second),
        "{found:?}"
    );
    // Where nothing is merged (the attribute is new), too: stored as sent, the object held
    // both, which a typed reading or a server reads as one (review 163).
    let found = fault(
        &json!({}),
        json!([{"op": "add", "path": "name", "value": {"familyName": "J", "FamilyName": "K"}}]),
    );
    // The members' order is the map's: either may come first.
    assert!(
        matches!(&found, ScimFault::OverlappingMembers { first, second }
            if [first.as_str(), second.as_str()].contains(&"FamilyName")
                && [first.as_str(), second.as_str()].contains(&"familyName")),
        "{found:?}"
    );
    // Parts that do not overlap are each applied.
    let changed = applied(
        &user(),
        json!([{"op": "add", "value": {
            "name.givenName": "a",
            "name.familyName": "b",
            "emails[type eq \"work\"].value": "w@example.com",
            "emails[type eq \"home\"].value": "h@example.com"
        }}]),
    );
    assert_eq!(
        changed["name"],
        json!({"givenName": "a", "familyName": "b"})
    );
    assert_eq!(changed["emails"].as_array().unwrap().len(), 2);
}

/// What a client can get wrong in the message itself is refused when it is read, before any
/// operation: no `schemas`, or not the PatchOp URN (RFC 7644 §3.5.2), a `path` that is not a
/// string, an unknown `op`, a member given twice; and an `add` without `value` is
/// `invalidValue`. An empty `Operations` is read as a message that changes nothing
/// (`ScimPatch::is_empty` tells it).
#[test]
fn malformed_messages_are_refused() {
    let empty: ScimPatch = serde_json::from_value(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": []
    }))
    .unwrap();
    assert!(empty.is_empty());
    let mut unchanged = user();
    apply_scim_patch(&mut unchanged, &empty).unwrap();
    assert_eq!(unchanged, user());
    // What else a client can get wrong in the message is refused too. serde names a
    // `Value`'s integer, or only "number" with serde_json's `arbitrary_precision`.
    let five_for_a_string = format!(
        "invalid type: {}, expected a string",
        number_features::integer_in_type_error("5")
    );
    for (body, expected) in [
        (
            json!({"Operations": [{"op": "remove", "path": "a"}]}),
            "missing field `schemas`",
        ),
        (
            json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "Operations": [{"op": "remove", "path": "a"}]}),
            "do not list urn:ietf:params:scim:api:messages:2.0:PatchOp",
        ),
        (
            json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "remove", "path": 5}]}),
            five_for_a_string.as_str(),
        ),
        (
            json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "delete", "path": "a"}]}),
            "unknown variant `delete`",
        ),
    ] {
        let error = serde_json::from_value::<ScimPatch>(body.clone()).unwrap_err();
        assert!(error.to_string().contains(expected), "{body}: {error}");
    }
    // A member given twice in a value, at any depth, which serde_json would read as the last.
    for value in [
        r#"{"active": "True", "active": "False"}"#,
        r#"[{"name": {"givenName": "a", "givenName": "b"}}]"#,
    ] {
        let body = format!(
            r#"{{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{{"op": "replace", "value": {value}}}]}}"#
        );
        let error = serde_json::from_str::<ScimPatch>(&body).unwrap_err();
        assert!(error.to_string().contains("twice"), "{value}: {error}");
    }
    let body = r#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "add", "path": "title", "Path": "nickName", "value": "x"}]}"#;
    let error = serde_json::from_str::<ScimPatch>(body).unwrap_err();
    assert!(
        error.to_string().contains("duplicate field `path`"),
        "{error}"
    );
    // A value nested 100,000 deep is serde_json's recursion limit, not a stack overflow.
    let deep = format!(
        r#"{{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{{"op": "add", "path": "x", "value": {}1{}}}]}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let error = serde_json::from_str::<ScimPatch>(&deep).unwrap_err();
    assert!(
        error.to_string().contains("recursion limit exceeded"),
        "{error}"
    );
    // `value` missing from an `add`: invalidValue.
    assert_eq!(
        fault(&user(), json!([{"op": "Add", "path": "title"}])),
        ScimFault::MissingValue
    );
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct User {
    user_name: String,
    active: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    locked: Option<bool>,
    title: Option<String>,
}

fn typed_user() -> User {
    User {
        user_name: "bjensen".into(),
        active: true,
        locked: None,
        title: None,
    }
}

/// Entra ID writes booleans as the strings `"True"` and `"False"` (without
/// `aadOptscim062020`): `{"op": "Replace", "path": "active", "value": "False"}` to disable a
/// user. Read into a model whose attribute is a `bool`, that was `invalidValue`, so that
/// Entra ID could not disable anyone (scimmyjs/scimmy#51, AzureAD/SCIMReferenceCode#21);
/// now the string is the boolean there, and only there: a `String` attribute keeps it.
#[test]
fn entra_booleans_written_as_strings_are_booleans_where_the_model_has_one() {
    let patch = UserPatch::from_scim_patch(
        &typed_user(),
        &message(json!([
            {"op": "Replace", "path": "active", "value": "False"},
            {"op": "Add", "value": {"locked": "TRUE", "title": "True"}}
        ])),
    )
    .unwrap();
    assert_eq!(
        patch,
        UserPatch::new().active(false).locked(true).title("True")
    );
    let mut user = typed_user();
    user.apply(patch).unwrap();
    assert!(!user.active);
    // Another string is still not a boolean.
    let error = UserPatch::from_scim_patch(
        &typed_user(),
        &message(json!([{"op": "replace", "path": "active", "value": "no"}])),
    )
    .unwrap_err();
    assert_eq!(error.scim_type(), Some("invalidValue"));
    assert!(error.to_string().contains("expected a boolean"), "{error}");
}
