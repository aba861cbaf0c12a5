//! The token request (RFC 6749 §4.4.2), and the client secret taken out of what comes back.

use super::super::secret::{Secret, WHOLE_WORDS_BELOW, replace_written};
use super::super::transport::Transport;
use super::ClientAuthMethod;

/// The token request (RFC 6749 §4.4.2) to `url`, the client authenticated by `method`: with
/// HTTP Basic, reqwest's `basic_auth` marks the `Authorization` header sensitive (the `Debug`
/// of the request shows `Sensitive`, HTTP/2 does not index it); with the form, the secret is in
/// the body, which the request's `Debug` does not show.
pub(super) fn token_request(
    transport: &Transport,
    url: &str,
    method: ClientAuthMethod,
    client_id: &str,
    client_secret: &Secret,
) -> reqwest::RequestBuilder {
    // `Accept`: an endpoint that negotiates (GitHub's answers form-encoded text unless asked
    // for JSON, as gateways serving several formats may) answers RFC 6749 §5.1's JSON.
    let request = transport
        .request(reqwest::Method::POST, url)
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .header(reqwest::header::ACCEPT, "application/json");
    // Through the transport: a body that an HTTP client of the user's own cannot send again
    // where a redirect points (`Transport::body`).
    match method {
        ClientAuthMethod::Post => request.body(
            transport.body(
                format!(
                    "grant_type=client_credentials&client_id={}&client_secret={}",
                    form_encode(client_id),
                    form_encode(client_secret.expose())
                )
                .into(),
            ),
        ),
        ClientAuthMethod::Basic => request
            .basic_auth(
                form_encode(client_id),
                Some(form_encode(client_secret.expose())),
            )
            .body(transport.body(bytes::Bytes::from_static(b"grant_type=client_credentials"))),
    }
}

/// `text` with the client secret replaced by `***` as it is, form-encoded (as
/// `CLIENT_SECRET_POST` sends it, or re-encoded by a server that echoes it:
/// [`percent_encodings`]), inside the Basic credentials, and JSON-escaped (with `/`
/// written `/` or `\/`), as a JSON body that echoes it writes it; a short secret only where it
/// stands alone, as [`Secret::redact`] takes it out, each form by its own length (the Basic
/// credentials of a one-character secret, which hold the client id, wherever they are).
pub(super) fn redact_secret(text: &str, client_id: &str, client_secret: &Secret) -> String {
    use base64::Engine as _;

    let secret = client_secret.expose();
    if secret.is_empty() {
        return text.to_owned();
    }
    let basic = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        form_encode(client_id),
        form_encode(secret)
    ));
    let mut text = text.to_owned();
    for form in std::iter::once(basic).chain(percent_encodings(&form_encode(secret))) {
        // Whether the form is short, as `Secret::redact` tells a short secret: the Basic
        // credentials (the client id's too) and an encoded secret are longer than the secret.
        let short = form.chars().nth(WHOLE_WORDS_BELOW - 1).is_none();
        if let std::borrow::Cow::Owned(replaced) = replace_written(&text, &form, short) {
            text = replaced;
        }
    }
    client_secret.redact(&text)
}

/// `form` (a [`form_encode`]d value) as encoders that echo it may write it: as it is, its
/// hex digits in lower case (.NET's `UrlEncode`: `%2f`), a space as `%20` rather than `+`
/// (JavaScript's `encodeURIComponent`), and both; each once.
fn percent_encodings(form: &str) -> Vec<String> {
    let lower_hex = {
        let mut lower = String::with_capacity(form.len());
        let mut rest = form;
        while let Some(at) = rest.find('%') {
            lower.push_str(&rest[..at]);
            let escape = rest.get(at..at + 3).unwrap_or(&rest[at..]);
            lower.push_str(&escape.to_ascii_lowercase());
            rest = &rest[at + escape.len()..];
        }
        lower.push_str(rest);
        lower
    };
    let mut forms = Vec::with_capacity(4);
    for written in [form.to_owned(), lower_hex] {
        let spaced = written.replace('+', "%20");
        for written in [written, spaced] {
            if !forms.contains(&written) {
                forms.push(written);
            }
        }
    }
    forms
}

/// `application/x-www-form-urlencoded` encoding of one value (the WHATWG URL standard).
pub(super) fn form_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(byte as char);
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}
