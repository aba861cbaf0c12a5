//! A page's `next` link: checked to stay under the API base URL and to name the collection
//! listed, normalised as it will be sent, and the errors that refuse it.

use percent_encoding::percent_decode_str;

use super::super::client::Arrived;
use super::super::query_credentials::{holds_credentials, shown_link, shown_unparsed_link};
use super::super::{Client, Error, Link};

impl Client {
    /// The `next` link of the page at `page_url`, checked to stay under the API base URL, and
    /// normalised as it will be sent.
    ///
    /// A relative link (`/v1/environments/...`, `users?cursor=...`, `?cursor=...`, as a gateway
    /// that rewrites links writes them) is resolved against `page_url` (RFC 3986 §5) first,
    /// and checked as an absolute one is.
    ///
    /// The link is parsed (WHATWG URL rules, as reqwest sends it), so `.` and `..` segments,
    /// their percent-encoded forms (`%2e%2e`, `.%2E`) and backslashes are resolved before it is
    /// compared with the base, part by part: the same scheme, no userinfo, the same host, the
    /// same port (the scheme's default counts), and a path under the base path followed by
    /// `/` (so `/v1evil/` is not under `/v1`). A path segment holding an encoded `/` or `\`
    /// (`%2F`, `%5C`), which a server could decode into another segment, is refused too.
    /// Below the base, the path must be the collection being listed,
    /// `environments/{environment}/users` (the ID in any case, compared percent-decoded; a
    /// fragment, which is never sent, is dropped): a link to another
    /// environment's users or to another collection would pass its entries off as users of
    /// this one. A link whose query gives an `access_token` or a `client_secret` a value is
    /// refused too (RFC 6750 §2, §2.3: the token goes in the header alone), and every error
    /// here shows the link without its query (which holds those values, or the filter that
    /// names a user), nor its userinfo (`***@`, RFC 3986 §3.2.1), and with the status and
    /// attempts of the page's answer (`arrived`).
    pub(super) fn next_link(
        &self,
        next: Option<&Link>,
        page_url: &str,
        environment: &str,
        arrived: Arrived,
    ) -> Result<Option<String>, Error> {
        // An empty `href` is no next page, as PingOne's Go SDK and other HAL clients read it
        // (`Links.Next.Href != ""`): resolved as RFC 3986 §5.2 says, it would name the page
        // just read, and the list would end in a decode error after its last page.
        let Some(next) = next.filter(|next| !next.href.trim().is_empty()) else {
            return Ok(None);
        };
        let base_text = self.api_base_url();
        // The link as an error shows it: without its query (a filter naming a user, or
        // credentials), nor its userinfo.
        let shown_href = || shown_link_start(&next.href);
        let refuse_shown = |why: &str, shown: String| {
            link_error(
                format!(
                    "the page's next link {why}: it must stay under {base_text}/, the token is \
                     not sent there"
                ),
                shown,
                arrived,
            )
        };
        let refuse = |why: &str| refuse_shown(why, shown_href());
        let base = reqwest::Url::parse(base_text)
            .map_err(|_| refuse("cannot be checked against the API base URL"))?;
        // Resolved against the page it came in (whose URL was sent, so it parses): a relative
        // link becomes absolute, an absolute one stays as it is.
        let mut url = reqwest::Url::parse(page_url)
            .and_then(|page| page.join(&next.href))
            .map_err(|_| {
                // Where its userinfo ends cannot be told: shown with less of it.
                let shown = shown_unparsed_link(&next.href);
                refuse_shown(
                    "is not a URL, absolute or relative to the page",
                    first_chars(&shown),
                )
            })?;
        // Never sent; kept, it would make each link of a cycle look new.
        url.set_fragment(None);
        // RFC 6750 §2: a client MUST NOT send its token more than one way in a request, and
        // §2.3 keeps it out of URLs (they land in logs): a link that carries one, such as a
        // gateway that echoes the request's token into its links, would have sent it in the
        // URL beside the Authorization header, and shown it in every error of that page.
        if url.query().is_some_and(holds_credentials) {
            return Err(link_error(
                "the page's next link carries an access_token or client_secret in its query \
                 (RFC 6750 §2.3): it is not followed, as the client sends its token in the \
                 Authorization header alone"
                    .to_owned(),
                shown_href(),
                arrived,
            ));
        }
        if url.scheme() != base.scheme() {
            return Err(refuse("has another scheme"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(refuse("holds userinfo"));
        }
        if url.host() != base.host() {
            return Err(refuse("names another host"));
        }
        if url.port_or_known_default() != base.port_or_known_default() {
            return Err(refuse("names another port"));
        }
        let base_path = base.path().trim_end_matches('/');
        let Some(below) = url
            .path()
            .strip_prefix(base_path)
            .and_then(|rest| rest.strip_prefix('/'))
        else {
            return Err(refuse("leaves the API base path once resolved"));
        };
        let hides_a_separator = below
            .split('/')
            .any(|segment| percent_decode_str(segment).any(|byte| matches!(byte, b'/' | b'\\')));
        if hides_a_separator {
            return Err(refuse("holds an encoded / or \\ in its path"));
        }
        // Compared decoded, as the server reads the path (`%61` is `a`); no segment holds an
        // encoded separator (checked above).
        let segments: Vec<_> = below
            .split('/')
            .map(|segment| percent_decode_str(segment).collect::<Vec<u8>>())
            .collect();
        let collection = matches!(
            segments.as_slice(),
            [environments, id, users]
                if environments == b"environments"
                    && users == b"users"
                    && id.eq_ignore_ascii_case(environment.as_bytes())
        );
        if !collection {
            return Err(link_error(
                format!(
                    "the page's next link names another collection than the users of \
                     environment {environment} ({base_text}/environments/{environment}/users): \
                     what it lists would pass for users of this environment"
                ),
                shown_href(),
                arrived,
            ));
        }
        Ok(Some(url.into()))
    }
}

/// `url` as the client sends it (parsed and serialised), or as it is if it is not a URL, so
/// that two spellings of one page compare equal.
pub(super) fn normalised(url: &str) -> String {
    reqwest::Url::parse(url).map_or_else(|_| url.to_owned(), String::from)
}

/// The first [`BODY_START_CHARS`](super::super::BODY_START_CHARS) characters of a `next`
/// link as an error shows it ([`shown_link`]): without its query, which holds the filter that
/// finds a user (`filter=email eq "ada@example.com"`) and may hold credentials, as a
/// transport error's URL has none; nor its fragment or userinfo.
fn shown_link_start(link: &str) -> String {
    first_chars(&shown_link(link))
}

/// The first [`BODY_START_CHARS`](super::super::BODY_START_CHARS) characters of `text`, as an
/// error keeps them in `body_start`.
fn first_chars(text: &str) -> String {
    text.chars().take(super::super::BODY_START_CHARS).collect()
}

/// The [`Error::Decode`] that ends a list whose paging does not advance, with the `next` link
/// that arrived, as an error shows it ([`shown_link_start`]), and the status and attempts of
/// the page that held it.
pub(super) fn paging_error(reason: String, next: &str, arrived: Arrived) -> Error {
    link_error(reason, shown_link_start(next), arrived)
}

/// The [`Error::Decode`] of a page's `next` link (`shown`, as an error shows it): the status
/// and attempts are those of the page's answer (`arrived`), any 2xx; they were said to be a
/// 200 sent once whatever arrived.
fn link_error(reason: String, shown: String, arrived: Arrived) -> Error {
    Error::Decode {
        status: arrived.status,
        reason,
        body_start: shown,
        attempts: arrived.attempts,
        retry_after: None,
    }
}
