//! `#[patchable(...)]` on a field, and the `#[serde(...)]` field attributes that the patch
//! inherits, replaces or refuses.

use proc_macro2::Span;
use syn::parse::Parser;
use syn::spanned::Spanned;
use syn::{Attribute, ExprPath, LitStr, Token, Type};

use super::doc_comment::{doc_macro, doc_text};
use super::meta_values::{
    Kept, alias_value, bound_directions, bound_predicates, path_text, path_value, rename_pair,
    serde_default, serde_items,
};
use super::schema_validation::ValidationAttr;
use super::suggestion::unknown;
use super::{
    carried_lint_allow, mentions_deprecation, patchable_items, set_once, skip_value, string_value,
};
use crate::errors::Errors;

/// `#[patchable(...)]` on a field, plus what the patch needs from its `#[serde(...)]`.
#[derive(Default)]
pub struct FieldAttrs {
    /// `skip`, or serde's `skip`: the field is left out of the patch.
    pub skip: Option<Span>,
    /// `nested`: the field's type derives `Patchable`, and the patch holds its patch.
    pub nested: Option<Span>,
    /// `nullable`: the field is an `Option` behind a type alias.
    pub nullable: Option<Span>,
    /// `required`: the field is a required value even though its type looks like an `Option`.
    pub required: Option<Span>,
    /// `map`: the field is a map merged key by key (`HashMap`, `BTreeMap` and `IndexMap` are detected).
    pub map: Option<Span>,
    /// `replace`: the value is sent and applied whole, even for a detected map or JSON type.
    pub replace: Option<Span>,
    /// `key = "type"`: a `Vec` whose elements this attribute identifies (a keyed array).
    pub key: Option<(String, Span)>,
    /// `setter = "set_default"`: the name of the field's value setter, where the field's own
    /// name would hide a method of the patch (`default`, `clone`, `then`) or clash with
    /// another setter; spanned at the string.
    pub setter: Option<(syn::Ident, Span)>,
    /// Whether serde's `bound` is set on the field: then the user states its bounds.
    pub serde_bound: bool,
    /// Whether that `bound` states the bounds of writing, and of reading (see the struct's).
    pub serde_bound_directions: (bool, bool),
    /// The predicates of that `bound`, of writing and of reading, which the helpers that call
    /// the user's serde functions state (serde states them on its impls alone).
    pub serde_bound_predicates: (Vec<syn::WherePredicate>, Vec<syn::WherePredicate>),
    /// serde's `flatten`.
    pub flatten: Option<Span>,
    /// serde's `skip` or `skip_deserializing`: the model does not read the field's key.
    pub model_skips_key: bool,
    /// serde's `rename`, for serialization and for deserialization.
    pub rename: (Option<String>, Option<String>),
    /// serde's `alias = "..."` keys, in the order written.
    pub aliases: Vec<String>,
    /// serde's `with = "module"`.
    pub with: Option<(ExprPath, Span)>,
    /// serde's `serialize_with = "function"`.
    pub serialize_with: Option<(ExprPath, Span)>,
    /// serde's `deserialize_with = "function"`.
    pub deserialize_with: Option<(ExprPath, Span)>,
    /// The `#[serde(...)]` items that carry over to the patch field as they are.
    pub serde_kept: Vec<Kept>,
    /// `#[doc]`, `#[cfg]`, `#[allow]` and `#[deprecated]` attributes, carried over to the
    /// patch field, and `#[expect]` ones as `#[allow]`s.
    pub carried: Vec<Attribute>,
    /// The field is `#[deprecated]`, or its attributes name the `deprecated` lint (a field of
    /// a deprecated type): the generated code, which names the field, may then raise that lint.
    pub deprecation: bool,
    /// The doc comment, as text: the description of the attribute in the patch's schema.
    pub doc: Option<String>,
    /// The doc comment as `concat!`'s arguments where another macro gives some of its text
    /// (`#[doc = include_str!("...")]`): the description, in place of `doc`.
    pub doc_macro: Option<proc_macro2::TokenStream>,
    /// serde's `skip_serializing`: the patch never writes the key.
    pub skip_serializing: bool,
    /// serde's `default` (`Some(None)`) or `default = "path"` (`Some(Some(path))`).
    pub serde_default: Option<Option<ExprPath>>,
    /// schemars' `#[schemars(with = "Type")]` or `#[schemars(schema_with = "function")]`:
    /// the schema that the model's own `JsonSchema` derive gives the field (a foreign type
    /// without one, such as a `Url`; kube's lists with `x-kubernetes-list-type`).
    pub schema_with: Option<super::SchemaWith>,
    /// schemars' `title` and `description`: the attribute's in the patch's schema, over
    /// its doc comment's.
    pub schema_metadata: super::SchemaMetadata,
    /// The validation items of `#[schemars(...)]`, `#[validate(...)]` and `#[garde(...)]`
    /// (`length`, `range`, `pattern`, `email`, ...), which schemars' derive writes into the
    /// model's schema of the field: the patch's schema of its values says them too.
    pub schema_validation: super::SchemaValidation,
    /// schemars' `example`, `extend` and `transform`, which its derive writes into the
    /// model's schema of the field: the patch's schema of its values gets them too.
    pub schema_additions: super::SchemaAdditions,
}

/// The attributes a field takes.
const FIELD_NAMES: &[&str] = &[
    "skip",
    "nested",
    "nullable",
    "required",
    "map",
    "replace",
    "key = \"...\"",
    "setter = \"...\"",
];

/// Serde field attributes that the derive replaces with its own.
const SERDE_FIELD_REPLACED: &[&str] = &["default", "skip_serializing_if"];

/// Serde field attributes that cannot apply to a patch field.
const SERDE_FIELD_REFUSED: &[(&str, &str)] = &[("getter", "it belongs to remote derives")];

/// Parses one field's attributes.
pub fn field(attrs: &[Attribute], errors: &mut Errors) -> FieldAttrs {
    let mut out = FieldAttrs {
        doc: doc_text(attrs),
        doc_macro: doc_macro(attrs),
        deprecation: mentions_deprecation(attrs),
        ..FieldAttrs::default()
    };
    // `#[patchable(skip)]` apart from serde's `skip`, which says the same: only a second
    // `#[patchable(skip)]` is a duplicate.
    let mut patchable_skip = None;
    for attr in attrs {
        if attr.path().is_ident("patchable") {
            let items = patchable_items(attr, "a field", FIELD_NAMES, errors);
            let result = syn::meta::parser(|meta| {
                if meta.path.is_ident("key") {
                    let Some(key) = string_value(&meta, "key = \"type\"", errors)? else {
                        return Ok(());
                    };
                    if !key.suffix().is_empty() {
                        return Err(syn::Error::new(
                            key.span(),
                            "`key` takes a plain string, without a suffix",
                        ));
                    }
                    set_once(&mut out.key, (key.value(), key.span()), &meta.path, errors);
                    return Ok(());
                }
                if meta.path.is_ident("setter") {
                    let Some(name) = string_value(&meta, "setter = \"set_default\"", errors)?
                    else {
                        return Ok(());
                    };
                    match setter_name(&name) {
                        Ok(ident) => {
                            set_once(&mut out.setter, (ident, name.span()), &meta.path, errors);
                        }
                        Err(message) => errors.at(name.span(), message),
                    }
                    return Ok(());
                }
                let slot = if meta.path.is_ident("skip") {
                    &mut patchable_skip
                } else if meta.path.is_ident("nested") {
                    &mut out.nested
                } else if meta.path.is_ident("nullable") {
                    &mut out.nullable
                } else if meta.path.is_ident("required") {
                    &mut out.required
                } else if meta.path.is_ident("map") {
                    &mut out.map
                } else if meta.path.is_ident("replace") {
                    &mut out.replace
                } else {
                    errors.push(meta.error(unknown(&meta.path, "a field", FIELD_NAMES)));
                    return skip_value(&meta);
                };
                if meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren) {
                    errors.push(meta.error(format!(
                        "`{}` takes no value; write `#[patchable({})]`",
                        path_text(&meta.path),
                        path_text(&meta.path)
                    )));
                    return skip_value(&meta);
                }
                if !meta.input.is_empty() && !meta.input.peek(Token![,]) {
                    return Err(syn::Error::new(
                        meta.input.span(),
                        "expected `,` between patchable attributes",
                    ));
                }
                set_once(slot, meta.path.span(), &meta.path, errors);
                Ok(())
            })
            .parse2(items);
            if let Err(error) = result {
                errors.push(error);
            }
        } else if attr.path().is_ident("serde") {
            for meta in serde_items(attr) {
                let key = path_text(meta.path());
                let span = meta.span();
                if key == "bound" {
                    out.serde_bound = true;
                    let (serialize, deserialize) = bound_directions(&meta);
                    out.serde_bound_directions.0 |= serialize;
                    out.serde_bound_directions.1 |= deserialize;
                    let (serialize, deserialize) = bound_predicates(&meta);
                    out.serde_bound_predicates.0.extend(serialize);
                    out.serde_bound_predicates.1.extend(deserialize);
                }
                match key.as_str() {
                    "skip" => {
                        out.skip = Some(span);
                        out.model_skips_key = true;
                    }
                    "skip_deserializing" => {
                        out.model_skips_key = true;
                        out.serde_kept.push(meta);
                    }
                    "skip_serializing" => {
                        out.skip_serializing = true;
                        out.serde_kept.push(meta);
                    }
                    "flatten" => {
                        out.flatten = Some(span);
                        out.serde_kept.push(meta);
                    }
                    "rename" => {
                        if let Ok((ser, de)) = rename_pair(&meta, |lit| Ok(lit.value())) {
                            out.rename.0 = ser.or(out.rename.0.take());
                            out.rename.1 = de.or(out.rename.1.take());
                        }
                        out.serde_kept.push(meta);
                    }
                    "alias" => {
                        // A malformed alias is serde's to report.
                        if let Ok(alias) = alias_value(&meta) {
                            out.aliases.push(alias);
                        }
                        out.serde_kept.push(meta);
                    }
                    "with" | "serialize_with" | "deserialize_with" => {
                        // A malformed path is serde's to report.
                        if let Ok(path) = path_value(&meta) {
                            let slot = match key.as_str() {
                                "with" => &mut out.with,
                                "serialize_with" => &mut out.serialize_with,
                                _ => &mut out.deserialize_with,
                            };
                            *slot = Some((path, span));
                        }
                    }
                    "default" => out.serde_default = serde_default(&meta),
                    _ if SERDE_FIELD_REPLACED.contains(&key.as_str()) => {}
                    _ => {
                        if let Some((_, why)) = SERDE_FIELD_REFUSED.iter().find(|(k, _)| *k == key)
                        {
                            errors.at(
                                span,
                                format!("`#[serde({key})]` cannot carry over to the patch: {why}"),
                            );
                        } else {
                            out.serde_kept.push(meta);
                        }
                    }
                }
            }
        } else if attr.path().is_ident("schemars") {
            // Of schemars' items `with` tells the patch the field's schema, `title` and
            // `description` its metadata, `example`, `extend`, `transform` and the validation
            // items (`length`, `range`, `pattern`, ...) what the schema of its values says
            // (the others describe the model's schema alone, and schemars' derive reports
            // their mistakes, and those of these). A malformed `with` is reported here, since no
            // other derive reads it where the model does not derive `JsonSchema` (it was
            // dropped without a word, the schema then the field type's).
            let _ = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("with") || meta.path.is_ident("schema_with") {
                    schemars_with(&meta, &mut out.schema_with, errors)
                } else if out.schema_metadata.read(&meta)?
                    || out.schema_additions.read(&meta, errors)?
                    || out
                        .schema_validation
                        .read(&meta, ValidationAttr::Schemars)?
                {
                    Ok(())
                } else {
                    skip_value(&meta)
                }
            });
        } else if let Some(kind) = ValidationAttr::named(attr.path()) {
            // validator's `#[validate(...)]` and garde's `#[garde(...)]`, whose derives
            // declare them: schemars' derive reads their validation items too.
            let _ = attr.parse_nested_meta(|meta| {
                if out.schema_validation.read(&meta, kind)? {
                    Ok(())
                } else {
                    skip_value(&meta)
                }
            });
        } else if ["doc", "cfg", "deprecated"]
            .iter()
            .any(|name| attr.path().is_ident(name))
        {
            out.carried.push(attr.clone());
        } else if let Some(allow) = carried_lint_allow(attr) {
            out.carried.push(allow);
        }
    }
    out.skip = patchable_skip.or(out.skip);
    out
}

/// The method name that `setter = "..."` gives: an identifier that is no keyword (a raw one,
/// `r#type`, is one), without a suffix on the string.
fn setter_name(name: &LitStr) -> Result<syn::Ident, String> {
    if !name.suffix().is_empty() {
        return Err("`setter` takes a plain string, without a suffix".to_owned());
    }
    let text = name.value();
    syn::parse_str::<syn::Ident>(&text)
        .map(|mut ident| {
            ident.set_span(name.span());
            ident
        })
        .map_err(|_| {
            format!(
                "`{text}` cannot name a method: `setter` takes an identifier that is no keyword (a raw one is, `r#type`), such as `setter = \"set_default\"`"
            )
        })
}

/// Reads schemars' `with = "Type"` or `schema_with = "function"` into `slot`, reporting a
/// value that is no type (no path) in a string and a second item of either, and passing over
/// the rest of a malformed value.
fn schemars_with(
    meta: &syn::meta::ParseNestedMeta<'_>,
    slot: &mut Option<super::SchemaWith>,
    errors: &mut Errors,
) -> syn::Result<()> {
    let function = meta.path.is_ident("schema_with");
    let (item, what) = if function {
        ("schema_with", "a function's path")
    } else {
        ("with", "a type")
    };
    let write = if function {
        "write `#[schemars(schema_with = \"function\")]`"
    } else {
        "write `#[schemars(with = \"Type\")]`"
    };
    if !meta.input.peek(Token![=]) {
        errors.at(
            meta.path.span(),
            format!("schemars' `{item}` takes {what} in a string: {write}"),
        );
        return skip_value(meta);
    }
    let value = meta.value()?;
    if !value.peek(LitStr) {
        let tokens = super::tokens_to_comma(value)?;
        let span = if tokens.is_empty() {
            meta.path.span()
        } else {
            tokens.span()
        };
        errors.at(
            span,
            format!("schemars' `{item}` takes {what} in a string: {write}"),
        );
        return Ok(());
    }
    let lit: LitStr = value.parse()?;
    let parsed = if function {
        lit.parse::<ExprPath>().map(super::SchemaWith::Function)
    } else {
        lit.parse::<Type>().map(super::SchemaWith::Type)
    };
    match parsed {
        Ok(_) if slot.is_some() => errors.at(
            meta.path.span(),
            format!(
                "duplicate schemars attribute `{item}`: the field's schema is one type's or one function's (`with` or `schema_with`, once)"
            ),
        ),
        Ok(with) => *slot = Some(with),
        Err(_) => errors.at(
            lit.span(),
            format!("`{}` is not {what}: {write}", lit.value()),
        ),
    }
    Ok(())
}

impl FieldAttrs {
    /// Every `alias` item kept for serde is a string the derive could read.
    pub fn aliases_well_formed(&self) -> bool {
        let written = self
            .serde_kept
            .iter()
            .filter(|meta| meta.path().is_ident("alias"))
            .count();
        written == self.aliases.len()
    }

    /// Whether the field, of type `ty`, is a `PhantomData` that the patch leaves out (it has no
    /// JSON of its own): not where `replace` or `required` says that a type of that name is the
    /// user's own, as they say of a type named like any other standard one; its value is then
    /// patched as any other.
    pub fn is_phantom(&self, ty: &Type) -> bool {
        self.replace.is_none() && self.required.is_none() && crate::ty::is_phantom_data(ty)
    }

    /// The field is `#[deprecated]` itself (not only a field whose attributes name the lint):
    /// its setters are deprecated, and so is its property in the patch's schema.
    pub fn is_deprecated(&self) -> bool {
        self.carried
            .iter()
            .any(|attr| attr.path().is_ident("deprecated"))
    }
}
