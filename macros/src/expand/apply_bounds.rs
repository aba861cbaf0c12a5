//! The bounds that applying a patch needs ([`Context::apply_bounds`]): one predicate per value
//! type of the nested models, maps and keyed arrays, carrying the fields' spans, and the map
//! keys' predicates that the patch's other impls repeat ([`Context::key_guards`]).

use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};

use super::context::Context;
use crate::ast::{Presence, Shape};

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
}
