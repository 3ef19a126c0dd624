//! Signature checks during path building, with each issuer's public key parsed once.
//!
//! Path building may test the same issuer against many children (and the same pair twice
//! when it backtracks). Parsing an RSA modulus is a large part of a verification, so every
//! candidate's key is decoded at most once per verification, and every (child, issuer)
//! outcome is remembered.

use der::asn1::ObjectIdentifier;
use signature::hazmat::PrehashVerifier;

use crate::cert::oids::known;
use crate::cert::rsa_public::RsaPublic;
use crate::cert::{pss_verify, Certificate, SignatureAlgorithm, SignatureError};

/// A decoded public key, ready to verify signatures.
pub(crate) enum PublicKey {
    Rsa(Box<RsaKey>),
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    P521(p521::ecdsa::VerifyingKey),
    Ed25519(ed25519_dalek::VerifyingKey),
}

/// An RSA key: the fast public operation for PKCS#1 v1.5, and its PKCS#1 bytes for the
/// rare RSA-PSS signature (verified by the `rsa` crate, which parses the key then).
pub(crate) struct RsaKey {
    public: RsaPublic,
    pkcs1: Vec<u8>,
}

impl RsaKey {
    fn for_pss(&self) -> Result<rsa::RsaPublicKey, SignatureError> {
        use rsa::pkcs1::DecodeRsaPublicKey;
        rsa::RsaPublicKey::from_pkcs1_der(&self.pkcs1)
            .map_err(|e| SignatureError::BadKey(format!("RSA public key: {e}")))
    }
}

/// Why a key cannot be used at all (reported against the certificate that carries it).
pub(crate) fn parse_key(cert: &Certificate) -> Result<PublicKey, SignatureError> {
    let spki = cert
        .subject_public_key_info()
        .ok_or_else(|| SignatureError::BadKey("the SubjectPublicKeyInfo does not decode".into()))?;
    let bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| SignatureError::BadKey("public key bit string has unused bits".into()))?;
    let oid = spki.algorithm.oid;
    if oid == known::RSA_ENCRYPTION {
        let public = RsaPublic::from_pkcs1(bits)
            .map_err(|e| SignatureError::BadKey(format!("RSA public key: {}", e.0)))?;
        Ok(PublicKey::Rsa(Box::new(RsaKey {
            public,
            pkcs1: bits.to_vec(),
        })))
    } else if oid == known::EC_PUBLIC_KEY {
        // Named curves only: explicit curve parameters are forbidden by RFC 5480 §2.1.1 in
        // practice (CA/B BR §7.1.3.1.2) and a known attack vector (CVE-2020-0601).
        let curve = spki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
            .map(|o| o.to_string())
            .unwrap_or_default();
        match curve.as_str() {
            "1.2.840.10045.3.1.7" => p256::ecdsa::VerifyingKey::from_sec1_bytes(bits)
                .map(PublicKey::P256)
                .map_err(|_| SignatureError::BadKey("invalid P-256 point".into())),
            "1.3.132.0.34" => p384::ecdsa::VerifyingKey::from_sec1_bytes(bits)
                .map(PublicKey::P384)
                .map_err(|_| SignatureError::BadKey("invalid P-384 point".into())),
            "1.3.132.0.35" => p521::ecdsa::VerifyingKey::from_sec1_bytes(bits)
                .map(PublicKey::P521)
                .map_err(|_| SignatureError::BadKey("invalid P-521 point".into())),
            "" => Err(SignatureError::BadKey(
                "EC key with explicit or missing curve parameters".into(),
            )),
            other => Err(SignatureError::Unsupported(format!("EC curve {other}"))),
        }
    } else if oid == known::ED25519 {
        if spki.algorithm.parameters.is_some() {
            return Err(SignatureError::BadKey(
                "Ed25519 key with parameters (RFC 8410 §3)".into(),
            ));
        }
        let raw: &[u8; 32] = bits
            .try_into()
            .map_err(|_| SignatureError::BadKey("Ed25519 key is not 32 bytes".into()))?;
        ed25519_dalek::VerifyingKey::from_bytes(raw)
            .map(PublicKey::Ed25519)
            .map_err(|_| SignatureError::BadKey("invalid Ed25519 point".into()))
    } else {
        Err(SignatureError::Unsupported(format!(
            "public key algorithm {}",
            crate::cert::oids::key_algorithm_name(&oid)
        )))
    }
}

/// Verifies `child`'s signature with an already parsed issuer key.
pub(crate) fn verify_with_key(
    child: &Certificate,
    key: &PublicKey,
) -> Result<SignatureAlgorithm, SignatureError> {
    let alg =
        SignatureAlgorithm::from_identifier(child.signature_algorithm_id().ok_or_else(|| {
            SignatureError::BadParameters("the signatureAlgorithm does not decode".into())
        })?)?;
    let msg = child.tbs_der();
    let sig = child.signature_bytes();
    let mismatch = |what: &str| {
        SignatureError::BadKey(format!(
            "a {what} signature cannot be made by this issuer's key"
        ))
    };
    match (alg, key) {
        (SignatureAlgorithm::RsaPkcs1(h), PublicKey::Rsa(k)) => {
            if !k.public.verify_pkcs1v15(h, &h.digest(msg), sig) {
                return Err(SignatureError::Invalid);
            }
        }
        (SignatureAlgorithm::RsaPss(h, salt), PublicKey::Rsa(k)) => {
            if !pss_verify(&k.for_pss()?, h, salt, &h.digest(msg), sig) {
                return Err(SignatureError::Invalid);
            }
        }
        (SignatureAlgorithm::Ecdsa(h), PublicKey::P256(k)) => {
            let s = p256::ecdsa::Signature::from_der(sig).map_err(|_| SignatureError::Invalid)?;
            k.verify_prehash(&h.digest(msg), &s)
                .map_err(|_| SignatureError::Invalid)?;
        }
        (SignatureAlgorithm::Ecdsa(h), PublicKey::P384(k)) => {
            let s = p384::ecdsa::Signature::from_der(sig).map_err(|_| SignatureError::Invalid)?;
            k.verify_prehash(&h.digest(msg), &s)
                .map_err(|_| SignatureError::Invalid)?;
        }
        (SignatureAlgorithm::Ecdsa(h), PublicKey::P521(k)) => {
            let s = p521::ecdsa::Signature::from_der(sig).map_err(|_| SignatureError::Invalid)?;
            k.verify_prehash(&h.digest(msg), &s)
                .map_err(|_| SignatureError::Invalid)?;
        }
        (SignatureAlgorithm::Ed25519, PublicKey::Ed25519(k)) => {
            let s =
                ed25519_dalek::Signature::from_slice(sig).map_err(|_| SignatureError::Invalid)?;
            // verify_strict: rejects small-order keys and non-canonical encodings (RFC 8032
            // §5.1.7 as tightened by the "taming EdDSAs" analysis), like webpki/ring.
            k.verify_strict(msg, &s)
                .map_err(|_| SignatureError::Invalid)?;
        }
        (SignatureAlgorithm::RsaPkcs1(_) | SignatureAlgorithm::RsaPss(..), _) => {
            return Err(mismatch("RSA"))
        }
        (SignatureAlgorithm::Ecdsa(_), _) => return Err(mismatch("ECDSA")),
        (SignatureAlgorithm::Ed25519, _) => return Err(mismatch("Ed25519")),
    }
    Ok(alg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cert::HashAlgorithm;

    fn fixture(name: &str) -> Certificate {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("../tests/data/chain/{name}.pem"));
        crate::load_certificates(&std::fs::read(path).unwrap())
            .unwrap()
            .remove(0)
    }

    /// The fast PKCS#1 v1.5 path agrees with the `rsa` crate's verifier on real OpenSSL
    /// signatures (SHA-256 and SHA-1) and on every single-bit corruption of signature and
    /// digest we try.
    #[test]
    fn pkcs1v15_agrees_with_the_rsa_crate() {
        let issuer = fixture("issuing");
        let PublicKey::Rsa(fast) = parse_key(&issuer).unwrap() else {
            panic!("issuing CA has an RSA key");
        };
        let key = fast.for_pss().unwrap();
        let fast = &fast.public;
        for (leaf, h) in [
            ("ece", HashAlgorithm::Sha256),
            ("sha1", HashAlgorithm::Sha1),
        ] {
            let c = fixture(leaf);
            let d = h.digest(c.tbs_der());
            let sig = c.signature_bytes().to_vec();
            let reference = |d: &[u8], s: &[u8]| {
                let scheme = match h {
                    HashAlgorithm::Sha1 => rsa::pkcs1v15::Pkcs1v15Sign::new::<sha1::Sha1>(),
                    _ => rsa::pkcs1v15::Pkcs1v15Sign::new::<sha2::Sha256>(),
                };
                key.verify(scheme, d, s).is_ok()
            };
            assert!(fast.verify_pkcs1v15(h, &d, &sig));
            assert!(reference(&d, &sig));
            for i in (0..sig.len() * 8).step_by(97) {
                let mut s = sig.clone();
                s[i / 8] ^= 1 << (i % 8);
                assert_eq!(
                    fast.verify_pkcs1v15(h, &d, &s),
                    reference(&d, &s),
                    "bit {i}"
                );
                assert!(!fast.verify_pkcs1v15(h, &d, &s));
            }
            let mut bad = d.clone();
            bad[0] ^= 1;
            assert!(!fast.verify_pkcs1v15(h, &bad, &sig));
            // Wrong hash algorithm for the same signature, truncated and oversized input.
            let other = if h == HashAlgorithm::Sha1 {
                HashAlgorithm::Sha256
            } else {
                HashAlgorithm::Sha1
            };
            assert!(!fast.verify_pkcs1v15(other, &other.digest(c.tbs_der()), &sig));
            assert!(!fast.verify_pkcs1v15(h, &d, &sig[1..]));
            let mut long = vec![0u8];
            long.extend_from_slice(&sig);
            assert!(!fast.verify_pkcs1v15(h, &d, &long));
            assert!(!fast.verify_pkcs1v15(h, &d, &vec![0xff; sig.len()]));
        }
    }
}
