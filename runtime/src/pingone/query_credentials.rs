//! Credentials in a URL's query (RFC 6750 §2.3's `access_token`, RFC 6749 §2.3.1's
//! `client_secret`, which no request should carry there): telling them ([`holds_credentials`]),
//! and taking their values out of a query or URL that is shown ([`redacted_query`],
//! [`redacted_url`], which takes a URL's userinfo out too). The client refuses a `next` link that carries them; the emulator refuses
//! requests that do, and leaves them out of its recorded requests' `Debug`.

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
/// form-decoded, as a server reads it: `access%5Ftoken` too) replaced by `***`.
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

/// `url`, absolute or relative, as written, with its query's credentials taken out
/// ([`redacted_query`]): the query is what follows the first `?`, up to a `#`; and with its
/// userinfo, if it has one, as `***` ([`without_userinfo`]). A URL that holds an ASCII tab or
/// newline is shown without them, as it is read: the WHATWG URL parser drops them wherever
/// they stand ("basic URL parser", its first steps), so that `access_\ttoken=...` names an
/// `access_token`.
#[cfg(feature = "client")]
pub(crate) fn redacted_url(url: &str) -> Cow<'_, str> {
    const TAB_OR_NEWLINE: [char; 3] = ['\t', '\n', '\r'];
    if url.contains(TAB_OR_NEWLINE) {
        let read: String = url
            .chars()
            .filter(|c| !TAB_OR_NEWLINE.contains(c))
            .collect();
        return Cow::Owned(redacted_url(&read).into_owned());
    }
    match without_userinfo(url) {
        Cow::Borrowed(url) => with_query_redacted(url),
        Cow::Owned(shown) => Cow::Owned(with_query_redacted(&shown).into_owned()),
    }
}

/// `url` with its query's credentials taken out ([`redacted_url`]).
#[cfg(feature = "client")]
fn with_query_redacted(url: &str) -> Cow<'_, str> {
    let Some((before, rest)) = url.split_once('?') else {
        return Cow::Borrowed(url);
    };
    let (query, fragment) = rest
        .split_once('#')
        .map_or((rest, None), |(query, fragment)| (query, Some(fragment)));
    match redacted_query(query) {
        Cow::Borrowed(_) => Cow::Borrowed(url),
        Cow::Owned(query) => Cow::Owned(match fragment {
            Some(fragment) => format!("{before}?{query}#{fragment}"),
            None => format!("{before}?{query}"),
        }),
    }
}

/// `url`, absolute or relative, with the userinfo of its authority (`user:password@`) as
/// `***@`: RFC 3986 §3.2.1 asks that what follows its first `:` never be shown as clear text,
/// and a user name may be a token too. The authority is read as the WHATWG URL parser reads
/// it: after an `http`/`https` scheme with any number of `/` or `\\` (none too), after another
/// scheme's `//`, or after a leading `//` (a link relative to the scheme); up to the next `/`,
/// `\\`, `?` or `#`; its userinfo ends at its last `@`.
#[cfg(feature = "client")]
pub(crate) fn without_userinfo(url: &str) -> Cow<'_, str> {
    let is_slash = |c: char| c == '/' || c == '\\';
    let scheme = url
        .split_once(':')
        .map(|(scheme, _)| scheme)
        .filter(|scheme| {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        });
    let authority_start = match scheme {
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
            let mut chars = url.chars();
            (chars.next().is_some_and(is_slash) && chars.next().is_some_and(is_slash))
                .then(|| url.len() - url.trim_start_matches(is_slash).len())
        }
    };
    let Some(start) = authority_start else {
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

#[cfg(test)]
mod tests {
    use super::{form_decode, holds_credentials, redacted_query};

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
            assert_eq!(holds_credentials(query), holds, "{query}");
            assert_eq!(redacted_query(query), redacted, "{query}");
        }
    }

    #[cfg(feature = "client")]
    #[test]
    fn a_urls_query_alone_is_redacted() {
        for (url, redacted) in [
            (
                "https://h/p?access_token=t#f",
                "https://h/p?access_token=***#f",
            ),
            ("?a=1&client_secret=s", "?a=1&client_secret=***"),
            ("https://h/access_token=t", "https://h/access_token=t"),
            // Shown, not sent: a look-alike after the fragment's `#` is taken out too.
            (
                "https://h/p#?access_token=t",
                "https://h/p#?access_token=***",
            ),
            // The userinfo's credentials, wherever the URL parser reads an authority.
            ("https://u:p@h/p?x=1", "https://***@h/p?x=1"),
            ("HTTP:\\\\u:p@h/p", "HTTP:\\\\***@h/p"),
            ("http:u:p@h/p", "http:***@h/p"),
            ("//u@p@h/p", "//***@h/p"),
            ("ftp://u:p@h/p", "ftp://***@h/p"),
            ("https://h/p@q?a=b@c", "https://h/p@q?a=b@c"),
            ("users/@me?x=1", "users/@me?x=1"),
            ("mailto:u@h", "mailto:u@h"),
            ("?a=u@h", "?a=u@h"),
            // Read without its tabs and newlines, as the URL parser reads it.
            ("?access\t_token=t&x=\n1", "?access_token=***&x=1"),
            ("https://h/p?x=1\t", "https://h/p?x=1"),
        ] {
            assert_eq!(super::redacted_url(url), redacted, "{url}");
        }
    }
}
