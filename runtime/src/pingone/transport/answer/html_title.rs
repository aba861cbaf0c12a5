//! The `<title>` of an HTML error page, as an error names a proxy's or gateway's page.

/// The text of the `<title>` element of the HTML page `page` (found in its first 8,192
/// characters, its name in any case, with attributes or without), its white space runs made
/// one space, at most 100 characters; `None` without one, or when it is empty. A `<title>`
/// written inside a comment, a `<script>` or a `<style>` (whose text is no markup) is not the
/// page's, nor is an element whose name only starts with `title`: the first `<title` of the
/// text, which an edited page's comment or a script setting the title can hold before the
/// real one, named the wrong page.
pub(super) fn html_title(page: &str) -> Option<String> {
    let head: String = page.chars().take(8 * 1024).collect();
    // ASCII case alone: the same byte offsets as `head`.
    let lower = head.to_ascii_lowercase();
    let mut at = 0;
    let start = loop {
        let open = at + lower[at..].find('<')?;
        let rest = &lower[open..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            // An unclosed comment holds the rest of the page.
            at = open + 4 + comment.find("-->")? + 3;
        } else if let Some(name) = ["script", "style"]
            .into_iter()
            .find(|name| starts_element(rest, name))
        {
            let end = format!("</{name}");
            at = open + rest.find(&end)? + end.len();
        } else if starts_element(rest, "title") {
            break open + rest.find('>')? + 1;
        } else {
            at = open + 1;
        }
    };
    let length = lower[start..].find("</title")?;
    let title: String = head[start..start + length]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(100)
        .collect();
    (!title.is_empty()).then_some(title)
}

/// Whether `text` (in lower case) starts with the start tag of the element `name`: `<name`
/// followed by `>`, `/` or white space, which end its name (`<titlebar>` is not a `<title>`).
fn starts_element(text: &str, name: &str) -> bool {
    text.strip_prefix('<')
        .and_then(|rest| rest.strip_prefix(name))
        .is_some_and(|after| {
            after.starts_with(|character: char| {
                character == '>' || character == '/' || character.is_ascii_whitespace()
            })
        })
}

#[cfg(test)]
mod tests {
    /// The `<title>` of an error page is the element's: not a `<title>` written inside a
    /// comment, a script or a style (whose text is no markup, and which an edited page or a
    /// page that sets its title by script holds before the real one), nor an element whose
    /// name only starts with `title`; its name and end in any case, with attributes.
    #[test]
    fn an_error_page_s_title_is_the_title_element_s() {
        let cases = [
            (
                "<!-- <title>Old page</title> --><title>502 Bad Gateway</title>",
                Some("502 Bad Gateway"),
            ),
            (
                "<head><script>document.title = '<title>x</title>';</script>\
                 <title>503 Service Unavailable</title>",
                Some("503 Service Unavailable"),
            ),
            (
                "<style>/* <title>css</title> */</style><TITLE lang=en>Denied</TiTlE >",
                Some("Denied"),
            ),
            (
                "<titlebar>Menu</titlebar><title>Blocked</title>",
                Some("Blocked"),
            ),
            ("<!-- <title>Only in a comment</title>", None),
            (
                "<title>\n  Access\t denied \r\n</title>",
                Some("Access denied"),
            ),
            ("<title>unclosed", None),
        ];
        for (page, title) in cases {
            assert_eq!(super::html_title(page).as_deref(), title, "{page}");
        }
    }
}
