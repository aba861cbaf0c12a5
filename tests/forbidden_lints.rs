//! The generated code compiles in a crate that `forbid`s lints: it carries no `#[allow]` of a
//! lint it does not need for the model at hand, and never one of a whole lint group, since an
//! `allow` under a `forbid` of the same lint (or of one lint of the group) is error E0453 in
//! the user's crate. rustc's lints are checked by `cargo test`, clippy's by
//! `cargo clippy --all-targets`.
#![forbid(
    deprecated,
    non_snake_case,
    unsafe_code,
    missing_docs,
    missing_debug_implementations
)]
// serde's own derives `allow(unused_qualifications)`, so a crate that derives serde's traits
// cannot forbid it; the patch's code must not need that `allow`. The patch and its inherent
// impl allow `dead_code` (its setters may be unused), its trait impls do not.
#![deny(unused_qualifications, dead_code)]
// rustc's allow-by-default lints that strict crates turn on and that generated code could
// raise (discarded results, needless or elided lifetimes, casts, `pub` items that nothing
// reaches, types without `Copy` or `Debug`): the patch's code raises none of them.
#![deny(
    rust_2018_idioms,
    unused_results,
    unused_lifetimes,
    single_use_lifetimes,
    elided_lifetimes_in_paths,
    redundant_lifetimes,
    explicit_outlives_requirements,
    trivial_casts,
    trivial_numeric_casts,
    unreachable_pub,
    unnameable_types,
    missing_copy_implementations,
    variant_size_differences,
    let_underscore_drop,
    unit_bindings,
    unused_import_braces,
    meta_variable_misuse,
    keyword_idents,
    non_ascii_idents,
    impl_trait_overcaptures,
    redundant_imports,
    tail_expr_drop_order,
    if_let_rescope,
    deprecated_in_future
)]
// One lint of each of clippy's groups that an `allow(clippy::all, clippy::pedantic)` overrides.
#![forbid(
    clippy::needless_return,
    clippy::cast_possible_truncation,
    clippy::missing_errors_doc,
    clippy::use_self
)]

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::{Diff, FromPatch, Patchable};

/// A nested model.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inner {
    /// A required attribute.
    pub name: String,
}

/// A model whose patch has the derive's own serde code.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Own {
    /// A required attribute.
    pub user_name: String,
    /// A nullable attribute.
    pub nick_name: Option<String>,
    /// A nested model.
    #[patchable(nested)]
    pub inner: Option<Inner>,
    /// A map.
    pub labels: BTreeMap<String, String>,
    /// Untyped JSON.
    pub data: Value,
    /// A keyed array.
    #[patchable(key = "id")]
    pub items: Vec<Value>,
    /// Not patched.
    #[patchable(skip)]
    pub id: u64,
    /// The other keys.
    #[serde(flatten)]
    pub custom: BTreeMap<String, Value>,
}

/// A generic model whose patch serde's derives write and read.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Derived<T> {
    /// A nullable generic attribute.
    #[serde(default)]
    pub value: Option<T>,
    /// A map of generic values.
    pub by_name: BTreeMap<String, T>,
    /// A flattened nested model.
    #[serde(flatten)]
    #[patchable(nested)]
    pub inner: Inner,
    /// Compiled in.
    #[cfg(test)]
    pub here: Option<u8>,
}

/// A model with borrowed attributes and a lifetime bound, whose patch carries the lifetimes.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Borrowed<'a, 'b: 'a> {
    /// A borrowed required attribute.
    #[serde(borrow)]
    pub name: Cow<'a, str>,
    /// A borrowed nullable attribute.
    #[serde(borrow)]
    pub note: Option<Cow<'b, str>>,
    /// A nested model whose patch is borrowed too.
    #[patchable(nested)]
    #[serde(borrow)]
    pub tag: Option<Tag<'a>>,
}

/// A nested model with a lifetime.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tag<'a> {
    /// A borrowed required attribute.
    #[serde(borrow)]
    pub label: Cow<'a, str>,
}

/// A private model, never patched: its patch's setters are unused.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Private {
    label: Option<String>,
}

/// Fields named with a trailing underscore, as a Rust keyword is (`type_`): every name the
/// derive builds from them (`clear_type_`, the hidden helpers) is snake case, so the model
/// needs no `allow(non_snake_case)`, which the `forbid` above refuses (E0453).
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Keyword {
    /// A nullable attribute named `type`.
    #[serde(rename = "type")]
    pub type_: Option<String>,
    /// A required one.
    pub match_: String,
}

#[test]
fn a_trailing_underscore_needs_no_allow() {
    let mut keyword = Keyword {
        type_: Some("a".into()),
        match_: "b".into(),
    };
    keyword
        .apply(KeywordPatch::new().clear_type_().match_("c"))
        .unwrap();
    assert_eq!(keyword.type_, None);
    assert_eq!(keyword.match_, "c");
}

#[test]
fn patches_under_forbidden_lints() {
    let mut own = Own {
        user_name: "a".into(),
        nick_name: None,
        inner: None,
        labels: BTreeMap::new(),
        data: json!({}),
        items: Vec::new(),
        id: 1,
        custom: BTreeMap::new(),
    };
    let patch = OwnPatch::new()
        .user_name("b")
        .clear_nick_name()
        .inner(InnerPatch::new().name("i"))
        .labels_entry("k", "v")
        .custom_entry("pet", "cat");
    own.apply(patch).unwrap();
    assert_eq!(own.user_name, "b");
    assert_eq!(
        own.inner.as_ref().map(|inner| inner.name.as_str()),
        Some("i")
    );
    assert_eq!(own.custom["pet"], "cat");

    let base = Derived::<u8> {
        value: Some(1),
        by_name: BTreeMap::new(),
        inner: Inner { name: "a".into() },
        here: None,
    };
    let mut target = base.clone();
    target.value = None;
    target.here = Some(2);
    let patch = base.diff(&target);
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"value": null, "here": 2})
    );
    assert_eq!(Derived::from_patch(target.to_patch()).unwrap(), target);

    let base = Borrowed {
        name: Cow::Borrowed("a"),
        note: None,
        tag: None,
    };
    let target = Borrowed {
        name: Cow::Borrowed("b"),
        note: Some(Cow::Borrowed("n")),
        tag: Some(Tag {
            label: Cow::Borrowed("t"),
        }),
    };
    let text = serde_json::to_string(&base.diff(&target)).unwrap();
    assert_eq!(text, r#"{"name":"b","note":"n","tag":{"label":"t"}}"#);
    let patch: BorrowedPatch<'_, '_> = serde_json::from_str(&text).unwrap();
    let mut borrowed = base;
    borrowed.apply(patch).unwrap();
    assert_eq!(borrowed, target);

    let private = Private { label: None };
    assert_eq!(private.label, None);
}
