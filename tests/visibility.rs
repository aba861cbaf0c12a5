//! The patch has the model's visibility, each patch field its model field's, and setters the
//! patch's, so that a model with private fields can still be patched from outside its module.

mod accounts {
    use sparse_patch::Patchable;

    /// A model whose fields are private.
    #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    pub struct Account {
        email: String,
        pub nickname: Option<String>,
        pub(crate) note: Option<String>,
    }

    impl Account {
        pub fn new(email: &str) -> Self {
            Account {
                email: email.into(),
                nickname: None,
                note: None,
            }
        }

        pub fn email(&self) -> &str {
            &self.email
        }
    }
}

/// An empty struct and a struct whose fields are all skipped have empty patches.
#[derive(
    sparse_patch::Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize,
)]
struct Empty {}

#[derive(
    sparse_patch::Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize,
)]
struct AllSkipped {
    #[patchable(skip)]
    id: u64,
}

#[test]
fn private_fields_are_reachable_through_setters() {
    use sparse_patch::Patchable;
    let mut account = accounts::Account::new("a@example.com");
    let patch = accounts::AccountPatch::new()
        .email("b@example.com")
        .nickname("B")
        .note("n");
    assert_eq!(patch.nickname, sparse_patch::Field::Value("B".into()));
    assert_eq!(patch.note, sparse_patch::Field::Value("n".into()));
    account.apply(patch).unwrap();
    assert_eq!(account.email(), "b@example.com");
    assert_eq!(account.nickname.as_deref(), Some("B"));
}

#[test]
fn empty_models() {
    use sparse_patch::{FromPatch, Patchable};
    assert_eq!(serde_json::to_string(&EmptyPatch::new()).unwrap(), "{}");
    assert!(EmptyPatch::new().is_empty());
    let mut empty = Empty {};
    empty.apply(EmptyPatch::new()).unwrap();
    assert!(empty.diff(&Empty {}).is_empty());
    let read: AllSkippedPatch = serde_json::from_str(r#"{"id": 3}"#).unwrap();
    assert!(read.is_empty());
    assert_eq!(AllSkipped::from_patch(read).unwrap(), AllSkipped { id: 0 });
}
