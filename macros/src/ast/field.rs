//! One field of the model: its keys, and how it is patched (presence, shape, types).

use std::collections::BTreeSet;

use quote::ToTokens;
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Ident, Path, Type, Visibility};

use crate::attr::{self, ContainerAttrs, FieldAttrs};
use crate::errors::Errors;
use crate::ty;

/// One named field of the model.
pub struct Field<'a> {
    pub ident: &'a Ident,
    pub vis: &'a Visibility,
    /// The field's type, with `Self` replaced by the model's type, since in the patch `Self`
    /// would mean the patch.
    pub ty: Type,
    pub attrs: FieldAttrs,
    /// The key the field has in serialized JSON.
    pub ser_name: String,
    /// The key the field has in deserialized JSON.
    pub de_name: String,
    /// The field's type mentions a generic parameter of the model, and its bounds are plain
    /// (unless `lifetimes_erased`). `Input` clears it for a type that names lifetimes alone
    /// when another field's type differs from it in lifetimes only (`&'a str` and `&'b str`):
    /// rustc finds two plain bounds on such types ambiguous, so they are bounded like
    /// concrete types, their lifetimes made higher-ranked (`lifetimes_erased`).
    pub generic: bool,
    /// The type names the model's lifetimes but no type or const parameter.
    pub lifetimes_only: bool,
    /// Set by `Input`: the bounds on this field's types are higher-ranked over its lifetimes.
    pub lifetimes_erased: bool,
    /// What reading the patch value needs of the impl: decided by `Input`, which sees every
    /// field.
    pub read_bound: ReadBound,
    /// How the field is patched; `None` for a skipped field.
    pub kind: Option<Kind>,
    /// What an absent attribute builds in `from_patch` (and in `apply` on an absent nested
    /// model): `None` when the attribute is needed (required) or optional anyway; always
    /// `Some` for a field that the patch does not hold.
    pub absent_default: Option<AbsentDefault>,
}

/// What the model reads for a field whose key is missing, and so what a patch in which the
/// attribute is absent builds: serde's `default`, the field's first, then the struct's; and
/// `Default` for a field that serde does not read (`skip_deserializing`), whose key the patch
/// does not read either.
pub enum AbsentDefault {
    /// `Default::default()` of the field's type (`default`, or `skip_deserializing`).
    TypeDefault,
    /// The field's `default = "path"`.
    Function(Path),
    /// The field of the model's `Default::default()` (`default` on the struct).
    ModelDefault,
    /// The field of the model that the struct's `default = "path"` makes.
    ModelFunction(Path),
}

impl AbsentDefault {
    /// The default of a field with `field` attributes in a struct with `container` ones.
    fn of(field: &FieldAttrs, container: &ContainerAttrs) -> Option<Self> {
        Some(match (&field.serde_default, &container.serde_default) {
            (Some(None), _) => AbsentDefault::TypeDefault,
            (Some(Some(path)), _) => AbsentDefault::Function(path.clone()),
            (None, Some(None)) => AbsentDefault::ModelDefault,
            (None, Some(Some(path))) => AbsentDefault::ModelFunction(path.clone()),
            (None, None) if field.model_skips_key => AbsentDefault::TypeDefault,
            (None, None) => return None,
        })
    }
}

/// What the impls that read the patch (`Deserialize<'de>`) need of a patched field's value.
#[derive(PartialEq, Eq)]
pub enum ReadBound {
    /// Nothing: the value's type names no parameter of the model, so its own impl is checked.
    None,
    /// Nothing: the model's own bounds make the value readable from any input
    /// (`T: DeserializeOwned`), and the impls copy them; a `Deserialize<'de>` beside such a
    /// bound would be ambiguous to rustc.
    Implied,
    /// `value: Deserialize<'de>`, plain: the value names a type or const parameter, or names
    /// lifetimes only and no other field's value differs from it in lifetimes alone. The bound
    /// also carries what reading needs of the lifetimes (`'de: 'a` for `&'a str`).
    Plain,
    /// `'de: 'a` for each of these lifetimes (with their `'`) and `T: Deserialize<'de>` for
    /// each of these type parameters, and no bound on the value: two plain bounds on values
    /// that differ in lifetimes only (`&'a str`, `&'b str`) would be ambiguous to rustc. A
    /// `Cow<'a, str>` reads owned from any `'de`, so its lifetime is not among them.
    Outlives {
        lifetimes: BTreeSet<String>,
        types: BTreeSet<String>,
    },
}

/// How a field is patched.
pub struct Kind {
    pub presence: Presence,
    pub shape: Shape,
    /// The model's value type: `T` for a model field `T` and for `Option<T>`.
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

impl<'a> Field<'a> {
    pub(super) fn from_syn(
        field: &'a syn::Field,
        container: &ContainerAttrs,
        krate: &Path,
        (model_type, model_path): (&proc_macro2::TokenStream, &proc_macro2::TokenStream),
        params: &BTreeSet<String>,
        errors: &mut Errors,
    ) -> Option<Self> {
        let ident = field.ident.as_ref()?;
        let mut attrs = attr::field(&field.attrs, errors);
        let field_ty = ty::replace_self(&field.ty, model_type);
        for (path, _) in [
            &mut attrs.with,
            &mut attrs.serialize_with,
            &mut attrs.deserialize_with,
        ]
        .into_iter()
        .flatten()
        {
            *path = ty::replace_self_in_path(path, model_path);
        }
        let name = ident.unraw().to_string();
        let ser_name = attrs.rename.0.clone().unwrap_or_else(|| {
            container
                .rename_all
                .0
                .map_or_else(|| name.clone(), |rule| rule.apply_to_field(&name))
        });
        let de_name = attrs.rename.1.clone().unwrap_or_else(|| {
            container
                .rename_all
                .1
                .map_or_else(|| name.clone(), |rule| rule.apply_to_field(&name))
        });
        let mentioned = ty::names_in(&field_ty);
        let generic = !params.is_disjoint(&mentioned);
        let lifetimes_only = generic
            && params
                .iter()
                .all(|param| param.starts_with('\'') || !mentioned.contains(param));
        let kind = if attrs.skip.is_some() || ty::is_phantom_data(&field_ty) {
            None
        } else {
            Some(Kind::classify(&field_ty, &attrs, krate, generic, params))
        };
        let read_bound = if generic {
            ReadBound::Plain
        } else {
            ReadBound::None
        };
        // A flattened field has no key of its own to be missing. A field that the patch does
        // not hold is always missing from it: it takes what serde's reading gives a missing
        // or skipped key (the field's `default`, else the struct's), else its type's `Default`.
        let absent_default = match &kind {
            Some(kind) if kind.flattened() => None,
            Some(_) => AbsentDefault::of(&attrs, container),
            None if attrs.flatten.is_some() => Some(AbsentDefault::TypeDefault),
            None => AbsentDefault::of(&attrs, container).or(Some(AbsentDefault::TypeDefault)),
        };
        Some(Field {
            ident,
            vis: &field.vis,
            ty: field_ty,
            attrs,
            ser_name,
            de_name,
            generic,
            lifetimes_only,
            lifetimes_erased: false,
            read_bound,
            kind,
            absent_default,
        })
    }

    /// The `#[cfg]` attributes of the field, repeated on every piece of generated code that
    /// names it.
    pub fn cfgs(&self) -> Vec<&syn::Attribute> {
        self.attrs
            .carried
            .iter()
            .filter(|attr| attr.path().is_ident("cfg"))
            .collect()
    }

    /// The field's `#[doc(hidden)]` and `#[deprecated]`, which its setters carry too: a
    /// setter of a hidden field is hidden, of a deprecated field deprecated.
    pub fn setter_attrs(&self) -> Vec<&syn::Attribute> {
        self.attrs
            .carried
            .iter()
            .filter(|attr| attr.path().is_ident("deprecated") || crate::attr::is_doc_hidden(attr))
            .collect()
    }

    /// A nullable field whose `None` the patch that builds the model (`to_patch`) sends as
    /// `null` rather than leaving it absent: an absent attribute builds serde's default for
    /// it (the field's `default = "path"`, or the struct's `default`), which may be `Some`.
    pub fn builds_none_as_null(&self) -> bool {
        self.kind.as_ref().is_some_and(Kind::nullable)
            && matches!(
                self.absent_default,
                Some(
                    AbsentDefault::Function(_)
                        | AbsentDefault::ModelDefault
                        | AbsentDefault::ModelFunction(_)
                )
            )
    }

    /// The field's name without `r#`, for building other names.
    pub fn unraw(&self) -> Ident {
        self.ident.unraw()
    }

    /// The field's `#[serde(borrow)]` (carried to the patch) borrows `'static`: `borrow` alone
    /// on a type that names `'static` (`Name<'static>`), or `borrow = "..."` listing it. serde's
    /// derive then reads the patch from `'static` input only, as it reads the model, and its
    /// impl has no `'de`.
    pub fn serde_borrows_static(&self) -> bool {
        let Some(kind) = &self.kind else {
            return false;
        };
        self.attrs.serde_kept.iter().any(|meta| match &meta.meta {
            syn::Meta::Path(path) => {
                path.is_ident("borrow") && ty::names_in(&kind.patch_value).contains("'static")
            }
            syn::Meta::NameValue(pair) => {
                pair.path.is_ident("borrow")
                    && matches!(
                        &pair.value,
                        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(lifetimes), .. })
                            if lifetimes.value().split('+').any(|lifetime| lifetime.trim() == "'static")
                    )
            }
            syn::Meta::List(_) => false,
        })
    }

    /// A skipped field whose key the model reads, so that a patch with a flattened map must
    /// read and drop it. A key that the model does not read (`#[serde(skip)]`,
    /// `skip_deserializing`) lands in the model's flattened map, so the patch's map takes it
    /// too.
    pub(super) fn drops_key(&self) -> bool {
        self.kind.is_none() && self.attrs.flatten.is_none() && !self.attrs.model_skips_key
    }
}

impl Kind {
    /// Decides how a field is patched, from its type and attributes. Conflicting attributes are
    /// reported by `valid`; here the first one wins. Types are read by name, but a type that is
    /// one of the model's generic parameters (`params`) is a plain value whatever its name
    /// (a parameter called `Value` is not `serde_json::Value`).
    fn classify(
        field_ty: &Type,
        attrs: &FieldAttrs,
        krate: &Path,
        generic: bool,
        params: &BTreeSet<String>,
    ) -> Kind {
        let span = field_ty.span();
        let mut option_alias = false;
        let custom_serde = attrs.with.is_some()
            || attrs.serialize_with.is_some()
            || attrs.deserialize_with.is_some();
        // A `Box<Option<T>>` is `null` in JSON where its `Option` is: nullable, through the
        // runtime's `Nullable` impl for it, as an alias marked `nullable` is (a serde function
        // of the user's decides its JSON itself, and `required` says that the type is the
        // user's own `Box`). `replace` says how the value is sent (whole), not whether it can
        // be `null`: a replaced `Box<Option<Value>>` is as nullable as a replaced
        // `Option<Value>` (made required, `diff` to `None` sent a `null` that the patch
        // refused to read).
        let boxed_option = !custom_serde && ty::boxed_option(field_ty).is_some();
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
        let field_path: Path = syn::parse_quote!(#krate::Field);
        let detected_map = ty::map_patch_type(&value, &field_path.to_token_stream());
        let (shape, patch_value): (Shape, Type) = if attrs.nested.is_some() {
            (
                Shape::Nested,
                syn::parse_quote_spanned!(span=> <#value as #krate::Patchable>::Patch),
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
        let patch_ty: Type = match presence {
            Presence::Flattened => patch_value.clone(),
            Presence::Required => syn::parse_quote!(::core::option::Option<#patch_value>),
            Presence::Nullable => syn::parse_quote!(#krate::Field<#patch_value>),
        };
        // `required` and `replace` say that a type named like a standard one is the user's own
        // (an `Option`, a `Vec`), which may lack the three traits: its bounds stay.
        let own_type = attrs.required.is_some() || attrs.replace.is_some();
        let std_value =
            !generic && !own_type && matches!(shape, Shape::Plain) && ty::is_std_value(&value);
        Kind {
            presence,
            shape,
            value,
            patch_value,
            patch_ty,
            std_value,
            option_alias,
            key: attrs.key.as_ref().map(|(key, _)| key.clone()),
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
    pub fn serde_span(&self, field_ty: &Type) -> proc_macro2::Span {
        let through_trait = self.option_alias
            || matches!(
                self.shape,
                Shape::Nested | Shape::Map { explicit: true, .. }
            );
        if through_trait {
            proc_macro2::Span::call_site()
        } else {
            field_ty.span()
        }
    }

    /// The attribute's keys sit in the parent object.
    pub fn flattened(&self) -> bool {
        self.presence == Presence::Flattened
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
