//! What the causes of a transport error say: a refused certificate, a server that does not
//! speak TLS, a proxy that asks for credentials or refuses the tunnel; and the causes' text.

/// The rustls certificate error among `error`'s causes, if any. rustls's error sits inside an
/// `io::Error` (inside another, through reqwest's connector), whose `source` skips what it
/// wraps: an `io::Error` is followed through `get_ref`.
pub(crate) fn certificate_error<'a>(
    error: &'a (dyn std::error::Error + 'static),
) -> Option<&'a rustls::CertificateError> {
    match rustls_error(error)? {
        rustls::Error::InvalidCertificate(certificate) => Some(certificate),
        _ => None,
    }
}

/// The rustls error among `error`'s causes, if any (see [`certificate_error`]).
fn rustls_error<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if let Some(error) = error.downcast_ref::<rustls::Error>() {
            return Some(error);
        }
        cause = match error
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => error.source(),
        };
    }
    None
}

/// Whether `error`, or an error it was caused by, is rustls finding that the server's first
/// answer is no TLS record (`InvalidContentType`): a server that speaks plain HTTP at the
/// port of an `https://` URL (the emulator, a local proxy or gateway), whose `HTTP/1.1 400`
/// to the TLS handshake rustls reports as "received corrupt message of type
/// InvalidContentType". The next attempt reaches the same server: not retried.
pub(crate) fn not_tls(error: &(dyn std::error::Error + 'static)) -> bool {
    matches!(
        rustls_error(error),
        Some(rustls::Error::InvalidMessage(
            rustls::InvalidMessage::InvalidContentType
        ))
    )
}

/// What a transport error's text says first of a server that did not answer in TLS.
pub(super) fn not_tls_text(error: &reqwest::Error) -> &'static str {
    if not_tls(error) {
        "the server did not answer in TLS (its answer to the handshake is no TLS record: a \
         server that speaks plain HTTP, such as the emulator, at an https:// URL? Its URL \
         would then be http://); not retried; "
    } else {
        ""
    }
}

/// The text of hyper-util's error for a `CONNECT` that the proxy answered with 407 (its
/// `TunnelError::ProxyAuthRequired`, which reqwest does not expose as a type of its own).
const PROXY_AUTH_REQUIRED: &str = "proxy authorization required";

/// Whether `error`, or an error it was caused by, is a proxy's `407 Proxy Authentication
/// Required` to the `CONNECT` that opens an `https` request's tunnel: the proxy wants
/// credentials that the request did not carry, or refused those it carried. Sent again, the
/// `CONNECT` carries the same, and is refused the same (and a proxy that checks them against
/// a directory may count each refusal towards locking the account): not retried.
pub(crate) fn proxy_asks_for_credentials(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if error.to_string().ends_with(PROXY_AUTH_REQUIRED) {
            return true;
        }
        cause = error.source();
    }
    false
}

/// What a transport error's text says first of a proxy that asks for credentials.
pub(super) fn proxy_credentials_text(error: &reqwest::Error) -> &'static str {
    if proxy_asks_for_credentials(error) {
        "the proxy asked for credentials (HTTP 407 Proxy Authentication Required to the \
         CONNECT of the request), which it did not get or refused: give them in the proxy's \
         URL, http://user:password@host:port (ClientBuilder::proxy, or HTTPS_PROXY); not \
         retried; "
    } else {
        ""
    }
}

/// The text of hyper-util's error for a `CONNECT` that the proxy answered with a status other
/// than 200 and 407, or with no HTTP answer (its `TunnelError::TunnelUnsuccessful`, which
/// keeps no status).
const TUNNEL_UNSUCCESSFUL: &str = "tunnel error: unsuccessful";

/// What a transport error's text says first of a proxy that refused the `CONNECT` of an
/// `https` request otherwise than with 407: reqwest's own text, "tunnel error: unsuccessful",
/// did not say that the proxy, not the server, had refused, nor what to look at.
pub(super) fn proxy_refused_text(error: &reqwest::Error) -> &'static str {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(error) = cause {
        if error.to_string().ends_with(TUNNEL_UNSUCCESSFUL) {
            return "the proxy refused to open a tunnel to the server (its answer to the \
                    CONNECT of the request was neither 200 nor 407; the HTTP client does not \
                    say which: most often 403 when the proxy's rules do not allow the host, or \
                    502, 503 or 504 when it could not reach it, which is why it is retried); ";
        }
        cause = error.source();
    }
    ""
}

/// `the server's TLS certificate was not trusted: {why}; ` for a refused certificate, else
/// nothing.
pub(super) fn untrusted_certificate_text(error: &reqwest::Error) -> String {
    use rustls::CertificateError as Refusal;
    let Some(refusal) = certificate_error(error) else {
        return String::new();
    };
    let why = match refusal {
        Refusal::UnknownIssuer => {
            "it was not issued by a CA that the system's trust store or add_root_certificate \
             holds"
        }
        Refusal::NotValidForName | Refusal::NotValidForNameContext { .. } => {
            "it is not valid for the host name"
        }
        Refusal::Expired | Refusal::ExpiredContext { .. } => "it has expired",
        Refusal::NotValidYet | Refusal::NotValidYetContext { .. } => "it is not valid yet",
        Refusal::Revoked => "it was revoked",
        _ => "it is invalid",
    };
    format!("the server's TLS certificate was not trusted: {why}; ")
}

/// An error and its causes, joined with `: `, since reqwest's own text leaves out the cause
/// ("connection refused", "dns error").
pub(crate) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(error) = cause {
        let more = error.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = error.source();
    }
    text
}
