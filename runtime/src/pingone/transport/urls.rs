//! What an error keeps of a URL (no query, fragment or userinfo), and a URL compared
//! without its fragment, as a followed redirect is told.

/// `error` with the query taken out of its URL: a listing's query holds the filter that finds
/// a user (`filter=email eq "ada@example.com"`), which the error's text and `Debug` (logged by
/// callers; the sync job's report and its `tracing` event when it stops) would otherwise
/// carry: a user's email or username. The scheme, host and path, which tell a wrong base URL
/// or an unreachable host, stay.
pub(super) fn without_query(mut error: reqwest::Error) -> reqwest::Error {
    if let Some(url) = error.url_mut() {
        keep_scheme_host_and_path(url);
    }
    error
}

/// Takes the query, the fragment and the userinfo out of `url`, an error's, for the reasons
/// of [`without_query`]: a URL that a redirect led to keeps the request's query as often as
/// not, and may add credentials of its own, in its query or its userinfo (RFC 3986 §3.2.1).
pub(super) fn keep_scheme_host_and_path(url: &mut reqwest::Url) {
    url.set_query(None);
    url.set_fragment(None);
    // Refused only by a URL that cannot hold userinfo, which then has none.
    let _ = url.set_username("");
    let _ = url.set_password(None);
}

/// A URL's text up to its fragment: a serialized URL holds `#` only where its fragment starts
/// (WHATWG URL Standard, the fragment percent-encode set aside).
pub(super) fn without_fragment(url: &reqwest::Url) -> &str {
    url.as_str().split('#').next().unwrap_or_default()
}
