//! A request as [`Transport`] builds it: the per-attempt timeout and the user agent on a
//! client the user brought, and a body that a redirect does not send again.

use bytes::Bytes;
use reqwest::header::USER_AGENT;

use super::Transport;

impl Transport {
    /// A request on the shared pool with the per-attempt timeout and the user agent: the
    /// built client's defaults, or set on the request for a client the user brought.
    pub(crate) fn request<U: reqwest::IntoUrl>(
        &self,
        method: reqwest::Method,
        url: U,
    ) -> reqwest::RequestBuilder {
        let request = self.http.request(method, url);
        match &self.per_request {
            None => request,
            Some(user_agent) => request
                .timeout(self.timeout)
                .header(USER_AGENT, user_agent.clone()),
        }
    }

    /// `body` (a token request's form, a patch's JSON: text) as a request sends it: as it is
    /// for the HTTP client built here, which follows no redirect; for a client the user
    /// brought, whose policy may follow them (reqwest's default does), as a body that reqwest
    /// cannot send twice. reqwest (tower-http's `FollowRedirect`) follows a redirect that
    /// sends the body again (a 307 or 308, a 301 or 302 of any method but POST) only when it
    /// can clone the body, and otherwise answers the redirect itself, which the client
    /// reports with its `Location`: a 307 from the token endpoint sent the client secret
    /// (`ClientAuthMethod::Post`) to wherever it pointed, and a PATCH's the patch. A 303, and
    /// a 301 or 302 of a POST, are still followed, as a GET without the body (and without the
    /// `Authorization` header on the way to another host). A request without a body (a GET)
    /// is not helped: tower-http takes an empty body for one it can clone. The same bytes go
    /// on the wire: its length is known, and sent as `Content-Length`.
    pub(crate) fn body(&self, body: Bytes) -> reqwest::Body {
        if self.per_request.is_none() {
            return body.into();
        }
        // Not copied when `body` holds its bytes alone (a token request's form).
        match String::from_utf8(Vec::from(body)) {
            Ok(text) => reqwest::Body::wrap(text),
            // Never: the client's bodies are JSON or a form, UTF-8 text.
            Err(error) => error.into_bytes().into(),
        }
    }
}
