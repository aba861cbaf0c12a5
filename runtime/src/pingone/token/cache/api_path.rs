//! What a token error adds when the auth base URL ends in the users API's path, `/v1`.

use super::super::super::Error;

/// Whether the auth base URL `base` ends in `/v1` (in any case, a final `/` aside): the
/// users API's path, as in the API base URL (`https://api.pingone.com/v1`) or the emulator's
/// `api_base_url()`, given as the auth base URL. The client then asks
/// `{base}/{environmentID}/as/token`, a path no PingOne token endpoint has.
pub(super) fn ends_in_api_path(base: &str) -> bool {
    let path =
        reqwest::Url::parse(base).map_or_else(|_| base.to_owned(), |url| url.path().to_owned());
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .is_some_and(|last| last.eq_ignore_ascii_case("v1"))
}

/// What [`with_api_path_note`] adds to the description.
const API_PATH_NOTE: &str = "the auth base URL ends in /v1, the users API's path: the auth \
     base URL should not end in /v1; it is the auth host (such as https://auth.pingone.com, \
     as `Region::auth_base_url` gives it, or the emulator's `auth_base_url()`), to which the \
     client adds /{environmentID}/as/token; give a token endpoint at another path whole with \
     `token_url`";

/// `error`, the refusal of a token request (an [`Error::Token`]) sent to a token URL made of
/// an auth base URL that [`ends_in_api_path`], with its description saying so: the token
/// endpoint (or whatever answers there) gives a 404 or 401 that does not say the URL was the
/// cause. Other errors are returned as they are.
pub(super) fn with_api_path_note(mut error: Error) -> Error {
    if let Error::Token { description, .. } = &mut error {
        *description = Some(match description.take() {
            Some(description) => format!("{description}; {API_PATH_NOTE}"),
            None => API_PATH_NOTE.to_owned(),
        });
    }
    error
}

#[cfg(test)]
mod tests {
    use super::ends_in_api_path;

    #[test]
    fn only_a_last_segment_of_v1_is_the_api_path() {
        for base in [
            "https://api.pingone.com/v1",
            "https://proxy.example/v1/",
            "http://127.0.0.1:8080/V1",
            "https://proxy.example/pingone/v1",
        ] {
            assert!(ends_in_api_path(base), "{base}");
        }
        for base in [
            "https://auth.pingone.com",
            "https://proxy.example/",
            "https://proxy.example/v10",
            "https://proxy.example/v1/auth",
            "https://proxy.example/xv1",
        ] {
            assert!(!ends_in_api_path(base), "{base}");
        }
    }
}
