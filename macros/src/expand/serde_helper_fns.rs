//! The helper functions that a patch's `serialize_with` and `deserialize_with` name, for a
//! patch whose serde code is serde's derives (`serde_derived` decides which fields get one),
//! and the user's own serde functions on a field (`with`, `serialize_with`,
//! `deserialize_with`) that they call: a nullable field's reader wrapped in the runtime's
//! `ReadWith`.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};

use super::context::{Context, local};
use crate::ast::{Field, Kind, ReadBound, Shape};

impl Context<'_, '_> {
    pub(super) fn serialize_helper_fn(
        &self,
        field: &Field<'_>,
        kind: &Kind,
        index: usize,
    ) -> Option<TokenStream> {
        if kind.flattened() {
            return None;
        }
        self.serialize_helper(field, kind)?;
        let krate = &self.krate;
        let serde = quote!(#krate::private::serde);
        let value = &kind.patch_value;
        let ty = &kind.patch_ty;
        let cfgs = field.cfgs();
        let present = if kind.nullable() {
            quote!(#krate::Field::Value(__value))
        } else {
            quote!(::core::option::Option::Some(__value))
        };
        let helper = self.helper_ident(field, "serialize");
        let name = &field.ser_name;
        let nullable = kind.nullable();
        let (write, bound) = match custom_serialize(field) {
            // The user's function takes the model's `&Option<T>`: it gets one holding a copy
            // of the value (the patch holds a `T`), built where the attribute is written, so
            // that a `T` without `Clone` is reported there, and is called through the runtime
            // (`write_with_impl`), which writes the format's `Some` of what it writes, so that
            // the reader tells a clear from a value in every format. `null` stays `null`.
            Some(_) if nullable => {
                let model_ty = &field.ty;
                let span = custom_serialize_span(field);
                // The derive's local, resolved as its own: the attribute may be a
                // `macro_rules!` caller's, whose hygiene cannot see it.
                let value_local = local("__value", span);
                let model =
                    quote_spanned!(span=> #krate::private::model_option::<#model_ty>(#value_local));
                let index = proc_macro2::Literal::usize_unsuffixed(index);
                let clone = field.generic.then(|| quote!(#value: ::core::clone::Clone));
                let bounds = clone
                    .into_iter()
                    .chain(self.user_serde_bounds(field, false));
                (
                    quote!(#krate::private::serialize_nullable_with::<Self, #index, __S>(
                        &#model,
                        __serializer,
                    )),
                    where_of(bounds),
                )
            }
            // Called where the attribute names it, so that a function of the wrong type is
            // reported there rather than at the `#[derive]`.
            Some(path) => {
                let bounds = self.user_serde_bounds(field, false);
                let span = custom_serialize_span(field);
                let (value, serializer) = (local("__value", span), local("__serializer", span));
                let call = quote_spanned!(span=> #path(#value, #serializer));
                // Typed at the call, so that a function returning another type is reported
                // there, not where its result meets the absent arm's.
                (
                    quote!({
                        let __written: ::core::result::Result<
                            <__S as #serde::Serializer>::Ok,
                            <__S as #serde::Serializer>::Error,
                        > = #call;
                        __written
                    }),
                    where_of(bounds),
                )
            }
            None if kind.checks_null && matches!(kind.shape, Shape::Map { .. }) => (
                quote!(#krate::private::serialize_checked_map(
                    __value,
                    __serializer,
                    ::core::option::Option::Some(#name),
                )),
                quote!(where #value: #krate::SerializeMapPatch + #krate::private::MapNullValues),
            ),
            None if kind.checks_null => (
                quote!(#krate::private::serialize_never_null(__value, __serializer, #name, #nullable)),
                quote!(where #value: #serde::Serialize),
            ),
            None if matches!(kind.shape, Shape::Map { .. }) => (
                quote!(#krate::SerializeMapPatch::serialize_map_patch(__value, __serializer)),
                quote!(where #value: #krate::SerializeMapPatch),
            ),
            // A plain or nested value, whose helper is there to name a `null` that the format
            // cannot write: generic over the value, so that the bound is the one serde's impl
            // states for the field (a nested patch's is a projection, `<N<T> as
            // Patchable>::Patch: Serialize`, which a bound on the named patch type would not
            // meet).
            None => (
                quote!(#serde::Serializer::serialize_some(__serializer, __value)),
                TokenStream::new(),
            ),
        };
        let generic_value = custom_serialize(field).is_none()
            && !kind.checks_null
            && !matches!(kind.shape, Shape::Map { .. });
        let (value_param, field_ty) = if !generic_value {
            (TokenStream::new(), quote!(#ty))
        } else if nullable {
            (quote!(, __V: #serde::Serialize), quote!(#krate::Field<__V>))
        } else {
            (
                quote!(, __V: #serde::Serialize),
                quote!(::core::option::Option<__V>),
            )
        };
        let absent = if nullable {
            quote!(#serde::Serialize::serialize(
                &#krate::private::Null(#krate::private::NullOf::Attribute),
                __serializer,
            ))
        } else {
            quote!(#serde::Serializer::serialize_none(__serializer))
        };
        Some(quote! {
            #[doc(hidden)]
            #(#cfgs)*
            fn #helper<__S: #serde::Serializer #value_param>(
                __field: &#field_ty,
                __serializer: __S,
            ) -> ::core::result::Result<<__S as #serde::Serializer>::Ok, <__S as #serde::Serializer>::Error>
            #bound
            {
                let __written = match __field {
                    #present => #write,
                    _ => #absent,
                };
                // A `null` that the format cannot write, inside a nested patch or a map
                // patch, is named by its path from this attribute.
                __written.map_err(|__error| #krate::private::name_unwritable_null(__error, #name))
            }
        })
    }

    pub(super) fn deserialize_helper_fn(
        &self,
        field: &Field<'_>,
        kind: &Kind,
        index: usize,
    ) -> Option<TokenStream> {
        // A flattened map's is the runtime's own.
        if kind.flattened() {
            return None;
        }
        self.deserialize_helper(field, kind)?;
        let krate = &self.krate;
        let serde = quote!(#krate::private::serde);
        let value = &kind.patch_value;
        let ty = &kind.patch_ty;
        let cfgs = field.cfgs();
        let helper = self.helper_ident(field, "deserialize");
        let name = &field.de_name;
        // The value is readable by the model's own bounds, which the helper's impl has; a
        // second bound would be ambiguous.
        let value_bound = (field.read_bound != ReadBound::Implied)
            .then(|| quote!(where #value: #serde::Deserialize<'de>));
        // The user's function needs what their serde `bound` states.
        let mut user_bounds = self.user_serde_bounds(field, true);
        user_bounds.extend(static_input(field));
        let (mut body, bound) = match custom_deserialize(field) {
            // `null` is a clear, read without the user's function, which may refuse it; the
            // function reads the values (`read_with_impl`).
            Some(_) if kind.nullable() => {
                let index = proc_macro2::Literal::usize_unsuffixed(index);
                (
                    quote!(#krate::private::deserialize_nullable_with::<Self, #index, __D>(
                        __deserializer
                    )),
                    where_of(user_bounds),
                )
            }
            // A required field's function returns the model field's type, as serde's derive
            // calls it (a nullable field's is called through `ReadWith`, whose `Model` names
            // the type for a generic one, `Option::deserialize`). Called where the attribute
            // names it, so that a function of the wrong type is reported there rather than at
            // the `#[derive]`.
            Some(path) => {
                // Only the call is spanned there: a path such as `::core::...` spanned at the
                // user's attribute takes the user's edition (2015 reads it from the crate root).
                let span = custom_deserialize_span(field);
                let deserializer = local("__deserializer", span);
                let call = quote_spanned!(span=> #path(#deserializer));
                (
                    quote!({
                        let __read: ::core::result::Result<#value, _> = #call;
                        ::core::result::Result::map(__read, ::core::option::Option::Some)
                    }),
                    where_of(user_bounds),
                )
            }
            // A concrete map type: the runtime's reader, which refuses a key given twice.
            None if field.unique_map_keys => {
                let read = if kind.nullable() {
                    quote!(deserialize_nullable_map)
                } else {
                    quote!(deserialize_required_map)
                };
                (
                    quote!(#krate::private::#read(__deserializer, #name)),
                    where_of(static_input(field)),
                )
            }
            None if kind.nullable() => (
                quote!(<#ty as #serde::Deserialize<'de>>::deserialize(__deserializer)),
                value_bound.unwrap_or_default(),
            ),
            None => {
                let nested = matches!(kind.shape, Shape::Nested);
                (
                    quote!(#krate::private::deserialize_required::<_, _, #nested>(
                        __deserializer,
                        #name
                    )),
                    value_bound.unwrap_or_default(),
                )
            }
        };
        if matches!(kind.shape, Shape::Nested) && kind.nullable() {
            // An error for `null` inside the nested patch names the path from this key down
            // (a required field's reader does it below its own check of `null`).
            body = quote!(#krate::private::nested_read(#body, #name));
        }
        Some(quote! {
            #[doc(hidden)]
            #(#cfgs)*
            fn #helper<'de, __D: #serde::Deserializer<'de>>(
                __deserializer: __D,
            ) -> ::core::result::Result<#ty, <__D as #serde::Deserializer<'de>>::Error>
            #bound
            {
                #body
            }
        })
    }

    /// The user's `serialize_with` function of a nullable field, as the runtime's `WriteWith`
    /// for the patch type (numbered by the field's place), which the serialize helper calls
    /// through `serialize_nullable_with`. A trait impl, as `read_with_impl`'s.
    pub(super) fn write_with_impl(
        &self,
        field: &Field<'_>,
        kind: &Kind,
        index: usize,
    ) -> Option<TokenStream> {
        if kind.flattened() || !kind.nullable() {
            return None;
        }
        let path = custom_serialize(field)?;
        let krate = &self.krate;
        let serde = quote!(#krate::private::serde);
        let model_ty = &field.ty;
        let cfgs = field.cfgs();
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        let span = custom_serialize_span(field);
        let (model, serializer) = (local("__model", span), local("__serializer", span));
        let call = quote_spanned!(span=> #path(#model, #serializer));
        let body = quote! {
            type Model = #model_ty;

            fn write<__S: #serde::Serializer>(
                __model: &#model_ty,
                __serializer: __S,
            ) -> ::core::result::Result<<__S as #serde::Serializer>::Ok, <__S as #serde::Serializer>::Error> {
                #call
            }
        };
        let mut bounds = self.struct_bounds();
        bounds.extend(self.user_serde_bounds(field, false));
        let block = self.impl_block(
            Some(quote!(#krate::private::WriteWith<#index>)),
            self.patch_type(),
            bounds,
            body,
        );
        Some(quote!(#(#cfgs)* #block))
    }

    /// The user's `deserialize_with` function of a nullable field, as the runtime's
    /// `ReadWith` for the patch type (numbered by the field's place): the runtime reads
    /// `null` as a clear and calls it for the values (`deserialize_nullable_with`). A trait
    /// impl rather than an item in the helper, so that it has the model's generics.
    pub(super) fn read_with_impl(
        &self,
        field: &Field<'_>,
        kind: &Kind,
        index: usize,
    ) -> Option<TokenStream> {
        if kind.flattened() || !kind.nullable() {
            return None;
        }
        let path = custom_deserialize(field)?;
        let krate = &self.krate;
        let serde = quote!(#krate::private::serde);
        let model_ty = &field.ty;
        let cfgs = field.cfgs();
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        let span = custom_deserialize_span(field);
        let deserializer = local("__deserializer", span);
        let call = quote_spanned!(span=> #path(#deserializer));
        let body = quote! {
            type Model = #model_ty;

            fn read<__D: #serde::Deserializer<'de>>(
                __deserializer: __D,
            ) -> ::core::result::Result<#model_ty, <__D as #serde::Deserializer<'de>>::Error> {
                #call
            }
        };
        let mut bounds = self.struct_bounds();
        bounds.extend(self.user_serde_bounds(field, true));
        bounds.extend(static_input(field));
        let block = self.impl_de_block(
            quote!(#krate::private::ReadWith<'de, #index>),
            self.patch_type(),
            bounds,
            body,
        );
        Some(quote!(#(#cfgs)* #block))
    }
}

impl Context<'_, '_> {
    /// The predicates of the user's serde `bound`, the struct's and the field's, of reading
    /// (`reading`) or of writing: their function needs them (serde states them on its impls
    /// alone, which call it), and so do the helpers here that call it, in impls of their
    /// own (a generic `Page<C>` with `bound(serialize = "C: Display")` and `serde_as`'s
    /// `Option<DisplayFromStr>` did not compile: `C` doesn't implement `Display`).
    fn user_serde_bounds(&self, field: &Field<'_>, reading: bool) -> Vec<TokenStream> {
        let of = |predicates: &(Vec<syn::WherePredicate>, Vec<syn::WherePredicate>)| {
            let predicates = if reading {
                &predicates.1
            } else {
                &predicates.0
            };
            predicates
                .iter()
                .map(ToTokens::to_token_stream)
                .collect::<Vec<_>>()
        };
        let mut bounds = of(&self.input.attrs.serde_bound_predicates);
        bounds.extend(of(&field.attrs.serde_bound_predicates));
        bounds
    }
}

/// A where clause of `bounds`, or nothing.
fn where_of(bounds: impl IntoIterator<Item = TokenStream>) -> TokenStream {
    let bounds: Vec<TokenStream> = bounds.into_iter().collect();
    if bounds.is_empty() {
        TokenStream::new()
    } else {
        quote!(where #(#bounds),*)
    }
}

/// The user's own serialize function for the field, if any: `with`'s `serialize` is named
/// where `with` is written, so that a module without one is reported there.
pub(super) fn custom_serialize(field: &Field<'_>) -> Option<TokenStream> {
    let attrs = &field.attrs;
    match (&attrs.serialize_with, &attrs.with) {
        (Some((path, _)), _) => Some(path.to_token_stream()),
        (None, Some((module, span))) => Some(quote_spanned!(*span=> #module::serialize)),
        (None, None) => None,
    }
}

/// Where the field's own serialize function is named (`with` or `serialize_with`).
pub(super) fn custom_serialize_span(field: &Field<'_>) -> proc_macro2::Span {
    let attrs = &field.attrs;
    attrs
        .serialize_with
        .as_ref()
        .or(attrs.with.as_ref())
        .map_or_else(proc_macro2::Span::call_site, |(_, span)| *span)
}

/// The user's own deserialize function for the field, if any: `with`'s `deserialize` is
/// named where `with` is written, so that a module without one is reported there.
pub(super) fn custom_deserialize(field: &Field<'_>) -> Option<TokenStream> {
    let attrs = &field.attrs;
    match (&attrs.deserialize_with, &attrs.with) {
        (Some((path, _)), _) => Some(path.to_token_stream()),
        (None, Some((module, span))) => Some(quote_spanned!(*span=> #module::deserialize)),
        (None, None) => None,
    }
}

/// Where the field's own deserialize function is named (`with` or `deserialize_with`).
fn custom_deserialize_span(field: &Field<'_>) -> proc_macro2::Span {
    let attrs = &field.attrs;
    attrs
        .deserialize_with
        .as_ref()
        .or(attrs.with.as_ref())
        .map_or_else(proc_macro2::Span::call_site, |(_, span)| *span)
}

/// `'de: 'static` for a field whose value serde reads from `'static` input alone
/// (`Option<&'static str>`): the user's function of such a field may ask for it
/// (`fn deserialize<'de: 'static, D>`), as serde's reader of the model has it.
fn static_input(field: &Field<'_>) -> Option<TokenStream> {
    field.reads_static().then(|| quote!('de: 'static))
}
