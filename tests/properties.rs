//! Property tests: serde round trip, RFC 7396 agreement with `json_patch::merge`, `diff`, and
//! composition (`then`) against two `json_patch::merge` calls.

mod support;

#[path = "support/look_alike.rs"]
mod look_alike;

use std::collections::BTreeMap;

use proptest::prelude::*;
use sparse_patch::{Field, Patch, Patchable};
use support::{Account, AccountPatch, Name, NamePatch, Photo, PhotoPatch, User, UserPatch};

fn text() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), "[a-c]{1,3}"]
}

fn field<T: std::fmt::Debug + Clone + 'static>(
    value: impl Strategy<Value = T> + 'static,
) -> impl Strategy<Value = Field<T>> {
    prop_oneof![
        Just(Field::Absent),
        Just(Field::Null),
        value.prop_map(Field::Value)
    ]
}

fn name() -> impl Strategy<Value = Name> {
    (proptest::option::of(text()), proptest::option::of(text()))
        .prop_map(|(given, family_name)| Name { given, family_name })
}

fn photo() -> impl Strategy<Value = Photo> {
    (text(), proptest::option::of(text())).prop_map(|(href, alt)| Photo { href, alt })
}

/// Map keys, with the two characters that a JSON Pointer escapes (RFC 6901 §3), the empty key
/// (the pointer `/labels/`), a dot and a letter that is not ASCII.
fn labels() -> impl Strategy<Value = BTreeMap<String, String>> {
    proptest::collection::btree_map("[ab~/é.]{0,2}", text(), 0..3)
}

/// Numbers that peers mishandle: `-0.0`, a float without a fractional part (`2.0`, which
/// serde_json keeps apart from the integer `2`), `1e300`, the ends of `i64` and `u64` (above
/// `i64::MAX`), besides small integers.
fn number() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        4 => (0u8..4).prop_map(serde_json::Value::from),
        1 => proptest::sample::select(vec![
            serde_json::json!(-0.0),
            serde_json::json!(2.0),
            serde_json::json!(1e300),
            serde_json::json!(i64::MIN),
            serde_json::json!(i64::MAX as u64 + 1),
            serde_json::json!(u64::MAX),
        ]),
    ]
}

/// Member names of untyped JSON: the two characters that a JSON Pointer escapes (RFC 6901 §3)
/// and their escapes written out, the empty name, a name that looks like an array index, a
/// letter that is not ASCII, a quote that JSON text escapes, and a `.` (a composition
/// conflict's `path()` joins names with dots; the law reads its `names()`).
fn json_key() -> impl Strategy<Value = String> {
    proptest::sample::select(vec!["a", "b", "", "~", "/", "~1", "0", "é", "\"\n", "a.b"])
        .prop_map(String::from)
}

/// Small JSON documents: objects and arrays of scalars, objects and arrays, with no `null`
/// inside an object (which a model may hold but no merge patch can produce) but `null` inside
/// arrays (which arrays keep), empty objects and arrays of objects.
fn json_document() -> impl Strategy<Value = serde_json::Value> {
    let scalar = prop_oneof![
        any::<bool>().prop_map(serde_json::Value::from),
        number(),
        "[a-b]{0,2}".prop_map(serde_json::Value::from),
    ];
    scalar.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            2 => proptest::collection::btree_map(json_key(), inner.clone(), 0..3)
                .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
            1 => proptest::collection::vec(
                prop_oneof![3 => inner, 1 => Just(serde_json::Value::Null)],
                0..3,
            )
            .prop_map(serde_json::Value::Array),
        ]
    })
}

/// JSON merge patches: like documents, with `null` members that remove; arrays (which may
/// hold `null`, a value there) and empty objects are values.
fn json_patch_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        number(),
        "[a-b]{0,2}".prop_map(serde_json::Value::from),
        json_document(),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        proptest::collection::btree_map(json_key(), inner, 0..3)
            .prop_map(|map| serde_json::Value::Object(map.into_iter().collect()))
    })
    .prop_filter("a top-level null is a clear, not a value", |value| {
        !value.is_null()
    })
}

fn user() -> impl Strategy<Value = User> {
    (
        (
            text(),
            text(),
            proptest::option::of(text()),
            proptest::option::of(text()),
        ),
        (
            proptest::option::of(text()),
            any::<u32>(),
            proptest::collection::vec(text(), 0..2),
        ),
        (proptest::option::of(name()), proptest::option::of(photo())),
        (
            any::<bool>(),
            proptest::option::of(text()),
            labels(),
            proptest::option::of(json_document()),
        ),
    )
        .prop_map(
            |(
                (username, email, nickname, phone),
                (r#type, age, tags),
                (name, photo),
                (can_authenticate, status, labels, extra),
            )| User {
                username,
                email,
                nickname,
                phone,
                r#type,
                age,
                tags,
                name,
                photo,
                account: Account {
                    can_authenticate,
                    status,
                },
                labels,
                extra,
            },
        )
}

fn name_patch() -> impl Strategy<Value = NamePatch> {
    (field(text()), field(text())).prop_map(|(given, family_name)| {
        let mut patch = NamePatch::new();
        patch.given = given;
        patch.family_name = family_name;
        patch
    })
}

fn photo_patch() -> impl Strategy<Value = PhotoPatch> {
    (proptest::option::of(text()), field(text())).prop_map(|(href, alt)| {
        let mut patch = PhotoPatch::new();
        patch.href = href;
        patch.alt = alt;
        patch
    })
}

fn user_patch() -> impl Strategy<Value = UserPatch> {
    (
        (
            proptest::option::of(text()),
            proptest::option::of(text()),
            field(text()),
            field(text()),
            field(text()),
        ),
        (
            proptest::option::of(any::<u32>()),
            proptest::option::of(proptest::collection::vec(text(), 0..2)),
            field(name_patch()),
            field(photo_patch()),
        ),
        (
            proptest::option::of((proptest::option::of(any::<bool>()), field(text()))),
            proptest::option::of(proptest::collection::btree_map(
                "[ab~/.é]{0,2}",
                field(text()),
                0..3,
            )),
            field(json_patch_value()),
        ),
    )
        .prop_map(
            |(
                (username, email, nickname, phone, r#type),
                (age, tags, name, photo),
                (account, labels, extra),
            )| {
                let mut patch = UserPatch::new();
                patch.username = username;
                patch.email = email;
                patch.nickname = nickname;
                patch.phone = phone;
                patch.r#type = r#type;
                patch.age = age;
                patch.tags = tags;
                patch.name = name;
                patch.photo = photo;
                patch.account = account.map(|(can_authenticate, status)| {
                    let mut account = AccountPatch::new();
                    account.can_authenticate = can_authenticate;
                    account.status = status;
                    account
                });
                // An absent entry is not sent; keep the generated maps to what JSON can say.
                patch.labels = labels
                    .map(|labels| labels.into_iter().filter(|(_, f)| f.is_present()).collect());
                patch.extra = extra;
                patch
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn deserialize_serialize_is_identity(patch in user_patch()) {
        let json = serde_json::to_string(&patch).unwrap();
        let back: UserPatch = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, patch);
    }

    /// `apply` gives what `json_patch::merge` gives; it refuses only a patch whose merged
    /// JSON is no user (a `photo` made without its required `href`), and then changes nothing.
    /// Without the second check, an `apply` that refused every patch passed.
    #[test]
    fn apply_agrees_with_json_merge_patch(mut user in user(), patch in user_patch()) {
        let mut expected = serde_json::to_value(&user).unwrap();
        json_patch::merge(&mut expected, &serde_json::to_value(&patch).unwrap());
        let before = user.clone();
        match user.apply(patch) {
            Ok(()) => prop_assert_eq!(serde_json::to_value(&user).unwrap(), expected),
            Err(error) => {
                prop_assert_eq!(user, before);
                let merged = serde_json::from_value::<User>(expected.clone());
                prop_assert!(merged.is_err(), "refused ({}), though the merge gives a user: {}", error, expected);
            }
        }
    }

    #[test]
    fn apply_of_diff_gives_target(mut a in user(), b in user()) {
        let patch = a.diff(&b);
        a.apply(patch).unwrap();
        prop_assert_eq!(a, b);
    }

    /// `first.then(next)` does the work of `first` and then `next`, on JSON (two
    /// `json_patch::merge` calls against one) and on the typed model; when it refuses, the
    /// attribute it names is one that `first` clears (or sets to a non-object) and `next`
    /// merges an object into, and both patches come back untouched.
    #[test]
    fn composition_does_the_work_of_both_patches(
        user in user(),
        first in user_patch(),
        next in user_patch(),
    ) {
        let document = serde_json::to_value(&user).unwrap();
        let first_json = serde_json::to_value(&first).unwrap();
        let next_json = serde_json::to_value(&next).unwrap();
        let mut in_turn_json = document.clone();
        json_patch::merge(&mut in_turn_json, &first_json);
        json_patch::merge(&mut in_turn_json, &next_json);
        let mut in_turn = user.clone();
        let applied = in_turn.apply(first.clone()).and_then(|()| in_turn.apply(next.clone()));
        match first.clone().then(next.clone()) {
            Ok(both) => {
                let mut once_json = document;
                json_patch::merge(&mut once_json, &serde_json::to_value(&both).unwrap());
                prop_assert_eq!(once_json, in_turn_json);
                if applied.is_ok() {
                    let mut once = user;
                    once.apply(both).unwrap();
                    prop_assert_eq!(once, in_turn);
                }
            }
            Err(error) => {
                let path = error.path();
                let names: Vec<String> = error.names().map(str::to_owned).collect();
                let at = |json: &serde_json::Value| {
                    names.iter().try_fold(json, |json, key| json.get(key)).cloned()
                };
                let cleared = at(&first_json);
                prop_assert!(cleared.as_ref().is_some_and(|value| !value.is_object()), "{path}: {cleared:?}");
                prop_assert!(at(&next_json).is_some_and(|value| value.is_object()), "{path}");
                let (first_back, next_back) = error.into_patches();
                prop_assert_eq!(first_back, first);
                prop_assert_eq!(next_back, next);
            }
        }
    }

    /// The RFC 6902 operations of a patch, applied by `json_patch::patch`, give the document
    /// that the merge patch gives through `json_patch::merge`.
    #[test]
    fn json_patch_does_the_work_of_the_merge_patch(user in user(), patch in user_patch()) {
        let base = serde_json::to_value(&user).unwrap();
        let mut merged = base.clone();
        json_patch::merge(&mut merged, &serde_json::to_value(&patch).unwrap());
        let operations = patch.to_json_patch(&user).unwrap();
        let document: json_patch::Patch =
            serde_json::from_value(serde_json::to_value(&operations).unwrap()).unwrap();
        let mut patched = base;
        json_patch::patch(&mut patched, &document).unwrap();
        prop_assert_eq!(patched, merged);
    }

    /// Composition is associative where both groupings compose: `(a.then(b)).then(c)` and
    /// `a.then(b.then(c))` are the same patch, and, applied to a model's JSON by
    /// `json_patch::merge`, do the work of the three patches merged in turn. (One grouping may
    /// refuse where the other does not: `null`, then an object, then a scalar composes as
    /// `a.then(b.then(c))` only, since `b.then(c)` is the scalar.)
    #[test]
    fn composition_is_associative(
        user in user(),
        a in user_patch(),
        b in user_patch(),
        c in user_patch(),
    ) {
        let left = a.clone().then(b.clone()).ok().and_then(|ab| ab.then(c.clone()).ok());
        let right = b.clone().then(c.clone()).ok().and_then(|bc| a.clone().then(bc).ok());
        let mut in_turn = serde_json::to_value(&user).unwrap();
        for patch in [&a, &b, &c] {
            json_patch::merge(&mut in_turn, &serde_json::to_value(patch).unwrap());
        }
        for composed in [&left, &right].into_iter().flatten() {
            let mut once = serde_json::to_value(&user).unwrap();
            json_patch::merge(&mut once, &serde_json::to_value(composed).unwrap());
            prop_assert_eq!(&once, &in_turn);
        }
        if let (Some(left), Some(right)) = (left, right) {
            prop_assert_eq!(left, right);
        }
    }

    /// `apply(diff)` where the target's untyped JSON only looks like the model's (`1` and
    /// `1.0`, `0` and `-0.0`, a string and the string with a space, at any depth): a pair that
    /// two users generated apart rarely hold, and that a diff comparing loosely drops.
    #[test]
    fn apply_of_diff_gives_a_look_alike_target(mut a in user(), choice in any::<u64>()) {
        let mut b = a.clone();
        b.extra = a.extra.as_ref().map(|extra| look_alike::look_alike(extra, choice));
        let patch = a.diff(&b);
        a.apply(patch).unwrap();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn diff_with_itself_is_empty(a in user()) {
        prop_assert!(a.diff(&a).is_empty());
        prop_assert_eq!(serde_json::to_string(&a.diff(&a)).unwrap(), "{}");
    }
}
