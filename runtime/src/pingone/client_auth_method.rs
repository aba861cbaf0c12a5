//! [`ClientAuthMethod`]: how a worker application authenticates to the token endpoint, which
//! the client sends and the emulator can insist on.

/// How the worker application authenticates to the token endpoint (RFC 6749 §2.3.1): its
/// token endpoint authentication method, which PingOne sets per application
/// (`tokenEndpointAuthMethod`) and holds it to, answering the other one 401 `invalid_client`
/// ("Unsupported authentication method"). The client sends the one `TokenSource::auth_method`
/// sets (feature `client`); the emulator takes either, or the one its worker is held to,
/// `EmulatorBuilder::worker_auth_method` (feature `emulator`).
///
/// Source: PingOne, "Token endpoint authentication methods"
/// (<https://docs.pingidentity.com/pingone/applications/p1_token_endpoint_authentication_methods.html>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ClientAuthMethod {
    /// `CLIENT_SECRET_BASIC`: HTTP Basic authentication (the PingOne default for workers).
    #[default]
    Basic,
    /// `CLIENT_SECRET_POST`: `client_id` and `client_secret` in the form body.
    Post,
}

impl ClientAuthMethod {
    /// PingOne's name of the method, as an application's `tokenEndpointAuthMethod` holds it:
    /// `CLIENT_SECRET_BASIC` or `CLIENT_SECRET_POST`.
    #[must_use]
    pub fn pingone_name(self) -> &'static str {
        match self {
            ClientAuthMethod::Basic => "CLIENT_SECRET_BASIC",
            ClientAuthMethod::Post => "CLIENT_SECRET_POST",
        }
    }
}

/// Writes [`pingone_name`](ClientAuthMethod::pingone_name), which its
/// [`FromStr`](core::str::FromStr) reads back.
impl core::fmt::Display for ClientAuthMethod {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.pingone_name())
    }
}

impl core::str::FromStr for ClientAuthMethod {
    type Err = UnknownAuthMethod;

    /// Reads `basic` or `post`, or PingOne's names `CLIENT_SECRET_BASIC` and
    /// `CLIENT_SECRET_POST`, in any case and without the white space around them: the value
    /// of a setting such as the examples' `PINGONE_CLIENT_AUTH_METHOD`.
    ///
    /// ```
    /// use sparse_patch::pingone::ClientAuthMethod;
    ///
    /// assert_eq!(" Post ".parse(), Ok(ClientAuthMethod::Post));
    /// assert_eq!("CLIENT_SECRET_BASIC".parse(), Ok(ClientAuthMethod::Basic));
    /// let method = ClientAuthMethod::Post;
    /// assert_eq!(method.to_string().parse(), Ok(method));
    /// assert!("form".parse::<ClientAuthMethod>().is_err());
    /// ```
    ///
    /// # Errors
    ///
    /// [`UnknownAuthMethod`], holding the text, for any other text.
    fn from_str(text: &str) -> Result<Self, UnknownAuthMethod> {
        let text = text.trim();
        match text.to_ascii_lowercase().as_str() {
            "basic" | "client_secret_basic" => Ok(ClientAuthMethod::Basic),
            "post" | "client_secret_post" => Ok(ClientAuthMethod::Post),
            _ => Err(UnknownAuthMethod(text.to_owned())),
        }
    }
}

/// The input of [`ClientAuthMethod::from_str`](core::str::FromStr::from_str) named no token
/// endpoint authentication method. Its text and `Debug` quote the input escaped as Rust's
/// `Debug` writes a string, its first 64 characters and its length where it is longer.
#[derive(Clone, PartialEq, Eq)]
pub struct UnknownAuthMethod(String);

impl UnknownAuthMethod {
    /// The text that named no method, whole (without the white space around it, which
    /// `from_str` ignores): the error's text quotes at most 64 characters of it.
    #[must_use]
    pub fn input(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Display for UnknownAuthMethod {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "unknown token endpoint authentication method {}: expected basic \
             (CLIENT_SECRET_BASIC) or post (CLIENT_SECRET_POST)",
            crate::quoted::Quoted {
                text: &self.0,
                max: 64
            }
        )
    }
}

/// As `#[derive(Debug)]` writes it, the input cut as the text cuts it: a setting of a
/// megabyte went whole into `unwrap`'s message.
impl core::fmt::Debug for UnknownAuthMethod {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("UnknownAuthMethod")
            .field(&crate::quoted::Quoted {
                text: &self.0,
                max: 64,
            })
            .finish()
    }
}

impl std::error::Error for UnknownAuthMethod {}

#[cfg(test)]
mod tests {
    use super::ClientAuthMethod;

    /// Each method is read by its short name and by PingOne's, in any case, and written as
    /// PingOne's; other texts are refused, the error quoting them.
    #[test]
    fn a_method_is_read_by_either_name_in_any_case() {
        for (text, method) in [
            ("basic", ClientAuthMethod::Basic),
            ("BASIC", ClientAuthMethod::Basic),
            ("\tclient_secret_basic\n", ClientAuthMethod::Basic),
            ("post", ClientAuthMethod::Post),
            ("Client_Secret_Post", ClientAuthMethod::Post),
        ] {
            assert_eq!(text.parse(), Ok(method), "{text:?}");
            assert_eq!(method.to_string().parse(), Ok(method));
        }
        for text in ["", "form", "client_secret_jwt", "basic post", "b asic"] {
            let error = text.parse::<ClientAuthMethod>().unwrap_err();
            assert_eq!(error.input(), text.trim());
            assert!(
                error.to_string().starts_with(&format!(
                    "unknown token endpoint authentication method {:?}",
                    text.trim()
                )),
                "{error}"
            );
        }
    }
}
