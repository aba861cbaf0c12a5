//! `impl Diff for User`: the smallest patch between two models, and the patch that builds a
//! model from nothing.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::{Context, splice};

/// The `Diff` impl.
pub fn impl_diff(cx: &Context<'_, '_>) -> TokenStream {
    let krate = &cx.krate;
    let private = &cx.private;
    let mut bounds = cx.apply_bounds();
    for (field, kind) in &cx.fields {
        if !kind.std_value {
            bounds.push(cx.field_bound(field, &kind.value, cx.diff_bound(kind)));
        }
    }
    let patch_ident = &cx.input.patch;
    let patch_type = cx.patch_type();
    let hidden = cx.hidden_inits();
    let diffs = cx.fields.iter().map(|(field, kind)| {
        let ident = field.ident;
        let cfgs = field.cfgs();
        let args = quote!(&self.#ident, &__target.#ident);
        let diff = cx
            .value_call(kind, "diff", args.clone())
            .unwrap_or_else(|| cx.call(field, kind, "diff", args));
        splice(quote!(#(#cfgs)* #ident:), diff, ',')
    });
    let diffs: TokenStream = diffs.collect();
    let fulls = cx.fields.iter().map(|(field, kind)| {
        let ident = field.ident;
        let cfgs = field.cfgs();
        let mut full = cx
            .value_call(kind, "full", quote!(&self.#ident))
            .unwrap_or_else(|| cx.call(field, kind, "full", quote!(&self.#ident)));
        if field.builds_none_as_null() {
            full = quote!(#private::null_if_absent(#full));
        }
        splice(quote!(#(#cfgs)* #ident:), full, ',')
    });
    let fulls: TokenStream = fulls.collect();
    cx.impl_block(
        Some(quote!(#krate::Diff)),
        cx.model_type(),
        bounds,
        quote! {
            #[inline]
            fn diff_patch(&self, __target: &Self) -> #patch_type {
                #patch_ident {
                    #diffs
                    #hidden
                }
            }

            #[inline]
            fn to_patch(&self) -> #patch_type {
                #patch_ident {
                    #fulls
                    #hidden
                }
            }
        },
    )
}
