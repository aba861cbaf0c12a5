//! The model's field docs as the patch carries them: their examples marked `ignore`.
//!
//! rustdoc runs the examples of every item's doc, a generated one's too, so an example on a
//! model field ran a second time as the patch field's, where its `Self` and its setting of the
//! field (a `String`, not the patch's `Option<String>`) may not even compile. The patch field
//! keeps the text and the example (it documents the attribute), which the model's field runs.

use syn::{Attribute, Expr, ExprLit, Lit, LitStr, Meta};

/// Marks the Rust code blocks of the literal `#[doc = "..."]` attributes among `attrs`
/// `ignore`: a fence (```` ``` ```` or `~~~`) whose info string is empty or names only
/// rustdoc's attributes of a Rust example (`rust`, `no_run`, `should_panic`, `compile_fail`,
/// `edition2021`, ...) gets `ignore` added. A fence of another language (`text`, `json`) is left
/// alone, and so is a doc value that another macro gives (`include_str!`), out of the derive's
/// sight; an indented code block (four spaces) is not recognised.
pub fn ignore_doc_examples(attrs: &mut [Attribute]) {
    // The fence that opened the code block we are in: its character and length.
    let mut open: Option<(char, usize)> = None;
    for attr in attrs {
        let Meta::NameValue(pair) = &mut attr.meta else {
            continue;
        };
        if !pair.path.is_ident("doc") {
            continue;
        }
        let Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        }) = &mut pair.value
        else {
            continue;
        };
        let text = lit.value();
        let marked: Vec<String> = text
            .split('\n')
            .map(|line| mark_line(line, &mut open))
            .collect();
        let marked = marked.join("\n");
        if marked != text {
            *lit = LitStr::new(&marked, lit.span());
        }
    }
}

/// One line of a doc comment: an opening fence of a Rust block gets `ignore`; `open` follows
/// whether the line opens or closes a block.
fn mark_line(line: &str, open: &mut Option<(char, usize)>) -> String {
    let trimmed = line.trim_start();
    let fence_char = match trimmed.chars().next() {
        Some(c @ ('`' | '~')) => c,
        _ => return line.to_owned(),
    };
    let length = trimmed.chars().take_while(|&c| c == fence_char).count();
    if length < 3 {
        return line.to_owned();
    }
    let info = trimmed[length..].trim();
    if let Some((char, opened)) = *open {
        // A closing fence: the same character, at least as long, nothing after it.
        if char == fence_char && length >= opened && info.is_empty() {
            *open = None;
        }
        return line.to_owned();
    }
    *open = Some((fence_char, length));
    if !is_rust_example(info) {
        return line.to_owned();
    }
    let indent = &line[..line.len() - trimmed.len()];
    let fence = &trimmed[..length];
    if info.is_empty() {
        format!("{indent}{fence}ignore")
    } else {
        format!("{indent}{fence}{info},ignore")
    }
}

/// The info string of a block that rustdoc runs (or compiles) as a Rust example.
fn is_rust_example(info: &str) -> bool {
    info.split([',', ' ', '\t'])
        .filter(|word| !word.is_empty())
        .all(|word| {
            matches!(
                word,
                "rust"
                    | "no_run"
                    | "should_panic"
                    | "compile_fail"
                    | "test_harness"
                    | "standalone_crate"
            ) || word.starts_with("edition")
                || (word.starts_with('E') && word[1..].chars().all(|c| c.is_ascii_digit()))
        })
}

#[cfg(test)]
mod tests {
    use super::ignore_doc_examples;

    fn marked(lines: &[&str]) -> Vec<String> {
        let mut attrs: Vec<syn::Attribute> = lines
            .iter()
            .map(|line| syn::parse_quote!(#[doc = #line]))
            .collect();
        ignore_doc_examples(&mut attrs);
        attrs
            .iter()
            .map(|attr| match &attr.meta {
                syn::Meta::NameValue(pair) => match &pair.value {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(lit),
                        ..
                    }) => lit.value(),
                    _ => panic!("a literal"),
                },
                _ => panic!("a doc"),
            })
            .collect()
    }

    #[test]
    fn rust_examples_are_ignored_and_other_blocks_kept() {
        let out = marked(&[
            " The name.",
            "",
            " ```",
            " let user = User { name: \"ada\".into() };",
            " ```",
            " ```rust,no_run",
            " ```",
            " ```text",
            " ```",
            " ````compile_fail",
            " ```",
            " ````",
            " ~~~json",
            " {}",
            " ~~~",
        ]);
        assert_eq!(
            out,
            [
                " The name.",
                "",
                " ```ignore",
                " let user = User { name: \"ada\".into() };",
                " ```",
                " ```rust,no_run,ignore",
                " ```",
                " ```text",
                " ```",
                " ````compile_fail,ignore",
                " ```",
                " ````",
                " ~~~json",
                " {}",
                " ~~~",
            ]
        );
    }

    #[test]
    fn a_block_comment_with_an_example_is_marked_too() {
        let out = marked(&["\n Text.\n ```\n assert!(true);\n ```\n"]);
        assert_eq!(out, ["\n Text.\n ```ignore\n assert!(true);\n ```\n"]);
    }
}
