//! A `reqwest::Client` of the user's own, in a build where the `client` feature turned on
//! reqwest's `rustls-no-provider`: reqwest panics for want of a crypto provider until
//! `install_default_crypto_provider` installs the client's. Its own test binary: the default
//! provider is the process's.

#[test]
fn a_reqwest_client_of_your_own_gets_the_clients_provider() {
    // The tree's reqwest has rustls and no provider (the workspace's features are the
    // `client` feature's): without a default, reqwest panics. A new user met this
    // with `reqwest = { default-features = false, features = ["json"] }` beside sparse-patch.
    let before = std::panic::catch_unwind(reqwest::Client::new);
    assert!(
        before.is_err(),
        "reqwest found a provider: the build no longer has the hazard that \
         `install_default_crypto_provider`'s doc describes"
    );

    assert!(sparse_patch::pingone::install_default_crypto_provider());
    let client = reqwest::Client::new();
    drop(client);
    // Installed once: a second call changes nothing.
    assert!(!sparse_patch::pingone::install_default_crypto_provider());
}
