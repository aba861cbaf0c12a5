//! SCIM PATCH operations (RFC 7644 §3.5.2) against the embedded emulator: each operation,
//! filter paths (a value with quotes and backslashes), all or nothing, PatchOp messages that
//! are malformed, the same user and errors as the merge path, and the client's
//! `update_user_scim_patch` with its content type.

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::emulator_bearer_builder;

use std::time::Duration;

use serde_json::{Value, json};
use sparse_patch::pingone::emulator::{Emulator, EmulatorBuilder, reference_user};
use sparse_patch::pingone::{Client, Error, RetryPolicy, TokenSource, User};
use sparse_patch::{
    SCIM_PATCH_CONTENT_TYPE, SCIM_PATCH_OP_SCHEMA, ScimOp, ScimOperation, ScimPatch,
    scim_filter_value,
};

/// A `type` with a quote and a backslash, as a filter must quote and escape it.
const ODD_TYPE: &str = r#"say "hi" \ there"#;

/// The reference user with a multi-valued custom attribute of objects.
fn user_with_badges() -> Value {
    let mut user = reference_user();
    user["badges"] = json!([
        {"type": "work", "value": "a"},
        {"type": "home", "value": "b"},
        {"type": ODD_TYPE, "value": "c"},
    ]);
    user
}

fn start(builder: EmulatorBuilder) -> Emulator {
    builder.no_users().user(user_with_badges()).start().unwrap()
}

fn client(emulator: &Emulator) -> Client {
    emulator_bearer_builder(emulator)
        .retry_policy(RetryPolicy::never())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

/// Sends `operations` with the client, and returns the user answered.
async fn send(emulator: &Emulator, operations: Vec<ScimOperation>) -> Result<Value, Error> {
    client(emulator)
        .update_user_scim_patch(
            emulator.environment_id(),
            emulator.user_id(),
            &ScimPatch::new(operations),
        )
        .await
}

/// Sends a merge patch, raw: the status and the body answered.
async fn send_merge(emulator: &Emulator, patch: &Value) -> (u16, Value) {
    raw_patch(emulator, "application/json", &patch.to_string()).await
}

/// Sends `operations`, raw: the status and the body answered.
async fn send_raw(emulator: &Emulator, operations: Vec<ScimOperation>) -> (u16, Value) {
    let body = serde_json::to_string(&ScimPatch::new(operations)).unwrap();
    raw_patch(emulator, SCIM_PATCH_CONTENT_TYPE, &body).await
}

/// The stored user.
fn stored(emulator: &Emulator) -> Value {
    emulator.user(emulator.user_id()).unwrap()
}

/// The stored user without `updatedAt`, which each change moves.
fn stored_content(emulator: &Emulator) -> Value {
    let mut user = stored(emulator);
    user.as_object_mut().unwrap().remove("updatedAt");
    user
}

/// Status, code, and each detail's code and target, of an error answer.
fn refusal(error: &Error) -> (u16, String, Vec<(String, String)>) {
    let body = error
        .api_error()
        .unwrap_or_else(|| panic!("not an API error: {error:?}"));
    let details = body
        .details
        .iter()
        .map(|d| {
            (
                d.code.clone().unwrap_or_default(),
                d.target.clone().unwrap_or_default(),
            )
        })
        .collect();
    (
        error.status().unwrap(),
        body.code.clone().unwrap_or_default(),
        details,
    )
}

/// 400 `INVALID_DATA` with one `INVALID_VALUE` detail on `target`.
fn invalid_value(target: &str) -> (u16, String, Vec<(String, String)>) {
    (
        400,
        "INVALID_DATA".to_owned(),
        vec![("INVALID_VALUE".to_owned(), target.to_owned())],
    )
}

/// A filter path on `badges` selecting `type eq value`, the value quoted as RFC 7644 §3.4.2.2
/// says.
fn badge(kind: &str, sub: &str) -> String {
    format!(
        "badges[type eq {}]{sub}",
        scim_filter_value(&json!(kind)).unwrap()
    )
}

/// A raw PATCH of the user, for bodies and content types that the client does not send.
async fn raw_patch(emulator: &Emulator, content_type: &str, body: &str) -> (u16, Value) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let url = client(emulator)
        .user_url(emulator.environment_id(), emulator.user_id())
        .unwrap();
    let answer = reqwest::Client::new()
        .patch(url)
        .bearer_auth(emulator.token())
        .header("Content-Type", content_type)
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = answer.status().as_u16();
    (status, answer.json().await.unwrap())
}

#[tokio::test]
async fn add_sets_merges_and_appends() {
    let emulator = start(Emulator::builder());
    let user = send(
        &emulator,
        vec![
            ScimOperation::add("nickname", json!("Dave")),
            ScimOperation::add("name", json!({"middle": "M"})),
            ScimOperation::add("badges", json!([{"type": "other", "value": "d"}])),
            ScimOperation::add("badges", json!({"type": "extra", "value": "e"})),
            ScimOperation {
                op: ScimOp::Add,
                path: None,
                value: Some(json!({"title": "Dr", "badges": [{"type": "last", "value": "f"}]})),
            },
        ],
    )
    .await
    .unwrap();
    assert_eq!(user["nickname"], "Dave");
    assert_eq!(user["title"], "Dr");
    assert_eq!(
        user["name"],
        json!({"given": "David", "family": "Spanner", "middle": "M"})
    );
    let types: Vec<&str> = user["badges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["work", "home", ODD_TYPE, "other", "extra", "last"]);
    assert_eq!(stored(&emulator)["badges"], user["badges"]);
}

#[tokio::test]
async fn replace_replaces_arrays_whole_and_adds_what_is_missing() {
    let emulator = start(Emulator::builder());
    let user = send(
        &emulator,
        vec![
            ScimOperation::replace("name.given", json!("Dan")),
            ScimOperation::replace("name", json!({"family": "Spanner-Smith"})),
            ScimOperation::replace("badges", json!([{"type": "only", "value": "x"}])),
            ScimOperation::replace("preferredLanguage", json!("fr")),
            ScimOperation::replace("nickname", json!("D")),
        ],
    )
    .await
    .unwrap();
    assert_eq!(
        user["name"],
        json!({"given": "Dan", "family": "Spanner-Smith"})
    );
    assert_eq!(user["badges"], json!([{"type": "only", "value": "x"}]));
    assert_eq!(user["preferredLanguage"], "fr");
    assert_eq!(user["nickname"], "D");
}

#[tokio::test]
async fn remove_removes_attributes_and_sub_attributes() {
    let emulator = start(Emulator::builder());
    let user = send(
        &emulator,
        vec![
            ScimOperation::remove("photo"),
            ScimOperation::remove("name.family"),
            ScimOperation::remove("badges"),
        ],
    )
    .await
    .unwrap();
    assert!(user.get("photo").is_none());
    assert_eq!(user["name"], json!({"given": "David"}));
    assert!(user.get("badges").is_none());
    assert!(stored(&emulator).get("badges").is_none());
}

#[tokio::test]
async fn filters_select_elements_by_a_sub_attribute() {
    let emulator = start(Emulator::builder());
    let user = send(
        &emulator,
        vec![
            ScimOperation::replace(badge("work", ".value"), json!("z")),
            ScimOperation::add(badge("home", ".primary"), json!(true)),
            ScimOperation::replace(badge("home", ""), json!({"value": "y"})),
            ScimOperation::replace(badge(ODD_TYPE, ".value"), json!("quoted")),
        ],
    )
    .await
    .unwrap();
    assert_eq!(
        user["badges"],
        json!([
            {"type": "work", "value": "z"},
            {"type": "home", "value": "y", "primary": true},
            {"type": ODD_TYPE, "value": "quoted"},
        ])
    );
    // The filter as it was sent: the quote and the backslash escaped.
    let sent = emulator.requests().last().unwrap().json().unwrap();
    assert_eq!(
        sent["Operations"][3]["path"],
        r#"badges[type eq "say \"hi\" \\ there"].value"#
    );

    let user = send(
        &emulator,
        vec![
            ScimOperation::remove(badge("home", ".primary")),
            ScimOperation::remove(badge(ODD_TYPE, "")),
            ScimOperation::replace(
                r#"badges[type eq "work" and value eq "z" or type eq "home"].value"#,
                json!("both"),
            ),
        ],
    )
    .await
    .unwrap();
    assert_eq!(
        user["badges"],
        json!([
            {"type": "work", "value": "both"},
            {"type": "home", "value": "both"},
        ])
    );
}

/// RFC 7644 §3.4.2.2: string comparisons in a filter are case-insensitive unless the
/// attribute is `caseExact` (and nothing in PingOne's user schema is). The emulator's list
/// filter compared in any case, but its PATCH path filter in exact case:
/// `badges[type eq "WORK"].value` found no element (`noTarget`, 400) where PingOne's would
/// find `{"type": "work"}`.
#[tokio::test]
async fn filters_compare_strings_in_any_case() {
    let mut user = user_with_badges();
    user["badges"]
        .as_array_mut()
        .unwrap()
        .push(json!({"type": "Straße", "value": "ÄB", "rank": 1}));
    let emulator = Emulator::builder().no_users().user(user).start().unwrap();
    let user = send(
        &emulator,
        vec![
            ScimOperation::replace(badge("WORK", ".value"), json!("z")),
            ScimOperation::add(r#"badges[type eq "Home"].primary"#, json!(true)),
            // Unicode lower case, in an `and` with a value in another case.
            ScimOperation::replace(
                r#"badges[type eq "STRASSE" or type eq "straße" and value eq "äb"].value"#,
                json!("unicode"),
            ),
        ],
    )
    .await
    .unwrap();
    assert_eq!(
        user["badges"],
        json!([
            {"type": "work", "value": "z"},
            {"type": "home", "value": "b", "primary": true},
            {"type": ODD_TYPE, "value": "c"},
            {"type": "Straße", "value": "unicode", "rank": 1},
        ])
    );
    // remove too, and the odd type in another case.
    let user = send(
        &emulator,
        vec![ScimOperation::remove(badge(&ODD_TYPE.to_uppercase(), ""))],
    )
    .await
    .unwrap();
    assert_eq!(user["badges"].as_array().unwrap().len(), 3, "{user}");

    // Only strings compare in any case: a string never equals a number or a boolean.
    for path in [
        r#"badges[rank eq "1"].value"#,
        r#"badges[primary eq "TRUE"].value"#,
        r#"badges[type eq "work "].value"#,
    ] {
        let error = send(&emulator, vec![ScimOperation::replace(path, json!("no"))])
            .await
            .unwrap_err();
        assert_eq!(refusal(&error), invalid_value(path), "{path}");
    }
}

#[tokio::test]
async fn removing_what_is_absent_succeeds_and_changes_nothing() {
    let emulator = start(Emulator::builder());
    let before = stored_content(&emulator);
    send(
        &emulator,
        vec![
            ScimOperation::remove("nickname"),
            ScimOperation::remove("name.middle"),
            ScimOperation::remove("address.locality"),
            ScimOperation::remove(badge("none", "")),
            ScimOperation::remove(badge("none", ".value")),
        ],
    )
    .await
    .unwrap();
    assert_eq!(stored_content(&emulator), before);
}

#[tokio::test]
async fn a_bad_path_or_filter_is_invalid_data_and_changes_nothing() {
    let emulator = start(Emulator::builder());
    let before = stored(&emulator);
    for path in [
        "name..given",
        "urn:ietf:params:scim:schemas:core:2.0:User:nickname",
        "badges[type ne \"work\"].value",
        "badges[type eq work].value",
        "badges[type eq \"work].value",
        "badges[(type eq \"work\")]",
        "badges[type eq \"work\"",
    ] {
        let operations = vec![
            ScimOperation::replace("nickname", json!("X")),
            ScimOperation::replace(path, json!("v")),
        ];
        // The pre-flight refuses the paths whose shape is none (`name..given`, a `[` without
        // its `]` outside a string) and a schema URN's before sending; the emulator's answer is read without it.
        let shape = sparse_patch::pingone::check_scim_patch(&ScimPatch::new(operations.clone()));
        assert_eq!(
            shape.is_err(),
            [
                "name..given",
                "urn:ietf:params:scim:schemas:core:2.0:User:nickname",
                "badges[type eq \"work].value",
                "badges[type eq \"work\""
            ]
            .contains(&path),
            "{path}: {shape:?}"
        );
        let error = emulator_bearer_builder(&emulator)
            .retry_policy(RetryPolicy::never())
            .preflight(false)
            .build()
            .unwrap()
            .update_user_scim_patch::<Value>(
                emulator.environment_id(),
                emulator.user_id(),
                &ScimPatch::new(operations),
            )
            .await
            .unwrap_err();
        assert_eq!(refusal(&error), invalid_value(path), "{path}");
        let message = &error.api_error().unwrap().details[0].message;
        assert!(
            message.as_deref().unwrap().contains("is malformed"),
            "{message:?}"
        );
    }
    assert_eq!(stored(&emulator), before);
}

#[tokio::test]
async fn a_failing_operation_after_a_good_one_applies_nothing() {
    let emulator = start(Emulator::builder());
    let before = stored(&emulator);
    for failing in [
        ScimOperation::replace(badge("none", ".value"), json!("v")),
        ScimOperation::add(
            r#"badges[type eq "none" or type eq "other"].value"#,
            json!("v"),
        ),
        ScimOperation::replace("nickname[type eq \"x\"]", json!("v")),
        ScimOperation::replace("title.sub", json!("v")),
    ] {
        let target = failing.path.clone().unwrap();
        let error = send(
            &emulator,
            vec![
                ScimOperation::replace("title", json!("Dr")),
                ScimOperation::replace(badge("work", ".value"), json!("changed")),
                ScimOperation::remove("photo"),
                failing,
            ],
        )
        .await
        .unwrap_err();
        assert_eq!(refusal(&error), invalid_value(&target));
    }
    assert_eq!(stored(&emulator), before);
}

#[tokio::test]
async fn messages_that_are_not_patch_ops_are_invalid_data() {
    let emulator = start(Emulator::builder());
    let before = stored(&emulator);
    let op = r#"{"op": "replace", "path": "title", "value": "Dr"}"#;
    let schemas = format!(r#""schemas": ["{SCIM_PATCH_OP_SCHEMA}"]"#);
    for (body, target) in [
        (format!(r#"{{"Operations": [{op}]}}"#), "schemas"),
        (
            format!(r#"{{"schemas": ["urn:other"], "Operations": [{op}]}}"#),
            "schemas",
        ),
        (format!("{{{schemas}}}"), "Operations"),
        (format!(r#"{{{schemas}, "Operations": []}}"#), "Operations"),
        (
            format!(r#"{{{schemas}, "Operations": {op}}}"#),
            "Operations",
        ),
        (
            format!(r#"{{{schemas}, "Operations": [{op}, {{"op": "move", "path": "a"}}]}}"#),
            "Operations[1]",
        ),
        (
            format!(r#"{{{schemas}, "Operations": [{{"op": "remove"}}]}}"#),
            "Operations[0]",
        ),
        (
            format!(r#"{{{schemas}, "Operations": [{{"op": "add", "path": "title"}}]}}"#),
            "title",
        ),
        (
            format!(r#"{{{schemas}, "Operations": [{{"op": "add", "value": "x"}}]}}"#),
            "Operations[0]",
        ),
        // `null` is no value (RFC 7643 §2.5: unassigned): clear with `remove`.
        (
            format!(
                r#"{{{schemas}, "Operations": [{{"op": "replace", "path": "title", "value": null}}]}}"#
            ),
            "title",
        ),
    ] {
        let (status, answer) = raw_patch(&emulator, SCIM_PATCH_CONTENT_TYPE, &body).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(answer["code"], "INVALID_DATA", "{body}");
        assert_eq!(answer["details"][0]["code"], "INVALID_VALUE", "{body}");
        assert_eq!(answer["details"][0]["target"], target, "{body}");
        assert!(answer["id"].is_string() && answer["message"].is_string());
    }
    // Not JSON, or not an object: as the merge path answers.
    for body in ["{", "[]"] {
        let (status, answer) = raw_patch(&emulator, SCIM_PATCH_CONTENT_TYPE, body).await;
        assert_eq!(
            (status, answer["code"].as_str()),
            (400, Some("INVALID_REQUEST"))
        );
    }
    assert_eq!(stored(&emulator), before);
}

/// A message reads back as it was written: an operation's `value` that is `null` is a value
/// given as `null`, not a value left out (which a `remove` has).
#[test]
fn a_message_reads_back_as_written() {
    let message = ScimPatch::new(vec![
        ScimOperation::replace("title", Value::Null),
        ScimOperation::add("nickname", json!("N")),
        ScimOperation::remove("photo"),
    ]);
    let text = serde_json::to_string(&message).unwrap();
    assert_eq!(
        text,
        format!(
            r#"{{"schemas":["{SCIM_PATCH_OP_SCHEMA}"],"Operations":[{{"op":"replace","path":"title","value":null}},{{"op":"add","path":"nickname","value":"N"}},{{"op":"remove","path":"photo"}}]}}"#
        )
    );
    let back: ScimPatch = serde_json::from_str(&text).unwrap();
    assert_eq!(back, message);
    assert_eq!(back.operations[0].value, Some(Value::Null));
    assert_eq!(back.operations[2].value, None);
}

#[tokio::test]
async fn op_is_read_in_any_case_and_the_content_type_too() {
    let emulator = start(Emulator::builder());
    let body = json!({
        "schemas": [SCIM_PATCH_OP_SCHEMA],
        "Operations": [
            {"op": "Add", "path": "nickname", "value": "N"},
            {"op": "REPLACE", "path": "title", "value": "Dr"},
            {"op": "rEmOvE", "path": "photo"},
        ]
    });
    let content_type = format!("{}; charset=utf-8", SCIM_PATCH_CONTENT_TYPE.to_uppercase());
    let (status, user) = raw_patch(&emulator, &content_type, &body.to_string()).await;
    assert_eq!(status, 200, "{user}");
    assert_eq!(
        (user["nickname"].as_str(), user["title"].as_str()),
        (Some("N"), Some("Dr"))
    );
    assert!(user.get("photo").is_none());
}

#[tokio::test]
async fn other_content_types_keep_their_answers() {
    let emulator = start(Emulator::builder());
    let body = json!({"schemas": [SCIM_PATCH_OP_SCHEMA], "Operations": [
        {"op": "replace", "path": "title", "value": "Dr"}
    ]})
    .to_string();
    for content_type in ["application/scim+json", "text/plain"] {
        let (status, answer) = raw_patch(&emulator, content_type, &body).await;
        assert_eq!(
            (status, answer["code"].as_str()),
            (415, Some("INVALID_REQUEST"))
        );
    }
    // A PatchOp message sent as JSON is a merge patch: `schemas` and `Operations` are then
    // custom attributes (valid names, and no schema declared), and no operation runs.
    let (status, user) = raw_patch(&emulator, "application/json", &body).await;
    assert_eq!(status, 200);
    assert_eq!(user["schemas"], json!([SCIM_PATCH_OP_SCHEMA]));
    assert!(user.get("title").is_none());
}

/// The emulator's side (as PingOne's): a read-only attribute is ignored. Sent with pre-flight
/// off, since the client's pre-flight refuses it before sending
/// (`scim_operations_get_the_merge_paths_preflight`).
#[tokio::test]
async fn read_only_attributes_are_ignored_as_by_the_merge_path() {
    let change = json!({
        "id": "00000000-0000-4000-8000-000000000000",
        "createdAt": "2020-01-01T00:00:00.000Z",
        "enabled": false,
        "account": {"status": "LOCKED"},
        "title": "Dr",
    });
    let scim = start(Emulator::builder());
    let unchecked = emulator_bearer_builder(&scim)
        .retry_policy(RetryPolicy::never())
        .preflight(false)
        .build()
        .unwrap();
    unchecked
        .update_user_scim_patch::<Value>(
            scim.environment_id(),
            scim.user_id(),
            &ScimPatch::new(vec![
                ScimOperation::replace("id", change["id"].clone()),
                ScimOperation::replace("createdAt", change["createdAt"].clone()),
                ScimOperation::replace("account.status", json!("LOCKED")),
                ScimOperation {
                    op: ScimOp::Replace,
                    path: None,
                    value: Some(json!({"enabled": false, "title": "Dr"})),
                },
            ]),
        )
        .await
        .unwrap();
    let merge = start(Emulator::builder());
    assert_eq!(send_merge(&merge, &change).await.0, 200);
    assert_eq!(stored_content(&scim), stored_content(&merge));
    assert_eq!(stored(&scim)["id"], reference_user()["id"]);
    assert_eq!(stored(&scim)["enabled"], true);
    assert_eq!(stored(&scim)["title"], "Dr");
}

#[tokio::test]
async fn forbidden_attributes_and_rules_give_the_merge_paths_errors() {
    let builder = || Emulator::builder().forbid("name.given").forbid("badges");
    let scim = start(builder());
    let merge = start(builder());
    let before = stored(&scim);
    for (operations, patch) in [
        (
            vec![ScimOperation::replace("name.given", json!("X"))],
            json!({"name": {"given": "X"}}),
        ),
        (
            vec![ScimOperation::replace(
                "name",
                json!({"given": "X", "family": "Y"}),
            )],
            json!({"name": {"given": "X", "family": "Y"}}),
        ),
        (vec![ScimOperation::remove("name")], json!({"name": null})),
        (
            vec![ScimOperation::replace(badge("work", ".value"), json!("X"))],
            json!({"badges": []}),
        ),
        (
            vec![
                ScimOperation::replace("email", json!("not-an-email")),
                ScimOperation::replace("locale", json!("x".repeat(300))),
            ],
            json!({"email": "not-an-email", "locale": "x".repeat(300)}),
        ),
        (
            vec![ScimOperation::remove("username")],
            json!({"username": null}),
        ),
    ] {
        let (scim_status, scim_body) = send_raw(&scim, operations).await;
        let (merge_status, merge_body) = send_merge(&merge, &patch).await;
        assert!(matches!(scim_status, 400 | 403), "{scim_body}");
        assert_eq!(scim_status, merge_status, "{patch}");
        for field in ["code", "message", "details"] {
            assert_eq!(scim_body[field], merge_body[field], "{patch}: {field}");
        }
    }
    assert_eq!(stored(&scim), before);
}

#[tokio::test]
async fn one_change_gives_one_user_by_either_path() {
    let scim = start(Emulator::builder());
    let merge = start(Emulator::builder());
    let scim_user = send(
        &scim,
        vec![
            ScimOperation::replace(badge("home", ".value"), json!("h")),
            ScimOperation::add("badges", json!({"type": "new", "value": "n"})),
            ScimOperation::remove(badge(ODD_TYPE, "")),
            ScimOperation::replace("name.given", json!("Dan")),
            ScimOperation::remove("photo"),
            ScimOperation::add("address", json!({"locality": "Paris"})),
        ],
    )
    .await
    .unwrap();
    let (status, merge_user) = send_merge(
        &merge,
        &json!({
            "badges": [
                {"type": "work", "value": "a"},
                {"type": "home", "value": "h"},
                {"type": "new", "value": "n"},
            ],
            "name": {"given": "Dan"},
            "photo": null,
            "address": {"locality": "Paris"},
        }),
    )
    .await;
    assert_eq!(status, 200);
    // `_links` hold each emulator's port.
    let without_clock = |mut user: Value| {
        let members = user.as_object_mut().unwrap();
        members.remove("updatedAt");
        members.remove("_links");
        user
    };
    assert_eq!(without_clock(scim_user), without_clock(merge_user));
    assert_eq!(stored_content(&scim), stored_content(&merge));
    assert_ne!(stored(&scim)["updatedAt"], reference_user()["updatedAt"]);
}

#[tokio::test]
async fn the_client_sends_the_scim_content_type_and_reads_the_user() {
    let emulator = start(Emulator::builder());
    let patch = ScimPatch::new(vec![
        ScimOperation::replace("name.given", json!("Dan")),
        ScimOperation::remove(badge("work", "")),
    ]);
    let user: User = client(&emulator)
        .update_user_scim_patch(emulator.environment_id(), emulator.user_id(), &patch)
        .await
        .unwrap();
    assert_eq!(user.name.unwrap().given.as_deref(), Some("Dan"));
    let requests = emulator.requests();
    let [request] = requests.as_slice() else {
        panic!("one request, not {requests:?}");
    };
    assert_eq!(request.method, "PATCH");
    assert_eq!(
        request.header("content-type"),
        Some(SCIM_PATCH_CONTENT_TYPE)
    );
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_eq!(
        request.json().unwrap(),
        serde_json::to_value(&patch).unwrap()
    );
    assert_eq!(stored(&emulator)["badges"].as_array().unwrap().len(), 2);

    // An empty message sends no PATCH: the user is read.
    let before = stored(&emulator);
    let read: Value = client(&emulator)
        .update_user_scim_patch(
            emulator.environment_id(),
            emulator.user_id(),
            &ScimPatch::new(vec![]),
        )
        .await
        .unwrap();
    assert_eq!(read["updatedAt"], before["updatedAt"]);
    assert_eq!(emulator.requests().last().unwrap().method, "GET");
    assert_eq!(stored(&emulator), before);

    // IDs are checked before anything is sent.
    let error = client(&emulator)
        .update_user_scim_patch::<Value>("not-a-uuid", emulator.user_id(), &patch)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidInput(_)), "{error:?}");
    assert_eq!(emulator.requests().len(), 2);
}

// ----- Faults found by a review (issue 11), each with its failing input -----

/// A SCIM `add` appends, so a message with one is not sent twice after its answer was lost:
/// the call fails with the transport's error and the element is stored once. A message
/// without `add` retries as a merge patch does.
#[tokio::test]
async fn a_message_with_add_is_not_repeated_after_a_lost_answer() {
    use sparse_patch::Patchable;
    use sparse_patch::pingone::emulator::Fault;

    #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Member {
        username: String,
        #[patchable(key = "type")]
        #[serde(default)]
        badges: Vec<Value>,
    }
    let mut user = reference_user();
    user["badges"] = json!([{"type": "work"}]);
    let emulator = Emulator::builder().no_users().user(user).start().unwrap();
    let retrying = emulator_bearer_builder(&emulator)
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let (env, id) = (emulator.environment_id(), emulator.user_id());
    let base: Member = retrying.get_user_as(env, id).await.unwrap();
    let mut target = base.clone();
    target.badges.push(json!({"type": "home"}));
    emulator.inject(Fault::ConnectionCut);
    let error = retrying
        .update_user_scim(env, id, &base, &base.diff(&target))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Transport { attempts: 1, .. }),
        "{error}"
    );
    assert_eq!(
        stored(&emulator)["badges"],
        json!([{"type": "work"}, {"type": "home"}])
    );

    // Without `add`, the lost answer is retried: the change is made once and read back.
    let mut changed = target.clone();
    changed.badges[1]["level"] = json!(2);
    emulator.inject(Fault::ConnectionCut);
    let user = retrying
        .update_user_scim(env, id, &target, &target.diff(&changed))
        .await
        .unwrap();
    assert_eq!(user, changed);
}

/// `update_user_scim` whose patch's keyed array holds the user's elements as PingOne answered
/// them (the caller's target is the user read, changed): a phone number stored as a bare
/// string, or the user's number given to a second element as well. `Error::Dialect` quoted the
/// user's number (`the element is not an object: "+44 20 7946 0958"`, `have the key \`value\` =
/// "+44 20 7946 0958"`) in its text and `Debug`, which a caller logs. It names the attribute,
/// the key, the element and the kind of value, not the value; nothing is sent either way.
#[tokio::test]
async fn a_scim_update_s_dialect_error_quotes_no_value_of_the_users() {
    use sparse_patch::Patchable;

    #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Contact {
        username: String,
        #[patchable(key = "value")]
        #[serde(default)]
        phones: Vec<Value>,
    }
    let number = "+44 20 7946 0958";
    // The user's array, the element that the caller's target adds, and what the error says.
    for (phones, added, said) in [
        (
            json!([number]),
            json!({"value": "+1 555 0100", "type": "mobile"}),
            "element 0 of the patch's `phones` has no key `value` that a filter can compare (a \
             string, number or boolean): the element is not an object (a string, not shown)",
        ),
        (
            json!([{"value": number, "type": "work"}]),
            json!({"value": number, "type": "home"}),
            "two elements of the patch's `phones` have the key `value` = a value (not shown)",
        ),
    ] {
        let mut user = reference_user();
        user["phones"] = phones;
        let emulator = Emulator::builder().no_users().user(user).start().unwrap();
        let client = client(&emulator);
        let (env, id) = (emulator.environment_id(), emulator.user_id());
        let base: Contact = client.get_user_as(env, id).await.unwrap();
        let mut target = base.clone();
        target.phones.push(added);
        let error = client
            .update_user_scim(env, id, &base, &base.diff(&target))
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Dialect(_)), "{error:?}");
        for text in [error.to_string(), format!("{error:?}")] {
            assert!(!text.contains("7946"), "{text}");
        }
        assert!(error.to_string().contains(said), "{error}");
        assert!(
            emulator
                .requests()
                .iter()
                .all(|request| request.method == "GET"),
            "nothing is sent"
        );
    }
}

/// An empty object on a forbidden attribute touches it: it would turn a value into `{}`.
#[tokio::test]
async fn an_empty_object_on_a_forbidden_attribute_is_refused() {
    let emulator = start(Emulator::builder().forbid("badges"));
    let (status, _) = send_raw(&emulator, vec![ScimOperation::add("badges", json!({}))]).await;
    assert_eq!(status, 403);
    assert_eq!(stored(&emulator)["badges"], user_with_badges()["badges"]);
    let (status, _) = send_merge(&emulator, &json!({"badges": {}})).await;
    assert_eq!(status, 403);
}

/// Numbers in filters compare by value: `1.0` selects the element whose `n` is `1`.
#[tokio::test]
async fn a_filter_number_matches_the_same_number_written_otherwise() {
    let mut user = reference_user();
    user["badges"] = json!([{"n": 1}, {"n": 2}]);
    let emulator = Emulator::builder().no_users().user(user).start().unwrap();
    let user = send(&emulator, vec![ScimOperation::remove("badges[n eq 1.0]")])
        .await
        .unwrap();
    assert_eq!(user["badges"], json!([{"n": 2}]));
}

/// `$ref` is an attribute name (RFC 7643 §2.4), in paths as in filters.
#[tokio::test]
async fn dollar_ref_is_an_attribute_name() {
    let mut user = reference_user();
    user["badges"] = json!([{"type": "a", "$ref": "x"}]);
    let emulator = Emulator::builder().no_users().user(user).start().unwrap();
    let operation = ScimOperation::replace(r#"badges[type eq "a"].$ref"#, json!("y"));
    let user = send(&emulator, vec![operation]).await.unwrap();
    assert_eq!(user["badges"], json!([{"type": "a", "$ref": "y"}]));
}

/// Below a `null` attribute there is nothing to remove, as below an absent one.
#[tokio::test]
async fn removing_below_a_null_attribute_succeeds() {
    let mut user = reference_user();
    user["address"] = Value::Null;
    let emulator = Emulator::builder().no_users().user(user).start().unwrap();
    send(&emulator, vec![ScimOperation::remove("address.locality")])
        .await
        .unwrap();
}

/// `Client::with_consistency_window` promises that its calls "also retry 403 and 404 for
/// `window`", for calls on a user created moments ago. A SCIM message with an `add` got its
/// first 404 back at once: it is not repeated where PingOne may have applied it, yet a 403 or
/// 404 is a refusal (a PATCH is atomic, RFC 7644 §3.5.2), which applied nothing, as a 429.
#[tokio::test]
async fn a_message_with_add_retries_404_inside_a_consistency_window() {
    use sparse_patch::pingone::emulator::Fault;

    let emulator = start(Emulator::builder());
    let client = emulator_bearer_builder(&emulator)
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
        .with_consistency_window(Duration::from_secs(5));
    // Another element each time: an element held already is not added again.
    let add = |kind: &str| {
        ScimPatch::new(vec![ScimOperation::add(
            "badges",
            json!([{"type": kind, "value": "d"}]),
        )])
    };
    for status in [404, 403] {
        let add = add(&format!("school {status}"));
        emulator.inject(Fault::Status(status));
        let user: Value = client
            .update_user_scim_patch(emulator.environment_id(), emulator.user_id(), &add)
            .await
            .unwrap_or_else(|error| panic!("HTTP {status}: {error}"));
        assert_eq!(
            user["badges"].as_array().unwrap().len(),
            if status == 404 { 4 } else { 5 }
        );
    }
    // Outside a window, a 404 is the answer.
    emulator.inject(Fault::Status(404));
    let error = self::client(&emulator)
        .update_user_scim_patch::<Value>(
            emulator.environment_id(),
            emulator.user_id(),
            &add("school"),
        )
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(404));
    assert_eq!(stored(&emulator)["badges"].as_array().unwrap().len(), 5);
}

/// Two forms that Microsoft Entra ID (Azure AD) sends, and that SCIM servers got silently
/// wrong (pingidentity/scim2#224, Captain-P-Goldfish/SCIM-SDK#267, thomaspoignant/scim-patch#132):
///
/// - an `add` or `replace` without a path whose value names sub-attributes by path
///   (`{"name.given": "Keith"}`, an extension's attribute URN-qualified, a filter): RFC 7644
///   §3.5.2.1 makes that value "a set of attributes", and such a name is none. The emulator
///   answered 200 and changed nothing (the member was dropped as an unknown attribute), so that
///   a client saw its change accepted;
/// - a `remove` with a `value` listing the values to remove from a multi-valued attribute
///   (`{"op": "Remove", "path": "members", "value": [{"value": "…"}]}`, Entra's way to remove
///   group members): the emulator ignored the value and removed the whole attribute, every
///   badge here, where the client asked for one.
///
/// Both are now 400 `INVALID_VALUE` naming the operation, and nothing changes.
#[tokio::test]
async fn entra_id_forms_are_refused_rather_than_dropped_or_widened() {
    let emulator = start(Emulator::builder());
    let before = stored_content(&emulator);
    let schemas = format!(r#""schemas": ["{SCIM_PATCH_OP_SCHEMA}"]"#);
    for (operation, target) in [
        (
            r#"{"op": "replace", "value": {"nickname": "K", "name.given": "Keith"}}"#,
            "Operations[0]",
        ),
        (
            r#"{"op": "Add", "value": {"name.family": "Stella"}}"#,
            "Operations[0]",
        ),
        (
            r#"{"op": "replace", "value": {"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "7"}}"#,
            "Operations[0]",
        ),
        (
            r#"{"op": "replace", "value": {"badges[type eq \"work\"].value": "z"}}"#,
            "Operations[0]",
        ),
        (
            r#"{"op": "Remove", "path": "badges", "value": [{"type": "work", "value": "a"}]}"#,
            "badges",
        ),
        (
            r#"{"op": "remove", "path": "badges[type eq \"home\"]", "value": {"type": "home"}}"#,
            "badges[type eq \"home\"]",
        ),
    ] {
        let body = format!(r#"{{{schemas}, "Operations": [{operation}]}}"#);
        let (status, answer) = raw_patch(&emulator, SCIM_PATCH_CONTENT_TYPE, &body).await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert_eq!(answer["code"], "INVALID_DATA", "{body}");
        assert_eq!(answer["details"][0]["code"], "INVALID_VALUE", "{body}");
        assert_eq!(answer["details"][0]["target"], target, "{body}");
        assert_eq!(stored_content(&emulator), before, "{body}");
    }
    // The forms that say the same within RFC 7644 are applied: a path-less value of attribute
    // names, a path for a sub-attribute, a filter for the values to remove, and a `remove`
    // whose `value` is `null` (no value).
    let body = format!(
        r#"{{{schemas}, "Operations": [
            {{"op": "replace", "value": {{"nickname": "K", "name": {{"given": "Keith"}}}}}},
            {{"op": "replace", "path": "name.family", "value": "Stella"}},
            {{"op": "remove", "path": "badges[type eq \"work\"]"}},
            {{"op": "remove", "path": "title", "value": null}}
        ]}}"#
    );
    let (status, user) = raw_patch(&emulator, SCIM_PATCH_CONTENT_TYPE, &body).await;
    assert_eq!(status, 200, "{user}");
    assert_eq!(user["nickname"], "K");
    assert_eq!(user["name"]["given"], "Keith");
    assert_eq!(user["name"]["family"], "Stella");
    assert_eq!(user["badges"].as_array().unwrap().len(), 2, "{user}");
}

/// Entra ID provisions a user's work email with `{"op": "Add", "path": "emails[type eq
/// \"work\"].value", "value": …}`, also for a user who has no work email yet, and expects the
/// element to be made (scim-patch#176, ssoready#249, and Ping Identity's own SCIM SDK,
/// scim2#213). RFC 7644 §3.5.2.1: "If the target location does not exist, the attribute and
/// value are added"; only `replace` is `noTarget` there (§3.5.2.3). The emulator answered 400
/// `noTarget`, so such a client could never add its first value.
#[tokio::test]
async fn an_add_at_a_filter_that_matches_nothing_adds_the_element() {
    let emulator = start(Emulator::builder());
    let user = send(
        &emulator,
        vec![
            ScimOperation::add(badge("mobile", ".value"), json!("m")),
            // Now it exists: merged into, not added again.
            ScimOperation::add(badge("mobile", ".primary"), json!(true)),
            ScimOperation::add(
                r#"badges[type eq "pager" and rank eq 2 and label eq null]"#,
                json!({"value": "p"}),
            ),
            // An attribute that the user lacks is made.
            ScimOperation::add(r#"devices[kind eq "laptop"].serial"#, json!("s1")),
        ],
    )
    .await
    .unwrap();
    assert_eq!(
        user["badges"],
        json!([
            {"type": "work", "value": "a"},
            {"type": "home", "value": "b"},
            {"type": ODD_TYPE, "value": "c"},
            {"type": "mobile", "value": "m", "primary": true},
            {"type": "pager", "rank": 2, "value": "p"},
        ])
    );
    assert_eq!(user["devices"], json!([{"kind": "laptop", "serial": "s1"}]));

    // What does not describe one element stays `noTarget`, and changes nothing: a `replace`,
    // a filter with `or`, a value that contradicts the filter.
    let before = stored(&emulator);
    for failing in [
        ScimOperation::replace(badge("fax", ".value"), json!("f")),
        ScimOperation::add(
            r#"badges[type eq "fax" or type eq "telex"].value"#,
            json!("f"),
        ),
        ScimOperation::add(badge("fax", ""), json!({"type": "telex"})),
        ScimOperation::add(badge("fax", ".type"), json!("telex")),
    ] {
        let target = failing.path.clone().unwrap();
        let error = send(&emulator, vec![failing]).await.unwrap_err();
        assert_eq!(refusal(&error), invalid_value(&target), "{target}");
        let message = error.api_error().unwrap().details[0].message.clone();
        assert!(message.unwrap().contains("noTarget"), "{target}");
    }
    assert_eq!(stored(&emulator), before);
}

/// A PATCH that PingOne accepts and that changes nothing (a `remove` of an absent attribute,
/// `{"nickname": null}` where there is none) still moves `updatedAt`, alike in both dialects:
/// the emulator's choice, since PingOne's is not documented (`/work/shared/reference` says
/// nothing of it), and the one that `tests/pingone_client.rs` pins for a user written back
/// whole. The client sends no empty message (it reads the user instead), so only a message
/// whose operations change nothing moves it without a change.
#[tokio::test]
async fn a_patch_that_changes_nothing_moves_updated_at_in_either_dialect() {
    let emulator = start(Emulator::builder());
    let content = stored_content(&emulator);
    let at = |user: &Value| user["updatedAt"].as_str().unwrap().to_owned();
    let first = at(&stored(&emulator));

    let (status, answer) = send_merge(&emulator, &json!({"nickname": null})).await;
    assert_eq!(status, 200, "{answer}");
    let by_merge = at(&stored(&emulator));
    assert!(by_merge > first, "{by_merge} after {first}");
    assert_eq!(at(&answer), by_merge);

    let answer = send(&emulator, vec![ScimOperation::remove("nickname")])
        .await
        .unwrap();
    let by_scim = at(&stored(&emulator));
    assert!(by_scim > by_merge, "{by_scim} after {by_merge}");
    assert_eq!(at(&answer), by_scim);
    assert_eq!(stored_content(&emulator), content);
}

/// `update_user_scim_patch` skipped pre-flight: a `replace` of `createdAt` (read-only:
/// PingOne ignores it and answers 200), a `remove` of `username` or a bad `email` was sent,
/// where `update_user` refuses the same change before sending it. Each operation that names
/// an attribute is now checked as the merge patch that would make its change: one
/// `Error::InvalidInput` naming every operation and attribute at fault, nothing sent;
/// `preflight(false)` sends it as before.
#[tokio::test]
async fn scim_operations_get_the_merge_paths_preflight() {
    let emulator = start(Emulator::builder());
    let before = stored(&emulator);
    let operations = || {
        vec![
            ScimOperation::replace("createdAt", json!("2020-01-01T00:00:00.000Z")),
            ScimOperation::replace("title", json!("Dr")),
            ScimOperation::replace("email", json!("ada@")),
            ScimOperation::remove("username"),
            ScimOperation::replace(badge("work", ".value"), json!("x")),
            ScimOperation {
                op: ScimOp::Replace,
                path: None,
                value: Some(json!({"lifecycle": {"status": "ACCOUNT_OK"}, "nickname": ""})),
            },
        ]
    };
    let error = send(&emulator, operations()).await.unwrap_err();
    let Error::Preflight { message: text, .. } = &error else {
        panic!("{error:?}");
    };
    for part in [
        "operation 1 (replace \"createdAt\"): createdAt is read-only",
        "operation 3 (replace \"email\"): email must be an RFC 2822 address (found \"ada@\")",
        "operation 4 (remove \"username\"): username",
        "operation 6 (replace without a path): lifecycle is read-only",
        "operation 6 (replace without a path): nickname",
        "nothing was sent",
    ] {
        assert!(text.contains(part), "{part}\n{text}");
    }
    assert!(!text.contains("operation 2"), "{text}");
    assert!(!text.contains("operation 5"), "{text}");
    assert!(emulator.requests().is_empty());
    assert_eq!(stored(&emulator), before);

    // The same through `update_user_scim`: a model whose read-only field changed.
    use sparse_patch::Patchable as _;
    #[derive(
        sparse_patch::Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize,
    )]
    struct Dated {
        #[serde(rename = "createdAt")]
        created_at: String,
        title: Option<String>,
    }
    let client = client(&emulator);
    let base: Dated = client
        .get_user_as(emulator.environment_id(), emulator.user_id())
        .await
        .unwrap();
    let mut target = base.clone();
    target.created_at = "2020-01-01T00:00:00.000Z".into();
    let error = client
        .update_user_scim(
            emulator.environment_id(),
            emulator.user_id(),
            &base,
            &base.diff(&target),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Preflight { message, .. } if message.contains("createdAt is read-only")),
        "{error:?}"
    );
    // The detail's target is the attribute; its message names the operation.
    assert_eq!(error.target(), Some("createdAt"));
    assert_eq!(emulator.requests().len(), 1, "only the GET");

    // Off, the message is sent, and the emulator judges it.
    let unchecked = emulator_bearer_builder(&emulator)
        .retry_policy(RetryPolicy::never())
        .preflight(false)
        .build()
        .unwrap();
    let error = unchecked
        .update_user_scim_patch::<Value>(
            emulator.environment_id(),
            emulator.user_id(),
            &ScimPatch::new(operations()),
        )
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(400), "{error:?}");
    assert_eq!(emulator.requests().len(), 2);
}

/// A message that is not repeatable (an `add` appends again) is sent again after a connection
/// that could not be made: nothing reached the server, so nothing was applied (the retry
/// rule documented on `RetryPolicy`: "retried only after a connection failure, a 429, ...").
/// The first attempt meets a closed port; the server opens on it when the retry is
/// announced, before the second attempt.
#[tokio::test]
async fn a_message_that_is_not_repeatable_is_sent_again_after_a_refused_connection() {
    use std::sync::{Arc, Mutex};
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (opened, listener) = tokio::sync::oneshot::channel::<std::net::TcpListener>();
    let opened = Arc::new(Mutex::new(Some(opened)));
    let events = Arc::new(Mutex::new(Vec::new()));
    let policy = {
        let events = Arc::clone(&events);
        RetryPolicy::default()
            .max_attempts(3)
            .initial_backoff(Duration::from_millis(1))
            .jitter(false)
            .on_retry(move |event| {
                events.lock().unwrap().push(event.status);
                if let Some(opened) = opened.lock().unwrap().take() {
                    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
                    listener.set_nonblocking(true).unwrap();
                    let _ = opened.send(listener);
                }
            })
    };
    let server = tokio::spawn(async move {
        let listener = tokio::net::TcpListener::from_std(listener.await.unwrap()).unwrap();
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = Vec::new();
        let mut buffer = [0_u8; 4096];
        // The head, then the body its Content-Length announces.
        loop {
            let read = socket.read(&mut buffer).await.unwrap();
            request.extend_from_slice(&buffer[..read]);
            let text = String::from_utf8_lossy(&request).to_ascii_lowercase();
            if let Some(end) = text.find("\r\n\r\n") {
                let length: usize = text
                    .lines()
                    .find_map(|line| line.strip_prefix("content-length:"))
                    .map_or(0, |value| value.trim().parse().unwrap());
                if request.len() >= end + 4 + length || read == 0 {
                    break;
                }
            }
        }
        let body = json!({"id": "a38890a6-295a-4d58-9f6e-b72b05fba379", "username": "dspanner"})
            .to_string();
        let answer = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
             connection: close\r\n\r\n{body}",
            body.len()
        );
        socket.write_all(answer.as_bytes()).await.unwrap();
        String::from_utf8_lossy(&request).into_owned()
    });
    let client = Client::builder()
        .api_base_url(format!("http://127.0.0.1:{port}/v1"))
        .token(TokenSource::bearer("token"))
        .retry_policy(policy)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let message = ScimPatch::new(vec![ScimOperation::add("badges", json!([{"type": "x"}]))]);
    let answer = client
        .update_user_scim_patch::<Value>(
            "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6",
            "a38890a6-295a-4d58-9f6e-b72b05fba379",
            &message,
        )
        .await
        .unwrap();
    assert_eq!(answer["username"], "dspanner");
    assert_eq!(*events.lock().unwrap(), [None]);
    let request = server.await.unwrap();
    assert!(request.starts_with("PATCH "), "{request}");
}
