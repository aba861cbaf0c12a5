//! A serde `alias` in the SCIM paths that `Patch::from_scim_patch` reads (RFC 7644 §3.5.2),
//! beyond the plain attribute paths of `tests/dialect_alias_paths.rs`: written in another case
//! (SCIM reads attribute names in any case, RFC 7643 §2.1 and RFC 7644 §3.10), in a value
//! filter (`emails[address eq "…"]`), in the sub-attribute after one
//! (`emails[type eq "work"].label`), and after a schema URN
//! (`urn:ietf:params:scim:schemas:core:2.0:User:first_name`, an extension's attribute). Before,
//! an alias was the field only as written and only in a path without a filter or a URN: a
//! `remove` at `First_Name`, at `emails[type eq "work"].label` or at
//! `urn:…:User:first_name` removed nothing, a filter on an alias matched no element
//! (`noTarget`), and `add First_Name` beside `remove givenName` was refused as serde's
//! ``duplicate field `givenName` ``, naming neither spelling of the message.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::{Patch, Patchable};

#[path = "support/scim_message.rs"]
mod scim_message;
use scim_message::message;

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Email {
    r#type: String,
    #[serde(alias = "address")]
    value: String,
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "label")]
    display: Option<String>,
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
struct Name {
    #[serde(rename = "familyName", alias = "last_name")]
    family_name: Option<String>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Enterprise {
    #[serde(rename = "employeeNumber", alias = "employee_number")]
    employee_number: Option<String>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct User {
    #[serde(rename = "givenName", alias = "first_name")]
    given_name: Option<String>,
    #[patchable(nested)]
    name: Name,
    #[patchable(key = "type")]
    emails: Vec<Email>,
    #[patchable(nested)]
    #[serde(rename = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")]
    enterprise: Enterprise,
}

const CORE: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn email(kind: &str, value: &str, display: Option<&str>) -> Email {
    Email {
        r#type: kind.into(),
        value: value.into(),
        display: display.map(Into::into),
    }
}

fn ada() -> User {
    User {
        given_name: Some("Ada".into()),
        name: Name {
            family_name: Some("Lovelace".into()),
        },
        emails: vec![
            email("work", "ada@work.example", Some("Work")),
            email("home", "ada@home.example", None),
        ],
        enterprise: Enterprise {
            employee_number: Some("7".into()),
        },
    }
}

fn scim(operations: Value) -> Result<UserPatch, String> {
    UserPatch::from_scim_patch(&ada(), &message(operations)).map_err(|error| error.to_string())
}

/// The patch that sets `emails` to `ada`'s with `change` made.
fn emails_changed(change: impl FnOnce(&mut Vec<Email>)) -> UserPatch {
    let mut emails = ada().emails;
    change(&mut emails);
    UserPatch::new().emails(emails)
}

fn check(cases: Vec<(Value, UserPatch)>) {
    for (operations, expected) in cases {
        assert_eq!(scim(operations.clone()), Ok(expected), "{operations}");
    }
}

#[test]
fn an_alias_in_another_case_is_the_field() {
    let cleared_family = UserPatch::new().name(NamePatch::new().clear_family_name());
    check(vec![
        (
            json!([{"op": "remove", "path": "First_Name"}]),
            UserPatch::new().clear_given_name(),
        ),
        (
            json!([{"op": "replace", "path": "FIRST_NAME", "value": "Bea"}]),
            UserPatch::new().given_name("Bea"),
        ),
        (
            json!([{"op": "remove", "path": "name.Last_Name"}]),
            cleared_family.clone(),
        ),
        // The attribute in another case than the resource's, its sub-attribute an alias.
        (
            json!([{"op": "remove", "path": "NAME.last_name"}]),
            cleared_family,
        ),
        // One spelling in two cases: one attribute, its operations in order.
        (
            json!([{"op": "add", "path": "First_Name", "value": "Cy"},
                   {"op": "add", "path": "first_NAME", "value": "Bea"}]),
            UserPatch::new().given_name("Bea"),
        ),
    ]);
}

#[test]
fn an_alias_in_another_case_beside_the_fields_name_is_refused() {
    let expected = "`first_name` and `givenName` name one attribute (a field's name and its \
                    serde alias, or two aliases): the operations may name it one way only";
    for operations in [
        // Was serde's ``duplicate field `givenName` ``.
        json!([{"op": "add", "path": "First_Name", "value": "Bea"},
               {"op": "remove", "path": "givenName"}]),
        json!([{"op": "remove", "path": "FIRST_NAME"},
               {"op": "add", "path": "givenName", "value": "Bea"}]),
    ] {
        let error = scim(operations.clone()).unwrap_err();
        assert!(error.ends_with(expected), "{operations}: {error}");
    }
}

#[test]
fn an_alias_in_a_filter_names_the_elements_member() {
    let work_to = |value: &str| emails_changed(|emails| emails[0].value = value.into());
    check(vec![
        (
            json!([{"op": "replace", "path": "emails[address eq \"ada@work.example\"].value", "value": "a@x"}]),
            work_to("a@x"),
        ),
        (
            json!([{"op": "replace", "path": "emails[ADDRESS eq \"ada@work.example\"]", "value": {"value": "a@x"}}]),
            work_to("a@x"),
        ),
        (
            json!([{"op": "remove", "path": "emails[label eq \"Work\"]"}]),
            emails_changed(|emails| {
                emails.remove(0);
            }),
        ),
        // Every operator, grouped and negated: `label pr` holds for the work email alone.
        (
            json!([{"op": "remove", "path": "emails[type eq \"home\" or (address sw \"ada@\" and not (Label pr))]"}]),
            emails_changed(|emails| {
                emails.remove(1);
            }),
        ),
    ]);
}

#[test]
fn an_alias_after_a_filter_is_the_elements_member() {
    check(vec![
        (
            json!([{"op": "remove", "path": "emails[type eq \"work\"].label"}]),
            emails_changed(|emails| emails[0].display = None),
        ),
        (
            json!([{"op": "replace", "path": "emails[type eq \"work\"].Label", "value": "Office"}]),
            emails_changed(|emails| emails[0].display = Some("Office".into())),
        ),
        (
            json!([{"op": "replace", "path": "emails[address eq \"ada@home.example\"].address", "value": "h@x"}]),
            emails_changed(|emails| emails[1].value = "h@x".into()),
        ),
        // After two filters, two elements: no attribute under two spellings.
        (
            json!([{"op": "replace", "path": "emails[type eq \"work\"].address", "value": "w@x"},
                   {"op": "replace", "path": "emails[type eq \"home\"].value", "value": "h@x"}]),
            emails_changed(|emails| {
                emails[0].value = "w@x".into();
                emails[1].value = "h@x".into();
            }),
        ),
    ]);
    // After one filter (its names read as the model's), one attribute under two spellings.
    for (operations, at, a, b) in [
        (
            json!([{"op": "replace", "path": "emails[type eq \"work\"].address", "value": "w@x"},
                   {"op": "remove", "path": "emails[type eq \"work\"].value"}]),
            "emails[type eq \"work\"]",
            "address",
            "value",
        ),
        (
            json!([{"op": "replace", "path": "emails[address eq \"ada@work.example\"].label", "value": "Office"},
                   {"op": "remove", "path": "emails[value eq \"ada@work.example\"].display"}]),
            "emails[value eq \"ada@work.example\"]",
            "display",
            "label",
        ),
    ] {
        let error = scim(operations.clone()).unwrap_err();
        let expected = format!(
            "at `{at}`: `{a}` and `{b}` name one attribute (a field's name and its serde alias, \
             or two aliases): the operations may name it one way only"
        );
        assert!(error.ends_with(&expected), "{operations}: {error}");
    }
}

#[test]
fn an_alias_after_a_schema_urn_is_the_field() {
    check(vec![
        (
            json!([{"op": "remove", "path": format!("{CORE}:first_name")}]),
            UserPatch::new().clear_given_name(),
        ),
        (
            json!([{"op": "replace", "path": format!("{CORE}:First_Name"), "value": "Bea"}]),
            UserPatch::new().given_name("Bea"),
        ),
        (
            json!([{"op": "remove", "path": format!("{CORE}:name.last_name")}]),
            UserPatch::new().name(NamePatch::new().clear_family_name()),
        ),
        (
            json!([{"op": "remove", "path": format!("{CORE}:emails[address eq \"ada@home.example\"]")}]),
            emails_changed(|emails| {
                emails.remove(1);
            }),
        ),
        // An extension's attribute (RFC 7643 §3.3).
        (
            json!([{"op": "remove", "path": format!("{ENTERPRISE}:employee_number")}]),
            UserPatch::new().enterprise(EnterprisePatch::new().clear_employee_number()),
        ),
        (
            json!([{"op": "replace", "path": format!("{ENTERPRISE}:Employee_Number"), "value": "8"}]),
            UserPatch::new().enterprise(EnterprisePatch::new().employee_number("8")),
        ),
    ]);
    let error = scim(json!([
        {"op": "add", "path": format!("{CORE}:first_name"), "value": "Bea"},
        {"op": "add", "path": "givenName", "value": "Cy"}
    ]))
    .unwrap_err();
    assert!(error.contains("`first_name` and `givenName`"), "{error}");
}

/// An alias that is another field's name in another case (`first_name` beside `First_Name`):
/// serde reads them as two fields, SCIM as one attribute. Each as written is its own field; a
/// third spelling (`FIRST_NAME`) is read as the reading of the applied change spells it, at the
/// top level a field's own name before an alias (see docs/dialects/README.md).
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Clash {
    #[serde(rename = "givenName", alias = "first_name")]
    given_name: Option<String>,
    #[serde(rename = "First_Name")]
    other: Option<String>,
}

#[test]
fn an_alias_that_is_another_fields_name_in_another_case_is_read_as_written() {
    let base = Clash {
        given_name: Some("Ada".into()),
        other: Some("Augusta".into()),
    };
    let read = |operations: Value| {
        ClashPatch::from_scim_patch(&base, &message(operations)).map_err(|error| error.to_string())
    };
    for (path, expected) in [
        ("first_name", ClashPatch::new().clear_given_name()),
        ("First_Name", ClashPatch::new().clear_other()),
        ("FIRST_NAME", ClashPatch::new().clear_other()),
    ] {
        assert_eq!(
            read(json!([{"op": "remove", "path": path}])),
            Ok(expected),
            "{path}"
        );
    }
    assert_eq!(
        read(json!([{"op": "add", "path": "FIRST_NAME", "value": "Bea"}])),
        Ok(ClashPatch::new().other("Bea"))
    );
}

/// One alias written by many operations at one place (`emails[type eq "…"].address`, element
/// by element) takes its readings once: the readings' bound (512 a change) was spent by the
/// first hundreds, and the later ones, left as written beside the held `value`, read as
/// serde's ``duplicate field `value` `` (``at `emails[230]` `` here).
#[test]
fn one_alias_after_many_filters_is_read_once() {
    let base = User {
        emails: (0..300)
            .map(|at| email(&format!("t{at}"), &format!("v{at}"), None))
            .collect(),
        ..ada()
    };
    let operations: Vec<Value> = (0..300)
        .map(|at| {
            json!({"op": "replace", "path": format!("emails[type eq \"t{at}\"].address"), "value": format!("w{at}")})
        })
        .collect();
    let patch = UserPatch::from_scim_patch(&base, &message(Value::Array(operations)));
    let mut expected = base.emails.clone();
    for (at, email) in expected.iter_mut().enumerate() {
        email.value = format!("w{at}");
    }
    let expected = UserPatch::new().emails(expected);
    assert_eq!(
        patch
            .map(|patch| patch == expected)
            .map_err(|error| error.to_string()),
        Ok(true)
    );
}
