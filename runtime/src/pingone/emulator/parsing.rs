//! Reading what a request carries: path segments, `Authorization` credentials, and
//! form-encoded text (token request bodies and query strings: [`form_decode`], shared with
//! the client).

pub(super) use crate::pingone::query_credentials::form_decode;

/// The `index`-th segment of `path` (`0` is the empty text before its leading `/`),
/// percent-decoded (RFC 3986 §2.1), with bytes that are not UTF-8 as U+FFFD; empty when the
/// path has fewer segments.
///
/// The handlers read their identifiers with this rather than axum's `Path`, whose rejection of
/// a segment that decodes to bytes that are not UTF-8 (`/users/%FF`) is a plain-text 400 that a
/// client reading PingOne errors cannot parse. Decoded so, such an identifier names no
/// environment or user, and the request gets the answer any unknown identifier gets (after
/// the token check: 404 `NOT_FOUND`, or the token endpoint's OAuth 404).
pub(super) fn path_segment(path: &str, index: usize) -> String {
    path.split('/')
        .nth(index)
        .map_or_else(String::new, |segment| {
            percent_encoding::percent_decode_str(segment)
                .decode_utf8_lossy()
                .into_owned()
        })
}

/// The credentials of an `Authorization` value whose scheme is `scheme`: the scheme is
/// compared in any case and followed by one or more spaces (RFC 9110 §11.1 and §11.4).
pub(super) fn credentials<'a>(value: &'a str, scheme: &str) -> Option<&'a str> {
    let (given, rest) = value.split_once(' ')?;
    given
        .eq_ignore_ascii_case(scheme)
        .then(|| rest.trim_start_matches(' '))
}

/// The schemes of IANA's HTTP Authentication Scheme Registry
/// (<https://www.iana.org/assignments/http-authschemes>): the words that an `Authorization`
/// value without credentials after them names as its scheme ([`scheme`]).
const REGISTERED_SCHEMES: [&str; 14] = [
    "Basic",
    "Bearer",
    "Concealed",
    "Digest",
    "DPoP",
    "GNAP",
    "HOBA",
    "Mutual",
    "Negotiate",
    "OAuth",
    "PrivateToken",
    "SCRAM-SHA-1",
    "SCRAM-SHA-256",
    "vapid",
];

/// The authentication scheme of an `Authorization` value, as the client wrote it: the text
/// before the first space, when it is an RFC 9110 §5.6.2 `token`. A value of one word, with
/// no credentials after it, is a scheme only when it is a registered one
/// ([`REGISTERED_SCHEMES`], in any case): any other word may be the credentials sent without
/// their scheme (a client secret or a token pasted alone), which an answer that names the
/// scheme would send back in its `WWW-Authenticate`.
pub(super) fn scheme(value: &str) -> Option<&str> {
    let (scheme, credentials) = match value.split_once(' ') {
        Some((scheme, _)) => (scheme, true),
        None => (value, false),
    };
    let token_char = |byte: u8| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte);
    let registered = || {
        REGISTERED_SCHEMES
            .iter()
            .any(|registered| registered.eq_ignore_ascii_case(scheme))
    };
    (!scheme.is_empty() && scheme.bytes().all(token_char) && (credentials || registered()))
        .then_some(scheme)
}

#[cfg(test)]
mod tests {
    use super::path_segment;

    #[test]
    fn path_segments_are_percent_decoded_and_never_refused() {
        let path = "/v1/environments/%61bc/users/%FF%2Fx";
        assert_eq!(path_segment(path, 0), "");
        assert_eq!(path_segment(path, 1), "v1");
        assert_eq!(path_segment(path, 3), "abc");
        assert_eq!(path_segment(path, 5), "\u{fffd}/x");
        assert_eq!(path_segment(path, 6), "");
        // `+` is a plus sign in a path, not a space as in a form.
        assert_eq!(path_segment("/a+b", 1), "a+b");
    }

    /// The scheme sent back in a token endpoint's `WWW-Authenticate` is an RFC 9110 §5.6.2
    /// `token` only: a first word with other characters (`id:secret`, credentials written
    /// without their scheme) is none, and is never echoed. (Mutation testing: dropping the
    /// check of its characters went unnoticed.)
    #[test]
    fn a_scheme_is_a_token_and_credentials_are_not_one() {
        for (value, scheme) in [
            ("Bearer abc", Some("Bearer")),
            ("basic abc", Some("basic")),
            ("DPoP", Some("DPoP")),
            ("secret-alone", None),
            ("id:secret rest", None),
            ("a/b c", None),
            ("\"quoted\" c", None),
            (" Bearer abc", None),
        ] {
            assert_eq!(super::scheme(value), scheme, "{value:?}");
        }
    }
}
