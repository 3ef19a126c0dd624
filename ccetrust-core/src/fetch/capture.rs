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

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme};

/// Accepts every chain; verifies only the handshake signature. See the module comment.
#[derive(Debug)]
struct CaptureVerifier {
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for CaptureVerifier {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        // Capture only: the chain is judged later, offline, by `chain`/`cce`.
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// A client configuration for one capture: TLS 1.2 and 1.3, ring's suites, no client
/// certificate, SNI as asked.
pub(super) fn capture_config(send_sni: bool) -> Result<ClientConfig, rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ClientConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(CaptureVerifier { provider }))
        .with_no_client_auth();
    config.enable_sni = send_sni;
    // No session resumption: every fetch must see the full Certificate message.
    config.resumption = rustls::client::Resumption::disabled();
    Ok(config)
}
