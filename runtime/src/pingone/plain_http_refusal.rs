//! [`PlainHttpRefusal`]: a plain `http` URL that [`ClientBuilder::build`] refuses because
//! [`allow_plain_http`](ClientBuilder::allow_plain_http) is off, as
//! [`ClientBuilder::plain_http_refusal`] tells it without reading the error's text.

use core::fmt;

#[cfg(doc)]
use super::ClientBuilder;

/// A plain `http` URL to another machine, or sent through a [`proxy`](ClientBuilder::proxy)
/// on another machine (or one of the environment's, `HTTP_PROXY` or `ALL_PROXY`), that [`build`](ClientBuilder::build) refuses with
/// [`Error::Config`](super::Error::Config) because
/// [`allow_plain_http`](ClientBuilder::allow_plain_http) is off: the token or the client
/// secret would cross the network in clear text (RFC 6750 §5.3, RFC 6749 §2.3.1).
/// [`ClientBuilder::plain_http_refusal`] gives it, so that a program that sets
/// `allow_plain_http` from a setting of its own (a variable, a flag) can name that setting.
///
/// Its text (`Display`) is the reason that the `Error::Config` gives before its advice:
/// `the API base URL "http://10.0.0.1:8080/v1" is plain http to another machine: the token or
/// the client secret would cross the network in clear text (RFC 6750 §5.3, RFC 6749
/// §2.3.1)`. The text and `Debug` quote the URL escaped as Rust's `Debug` writes a string, its
/// first 200 characters and its length where it is longer; [`url`](Self::url) gives it whole.
#[cfg(feature = "client")]
#[derive(Clone, PartialEq, Eq)]
pub struct PlainHttpRefusal {
    setting: &'static str,
    url: String,
    through_proxy: bool,
    /// The proxy is the environment's (`HTTP_PROXY`, `ALL_PROXY`), not the builder's.
    proxy_from_environment: bool,
}

impl PlainHttpRefusal {
    /// A refusal of `url`, the builder's setting named `setting` (`"API base URL"`), sent
    /// through a proxy on another machine if `through_proxy`.
    pub(crate) fn new(setting: &'static str, url: &str, through_proxy: bool) -> Self {
        PlainHttpRefusal {
            setting,
            url: url.to_owned(),
            through_proxy,
            proxy_from_environment: false,
        }
    }

    /// A refusal of `url`, the builder's setting named `setting`, that the environment's
    /// proxies (`HTTP_PROXY`, `ALL_PROXY`) send to a proxy on another machine.
    pub(crate) fn new_through_environment_proxy(setting: &'static str, url: &str) -> Self {
        PlainHttpRefusal {
            proxy_from_environment: true,
            ..PlainHttpRefusal::new(setting, url, true)
        }
    }

    /// Which URL of the builder is refused, as the error names it: `"API base URL"`
    /// ([`api_base_url`](ClientBuilder::api_base_url)), `"auth base URL"`
    /// ([`auth_base_url`](ClientBuilder::auth_base_url)) or `"token URL"`
    /// ([`token_url`](ClientBuilder::token_url)).
    #[must_use]
    pub fn setting(&self) -> &'static str {
        self.setting
    }

    /// The URL refused: as given to the builder, or, when it is refused because it goes
    /// through the proxy, as the client would send to it (a base URL without its final `/`).
    /// It holds no credentials: `build` refuses a URL that does first.
    #[must_use]
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Whether the URL names this machine but is refused because the proxy it goes through,
    /// which reads the request, is another machine: the [`proxy`](ClientBuilder::proxy), or,
    /// without one, the environment's (`HTTP_PROXY` or `ALL_PROXY`, for a host that
    /// `NO_PROXY` does not name, in a client that sends to another machine too).
    #[must_use]
    pub fn through_proxy(&self) -> bool {
        self.through_proxy
    }

    /// Whether that proxy is the environment's (`HTTP_PROXY` or `ALL_PROXY`), not one set
    /// with [`proxy`](ClientBuilder::proxy): naming the URL's host in `NO_PROXY` sends it
    /// direct, which `build`'s error advises too. Never without
    /// [`through_proxy`](PlainHttpRefusal::through_proxy).
    #[must_use]
    pub fn through_environment_proxy(&self) -> bool {
        self.proxy_from_environment
    }

    /// The text of the [`Error::Config`](super::Error::Config) that `build` returns: the
    /// reason, then the advice to write `https://` or call `allow_plain_http(true)`.
    pub(crate) fn config_text(&self) -> String {
        if self.proxy_from_environment {
            format!(
                "{self}; write https://, name its host in NO_PROXY, or, for a server of your own \
                 on a network you trust, allow it with allow_plain_http(true)"
            )
        } else if self.through_proxy {
            format!(
                "{self}; write https://, or, for a server of your own on a network you trust, \
                 allow it with allow_plain_http(true)"
            )
        } else {
            format!(
                "{self}; write https://, or, for a server of your own on a network you trust \
                 (such as the emulator in a container), allow it with allow_plain_http(true)"
            )
        }
    }
}

impl fmt::Display for PlainHttpRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let PlainHttpRefusal {
            setting,
            url,
            through_proxy,
            proxy_from_environment,
        } = self;
        // Quoted: it holds no credentials (`build` refuses a URL that does before it asks
        // whether it is plain http), so it is shown, up to its first URL_CHARS characters.
        let url = url_text(url);
        if *proxy_from_environment {
            write!(
                f,
                "the {setting} {url} is plain http sent through the environment's proxy \
                 (HTTP_PROXY or ALL_PROXY), another machine: the token or the client secret \
                 would cross the network in clear text (RFC 6750 §5.3, RFC 6749 §2.3.1), and \
                 reach the proxy's machine"
            )
        } else if *through_proxy {
            write!(
                f,
                "the {setting} {url} is plain http sent through the proxy, another machine: the \
                 token or the client secret would cross the network in clear text (RFC 6750 \
                 §5.3, RFC 6749 §2.3.1), and reach the proxy's machine"
            )
        } else {
            write!(
                f,
                "the {setting} {url} is plain http to another machine: the token or the client \
                 secret would cross the network in clear text (RFC 6750 §5.3, RFC 6749 §2.3.1)"
            )
        }
    }
}

/// How many characters of the URL the text and `Debug` quote: a URL of a megabyte (a path
/// read from a setting) went whole into both.
const URL_CHARS: usize = 200;

/// The URL in the text and `Debug`: quoted and cut to [`URL_CHARS`] characters.
fn url_text(url: &str) -> crate::quoted::Quoted<'_> {
    crate::quoted::Quoted {
        text: url,
        max: URL_CHARS,
    }
}

/// As `#[derive(Debug)]` writes it, the URL cut as the text cuts it.
impl fmt::Debug for PlainHttpRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlainHttpRefusal")
            .field("setting", &self.setting)
            .field("url", &url_text(&self.url))
            .field("through_proxy", &self.through_proxy)
            .field("proxy_from_environment", &self.proxy_from_environment)
            .finish()
    }
}
