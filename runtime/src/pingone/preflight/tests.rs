//! Pre-flight's unit tests: the check while serializing against the check by reading the JSON.

use serde_json::{Value, json};

use super::watch::written_bit;
use super::*;
use crate::pingone::rules::{OBJECTS, RULES};

/// Each rule, as `rule` and `member_rule` hand it out, and each object has a bit of its
/// own, so that a member written twice is told from two members.
#[test]
fn every_ruled_member_has_a_bit_of_its_own() {
    let mut places: Vec<Place> = OBJECTS
        .iter()
        .map(|object| Place::Object(rules::object(object).unwrap()))
        .collect();
    for found in RULES {
        let place = match found.path.split_once('.') {
            Some((object, member)) => member_rule(object, member),
            None => rule(found.path),
        };
        places.push(Place::Ruled(place.unwrap()));
    }
    let mut all = 0;
    for place in places {
        let bit = written_bit(place);
        assert_eq!(bit.count_ones(), 1);
        assert_eq!(all & bit, 0);
        all |= bit;
    }
}

/// The one-pass reader of the client finds exactly what the `Value` check of the
/// emulator finds (without a current user).
#[test]
fn the_json_reader_agrees_with_the_value_check() {
    let patches = [
        json!({}),
        json!({"username": null, "email": "nope", "nickname": "", "title": "t"}),
        json!({"email": 5, "timezone": "Los Angeles", "mobilePhone": "no digits"}),
        json!({"primaryPhone": "1".repeat(33), "externalId": "x".repeat(1025)}),
        json!({"name": {"given": "", "family": "f".repeat(257), "other": ""}}),
        json!({"address": {"countryCode": "usa", "postalCode": "p".repeat(41)}}),
        json!({"photo": {"href": "ftp://x"}, "name": null, "address": "street"}),
        json!({"photo": {"href": null}, "name": [1, 2], "address": 7}),
        json!({"photo": {}, "custom": {"email": "nested, not a rule"}, "tags": ["a"]}),
        json!({"nickname": "esc\"aped\u{e9}", "title": "", "locale": {"a": [null]}}),
        json!({"photo": true, "name": {"given": {"x": 1}}, "type": 1.5}),
    ];
    for patch in patches {
        let by_value = rules::check_patch(patch.as_object().unwrap(), None);
        let by_json = check_patch_json(&patch.to_string());
        assert_eq!(by_json, by_value, "{patch}");
    }
    assert!(check_patch_json("[1, 2]").is_empty());
    assert!(check_patch_json("not json").is_empty());
}

/// A number that is not a 64-bit integer where an object belongs (`photo`, `name`,
/// `address`) is no object, in any build: with serde_json's `arbitrary_precision` (on in a
/// build where any crate turns it on), the reader is handed such a number as a one-member map,
/// and `"photo": 1.0` passed the pre-flight as an object with no members. A `Value`'s integer
/// wider than 64 bits came as an `i128` or a `u128`, which the reader refused, and every other
/// fault of the patch went unsaid with it (review 70).
#[test]
fn a_number_is_no_object_in_any_build() {
    for number in [
        "1.0",
        "-0",
        "-1.5e3",
        "18446744073709551616",
        "-9223372036854775809",
    ] {
        let json = format!(
            r#"{{"photo": {number}, "name": {number}, "address": {number}, "title": {number}}}"#
        );
        let patch: Value = serde_json::from_str(&json).unwrap();
        let targets = |details: Vec<ErrorDetail>| {
            let mut targets: Vec<_> = details.into_iter().filter_map(|d| d.target).collect();
            targets.sort();
            targets
        };
        let all = ["address", "name", "photo", "title"];
        let by_value = targets(rules::check_patch(patch.as_object().unwrap(), None));
        assert_eq!(by_value, all, "{json}");
        assert_eq!(targets(check_patch_json(&json)), all, "{json}");
        assert_eq!(
            targets(read_json::check_value_quoted(&patch)),
            all,
            "{json}"
        );
    }
}

/// `serialize_checked` writes what `serde_json::to_vec` writes, and fails or passes with
/// the same error as reading that JSON (`check_patch_text`) would.
fn assert_same<P: Serialize + ?Sized>(patch: &P) -> Result<(), String> {
    let json = serde_json::to_string(patch).expect("serializes");
    let by_reading = check_patch_text(&json).map_err(|error| error.to_string());
    let by_watching = serialize_checked(patch)
        .map(|body| assert_eq!(body, json.as_bytes(), "{json}"))
        .map_err(|error| error.to_string());
    assert_eq!(by_watching, by_reading, "{json}");
    by_reading
}

/// Every patch of one or two members over keys with and without rules and values of
/// every JSON kind, good and bad.
#[test]
fn serializing_checks_what_reading_the_json_finds() {
    let keys = [
        "username",
        "email",
        "nickname",
        "timezone",
        "mobilePhone",
        "name",
        "address",
        "photo",
        "custom",
        "given",
        "na\"me",
        // Read-only: refused whatever the value, by both checks.
        "population",
        "updatedAt",
    ];
    let values = [
        json!(null),
        json!(""),
        json!("ok"),
        json!("a@b.c"),
        json!("America/Los_Angeles"),
        json!("x".repeat(300)),
        json!(5),
        json!(1.5),
        json!(true),
        json!(["a", null]),
        json!({}),
        json!({"given": "", "family": 7, "countryCode": "us", "href": "ftp://x", "x": null}),
        json!({"given": "G", "countryCode": "US", "href": null}),
        json!({"email": "nested"}),
    ];
    let members: Vec<(&str, &Value)> = keys
        .iter()
        .flat_map(|key| values.iter().map(move |value| (*key, value)))
        .collect();
    let mut failed = 0;
    for (index, first) in members.iter().enumerate() {
        for second in &members[index..] {
            let mut patch = serde_json::Map::new();
            patch.insert(first.0.to_owned(), first.1.clone());
            patch.insert(second.0.to_owned(), second.1.clone());
            failed += usize::from(assert_same(&patch).is_err());
        }
    }
    // Not a check that can only pass: most of these patches break a rule.
    assert!(failed > members.len() * members.len() / 4, "{failed}");
    for patch in [json!([1]), json!("x"), json!(null), json!(3)] {
        assert_eq!(assert_same(&patch), Ok(()));
    }
    let large = json!({"nickname": "n", "custom": "x".repeat(rules::MAX_PROFILE_BYTES)});
    let error = assert_same(&large).unwrap_err();
    assert!(
        error.contains("the whole profile: The user profile is"),
        "{error}"
    );
}

/// Values that serde writes in other ways than a `Value` does: enums (a unit variant is a
/// string, the others a one-member object), `char`, floats that are not finite (`null`),
/// unit structs, newtypes, `Option`, maps with keys that are not strings, a struct as
/// serde_json's `RawValue`, and `#[serde(flatten)]`.
#[test]
fn serializing_checks_every_kind_of_serde_value() {
    use std::collections::BTreeMap;

    use serde::Serialize;
    use serde_json::value::RawValue;

    #[derive(Serialize)]
    #[allow(non_camel_case_types, non_snake_case, dead_code)]
    enum Kind {
        Plain,
        given,
        Newtype(&'static str),
        email(&'static str),
        name(u8),
        family(u8, u8),
        address { countryCode: &'static str },
        photo { href: Option<&'static str> },
        nickname { x: u8 },
        Tuple(u8, u8),
    }
    #[derive(Serialize)]
    struct Unit;
    #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
    struct Wrapper<T>(T);
    #[derive(Serialize)]
    #[allow(non_snake_case)]
    struct Patch<T> {
        #[serde(skip_serializing_if = "Option::is_none")]
        username: Option<T>,
        email: Option<T>,
        name: Option<BTreeMap<&'static str, T>>,
        #[serde(flatten)]
        rest: BTreeMap<String, T>,
    }
    #[derive(Serialize)]
    struct Top<T> {
        #[serde(flatten)]
        members: T,
    }

    let kinds = [
        Kind::Plain,
        Kind::given,
        Kind::Newtype("x"),
        Kind::email("bad"),
        Kind::name(1),
        Kind::family(1, 2),
        Kind::address { countryCode: "us" },
        Kind::photo { href: None },
        Kind::photo {
            href: Some("ftp://x"),
        },
        Kind::nickname { x: 1 },
        Kind::Tuple(1, 2),
    ];
    let mut failed = 0;
    for kind in &kinds {
        failed += usize::from(assert_same(kind).is_err());
        let mut name = BTreeMap::new();
        name.insert("given", kind);
        name.insert("family", kind);
        let mut rest = BTreeMap::new();
        rest.insert("nickname".to_owned(), kind);
        rest.insert("photo".to_owned(), kind);
        rest.insert("address".to_owned(), kind);
        rest.insert("custom".to_owned(), kind);
        let patch = Patch {
            username: Some(kind),
            email: Some(kind),
            name: Some(name),
            rest,
        };
        failed += usize::from(assert_same(&patch).is_err());
        failed += usize::from(assert_same(&Top { members: &patch }).is_err());
        failed += usize::from(assert_same(&Wrapper(Some(&patch))).is_err());
    }
    assert!(failed > kinds.len() * 3, "{failed}");

    for value in [f64::NAN, f64::INFINITY, 1.0] {
        let patch = Patch::<f64> {
            username: Some(value),
            email: None,
            name: None,
            rest: BTreeMap::from([("photo".to_owned(), value), ("title".to_owned(), value)]),
        };
        if value.is_finite() {
            assert!(assert_same(&patch).is_err());
        } else {
            // serde_json would write `null`, which clears: refused before PingOne's rules,
            // with or without them.
            for error in [
                serialize_checked(&patch).unwrap_err(),
                serialize_unchecked(&patch).unwrap_err(),
            ] {
                let error = error.to_string();
                assert!(
                    error.contains("cannot send the patch: `username` is ")
                        && error.contains("removes the attribute"),
                    "{error}"
                );
            }
        }
    }
    let chars = Patch::<char> {
        username: Some('u'),
        email: Some('@'),
        name: Some(BTreeMap::from([("given", 'g'), ("middle", 'm')])),
        rest: BTreeMap::from([("address".to_owned(), 'a'), ("€".to_owned(), 'x')]),
    };
    assert!(assert_same(&chars).is_err());
    let units = Patch::<Unit> {
        username: Some(Unit),
        email: Some(Unit),
        name: Some(BTreeMap::from([("given", Unit)])),
        rest: BTreeMap::from([("photo".to_owned(), Unit)]),
    };
    assert!(assert_same(&units).is_err());
    let newtypes = Patch::<Wrapper<&str>> {
        username: Some(Wrapper("")),
        email: Some(Wrapper("no")),
        name: Some(BTreeMap::from([("given", Wrapper(""))])),
        rest: BTreeMap::from([("locale".to_owned(), Wrapper(""))]),
    };
    assert!(assert_same(&newtypes).is_err());
    // A type written through `collect_str` (its `Display`, as many ID and URL types are):
    // checked as the string it writes, at a rule's place as elsewhere.
    struct Shown(&'static str);
    impl Serialize for Shown {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_str(self.0)
        }
    }
    let shown = |username, email, given, nickname| Patch::<Shown> {
        username: Some(Shown(username)),
        email: Some(Shown(email)),
        name: Some(BTreeMap::from([("given", Shown(given))])),
        rest: BTreeMap::from([
            ("nickname".to_owned(), Shown(nickname)),
            ("custom".to_owned(), Shown("x")),
        ]),
    };
    assert_eq!(
        assert_same(&shown("ada", "ada@example.com", "Ada", "Countess")),
        Ok(())
    );
    let error = assert_same(&shown("ada", "not-an-email", "Ada", "")).unwrap_err();
    assert!(
        error.contains("(email must be an RFC 2822 address")
            && error.contains("; nickname must be between"),
        "{error}"
    );
    assert!(
        assert_same(&BTreeMap::from([("address", Shown("x"))]))
            .unwrap_err()
            .contains("address must be an object")
    );

    // Keys that are not strings, and a unit variant as a key.
    let keys: BTreeMap<Wrapper<char>, &str> = BTreeMap::from([(Wrapper('e'), "")]);
    assert_eq!(assert_same(&keys), Ok(()));
    // A number is no attribute's name, at the top of the patch (it is written `"1"`), and
    // both checks say so; inside an object it is a member like any other.
    let numbers: BTreeMap<u8, &str> = BTreeMap::from([(1, "")]);
    assert!(
        assert_same(&numbers)
            .unwrap_err()
            .contains("(1 is no attribute of a PingOne user")
    );
    let floats = BTreeMap::from([("custom", BTreeMap::from([(1u8, 2.5f64)]))]);
    assert_eq!(assert_same(&floats), Ok(()));
    let booleans: BTreeMap<bool, &str> = BTreeMap::from([(true, "")]);
    assert_eq!(assert_same(&booleans), Ok(()));
    #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
    #[allow(non_camel_case_types)]
    enum Key {
        nickname,
        name,
    }
    let variants = BTreeMap::from([(Key::nickname, json!("")), (Key::name, json!(5))]);
    assert!(assert_same(&variants).is_err());

    // serde_json's `RawValue` is read as JSON again, wherever it is.
    let raw =
        RawValue::from_string(r#"{"nickname": "", "given": "", "x": [1]}"#.to_owned()).unwrap();
    let raw_string = RawValue::from_string(r#""""#.to_owned()).unwrap();
    let patch = Patch::<&RawValue> {
        username: Some(&raw_string),
        email: Some(&raw),
        name: Some(BTreeMap::from([("given", &*raw_string)])),
        rest: BTreeMap::from([
            ("name".to_owned(), &*raw),
            ("photo".to_owned(), &*raw_string),
        ]),
    };
    assert!(assert_same(&patch).is_err());
    assert!(assert_same(&raw).is_err());
    assert_eq!(assert_same(&raw_string), Ok(()));
}

/// The client's own patches, as the derive writes them.
#[test]
fn serializing_checks_the_user_patch() {
    use crate::pingone::{NamePatch, UserPatch};

    let patch = UserPatch::new()
        .email("not-an-email")
        .nickname("")
        .name(NamePatch::new().given(""));
    let error = assert_same(&patch).unwrap_err();
    for target in ["email", "nickname", "name.given"] {
        // Each fault starts with its target, written once.
        assert!(
            error.contains(&format!("({target} ")) || error.contains(&format!("; {target} ")),
            "{error}"
        );
        assert!(!error.contains(&format!("{target}: {target}")), "{error}");
    }
    let good = UserPatch::new()
        .email("a@example.com")
        .name(NamePatch::new().given("G"));
    assert_eq!(assert_same(&good), Ok(()));
}

/// The refusal's text, whole: each fault once as its rule's message without its full stop,
/// the string that arrived quoted before it, cut to its first 64 characters and its length.
#[test]
fn a_refusal_says_each_fault_and_the_value_that_arrived() {
    let patch = json!({"nickname": "", "title": format!("{}\u{7}", "t".repeat(299))});
    let error = serialize_checked(&patch).unwrap_err().to_string();
    let quoted = format!("(found {:?}… (300 characters))", "t".repeat(64));
    assert_eq!(
        error,
        format!(
            "invalid input: the patch breaks PingOne's rules (nickname must be between 1 and \
             256 characters long (found \"\"); title must be between 1 and 256 characters \
             long {quoted}; title must not hold a control or invisible format character \
             (such as a tab, a line break or a zero-width space) (it must match \
             ^[\\p{{L}}\\p{{M}}\\p{{Zs}}\\p{{S}}\\p{{N}}\\p{{P}}]*$) {quoted}); nothing was sent"
        )
    );
}

/// An object's member named as a read-only attribute of the user (`name.id`,
/// `address.updatedAt`) is not that attribute: only the patch's own members are refused as
/// read-only, by the check while serializing and by the reading of the JSON alike.
#[test]
fn a_read_only_name_inside_an_object_is_not_the_users() {
    let patch = json!({"name": {"id": "x"}, "address": {"updatedAt": "y"}, "photo": null});
    assert_eq!(assert_same(&patch), Ok(()));
    let error = assert_same(&json!({"id": "x", "name": {"id": "x"}})).unwrap_err();
    assert_eq!(error.matches("is read-only").count(), 1, "{error}");
}

/// A map's entries as a hand-written `Serialize` writes them: by `serialize_entry`, or by
/// `serialize_key` and then `serialize_value` (which serde's own impls do not use).
struct Entries<V>(Vec<(&'static str, V)>, bool);

impl<V: Serialize> Serialize for Entries<V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            if self.1 {
                map.serialize_key(key)?;
                map.serialize_value(value)?;
            } else {
                map.serialize_entry(key, value)?;
            }
        }
        map.end()
    }
}

/// A value written by `serialize_key` and `serialize_value` is checked where its key puts
/// it, and a member written twice that way is a fault, as by `serialize_entry`.
#[test]
fn a_map_written_key_then_value_is_checked() {
    for by_key in [true, false] {
        let error =
            assert_same(&Entries(vec![("nickname", ""), ("custom", "")], by_key)).unwrap_err();
        assert!(
            error.contains("nickname must be between 1 and 256"),
            "{error}"
        );
        let twice = Entries(vec![("title", "A"), ("title", "B")], by_key);
        let error = serialize_checked(&twice).unwrap_err().to_string();
        assert!(
            error.contains("title is written twice"),
            "{by_key}: {error}"
        );
    }
}

/// A member of `name` without a rule written twice is named with its object.
#[test]
fn a_member_of_an_object_written_twice_is_named_with_its_object() {
    let patch = Entries(
        vec![("name", Entries(vec![("nick", "A"), ("nick", "B")], false))],
        false,
    );
    let error = serialize_checked(&patch).unwrap_err().to_string();
    assert!(error.contains("(name.nick is written twice"), "{error}");
}

/// A tuple variant whose name is a ruled member (`{"nickname": [1, 2]}`), and a map key
/// that is a newtype around a string (`Key("nickname")`), are checked where they sit.
#[test]
fn a_tuple_variant_and_a_newtype_key_are_checked_where_they_sit() {
    #[derive(Serialize)]
    #[allow(non_camel_case_types)]
    enum Patch {
        nickname(u8, u8),
    }
    let error = assert_same(&Patch::nickname(1, 2)).unwrap_err();
    assert!(error.contains("nickname must be a string"), "{error}");

    #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
    struct Key(&'static str);
    let keys = std::collections::BTreeMap::from([(Key("nickname"), "")]);
    let error = assert_same(&keys).unwrap_err();
    assert!(error.contains("nickname must be between"), "{error}");
}

/// SCIM: an `add` or `replace` of a read-only attribute without a value (or with `null`) is
/// refused as read-only, and a long path is quoted as its first 128 characters.
#[test]
fn scim_read_only_without_a_value_and_a_long_path() {
    use crate::{ScimOp, ScimOperation, ScimPatch};

    for value in [None, Some(json!(null))] {
        let operation = ScimOperation {
            op: ScimOp::Replace,
            path: Some("createdAt".to_owned()),
            value,
        };
        let error = check_scim_patch(&ScimPatch::new(vec![operation]))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("operation 1 (replace \"createdAt\"): createdAt is read-only"),
            "{error}"
        );
    }
    let path = format!("createdAt[{}]", "x".repeat(200));
    let error = check_scim_patch(&ScimPatch::new(vec![ScimOperation::replace(
        &*path,
        json!("y"),
    )]))
    .unwrap_err()
    .to_string();
    let quoted = format!("(replace \"{}\"… (211 characters))", &path[..128]);
    assert!(error.contains(&quoted), "{error}");
}

/// `check_patch` alone, which sends nothing in any case, said `; nothing was sent` as the
/// client's call does, as if a call had been made: a patch that breaks a rule, a body that is
/// not an object, a float that is not finite, and SCIM operations. The client's own texts keep
/// it; the check's are the same otherwise.
#[test]
fn a_check_alone_does_not_say_that_nothing_was_sent() {
    use std::collections::BTreeMap;

    use crate::{ScimOperation, ScimPatch};

    let broken = json!({"email": "ada@"});
    let Err(Error::Preflight { message, details }) = check_patch(&broken) else {
        panic!()
    };
    let client = serialize_checked(&broken).unwrap_err();
    let Error::Preflight {
        message: sent_text,
        details: sent_details,
    } = &client
    else {
        panic!("{client:?}")
    };
    assert_eq!(format!("{message}; nothing was sent"), *sent_text);
    assert_eq!(details, *sent_details);
    let not_finite = BTreeMap::from([("title", f64::NAN)]);
    for error in [
        check_patch(&json!([1])).unwrap_err(),
        check_patch(&not_finite).unwrap_err(),
        check_scim_patch(&ScimPatch::new(vec![ScimOperation::replace(
            "createdAt",
            json!("x"),
        )]))
        .unwrap_err(),
    ] {
        let text = error.to_string();
        assert!(!text.contains("nothing was sent"), "{text}");
        assert!(!text.contains("sent"), "{text}");
    }
    let client = serialize_checked(&not_finite).unwrap_err().to_string();
    assert!(client.ends_with("; nothing was sent"), "{client}");
}

/// `check_patch` said `Ok` for a body that is no JSON object (an array, `null`, a string, a
/// number: a service's `serde_json::Value` from its own client), which PingOne refuses with a
/// 400: refused now, saying what it is.
#[test]
fn check_patch_refuses_a_patch_that_is_not_an_object() {
    for (body, kind) in [
        (json!([{"nickname": "Ada"}]), "an array"),
        (json!(null), "null"),
        (json!("nickname"), "a string"),
        (json!(1), "a number"),
        (json!(true), "a boolean"),
    ] {
        let Err(Error::Preflight { message, details }) = super::check_patch(&body) else {
            panic!("{body} passed");
        };
        assert!(
            message.starts_with(&format!("the patch is {kind}, not a JSON object")),
            "{message}"
        );
        assert!(details.is_empty());
    }
    super::check_patch(&json!({})).unwrap();
    super::check_patch(&json!({"nickname": null})).unwrap();
}

/// A top-level attribute whose name no attribute of a user has and no custom attribute can
/// have (a letter, then letters, digits and hyphens, at most 256): PingOne ignores it and
/// answers 200, as it ignores a read-only one. A model of your own without
/// `rename_all = "camelCase"` sent `mobile_phone`, and the pre-flight let it through (so did
/// `cost_center`, `a.b`, a name of 300 letters), where the sync job refuses such a line as
/// unknown. Inside an object, and a valid custom name, still pass.
#[test]
fn a_name_that_no_attribute_can_have_is_refused_as_ignored() {
    #[derive(Serialize)]
    struct OwnModel {
        mobile_phone: Option<String>,
        external_id: &'static str,
        nickname: &'static str,
    }
    let error = assert_same(&OwnModel {
        mobile_phone: Some("+1 555 0100".into()),
        external_id: "x",
        nickname: "Al",
    })
    .unwrap_err();
    for part in [
        "mobile_phone is no attribute of a PingOne user, and no custom attribute can be so named",
        "PingOne ignores it and answers 200, changing nothing (PingOne's name is mobilePhone: #[serde(rename_all = \"camelCase\")] on a model writes its fields so)",
        "external_id is no attribute of a PingOne user",
        "(PingOne's name is externalId",
    ] {
        assert!(error.contains(part), "{part}\n{error}");
    }
    assert!(!error.contains("nickname"), "{error}");
    let long = "x".repeat(300);
    for (patch, target) in [
        (json!({"cost_center": "42"}), "cost_center"),
        (json!({"a.b": 1, "badge": 1}), "a.b"),
        (json!({"1x": null}), "1x"),
        (json!({"": 1}), ""),
        (json!({"bädge": 1}), "bädge"),
        (json!({long.clone(): 1}), long.as_str()),
    ] {
        let Err(Error::Preflight { details, message }) = check_patch(&patch) else {
            panic!("{patch}")
        };
        assert_eq!(details.len(), 1, "{message}");
        assert_eq!(details[0].target.as_deref(), Some(target), "{message}");
        assert!(
            message.contains("is no attribute of a PingOne user"),
            "{message}"
        );
        assert!(!message.contains("PingOne's name is"), "{message}");
        assert!(
            assert_same(&patch)
                .unwrap_err()
                .ends_with(&format!("{message}; nothing was sent")),
            "{message}"
        );
    }
    for patch in [
        json!({"costCenter": "42", "badge-2": 1, "name": {"given_name": "x"}}),
        json!({"custom": {"a.b": 1, "c_d": null}, "account": {"canAuthenticate": true}}),
        json!({"x".repeat(256): 1}),
        // HAL's reserved names, PingOne's own, written back as they were read.
        json!({"_embedded": {"population": {"id": "p"}}}),
    ] {
        assert_eq!(assert_same(&patch), Ok(()), "{patch}");
    }
    // A document store's names (`_id`, `__v`) passed: only HAL's `_embedded` does, among names
    // with `_` first.
    for (patch, target) in [(json!({"_id": "x"}), "_id"), (json!({"__v": 0}), "__v")] {
        let Err(Error::Preflight { details, message }) = check_patch(&patch) else {
            panic!("{patch}")
        };
        assert_eq!(details[0].target.as_deref(), Some(target), "{message}");
        assert!(
            message.contains(&format!("{target} is no attribute of a PingOne user")),
            "{message}"
        );
    }
    // A core attribute's name in another case (SCIM's `userName`, a model in PascalCase):
    // PingOne's names are case-sensitive, so it ignores them and answers 200; passed before.
    for (patch, target, core) in [
        (json!({"userName": "ada"}), "userName", "username"),
        (json!({"Email": "a@example.com"}), "Email", "email"),
        (json!({"Title": "Dr"}), "Title", "title"),
        (
            json!({"MobilePhone": "+1 555 0100"}),
            "MobilePhone",
            "mobilePhone",
        ),
    ] {
        let Err(Error::Preflight { details, message }) = check_patch(&patch) else {
            panic!("{patch}")
        };
        assert_eq!(details.len(), 1, "{message}");
        assert_eq!(details[0].target.as_deref(), Some(target), "{message}");
        assert!(
            message.contains(&format!(
                "{target} is no attribute of a PingOne user: PingOne's names are case-sensitive, and this one is {core}"
            )),
            "{message}"
        );
        assert!(
            assert_same(&patch)
                .unwrap_err()
                .ends_with(&format!("{message}; nothing was sent")),
            "{message}"
        );
    }
}

/// A patch written as an enum's variant (`{"id": "x"}`, `{"cost_center": 1}`): the serializing
/// check did not note a read-only or impossible name there, where reading the JSON did; and a
/// name that PingOne ignores, written twice, is one such fault beside the fault of writing it
/// twice (which the serializing check alone sees).
#[test]
fn an_ignored_name_is_noted_once_and_also_as_a_variant() {
    #[derive(Serialize)]
    #[allow(non_camel_case_types)]
    enum Change {
        id(&'static str),
        cost_center(u8),
        costCenter(u8),
    }
    let error = assert_same(&Change::id("x")).unwrap_err();
    assert!(error.contains("id is read-only"), "{error}");
    let error = assert_same(&Change::cost_center(1)).unwrap_err();
    assert!(
        error.contains("cost_center is no attribute of a PingOne user"),
        "{error}"
    );
    assert_eq!(assert_same(&Change::costCenter(1)), Ok(()));
    let twice = Entries(vec![("id", "x"), ("id", "y")], false);
    let error = serialize_checked(&twice).unwrap_err().to_string();
    assert_eq!(error.matches("id is read-only").count(), 1, "{error}");
    assert!(error.contains("id is written twice"), "{error}");
}

/// A patch of many names that PingOne ignores: each was looked for among the faults noted
/// before it, by both checks (16,000 names took 2.3 s, 64,000 took 54 s, in a test build;
/// these 50,000 about half a minute). Each is one fault still, in the patch's order, and a
/// name written twice is one such fault beside the fault of writing it twice.
#[test]
fn many_ignored_names_are_each_one_fault() {
    let size = 50_000;
    let patch = Value::Object(
        (0..size)
            .map(|i| (format!("cost_center_{i:05}"), json!(1)))
            .collect(),
    );
    assert_same(&patch).unwrap_err();
    let Err(Error::Preflight { message, details }) = check_patch(&patch) else {
        panic!("refused")
    };
    // The error's text is cut (to 8 KiB); its message holds every fault.
    assert_eq!(
        message.matches("is no attribute of a PingOne user").count(),
        size
    );
    let targets: Vec<&str> = details.iter().filter_map(|d| d.target.as_deref()).collect();
    let in_order: Vec<String> = (0..size).map(|i| format!("cost_center_{i:05}")).collect();
    assert!(targets == in_order, "{} faults", targets.len());

    let twice = Entries(
        vec![("cost_center", 1), ("id", 2), ("cost_center", 3), ("id", 4)],
        false,
    );
    let error = serialize_checked(&twice).unwrap_err().to_string();
    assert_eq!(
        error.matches("cost_center is no attribute").count(),
        1,
        "{error}"
    );
    assert_eq!(error.matches("id is read-only").count(), 1, "{error}");
    assert!(error.contains("cost_center is written twice"), "{error}");
}

/// A patch of several read-only attributes: the error's text gave the advice for one
/// (`leave it out of the patch (a model's field that PATCH cannot change is marked
/// #[patchable(skip)])`) after each of them, three times for three. It says it once, after
/// the faults, where it names each read-only attribute; each detail keeps the whole advice, as
/// it stands alone. One read-only attribute keeps the text it had.
#[test]
fn the_advice_for_read_only_attributes_is_said_once_in_the_text() {
    let patch = json!({"id": "x", "createdAt": "y", "email": "ada@", "lifecycle": {}});
    let Err(Error::Preflight { message, details }) = check_patch(&patch) else {
        panic!()
    };
    assert_eq!(
        message.matches("#[patchable(skip)]").count(),
        1,
        "{message}"
    );
    assert_eq!(message.matches("is read-only").count(), 3, "{message}");
    assert!(
        message.ends_with(
            "; leave each read-only attribute out of the patch (a model's field that PATCH \
             cannot change is marked #[patchable(skip)])"
        ),
        "{message}"
    );
    let read_only: Vec<_> = details
        .iter()
        .filter_map(|detail| detail.message.as_deref())
        .filter(|text| text.contains("is read-only"))
        .collect();
    assert_eq!(read_only.len(), 3, "{details:?}");
    for text in read_only {
        assert!(text.ends_with("marked #[patchable(skip)])"), "{text}");
    }
    let Err(Error::Preflight { message, .. }) = check_patch(&json!({"id": "x"})) else {
        panic!()
    };
    assert!(
        message.ends_with(
            "id is read-only: a PATCH of the user does not change it, and PingOne ignores it; \
             leave it out of the patch (a model's field that PATCH cannot change is marked \
             #[patchable(skip)]))"
        ),
        "{message}"
    );
}

/// Several attributes that no user can have (PingOne ignores them and answers 200): the
/// advice `rename it or leave it out of the patch` ended each fault in the error's text. It is
/// said once after the faults, beside the read-only advice said once; each detail keeps it.
#[test]
fn the_advice_for_unnamable_attributes_is_said_once_in_the_text() {
    let patch = json!({"cost_center": 1, "2fa": true, "id": "x", "createdAt": "y"});
    let Err(Error::Preflight { message, details }) = check_patch(&patch) else {
        panic!()
    };
    assert_eq!(message.matches("rename it").count(), 0, "{message}");
    assert_eq!(message.matches("is no attribute").count(), 2, "{message}");
    assert!(
        message.ends_with(
            "; leave each read-only attribute out of the patch (a model's field that PATCH \
             cannot change is marked #[patchable(skip)]); rename each attribute that no user \
             can have, or leave it out of the patch"
        ),
        "{message}"
    );
    let unnamable: Vec<_> = details
        .iter()
        .filter_map(|detail| detail.message.as_deref())
        .filter(|text| text.contains("is no attribute"))
        .collect();
    assert_eq!(unnamable.len(), 2, "{details:?}");
    for text in unnamable {
        assert!(
            text.ends_with("; rename it or leave it out of the patch"),
            "{text}"
        );
    }
}
