//! `#[patchable(...)]` on the model struct, and the `#[serde(...)]` container attributes that
//! the patch inherits, shares or refuses.

use proc_macro2::Span;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, ExprPath, Ident, Path, Token};

use super::doc_comment::{doc_macro, doc_text};
use super::meta_values::{
    Kept, bound_directions, bound_predicates, path_text, rename_pair, serde_default, serde_items,
};
use super::suggestion::unknown;
use super::{
    carried_lint_allow, is_doc_hidden, mentions_deprecation, patchable_items, set_once, skip_value,
    string_value,
};
use crate::case::RenameRule;
use crate::errors::Errors;

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
    /// Whether that `bound` states the bounds of writing, and of reading (`bound = "..."`
    /// both; `bound(serialize = "...")` or `bound(deserialize = "...")` one): serde infers
    /// the other direction's, and so does the derive for the patch.
    pub serde_bound_directions: (bool, bool),
    /// The predicates of that `bound`, of writing and of reading, which the helpers that call
    /// the user's serde functions state (serde states them on its impls alone).
    pub serde_bound_predicates: (Vec<syn::WherePredicate>, Vec<syn::WherePredicate>),
    /// serde's `deny_unknown_fields` on the model, or `#[patchable(deny_unknown_fields)]` for
    /// the patch alone: an unknown key is an error in the patch.
    pub deny_unknown_fields: bool,
    /// Where `#[patchable(deny_unknown_fields)]` is written, if it is.
    pub patch_denies: Option<Span>,
    /// `#[allow(...)]` attributes, and `#[expect(...)]` ones as `allow`s, carried over to the
    /// patch and its impls.
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
    /// The doc comment as `concat!`'s arguments where another macro gives some of its text
    /// (`#[doc = include_str!("...")]`): the description, in place of `doc`.
    pub doc_macro: Option<proc_macro2::TokenStream>,
    /// schemars' `#[schemars(title = ..., description = ...)]`: the patch schema's, over
    /// the doc comment's, as schemars' derive gives them to the model's.
    pub schema_metadata: super::SchemaMetadata,
    /// serde's `default` (`Some(None)`) or `default = "path"` (`Some(Some(path))`): what the
    /// model reads for a missing key, and so what `from_patch` builds for an absent one.
    pub serde_default: Option<Option<ExprPath>>,
    /// The `packed` of `#[repr(packed)]` or `#[repr(C, packed(2))]`: its fields cannot be
    /// borrowed, which every generated function does.
    pub packed: Option<Span>,
    /// The serde items whose meaning the patch cannot share (`transparent`, `tag`, ...), as
    /// written: a struct with named fields is refused for them (`valid`); on an enum or a tuple
    /// struct they are serde's usual items, and the shape alone is the mistake.
    pub serde_refused: Vec<RefusedItem>,
}

/// A serde container item that the patch cannot carry over, and why.
pub struct RefusedItem {
    /// The item's name (`tag`).
    pub key: &'static str,
    /// Why a patch cannot share its meaning, and what to write instead.
    pub why: &'static str,
    /// Where it is written.
    pub span: Span,
}

/// The attributes a struct takes, as the message lists them.
const CONTAINER_NAMES: &[&str] = &[
    "name = \"...\"",
    "derive(...)",
    "crate = \"...\"",
    "deny_unknown_fields",
];

/// Serde container attributes whose meaning the patch cannot share, with the reason.
const SERDE_CONTAINER_REFUSED: &[(&str, &str)] = &[
    (
        "transparent",
        "a transparent model has the JSON shape of its one field, and a patch of it would be a bare value; derive `Patchable` on the field's type instead, or remove `transparent`",
    ),
    (
        "from",
        "the model is read through another type, whose attributes the patch cannot know; derive `Patchable` on that type and convert, or remove `from`",
    ),
    (
        "try_from",
        "the model is read through another type, whose attributes the patch cannot know; derive `Patchable` on that type and convert, or remove `try_from`",
    ),
    (
        "into",
        "the model is written as another type, whose attributes the patch cannot know; derive `Patchable` on that type and convert, or remove `into`",
    ),
    (
        "remote",
        "a remote derive has no fields of its own to patch; derive `Patchable` on a struct of your own with the same fields, and convert",
    ),
    (
        "tag",
        "a tagged struct writes a tag attribute that a patch must not send; remove `tag`, and write the tag as a field marked `#[patchable(skip)]` (the model then writes it, the patch does not)",
    ),
];

/// Serde container attributes that concern only the model and are left off the patch. The
/// items that serde takes on enums alone are among them: serde's derive on the model reports
/// them on a struct, and carried to the patch, `variant_identifier` and `field_identifier`
/// (which serde reports at the whole item) were reported a second time at the
/// `#[derive(Patchable)]`.
const SERDE_CONTAINER_DROPPED: &[&str] = &[
    "default",
    "crate",
    "untagged",
    "content",
    "rename_all_fields",
    "variant_identifier",
    "field_identifier",
];

impl ContainerAttrs {
    /// The model is `#[deprecated]` itself: so are its patch and the patch's schema.
    pub fn is_deprecated(&self) -> bool {
        self.carried
            .iter()
            .any(|attr| attr.path().is_ident("deprecated"))
    }

    /// Whether `derive(...)` asks for the standard trait `name` (`Eq`, `Hash`, `Ord`,
    /// `PartialOrd`), written as
    /// such or by its path (`std::hash::Hash`): by the path's last segment, as rustc's derive
    /// names it.
    pub fn derives_std(&self, name: &str) -> bool {
        self.derives.iter().any(|path| is_std_derive(path, name))
    }

    /// The derives that go on the patch as `#[derive(...)]`: all that `derive(...)` asks for
    /// but `Eq`, `Hash`, `Ord` and `PartialOrd`, which the derive writes out
    /// (`expand::std_traits`) with the bounds that the patch's fields need, where rustc's
    /// derive bounds the type parameters alone.
    pub fn passed_derives(&self) -> impl Iterator<Item = &Path> {
        self.derives.iter().filter(|path| {
            !WRITTEN_OUT_DERIVES
                .iter()
                .any(|name| is_std_derive(path, name))
        })
    }
}

/// The standard derives that the derive writes out itself when `derive(...)` asks for them.
const WRITTEN_OUT_DERIVES: &[&str] = &["Eq", "Hash", "Ord", "PartialOrd"];

/// Whether `path` names the standard derive `name` (by its last segment).
fn is_std_derive(path: &Path, name: &str) -> bool {
    path.segments
        .last()
        .is_some_and(|segment| segment.ident == name && segment.arguments.is_none())
}

/// Parses the container's attributes.
pub fn container(attrs: &[Attribute], errors: &mut Errors) -> ContainerAttrs {
    let mut out = ContainerAttrs {
        doc: doc_text(attrs),
        doc_macro: doc_macro(attrs),
        deprecation: mentions_deprecation(attrs),
        ..ContainerAttrs::default()
    };
    // `#[patchable(deny_unknown_fields)]`: the patch refuses unknown keys, the model not.
    let mut patch_denies: Option<Span> = None;
    for attr in attrs {
        if attr.path().is_ident("patchable") {
            let items = patchable_items(attr, "a struct", CONTAINER_NAMES, errors);
            let result = syn::meta::parser(|meta| {
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
                    const WRITE: &str = "`derive` takes a list of traits: write `derive(Eq, Hash)`";
                    if !meta.input.peek(syn::token::Paren) {
                        errors.push(meta.error(WRITE));
                        return skip_value(&meta);
                    }
                    let content;
                    syn::parenthesized!(content in meta.input);
                    // The list is read apart from the other items: a mistake in it leaves them
                    // to be read. Its rest is passed over, or syn would report it a second time
                    // ("unexpected token").
                    match Punctuated::<Path, Token![,]>::parse_terminated(&content) {
                        Ok(paths) => out.derives.extend(paths),
                        Err(error) => {
                            errors.at(error.span(), WRITE);
                            content.parse::<proc_macro2::TokenStream>()?;
                        }
                    }
                } else if meta.path.is_ident("deny_unknown_fields") {
                    if !meta.input.is_empty() && !meta.input.peek(Token![,]) {
                        errors.push(meta.error(
                            "`deny_unknown_fields` takes no value: write `#[patchable(deny_unknown_fields)]`",
                        ));
                        return skip_value(&meta);
                    }
                    set_once(&mut patch_denies, meta.path.span(), &meta.path, errors);
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
            })
            .parse2(items);
            if let Err(error) = result {
                errors.push(error);
            }
        } else if attr.path().is_ident("schemars") {
            // A malformed `#[schemars]` is schemars' derive's to report.
            let _ = attr.parse_nested_meta(|meta| {
                if out.schema_metadata.read(&meta)? {
                    Ok(())
                } else {
                    skip_value(&meta)
                }
            });
        } else if let Some(allow) = carried_lint_allow(attr) {
            out.allows.push(allow);
        } else if attr.path().is_ident("repr") {
            // A malformed `repr` is rustc's to report.
            let _ = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("packed") {
                    out.packed.get_or_insert(meta.path.span());
                }
                skip_value(&meta)
            });
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
                    let (serialize, deserialize) = bound_directions(&meta);
                    out.serde_bound_directions.0 |= serialize;
                    out.serde_bound_directions.1 |= deserialize;
                    let (serialize, deserialize) = bound_predicates(&meta);
                    out.serde_bound_predicates.0.extend(serialize);
                    out.serde_bound_predicates.1.extend(deserialize);
                }
                if key == "deny_unknown_fields" {
                    out.deny_unknown_fields = true;
                }
                if let Some(&(key, why)) = SERDE_CONTAINER_REFUSED.iter().find(|(k, _)| *k == key) {
                    out.serde_refused.push(RefusedItem {
                        key,
                        why,
                        span: meta.span(),
                    });
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
    // The model's own `deny_unknown_fields` says it already: serde's derive refuses the item
    // written twice.
    out.patch_denies = patch_denies;
    if let Some(span) = patch_denies
        && !out.deny_unknown_fields
    {
        out.deny_unknown_fields = true;
        let path = Path::from(Ident::new("deny_unknown_fields", span));
        out.serde_kept
            .push(Kept::added(syn::Meta::Path(path), span));
    }
    out
}
