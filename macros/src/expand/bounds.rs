//! The bounds of the generated impls: the model's own where-clause, what applying a patch
//! needs, and conditional bounds that leave an impl out when a field lacks a trait.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use super::context::Context;
use crate::ast::{Field, Kind, ReadBound, Shape};
use crate::attr::SchemaWith;

impl Context<'_, '_> {
    /// `generics` without the bounds written on its parameters, which
    /// [`where_clause`](Self::where_clause) states instead; defaults stay.
    pub fn unbounded(&self, generics: &syn::Generics) -> syn::Generics {
        let mut generics = generics.clone();
        for param in &mut generics.params {
            match param {
                syn::GenericParam::Type(param) => {
                    param.colon_token = None;
                    param.bounds.clear();
                }
                syn::GenericParam::Lifetime(param) => {
                    param.colon_token = None;
                    param.bounds.clear();
                }
                syn::GenericParam::Const(_) => {}
            }
        }
        generics
    }

    /// The `where` clause of the model plus `extra`, each predicate once.
    ///
    /// The bounds that the model writes on its parameters (`<T: Patchable>`) are stated here
    /// too, since every generated item takes its parameters from
    /// [`unbounded`](Self::unbounded): beside a
    /// generated `T: Patchable`, an inline one is clippy's `trait_duplication_in_bounds` in the
    /// user's crate.
    pub fn where_clause(
        &self,
        extra: impl IntoIterator<Item = TokenStream>,
    ) -> Option<TokenStream> {
        let inline = self
            .input
            .generics
            .params
            .iter()
            .filter_map(|param| match param {
                syn::GenericParam::Type(param) if !param.bounds.is_empty() => {
                    let (ident, bounds) = (&param.ident, &param.bounds);
                    Some(quote!(#ident: #bounds))
                }
                syn::GenericParam::Lifetime(param) if !param.bounds.is_empty() => {
                    let (lifetime, bounds) = (&param.lifetime, &param.bounds);
                    Some(quote!(#lifetime: #bounds))
                }
                _ => None,
            });
        let own = inline.chain(
            self.input
                .generics
                .where_clause
                .iter()
                .flat_map(|clause| clause.predicates.iter())
                .map(ToTokens::to_token_stream),
        );
        // The same bound can come from several fields (`Option<String>: Clone`): state it once.
        let mut seen = BTreeSet::new();
        let all: Vec<_> = own
            .chain(extra)
            .filter(|predicate| seen.insert(predicate.to_string()))
            .collect();
        // None rather than an empty stream, which `quote!` would still concatenate.
        (!all.is_empty()).then(|| quote!(where #(#all,)*))
    }

    /// `ty: bound`, as a bound that leaves the impl out when it does not hold, instead of
    /// failing the build: a bound on a concrete type is made higher-ranked, since Rust rejects
    /// a plain one that is false ("trivial bounds"), while a bound on a generic type is kept
    /// plain, so that it keeps the implied bounds of the impl.
    pub fn conditional_bound(
        &self,
        ty: &dyn ToTokens,
        generic: bool,
        bound: TokenStream,
    ) -> TokenStream {
        if generic {
            quote!(#ty: #bound)
        } else {
            // The model's lifetimes in a type become the bound's own (only where `ast` found
            // plain bounds ambiguous; elsewhere the type names no lifetime of the model).
            let ty = self.erase_lifetimes(ty, false);
            quote!(for<'__sparse_patch> #ty: #bound)
        }
    }

    /// [`conditional_bound`](Self::conditional_bound) on a type of `field`: higher-ranked over
    /// the model's lifetimes and `'static` where `ast` erased the field's lifetimes
    /// (`&'static str` beside `&'a str`, `(&'a str, T)` beside `(&'b str, T)`: the same
    /// bound, stated once, instead of two that rustc finds ambiguous).
    pub fn field_bound(
        &self,
        field: &Field<'_>,
        ty: &dyn ToTokens,
        bound: TokenStream,
    ) -> TokenStream {
        if field.generic && !field.lifetimes_erased {
            quote!(#ty: #bound)
        } else {
            let ty = self.erase_lifetimes(ty, field.lifetimes_erased);
            quote!(for<'__sparse_patch> #ty: #bound)
        }
    }

    /// Bounds that the patch struct itself needs, for generic fields only: a nested patch type
    /// is only well formed when the nested model is patchable, and a nullable one is built
    /// from its patch when absent.
    pub fn struct_bounds(&self) -> Vec<TokenStream> {
        let krate = &self.krate;
        self.fields
            .iter()
            .filter(|(field, _)| field.generic)
            .filter_map(|(field, kind)| {
                let bound = match kind.shape {
                    Shape::Nested => quote!(#krate::Patchable),
                    Shape::Map { explicit: true, .. } => quote!(#krate::MergeMap),
                    _ => return None,
                };
                Some(self.field_bound(field, &kind.value, bound))
            })
            .collect()
    }

    /// `patch value: bound` for every generic field, as [`field_bound`](Self::field_bound)
    /// states it: what the patch's serde code or schema needs of a value whose type names a
    /// parameter. A nested patch that `ast` bounds through its parameters instead (its
    /// lifetimes erased) gets `T: bound` for each type parameter it names, as serde's derive
    /// bounds parameters.
    pub fn generic_value_bounds(&self, bound: &TokenStream) -> Vec<TokenStream> {
        let mut bounds = Vec::new();
        for (field, kind) in &self.fields {
            if field.generic {
                bounds.push(self.field_bound(field, &kind.patch_value, bound.clone()));
            } else if let ReadBound::Outlives { types, .. } = &field.read_bound {
                bounds.extend(types.iter().map(|name| {
                    let name = crate::ty::ident_named(name);
                    quote!(#name: #bound)
                }));
            }
        }
        bounds
    }

    /// [`generic_value_bounds`](Self::generic_value_bounds) for the patch's schema, whose
    /// values have the schema of a field's `#[schemars(with = "Type")]` where it has one: that
    /// type is bounded instead (when the field is generic; a concrete one is checked where the
    /// schema names it), so that the schema does not ask a schema of a value that has none;
    /// nothing is bounded for a `schema_with = "function"`.
    pub fn schema_value_bounds(&self, bound: &TokenStream) -> Vec<TokenStream> {
        let mut bounds = Vec::new();
        for (field, kind) in &self.fields {
            match &field.schema_with {
                Some(SchemaWith::Type(with)) if field.generic => {
                    bounds.push(self.field_bound(field, with, bound.clone()));
                }
                // A function's schema asks nothing of the field's type.
                Some(_) => {}
                None if field.generic => {
                    bounds.push(self.field_bound(field, &kind.patch_value, bound.clone()));
                }
                None => {
                    if let ReadBound::Outlives { types, .. } = &field.read_bound {
                        bounds.extend(types.iter().map(|name| {
                            let name = crate::ty::ident_named(name);
                            quote!(#name: #bound)
                        }));
                    }
                }
            }
        }
        bounds
    }

    /// `patch value type: bound` for every field whose type may lack `bound`; none for fields
    /// of standard types, which have `Clone`, `Debug` and `PartialEq`. The bound is on the
    /// value in the patch (`<Name as Patchable>::Patch: Clone`), not on the patch field's
    /// `Option` or `Field` of it, which has each of the three traits exactly when its value
    /// has it: one selection less for rustc per bound (BENCHMARKS section 7.4: these
    /// higher-ranked bounds are the costly ones).
    pub fn field_bounds(&self, bound: &TokenStream) -> Vec<TokenStream> {
        self.fields
            .iter()
            .filter(|(_, kind)| !kind.std_value)
            .map(|(field, kind)| self.field_bound(field, &kind.patch_value, bound.clone()))
            .collect()
    }

    /// `ty` with the model's lifetimes (and `'static` if `statics`) replaced by the
    /// `'__sparse_patch` of a higher-ranked bound.
    pub(super) fn erase_lifetimes(&self, ty: &dyn ToTokens, statics: bool) -> TokenStream {
        let mut lifetimes: BTreeSet<String> = self
            .input
            .generics
            .lifetimes()
            .map(|param| param.lifetime.to_string())
            .collect();
        if statics {
            lifetimes.insert("'static".to_owned());
        }
        // Nothing to replace (a model without lifetimes): the type as it stands, without the
        // walk over its tokens, which the macro's run pays for per bound.
        if lifetimes.is_empty() {
            return ty.to_token_stream();
        }
        let own = syn::Ident::new("__sparse_patch", proc_macro2::Span::call_site());
        crate::ty::replace_lifetimes(ty, &lifetimes, &own)
    }

    /// Whether a field reads a value borrowed for `'static` (`&'static str`), so that serde's
    /// derive implements `Deserialize<'static>` alone.
    pub fn borrows_static(&self) -> bool {
        self.fields.iter().any(|(field, _)| {
            matches!(&field.read_bound, ReadBound::Outlives { lifetimes, .. } if lifetimes.contains("'static"))
                || field.serde_borrows_static()
        })
    }

    /// The predicates that reading a field's patch value from `'de` needs, as `ast` decided.
    pub fn read_bounds(&self, field: &Field<'_>, kind: &Kind) -> Vec<TokenStream> {
        let krate = &self.krate;
        let value = &kind.patch_value;
        match &field.read_bound {
            ReadBound::None | ReadBound::Implied => Vec::new(),
            ReadBound::Plain => vec![quote!(#value: #krate::private::serde::Deserialize<'de>)],
            ReadBound::Outlives { lifetimes, types } => lifetimes
                .iter()
                .map(|lifetime| {
                    let lifetime = syn::Lifetime::new(lifetime, proc_macro2::Span::call_site());
                    quote!('de: #lifetime)
                })
                .chain(types.iter().map(|name| {
                    let name = crate::ty::ident_named(name);
                    quote!(#name: #krate::private::serde::Deserialize<'de>)
                }))
                .collect(),
        }
    }

    /// What `diff` needs of a field's model value, by shape.
    pub fn diff_bound(&self, kind: &Kind) -> TokenStream {
        let krate = &self.krate;
        match kind.shape {
            Shape::Plain => quote!(::core::cmp::PartialEq + ::core::clone::Clone),
            Shape::Json => quote!(#krate::MergeJson),
            Shape::Nested => quote!(#krate::Diff),
            Shape::Map {
                json_values: true, ..
            } => quote!(#krate::private::MergeJsonMap),
            Shape::Map { .. } => quote!(#krate::DiffMap),
        }
    }
}
