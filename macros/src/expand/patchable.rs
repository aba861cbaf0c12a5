//! `impl Patchable for User`: check a patch, then apply it (RFC 7396 §2), one runtime call
//! per field.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::Context;
use crate::ast::Shape;

/// The `Patchable` impl.
pub fn impl_patchable(cx: &Context<'_, '_>) -> TokenStream {
    let krate = &cx.krate;
    let patch = cx.patch_type();
    // Only a nested patch can fail: it may have to build an object from nothing.
    let checks = cx
        .fields
        .iter()
        .filter(|(_, kind)| matches!(kind.shape, Shape::Nested))
        .map(|(field, kind)| {
            let ident = field.ident;
            let cfgs = field.cfgs();
            let check =
                cx.try_call_named(field, kind, "check", quote!(&self.#ident, &__patch.#ident));
            quote!(#(#cfgs)* #check;)
        });
    let applies = cx.fields.iter().map(|(field, kind)| {
        let ident = field.ident;
        let cfgs = field.cfgs();
        let apply = cx.try_call_named(
            field,
            kind,
            "apply",
            quote!(&mut self.#ident, __patch.#ident),
        );
        quote!(#(#cfgs)* #apply;)
    });
    cx.impl_block(
        Some(quote!(#krate::Patchable)),
        cx.model_type(),
        cx.apply_bounds(),
        quote! {
            type Patch = #patch;

            #[inline]
            fn check_patch(&self, __patch: &Self::Patch) -> ::core::result::Result<(), #krate::ApplyError> {
                let _ = __patch;
                #(#checks)*
                ::core::result::Result::Ok(())
            }

            #[inline]
            fn apply_checked(&mut self, __patch: Self::Patch) -> ::core::result::Result<(), #krate::ApplyError> {
                let _ = &__patch;
                #(#applies)*
                ::core::result::Result::Ok(())
            }
        },
    )
}
