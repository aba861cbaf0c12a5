//! Two diffs taken from one snapshot, composed with `Patch::then` (docs/apply_and_diff,
//! "Composing patches"): they are not edits in turn. Where only one of them changes an
//! attribute, the composed patch keeps that change; where both change an array, keyed or
//! not, each is sent whole (RFC 7396 §2), so the composed patch holds the second's array and
//! the first's change to it is lost. Composing the edits, or diffing from the latest state,
//! keeps both.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sparse_patch::{Patch, Patchable};

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Email {
    r#type: String,
    value: String,
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
struct Address {
    street: Option<String>,
    city: Option<String>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Contact {
    #[patchable(nested)]
    address: Address,
    nickname: Option<String>,
    title: Option<String>,
    labels: BTreeMap<String, String>,
    #[patchable(key = "type")]
    emails: Vec<Email>,
}

fn email(kind: &str, value: &str) -> Email {
    Email {
        r#type: kind.into(),
        value: value.into(),
    }
}

#[test]
fn diffs_of_one_snapshot_keep_separate_attributes_and_the_second_array() {
    let base = Contact {
        address: Address {
            street: Some("1 Main St".into()),
            city: Some("Springfield".into()),
        },
        nickname: None,
        title: None,
        labels: BTreeMap::from([("team".to_owned(), "a".to_owned())]),
        emails: vec![email("work", "w@example.com")],
    };
    // One client adds a home address and a nickname; another changes the work address, the
    // title and a label.
    let mut first = base.clone();
    first.nickname = Some("Dave".into());
    first.address.street = Some("2 Elm St".into());
    first.emails.push(email("home", "h@example.com"));
    let mut second = base.clone();
    second.title = Some("Dr".into());
    second.address.city = Some("Shelbyville".into());
    second.labels.insert("team".into(), "b".into());
    second.emails[0].value = "new@example.com".into();

    let composed = base.diff(&first).then(base.diff(&second)).unwrap();
    let mut model = base.clone();
    model.apply(composed).unwrap();
    assert_eq!(model.nickname.as_deref(), Some("Dave"));
    assert_eq!(model.title.as_deref(), Some("Dr"));
    assert_eq!(model.labels["team"], "b");
    assert_eq!(
        model.address,
        Address {
            street: Some("2 Elm St".into()),
            city: Some("Shelbyville".into()),
        }
    );
    // The second's array whole: the first's home address is lost.
    assert_eq!(model.emails, second.emails);

    // Diffing from the latest state keeps both.
    let mut latest = base.clone();
    latest.apply(base.diff(&first)).unwrap();
    let mut both = latest.clone();
    both.title = second.title.clone();
    both.address.city = second.address.city.clone();
    both.labels = second.labels.clone();
    both.emails[0].value = "new@example.com".into();
    let composed = base.diff(&first).then(latest.diff(&both)).unwrap();
    let mut model = base.clone();
    model.apply(composed).unwrap();
    assert_eq!(model, both);
    assert_eq!(
        model.emails,
        [
            email("work", "new@example.com"),
            email("home", "h@example.com")
        ]
    );
}
