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

/// A borrowed model whose fields differ in lifetimes only (`&'a str`, `&'b str`): plain bounds
/// on both were ambiguous to rustc ("type annotations needed: cannot satisfy `&str: PartialEq`").
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Event<'a, 'b> {
    id: &'a str,
    actor: Option<&'b str>,
    #[patchable(nested)]
    subject: Subject<'a>,
    #[patchable(nested)]
    object: Option<Subject<'b>>,
    #[patchable(skip)]
    etag: &'a str,
    trace: &'b str,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Subject<'a> {
    name: &'a str,
}

/// The same with a type parameter beside the lifetimes.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Tagged2<'a, 'b, T> {
    value: T,
    first: &'a str,
    second: &'b str,
}

/// Owned `Cow`s that differ in lifetimes only still read from any `'de` (with serde's derives
/// on the patch, which `derive(Eq)` asks for).
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[patchable(derive(Eq))]
struct Names<'a, 'b> {
    given: Cow<'a, str>,
    family: Option<Cow<'b, str>>,
}

#[test]
fn fields_that_differ_in_lifetimes_only() {
    let base = Event {
        id: "1",
        actor: None,
        subject: Subject { name: "s" },
        object: None,
        etag: "e",
        trace: "t",
    };
    let target = Event {
        id: "2",
        actor: Some("a"),
        subject: Subject { name: "n" },
        object: Some(Subject { name: "o" }),
        etag: "e",
        trace: "u",
    };
    let json = serde_json::to_string(&base.diff(&target)).unwrap();
    assert_eq!(
        json,
        r#"{"id":"2","actor":"a","subject":{"name":"n"},"object":{"name":"o"},"trace":"u"}"#
    );
    let read: EventPatch<'_, '_> = serde_json::from_str(&json).unwrap();
    let mut applied = base.clone();
    applied.apply(read).unwrap();
    assert_eq!(applied, target);

    let tagged = Tagged2 {
        value: 1u8,
        first: "a",
        second: "b",
    };
    let changed = Tagged2 {
        value: 2u8,
        first: "a",
        second: "c",
    };
    let json = serde_json::to_string(&tagged.diff(&changed)).unwrap();
    assert_eq!(json, r#"{"value":2,"second":"c"}"#);
    let mut applied = tagged.clone();
    applied.apply(serde_json::from_str(&json).unwrap()).unwrap();
    assert_eq!(applied, changed);

    fn owned<T: serde::de::DeserializeOwned>() {}
    owned::<NamesPatch<'static, 'static>>();
    let names: NamesPatch<'static, 'static> =
        serde_json::from_str(r#"{"given":"Dave","family":null}"#).unwrap();
    assert_eq!(names.family, Field::Null);
    let read: EventPatch<'_, '_> = serde_json::from_str(r#"{"trace":"x"}"#).unwrap();
    assert_eq!(read.trace, Some("x"));
}

/// serde's derives on a patch whose borrowed fields differ in lifetimes only.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[patchable(derive(Eq))]
struct TwoBorrows<'a, 'b> {
    first: &'a str,
    second: Option<&'b str>,
}

#[test]
fn borrowed_fields_with_serdes_derives() {
    let read: TwoBorrowsPatch<'_, '_> =
        serde_json::from_str(r#"{"first":"a","second":null}"#).unwrap();
    assert_eq!(read.first, Some("a"));
    assert_eq!(read.second, Field::Null);
}

/// A trait the model implements, required of `Self` in its where-clause.
trait Resource {}
impl<T: Clone> Resource for Versioned<T> {}

/// `Self` in the where-clause means the model: the patch and its impls copy the clause, where
/// `Self` would have named the patch ("the trait bound `VersionedPatch<T>: Resource` is not
/// satisfied").
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Versioned<T>
where
    Self: Resource,
    T: Clone,
{
    r#type: T,
    r#ref: Option<T>,
}

#[test]
fn self_in_the_where_clause_is_the_model() {
    let base = Versioned::<u8> {
        r#type: 1,
        r#ref: None,
    };
    let target = Versioned::<u8> {
        r#type: 2,
        r#ref: Some(3),
    };
    let json = serde_json::to_string(&base.diff(&target)).unwrap();
    assert_eq!(json, r#"{"type":2,"ref":3}"#);
    let mut applied = base.clone();
    applied.apply(serde_json::from_str(&json).unwrap()).unwrap();
    assert_eq!(applied, target);
}

/// A borrowed field beside a `&'static str` one: the types differ in lifetimes only, and the
/// plain bound on `&'a str` beside the concrete one on `&'static str` was as ambiguous to
/// rustc ("cannot satisfy `&'static str: PartialEq`") as `&'b str` was; a `&'static str`
/// alone could not be read ("lifetime may not live long enough": reading it needs
/// `'de: 'static`, which serde's derive states and the patch's reader did not).
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Labelled<'a> {
    name: &'a str,
    kind: Option<&'static str>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct StaticOnly {
    kind: &'static str,
}

/// The same with serde's derives on the patch.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[patchable(derive(Eq))]
struct LabelledSerde<'a> {
    name: &'a str,
    kind: &'static str,
}

/// The same with a lifetime whose name starts with `de` (`'desc`, `'dest`, `'def`): serde's
/// reading bounds, under a `&'static str` that makes them name `'static` for `'de`, were
/// rewritten as text, and `'de: 'desc` became `'static: 'staticsc` (E0261, "use of undeclared
/// lifetime name", at the derive).
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[patchable(derive(Eq))]
struct Described<'desc> {
    text: &'desc str,
    kind: &'static str,
}

/// Owned `Cow`s, one `'static`: still read from any input.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct StaticCow<'a> {
    given: Cow<'a, str>,
    family: Option<Cow<'static, str>>,
}

/// Types that hold a lifetime but read owned, beside another differing in lifetimes only: an
/// alias of a `Cow` and a newtype of one. The patch's reading bounds asked `'de` to outlive
/// every lifetime but a `Cow`'s written out, so these patches were read from `'static` input
/// only ("implementation of `Deserialize` is not general enough" for `serde_json::from_value`
/// and any `DeserializeOwned` use), where the models have `DeserializeOwned`. serde's derive
/// bounds the lifetimes of references alone (and those `#[serde(borrow)]` names).
type CowStr<'a> = Cow<'a, str>;

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct AliasedCow<'a> {
    given: CowStr<'a>,
    family: Option<CowStr<'static>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Label<'a>(Cow<'a, str>);

impl schemars::JsonSchema for Label<'_> {
    fn schema_name() -> Cow<'static, str> {
        "Label".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct TwoLabels<'a, 'b> {
    first: Label<'a>,
    second: Option<Label<'b>>,
}

#[test]
fn types_that_read_owned_are_read_from_any_input() {
    fn owned<T: serde::de::DeserializeOwned>() {}
    owned::<AliasedCow<'static>>();
    owned::<AliasedCowPatch<'static>>();
    owned::<TwoLabels<'static, 'static>>();
    owned::<TwoLabelsPatch<'static, 'static>>();
    let read: AliasedCowPatch<'static> =
        serde_json::from_value(serde_json::json!({"given": "G", "family": null})).unwrap();
    assert_eq!(read.given, Some(Cow::Borrowed("G")));
    assert_eq!(read.family, Field::Null);
    let read: TwoLabelsPatch<'static, 'static> =
        serde_json::from_value(serde_json::json!({"second": "S"})).unwrap();
    assert_eq!(read.second, Field::Value(Label(Cow::Borrowed("S"))));
}

#[test]
fn a_borrowed_field_beside_a_static_one() {
    fn owned<T: serde::de::DeserializeOwned>() {}
    owned::<StaticCowPatch<'static>>();
    let read: StaticCowPatch<'static> =
        serde_json::from_value(serde_json::json!({"family": "F"})).unwrap();
    assert_eq!(read.family, Field::Value(Cow::Borrowed("F")));

    let base = Labelled {
        name: "a",
        kind: None,
    };
    let target = Labelled {
        name: "b",
        kind: Some("k"),
    };
    let json = serde_json::to_string(&base.diff(&target)).unwrap();
    assert_eq!(json, r#"{"name":"b","kind":"k"}"#);
    let mut applied = base.clone();
    applied
        .apply(
            serde_json::from_str::<LabelledPatch<'static>>(r#"{"name":"b","kind":"k"}"#).unwrap(),
        )
        .unwrap();
    assert_eq!(applied, target);
    let read: LabelledPatch<'static> = serde_json::from_str(r#"{"kind":null}"#).unwrap();
    assert_eq!(read.kind, Field::Null);
    let read: StaticOnlyPatch = serde_json::from_str(r#"{"kind":"x"}"#).unwrap();
    assert_eq!(read.kind, Some("x"));
    let read: LabelledSerdePatch<'static> =
        serde_json::from_str(r#"{"name":"a","kind":"b"}"#).unwrap();
    assert_eq!((read.name, read.kind), (Some("a"), Some("b")));
    let read: DescribedPatch<'static> = serde_json::from_str(r#"{"text":"a","kind":"b"}"#).unwrap();
    assert_eq!((read.text, read.kind), (Some("a"), Some("b")));
}

/// Fields that differ in lifetimes only and hold a type parameter too: plain bounds on
/// `(&'a str, T)` and `(&'b str, T)` were ambiguous to rustc (E0283, "cannot satisfy
/// `(&str, T): PartialEq`", and the same for `Serialize`, `Deserialize` and the schema).
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Mixed<'a, 'b, T> {
    #[serde(borrow)]
    first: (&'a str, T),
    #[serde(borrow)]
    second: Option<(&'b str, T)>,
}

#[test]
fn fields_that_differ_in_lifetimes_and_hold_a_type_parameter() {
    let base = Mixed {
        first: ("a", 1u8),
        second: None,
    };
    let target = Mixed {
        first: ("b", 2u8),
        second: Some(("c", 3u8)),
    };
    let patch = base.diff(&target);
    let json = serde_json::to_string(&patch).unwrap();
    assert_eq!(json, r#"{"first":["b",2],"second":["c",3]}"#);
    let read: MixedPatch<'_, '_, u8> = serde_json::from_str(&json).unwrap();
    assert_eq!(read, patch);
    let mut applied = base.clone();
    applied.apply(read).unwrap();
    assert_eq!(applied, target);
}

/// The same through serde's derives on the patch.
#[derive(Patchable, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[patchable(derive(Eq))]
struct MixedWithSerdeDerives<'a, 'b, T> {
    #[serde(borrow)]
    first: (&'a str, T),
    #[serde(borrow)]
    second: Option<(&'b str, T)>,
}

#[test]
fn mixed_fields_through_serdes_derives() {
    let read: MixedWithSerdeDerivesPatch<'_, '_, u8> =
        serde_json::from_str(r#"{"first":["a",1],"second":null}"#).unwrap();
    assert_eq!(read.first, Some(("a", 1)));
    assert_eq!(read.second, Field::Null);
    // A patch is read from an object only (RFC 7396 §2), a borrowing one on serde's derives
    // too: serde's derive read `[["a", 1]]` as `first`.
    let error = serde_json::from_str::<MixedWithSerdeDerivesPatch<'_, '_, u8>>(r#"[["a", 1]]"#)
        .unwrap_err();
    assert!(
        error.to_string().starts_with(
            "invalid type: sequence, expected struct MixedWithSerdeDerivesPatch: a patch is a map of its attributes"
        ),
        "{error}"
    );
    let error = serde_json::from_str::<BorrowedPatch<'_>>(r#"["x"]"#).unwrap_err();
    assert!(
        error.to_string().starts_with("invalid type: sequence"),
        "{error}"
    );
}

/// `(&'a str, T)` beside `(&'static str, T)`: as ambiguous to rustc as beside `(&'b str, T)`
/// (E0283 on both derives' bounds, and `'de` named where serde's reader of the patch has none),
/// as `&'a str` beside `&'static str` was.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct MixedStatic<'a, T> {
    #[serde(borrow)]
    first: (&'a str, T),
    #[serde(borrow)]
    second: Option<(&'static str, T)>,
}

/// The same through serde's derives on the patch.
#[derive(Patchable, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[patchable(derive(Eq))]
struct MixedStaticSerde<'a, T> {
    #[serde(borrow)]
    first: (&'a str, T),
    #[serde(borrow)]
    second: Option<(&'static str, T)>,
}

#[test]
fn a_type_parameter_beside_a_static_borrow() {
    let base = MixedStatic {
        first: ("a", 1u8),
        second: None,
    };
    let target = MixedStatic {
        first: ("b", 1u8),
        second: Some(("c", 2u8)),
    };
    let json = serde_json::to_string(&base.diff(&target)).unwrap();
    assert_eq!(json, r#"{"first":["b",1],"second":["c",2]}"#);
    // A `&'static str` is read only from a `'static` input, as serde reads the model.
    let json: &'static str = Box::leak(json.into_boxed_str());
    let read: MixedStaticPatch<'_, u8> = serde_json::from_str(json).unwrap();
    let mut applied = base.clone();
    applied.apply(read).unwrap();
    assert_eq!(applied, target);
    let read: MixedStaticSerdePatch<'_, u8> =
        serde_json::from_str(r#"{"first":["a",1],"second":null}"#).unwrap();
    assert_eq!(read.first, Some(("a", 1)));
    assert_eq!(read.second, Field::Null);
}

/// Nested models that differ in lifetimes only and hold a type parameter: their patches are
/// projections, bounded through the parameter (E0283 before, as above).
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Tag<'a, T> {
    label: &'a str,
    value: T,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct MixedNested<'a, 'b, T> {
    #[serde(borrow)]
    #[patchable(nested)]
    first: Tag<'a, T>,
    #[serde(borrow)]
    #[patchable(nested)]
    second: Option<Tag<'b, T>>,
}

#[test]
fn nested_fields_that_differ_in_lifetimes_and_hold_a_type_parameter() {
    let base = MixedNested {
        first: Tag {
            label: "a",
            value: 1u8,
        },
        second: None,
    };
    let target = MixedNested {
        first: Tag {
            label: "b",
            value: 1u8,
        },
        second: Some(Tag {
            label: "c",
            value: 2u8,
        }),
    };
    let json = serde_json::to_string(&base.diff(&target)).unwrap();
    assert_eq!(
        json,
        r#"{"first":{"label":"b"},"second":{"label":"c","value":2}}"#
    );
    let read: MixedNestedPatch<'_, '_, u8> = serde_json::from_str(&json).unwrap();
    let mut applied = base.clone();
    applied.apply(read).unwrap();
    assert_eq!(applied, target);
}

/// A nested model borrowed for `'static` through `#[serde(borrow)]` (`Tag<'static, T>`): serde
/// reads the patch, as the model, from `'static` input only, and its reader then has no `'de`,
/// which the patch's bounds named (E0261), with or without a type parameter.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct NestedStatic<'a, T> {
    #[serde(borrow)]
    #[patchable(nested)]
    first: Tag<'a, T>,
    #[serde(borrow)]
    #[patchable(nested)]
    second: Option<Tag<'static, T>>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct NestedStaticOnly {
    #[serde(borrow)]
    #[patchable(nested)]
    only: Option<Tag<'static, u8>>,
}

#[test]
fn a_nested_model_borrowed_for_static() {
    let base = NestedStatic {
        first: Tag {
            label: "a",
            value: 1u8,
        },
        second: None,
    };
    let mut target = base.clone();
    target.second = Some(Tag {
        label: "c",
        value: 2,
    });
    let json = serde_json::to_string(&base.diff(&target)).unwrap();
    assert_eq!(json, r#"{"second":{"label":"c","value":2}}"#);
    let json: &'static str = Box::leak(json.into_boxed_str());
    let read: NestedStaticPatch<'_, u8> = serde_json::from_str(json).unwrap();
    let mut applied = base.clone();
    applied.apply(read).unwrap();
    assert_eq!(applied, target);
    let read: NestedStaticOnlyPatch = serde_json::from_str(r#"{"only":null}"#).unwrap();
    assert_eq!(read.only, Field::Null);
}

/// A source of items, whose associated type the model holds.
trait Source {
    type Item;
}

struct Numbers;

impl Source for Numbers {
    type Item = u8;
}

/// The model's own where-clause makes a value type readable from any input
/// (`DeserializeOwned`, `for<'x> Deserialize<'x>`): serde's derive accepts the model. Found by a
/// review: the derive added `T::Item: Deserialize<'de>` beside it, which rustc cannot choose
/// between (E0283, "multiple `impl`s or `where` clauses satisfying ..."), in the patch's reading.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Items<S: Source>
where
    S::Item: Clone + Debug + PartialEq + Serialize + serde::de::DeserializeOwned,
{
    first: Option<S::Item>,
    all: Vec<S::Item>,
    #[serde(skip)]
    source: std::marker::PhantomData<S>,
}

/// The same bound written higher-ranked, on a patch that serde's derives read (a `#[cfg]` field).
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ItemsThroughSerde<S: Source>
where
    S::Item: Clone + Debug + PartialEq + Serialize + for<'x> Deserialize<'x>,
{
    first: Option<S::Item>,
    #[cfg(test)]
    rest: Vec<S::Item>,
    #[serde(skip)]
    source: std::marker::PhantomData<S>,
}

/// A plain parameter bounded so (which serde's derive refuses on the model, with the same
/// E0283): the patch reads it.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize)]
struct OwnedParameter<T: Clone + Debug + PartialEq + Serialize + serde::de::DeserializeOwned> {
    value: Option<T>,
}

#[test]
fn values_readable_from_any_input_by_the_models_own_bounds() {
    let read: ItemsPatch<Numbers> = serde_json::from_str(r#"{"first":null,"all":[1,2]}"#).unwrap();
    assert_eq!(read.first, Field::Null);
    let mut model = Items::<Numbers> {
        first: Some(1),
        all: vec![],
        source: std::marker::PhantomData,
    };
    model.apply(read).unwrap();
    assert_eq!((model.first, model.all), (None, vec![1, 2]));
    let read: ItemsThroughSerdePatch<Numbers> =
        serde_json::from_str(r#"{"first":3,"rest":[4]}"#).unwrap();
    assert_eq!((read.first, read.rest), (Field::Value(3), Some(vec![4])));
    let read: OwnedParameterPatch<u8> = serde_json::from_str(r#"{"value":5}"#).unwrap();
    assert_eq!(read.value, Field::Value(5));
}

/// A type parameter named `Value`, as untyped JSON (`serde_json::Value`) is commonly imported:
/// the derive reads types by name, but a parameter of the model is never `serde_json::Value`.
/// Found by a review: the field was merged as untyped JSON, bounded by `MergeJson` (and a map
/// of it by `MergeJsonMap`), so that `Setting<u32>` was not `Patchable`.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Setting<Value> {
    value: Value,
    fallback: Option<Value>,
    by_name: std::collections::BTreeMap<String, Value>,
}

#[test]
fn a_type_parameter_named_value_is_a_plain_value() {
    let mut setting = Setting {
        value: 1u32,
        fallback: None,
        by_name: [("a".to_owned(), 1)].into(),
    };
    let patch: SettingPatch<u32> =
        serde_json::from_str(r#"{"value":2,"fallback":3,"by_name":{"a":null,"b":4}}"#).unwrap();
    setting.apply(patch).unwrap();
    assert_eq!(setting.value, 2);
    assert_eq!(setting.fallback, Some(3));
    assert_eq!(setting.by_name, [("b".to_owned(), 4)].into());
    let target = Setting {
        value: 5u32,
        fallback: None,
        by_name: [("b".to_owned(), 4)].into(),
    };
    assert_eq!(
        serde_json::to_string(&setting.diff(&target)).unwrap(),
        r#"{"value":5,"fallback":null}"#
    );
}

/// The model's bound written with a qualified path (`<S as Source>::Item`), the field with a
/// short one (`S::Item`), and the reverse.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize)]
struct QualifiedItems<S: Source>
where
    <S as Source>::Item: Clone + Debug + PartialEq + Serialize + serde::de::DeserializeOwned,
{
    first: Option<S::Item>,
    #[serde(skip)]
    source: std::marker::PhantomData<S>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize)]
struct ShortBoundItems<S: Source>
where
    S::Item: Clone + Debug + PartialEq + Serialize + serde::de::DeserializeOwned,
{
    first: Option<<S as Source>::Item>,
    #[serde(skip)]
    source: std::marker::PhantomData<S>,
}

#[test]
fn a_bound_written_with_another_path_to_the_same_type() {
    let read: QualifiedItemsPatch<Numbers> = serde_json::from_str(r#"{"first":1}"#).unwrap();
    assert_eq!(read.first, Field::Value(1));
    let read: ShortBoundItemsPatch<Numbers> = serde_json::from_str(r#"{"first":2}"#).unwrap();
    assert_eq!(read.first, Field::Value(2));
}

/// A generic setting, whose type parameter a user makes an `Option` (`Preference<Option<u16>>`,
/// as `Envelope<T>`/`Wrapper<T>` models are instantiated; serde_with's and derive_builder's
/// users meet the same `Option<Option<T>>` through a parameter). The derive sees `value: T`
/// and `fallback: Option<T>`, a required and a nullable attribute, but `None` is written
/// `null`: `diff` to `value: None` wrote `{"value": null}`, which the patch itself refused to
/// read ("a required attribute that cannot be cleared") and a server reads as removing the
/// attribute, and `fallback: Some(None)` wrote the `null` that clears it. Writing such a patch
/// is now an error that names the attribute; every other value is written as before.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Preference<T> {
    value: T,
    fallback: Option<T>,
    history: Vec<T>,
}

/// The same through serde's derives on the patch (`derive(Eq)` asks for them).
#[derive(Patchable, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[patchable(derive(Eq))]
struct EqPreference<T> {
    value: T,
    fallback: Option<T>,
}

#[test]
fn a_type_parameter_that_is_an_option_never_writes_a_null_value() {
    let base = Preference {
        value: Some(1_u16),
        fallback: Some(Some(1)),
        history: vec![None],
    };
    let to_none = Preference {
        value: None,
        fallback: Some(None),
        history: vec![None, Some(2)],
    };
    let error = serde_json::to_string(&base.diff(&to_none)).unwrap_err();
    assert!(
        error.to_string().contains("`value` is written `null`"),
        "{error}"
    );
    let error = serde_json::to_string(&PreferencePatch::<Option<u16>>::new().fallback(None::<u16>))
        .unwrap_err();
    assert!(
        error.to_string().contains("`fallback` is written `null`"),
        "{error}"
    );
    // A null inside an array, a cleared attribute and every other value are written as before.
    let fine = Preference {
        value: Some(2),
        fallback: None,
        history: vec![None, Some(2)],
    };
    assert_eq!(
        serde_json::to_value(base.diff(&fine)).unwrap(),
        serde_json::json!({"value": 2, "fallback": null, "history": [null, 2]})
    );

    let base = EqPreference {
        value: Some(1_u16),
        fallback: None,
    };
    let error = serde_json::to_string(&base.diff(&EqPreference {
        value: None,
        fallback: Some(None),
    }))
    .unwrap_err();
    assert!(
        error.to_string().contains("`value` is written `null`"),
        "{error}"
    );
    let error =
        serde_json::to_string(&EqPreferencePatch::<Option<u16>>::new().fallback(None::<u16>))
            .unwrap_err();
    assert!(
        error.to_string().contains("`fallback` is written `null`"),
        "{error}"
    );
    assert_eq!(
        serde_json::to_value(
            EqPreferencePatch::<Option<u16>>::new()
                .value(Some(3_u16))
                .clear_fallback()
        )
        .unwrap(),
        serde_json::json!({"value": 3, "fallback": null})
    );
}

/// The same for the values of a map (serde_with's users meet `HashMap<K, Option<V>>` through a
/// parameter): `labels_entry("a", None)` of a `Labels<Option<u8>>` wrote `{"labels": {"a":
/// null}}`, which removes the key, where the setter said "set". Maps flattened or not, written
/// by the derive's own code (not generic: a concrete newtype value) or by serde's derives
/// (generic).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Level(Option<u8>);

impl schemars::JsonSchema for Level {
    fn schema_name() -> Cow<'static, str> {
        "Level".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Option<u8>>::json_schema(generator)
    }
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Levels {
    levels: std::collections::BTreeMap<String, Level>,
    #[serde(flatten)]
    rest: std::collections::HashMap<String, Level>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Labels<T> {
    labels: std::collections::BTreeMap<String, T>,
    #[serde(flatten)]
    rest: std::collections::BTreeMap<String, T>,
}

#[test]
fn map_values_written_null_are_not_sent() {
    let error = serde_json::to_string(&LevelsPatch::new().levels_entry("a", Level(None)))
        .unwrap_err()
        .to_string();
    assert!(error.contains("an entry of `levels`"), "{error}");
    let error = serde_json::to_string(&LevelsPatch::new().rest_entry("a", Level(None)))
        .unwrap_err()
        .to_string();
    assert!(error.contains("an entry of a flattened map"), "{error}");
    assert_eq!(
        serde_json::to_value(
            LevelsPatch::new()
                .levels_entry("a", Level(Some(1)))
                .clear_levels_entry("b")
                .rest_entry("c", Level(Some(2)))
        )
        .unwrap(),
        serde_json::json!({"levels": {"a": 1, "b": null}, "c": 2})
    );

    let error =
        serde_json::to_string(&LabelsPatch::<Option<u8>>::new().labels_entry("a", None::<u8>))
            .unwrap_err()
            .to_string();
    assert!(error.contains("an entry of `labels`"), "{error}");
    let error =
        serde_json::to_string(&LabelsPatch::<Option<u8>>::new().rest_entry("a", None::<u8>))
            .unwrap_err()
            .to_string();
    assert!(error.contains("an entry of a flattened map"), "{error}");
    assert_eq!(
        serde_json::to_value(
            LabelsPatch::<Option<u8>>::new()
                .labels_entry("a", Some(1_u8))
                .clear_labels_entry("b")
        )
        .unwrap(),
        serde_json::json!({"labels": {"a": 1, "b": null}})
    );
}

/// A unit struct: serde_json writes it `null`, as it writes `()` (serde's data model: unit and
/// unit struct are JSON `null`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Marker;

/// A newtype around a unit struct: written as its content, `null`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Wrapped(Marker);

/// Every value that serde_json writes `null` is refused where the derive cannot see its JSON
/// (a type parameter), not only `None`: `()`, a unit struct, `Some` of one, a newtype around
/// one, as a required attribute's value and as a map entry's. Each of these was sent as
/// `null` (removing the attribute or the entry) by a check that looked at `None` alone.
#[test]
fn every_value_written_null_is_refused_through_a_type_parameter() {
    fn refused<P: Serialize>(patch: &P, attribute: &str) {
        let error = serde_json::to_string(patch).unwrap_err().to_string();
        assert!(error.contains(attribute), "{attribute}: {error}");
    }
    refused(
        &PreferencePatch::<()>::new().value(()),
        "`value` is written `null`",
    );
    // The required attribute's message says how to clear it, the nullable one's why not.
    refused(
        &PreferencePatch::<()>::new().value(()),
        "it is a required attribute",
    );
    refused(
        &PreferencePatch::<()>::new().fallback(()),
        "reads as clearing the attribute",
    );
    refused(
        &PreferencePatch::<Marker>::new().value(Marker),
        "`value` is written `null`",
    );
    refused(
        &PreferencePatch::<Option<Marker>>::new().value(Some(Marker)),
        "`value` is written `null`",
    );
    refused(
        &PreferencePatch::<Wrapped>::new().value(Wrapped(Marker)),
        "`value` is written `null`",
    );
    refused(
        &PreferencePatch::<Marker>::new().fallback(Marker),
        "`fallback` is written `null`",
    );
    refused(
        &LabelsPatch::<()>::new().labels_entry("a", ()),
        "an entry of `labels`",
    );
    refused(
        &LabelsPatch::<Marker>::new().labels_entry("a", Marker),
        "an entry of `labels`",
    );
    refused(
        &LabelsPatch::<Option<Marker>>::new().rest_entry("a", Some(Marker)),
        "an entry of a flattened map",
    );
    refused(
        &LabelsPatch::<Wrapped>::new().labels_entry("a", Wrapped(Marker)),
        "an entry of `labels`",
    );
    // A value that is not `null` is written, a compound one too.
    assert_eq!(
        serde_json::to_value(
            LabelsPatch::<Vec<u8>>::new()
                .labels_entry("a", Vec::new())
                .rest_entry("b", vec![1_u8])
        )
        .unwrap(),
        serde_json::json!({"labels": {"a": []}, "b": [1]})
    );
    assert_eq!(
        serde_json::to_value(PreferencePatch::<Vec<u8>>::new().value(Vec::new())).unwrap(),
        serde_json::json!({"value": []})
    );
    assert_eq!(
        serde_json::to_value(LabelsPatch::<Option<u8>>::new().labels_entry("a", Some(0_u8)))
            .unwrap(),
        serde_json::json!({"labels": {"a": 0}})
    );
}

/// kube's `Object<P, U>` with `#[patchable(derive(Eq, Hash))]`: the patch holds the nested
/// patches `<P as Patchable>::Patch` and `<U as Patchable>::Patch`, which rustc's derives of
/// `Eq` and `Hash` do not bound (they bound `P: Eq`), so the patch did not compile for any
/// `P` ("can't compare `<P as Patchable>::Patch` with `<P as Patchable>::Patch`"). The
/// derive writes them out, bounded by the nested patches; so with `Ord` and `PartialOrd`.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[patchable(derive(Eq, Hash, PartialOrd, Ord))]
struct KubeObject<P, U> {
    name: String,
    #[patchable(nested)]
    spec: P,
    #[patchable(nested)]
    status: Option<U>,
    labels: Option<Vec<String>>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[patchable(derive(Eq, Hash, PartialOrd, Ord))]
struct ReplicaSpec {
    replicas: u32,
    image: Option<String>,
}

#[test]
fn extra_derives_bound_nested_generic_patches() {
    use std::collections::HashSet;

    let one: KubeObjectPatch<ReplicaSpec, ReplicaSpec> = KubeObjectPatch::new()
        .spec(ReplicaSpecPatch::new().replicas(3_u32))
        .clear_status();
    let same = serde_json::from_value(serde_json::json!({"spec": {"replicas": 3}, "status": null}))
        .unwrap();
    let other = KubeObjectPatch::new().spec(ReplicaSpecPatch::new().clear_image());
    let set: HashSet<_> = [one.clone(), same, other.clone()].into_iter().collect();
    assert_eq!(set.len(), 2);
    assert!(set.contains(&one));
    // Ordered by the fields in declaration order, as rustc's derives order: `name` (absent in
    // both), then `spec`, whose `replicas` absent (`None`) comes before `Some(3)`.
    assert!(other < one, "{other:?} < {one:?}");
    assert_eq!(one.cmp(&one.clone()), std::cmp::Ordering::Equal);
    let mut sorted = vec![one.clone(), other.clone()];
    sorted.sort();
    assert_eq!(sorted, vec![other, one]);
}

/// `PartialOrd` alone (no `Ord`), over a float: compared field by field, `None` where a float
/// is NaN, as rustc's derive compares.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[patchable(derive(PartialOrd))]
struct Reading<T> {
    #[patchable(nested)]
    sensor: T,
    celsius: f64,
}

#[test]
fn partial_order_without_a_total_one() {
    let cold: ReadingPatch<ReplicaSpec> = ReadingPatch::new().celsius(-3.0);
    let warm = ReadingPatch::new().celsius(20.0);
    assert!(cold < warm);
    let nan = ReadingPatch::new().celsius(f64::NAN);
    assert_eq!(nan.partial_cmp(&warm), None);
    let first = ReadingPatch::<ReplicaSpec>::new().sensor(ReplicaSpecPatch::new().replicas(1_u32));
    assert!(first > warm, "an absent sensor comes first");
}
