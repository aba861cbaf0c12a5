//! `impl Patchable for User`: check a patch, then apply it (RFC 7396 §2), one runtime call
//! per field, their results gathered by one call.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::Context;
use crate::ast::Shape;

/// The `Patchable` impl.
pub fn impl_patchable(cx: &Context<'_, '_>) -> TokenStream {
    let krate = &cx.krate;
    let patch = cx.patch_type();
    // Only a nested patch can fail, as it may have to build an object from nothing, and a
    // keyed array, whose elements need distinct keys.
    let checks = cx
        .fields
        .iter()
        .filter(|(_, kind)| matches!(kind.shape, Shape::Nested))
        .map(|(field, kind)| {
            let ident = field.ident;
            let check = cx.call_named(field, kind, "check", quote!(&self.#ident, &__patch.#ident));
            (field.cfgs(), check)
        })
        .chain(cx.keyed_checks())
        .collect();
    let checks = cx.first_error(checks);
    // A plain value cannot fail to apply: one statement each. The rest return a `Result`.
    let plain_applies = cx.fields.iter().filter_map(|(field, kind)| {
        let ident = field.ident;
        let cfgs = field.cfgs();
        let apply = cx.value_call(kind, "apply", quote!(&mut self.#ident, __patch.#ident))?;
        Some(quote!(#(#cfgs)* #apply;))
    });
    let applies = cx
        .fields
        .iter()
        .filter(|(_, kind)| !kind.plain_value())
        .map(|(field, kind)| {
            let ident = field.ident;
            let apply = cx.call_named(
                field,
                kind,
                "apply",
                quote!(&mut self.#ident, __patch.#ident),
            );
            (field.cfgs(), apply)
        })
        .collect();
    let applies = cx.first_error(applies);
    cx.impl_block(
        Some(quote!(#krate::Patchable)),
        cx.model_type(),
        cx.apply_bounds(),
        quote! {
            type Patch = #patch;

            #[inline]
            fn check_patch(&self, __patch: &#patch) -> ::core::result::Result<(), #krate::ApplyError> {
                let _ = __patch;
                #checks
            }

            #[inline]
            fn apply_checked(&mut self, __patch: #patch) -> ::core::result::Result<(), #krate::ApplyError> {
                let _ = &__patch;
                #(#plain_applies)*
                #applies
            }
        },
    )
}
