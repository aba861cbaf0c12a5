//! The patch's own `Serialize` and `Deserialize` (`SerdeCode::Own`): one runtime call per
//! field to write it, and the runtime's map visitor, given the patch's keys and one
//! `read_field` arm per field, to read it. They write and read what serde's derives would.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::Context;
use crate::ast::SerdeCode;

/// `Serialize`, `DeserializePatch` and `Deserialize` for the patch, when its serde code is the
/// derive's own.
pub fn impls(cx: &Context<'_, '_>) -> TokenStream {
    if cx.input.serde != SerdeCode::Own {
        return TokenStream::new();
    }
    let krate = &cx.krate;
    let private = quote!(#krate::private);
    let serde = quote!(#private::serde);
    let patch = cx.patch_type();
    let patch_name = cx.input.patch.to_string();
    // Each field's name, then its aliases: serde's order, for matching and for errors.
    let (names, numbers): (Vec<_>, Vec<_>) = cx
        .fields
        .iter()
        .enumerate()
        .flat_map(|(index, (field, _))| {
            std::iter::once(&field.de_name)
                .chain(&field.attrs.aliases)
                .map(move |key| (key, index))
        })
        .unzip();
    let len = cx.fields.len();
    let deny_unknown = cx.input.attrs.deny_unknown_fields;
    let arms = cx.fields.iter().enumerate().map(|(index, (field, kind))| {
        let ident = field.ident;
        let name = &field.de_name;
        let read = if kind.nullable() {
            quote!(read_nullable)
        } else {
            quote!(read_required)
        };
        quote!(#index => #private::#read(__map, &mut self.#ident, #name),)
    });
    let ser_names = cx.fields.iter().map(|(field, _)| &field.ser_name);
    let idents: Vec<_> = cx.fields.iter().map(|(field, _)| field.ident).collect();
    // A generic field's patch value must be serializable: the bound is plain, on the value.
    let generic_values: Vec<_> = cx
        .fields
        .iter()
        .filter(|(field, _)| field.generic)
        .map(|(_, kind)| &kind.patch_value)
        .collect();
    let mut ser_bounds = cx.struct_bounds();
    ser_bounds.extend(
        generic_values
            .iter()
            .map(|value| quote!(#value: #serde::Serialize)),
    );
    let mut de_bounds = cx.struct_bounds();
    de_bounds.extend(
        generic_values
            .iter()
            .map(|value| quote!(#value: #serde::Deserialize<'de>)),
    );
    let serialize = cx.impl_block(
        Some(quote!(#serde::Serialize)),
        patch.clone(),
        ser_bounds,
        quote! {
            fn serialize<__S: #serde::Serializer>(
                &self,
                __serializer: __S,
            ) -> ::core::result::Result<__S::Ok, __S::Error> {
                let mut __state = #serde::Serializer::serialize_struct(
                    __serializer,
                    #patch_name,
                    0 #(+ #private::present(&self.#idents))*,
                )?;
                #(#private::write_field(&mut __state, #ser_names, &self.#idents)?;)*
                #serde::ser::SerializeStruct::end(__state)
            }
        },
    );
    let read = cx.impl_de_block(
        quote!(#private::DeserializePatch<'de>),
        patch.clone(),
        de_bounds.clone(),
        quote! {
            const NAME: &'static ::core::primitive::str = #patch_name;
            const KEYS: &'static #private::Keys = &#private::Keys {
                names: &[#(#names),*],
                fields: &[#(#numbers),*],
                len: #len,
                deny_unknown: #deny_unknown,
            };

            fn read_field<__A: #serde::de::MapAccess<'de>>(
                &mut self,
                __index: ::core::primitive::usize,
                __map: &mut __A,
            ) -> ::core::result::Result<(), __A::Error> {
                match __index {
                    #(#arms)*
                    _ => #private::skip_value(__map),
                }
            }
        },
    );
    let deserialize = cx.impl_de_block(
        quote!(#serde::Deserialize<'de>),
        patch,
        de_bounds,
        quote! {
            fn deserialize<__D: #serde::Deserializer<'de>>(
                __deserializer: __D,
            ) -> ::core::result::Result<Self, __D::Error> {
                #private::deserialize_patch(__deserializer)
            }
        },
    );
    quote!(#serialize #read #deserialize)
}
