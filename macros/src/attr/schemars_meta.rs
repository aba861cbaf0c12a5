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

/// A field's `#[schemars(example = ..., extend("key" = value), transform = ...)]`, which
/// schemars' derive writes into the model's schema of the field (its `CommonAttrs`): the
/// patch's schema of the field's values gets them the same way. A string where schemars'
/// derive wants an expression (`example = "function"`, `transform = "function"`) is an
/// error, as in schemars' derive: it is the only reader where the model does not derive
/// `JsonSchema`.
#[derive(Default)]
pub struct SchemaAdditions {
    /// `example = value`, each: the `examples` array.
    examples: Vec<syn::Expr>,
    /// `extend("key" = value)`, each: `key` is `json!(value)`.
    extensions: Vec<(syn::LitStr, TokenStream)>,
    /// `transform = value`, each: a `schemars::transform::Transform` run on the schema.
    transforms: Vec<syn::Expr>,
}

impl SchemaAdditions {
    /// Whether no item was read.
    pub fn is_empty(&self) -> bool {
        self.examples.is_empty() && self.extensions.is_empty() && self.transforms.is_empty()
    }

    /// Reads `meta` into `self` when it is an `example`, `extend` or `transform`, and says
    /// whether it was one (its value then read whole).
    pub fn read(
        &mut self,
        meta: &syn::meta::ParseNestedMeta<'_>,
        errors: &mut crate::errors::Errors,
    ) -> syn::Result<bool> {
        use syn::spanned::Spanned;

        let example = meta.path.is_ident("example");
        if (example || meta.path.is_ident("transform")) && meta.input.peek(Token![=]) {
            let value: syn::Expr = meta.value()?.parse()?;
            let string = matches!(
                &value,
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(_),
                    ..
                })
            );
            match (example, string) {
                // schemars' derive refuses a string that names a function (its 0.8 form),
                // with this advice.
                (true, true) => match &value {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(text),
                        ..
                    }) if text.parse::<syn::Path>().is_ok() => {
                        let text = text.value();
                        errors.at(
                            value.span(),
                            format!(
                                "schemars' `example` takes a value, and a string that names a function is refused (schemars 0.8's form): write `example = {text}()` for the function's value, or `example = &\"{text}\"` for the string"
                            ),
                        );
                    }
                    _ => self.examples.push(value),
                },
                (true, false) => self.examples.push(value),
                (false, true) => errors.at(
                    value.span(),
                    "schemars' `transform` takes a `fn(&mut Schema)` or another `schemars::transform::Transform`, not a string: write `transform = function`",
                ),
                (false, false) => self.transforms.push(value),
            }
            return Ok(true);
        }
        if meta.path.is_ident("extend") && meta.input.peek(syn::token::Paren) {
            let content;
            syn::parenthesized!(content in meta.input);
            while !content.is_empty() {
                let key: syn::LitStr = content.parse()?;
                content.parse::<Token![=]>()?;
                let value = super::tokens_to_comma(&content)?;
                if !self
                    .extensions
                    .iter()
                    .any(|(known, _)| known.value() == key.value())
                {
                    self.extensions.push((key, value));
                }
                if !content.is_empty() {
                    content.parse::<Token![,]>()?;
                }
            }
            return Ok(true);
        }
        Ok(false)
    }

    /// The statements that write these items into the schema `schema` (a
    /// `&mut schemars::Schema`) through the functions of the runtime's module `private`, in
    /// schemars' derive's order: `examples`, the extensions, the transforms.
    pub fn statements(&self, private: &TokenStream, schema: &proc_macro2::Ident) -> TokenStream {
        let mut out = TokenStream::new();
        if !self.examples.is_empty() {
            let examples = &self.examples;
            out.extend(quote::quote!(#private::examples_keyword(#schema, [#(#private::example(&(#examples))),*]);));
        }
        for (key, value) in &self.extensions {
            out.extend(quote::quote!(#private::extension_keyword(#schema, #key, #private::schema_json!(#value));));
        }
        for transform in &self.transforms {
            out.extend(quote::quote!(#private::schemars::transform::Transform::transform(&mut #transform, #schema);));
        }
        out
    }
}
