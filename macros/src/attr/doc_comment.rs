//! Doc comments as text: the descriptions of the patch's JSON Schema.

use syn::{Attribute, Meta};

use super::meta_values::expr_str;

/// The text of the `#[doc = "..."]` attributes (doc comments), as rustdoc and schemars read
/// it: each line without its first space, lines of a paragraph joined by a space, paragraphs by
/// an empty line. `None` without a doc comment; a `doc` that is not a string literal
/// (`include_str!`) is left out.
pub(super) fn doc_text(attrs: &[Attribute]) -> Option<String> {
    let mut lines = Vec::new();
    for attr in attrs {
        if let Meta::NameValue(pair) = &attr.meta
            && pair.path.is_ident("doc")
            && let Ok(lit) = expr_str(&pair.value)
        {
            let value = lit.value();
            // `///` alone is `""`, which has no line but ends a paragraph.
            if value.trim().is_empty() {
                lines.push(String::new());
            }
            lines.extend(value.lines().map(|line| line.trim().to_owned()));
        }
    }
    let mut text = String::new();
    for line in lines {
        if line.is_empty() {
            if !text.is_empty() && !text.ends_with("\n\n") {
                text.push_str("\n\n");
            }
        } else {
            if !text.is_empty() && !text.ends_with('\n') {
                text.push(' ');
            }
            text.push_str(&line);
        }
    }
    let text = text.trim_end().to_owned();
    (!text.is_empty()).then_some(text)
}
