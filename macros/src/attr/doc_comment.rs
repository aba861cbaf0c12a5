//! Doc comments as text: the descriptions of the patch's JSON Schema; and the model's field
//! docs as the patch carries them.

use syn::{Attribute, Expr, ExprLit, Lit, LitStr, Meta};

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

/// The `#[doc = "..."]` attributes among `attrs` with their intra-doc links through `Self`
/// (`[`Self::validate`]`, `[text](Self::validate)`, `[text]: Self::validate`, `[`Self`]`)
/// pointed at `model`: the patch carries its model's field docs, and there `Self` is the patch,
/// so that such a link was broken (rustdoc's `broken_intra_doc_links`, an error under
/// `-D warnings`) or led to the patch's setter of the same name. `Self` outside a link (in a
/// code span, in an example) is left as written, and so is a `doc` that is not a literal.
pub fn rebase_self_links(attrs: &mut [Attribute], model: &str) {
    for attr in attrs {
        if let Meta::NameValue(pair) = &mut attr.meta
            && pair.path.is_ident("doc")
            && let Expr::Lit(ExprLit {
                lit: Lit::Str(lit), ..
            }) = &mut pair.value
        {
            let text = lit.value();
            let rebased = rebase_line(&text, model);
            if rebased != text {
                *lit = LitStr::new(&rebased, lit.span());
            }
        }
    }
}

/// One doc line with `Self` replaced by `model` where it starts a link's destination.
fn rebase_line(line: &str, model: &str) -> String {
    // What comes before `Self` in a link: its text in brackets, with or without a code span,
    // an inline destination, or a reference definition.
    const OPENERS: [&str; 4] = ["[`", "[", "](", "]: "];
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("Self") {
        let (before, from) = rest.split_at(at);
        let after = &from["Self".len()..];
        let opened = OPENERS.iter().any(|opener| before.ends_with(opener));
        let ends =
            after.is_empty() || after.starts_with("::") || after.starts_with(['`', ']', ')', ' ']);
        out.push_str(before);
        out.push_str(if opened && ends { model } else { "Self" });
        rest = after;
    }
    out.push_str(rest);
    out
}
