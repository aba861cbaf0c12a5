//! Type parameters, lifetimes, const generics, where-clauses and `#[cfg]` survive into the
//! patch and every impl, with bounds only where they are needed.

use std::borrow::Cow;
use std::fmt::Debug;

use serde::{Deserialize, Serialize};
use sparse_patch::{Diff, Field, Patchable};

/// A string of at most `N` bytes (not checked here): a type with a const parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Short<const N: usize>(String);

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Tagged<T, const N: usize>
where
    T: Debug,
{
    value: T,
    maybe: Option<T>,
    fixed: Short<N>,
}

#[test]
fn type_and_const_parameters() {
    let mut model = Tagged::<String, 2> {
        value: "a".into(),
        maybe: None,
        fixed: Short(String::new()),
    };
    let patch = TaggedPatch::<String, 2>::new()
        .maybe("m")
        .fixed(Short("ab".into()));
    assert_eq!(
        serde_json::to_string(&patch).unwrap(),
        r#"{"maybe":"m","fixed":"ab"}"#
    );
    let read: TaggedPatch<String, 2> =
        serde_json::from_str(r#"{"value":"v","maybe":null}"#).unwrap();
    assert_eq!(read.maybe, Field::Null);
    model.apply(patch).unwrap();
    assert_eq!(model.fixed, Short("ab".into()));
    let target = Tagged::<String, 2> {
        value: "b".into(),
        maybe: None,
        fixed: Short("ab".into()),
    };
    let diff = model.diff(&target);
    assert_eq!(
        serde_json::to_string(&diff).unwrap(),
        r#"{"value":"b","maybe":null}"#
    );
    assert!(serde_json::from_str::<TaggedPatch<String, 2>>(r#"{"value":null}"#).is_err());
}

/// A type that is neither `Clone` nor `PartialEq` nor `Default`: the patch must not demand
/// them of `T` to exist.
#[derive(Debug, Serialize, Deserialize)]
struct Bare(u8);

#[test]
fn no_needless_bounds_on_parameters() {
    let patch = TaggedPatch::<Bare, 1>::new().value(Bare(1));
    assert!(!patch.is_empty());
    assert_eq!(
        format!("{patch:?}"),
        "TaggedPatch { value: Some(Bare(1)), maybe: Absent, fixed: None }"
    );
    let mut model = Tagged::<Bare, 1> {
        value: Bare(0),
        maybe: None,
        fixed: Short(String::new()),
    };
    model.apply(patch).unwrap();
    assert_eq!(model.value.0, 1);
}

#[derive(Patchable, Debug, Serialize, Deserialize)]
struct Borrowed<'a> {
    #[serde(borrow)]
    label: Cow<'a, str>,
    #[serde(borrow)]
    note: Option<Cow<'a, str>>,
}

#[test]
fn lifetimes() {
    let patch = BorrowedPatch::new().label("x").clear_note();
    assert_eq!(
        serde_json::to_string(&patch).unwrap(),
        r#"{"label":"x","note":null}"#
    );
    let input = String::from(r#"{"note":"n"}"#);
    let read: BorrowedPatch<'_> = serde_json::from_str(&input).unwrap();
    assert_eq!(read.note, Field::Value(Cow::Borrowed("n")));
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Holder<T> {
    #[patchable(nested)]
    inner: Option<Inner<T>>,
    #[patchable(skip)]
    #[serde(skip)]
    cache: Vec<T>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Inner<T> {
    item: T,
}

#[test]
fn generic_nested_model() {
    let mut holder = Holder::<u8> {
        inner: None,
        cache: vec![],
    };
    let patch = HolderPatch::<u8>::new().inner(InnerPatch::new().item(5u8));
    assert_eq!(
        serde_json::to_string(&patch).unwrap(),
        r#"{"inner":{"item":5}}"#
    );
    holder.apply(patch).unwrap();
    assert_eq!(holder.inner, Some(Inner { item: 5 }));
    fn assert_diff<M: Diff>() {}
    assert_diff::<Holder<u8>>();
}

/// A type parameter used only by a skipped field still compiles.
#[derive(Patchable, Debug, Serialize, Deserialize)]
#[allow(dead_code)]
struct OnlySkipped<'a, T> {
    #[patchable(skip)]
    #[serde(skip)]
    unused: Option<&'a T>,
    kept: u8,
}

#[test]
fn parameters_used_only_by_skipped_fields() {
    let patch = OnlySkippedPatch::<'_, String>::new().kept(1u8);
    assert_eq!(serde_json::to_string(&patch).unwrap(), r#"{"kept":1}"#);
}

#[derive(Patchable, Debug, Serialize, Deserialize)]
struct WithCfg {
    #[cfg(test)]
    present: Option<u8>,
    #[cfg(not(test))]
    missing: Option<u8>,
}

#[test]
fn cfg_follows_fields() {
    let patch = WithCfgPatch::new().present(1u8);
    assert_eq!(serde_json::to_string(&patch).unwrap(), r#"{"present":1}"#);
}
