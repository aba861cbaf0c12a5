//! What the error of an answer whose body is no PingOne error body says of it: what arrived
//! (an HTML page and its title, its length and `Content-Type`), where it came from, its
//! `WWW-Authenticate` and its `Correlation-Id`, each without the request's token.

use core::fmt::Write as _;

use super::super::body::{kept_correlation_id, shown_challenge, shown_content_type};
use super::Answer;
use super::html_title::html_title;

impl Answer {
    /// What the error of an answer whose body is not a PingOne error body says of its
    /// `WWW-Authenticate` ([`Answer::challenge`]): `; WWW-Authenticate: "..."`, the token the
    /// request carried and whatever `redact` replaces taken out before it is cut; empty
    /// without one.
    #[cold]
    pub(crate) fn challenge_note(&self, redact: &dyn Fn(&str) -> String) -> String {
        let shown = self.challenge.as_deref().and_then(|text| {
            shown_challenge(text, |text| match &self.secret {
                Some(secret) => redact(&secret.redact(text)),
                None => redact(text),
            })
        });
        match shown {
            Some(challenge) => format!("; WWW-Authenticate: {challenge:?}"),
            None => String::new(),
        }
    }

    /// What the error of a 4xx or 5xx whose body is not a PingOne error body says arrived
    /// instead: its `Content-Type` and its length, and for an HTML page (a `Content-Type`
    /// that names HTML, or a body that starts with `<`) its `<title>`, which names the proxy's
    /// or load balancer's answer (`"502 Bad Gateway"`). The text said only "not a PingOne
    /// error body", which read as a fault of the client's (review 129's new user). The token
    /// the request carried and whatever `redact` replaces (a token request's client secret)
    /// are taken out of the title and the `Content-Type` before they are cut. The token
    /// endpoint's errors say the same of an answer that is no OAuth one
    /// (`token::response::token_error`).
    #[cold]
    pub(crate) fn what_arrived(&self, redact: &dyn Fn(&str) -> String) -> String {
        let content_type = self.shown_content_type(redact);
        let is_html = content_type
            .as_deref()
            .is_some_and(|kind| kind.to_ascii_lowercase().contains("html"))
            || self
                .body
                .iter()
                .find(|byte| !byte.is_ascii_whitespace())
                .is_some_and(|first| *first == b'<');
        let mut text = if is_html {
            "an HTML page".to_owned()
        } else {
            "a body".to_owned()
        };
        if is_html && let Some(title) = html_title(&redact(&self.redacted_body())) {
            let _ = write!(text, " titled {title:?}");
        }
        let _ = write!(text, " of {} bytes", self.body.len());
        match content_type {
            Some(content_type) => {
                let _ = write!(text, " (Content-Type {content_type:?})");
            }
            None => text.push_str(" (no Content-Type)"),
        }
        text
    }

    /// `; Content-Type "..."` for an answer that has one, as [`what_arrived`](Answer::what_arrived)
    /// shows it (what `redact` replaces taken out too); empty without one.
    #[cold]
    pub(crate) fn content_type_note(&self, redact: &dyn Fn(&str) -> String) -> String {
        self.shown_content_type(redact)
            .map_or_else(String::new, |content_type| {
                format!("; Content-Type {content_type:?}")
            })
    }

    /// `; Correlation-Id "..."` for an answer that has one (a gateway in front of PingOne may
    /// set it on its own page too), as
    /// [`ApiError::correlation_id`](super::super::super::ApiError::correlation_id) keeps it
    /// for a PingOne error body: what PingOne's support asks for. `Error::Decode` has no field
    /// for it, so its reason carries it; empty without one.
    #[cold]
    pub(super) fn correlation_note(&self) -> String {
        self.correlation_id
            .as_deref()
            .and_then(|raw| kept_correlation_id(raw, self.secret.as_ref()))
            .map_or_else(String::new, |id| format!("; Correlation-Id {id:?}"))
    }

    /// The answer's `Content-Type` as an error shows it: the request's token and what
    /// `redact` replaces taken out, then cut ([`shown_content_type`]).
    #[cold]
    fn shown_content_type(&self, redact: &dyn Fn(&str) -> String) -> Option<String> {
        let raw = self.content_type.as_deref()?;
        shown_content_type(raw, |text| match &self.secret {
            Some(secret) => redact(&secret.redact(text)),
            None => redact(text),
        })
    }

    /// Where the body of a 4xx or 5xx that is not a PingOne error body came from: PingOne's API
    /// answers its errors with a JSON error body, so from something between the client and
    /// PingOne, or from a server that is not PingOne's API; for a 5xx, a server's failure
    /// (RFC 9110 §15.6), not the request's. Empty for any other status.
    #[cold]
    pub(super) fn origin_note(&self) -> &'static str {
        match self.status {
            500..=599 => {
                ": the answer of something between the client and PingOne (a proxy, gateway or \
                 load balancer) or of the server itself; a 5xx is the server's failure, not the request's (RFC 9110 \
                 §15.6)"
            }
            400..=499 => {
                ": the answer of something between the client and PingOne (a proxy, gateway or \
                 firewall) or of a server that is not PingOne's API (check the API base URL)"
            }
            _ => "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Answer;

    /// The text of the error of an answer with `status`, `body`, its `Content-Type` and its
    /// `Correlation-Id`, sent with the bearer token `token`.
    fn error_text(
        status: u16,
        body: &[u8],
        content_type: Option<&str>,
        correlation_id: Option<&str>,
        token: Option<&str>,
    ) -> String {
        Answer {
            status,
            retry_after: None,
            body: bytes::Bytes::from(body.to_vec()),
            encoding: None,
            location: None,
            correlation_id: correlation_id.map(str::to_owned),
            challenge: None,
            content_type: content_type.map(str::to_owned),
            attempts: 1,
            secret: token.map(|token| crate::pingone::secret::Secret::new(token.to_owned())),
        }
        .decode::<crate::pingone::User>()
        .unwrap_err()
        .to_string()
    }

    /// What an error page's error says arrived (mutation audit: each of these went
    /// unnoticed): an HTML page told by its Content-Type in any case or by a `<` after white
    /// space; its title found past the first KB, in any case, cut to 100 characters, and left
    /// out when empty; no Content-Type said so; a Content-Type cut to 100 visible characters
    /// without controls or the spaces around them; the bearer token taken out of the title,
    /// the Content-Type and the Correlation-Id; an empty or UTF-16 body's Content-Type and
    /// Correlation-Id; a 401's WWW-Authenticate; a 400 said to be no PingOne error body.
    #[test]
    fn an_error_page_says_what_arrived() {
        let text = error_text(502, b"\n  <p>down</p>", None, None, None);
        assert!(
            text.contains("(an HTML page of 14 bytes (no Content-Type): the answer"),
            "{text}"
        );
        let text = error_text(502, b"down", Some("TEXT/HTML"), None, None);
        assert!(
            text.contains("(an HTML page of 4 bytes (Content-Type \"TEXT/HTML\")"),
            "{text}"
        );
        let padded = format!("<html>{}<Title x=\"1\">Gone</tITLE>", " ".repeat(2000));
        let text = error_text(503, padded.as_bytes(), Some("text/html"), None, None);
        assert!(text.contains("an HTML page titled \"Gone\" of "), "{text}");
        let long = format!("<title>{}</title>", "t".repeat(150));
        let text = error_text(503, long.as_bytes(), Some("text/html"), None, None);
        assert!(
            text.contains(&format!("titled \"{}\" of", "t".repeat(100))),
            "{text}"
        );
        let text = error_text(503, b"<title> </title>", Some("text/html"), None, None);
        assert!(text.contains("(an HTML page of 16 bytes"), "{text}");
        let kind = format!(" \u{1b}[2Jtext/plain; {}", "p".repeat(150));
        let text = error_text(500, b"oops", Some(&kind), None, None);
        assert!(
            text.contains(&format!(
                "(Content-Type \"[2Jtext/plain; {}\")",
                "p".repeat(84)
            )),
            "{text}"
        );

        // The token taken out before the title and the Content-Type are cut: none of it is
        // left by a cut inside it (the reason's own redaction finds no whole token there).
        const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.tokenbody.signature";
        let page = format!("<title>{}{TOKEN}</title>", "x".repeat(95));
        let kind = format!("text/html; {}{TOKEN}", "k".repeat(84));
        let text = error_text(401, page.as_bytes(), Some(&kind), None, Some(TOKEN));
        assert!(!text.contains("eyJhb"), "{text}");

        for body in [&b""[..], b"\xff\xfe{\x00}\x00"] {
            let text = error_text(502, body, Some("text/html"), Some("c1 -id"), None);
            assert!(
                text.contains("; Content-Type \"text/html\"; Correlation-Id \"c1-id\")"),
                "{text}"
            );
        }
        // A 401's challenge, its only account of why a bearer token was refused.
        let text = Answer {
            status: 401,
            retry_after: None,
            body: bytes::Bytes::from_static(b"<html>denied</html>"),
            encoding: None,
            location: None,
            correlation_id: None,
            challenge: Some("Bearer error=\"invalid_token\"".to_owned()),
            content_type: None,
            attempts: 1,
            secret: None,
        }
        .decode::<crate::pingone::User>()
        .unwrap_err()
        .to_string();
        assert!(
            text.contains("; WWW-Authenticate: \"Bearer error=\\\"invalid_token\\\"\")"),
            "{text}"
        );
        let text = error_text(400, b"bad", Some("text/plain"), None, None);
        assert!(
            text.starts_with(
                "the HTTP 400 answer's body is not PingOne's JSON error body (a body of 3 bytes"
            ),
            "{text}"
        );
    }

    /// A header that echoes a secret with a tab, an invisible or a non-ASCII byte inside it
    /// (`Content-Type`, `Correlation-Id`, `WWW-Authenticate`): the characters an error leaves
    /// out of a header were left out after the secret was searched for, which found none, so
    /// that the secret came out whole in the error's text and the token span's correlation
    /// ID. Left out first, then searched for, it is taken out.
    #[test]
    fn a_secret_split_by_a_character_that_a_header_leaves_out_is_taken_out() {
        const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ3b3JrZXIifQ.c2lnbmF0dXJl";
        const CLIENT_SECRET: &str = "Xk2-client-secret-9fQ";
        for hidden in ['\t', '\u{200b}', '\u{fffd}', '\u{1}'] {
            let split = format!("{}{hidden}{}", &TOKEN[..20], &TOKEN[20..]);
            let answer = Answer {
                status: 502,
                retry_after: None,
                body: bytes::Bytes::from_static(b"<html><title>502 Bad Gateway</title></html>"),
                encoding: None,
                location: None,
                correlation_id: Some(format!("id-{split}")),
                challenge: Some(format!("Bearer realm=\"{split}\"")),
                content_type: Some(format!("text/html; echo={split}")),
                attempts: 1,
                secret: Some(crate::pingone::secret::Secret::new(TOKEN.to_owned())),
            };
            let text = answer.challenge_note(&str::to_owned)
                + &answer.what_arrived(&str::to_owned)
                + &answer.correlation_note();
            assert!(!text.contains(TOKEN), "{hidden:?}: {text}");
            let split_secret = format!("{}{hidden}{}", &CLIENT_SECRET[..5], &CLIENT_SECRET[5..]);
            let token_answer = Answer {
                correlation_id: Some(split_secret),
                ..answer
            };
            let id = token_answer
                .correlation_id_without(|raw| raw.replace(CLIENT_SECRET, "[secret]"))
                .unwrap_or_default();
            assert!(!id.contains(CLIENT_SECRET), "{hidden:?}: {id}");
        }
    }
}
