//! The bounds that the derive states on a patch field for serde's derives (serde's `bound`),
//! for a patch on serde's derives (`SerdeCode::Derived`) and its reading twin.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::Context;
use super::serde_helper_fns::{custom_deserialize, custom_serialize};
use crate::ast::{Field, Kind, Shape};

impl Context<'_, '_> {
    /// The bounds of writing (as text) and of reading that the derive states on a patch field
    /// for serde (serde's `bound`); `None` for a direction that it leaves to serde or to the
    /// user.
    pub fn serde_field_bounds(
        &self,
        field: &Field<'_>,
        kind: &Kind,
    ) -> (Option<String>, Option<TokenStream>) {
        let (serialize, deserialize) = self.inferred_field_bounds(field, kind);
        if !self.restates_field_bound(field, kind) {
            return (serialize, deserialize);
        }
        // The field's own `bound`, stated again with the copy's `Clone` (which serde's single
        // `bound` of a field cannot get beside it): it lacked `Clone`, and rustc suggested
        // writing `+ std::clone::Clone` after the string.
        let (own_serialize, own_deserialize) = &field.attrs.serde_bound_predicates;
        let serialize = format!(
            "{}{}",
            quote!(#(#own_serialize,)*),
            serialize.unwrap_or_default()
        );
        let deserialize = if field.attrs.serde_bound_directions.1 {
            Some(quote!(#(#own_deserialize),*))
        } else {
            deserialize
        };
        (Some(serialize), deserialize)
    }

    /// Whether the patch field states the model field's own serde `bound` again, rather
    /// than carrying it over: a nullable attribute of a generic model that the user's
    /// function writes, whose `bound` of writing lacks the `Clone` of the patch's copy.
    pub fn restates_field_bound(&self, field: &Field<'_>, kind: &Kind) -> bool {
        field.generic
            && kind.nullable()
            && custom_serialize(field).is_some()
            && field.attrs.serde_bound_directions.0
    }

    /// [`serde_field_bounds`](Self::serde_field_bounds) beside a `bound` of the user's
    /// carried over.
    fn inferred_field_bounds(
        &self,
        field: &Field<'_>,
        kind: &Kind,
    ) -> (Option<String>, Option<TokenStream>) {
        let krate = &self.krate;
        // A direction whose bounds the user states (serde's `bound`, on the struct or the
        // field) is left to them; serde infers the other's, and so does the derive.
        let user_serialize =
            self.input.attrs.serde_bound_directions.0 || field.attrs.serde_bound_directions.0;
        let user_deserialize =
            self.input.attrs.serde_bound_directions.1 || field.attrs.serde_bound_directions.1;
        // A nullable attribute written by the user's function is handed a copy of the value:
        // the patch asks `Clone` of it beside a `bound` of the user's, which states what the
        // function needs.
        let copied = field.generic && kind.nullable() && custom_serialize(field).is_some();
        let value = &kind.patch_value;
        if user_serialize && user_deserialize {
            let serialize = copied.then(|| {
                self.field_bound(field, value, quote!(::core::clone::Clone))
                    .to_string()
            });
            return (serialize, None);
        }
        // serde would bound the parameters themselves; the patch needs its value type bound,
        // which for a nested model is a projection that serde cannot see through.
        // serde's derive reads a model that borrows a `&'static str` from `'static` input
        // only, and then has no `'de` in its impl: the bounds name `'static` instead.
        let mut reads = self.read_bounds(field, kind);
        reads.retain(|read| read.to_string() != quote!('de: 'static).to_string());
        if custom_deserialize(field).is_some() {
            // The user's function reads the value, and asks what it needs in its own
            // signature, as serde's derive infers no bound for such a field: only what the
            // borrowed lifetimes need is kept (a `Cursor` read from its text by serde_with's
            // `DisplayFromStr` has no `Deserialize`).
            reads.retain(|read| read.to_string().starts_with('\''));
        }
        let mut deserialize = quote!(#(#reads),*);
        if self.borrows_static() {
            // By token, not by text: the text of `'de: 'desc` holds `'de` twice.
            let de = std::iter::once("'de".to_owned()).collect();
            let statics = syn::Ident::new("static", proc_macro2::Span::call_site());
            deserialize = crate::ty::replace_lifetimes(&deserialize, &de, &statics);
        }
        if field.generic {
            let bound = if custom_serialize(field).is_some() {
                // The user's function writes the value, as it states; on a nullable
                // attribute it takes the model's `Option`, built from a copy.
                if kind.nullable() {
                    quote!(::core::clone::Clone)
                } else {
                    TokenStream::new()
                }
            } else if matches!(kind.shape, Shape::Map { .. }) && kind.checks_null {
                quote!(#krate::SerializeMapPatch + #krate::private::MapNullValues)
            } else if matches!(kind.shape, Shape::Map { .. }) {
                quote!(#krate::SerializeMapPatch)
            } else {
                quote!(#krate::private::serde::Serialize)
            };
            let serialize = if bound.is_empty() {
                String::new()
            } else {
                self.field_bound(field, value, bound).to_string()
            };
            let serialize = if !user_serialize {
                Some(serialize)
            } else {
                copied.then(|| {
                    self.field_bound(field, value, quote!(::core::clone::Clone))
                        .to_string()
                })
            };
            (serialize, (!user_deserialize).then_some(deserialize))
        } else if !reads.is_empty() && !user_deserialize {
            (None, Some(deserialize))
        } else {
            (None, None)
        }
    }
}
