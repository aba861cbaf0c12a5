#[test]
fn form_encoding() {
    assert_eq!(
        super::request::form_encode("a b+c/d~é"),
        "a+b%2Bc%2Fd%7E%C3%A9"
    );
}

/// The token request carries the client secret where no `Debug` shows it: in a sensitive
/// `Authorization: Basic` header (reqwest's `basic_auth`), or in the form body, which a
/// request's `Debug` leaves out.
#[test]
fn the_token_request_shows_no_secret() {
    use super::super::{secret::Secret, transport::Transport};
    use super::{ClientAuthMethod, request::token_request};
    let http = crate::pingone::http_client::HttpSettings::default()
        .build(
            std::time::Duration::from_secs(1),
            reqwest::header::HeaderValue::from_static("test"),
        )
        .unwrap();
    let transport = Transport::new(
        http,
        crate::pingone::RetryPolicy::default(),
        std::time::Duration::from_secs(1),
        None,
        None,
        None,
        None,
    );
    let secret = Secret::new("very-secret".to_owned());
    for method in [ClientAuthMethod::Basic, ClientAuthMethod::Post] {
        let request = token_request(
            &transport,
            "https://auth.pingone.eu/env/as/token",
            method,
            "worker",
            &secret,
        )
        .build()
        .unwrap();
        if let Some(header) = request.headers().get(reqwest::header::AUTHORIZATION) {
            assert!(header.is_sensitive());
        }
        let shown = format!("{request:?}");
        assert!(!shown.contains("very-secret"), "{shown}");
        // `worker:very-secret` in base64.
        assert!(!shown.contains("d29ya2VyOnZlcnktc2VjcmV0"), "{shown}");
    }
}

/// `expires_in` as a number (an integral float too) or a string of digits, also with
/// serde_json's `arbitrary_precision` on (any crate of a build may turn it on: run with
/// `--features serde_json/arbitrary_precision`).
#[test]
fn expires_in_as_a_number_or_digits() {
    let read = |body: &str| {
        serde_json::from_str::<super::response::TokenResponse>(body)
            .map(|response| response.expires_in)
    };
    for (body, seconds) in [
        (r#"{"access_token": "t", "expires_in": 3600}"#, Some(3600)),
        (r#"{"access_token": "t", "expires_in": "3600"}"#, Some(3600)),
        (
            r#"{"access_token": "t", "expires_in": "03600"}"#,
            Some(3600),
        ),
        (r#"{"access_token": "t", "expires_in": 0}"#, Some(0)),
        (r#"{"access_token": "t", "expires_in": 3600.0}"#, Some(3600)),
        (r#"{"access_token": "t", "expires_in": 3.6e3}"#, Some(3600)),
        (
            r#"{"access_token": "t", "expires_in": 18446744073709551615}"#,
            Some(u64::MAX),
        ),
        (r#"{"access_token": "t", "expires_in": null}"#, None),
        // Whole numbers past 64 bits, as a number as well as in digits: past the cap.
        (
            r#"{"access_token": "t", "expires_in": 100000000000000000000}"#,
            Some(u64::MAX),
        ),
        (
            r#"{"access_token": "t", "expires_in": "100000000000000000000"}"#,
            Some(u64::MAX),
        ),
        (
            r#"{"access_token": "t", "expires_in": 1e20}"#,
            Some(u64::MAX),
        ),
        (
            r#"{"access_token": "t", "expires_in": 1.8446744073709552e19}"#,
            Some(u64::MAX),
        ),
        (
            r#"{"access_token": "t", "expires_in": 1e300}"#,
            Some(u64::MAX),
        ),
        (r#"{"access_token": "t"}"#, None),
    ] {
        assert_eq!(read(body).unwrap(), seconds, "{body}");
    }
    for body in [
        r#"{"access_token": "t", "expires_in": -1}"#,
        r#"{"access_token": "t", "expires_in": 1.5}"#,
        r#"{"access_token": "t", "expires_in": -1.0}"#,
        r#"{"access_token": "t", "expires_in": "-1"}"#,
        r#"{"access_token": "t", "expires_in": ""}"#,
        r#"{"access_token": "t", "expires_in": true}"#,
        r#"{"access_token": "t", "expires_in": {}}"#,
    ] {
        let error = read(body).unwrap_err().to_string();
        assert!(error.contains("expires_in"), "{body}: {error}");
    }
    // An object or an array is named, not quoted: it may hold a token (the body is never
    // quoted for that reason), where a number, a string or a literal cannot.
    for body in [
        r#"{"access_token": "t", "expires_in": {"access_token": "very-secret"}}"#,
        r#"{"access_token": "t", "expires_in": ["very-secret", 3600]}"#,
    ] {
        let error = read(body).unwrap_err().to_string();
        assert!(error.contains("expires_in"), "{body}: {error}");
        assert!(!error.contains("very-secret"), "{body}: {error}");
    }
}

/// A one-character client secret (`s`) blanked every `s` of the token endpoint's text, as it
/// is and form-encoded: taken out only where it stands alone, as `Secret::redact` does; a
/// secret of eight characters or more still wherever it is.
#[test]
fn a_short_client_secret_is_taken_out_only_where_it_stands_alone() {
    use super::super::secret::Secret;
    use super::request::redact_secret;
    let short = Secret::new("s".to_owned());
    assert_eq!(
        redact_secret("client secret s is invalid: s", "worker", &short),
        "client secret *** is invalid: ***"
    );
    // The Basic credentials hold the client id too: long, and taken out wherever they are,
    // also glued to a word (`worker:s1` is `d29ya2VyOnMx`, without padding).
    assert_eq!(
        redact_secret(
            "header Basicd29ya2VyOnMxInvalid",
            "worker",
            &Secret::new("s1".to_owned())
        ),
        "header Basic***Invalid"
    );
    let long = Secret::new("s3cr/t:é".to_owned());
    assert_eq!(
        redact_secret("xs3cr%2Ft%3A%C3%A9y", "worker", &long),
        "x***y"
    );
}

/// The form-encoded client secret was taken out only as `form_encode` writes it (upper-case
/// hex, `+` for a space), so a server echoing the body re-encoded (.NET's `UrlEncode` writes
/// `%2f`, JavaScript's `encodeURIComponent` `%20`) had it kept: `s3cr%2ft%3a%c3%a9` and
/// `a%20b%2Fc`. Hex digits in lower case and a space as `%20` are taken out too.
#[test]
fn a_client_secret_echoed_in_another_percent_encoding_is_taken_out() {
    use super::super::secret::Secret;
    use super::request::redact_secret;
    for (secret, text) in [
        ("s3cr/t:é", "xs3cr%2ft%3a%c3%a9y"),
        ("a b/c d", "xa%20b%2Fc%20dy"),
        ("a b/c", "client_secret=a%20b%2fc&"),
    ] {
        let redacted = redact_secret(text, "worker", &Secret::new(secret.to_owned()));
        assert_eq!(redacted.matches("***").count(), 1, "{text}: {redacted}");
    }
}
