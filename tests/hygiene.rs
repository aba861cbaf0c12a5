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

    /// A model with untyped JSON, whose types the derive checks at each field to be
    /// `serde_json`'s (a `const` block of its own).
    #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
    pub struct Untyped {
        /// An object merged by RFC 7396.
        pub data: ::serde_json::Value,
        /// A nullable one.
        pub extra:
            ::core::option::Option<::serde_json::Map<::std::string::String, ::serde_json::Value>>,
    }

    /// An `Option` behind an alias.
    pub type MaybeText = ::core::option::Option<::std::string::String>;

    /// A model with nullable attributes reached through `Nullable`, beside untyped JSON.
    ///
    /// The derive checks their types at each field (an alias marked `nullable`, a `Box` of an
    /// `Option`, a `Value`), all in one `const` block.
    #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
    pub struct Aliased {
        /// A nullable attribute behind an alias.
        #[patchable(nullable)]
        pub nickname: MaybeText,
        /// A nullable attribute in a `Box`.
        pub title: ::std::boxed::Box<::core::option::Option<::std::string::String>>,
        /// An object merged by RFC 7396.
        pub data: ::serde_json::Value,
        /// A nullable attribute behind an alias written by a serde function of the user's,
        /// which the patch hands a copy of its value in the model's `Option`.
        #[patchable(nullable)]
        #[serde(default, with = "shouting")]
        pub motto: MaybeText,
    }

    /// A serde function on a nullable attribute (`&Option<T>`).
    pub mod shouting {
        /// Writes the text in capitals.
        ///
        /// # Errors
        ///
        /// The serializer's.
        #[allow(clippy::ref_option)]
        pub fn serialize<S: ::serde::Serializer>(
            value: &super::MaybeText,
            serializer: S,
        ) -> ::core::result::Result<S::Ok, S::Error> {
            match value {
                ::core::option::Option::Some(text) => serializer
                    .serialize_str(&::std::string::ToString::to_string(text).to_uppercase()),
                ::core::option::Option::None => serializer.serialize_none(),
            }
        }

        /// Reads the text.
        ///
        /// # Errors
        ///
        /// The deserializer's.
        pub fn deserialize<'de, D: ::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::core::result::Result<super::MaybeText, D::Error> {
            <super::MaybeText as ::serde::Deserialize<'de>>::deserialize(deserializer)
        }
    }

    /// A model with flattened nested models, whose keys the derive compares with its own
    /// fields' and with each other's in `const` assertions.
    #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
    pub struct Flattening {
        /// A nullable attribute.
        pub label: ::core::option::Option<::std::string::String>,
        /// A flattened nested model.
        #[serde(flatten)]
        #[patchable(nested)]
        pub inner: Inner,
        /// Another, flattening one in turn.
        #[serde(flatten)]
        #[patchable(nested)]
        pub outer: Outer,
    }
}

/// `Eq`, `Hash` and the orders that `#[patchable(derive(...))]` asks for, written out.
///
/// A generic model with a nested generic field and two nested fields of one type (one bound
/// per value type, or clippy reports `type_repetition_in_bounds` at the second field).
pub mod extra_derives {
    /// A nested model.
    #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
    #[patchable(derive(Eq, Hash, PartialOrd, Ord))]
    pub struct Address {
        /// A nullable attribute.
        pub city: ::core::option::Option<::std::string::String>,
    }

    /// A generic model whose patch is `Eq`, `Hash`, `PartialOrd` and `Ord`.
    #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
    #[patchable(derive(Eq, Hash, PartialOrd, Ord))]
    pub struct Order<S> {
        /// A nested required attribute.
        #[patchable(nested)]
        pub billing: Address,
        /// A nested nullable attribute of the same type.
        #[patchable(nested)]
        pub shipping: ::core::option::Option<Address>,
        /// A nested generic attribute.
        #[patchable(nested)]
        pub spec: S,
        /// A plain attribute.
        pub count: u32,
    }

    /// `PartialOrd` alone, over a float.
    #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
    #[patchable(derive(PartialOrd))]
    pub struct Reading<T> {
        /// A nested generic attribute.
        #[patchable(nested)]
        pub sensor: T,
        /// A float.
        pub celsius: f64,
    }
}

/// Generic models with two nested fields of one type, one required and one nullable.
///
/// The bounds that applying their patches needs (`Address: Patchable` and `Address: Patchable +
/// FromPatch`) carry the fields' spans, so clippy reads them as the user's, and two predicates
/// of one type were its `type_repetition_in_bounds` (nursery) at the second field.
pub mod two_of_one_type {
    /// A nested model.
    #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
    pub struct Address {
        /// A nullable attribute.
        pub city: ::core::option::Option<::std::string::String>,
    }

    /// Two fields of a concrete nested type, in a generic model.
    #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
    pub struct Order<T> {
        /// A nested required attribute.
        #[patchable(nested)]
        pub billing: Address,
        /// A nested nullable attribute of the same type.
        #[patchable(nested)]
        pub shipping: ::core::option::Option<Address>,
        /// A generic attribute.
        pub tag: ::core::option::Option<T>,
    }

    /// A generic nullable attribute that a serde function of the user's writes and reads
    /// (the patch calls it through a `ReadWith` impl with the model's generics).
    #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
    pub struct Tagged<T: ::core::clone::Clone + ::serde::Serialize + ::serde::de::DeserializeOwned> {
        /// Written and read by `plain`.
        #[serde(default, with = "plain")]
        pub tag: ::core::option::Option<T>,
    }

    /// A serde function on a generic nullable attribute.
    pub mod plain {
        /// Writes the value.
        ///
        /// # Errors
        ///
        /// The serializer's.
        #[allow(clippy::ref_option)]
        pub fn serialize<T: ::serde::Serialize, S: ::serde::Serializer>(
            value: &::core::option::Option<T>,
            serializer: S,
        ) -> ::core::result::Result<S::Ok, S::Error> {
            ::serde::Serialize::serialize(value, serializer)
        }

        /// Reads the value.
        ///
        /// # Errors
        ///
        /// The deserializer's.
        pub fn deserialize<'de, T: ::serde::Deserialize<'de>, D: ::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::core::result::Result<::core::option::Option<T>, D::Error> {
            <::core::option::Option<T> as ::serde::Deserialize<'de>>::deserialize(deserializer)
        }
    }

    /// Two fields of a generic nested type.
    #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
    pub struct Pair<N> {
        /// A nested required attribute.
        #[patchable(nested)]
        pub first: N,
        /// A nested nullable attribute of the same type.
        #[patchable(nested)]
        pub second: ::core::option::Option<N>,
    }
}

/// Models that a `macro_rules!` writes, with their visibility from a `$vis` fragment or
/// written in the macro itself.
///
/// The setters took the model's visibility token, whose span a `macro_rules!` expansion marks
/// as its own where the macro writes it: clippy then read them as the user's code and raised
/// `missing_const_for_fn` (nursery) at that `pub`, on the clear setter of a field without drop
/// glue (`clear_count`).
pub mod from_macro_rules {
    macro_rules! model {
        ($(#[$meta:meta])* $vis:vis struct $name:ident { $($(#[$field_meta:meta])* $field_vis:vis $field:ident: $ty:ty,)* }) => {
            $(#[$meta])*
            #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
            $vis struct $name {
                $($(#[$field_meta])* $field_vis $field: $ty,)*
            }
        };
    }

    macro_rules! public_model {
        ($(#[$meta:meta])* $name:ident { $($(#[$field_meta:meta])* $field:ident: $ty:ty,)* }) => {
            $(#[$meta])*
            #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
            pub struct $name {
                $($(#[$field_meta])* pub $field: $ty,)*
            }
        };
    }

    model! {
        /// A model from a macro, its visibility given to it.
        pub struct Counter {
            /// A nullable attribute without drop glue.
            pub count: ::core::option::Option<u8>,
            /// A required attribute without drop glue.
            pub(crate) step: u16,
            /// A nullable attribute with drop glue.
            pub label: ::core::option::Option<::std::string::String>,
        }
    }

    public_model! {
        /// A model from a macro that writes its visibility.
        Gauge {
            /// A nullable attribute without drop glue.
            count: ::core::option::Option<u8>,
            /// A required attribute without drop glue.
            step: u16,
        }
    }
}

/// Models whose fields and `#[derive]` come from two sides of a `macro_rules!`.
///
/// The caller writes the fields as one token tree (`struct $name $body`, `$body:tt`) and the
/// macro the `#[derive]`, as rust-lang/rust#92654 reports of another derive; or the caller
/// writes the `#[derive]` on fields that the macro writes.
///
/// The patch's own serde code spans each field's call at the field's type, which then carried
/// one hygiene while the derive's locals (`__writer`, `__map`) and `self` carried the other's:
/// "cannot find value `__writer` in this scope", "expected value, found module `self`" at
/// every field.
pub mod from_macro_rules_body {
    macro_rules! model {
        ($(#[$meta:meta])* $name:ident $body:tt) => {
            $(#[$meta])*
            #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
            pub struct $name $body
        };
    }

    model! {
        /// Required and nullable attributes: the derive's own `Serialize` and `Deserialize`.
        Plain {
            /// A nullable attribute.
            pub note: ::core::option::Option<::std::string::String>,
            /// A required attribute.
            pub step: u16,
        }
    }

    macro_rules! with_fields {
        ($(#[$meta:meta])* $name:ident) => {
            $(#[$meta])*
            pub struct $name {
                /// A nullable attribute.
                pub note: ::core::option::Option<::std::string::String>,
                /// A map merged key by key.
                pub labels:
                    ::std::collections::BTreeMap<::std::string::String, ::std::string::String>,
            }
        };
    }

    with_fields! {
        /// The caller's `#[derive]` on the macro's fields.
        #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
        Written
    }

    model! {
        /// A map, a read-only attribute and a flattened map (custom attributes): the derive's
        /// own serde code with a map.
        Custom {
            /// A map merged key by key.
            pub labels: ::std::collections::BTreeMap<::std::string::String, ::std::string::String>,
            /// A read-only attribute, whose key the patch reads and drops.
            #[patchable(skip)]
            pub id: u32,
            /// The other keys.
            #[serde(flatten)]
            pub custom:
                ::std::collections::BTreeMap<::std::string::String, ::serde_json::Value>,
        }
    }

    model! {
        /// Attributes written and read by the caller's functions (serde's derives write the
        /// patch): a nullable one's function was called with the derive's local spanned at the
        /// caller's attribute ("cannot find value `__value` in this scope").
        Functions {
            /// A nullable attribute through a `with` module.
            #[serde(with = "self::as_number", default)]
            pub level: ::core::option::Option<u8>,
            /// A nullable attribute through `serialize_with` and `deserialize_with`.
            #[serde(
                serialize_with = "self::as_number::serialize",
                deserialize_with = "self::as_number::deserialize",
                default
            )]
            pub rank: ::core::option::Option<u8>,
        }
    }

    /// A `with` module for an `Option<u8>`, written as serde writes it.
    pub mod as_number {
        /// Writes the number, or `null`.
        ///
        /// # Errors
        ///
        /// The serializer's.
        #[allow(clippy::ref_option)]
        pub fn serialize<S: ::serde::Serializer>(
            value: &::core::option::Option<u8>,
            serializer: S,
        ) -> ::core::result::Result<S::Ok, S::Error> {
            ::serde::Serialize::serialize(value, serializer)
        }

        /// Reads the number, or `null`.
        ///
        /// # Errors
        ///
        /// The deserializer's.
        pub fn deserialize<'de, D: ::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::core::result::Result<::core::option::Option<u8>, D::Error> {
            ::serde::Deserialize::deserialize(deserializer)
        }
    }
}

/// Generic nested models whose parameter the model itself bounds, on the parameter or in its
/// `where` clause, as a generic nested model is naturally written.
///
/// The bounds that applying a patch needs (`T: Patchable`) carry the field's span, so clippy
/// read them as the user's: beside the model's own bound on `T` they were
/// `type_repetition_in_bounds`, and the model's `<T: Patchable>`, copied to every impl,
/// `trait_duplication_in_bounds` (both nursery), in every impl.
pub mod bounded_parameters {
    /// A parameter bounded where it is declared.
    #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
    pub struct Inline<T: ::sparse_patch::Patchable> {
        /// A nested required attribute.
        #[patchable(nested)]
        pub first: T,
    }

    /// A parameter bounded in the `where` clause by the trait the derive needs.
    #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
    pub struct Where<T>
    where
        T: ::sparse_patch::Patchable,
    {
        /// A nested required attribute.
        #[patchable(nested)]
        pub first: T,
    }

    /// A parameter bounded in the `where` clause by another trait, and a lifetime bounded
    /// where it is declared.
    #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
    pub struct Other<'a, 'b: 'a, T>
    where
        T: ::core::marker::Send,
    {
        /// A nested nullable attribute.
        #[patchable(nested)]
        pub first: ::core::option::Option<T>,
        /// A borrowed attribute.
        pub label: ::core::option::Option<&'a str>,
        /// A second borrowed attribute.
        pub note: ::core::option::Option<&'b str>,
    }
}

/// Borrowed attributes, as serde's documentation writes zero-copy models, beside one that
/// serde reads through `#[serde(borrow)]` (so that serde's derives write the patch).
///
/// A borrowed string or byte slice is written as the string or array it points to, never
/// `null`; the derive read the lifetime in `&'a str` as a generic parameter's and the reference
/// as a type it cannot see, and gave each such required attribute a check against `null`
/// through a `serialize_with` of serde's derive, whose wrapper type `&Option<&'a str>` clippy's
/// pedantic `ref_option_ref` reported in the user's crate (as serde's wrappers raise
/// `option_option`, rust-lang/rust-clippy#4298).
pub mod borrowed_values {
    /// A model of borrowed attributes.
    #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
    pub struct Borrowed<'a> {
        /// A required borrowed string.
        pub tag: &'a str,
        /// A required borrowed byte slice.
        pub bytes: &'a [u8],
        /// A required string, borrowed where the input allows it.
        #[serde(borrow)]
        pub text: ::std::borrow::Cow<'a, str>,
        /// A nullable borrowed string.
        #[serde(borrow)]
        pub note: ::core::option::Option<&'a str>,
        /// A required string borrowed for the whole program.
        pub fixed: &'static str,
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

/// Types of the user's named like standard ones, which the derive reads by name.
///
/// `#[patchable(required)]` says that an `Option` is the user's own, `#[patchable(replace)]` the
/// same of any other name (README, "Attribute reference"). Found by a review: the derive still
/// took them for the standard types, which have `Clone`, `Debug` and `PartialEq`, left those
/// bounds out, and the patch's impls of the three traits (and `Diff`) failed to compile for
/// types that lack them, instead of being left out as for any other type that lacks them.
pub mod own_std_names {
    /// A type of the user's named `Option`, without `Clone`, `Debug` or `PartialEq`.
    #[derive(::serde::Serialize, ::serde::Deserialize)]
    pub struct Option<T>(pub T);

    /// A type of the user's named `Vec`, likewise.
    #[derive(::serde::Serialize, ::serde::Deserialize)]
    pub struct Vec<T>(pub T);

    macro_rules! schema {
        ($name:ident) => {
            impl<T> ::schemars::JsonSchema for $name<T> {
                fn schema_name() -> ::std::borrow::Cow<'static, str> {
                    ::std::borrow::Cow::Borrowed(::core::stringify!($name))
                }
                fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                    ::schemars::json_schema!({})
                }
            }
        };
    }
    /// A type of the user's named `Box`, likewise: `Box<Option<T>>` is nullable by its name.
    #[derive(::serde::Serialize, ::serde::Deserialize)]
    pub struct Box<T>(pub T);

    /// A type of the user's named `Cow`, which is not in the prelude (a review found it read as
    /// `std::borrow::Cow` of a standard value, never `null`): its JSON is `null` for `Cow(None)`.
    #[derive(::serde::Serialize, ::serde::Deserialize)]
    #[serde(transparent)]
    pub struct Cow<T>(pub ::core::option::Option<T>);

    schema!(Option);
    schema!(Vec);
    schema!(Box);
    schema!(Cow);

    /// A model with a required attribute of the user's `Cow`.
    #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
    pub struct CowHolder {
        /// Required: the patch must not write it `null`.
        pub level: Cow<u8>,
    }

    /// A model that holds them.
    #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
    pub struct Holder {
        /// The user's `Option`, a required attribute.
        #[patchable(required)]
        pub own: Option<u8>,
        /// The user's `Vec`.
        #[patchable(replace)]
        pub list: Vec<u8>,
        /// A standard `Option`, nullable.
        pub standard: ::core::option::Option<u8>,
        /// The user's `Box` of a standard `Option`: `required` says it is not `std`'s.
        #[patchable(required)]
        pub boxed: Box<::core::option::Option<u8>>,
        /// The same sent whole: `replace` says how it is sent, `required` that it is the
        /// user's `Box` (a `replace` alone leaves a `Box<Option<T>>` nullable, as std's is).
        #[patchable(required, replace)]
        pub replaced: Box<::core::option::Option<u8>>,
    }
}

/// A trait of the user's with methods on every type, named like those the generated code calls.
///
/// The patch map's `insert`, the schema builder's `describe`, `required`, `map` ...: each
/// takes `&self`, so that as a method call (`__map.insert(..)`) it was chosen before the
/// inherent method that takes `&mut self`, and the derive failed at the `#[derive]` (found by
/// review 98); the generated code calls them by their paths.
pub mod methods_on_every_type {
    /// Methods on every type.
    #[allow(missing_docs)]
    pub trait Everywhere {
        fn insert(&self) {}
        fn describe(&self) {}
        fn title(&self) {}
        fn description(&self) {}
        fn field_title(&self) {}
        fn field_description(&self) {}
        fn field_keywords(&self) {}
        fn deprecated(&self) {}
        fn deprecated_field(&self) {}
        fn required(&self) {}
        fn nullable(&self) {}
        fn nullable_option(&self) {}
        fn map(&self) {}
        fn flatten(&self) {}
        fn custom(&self) {}
        fn custom_one_way(&self) {}
        fn declared(&self) {}
        fn declared_one_way(&self) {}
        fn map_declared(&self) {}
        fn flatten_declared(&self) {}
        fn ignored(&self) {}
        fn finish(&self) {}
    }

    impl<T: ?::core::marker::Sized> Everywhere for T {}
}

/// Models written where [`methods_on_every_type::Everywhere`] is in scope.
pub mod beside_methods_on_every_type {
    #[allow(unused_imports)]
    use super::methods_on_every_type::Everywhere;
    use ::std::collections::{BTreeMap, HashMap};
    use ::std::string::String;

    /// A nested model, flattened.
    #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
    pub struct Flat {
        /// A nullable attribute.
        pub note: ::core::option::Option<String>,
    }

    /// A model whose patch has the derive's own serde code: maps required, nullable and
    /// flattened, a deprecated attribute, a skipped one.
    #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
    #[schemars(title = "Labelled", description = "A labelled thing.")]
    pub struct Labelled {
        /// Read-only.
        #[patchable(skip)]
        pub id: String,
        /// A required map.
        pub labels: BTreeMap<String, String>,
        /// A nullable map.
        pub tags: ::core::option::Option<HashMap<String, u8>>,
        /// A deprecated attribute.
        #[deprecated = "use labels"]
        #[schemars(title = "Old", description = "The old one.")]
        pub old: ::core::option::Option<u8>,
        /// The other attributes.
        #[serde(flatten)]
        pub rest: BTreeMap<String, ::serde_json::Value>,
    }

    /// A generic model, whose patch has serde's derives.
    #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
    pub struct Generic<T> {
        /// A map of the parameter.
        pub values: BTreeMap<String, T>,
        /// A flattened nested model.
        #[serde(flatten)]
        #[patchable(nested)]
        pub flat: Flat,
        /// The other attributes.
        #[serde(flatten)]
        pub rest: HashMap<String, T>,
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

#[test]
fn borrowed_values_are_written_and_read() {
    use ::sparse_patch::Patchable;
    let patch = borrowed_values::BorrowedPatch::new()
        .tag("t")
        .bytes(&[1_u8][..])
        .clear_note();
    ::std::assert_eq!(
        ::serde_json::to_string(&patch).unwrap(),
        r#"{"tag":"t","bytes":[1],"note":null}"#
    );
    let mut model = borrowed_values::Borrowed {
        tag: "a",
        bytes: &[],
        text: ::std::borrow::Cow::Borrowed("x"),
        note: ::core::option::Option::Some("n"),
        fixed: "f",
    };
    let read: borrowed_values::BorrowedPatch<'_> =
        ::serde_json::from_str(r#"{"tag":"b","text":"y","note":null}"#).unwrap();
    model.apply(read).unwrap();
    ::std::assert_eq!(
        (model.tag, &*model.text, model.note),
        ("b", "y", ::core::option::Option::None)
    );
    // A required attribute is never `null`, borrowed or not.
    ::std::assert!(
        ::serde_json::from_str::<borrowed_values::BorrowedPatch<'_>>(r#"{"tag":null}"#).is_err()
    );
}

#[test]
fn two_nested_fields_of_one_type() {
    use ::sparse_patch::Patchable;
    use two_of_one_type::{Address, AddressPatch, Order, OrderPatch, PairPatch};
    let patch = OrderPatch::<u8>::new()
        .billing(AddressPatch::new().city("Paris"))
        .shipping(AddressPatch::new().city("Lyon"));
    let mut order = Order::<u8> {
        billing: Address {
            city: ::core::option::Option::None,
        },
        shipping: ::core::option::Option::None,
        tag: ::core::option::Option::None,
    };
    order.apply(patch).unwrap();
    ::std::assert_eq!(order.shipping.unwrap().city.unwrap(), "Lyon");
    let patch = PairPatch::<Address>::new().clear_second();
    ::std::assert_eq!(
        ::serde_json::to_string(&patch).unwrap(),
        r#"{"second":null}"#
    );
}

#[test]
fn a_model_from_macro_rules() {
    let patch = from_macro_rules::CounterPatch::new()
        .clear_count()
        .step(2u16)
        .label("l");
    ::std::assert_eq!(
        ::serde_json::to_string(&patch).unwrap(),
        r#"{"count":null,"step":2,"label":"l"}"#
    );
    let patch = from_macro_rules::GaugePatch::new().clear_count().step(1u16);
    ::std::assert_eq!(
        ::serde_json::to_string(&patch).unwrap(),
        r#"{"count":null,"step":1}"#
    );
}

#[test]
fn parameters_that_the_model_bounds() {
    use bounded_parameters::{InlinePatch, OtherPatch, WherePatch};
    use two_of_one_type::{Address, AddressPatch};
    let patch = InlinePatch::<Address>::new().first(AddressPatch::new().city("Paris"));
    ::std::assert_eq!(
        ::serde_json::to_string(&patch).unwrap(),
        r#"{"first":{"city":"Paris"}}"#
    );
    let patch = WherePatch::<Address>::new().first(AddressPatch::new().clear_city());
    ::std::assert_eq!(
        ::serde_json::to_string(&patch).unwrap(),
        r#"{"first":{"city":null}}"#
    );
    let patch = OtherPatch::<'_, '_, Address>::new()
        .clear_first()
        .label("l");
    ::std::assert_eq!(
        ::serde_json::to_string(&patch).unwrap(),
        r#"{"first":null,"label":"l"}"#
    );
}

#[test]
fn a_type_of_ones_own_named_like_a_standard_one() {
    use ::sparse_patch::Patchable;
    let patch = own_std_names::HolderPatch::new()
        .own(own_std_names::Option(2u8))
        .list(own_std_names::Vec(3u8))
        .clear_standard()
        .boxed(own_std_names::Box(::core::option::Option::Some(4u8)));
    ::std::assert_eq!(
        ::serde_json::to_string(&patch).unwrap(),
        r#"{"own":2,"list":3,"standard":null,"boxed":4}"#
    );
    let mut holder = own_std_names::Holder {
        own: own_std_names::Option(1),
        list: own_std_names::Vec(1),
        standard: ::core::option::Option::Some(1),
        boxed: own_std_names::Box(::core::option::Option::None),
        replaced: own_std_names::Box(::core::option::Option::None),
    };
    holder.apply(patch).unwrap();
    ::std::assert_eq!(holder.own.0, 2);
    ::std::assert_eq!(holder.list.0, 3);
    ::std::assert!(holder.standard.is_none());
    ::std::assert_eq!(holder.boxed.0, ::core::option::Option::Some(4));
}

#[test]
fn a_type_of_ones_own_named_cow_may_be_null() {
    // Only a `Cow` written with its lifetime (`Cow<'a, str>`) is std's, which serde writes as
    // what it points to; the user's `Cow<u8>` may be `null`, which a required attribute's
    // patch refuses to write, naming it (RFC 7396 would read it as removing the attribute).
    let patch = own_std_names::CowHolderPatch::new()
        .level(own_std_names::Cow(::core::option::Option::None::<u8>));
    let error = ::std::string::ToString::to_string(&::serde_json::to_string(&patch).unwrap_err());
    ::std::assert!(error.contains("level"), "{error}");
    let patch = own_std_names::CowHolderPatch::new()
        .level(own_std_names::Cow(::core::option::Option::Some(2_u8)));
    ::std::assert_eq!(::serde_json::to_string(&patch).unwrap(), r#"{"level":2}"#);
}

#[test]
fn a_model_whose_fields_a_macro_rules_caller_writes() {
    use from_macro_rules_body::{CustomPatch, PlainPatch};
    let patch = PlainPatch::new().clear_note().step(2u16);
    ::std::assert_eq!(
        ::serde_json::to_string(&patch).unwrap(),
        r#"{"note":null,"step":2}"#
    );
    let read: PlainPatch = ::serde_json::from_str(r#"{"note":null,"step":2}"#).unwrap();
    ::std::assert_eq!(read, patch);
    let patch = CustomPatch::new()
        .labels_entry("a", "b")
        .clear_labels_entry("c")
        .custom_entry("pet", ::serde_json::json!("cat"));
    ::std::assert_eq!(
        ::serde_json::to_string(&patch).unwrap(),
        r#"{"labels":{"a":"b","c":null},"pet":"cat"}"#
    );
    let read: CustomPatch =
        ::serde_json::from_str(r#"{"labels":{"a":"b","c":null},"id":7,"pet":"cat"}"#).unwrap();
    ::std::assert_eq!(read, patch);
    let patch = from_macro_rules_body::WrittenPatch::new()
        .clear_note()
        .labels_entry("a", "b");
    let json = r#"{"note":null,"labels":{"a":"b"}}"#;
    ::std::assert_eq!(::serde_json::to_string(&patch).unwrap(), json);
    ::std::assert_eq!(
        ::serde_json::from_str::<from_macro_rules_body::WrittenPatch>(json).unwrap(),
        patch
    );
    let patch = from_macro_rules_body::FunctionsPatch::new()
        .level(3_u8)
        .clear_rank();
    let json = r#"{"level":3,"rank":null}"#;
    ::std::assert_eq!(::serde_json::to_string(&patch).unwrap(), json);
    ::std::assert_eq!(
        ::serde_json::from_str::<from_macro_rules_body::FunctionsPatch>(json).unwrap(),
        patch
    );
}

/// Models beside `macro_rules!` named like the standard macros.
///
/// More names of the prelude and of the runtime (`Patchable`, `Serialize`, modules `core`,
/// `serde`, `sparse_patch`) are in scope, and a model is named `Patch`, with fields named like
/// the generated methods (`patch`, `model`).
///
/// A macro defined before an item is in scope there by its text, ahead of the standard one: a
/// generated `panic!`, `assert!`, `format!` or `stringify!` written without its path would
/// expand to this module's macro (here, a `compile_error!`).
pub mod shadowed_macros {
    #![allow(unused_macros)]

    macro_rules! panic {
        ($($t:tt)*) => {
            ::core::compile_error!("the user's `panic!`")
        };
    }
    macro_rules! assert {
        ($($t:tt)*) => {
            ::core::compile_error!("the user's `assert!`")
        };
    }
    macro_rules! assert_eq {
        ($($t:tt)*) => {
            ::core::compile_error!("the user's `assert_eq!`")
        };
    }
    macro_rules! assert_ne {
        ($($t:tt)*) => {
            ::core::compile_error!("the user's `assert_ne!`")
        };
    }
    macro_rules! debug_assert {
        ($($t:tt)*) => {
            ::core::compile_error!("the user's `debug_assert!`")
        };
    }
    macro_rules! unreachable {
        ($($t:tt)*) => {
            ::core::compile_error!("the user's `unreachable!`")
        };
    }
    macro_rules! unimplemented {
        ($($t:tt)*) => {
            ::core::compile_error!("the user's `unimplemented!`")
        };
    }
    macro_rules! todo {
        ($($t:tt)*) => {
            ::core::compile_error!("the user's `todo!`")
        };
    }
    macro_rules! format {
        ($($t:tt)*) => {
            ::core::compile_error!("the user's `format!`")
        };
    }
    macro_rules! format_args {
        ($($t:tt)*) => {
            ::core::compile_error!("the user's `format_args!`")
        };
    }
    macro_rules! write {
        ($($t:tt)*) => {
            ::core::compile_error!("the user's `write!`")
        };
    }
    macro_rules! writeln {
        ($($t:tt)*) => {
            ::core::compile_error!("the user's `writeln!`")
        };
    }
    macro_rules! concat {
        ($($t:tt)*) => {
            ::core::compile_error!("the user's `concat!`")
        };
    }
    macro_rules! stringify {
        ($($t:tt)*) => {
            ::core::compile_error!("the user's `stringify!`")
        };
    }
    macro_rules! matches {
        ($($t:tt)*) => {
            ::core::compile_error!("the user's `matches!`")
        };
    }
    macro_rules! vec {
        ($($t:tt)*) => {
            ::core::compile_error!("the user's `vec!`")
        };
    }
    macro_rules! compile_error {
        ($($t:tt)*) => {
            ::core::compile_error!("the user's `compile_error!`")
        };
    }
    macro_rules! line {
        ($($t:tt)*) => {
            ::core::compile_error!("the user's `line!`")
        };
    }
    macro_rules! file {
        ($($t:tt)*) => {
            ::core::compile_error!("the user's `file!`")
        };
    }
    macro_rules! column {
        ($($t:tt)*) => {
            ::core::compile_error!("the user's `column!`")
        };
    }
    macro_rules! env {
        ($($t:tt)*) => {
            ::core::compile_error!("the user's `env!`")
        };
    }
    macro_rules! option_env {
        ($($t:tt)*) => {
            ::core::compile_error!("the user's `option_env!`")
        };
    }
    macro_rules! include_str {
        ($($t:tt)*) => {
            ::core::compile_error!("the user's `include_str!`")
        };
    }

    /// Items named like the prelude's and the runtime's, beside the models.
    pub mod names {
        /// Not `alloc::string::String`.
        pub struct String;
        /// Not `alloc::vec::Vec`.
        pub struct Vec;
        /// Not `alloc::boxed::Box`.
        pub struct Box;
        /// Not `core::result::Result::Err`.
        pub struct Err;
        /// Not `core::iter::Iterator`.
        pub trait Iterator {}
        /// Not `core::iter::IntoIterator`.
        pub trait IntoIterator {}
        /// Not `core::convert::From`.
        pub trait From {}
        /// Not `alloc::string::ToString`.
        pub trait ToString {}
        /// Not `alloc::borrow::ToOwned`.
        pub trait ToOwned {}
        /// Not `core::convert::AsRef`.
        pub trait AsRef {}
        /// Not `core::cmp::PartialEq`.
        pub trait PartialEq {}
        /// Not `core::cmp::Eq`.
        pub trait Eq {}
        /// Not `core::marker::Sized`.
        pub trait Sized {}
        /// Not `core::marker::Send`.
        pub trait Send {}
        /// Not `core::marker::Copy`.
        pub trait Copy {}
        /// Not `core::ops::Drop`.
        pub trait Drop {}
        /// Not `core::ops::Fn`.
        pub trait Fn {}
        /// Not `core::iter::Extend`.
        pub trait Extend {}
        /// Not `sparse_patch::Patchable`.
        pub trait Patchable {}
        /// Not `sparse_patch::FromPatch`.
        pub trait FromPatch {}
        /// Not `sparse_patch::Diff`.
        pub trait Diff {}
        /// Not `sparse_patch::MergeMap`.
        pub trait MergeMap {}
        /// Not `serde::Serialize`.
        pub trait Serialize {}
        /// Not `serde::Deserialize`.
        pub trait Deserialize {}
        /// Not `serde::Serializer`.
        pub trait Serializer {}
        /// Not `serde::Deserializer`.
        pub trait Deserializer {}
        /// Not `core::mem::drop`.
        pub const fn drop() {}
        /// Not the `core` crate.
        pub mod core {}
        /// Not the `std` crate.
        pub mod std {}
        /// Not the `alloc` crate.
        pub mod alloc {}
        /// Not the `serde` crate.
        pub mod serde {}
        /// Not the `serde_json` crate.
        pub mod serde_json {}
        /// Not the `sparse_patch` crate.
        pub mod sparse_patch {}
    }

    #[allow(unused_imports)]
    use self::names::*;
    use ::std::collections::BTreeMap;
    use ::std::string::String as Text;

    /// A nested model.
    #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
    pub struct Inner {
        /// A nullable attribute.
        pub note: ::core::option::Option<Text>,
    }

    /// A model named like the runtime's trait, its fields like the generated code's methods.
    #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Patch {
        /// A nullable attribute named `patch`.
        pub patch: ::core::option::Option<Text>,
        /// A required attribute named `model`.
        pub model: Text,
        /// A nested nullable attribute.
        #[patchable(nested)]
        pub inner: ::core::option::Option<Inner>,
        /// A map.
        pub labels: BTreeMap<Text, Text>,
        /// Untyped JSON.
        pub data: ::serde_json::Value,
        /// A keyed array.
        #[patchable(key = "id")]
        pub items: ::std::vec::Vec<::serde_json::Value>,
        /// A nullable attribute in a `Box`.
        pub boxed: ::std::boxed::Box<::core::option::Option<u8>>,
        /// Not patched.
        #[patchable(skip)]
        pub id: u8,
        /// The other keys.
        #[serde(flatten)]
        pub custom: BTreeMap<Text, ::serde_json::Value>,
    }

    /// A generic model with a flattened nested model, whose patch has serde's derives and
    /// the `const` assertions on flattened keys.
    #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
    pub struct Wrapper<T> {
        /// A generic nullable attribute.
        pub value: ::core::option::Option<T>,
        /// A flattened nested model.
        #[serde(flatten)]
        #[patchable(nested)]
        pub inner: Inner,
    }

    /// A model with a flattened nested model, not generic: its keys are compared in a `const`
    /// assertion.
    #[derive(::sparse_patch::Patchable, ::serde::Serialize, ::serde::Deserialize)]
    pub struct Flattening {
        /// A required attribute.
        pub label: Text,
        /// A flattened nested model.
        #[serde(flatten)]
        #[patchable(nested)]
        pub inner: Inner,
    }
}

#[test]
fn shadowed_macros_and_names() {
    use ::sparse_patch::Patchable;
    use shadowed_macros::{InnerPatch, Patch, PatchPatch};
    let patch = PatchPatch::new()
        .patch("p")
        .model("m")
        .inner(InnerPatch::new().clear_note())
        .labels_entry("k", "v")
        .custom_entry("pet", ::serde_json::json!("cat"));
    ::std::assert_eq!(
        ::serde_json::to_string(&patch).unwrap(),
        r#"{"patch":"p","model":"m","inner":{"note":null},"labels":{"k":"v"},"pet":"cat"}"#
    );
    let mut model = Patch {
        patch: ::core::option::Option::None,
        model: ::std::string::String::new(),
        inner: ::core::option::Option::None,
        labels: ::std::collections::BTreeMap::new(),
        data: ::serde_json::json!({}),
        items: ::std::vec::Vec::new(),
        boxed: ::std::boxed::Box::new(::core::option::Option::None),
        id: 1,
        custom: ::std::collections::BTreeMap::new(),
    };
    model.apply(patch).unwrap();
    ::std::assert_eq!(model.patch.as_deref(), ::core::option::Option::Some("p"));
    ::std::assert_eq!(model.model, "m");
    ::std::assert!(model.inner.is_some());
    ::std::assert_eq!(model.custom["pet"], "cat");

    let patch = shadowed_macros::WrapperPatch::<u8>::new()
        .value(2u8)
        .inner(InnerPatch::new().note("n"));
    ::std::assert_eq!(
        ::serde_json::to_string(&patch).unwrap(),
        r#"{"value":2,"note":"n"}"#
    );
    let patch = shadowed_macros::FlatteningPatch::new().label("l");
    ::std::assert_eq!(::serde_json::to_string(&patch).unwrap(), r#"{"label":"l"}"#);
}

#[test]
fn methods_of_a_trait_on_every_type_in_scope() {
    use beside_methods_on_every_type::{GenericPatch, LabelledPatch};
    let patch = LabelledPatch::new()
        .labels_entry("a", "b")
        .tags_entry("t", 1u8)
        .rest_entry("x", ::serde_json::json!(1));
    ::std::assert_eq!(
        ::serde_json::to_string(&patch).unwrap(),
        r#"{"labels":{"a":"b"},"tags":{"t":1},"x":1}"#
    );
    let patch = GenericPatch::<u8>::new()
        .values_entry("v", 2u8)
        .rest_entry("r", 3u8);
    ::std::assert_eq!(
        ::serde_json::to_string(&patch).unwrap(),
        r#"{"values":{"v":2},"r":3}"#
    );
    let mut generator = <::schemars::SchemaGenerator as ::core::default::Default>::default();
    let schema = <LabelledPatch as ::schemars::JsonSchema>::json_schema(&mut generator).to_value();
    ::std::assert_eq!(schema["title"], "Labelled");
    ::std::assert_eq!(schema["properties"]["old"]["deprecated"], true);
}
