//! `impl Patch for UserPatch`: the model the patch applies to, and whether it changes nothing.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::Context;
use crate::ast::Presence;

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
    cx.impl_block(
        Some(quote!(#krate::Patch)),
        cx.patch_type(),
        cx.apply_bounds(),
        quote! {
            type Model = #model;

            #[inline]
            fn is_empty(&self) -> ::core::primitive::bool {
                #empty
            }
        },
    )
}
