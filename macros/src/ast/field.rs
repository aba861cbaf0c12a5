//! One field of the model: its name and keys, what an absent attribute builds, the bound that
//! reading it needs, and its `Kind` (how it is patched, decided in `kind`).

use std::collections::BTreeSet;

use syn::ext::IdentExt;
use syn::{Ident, Path, Type, Visibility};

use super::{Kind, Presence, Shape};
use crate::attr::{self, ContainerAttrs, FieldAttrs, SchemaWith};
use crate::errors::Errors;
use crate::ty;

/// One named field of the model.
pub struct Field<'a> {
    pub ident: &'a Ident,
    pub vis: &'a Visibility,
    /// The field's type, with `Self` replaced by the model's type, since in the patch `Self`
    /// would mean the patch.
    pub ty: Type,
    /// The names of every identifier and lifetime in `ty` (`ty::names_in`), read once: the
    /// walk writes the type's tokens and reads them back.
    pub names: BTreeSet<String>,
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
    /// A map attribute whose reader (in a patch with serde's derives, `SerdeCode::Derived`) is
    /// the runtime's, which refuses a key given twice (serde's maps keep the last value), with
    /// the bounds of its concrete type: a map of a type the derive knows (`HashMap`,
    /// `BTreeMap`), not flattened, not generic and without a serde function of the user's.
    /// Set by `Input`, once `generic` is final.
    pub unique_map_keys: bool,
    /// A flattened map (of a type the derive knows, or a `serde_json::Map`) whose entries a
    /// patch on serde's derives reads through the runtime, which refuses a key given twice
    /// (serde's flattened maps keep the last one): not generic (whose bounds state serde's
    /// `Deserialize` and not the runtime's trait), without a serde function of the user's. Set
    /// by `Input`, once `generic` is final.
    pub unique_flat_keys: bool,
    /// What an absent attribute builds in `from_patch` (and in `apply` on an absent nested
    /// model): `None` when the attribute is needed (required) or optional anyway; always
    /// `Some` for a field that the patch does not hold.
    pub absent_default: Option<AbsentDefault>,
    /// The schema that the key's values have, where it is not the patch value's: the
    /// `#[schemars(with = "Type")]` (with `Self` replaced) or `schema_with = "function"` of a
    /// plain or map field; `None` otherwise (a nested patch has a schema of its own).
    pub schema_with: Option<SchemaWith>,
}

/// What the model reads for a field whose key is missing, and so what a patch in which the
/// attribute is absent builds: serde's `default`, the field's first, then the struct's; and
/// `Default` for a field that serde does not read (`skip_deserializing`), whose key the patch
/// does not read either.
pub enum AbsentDefault {
    /// `Default::default()` of the field's type (`default`, or `skip_deserializing`).
    TypeDefault,
    /// The field's `default = "path"`.
    Function(syn::ExprPath),
    /// The field of the model's `Default::default()` (`default` on the struct).
    ModelDefault,
    /// The field of the model that the struct's `default = "path"` makes.
    ModelFunction(syn::ExprPath),
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
        // `Self` is rewritten where the type names it: the rewrite walks and parses the
        // type again, which the macro's run pays for per field.
        let mut mentioned = ty::names_in(&field.ty);
        let field_ty = if mentioned.contains("Self") {
            let replaced = ty::replace_self(&field.ty, model_type);
            mentioned = ty::names_in(&replaced);
            replaced
        } else {
            field.ty.clone()
        };
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
        let generic = !params.is_disjoint(&mentioned);
        let lifetimes_only = generic
            && params
                .iter()
                .all(|param| param.starts_with('\'') || !mentioned.contains(param));
        let mut kind = if attrs.skip.is_some() || attrs.is_phantom(&field_ty) {
            None
        } else {
            Some(Kind::classify(
                &field_ty,
                &attrs,
                (krate, container.krate.is_none()),
                generic,
                params,
            ))
        };
        // A value written by a serde function of the user's is the function's to write.
        let own_writer = attrs.with.is_some() || attrs.serialize_with.is_some();
        // `required` says that a plain value's type named like a standard one (an `Option`, a
        // `Box`) is the user's own: its JSON is not the standard type's, whatever its name.
        let own_type = attrs.required.is_some();
        if let Some(kind) = &mut kind {
            let unseen = |value: &Type, own_type: bool| {
                let json = ty::is_json(value) && !ty::is_parameter(value, params);
                // A lifetime does not change a type's JSON (`&'a str` is written as a string).
                let std = !own_type
                    && !ty::names_in(value)
                        .iter()
                        .any(|name| !name.starts_with('\'') && params.contains(name))
                    && ty::is_std_value(value);
                !json && !std
            };
            kind.checks_null = !own_writer
                && match kind.shape {
                    Shape::Plain => {
                        !kind.flattened() && !kind.std_value && unseen(&kind.value, own_type)
                    }
                    // A map's entries set to a value: those of untyped JSON keep their rule.
                    Shape::Map {
                        explicit: false,
                        json_values: false,
                    } => ty::map_value(&kind.value).is_some_and(|value| unseen(value, false)),
                    _ => false,
                };
        }
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
        let schema_with = attrs
            .schema_with
            .as_ref()
            .filter(|_| {
                kind.as_ref().is_some_and(|kind| match kind.shape {
                    Shape::Plain => !kind.flattened(),
                    // A flattened map's values are the parent's other keys.
                    Shape::Map { .. } => true,
                    _ => false,
                })
            })
            .map(|with| match with {
                SchemaWith::Type(with) => SchemaWith::Type(ty::replace_self(with, model_type)),
                SchemaWith::Function(function) => SchemaWith::Function(function.clone()),
            });
        Some(Field {
            ident,
            vis: &field.vis,
            ty: field_ty,
            names: mentioned,
            attrs,
            ser_name,
            de_name,
            generic,
            lifetimes_only,
            lifetimes_erased: false,
            read_bound,
            kind,
            unique_map_keys: false,
            unique_flat_keys: false,
            absent_default,
            schema_with,
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
    /// So is one whose key the model must hold ([`absent_is_missing`](Self::absent_is_missing)).
    pub fn builds_none_as_null(&self) -> bool {
        self.absent_is_missing()
            || (self.kind.as_ref().is_some_and(Kind::nullable)
                && matches!(
                    self.absent_default,
                    Some(
                        AbsentDefault::Function(_)
                            | AbsentDefault::ModelDefault
                            | AbsentDefault::ModelFunction(_)
                    )
                ))
    }

    /// A nullable value (an `Option`) that a serde function of the user's reads
    /// (`deserialize_with`, `with`) without a `default`: serde's derive reads its missing key
    /// as an error ("missing field"), not as `None` (serde-rs/serde#1951; openapi-generator
    /// writes `deserialize_with = "Option::deserialize"` for a required nullable attribute), so
    /// building the model from a patch needs it present, `null` for `None`.
    pub fn absent_is_missing(&self) -> bool {
        self.kind.as_ref().is_some_and(|kind| {
            kind.presence == Presence::Nullable && !matches!(kind.shape, Shape::Nested)
        }) && (self.attrs.deserialize_with.is_some() || self.attrs.with.is_some())
            && self.absent_default.is_none()
    }

    /// The field's name without `r#`, for building other names.
    /// The name of the field's value setter: `setter = "..."`, or the field's own.
    pub fn setter_ident(&self) -> &Ident {
        self.attrs
            .setter
            .as_ref()
            .map_or(self.ident, |(ident, _)| ident)
    }

    pub fn unraw(&self) -> Ident {
        self.ident.unraw()
    }

    /// Decides [`unique_map_keys`](Self::unique_map_keys) and
    /// [`unique_flat_keys`](Self::unique_flat_keys), from the field's final `generic`.
    pub(super) fn decide_unique_keys(&mut self) {
        let custom_deserialize = self.attrs.deserialize_with.is_some() || self.attrs.with.is_some();
        let Some(kind) = &self.kind else {
            return;
        };
        let known_map = matches!(
            kind.shape,
            Shape::Map {
                explicit: false,
                ..
            }
        );
        let own_reader = !self.generic && !custom_deserialize;
        self.unique_map_keys = known_map && !kind.flattened() && own_reader;
        // A `serde_json::Map`, not a `Value`, which holds no entries until it is an object.
        let entries =
            known_map || (matches!(kind.shape, Shape::Json) && ty::is_json_map(&kind.value));
        self.unique_flat_keys = entries && kind.flattened() && own_reader;
    }

    /// A skipped field whose key the model reads, so that a patch with a flattened map must
    /// read and drop it. A key that the model does not read (`#[serde(skip)]`,
    /// `skip_deserializing`) lands in the model's flattened map, so the patch's map takes it
    /// too.
    pub(super) fn drops_key(&self) -> bool {
        self.kind.is_none() && self.attrs.flatten.is_none() && !self.attrs.model_skips_key
    }
}
