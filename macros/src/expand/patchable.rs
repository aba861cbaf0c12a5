//! `impl Patchable for User`: check a patch, then apply it (RFC 7396 §2), one runtime call
//! per field, their results gathered by one call.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

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
    let mut out = untyped_json_checks(cx);
    out.extend(cx.impl_block(
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
    ));
    out
}

/// A check at each field that the derive takes for untyped JSON by its type's name (`Value`,
/// `Map<String, Value>`) that the type is `serde_json`'s: another crate's `Value` (`toml`,
/// `serde_yaml`) or one of the user's was reported only at the `#[derive]`, where the
/// `Patchable` impl that its bound leaves out is used, which named the type but not the field.
/// A generic field's bound is checked where the model is used.
fn untyped_json_checks(cx: &Context<'_, '_>) -> TokenStream {
    let krate = &cx.krate;
    let checks: Vec<TokenStream> = cx
        .fields
        .iter()
        .filter(|(field, kind)| matches!(kind.shape, Shape::Json) && !field.generic)
        .map(|(_, kind)| {
            let value = &kind.value;
            quote_spanned!(value.span()=> __untyped_json::<#value>();)
        })
        .collect();
    if checks.is_empty() {
        return TokenStream::new();
    }
    quote! {
        const _: () = {
            const fn __untyped_json<T: #krate::MergeJson>() {}
            #(#checks)*
        };
    }
}
