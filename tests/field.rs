//! The tri-state `Field<T>`: its API, conversions, size and serde.

use sparse_patch::Field;

#[test]
fn size_equals_double_option() {
    use core::mem::size_of;
    assert_eq!(
        size_of::<Field<String>>(),
        size_of::<Option<Option<String>>>()
    );
    assert_eq!(size_of::<Field<u32>>(), size_of::<Option<Option<u32>>>());
    assert_eq!(size_of::<Field<bool>>(), size_of::<Option<Option<bool>>>());
    assert_eq!(
        size_of::<Field<Box<u8>>>(),
        size_of::<Option<Option<Box<u8>>>>()
    );
    assert_eq!(
        size_of::<Field<Vec<u8>>>(),
        size_of::<Option<Option<Vec<u8>>>>()
    );
}

#[test]
fn predicates_and_accessors() {
    let absent: Field<i32> = Field::default();
    assert!(absent.is_absent() && !absent.is_null() && !absent.is_value() && !absent.is_present());
    let null: Field<i32> = Field::Null;
    assert!(null.is_null() && null.is_present() && null.value().is_none());
    let mut value = Field::Value(7);
    assert!(value.is_value());
    assert_eq!(value.value(), Some(&7));
    *value.value_mut().unwrap() += 1;
    assert_eq!(value, Field::Value(8));
    assert_eq!(value.as_ref().map(|v| v * 2), Field::Value(16));
    if let Field::Value(v) = value.as_mut() {
        *v = 1;
    }
    assert_eq!(value.into_value(), Some(1));
    assert_eq!(Field::Value("x".to_owned()).as_deref(), Field::Value("x"));
    assert_eq!(Field::<i32>::Null.map(|v| v + 1), Field::Null);
}

#[test]
fn or_and_take() {
    assert_eq!(Field::Absent.or(Field::Value(1)), Field::Value(1));
    assert_eq!(Field::Null.or(Field::Value(1)), Field::Null);
    let mut field = Field::Value(2);
    assert_eq!(field.take(), Field::Value(2));
    assert_eq!(field, Field::Absent);
}

#[test]
fn conversions_with_double_option() {
    for (field, option) in [
        (Field::Absent, None),
        (Field::Null, Some(None)),
        (Field::Value(3), Some(Some(3))),
    ] {
        assert_eq!(Option::<Option<i32>>::from(field), option);
        assert_eq!(Field::from(option), field);
        assert_eq!(field.into_option(), option);
    }
    assert_eq!(Field::from(Some(1)), Field::Value(1));
    assert_eq!(Field::from(None::<i32>), Field::Null);
}

#[test]
fn apply_to_and_diff_follow_rfc7396() {
    let mut target = Some(1);
    Field::Absent.apply_to(&mut target);
    assert_eq!(target, Some(1));
    Field::Value(2).apply_to(&mut target);
    assert_eq!(target, Some(2));
    Field::Null.apply_to(&mut target);
    assert_eq!(target, None);
    Field::Value(3).apply_to(&mut target);
    assert_eq!(target, Some(3));

    assert_eq!(Field::diff(&Some(1), &Some(1)), Field::Absent);
    assert_eq!(Field::<i32>::diff(&None, &None), Field::Absent);
    assert_eq!(Field::diff(&Some(1), &None), Field::Null);
    assert_eq!(Field::diff(&Some(1), &Some(2)), Field::Value(2));
}

#[test]
fn serde_of_null_and_value() {
    assert_eq!(serde_json::to_string(&Field::<u8>::Null).unwrap(), "null");
    assert_eq!(serde_json::to_string(&Field::Value("")).unwrap(), r#""""#);
    assert_eq!(
        serde_json::to_string(&Field::Value(Vec::<u8>::new())).unwrap(),
        "[]"
    );
    assert_eq!(
        serde_json::from_str::<Field<u8>>("null").unwrap(),
        Field::Null
    );
    assert_eq!(
        serde_json::from_str::<Field<u8>>("4").unwrap(),
        Field::Value(4)
    );
    assert_eq!(
        serde_json::from_str::<Field<String>>(r#""""#).unwrap(),
        Field::Value(String::new())
    );
    // JSON null is null even when the value type could hold it.
    assert_eq!(
        serde_json::from_str::<Field<serde_json::Value>>("null").unwrap(),
        Field::Null
    );
    assert!(serde_json::from_str::<Field<u8>>(r#""x""#).is_err());
}

/// In a format that tags an `Option` (postcard, not self-describing), a value is written as
/// `Some` is and a null as `None`, so that `Field` reads back what was written: writing the
/// value alone read `5` as an unknown tag (found by mutation testing: no test wrote a `Field`
/// outside a patch in such a format). `Field::Absent` on its own is written as a null; a patch
/// leaves it out.
#[test]
fn serde_of_null_and_value_in_a_format_that_tags_options() {
    let round = |field: &Field<u32>| {
        let bytes = postcard::to_allocvec(field).unwrap();
        (bytes.clone(), postcard::from_bytes::<Field<u32>>(&bytes))
    };
    assert_eq!(round(&Field::Value(5)), (vec![1, 5], Ok(Field::Value(5))));
    assert_eq!(round(&Field::Null), (vec![0], Ok(Field::Null)));
    assert_eq!(round(&Field::Absent), (vec![0], Ok(Field::Null)));
}

#[test]
fn debug_is_readable() {
    assert_eq!(format!("{:?}", Field::<u8>::Absent), "Absent");
    assert_eq!(format!("{:?}", Field::<u8>::Null), "Null");
    assert_eq!(format!("{:?}", Field::Value("a")), r#"Value("a")"#);
}

/// A struct of the user's own whose `Field` has no `#[serde(default)]`: serde's derive reads the
/// left-out key through its missing-field deserializer, which answers as a `null` does, so the
/// left-out `nickname` read as `Field::Null` and would have cleared the attribute (serde_with's
/// `double_option` refuses it as `missing field`). It reads as absent now, wherever serde's
/// derive reads the struct: on its own, flattened, in untagged and internally tagged enums,
/// from a `Value`, and in other formats; `null` and values read as before.
#[test]
fn a_left_out_key_reads_as_absent_without_serde_default() {
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Careless {
        nickname: Field<String>,
    }
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Strict {
        nickname: Field<String>,
    }
    #[derive(Debug, PartialEq, Deserialize)]
    struct Outer {
        id: u8,
        #[serde(flatten)]
        inner: Careless,
    }
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(untagged)]
    enum Untagged {
        Named { id: u8, nickname: Field<String> },
    }
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(tag = "type")]
    enum Tagged {
        User { nickname: Field<String> },
    }

    let careless = |nickname| Careless { nickname };
    for (json, nickname) in [
        ("{}", Field::Absent),
        (r#"{"nickname": null}"#, Field::Null),
        (r#"{"nickname": "Dave"}"#, Field::Value("Dave".to_owned())),
    ] {
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(
            serde_json::from_str::<Careless>(json).unwrap(),
            careless(nickname.clone()),
            "{json}"
        );
        assert_eq!(
            serde_json::from_value::<Careless>(value.clone()).unwrap(),
            careless(nickname.clone()),
            "{json}"
        );
        assert_eq!(
            serde_json::from_str::<Strict>(json).unwrap(),
            Strict {
                nickname: nickname.clone()
            },
            "{json}"
        );
        let mut with_id = value.clone();
        with_id["id"] = 1.into();
        let with_id = with_id.to_string();
        assert_eq!(
            serde_json::from_str::<Outer>(&with_id).unwrap(),
            Outer {
                id: 1,
                inner: careless(nickname.clone())
            },
            "{with_id}"
        );
        assert_eq!(
            serde_json::from_str::<Untagged>(&with_id).unwrap(),
            Untagged::Named {
                id: 1,
                nickname: nickname.clone()
            },
            "{with_id}"
        );
        let mut tagged = value.clone();
        tagged["type"] = "User".into();
        assert_eq!(
            serde_json::from_value::<Tagged>(tagged).unwrap(),
            Tagged::User {
                nickname: nickname.clone()
            },
            "{json}"
        );
        // YAML reads the JSON text (its flow style); MessagePack and CBOR a map written from it.
        assert_eq!(
            serde_yaml::from_str::<Careless>(json).unwrap(),
            careless(nickname.clone()),
            "{json}"
        );
        let msgpack = rmp_serde::to_vec_named(&value).unwrap();
        assert_eq!(
            rmp_serde::from_slice::<Careless>(&msgpack).unwrap(),
            careless(nickname.clone()),
            "{json}"
        );
        let mut cbor = Vec::new();
        ciborium::into_writer(&value, &mut cbor).unwrap();
        assert_eq!(
            ciborium::from_reader::<Careless, _>(&cbor[..]).unwrap(),
            careless(nickname.clone()),
            "{json}"
        );
    }
    // TOML has no null: a left-out key and a value.
    assert_eq!(
        toml::from_str::<Careless>("").unwrap(),
        careless(Field::Absent)
    );
    assert_eq!(
        toml::from_str::<Careless>("nickname = \"Dave\"").unwrap(),
        careless(Field::Value("Dave".to_owned()))
    );
    // Unknown keys and wrong types are refused as before.
    let error = serde_json::from_str::<Strict>(r#"{"nick": "x"}"#).unwrap_err();
    assert!(
        error.to_string().starts_with("unknown field `nick`"),
        "{error}"
    );
    assert!(serde_json::from_str::<Careless>(r#"{"nickname": 1}"#).is_err());
}

/// The API that `Option` has under the same names: `and_then`, `replace`, `as_deref_mut`,
/// `copied`, `cloned`, and the `const` ones usable in constants, as `Option`'s are since Rust
/// 1.83.
#[test]
fn option_like_api() {
    const TAKEN: (Field<u8>, Field<u8>) = {
        let mut field = Field::Value(1);
        let old = field.replace(2);
        let mut taken = field.take();
        if let Field::Value(value) = taken.as_mut() {
            *value += 1;
        }
        if let Some(value) = taken.value_mut() {
            *value += 1;
        }
        (old, taken)
    };
    assert_eq!(TAKEN, (Field::Value(1), Field::Value(4)));
    const COPIED: Field<u8> = Field::Value(&5).copied();
    assert_eq!(COPIED, Field::Value(5));

    let half = |n: u32| {
        if n.is_multiple_of(2) {
            Field::Value(n / 2)
        } else {
            Field::Null
        }
    };
    assert_eq!(Field::Value(4).and_then(half), Field::Value(2));
    assert_eq!(Field::Value(3).and_then(half), Field::Null);
    assert_eq!(Field::Null.and_then(half), Field::Null);
    assert_eq!(Field::Absent.and_then(half), Field::Absent);
    assert_eq!(
        Field::Value(4).and_then(|_| Field::<u8>::Absent),
        Field::Absent
    );

    let mut field = Field::<u8>::Absent;
    assert_eq!(field.replace(1), Field::Absent);
    assert_eq!(field.replace(2), Field::Value(1));
    assert_eq!(field, Field::Value(2));

    let mut text = Field::Value("ab".to_owned());
    if let Field::Value(text) = text.as_deref_mut() {
        text.make_ascii_uppercase();
    }
    assert_eq!(text.as_deref(), Field::Value("AB"));
    assert_eq!(Field::<String>::Null.as_deref_mut(), Field::Null);
    assert_eq!(text.as_ref().cloned(), text);
    assert_eq!(Field::<&String>::Absent.cloned(), Field::Absent);
    assert_eq!(Field::<&u8>::Null.copied(), Field::Null);
}

/// The traits that `Option<T>` has where `T` has them: `Copy`, `Hash`, `Ord` (absent before null
/// before a value), `Default` (absent); checked at compile time.
#[test]
fn common_traits_follow_the_value_type() {
    fn copy_hash_ord<T: Copy + core::hash::Hash + Ord + Default>() {}
    copy_hash_ord::<Field<u8>>();
    copy_hash_ord::<Field<&str>>();
    let mut sorted = [Field::Value(1), Field::Null, Field::Absent, Field::Value(0)];
    sorted.sort();
    assert_eq!(
        sorted,
        [Field::Absent, Field::Null, Field::Value(0), Field::Value(1)]
    );
}

/// A `#[serde(flatten)]` `Field` of a struct: serde reads a flattened `Option` as `None` when its
/// struct does not read from the keys left over, and `Field` read that `None` as `null`, so an
/// input that left out every key of the group (`{"id": 1}`), or gave one of the wrong type, read
/// as `Field::Null` and would have cleared it. It reads as absent there now, from a string, a
/// slice, a `Value` and YAML alike; a group that reads is a value as before.
#[test]
fn a_flattened_field_whose_keys_are_left_out_reads_as_absent() {
    use serde::Deserialize;

    #[derive(Clone, Debug, PartialEq, Deserialize)]
    struct Address {
        street: String,
        city: Field<String>,
    }
    #[derive(Debug, PartialEq, Deserialize)]
    struct User {
        id: u8,
        #[serde(flatten)]
        address: Field<Address>,
    }
    #[derive(Debug, PartialEq, Deserialize)]
    struct Deeper {
        #[serde(flatten)]
        user: User,
    }

    let address = |city| {
        Field::Value(Address {
            street: "Main".to_owned(),
            city,
        })
    };
    for (json, expected) in [
        (r#"{"id": 1}"#, Field::Absent),
        (r#"{"id": 1, "city": null}"#, Field::Absent),
        (r#"{"id": 1, "street": 7}"#, Field::Absent),
        (r#"{"id": 1, "street": null}"#, Field::Absent),
        (r#"{"id": 1, "street": "Main"}"#, address(Field::Absent)),
        (
            r#"{"id": 1, "street": "Main", "city": null}"#,
            address(Field::Null),
        ),
        (
            r#"{"id": 1, "street": "Main", "city": "Oslo"}"#,
            address(Field::Value("Oslo".to_owned())),
        ),
    ] {
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        let user = |address| User { id: 1, address };
        for read in [
            serde_json::from_str::<User>(json).map_err(|e| e.to_string()),
            serde_json::from_slice::<User>(json.as_bytes()).map_err(|e| e.to_string()),
            serde_json::from_value::<User>(value.clone()).map_err(|e| e.to_string()),
            serde_yaml::from_str::<User>(json).map_err(|e| e.to_string()),
        ] {
            assert_eq!(read, Ok(user(expected.clone())), "{json}");
        }
        assert_eq!(
            serde_json::from_str::<Deeper>(json).unwrap(),
            Deeper {
                user: user(expected.clone())
            },
            "{json}"
        );
    }
}
