//! Credentials in a URL (RFC 6750 §2.3's `access_token`, RFC 6749 §2.3.1's `client_secret`,
//! which no request should carry in its query; RFC 3986 §3.2.1's userinfo): telling them
//! ([`holds_credentials`]), and taking them out of a query or URL that is shown
//! ([`redacted_query`]; [`shown_link`], which shows no query at all, and
//! [`without_userinfo`]). The client refuses a `next` link that carries them; the emulator
//! refuses requests that do, and leaves them out of its recorded requests' `Debug`.

use std::borrow::Cow;

/// Decodes `application/x-www-form-urlencoded` text (WHATWG URL, "application/x-www-form-urlencoded
/// parsing"): `+` is a space, `%` and two hexadecimal digits a byte, any other `%` itself;
/// bytes that are not UTF-8 become U+FFFD.
pub(crate) fn form_decode(text: &str) -> String {
    let spaced = text.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}

/// Whether `pair`, one `name=value` of a query, gives a credential a value: its name,
/// form-decoded as a server reads it (`access%5Ftoken` too), is `access_token` or
/// `client_secret`.
fn is_credential(pair: &str) -> bool {
    pair.split_once('=').is_some_and(|(name, _)| {
        matches!(form_decode(name).as_str(), "access_token" | "client_secret")
    })
}

/// Whether `query` (without its `?`) gives an `access_token` or a `client_secret` a value.
pub(crate) fn holds_credentials(query: &str) -> bool {
    query.split('&').any(is_credential)
}

/// `query` with the value of each `access_token` or `client_secret` parameter (its name
/// form-decoded, as a server reads it: `access%5Ftoken` too) replaced by `***`: the emulator's
/// recorded requests show their query so.
#[cfg(feature = "emulator")]
pub(crate) fn redacted_query(query: &str) -> Cow<'_, str> {
    if !holds_credentials(query) {
        return Cow::Borrowed(query);
    }
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if is_credential(pair) => format!("{name}=***"),
            _ => pair.to_owned(),
        })
        .collect();
    Cow::Owned(pairs.join("&"))
}

/// `url`, absolute or relative, as an error shows a link that the client did not follow (a
/// listing's `next` link): as written, up to its query (a listing's query holds the filter
/// that finds a user, `filter=email eq "ada@example.com"`, and may hold credentials, RFC 6750
/// §2.3), without its fragment, and with its userinfo, if it has one, as `***`
/// ([`without_userinfo`]); a transport error's URL has no query either. A query hidden in
/// its path is left out too ([`hidden_query_start`]: `%3F`, `;`). A URL that holds an
/// ASCII tab or newline is shown without them, as it is read: the WHATWG URL parser drops them
/// wherever they stand ("basic URL parser", its first steps), so that `/\t/user:secret@host`
/// has an authority, and userinfo; and so, before and after it, the C0 controls and spaces
/// that the parser drops there first (` https://user:secret@host` is read as `https://...`).
#[cfg(feature = "client")]
pub(crate) fn shown_link(url: &str) -> Cow<'_, str> {
    const TAB_OR_NEWLINE: [char; 3] = ['\t', '\n', '\r'];
    let is_c0_or_space = |c: char| c <= ' ';
    let trimmed = url.trim_matches(is_c0_or_space);
    if trimmed.len() != url.len() {
        return Cow::Owned(shown_link(trimmed).into_owned());
    }
    if url.contains(TAB_OR_NEWLINE) {
        let read: String = url
            .chars()
            .filter(|c| !TAB_OR_NEWLINE.contains(c))
            .collect();
        return Cow::Owned(shown_link(&read).into_owned());
    }
    let shown = without_userinfo(url.split(['?', '#']).next().unwrap_or_default());
    match hidden_query_start(&shown) {
        Some(end) => Cow::Owned(shown[..end].to_owned()),
        None => shown,
    }
}

/// Where a query hidden in a link's path starts, as a gateway that rewrites links may write
/// it: a `?` or `#` percent-encoded once or more (`%3F`, `%253F`, any case), which a server
/// that decodes the path reads as one; or a path parameter's `;` (RFC 3986 §3.3), which some
/// servers read as a query. `None` without one.
#[cfg(feature = "client")]
fn hidden_query_start(path: &str) -> Option<usize> {
    path.char_indices().find_map(|(at, c)| {
        let hides = match c {
            ';' => true,
            '%' => {
                let mut rest = &path[at + 1..];
                while let Some(after) = rest.strip_prefix("25") {
                    rest = after;
                }
                rest.get(..2)
                    .is_some_and(|code| code.eq_ignore_ascii_case("3f") || code == "23")
            }
            _ => false,
        };
        hides.then_some(at)
    })
}

/// `url`, absolute or relative, with the userinfo of its authority (`user:password@`) as
/// `***@`: RFC 3986 §3.2.1 asks that what follows its first `:` never be shown as clear text,
/// and a user name may be a token too. The authority is read as the WHATWG URL parser reads
/// it: after an `http`/`https` scheme with any number of `/` or `\\` (none too), after another
/// scheme's `//`, after a leading `//` (a link relative to the scheme), or after text written
/// as a scheme that is none (`my_app://`, which the parser reads as a path); up to the next `/`,
/// `\\`, `?` or `#`; its userinfo ends at its last `@`.
#[cfg(feature = "client")]
pub(crate) fn without_userinfo(url: &str) -> Cow<'_, str> {
    let Some(start) = authority_start(url) else {
        return Cow::Borrowed(url);
    };
    let authority_end = url[start..]
        .find(|c: char| is_slash(c) || c == '?' || c == '#')
        .map_or(url.len(), |end| start + end);
    match url[start..authority_end].rfind('@') {
        Some(at) => Cow::Owned(format!("{}***{}", &url[..start], &url[start + at..])),
        None => Cow::Borrowed(url),
    }
}

/// Whether `c` ends an authority as a `/` does: `\\` does in a special URL (WHATWG URL).
#[cfg(feature = "client")]
fn is_slash(c: char) -> bool {
    c == '/' || c == '\\'
}

/// Where the authority of `url` starts, as the WHATWG URL parser reads it (see
/// [`without_userinfo`]), or `None` for a URL without one.
#[cfg(feature = "client")]
fn authority_start(url: &str) -> Option<usize> {
    let scheme = url
        .split_once(':')
        .map(|(scheme, _)| scheme)
        .filter(|scheme| {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        });
    match scheme {
        Some(scheme) => {
            let rest = &url[scheme.len() + 1..];
            let special =
                scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
            let slashes = rest.len() - rest.trim_start_matches(is_slash).len();
            if special || rest.starts_with("//") {
                Some(scheme.len() + 1 + slashes)
            } else {
                None
            }
        }
        None => {
            // A first segment that ends in `:` before two slashes (`my_app://`, `ht tps://`):
            // no scheme to the parser, which reads a path, but written as a scheme, and the
            // text after it as an authority, whose userinfo is hidden as such.
            let written_as_scheme = url
                .split_once(':')
                .filter(|(first, rest)| {
                    !first.contains(|c: char| is_slash(c) || c == '?' || c == '#')
                        && rest.chars().take(2).filter(|&c| is_slash(c)).count() == 2
                })
                .map_or(0, |(first, _)| first.len() + 1);
            let rest = &url[written_as_scheme..];
            let mut chars = rest.chars();
            (chars.next().is_some_and(is_slash) && chars.next().is_some_and(is_slash))
                .then(|| url.len() - rest.trim_start_matches(is_slash).len())
        }
    }
}

/// `url`, a link that no URL parser reads (absolute, or relative to the page it came in), as
/// an error shows it: as [`shown_link`] shows a link, and then, since where its userinfo ends
/// cannot be told (a password that holds a `/`, `\\`, `?` or `#` ends the authority's text
/// early, and the parser reads `user:password` as a host and a port that is no number),
/// everything from its authority up to its last `@` as `***`, and, without an `@`, the part
/// of its authority after the first `:` as `***` unless it is a port (digits alone): RFC 3986
/// §3.2.1 asks that nothing after a userinfo's first `:` be shown as clear text. So
/// `https://u:p/w@h/x` shows as `https://***@h/x` and `https://u:p?w@h/` as `https://u:***`,
/// where [`shown_link`] showed the password whole or in part; a link that has no authority
/// is shown as [`shown_link`] shows it.
#[cfg(feature = "client")]
pub(crate) fn shown_unparsed_link(url: &str) -> String {
    let shown = shown_link(url);
    let Some(start) = authority_start(&shown) else {
        return shown.into_owned();
    };
    let (before, rest) = shown.split_at(start);
    if let Some(at) = rest.rfind('@') {
        return format!("{before}***{}", &rest[at..]);
    }
    let authority_end = rest.find(is_slash).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.split_once(':') {
        Some((host, port)) if !port.bytes().all(|byte| byte.is_ascii_digit()) => {
            format!("{before}{host}:***{path}")
        }
        _ => shown.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::form_decode;

    /// `%+1` was read as the byte 1: the two characters after `%` went through
    /// `u8::from_str_radix`, which takes a sign. Only two hexadecimal digits make a byte (and
    /// `+` is a space wherever it stands).
    #[test]
    fn only_two_hexadecimal_digits_make_a_byte() {
        for (text, decoded) in [
            ("%+1", "% 1"),
            ("%-1", "%-1"),
            ("%1", "%1"),
            ("%", "%"),
            ("%zz", "%zz"),
            ("%4", "%4"),
            ("%41%4a%4A", "AJJ"),
            ("a+b%2Bc", "a b+c"),
            ("%25%32%30", "%20"),
            ("%C3%A9", "\u{e9}"),
            ("%FF", "\u{fffd}"),
        ] {
            assert_eq!(form_decode(text), decoded, "{text}");
        }
    }

    #[cfg(feature = "emulator")]
    #[test]
    fn credentials_are_told_by_their_decoded_name_and_taken_out() {
        for (query, holds, redacted) in [
            ("cursor=1", false, "cursor=1"),
            ("access_token", false, "access_token"),
            ("access_token=t&x=1", true, "access_token=***&x=1"),
            ("x=1&access%5Ftoken=t", true, "x=1&access%5Ftoken=***"),
            ("client_secret=s=s", true, "client_secret=***"),
            ("access+token=t", false, "access+token=t"),
        ] {
            assert_eq!(super::holds_credentials(query), holds, "{query}");
            assert_eq!(super::redacted_query(query), redacted, "{query}");
        }
    }

    /// A link is shown without its query, which held a user's email in a lookup's filter
    /// (`filter=email eq "..."`) where a transport error shows none, nor its fragment, nor its
    /// userinfo's credentials.
    #[cfg(feature = "client")]
    #[test]
    fn a_link_is_shown_without_its_query_fragment_or_userinfo() {
        for (url, shown) in [
            (
                "https://h/p?filter=email%20eq%20%22ada@example.com%22&limit=2",
                "https://h/p",
            ),
            ("https://h/p?access_token=t#f", "https://h/p"),
            ("?a=1&client_secret=s", ""),
            ("https://h/access_token=t", "https://h/access_token=t"),
            ("https://h/p#?access_token=t", "https://h/p"),
            ("https://h/v1/../admin", "https://h/v1/../admin"),
            // The userinfo's credentials, wherever the URL parser reads an authority.
            ("https://u:p@h/p?x=1", "https://***@h/p"),
            ("HTTP:\\\\u:p@h/p", "HTTP:\\\\***@h/p"),
            ("http:u:p@h/p", "http:***@h/p"),
            ("//u@p@h/p", "//***@h/p"),
            ("ftp://u:p@h/p", "ftp://***@h/p"),
            ("https://h/p@q?a=b@c", "https://h/p@q"),
            ("users/@me?x=1", "users/@me"),
            // A path from the root has no authority: one `/` is not two.
            ("/users@example.com/p?x=1", "/users@example.com/p"),
            ("\\users@example.com/p", "\\users@example.com/p"),
            ("mailto:u@h", "mailto:u@h"),
            ("?a=u@h", ""),
            // Read without its tabs and newlines, as the URL parser reads it.
            ("/\t/u:p@h/p?x=1", "//***@h/p"),
            ("https://h/p\n?x=1\t", "https://h/p"),
            // A query hidden in the path.
            ("https://h/users%3Ffilter=a", "https://h/users"),
            ("https://h/users%3ffilter=a", "https://h/users"),
            ("https://h/users%25253Ffilter=a", "https://h/users"),
            ("https://h/users%23%3Ffilter=a", "https://h/users"),
            ("/users;email=a", "/users"),
            ("https://u;x:p@h/users;email=a", "https://***@h/users"),
            ("https://h/a%2Fb%25c", "https://h/a%2Fb%25c"),
            ("https://h/a%3", "https://h/a%3"),
        ] {
            assert_eq!(super::shown_link(url), shown, "{url}");
        }
    }

    /// A link that no URL parser reads does not tell where its userinfo ends: everything up to
    /// its last `@` (before its query) is `***`, and without an `@`, what follows the first `:`
    /// of its authority unless it is a port. A link without an authority is shown as a link
    /// that parses is.
    #[cfg(feature = "client")]
    #[test]
    fn a_link_that_is_no_url_is_shown_without_what_may_be_its_userinfo() {
        for (url, shown) in [
            ("https://u:p/w@h/x?a=b@c", "https://***@h/x"),
            ("https://u:p\\w@h/x", "https://***@h/x"),
            ("//u:p/w@h/x", "//***@h/x"),
            ("https://u@p:q/w@h/x", "https://***@h/x"),
            ("https://u:p?w@h/x", "https://u:***"),
            ("https://u:p#w@h/x", "https://u:***"),
            ("https://u:p;w@h/x", "https://***@h/x"),
            ("https://u:p%3Fw@h/x", "https://***@h/x"),
            ("https://u:p\t/w@h/x", "https://***@h/x"),
            ("https://h:99999/x?filter=a@b", "https://h:99999/x"),
            ("https://h:/x", "https://h:/x"),
            ("https://[::1/x?a=b", "https://[:***/x"),
            ("https://h:bad", "https://h:***"),
            ("/x@y?a=b", "/x@y"),
            ("mailto:u:p@h", "mailto:u:p@h"),
        ] {
            assert_eq!(super::shown_unparsed_link(url), shown, "{url}");
        }
    }

    /// A link whose scheme is none (`my_app://`, `ht tps://`: a `_` or a space in it), which
    /// the URL parser reads as a relative path, was shown with its userinfo whole: the rule
    /// found no scheme, and so no authority. Written as a scheme and an authority, it is
    /// shown as one, its userinfo as `***`.
    #[cfg(feature = "client")]
    #[test]
    fn a_link_whose_scheme_is_no_scheme_is_shown_without_its_userinfo() {
        for (url, shown) in [
            ("my_app://u:s3cr3t@h/x?a=b", "my_app://***@h/x"),
            ("ht tps://u:s3cr3t@h/x", "ht tps://***@h/x"),
            ("1https://u:s3cr3t@h", "1https://***@h"),
            ("é://u:s3cr3t@h", "é://***@h"),
            ("my_app:\\\\u:s3cr3t@h", "my_app:\\\\***@h"),
            // A path: its `:` follows a `/`, and the text after it is no authority.
            ("a/b://u@h", "a/b://u@h"),
            ("my_app:/u@h", "my_app:/u@h"),
        ] {
            assert_eq!(super::shown_link(url), shown, "{url}");
        }
    }
}
