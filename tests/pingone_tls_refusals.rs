//! Why a server certificate was refused (docs/pingone_transport/README.md): the text of
//! `Error::Transport` says `the server's TLS certificate was not trusted:` and why, here a
//! certificate for another host name and one that has expired, both from a trusted CA;
//! `is_untrusted_certificate()` says so, and neither is retried.

#[path = "support/https.rs"]
mod https;

use std::time::Duration;

use https::{HttpsFront, TestCa, ring};
use rcgen::CertificateParams;
use sparse_patch::pingone::emulator::Emulator;
use sparse_patch::pingone::{Client, RetryPolicy, TokenSource};

#[tokio::test]
async fn a_certificate_for_another_name_or_expired_is_refused_saying_why() {
    let ca = TestCa::new("sparse-patch test CA");
    let emulator = Emulator::start().unwrap();
    let another_name = CertificateParams::new(vec!["other.example".to_owned()]).unwrap();
    let mut expired = CertificateParams::new(vec!["127.0.0.1".to_owned()]).unwrap();
    expired.not_before = rcgen::date_time_ymd(2000, 1, 1);
    expired.not_after = rcgen::date_time_ymd(2001, 1, 1);
    for (params, why) in [
        (another_name, "it is not valid for the host name"),
        (expired, "it has expired"),
    ] {
        let front =
            HttpsFront::start_with(ca.certificate_for(params), ring(), emulator.addr()).await;
        let error = Client::builder()
            .api_base_url(front.api_base_url())
            .token(TokenSource::bearer(emulator.token()))
            .add_root_certificate(ca.pem())
            .retry_policy(
                RetryPolicy::default()
                    .max_attempts(3)
                    .initial_backoff(Duration::from_millis(1)),
            )
            .build()
            .unwrap()
            .get_user(emulator.environment_id(), emulator.user_id())
            .await
            .unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains(&format!(
                "the server's TLS certificate was not trusted: {why}"
            )),
            "{text}"
        );
        assert!(error.is_untrusted_certificate(), "{error:?}");
        assert!(!error.is_retryable(), "{error:?}");
        assert_eq!(error.attempts(), Some(1), "{text}");
        assert_eq!(front.handshakes(), 0);
    }
}
