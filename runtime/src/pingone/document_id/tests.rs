//! Tests of [`from_slice_checking_id`](super::from_slice_checking_id) against
//! `serde_json::from_slice`.

mod examples {
    use std::collections::BTreeMap;

    use serde::Deserialize;
    use serde_json::{Value, json};

    use super::super::{DocumentId, from_slice_checking_id, from_slice_document_id};

    /// A model that reads `id` and nests a member named `id` too.
    #[derive(Debug, Deserialize, PartialEq)]
    struct Document {
        id: String,
        name: Name,
        #[serde(flatten)]
        other: BTreeMap<String, Value>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Name {
        id: String,
    }

    /// A model that does not read `id`.
    #[derive(Debug, Deserialize, PartialEq)]
    struct Username {
        username: String,
    }

    /// The models read what `serde_json::from_slice` reads, and another top-level `id` is
    /// given whether the model reads it, ignores it, flattens it or wraps the document in an
    /// `Option`, in any place and with escapes; nested members named `id` do not count.
    #[test]
    fn another_id_is_given_beside_what_from_slice_gives() {
        let body = br#"{"name":{"id":"inner"},"\u0069d":"outer","x":[{"id":"n"}],"y":1}"#;
        let (document, other) = from_slice_checking_id::<Document>(body, "a1").expect("reads");
        assert_eq!(
            document,
            serde_json::from_slice::<Document>(body).expect("reads")
        );
        assert_eq!(other.as_deref(), Some("outer"));
        let (_, other) = from_slice_checking_id::<Document>(body, "OUTER").expect("reads");
        assert_eq!(other, None);

        let body = br#"{"id":"B2","username":"dspanner"}"#;
        let (user, other) = from_slice_checking_id::<Username>(body, "a1").expect("reads");
        assert_eq!(user.username, "dspanner");
        assert_eq!(other.as_deref(), Some("B2"));
        let (_, other) = from_slice_checking_id::<Username>(body, "b2").expect("reads");
        assert_eq!(other, None);

        let (value, other) = from_slice_checking_id::<Value>(body, "a1").expect("reads");
        assert_eq!(value, json!({"id": "B2", "username": "dspanner"}));
        assert_eq!(other.as_deref(), Some("B2"));

        let (some, other) = from_slice_checking_id::<Option<Username>>(body, "a1").expect("reads");
        assert_eq!(some.map(|user| user.username).as_deref(), Some("dspanner"));
        assert_eq!(other.as_deref(), Some("B2"));

        let (map, other) =
            from_slice_checking_id::<BTreeMap<String, Value>>(body, "a1").expect("reads");
        assert_eq!(map.len(), 2);
        assert_eq!(other.as_deref(), Some("B2"));
    }

    /// No top-level `id` string: `None`, and the model reads as before.
    #[test]
    fn no_string_id_gives_none() {
        for body in [
            &br#"{"username":"dspanner","name":{"id":"inner"}}"#[..],
            br#"{"id":7,"username":"dspanner"}"#,
            br#"{"id":null,"username":"dspanner"}"#,
            br#"{"id":{"id":"inner"},"username":"dspanner"}"#,
            // Keys like `id` that are not it: JSON's keys are case-sensitive.
            br#"{"idx":"b2","i":"b2","Id":"b2","uid":"b2","username":"dspanner"}"#,
        ] {
            let (value, other) = from_slice_checking_id::<Value>(body, "a1").expect("reads");
            assert_eq!(value, serde_json::from_slice::<Value>(body).expect("reads"));
            assert_eq!(other, None);
            let (user, other) = from_slice_checking_id::<Username>(body, "a1").expect("reads");
            assert_eq!((user.username.as_str(), other), ("dspanner", None));
            // ... and the `id` is missing, which the client refuses: whose document is it?
            let (_, id) = from_slice_document_id::<Value>(body, "a1").expect("reads");
            assert_eq!(id, DocumentId::Missing, "{}", String::from_utf8_lossy(body));
            let (_, id) = from_slice_document_id::<Username>(body, "a1").expect("reads");
            assert_eq!(id, DocumentId::Missing, "{}", String::from_utf8_lossy(body));
        }
        let (list, other) = from_slice_checking_id::<Vec<u8>>(b"[1,2]", "a1").expect("reads");
        assert_eq!((list, other), (vec![1, 2], None));
        let (_, id) = from_slice_document_id::<Vec<u8>>(b"[1,2]", "a1").expect("reads");
        assert_eq!(id, DocumentId::Missing);
        // The `id` asked for, in any case, read or skipped by the model.
        for body in [
            &br#"{"id":"A1","username":"dspanner"}"#[..],
            br#"{"username":"dspanner","id":"a1"}"#,
        ] {
            let (_, id) = from_slice_document_id::<Value>(body, "a1").expect("reads");
            assert_eq!(id, DocumentId::Expected);
            let (_, id) = from_slice_document_id::<Username>(body, "a1").expect("reads");
            assert_eq!(id, DocumentId::Expected);
        }
    }

    /// What `from_slice` refuses is refused, with its text: trailing characters, a model's
    /// missing field, an `id` of the wrong type.
    #[test]
    fn what_from_slice_refuses_is_refused() {
        for body in [
            &br#"{"id":"a","name":{"id":"b"}} x"#[..],
            br#"{"id":"a"}"#,
            br#"{"id":5,"name":{"id":"b"}}"#,
        ] {
            let refused = from_slice_checking_id::<Document>(body, "a").unwrap_err();
            let expected = serde_json::from_slice::<Document>(body).unwrap_err();
            assert_eq!(refused.to_string(), expected.to_string());
        }
    }
}

/// Models of every shape against bodies of every shape: what `from_slice` gives, and the `id`.
mod differential {
    use std::collections::BTreeMap;
    use std::fmt::Debug;

    use serde::Deserialize;
    use serde::de::DeserializeOwned;
    use serde_json::Value;
    use serde_json::value::RawValue;

    use super::super::from_slice_checking_id;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct WithId {
        id: String,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct OptionalId {
        id: Option<String>,
        username: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Uuid(String);

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct NewtypeId {
        id: Uuid,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Ignores {
        username: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Denies {
        username: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Renamed {
        #[serde(rename = "id")]
        key: Value,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Aliased {
        #[serde(alias = "id")]
        key: Option<Value>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Flattened {
        username: Option<String>,
        #[serde(flatten)]
        rest: BTreeMap<String, Value>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct RawIdField {
        id: Box<RawValue>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct BytesId {
        #[serde(deserialize_with = "bytes")]
        id: Vec<u8>,
    }

    fn bytes<'de, D: serde::Deserializer<'de>>(json: D) -> Result<Vec<u8>, D::Error> {
        struct Bytes;
        impl serde::de::Visitor<'_> for Bytes {
            type Value = Vec<u8>;
            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("bytes")
            }
            fn visit_bytes<E>(self, bytes: &[u8]) -> Result<Vec<u8>, E> {
                Ok(bytes.to_vec())
            }
        }
        json.deserialize_bytes(Bytes)
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    enum Known {
        #[serde(rename = "b2")]
        B2,
        #[serde(rename = "a1")]
        A1,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct EnumId {
        id: Known,
    }

    /// A key read as bytes.
    #[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
    struct ByteKey(Vec<u8>);

    impl<'de> Deserialize<'de> for ByteKey {
        fn deserialize<D: serde::Deserializer<'de>>(json: D) -> Result<Self, D::Error> {
            bytes(json).map(ByteKey)
        }
    }

    /// Keys read as an enum.
    #[derive(Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
    #[serde(rename_all = "lowercase")]
    enum KeyName {
        Id,
        Username,
        Type,
        Name,
        X,
    }

    #[derive(Debug, Deserialize)]
    #[serde(untagged)]
    #[allow(dead_code)]
    enum Untagged {
        Id { id: String },
        Other(Value),
    }

    #[derive(Debug, Deserialize)]
    #[serde(tag = "type")]
    #[allow(dead_code)]
    enum Tagged {
        User { id: Option<String> },
        Other,
    }

    /// Bodies, and whether one holds a top-level `id` string other than `a1`: `id` first, last,
    /// twice, escaped, not a string, out of range, nested, a lone surrogate, bytes that are not
    /// UTF-8, and no object at all.
    const BODIES: &[(&[u8], bool)] = &[
        (br#"{"id":"a1","username":"d"}"#, false),
        (br#"{"username":"d","id":"B2"}"#, true),
        (br#"{"id":"A1"}"#, false),
        (br#"{"\u0069d":"b2","type":"User"}"#, true),
        (br#"{"id":"a1","id":"b2"}"#, true),
        (br#"{"id":"b2","id":"a1"}"#, true),
        (br#"{"id":7,"username":"d"}"#, false),
        (br#"{"id":1e400,"username":"d"}"#, false),
        (br#"{"id":-1e400}"#, false),
        (br#"{"id":"\ud800","username":"d"}"#, true),
        (br#"{"id":"\ud800"}"#, true),
        (b"{\"id\":\"\xff\",\"username\":\"d\"}", true),
        (b"{\"id\":\"b\xff\"}", true),
        (b"{\"x\":\"\xff\",\"id\":\"b2\"}", true),
        (br#"{"id":null}"#, false),
        (br#"{"id":{"id":"b2"},"type":"Other"}"#, false),
        (br#"{"id":["b2"]}"#, false),
        (br#"{"name":{"id":"b2"},"username":"d"}"#, false),
        (br#"{"type":"User","id":"b2"}"#, true),
        (br#"{"id":"b2"} x"#, true),
        (br#"{"id":"b2","#, true),
        (br#"["b2"]"#, false),
        (br#""b2""#, false),
        (b"null", false),
        (b"", false),
    ];

    fn check<M: DeserializeOwned + Debug>(model: &str) {
        for &(body, another) in BODIES {
            let expected = serde_json::from_slice::<M>(body)
                .map(|model| format!("{model:?}"))
                .map_err(|error| error.to_string());
            let checked = from_slice_checking_id::<M>(body, "a1");
            let got = checked
                .as_ref()
                .map(|(model, _)| format!("{model:?}"))
                .map_err(ToString::to_string);
            let shown = String::from_utf8_lossy(body);
            assert_eq!(got, expected, "{model} from {shown}");
            if let Ok((_, other)) = checked {
                assert_eq!(other.is_some(), another, "{model} from {shown}: {other:?}");
            }
        }
    }

    /// Every model reads what `from_slice` reads, with its errors, and another top-level `id`
    /// is given whatever the model does with it.
    #[test]
    fn every_model_reads_as_from_slice_and_sees_another_id() {
        check::<Value>("Value");
        check::<BTreeMap<String, Value>>("BTreeMap");
        check::<Option<Value>>("Option<Value>");
        check::<WithId>("WithId");
        check::<OptionalId>("OptionalId");
        check::<Option<OptionalId>>("Option<OptionalId>");
        check::<NewtypeId>("NewtypeId");
        check::<Ignores>("Ignores");
        check::<Denies>("Denies");
        check::<Renamed>("Renamed");
        check::<Aliased>("Aliased");
        check::<Flattened>("Flattened");
        check::<RawIdField>("RawIdField");
        check::<Box<RawValue>>("Box<RawValue>");
        check::<BytesId>("BytesId");
        check::<EnumId>("EnumId");
        check::<Untagged>("Untagged");
        check::<Tagged>("Tagged");
        check::<serde::de::IgnoredAny>("IgnoredAny");
        check::<BTreeMap<ByteKey, Value>>("BTreeMap<ByteKey, Value>");
        check::<BTreeMap<KeyName, Value>>("BTreeMap<KeyName, Value>");
    }

    /// A member of a generated body: its key's JSON text, its value's, and whether it is a
    /// top-level `id` string other than `a1`.
    fn member() -> impl proptest::strategy::Strategy<Value = (Vec<u8>, bool, bool)> {
        use proptest::prelude::*;
        let keys = prop::sample::select(vec![
            (&br#""id""#[..], true),
            (br#""\u0069d""#, true),
            (br#""i\u0064""#, true),
            (br#""ID""#, false),
            // Keys that are not `id` but begin or end like it, or hold it.
            (br#""i""#, false),
            (br#""d""#, false),
            (br#""Id""#, false),
            (br#""idx""#, false),
            (br#""\u0069""#, false),
            (br#""uid""#, false),
            (br#""username""#, false),
            (br#""type""#, false),
            (br#""name""#, false),
            (br#""x""#, false),
        ]);
        // (text, another id, the id asked for)
        let values = prop::sample::select(vec![
            (&br#""a1""#[..], false, true),
            (br#""A1""#, false, true),
            (br#""\u0061\u0031""#, false, true),
            (br#""b2""#, true, false),
            (br#""User""#, true, false),
            (br#""a1 ""#, true, false),
            (br#""\ud800""#, true, false),
            (b"\"\xff\"", true, false),
            (br#"7"#, false, false),
            (br#"-0.5e400"#, false, false),
            (br#"null"#, false, false),
            (br#"true"#, false, false),
            (br#"{"id":"b2"}"#, false, false),
            (br#"["b2",{"id":"b2"}]"#, false, false),
            (br#"{"given":"x","id":1e999}"#, false, false),
        ]);
        (keys, values).prop_map(|((key, is_id), (value, another, asked))| {
            let mut text = key.to_vec();
            text.push(b':');
            text.extend_from_slice(value);
            (text, is_id && another, is_id && asked)
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Generated bodies (members in any order, repeated, with a cut or a trailing
        /// character at times) read as `from_slice` reads them, for models of each shape,
        /// and another top-level `id` is given where a member holds one.
        #[test]
        fn generated_bodies_read_as_from_slice(
            members in proptest::collection::vec(member(), 0..6),
            cut in proptest::option::weighted(0.1, 0_usize..64),
            trailing in proptest::option::weighted(0.1, proptest::sample::select(vec![&b" "[..], b"x", b"}", b"\n"])),
        ) {
            let mut body = b"{".to_vec();
            for (index, (text, _, _)) in members.iter().enumerate() {
                if index > 0 {
                    body.push(b',');
                }
                body.extend_from_slice(text);
            }
            body.push(b'}');
            if let Some(trailing) = trailing {
                body.extend_from_slice(trailing);
            }
            if let Some(cut) = cut {
                body.truncate(cut);
            }
            let another = members.iter().any(|(_, another, _)| *another);
            let asked = members.iter().any(|(_, _, asked)| *asked);
            let found = if another {
                "Other"
            } else if asked {
                "Expected"
            } else {
                "Missing"
            };
            fn one<M: DeserializeOwned + Debug>(body: &[u8], another: bool, found: &str) -> Result<(), proptest::test_runner::TestCaseError> {
                let expected = serde_json::from_slice::<M>(body)
                    .map(|model| format!("{model:?}"))
                    .map_err(|error| error.to_string());
                let checked = from_slice_checking_id::<M>(body, "a1");
                let got = checked
                    .as_ref()
                    .map(|(model, _)| format!("{model:?}"))
                    .map_err(ToString::to_string);
                proptest::prop_assert_eq!(&got, &expected, "{}", String::from_utf8_lossy(body));
                if let Ok((_, other)) = checked {
                    proptest::prop_assert_eq!(other.is_some(), another, "{}: {:?}", String::from_utf8_lossy(body), other);
                    // Whether the `id` asked for, another, or none (a number, `null`, absent)
                    // is at the top level: a document without one is refused by the client.
                    let (_, id) = super::super::from_slice_document_id::<M>(body, "a1").expect("reads");
                    proptest::prop_assert!(format!("{id:?}").starts_with(found), "{}: {:?}", String::from_utf8_lossy(body), id);
                }
                Ok(())
            }
            one::<Value>(&body, another, found)?;
            one::<BTreeMap<ByteKey, Value>>(&body, another, found)?;
            one::<Ignores>(&body, another, found)?;
            one::<OptionalId>(&body, another, found)?;
            one::<Flattened>(&body, another, found)?;
            one::<Aliased>(&body, another, found)?;
            one::<Untagged>(&body, another, found)?;
            one::<Tagged>(&body, another, found)?;
            one::<Box<RawValue>>(&body, another, found)?;
            one::<serde::de::IgnoredAny>(&body, another, found)?;
        }
    }
}
