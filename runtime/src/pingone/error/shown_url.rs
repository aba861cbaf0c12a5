//! A URL as an error shows it, without what may carry a credential.

/// A URL as an error shows it: up to its query and without its fragment or user information
/// (a query may carry a code or a token, as a sign-in redirect's does), or, when `text` is
/// not an absolute URL (a relative `Location`), `text` up to its query, with the userinfo of
/// a link relative to the scheme (`//user:password@host/...`) as `***@`
/// ([`shown_link`](super::super::query_credentials::shown_link), RFC 3986 §3.2.1); text that is no
/// URL, absolute or relative, with everything up to its last `@` as `***`
/// ([`shown_unparsed_link`](super::super::query_credentials::shown_unparsed_link)).
pub(crate) fn shown_url(text: &str) -> String {
    let text = text.trim();
    match reqwest::Url::parse(text) {
        Ok(mut url) => {
            url.set_query(None);
            url.set_fragment(None);
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.to_string()
        }
        // A relative reference (a `Location` of `/path`) is shown as a link is; text that is
        // not one either (`https://user:pa/ss@host`: where its userinfo ends cannot be told)
        // with less of it ([`shown_unparsed_link`](super::super::query_credentials::shown_unparsed_link)).
        Err(_) if is_relative_reference(text) => {
            super::super::query_credentials::shown_link(text).into_owned()
        }
        Err(_) => super::super::query_credentials::shown_unparsed_link(text),
    }
}

/// Whether `text` reads as a URL relative to an `https` one (RFC 3986 §4.2, resolved as the
/// WHATWG URL parser resolves it).
fn is_relative_reference(text: &str) -> bool {
    reqwest::Url::parse("https://base.invalid/")
        .and_then(|base| base.join(text))
        .is_ok()
}
