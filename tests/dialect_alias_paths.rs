//! A path that names a field by a serde `alias` in the dialects' typed readers
//! (`Patch::from_json_patch`, RFC 6902; `Patch::from_scim_patch`, RFC 7644 §3.5.2): the alias
//! names the field, as the merge patch's reading takes it (`{"first_name": "Bea"}` sets
//! `givenName`), at the top level, in a nested patch and inside an attribute held whole. One
//! attribute named under two spellings in one change is refused, both spellings named. Before,
//! `add /first_name` left `givenName` and `first_name` side by side in the model's JSON, and
//! the reading said ``duplicate field `givenName` ``; `replace` and `remove` at the alias were
//! refused as a missing path (JSON Patch) or removed nothing (SCIM).

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::{JsonPatchOperation, Patch, Patchable};

#[path = "support/scim_message.rs"]
mod scim_message;
use scim_message::message;

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Name {
    #[serde(rename = "familyName", alias = "last_name")]
    family_name: Option<String>,
}

/// Held whole by the patch (not `nested`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Address {
    #[serde(rename = "streetAddress", alias = "street")]
    street_address: String,
    locality: String,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Person {
    #[serde(rename = "givenName", alias = "first_name", alias = "fname")]
    given_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", alias = "job")]
    title: Option<String>,
    #[patchable(nested)]
    name: Name,
    #[schemars(with = "serde_json::Value")]
    address: Address,
}

fn ada() -> Person {
    Person {
        given_name: Some("Ada".into()),
        title: None,
        name: Name {
            family_name: Some("Lovelace".into()),
        },
        address: Address {
            street_address: "1 Main St".into(),
            locality: "London".into(),
        },
    }
}

fn json_patch(operations: Value) -> Result<PersonPatch, String> {
    let operations: Vec<JsonPatchOperation> = serde_json::from_value(operations).unwrap();
    PersonPatch::from_json_patch(&ada(), &operations).map_err(|error| error.to_string())
}

fn scim(operations: Value) -> Result<PersonPatch, String> {
    PersonPatch::from_scim_patch(&ada(), &message(operations)).map_err(|error| error.to_string())
}

fn moved_street() -> PersonPatch {
    PersonPatch::new().address(Address {
        street_address: "2 Side St".into(),
        locality: "London".into(),
    })
}

#[test]
fn a_json_patch_path_at_an_alias_is_one_at_the_field() {
    let bea = PersonPatch::new().given_name("Bea");
    let byron = PersonPatch::new().name(NamePatch::new().family_name("Byron"));
    for (operations, expected) in [
        (
            json!([{"op": "add", "path": "/first_name", "value": "Bea"}]),
            &bea,
        ),
        (
            json!([{"op": "replace", "path": "/fname", "value": "Bea"}]),
            &bea,
        ),
        (
            json!([{"op": "test", "path": "/first_name", "value": "Ada"},
                   {"op": "replace", "path": "/first_name", "value": "Bea"}]),
            &bea,
        ),
        (
            json!([{"op": "remove", "path": "/first_name"}]),
            &PersonPatch::new().clear_given_name(),
        ),
        (
            json!([{"op": "copy", "from": "/first_name", "path": "/job"}]),
            &PersonPatch::new().title("Ada"),
        ),
        (
            json!([{"op": "move", "from": "/first_name", "path": "/job"}]),
            &PersonPatch::new().title("Ada").clear_given_name(),
        ),
        (
            json!([{"op": "add", "path": "/name/last_name", "value": "Byron"}]),
            &byron,
        ),
        (
            json!([{"op": "replace", "path": "/name/last_name", "value": "Byron"}]),
            &byron,
        ),
        (
            json!([{"op": "replace", "path": "/address/street", "value": "2 Side St"}]),
            &moved_street(),
        ),
        // Twice under one spelling: in order, as RFC 6902 §3 applies them.
        (
            json!([{"op": "add", "path": "/first_name", "value": "Cy"},
                   {"op": "add", "path": "/first_name", "value": "Bea"}]),
            &bea,
        ),
    ] {
        assert_eq!(
            json_patch(operations.clone()).as_ref(),
            Ok(expected),
            "{operations}"
        );
    }
}

#[test]
fn a_scim_path_or_member_at_an_alias_is_the_field() {
    let bea = PersonPatch::new().given_name("Bea");
    let byron = PersonPatch::new().name(NamePatch::new().family_name("Byron"));
    for (operations, expected) in [
        (
            json!([{"op": "add", "path": "first_name", "value": "Bea"}]),
            &bea,
        ),
        (
            json!([{"op": "replace", "path": "fname", "value": "Bea"}]),
            &bea,
        ),
        (json!([{"op": "add", "value": {"first_name": "Bea"}}]), &bea),
        (json!([{"op": "replace", "value": {"fname": "Bea"}}]), &bea),
        (
            json!([{"op": "remove", "path": "first_name"}]),
            &PersonPatch::new().clear_given_name(),
        ),
        (
            json!([{"op": "add", "path": "job", "value": "Analyst"}]),
            &PersonPatch::new().title("Analyst"),
        ),
        (
            json!([{"op": "add", "path": "name.last_name", "value": "Byron"}]),
            &byron,
        ),
        (
            json!([{"op": "add", "path": "name", "value": {"last_name": "Byron"}}]),
            &byron,
        ),
        (
            json!([{"op": "replace", "path": "address.street", "value": "2 Side St"}]),
            &moved_street(),
        ),
        (
            json!([{"op": "add", "path": "address", "value": {"street": "2 Side St"}}]),
            &moved_street(),
        ),
    ] {
        assert_eq!(
            scim(operations.clone()).as_ref(),
            Ok(expected),
            "{operations}"
        );
    }
}

/// The readers' words for one attribute named as `a` and as `b` (in this order of bytes).
fn two_spellings(at: &str, a: &str, b: &str) -> String {
    format!(
        "{at}`{a}` and `{b}` name one attribute (a field's name and its serde alias, or two \
         aliases): the operations may name it one way only"
    )
}

#[test]
fn one_attribute_under_two_spellings_is_refused_naming_both() {
    let cases = [
        (
            json!(["/first_name", "/givenName"]),
            "",
            "first_name",
            "givenName",
        ),
        (json!(["/first_name", "/fname"]), "", "first_name", "fname"),
        // `title` is absent from the model's JSON (`skip_serializing_if`).
        (json!(["/job", "/title"]), "", "job", "title"),
        (
            json!(["/name/last_name", "/name/familyName"]),
            "at `name`: ",
            "familyName",
            "last_name",
        ),
        (
            json!(["/address/street", "/address/streetAddress"]),
            "at `address`: ",
            "street",
            "streetAddress",
        ),
    ];
    for (paths, at, a, b) in cases {
        let [first, second] = [paths[0].as_str().unwrap(), paths[1].as_str().unwrap()];
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        let expected = two_spellings(at, a, b);
        let operations = json!([{"op": "add", "path": first, "value": "Bea"},
                                {"op": "add", "path": second, "value": "Cy"}]);
        let error = json_patch(operations.clone()).unwrap_err();
        assert!(error.ends_with(&expected), "{operations}: {error}");
        let dotted = |path: &str| path[1..].replace('/', ".");
        let operations = json!([{"op": "add", "path": dotted(first), "value": "Bea"},
                                {"op": "replace", "path": dotted(second), "value": "Cy"}]);
        let error = scim(operations.clone()).unwrap_err();
        assert!(error.ends_with(&expected), "{operations}: {error}");
    }
    // In one SCIM value, or a path and a value's member.
    for operations in [
        json!([{"op": "add", "value": {"first_name": "Bea", "givenName": "Cy"}}]),
        json!([{"op": "add", "path": "first_name", "value": "Bea"}, {"op": "add", "value": {"givenName": "Cy"}}]),
    ] {
        let error = scim(operations.clone()).unwrap_err();
        assert!(
            error.ends_with(&two_spellings("", "first_name", "givenName")),
            "{operations}: {error}"
        );
    }
    // An attribute that the model's JSON does not hold, set and removed (found by the laws of
    // tests/dialect_laws_serde_attributes.rs: the removal was lost).
    let expected = two_spellings("", "job", "title");
    let operations =
        json!([{"op": "add", "value": {"job": "Analyst"}}, {"op": "remove", "path": "title"}]);
    let error = scim(operations.clone()).unwrap_err();
    assert!(error.ends_with(&expected), "{operations}: {error}");
    let operations = json!([{"op": "add", "path": "/job", "value": "Analyst"}, {"op": "remove", "path": "/title"}]);
    let error = json_patch(operations.clone()).unwrap_err();
    assert!(error.ends_with(&expected), "{operations}: {error}");
}

/// The merge patch, read by the patch's own `Deserialize`, reads an alias as its field and
/// refuses a name beside its alias with serde's words (the field's name).
#[test]
fn the_merge_patch_reads_an_alias_as_serde_does() {
    let read = |merge: Value| {
        serde_json::from_value::<PersonPatch>(merge).map_err(|error| error.to_string())
    };
    assert_eq!(
        read(json!({"first_name": "Bea"})),
        Ok(PersonPatch::new().given_name("Bea"))
    );
    assert_eq!(
        read(json!({"name": {"last_name": "Byron"}})),
        Ok(PersonPatch::new().name(NamePatch::new().family_name("Byron")))
    );
    let error = read(json!({"first_name": "Bea", "givenName": "Cy"})).unwrap_err();
    assert_eq!(error, "duplicate field `givenName`");
}

/// A change of many names that the model's JSON does not hold is read as written once the
/// readings that tell an alias from another name are spent (their bound is checked by the
/// runtime's unit test `many_unknown_names_take_a_bounded_number_of_readings`).
#[test]
fn many_unknown_names_are_read_as_written() {
    let members: serde_json::Map<String, Value> =
        (0..2_000).map(|at| (format!("x{at}"), json!(at))).collect();
    assert_eq!(
        scim(json!([{"op": "add", "value": members}])),
        Ok(PersonPatch::new())
    );
    let operations: Vec<Value> = (0..2_000)
        .map(|at| json!({"op": "add", "path": format!("/x{at}"), "value": at}))
        .collect();
    assert_eq!(json_patch(Value::Array(operations)), Ok(PersonPatch::new()));
}
