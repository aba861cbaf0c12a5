//! The patch's `#[serde(...)]` attributes, and which helper functions they name (written in
//! `serde_helper_fns`), for a patch whose serde code is serde's derives (`SerdeCode::Derived`).
//! A patch with the derive's own serde code (`serialize`, `deserialize`) gets none of this.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::Context;
use super::serde_helper_fns::{custom_deserialize, custom_serialize};
use crate::ast::{Field, Kind, Presence, SerdeCode, Shape};
use crate::attr::{serde_attr, serde_attr_without_bound};

impl Context<'_, '_> {
    /// serde's derives write and read the patch.
    fn derives_serde(&self) -> bool {
        self.input.serde == SerdeCode::Derived
    }

    /// serde's derives and the model's container attributes that carry over.
    pub fn serde_container_attrs(&self) -> TokenStream {
        if !self.derives_serde() {
            return TokenStream::new();
        }
        let krate = &self.krate;
        let serde_crate = quote!(#krate::private::serde).to_string();
        let kept = serde_attr(&self.input.attrs.serde_kept);
        // A patch read through its twin (`serde_twin`) gets serde's `Serialize` alone.
        let deserialize =
            (!self.input.serde_twin).then(|| quote!(, #krate::private::serde::Deserialize));
        quote! {
            #[derive(#krate::private::serde::Serialize #deserialize)]
            #[serde(crate = #serde_crate)]
            #kept
        }
    }

    /// A patch field's serde attributes: the model's that carry over, absent as the default
    /// (through a function rather than `default`, for which serde would bound every type
    /// parameter of the field by `Default`) and left out when written, and the helpers that
    /// refuse `null` on a required attribute and wrap the user's own functions. In the twin
    /// that reads the patch (`serde_twin`), without the bounds, which the twin states on
    /// itself.
    pub fn serde_field_attrs(&self, field: &Field<'_>, kind: &Kind, twin: bool) -> TokenStream {
        if !self.derives_serde() {
            return TokenStream::new();
        }
        let krate = &self.krate;
        let kept = if twin || self.restates_field_bound(field, kind) {
            serde_attr_without_bound(&field.attrs.serde_kept)
        } else {
            serde_attr(&field.attrs.serde_kept)
        };
        let mut added = Vec::new();
        if !kind.flattened() {
            let skip = if kind.nullable() {
                quote!(#krate::Field::is_absent)
            } else {
                quote!(::core::option::Option::is_none)
            }
            .to_string();
            added.push(quote!(skip_serializing_if = #skip));
            let default = quote!(#krate::private::absent).to_string();
            added.push(quote!(default = #default));
        }
        if let Some(path) = self.serialize_helper(field, kind) {
            added.push(quote!(serialize_with = #path));
        }
        if let Some(path) = self.deserialize_helper(field, kind) {
            added.push(quote!(deserialize_with = #path));
        }
        if field.reads_static_implicitly() {
            // serde borrows an `Option<&'static str>` of the model without being told, and
            // then reads the model from `'static` input alone; in the patch the reference is
            // inside a `Field`, which serde does not look into, so it is told.
            added.push(quote!(borrow = "'static"));
        }
        if !twin {
            let (serialize, deserialize) = self.serde_field_bounds(field, kind);
            let deserialize = deserialize.map(|predicates| predicates.to_string());
            match (serialize, deserialize) {
                (Some(serialize), Some(deserialize)) => {
                    added.push(quote!(bound(serialize = #serialize, deserialize = #deserialize)));
                }
                (Some(serialize), None) => added.push(quote!(bound(serialize = #serialize))),
                (None, Some(deserialize)) => added.push(quote!(bound(deserialize = #deserialize))),
                (None, None) => {}
            }
        }
        quote! {
            #kept
            #[serde(#(#added),*)]
        }
    }

    /// The path of a generated helper function as serde's attributes take it: a string, with
    /// the patch's generic parameters spelled out, since const parameters cannot be inferred.
    fn helper_path(&self, field: &Field<'_>, what: &str) -> String {
        let patch = &self.input.patch;
        let (_, ty_generics, _) = self.input.generics.split_for_impl();
        let turbofish = ty_generics.as_turbofish();
        let helper = self.helper_ident(field, what);
        quote!(#patch #turbofish :: #helper).to_string()
    }

    /// The serialize function of the field, if it needs one: the user's own (through a helper
    /// that unwraps the patch's `Option`), or one that leaves absent map entries out.
    pub(super) fn serialize_helper(&self, field: &Field<'_>, kind: &Kind) -> Option<String> {
        let krate = &self.krate;
        match (&kind.shape, kind.presence) {
            (Shape::Map { .. }, Presence::Flattened) if kind.checks_null => {
                Some(quote!(#krate::private::serialize_checked_flat_map).to_string())
            }
            (Shape::Map { .. }, Presence::Flattened) => {
                Some(quote!(#krate::private::serialize_map_patch).to_string())
            }
            (Shape::Map { .. }, _) => Some(self.helper_path(field, "serialize")),
            // A nullable attribute's `null` and a nested patch's, in a format that has no null
            // (TOML), are an error naming the attribute (the runtime's `Null`), not a key left
            // out, which would keep the attribute instead of clearing it. A field whose type
            // names a type parameter keeps serde's own writing (whose bounds the helper's
            // would not meet where the patch type is a projection): its `null` is still an
            // error there, `Field`'s own, which cannot name the attribute. A plain type that
            // names lifetimes alone (`Option<&'a str>`) is no projection, and gets it.
            (Shape::Nested, _)
                if !kind.flattened() && !field.generic && !field.lifetimes_erased =>
            {
                Some(self.helper_path(field, "serialize"))
            }
            _ if custom_serialize(field).is_some()
                || kind.checks_null
                || (kind.nullable()
                    && !kind.flattened()
                    && (field.lifetimes_only || (!field.generic && !field.lifetimes_erased))) =>
            {
                Some(self.helper_path(field, "serialize"))
            }
            _ => None,
        }
    }

    /// The deserialize function of the field, if it needs one: a required field rejects `null`
    /// by name, the user's own function is wrapped into the patch's type, and a nested patch's
    /// error for `null` gets the field's key prefixed to its path.
    pub(super) fn deserialize_helper(&self, field: &Field<'_>, kind: &Kind) -> Option<String> {
        // A flattened map whose keys the runtime checks (`ast` decides) is read by it.
        if field.unique_flat_keys {
            let krate = &self.krate;
            return Some(quote!(#krate::private::deserialize_flat_entries).to_string());
        }
        let needed = match kind.presence {
            Presence::Flattened => false,
            Presence::Required => true,
            Presence::Nullable => {
                custom_deserialize(field).is_some()
                    || matches!(kind.shape, Shape::Nested)
                    || field.unique_map_keys
            }
        };
        needed.then(|| self.helper_path(field, "deserialize"))
    }

    /// The hidden helper method `what` (`serialize`, `deserialize`) of a field.
    pub(super) fn helper_ident(&self, field: &Field<'_>, what: &str) -> syn::Ident {
        self.input
            .hidden_ident(format_args!("{what}_{}", field.unraw()))
    }

    /// The helper functions that the fields' `serialize_with` and `deserialize_with` name, in
    /// an inherent impl of the patch, and the `ReadWith` impls they call.
    pub fn serde_helpers(&self) -> TokenStream {
        if !self.derives_serde() {
            return TokenStream::new();
        }
        let mut helpers = Vec::new();
        let mut readers = Vec::new();
        for (index, (field, kind)) in self.fields.iter().enumerate() {
            helpers.extend(self.serialize_helper_fn(field, kind, index));
            helpers.extend(self.deserialize_helper_fn(field, kind, index));
            readers.extend(self.write_with_impl(field, kind, index));
            readers.extend(self.read_with_impl(field, kind, index));
        }
        if helpers.is_empty() {
            return TokenStream::new();
        }
        let helpers = self.inherent_impl_block(self.struct_bounds(), quote!(#(#helpers)*));
        quote!(#helpers #(#readers)*)
    }
}
