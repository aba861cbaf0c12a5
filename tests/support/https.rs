//! A local HTTPS front for the emulator, certificates made in the test (rcgen), and a
//! `CONNECT` proxy that counts its tunnels: the TLS and proxy tests of the client.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

/// A host name of the reserved `.test` domain (RFC 6761 §6.2) that no resolver knows:
/// [`CountingProxy`] connects it to 127.0.0.1, so a request to it reaches a local server only
/// through the proxy.
pub const PROXIED_NAME: &str = "api.pingone.test";

/// A certificate authority made for one test.
pub struct TestCa {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

impl TestCa {
    /// A new CA with its own key, named `name`.
    pub fn new(name: &str) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let key = KeyPair::generate().expect("CA key");
        TestCa {
            issuer: CertifiedIssuer::self_signed(params, key).expect("CA certificate"),
        }
    }

    /// The CA's certificate as PEM, as `ClientBuilder::add_root_certificate` takes it.
    pub fn pem(&self) -> String {
        self.issuer.pem()
    }

    /// The CA's certificate as DER.
    pub fn der(&self) -> CertificateDer<'static> {
        self.issuer.der().clone()
    }

    /// A server certificate for 127.0.0.1, `localhost` and `api.pingone.test` (a name that
    /// only [`CountingProxy`] resolves), signed by this CA, and its key.
    pub fn server_certificate(&self) -> (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>) {
        let params = CertificateParams::new(vec![
            "127.0.0.1".to_owned(),
            "localhost".to_owned(),
            PROXIED_NAME.to_owned(),
        ])
        .expect("server parameters");
        self.certificate_for(params)
    }

    /// A certificate of `params` signed by this CA, and its key.
    pub fn certificate_for(
        &self,
        params: CertificateParams,
    ) -> (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>) {
        let key = KeyPair::generate().expect("server key");
        let certificate = params
            .signed_by(&key, &self.issuer)
            .expect("server certificate");
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        (vec![certificate.der().clone()], key)
    }
}

/// The `ring` provider, given explicitly: the test servers never use the process default.
pub fn ring() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Terminates TLS on 127.0.0.1 and forwards the decrypted bytes to a plain HTTP backend (the
/// emulator), so that what reaches the handler is what the emulator records.
pub struct HttpsFront {
    addr: SocketAddr,
    handshakes: Arc<AtomicUsize>,
    refused_handshakes: Arc<AtomicUsize>,
}

impl HttpsFront {
    /// Serves `ca`'s server certificate with `provider`, forwarding to `backend`.
    pub async fn start(ca: &TestCa, provider: Arc<CryptoProvider>, backend: SocketAddr) -> Self {
        Self::start_with(ca.server_certificate(), provider, backend).await
    }

    /// Serves the certificate `chain` with its `key` and `provider`, forwarding to `backend`.
    pub async fn start_with(
        (chain, key): (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>),
        provider: Arc<CryptoProvider>,
        backend: SocketAddr,
    ) -> Self {
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("protocol versions")
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .expect("server certificate");
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local address");
        let handshakes = Arc::new(AtomicUsize::new(0));
        let refused_handshakes = Arc::new(AtomicUsize::new(0));
        let (done, refused) = (Arc::clone(&handshakes), Arc::clone(&refused_handshakes));
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (acceptor, done, refused) =
                    (acceptor.clone(), Arc::clone(&done), Arc::clone(&refused));
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(stream).await else {
                        refused.fetch_add(1, Ordering::SeqCst);
                        return;
                    };
                    done.fetch_add(1, Ordering::SeqCst);
                    if let Ok(mut plain) = TcpStream::connect(backend).await {
                        let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
                    }
                });
            }
        });
        HttpsFront {
            addr,
            handshakes,
            refused_handshakes,
        }
    }

    /// `https://127.0.0.1:{port}/v1`.
    pub fn api_base_url(&self) -> String {
        format!("https://127.0.0.1:{}/v1", self.addr.port())
    }

    /// `https://localhost:{port}/v1`: a host name, for `NO_PROXY` by name.
    pub fn api_base_url_by_name(&self) -> String {
        format!("https://localhost:{}/v1", self.addr.port())
    }

    /// `https://api.pingone.test:{port}/v1`: reached through [`CountingProxy`] only.
    pub fn api_base_url_through_proxy(&self) -> String {
        format!("https://{PROXIED_NAME}:{}/v1", self.addr.port())
    }

    /// TLS handshakes that completed.
    pub fn handshakes(&self) -> usize {
        self.handshakes.load(Ordering::SeqCst)
    }

    /// TLS handshakes that failed (the client refused the certificate, for one).
    pub fn refused_handshakes(&self) -> usize {
        self.refused_handshakes.load(Ordering::SeqCst)
    }
}

/// An HTTP proxy on 127.0.0.1 that opens `CONNECT` tunnels and counts them, keeping the head
/// of each `CONNECT` request. It answers anything else with 405.
pub struct CountingProxy {
    addr: SocketAddr,
    heads: Arc<Mutex<Vec<String>>>,
}

impl CountingProxy {
    /// Starts the proxy on an ephemeral port.
    pub async fn start() -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        Self::serve(listener)
    }

    /// Serves on `listener`, bound beforehand (so that its address can go into the
    /// environment before any thread starts). Must be called within a tokio runtime.
    pub fn serve(listener: std::net::TcpListener) -> Self {
        listener.set_nonblocking(true).expect("non-blocking");
        let listener = TcpListener::from_std(listener).expect("a tokio listener");
        let addr = listener.local_addr().expect("local address");
        let heads = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&heads);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(tunnel(stream, Arc::clone(&seen)));
            }
        });
        CountingProxy { addr, heads }
    }

    /// `http://127.0.0.1:{port}`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The `CONNECT` tunnels opened so far.
    pub fn tunnels(&self) -> usize {
        self.heads.lock().expect("heads").len()
    }

    /// The head of each `CONNECT` request, in order.
    pub fn heads(&self) -> Vec<String> {
        self.heads.lock().expect("heads").clone()
    }
}

async fn tunnel(mut client: TcpStream, heads: Arc<Mutex<Vec<String>>>) {
    // Byte by byte up to the blank line: nothing of the tunnel is read ahead.
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let Ok(byte) = client.read_u8().await else {
            return;
        };
        head.push(byte);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let target = head
        .strip_prefix("CONNECT ")
        .and_then(|rest| rest.split_whitespace().next())
        .map(str::to_owned);
    let Some(target) = target else {
        let _ = client
            .write_all(b"HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n")
            .await;
        return;
    };
    heads.lock().expect("heads").push(head);
    // A host of `.test` (`PROXIED_NAME`) is this machine.
    let target = match target.rsplit_once(':') {
        Some((host, port)) if host.ends_with(".test") => format!("127.0.0.1:{port}"),
        _ => target,
    };
    let Ok(mut upstream) = TcpStream::connect(target.as_str()).await else {
        let _ = client
            .write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n")
            .await;
        return;
    };
    if client
        .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
        .await
        .is_ok()
    {
        let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
    }
}
