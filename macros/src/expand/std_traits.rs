//! The patch's `Default`, `Clone`, `Debug` and `PartialEq`, written out rather than derived so
//! that each holds exactly when the patch's fields have the trait (a derive would bound the
//! type parameters instead), and `Default` always; and the `Eq`, `Hash`, `Ord` and
//! `PartialOrd` that `#[patchable(derive(...))]` asks for, bounded by what each field needs.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
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
    let asked = asked_impls(cx);
    quote!(#default #clone #debug #partial_eq #asked)
}

/// `Eq`, `Hash`, `Ord` and `PartialOrd`, where `#[patchable(derive(...))]` asks for them.
/// rustc's derives bound each
/// type parameter (`S: Eq`), which does not give a nested generic field's patch
/// (`<S as Patchable>::Patch: Eq`): no patch of a model with such a field compiled with
/// them. Each field's patch value is bounded instead, with a plain bound, so that a field
/// whose value lacks the trait is a compile error at the field, as rustc's derive makes it.
/// `Hash` hashes the fields that `PartialEq` compares, so that equal patches hash alike.
fn asked_impls(cx: &Context<'_, '_>) -> TokenStream {
    let patch = cx.patch_type();
    // One predicate per value type: fields of one type share it, or clippy (reading the
    // field's spans as the user's code) reports `type_repetition_in_bounds`.
    // A value that names a parameter or a lifetime is bounded as the other written-out
    // traits bound it (`field_bound`: plain where generic, higher-ranked over lifetimes
    // where two types differ in lifetimes only, which rustc finds ambiguous as plain bounds).
    // Any other is bounded plainly, its trait's path spanned at the field: a concrete value
    // without the trait is then a compile error there, as rustc's derive makes it, where a
    // higher-ranked bound would leave the patch without the trait silently.
    let bounded = |bound: fn(Span) -> TokenStream| {
        let mut seen = std::collections::BTreeSet::new();
        let mut bounds: Vec<TokenStream> = cx
            .fields
            .iter()
            .filter(|(_, kind)| seen.insert(kind.patch_value.to_token_stream().to_string()))
            .map(|(field, kind)| {
                let value = &kind.patch_value;
                let bound = bound(kind.value_span());
                let concrete = !field.generic
                    && !field.lifetimes_only
                    && !field.names.iter().any(|name| name.starts_with('\''));
                if concrete {
                    quote!(#value: #bound)
                } else {
                    cx.field_bound(field, value, bound)
                }
            })
            .collect();
        bounds.extend(cx.struct_bounds());
        bounds
    };
    let eq = cx.input.attrs.derives_std("Eq").then(|| {
        cx.impl_block(
            Some(quote!(::core::cmp::Eq)),
            patch.clone(),
            bounded(|span| quote_spanned!(span=> ::core::cmp::Eq)),
            TokenStream::new(),
        )
    });
    let hash = cx.input.attrs.derives_std("Hash").then(|| {
        let hash_fn = cx.path("::core::hash::Hash::hash");
        let statements = cx.fields.iter().map(|(field, _)| {
            let ident = field.ident;
            let cfgs = field.cfgs();
            quote!(#(#cfgs)* #hash_fn(&self.#ident, __state);)
        });
        cx.impl_block(
            Some(quote!(::core::hash::Hash)),
            patch.clone(),
            bounded(|span| quote_spanned!(span=> ::core::hash::Hash)),
            quote! {
                #[inline]
                fn hash<__H: ::core::hash::Hasher>(&self, __state: &mut __H) {
                    #(#statements)*
                }
            },
        )
    });
    // `Ord` and `PartialOrd` compare the fields in declaration order, as rustc's derives do;
    // `PartialOrd` beside `Ord` is `Ord`'s, as clippy's `non_canonical_partial_ord_impl`
    // asks, and holds where `Ord` does.
    let ordering = quote!(::core::cmp::Ordering);
    let ord = cx.input.attrs.derives_std("Ord");
    let cmp_fn = cx.path("::core::cmp::Ord::cmp");
    let cmp = ord.then(|| {
        let steps = cx.fields.iter().map(|(field, _)| {
            let ident = field.ident;
            let cfgs = field.cfgs();
            quote! {
                #(#cfgs)*
                match #cmp_fn(&self.#ident, &__other.#ident) {
                    #ordering::Equal => {}
                    __ordering => return __ordering,
                }
            }
        });
        cx.impl_block(
            Some(quote!(::core::cmp::Ord)),
            patch.clone(),
            bounded(|span| quote_spanned!(span=> ::core::cmp::Ord)),
            quote! {
                #[inline]
                fn cmp(&self, __other: &Self) -> #ordering {
                    #(#steps)*
                    #ordering::Equal
                }
            },
        )
    });
    let partial_cmp = cx.input.attrs.derives_std("PartialOrd").then(|| {
        let (body, bounds) = if ord {
            (
                quote!(::core::option::Option::Some(#cmp_fn(self, __other))),
                bounded(|span| quote_spanned!(span=> ::core::cmp::Ord)),
            )
        } else {
            let partial_cmp_fn = cx.path("::core::cmp::PartialOrd::partial_cmp");
            let steps = cx.fields.iter().map(|(field, _)| {
                let ident = field.ident;
                let cfgs = field.cfgs();
                quote! {
                    #(#cfgs)*
                    match #partial_cmp_fn(&self.#ident, &__other.#ident) {
                        ::core::option::Option::Some(#ordering::Equal) => {}
                        __ordering => return __ordering,
                    }
                }
            });
            (
                quote!(#(#steps)* ::core::option::Option::Some(#ordering::Equal)),
                bounded(|span| quote_spanned!(span=> ::core::cmp::PartialOrd)),
            )
        };
        cx.impl_block(
            Some(quote!(::core::cmp::PartialOrd)),
            patch,
            bounds,
            quote! {
                #[inline]
                fn partial_cmp(&self, __other: &Self) -> ::core::option::Option<#ordering> {
                    #body
                }
            },
        )
    });
    quote!(#eq #hash #cmp #partial_cmp)
}
