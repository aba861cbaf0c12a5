//! What the handlers answer from the shared state: a PingOne error ([`Shared::error`]), and a
//! user with its `_links` ([`Shared::render`]) under the host the request named
//! ([`Shared::links_base`]).

use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::Shared;
use crate::pingone::ErrorDetail;

impl Shared {
    /// A PingOne error answer with a fresh log key (see [`ErrorWriter::answer`]).
    ///
    /// [`ErrorWriter::answer`]: super::super::errors::ErrorWriter::answer
    pub(in crate::pingone::emulator) fn error(
        &self,
        status: StatusCode,
        code: &str,
        message: &str,
        details: Vec<ErrorDetail>,
    ) -> Response {
        self.errors.answer(status, code, message, details)
    }

    /// The API base URL that the links of the answer to a request with `headers` name:
    /// `http://{host}/v1`, with the host (and port) of the request's `Host` header, as a
    /// server's links name the host its clients reach it by (PingOne's, the
    /// `https://api.pingone.com/v1` that its clients ask); the emulator's own address
    /// ([`Emulator::api_base_url`](super::super::Emulator::api_base_url)) when the request has no
    /// `Host`, more than one, or one that is no `host[:port]` (userinfo, a space). Before,
    /// every link named `127.0.0.1`, so that a client of `http://localhost:{port}/v1`, the
    /// same emulator, refused the list's `next` link as one to another host.
    pub(in crate::pingone::emulator) fn links_base(
        &self,
        headers: &HeaderMap,
    ) -> std::borrow::Cow<'_, str> {
        let mut hosts = headers.get_all(axum::http::header::HOST).iter();
        let host = match (hosts.next(), hosts.next()) {
            (Some(host), None) => host.to_str().ok(),
            _ => None,
        };
        match host.filter(|host| {
            !host.is_empty()
                && !host.contains('@')
                && host.parse::<axum::http::uri::Authority>().is_ok()
        }) {
            Some(host) => std::borrow::Cow::Owned(format!("http://{host}/v1")),
            None => std::borrow::Cow::Borrowed(&self.base),
        }
    }

    /// `user` (the user `id`) as answered, with its `_links` under the API base URL `base`
    /// ([`links_base`](Self::links_base)).
    pub(in crate::pingone::emulator) fn render(
        &self,
        base: &str,
        id: &str,
        user: &Map<String, Value>,
    ) -> Value {
        let env = format!("{base}/environments/{}", self.environment_id);
        let me = format!("{env}/users/{id}");
        let mut links = Map::new();
        let mut link = |name: &str, href: String| {
            links.insert(name.to_owned(), json!({ "href": href }));
        };
        link("self", me.clone());
        link("environment", env.clone());
        if let Some(population) = user
            .get("population")
            .and_then(|p| p.get("id"))
            .and_then(Value::as_str)
        {
            link("population", format!("{env}/populations/{population}"));
        }
        link("devices", format!("{me}/devices"));
        link("roleAssignments", format!("{me}/roleAssignments"));
        for name in [
            "password",
            "password.reset",
            "password.set",
            "password.check",
            "password.recover",
        ] {
            link(name, format!("{me}/password"));
        }
        link("linkedAccounts", format!("{me}/linkedAccounts"));
        link("account.sendVerificationCode", me.clone());
        link("memberOfGroups", format!("{me}/memberOfGroups"));
        let mut out = Map::new();
        out.insert("_links".into(), Value::Object(links));
        out.extend(user.clone());
        Value::Object(out)
    }
}
