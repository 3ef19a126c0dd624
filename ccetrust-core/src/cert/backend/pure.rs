//! The pure-Rust signature backend: our fixed-size RSA public operation for PKCS#1 v1.5
//! (`rsa_public.rs`), the `rsa` crate for RSA-PSS, RustCrypto's `p256`/`p384`/`p521` for
//! ECDSA and `ed25519-dalek` (strict) for Ed25519. Always built; the default without the
//! `ring` feature, and the fallback for what ring does not do.

use signature::hazmat::PrehashVerifier;

use super::{EcPoint, PublicKey, SignatureBackend};
use crate::cert::signature::{pss_verify, SignatureAlgorithm, SignatureError};

/// The pure-Rust backend.
pub(crate) struct PureRust;

impl SignatureBackend for PureRust {
    fn name(&self) -> &'static str {
        "pure"
    }

    fn verify(
        &self,
        alg: SignatureAlgorithm,
        key: &PublicKey,
        msg: &[u8],
        sig: &[u8],
    ) -> Result<(), SignatureError> {
        let ok = match (alg, key) {
            (SignatureAlgorithm::RsaPkcs1(h), PublicKey::Rsa(k)) => {
                k.fast()?.verify_pkcs1v15(h, &h.digest(msg), sig)
            }
            (SignatureAlgorithm::RsaPss(h, salt), PublicKey::Rsa(k)) => {
                pss_verify(&k.for_pss()?, h, salt, &h.digest(msg), sig)
            }
            (SignatureAlgorithm::Ecdsa(h), PublicKey::Ec(k)) => {
                let d = h.digest(msg);
                match &k.point {
                    EcPoint::P256(vk) => p256::ecdsa::Signature::from_der(sig)
                        .is_ok_and(|s| vk.verify_prehash(&d, &s).is_ok()),
                    EcPoint::P384(vk) => p384::ecdsa::Signature::from_der(sig)
                        .is_ok_and(|s| vk.verify_prehash(&d, &s).is_ok()),
                    EcPoint::P521(vk) => p521::ecdsa::Signature::from_der(sig)
                        .is_ok_and(|s| vk.verify_prehash(&d, &s).is_ok()),
                }
            }
            // verify_strict: rejects small-order keys and non-canonical encodings (RFC 8032
            // §5.1.7 as tightened by the "taming EdDSAs" analysis).
            (SignatureAlgorithm::Ed25519, PublicKey::Ed25519(k)) => {
                ed25519_dalek::Signature::from_slice(sig)
                    .is_ok_and(|s| k.verify_strict(msg, &s).is_ok())
            }
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(SignatureError::Invalid)
        }
    }
}
