//! A keyed array (`#[patchable(key = "...")]`) inside a `nested` model, in the SCIM output
//! (`to_scim_patch`): it is replaced whole (`replace team.members`), while a keyed array at
//! the top level changes element by element through filter paths, as the dialects chapter
//! says. The nested model's keyed arrays are not the top level's: an attribute of the top
//! level that has the same name and no key is replaced whole too.

use serde_json::{Value, json};
use sparse_patch::{Patch, Patchable};

#[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Team {
    name: String,
    #[patchable(key = "type")]
    members: Vec<Value>,
}

#[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct User {
    user_name: String,
    #[patchable(key = "type")]
    emails: Vec<Value>,
    members: Vec<Value>,
    #[patchable(nested)]
    team: Team,
}

fn element(kind: &str, value: &str) -> Value {
    json!({"type": kind, "value": value})
}

fn user() -> User {
    User {
        user_name: "bjensen".into(),
        emails: vec![
            element("work", "w@example.com"),
            element("home", "h@example.com"),
        ],
        members: vec![element("work", "ann"), element("home", "bob")],
        team: Team {
            name: "ops".into(),
            members: vec![element("work", "cy"), element("home", "di")],
        },
    }
}

/// One element changed in each array: the top level's keyed `emails` by its filter, the nested
/// `team.members` and the unkeyed top-level `members` whole.
#[test]
fn a_keyed_array_in_a_nested_model_is_replaced_whole() {
    let base = user();
    let mut target = base.clone();
    target.emails[0] = element("work", "w2@example.com");
    target.members[0] = element("work", "ann2");
    target.team.members[0] = element("work", "cy2");
    let patch = base.diff(&target);
    let message = serde_json::to_value(patch.to_scim_patch(&base).unwrap()).unwrap();
    assert_eq!(
        message["Operations"],
        json!([
            {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "w2@example.com"},
            {"op": "replace", "path": "members",
             "value": [element("work", "ann2"), element("home", "bob")]},
            {"op": "replace", "path": "team.members",
             "value": [element("work", "cy2"), element("home", "di")]}
        ])
    );
}
