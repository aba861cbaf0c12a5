//! The generated code works with no `use` in scope, with prelude names shadowed, and with the
//! runtime reached through another path (`#[patchable(crate = "...")]`).
#![no_implicit_prelude]
#![deny(missing_docs)]
// Generated code raises no lint of clippy's stricter groups in the user's crate (CI runs clippy with `-D warnings`).
#![warn(clippy::pedantic, clippy::nursery)]
//! (crate docs, so that `missing_docs` is satisfied)

extern crate serde;
extern crate serde_json;
extern crate sparse_patch;
extern crate std;

/// Items named like the prelude's, to catch generated code that does not use absolute paths.
pub mod shadows {
    /// Not `core::option::Option`.
    pub struct Option;
    /// Not `core::result::Result`.
    pub struct Result;
    /// Not `core::default::Default`.
    pub trait Default {}
    /// Not `core::clone::Clone`.
    pub trait Clone {}
    /// Not `core::fmt::Debug`.
    pub trait Debug {}
    /// Not `sparse_patch::Field`.
    pub struct Field;
    /// Not `core::convert::Into`.
    pub trait Into {}
    /// Not `core::option::Option::Some`.
    pub struct Some;
    /// Not `core::option::Option::None`.
    pub struct None;
    /// Not `core::result::Result::Ok`.
    pub struct Ok;
}

/// A model written with no prelude and with shadowing names in scope.
pub mod model {
    #[allow(unused_imports)]
    use super::shadows::*;

    /// A nested model.
    #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
    pub struct Inner {
        /// A required attribute.
        pub required: ::std::string::String,
    }

    /// The model.
    #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
    pub struct Outer {
        /// A required attribute.
        pub id: u32,
        /// A nullable attribute.
        pub note: ::core::option::Option<::std::string::String>,
        /// A nested nullable attribute.
        #[patchable(nested)]
        pub inner: ::std::option::Option<Inner>,
    }
}

/// The runtime reached through a re-export, as when the crate is renamed in Cargo.toml.
pub mod renamed {
    /// Stands in for a renamed dependency.
    pub mod runtime {
        pub use ::sparse_patch::*;
    }

    /// A model whose generated code goes through `crate::renamed::runtime`.
    #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
    #[patchable(crate = "crate::renamed::runtime")]
    pub struct Thing {
        /// A nullable attribute.
        pub label: ::core::option::Option<::std::string::String>,
    }
}

#[test]
fn shadowed_prelude_and_renamed_crate() {
    use ::sparse_patch::Patchable;
    let patch = model::OuterPatch::new()
        .id(3u32)
        .clear_note()
        .inner(model::InnerPatch::new().required("r"));
    ::std::assert_eq!(
        ::serde_json::to_string(&patch).unwrap(),
        r#"{"id":3,"note":null,"inner":{"required":"r"}}"#
    );
    let mut outer = model::Outer {
        id: 1,
        note: ::core::option::Option::Some(<::std::string::String as ::core::convert::From<
            &str,
        >>::from("n")),
        inner: ::core::option::Option::None,
    };
    outer.apply(patch).unwrap();
    ::std::assert_eq!(outer.id, 3);
    ::std::assert!(outer.note.is_none());
    ::std::assert_eq!(outer.inner.unwrap().required, "r");

    let patch = renamed::ThingPatch::new().label("l");
    ::std::assert_eq!(::serde_json::to_string(&patch).unwrap(), r#"{"label":"l"}"#);
}
