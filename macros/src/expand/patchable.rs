//! `impl Patchable for User`: check a patch, then apply it (RFC 7396 §2), one runtime call
//! per field, their results gathered by one call.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::context::{Context, splice};
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
        Some(splice(quote!(#(#cfgs)*), apply, ';'))
    });
    let plain_applies: TokenStream = plain_applies.collect();
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
    let mut out = field_type_checks(cx);
    out.extend([cx.impl_block(
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
                #plain_applies
                #applies
            }
        },
    )]);
    out
}

/// A check at each field whose type the derive reads by its name or by an attribute of the
/// user's, where the patch reaches the type through a runtime trait whose message says what is
/// wrong: another crate's `Value` (`toml`, `serde_yaml`) or one of the user's, taken for
/// untyped JSON by its name (`MergeJson`), and a field marked `#[patchable(nullable)]` whose
/// type is not an `Option` behind its alias (`type Text = String`; `Nullable`). Each was
/// reported only at the `#[derive]`, where the impls that use the type are, which named the
/// type but not the field: a model with two such fields got two errors at one line. A generic
/// field's bound is checked where the model is used.
fn field_type_checks(cx: &Context<'_, '_>) -> TokenStream {
    let krate = &cx.krate;
    let private = &cx.private;
    let mut untyped_json = Vec::new();
    let mut nullable = Vec::new();
    for (field, kind) in cx.fields.iter().filter(|(field, _)| !field.generic) {
        let cfgs = field.cfgs();
        if matches!(kind.shape, Shape::Json) {
            let value = &kind.value;
            untyped_json.push(quote_spanned!(value.span()=> #(#cfgs)* __untyped_json::<#value>();));
        }
        if kind.option_alias {
            let ty = &field.ty;
            nullable.push(quote_spanned!(ty.span()=> #(#cfgs)* __nullable::<#ty>();));
        }
    }
    let untyped_json = (!untyped_json.is_empty()).then(|| {
        quote! {
            const fn __untyped_json<T: #krate::MergeJson>() {}
            #(#untyped_json)*
        }
    });
    let nullable = (!nullable.is_empty()).then(|| {
        quote! {
            const fn __nullable<T: #private::Nullable>() {}
            #(#nullable)*
        }
    });
    if untyped_json.is_none() && nullable.is_none() {
        return TokenStream::new();
    }
    quote! {
        const _: () = {
            #untyped_json
            #nullable
        };
    }
}
