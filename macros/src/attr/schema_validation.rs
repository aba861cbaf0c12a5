//! The validation items that schemars 1's derive reads on a field and writes into the field's
//! schema (schemars' "Validation attributes": `#[schemars(...)]`, and the `#[validate(...)]`
//! of the `validator` crate and `#[garde(...)]` of `garde`, which it reads too), read here for
//! the patch's schema of the field's values to say what the model's says. The reading follows
//! `schemars_derive`'s `attr/validation.rs` and `attr/parse_meta.rs` (schemars 1.2): which
//! attribute takes which item, `equal` for both bounds, a bound in a string parsed as an
//! expression. A malformed item is left out here: schemars' derive reports it on the model.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use syn::meta::ParseNestedMeta;
use syn::parse::Parser;
use syn::{Expr, Lit, Token};

/// The attribute an item comes from: each takes some of the items (schemars' derive reads
/// `pattern` in `schemars` and `garde`, `regex` in `schemars` and `validate`, `inner` in
/// `schemars` and `garde`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ValidationAttr {
    /// `#[schemars(...)]`.
    Schemars,
    /// `#[validate(...)]` (the `validator` crate).
    Validate,
    /// `#[garde(...)]`.
    Garde,
}

impl ValidationAttr {
    /// The attribute named `name`, of those schemars' derive reads validation items from.
    pub fn named(name: &syn::Path) -> Option<Self> {
        if name.is_ident("schemars") {
            Some(Self::Schemars)
        } else if name.is_ident("validate") {
            Some(Self::Validate)
        } else if name.is_ident("garde") {
            Some(Self::Garde)
        } else {
            None
        }
    }
}

/// `min` and `max` of a `length(...)` or `range(...)` (`equal` is both), each an expression.
#[derive(Default)]
struct Bounds {
    min: Option<Expr>,
    max: Option<Expr>,
}

/// A field's validation items, as schemars' derive reads them: the first of each kind is
/// kept (a second one is schemars' to report).
#[derive(Default)]
pub struct SchemaValidation {
    length: Option<Bounds>,
    range: Option<Bounds>,
    /// `pattern(...)`, `regex(pattern = ...)` or `regex(path = ...)`: its `Display` is the
    /// `pattern`.
    pattern: Option<Expr>,
    /// `contains(...)`: a string the value must hold (a `pattern` of it, escaped).
    contains: Option<Expr>,
    /// `email`, `url`, `ip`, `ipv4`, `ipv6`: the `format` (`url` is `uri`).
    format: Option<&'static str>,
    /// `inner(...)`: the items of an array's `items`.
    inner: Option<Box<SchemaValidation>>,
}

impl SchemaValidation {
    /// Whether no item was read.
    pub fn is_empty(&self) -> bool {
        self.length.is_none()
            && self.range.is_none()
            && self.pattern.is_none()
            && self.contains.is_none()
            && self.format.is_none()
            && self.inner.as_ref().is_none_or(|inner| inner.is_empty())
    }

    /// Reads `meta`, an item of `attr`, when it is a validation item, and says whether it
    /// was one (its value then read whole).
    pub fn read(&mut self, meta: &ParseNestedMeta<'_>, attr: ValidationAttr) -> syn::Result<bool> {
        let Some(name) = meta.path.get_ident().map(ToString::to_string) else {
            return Ok(false);
        };
        let format = match name.as_str() {
            "email" => Some("email"),
            "url" => Some("uri"),
            "ip" => Some("ip"),
            "ipv4" => Some("ipv4"),
            "ipv6" => Some("ipv6"),
            _ => None,
        };
        if let Some(format) = format {
            // validator's form takes a list (`email(message = "...")`); schemars' is a path.
            super::skip_value(meta)?;
            self.format.get_or_insert(format);
            return Ok(true);
        }
        match name.as_str() {
            "length" | "range" if meta.input.peek(syn::token::Paren) => {
                let bounds = bounds(meta)?;
                let slot = if name == "length" {
                    &mut self.length
                } else {
                    &mut self.range
                };
                slot.get_or_insert(bounds);
            }
            "pattern" if attr != ValidationAttr::Validate && meta.input.peek(syn::token::Paren) => {
                let content;
                syn::parenthesized!(content in meta.input);
                let pattern: Expr = content.parse()?;
                self.set_pattern(pattern);
            }
            "regex" if attr != ValidationAttr::Garde && meta.input.peek(syn::token::Paren) => {
                // validator's `regex(path = ...)` (a string: the path in it), schemars'
                // `regex(pattern = ...)` (an expression, a string literal the pattern).
                let validator = attr == ValidationAttr::Validate;
                let item = if validator { "path" } else { "pattern" };
                let mut pattern = None;
                meta.parse_nested_meta(|nested| {
                    if nested.path.is_ident(item) && nested.input.peek(Token![=]) {
                        let value: Expr = nested.value()?.parse()?;
                        let value = if validator { expression(value)? } else { value };
                        pattern.get_or_insert(value);
                        Ok(())
                    } else {
                        super::skip_value(&nested)
                    }
                })?;
                if let Some(pattern) = pattern {
                    self.set_pattern(pattern);
                }
            }
            "contains" if meta.input.peek(syn::token::Paren) => {
                let content;
                syn::parenthesized!(content in meta.input);
                // validator's `contains(pattern = "...")`, garde's `contains(expr)`, and
                // schemars' either (a `name =` or a `,` after the first token: the first).
                let listed = attr == ValidationAttr::Validate
                    || (attr == ValidationAttr::Schemars
                        && (content.peek2(Token![,]) || content.peek2(Token![=])));
                let contains = if listed {
                    let mut pattern = None;
                    syn::meta::parser(|nested| {
                        if nested.path.is_ident("pattern") && nested.input.peek(Token![=]) {
                            pattern.get_or_insert(nested.value()?.parse::<Expr>()?);
                            Ok(())
                        } else {
                            super::skip_value(&nested)
                        }
                    })
                    .parse2(content.parse::<TokenStream>()?)?;
                    pattern
                } else {
                    Some(content.parse::<Expr>()?)
                };
                if self.pattern.is_none() && self.contains.is_none() {
                    self.contains = contains;
                }
            }
            "inner" if attr != ValidationAttr::Validate && meta.input.peek(syn::token::Paren) => {
                let inner = self.inner.get_or_insert_with(Box::default);
                meta.parse_nested_meta(|nested| {
                    if inner.read(&nested, attr)? {
                        Ok(())
                    } else {
                        super::skip_value(&nested)
                    }
                })?;
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// `pattern` and `regex` exclude each other and `contains`: the first one stands.
    fn set_pattern(&mut self, pattern: Expr) {
        if self.pattern.is_none() && self.contains.is_none() {
            self.pattern = Some(pattern);
        }
    }

    /// The statements that write these items into the schema `schema` (a
    /// `&mut schemars::Schema`) through the functions of the runtime's module `private`, in
    /// schemars' derive's order: `length`, `range`, `pattern`, `contains`, `format`, `inner`.
    pub fn statements(&self, private: &TokenStream, schema: &Ident) -> TokenStream {
        let mut out = TokenStream::new();
        let mut bounded = |bounds: &Bounds, keywords: &[(&str, &str, &str)]| {
            for (kind, min, max) in keywords {
                for (bound, keyword) in [(&bounds.min, min), (&bounds.max, max)] {
                    if let Some(bound) = bound {
                        out.extend(
                            quote!(#private::validation_keyword(#schema, #kind, #keyword, #bound);),
                        );
                    }
                }
            }
        };
        if let Some(length) = &self.length {
            bounded(
                length,
                &[
                    ("string", "minLength", "maxLength"),
                    ("array", "minItems", "maxItems"),
                ],
            );
        }
        if let Some(range) = &self.range {
            bounded(range, &[("number", "minimum", "maximum")]);
        }
        if let Some(pattern) = &self.pattern {
            out.extend(quote!(#private::pattern_keyword(#schema, &(#pattern));));
        }
        if let Some(contains) = &self.contains {
            out.extend(quote!(#private::contains_keyword(#schema, &(#contains));));
        }
        if let Some(format) = self.format {
            out.extend(quote!(#private::format_keyword(#schema, #format);));
        }
        if let Some(inner) = self.inner.as_ref().filter(|inner| !inner.is_empty()) {
            let statements = inner.statements(private, schema);
            out.extend(quote!(#private::inner_keywords(#schema, |#schema| { #statements });));
        }
        out
    }
}

/// The `min`, `max` and `equal` of `length(...)` or `range(...)`; other items
/// (validator's `message`, `code`, `exclusive_min`) are not the schema's.
fn bounds(meta: &ParseNestedMeta<'_>) -> syn::Result<Bounds> {
    let mut bounds = Bounds::default();
    meta.parse_nested_meta(|nested| {
        let which = ["min", "max", "equal"]
            .into_iter()
            .find(|name| nested.path.is_ident(name));
        match which {
            Some(which) if nested.input.peek(Token![=]) => {
                let value = expression(nested.value()?.parse()?)?;
                if which != "max" {
                    bounds.min.get_or_insert(value.clone());
                }
                if which != "min" {
                    bounds.max.get_or_insert(value);
                }
                Ok(())
            }
            _ => super::skip_value(&nested),
        }
    })?;
    Ok(bounds)
}

/// `expr`, or the expression a string literal holds (`min = "MIN_LEN"`), as schemars' derive
/// reads a bound and validator's `regex(path = ...)`.
fn expression(expr: Expr) -> syn::Result<Expr> {
    match &expr {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(text),
            ..
        }) => text.parse(),
        _ => Ok(expr),
    }
}

#[cfg(test)]
mod tests {
    use proc_macro2::{Ident, Span};
    use quote::quote;

    use crate::errors::Errors;

    /// The statements written for the attributes of `field` (a struct field's source).
    fn statements_of(field: &str) -> String {
        let input = syn::parse_str::<syn::DeriveInput>(&format!("struct Model {{ {field} }}"))
            .expect("a struct");
        let syn::Data::Struct(data) = input.data else {
            unreachable!()
        };
        let field = data.fields.iter().next().expect("a field");
        let mut errors = Errors::default();
        let attrs = super::super::field(&field.attrs, &mut errors);
        let schema = Ident::new("schema", Span::call_site());
        attrs
            .schema_validation
            .statements(&quote!(private), &schema)
            .to_string()
    }

    /// validator's `#[validate(...)]`, which schemars' derive reads too (with its own
    /// `message`s and `code`s, and a `regex(path = ...)`), gives the keywords that it gives
    /// the model's schema: the derive read only `#[schemars(...)]`.
    #[test]
    fn validators_items_are_read_as_schemars_reads_them() {
        let statements = statements_of(
            "#[validate(length(min = 3, max = \"MAX\", message = \"short\"), email(code = \"e\"),
                        regex(path = *LOGIN), custom(function = \"check\"))]
             login: String",
        );
        for expected in [
            "validation_keyword (schema , \"string\" , \"minLength\" , 3)",
            "validation_keyword (schema , \"string\" , \"maxLength\" , MAX)",
            "validation_keyword (schema , \"array\" , \"minItems\" , 3)",
            "pattern_keyword (schema , & (* LOGIN))",
            "format_keyword (schema , \"email\")",
        ] {
            assert!(statements.contains(expected), "{expected} in {statements}");
        }
        // validator has no `pattern` nor `inner`.
        let statements = statements_of("#[validate(pattern(\"x\"), inner(email))] login: String");
        assert_eq!(statements, "");
        let statements = statements_of("#[validate(contains(pattern = \"@\"))] mail: String");
        assert!(
            statements.contains("contains_keyword (schema , & (\"@\"))"),
            "{statements}"
        );
    }

    /// garde's `#[garde(...)]`: `pattern(...)`, `contains(expr)`, `inner(...)`, `range(equal)`,
    /// and no `regex`.
    #[test]
    fn gardes_items_are_read_as_schemars_reads_them() {
        let statements = statements_of(
            "#[garde(pattern(r\"^a\"), inner(length(min = 1)), range(equal = 2), url, regex(x))]
             tags: Vec<String>",
        );
        for expected in [
            "pattern_keyword (schema , & (r\"^a\"))",
            "inner_keywords (schema , | schema | { private :: validation_keyword (schema , \"string\" , \"minLength\" , 1)",
            "validation_keyword (schema , \"number\" , \"minimum\" , 2)",
            "validation_keyword (schema , \"number\" , \"maximum\" , 2)",
            "format_keyword (schema , \"uri\")",
        ] {
            assert!(statements.contains(expected), "{expected} in {statements}");
        }
        let statements = statements_of("#[garde(contains(SEPARATOR))] name: String");
        assert!(
            statements.contains("contains_keyword (schema , & (SEPARATOR))"),
            "{statements}"
        );
    }

    /// The first `pattern`, `regex` or `contains` stands, as in schemars' derive (which
    /// reports the others), and items of other derives are left alone.
    #[test]
    fn one_pattern_stands() {
        let statements = statements_of(
            "#[schemars(regex(pattern = \"^a\"), contains(\"b\"), title = \"T\", extend(\"x\" = 1))]
             name: String",
        );
        assert!(
            statements.contains("pattern_keyword (schema , & (\"^a\"))"),
            "{statements}"
        );
        assert!(!statements.contains("contains_keyword"), "{statements}");
    }
}
