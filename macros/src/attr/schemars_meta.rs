//! schemars' own items: the metadata `#[schemars(title = ..., description = ...)]`, on the
//! model or a field, which schemars' derive puts on the model's schema in place of the doc
//! comment's title and description, and the patch's schema does the same with its own; and a
//! field's `#[schemars(with = "Type")]` or `#[schemars(schema_with = "function")]`, which give
//! its schema in place of its type's.

use proc_macro2::TokenStream;
use syn::{ExprPath, Token, Type};

/// Where a field's schema comes from when schemars' items give it in place of its type's
/// (schemars 1, "Field attributes"): the patch's schema of the field's values is the one
/// schemars' derive gives the model's field.
pub enum SchemaWith {
    /// `#[schemars(with = "Type")]`: that type's schema.
    Type(Type),
    /// `#[schemars(schema_with = "function")]`: the schema that
    /// `function(&mut SchemaGenerator) -> Schema` returns (kube's `x-kubernetes-*` lists, a
    /// foreign type without `JsonSchema`).
    Function(ExprPath),
}

impl SchemaWith {
    /// The type named by `with`, not a function's schema.
    pub fn as_type(&self) -> Option<&Type> {
        match self {
            SchemaWith::Type(ty) => Some(ty),
            SchemaWith::Function(_) => None,
        }
    }
}

/// The `title` and `description` of a `#[schemars(...)]`: each an expression (a string
/// literal, a `const`, a `concat!`), as schemars 1 takes them, kept as tokens for the
/// runtime's `patch_schema!` to read as an `expr`.
#[derive(Default)]
pub struct SchemaMetadata {
    /// `title = ...`: the schema's `title`, over the doc comment's `# Title`.
    pub title: Option<TokenStream>,
    /// `description = ...`: the schema's `description`, over the doc comment's text.
    pub description: Option<TokenStream>,
}

impl SchemaMetadata {
    /// Reads `meta` into `self` when it is a `title` or `description` with a value, and says
    /// whether it was one. A second one is schemars' to report (its derive reads the model's
    /// attributes); the first is kept. An item without a value is left alone.
    pub fn read(&mut self, meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<bool> {
        let slot = if meta.path.is_ident("title") {
            &mut self.title
        } else if meta.path.is_ident("description") {
            &mut self.description
        } else {
            return Ok(false);
        };
        if !meta.input.peek(Token![=]) {
            return Ok(false);
        }
        let value = super::tokens_to_comma(meta.value()?)?;
        if slot.is_none() && !value.is_empty() {
            *slot = Some(value);
        }
        Ok(true)
    }
}
