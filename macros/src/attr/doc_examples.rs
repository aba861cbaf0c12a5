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
/// `edition2021`, `ignore-<target>`, ...) gets `ignore` added (a line that starts with an
/// inline code span of backticks, ```` ```a``` ````, is no fence). A fence of another language (`text`, `json`) is left
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
    // A backtick fence's info string holds no backtick (CommonMark §4.5): ```` ```a``` ````
    // at a line's start is an inline code span, which opens no block.
    if fence_char == '`' && info.contains('`') {
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
                // `ignore-<target>`: ignored on that target only, run on the others.
                || word.starts_with("ignore-")
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

    /// A line that starts with an inline code span of three backticks (```` ```a``` ````) is
    /// no fence: a backtick fence's info string holds no backtick (CommonMark §4.5). Read as
    /// one, it opened a block that the example's opening fence then closed, and the
    /// example's closing fence, read as an opening, got `ignore`: the example ran twice and
    /// its block, never closed (a closing fence has no info string), swallowed the rest of
    /// the doc into the doctest.
    #[test]
    fn an_inline_code_span_at_a_line_start_is_no_fence() {
        let out = marked(&[
            " ```a``` is written so.",
            " ```",
            " let x = 1;",
            " ```",
            " More text.",
        ]);
        assert_eq!(
            out,
            [
                " ```a``` is written so.",
                " ```ignore",
                " let x = 1;",
                " ```",
                " More text.",
            ]
        );
    }

    /// rustdoc reads `ignore-<target>` as a Rust example's attribute (ignored on that target
    /// only, run elsewhere; without the unstable per-target flag, run everywhere): such a
    /// block ran twice as the model's and the patch's example.
    #[test]
    fn a_per_target_ignore_is_a_rust_example() {
        let out = marked(&[" ```ignore-wasm32", " let x = 1;", " ```"]);
        assert_eq!(out, [" ```ignore-wasm32,ignore", " let x = 1;", " ```"]);
    }
}
