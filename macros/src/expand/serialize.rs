//! The patch's own `Serialize` (`SerdeCode::Own`): one runtime call per field, given a writer
//! that keeps the first error, so no `?` per field. A patch with a flattened field is written
//! as a map, its entries at the field's place; any other as a struct. It writes what serde's
//! derive would.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::ext::IdentExt;

use super::context::{Context, local};
use crate::ast::{SerdeCode, Shape};

/// `Serialize` for the patch, when its serde code is the derive's own.
pub fn impl_serialize(cx: &Context<'_, '_>) -> TokenStream {
    if cx.input.serde != SerdeCode::Own {
        return TokenStream::new();
    }
    let private = &cx.private;
    let krate = &cx.krate;
    let serde = quote!(#private::serde);
    let patch_name = cx.input.patch.unraw().to_string();
    // Each call is spanned at the field's type (`Kind::serde_span`): a type that cannot be
    // written is reported there, not at the derive.
    let writes = cx.fields.iter().map(|(field, kind)| {
        let ident = field.ident;
        let name = &field.ser_name;
        let span = kind.serde_span();
        let map = matches!(kind.shape, Shape::Map { .. });
        let writer = local("__writer", span);
        let this = local("self", span);
        if kind.flattened() && kind.checks_null {
            quote_spanned!(span=> #private::write_checked_flat(&mut #writer, &#this.#ident);)
        } else if kind.flattened() {
            quote_spanned!(span=> #private::write_flat(&mut #writer, &#this.#ident);)
        } else if map && kind.checks_null {
            quote_spanned!(span=> #private::write_checked_map_field(&mut #writer, #name, &#this.#ident);)
        } else if map {
            quote_spanned!(span=> #private::write_map_field(&mut #writer, #name, &#this.#ident);)
        } else if kind.checks_null {
            quote_spanned!(span=> #private::write_checked_field(&mut #writer, #name, &#this.#ident);)
        } else {
            quote_spanned!(span=> #private::write_field(&mut #writer, #name, &#this.#ident);)
        }
    });
    let writes: TokenStream = writes.collect();
    // The `+` before each field's term, at the call site as `quote!`'s `#(+ #terms)*` writes it,
    // the terms moved into one stream rather than copied.
    let plus = proc_macro2::Punct::new('+', proc_macro2::Spacing::Alone);
    // The length, which a binary format asks for: the present fields, and a flattened map's
    // present entries.
    let lens: TokenStream = cx
        .fields
        .iter()
        .map(|(field, kind)| {
            let ident = field.ident;
            let span = kind.serde_span();
            let this = local("self", span);
            if kind.flattened() {
                quote_spanned!(span=> #plus #private::flat_len(&#this.#ident))
            } else {
                quote_spanned!(span=> #plus #private::present(&#this.#ident))
            }
        })
        .collect();
    let (start, end) = if cx.fields.iter().any(|(_, kind)| kind.flattened()) {
        (
            quote!(#private::start_map(__serializer, <Self as #krate::Patch>::WRITTEN_KEYS, || 0 #lens)),
            quote!(end_map),
        )
    } else {
        (
            quote!(#private::start_struct(
                __serializer,
                #patch_name,
                0 #lens,
            )),
            quote!(end_struct),
        )
    };
    // A generic field's patch value must be serializable: the bound is plain, on the value.
    let mut bounds = cx.struct_bounds();
    bounds.extend(cx.generic_value_bounds(&quote!(#serde::Serialize)));
    cx.impl_block(
        Some(quote!(#serde::Serialize)),
        cx.patch_type(),
        bounds,
        quote! {
            fn serialize<__S: #serde::Serializer>(
                &self,
                __serializer: __S,
            ) -> ::core::result::Result<<__S as #serde::Serializer>::Ok, <__S as #serde::Serializer>::Error> {
                let mut __writer = #start;
                #writes
                #private::#end(__writer)
            }
        },
    )
}
