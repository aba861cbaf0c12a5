//! Parsing of `#[patchable(...)]` and of the `#[serde(...)]` attributes that the patch inherits.

mod doc_comment;
mod meta_values;
mod suggestion;

use proc_macro2::Span;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, Ident, LitStr, Meta, Path, Token};

use crate::case::RenameRule;
use crate::errors::Errors;
use doc_comment::doc_text;
pub use doc_comment::rebase_self_links;
pub use meta_values::{Kept, path_text, serde_attr};
use meta_values::{alias_value, path_value, rename_pair, serde_default, serde_items};
use suggestion::unknown;

/// `#[patchable(...)]` on the model struct, plus what the patch needs from its `#[serde(...)]`.
#[derive(Default)]
pub struct ContainerAttrs {
    /// `name = "UserPatch"`: the patch's name.
    pub name: Option<(Ident, Span)>,
    /// `derive(Eq, Hash)`: extra derives on the patch.
    pub derives: Vec<Path>,
    /// `crate = "path"`: where the runtime is, `::sparse_patch` by default.
    pub krate: Option<Path>,
    /// `rename_all` for serialization and for deserialization.
    pub rename_all: (Option<RenameRule>, Option<RenameRule>),
    /// The `#[serde(...)]` items that carry over to the patch as they are.
    pub serde_kept: Vec<Kept>,
    /// Whether serde's `bound` is set on the struct: then the user states every bound.
    pub serde_bound: bool,
    /// serde's `deny_unknown_fields`: an unknown key is an error.
    pub deny_unknown_fields: bool,
    /// `#[allow(...)]` attributes, carried over to the patch and its impls.
    pub allows: Vec<Attribute>,
    /// `#[doc(hidden)]`, `#[deprecated]` and `#[non_exhaustive]` of the model, carried over to
    /// the patch struct: a hidden model's patch is hidden too, a deprecated one's deprecated,
    /// and a model that may gain fields has a patch that may gain them (other crates build it
    /// with `new` and the setters, not with a struct expression).
    pub carried: Vec<Attribute>,
    /// The model is `#[deprecated]`, or its attributes name the `deprecated` lint: the
    /// generated code, which names the model, may then raise that lint.
    pub deprecation: bool,
    /// The doc comment, as text: the description of the patch's schema.
    pub doc: Option<String>,
    /// serde's `default` (`Some(None)`) or `default = "path"` (`Some(Some(path))`): what the
    /// model reads for a missing key, and so what `from_patch` builds for an absent one.
    pub serde_default: Option<Option<Path>>,
}

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
    /// `map`: the field is a map merged key by key (`HashMap` and `BTreeMap` are detected).
    pub map: Option<Span>,
    /// `replace`: the value is sent and applied whole, even for a detected map or JSON type.
    pub replace: Option<Span>,
    /// `key = "type"`: a `Vec` whose elements this attribute identifies (a keyed array).
    pub key: Option<(String, Span)>,
    /// Whether serde's `bound` is set on the field: then the user states its bounds.
    pub serde_bound: bool,
    /// serde's `flatten`.
    pub flatten: Option<Span>,
    /// serde's `skip` or `skip_deserializing`: the model does not read the field's key.
    pub model_skips_key: bool,
    /// serde's `rename`, for serialization and for deserialization.
    pub rename: (Option<String>, Option<String>),
    /// serde's `alias = "..."` keys, in the order written.
    pub aliases: Vec<String>,
    /// serde's `with = "module"`.
    pub with: Option<(Path, Span)>,
    /// serde's `serialize_with = "function"`.
    pub serialize_with: Option<(Path, Span)>,
    /// serde's `deserialize_with = "function"`.
    pub deserialize_with: Option<(Path, Span)>,
    /// The `#[serde(...)]` items that carry over to the patch field as they are.
    pub serde_kept: Vec<Kept>,
    /// `#[doc]`, `#[cfg]`, `#[allow]` and `#[deprecated]` attributes, carried over to the
    /// patch field.
    pub carried: Vec<Attribute>,
    /// The field is `#[deprecated]`, or its attributes name the `deprecated` lint (a field of
    /// a deprecated type): the generated code, which names the field, may then raise that lint.
    pub deprecation: bool,
    /// The doc comment, as text: the description of the attribute in the patch's schema.
    pub doc: Option<String>,
    /// serde's `skip_serializing`: the patch never writes the key.
    pub skip_serializing: bool,
    /// serde's `default` (`Some(None)`) or `default = "path"` (`Some(Some(path))`).
    pub serde_default: Option<Option<Path>>,
}

/// The attributes a struct takes, as the message lists them.
const CONTAINER_NAMES: &[&str] = &["name = \"...\"", "derive(...)", "crate = \"...\""];
/// The attributes a field takes.
const FIELD_NAMES: &[&str] = &[
    "skip",
    "nested",
    "nullable",
    "required",
    "map",
    "replace",
    "key = \"...\"",
];

/// Serde container attributes whose meaning the patch cannot share, with the reason.
const SERDE_CONTAINER_REFUSED: &[(&str, &str)] = &[
    (
        "transparent",
        "a transparent model has the JSON shape of its one field, and a patch of it would be a bare value",
    ),
    (
        "from",
        "the model is read through another type, whose attributes the patch cannot know",
    ),
    (
        "try_from",
        "the model is read through another type, whose attributes the patch cannot know",
    ),
    (
        "into",
        "the model is written as another type, whose attributes the patch cannot know",
    ),
    (
        "remote",
        "a remote derive has no fields of its own to patch",
    ),
    (
        "tag",
        "a tagged struct writes a tag attribute that a patch must not send",
    ),
];

/// Serde container attributes that concern only the model and are left off the patch.
const SERDE_CONTAINER_DROPPED: &[&str] = &["default", "crate"];

/// Serde field attributes that the derive replaces with its own.
const SERDE_FIELD_REPLACED: &[&str] = &["default", "skip_serializing_if"];

/// Serde field attributes that cannot apply to a patch field.
const SERDE_FIELD_REFUSED: &[(&str, &str)] = &[("getter", "it belongs to remote derives")];

/// Parses the container's attributes.
pub fn container(attrs: &[Attribute], errors: &mut Errors) -> ContainerAttrs {
    let mut out = ContainerAttrs {
        doc: doc_text(attrs),
        deprecation: mentions_deprecation(attrs),
        ..ContainerAttrs::default()
    };
    for attr in attrs {
        if attr.path().is_ident("patchable") {
            let result = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("name") {
                    let Some(lit) = string_value(&meta, "name = \"UserPatch\"", errors)? else {
                        return Ok(());
                    };
                    match lit.parse::<Ident>() {
                        Ok(ident) => {
                            set_once(&mut out.name, (ident, meta.path.span()), &meta.path, errors);
                        }
                        Err(_) => errors.at(
                            lit.span(),
                            "`name` must be a struct name, such as \"UserPatch\"",
                        ),
                    }
                } else if meta.path.is_ident("derive") {
                    let content;
                    syn::parenthesized!(content in meta.input);
                    // The list is read apart from the other items: a mistake in it leaves them
                    // to be read.
                    match Punctuated::<Path, Token![,]>::parse_terminated(&content) {
                        Ok(paths) => out.derives.extend(paths),
                        Err(error) => errors.push(error),
                    }
                } else if meta.path.is_ident("crate") {
                    let Some(lit) = string_value(&meta, "crate = \"::sparse_patch\"", errors)?
                    else {
                        return Ok(());
                    };
                    match lit.parse_with(Path::parse_mod_style) {
                        Ok(path) => set_once(&mut out.krate, path, &meta.path, errors),
                        Err(_) => errors.at(
                            lit.span(),
                            "`crate` must be a path, such as \"::sparse_patch\"",
                        ),
                    }
                } else {
                    errors.push(meta.error(unknown(&meta.path, "a struct", CONTAINER_NAMES)));
                    skip_value(&meta)?;
                }
                Ok(())
            });
            if let Err(error) = result {
                errors.push(error);
            }
        } else if attr.path().is_ident("allow") {
            out.allows.push(attr.clone());
        } else if attr.path().is_ident("deprecated")
            || attr.path().is_ident("non_exhaustive")
            || is_doc_hidden(attr)
        {
            out.carried.push(attr.clone());
        } else if attr.path().is_ident("serde") {
            for meta in serde_items(attr) {
                let key = path_text(meta.path());
                if key == "bound" {
                    out.serde_bound = true;
                }
                if key == "deny_unknown_fields" {
                    out.deny_unknown_fields = true;
                }
                if let Some((_, why)) = SERDE_CONTAINER_REFUSED.iter().find(|(k, _)| *k == key) {
                    errors.at(
                        meta.span(),
                        format!("`#[serde({key})]` cannot carry over to the patch: {why}"),
                    );
                } else if SERDE_CONTAINER_DROPPED.contains(&key.as_str()) {
                    if key == "default" {
                        out.serde_default = serde_default(&meta);
                    }
                } else {
                    // A malformed value is serde's to report; reporting it here too would say it twice.
                    if key == "rename_all"
                        && let Ok((ser, de)) = rename_pair(&meta, RenameRule::parse)
                    {
                        out.rename_all.0 = ser.or(out.rename_all.0);
                        out.rename_all.1 = de.or(out.rename_all.1);
                    }
                    out.serde_kept.push(meta);
                }
            }
        }
    }
    out
}

/// Parses one field's attributes.
pub fn field(attrs: &[Attribute], errors: &mut Errors) -> FieldAttrs {
    let mut out = FieldAttrs {
        doc: doc_text(attrs),
        deprecation: mentions_deprecation(attrs),
        ..FieldAttrs::default()
    };
    for attr in attrs {
        if attr.path().is_ident("patchable") {
            let result = attr.parse_nested_meta(|meta| {
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
                let slot = if meta.path.is_ident("skip") {
                    &mut out.skip
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
            });
            if let Err(error) = result {
                errors.push(error);
            }
        } else if attr.path().is_ident("serde") {
            for meta in serde_items(attr) {
                let key = path_text(meta.path());
                let span = meta.span();
                if key == "bound" {
                    out.serde_bound = true;
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
        } else if ["doc", "cfg", "allow", "deprecated"]
            .iter()
            .any(|name| attr.path().is_ident(name))
        {
            out.carried.push(attr.clone());
        }
    }
    out
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
}

/// Whether `attr` is `#[doc(hidden)]`, or a `#[doc(...)]` list that holds `hidden`.
pub fn is_doc_hidden(attr: &Attribute) -> bool {
    if !attr.path().is_ident("doc") || !matches!(attr.meta, Meta::List(_)) {
        return false;
    }
    let mut hidden = false;
    let _ = attr.parse_nested_meta(|meta| {
        hidden |= meta.path.is_ident("hidden");
        // Skip a value (`alias = "..."`) or a list (`cfg(...)`) without reading it.
        skip_value(&meta)
    });
    hidden
}

/// Whether `attrs` hold `#[deprecated]` or a lint attribute (`allow`, `expect`, `warn`, `deny`)
/// that names the `deprecated` lint.
fn mentions_deprecation(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| {
        let path = attr.path();
        if path.is_ident("deprecated") {
            return true;
        }
        let is_lint_level = ["allow", "expect", "warn", "deny"]
            .iter()
            .any(|level| path.is_ident(level));
        is_lint_level
            && attr
                .parse_args_with(Punctuated::<Path, Token![,]>::parse_terminated)
                .is_ok_and(|lints| lints.iter().any(|lint| lint.is_ident("deprecated")))
    })
}

/// The string literal after `=` of an item that takes one (`example` shows it written), or
/// `None` with the mistake reported: the value read, so that the items after it are read too.
fn string_value(
    meta: &syn::meta::ParseNestedMeta<'_>,
    example: &str,
    errors: &mut Errors,
) -> syn::Result<Option<LitStr>> {
    let message = format!(
        "`{}` takes a string: write `{example}`",
        path_text(&meta.path)
    );
    if !meta.input.peek(Token![=]) {
        errors.push(meta.error(message));
        skip_value(meta)?;
        return Ok(None);
    }
    let value = meta.value()?;
    let tokens = tokens_to_comma(value)?;
    match syn::parse2::<LitStr>(tokens.clone()) {
        Ok(lit) => Ok(Some(lit)),
        Err(_) => {
            let span = tokens
                .into_iter()
                .next()
                .map_or_else(|| meta.path.span(), |tree| tree.span());
            errors.at(span, message);
            Ok(None)
        }
    }
}

/// The tokens up to the next top-level `,` (or the end), read.
fn tokens_to_comma(input: syn::parse::ParseStream<'_>) -> syn::Result<proc_macro2::TokenStream> {
    let mut tokens = proc_macro2::TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        tokens.extend([input.parse::<proc_macro2::TokenTree>()?]);
    }
    Ok(tokens)
}

/// Passes over the value of an item already reported or not wanted (`= value` or `(...)`),
/// reading it whole, so that the items after it are read too.
fn skip_value(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        tokens_to_comma(meta.value()?)?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.input.parse::<proc_macro2::TokenTree>()?;
    }
    Ok(())
}

/// Stores `value` in `slot`, or reports a duplicate.
fn set_once<T>(slot: &mut Option<T>, value: T, path: &Path, errors: &mut Errors) {
    if slot.is_some() {
        errors.at(
            path.span(),
            format!("duplicate patchable attribute `{}`", path_text(path)),
        );
    } else {
        *slot = Some(value);
    }
}
