//! The reader of a patch on serde's derives (`Input::serde_twin`): serde's derive reads a
//! struct from a sequence of its fields too, in order, which a merge patch is not (RFC 7396
//! §2), and no attribute of serde's turns that off. So serde's `Deserialize` derive goes on a
//! hidden twin of the patch (the same fields and serde attributes, serde's `remote`), which
//! builds the patch; the patch's `Deserialize` calls it through the runtime's `MapOnly`,
//! which refuses a sequence with the error of the derive's own reader.
//!
//! The twin states its bounds of reading on itself, as one container `bound`: the user's
//! (on the struct and the fields) and the derive's, which the patch's `Deserialize` states as
//! well, so that the two where-clauses are the same by construction.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::ext::IdentExt;

use super::context::Context;
use super::patch_struct;
use crate::attr::{deserialize_bound, serde_attr_without_bound};

/// The twin and the patch's `Deserialize`, or nothing for a patch that does not need them.
pub fn reader(cx: &Context<'_, '_>) -> TokenStream {
    let input = cx.input;
    if !input.serde_twin {
        return TokenStream::new();
    }
    let krate = &cx.krate;
    let serde = quote!(#krate::private::serde);
    let patch = input.patch.unraw();
    // Camel case, so that no lint need be allowed (a crate may forbid `non_camel_case_types`).
    let twin = format_ident!("__SparsePatchTwinOf{}", patch);
    let serde_crate = quote!(#serde).to_string();
    // As written (`r#type` stays raw), for serde to parse as a path.
    let remote = input.patch.to_string();
    let name = patch.to_string();
    // serde's name of the struct (for `deserialize_struct` and the formats that read it) is the
    // patch's, as it was.
    let kept = &input.attrs.serde_kept;
    let rename = (!kept.iter().any(|meta| meta.path().is_ident("rename")))
        .then(|| quote!(#[serde(rename = #name)]));
    let kept = serde_attr_without_bound(kept);
    let predicates = reading_predicates(cx);
    let bound = quote!(#(#predicates),*).to_string();
    let generics = cx.unbounded(&input.generics);
    let where_clause = cx.where_clause(cx.struct_bounds());
    let allows = cx.allows();
    let (fields, hidden) = patch_struct::fields(cx, true);
    let definition = quote! {
        #[doc(hidden)]
        #[derive(#serde::Deserialize)]
        #[serde(crate = #serde_crate, remote = #remote)]
        #rename
        #kept
        #[serde(bound(deserialize = #bound))]
        #allows
        #[allow(dead_code)]
        struct #twin #generics #where_clause {
            #fields
            #hidden
        }
    };
    let mut bounds = cx.struct_bounds();
    bounds.extend(predicates);
    if cx.borrows_static() {
        // serde's reader of the twin reads `'static` input alone (`Deserialize<'static>`).
        bounds.push(quote!('de: 'static));
    }
    let (_, ty_generics, _) = input.generics.split_for_impl();
    let turbofish = ty_generics.as_turbofish();
    let deserialize = cx.impl_de_block(
        quote!(#serde::Deserialize<'de>),
        cx.patch_type(),
        bounds,
        quote! {
            #[inline]
            fn deserialize<__D: #serde::Deserializer<'de>>(
                __deserializer: __D,
            ) -> ::core::result::Result<Self, <__D as #serde::Deserializer<'de>>::Error> {
                #twin #turbofish::deserialize(#krate::private::MapOnly(__deserializer))
            }
        },
    );
    quote!(#definition #deserialize)
}

/// The predicates of reading the patch, each list once: the user's `bound`s (on the struct,
/// then on each field), parsed from their text, and the derive's of the fields whose bounds
/// the user leaves to it. serde states the same on the patch's fields where it reads the patch
/// itself.
fn reading_predicates(cx: &Context<'_, '_>) -> Vec<TokenStream> {
    let user = |kept: &[crate::attr::Kept]| -> Vec<TokenStream> {
        kept.iter()
            .filter_map(|meta| deserialize_bound(meta))
            .filter(|predicates| !predicates.trim().is_empty())
            .filter_map(|predicates| syn::parse_str::<TokenStream>(&predicates).ok())
            .collect()
    };
    let mut predicates = user(&cx.input.attrs.serde_kept);
    for (field, kind) in &cx.fields {
        predicates.extend(user(&field.attrs.serde_kept));
        predicates.extend(cx.serde_field_bounds(field, kind).1);
    }
    // serde's reader of the twin states these on its `'de` (`impl<'de: 'a, 'a>`); one that
    // reads `'static` input alone has no `'de` (`impl<'a> Deserialize<'static>`), and
    // `'static` outlives every lifetime.
    let borrowed: std::collections::BTreeSet<String> = if cx.borrows_static() {
        std::collections::BTreeSet::new()
    } else {
        cx.fields
            .iter()
            .flat_map(|(field, _)| field.serde_borrowed_lifetimes())
            .collect()
    };
    predicates.extend(borrowed.iter().map(|lifetime| {
        let lifetime = syn::Lifetime::new(lifetime, proc_macro2::Span::call_site());
        quote!('de: #lifetime)
    }));
    predicates.retain(|predicates| !predicates.is_empty());
    let mut seen = std::collections::BTreeSet::new();
    predicates.retain(|predicates| seen.insert(predicates.to_string()));
    predicates
}
