//! A model's `#[expect(...)]`, and a field's, cover the patch as an `#[allow(...)]` of theirs
//! does: the patch repeats the model's names and fields, so it raises what they raise
//! (`missing_docs` at an undocumented field, `non_camel_case_types` at a C-style name,
//! clippy's `struct_field_names` at fields of one prefix). Found by review: only `allow` was
//! carried over, and crates that write `expect` (as clippy's `allow_attributes` asks) got the
//! lint at the `#[derive(Patchable)]` or at the field. An `expect` is not carried as an
//! `expect`, which the patch might leave unfulfilled.
#![deny(warnings, missing_docs)]
// Checked by `cargo clippy --all-targets`: the carried lints are no `allow` that
// `allow_attributes` reports.
#![deny(clippy::pedantic, clippy::allow_attributes)]

use serde::{Deserialize, Serialize};
use sparse_patch::Patchable;

/// Models whose lints the user expects.
pub mod expected {
    use super::{Deserialize, Patchable, Serialize};

    /// An undocumented field, expected at the field.
    #[derive(Patchable, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Account {
        /// Documented.
        pub name: String,
        #[expect(missing_docs, reason = "the server's own name")]
        pub nick: Option<String>,
    }

    /// Fields of one prefix (clippy's `struct_field_names`), expected at the struct.
    #[derive(Patchable, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[expect(clippy::struct_field_names)]
    pub struct Record {
        record_id: String,
        record_name: Option<String>,
        record_email: Option<String>,
    }

    /// A C-style name (rustc's `non_camel_case_types`, which the patch `user_tPatch` raises
    /// too), expected at the struct.
    #[derive(Patchable, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[expect(non_camel_case_types)]
    pub struct user_t {
        /// A nullable attribute.
        pub uid: Option<u32>,
    }

    /// Expectations written inside `cfg_attr`, with a reason, and on a skipped field.
    #[derive(Patchable, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
    pub struct Profile {
        #[cfg_attr(all(), expect(missing_docs, reason = "the server's own name"))]
        pub nick: Option<String>,
        #[patchable(skip)]
        #[expect(missing_docs)]
        pub cache: u32,
    }

    impl Record {
        /// A record with only its id.
        #[must_use]
        pub const fn new(record_id: String) -> Self {
            Self {
                record_id,
                record_name: None,
                record_email: None,
            }
        }
    }
}

#[test]
fn expected_lints_cover_the_patch() {
    use expected::{AccountPatch, RecordPatch, user_tPatch};
    let patch = AccountPatch::new().name("a").clear_nick();
    assert_eq!(
        serde_json::to_string(&patch).unwrap(),
        r#"{"name":"a","nick":null}"#
    );
    let mut record = expected::Record::new("1".to_owned());
    record.apply(RecordPatch::new().record_name("n")).unwrap();
    assert_eq!(
        serde_json::to_string(&record).unwrap(),
        r#"{"record_id":"1","record_name":"n","record_email":null}"#
    );
    assert_eq!(
        serde_json::to_string(&user_tPatch::new().clear_uid()).unwrap(),
        r#"{"uid":null}"#
    );
}
