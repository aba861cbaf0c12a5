//! `impl Patch for UserPatch`: the model the patch applies to, whether it changes nothing, and
//! how a later patch composes into it (`then`), one runtime call per field.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use super::context::{Context, Frag, splice};
use crate::ast::{Presence, Shape};

/// The `Patch` impl.
pub fn impl_patch(cx: &Context<'_, '_>) -> TokenStream {
    let krate = &cx.krate;
    let model = cx.model_type();
    let empty = cx.all_of(cx.fields.iter().map(|(field, kind)| {
        let ident = field.ident;
        match kind.presence {
            Presence::Flattened => cx.call(field, kind, "is_empty", quote!(&self.#ident)),
            Presence::Required => {
                let is_none = cx.path("::core::option::Option::is_none");
                quote!(#is_none(&self.#ident))
            }
            Presence::Nullable => quote!(#krate::Field::is_absent(&self.#ident)),
        }
    }));
    // Only a patch that merges (nested, map, JSON) can conflict with a null before it.
    let checks = cx
        .fields
        .iter()
        .filter(|(_, kind)| !matches!(kind.shape, Shape::Plain))
        .map(|(field, kind)| {
            let ident = field.ident;
            let check = cx.call_named(
                field,
                kind,
                "check_then",
                quote!(&self.#ident, &__next.#ident),
            );
            (field.cfgs(), check)
        })
        .collect();
    let checks = cx.first_error(checks);
    let thens = cx.fields.iter().map(|(field, kind)| {
        let ident = field.ident;
        let cfgs = field.cfgs();
        let args = quote!(&mut self.#ident, __next.#ident);
        let then = cx
            .value_call(kind, "then", args.clone())
            .unwrap_or_else(|| cx.call(field, kind, "then", args));
        splice(quote!(#(#cfgs)*), then, ';')
    });
    let thens: TokenStream = thens.collect();
    let keyed_arrays = cx.keyed_arrays();
    let written_keys = written_keys(cx);
    let mut out = cx.impl_block(
        Some(quote!(#krate::Patch)),
        cx.patch_type(),
        cx.apply_bounds(),
        quote! {
            type Model = #model;

            #keyed_arrays

            #written_keys

            #[inline]
            fn is_empty(&self) -> ::core::primitive::bool {
                #empty
            }

            #[inline]
            fn check_then(&self, __next: &Self) -> ::core::result::Result<(), #krate::ComposeConflict> {
                let _ = __next;
                #checks
            }

            #[inline]
            fn then_checked(&mut self, __next: Self) {
                let _ = &__next;
                #thens
            }
        },
    );
    out.extend([no_key_written_twice(cx)]);
    out
}

/// The keys that the patch writes, `skip_serializing` fields left out, the other keys that
/// the model reads for its fields (aliases, a `rename(deserialize)`, fields that the patch
/// does not write: none for most models), and its flattened nested patches' (a flattened
/// map's keys are unknown). A `#[cfg]` still on a field is true: rustc strips the fields of
/// false ones before the derive runs.
fn written_keys(cx: &Context<'_, '_>) -> TokenStream {
    let krate = &cx.krate;
    let private = &cx.private;
    let own: Vec<&String> = cx
        .fields
        .iter()
        .filter(|(field, kind)| !kind.flattened() && !field.attrs.skip_serializing)
        .map(|(field, _)| &field.ser_name)
        .collect();
    // The model's fields, the patch's and those it skips: serde's names for reading and its
    // aliases, those that the patch does not write.
    let read = cx
        .input
        .fields
        .iter()
        .filter(|field| !field.attrs.model_skips_key && field.attrs.flatten.is_none())
        .flat_map(|field| core::iter::once(&field.de_name).chain(&field.attrs.aliases))
        .filter(|name| !own.contains(name));
    let flattened = flattened_nested(cx).map(
        |(_, value)| quote!(<<#value as #krate::Patchable>::Patch as #krate::Patch>::WRITTEN_KEYS),
    );
    quote! {
        const WRITTEN_KEYS: &'static #private::WrittenKeys = &#private::WrittenKeys {
            own: &[#(#own),*],
            read: &[#(#read),*],
            flattened: &[#(#flattened),*],
        };
    }
}

/// The flattened nested fields, with their model types.
fn flattened_nested<'c>(
    cx: &'c Context<'_, '_>,
) -> impl Iterator<Item = (&'c crate::ast::Field<'c>, &'c syn::Type)> {
    cx.fields
        .iter()
        .filter(|(_, kind)| kind.flattened() && matches!(kind.shape, Shape::Nested))
        .map(|(field, kind)| (*field, &kind.value))
}

/// A field beside a flattened nested patch that writes its key, or two flattened nested
/// patches that write one key, made a patch (and a model) that wrote the key twice
/// (`{"given":"a","given":"b"}`), which serde then refused to read back ("duplicate field"):
/// the derive sees the keys of its own fields only (`valid::written_keys_unique`), so the
/// nested patches' keys are compared at compile time, in `const` assertions spanned at the
/// field. A generic model's patch is not checked, as a `const` item cannot name its
/// parameters.
fn no_key_written_twice(cx: &Context<'_, '_>) -> TokenStream {
    let flattened: Vec<_> = flattened_nested(cx).collect();
    if flattened.is_empty() || !cx.input.generics.params.is_empty() {
        return TokenStream::new();
    }
    let krate = &cx.krate;
    let keys_of = |value: &syn::Type| quote!(<<#value as #krate::Patchable>::Patch as #krate::Patch>::WRITTEN_KEYS);
    let advice = "a JSON object has one member per key, so the patch (and the model) would write it twice, and serde refuses such an object (\"duplicate field\"); give one of them another key with `#[serde(rename = \"...\")]`";
    let mut out = TokenStream::new();
    for (field, kind) in &cx.fields {
        if kind.flattened() || field.attrs.skip_serializing {
            continue;
        }
        let key = &field.ser_name;
        for (nested, value) in &flattened {
            let keys = keys_of(value);
            let message = format!(
                "the patch writes the key `{key}` for the field `{}` and for the flattened `{}`, whose patch writes it too: {advice}",
                field.unraw(),
                nested.unraw()
            );
            let assert = assert_at(krate, field.ident.span());
            out.extend([quote_spanned! {field.ident.span()=>
                const _: () = #assert!(!#krate::private::writes(#keys, #key), "{}", #message);
            }]);
        }
    }
    for (index, (later, later_value)) in flattened.iter().enumerate() {
        for (earlier, earlier_value) in &flattened[..index] {
            let (a, b) = (keys_of(earlier_value), keys_of(later_value));
            let message = format!(
                "the flattened `{}` and `{}` write a key in common: {advice}",
                earlier.unraw(),
                later.unraw()
            );
            let assert = assert_at(krate, later.ident.span());
            out.extend([quote_spanned! {later.ident.span()=>
                const _: () = #assert!(!#krate::private::share_a_key(#a, #b), "{}", #message);
            }]);
        }
    }
    out
}

/// `assert` through the runtime's `core`, spanned at the field so that rustc reports a failed
/// assertion there as the user's code, its message an argument (`"{}", message`), not the
/// format string. Tokens spanned at the field take the edition of the field's crate: in an
/// edition 2015 crate, `::core::assert!` there named the crate's own root (E0433, "cannot find
/// `core` in the crate root", at every field beside a flattened nested model), and a message
/// written as the format string was plain text in editions 2015 and 2018 (braces doubled, and
/// rustc's `non_fmt_panics` warning, an error under `deny(warnings)`, at a key `{id}`). The
/// runtime's path resolves in every edition (in 2015 through the `extern crate sparse_patch;`
/// that such a crate's `use` needs), and so does a `"{}"` message (tests/edition_2015).
fn assert_at(krate: &Frag, span: proc_macro2::Span) -> TokenStream {
    let krate = krate.respanned(span);
    quote_spanned!(span=> #krate::private::core::assert)
}
