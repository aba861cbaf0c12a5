//! The bounds of the generated impls: the model's own where-clause, what applying a patch
//! needs, and conditional bounds that leave an impl out when a field lacks a trait.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};

use super::context::Context;
use crate::ast::{Field, Kind, Presence, ReadBound, Shape};
use crate::attr::SchemaWith;

/// One predicate of [`Context::apply_bounds`]: a value type and the bounds of every field of it.
struct MergedBound {
    /// The value type as text, with `higher_ranked` the key of the predicate.
    key: String,
    /// Whether the predicate is higher-ranked over the model's lifetimes.
    higher_ranked: bool,
    /// The value type.
    value: TokenStream,
    /// The first field's span, which the predicate carries.
    span: proc_macro2::Span,
    /// The bounds, each once, as text and as tokens.
    bounds: Vec<(String, TokenStream)>,
    /// Whether the predicate is a map key's, which the patch's inherent and reading impls
    /// state too (see [`Context::key_guards`]).
    guard: bool,
    /// The span of the binder (`for<>`): the key's for a map key's predicate, which rustc
    /// reports whole, from its first token to its last.
    binder_span: proc_macro2::Span,
}

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

    /// The bounds that applying a patch needs: nested models are patchable (and buildable
    /// from a patch where the model's value may be absent), maps mergeable (for a
    /// `HashMap`/`BTreeMap` of the user's keys, what `MergeMap` needs of its keys, `Eq + Hash`
    /// or `Ord`, stated at the key, where rustc reports it), a generic keyed
    /// array's elements serializable. They are plain,
    /// so that a field that breaks them is a compile error at the field. Fields of one value
    /// type share one predicate (`Address: Patchable + FromPatch` for a `billing: Address`
    /// beside a `shipping: Option<Address>`): the predicates carry the fields' spans, so
    /// clippy reads them as the user's, and two of one type were its `type_repetition_in_bounds`
    /// in the user's crate.
    pub fn apply_bounds(&self) -> Vec<TokenStream> {
        self.built_apply_bounds()
            .iter()
            .map(|(bound, _)| bound.clone())
            .collect()
    }

    /// The predicates of [`apply_bounds`](Self::apply_bounds) on the key of a concrete
    /// `HashMap`/`BTreeMap` of the user's keys (`Locale: Eq + Hash`), the very same tokens,
    /// which the patch's inherent impl (an entry setter's `insert`) and its reading impls (the
    /// check that no key is read twice) state too: none for a model without such a map. Where
    /// a key lacks a trait, rustc reports the same predicate at the same span once for all the
    /// impls that state it, and checks no body that needs it; without it, each such body was
    /// an error of its own.
    pub fn key_guards(&self) -> Vec<TokenStream> {
        self.built_apply_bounds()
            .iter()
            .filter(|(_, guard)| *guard)
            .map(|(bound, _)| bound.clone())
            .collect()
    }

    /// [`apply_bounds`](Self::apply_bounds), each with whether it is a
    /// [`key_guards`](Self::key_guards) one, built once, each stream handed to the compiler
    /// once (collected), so that a copy is a handle.
    fn built_apply_bounds(&self) -> &[(TokenStream, bool)] {
        self.apply_bounds_built.get_or_init(|| {
            self.merged_apply_bounds()
                .into_iter()
                .map(|(bound, guard)| (std::iter::once(bound).collect(), guard))
                .collect()
        })
    }

    /// [`built_apply_bounds`](Self::built_apply_bounds), built.
    fn merged_apply_bounds(&self) -> Vec<(TokenStream, bool)> {
        let mut merged: Vec<MergedBound> = Vec::new();
        for (field, kind) in &self.fields {
            // A plain value needs no bound unless it is a generic keyed array's: decided
            // before the value's tokens, span and the runtime's path are built, which the
            // macro's run pays for per field (most fields are plain).
            let keyed = match &kind.shape {
                Shape::Plain => match self.keyed_element(kind).filter(|_| field.generic) {
                    Some(element) => Some(element),
                    None => continue,
                },
                _ => None,
            };
            // A concrete map of the user's keys (`HashMap<Locale, String>`) is bounded by what
            // its keys need, which is what rustc reports (`Locale: Hash`), at the key.
            let concrete = !field.generic && !field.lifetimes_erased;
            let own_key = match &kind.shape {
                Shape::Map {
                    explicit: false,
                    json_values: false,
                } if concrete => crate::ty::own_map_key(&kind.value),
                _ => None,
            };
            let erased = field
                .lifetimes_erased
                .then(|| self.erase_lifetimes(&kind.value, true));
            let value: TokenStream = erased.unwrap_or_else(|| kind.value.to_token_stream());
            let span = kind.value_span();
            // The runtime's path at the field too: rustc reports an unmet bound at the
            // trait's path, and a path that starts at the derive (`::sparse_patch`, the
            // derive's tokens) and ends at the field was reported at the derive
            // (`#[patchable(nested)]` on an enum).
            let krate = &self.krate_at(span);
            let guard = own_key.is_some();
            let mut binder_span = proc_macro2::Span::call_site();
            let (value, span, bounds): (TokenStream, _, Vec<TokenStream>) =
                if let Some((key, traits)) = own_key {
                    // The traits resolved as the derive's own, at the key, where rustc reports
                    // the bound.
                    let span = syn::spanned::Spanned::span(key);
                    let here = span.resolved_at(proc_macro2::Span::call_site());
                    binder_span = here;
                    let bounds = traits
                        .iter()
                        .map(|path| self.path(path).respanned(here).into_token_stream())
                        .collect();
                    (key.to_token_stream(), span, bounds)
                } else {
                    let (value, bounds): (TokenStream, Vec<TokenStream>) = match &kind.shape {
                        // A keyed array's check serializes its elements.
                        Shape::Plain => match keyed {
                            Some(element) => (
                                element.to_token_stream(),
                                vec![quote_spanned!(span=> #krate::private::serde::Serialize)],
                            ),
                            None => continue,
                        },
                        Shape::Nested => {
                            let mut bounds = vec![quote_spanned!(span=> #krate::Patchable)];
                            if kind.presence == Presence::Nullable {
                                bounds.push(quote_spanned!(span=> #krate::FromPatch));
                            }
                            // An `Rc` or `Arc` is patched through `make_mut`, which clones a shared
                            // value first.
                            if kind.pointer.as_ref().is_some_and(|pointer| pointer.shared) {
                                bounds.push(quote_spanned!(span=> ::core::clone::Clone));
                            }
                            (value, bounds)
                        }
                        Shape::Map { explicit: true, .. } => {
                            (value, vec![quote_spanned!(span=> #krate::MergeMap)])
                        }
                        Shape::Map {
                            explicit: false,
                            json_values,
                        } => {
                            let patch = &kind.patch_value;
                            let mut bounds =
                                vec![quote_spanned!(span=> #krate::MergeMap<Patch = #patch>)];
                            if *json_values {
                                bounds.push(quote_spanned!(span=> #krate::private::MergeJsonMap));
                            }
                            (value, bounds)
                        }
                        Shape::Json => (value, vec![quote_spanned!(span=> #krate::MergeJson)]),
                    };
                    (value, span, bounds)
                };
            let key = value.to_string();
            let higher_ranked = field.lifetimes_erased;
            let index = match merged
                .iter()
                .position(|one| one.key == key && one.higher_ranked == higher_ranked)
            {
                // A type that is a key of one field and the value of another guards nothing.
                Some(index) => {
                    merged[index].guard &= guard;
                    index
                }
                None => {
                    merged.push(MergedBound {
                        key,
                        higher_ranked,
                        value,
                        span,
                        bounds: Vec::new(),
                        guard,
                        binder_span,
                    });
                    merged.len() - 1
                }
            };
            let slot = &mut merged[index].bounds;
            for bound in bounds {
                let text = bound.to_string();
                if !slot.iter().any(|(seen, _)| *seen == text) {
                    slot.push((text, bound));
                }
            }
        }
        merged
            .into_iter()
            .map(|one| {
                let MergedBound {
                    higher_ranked,
                    value,
                    span,
                    bounds,
                    guard,
                    binder_span,
                    ..
                } = one;
                let bounds = bounds.into_iter().map(|(_, bound)| bound);
                let binder = if higher_ranked {
                    quote!(for<'__sparse_patch>)
                } else {
                    quote_spanned!(binder_span=> for<>)
                };
                (quote_spanned!(span=> #binder #value: #(#bounds)+*), guard)
            })
            .collect()
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
    fn erase_lifetimes(&self, ty: &dyn ToTokens, statics: bool) -> TokenStream {
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
