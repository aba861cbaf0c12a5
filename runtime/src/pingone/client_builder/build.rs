//! [`ClientBuilder::build`]: the client made of the checked settings.

use std::num::NonZeroU32;

use reqwest::header::HeaderValue;

use super::super::Error;
use super::super::client::{Client, NIL_USER_PATH};
use super::super::http_client::HttpSettings;
use super::super::runtime_pools::RuntimePools;
use super::super::token::TokenProvider;
use super::super::transport::{Transport, rate_limiter};
use super::ClientBuilder;
use super::shown_url::quoted_url;
use super::urls::{Urls, no_token_source, sent_urls};

impl ClientBuilder {
    /// Builds the client. Changes no process-wide state: the rustls crypto provider is given
    /// to the HTTP client, not installed as the process default.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when no region or API base URL is set, a URL (the token URL too) is not an absolute
    /// `http`/`https` URL without query, fragment or credentials, written with two slashes after
    /// the scheme and a port other than 0, or is a plain `http` URL to
    /// one of PingOne's hosts (under a [`Region`](super::super::Region)'s domain, such as `api.pingone.eu`: they
    /// serve https only, and the token or the client secret would go in clear text) or, unless
    /// [`allow_plain_http`](ClientBuilder::allow_plain_http) is on, to any host that is not
    /// this machine (such as `http://auth.mycompany.example` or `http://10.0.0.1:8080/v1`;
    /// 127.0.0.1, `[::1]` and `localhost` need no setting, unless sent through a
    /// [`proxy`](ClientBuilder::proxy) on another machine, or the environment's; `0.0.0.0` and `[::]` are refused
    /// saying to write 127.0.0.1; RFC 6750 §5.3, RFC 6749 §2.3.1),
    /// the API base URL is a
    /// PingOne API host with another path than `/v1` or PingOne's auth host, or holds
    /// `/environments` in its path, the auth base URL is PingOne's API host or its auth host
    /// with a path (the whole token URL: the client adds `/{envID}/as/token` itself), a
    /// worker's token URL (or else its auth base URL) and the API base URL are PingOne's hosts
    /// of two regions (`auth.pingone.eu` for `api.pingone.com`: the API refuses another
    /// region's tokens), no token source is set, a
    /// worker token source has no auth host, an environment ID that is not a UUID, or an empty
    /// client ID or secret, the bearer token is not an RFC 6750 §2.1 bearer token (empty, or
    /// holding a character other than letters, digits, `-._~+/` and `=` padding: quotes,
    /// white space, an ellipsis, the `Bearer ` scheme copied with it; see
    /// [`TokenSource::bearer`](super::super::TokenSource::bearer)), the user agent cannot be a header value, the timeout, the connect timeout or the rate
    /// limit is zero, a root certificate is not PEM or not a usable CA certificate, the proxy
    /// URL is not an `http`/`https` URL, [`http_client`](ClientBuilder::http_client) is set
    /// together with a setting it would ignore, or the system's trust store cannot be read
    /// while no root certificate is added.
    pub fn build(self) -> Result<Client, Error> {
        let Urls {
            api_base,
            auth_base,
            token_url,
        } = self.checked_urls()?;
        let source = self.token.ok_or_else(no_token_source)?;
        let limiter = match self.rate_limit.map(NonZeroU32::new) {
            None => None,
            Some(Some(rate)) => Some(rate_limiter(rate)),
            Some(None) => {
                return Err(Error::Config(
                    "the rate limit must be at least 1 request per second".into(),
                ));
            }
        };
        if self.timeout.is_zero() {
            return Err(Error::Config("the timeout must not be zero".into()));
        }
        let Ok(user_agent) = HeaderValue::from_str(&self.user_agent) else {
            return Err(Error::Config(
                "the user agent holds characters a header cannot carry".into(),
            ));
        };
        if self
            .connect_timeout
            .is_some_and(|timeout| timeout.is_zero())
        {
            return Err(Error::Config("the connect timeout must not be zero".into()));
        }
        let only_loopback = Urls::only_loopback(&sent_urls(
            &api_base,
            auth_base.as_deref(),
            token_url.as_deref(),
            &source,
        ));
        let settings = HttpSettings {
            root_certificates: &self.root_certificates,
            proxy: self.proxy.as_ref(),
            connect_timeout: self.connect_timeout,
            only_loopback,
        };
        let (http, per_request, pools) = match self.http_client {
            Some(_) if settings.any_set() => {
                return Err(Error::Config(
                    "add_root_certificate, proxy and connect_timeout configure the HTTP client \
                     built here, not one given with http_client: set them on that client"
                        .into(),
                ));
            }
            Some(http) => (http, Some(user_agent), None),
            None => {
                let recipe = settings.recipe(self.timeout, user_agent)?;
                let http = recipe.client()?;
                (http.clone(), None, Some(RuntimePools::new(recipe, http)))
            }
        };
        // Parsed once: each call's user URL is made from it (`Client::user_target`).
        let user_template =
            reqwest::Url::parse(&format!("{api_base}{NIL_USER_PATH}")).map_err(|error| {
                Error::Config(format!(
                    "the API base URL {shown_url}: {error}",
                    shown_url = quoted_url(&api_base)
                ))
            })?;
        Ok(Client::from_parts(
            api_base,
            user_template,
            Transport::new(
                http,
                self.retry,
                self.timeout,
                self.connect_timeout,
                per_request,
                limiter,
                pools,
            ),
            TokenProvider::new(
                source,
                token_url.as_deref(),
                auth_base.as_deref(),
                self.refresh_before,
            ),
            self.preflight,
            self.correlation,
        ))
    }
}
