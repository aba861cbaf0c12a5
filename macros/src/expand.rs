//! Code generation: the patch struct and the trait impls.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DeriveInput, GenericParam, Type, WherePredicate};

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
    match parsed {
        Some(parsed) => Ok(Expansion::new(&parsed).all()),
        None => Ok(TokenStream::new()),
    }
}

/// One field's pieces of generated code.
struct PatchField<'f, 'a> {
    field: &'f Field<'a>,
    kind: &'f Kind,
    /// The type of a value in the patch: `T`, `TPatch` or a map patch.
    value: TokenStream,
    /// The type of the patch field.
    ty: TokenStream,
}

struct Expansion<'f, 'a> {
    input: &'f Input<'a>,
    fields: Vec<PatchField<'f, 'a>>,
    krate: TokenStream,
    /// Whether some generic parameter is used by no patched field, so that the patch needs a
    /// marker field to use it.
    needs_marker: bool,
}

impl<'f, 'a> Expansion<'f, 'a> {
    fn new(input: &'f Input<'a>) -> Self {
        let krate = input.krate.to_token_stream();
        let fields: Vec<_> = input
            .patched()
            .map(|(field, kind)| {
                let model_value = kind.value(field.ty);
                let span = field.ty.span();
                let value = match &kind.shape {
                    Shape::Plain => model_value.to_token_stream(),
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
                    value,
                    ty,
                }
            })
            .collect();
        let used: BTreeSet<String> = input
            .patched()
            .flat_map(|(field, _)| ty::names_in(field.ty))
            .collect();
        let needs_marker = input.generics.params.iter().any(|param| match param {
            GenericParam::Type(param) => !used.contains(&param.ident.to_string()),
            GenericParam::Lifetime(param) => !used.contains(&param.lifetime.to_string()),
            GenericParam::Const(_) => false,
        });
        Expansion {
            input,
            fields,
            krate,
            needs_marker,
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

    /// `where` clause of the model plus `extra`.
    fn where_clause(&self, extra: impl IntoIterator<Item = TokenStream>) -> TokenStream {
        let own = self
            .input
            .generics
            .where_clause
            .iter()
            .flat_map(|clause| clause.predicates.iter())
            .map(WherePredicate::to_token_stream);
        let all: Vec<_> = own.chain(extra).collect();
        if all.is_empty() {
            TokenStream::new()
        } else {
            quote!(where #(#all,)*)
        }
    }

    /// The bounds that applying a patch needs: nested models are patchable, maps mergeable.
    fn apply_bounds(&self) -> Vec<TokenStream> {
        let krate = &self.krate;
        self.fields
            .iter()
            .filter_map(|f| {
                let value = f.kind.value(f.field.ty);
                let span = value.span();
                match (&f.kind.shape, &f.kind.presence) {
                    (Shape::Plain, _) => None,
                    (Shape::Nested, Presence::Nullable { .. }) if !f.kind.flatten => {
                        Some(quote_spanned!(span=> #value: #krate::Patchable + #krate::FromPatch))
                    }
                    (Shape::Nested, _) => Some(quote_spanned!(span=> #value: #krate::Patchable)),
                    (Shape::Map { .. }, _) => Some(quote_spanned!(span=> #value: #krate::MergeMap)),
                }
            })
            .collect()
    }

    fn patch_ident_with_generics(&self) -> TokenStream {
        let patch = &self.input.patch;
        let (_, ty_generics, _) = self.input.generics.split_for_impl();
        quote!(#patch #ty_generics)
    }

    fn model_with_generics(&self) -> TokenStream {
        let model = self.input.ident;
        let (_, ty_generics, _) = self.input.generics.split_for_impl();
        quote!(#model #ty_generics)
    }

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
        let model_name = input.ident.to_string();
        let doc = format!(
            " A JSON merge patch (RFC 7396) of `{model_name}`: each field is absent (not sent), null \
             (sent as `null`, where the attribute is nullable) or a value.\n\n Generated by \
             `#[derive(Patchable)]`; apply it with `Patchable::apply`."
        );
        let fields = self.fields.iter().map(|f| self.field_definition(f));
        let phantom = self.phantom_definition();
        quote! {
            #[doc = #doc]
            #[derive(#krate::__private::serde::Serialize, #krate::__private::serde::Deserialize #(, #derives)*)]
            #[serde(crate = #serde_crate)]
            #container_serde
            #vis struct #patch #generics #where_clause {
                #(#fields,)*
                #phantom
            }
        }
    }

    /// Bounds that the struct itself needs: a nested patch type is only well formed when the
    /// nested model is patchable.
    fn struct_bounds(&self) -> Vec<TokenStream> {
        let params: BTreeSet<String> = self
            .input
            .generics
            .params
            .iter()
            .filter_map(|param| match param {
                GenericParam::Type(param) => Some(param.ident.to_string()),
                _ => None,
            })
            .collect();
        let krate = &self.krate;
        self.fields
            .iter()
            .filter(|f| !matches!(f.kind.shape, Shape::Plain))
            .filter(|f| !ty::names_in(f.field.ty).is_disjoint(&params))
            .map(|f| {
                let value = f.kind.value(f.field.ty);
                match f.kind.shape {
                    Shape::Map { .. } => quote!(#value: #krate::MergeMap),
                    _ => quote!(#value: #krate::Patchable),
                }
            })
            .collect()
    }

    fn phantom_definition(&self) -> TokenStream {
        if !self.needs_marker {
            return TokenStream::new();
        }
        // The model itself, rather than the unused parameters alone, so that the patch also
        // takes the model's inferred outlives bounds (`T: 'a` for a `&'a T` field).
        let model = self.model_with_generics();
        quote! {
            #[serde(skip)]
            __phantom: ::core::marker::PhantomData<fn() -> #model>,
        }
    }

    fn phantom_value(&self) -> TokenStream {
        if !self.needs_marker {
            TokenStream::new()
        } else {
            quote!(__phantom: ::core::marker::PhantomData,)
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
            added.push(quote!(default));
            let skip = match f.kind.presence {
                Presence::Required => quote!(::core::option::Option::is_none),
                Presence::Nullable { .. } => quote!(#krate::Field::is_absent),
            };
            let skip = skip.to_string();
            added.push(quote!(skip_serializing_if = #skip));
        }
        if let Some(path) = self.serialize_helper(f) {
            added.push(quote!(serialize_with = #path));
        }
        if let Some(path) = self.deserialize_helper(f) {
            added.push(quote!(deserialize_with = #path));
        }
        if self.mentions_type_param(field.ty) {
            // serde would bound the parameters themselves; the patch needs its value type bound,
            // which for a nested model is a projection that serde cannot see through.
            let value = &f.value;
            let serialize = quote!(#value: #krate::__private::serde::Serialize).to_string();
            let deserialize =
                quote!(#value: #krate::__private::serde::Deserialize<'de>).to_string();
            added.push(quote!(bound(serialize = #serialize, deserialize = #deserialize)));
        }
        let added = if added.is_empty() {
            TokenStream::new()
        } else {
            quote!(#[serde(#(#added),*)])
        };
        quote! {
            #(#carried)*
            #kept
            #added
            #vis #ident: #ty
        }
    }

    /// `ty: bound`, as a bound that leaves the impl out when it does not hold, instead of
    /// failing the build: a bound on a concrete type is made higher-ranked, since Rust rejects
    /// a plain one that is false ("trivial bounds"), while a bound on a generic type is kept
    /// plain, so that it keeps the implied bounds of the impl.
    fn conditional_bound(&self, ty: &dyn ToTokens, bound: TokenStream) -> TokenStream {
        let names = ty::names_in_tokens(ty.to_token_stream());
        let generic = self.input.generics.params.iter().any(|param| match param {
            GenericParam::Type(param) => names.contains(&param.ident.to_string()),
            GenericParam::Lifetime(param) => names.contains(&param.lifetime.to_string()),
            GenericParam::Const(param) => names.contains(&param.ident.to_string()),
        });
        if generic {
            quote!(#ty: #bound)
        } else {
            quote!(for<'__sparse_patch> #ty: #bound)
        }
    }

    fn mentions_type_param(&self, ty: &Type) -> bool {
        let names = ty::names_in(ty);
        self.input.generics.params.iter().any(|param| match param {
            GenericParam::Type(param) => names.contains(&param.ident.to_string()),
            _ => false,
        })
    }

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

    /// The path of the generated function that serializes this field, if it needs one.
    fn serialize_helper(&self, f: &PatchField<'_, '_>) -> Option<String> {
        let krate = &self.krate;
        let attrs = &f.field.attrs;
        let custom = attrs.serialize_with.is_some() || attrs.with.is_some();
        match (&f.kind.shape, f.kind.flatten) {
            (Shape::Map { .. }, true) => {
                Some(quote!(#krate::__private::serialize_map_patch).to_string())
            }
            (Shape::Map { .. }, false) | (Shape::Plain, false)
                if custom || matches!(f.kind.shape, Shape::Map { .. }) =>
            {
                Some(self.helper_path(f, "serialize"))
            }
            _ => None,
        }
    }

    /// The path of the generated function that deserializes this field, if it needs one.
    fn deserialize_helper(&self, f: &PatchField<'_, '_>) -> Option<String> {
        let attrs = &f.field.attrs;
        let custom = attrs.deserialize_with.is_some() || attrs.with.is_some();
        let needed = !f.kind.flatten && (matches!(f.kind.presence, Presence::Required) || custom);
        needed.then(|| self.helper_path(f, "deserialize"))
    }

    /// The bodies of the serialize and deserialize helpers.
    fn helpers(&self) -> Vec<TokenStream> {
        let krate = &self.krate;
        let serde = quote!(#krate::__private::serde);
        let mut helpers = Vec::new();
        for f in &self.fields {
            let attrs = &f.field.attrs;
            let value = &f.value;
            let ty = &f.ty;
            if self.serialize_helper(f).is_some() && !f.kind.flatten {
                let helper = Self::helper_ident(f, "serialize");
                let write = match (&attrs.serialize_with, &attrs.with, &f.kind.shape) {
                    (Some((path, _)), _, _) => quote!(#path(value, serializer)),
                    (None, Some((module, _)), _) => quote!(#module::serialize(value, serializer)),
                    (None, None, _) => {
                        quote!(#krate::__private::serialize_map_patch(value, serializer))
                    }
                };
                let pattern = match f.kind.presence {
                    Presence::Required => quote!(::core::option::Option::Some(value)),
                    Presence::Nullable { .. } => quote!(#krate::Field::Value(value)),
                };
                helpers.push(quote! {
                    #[doc(hidden)]
                    fn #helper<__S: #serde::Serializer>(
                        field: &#ty,
                        serializer: __S,
                    ) -> ::core::result::Result<__S::Ok, __S::Error> {
                        match field {
                            #pattern => #write,
                            _ => #serde::Serializer::serialize_none(serializer),
                        }
                    }
                });
            }
            if self.deserialize_helper(f).is_some() {
                let helper = Self::helper_ident(f, "deserialize");
                let name = &f.field.de_name;
                let wrap = match f.kind.presence {
                    Presence::Required => quote!(::core::option::Option::Some),
                    Presence::Nullable { .. } => quote!(#krate::Field::from),
                };
                let body = match (&attrs.deserialize_with, &attrs.with) {
                    (Some((path, _)), _) => {
                        quote!(::core::result::Result::map(#path(deserializer), #wrap))
                    }
                    (None, Some((module, _))) => {
                        quote!(::core::result::Result::map(#module::deserialize(deserializer), #wrap))
                    }
                    (None, None) => {
                        quote!(#krate::__private::deserialize_required(deserializer, #name))
                    }
                };
                helpers.push(quote! {
                    #[doc(hidden)]
                    fn #helper<'de, __D: #serde::Deserializer<'de>>(
                        deserializer: __D,
                    ) -> ::core::result::Result<#ty, __D::Error>
                    where
                        #value: #serde::Deserialize<'de>,
                    {
                        #body
                    }
                });
            }
        }
        helpers
    }

    fn inherent(&self) -> TokenStream {
        let input = self.input;
        let krate = &self.krate;
        let vis = input.vis;
        let (impl_generics, _, _) = input.generics.split_for_impl();
        let patch = self.patch_ident_with_generics();
        let where_clause = self.where_clause(self.struct_bounds());
        let setters = self.fields.iter().map(|f| self.setters(f));
        let helpers = self.helpers();
        quote! {
            #[automatically_derived]
            #[allow(dead_code, clippy::all, clippy::pedantic)]
            impl #impl_generics #patch #where_clause {
                /// An empty patch: every field absent, serialized as `{}`.
                #[must_use]
                #vis fn new() -> Self {
                    ::core::default::Default::default()
                }

                /// Returns `true` when every field is absent: the patch serializes as `{}` and
                /// changes nothing.
                #[must_use]
                #vis fn is_empty(&self) -> bool {
                    <Self as #krate::Patch>::is_empty(self)
                }

                #(#setters)*
                #(#helpers)*
            }
        }
    }

    fn setters(&self, f: &PatchField<'_, '_>) -> TokenStream {
        let krate = &self.krate;
        let field = f.field;
        let ident = field.ident;
        // Setters have the patch's visibility: applying and deserializing a patch can set every
        // patched field anyway, so a private field gains no protection from a private setter.
        let vis = self.input.vis;
        let value = &f.value;
        let carried_cfg = field
            .attrs
            .carried
            .iter()
            .filter(|a| a.path().is_ident("cfg"));
        let cfg: Vec<_> = carried_cfg.collect();
        let name = &field.ser_name;
        let set = match (&f.kind.presence, f.kind.flatten) {
            (_, true) => quote!(value),
            (Presence::Required, false) => quote!(::core::option::Option::Some(value)),
            (Presence::Nullable { .. }, false) => quote!(#krate::Field::Value(value)),
        };
        let doc = format!(" Sets `{name}` to a value: the patch sends `\"{name}\": value`.");
        let mut out = quote! {
            #[doc = #doc]
            #(#cfg)*
            #[must_use]
            #vis fn #ident(mut self, value: impl ::core::convert::Into<#value>) -> Self {
                let value = ::core::convert::Into::into(value);
                self.#ident = #set;
                self
            }
        };
        if matches!(f.kind.presence, Presence::Nullable { .. }) && !f.kind.flatten {
            let clear = format_ident!("clear_{}", field.unraw());
            let doc = format!(" Clears `{name}`: the patch sends `\"{name}\": null`.");
            out.extend(quote! {
                #[doc = #doc]
                #(#cfg)*
                #[must_use]
                #vis fn #clear(mut self) -> Self {
                    self.#ident = #krate::Field::Null;
                    self
                }
            });
        }
        out
    }

    fn std_traits(&self) -> TokenStream {
        let (impl_generics, _, _) = self.input.generics.split_for_impl();
        let patch = self.patch_ident_with_generics();
        let struct_bounds = self.struct_bounds();
        let bounds = |trait_path: TokenStream| -> TokenStream {
            let extra = self
                .fields
                .iter()
                .map(|f| self.conditional_bound(&f.ty, trait_path.clone()))
                .chain(struct_bounds.clone());
            self.where_clause(extra)
        };
        let idents: Vec<_> = self.fields.iter().map(|f| f.field.ident).collect();
        let cfgs: Vec<Vec<_>> = self
            .fields
            .iter()
            .map(|f| {
                f.field
                    .attrs
                    .carried
                    .iter()
                    .filter(|a| a.path().is_ident("cfg"))
                    .collect()
            })
            .collect();
        let names: Vec<_> = idents
            .iter()
            .map(|ident| syn::ext::IdentExt::unraw(*ident).to_string())
            .collect();
        let phantom = self.phantom_value();
        let patch_name = self.input.patch.to_string();
        let default_where = self.where_clause(struct_bounds.clone());
        let clone_where = bounds(quote!(::core::clone::Clone));
        let debug_where = bounds(quote!(::core::fmt::Debug));
        let eq_where = bounds(quote!(::core::cmp::PartialEq));
        let phantom_eq = TokenStream::new();
        quote! {
            #[automatically_derived]
            impl #impl_generics ::core::default::Default for #patch #default_where {
                fn default() -> Self {
                    Self {
                        #( #(#cfgs)* #idents: ::core::default::Default::default(), )*
                        #phantom
                    }
                }
            }

            #[automatically_derived]
            impl #impl_generics ::core::clone::Clone for #patch #clone_where {
                fn clone(&self) -> Self {
                    Self {
                        #( #(#cfgs)* #idents: ::core::clone::Clone::clone(&self.#idents), )*
                        #phantom
                    }
                }
            }

            #[automatically_derived]
            impl #impl_generics ::core::fmt::Debug for #patch #debug_where {
                fn fmt(&self, formatter: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    let mut debug = ::core::fmt::Formatter::debug_struct(formatter, #patch_name);
                    #( #(#cfgs)* ::core::fmt::DebugStruct::field(&mut debug, #names, &self.#idents); )*
                    ::core::fmt::DebugStruct::finish(&mut debug)
                }
            }

            #[automatically_derived]
            impl #impl_generics ::core::cmp::PartialEq for #patch #eq_where {
                fn eq(&self, other: &Self) -> bool {
                    true #( && { #(#cfgs)* { ::core::cmp::PartialEq::eq(&self.#idents, &other.#idents) } } )* #phantom_eq
                }
            }
        }
    }

    fn impl_patch(&self) -> TokenStream {
        let krate = &self.krate;
        let (impl_generics, _, _) = self.input.generics.split_for_impl();
        let patch = self.patch_ident_with_generics();
        let model = self.model_with_generics();
        let where_clause = self.where_clause(self.apply_bounds());
        let checks = self.fields.iter().map(|f| {
            let ident = f.field.ident;
            let model_value = f.kind.value(f.field.ty);
            match (&f.kind.presence, f.kind.flatten, &f.kind.shape) {
                (_, true, Shape::Map { .. }) => {
                    quote!(<#model_value as #krate::MergeMap>::is_empty_patch(&self.#ident))
                }
                (_, true, _) => quote!(#krate::Patch::is_empty(&self.#ident)),
                (Presence::Required, false, _) => {
                    quote!(::core::option::Option::is_none(&self.#ident))
                }
                (Presence::Nullable { .. }, false, _) => {
                    quote!(#krate::Field::is_absent(&self.#ident))
                }
            }
        });
        quote! {
            #[automatically_derived]
            impl #impl_generics #krate::Patch for #patch #where_clause {
                type Model = #model;

                fn is_empty(&self) -> bool {
                    true #(&& #checks)*
                }
            }
        }
    }

    fn impl_patchable(&self) -> TokenStream {
        let krate = &self.krate;
        let (impl_generics, _, _) = self.input.generics.split_for_impl();
        let patch_ident = &self.input.patch;
        let patch = self.patch_ident_with_generics();
        let model = self.model_with_generics();
        let where_clause = self.where_clause(self.apply_bounds());
        let idents: Vec<_> = self.fields.iter().map(|f| f.field.ident).collect();
        let checks = self.fields.iter().map(|f| {
            let ident = f.field.ident;
            let name = &f.field.ser_name;
            let value = f.kind.value(f.field.ty);
            let within = quote!(|error| #krate::ApplyError::within(error, #name));
            match (&f.kind.shape, &f.kind.presence, f.kind.flatten) {
                (Shape::Nested, _, true) => quote! {
                    #krate::Patchable::check_patch(&self.#ident, &patch.#ident)?;
                },
                (Shape::Nested, Presence::Required, false) => quote! {
                    if let ::core::option::Option::Some(nested) = &patch.#ident {
                        #krate::Patchable::check_patch(&self.#ident, nested).map_err(#within)?;
                    }
                },
                (Shape::Nested, Presence::Nullable { .. }, false) => quote! {
                    if let #krate::Field::Value(nested) = &patch.#ident {
                        match &self.#ident {
                            ::core::option::Option::Some(current) => {
                                #krate::Patchable::check_patch(current, nested).map_err(#within)?
                            }
                            ::core::option::Option::None => {
                                <#value as #krate::FromPatch>::check_from_patch(nested).map_err(#within)?
                            }
                        }
                    }
                },
                _ => TokenStream::new(),
            }
        });
        let applies = self.fields.iter().map(|f| {
            let ident = f.field.ident;
            let name = &f.field.ser_name;
            let value = f.kind.value(f.field.ty);
            let within = quote!(|error| #krate::ApplyError::within(error, #name));
            match (&f.kind.shape, &f.kind.presence, f.kind.flatten) {
                (Shape::Plain, Presence::Required, _) => quote! {
                    if let ::core::option::Option::Some(value) = #ident {
                        self.#ident = value;
                    }
                },
                (Shape::Plain, Presence::Nullable { .. }, _) => quote! {
                    #krate::Field::apply_to(#ident, &mut self.#ident);
                },
                (Shape::Nested, _, true) => quote! {
                    #krate::Patchable::apply_checked(&mut self.#ident, #ident)?;
                },
                (Shape::Nested, Presence::Required, false) => quote! {
                    if let ::core::option::Option::Some(nested) = #ident {
                        #krate::Patchable::apply_checked(&mut self.#ident, nested).map_err(#within)?;
                    }
                },
                (Shape::Nested, Presence::Nullable { .. }, false) => quote! {
                    match #ident {
                        #krate::Field::Absent => {}
                        #krate::Field::Null => self.#ident = ::core::option::Option::None,
                        #krate::Field::Value(nested) => match &mut self.#ident {
                            ::core::option::Option::Some(current) => {
                                #krate::Patchable::apply_checked(current, nested).map_err(#within)?
                            }
                            ::core::option::Option::None => {
                                self.#ident = ::core::option::Option::Some(
                                    <#value as #krate::FromPatch>::from_patch(nested).map_err(#within)?,
                                )
                            }
                        },
                    }
                },
                (Shape::Map { .. }, _, true) => quote! {
                    #krate::MergeMap::merge(&mut self.#ident, #ident);
                },
                (Shape::Map { .. }, Presence::Required, false) => quote! {
                    if let ::core::option::Option::Some(map) = #ident {
                        #krate::MergeMap::merge(&mut self.#ident, map);
                    }
                },
                (Shape::Map { .. }, Presence::Nullable { .. }, false) => quote! {
                    match #ident {
                        #krate::Field::Absent => {}
                        #krate::Field::Null => self.#ident = ::core::option::Option::None,
                        #krate::Field::Value(map) => match &mut self.#ident {
                            ::core::option::Option::Some(current) => #krate::MergeMap::merge(current, map),
                            ::core::option::Option::None => {
                                self.#ident = ::core::option::Option::Some(
                                    <#value as #krate::MergeMap>::from_patch(map),
                                )
                            }
                        },
                    }
                },
            }
        });
        let cfgs = self.cfgs();
        let rest = if !self.needs_marker {
            TokenStream::new()
        } else {
            quote!(..)
        };
        quote! {
            #[automatically_derived]
            impl #impl_generics #krate::Patchable for #model #where_clause {
                type Patch = #patch;

                fn check_patch(&self, patch: &Self::Patch) -> ::core::result::Result<(), #krate::ApplyError> {
                    let _ = patch;
                    #( #(#cfgs)* { #checks } )*
                    ::core::result::Result::Ok(())
                }

                fn apply_checked(&mut self, patch: Self::Patch) -> ::core::result::Result<(), #krate::ApplyError> {
                    let #patch_ident { #( #(#cfgs)* #idents, )* #rest } = patch;
                    #( #(#cfgs)* { #applies } )*
                    ::core::result::Result::Ok(())
                }
            }
        }
    }

    fn cfgs(&self) -> Vec<Vec<&syn::Attribute>> {
        self.fields
            .iter()
            .map(|f| {
                f.field
                    .attrs
                    .carried
                    .iter()
                    .filter(|a| a.path().is_ident("cfg"))
                    .collect()
            })
            .collect()
    }

    fn impl_from_patch(&self) -> TokenStream {
        let krate = &self.krate;
        let input = self.input;
        let (impl_generics, _, _) = input.generics.split_for_impl();
        let model = self.model_with_generics();
        let mut bounds = self.apply_bounds();
        for field in &input.fields {
            if field.kind.is_none() {
                bounds.push(self.conditional_bound(field.ty, quote!(::core::default::Default)));
            }
        }
        for f in &self.fields {
            if matches!(f.kind.shape, Shape::Nested) {
                let value = f.kind.value(f.field.ty);
                bounds.push(self.conditional_bound(value, quote!(#krate::FromPatch)));
            }
        }
        let where_clause = self.where_clause(bounds);
        let missing = |name: &str| quote!(#krate::ApplyError::missing_required(#name));
        let checks = self.fields.iter().map(|f| {
            let ident = f.field.ident;
            let name = &f.field.ser_name;
            let value = f.kind.value(f.field.ty);
            let missing = missing(name);
            let within = quote!(|error| #krate::ApplyError::within(error, #name));
            match (&f.kind.shape, &f.kind.presence, f.kind.flatten) {
                (Shape::Nested, _, true) => quote! {
                    <#value as #krate::FromPatch>::check_from_patch(&patch.#ident)?;
                },
                (Shape::Nested, Presence::Required, false) => quote! {
                    match &patch.#ident {
                        ::core::option::Option::Some(nested) => {
                            <#value as #krate::FromPatch>::check_from_patch(nested).map_err(#within)?
                        }
                        ::core::option::Option::None => return ::core::result::Result::Err(#missing),
                    }
                },
                (Shape::Nested, Presence::Nullable { .. }, false) => quote! {
                    if let #krate::Field::Value(nested) = &patch.#ident {
                        <#value as #krate::FromPatch>::check_from_patch(nested).map_err(#within)?;
                    }
                },
                (_, Presence::Required, false) => quote! {
                    if ::core::option::Option::is_none(&patch.#ident) {
                        return ::core::result::Result::Err(#missing);
                    }
                },
                _ => TokenStream::new(),
            }
        });
        let model_ident = input.ident;
        let patch_ident = &input.patch;
        let idents: Vec<_> = self.fields.iter().map(|f| f.field.ident).collect();
        let cfgs = self.cfgs();
        let rest = if !self.needs_marker {
            TokenStream::new()
        } else {
            quote!(..)
        };
        let values = input.fields.iter().map(|field| {
            let ident = field.ident;
            let cfg = field.attrs.carried.iter().filter(|a| a.path().is_ident("cfg"));
            let name = &field.ser_name;
            let missing = missing(name);
            let within = quote!(|error| #krate::ApplyError::within(error, #name));
            let value = match &field.kind {
                None => quote!(::core::default::Default::default()),
                Some(kind) => {
                    let model_value = kind.value(field.ty);
                    match (&kind.shape, &kind.presence, kind.flatten) {
                        (Shape::Nested, _, true) => {
                            quote!(<#model_value as #krate::FromPatch>::from_patch(#ident)?)
                        }
                        (Shape::Map { .. }, _, true) => {
                            quote!(<#model_value as #krate::MergeMap>::from_patch(#ident))
                        }
                        (Shape::Plain, Presence::Required, _) => quote! {
                            match #ident {
                                ::core::option::Option::Some(value) => value,
                                ::core::option::Option::None => return ::core::result::Result::Err(#missing),
                            }
                        },
                        (Shape::Map { .. }, Presence::Required, false) => quote! {
                            match #ident {
                                ::core::option::Option::Some(map) => <#model_value as #krate::MergeMap>::from_patch(map),
                                ::core::option::Option::None => return ::core::result::Result::Err(#missing),
                            }
                        },
                        (Shape::Plain, Presence::Nullable { .. }, _) => {
                            quote!(#krate::Field::into_value(#ident))
                        }
                        (Shape::Map { .. }, Presence::Nullable { .. }, false) => quote! {
                            ::core::option::Option::map(
                                #krate::Field::into_value(#ident),
                                <#model_value as #krate::MergeMap>::from_patch,
                            )
                        },
                        (Shape::Nested, Presence::Required, false) => quote! {
                            match #ident {
                                ::core::option::Option::Some(nested) => {
                                    <#model_value as #krate::FromPatch>::from_patch(nested).map_err(#within)?
                                }
                                ::core::option::Option::None => return ::core::result::Result::Err(#missing),
                            }
                        },
                        (Shape::Nested, Presence::Nullable { .. }, false) => quote! {
                            match #ident {
                                #krate::Field::Value(nested) => ::core::option::Option::Some(
                                    <#model_value as #krate::FromPatch>::from_patch(nested).map_err(#within)?,
                                ),
                                _ => ::core::option::Option::None,
                            }
                        },
                    }
                }
            };
            quote!(#(#cfg)* #ident: #value,)
        });
        quote! {
            #[automatically_derived]
            impl #impl_generics #krate::FromPatch for #model #where_clause {
                fn check_from_patch(patch: &Self::Patch) -> ::core::result::Result<(), #krate::ApplyError> {
                    let _ = patch;
                    #( #(#cfgs)* { #checks } )*
                    ::core::result::Result::Ok(())
                }

                fn from_patch(patch: Self::Patch) -> ::core::result::Result<Self, #krate::ApplyError> {
                    let #patch_ident { #( #(#cfgs)* #idents, )* #rest } = patch;
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
        let model = self.model_with_generics();
        let mut bounds = self.apply_bounds();
        for f in &self.fields {
            let value = f.kind.value(f.field.ty);
            let bound = match f.kind.shape {
                Shape::Plain => quote!(::core::cmp::PartialEq + ::core::clone::Clone),
                Shape::Nested => quote!(#krate::Diff),
                Shape::Map { .. } => quote!(#krate::DiffMap),
            };
            bounds.push(self.conditional_bound(value, bound));
        }
        let where_clause = self.where_clause(bounds);
        let patch_ident = &self.input.patch;
        let cfgs = self.cfgs();
        let idents: Vec<_> = self.fields.iter().map(|f| f.field.ident).collect();
        let diffs = self.fields.iter().map(|f| {
            let ident = f.field.ident;
            let value = f.kind.value(f.field.ty);
            let (diff, empty) = match f.kind.shape {
                Shape::Plain => (TokenStream::new(), TokenStream::new()),
                Shape::Nested => (
                    quote!(#krate::Diff::diff_patch),
                    quote!(#krate::Patch::is_empty),
                ),
                Shape::Map { .. } => (
                    quote!(#krate::DiffMap::diff_map),
                    quote!(<#value as #krate::MergeMap>::is_empty_patch),
                ),
            };
            let full = match f.kind.shape {
                Shape::Nested => quote!(#krate::Diff::to_patch),
                _ => quote!(#krate::DiffMap::to_map_patch),
            };
            match (&f.kind.shape, &f.kind.presence, f.kind.flatten) {
                (_, _, true) => quote!(#diff(&self.#ident, &target.#ident)),
                (Shape::Plain, Presence::Required, false) => quote! {
                    if self.#ident == target.#ident {
                        ::core::option::Option::None
                    } else {
                        ::core::option::Option::Some(::core::clone::Clone::clone(&target.#ident))
                    }
                },
                (Shape::Plain, Presence::Nullable { .. }, false) => {
                    quote!(#krate::Field::diff(&self.#ident, &target.#ident))
                }
                (_, Presence::Required, false) => quote! {
                    {
                        let patch = #diff(&self.#ident, &target.#ident);
                        if #empty(&patch) {
                            ::core::option::Option::None
                        } else {
                            ::core::option::Option::Some(patch)
                        }
                    }
                },
                (_, Presence::Nullable { .. }, false) => quote! {
                    match (&self.#ident, &target.#ident) {
                        (::core::option::Option::Some(current), ::core::option::Option::Some(target)) => {
                            let patch = #diff(current, target);
                            if #empty(&patch) {
                                #krate::Field::Absent
                            } else {
                                #krate::Field::Value(patch)
                            }
                        }
                        (::core::option::Option::None, ::core::option::Option::Some(target)) => {
                            #krate::Field::Value(#full(target))
                        }
                        (::core::option::Option::Some(_), ::core::option::Option::None) => #krate::Field::Null,
                        (::core::option::Option::None, ::core::option::Option::None) => #krate::Field::Absent,
                    }
                },
            }
        });
        let fulls = self.fields.iter().map(|f| {
            let ident = f.field.ident;
            let full = match f.kind.shape {
                Shape::Plain => quote!(::core::clone::Clone::clone),
                Shape::Nested => quote!(#krate::Diff::to_patch),
                Shape::Map { .. } => quote!(#krate::DiffMap::to_map_patch),
            };
            match (&f.kind.presence, f.kind.flatten) {
                (_, true) => quote!(#full(&self.#ident)),
                (Presence::Required, false) => {
                    quote!(::core::option::Option::Some(#full(&self.#ident)))
                }
                (Presence::Nullable { .. }, false) => quote! {
                    match &self.#ident {
                        ::core::option::Option::Some(value) => #krate::Field::Value(#full(value)),
                        ::core::option::Option::None => #krate::Field::Absent,
                    }
                },
            }
        });
        let phantom = self.phantom_value();
        quote! {
            #[automatically_derived]
            impl #impl_generics #krate::Diff for #model #where_clause {
                fn diff_patch(&self, target: &Self) -> Self::Patch {
                    #patch_ident {
                        #( #(#cfgs)* #idents: #diffs, )*
                        #phantom
                    }
                }

                fn to_patch(&self) -> Self::Patch {
                    #patch_ident {
                        #( #(#cfgs)* #idents: #fulls, )*
                        #phantom
                    }
                }
            }
        }
    }
}
