//! `#[derive(Patchable)]`: generates a model's JSON merge patch (RFC 7396) struct and implements
//! the `sparse_patch` traits for it. Use it through the `sparse-patch` crate, whose
//! documentation describes the attributes.
//!
//! The crate reads top to bottom: `attr` parses attributes, `ast` turns the input into a typed
//! model that records every decision, `valid` checks the rules across fields (`errors`
//! collects what they find), and `expand` emits one output piece per file.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod ast;
mod attr;
mod case;
mod errors;
mod expand;
mod ty;
mod valid;

use proc_macro::TokenStream;

/// Derives `Patchable`, `FromPatch` and `Diff` for a struct with named fields, and generates its
/// patch struct (`UserPatch` for `User`), a JSON merge patch (RFC 7396).
///
/// Each model field `T` becomes `Option<T>` in the patch (absent or a value, never null), each
/// `Option<T>` becomes `Field<T>` (absent, null or a value). The patch gets `new`, `is_empty`, a
/// setter per field (`.email(v)`) and a clear setter per nullable field (`.clear_nickname()`).
/// A generic model's patch takes the model's type parameters (`EnvelopePatch<Thing>` for
/// `Envelope<Thing>`, whose nested `Thing` field holds a `ThingPatch`).
///
/// Attributes, described in the `sparse-patch` crate's documentation:
/// - on the struct: `#[patchable(name = "...", derive(...), crate = "...",
///   deny_unknown_fields)]`;
/// - on a field: `#[patchable(skip)]`, `#[patchable(nested)]`, `#[patchable(nullable)]`,
///   `#[patchable(required)]`, `#[patchable(map)]`, `#[patchable(replace)]`,
///   `#[patchable(key = "...")]` (a keyed array: a `Vec` whose elements the named serialized
///   attribute identifies), `#[patchable(setter = "...")]` (the name of the field's value
///   setter, where the field's own would hide a method of the patch, `default` or `clone`, or
///   clash with another setter).
///
/// A field's `#[schemars(with = "Type")]` (schemars' derive's, which this derive also accepts
/// where the model does not derive `JsonSchema`) gives the patch's schema of a plain field's
/// values, as it gives the model's.
///
/// A field of another `Patchable` struct is sent whole unless it is `nested`: its setter then
/// takes the struct, and given the struct's patch (`.metadata(MetaPatch::new())`) it is
/// rustc's ``the trait bound `Meta: From<MetaPatch>` is not satisfied``: add
/// `#[patchable(nested)]` to the field.
///
/// Mistakes are compile errors at the place of the mistake, all reported together.
#[proc_macro_derive(Patchable, attributes(patchable, schemars))]
pub fn derive_patchable(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand::derive(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
