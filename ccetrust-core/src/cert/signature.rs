//! Signature verification of certificates and CSRs: the algorithm identifier of the signed
//! object picks the verifier (RFC 4055 for RSA-PSS, RFC 5758 for ECDSA). Signatures are
//! always checked over the original to-be-signed bytes.

use der::{asn1::ObjectIdentifier, Encode, Tagged};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use super::der_reader::{DerReader, INTEGER, OID, SEQUENCE};

/// The hash inside a signature algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashAlgorithm {
    /// SHA-1: only accepted where a profile allows it.
    Sha1,
    /// SHA-256
    Sha256,
    /// SHA-384
    Sha384,
    /// SHA-512
    Sha512,
}

impl HashAlgorithm {
    fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        match oid.to_string().as_str() {
            "1.3.14.3.2.26" => Some(HashAlgorithm::Sha1),
            "2.16.840.1.101.3.4.2.1" => Some(HashAlgorithm::Sha256),
            "2.16.840.1.101.3.4.2.2" => Some(HashAlgorithm::Sha384),
            "2.16.840.1.101.3.4.2.3" => Some(HashAlgorithm::Sha512),
            _ => None,
        }
    }

    /// The digest of `msg` under this hash.
    pub(crate) fn digest(self, msg: &[u8]) -> Vec<u8> {
        match self {
            HashAlgorithm::Sha1 => Sha1::digest(msg).to_vec(),
            HashAlgorithm::Sha256 => Sha256::digest(msg).to_vec(),
            HashAlgorithm::Sha384 => Sha384::digest(msg).to_vec(),
            HashAlgorithm::Sha512 => Sha512::digest(msg).to_vec(),
        }
    }
}

/// A signature algorithm we can verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureAlgorithm {
    /// RSASSA-PKCS1-v1_5 with the given hash.
    RsaPkcs1(HashAlgorithm),
    /// RSASSA-PSS with the given hash (MGF1 with the same hash) and salt length.
    RsaPss(HashAlgorithm, usize),
    /// ECDSA with the given hash; the curve comes from the key.
    Ecdsa(HashAlgorithm),
    /// Ed25519 (RFC 8410).
    Ed25519,
}

impl SignatureAlgorithm {
    /// The hash the algorithm uses (`None` for Ed25519).
    pub fn hash(&self) -> Option<HashAlgorithm> {
        match self {
            SignatureAlgorithm::RsaPkcs1(h)
            | SignatureAlgorithm::RsaPss(h, _)
            | SignatureAlgorithm::Ecdsa(h) => Some(*h),
            SignatureAlgorithm::Ed25519 => None,
        }
    }

    /// Recognises an AlgorithmIdentifier, checking its parameters as RFC 4055/5758/8410 say.
    pub fn from_identifier(alg: &AlgorithmIdentifierOwned) -> Result<Self, SignatureError> {
        let params_null_or_absent = match &alg.parameters {
            None => true,
            Some(p) => p.tag() == der::Tag::Null && p.value().is_empty(),
        };
        // Compared as OIDs (bytes), not as dotted strings: this runs for every signature a
        // chain check verifies. The dotted form is made only for an error.
        const fn oid(dotted: &str) -> ObjectIdentifier {
            ObjectIdentifier::new_unwrap(dotted)
        }
        const SHA1_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.5");
        const SHA256_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.11");
        const SHA384_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.12");
        const SHA512_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.13");
        const RSA_PSS: ObjectIdentifier = oid("1.2.840.113549.1.1.10");
        const SHA1_ECDSA: ObjectIdentifier = oid("1.2.840.10045.4.1");
        const SHA256_ECDSA: ObjectIdentifier = oid("1.2.840.10045.4.3.2");
        const SHA384_ECDSA: ObjectIdentifier = oid("1.2.840.10045.4.3.3");
        const SHA512_ECDSA: ObjectIdentifier = oid("1.2.840.10045.4.3.4");
        const ED25519: ObjectIdentifier = oid("1.3.101.112");
        let bad = || SignatureError::BadParameters(alg.oid.to_string());
        let rsa = |h| {
            if params_null_or_absent {
                Ok(SignatureAlgorithm::RsaPkcs1(h))
            } else {
                Err(bad())
            }
        };
        let no_params = |a| {
            if alg.parameters.is_none() {
                Ok(a)
            } else {
                Err(bad())
            }
        };
        match alg.oid {
            SHA1_RSA => rsa(HashAlgorithm::Sha1),
            SHA256_RSA => rsa(HashAlgorithm::Sha256),
            SHA384_RSA => rsa(HashAlgorithm::Sha384),
            SHA512_RSA => rsa(HashAlgorithm::Sha512),
            SHA1_ECDSA => no_params(SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha1)),
            SHA256_ECDSA => no_params(SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha256)),
            SHA384_ECDSA => no_params(SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha384)),
            SHA512_ECDSA => no_params(SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha512)),
            ED25519 => no_params(SignatureAlgorithm::Ed25519),
            RSA_PSS => pss_params(alg),
            _ => Err(SignatureError::Unsupported(super::oids::signature_name(
                &alg.oid,
            ))),
        }
    }
}

/// RSASSA-PSS-params (RFC 4055 §3.1): hash, MGF1 with the same hash, salt length, trailer 1.
fn pss_params(alg: &AlgorithmIdentifierOwned) -> Result<SignatureAlgorithm, SignatureError> {
    let bad = || SignatureError::BadParameters("rsassaPss".into());
    let Some(params) = &alg.parameters else {
        return Err(bad());
    };
    let der = params.to_der().map_err(|_| bad())?;
    let mut outer = DerReader::new(&der, 0);
    let seq = outer
        .expect(SEQUENCE, "RSASSA-PSS-params")
        .map_err(|_| bad())?;
    let mut r = DerReader::inside(&seq);
    let mut hash = HashAlgorithm::Sha1;
    let mut mgf_hash = HashAlgorithm::Sha1;
    let mut salt = 20usize;
    while !r.is_empty() {
        let field = r.any("a PSS parameter").map_err(|_| bad())?;
        let mut inner = DerReader::inside(&field);
        match field.tag {
            0xa0 => {
                let ai = inner.expect(SEQUENCE, "hashAlgorithm").map_err(|_| bad())?;
                let oid = DerReader::inside(&ai)
                    .expect(OID, "hash OID")
                    .map_err(|_| bad())?;
                let oid = ObjectIdentifier::from_bytes(oid.value).map_err(|_| bad())?;
                hash = HashAlgorithm::from_oid(&oid).ok_or_else(bad)?;
            }
            0xa1 => {
                let ai = inner
                    .expect(SEQUENCE, "maskGenAlgorithm")
                    .map_err(|_| bad())?;
                let mut m = DerReader::inside(&ai);
                let mgf = m.expect(OID, "MGF OID").map_err(|_| bad())?;
                if mgf.value != [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08] {
                    return Err(bad()); // only MGF1
                }
                let hai = m.expect(SEQUENCE, "MGF1 hash").map_err(|_| bad())?;
                let oid = DerReader::inside(&hai)
                    .expect(OID, "hash OID")
                    .map_err(|_| bad())?;
                let oid = ObjectIdentifier::from_bytes(oid.value).map_err(|_| bad())?;
                mgf_hash = HashAlgorithm::from_oid(&oid).ok_or_else(bad)?;
            }
            0xa2 => {
                let i = inner.expect(INTEGER, "saltLength").map_err(|_| bad())?;
                if i.value.len() > 2 || i.value.first().is_some_and(|b| b & 0x80 != 0) {
                    return Err(bad());
                }
                salt = i.value.iter().fold(0usize, |a, b| (a << 8) | *b as usize);
            }
            0xa3 => {
                let i = inner.expect(INTEGER, "trailerField").map_err(|_| bad())?;
                if i.value != [1] {
                    return Err(bad());
                }
            }
            _ => return Err(bad()),
        }
    }
    if hash != mgf_hash {
        return Err(SignatureError::Unsupported(
            "RSA-PSS with an MGF1 hash different from the message hash".into(),
        ));
    }
    Ok(SignatureAlgorithm::RsaPss(hash, salt))
}

/// Why a signature did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The signature is well-formed but wrong for this key and message.
    #[error("signature does not verify")]
    Invalid,
    /// An algorithm we do not implement, named.
    #[error("unsupported signature algorithm {0}")]
    Unsupported(String),
    /// An algorithm identifier with parameters its RFC forbids.
    #[error("invalid parameters for signature algorithm {0}")]
    BadParameters(String),
    /// The signer's public key cannot be used for this algorithm.
    #[error("public key unusable for this signature: {0}")]
    BadKey(String),
}

/// RSASSA-PSS verification (RFC 8017 §8.1.2) of `digest`, MGF1 with the same hash, through
/// the `rsa` crate (rare in contact centers; PKCS#1 v1.5 has its own fast path).
pub(crate) fn pss_verify(
    key: &rsa::RsaPublicKey,
    hash: HashAlgorithm,
    salt: usize,
    digest: &[u8],
    signature: &[u8],
) -> bool {
    use rsa::pss::Pss;
    match hash {
        HashAlgorithm::Sha1 => key.verify(Pss::<Sha1>::new_with_salt(salt), digest, signature),
        HashAlgorithm::Sha256 => key.verify(Pss::<Sha256>::new_with_salt(salt), digest, signature),
        HashAlgorithm::Sha384 => key.verify(Pss::<Sha384>::new_with_salt(salt), digest, signature),
        HashAlgorithm::Sha512 => key.verify(Pss::<Sha512>::new_with_salt(salt), digest, signature),
    }
    .is_ok()
}

/// Verifies `signature` over `message` with the signer's public key, through the active
/// signature backend ([`crate::cert::signature_backend`]).
pub fn verify_signature(
    algorithm: &AlgorithmIdentifierOwned,
    signer: &SubjectPublicKeyInfoOwned,
    message: &[u8],
    signature: &[u8],
) -> Result<SignatureAlgorithm, SignatureError> {
    let alg = SignatureAlgorithm::from_identifier(algorithm)?;
    let key = super::backend::PublicKey::from_spki(signer)?;
    super::backend::verify(alg, &key, message, signature)?;
    Ok(alg)
}
