//! A serde `alias` below an array's element in the JSON Patch paths that
//! `Patch::from_json_patch` reads (RFC 6902): `/emails/0/address` for the element's field
//! `value` (alias `address`), in a keyed array (`#[patchable(key = "type")]`, whose elements
//! the patch holds whole, read by the element type's own `Deserialize`), in a plain array, and
//! in a keyed array inside a nested patch. Each operation works on the field, and one
//! attribute of one element named under two spellings is refused, both named, as at the top
//! level (`tests/dialect_alias_paths.rs`).

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::{JsonPatchOperation, Patch, Patchable};

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
struct Contact {
    #[patchable(key = "type")]
    emails: Vec<Email>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Person {
    #[patchable(key = "type")]
    emails: Vec<Email>,
    #[serde(default)]
    old_emails: Vec<Email>,
    #[patchable(nested)]
    contact: Contact,
}

fn email(kind: &str, value: &str, display: Option<&str>) -> Email {
    Email {
        r#type: kind.into(),
        value: value.into(),
        display: display.map(Into::into),
    }
}

fn emails() -> Vec<Email> {
    vec![
        email("work", "ada@work.example", Some("Work")),
        email("home", "ada@home.example", None),
    ]
}

fn ada() -> Person {
    Person {
        emails: emails(),
        old_emails: emails(),
        contact: Contact { emails: emails() },
    }
}

fn json_patch(operations: Value) -> Result<PersonPatch, String> {
    let operations: Vec<JsonPatchOperation> = serde_json::from_value(operations).unwrap();
    PersonPatch::from_json_patch(&ada(), &operations).map_err(|error| error.to_string())
}

/// `emails()` with `change` made.
fn changed(change: impl FnOnce(&mut Vec<Email>)) -> Vec<Email> {
    let mut emails = emails();
    change(&mut emails);
    emails
}

#[test]
fn an_alias_below_an_element_is_the_elements_field() {
    let work_value = changed(|emails| emails[0].value = "a@x".into());
    let cases = [
        (
            json!([{"op": "replace", "path": "/emails/0/address", "value": "a@x"}]),
            PersonPatch::new().emails(work_value.clone()),
        ),
        (
            json!([{"op": "add", "path": "/emails/0/address", "value": "a@x"}]),
            PersonPatch::new().emails(work_value.clone()),
        ),
        (
            json!([{"op": "remove", "path": "/emails/0/label"}]),
            PersonPatch::new().emails(changed(|emails| emails[0].display = None)),
        ),
        (
            json!([{"op": "test", "path": "/emails/0/label", "value": "Work"},
                   {"op": "test", "path": "/emails/1/address", "value": "ada@home.example"}]),
            PersonPatch::new(),
        ),
        (
            json!([{"op": "move", "from": "/emails/0/label", "path": "/emails/1/label"}]),
            PersonPatch::new().emails(changed(|emails| {
                emails[1].display = emails[0].display.take();
            })),
        ),
        (
            json!([{"op": "copy", "from": "/emails/1/address", "path": "/emails/0/address"}]),
            PersonPatch::new().emails(changed(|emails| emails[0].value = emails[1].value.clone())),
        ),
        // A plain array, and a keyed array inside a nested patch.
        (
            json!([{"op": "replace", "path": "/old_emails/0/address", "value": "a@x"}]),
            PersonPatch::new().old_emails(work_value.clone()),
        ),
        (
            json!([{"op": "replace", "path": "/contact/emails/0/address", "value": "a@x"}]),
            PersonPatch::new().contact(ContactPatch::new().emails(work_value)),
        ),
        (
            json!([{"op": "remove", "path": "/contact/emails/0/label"}]),
            PersonPatch::new()
                .contact(ContactPatch::new().emails(changed(|emails| emails[0].display = None))),
        ),
    ];
    for (operations, expected) in cases {
        assert_eq!(json_patch(operations.clone()), Ok(expected), "{operations}");
    }
}

#[test]
fn one_field_of_one_element_under_two_spellings_is_refused() {
    for (paths, at, a, b) in [
        (
            ["/emails/0/address", "/emails/0/value"],
            "emails.0",
            "address",
            "value",
        ),
        (
            ["/emails/1/label", "/emails/1/display"],
            "emails.1",
            "display",
            "label",
        ),
        (
            ["/contact/emails/0/address", "/contact/emails/0/value"],
            "contact.emails.0",
            "address",
            "value",
        ),
    ] {
        let operations = json!([{"op": "add", "path": paths[0], "value": "x"},
                                {"op": "add", "path": paths[1], "value": "y"}]);
        let error = json_patch(operations.clone()).unwrap_err();
        let expected = format!(
            "at `{at}`: `{a}` and `{b}` name one attribute (a field's name and its serde alias, \
             or two aliases): the operations may name it one way only"
        );
        assert!(error.ends_with(&expected), "{operations}: {error}");
    }
    // Two elements: two attributes.
    let operations = json!([{"op": "replace", "path": "/emails/0/address", "value": "x"},
                            {"op": "replace", "path": "/emails/1/value", "value": "y"}]);
    let expected = changed(|emails| {
        emails[0].value = "x".into();
        emails[1].value = "y".into();
    });
    assert_eq!(
        json_patch(operations),
        Ok(PersonPatch::new().emails(expected))
    );
}
