//! One base URL checked: parsed, its scheme, host and path, and PingOne's hosts with the path
//! they serve.

use std::net::IpAddr;

use super::super::http_client::{host_ip, is_loopback};
use super::super::{Error, PlainHttpRefusal, Region};
use super::ShownUrl;
use super::refused::Refused;
use super::shown_url::quoted_url;

/// Refuses a PingOne API host (`api.pingone.*`) given with another path than `/v1` (none,
/// an environment's URL, another version) and PingOne's auth host (`auth.pingone.*`):
/// PingOne serves its users API under `api.pingone.*/v1` only, so every call would answer
/// 404 `NOT_FOUND`, passing a wrong setting off as missing users. Another host (a proxy, the
/// emulator) may serve it at any path.
pub(super) fn check_api_path(url: String) -> Result<String, Error> {
    let parsed = parse_base_url("API base URL", &url)?;
    if let Some(domain) = pingone_domain(&parsed, "auth") {
        return Err(Error::Config(format!(
            "the API base URL {shown_url} is PingOne's auth host, which serves tokens: the API \
             is at {} (as `Region::api_base_url` gives it)",
            pingone_url(&parsed, "api", domain, "/v1"),
            shown_url = quoted_url(&url)
        )));
    }
    if let Some(at) = parsed
        .path_segments()
        .into_iter()
        .flatten()
        .position(|segment| segment.eq_ignore_ascii_case("environments"))
    {
        // `https://api.pingone.com/v1/environments` or an environment's URL: every call would
        // go to `/environments/environments/...` (404, read as a missing user).
        let base: Vec<&str> = parsed
            .path_segments()
            .into_iter()
            .flatten()
            .take(at)
            .collect();
        let mut instead = parsed.clone();
        instead.set_path(&base.join("/"));
        return Err(Error::Config(format!(
            "the API base URL {shown_url} holds /environments in its path: the client adds \
             /environments/{{id}}/users itself, so the base URL ends before it: {}",
            quoted_url(instead.as_str().trim_end_matches('/')),
            shown_url = quoted_url(&url)
        )));
    }
    if let Some(domain) = pingone_domain(&parsed, "api") {
        let path = parsed.path().trim_matches('/');
        if path != "v1" {
            let what = if path.is_empty() {
                "has no path".to_owned()
            } else {
                format!("has the path /{path}")
            };
            return Err(Error::Config(format!(
                "the API base URL {shown_url} {what}: PingOne's API path is {} (as \
                 `Region::api_base_url` gives it), and the client adds \
                 /environments/{{id}}/users itself",
                pingone_url(&parsed, "api", domain, "/v1"),
                shown_url = quoted_url(&url)
            )));
        }
    }
    Ok(url)
}

/// Refuses PingOne's API host (`api.pingone.*`) as the auth base URL, and PingOne's auth host
/// (`auth.pingone.*`) with a path (the whole token URL, `/{envID}/as/token`, or part of it):
/// the client appends `/{envID}/as/token` to the auth host, so every token request would go
/// to a URL that PingOne does not serve. Another host (a proxy, the emulator) may serve it at
/// any path.
pub(super) fn check_auth_path(url: String) -> Result<String, Error> {
    let parsed = parse_base_url("auth base URL", &url)?;
    if let Some(domain) = pingone_domain(&parsed, "api") {
        return Err(Error::Config(format!(
            "the auth base URL {shown_url} is PingOne's API host, which serves no tokens: the auth \
             base URL is {} (as `Region::auth_base_url` gives it)",
            pingone_url(&parsed, "auth", domain, ""),
            shown_url = quoted_url(&url)
        )));
    }
    if let Some(domain) = pingone_domain(&parsed, "auth") {
        let path = parsed.path().trim_matches('/');
        if !path.is_empty() {
            return Err(Error::Config(format!(
                "the auth base URL {shown_url} has the path /{path}: PingOne's auth base URL is {} \
                 (as `Region::auth_base_url` gives it), and the client adds \
                 /{{environmentID}}/as/token itself; give a whole token URL with token_url",
                pingone_url(&parsed, "auth", domain, ""),
                shown_url = quoted_url(&url)
            )));
        }
    }
    Ok(url)
}

/// Refuses a worker's token host (`token_from`, the setting named `what`: the token URL, or
/// else the auth base URL) and API host (`api_base`) that are PingOne's hosts of two regions
/// (`auth.pingone.eu` for `api.pingone.com`): an environment lives in one region, whose API
/// refuses every other region's tokens, so each call would fetch a token and get 401
/// `INVALID_TOKEN` (reference notes, "Regions and tokens"). Hosts that are not PingOne's (a
/// proxy, a custom domain, the emulator) are not compared.
pub(super) fn check_same_region(api_base: &str, what: &str, token_from: &str) -> Result<(), Error> {
    let (Ok(api), Ok(token)) = (
        reqwest::Url::parse(api_base),
        reqwest::Url::parse(token_from),
    ) else {
        return Ok(());
    };
    match (pingone_domain(&api, "api"), pingone_domain(&token, "auth")) {
        (Some(api_domain), Some(token_domain))
            if !api_domain.eq_ignore_ascii_case(token_domain) =>
        {
            Err(Error::Config(format!(
                "the API base URL {api_shown} and the {what} {token_shown} are PingOne's hosts \
                 of two regions (pingone.{api_domain} and pingone.{token_domain}): an \
                 environment's worker tokens are refused by every other region's API (401 on \
                 every call); the auth host of the API's region is {} (as \
                 `Region::auth_base_url` gives it)",
                pingone_url(&api, "auth", api_domain, ""),
                api_shown = quoted_url(api_base),
                token_shown = quoted_url(token_from),
            )))
        }
        _ => Ok(()),
    }
}

/// How many slashes (or backslashes, which WHATWG URL parsing reads as slashes in an `http`
/// URL) follow the scheme's `:` in `url`, as written (leading spaces and control characters,
/// and tabs and newlines anywhere, left out, as the parser leaves them out); `None` without a
/// `:`.
fn slashes_after_scheme(url: &str) -> Option<usize> {
    let url = url.trim_start_matches(|c: char| c <= ' ');
    let (_, rest) = url.split_once(':')?;
    // The parser removes every ASCII tab and newline first, wherever they are.
    Some(
        rest.chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .take_while(|&c| c == '/' || c == '\\')
            .count(),
    )
}

/// `url`, the base URL named `what` (`"API base URL"`), parsed.
fn parse_base_url(what: &str, url: &str) -> Result<reqwest::Url, Error> {
    reqwest::Url::parse(url).map_err(|error| {
        Error::Config(format!(
            "the {what} {shown_url} is not a URL: {error}",
            shown_url = quoted_url(url)
        ))
    })
}

/// The domain (`com`, `eu`, ...) of `parsed`'s host when it is PingOne's host of `service`
/// (`api` or `auth`: `api.pingone.eu`, with or without a final dot) in one of
/// [`Region::ALL`]'s domains. A host that only starts so (`api.pingone.corp.example`, a proxy)
/// is not PingOne's, and may serve the API or tokens at any path.
fn pingone_domain<'u>(parsed: &'u reqwest::Url, service: &str) -> Option<&'u str> {
    let domain = parsed
        .host_str()?
        .trim_end_matches('.')
        .strip_prefix(service)?
        .strip_prefix(".pingone.")?;
    Region::ALL
        .iter()
        .any(|region| {
            region
                .auth_base_url()
                .strip_prefix("https://auth.pingone.")
                .is_some_and(|known| known.eq_ignore_ascii_case(domain))
        })
        .then_some(domain)
}

/// PingOne's URL of `service` in `domain` with `path`, on `parsed`'s scheme and port: what a
/// refused base URL should have been.
fn pingone_url(parsed: &reqwest::Url, service: &str, domain: &str, path: &str) -> String {
    match parsed.port() {
        Some(port) => format!(
            "{}://{service}.pingone.{domain}:{port}{path}",
            parsed.scheme()
        ),
        None => format!("{}://{service}.pingone.{domain}{path}", parsed.scheme()),
    }
}

/// What to add to the refusal of a base URL written without its scheme: the parser's words
/// ("relative URL without a base" for `api.pingone.eu/v1` or `127.0.0.1:8080/v1`, as the
/// emulator program prints its address; a scheme `localhost` for `localhost:8080/v1`) do not
/// say what to write. Empty for a URL that has a `://`.
fn missing_scheme_hint(url: &str) -> &'static str {
    if url.contains("://") {
        ""
    } else {
        "; write it with its scheme, https:// (or http:// for a local server) before the host"
    }
}

/// `url`, the base URL named `what` (`"API base URL"`), checked and without its final `/`;
/// a plain `http` URL to another machine is refused unless `allow_plain_http`
/// ([`ClientBuilder::allow_plain_http`](super::ClientBuilder::allow_plain_http)), with [`Refused::PlainHttp`].
pub(super) fn check_base_url(
    what: &'static str,
    url: &str,
    allow_plain_http: bool,
) -> Result<String, Refused> {
    let parsed = parsed_base_url(what, url)?;
    // Last: a typo (`http:///v1`, read as the host `v1`) is better said as such.
    if parsed.scheme() == "http" && !allow_plain_http && !is_loopback(&parsed) {
        if is_unspecified_address(&parsed) {
            return Err(Error::Config(format!(
                "the {what} {} names the unspecified address, which a server listens on \
                 but which is not an address to send to (RFC 1122 §3.2.1.3, RFC 4291 §2.5.2): \
                 for this machine write 127.0.0.1 or [::1]",
                ShownUrl(url)
            ))
            .into());
        }
        return Err(Refused::PlainHttp(PlainHttpRefusal::new(what, url, false)));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

/// `url`, the base URL named `what`, parsed, once checked for every fault but plain `http` to
/// another machine ([`check_base_url`]).
fn parsed_base_url(what: &str, url: &str) -> Result<reqwest::Url, Error> {
    let shown = ShownUrl(url);
    let parsed = reqwest::Url::parse(url).map_err(|error| {
        Error::Config(format!(
            "the {what} {shown} is not a URL: {error}{}",
            missing_scheme_hint(url)
        ))
    })?;
    if !matches!(parsed.scheme(), "http" | "https")
        || parsed.cannot_be_a_base()
        || parsed.host().is_none()
    {
        return Err(Error::Config(format!(
            "the {what} {shown} must be an absolute http or https URL{}",
            missing_scheme_hint(url)
        )));
    }
    if parsed.scheme() == "http" && parsed.host_str().is_some_and(is_pingone_host) {
        return Err(Error::Config(format!(
            "the {what} {shown} is plain http to a PingOne host, which serves https only: the \
             token or the client secret would cross the network in clear text; write https://"
        )));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::Config(format!(
            "the {what} {shown} must not have a query or a fragment"
        )));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Error::Config(format!(
            "the {what} must not hold credentials"
        )));
    }
    if let Some(slashes) = slashes_after_scheme(url).filter(|&slashes| slashes != 2) {
        // WHATWG URL parsing, which reqwest follows, reads `http:///v1` and `http:/v1` as the
        // host `v1`: a slash too many or too few is a typo, not that host.
        return Err(Error::Config(format!(
            "the {what} {shown} has {slashes} slash{} after `{}:`, where a URL has two \
             before its host: it would be read as the host {:?}",
            if slashes == 1 { "" } else { "es" },
            parsed.scheme(),
            parsed.host_str().unwrap_or_default()
        )));
    }
    if parsed.port() == Some(0) {
        return Err(Error::Config(format!(
            "the {what} {shown} has the port 0, on which no server listens"
        )));
    }
    Ok(parsed)
}

/// Whether `url`'s host is the unspecified address, `0.0.0.0` (also written `0`) or `[::]`
/// (an IPv4-mapped one too): the address a server listens on for all of its interfaces, not
/// one of this machine's to send to (RFC 1122 §3.2.1.3, RFC 4291 §2.5.2). Some systems
/// connect it to this machine, others refuse it, and a proxy connects it to its own.
fn is_unspecified_address(url: &reqwest::Url) -> bool {
    match host_ip(url) {
        Some(IpAddr::V4(ip)) => ip.is_unspecified(),
        Some(IpAddr::V6(ip)) => {
            ip.is_unspecified() || ip.to_ipv4_mapped().is_some_and(|ip| ip.is_unspecified())
        }
        None => false,
    }
}

/// Whether `host` (as a parsed URL gives it: in lower case) is one of PingOne's, under the
/// domain of a [`Region`] (`pingone.com`, `pingone.eu`, ...), which serve https only.
fn is_pingone_host(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    Region::ALL.iter().any(|region| {
        let domain = region.auth_base_url().trim_start_matches("https://auth.");
        host == domain
            || host
                .strip_suffix(domain)
                .is_some_and(|rest| rest.ends_with('.'))
    })
}
