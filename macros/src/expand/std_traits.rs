//! The patch's `Default`, `Clone`, `Debug` and `PartialEq`, written out rather than derived so
//! that each holds exactly when the patch's fields have the trait (a derive would bound the
//! type parameters instead), and `Default` always.

use proc_macro2::TokenStream;
use quote::quote;
use syn::ext::IdentExt;

use super::context::Context;

/// The four impls.
pub fn impls(cx: &Context<'_, '_>) -> TokenStream {
    let patch = cx.patch_type();
    let idents: Vec<_> = cx.fields.iter().map(|(field, _)| field.ident).collect();
    let cfgs: Vec<_> = cx.fields.iter().map(|(field, _)| field.cfgs()).collect();
    let names: Vec<_> = cx
        .fields
        .iter()
        .map(|(field, _)| field.unraw().to_string())
        .collect();
    let hidden = cx.hidden_inits();
    let patch_name = cx.input.patch.unraw().to_string();
    let with = |bound: TokenStream| {
        let mut bounds = cx.field_bounds(&bound);
        bounds.extend(cx.struct_bounds());
        bounds
    };
    // Paths written once per field, built once.
    let eq_fn = cx.path("::core::cmp::PartialEq::eq");
    let default_fn = cx.path("::core::default::Default::default");
    let clone_fn = cx.path("::core::clone::Clone::clone");
    let eq = cx.all_of(cx.fields.iter().map(|(field, _)| {
        let ident = field.ident;
        quote!(#eq_fn(&self.#ident, &__other.#ident))
    }));
    let default = cx.impl_block(
        Some(quote!(::core::default::Default)),
        patch.clone(),
        cx.struct_bounds(),
        quote! {
            #[inline]
            fn default() -> Self {
                Self {
                    #( #(#cfgs)* #idents: #default_fn(), )*
                    #hidden
                }
            }
        },
    );
    let clone = cx.impl_block(
        Some(quote!(::core::clone::Clone)),
        patch.clone(),
        with(quote!(::core::clone::Clone)),
        quote! {
            #[inline]
            fn clone(&self) -> Self {
                Self {
                    #( #(#cfgs)* #idents: #clone_fn(&self.#idents), )*
                    #hidden
                }
            }
        },
    );
    let private = &cx.private;
    // One runtime call with every field as `&dyn Debug`; a `#[cfg]` field cannot sit in the
    // arrays, so then one `field` call per field.
    let debug_body = if cfgs.iter().all(Vec::is_empty) {
        quote! {
            #private::debug_fields(
                __formatter,
                #patch_name,
                &[#(#names),*],
                &[#(&self.#idents),*],
            )
        }
    } else {
        quote! {
            let mut __debug = ::core::fmt::Formatter::debug_struct(__formatter, #patch_name);
            #( #(#cfgs)* ::core::fmt::DebugStruct::field(&mut __debug, #names, &self.#idents); )*
            ::core::fmt::DebugStruct::finish(&mut __debug)
        }
    };
    let debug = cx.impl_block(
        Some(quote!(::core::fmt::Debug)),
        patch.clone(),
        with(quote!(::core::fmt::Debug)),
        quote! {
            #[inline]
            fn fmt(&self, __formatter: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #debug_body
            }
        },
    );
    let partial_eq = cx.impl_block(
        Some(quote!(::core::cmp::PartialEq)),
        patch,
        with(quote!(::core::cmp::PartialEq)),
        quote! {
            #[inline]
            fn eq(&self, __other: &Self) -> ::core::primitive::bool {
                #eq
            }
        },
    );
    quote!(#default #clone #debug #partial_eq)
}
