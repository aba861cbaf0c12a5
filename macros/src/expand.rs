//! Code generation: the patch struct and the trait impls.
//!
//! Every path in the generated code is absolute (`::core::...`, the runtime's path), and every
//! local name starts with `__`, so that no item in the user's scope can capture it.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DeriveInput, GenericParam, Type};

use crate::ast::{Field, Input, Kind, Presence, Shape};
use crate::attr::{Errors, serde_alias, serde_aliases, serde_attr};
use crate::{ty, valid};

/// Expands `#[derive(Patchable)]`, or returns every error found in the input.
pub fn derive(input: &DeriveInput) -> syn::Result<TokenStream> {
    let mut errors = Errors::default();
    let parsed = Input::from_syn(input, &mut errors);
    if let Some(parsed) = &parsed {
        valid::check(parsed, &mut errors);
    }
    errors.finish()?;
    Ok(parsed.map_or_else(TokenStream::new, |parsed| Expansion::new(&parsed).all()))
}

/// One patched field and the types its patch uses.
struct PatchField<'f, 'a> {
    field: &'f Field<'a>,
    kind: &'f Kind,
    /// The model's value type: `T` for `T` and for `Option<T>`.
    model_value: &'f Type,
    /// The type of a value in the patch: `T`, `<T as Patchable>::Patch` or a map patch.
    value: TokenStream,
    /// The type of the patch field: `Option<value>`, `Field<value>`, or `value` when flattened.
    ty: TokenStream,
}

impl PatchField<'_, '_> {
    fn nullable(&self) -> bool {
        matches!(self.kind.presence, Presence::Nullable { .. })
    }

    fn cfgs(&self) -> Vec<&syn::Attribute> {
        self.field.cfgs()
    }
}

struct Expansion<'f, 'a> {
    input: &'f Input<'a>,
    fields: Vec<PatchField<'f, 'a>>,
    krate: TokenStream,
    /// Some generic parameter is used by no patched field, so a marker field must use it.
    needs_marker: bool,
    /// Skipped fields whose keys the patch reads and drops, so that a flattened map does not
    /// collect them (and send them back).
    ignored: Vec<&'f Field<'a>>,
    /// The patch's `Serialize` and `Deserialize` are generated here (`impl_serde`) rather
    /// than derived by serde, and the patch carries no `#[serde]` attribute.
    own_serde: bool,
}

impl<'f, 'a> Expansion<'f, 'a> {
    fn new(input: &'f Input<'a>) -> Self {
        let krate = input.krate.to_token_stream();
        let fields: Vec<_> = input
            .patched()
            .map(|(field, kind)| {
                let model_value = kind.value(&field.ty);
                let span = field.ty.span();
                let value = match &kind.shape {
                    Shape::Plain | Shape::Json => model_value.to_token_stream(),
                    Shape::Nested => {
                        quote_spanned!(span=> <#model_value as #krate::Patchable>::Patch)
                    }
                    Shape::Map { patch } => patch.to_token_stream(),
                };
                let ty = match (&kind.presence, kind.flatten) {
                    (_, true) => value.clone(),
                    (Presence::Required, false) => quote!(::core::option::Option<#value>),
                    (Presence::Nullable { .. }, false) => quote!(#krate::Field<#value>),
                };
                PatchField {
                    field,
                    kind,
                    model_value,
                    value,
                    ty,
                }
            })
            .collect();
        let used: BTreeSet<String> = fields
            .iter()
            .flat_map(|f| ty::names_in(&f.field.ty))
            .collect();
        let needs_marker = input.generics.params.iter().any(|param| match param {
            GenericParam::Type(param) => !used.contains(&param.ident.to_string()),
            GenericParam::Lifetime(param) => !used.contains(&param.lifetime.to_string()),
            GenericParam::Const(_) => false,
        });
        let collects_keys = fields
            .iter()
            .any(|f| f.kind.flatten && matches!(f.kind.shape, Shape::Map { .. } | Shape::Json));
        let ignored = if collects_keys {
            input
                .fields
                .iter()
                .filter(|field| field.kind.is_none() && field.attrs.flatten.is_none())
                .collect()
        } else {
            Vec::new()
        };
        let own_serde = own_serde(input, &fields, needs_marker, &ignored);
        Expansion {
            input,
            fields,
            krate,
            needs_marker,
            ignored,
            own_serde,
        }
    }

    fn all(&self) -> TokenStream {
        let definition = self.definition();
        let inherent = self.inherent();
        let std_traits = self.std_traits();
        let patch = self.impl_patch();
        let patchable = self.impl_patchable();
        let from_patch = self.impl_from_patch();
        let diff = self.impl_diff();
        let serde = self.impl_serde();
        quote! {
            #definition
            #inherent
            #std_traits
            #patch
            #patchable
            #from_patch
            #diff
            #serde
        }
    }

    // ----- generics and bounds -----

    /// Whether `tokens` mention one of the model's generic parameters.
    fn is_generic(&self, tokens: &dyn ToTokens) -> bool {
        if self.input.generics.params.is_empty() {
            return false;
        }
        let names = ty::names_in_tokens(tokens.to_token_stream());
        self.input.generics.params.iter().any(|param| match param {
            GenericParam::Type(param) => names.contains(&param.ident.to_string()),
            GenericParam::Lifetime(param) => names.contains(&param.lifetime.to_string()),
            GenericParam::Const(param) => names.contains(&param.ident.to_string()),
        })
    }

    /// `ty: bound`, as a bound that leaves the impl out when it does not hold, instead of
    /// failing the build: a bound on a concrete type is made higher-ranked, since Rust rejects
    /// a plain one that is false ("trivial bounds"), while a bound on a generic type is kept
    /// plain, so that it keeps the implied bounds of the impl.
    fn conditional_bound(&self, ty: &dyn ToTokens, bound: TokenStream) -> TokenStream {
        if self.is_generic(ty) {
            quote!(#ty: #bound)
        } else {
            quote!(for<'__sparse_patch> #ty: #bound)
        }
    }

    /// The `where` clause of the model plus `extra`.
    fn where_clause(&self, extra: impl IntoIterator<Item = TokenStream>) -> TokenStream {
        let own = self
            .input
            .generics
            .where_clause
            .iter()
            .flat_map(|clause| clause.predicates.iter())
            .map(ToTokens::to_token_stream);
        // The same bound can come from several fields (`Option<String>: Clone`): state it once.
        let mut seen = BTreeSet::new();
        let all: Vec<_> = own
            .chain(extra)
            .filter(|predicate| seen.insert(predicate.to_string()))
            .collect();
        if all.is_empty() {
            TokenStream::new()
        } else {
            quote!(where #(#all,)*)
        }
    }

    /// The bounds that applying a patch needs: nested models are patchable, maps mergeable.
    /// They are plain, so that a field that breaks them is a compile error at the field.
    fn apply_bounds(&self) -> Vec<TokenStream> {
        let krate = &self.krate;
        self.fields
            .iter()
            .filter_map(|f| {
                let model_value = f.model_value;
                let span = model_value.span();
                match &f.kind.shape {
                    Shape::Plain => None,
                    Shape::Nested if f.nullable() && !f.kind.flatten => Some(
                        quote_spanned!(span=> #model_value: #krate::Patchable + #krate::FromPatch),
                    ),
                    Shape::Nested => Some(quote_spanned!(span=> #model_value: #krate::Patchable)),
                    Shape::Map { .. } if f.field.attrs.map.is_some() => {
                        Some(quote_spanned!(span=> #model_value: #krate::MergeMap))
                    }
                    Shape::Map { patch } => {
                        Some(quote_spanned!(span=> #model_value: #krate::MergeMap<Patch = #patch>))
                    }
                    Shape::Json => Some(quote_spanned!(span=> #model_value: #krate::MergeJson)),
                }
            })
            .collect()
    }

    /// Bounds that the patch struct itself needs, for generic fields only: a nested patch type
    /// is only well formed when the nested model is patchable.
    fn struct_bounds(&self) -> Vec<TokenStream> {
        let krate = &self.krate;
        self.fields
            .iter()
            .filter(|f| self.is_generic(&f.field.ty))
            .filter_map(|f| {
                let model_value = f.model_value;
                match f.kind.shape {
                    Shape::Nested => Some(quote!(#model_value: #krate::Patchable)),
                    Shape::Map { .. } if f.field.attrs.map.is_some() => {
                        Some(quote!(#model_value: #krate::MergeMap))
                    }
                    _ => None,
                }
            })
            .collect()
    }

    fn patch_type(&self) -> TokenStream {
        let patch = &self.input.patch;
        let (_, ty_generics, _) = self.input.generics.split_for_impl();
        quote!(#patch #ty_generics)
    }

    fn model_type(&self) -> TokenStream {
        let model = self.input.ident;
        let (_, ty_generics, _) = self.input.generics.split_for_impl();
        quote!(#model #ty_generics)
    }

    /// Lints that generated code must not raise in the user's crate: names built from field
    /// names (`clear__rev`), deprecated models and fields, and the user's own `allow`s.
    fn allows(&self) -> TokenStream {
        let own = &self.input.attrs.allows;
        quote! {
            #(#own)*
            #[allow(deprecated, non_snake_case, unused_qualifications, clippy::all, clippy::pedantic)]
        }
    }

    /// `true && a && b ...`: one term per patched field, in field order. A field with `#[cfg]`
    /// attributes cannot sit in an expression, so then each term is a statement of its own.
    fn all_of(&self, terms: impl Iterator<Item = TokenStream>) -> TokenStream {
        let terms: Vec<_> = terms.collect();
        if self.fields.iter().all(|f| f.cfgs().is_empty()) {
            return quote!(true #(&& #terms)*);
        }
        let cfgs = self.fields.iter().map(PatchField::cfgs);
        quote! {
            let mut __all = true;
            #( #(#cfgs)* { __all = __all && #terms; } )*
            __all
        }
    }

    // ----- the patch struct -----

    fn definition(&self) -> TokenStream {
        let input = self.input;
        let krate = &self.krate;
        let vis = input.vis;
        let patch = &input.patch;
        let generics = input.generics;
        let where_clause = self.where_clause(self.struct_bounds());
        let serde_crate = quote!(#krate::__private::serde).to_string();
        let container_serde = serde_attr(&input.attrs.serde_kept);
        let derives = &input.attrs.derives;
        let own_allows = &input.attrs.allows;
        let doc = format!(
            " A JSON merge patch (RFC 7396) of `{}`: each field is absent (not sent), null (sent \
             as `null`, where the attribute is nullable) or a value.\n\n Generated by \
             `#[derive(Patchable)]`; apply it with `Patchable::apply`.",
            input.ident
        );
        let fields = self.fields.iter().map(|f| self.field_definition(f));
        let ignored = self.ignored.iter().map(|field| {
            let ident = Self::ignored_ident(field);
            let name = &field.de_name;
            quote! {
                #[serde(rename = #name, skip_serializing, default)]
                #ident: #krate::__private::serde::de::IgnoredAny,
            }
        });
        let marker = if self.needs_marker {
            // The model itself, rather than the unused parameters alone, so that the patch also
            // takes the model's inferred outlives bounds (`T: 'a` for a `&'a T` field).
            let model = self.model_type();
            quote! {
                #[serde(skip)]
                __phantom: ::core::marker::PhantomData<fn() -> #model>,
            }
        } else {
            TokenStream::new()
        };
        let serde = (!self.own_serde).then(|| {
            quote! {
                #[derive(#krate::__private::serde::Serialize, #krate::__private::serde::Deserialize)]
                #[serde(crate = #serde_crate)]
                #container_serde
            }
        });
        let derives = (!derives.is_empty()).then(|| quote!(#[derive(#(#derives),*)]));
        quote! {
            #[doc = #doc]
            #serde
            #derives
            #(#own_allows)*
            #[allow(deprecated)]
            #vis struct #patch #generics #where_clause {
                #(#fields,)*
                #(#ignored)*
                #marker
            }
        }
    }

    fn ignored_ident(field: &Field<'_>) -> syn::Ident {
        format_ident!("__sparse_patch_ignored_{}", field.unraw())
    }

    /// Initializers of the hidden fields: the marker and the ignored keys.
    fn hidden_inits(&self) -> TokenStream {
        let ignored = self.ignored.iter().map(|field| Self::ignored_ident(field));
        let marker = self
            .needs_marker
            .then(|| quote!(__phantom: ::core::marker::PhantomData,));
        quote! {
            #(#ignored: ::core::default::Default::default(),)*
            #marker
        }
    }

    fn field_definition(&self, f: &PatchField<'_, '_>) -> TokenStream {
        let krate = &self.krate;
        let field = f.field;
        let ident = field.ident;
        let vis = field.vis;
        let ty = &f.ty;
        let carried = &field.attrs.carried;
        if self.own_serde {
            return quote! {
                #(#carried)*
                #vis #ident: #ty
            };
        }
        let kept = serde_attr(&field.attrs.serde_kept);
        let mut added = Vec::new();
        if !f.kind.flatten {
            let skip = if f.nullable() {
                quote!(#krate::Field::is_absent)
            } else {
                quote!(::core::option::Option::is_none)
            };
            let skip = skip.to_string();
            added.push(quote!(default, skip_serializing_if = #skip));
        }
        if let Some(path) = self.serialize_helper(f) {
            added.push(quote!(serialize_with = #path));
        }
        if let Some(path) = self.deserialize_helper(f) {
            added.push(quote!(deserialize_with = #path));
        }
        let user_bounds = self.input.attrs.serde_bound || field.attrs.serde_bound;
        if self.is_generic(&field.ty) && !user_bounds {
            // serde would bound the parameters themselves; the patch needs its value type bound,
            // which for a nested model is a projection that serde cannot see through.
            let value = &f.value;
            let serialize = if matches!(f.kind.shape, Shape::Map { .. }) {
                quote!(#value: #krate::SerializeMapPatch)
            } else {
                quote!(#value: #krate::__private::serde::Serialize)
            };
            let serialize = serialize.to_string();
            let deserialize =
                quote!(#value: #krate::__private::serde::Deserialize<'de>).to_string();
            added.push(quote!(bound(serialize = #serialize, deserialize = #deserialize)));
        }
        quote! {
            #(#carried)*
            #kept
            #[serde(#(#added),*)]
            #vis #ident: #ty
        }
    }

    // ----- serde helpers -----

    /// The path of a generated helper function as serde's attributes take it: a string, with
    /// the patch's generic parameters spelled out, since const parameters cannot be inferred.
    fn helper_path(&self, f: &PatchField<'_, '_>, what: &str) -> String {
        let patch = &self.input.patch;
        let (_, ty_generics, _) = self.input.generics.split_for_impl();
        let turbofish = ty_generics.as_turbofish();
        let helper = Self::helper_ident(f, what);
        quote!(#patch #turbofish :: #helper).to_string()
    }

    fn helper_ident(f: &PatchField<'_, '_>, what: &str) -> syn::Ident {
        format_ident!("__sparse_patch_{}_{}", what, f.field.unraw())
    }

    /// The user's own serialize function for the field, if any.
    fn custom_serialize(f: &PatchField<'_, '_>) -> Option<TokenStream> {
        let attrs = &f.field.attrs;
        match (&attrs.serialize_with, &attrs.with) {
            (Some((path, _)), _) => Some(path.to_token_stream()),
            (None, Some((module, _))) => Some(quote!(#module::serialize)),
            (None, None) => None,
        }
    }

    /// The user's own deserialize function for the field, if any.
    fn custom_deserialize(f: &PatchField<'_, '_>) -> Option<TokenStream> {
        let attrs = &f.field.attrs;
        match (&attrs.deserialize_with, &attrs.with) {
            (Some((path, _)), _) => Some(path.to_token_stream()),
            (None, Some((module, _))) => Some(quote!(#module::deserialize)),
            (None, None) => None,
        }
    }

    /// The serialize function of the field, if it needs one: the user's own (through a helper
    /// that unwraps the patch's `Option`), or one that leaves absent map entries out.
    fn serialize_helper(&self, f: &PatchField<'_, '_>) -> Option<String> {
        let krate = &self.krate;
        match (&f.kind.shape, f.kind.flatten) {
            (Shape::Map { .. }, true) => {
                Some(quote!(#krate::__private::serialize_map_patch).to_string())
            }
            (Shape::Map { .. }, false) => Some(self.helper_path(f, "serialize")),
            _ if Self::custom_serialize(f).is_some() => Some(self.helper_path(f, "serialize")),
            _ => None,
        }
    }

    /// The deserialize function of the field, if it needs one: a required field rejects `null`
    /// by name, and the user's own function is wrapped into the patch's type.
    fn deserialize_helper(&self, f: &PatchField<'_, '_>) -> Option<String> {
        let needed = !f.kind.flatten && (!f.nullable() || Self::custom_deserialize(f).is_some());
        needed.then(|| self.helper_path(f, "deserialize"))
    }

    /// The serde helper functions that the fields' `serialize_with` and `deserialize_with` name;
    /// none when the derive writes the patch's serde code itself.
    fn helpers(&self) -> Vec<TokenStream> {
        let krate = &self.krate;
        let serde = quote!(#krate::__private::serde);
        let mut helpers = Vec::new();
        if self.own_serde {
            return helpers;
        }
        for f in &self.fields {
            let value = &f.value;
            let ty = &f.ty;
            let cfgs = f.cfgs();
            let present = if f.nullable() {
                quote!(#krate::Field::Value(__value))
            } else {
                quote!(::core::option::Option::Some(__value))
            };
            if self.serialize_helper(f).is_some() && !f.kind.flatten {
                let helper = Self::helper_ident(f, "serialize");
                let (write, bound) = match Self::custom_serialize(f) {
                    Some(path) => (quote!(#path(__value, __serializer)), TokenStream::new()),
                    None => (
                        quote!(#krate::SerializeMapPatch::serialize_map_patch(__value, __serializer)),
                        quote!(where #value: #krate::SerializeMapPatch),
                    ),
                };
                helpers.push(quote! {
                    #[doc(hidden)]
                    #(#cfgs)*
                    fn #helper<__S: #serde::Serializer>(
                        __field: &#ty,
                        __serializer: __S,
                    ) -> ::core::result::Result<__S::Ok, __S::Error>
                    #bound
                    {
                        match __field {
                            #present => #write,
                            _ => #serde::Serializer::serialize_none(__serializer),
                        }
                    }
                });
            }
            if self.deserialize_helper(f).is_some() {
                let helper = Self::helper_ident(f, "deserialize");
                let name = &f.field.de_name;
                let wrap = if f.nullable() {
                    quote!(<#krate::Field<_> as ::core::convert::From<_>>::from)
                } else {
                    quote!(::core::option::Option::Some)
                };
                let (body, bound) = match Self::custom_deserialize(f) {
                    Some(path) => (
                        quote!(::core::result::Result::map(#path(__deserializer), #wrap)),
                        TokenStream::new(),
                    ),
                    None => (
                        quote!(#krate::__private::deserialize_required(__deserializer, #name)),
                        quote!(where #value: #serde::Deserialize<'de>),
                    ),
                };
                helpers.push(quote! {
                    #[doc(hidden)]
                    #(#cfgs)*
                    fn #helper<'de, __D: #serde::Deserializer<'de>>(
                        __deserializer: __D,
                    ) -> ::core::result::Result<#ty, __D::Error>
                    #bound
                    {
                        #body
                    }
                });
            }
        }
        helpers
    }

    // ----- inherent methods -----

    fn inherent(&self) -> TokenStream {
        let input = self.input;
        let krate = &self.krate;
        let vis = input.vis;
        let (impl_generics, _, _) = input.generics.split_for_impl();
        let patch = self.patch_type();
        let where_clause = self.where_clause(self.struct_bounds());
        let allows = self.allows();
        let setters = self.fields.iter().map(|f| self.setters(f));
        let helpers = self.helpers();
        quote! {
            #[automatically_derived]
            #allows
            #[allow(dead_code)]
            impl #impl_generics #patch #where_clause {
                /// An empty patch: every field absent, serialized as `{}`.
                #[must_use]
                #[inline]
                #vis fn new() -> Self {
                    ::core::default::Default::default()
                }

                /// Returns `true` when every field is absent: the patch serializes as `{}` and
                /// changes nothing.
                #[must_use]
                #[inline]
                #vis fn is_empty(&self) -> ::core::primitive::bool {
                    <Self as #krate::Patch>::is_empty(self)
                }

                #(#setters)*
                #(#helpers)*
            }
        }
    }

    fn setters(&self, f: &PatchField<'_, '_>) -> TokenStream {
        let krate = &self.krate;
        let ident = f.field.ident;
        // Setters have the patch's visibility: applying and deserializing a patch can set every
        // patched field anyway, so a private field gains no protection from a private setter.
        let vis = self.input.vis;
        let value = &f.value;
        let cfgs = f.cfgs();
        let name = &f.field.ser_name;
        let set = match (f.nullable(), f.kind.flatten) {
            (_, true) => quote!(__value),
            (false, false) => quote!(::core::option::Option::Some(__value)),
            (true, false) => quote!(#krate::Field::Value(__value)),
        };
        let doc = format!(" Sets `{name}` to a value: the patch sends `\"{name}\": value`.");
        let mut out = quote! {
            #[doc = #doc]
            #(#cfgs)*
            #[must_use]
            #vis fn #ident(mut self, __value: impl ::core::convert::Into<#value>) -> Self {
                let __value = ::core::convert::Into::into(__value);
                self.#ident = #set;
                self
            }
        };
        if f.nullable() && !f.kind.flatten {
            let clear = format_ident!("clear_{}", f.field.unraw());
            let doc = format!(" Clears `{name}`: the patch sends `\"{name}\": null`.");
            out.extend(quote! {
                #[doc = #doc]
                #(#cfgs)*
                #[must_use]
                #vis fn #clear(mut self) -> Self {
                    self.#ident = #krate::Field::Null;
                    self
                }
            });
        }
        if let Some((key, map_value)) = Self::map_entry_types(f) {
            out.extend(self.entry_setters(f, key, map_value));
        }
        out
    }

    /// The key and value types of a `HashMap` or `BTreeMap` field patched key by key.
    fn map_entry_types<'t>(f: &'t PatchField<'_, '_>) -> Option<(&'t Type, &'t Type)> {
        if !matches!(f.kind.shape, Shape::Map { .. }) || f.field.attrs.map.is_some() {
            return None;
        }
        Some((ty::map_key(f.model_value)?, ty::map_value(f.model_value)?))
    }

    /// `.custom_entry(key, value)` and `.clear_custom_entry(key)`: one entry of a map patch.
    fn entry_setters(&self, f: &PatchField<'_, '_>, key: &Type, value: &Type) -> TokenStream {
        let krate = &self.krate;
        let ident = f.field.ident;
        let vis = self.input.vis;
        let cfgs = f.cfgs();
        let name = &f.field.ser_name;
        let set = format_ident!("{}_entry", f.field.unraw());
        let clear = format_ident!("clear_{}_entry", f.field.unraw());
        let insert = match (f.kind.flatten, f.nullable()) {
            (true, _) => quote! {
                self.#ident.insert(__key, __entry);
            },
            (false, false) => quote! {
                let mut __map = ::core::option::Option::unwrap_or_default(
                    ::core::option::Option::take(&mut self.#ident),
                );
                __map.insert(__key, __entry);
                self.#ident = ::core::option::Option::Some(__map);
            },
            (false, true) => quote! {
                let mut __map = ::core::option::Option::unwrap_or_default(
                    #krate::Field::into_value(#krate::Field::take(&mut self.#ident)),
                );
                __map.insert(__key, __entry);
                self.#ident = #krate::Field::Value(__map);
            },
        };
        let set_doc = format!(
            " Sets the entry `key` of `{name}` to a value, keeping the other entries of the patch."
        );
        let clear_doc =
            format!(" Removes the entry `key` of `{name}`: the patch sends `null` for it.");
        quote! {
            #[doc = #set_doc]
            #(#cfgs)*
            #[must_use]
            #vis fn #set(
                mut self,
                __key: impl ::core::convert::Into<#key>,
                __value: impl ::core::convert::Into<#value>,
            ) -> Self {
                let (__key, __entry) = (
                    ::core::convert::Into::into(__key),
                    #krate::Field::Value(::core::convert::Into::into(__value)),
                );
                #insert
                self
            }

            #[doc = #clear_doc]
            #(#cfgs)*
            #[must_use]
            #vis fn #clear(mut self, __key: impl ::core::convert::Into<#key>) -> Self {
                let (__key, __entry) = (::core::convert::Into::into(__key), #krate::Field::Null);
                #insert
                self
            }
        }
    }

    // ----- Default, Clone, Debug, PartialEq -----

    fn std_traits(&self) -> TokenStream {
        let (impl_generics, _, _) = self.input.generics.split_for_impl();
        let patch = self.patch_type();
        let struct_bounds = self.struct_bounds();
        let bounds = |bound: TokenStream| {
            let extra = self
                .fields
                .iter()
                .map(|f| self.conditional_bound(&f.ty, bound.clone()))
                .chain(struct_bounds.clone());
            self.where_clause(extra)
        };
        let idents: Vec<_> = self.fields.iter().map(|f| f.field.ident).collect();
        let cfgs: Vec<_> = self.fields.iter().map(PatchField::cfgs).collect();
        let names: Vec<_> = self
            .fields
            .iter()
            .map(|f| f.field.unraw().to_string())
            .collect();
        let hidden = self.hidden_inits();
        let patch_name = self.input.patch.to_string();
        let allows = self.allows();
        let default_where = self.where_clause(struct_bounds.clone());
        let clone_where = bounds(quote!(::core::clone::Clone));
        let debug_where = bounds(quote!(::core::fmt::Debug));
        let eq_where = bounds(quote!(::core::cmp::PartialEq));
        let eq = self.all_of(self.fields.iter().map(|f| {
            let ident = f.field.ident;
            quote!(::core::cmp::PartialEq::eq(&self.#ident, &__other.#ident))
        }));
        quote! {
            #[automatically_derived]
            #allows
            impl #impl_generics ::core::default::Default for #patch #default_where {
                #[inline]
                fn default() -> Self {
                    Self {
                        #( #(#cfgs)* #idents: ::core::default::Default::default(), )*
                        #hidden
                    }
                }
            }

            #[automatically_derived]
            #allows
            impl #impl_generics ::core::clone::Clone for #patch #clone_where {
                #[inline]
                fn clone(&self) -> Self {
                    Self {
                        #( #(#cfgs)* #idents: ::core::clone::Clone::clone(&self.#idents), )*
                        #hidden
                    }
                }
            }

            #[automatically_derived]
            #allows
            impl #impl_generics ::core::fmt::Debug for #patch #debug_where {
                #[inline]
                fn fmt(&self, __formatter: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    let mut __debug = ::core::fmt::Formatter::debug_struct(__formatter, #patch_name);
                    #( #(#cfgs)* ::core::fmt::DebugStruct::field(&mut __debug, #names, &self.#idents); )*
                    ::core::fmt::DebugStruct::finish(&mut __debug)
                }
            }

            #[automatically_derived]
            #allows
            impl #impl_generics ::core::cmp::PartialEq for #patch #eq_where {
                #[inline]
                fn eq(&self, __other: &Self) -> ::core::primitive::bool {
                    #eq
                }
            }
        }
    }

    // ----- Patch -----

    fn impl_patch(&self) -> TokenStream {
        let krate = &self.krate;
        let (impl_generics, _, _) = self.input.generics.split_for_impl();
        let patch = self.patch_type();
        let model = self.model_type();
        let where_clause = self.where_clause(self.apply_bounds());
        let allows = self.allows();
        let empty = self.all_of(self.fields.iter().map(|f| {
            let ident = f.field.ident;
            match (f.kind.flatten, f.nullable()) {
                (true, _) => self.call_unnamed(f, "is_empty", quote!(&self.#ident)),
                (false, false) => quote!(::core::option::Option::is_none(&self.#ident)),
                (false, true) => quote!(#krate::Field::is_absent(&self.#ident)),
            }
        }));
        quote! {
            #[automatically_derived]
            #allows
            impl #impl_generics #krate::Patch for #patch #where_clause {
                type Model = #model;

                #[inline]
                fn is_empty(&self) -> ::core::primitive::bool {
                    #empty
                }
            }
        }
    }

    // ----- Patchable, FromPatch, Diff -----
    //
    // Each field is one call to a generic function of the runtime (`__private::apply_required`
    // and the like), chosen by the field's presence and told its shape by a marker type, so
    // that the code per field is a call for rustc to check rather than a `match`.

    /// The runtime's marker type for the field's shape.
    fn shape(&self, f: &PatchField<'_, '_>) -> TokenStream {
        let krate = &self.krate;
        match f.kind.shape {
            Shape::Plain => quote!(#krate::__private::Plain),
            Shape::Nested => quote!(#krate::__private::Nested),
            Shape::Map { .. } => quote!(#krate::__private::Map),
            Shape::Json => quote!(#krate::__private::Json),
        }
    }

    /// A call to the runtime's `{operation}_{presence}::<Shape, T>(args, "name")` for the
    /// field, where presence is `required`, `nullable` or `flat`. The serialized name, which an
    /// error's path starts with, is left out for a flattened field, whose attributes sit in the
    /// parent.
    fn call(&self, f: &PatchField<'_, '_>, operation: &str, args: TokenStream) -> TokenStream {
        let name = (!f.kind.flatten).then(|| {
            let name = &f.field.ser_name;
            quote!(, #name)
        });
        self.call_unnamed(f, operation, quote!(#args #name))
    }

    /// A call to the runtime's `{operation}_{presence}::<Shape, T>(args)` for the field, where
    /// `T` is the model's field type for a nullable field (an `Option`), its value type otherwise.
    fn call_unnamed(
        &self,
        f: &PatchField<'_, '_>,
        operation: &str,
        args: TokenStream,
    ) -> TokenStream {
        let krate = &self.krate;
        let shape = self.shape(f);
        let presence = match (f.kind.flatten, f.nullable()) {
            (true, _) => "flat",
            (false, false) => "required",
            (false, true) => "nullable",
        };
        let function = format_ident!("{}_{}", operation, presence);
        // A nullable field is passed whole, as the `Option` (through `Nullable`) that it is.
        let model = if f.nullable() && !f.kind.flatten {
            &f.field.ty
        } else {
            f.model_value
        };
        quote!(#krate::__private::#function::<#shape, #model>(#args))
    }

    fn impl_patchable(&self) -> TokenStream {
        let krate = &self.krate;
        let (impl_generics, _, _) = self.input.generics.split_for_impl();
        let patch = self.patch_type();
        let model = self.model_type();
        let where_clause = self.where_clause(self.apply_bounds());
        let allows = self.allows();
        // Only a nested patch can fail: it may have to build an object from nothing.
        let checks = self
            .fields
            .iter()
            .filter(|f| matches!(f.kind.shape, Shape::Nested))
            .map(|f| {
                let ident = f.field.ident;
                let cfgs = f.cfgs();
                let check = self.call(f, "check", quote!(&self.#ident, &__patch.#ident));
                quote!(#(#cfgs)* #check?;)
            });
        let applies = self.fields.iter().map(|f| {
            let ident = f.field.ident;
            let cfgs = f.cfgs();
            let apply = self.call(f, "apply", quote!(&mut self.#ident, __patch.#ident));
            quote!(#(#cfgs)* #apply?;)
        });
        quote! {
            #[automatically_derived]
            #allows
            impl #impl_generics #krate::Patchable for #model #where_clause {
                type Patch = #patch;

                #[inline]
                fn check_patch(&self, __patch: &Self::Patch) -> ::core::result::Result<(), #krate::ApplyError> {
                    let _ = __patch;
                    #(#checks)*
                    ::core::result::Result::Ok(())
                }

                #[inline]
                fn apply_checked(&mut self, __patch: Self::Patch) -> ::core::result::Result<(), #krate::ApplyError> {
                    let _ = &__patch;
                    #(#applies)*
                    ::core::result::Result::Ok(())
                }
            }
        }
    }

    fn impl_from_patch(&self) -> TokenStream {
        let krate = &self.krate;
        let input = self.input;
        let (impl_generics, _, _) = input.generics.split_for_impl();
        let model = self.model_type();
        let allows = self.allows();
        let mut bounds = self.apply_bounds();
        for field in input.fields.iter().filter(|field| field.kind.is_none()) {
            bounds.push(self.conditional_bound(&field.ty, quote!(::core::default::Default)));
        }
        for f in self
            .fields
            .iter()
            .filter(|f| matches!(f.kind.shape, Shape::Nested))
        {
            bounds.push(self.conditional_bound(f.model_value, quote!(#krate::FromPatch)));
        }
        let where_clause = self.where_clause(bounds);
        // A required field must be present; a nested patch must build its object.
        let checks = self
            .fields
            .iter()
            .filter(|f| matches!(f.kind.shape, Shape::Nested) || !(f.nullable() || f.kind.flatten))
            .map(|f| {
                let ident = f.field.ident;
                let cfgs = f.cfgs();
                let check = self.call(f, "check_build", quote!(&__patch.#ident));
                quote!(#(#cfgs)* #check?;)
            });
        let values = input.fields.iter().map(|field| {
            let ident = field.ident;
            let cfgs = field.cfgs();
            let value = match self.fields.iter().find(|f| f.field.ident == ident) {
                Some(f) => {
                    let build = self.call(f, "build", quote!(__patch.#ident));
                    quote!(#build?)
                }
                None => quote!(::core::default::Default::default()),
            };
            quote!(#(#cfgs)* #ident: #value,)
        });
        let model_ident = input.ident;
        quote! {
            #[automatically_derived]
            #allows
            impl #impl_generics #krate::FromPatch for #model #where_clause {
                #[inline]
                fn check_from_patch(__patch: &Self::Patch) -> ::core::result::Result<(), #krate::ApplyError> {
                    let _ = __patch;
                    #(#checks)*
                    ::core::result::Result::Ok(())
                }

                #[inline]
                fn from_patch(__patch: Self::Patch) -> ::core::result::Result<Self, #krate::ApplyError> {
                    let _ = &__patch;
                    ::core::result::Result::Ok(#model_ident {
                        #(#values)*
                    })
                }
            }
        }
    }

    fn impl_diff(&self) -> TokenStream {
        let krate = &self.krate;
        let (impl_generics, _, _) = self.input.generics.split_for_impl();
        let model = self.model_type();
        let allows = self.allows();
        let mut bounds = self.apply_bounds();
        for f in &self.fields {
            let bound = match f.kind.shape {
                Shape::Plain => quote!(::core::cmp::PartialEq + ::core::clone::Clone),
                Shape::Json => quote!(#krate::MergeJson),
                Shape::Nested => quote!(#krate::Diff),
                Shape::Map { .. } => quote!(#krate::DiffMap),
            };
            bounds.push(self.conditional_bound(f.model_value, bound));
        }
        let where_clause = self.where_clause(bounds);
        let patch_ident = &self.input.patch;
        let hidden = self.hidden_inits();
        let diffs = self.fields.iter().map(|f| {
            let ident = f.field.ident;
            let cfgs = f.cfgs();
            let diff = self.call_unnamed(f, "diff", quote!(&self.#ident, &__target.#ident));
            quote!(#(#cfgs)* #ident: #diff,)
        });
        let fulls = self.fields.iter().map(|f| {
            let ident = f.field.ident;
            let cfgs = f.cfgs();
            let full = self.call_unnamed(f, "full", quote!(&self.#ident));
            quote!(#(#cfgs)* #ident: #full,)
        });
        quote! {
            #[automatically_derived]
            #allows
            impl #impl_generics #krate::Diff for #model #where_clause {
                #[inline]
                fn diff_patch(&self, __target: &Self) -> Self::Patch {
                    #patch_ident {
                        #(#diffs)*
                        #hidden
                    }
                }

                #[inline]
                fn to_patch(&self) -> Self::Patch {
                    #patch_ident {
                        #(#fulls)*
                        #hidden
                    }
                }
            }
        }
    }

    // ----- Serialize, Deserialize -----

    /// The patch's `Serialize` and `Deserialize`, when `own_serde` holds: one runtime call per
    /// field to write it, and the runtime's map visitor, given the patch's keys and one
    /// `read_field` arm per field, to read it.
    fn impl_serde(&self) -> TokenStream {
        if !self.own_serde {
            return TokenStream::new();
        }
        let krate = &self.krate;
        let private = quote!(#krate::__private);
        let serde = quote!(#private::serde);
        let patch = &self.input.patch;
        let patch_name = patch.to_string();
        let allows = self.allows();
        // Each field's name, then its aliases: serde's order, for matching and for errors.
        let (names, numbers): (Vec<_>, Vec<_>) = self
            .fields
            .iter()
            .enumerate()
            .flat_map(|(index, f)| {
                let aliases = serde_aliases(&f.field.attrs.serde_kept);
                std::iter::once(f.field.de_name.clone())
                    .chain(aliases)
                    .map(move |key| (key, index))
            })
            .unzip();
        let len = self.fields.len();
        let deny_unknown = self
            .input
            .attrs
            .serde_kept
            .iter()
            .any(|meta| meta.path().is_ident("deny_unknown_fields"));
        let arms = self.fields.iter().enumerate().map(|(index, f)| {
            let ident = f.field.ident;
            let name = &f.field.de_name;
            let read = if f.nullable() {
                quote!(read_nullable)
            } else {
                quote!(read_required)
            };
            quote!(#index => #private::#read(__map, &mut self.#ident, #name),)
        });
        let ser_names = self.fields.iter().map(|f| &f.field.ser_name);
        let idents: Vec<_> = self.fields.iter().map(|f| f.field.ident).collect();
        quote! {
            #[automatically_derived]
            #allows
            impl #serde::Serialize for #patch {
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
            }

            #[automatically_derived]
            #allows
            impl #private::DeserializePatch for #patch {
                const NAME: &'static ::core::primitive::str = #patch_name;
                const KEYS: &'static #private::Keys = &#private::Keys {
                    names: &[#(#names),*],
                    fields: &[#(#numbers),*],
                    len: #len,
                    deny_unknown: #deny_unknown,
                };

                fn read_field<'de, __A: #serde::de::MapAccess<'de>>(
                    &mut self,
                    __index: ::core::primitive::usize,
                    __map: &mut __A,
                ) -> ::core::result::Result<(), __A::Error> {
                    match __index {
                        #(#arms)*
                        _ => #private::skip_value(__map),
                    }
                }
            }

            #[automatically_derived]
            #allows
            impl<'de> #serde::Deserialize<'de> for #patch {
                fn deserialize<__D: #serde::Deserializer<'de>>(
                    __deserializer: __D,
                ) -> ::core::result::Result<Self, __D::Error> {
                    #private::deserialize_patch(__deserializer)
                }
            }
        }
    }
}

/// Whether the patch's `Serialize` and `Deserialize` can be generated here (`impl_serde`)
/// instead of by serde's derives, whose code is several times larger: the patch is not generic,
/// has no hidden field and no other derive (which might read `#[serde]` attributes), and asks
/// nothing of serde beyond names (`rename`, `rename_all`, `alias`) and `deny_unknown_fields`;
/// no field is flattened, a map merged key by key, compiled conditionally or written or read
/// by a function of the user's.
fn own_serde(
    input: &Input<'_>,
    fields: &[PatchField<'_, '_>],
    needs_marker: bool,
    ignored: &[&Field<'_>],
) -> bool {
    let container_ok = input.attrs.serde_kept.iter().all(|meta| {
        meta.path().is_ident("rename_all") || meta.path().is_ident("deny_unknown_fields")
    });
    let field_ok = |f: &PatchField<'_, '_>| {
        let attrs = &f.field.attrs;
        !f.kind.flatten
            && !matches!(f.kind.shape, Shape::Map { .. })
            && f.cfgs().is_empty()
            && attrs.with.is_none()
            && attrs.serialize_with.is_none()
            && attrs.deserialize_with.is_none()
            && !attrs.serde_bound
            && attrs.serde_kept.iter().all(|meta| {
                meta.path().is_ident("rename")
                    || (meta.path().is_ident("alias") && serde_alias(meta).is_some())
            })
    };
    input.generics.params.is_empty()
        && input.generics.where_clause.is_none()
        && !needs_marker
        && ignored.is_empty()
        && !input.attrs.serde_bound
        && input.attrs.derives.is_empty()
        && container_ok
        && fields.iter().all(field_ok)
}
