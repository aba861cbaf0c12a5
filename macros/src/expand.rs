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
use crate::attr::{Errors, serde_attr};
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
        Expansion {
            input,
            fields,
            krate,
            needs_marker,
            ignored,
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
        quote! {
            #definition
            #inherent
            #std_traits
            #patch
            #patchable
            #from_patch
            #diff
        }
    }

    // ----- generics and bounds -----

    /// Whether `tokens` mention one of the model's generic parameters.
    fn is_generic(&self, tokens: &dyn ToTokens) -> bool {
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
        let all: Vec<_> = own.chain(extra).collect();
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
        quote! {
            #[doc = #doc]
            #[derive(#krate::__private::serde::Serialize, #krate::__private::serde::Deserialize #(, #derives)*)]
            #[serde(crate = #serde_crate)]
            #container_serde
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

    fn helpers(&self) -> Vec<TokenStream> {
        let krate = &self.krate;
        let serde = quote!(#krate::__private::serde);
        let mut helpers = Vec::new();
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
                #vis fn new() -> Self {
                    ::core::default::Default::default()
                }

                /// Returns `true` when every field is absent: the patch serializes as `{}` and
                /// changes nothing.
                #[must_use]
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
        quote! {
            #[automatically_derived]
            #allows
            impl #impl_generics ::core::default::Default for #patch #default_where {
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
                fn fmt(&self, __formatter: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    let mut __debug = ::core::fmt::Formatter::debug_struct(__formatter, #patch_name);
                    #( #(#cfgs)* ::core::fmt::DebugStruct::field(&mut __debug, #names, &self.#idents); )*
                    ::core::fmt::DebugStruct::finish(&mut __debug)
                }
            }

            #[automatically_derived]
            #allows
            impl #impl_generics ::core::cmp::PartialEq for #patch #eq_where {
                fn eq(&self, __other: &Self) -> ::core::primitive::bool {
                    let mut __equal = true;
                    #( #(#cfgs)* { __equal = __equal && ::core::cmp::PartialEq::eq(&self.#idents, &__other.#idents); } )*
                    __equal
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
        let checks = self.fields.iter().map(|f| {
            let ident = f.field.ident;
            let model_value = f.model_value;
            let cfgs = f.cfgs();
            let empty = match (&f.kind.shape, f.kind.flatten, f.nullable()) {
                (Shape::Map { .. }, true, _) => {
                    quote!(<#model_value as #krate::MergeMap>::is_empty_patch(&self.#ident))
                }
                (Shape::Json, true, _) => {
                    quote!(<#model_value as #krate::MergeJson>::is_empty_patch(&self.#ident))
                }
                (_, true, _) => quote!(#krate::Patch::is_empty(&self.#ident)),
                (_, false, false) => quote!(::core::option::Option::is_none(&self.#ident)),
                (_, false, true) => quote!(#krate::Field::is_absent(&self.#ident)),
            };
            quote!(#(#cfgs)* { __empty = __empty && #empty; })
        });
        quote! {
            #[automatically_derived]
            #allows
            impl #impl_generics #krate::Patch for #patch #where_clause {
                type Model = #model;

                fn is_empty(&self) -> ::core::primitive::bool {
                    let mut __empty = true;
                    #(#checks)*
                    __empty
                }
            }
        }
    }

    // ----- Patchable -----

    /// `.map_err(...)` that puts the field's name in front of an error's path, or nothing for a
    /// flattened field, whose attributes sit in the parent.
    fn within(&self, f: &PatchField<'_, '_>) -> TokenStream {
        if f.kind.flatten {
            return TokenStream::new();
        }
        let krate = &self.krate;
        let name = &f.field.ser_name;
        quote!(.map_err(|__error| #krate::ApplyError::within(__error, #name)))
    }

    /// Applies the patch value `patch` to the model value behind `target` (a `&mut`).
    fn merge(
        &self,
        f: &PatchField<'_, '_>,
        target: TokenStream,
        patch: TokenStream,
    ) -> TokenStream {
        let krate = &self.krate;
        let within = self.within(f);
        match f.kind.shape {
            Shape::Plain => quote!(*#target = #patch),
            Shape::Json => quote!(#krate::MergeJson::merge(#target, #patch)),
            Shape::Map { .. } => quote!(#krate::MergeMap::merge(#target, #patch)),
            Shape::Nested => quote!(#krate::Patchable::apply_checked(#target, #patch) #within ?),
        }
    }

    /// Builds a model value from the patch value `patch`, as RFC 7396 merges into nothing.
    fn build(&self, f: &PatchField<'_, '_>, patch: TokenStream) -> TokenStream {
        let krate = &self.krate;
        let model_value = f.model_value;
        let within = self.within(f);
        match f.kind.shape {
            Shape::Plain => patch,
            Shape::Json => quote!(<#model_value as #krate::MergeJson>::from_patch(#patch)),
            Shape::Map { .. } => quote!(<#model_value as #krate::MergeMap>::from_patch(#patch)),
            Shape::Nested => {
                quote!(<#model_value as #krate::FromPatch>::from_patch(#patch) #within ?)
            }
        }
    }

    fn impl_patchable(&self) -> TokenStream {
        let krate = &self.krate;
        let (impl_generics, _, _) = self.input.generics.split_for_impl();
        let patch = self.patch_type();
        let model = self.model_type();
        let where_clause = self.where_clause(self.apply_bounds());
        let allows = self.allows();
        let checks = self.fields.iter().map(|f| {
            let ident = f.field.ident;
            let model_value = f.model_value;
            let within = self.within(f);
            let cfgs = f.cfgs();
            let check = match (&f.kind.shape, f.kind.flatten, f.nullable()) {
                (Shape::Nested, true, _) => quote! {
                    #krate::Patchable::check_patch(&self.#ident, &__patch.#ident)?;
                },
                (Shape::Nested, false, false) => quote! {
                    if let ::core::option::Option::Some(__nested) = &__patch.#ident {
                        #krate::Patchable::check_patch(&self.#ident, __nested) #within ?;
                    }
                },
                (Shape::Nested, false, true) => quote! {
                    if let #krate::Field::Value(__nested) = &__patch.#ident {
                        match &self.#ident {
                            ::core::option::Option::Some(__current) => {
                                #krate::Patchable::check_patch(__current, __nested)
                            }
                            ::core::option::Option::None => {
                                <#model_value as #krate::FromPatch>::check_from_patch(__nested)
                            }
                        } #within ?;
                    }
                },
                _ => return TokenStream::new(),
            };
            quote!(#(#cfgs)* { #check })
        });
        let applies = self.fields.iter().map(|f| {
            let ident = f.field.ident;
            let cfgs = f.cfgs();
            let apply = match (f.kind.flatten, f.nullable()) {
                (true, _) => {
                    let merge = self.merge(f, quote!(&mut self.#ident), quote!(__patch.#ident));
                    quote!(#merge;)
                }
                (false, false) => {
                    let merge = self.merge(f, quote!(&mut self.#ident), quote!(__value));
                    quote! {
                        if let ::core::option::Option::Some(__value) = __patch.#ident {
                            #merge;
                        }
                    }
                }
                (false, true) => {
                    let merge = self.merge(f, quote!(__current), quote!(__value));
                    let build = self.build(f, quote!(__value));
                    quote! {
                        match __patch.#ident {
                            #krate::Field::Absent => {}
                            #krate::Field::Null => self.#ident = ::core::option::Option::None,
                            #krate::Field::Value(__value) => match &mut self.#ident {
                                ::core::option::Option::Some(__current) => {
                                    #merge;
                                }
                                ::core::option::Option::None => {
                                    self.#ident = ::core::option::Option::Some(#build);
                                }
                            },
                        }
                    }
                }
            };
            quote!(#(#cfgs)* { #apply })
        });
        quote! {
            #[automatically_derived]
            #allows
            impl #impl_generics #krate::Patchable for #model #where_clause {
                type Patch = #patch;

                fn check_patch(&self, __patch: &Self::Patch) -> ::core::result::Result<(), #krate::ApplyError> {
                    let _ = __patch;
                    #(#checks)*
                    ::core::result::Result::Ok(())
                }

                fn apply_checked(&mut self, __patch: Self::Patch) -> ::core::result::Result<(), #krate::ApplyError> {
                    let _ = &__patch;
                    #(#applies)*
                    ::core::result::Result::Ok(())
                }
            }
        }
    }

    // ----- FromPatch -----

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
        let missing = |name: &str| quote!(::core::result::Result::Err(#krate::ApplyError::missing_required(#name)));
        let checks = self.fields.iter().map(|f| {
            let ident = f.field.ident;
            let model_value = f.model_value;
            let missing = missing(&f.field.ser_name);
            let within = self.within(f);
            let cfgs = f.cfgs();
            let nested = matches!(f.kind.shape, Shape::Nested);
            let check = match (nested, f.kind.flatten, f.nullable()) {
                (true, true, _) => quote! {
                    <#model_value as #krate::FromPatch>::check_from_patch(&__patch.#ident)?;
                },
                (true, false, false) => quote! {
                    match &__patch.#ident {
                        ::core::option::Option::Some(__nested) => {
                            <#model_value as #krate::FromPatch>::check_from_patch(__nested) #within ?
                        }
                        ::core::option::Option::None => return #missing,
                    }
                },
                (true, false, true) => quote! {
                    if let #krate::Field::Value(__nested) = &__patch.#ident {
                        <#model_value as #krate::FromPatch>::check_from_patch(__nested) #within ?;
                    }
                },
                (false, false, false) => quote! {
                    if ::core::option::Option::is_none(&__patch.#ident) {
                        return #missing;
                    }
                },
                _ => return TokenStream::new(),
            };
            quote!(#(#cfgs)* { #check })
        });
        let values = input.fields.iter().map(|field| {
            let ident = field.ident;
            let cfgs = field.cfgs();
            let Some(f) = self.fields.iter().find(|f| f.field.ident == ident) else {
                return quote!(#(#cfgs)* #ident: ::core::default::Default::default(),);
            };
            let missing = missing(&field.ser_name);
            let value = match (f.kind.flatten, f.nullable()) {
                (true, _) => self.build(f, quote!(__patch.#ident)),
                (false, false) => {
                    let build = self.build(f, quote!(__value));
                    quote! {
                        match __patch.#ident {
                            ::core::option::Option::Some(__value) => #build,
                            ::core::option::Option::None => return #missing,
                        }
                    }
                }
                (false, true) => {
                    let build = self.build(f, quote!(__value));
                    quote! {
                        match __patch.#ident {
                            #krate::Field::Value(__value) => ::core::option::Option::Some(#build),
                            _ => ::core::option::Option::None,
                        }
                    }
                }
            };
            quote!(#(#cfgs)* #ident: #value,)
        });
        let model_ident = input.ident;
        quote! {
            #[automatically_derived]
            #allows
            impl #impl_generics #krate::FromPatch for #model #where_clause {
                fn check_from_patch(__patch: &Self::Patch) -> ::core::result::Result<(), #krate::ApplyError> {
                    let _ = __patch;
                    #(#checks)*
                    ::core::result::Result::Ok(())
                }

                fn from_patch(__patch: Self::Patch) -> ::core::result::Result<Self, #krate::ApplyError> {
                    let _ = &__patch;
                    ::core::result::Result::Ok(#model_ident {
                        #(#values)*
                    })
                }
            }
        }
    }

    // ----- Diff -----

    /// The patch value from `current` to `target` (both references), as an `Option`: `None`
    /// when nothing changed.
    fn delta(
        &self,
        f: &PatchField<'_, '_>,
        current: TokenStream,
        target: TokenStream,
    ) -> TokenStream {
        let krate = &self.krate;
        let model_value = f.model_value;
        let (delta, empty) = match f.kind.shape {
            Shape::Plain => {
                return quote! {
                    if ::core::cmp::PartialEq::eq(#current, #target) {
                        ::core::option::Option::None
                    } else {
                        ::core::option::Option::Some(::core::clone::Clone::clone(#target))
                    }
                };
            }
            Shape::Json => {
                return quote! {
                    if ::core::cmp::PartialEq::eq(#current, #target) {
                        ::core::option::Option::None
                    } else {
                        ::core::option::Option::Some(#krate::MergeJson::diff(#current, #target))
                    }
                };
            }
            Shape::Nested => (
                quote!(#krate::Diff::diff_patch(#current, #target)),
                quote!(#krate::Patch::is_empty(&__delta)),
            ),
            Shape::Map { .. } => (
                quote!(#krate::DiffMap::diff_map(#current, #target)),
                quote!(<#model_value as #krate::MergeMap>::is_empty_patch(&__delta)),
            ),
        };
        quote! {
            {
                let __delta = #delta;
                if #empty {
                    ::core::option::Option::None
                } else {
                    ::core::option::Option::Some(__delta)
                }
            }
        }
    }

    /// The patch value that builds `value` (a reference) from nothing.
    fn full(&self, f: &PatchField<'_, '_>, value: TokenStream) -> TokenStream {
        let krate = &self.krate;
        match f.kind.shape {
            Shape::Plain | Shape::Json => quote!(::core::clone::Clone::clone(#value)),
            Shape::Nested => quote!(#krate::Diff::to_patch(#value)),
            Shape::Map { .. } => quote!(#krate::DiffMap::to_map_patch(#value)),
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
            let value = match (f.kind.flatten, f.nullable()) {
                (true, _) => match f.kind.shape {
                    Shape::Nested => quote!(#krate::Diff::diff_patch(&self.#ident, &__target.#ident)),
                    Shape::Map { .. } => {
                        quote!(#krate::DiffMap::diff_map(&self.#ident, &__target.#ident))
                    }
                    _ => quote!(#krate::MergeJson::diff(&self.#ident, &__target.#ident)),
                },
                (false, false) => self.delta(f, quote!(&self.#ident), quote!(&__target.#ident)),
                (false, true) => {
                    let delta = self.delta(f, quote!(__current), quote!(__wanted));
                    let full = self.full(f, quote!(__wanted));
                    quote! {
                        match (&self.#ident, &__target.#ident) {
                            (::core::option::Option::Some(__current), ::core::option::Option::Some(__wanted)) => {
                                <#krate::Field<_> as ::core::convert::From<_>>::from(
                                    ::core::option::Option::map(#delta, ::core::option::Option::Some),
                                )
                            }
                            (::core::option::Option::None, ::core::option::Option::Some(__wanted)) => {
                                #krate::Field::Value(#full)
                            }
                            (::core::option::Option::Some(_), ::core::option::Option::None) => #krate::Field::Null,
                            (::core::option::Option::None, ::core::option::Option::None) => #krate::Field::Absent,
                        }
                    }
                }
            };
            quote!(#(#cfgs)* #ident: #value,)
        });
        let fulls = self.fields.iter().map(|f| {
            let ident = f.field.ident;
            let cfgs = f.cfgs();
            let value = match (f.kind.flatten, f.nullable()) {
                (true, _) => self.full(f, quote!(&self.#ident)),
                (false, false) => {
                    let full = self.full(f, quote!(&self.#ident));
                    quote!(::core::option::Option::Some(#full))
                }
                (false, true) => {
                    let full = self.full(f, quote!(__value));
                    quote! {
                        match &self.#ident {
                            ::core::option::Option::Some(__value) => #krate::Field::Value(#full),
                            ::core::option::Option::None => #krate::Field::Absent,
                        }
                    }
                }
            };
            quote!(#(#cfgs)* #ident: #value,)
        });
        quote! {
            #[automatically_derived]
            #allows
            impl #impl_generics #krate::Diff for #model #where_clause {
                fn diff_patch(&self, __target: &Self) -> Self::Patch {
                    #patch_ident {
                        #(#diffs)*
                        #hidden
                    }
                }

                fn to_patch(&self) -> Self::Patch {
                    #patch_ident {
                        #(#fulls)*
                        #hidden
                    }
                }
            }
        }
    }
}
