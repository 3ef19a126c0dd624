//! Signature checks during path building, with each issuer's public key parsed once.
//!
//! Path building may test the same issuer against many children (and the same pair twice
//! when it backtracks). Parsing an RSA modulus is a large part of a verification, so every
//! candidate's key is decoded at most once per verification, and every (child, issuer)
//! outcome is remembered. The check itself runs in the active signature backend
//! (`cert/backend/`: ring with the `ring` feature, else pure Rust).

use crate::cert::oids::known;
use crate::cert::{Certificate, SignatureAlgorithm, SignatureError};

pub(crate) use crate::cert::backend::PublicKey;

/// Why a key cannot be used at all (reported against the certificate that carries it).
pub(crate) fn parse_key(cert: &Certificate) -> Result<PublicKey, SignatureError> {
    let spki = cert
        .subject_public_key_info()
        .ok_or_else(|| SignatureError::BadKey("the SubjectPublicKeyInfo does not decode".into()))?;
    // An issuer's key in a chain is rsaEncryption (RFC 4055 §1.2's id-RSASSA-PSS keys are
    // not accepted as CA keys, as webpki does not).
    if spki.algorithm.oid == known::RSA_PSS {
        return Err(SignatureError::Unsupported(format!(
            "public key algorithm {}",
            crate::cert::oids::key_algorithm_name(&spki.algorithm.oid)
        )));
    }
    PublicKey::from_spki(spki)
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
    crate::cert::backend::verify(alg, key, child.tbs_der(), child.signature_bytes())?;
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
        let fast = fast.fast().unwrap();
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
