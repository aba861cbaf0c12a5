//! The members of a model's JSON that a patch names, serialized alone: the dialect outputs
//! ([`Patch::to_json_patch`](crate::Patch::to_json_patch),
//! [`Patch::to_scim_patch`](crate::Patch::to_scim_patch)) look the base up only at the
//! patch's top-level keys, so the rest of the model (most of a PingOne user) is never turned
//! into a `serde_json::Value`. For the SCIM output, a member whose name differs only in case
//! from one the patch names is kept too: SCIM reads attribute names in any case (RFC 7643
//! §2.1), and its output must see the base's `title` beside the patch's `Title`. JSON Patch
//! names are exact (RFC 6901 §4), so its output picks by exact name alone.

use serde::ser::{self, Impossible, Serialize, SerializeMap, SerializeStruct};

use serde_json::{Map, Value};

/// The members of `model`'s JSON object whose names `wanted` holds; also those whose names
/// differ from one of them only in case when `in_any_case` (names compared by
/// `str::to_lowercase`, as the SCIM output groups them).
///
/// # Errors
///
/// The serialization error of a member, or of the model when its JSON is not an object
/// written as a struct or a map (then `serde_json::to_value` tells whether it is an object at
/// all).
pub(crate) fn picked_members<T: Serialize + ?Sized>(
    model: &T,
    wanted: &Map<String, Value>,
    in_any_case: bool,
) -> Result<Value, serde_json::Error> {
    let wanted_in_any_case: Vec<String> = if in_any_case {
        wanted.keys().map(|key| key.to_lowercase()).collect()
    } else {
        Vec::new()
    };
    // Bit n set: an ASCII wanted name of n bytes (n < 64); an ASCII key of another length
    // below 64 is none of them in any case, told without comparing.
    let ascii_lengths = wanted_in_any_case
        .iter()
        .filter(|name| name.is_ascii() && name.len() < 64)
        .fold(0_u64, |lengths, name| lengths | (1 << name.len()));
    match model.serialize(Picker {
        wanted,
        wanted_in_any_case: &wanted_in_any_case,
        ascii_lengths,
    }) {
        Ok(members) => Ok(Value::Object(members)),
        Err(_) => crate::json_number::json_value(model),
    }
}

/// A serializer of a struct or a map that keeps the members named in `wanted`.
struct Picker<'a> {
    wanted: &'a Map<String, Value>,
    /// The wanted names in lower case (a patch names few); empty when names are compared
    /// exactly.
    wanted_in_any_case: &'a [String],
    /// Bit n set: a name of `wanted_in_any_case` is ASCII and n bytes long (n < 64).
    ascii_lengths: u64,
}

/// The members kept so far, and the key of a map entry whose value comes next.
struct Picked<'a> {
    wanted: &'a Map<String, Value>,
    wanted_in_any_case: &'a [String],
    ascii_lengths: u64,
    members: Map<String, Value>,
    key: Option<String>,
    /// The text of the last map key, reused from key to key.
    key_text: String,
}

impl Picked<'_> {
    /// Whether the member `key` is wanted: by its exact name, or in any case when names are
    /// compared so.
    #[inline]
    fn wants(&self, key: &str) -> bool {
        if self.wanted.contains_key(key) {
            return true;
        }
        if self.wanted_in_any_case.is_empty() {
            return false;
        }
        if key.len() < 64 && self.ascii_lengths & (1 << key.len()) == 0 && key.is_ascii() {
            // No wanted ASCII name has its length (and a name that is not ASCII cannot be
            // an ASCII key in another case).
            false
        } else if key.is_ascii() {
            // Its lower case is its ASCII lower case: compared without lowering it.
            self.wanted_in_any_case
                .iter()
                .any(|wanted| key.eq_ignore_ascii_case(wanted))
        } else {
            // `str::to_lowercase`, not char by char: a final sigma lowers to `ς`.
            self.wanted_in_any_case.contains(&key.to_lowercase())
        }
    }

    fn keep<T: Serialize + ?Sized>(
        &mut self,
        key: &str,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        if self.wants(key) {
            self.members
                .insert(key.to_owned(), crate::json_number::json_value(value)?);
        }
        Ok(())
    }
}

/// The error of every shape but a struct or a map: the caller then serializes the whole model.
fn not_an_object() -> serde_json::Error {
    ser::Error::custom("not a struct or a map")
}

/// Serializer methods that refuse their shape with [`not_an_object`].
macro_rules! refuse {
    ($($method:ident($($arg:ty),*) -> $ok:ty;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<$ok, serde_json::Error> {
            Err(not_an_object())
        })*
    };
}

/// The methods of the shapes that neither a model nor a map key takes, refused: scalars other
/// than strings, sequences, tuples and enum variants.
macro_rules! refuse_other_shapes {
    () => {
        refuse! {
            serialize_bool(bool) -> Self::Ok;
            serialize_i8(i8) -> Self::Ok;
            serialize_i16(i16) -> Self::Ok;
            serialize_i32(i32) -> Self::Ok;
            serialize_i64(i64) -> Self::Ok;
            serialize_u8(u8) -> Self::Ok;
            serialize_u16(u16) -> Self::Ok;
            serialize_u32(u32) -> Self::Ok;
            serialize_u64(u64) -> Self::Ok;
            serialize_f32(f32) -> Self::Ok;
            serialize_f64(f64) -> Self::Ok;
            serialize_char(char) -> Self::Ok;
            serialize_bytes(&[u8]) -> Self::Ok;
            serialize_none() -> Self::Ok;
            serialize_unit() -> Self::Ok;
            serialize_unit_struct(&'static str) -> Self::Ok;
            serialize_unit_variant(&'static str, u32, &'static str) -> Self::Ok;
            serialize_seq(Option<usize>) -> Self::SerializeSeq;
            serialize_tuple(usize) -> Self::SerializeTuple;
            serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
            serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
            serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
        }

        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<Self::Ok, Self::Error> {
            Err(not_an_object())
        }
    };
}

/// A map key written into a reused buffer, without a `Value` per key.
struct KeyText<'b>(&'b mut String);

impl ser::Serializer for KeyText<'_> {
    type Ok = ();
    type Error = serde_json::Error;
    type SerializeSeq = Impossible<(), serde_json::Error>;
    type SerializeTuple = Impossible<(), serde_json::Error>;
    type SerializeTupleStruct = Impossible<(), serde_json::Error>;
    type SerializeTupleVariant = Impossible<(), serde_json::Error>;
    type SerializeMap = Impossible<(), serde_json::Error>;
    type SerializeStruct = Impossible<(), serde_json::Error>;
    type SerializeStructVariant = Impossible<(), serde_json::Error>;

    refuse_other_shapes!();
    refuse! {
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), Self::Error> {
        Err(not_an_object())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Self::Error> {
        value.serialize(self)
    }

    fn serialize_str(self, key: &str) -> Result<(), serde_json::Error> {
        self.0.clear();
        self.0.push_str(key);
        Ok(())
    }
}

impl<'a> ser::Serializer for Picker<'a> {
    type Ok = Map<String, Value>;
    type Error = serde_json::Error;
    type SerializeSeq = Impossible<Self::Ok, Self::Error>;
    type SerializeTuple = Impossible<Self::Ok, Self::Error>;
    type SerializeTupleStruct = Impossible<Self::Ok, Self::Error>;
    type SerializeTupleVariant = Impossible<Self::Ok, Self::Error>;
    type SerializeMap = Picked<'a>;
    type SerializeStruct = Picked<'a>;
    type SerializeStructVariant = Impossible<Self::Ok, Self::Error>;

    refuse_other_shapes!();
    refuse! {
        serialize_str(&str) -> Self::Ok;
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Self::Ok, Self::Error> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Self::Ok, Self::Error> {
        value.serialize(self)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Self::Error> {
        Ok(Picked {
            wanted: self.wanted,
            wanted_in_any_case: self.wanted_in_any_case,
            ascii_lengths: self.ascii_lengths,
            members: Map::new(),
            key: None,
            key_text: String::new(),
        })
    }

    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, Self::Error> {
        self.serialize_map(None)
    }
}

impl SerializeStruct for Picked<'_> {
    type Ok = Map<String, Value>;
    type Error = serde_json::Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Self::Error> {
        self.keep(key, value)
    }

    fn end(self) -> Result<Self::Ok, Self::Error> {
        Ok(self.members)
    }
}

impl SerializeMap for Picked<'_> {
    type Ok = Map<String, Value>;
    type Error = serde_json::Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Self::Error> {
        key.serialize(KeyText(&mut self.key_text))?;
        // Only a wanted key is kept, and only then allocated.
        self.key = self.wants(&self.key_text).then(|| self.key_text.clone());
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Self::Error> {
        match self.key.take() {
            Some(key) => {
                self.members
                    .insert(key, crate::json_number::json_value(value)?);
                Ok(())
            }
            None => Ok(()),
        }
    }

    fn end(self) -> Result<Self::Ok, Self::Error> {
        Ok(self.members)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;

    #[derive(serde::Serialize)]
    struct Model {
        a: u8,
        b: String,
        #[serde(rename = "c~/")]
        c: Option<u8>,
        #[serde(flatten)]
        custom: BTreeMap<String, Value>,
    }

    fn wanted(keys: &[&str]) -> Map<String, Value> {
        keys.iter()
            .map(|key| ((*key).to_owned(), Value::Null))
            .collect()
    }

    #[test]
    fn keeps_the_named_members_of_structs_and_flattened_maps() {
        let model = Model {
            a: 1,
            b: "x".into(),
            c: None,
            custom: BTreeMap::from([("d".into(), json!({"e": 1})), ("f".into(), json!(2))]),
        };
        let names = wanted(&["a", "c~/", "d", "missing"]);
        for in_any_case in [false, true] {
            let picked = picked_members(&model, &names, in_any_case).unwrap();
            assert_eq!(picked, json!({"a": 1, "c~/": null, "d": {"e": 1}}));
        }
        // In any case, for the SCIM output (RFC 7643 §2.1); exactly for JSON Patch (RFC 6901).
        let names = wanted(&["A", "C~/", "F"]);
        let picked = picked_members(&model, &names, true).unwrap();
        assert_eq!(picked, json!({"a": 1, "c~/": null, "f": 2}));
        assert_eq!(picked_members(&model, &names, false).unwrap(), json!({}));
        // Lowered as the SCIM output lowers names (`str::to_lowercase`): a word's final sigma
        // is `ς`, which lowering char by char would make `σ`.
        let greek = BTreeMap::from([("ΟΔΟΣ".to_owned(), 1)]);
        let picked = picked_members(&greek, &wanted(&["οδος"]), true).unwrap();
        assert_eq!(picked, json!({"ΟΔΟΣ": 1}));
    }

    #[test]
    fn keeps_the_named_fields_of_a_struct_without_flattened_members() {
        // Written with `serialize_struct`, not `serialize_map` as a flattened struct is.
        #[derive(serde::Serialize)]
        struct Plain {
            a: u8,
            #[serde(rename = "B")]
            b: Option<u8>,
            c: Vec<u8>,
        }
        let model = Plain {
            a: 1,
            b: Some(2),
            c: vec![3],
        };
        for in_any_case in [false, true] {
            let picked = picked_members(&model, &wanted(&["a", "B", "d"]), in_any_case).unwrap();
            assert_eq!(picked, json!({"a": 1, "B": 2}));
        }
        let picked = picked_members(&model, &wanted(&["b", "C"]), true).unwrap();
        assert_eq!(picked, json!({"B": 2, "c": [3]}));
    }

    #[test]
    fn a_wanted_name_not_in_ascii_is_lowered_before_it_is_compared() {
        // A SCIM name in upper case outside ASCII (`ÄRGER`) names the model's `ärger`: the
        // wanted names are lowered as the keys are (found by mutation testing: with the wanted
        // names kept as given, every test still passed, their non-ASCII names being lower
        // case already).
        let model = BTreeMap::from([("ärger".to_owned(), 1), ("Ärger2".to_owned(), 2)]);
        let picked = picked_members(&model, &wanted(&["ÄRGER", "äRGER2"]), true).unwrap();
        assert_eq!(picked, json!({"ärger": 1, "Ärger2": 2}));
        let picked = picked_members(&model, &wanted(&["ÄRGER"]), false).unwrap();
        assert_eq!(picked, json!({}));
    }

    #[test]
    fn a_single_wanted_length_still_finds_its_name_in_another_case() {
        // One wanted ASCII name: the length mask holds that one bit alone.
        let model = BTreeMap::from([("Title".to_owned(), 1), ("other".to_owned(), 2)]);
        let picked = picked_members(&model, &wanted(&["title"]), true).unwrap();
        assert_eq!(picked, json!({"Title": 1}));
    }

    #[test]
    fn names_of_64_bytes_and_more_are_compared_without_the_length_mask() {
        // The mask has 64 bits: a name or key of 64 bytes or more is compared in full.
        for length in [63, 64, 65, 100] {
            let long = "a".repeat(length);
            let model = BTreeMap::from([
                (long.to_uppercase(), 1),
                ("b".repeat(length), 2),
                ("c".repeat(64), 3),
                ("d".repeat(200), 4),
            ]);
            let picked = picked_members(&model, &wanted(&[&long]), true).unwrap();
            assert_eq!(picked, json!({ long.to_uppercase(): 1 }), "{length}");
            let picked = picked_members(&model, &wanted(&["x"]), true).unwrap();
            assert_eq!(picked, json!({}), "{length}");
        }
    }

    #[test]
    fn newtypes_and_options_are_seen_through() {
        #[derive(serde::Serialize, PartialEq, Eq, PartialOrd, Ord)]
        struct Key(String);
        #[derive(serde::Serialize)]
        struct Wrapper(Model);
        let model = Model {
            a: 1,
            b: "x".into(),
            c: Some(3),
            custom: BTreeMap::new(),
        };
        let names = wanted(&["a", "c~/"]);
        let expected = json!({"a": 1, "c~/": 3});
        assert_eq!(
            picked_members(&Some(&model), &names, false).unwrap(),
            expected
        );
        let wrapped = Wrapper(model);
        assert_eq!(picked_members(&wrapped, &names, false).unwrap(), expected);
        let keyed = BTreeMap::from([(Key("a".into()), 1), (Key("B".into()), 2)]);
        assert_eq!(
            picked_members(&keyed, &wanted(&["a", "b"]), true).unwrap(),
            json!({"a": 1, "B": 2})
        );
    }

    #[test]
    fn a_model_that_json_cannot_hold_is_an_error() {
        // serde_json writes no `Option` as a key: neither does the picker, nor does it pick
        // by another key's text.
        let model = BTreeMap::from([(Some("a"), 1)]);
        assert!(picked_members(&model, &wanted(&["a"]), false).is_err());
        assert!(serde_json::to_value(&model).is_err());
    }

    #[test]
    fn falls_back_to_the_whole_value_for_other_shapes() {
        assert_eq!(
            picked_members(&[1, 2], &wanted(&["a"]), false).unwrap(),
            json!([1, 2])
        );
        let map = BTreeMap::from([(1, 2)]);
        assert_eq!(
            picked_members(&map, &wanted(&["1"]), true).unwrap(),
            json!({"1": 2})
        );
    }
}
