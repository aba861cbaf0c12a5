//! The patch's own `Deserialize` (`SerdeCode::Own`): the runtime's map visitor, given the
//! patch's keys and one `read_field` arm per field, with the keys that no field has handed to
//! the flattened map. It reads what serde's derive would.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::ext::IdentExt;

use super::context::{Context, local, splice};
use crate::ast::{SerdeCode, Shape};

/// `DeserializePatch` and `Deserialize` for the patch, when its serde code is the derive's own.
pub fn impls(cx: &Context<'_, '_>) -> TokenStream {
    if cx.input.serde == SerdeCode::Derived {
        return TokenStream::new();
    }
    let private = &cx.private;
    let serde = quote!(#private::serde);
    let patch = cx.patch_type();
    let patch_name = cx.input.patch.unraw().to_string();
    // Each field's name, then its aliases: serde's order, for matching and for errors. The
    // keys (and aliases) of skipped fields that the patch reads and drops come last.
    let dropped: Vec<_> = cx.input.dropped_keys().collect();
    // A flattened map has no key of its own: it takes the keys that no field has.
    let own_keys: Vec<_> = cx
        .fields
        .iter()
        .filter(|(_, kind)| !kind.flattened())
        .collect();
    let keyed = own_keys
        .iter()
        .map(|(field, _)| (*field, &field.attrs.aliases[..]))
        .chain(
            dropped
                .iter()
                .map(|field| (*field, &field.attrs.aliases[..])),
        );
    let (names, numbers): (Vec<_>, Vec<_>) = keyed
        .enumerate()
        .flat_map(|(index, (field, aliases))| {
            std::iter::once(&field.de_name)
                .chain(aliases)
                .map(move |key| (key, index))
        })
        .unzip();
    // The lookup table: each key once, for the first field that accepts it, sorted by length,
    // then bytes.
    let mut lookup: Vec<(&String, usize)> = Vec::new();
    for (key, index) in names.iter().zip(&numbers) {
        if lookup.iter().all(|(seen, _)| seen != key) {
            lookup.push((key, *index));
        }
    }
    lookup.sort_by(|(a, _), (b, _)| (a.len(), a.as_bytes()).cmp(&(b.len(), b.as_bytes())));
    let longest = lookup.last().map_or(0, |(key, _)| key.len());
    let by_length: Vec<u16> = (0..=longest + 1)
        .map(|length| {
            let start = lookup
                .iter()
                .take_while(|(key, _)| key.len() < length)
                .count();
            u16::try_from(start).unwrap_or(u16::MAX)
        })
        .collect();
    let (lookup_keys, lookup_fields): (Vec<_>, Vec<_>) = lookup.into_iter().unzip();
    let declared: Vec<&String> = cx
        .input
        .declared_skipped_keys()
        .flat_map(|field| std::iter::once(&field.de_name).chain(&field.attrs.aliases))
        .collect();
    let len = own_keys.len() + dropped.len();
    let dropped_from = own_keys.len();
    let deny_unknown = cx.input.attrs.deny_unknown_fields;
    let arms = own_keys.iter().enumerate().map(|(index, (field, kind))| {
        let ident = field.ident;
        let name = &field.de_name;
        // An error for `null` inside a nested patch names the path from this key down: the
        // required reader does it below its own check of `null`, a nullable one around it.
        let nested = matches!(kind.shape, Shape::Nested);
        // Spanned at the field's type (`Kind::serde_span`): a type that cannot be read is
        // reported there, not at the derive.
        let span = kind.serde_span();
        // A map attribute (`HashMap`, `BTreeMap`) refuses a key given twice.
        let map_keys = matches!(
            kind.shape,
            Shape::Map {
                explicit: false,
                ..
            }
        );
        let map = local("__map", span);
        let this = local("self", span);
        // One `quote_spanned!` per reader, which writes the call's tokens in one stream.
        let read = match (kind.nullable(), map_keys) {
            (true, true) => {
                quote_spanned!(span=> #private::read_nullable_map(#map, &mut #this.#ident, #name))
            }
            (true, false) => {
                quote_spanned!(span=> #private::read_nullable(#map, &mut #this.#ident, #name))
            }
            (false, true) => {
                quote_spanned!(span=> #private::read_required_map(#map, &mut #this.#ident, #name))
            }
            (false, false) => quote_spanned!(span=>
                #private::read_required::<_, _, #nested>(#map, &mut #this.#ident, #name)
            ),
        };
        if nested && kind.nullable() {
            quote!(#index => #private::nested_read(#read, #name),)
        } else {
            splice(quote!(#index =>), read, ',')
        }
    });
    let arms: TokenStream = arms.collect();
    let collector = cx.fields.iter().find(|(_, kind)| kind.flattened());
    let collects_other = collector.is_some();
    let read_other = collector.map(|(field, _)| {
        let ident = field.ident;
        quote! {
            fn read_other<__A: #serde::de::MapAccess<'de>>(
                &mut self,
                __key: #private::Cow<'de, ::core::primitive::str>,
                __map: &mut __A,
            ) -> ::core::result::Result<(), <__A as #serde::de::MapAccess<'de>>::Error> {
                #private::read_entry(&mut self.#ident, __key, __map)
            }
        }
    });
    // A generic field's patch value must be readable: the bound is plain, on the value.
    let mut de_bounds = cx.struct_bounds();
    de_bounds.extend(
        cx.fields
            .iter()
            .flat_map(|(field, kind)| cx.read_bounds(field, kind)),
    );
    de_bounds.extend(cx.key_guards());
    let read = cx.impl_de_block(
        quote!(#private::DeserializePatch<'de>),
        patch.clone(),
        de_bounds.clone(),
        quote! {
            const NAME: &'static ::core::primitive::str = #patch_name;
            const KEYS: &'static #private::Keys = &#private::Keys {
                names: &[#(#names),*],
                struct_keys: &[#(#names,)* #(#declared),*],
                lookup: &[#((#lookup_keys, #lookup_fields)),*],
                by_length: &[#(#by_length),*],
                len: #len,
                dropped_from: #dropped_from,
                deny_unknown: #deny_unknown,
                collects_other: #collects_other,
            };

            fn read_field<__A: #serde::de::MapAccess<'de>>(
                &mut self,
                __index: ::core::primitive::usize,
                __map: &mut __A,
            ) -> ::core::result::Result<(), <__A as #serde::de::MapAccess<'de>>::Error> {
                match __index {
                    #arms
                    _ => #private::skip_value(__map),
                }
            }

            #read_other
        },
    );
    let deserialize = cx.impl_de_block(
        quote!(#serde::Deserialize<'de>),
        patch,
        de_bounds,
        quote! {
            fn deserialize<__D: #serde::Deserializer<'de>>(
                __deserializer: __D,
            ) -> ::core::result::Result<Self, <__D as #serde::Deserializer<'de>>::Error> {
                #private::deserialize_patch(__deserializer)
            }
        },
    );
    quote!(#read #deserialize)
}
