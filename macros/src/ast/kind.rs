//! How a field is patched: whether it may be null and where its keys sit (`Presence`), what a
//! value in the patch is (`Shape`), and the patch's types for it, decided from the field's type
//! and attributes.

use std::collections::BTreeSet;

use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{Path, Type};

use crate::attr::FieldAttrs;
use crate::ty;

/// How a field is patched.
pub struct Kind {
    pub presence: Presence,
    pub shape: Shape,
    /// The model's value type: `T` for a model field `T` and for `Option<T>`; `N` for a
    /// nested `Box<N>` or `Option<Box<N>>` (see `pointer`).
    pub value: Type,
    /// The type of a value in the patch: `T`, `<T as Patchable>::Patch` or a map patch.
    pub patch_value: Type,
    /// The type of the patch field: `Option<patch_value>`, `Field<patch_value>`, or
    /// `patch_value` itself when flattened.
    pub patch_ty: Type,
    /// The value type is built from standard types only (`String`, numbers, `bool`, `Vec`,
    /// `Option`, ...), which implement `Clone`, `Debug` and `PartialEq`: the trait impls need no
    /// bound for it, which spares rustc a where-clause predicate per field. Never for a field
    /// marked `required` or `replace`, whose type may be the user's own under a standard name.
    pub std_value: bool,
    /// A nullable field whose type is not written `Option<T>` but names one through an alias
    /// (`#[patchable(nullable)]`) or holds one in a `Box` (`Box<Option<T>>`): the runtime
    /// reaches `T` through its `Nullable` trait, whose message is the one error when the alias
    /// is not an `Option`.
    pub option_alias: bool,
    /// `#[patchable(key = "...")]`: the value is a `Vec` of objects whose elements this
    /// attribute identifies. The array is still a plain value, sent whole in a merge patch;
    /// `apply` checks its keys, and the SCIM output changes it element by element.
    pub key: Option<String>,
    /// The value is written whole by the patch's serde code (or, for a `HashMap`/`BTreeMap`,
    /// an entry's value is), and its type is one whose JSON the derive cannot see: a type parameter, which may be an `Option` (`Slot<Option<u8>>`), an
    /// alias of an `Option`, or a type of the user's (`struct Nick(Option<String>)`). Where its
    /// value is written `null`, which a merge patch reads as removing the attribute
    /// (RFC 7396 §2) rather than as a value, writing the patch fails instead (`Field` sets it).
    /// Not for standard types (`std_value`), whose JSON the rules on `null` have seen (a plain
    /// value marked `required` is the user's own type, whatever its name), nor for
    /// untyped JSON, whose `Value::Null` is a known limit of merge patches.
    pub checks_null: bool,
    /// `#[patchable(nested)]` on a struct behind a pointer (`Box<N>`, `Option<Box<N>>`,
    /// `Rc`, `Arc`), whose JSON is the struct's: `value` and the patch are `N`'s, and the
    /// runtime reaches `N` through the pointer (`private::Behind`).
    pub pointer: Option<Pointer>,
    /// The value setter takes the value's type itself, not `impl Into<T>`: a plain number
    /// that an untyped literal cannot reach through `Into` (`.replicas(3)` for a `u32`, where
    /// `impl Into<u32>` reads `3` as an `i32`, which has no `Into<u32>`); see
    /// `ty::is_number_beyond_literals`.
    pub number_setter: bool,
    /// The span of the field's type (its tokens joined), where [`serde_span`](Self::serde_span)
    /// reports at the type.
    ty_span: proc_macro2::Span,
    /// The span of `value`, computed at the first [`value_span`](Self::value_span).
    value_span: std::cell::OnceCell<proc_macro2::Span>,
}

/// The pointer that a nested struct is held in.
pub struct Pointer {
    /// The pointer's type as written, `Box<N>`: the model's value type, which the runtime's
    /// functions are called with.
    pub ty: Type,
    /// An `Rc` or `Arc`, whose value may be shared: the runtime patches it through
    /// `make_mut`, which clones a shared value first, so the struct must be `Clone`.
    pub shared: bool,
}

/// Whether the attribute may be null, and where its keys sit: the runtime's three families
/// of field functions (`*_required`, `*_nullable`, `*_flat`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// A model field `T`: the patch holds absent or a value, never null.
    Required,
    /// A model field `Option<T>`: the patch holds absent, null or a value.
    Nullable,
    /// serde's `flatten`: the patch's keys sit in the parent object, with no absent state of
    /// their own.
    Flattened,
}

/// What a value in the patch is.
pub enum Shape {
    /// The value replaces the attribute whole.
    Plain,
    /// The model's patch of the attribute's type, applied to it.
    Nested,
    /// A map patch, merged key by key. `explicit` when `#[patchable(map)]` says so, rather than
    /// a `HashMap`/`BTreeMap` recognised by name (whose entry setters the patch then gets);
    /// `json_values` when the values are `serde_json::Value`, each entry then merged by
    /// RFC 7396 rather than replaced (custom attributes).
    Map { explicit: bool, json_values: bool },
    /// Untyped JSON (`serde_json::Value` or `Map`), merged by RFC 7396 through `MergeJson`.
    Json,
}

impl Kind {
    /// Decides how a field is patched, from its type and attributes. Conflicting attributes are
    /// reported by `valid`; here the first one wins. Types are read by name, but a type that is
    /// one of the model's generic parameters (`params`) is a plain value whatever its name
    /// (a parameter called `Value` is not `serde_json::Value`).
    pub(super) fn classify(
        field_ty: &Type,
        attrs: &FieldAttrs,
        (krate, default_krate): (&Path, bool),
        generic: bool,
        params: &BTreeSet<String>,
    ) -> Kind {
        let span = span_of(field_ty);
        let mut option_alias = false;
        // A `Box<Option<T>>` is `null` in JSON where its `Option` is: nullable, through the
        // runtime's `Nullable` impl for it, as an alias marked `nullable` is (`required` says
        // that the type is the user's own `Box`). `replace` says how the value is sent (whole),
        // not whether it can be `null`: a replaced `Box<Option<Value>>` is as nullable as a
        // replaced `Option<Value>` (made required, `diff` to `None` sent a `null` that the
        // patch refused to read), and so is one that a serde function of the user's writes,
        // as an `Option<T>` so written is.
        let custom_serde = attrs.with.is_some()
            || attrs.serialize_with.is_some()
            || attrs.deserialize_with.is_some();
        let boxed_option = ty::boxed_option(field_ty).is_some();
        let (presence, value): (Presence, Type) = if attrs.flatten.is_some() {
            (Presence::Flattened, field_ty.clone())
        } else {
            match (
                attrs.required,
                attrs.nullable.is_some() || boxed_option,
                ty::option_inner(field_ty),
            ) {
                (Some(_), _, _) => (Presence::Required, field_ty.clone()),
                (None, _, Some(inner)) => (Presence::Nullable, inner.clone()),
                (None, true, None) => {
                    option_alias = true;
                    // The `T` of a `Box<Option<T>>` is spelled out, and read by name as an
                    // `Option`'s is (a map, untyped JSON, a keyed `Vec`); an alias's is reached
                    // through `Nullable`, whose `Value` it is too.
                    let value = match ty::boxed_option(field_ty).and_then(ty::option_inner) {
                        Some(inner) if boxed_option => inner.clone(),
                        _ => {
                            syn::parse_quote_spanned!(span=> <#field_ty as #krate::private::Nullable>::Value)
                        }
                    };
                    (Presence::Nullable, value)
                }
                (None, false, None) => (Presence::Required, field_ty.clone()),
            }
        };
        // A nested struct behind a `Box`, `Rc` or `Arc` (openapi-generator's
        // `Option<Box<models::Category>>`) is patched as the struct itself: the pointer changes
        // no JSON.
        let (pointer, value) = match ty::pointer(&value) {
            Some((inner, name)) if attrs.nested.is_some() => (
                Some(Pointer {
                    ty: value.clone(),
                    shared: name != "Box",
                }),
                inner.clone(),
            ),
            _ => (None, value),
        };
        let detected_map = ty::map_patch_type(&value, krate);
        // The runtime's path at the field, in the nested patch's projection and the patch
        // field's type: rustc reports a type that lacks a trait at the trait's path, and a
        // type that is not well formed at its first token, which were the derive's own
        // (`::sparse_patch`), so that `nested` on an enum was an error at the `#[derive]` line
        // alone. A path that `crate = "..."` gives keeps its span: rustc reports there that it
        // does not resolve, once.
        // Built for a nested field only, which the macro's run would pay for at every field.
        let krate_here = || {
            if default_krate {
                ty::respan(krate, span)
            } else {
                krate.to_token_stream()
            }
        };
        let here = if default_krate {
            span.resolved_at(proc_macro2::Span::call_site())
        } else {
            proc_macro2::Span::call_site()
        };
        let (shape, patch_value): (Shape, Type) = if attrs.nested.is_some() {
            let krate_here = krate_here();
            (
                Shape::Nested,
                syn::parse_quote_spanned!(span=> <#value as #krate_here::Patchable>::Patch),
            )
        } else if attrs.map.is_some() {
            (
                Shape::Map {
                    explicit: true,
                    json_values: false,
                },
                syn::parse_quote_spanned!(span=> <#value as #krate::MergeMap>::Patch),
            )
        } else if attrs.replace.is_some() || custom_serde {
            (Shape::Plain, value.clone())
        } else if ty::is_json(&value) && !ty::is_parameter(&value, params) {
            (Shape::Json, value.clone())
        } else if let Some(patch) = detected_map {
            // Entries merge by RFC 7396 for `Value` values; a map of `serde_json::Map`s keeps
            // replacing them whole (the runtime merges only maps of `Value`).
            let json_values = ty::map_value(&value).is_some_and(|map_value| {
                ty::is_json_value(map_value) && !ty::is_parameter(map_value, params)
            });
            (
                Shape::Map {
                    explicit: false,
                    json_values,
                },
                patch,
            )
        } else {
            (Shape::Plain, value.clone())
        };
        // Built as a path rather than parsed from tokens: the tokens of
        // `parse_quote_spanned!(here=> ::core::option::Option<#patch_value>)` (or
        // `#krate_here::Field<...>`), which the macro's run pays for per field.
        let patch_ty: Type = match presence {
            Presence::Flattened => patch_value.clone(),
            Presence::Required => {
                let mut path = Path {
                    leading_colon: Some(syn::Token![::](here)),
                    segments: syn::punctuated::Punctuated::new(),
                };
                for name in ["core", "option"] {
                    push_segment(&mut path, name, syn::PathArguments::None, here);
                }
                generic_type(path, "Option", patch_value.clone(), here)
            }
            Presence::Nullable => {
                let mut path = krate.clone();
                if default_krate {
                    respan_path(&mut path, here);
                }
                generic_type(path, "Field", patch_value.clone(), here)
            }
        };
        // `required` and `replace` say that a type named like a standard one is the user's own
        // (an `Option`, a `Vec`), which may lack the three traits: its bounds stay.
        let own_type = attrs.required.is_some() || attrs.replace.is_some();
        let std_value =
            !generic && !own_type && matches!(shape, Shape::Plain) && ty::is_std_value(&value);
        let number_setter = matches!(shape, Shape::Plain)
            && presence != Presence::Flattened
            && ty::is_number_beyond_literals(&value);
        Kind {
            presence,
            shape,
            value,
            patch_value,
            patch_ty,
            std_value,
            option_alias,
            key: attrs.key.as_ref().map(|(key, _)| key.clone()),
            checks_null: false,
            pointer,
            number_setter,
            ty_span: span,
            value_span: std::cell::OnceCell::new(),
        }
    }

    /// The attribute may be null.
    pub fn nullable(&self) -> bool {
        self.presence == Presence::Nullable
    }

    /// A plain value, required or nullable, in a field written `T` or `Option<T>` (a flattened
    /// field is never plain): the runtime's value functions serve it directly, without the
    /// shape trait and the `Nullable` trait.
    pub fn plain_value(&self) -> bool {
        matches!(self.shape, Shape::Plain) && !self.flattened() && !self.option_alias
    }

    /// Where rustc reports that the value cannot be written or read: at the field's type
    /// when the value is that type (or a map or `Option` of it), at the derive when the
    /// patch reaches it through a runtime trait (a nested patch, `#[patchable(map)]`, an
    /// `Option` behind an alias), where the trait's own message is reported already and the
    /// compiler then says it once.
    pub fn serde_span(&self) -> proc_macro2::Span {
        let through_trait = self.option_alias
            || matches!(
                self.shape,
                Shape::Nested | Shape::Map { explicit: true, .. }
            );
        if through_trait {
            proc_macro2::Span::call_site()
        } else {
            self.ty_span
        }
    }

    /// The span of the value's type (its tokens joined), computed once: syn's `span()` writes
    /// the type's tokens and reads them back, which the macro's run paid for at each use.
    pub fn value_span(&self) -> proc_macro2::Span {
        *self.value_span.get_or_init(|| span_of(&self.value))
    }

    /// The attribute's keys sit in the parent object.
    pub fn flattened(&self) -> bool {
        self.presence == Presence::Flattened
    }

    /// The entry setter takes the entry's value type itself (a number: see `number_setter`).
    pub fn entry_number_setter(&self) -> bool {
        self.map_entry()
            .is_some_and(|(_, value)| ty::is_number_beyond_literals(value))
    }

    /// The entry setters' key and value types: for a map recognised by name only.
    pub fn map_entry(&self) -> Option<(&Type, &Type)> {
        match self.shape {
            Shape::Map {
                explicit: false, ..
            } => Some((ty::map_key(&self.value)?, ty::map_value(&self.value)?)),
            _ => None,
        }
    }
}

/// `path::name<arg>`: a type of one generic argument, the tokens it adds spanned at `span`.
fn generic_type(mut path: Path, name: &str, arg: Type, span: proc_macro2::Span) -> Type {
    let arguments = syn::PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
        colon2_token: None,
        lt_token: syn::Token![<](span),
        args: std::iter::once(syn::GenericArgument::Type(arg)).collect(),
        gt_token: syn::Token![>](span),
    });
    push_segment(&mut path, name, arguments, span);
    Type::Path(syn::TypePath {
        attrs: Vec::new(),
        qself: None,
        path,
    })
}

/// Appends `::name` (with `arguments`) to `path`, its tokens spanned at `span`.
fn push_segment(
    path: &mut Path,
    name: &str,
    arguments: syn::PathArguments,
    span: proc_macro2::Span,
) {
    if !path.segments.empty_or_trailing() {
        path.segments.push_punct(syn::Token![::](span));
    }
    path.segments.push_value(syn::PathSegment {
        ident: proc_macro2::Ident::new(name, span),
        arguments,
    });
}

/// The span of `ty` as syn's `span()` gives it (its first token's span joined to its last's),
/// read from a plain path type's own tokens: `span()` writes the type's tokens and reads them
/// back across the proc-macro bridge, which the macro's run paid for per field.
fn span_of(ty: &Type) -> proc_macro2::Span {
    if let Type::Path(syn::TypePath {
        attrs,
        qself: None,
        path,
    }) = ty
        && attrs.is_empty()
        && let (Some(first), Some(last)) = (path.segments.first(), path.segments.last())
    {
        let start = path
            .leading_colon
            .map_or_else(|| first.ident.span(), |colon| colon.spans[0]);
        let end = match &last.arguments {
            syn::PathArguments::None
                if path.leading_colon.is_none() && path.segments.len() == 1 =>
            {
                return start;
            }
            syn::PathArguments::None => Some(last.ident.span()),
            syn::PathArguments::AngleBracketed(arguments) => Some(arguments.gt_token.spans[0]),
            syn::PathArguments::Parenthesized(_) => None,
        };
        if let Some(end) = end {
            return start.join(end).unwrap_or(start);
        }
    }
    ty.span()
}

/// `path` with every token spanned at `span`, as [`ty::respan`] spans its tokens.
fn respan_path(path: &mut Path, span: proc_macro2::Span) {
    if let Some(colon) = &mut path.leading_colon {
        colon.spans = [span; 2];
    }
    for mut pair in path.segments.pairs_mut() {
        if let syn::punctuated::Pair::Punctuated(_, colon) = &mut pair {
            colon.spans = [span; 2];
        }
        pair.value_mut().ident.set_span(span);
    }
}
