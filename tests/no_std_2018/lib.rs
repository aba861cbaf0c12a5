//! The derive in a `#![no_std]` crate of edition 2018 (this crate, a workspace member of its
//! own). Such a crate has neither `std` (`::std::...` is E0433, "cannot find `std` in the crate
//! root") nor the standard prelude's `String`, `Vec`, `Box`, `ToString` or `format!`, and
//! edition 2018's prelude has no `TryFrom`, `TryInto` or `FromIterator`: the generated code
//! names what it uses through `::core` and the runtime. The models import nothing and spell
//! `alloc`'s types in full, so that the generated code cannot lean on an import of the
//! user's either. The runtime itself uses `std`: the crate still links it, on a target that
//! has it. (`tests/edition_2015/` checks edition 2015, whose `::name` is the crate's root.)
#![no_std]
#![deny(warnings)]
#![forbid(unsafe_code)]

extern crate alloc;

/// A nested model.
#[derive(
    sparse_patch::Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize,
)]
pub struct Name {
    pub given: Option<alloc::string::String>,
    pub family: alloc::string::String,
}

/// A nullable attribute, a required one, a nested model and a map merged key by key.
#[derive(
    sparse_patch::Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    pub nick_name: Option<alloc::string::String>,
    pub user_name: alloc::string::String,
    #[patchable(nested)]
    pub name: Name,
    pub labels: alloc::collections::BTreeMap<alloc::string::String, alloc::string::String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::borrow::ToOwned;
    use sparse_patch::{Diff, FromPatch, Patchable};

    fn person() -> Person {
        let mut labels = alloc::collections::BTreeMap::new();
        let _ = labels.insert("env".to_owned(), "prod".to_owned());
        Person {
            nick_name: Some("ada".to_owned()),
            user_name: "lovelace".to_owned(),
            name: Name {
                given: None,
                family: "Lovelace".to_owned(),
            },
            labels,
        }
    }

    #[test]
    fn a_patch_is_written_read_and_applied_in_a_no_std_crate_of_edition_2018() {
        let patch = PersonPatch::new()
            .clear_nick_name()
            .user_name("ada.l")
            .name(NamePatch::new().given("Ada"))
            .clear_labels_entry("env")
            .labels_entry("team", "math");
        let json = r#"{"nickName":null,"userName":"ada.l","name":{"given":"Ada"},"labels":{"env":null,"team":"math"}}"#;
        assert_eq!(serde_json::to_string(&patch).unwrap(), json);
        assert_eq!(serde_json::from_str::<PersonPatch>(json).unwrap(), patch);

        let base = person();
        let mut target = base.clone();
        target.apply(patch).unwrap();
        assert_eq!(target.nick_name, None);
        assert_eq!(target.user_name, "ada.l");
        assert_eq!(target.name.given.as_deref(), Some("Ada"));
        assert_eq!(
            target.labels.iter().collect::<alloc::vec::Vec<_>>(),
            [(&"team".to_owned(), &"math".to_owned())]
        );

        let mut again = base.clone();
        again.apply(base.diff(&target)).unwrap();
        assert_eq!(again, target);
        assert_eq!(Person::from_patch(target.to_patch()).unwrap(), target);
    }
}
