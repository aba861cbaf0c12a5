//! Calls to the runtime's generic field functions (`private::apply_required` and the like):
//! each field is one call, chosen by its presence and told its shape by a marker type, so the
//! code per field is a call for rustc to check rather than a `match`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::context::Context;
use crate::ast::{Field, Kind, Presence, Shape};
use crate::ty;

impl Context<'_, '_> {
    /// The runtime's marker type for the field's shape.
    fn shape_marker(&self, kind: &Kind) -> TokenStream {
        let private = &self.private;
        match kind.shape {
            Shape::Plain => quote!(#private::Plain),
            Shape::Nested if kind.pointer.is_some() => {
                quote!(#private::Behind<#private::Nested>)
            }
            Shape::Nested => quote!(#private::Nested),
            Shape::Map {
                json_values: true, ..
            } => quote!(#private::JsonMap),
            Shape::Map { .. } => quote!(#private::Map),
            Shape::Json => quote!(#private::Json),
        }
    }

    /// A call to the runtime's `{operation}_{presence}::<Shape, T>(args, "name")` for the
    /// field. The serialized name, which an error's path starts with, is left out for a
    /// flattened field, whose attributes sit in the parent.
    pub fn call_named(
        &self,
        field: &Field<'_>,
        kind: &Kind,
        operation: &str,
        args: TokenStream,
    ) -> TokenStream {
        let name = (!kind.flattened()).then(|| {
            let name = &field.ser_name;
            quote!(, #name)
        });
        self.call(field, kind, operation, quote!(#args #name))
    }

    /// `call` unwrapped, returning its error from the enclosing function: a `match` rather than
    /// `?`, which costs rustc a `Try` and a `FromResidual` obligation per use.
    pub fn try_call_named(
        &self,
        field: &Field<'_>,
        kind: &Kind,
        operation: &str,
        args: TokenStream,
    ) -> TokenStream {
        let call = self.call_named(field, kind, operation, args);
        quote! {
            match #call {
                ::core::result::Result::Ok(__value) => __value,
                ::core::result::Result::Err(__error) => return ::core::result::Result::Err(__error),
            }
        }
    }

    /// The runtime's `{operation}_value(args)` (required) or `{operation}_nullable_value(args)`
    /// for a plain value, whose types the arguments give; `None` for other kinds, which go
    /// through [`call`](Self::call).
    pub fn value_call(
        &self,
        kind: &Kind,
        operation: &str,
        args: TokenStream,
    ) -> Option<TokenStream> {
        if !kind.plain_value() {
            return None;
        }
        let private = &self.private;
        let function = match kind.presence {
            Presence::Nullable => format_ident!("{}_nullable_value", operation),
            _ => format_ident!("{}_value", operation),
        };
        let args = parenthesized(args);
        Some(quote!(#private::#function #args))
    }

    /// A call to the runtime's `{operation}_{presence}::<Shape, T>(args)` for the field, where
    /// `T` is the model's field type for a nullable field (an `Option`, taken through
    /// `Nullable`), its value type otherwise (the pointer, `Box<N>`, for a nested struct
    /// behind one).
    pub fn call(
        &self,
        field: &Field<'_>,
        kind: &Kind,
        operation: &str,
        args: TokenStream,
    ) -> TokenStream {
        let private = &self.private;
        let shape = self.shape_marker(kind);
        let value = kind
            .pointer
            .as_ref()
            .map_or(&kind.value, |pointer| &pointer.ty);
        let (presence, model) = match kind.presence {
            Presence::Flattened => ("flat", value),
            Presence::Required => ("required", value),
            Presence::Nullable => ("nullable", &field.ty),
        };
        let function = format_ident!("{}_{}", operation, presence);
        let args = parenthesized(args);
        quote!(#private::#function::<#shape, #model> #args)
    }

    /// The checks of keyed arrays (`#[patchable(key = "...")]`) in the patch `__patch`: one
    /// runtime call each, with the field's `#[cfg]`s.
    pub fn keyed_checks(&self) -> Vec<(Vec<&syn::Attribute>, TokenStream)> {
        let private = &self.private;
        self.fields
            .iter()
            .filter_map(|(field, kind)| {
                let key = kind.key.as_ref()?;
                let ident = field.ident;
                let name = &field.ser_name;
                let function = match kind.presence {
                    Presence::Nullable => quote!(check_keyed_nullable_value),
                    _ => quote!(check_keyed_value),
                };
                let call = quote!(#private::#function(&__patch.#ident, #name, #key));
                Some((field.cfgs(), call))
            })
            .collect()
    }

    /// The patch's `KEYED_ARRAYS`: its keyed arrays and those of its flattened nested fields;
    /// `None` when it has neither, which leaves the trait's empty default.
    pub fn keyed_arrays(&self) -> Option<TokenStream> {
        let krate = &self.krate;
        let entries: Vec<TokenStream> = self
            .fields
            .iter()
            .filter_map(|(field, kind)| match (&kind.key, &kind.shape) {
                (Some(key), _) => {
                    let name = &field.ser_name;
                    Some(quote!(#krate::KeyedArray::Array { attribute: #name, key: #key }))
                }
                // A `#[cfg]` that is still on a field is true: rustc strips the fields of false
                // ones before the derive runs.
                (None, Shape::Nested) if kind.flattened() => {
                    let value = &kind.value;
                    Some(quote!(#krate::KeyedArray::Flattened(
                        <<#value as #krate::Patchable>::Patch as #krate::Patch>::KEYED_ARRAYS
                    )))
                }
                _ => None,
            })
            .collect();
        (!entries.is_empty()).then(|| {
            quote! {
                const KEYED_ARRAYS: &'static [#krate::KeyedArray] = &[#(#entries),*];
            }
        })
    }

    /// The element type of a keyed array, which its check serializes.
    pub fn keyed_element<'k>(&self, kind: &'k Kind) -> Option<&'k syn::Type> {
        kind.key.as_ref().and(ty::vec_element(&kind.value))
    }
}

/// `(args)`, the arguments moved into their parentheses: interpolated, they would be copied and
/// concatenated.
fn parenthesized(args: TokenStream) -> proc_macro2::Group {
    proc_macro2::Group::new(proc_macro2::Delimiter::Parenthesis, args)
}
