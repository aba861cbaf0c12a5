//! `impl Patch for UserPatch`: the model the patch applies to, whether it changes nothing, and
//! how a later patch composes into it (`then`), one runtime call per field.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::Context;
use crate::ast::{Presence, Shape};

/// The `Patch` impl.
pub fn impl_patch(cx: &Context<'_, '_>) -> TokenStream {
    let krate = &cx.krate;
    let model = cx.model_type();
    let empty = cx.all_of(cx.fields.iter().map(|(field, kind)| {
        let ident = field.ident;
        match kind.presence {
            Presence::Flattened => cx.call(field, kind, "is_empty", quote!(&self.#ident)),
            Presence::Required => quote!(::core::option::Option::is_none(&self.#ident)),
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
        quote!(#(#cfgs)* #then;)
    });
    let keyed_arrays = cx.keyed_arrays();
    cx.impl_block(
        Some(quote!(#krate::Patch)),
        cx.patch_type(),
        cx.apply_bounds(),
        quote! {
            type Model = #model;

            #keyed_arrays

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
                #(#thens)*
            }
        },
    )
}
