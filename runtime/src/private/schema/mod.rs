//! The JSON Schema of a derived patch (feature `schemars`): `#[derive(Patchable)]` emits one
//! invocation of [`patch_schema!`](crate::private::patch_schema), which is defined twice: with
//! the feature it implements `schemars::JsonSchema` through [`PatchSchema`], without it it
//! expands to nothing, so that a user who does not enable the feature pays for nothing but
//! reading the invocation's tokens.
//!
//! With the feature: `field_schema.rs` (a field type's schema as serde reads and writes it),
//! `field_keywords.rs` (the validation keywords of a field's schemars, validator and garde items),
//! `map_keys.rs` (the keys that serde reads into a map's key type), `integer_keys.rs` (those of an
//! integer key type, as a pattern), `buffered_definitions.rs` (the copies of named definitions
//! that a flattened struct's buffer reads), `nullable.rs` (whether a
//! schema takes `null`, and refusing it) and `patch_schema.rs` (the patch object's schema,
//! field by field).

#[cfg(feature = "schemars")]
pub use schemars;
/// serde_json's `json!`, for a field's `extend("key" = value)` items. (The macro alone: a
/// public path to the crate would have the compiler name its types through it in messages,
/// `sparse_patch::private::serde_json::raw::RawValue`.)
#[cfg(feature = "schemars")]
pub use serde_json::json as schema_json;

#[cfg(feature = "schemars")]
mod buffered_definitions;
#[cfg(feature = "schemars")]
mod buffered_values;
#[cfg(feature = "schemars")]
mod field_keywords;
#[cfg(feature = "schemars")]
mod field_schema;
#[cfg(feature = "schemars")]
mod integer_keys;
#[cfg(feature = "schemars")]
mod map_keys;
#[cfg(feature = "schemars")]
mod nullable;
#[cfg(feature = "schemars")]
mod patch_schema;

#[cfg(feature = "schemars")]
pub use field_keywords::{
    contains_keyword, example, examples_keyword, extension_keyword, format_keyword, inner_keywords,
    pattern_keyword, validation_keyword,
};
#[cfg(feature = "schemars")]
pub use field_schema::FieldSchema;
#[cfg(feature = "schemars")]
pub use patch_schema::{PatchSchema, SchemaKeys};

/// Whether a schema object's `type` is `name` or a list that holds it (JSON Schema
/// 2020-12, Validation §6.1.1).
#[cfg(feature = "schemars")]
fn names_type(object: &serde_json::Map<String, serde_json::Value>, name: &str) -> bool {
    use serde_json::Value;

    match object.get("type") {
        Some(Value::String(given)) => given == name,
        Some(Value::Array(given)) => given.iter().any(|given| given == name),
        _ => false,
    }
}

/// Whether the generator writes OpenAPI 3.0's schema object (`SchemaSettings::openapi3()`):
/// a dialect of draft 4 with keywords of its own, and without `propertyNames`,
/// `dependentSchemas` or a number `exclusiveMaximum` (OpenAPI 3.0.3, "Schema Object").
#[cfg(feature = "schemars")]
fn openapi_3_0(generator: &schemars::SchemaGenerator) -> bool {
    generator
        .settings()
        .meta_schema
        .as_deref()
        .is_some_and(|meta_schema| meta_schema.contains("/oas/3.0/"))
}

/// The start of a `$ref` to one of the generator's definitions: `#/$defs/` by default,
/// `#/components/schemas/` under OpenAPI (its `definitions_path`, as schemars writes it).
#[cfg(feature = "schemars")]
fn definitions_ref_prefix(generator: &schemars::SchemaGenerator) -> String {
    let path = &*generator.settings().definitions_path;
    let path = path.strip_prefix('#').unwrap_or(path);
    let path = path.strip_suffix('/').unwrap_or(path);
    format!("#{path}/")
}

/// Implements `schemars::JsonSchema` for a derived patch (feature `schemars`).
///
/// Input: the impl's `#[allow(...)]`s (the derive's: none but those the model needs), then
/// `[impl generics] PatchType [where clause] "Name" inline "model doc"? metadata deprecated?
/// deny_unknown (@flattened_from_buffer)? (dropped [["key", "alias"], ...])? (declared [[...],
/// ...])?`, where `@flattened_from_buffer` (a patch on serde's derives with a flattened field)
/// names the [`PatchSchema`] method that says that serde reads the patch's flattened fields
/// from its buffer, and `dropped` and `declared` list the keys of skipped fields that the
/// patch reads and ignores (see [`PatchSchema::ignored`]), then per field `#[cfg]s shape
/// (arguments)? ["serialized key"?] ["read keys"]? "doc"? metadata deprecated_field? (@schema_with(function [generics] [where]))? =>
/// PatchValueType`, where `@schema_with(function [generics] [where])` (schemars'
/// `#[schemars(schema_with = "function")]`, with the patch's generics and where clause again:
/// a macro cannot repeat the first ones in each field)
/// declares in the field's block the type `__SparsePatchSchemaWith<Patch>`, whose schema the
/// function returns, for the derive to name as the value type (`__SparsePatchSchemaWith<Self>`),
/// `@keywords(closure)` (after it) the field's validation items (`#[schemars(length(...))]`,
/// `#[validate(email)]`, ...) as a closure that writes them into a `&mut Schema`,
/// and where a doc comment that
/// another macro gives some of is `@doc(pieces)`, the arguments of a `concat!`, in place of
/// `"doc"`, `metadata` is
/// `@title(expr)? @description(expr)?`, schemars' own items (`#[schemars(title = ...)]`), and `shape` names a method of
/// [`PatchSchema`] (`required`, `nullable`, `nullable_option`, `nested`, `map`, `flatten`, `custom`,
/// `custom_one_way`, `declared`, `declared_one_way`, `map_declared`, `flatten_map`, `flatten_declared`) and the arguments are its arguments after the keys and the description;
/// a map's key type follows `| ` (a map field's, a flattened map's). `deprecated` and `deprecated_field`, given for a
/// `#[deprecated]` model or field, name the [`PatchSchema`] methods that say so.
///
/// The methods are called by their path (`PatchSchema::required(&mut __schema, ...)`), not as
/// `__schema.required(...)`: the expansion is in the user's crate, where a trait in scope with a
/// method of that name on every type (`fn describe(&self)` of an `impl<T: Debug> Describe for
/// T`) was chosen before the method that takes `&mut self`, and the derive failed.
#[cfg(feature = "schemars")]
#[doc(hidden)]
#[macro_export]
macro_rules! __sparse_patch_schema {
    (
        $(#[$allow:meta])* [$($generics:tt)*] $patch:ty [$($where:tt)*] $name:literal $inline:literal $($doc:literal)? $(@doc($($doc_piece:expr),*))? $(@title($title:expr))? $(@description($description:expr))? $($deprecated:ident)? ; $deny:literal $(@$buffered:ident)? $(dropped [$([$($dropped:literal),*]),*])? $(declared [$([$($declared:literal),*]),*])?
        $(, $(#[$cfg:meta])* $shape:ident $(($($arg:literal),*))? [$($ser:literal)?] $([$($de:literal),*])? $($field_doc:literal)? $(@doc($($field_doc_piece:expr),*))? $(@title($field_title:expr))? $(@description($field_description:expr))? $($deprecated_field:ident)? $(@schema_with($schema_with:path [$($with_generics:tt)*] [$($with_where:tt)*]))? $(@keywords($keywords:expr))? => $ty:ty $(| $key:ty)?)* $(,)?
    ) => {
        #[automatically_derived]
        $(#[$allow])*
        impl $($generics)* $crate::private::schemars::JsonSchema for $patch $($where)* {
            fn inline_schema() -> ::core::primitive::bool {
                $inline
            }

            fn schema_name() -> $crate::private::Cow<'static, ::core::primitive::str> {
                $crate::private::Cow::Borrowed($name)
            }

            fn schema_id() -> $crate::private::Cow<'static, ::core::primitive::str> {
                $crate::private::Cow::Borrowed(::core::concat!(::core::module_path!(), "::", $name))
            }

            fn json_schema(
                __generator: &mut $crate::private::schemars::SchemaGenerator,
            ) -> $crate::private::schemars::Schema {
                let mut __schema = $crate::private::PatchSchema::new(__generator, $deny, <Self as $crate::private::schemars::JsonSchema>::schema_id());
                $($crate::private::PatchSchema::describe(&mut __schema, $doc);)?
                $($crate::private::PatchSchema::describe(&mut __schema, ::core::concat!($($doc_piece),*));)?
                $($crate::private::PatchSchema::title(&mut __schema, $title);)?
                $($crate::private::PatchSchema::description(&mut __schema, $description);)?
                $($crate::private::PatchSchema::$deprecated(&mut __schema);)?
                $($crate::private::PatchSchema::$buffered(&mut __schema);)?
                $(
                    $(#[$cfg])*
                    {
                        $(
                            // schemars' `schema_with`: the schema its function returns, as
                            // schemars' derive gives it to the model's field. Generic over the
                            // patch, with the patch's own generics and bounds, as schemars'
                            // derive declares its own over the model: the function may name
                            // the model's parameters (`schema_for::<T>`), which an item
                            // declared here could not see otherwise (E0401).
                            struct __SparsePatchSchemaWith<__Patch: ?::core::marker::Sized>(
                                ::core::marker::PhantomData<__Patch>,
                            );
                            #[automatically_derived]
                            impl $($with_generics)* $crate::private::schemars::JsonSchema for __SparsePatchSchemaWith<$patch> $($with_where)* {
                                fn inline_schema() -> ::core::primitive::bool {
                                    true
                                }

                                fn schema_name() -> $crate::private::Cow<'static, ::core::primitive::str> {
                                    $crate::private::Cow::Borrowed(::core::stringify!($schema_with))
                                }

                                fn json_schema(
                                    __generator: &mut $crate::private::schemars::SchemaGenerator,
                                ) -> $crate::private::schemars::Schema {
                                    $schema_with(__generator)
                                }
                            }
                        )?
                        let __written: &'static [&'static ::core::primitive::str] = &[$($ser)?];
                        let __keys = $crate::private::SchemaKeys { serialize: __written, deserialize: __written };
                        $(let __keys = $crate::private::SchemaKeys { serialize: __written, deserialize: &[$($de),*] };)?
                        let __doc: ::core::option::Option<&'static ::core::primitive::str> = ::core::option::Option::None;
                        $(let __doc = ::core::option::Option::Some($field_doc);)?
                        $(let __doc = ::core::option::Option::Some(::core::concat!($($field_doc_piece),*));)?
                        $($crate::private::PatchSchema::field_title(&mut __schema, $field_title);)?
                        $($crate::private::PatchSchema::field_description(&mut __schema, $field_description);)?
                        $($crate::private::PatchSchema::field_keywords(&mut __schema, $keywords);)?
                        $crate::private::PatchSchema::$shape::<$ty $(, $key)?>(&mut __schema, __keys, __doc $($(, $arg)*)?);
                        $($crate::private::PatchSchema::$deprecated_field(&mut __schema, __keys);)?
                    }
                )*
                $($($crate::private::PatchSchema::ignored(&mut __schema, &[$($dropped),*], true);)*)?
                $($($crate::private::PatchSchema::ignored(&mut __schema, &[$($declared),*], false);)*)?
                $crate::private::PatchSchema::finish(__schema)
            }
        }
    };
}

/// Without the feature `schemars`: nothing.
#[cfg(not(feature = "schemars"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __sparse_patch_schema {
    ($($input:tt)*) => {};
}

pub use __sparse_patch_schema as patch_schema;
