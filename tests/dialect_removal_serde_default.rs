//! A nullable attribute removed by JSON Patch (RFC 6902 `remove`, a `move` away) or SCIM
//! (RFC 7644 `remove`) is read as a clear, `Field::Null`, as the merge patch that
//! `to_json_patch` writes as that `remove` is: not as the value that the model's serde default
//! (a field's `default = "..."`, the struct's `default`) gives to the member the changed JSON
//! lacks, which would set the attribute where the operation removed it. A required attribute,
//! which no `null` clears, is read as that default instead, at the top level too (review 141),
//! as the model reads the document that lacks it; one without a serde default is refused.

use serde::{Deserialize, Serialize};
use serde_json::json;
use sparse_patch::{Field, JsonPatchOperation, Patch, Patchable, ScimPatch};

fn ten() -> Option<u64> {
    Some(10)
}

/// A field whose serde default is `Some`.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Project {
    name: String,
    #[serde(default = "ten", skip_serializing_if = "Option::is_none")]
    budget: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    spent: Option<u64>,
}

/// The struct's `default`, whose `Default` holds `Some`.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
struct Settings {
    theme: Option<String>,
    #[serde(rename = "fontSize")]
    font_size: Option<u8>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            theme: Some("light".into()),
            font_size: Some(12),
        }
    }
}

fn operations(value: serde_json::Value) -> Vec<JsonPatchOperation> {
    serde_json::from_value(value).unwrap()
}

fn scim(operations: serde_json::Value) -> ScimPatch {
    serde_json::from_value(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": operations,
    }))
    .unwrap()
}

fn project() -> Project {
    Project {
        name: "Apollo".into(),
        budget: Some(100),
        spent: Some(5),
    }
}

#[test]
fn a_json_patch_remove_of_an_attribute_with_a_serde_default_is_a_clear() {
    let base = project();
    let patch = ProjectPatch::from_json_patch(
        &base,
        &operations(json!([
            {"op": "remove", "path": "/budget"},
        ])),
    )
    .unwrap();
    assert_eq!(patch, ProjectPatch::new().clear_budget());
    let mut applied = base.clone();
    applied.apply(patch).unwrap();
    assert_eq!(applied.budget, None);
}

#[test]
fn a_move_away_from_an_attribute_with_a_serde_default_clears_it() {
    let base = project();
    let patch = ProjectPatch::from_json_patch(
        &base,
        &operations(json!([
            {"op": "move", "from": "/budget", "path": "/spent"},
        ])),
    )
    .unwrap();
    assert_eq!(patch, ProjectPatch::new().clear_budget().spent(100_u64));
}

#[test]
fn a_scim_remove_of_an_attribute_with_a_serde_default_is_a_clear() {
    let base = project();
    let patch =
        ProjectPatch::from_scim_patch(&base, &scim(json!([{"op": "remove", "path": "budget"}])))
            .unwrap();
    assert_eq!(patch.budget, Field::Null);
}

#[test]
fn the_struct_default_does_not_fill_a_removed_attribute() {
    let base = Settings {
        theme: Some("dark".into()),
        font_size: Some(14),
    };
    let patch = SettingsPatch::from_json_patch(
        &base,
        &operations(json!([
            {"op": "remove", "path": "/theme"},
            {"op": "replace", "path": "/fontSize", "value": 16},
        ])),
    )
    .unwrap();
    assert_eq!(patch, SettingsPatch::new().clear_theme().font_size(16));
    let patch =
        SettingsPatch::from_scim_patch(&base, &scim(json!([{"op": "remove", "path": "fontSize"}])))
            .unwrap();
    assert_eq!(patch, SettingsPatch::new().clear_font_size());
}

/// The law that the two directions keep: a patch written as operations reads back as itself.
#[test]
fn a_clear_written_as_operations_reads_back_as_the_clear() {
    let base = project();
    for patch in [
        ProjectPatch::new().clear_budget(),
        ProjectPatch::new()
            .clear_budget()
            .clear_spent()
            .name("Artemis"),
    ] {
        let written = patch.to_json_patch(&base).unwrap();
        assert_eq!(
            ProjectPatch::from_json_patch(&base, &written).unwrap(),
            patch
        );
        let written = patch.to_scim_patch(&base).unwrap();
        assert_eq!(
            ProjectPatch::from_scim_patch(&base, &written).unwrap(),
            patch
        );
    }
    let base = Settings {
        theme: Some("dark".into()),
        font_size: None,
    };
    let patch = SettingsPatch::new().clear_theme();
    let written = patch.to_json_patch(&base).unwrap();
    assert_eq!(
        SettingsPatch::from_json_patch(&base, &written).unwrap(),
        patch
    );
}

fn no_reply() -> Option<String> {
    Some("noreply@example.com".into())
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Owner {
    id: String,
    #[serde(default = "no_reply", skip_serializing_if = "Option::is_none")]
    email: Option<String>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Audit {
    #[serde(default = "no_reply")]
    reviewer: Option<String>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Team {
    #[patchable(nested)]
    owner: Owner,
    #[patchable(nested)]
    deputy: Option<Owner>,
    #[serde(flatten)]
    #[patchable(nested)]
    audit: Audit,
}

fn team() -> Team {
    let owner = Owner {
        id: "u1".into(),
        email: Some("a@example.com".into()),
    };
    Team {
        deputy: Some(Owner {
            id: "u2".into(),
            ..owner.clone()
        }),
        owner,
        audit: Audit {
            reviewer: Some("r@example.com".into()),
        },
    }
}

#[test]
fn a_removal_in_a_nested_model_is_a_clear_at_any_depth() {
    let base = team();
    let patch = TeamPatch::from_json_patch(
        &base,
        &operations(json!([
            {"op": "remove", "path": "/owner/email"},
            {"op": "remove", "path": "/deputy/email"},
            {"op": "remove", "path": "/reviewer"},
        ])),
    )
    .unwrap();
    let expected = TeamPatch::new()
        .owner(OwnerPatch::new().clear_email())
        .deputy(OwnerPatch::new().clear_email())
        .audit(AuditPatch::new().clear_reviewer());
    assert_eq!(patch, expected);
    let written = expected.to_json_patch(&base).unwrap();
    assert_eq!(
        TeamPatch::from_json_patch(&base, &written).unwrap(),
        expected
    );
    let written = expected.to_scim_patch(&base).unwrap();
    assert_eq!(
        TeamPatch::from_scim_patch(&base, &written).unwrap(),
        expected
    );
}

/// A removal beside other changes of the same object: only the removed member is read as a
/// clear, the others keep what the operations give.
#[test]
fn the_other_changes_beside_a_removal_are_kept() {
    let base = team();
    let patch = TeamPatch::from_json_patch(
        &base,
        &operations(json!([
            {"op": "remove", "path": "/owner/email"},
            {"op": "replace", "path": "/owner/id", "value": "u9"},
            {"op": "remove", "path": "/deputy"},
        ])),
    )
    .unwrap();
    assert_eq!(
        patch,
        TeamPatch::new()
            .owner(OwnerPatch::new().id("u9").clear_email())
            .clear_deputy()
    );
}

fn primary_by_default() -> Option<bool> {
    Some(true)
}

/// An element of a keyed array whose nullable attribute has a serde default of `Some`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Email {
    #[serde(rename = "type")]
    kind: String,
    value: String,
    #[serde(default = "primary_by_default")]
    is_primary: Option<bool>,
}

// The feature `schemars` (on in the tests) asks every field type for its schema.
impl schemars::JsonSchema for Email {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Email".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "object", "required": ["type", "value"]})
    }
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Person {
    name: String,
    #[patchable(key = "type")]
    emails: Vec<Email>,
}

fn person() -> Person {
    let email = |kind: &str, is_primary| Email {
        kind: kind.into(),
        value: format!("{kind}@example.com"),
        is_primary,
    };
    Person {
        name: "Ada".into(),
        emails: vec![email("work", Some(false)), email("home", Some(false))],
    }
}

/// `to_scim_patch` writes the clear of an element's attribute as a `remove` through the
/// array's filter (`emails[type eq "work"].isPrimary`, RFC 7644 §3.5.2.2): read back, it is
/// that clear, not the element's serde default, which set `true` where the patch cleared.
#[test]
fn a_scim_remove_inside_a_keyed_array_element_is_a_clear() {
    let base = person();
    let mut target = base.clone();
    target.emails[0].is_primary = None;
    let patch = base.diff(&target);
    let message = patch.to_scim_patch(&base).unwrap();
    assert_eq!(
        serde_json::to_value(&message.operations).unwrap(),
        json!([{"op": "remove", "path": "emails[type eq \"work\"].isPrimary"}])
    );
    assert_eq!(
        PersonPatch::from_scim_patch(&base, &message).unwrap(),
        patch
    );
    // The same by RFC 6902: the element's index in the pointer.
    let patch = PersonPatch::from_json_patch(
        &base,
        &operations(json!([{"op": "remove", "path": "/emails/0/isPrimary"}])),
    )
    .unwrap();
    let mut applied = base.clone();
    applied.apply(patch).unwrap();
    assert_eq!(applied, target);
}

/// An element that the operations add without the attribute is read as the model reads it:
/// with its serde default (no element of the base held the attribute to remove).
#[test]
fn an_element_added_without_an_attribute_gets_its_serde_default() {
    let base = person();
    let message: ScimPatch = scim(json!([
        {"op": "add", "path": "emails", "value": [{"type": "other", "value": "o@example.com"}]},
    ]));
    let patch = PersonPatch::from_scim_patch(&base, &message).unwrap();
    let mut applied = base.clone();
    applied.apply(patch).unwrap();
    assert_eq!(applied.emails[2].is_primary, Some(true));
    assert_eq!(applied.emails[..2], base.emails[..]);
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Team2 {
    #[patchable(nested)]
    lead: Person,
    contacts: Vec<Email>,
}

/// A keyed array of a nested model, and a `Vec` of structs, are written whole by
/// `to_scim_patch` (`replace lead.emails [...]`), a cleared member as `null`, which the SCIM
/// applier stores as unassigned (RFC 7643 §2.5): read back, element by element, it is the
/// clear, not the element's serde default.
#[test]
fn a_clear_in_an_array_written_whole_reads_back_as_the_clear() {
    let base = Team2 {
        lead: person(),
        contacts: person().emails,
    };
    let mut target = base.clone();
    target.lead.emails[1].is_primary = None;
    target.contacts[0].is_primary = None;
    let patch = base.diff(&target);
    let message = patch.to_scim_patch(&base).unwrap();
    assert_eq!(Team2Patch::from_scim_patch(&base, &message).unwrap(), patch);
    let written = patch.to_json_patch(&base).unwrap();
    assert_eq!(Team2Patch::from_json_patch(&base, &written).unwrap(), patch);
}

/// A model holding a `HashSet`, which two equal sets may write in two orders (each set's
/// hasher has its own seed).
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Labelled {
    name: String,
    labels: std::collections::HashSet<String>,
    #[serde(default = "ten", skip_serializing_if = "Option::is_none")]
    budget: Option<u64>,
}

/// Review 126: the model read with the removed member `null` was compared with the model by
/// their JSON, where a `HashSet` of a few elements is written in another order by each set:
/// the removal was read as the serde default (`budget: Some(10)`) every time.
#[test]
fn a_removal_beside_a_hash_set_is_a_clear() {
    let base = Labelled {
        name: "Apollo".into(),
        labels: (0..40).map(|index| format!("label{index}")).collect(),
        budget: Some(100),
    };
    for _ in 0..8 {
        let from_json_patch = LabelledPatch::from_json_patch(
            &base,
            &operations(json!([{"op": "remove", "path": "/budget"}])),
        )
        .unwrap();
        let from_scim = LabelledPatch::from_scim_patch(
            &base,
            &scim(json!([{"op": "remove", "path": "budget"}])),
        )
        .unwrap();
        for patch in [from_json_patch, from_scim] {
            assert_eq!(patch, LabelledPatch::new().clear_budget());
        }
    }
}

/// A model with what its JSON does not show: a field that it never writes, and a `None` that
/// it leaves out whose serde default is `Some`.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Account {
    name: String,
    #[serde(default, skip_serializing)]
    password_hash: String,
    #[serde(default = "ten", skip_serializing_if = "Option::is_none")]
    budget: Option<u64>,
}

/// Review 126: the patch was the diff from the model to the changed JSON read as the model,
/// which reads what the JSON does not show as its default: every JSON Patch or SCIM message,
/// `[]` too, wiped the never-written password hash (`Some("")`) and set the `None` budget to
/// its default (`Value(10)`), attributes that no operation named. Those that the operations
/// set are still set.
#[test]
fn what_the_json_does_not_show_is_left_as_it_is() {
    let base = Account {
        name: "Apollo".into(),
        password_hash: "hash".into(),
        budget: None,
    };
    let cases = [
        (json!([]), AccountPatch::new()),
        (
            json!([{"op": "replace", "path": "/name", "value": "Gemini"}]),
            AccountPatch::new().name("Gemini".to_owned()),
        ),
        (
            json!([{"op": "add", "path": "/password_hash", "value": "new"}]),
            AccountPatch::new().password_hash("new".to_owned()),
        ),
        (
            json!([{"op": "add", "path": "/budget", "value": 3}]),
            AccountPatch::new().budget(3),
        ),
    ];
    for (json_patch, expected) in cases {
        let patch = AccountPatch::from_json_patch(&base, &operations(json_patch.clone())).unwrap();
        assert_eq!(patch, expected, "{json_patch}");
    }
    let patch = AccountPatch::from_scim_patch(
        &base,
        &scim(json!([{"op": "replace", "path": "name", "value": "Gemini"}])),
    )
    .unwrap();
    assert_eq!(patch, AccountPatch::new().name("Gemini".to_owned()));
    let mut applied = base.clone();
    applied.apply(patch).unwrap();
    assert_eq!(
        (applied.password_hash.as_str(), applied.budget),
        ("hash", None)
    );
}

/// A model that never writes a field it requires: `skip_serializing` without a serde
/// `default`.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Credential {
    name: String,
    #[serde(skip_serializing)]
    password_hash: String,
}

/// A model whose `#[serde(skip_serializing)]` field has no `#[serde(default)]` cannot be read
/// back from its own JSON, so every JSON Patch or SCIM message, `[]` too, is refused: the error
/// was serde's bare ``missing field `password_hash` ``, which does not say why (review 129's
/// new user). It says that the model's JSON does not carry the field, and what to do.
#[test]
fn a_model_that_never_writes_a_required_field_is_refused_saying_why() {
    let base = Credential {
        name: "Apollo".into(),
        password_hash: "hash".into(),
    };
    let said = [
        CredentialPatch::from_json_patch(&base, &operations(json!([])))
            .unwrap_err()
            .to_string(),
        CredentialPatch::from_scim_patch(
            &base,
            &scim(json!([{"op": "replace", "path": "name", "value": "Gemini"}])),
        )
        .unwrap_err()
        .to_string(),
    ];
    for text in said {
        assert!(
            text.contains(
                "the model's own JSON does not carry the field `password_hash` (missing field \
                 `password_hash`)"
            ),
            "{text}"
        );
        assert!(text.contains("#[serde(skip_serializing)]"), "{text}");
        assert!(
            text.contains("give the field `#[serde(default)]`"),
            "{text}"
        );
    }
    // Operations that set the field give a JSON that reads as the model.
    let set = json!([{"op": "add", "path": "/password_hash", "value": "new"}]);
    assert_eq!(
        CredentialPatch::from_json_patch(&base, &operations(set)).unwrap(),
        CredentialPatch::new().password_hash("new".to_owned())
    );
}

/// The same field with `#[serde(default)]`, as the error above and docs/attributes advise: the
/// typed readings then leave it as the base holds it (the patch does not touch it) unless an
/// operation sets it (docs/attributes, "serde attributes").
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct DefaultedCredential {
    name: String,
    #[serde(skip_serializing, default)]
    password_hash: String,
}

#[test]
fn a_never_written_field_with_a_default_is_left_as_the_base_holds_it() {
    let base = DefaultedCredential {
        name: "Apollo".into(),
        password_hash: "hash".into(),
    };
    assert_eq!(
        DefaultedCredentialPatch::from_json_patch(&base, &operations(json!([]))).unwrap(),
        DefaultedCredentialPatch::new()
    );
    let rename = DefaultedCredentialPatch::new().name("Gemini");
    assert_eq!(
        DefaultedCredentialPatch::from_json_patch(
            &base,
            &operations(json!([{"op": "replace", "path": "/name", "value": "Gemini"}]))
        )
        .unwrap(),
        rename
    );
    assert_eq!(
        DefaultedCredentialPatch::from_scim_patch(
            &base,
            &scim(json!([{"op": "replace", "path": "name", "value": "Gemini"}]))
        )
        .unwrap(),
        rename
    );
    let mut applied = base.clone();
    applied.apply(rename).unwrap();
    assert_eq!(applied.password_hash, "hash");
    // An operation that sets it sets it.
    let set = json!([{"op": "add", "path": "/password_hash", "value": "new"}]);
    assert_eq!(
        DefaultedCredentialPatch::from_json_patch(&base, &operations(set)).unwrap(),
        DefaultedCredentialPatch::new().password_hash("new".to_owned())
    );
}

fn hundred() -> u64 {
    100
}

fn untitled() -> String {
    "untitled".into()
}

/// `null` read as `0`, as serde_with's `DefaultOnNull` reads it.
fn null_as_zero<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    Ok(Option::<u64>::deserialize(deserializer)?.unwrap_or(0))
}

/// A struct sent whole (no `nested`): its members with serde defaults are read inside it. The
/// names sort in declaration order, so that serde_json's map visits them in that order with
/// or without `preserve_order`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Sheet {
    #[serde(default = "untitled")]
    a_title: String,
    #[serde(default = "ten", skip_serializing_if = "Option::is_none")]
    b_budget: Option<u64>,
}

// The feature `schemars` (on in the tests) asks every field type for its schema.
impl schemars::JsonSchema for Sheet {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Sheet".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "object"})
    }
}

/// A struct sent whole whose reading ties its members: without `a_budget`, `b_note` is
/// `"unfunded"`, whatever the JSON says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "LedgerText")]
struct Ledger {
    a_budget: Option<u64>,
    b_note: String,
}

#[derive(Deserialize)]
struct LedgerText {
    #[serde(default = "ten")]
    a_budget: Option<u64>,
    #[serde(default)]
    b_note: String,
}

impl From<LedgerText> for Ledger {
    fn from(text: LedgerText) -> Self {
        Ledger {
            b_note: match text.a_budget {
                Some(_) => text.b_note,
                None => "unfunded".into(),
            },
            a_budget: text.a_budget,
        }
    }
}

impl schemars::JsonSchema for Ledger {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Ledger".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "object"})
    }
}

/// `cap` reads `null` as `0`, not as a clear.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Quota {
    sheet: Sheet,
    ledger: Ledger,
    #[serde(default = "hundred", deserialize_with = "null_as_zero")]
    cap: u64,
}

fn quota() -> Quota {
    Quota {
        sheet: Sheet {
            a_title: "Plan".into(),
            b_budget: Some(50),
        },
        ledger: Ledger {
            a_budget: Some(50),
            b_note: "Q3".into(),
        },
        cap: 7,
    }
}

/// Inside a struct sent whole, a removed member that reads no `null` keeps its serde
/// default, and a nullable one removed beside it is still read as a clear: the one that
/// cannot be read as `null` does not stop the others.
#[test]
fn a_removal_that_reads_no_null_does_not_stop_the_clear_beside_it() {
    let patch = QuotaPatch::from_json_patch(
        &quota(),
        &operations(json!([
            {"op": "remove", "path": "/sheet/a_title"},
            {"op": "remove", "path": "/sheet/b_budget"},
        ])),
    )
    .unwrap();
    let sheet = Sheet {
        a_title: untitled(),
        b_budget: None,
    };
    assert_eq!(patch, QuotaPatch::new().sheet(sheet));
}

/// A removed attribute whose type reads `null` as a value (`0`), not as a clear, keeps its
/// serde default: a member is read as `null` only where that reading clears it.
#[test]
fn a_removal_whose_null_reads_as_a_value_keeps_the_serde_default() {
    let patch = QuotaPatch::from_json_patch(
        &quota(),
        &operations(json!([{"op": "remove", "path": "/cap"}])),
    )
    .unwrap();
    assert_eq!(patch, QuotaPatch::new().cap(100_u64));
}

/// A removed member whose reading as `null` would change another member too (here a struct
/// whose reading ties its members) keeps its serde default: a member is read as `null` only
/// where that reading changes it alone.
#[test]
fn a_removal_whose_null_would_change_another_member_keeps_the_serde_default() {
    let patch = QuotaPatch::from_json_patch(
        &quota(),
        &operations(json!([{"op": "remove", "path": "/ledger/a_budget"}])),
    )
    .unwrap();
    let ledger = Ledger {
        a_budget: Some(10),
        b_note: "Q3".into(),
    };
    assert_eq!(patch, QuotaPatch::new().ledger(ledger));
}

/// An element whose `None` its JSON leaves out, and whose serde default is `Some`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Login {
    #[serde(rename = "type")]
    kind: String,
    #[serde(
        default = "primary_by_default",
        skip_serializing_if = "Option::is_none"
    )]
    primary: Option<bool>,
}

impl schemars::JsonSchema for Login {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Login".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "object", "required": ["type"]})
    }
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Member {
    name: String,
    #[patchable(key = "type")]
    logins: Vec<Login>,
    devices: Vec<Login>,
    extra: serde_json::Value,
}

fn member() -> Member {
    let login = |kind: &str, primary| Login {
        kind: kind.into(),
        primary,
    };
    Member {
        name: "Ada".into(),
        logins: vec![login("work", None), login("home", Some(false))],
        devices: vec![login("phone", None), login("laptop", Some(false))],
        extra: json!({"locked": null}),
    }
}

/// An element's `None` that its JSON leaves out is kept, as at the top level, where a change to
/// the array sends other elements whole: removing `home` through a filter (SCIM) or by its
/// index (JSON Patch) set `work`'s `primary` to its serde default, `true`, which no operation
/// named (review 130).
#[test]
fn an_element_removal_leaves_the_hidden_none_of_the_others_in_a_keyed_array() {
    let base = member();
    let message = scim(json!([{"op": "remove", "path": "logins[primary eq false]"}]));
    let mut applied = base.clone();
    applied
        .apply(MemberPatch::from_scim_patch(&base, &message).unwrap())
        .unwrap();
    assert_eq!(applied.logins, base.logins[..1]);

    let body = operations(json!([{"op": "remove", "path": "/logins/1"}]));
    let mut applied = base.clone();
    applied
        .apply(MemberPatch::from_json_patch(&base, &body).unwrap())
        .unwrap();
    assert_eq!(applied.logins, base.logins[..1]);
}

/// The same in an array that is not keyed, written whole, element by element where it keeps
/// its length.
#[test]
fn a_change_beside_a_hidden_none_in_an_array_leaves_it() {
    let base = member();
    let body = operations(json!([{"op": "replace", "path": "/devices/1/primary", "value": true}]));
    let mut applied = base.clone();
    applied
        .apply(MemberPatch::from_json_patch(&base, &body).unwrap())
        .unwrap();
    assert_eq!(applied.devices[0], base.devices[0]);
    assert_eq!(applied.devices[1].primary, Some(true));
}

/// A `null` that `base` holds inside untyped JSON is no `null` that the operations set, also
/// beside an element's hidden `None`, which the check read again as its serde default.
#[test]
fn a_null_held_in_untyped_json_beside_a_hidden_none_is_no_change() {
    let base = member();
    assert!(MemberPatch::from_json_patch(&base, &[]).unwrap().is_empty());
    let body = operations(json!([{"op": "add", "path": "/extra/since", "value": 1}]));
    let mut applied = base.clone();
    applied
        .apply(MemberPatch::from_json_patch(&base, &body).unwrap())
        .unwrap();
    assert_eq!(applied.extra, json!({"locked": null, "since": 1}));
    assert_eq!(applied.logins, base.logins);
}

/// A SCIM user as rust-scim writes it: `emails` is required (a `Vec`), and its serde default
/// reads a document without the member as `[]`. `phones` leaves an empty list out of its JSON.
/// `emails` comes first, so that a refusal of both names `emails` first in either key order
/// (with or without `preserve_order`) unless it reads as its default.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ScimContact {
    #[serde(default)]
    emails: Vec<Email>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    phones: Vec<String>,
    user_name: String,
    nick_name: Option<String>,
}

fn scim_contact() -> ScimContact {
    ScimContact {
        emails: person().emails,
        phones: vec!["+1 555 0100".into()],
        user_name: "bjensen".into(),
        nick_name: Some("Babs".into()),
    }
}

/// Review 141 (rust-scim's user): a `remove` of a top-level required attribute that the
/// model's serde default fills was refused, ``invalid value: null for `emails`, a required
/// attribute that cannot be cleared``, where the model reads the document without the member
/// as `[]` (RFC 6902 §4.2: the member is gone), and a SCIM `remove` of a multi-valued
/// attribute without a filter removes all its values (RFC 7644 §3.5.2.2). It reads as the
/// default, as a nested one does.
#[test]
fn a_removal_of_a_required_attribute_with_a_serde_default_reads_as_the_default() {
    let base = scim_contact();
    let expected = ScimContactPatch::new().emails(Vec::new());
    let from_scim = ScimContactPatch::from_scim_patch(
        &base,
        &scim(json!([{"op": "remove", "path": "emails"}])),
    )
    .unwrap();
    let from_json_patch = ScimContactPatch::from_json_patch(
        &base,
        &operations(json!([{"op": "remove", "path": "/emails"}])),
    )
    .unwrap();
    for patch in [from_scim, from_json_patch] {
        assert_eq!(patch, expected);
        let mut applied = base.clone();
        applied.apply(patch).unwrap();
        assert_eq!(
            applied,
            ScimContact {
                emails: Vec::new(),
                ..base.clone()
            }
        );
    }
    // One that the model leaves out of its JSON when empty, beside other changes.
    let from_scim = ScimContactPatch::from_scim_patch(
        &base,
        &scim(json!([
            {"op": "remove", "path": "phones"},
            {"op": "remove", "path": "nickName"},
            {"op": "replace", "path": "userName", "value": "bj"},
        ])),
    )
    .unwrap();
    let from_json_patch = ScimContactPatch::from_json_patch(
        &base,
        &operations(json!([
            {"op": "remove", "path": "/phones"},
            {"op": "remove", "path": "/nickName"},
            {"op": "replace", "path": "/userName", "value": "bj"},
        ])),
    )
    .unwrap();
    let expected = ScimContactPatch::new()
        .phones(Vec::<String>::new())
        .clear_nick_name()
        .user_name("bj");
    assert_eq!(from_scim, expected);
    assert_eq!(from_json_patch, expected);
}

/// A required attribute without a serde default is still refused, also beside a removal that
/// the serde default fills, and the error names it, not the attribute that reads as its
/// default.
#[test]
fn a_removal_of_a_required_attribute_without_a_serde_default_is_still_refused() {
    let base = scim_contact();
    let said = [
        ScimContactPatch::from_scim_patch(
            &base,
            &scim(json!([
                {"op": "remove", "path": "emails"},
                {"op": "remove", "path": "userName"},
            ])),
        )
        .unwrap_err()
        .to_string(),
        ScimContactPatch::from_json_patch(
            &base,
            &operations(json!([
                {"op": "remove", "path": "/emails"},
                {"op": "remove", "path": "/userName"},
            ])),
        )
        .unwrap_err()
        .to_string(),
        ScimContactPatch::from_json_patch(
            &base,
            &operations(json!([{"op": "remove", "path": "/userName"}])),
        )
        .unwrap_err()
        .to_string(),
    ];
    for text in said {
        assert!(
            text.contains(
                "invalid value: null for `userName`, a required attribute that cannot be cleared"
            ),
            "{text}"
        );
    }
    // The merge patch cannot say "the default": its `null` is still refused (send `[]`).
    let error = serde_json::from_value::<ScimContactPatch>(json!({"emails": null})).unwrap_err();
    assert!(
        error.to_string().contains(
            "invalid value: null for `emails`, a required attribute that cannot be cleared"
        ),
        "{error}"
    );
    // Another fault beside the removal is the one named.
    let error = ScimContactPatch::from_json_patch(
        &base,
        &operations(json!([
            {"op": "remove", "path": "/emails"},
            {"op": "replace", "path": "/userName", "value": 5},
        ])),
    )
    .unwrap_err()
    .to_string();
    // (`integer `5`` without serde_json's `arbitrary_precision`, `number` with it.)
    assert!(
        error.contains("at `userName`: invalid type: ") && error.contains(", expected a string"),
        "{error}"
    );
}

fn starter_tags() -> Vec<String> {
    vec!["new".into(), "unsorted".into()]
}

/// Field-level `default = "..."` on required attributes: the removal reads the default that
/// the path gives, not an empty value.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Board {
    #[serde(default = "untitled")]
    title: String,
    #[serde(default = "starter_tags")]
    tags: Vec<String>,
    #[serde(default = "hundred")]
    limit: u64,
    owner: String,
}

#[test]
fn a_removal_of_a_required_attribute_reads_its_default_path() {
    let base = Board {
        title: "Roadmap".into(),
        tags: vec!["q3".into()],
        limit: 7,
        owner: "ada".into(),
    };
    let expected = BoardPatch::new()
        .title(untitled())
        .tags(starter_tags())
        .limit(100_u64);
    let from_json_patch = BoardPatch::from_json_patch(
        &base,
        &operations(json!([
            {"op": "remove", "path": "/title"},
            {"op": "remove", "path": "/tags"},
            {"op": "move", "from": "/limit", "path": "/spare"},
            {"op": "remove", "path": "/spare"},
        ])),
    )
    .unwrap();
    let from_scim = BoardPatch::from_scim_patch(
        &base,
        &scim(json!([
            {"op": "remove", "path": "title"},
            {"op": "remove", "path": "tags"},
            {"op": "remove", "path": "limit"},
        ])),
    )
    .unwrap();
    for patch in [from_json_patch, from_scim] {
        assert_eq!(patch, expected);
    }
    let error =
        BoardPatch::from_scim_patch(&base, &scim(json!([{"op": "remove", "path": "owner"}])))
            .unwrap_err()
            .to_string();
    assert!(error.contains("invalid value: null for `owner`"), "{error}");
}

/// The struct's `#[serde(default)]` fills every missing member from `Default`, required ones
/// too.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Preferences {
    language: String,
    page_size: u32,
    shortcuts: Vec<String>,
    signature: Option<String>,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences {
            language: "en".into(),
            page_size: 25,
            shortcuts: vec!["ctrl+k".into()],
            signature: Some("--".into()),
        }
    }
}

#[test]
fn a_removal_under_the_struct_default_reads_the_default_of_a_required_attribute() {
    let base = Preferences {
        language: "fr".into(),
        page_size: 50,
        shortcuts: Vec::new(),
        signature: Some("A.".into()),
    };
    let expected = PreferencesPatch::new()
        .language("en")
        .page_size(25_u32)
        .shortcuts(vec!["ctrl+k".to_owned()])
        .clear_signature();
    let from_json_patch = PreferencesPatch::from_json_patch(
        &base,
        &operations(json!([
            {"op": "remove", "path": "/language"},
            {"op": "remove", "path": "/pageSize"},
            {"op": "remove", "path": "/shortcuts"},
            {"op": "remove", "path": "/signature"},
        ])),
    )
    .unwrap();
    let from_scim = PreferencesPatch::from_scim_patch(
        &base,
        &scim(json!([
            {"op": "remove", "path": "language"},
            {"op": "remove", "path": "pageSize"},
            {"op": "remove", "path": "shortcuts"},
            {"op": "remove", "path": "signature"},
        ])),
    )
    .unwrap();
    for patch in [from_json_patch, from_scim] {
        assert_eq!(patch, expected);
        let mut applied = base.clone();
        applied.apply(patch).unwrap();
        assert_eq!(
            applied,
            Preferences {
                signature: None,
                ..Preferences::default()
            }
        );
    }
}

/// A model whose own JSON does not read back (a `serialize_with` that writes a number as
/// text): an operation elsewhere is refused with that said, not with serde's error at the
/// member left as it was (mutation audit 148: the first reading of the change, which
/// takes the members that changed, taking the unchanged ones too changed no test).
#[test]
fn an_unchanged_member_that_does_not_read_back_is_said_so() {
    fn as_text<S: serde::Serializer>(count: &u32, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&count.to_string())
    }
    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Counter {
        name: String,
        #[serde(serialize_with = "as_text")]
        count: u32,
    }
    let base = Counter {
        name: "a".into(),
        count: 3,
    };
    let replace = operations(json!([{"op": "replace", "path": "/name", "value": "b"}]));
    let error = CounterPatch::from_json_patch(&base, &replace)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("the model's own JSON does not read back as the model"),
        "{error}"
    );
}
