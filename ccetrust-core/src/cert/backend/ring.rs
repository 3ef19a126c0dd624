//! The ring signature backend (feature `ring`): ring's RSA PKCS#1 v1.5, RSA-PSS and ECDSA
//! P-256/P-384 verifiers, the code webpki runs, for the cold verification a one-shot caller
//! pays (`ccetrust verify`, Ansible's `certificate_info`). What ring does not do goes to the
//! pure-Rust backend, named in each arm below, so the answer never depends on the backend;
//! so does an RSA key's second and later PKCS#1 v1.5 signature (a cached issuer key), where
//! the pure-Rust operation, set up once, is the faster of the two.

use ring::signature as rs;

use super::pure::PureRust;
use super::{EcPoint, PublicKey, SignatureBackend};
use crate::cert::signature::{HashAlgorithm, SignatureAlgorithm, SignatureError};

/// The ring backend.
pub(crate) struct Ring;

/// ring's verifier for this algorithm and key, or `None` where ring has none.
pub(crate) fn ring_algorithm(
    alg: SignatureAlgorithm,
    key: &PublicKey,
) -> Option<(&'static dyn rs::VerificationAlgorithm, &[u8])> {
    use HashAlgorithm::*;
    let a: &'static dyn rs::VerificationAlgorithm = match (alg, key) {
        // ring's RSA verifiers take 2048 to 8192 bits; ours take 1024 bits up.
        (SignatureAlgorithm::RsaPkcs1(h), PublicKey::Rsa(k)) if k.bits >= 2048 => match h {
            Sha1 => &rs::RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY,
            Sha256 => &rs::RSA_PKCS1_2048_8192_SHA256,
            Sha384 => &rs::RSA_PKCS1_2048_8192_SHA384,
            Sha512 => &rs::RSA_PKCS1_2048_8192_SHA512,
        },
        // ring's PSS fixes the salt length to the hash length (RFC 4055's recommendation) and
        // has no SHA-1.
        (SignatureAlgorithm::RsaPss(h, salt), PublicKey::Rsa(k)) if k.bits >= 2048 => {
            match (h, salt) {
                (Sha256, 32) => &rs::RSA_PSS_2048_8192_SHA256,
                (Sha384, 48) => &rs::RSA_PSS_2048_8192_SHA384,
                (Sha512, 64) => &rs::RSA_PSS_2048_8192_SHA512,
                _ => return None,
            }
        }
        // ring reads uncompressed points only, and has no P-521, SHA-1 or SHA-512 ECDSA.
        (SignatureAlgorithm::Ecdsa(h), PublicKey::Ec(k)) if k.sec1.first() == Some(&4) => {
            match (&k.point, h) {
                (EcPoint::P256(_), Sha256) => &rs::ECDSA_P256_SHA256_ASN1,
                (EcPoint::P256(_), Sha384) => &rs::ECDSA_P256_SHA384_ASN1,
                (EcPoint::P384(_), Sha256) => &rs::ECDSA_P384_SHA256_ASN1,
                (EcPoint::P384(_), Sha384) => &rs::ECDSA_P384_SHA384_ASN1,
                _ => return None,
            }
        }
        // Ed25519 stays on ed25519-dalek's verify_strict (ring accepts small-order keys).
        _ => return None,
    };
    let bytes = match key {
        PublicKey::Rsa(k) => &k.pkcs1[..],
        PublicKey::Ec(k) => &k.sec1[..],
        PublicKey::Ed25519(_) => return None,
    };
    Some((a, bytes))
}

impl SignatureBackend for Ring {
    fn name(&self) -> &'static str {
        "ring"
    }

    fn verify(
        &self,
        alg: SignatureAlgorithm,
        key: &PublicKey,
        msg: &[u8],
        sig: &[u8],
    ) -> Result<(), SignatureError> {
        // A cached issuer key's PKCS#1 v1.5 signatures: the set-up pure-Rust form beats ring,
        // which parses the key at every call (benches/README.md, issue 17).
        if let (SignatureAlgorithm::RsaPkcs1(_), PublicKey::Rsa(k)) = (alg, key) {
            if k.reused() {
                return PureRust.verify(alg, key, msg, sig);
            }
        }
        match ring_algorithm(alg, key) {
            Some((a, public)) => rs::UnparsedPublicKey::new(a, public)
                .verify(msg, sig)
                .map_err(|_| SignatureError::Invalid),
            None => PureRust.verify(alg, key, msg, sig),
        }
    }
}
