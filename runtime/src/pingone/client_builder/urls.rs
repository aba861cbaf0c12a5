//! The builder's URLs checked together, in [`build`](ClientBuilder::build)'s order, and the
//! plain `http` URLs refused for the proxy they would cross the network to
//! ([`ClientBuilder::plain_http_refusal`]).

use super::super::http_client::{ProxyUrl, is_loopback};
use super::super::{Error, PlainHttpRefusal, TokenSource};
use super::ClientBuilder;
use super::base_url::{check_api_path, check_auth_path, check_base_url, check_same_region};
use super::refused::Refused;
use super::shown_url::quoted_url;

impl ClientBuilder {
    /// The plain `http` URL that [`build`](ClientBuilder::build) refuses first because
    /// [`allow_plain_http`](ClientBuilder::allow_plain_http) is off, if that is the first of
    /// the builder's faults that `build` finds: a URL to another machine, or one to this
    /// machine sent through a [`proxy`](ClientBuilder::proxy) on another machine, or through
    /// the environment's (`HTTP_PROXY`, `ALL_PROXY`, read now as `build` reads them) (RFC 6750
    /// §5.3, RFC 6749 §2.3.1). `build` then returns [`Error::Config`] with its text and
    /// advice, which names `allow_plain_http(true)`; a program that turns that setting on from
    /// a setting of its own (a variable, a flag) can name its own instead, without reading the
    /// error's text. `None` when `build` refuses no URL for that reason, or refuses another
    /// fault first (a URL that is not one, a missing token source), or refuses the address
    /// `0.0.0.0` or `[::]`, for which it says to write `127.0.0.1` or `[::1]`.
    ///
    /// ```
    /// use sparse_patch::pingone::{Client, TokenSource};
    ///
    /// let builder = Client::builder()
    ///     .api_base_url("http://emulator.internal:8080/v1")
    ///     .token(TokenSource::bearer("emulator-access-token"));
    /// let refusal = builder.plain_http_refusal().expect("plain http to another machine");
    /// assert_eq!(refusal.setting(), "API base URL");
    /// assert_eq!(refusal.url(), "http://emulator.internal:8080/v1");
    /// assert!(refusal.to_string().contains("clear text"));
    /// assert_eq!(builder.allow_plain_http(true).plain_http_refusal(), None);
    /// ```
    #[must_use]
    pub fn plain_http_refusal(&self) -> Option<PlainHttpRefusal> {
        match self.checked_urls_refusal() {
            Err(Refused::PlainHttp(refusal)) => Some(refusal),
            Ok(_) | Err(Refused::Other(_)) => None,
        }
    }

    /// The API base URL, the auth base URL and the token URL, checked as
    /// [`build`](ClientBuilder::build) checks them, in its order, with the token source
    /// (its presence and [`TokenSource::check`]) and the proxy each sends through.
    pub(super) fn checked_urls(&self) -> Result<Urls, Error> {
        self.checked_urls_refusal().map_err(Error::from)
    }

    /// [`checked_urls`](Self::checked_urls), with a refusal for plain `http`
    /// ([`Refused::PlainHttp`]) told from any other.
    fn checked_urls_refusal(&self) -> Result<Urls, Refused> {
        let api_base = match (&self.api_base_url, self.region) {
            (Some(url), _) => {
                check_api_path(check_base_url("API base URL", url, self.allow_plain_http)?)?
            }
            (None, Some(region)) => region.api_base_url().to_owned(),
            (None, None) => {
                return Err(
                    Error::Config("set a region or an API base URL (api_base_url)".into()).into(),
                );
            }
        };
        let auth_base = match (&self.auth_base_url, self.region) {
            (Some(url), _) => Some(check_auth_path(check_base_url(
                "auth base URL",
                url,
                self.allow_plain_http,
            )?)?),
            (None, Some(region)) => Some(region.auth_base_url().to_owned()),
            (None, None) => None,
        };
        let source = self.token.as_ref().ok_or_else(no_token_source)?;
        // Checked as a base URL is, but used as it is: not trimmed of a final `/`, which a
        // token endpoint's route may need.
        let token_url = match self.token_url.as_deref() {
            Some(url) => {
                check_base_url("token URL", url, self.allow_plain_http)?;
                Some(
                    reqwest::Url::parse(url)
                        .map(String::from)
                        .map_err(|error| {
                            Error::Config(format!(
                                "the token URL {shown_url}: {error}",
                                shown_url = quoted_url(url)
                            ))
                        })?,
                )
            }
            None => None,
        };
        source.check(auth_base.is_some() || token_url.is_some())?;
        // A worker's tokens come from the token URL, else from the auth base URL.
        let token_from = match (&token_url, &auth_base) {
            (Some(url), _) => Some(("token URL", url)),
            (None, Some(url)) => Some(("auth base URL", url)),
            (None, None) => None,
        };
        if source.is_worker()
            && let Some((what, url)) = token_from
        {
            check_same_region(&api_base, what, url)?;
        }
        check_plain_http_through_proxy(
            [
                ("API base URL", Some(api_base.as_str())),
                ("auth base URL", auth_base.as_deref()),
                ("token URL", token_url.as_deref()),
            ]
            .into_iter()
            .filter_map(|(what, url)| Some((what, url?))),
            self.proxy.as_ref(),
            self.allow_plain_http,
        )?;
        // Without an explicit proxy or an HTTP client of the caller's own, the client built
        // here reads the environment's proxies unless every host it sends to is this machine.
        if self.proxy.is_none() && self.http_client.is_none() && !self.allow_plain_http {
            let sent = sent_urls(
                &api_base,
                auth_base.as_deref(),
                token_url.as_deref(),
                source,
            );
            if !Urls::only_loopback(&sent) {
                check_plain_http_through_environment_proxy(sent.into_iter().flatten())?;
            }
        }
        Ok(Urls {
            api_base,
            auth_base,
            token_url,
        })
    }
}

/// A builder's URLs, checked ([`ClientBuilder::checked_urls`]).
pub(super) struct Urls {
    pub(super) api_base: String,
    pub(super) auth_base: Option<String>,
    pub(super) token_url: Option<String>,
}

impl Urls {
    /// Whether every URL in `sent` ([`sent_urls`]) names this machine ([`is_loopback`]): the
    /// client built for them reads no proxy from the environment.
    pub(super) fn only_loopback(sent: &[Option<(&'static str, &str)>; 2]) -> bool {
        sent.iter()
            .flatten()
            .all(|(_, url)| reqwest::Url::parse(url).is_ok_and(|url| is_loopback(&url)))
    }
}

/// The checked URLs that a client of `source` sends requests to, each with its setting's
/// name: the API's (a page's `next` link is followed on its host only) and, for a worker,
/// the token endpoint's (the token URL, or else the auth base URL).
pub(super) fn sent_urls<'a>(
    api_base: &'a str,
    auth_base: Option<&'a str>,
    token_url: Option<&'a str>,
    source: &TokenSource,
) -> [Option<(&'static str, &'a str)>; 2] {
    let token_endpoint = if source.is_worker() {
        match (token_url, auth_base) {
            (Some(url), _) => Some(("token URL", url)),
            (None, Some(url)) => Some(("auth base URL", url)),
            (None, None) => None,
        }
    } else {
        None
    };
    [Some(("API base URL", api_base)), token_endpoint]
}

/// Refuses a plain `http` URL among `urls` that the environment's proxies
/// (`HTTP_PROXY`, `ALL_PROXY`, in either case, less `NO_PROXY`'s hosts; `HTTP_PROXY` ignored
/// under CGI's `REQUEST_METHOD`), read as reqwest reads them when the client is built, send
/// to a proxy on another machine: the token or the worker's client secret would cross the
/// network to it in clear text, as through an explicit [`proxy`](ClientBuilder::proxy)
/// ([`check_plain_http_through_proxy`]), though the URL names this machine (RFC 6750 §5.3,
/// RFC 6749 §2.3.1). The caller checks that the client reads them (no explicit proxy, no
/// HTTP client of the caller's own, a host that is not this machine's) and that
/// `allow_plain_http` is off.
fn check_plain_http_through_environment_proxy<'a>(
    urls: impl IntoIterator<Item = (&'static str, &'a str)>,
) -> Result<(), Refused> {
    let mut proxies = None;
    for (what, url) in urls {
        if !reqwest::Url::parse(url).is_ok_and(|parsed| parsed.scheme() == "http") {
            continue;
        }
        let proxies =
            proxies.get_or_insert_with(hyper_util::client::proxy::matcher::Matcher::from_system);
        let proxy_elsewhere = url
            .parse()
            .ok()
            .and_then(|target| proxies.intercept(&target))
            .is_some_and(|proxy| {
                reqwest::Url::parse(&proxy.uri().to_string())
                    .is_ok_and(|proxy| !is_loopback(&proxy))
            });
        if proxy_elsewhere {
            return Err(Refused::PlainHttp(
                PlainHttpRefusal::new_through_environment_proxy(what, url),
            ));
        }
    }
    Ok(())
}

/// The error of a builder without a token source.
pub(super) fn no_token_source() -> Error {
    Error::Config("set a token source: TokenSource::bearer or client_credentials".into())
}

/// Refuses a plain `http` URL among `urls` (each with its name, `"API base URL"`) while the
/// explicit `proxy` is another machine, unless `allow_plain_http`: the request, its bearer
/// token or the worker's client secret, then crosses the network to the proxy in clear text
/// (or reaches the proxy's machine, whose loopback is not this one), though the URL names this
/// machine (RFC 6750 §5.3, RFC 6749 §2.3.1). A proxy URL that is not one is left to the
/// proxy's own check.
fn check_plain_http_through_proxy<'a>(
    urls: impl IntoIterator<Item = (&'static str, &'a str)>,
    proxy: Option<&ProxyUrl>,
    allow_plain_http: bool,
) -> Result<(), Refused> {
    let proxy_elsewhere = proxy
        .and_then(|proxy| reqwest::Url::parse(&proxy.0).ok())
        .is_some_and(|proxy| !is_loopback(&proxy));
    if allow_plain_http || !proxy_elsewhere {
        return Ok(());
    }
    match urls
        .into_iter()
        .find(|(_, url)| reqwest::Url::parse(url).is_ok_and(|parsed| parsed.scheme() == "http"))
    {
        Some((what, url)) => Err(Refused::PlainHttp(PlainHttpRefusal::new(what, url, true))),
        None => Ok(()),
    }
}
