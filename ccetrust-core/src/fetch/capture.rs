//! The one place in ccetrust that lets a TLS handshake finish without trusting the server.
//!
//! Collecting a chain means talking to servers whose certificates are self-signed, expired,
//! issued for another name or by an unknown CA — those are exactly the servers an audit is for.
//! So the capture verifier accepts any certificate chain. It still checks the server's
//! handshake signature with the leaf's public key, so what we record is the chain of the
//! party we actually talked to, not bytes a middlebox pasted in.
//!
//! Containment: [`CaptureVerifier`] and [`capture_config`] are private to `fetch` (this module
//! is not `pub`), the `ClientConfig` built here is never returned, and the connection it drives
//! never carries application data. Nothing else in the library can reach this verifier, and
//! nothing the library decides about trust (`chain`, `cce`) goes through TLS at all.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::ResolvesClientCert;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::sign::CertifiedKey;
use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme};

/// What one handshake showed, recorded as rustls goes: the chain as soon as the server sent
/// it, whether its handshake signature checked out, and whether it asked for a client
/// certificate (and from which CAs). A server that insists on a client certificate (the CTI
/// server's mutual TLS) aborts a TLS 1.2 handshake after all of this is known.
#[derive(Debug, Default)]
pub(super) struct Capture {
    chain: Mutex<Vec<CertificateDer<'static>>>,
    signature_verified: AtomicBool,
    client_auth: Mutex<Option<Vec<Vec<u8>>>>,
}

impl Capture {
    /// The chain the server sent, if it got as far as sending one.
    pub(super) fn chain(&self) -> Vec<CertificateDer<'static>> {
        self.chain.lock().map(|c| c.clone()).unwrap_or_default()
    }

    /// Whether the server proved possession of the leaf's key.
    pub(super) fn signature_verified(&self) -> bool {
        self.signature_verified.load(Ordering::SeqCst)
    }

    /// `Some(acceptable CA names, DER)` when the server asked for a client certificate.
    pub(super) fn client_auth(&self) -> Option<Vec<Vec<u8>>> {
        self.client_auth.lock().ok().and_then(|c| c.clone())
    }
}

/// Accepts every chain and records it; verifies only the handshake signature. See the
/// module comment.
#[derive(Debug)]
struct CaptureVerifier {
    provider: Arc<CryptoProvider>,
    capture: Arc<Capture>,
}

/// Has no client certificate; records that the server asked for one.
#[derive(Debug)]
struct NoClientCertificate {
    capture: Arc<Capture>,
}

impl ResolvesClientCert for NoClientCertificate {
    fn resolve(
        &self,
        root_hint_subjects: &[&[u8]],
        _sigschemes: &[SignatureScheme],
    ) -> Option<Arc<CertifiedKey>> {
        if let Ok(mut c) = self.capture.client_auth.lock() {
            *c = Some(root_hint_subjects.iter().map(|n| n.to_vec()).collect());
        }
        None
    }

    fn has_certs(&self) -> bool {
        false
    }
}

impl ServerCertVerifier for CaptureVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        // Capture only: the chain is judged later, offline, by `chain`/`cce`.
        if let Ok(mut chain) = self.capture.chain.lock() {
            *chain = std::iter::once(end_entity)
                .chain(intermediates)
                .map(|c| c.clone().into_owned())
                .collect();
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let ok = verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )?;
        self.capture
            .signature_verified
            .store(true, Ordering::SeqCst);
        Ok(ok)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let ok = verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )?;
        self.capture
            .signature_verified
            .store(true, Ordering::SeqCst);
        Ok(ok)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// A client configuration for one capture, recording into `capture`: TLS 1.2 and 1.3,
/// ring's suites, no client certificate, SNI as asked.
pub(super) fn capture_config(
    send_sni: bool,
    capture: Arc<Capture>,
) -> Result<ClientConfig, rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ClientConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(CaptureVerifier {
            provider,
            capture: capture.clone(),
        }))
        .with_client_cert_resolver(Arc::new(NoClientCertificate { capture }));
    config.enable_sni = send_sni;
    // No session resumption: every fetch must see the full Certificate message.
    config.resumption = rustls::client::Resumption::disabled();
    Ok(config)
}
