//! A keyed array (`#[patchable(key = "type")]`) changed by RFC 6902 operations or a SCIM
//! PatchOp message that `from_json_patch` / `from_scim_patch` read. Both promise that
//! `base.apply(patch)` gives what the operations give; `apply` refuses a keyed array whose
//! elements share a key or lack one. An `add` appends to a multi-valued attribute what it does
//! not hold (RFC 7644 §3.5.2.1; RFC 6902 §4.1 `/emails/-`), so a message can append a second
//! `home` email (Entra ID's `add` of `{"type": "home", ..., "primary": true}` beside a held
//! `home` email that differs in `primary`). The reads returned such a patch, which `apply` then
//! refused: a server learnt of the fault only after answering. They now refuse it as a change
//! the model cannot hold (`JsonPatchError::Patch`, `ScimPatchError::Patch`, `invalidValue`).

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::{
    JsonPatchError, JsonPatchOperation, Patch, Patchable, ScimPatch, ScimPatchError,
};

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct User {
    user_name: String,
    #[patchable(key = "type")]
    emails: Vec<Value>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Account {
    #[patchable(nested)]
    user: User,
}

fn user() -> User {
    User {
        user_name: "bjensen".into(),
        emails: vec![
            json!({"type": "work", "value": "w@example.com", "primary": true}),
            json!({"type": "home", "value": "h@example.com"}),
        ],
    }
}

fn scim(operations: serde_json::Value) -> ScimPatch {
    serde_json::from_value(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": operations,
    }))
    .unwrap()
}

fn json_patch(operations: serde_json::Value) -> Vec<JsonPatchOperation> {
    serde_json::from_value(operations).unwrap()
}

#[test]
fn scim_add_of_a_second_element_with_a_held_key_is_refused_by_the_read() {
    let message = scim(json!([
        {"op": "add", "path": "emails", "value": [{"type": "home", "value": "h@example.com", "primary": true}]}
    ]));
    let error = UserPatch::from_scim_patch(&user(), &message).unwrap_err();
    assert!(matches!(error, ScimPatchError::Patch(_)), "{error:?}");
    assert_eq!(error.scim_type(), Some("invalidValue"));
    let text = error.to_string();
    assert!(
        text.contains("`emails`") && text.contains("\"home\""),
        "{text}"
    );
}

#[test]
fn scim_add_of_an_element_without_its_key_is_refused_by_the_read() {
    let message =
        scim(json!([{"op": "add", "path": "emails", "value": [{"value": "x@example.com"}]}]));
    let error = UserPatch::from_scim_patch(&user(), &message).unwrap_err();
    assert_eq!(error.scim_type(), Some("invalidValue"), "{error}");
    assert!(error.to_string().contains("no key `type`"), "{error}");
}

#[test]
fn json_patch_append_of_a_held_key_is_refused_by_the_read() {
    let operations = json_patch(json!([
        {"op": "add", "path": "/emails/-", "value": {"type": "work", "value": "x@example.com"}}
    ]));
    let error = UserPatch::from_json_patch(&user(), &operations).unwrap_err();
    assert!(matches!(error, JsonPatchError::Patch(_)), "{error:?}");
    assert!(error.to_string().contains("\"work\""), "{error}");
}

#[test]
fn a_keyed_array_of_a_nested_model_is_checked_too() {
    let account = Account { user: user() };
    let operations = json_patch(json!([
        {"op": "add", "path": "/user/emails/0", "value": {"type": "home", "value": "x@example.com"}}
    ]));
    let error = AccountPatch::from_json_patch(&account, &operations).unwrap_err();
    assert!(error.to_string().contains("`user.emails`"), "{error}");
}

#[test]
fn reads_that_keep_keys_distinct_still_apply() {
    let base = user();
    let message = scim(json!([
        {"op": "add", "path": "emails", "value": [{"type": "other", "value": "o@example.com"}]},
        {"op": "replace", "path": "emails[type eq \"home\"].value", "value": "h2@example.com"}
    ]));
    let patch = UserPatch::from_scim_patch(&base, &message).unwrap();
    let mut changed = base.clone();
    changed.apply(patch).unwrap();
    assert_eq!(changed.emails.len(), 3);
    assert_eq!(changed.emails[1]["value"], "h2@example.com");

    let operations = json_patch(
        json!([{"op": "add", "path": "/emails/-", "value": {"type": "other", "value": "o@example.com"}}]),
    );
    let patch = UserPatch::from_json_patch(&base, &operations).unwrap();
    let mut changed = base;
    changed.apply(patch).unwrap();
    assert_eq!(changed.emails[2]["type"], "other");
}

#[test]
fn a_stored_array_with_a_shared_key_that_the_operations_leave_alone_is_not_refused() {
    let mut base = user();
    base.emails
        .push(json!({"type": "work", "value": "w2@example.com"}));
    let operations = json_patch(json!([{"op": "replace", "path": "/userName", "value": "babs"}]));
    let patch = UserPatch::from_json_patch(&base, &operations).unwrap();
    assert_eq!(patch, UserPatch::new().user_name("babs"));
    let message = scim(json!([{"op": "replace", "path": "userName", "value": "babs"}]));
    assert_eq!(UserPatch::from_scim_patch(&base, &message).unwrap(), patch);
}
