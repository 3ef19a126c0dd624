//! Key pairs: RSA 2048/3072/4096 (exponent 65537) and ECDSA P-256/P-384, from the
//! operating system's random generator. The private key is held by the RustCrypto types,
//! which zeroize it when dropped; its PKCS#8 encoding is handed out only in a zeroizing
//! buffer. `Debug` names the algorithm, never the key.

use std::fmt;

use getrandom::rand_core::UnwrapErr;
use getrandom::SysRng;
use p256::elliptic_curve::Generate;
use p256::pkcs8::{EncodePrivateKey, EncodePublicKey};
use signature::Signer;
use zeroize::Zeroizing;

use super::der;
use super::LifecycleError;

/// The key algorithm asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAlgorithm {
    /// RSA (PKCS#1 v1.5 signatures).
    Rsa,
    /// ECDSA on a NIST curve.
    Ec,
}

impl KeyAlgorithm {
    /// Parses `rsa` or `ec` (`ecdsa` accepted), as keytool's `-keyalg`.
    pub fn parse(text: &str) -> Result<KeyAlgorithm, LifecycleError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "rsa" => Ok(KeyAlgorithm::Rsa),
            "ec" | "ecdsa" => Ok(KeyAlgorithm::Ec),
            other => Err(LifecycleError::Option {
                option: "--keyalg",
                detail: format!("`{}` is not rsa or ec", crate::shell::escape_control(other)),
            }),
        }
    }
}

/// An algorithm and size: RSA 2048, 3072 or 4096 bits; EC 256 (P-256) or 384 (P-384).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySpec {
    /// The algorithm.
    pub algorithm: KeyAlgorithm,
    /// RSA modulus bits or EC curve size.
    pub bits: u32,
}

impl KeySpec {
    /// The spec for `algorithm` and an optional size (default RSA 2048, EC 256), checked.
    pub fn new(algorithm: KeyAlgorithm, bits: Option<u32>) -> Result<KeySpec, LifecycleError> {
        let bits = bits.unwrap_or(match algorithm {
            KeyAlgorithm::Rsa => 2048,
            KeyAlgorithm::Ec => 256,
        });
        let ok = match algorithm {
            KeyAlgorithm::Rsa => matches!(bits, 2048 | 3072 | 4096),
            KeyAlgorithm::Ec => matches!(bits, 256 | 384),
        };
        if !ok {
            return Err(LifecycleError::Option {
                option: "--keysize",
                detail: match algorithm {
                    KeyAlgorithm::Rsa => format!(
                        "RSA {bits}: use 2048, 3072 or 4096 (under 2048 no current release \
                         accepts; odd sizes break some importers)"
                    ),
                    KeyAlgorithm::Ec => format!("EC {bits}: use 256 (P-256) or 384 (P-384)"),
                },
            });
        }
        Ok(KeySpec { algorithm, bits })
    }

    /// `RSA 2048`, `EC P-256`, …
    pub fn describe(&self) -> String {
        match self.algorithm {
            KeyAlgorithm::Rsa => format!("RSA {}", self.bits),
            KeyAlgorithm::Ec => format!("EC P-{}", self.bits),
        }
    }
}

/// A generated key pair.
pub enum KeyPair {
    /// RSA with its signing key (SHA-256).
    Rsa(Box<rsa::RsaPrivateKey>),
    /// ECDSA P-256 (signs with SHA-256).
    P256(p256::ecdsa::SigningKey),
    /// ECDSA P-384 (signs with SHA-384).
    P384(p384::ecdsa::SigningKey),
}

impl fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyPair({})", self.spec().describe())
    }
}

/// The OS generator as the RustCrypto traits want it, after a probe that it works (so a
/// failing generator is an error here, not a panic inside the key generation).
fn os_rng() -> Result<UnwrapErr<SysRng>, LifecycleError> {
    let mut probe = [0u8; 16];
    getrandom::fill(&mut probe).map_err(|e| {
        LifecycleError::Crypto(format!(
            "the operating system's random generator failed: {e}"
        ))
    })?;
    Ok(UnwrapErr(SysRng))
}

fn rng_failed(e: getrandom::Error) -> LifecycleError {
    LifecycleError::Crypto(format!(
        "the operating system's random generator failed: {e}"
    ))
}

/// `n` random bytes from the operating system.
pub(crate) fn random_bytes(n: usize) -> Result<Vec<u8>, LifecycleError> {
    let mut out = vec![0u8; n];
    getrandom::fill(&mut out).map_err(|e| {
        LifecycleError::Crypto(format!(
            "the operating system's random generator failed: {e}"
        ))
    })?;
    Ok(out)
}

const OID_SHA256_RSA: &str = "1.2.840.113549.1.1.11";
const OID_ECDSA_SHA256: &str = "1.2.840.10045.4.3.2";
const OID_ECDSA_SHA384: &str = "1.2.840.10045.4.3.3";

impl KeyPair {
    /// Makes a key pair of `spec`.
    pub fn generate(spec: KeySpec) -> Result<KeyPair, LifecycleError> {
        let spec = KeySpec::new(spec.algorithm, Some(spec.bits))?;
        let mut rng = os_rng()?;
        Ok(match (spec.algorithm, spec.bits) {
            (KeyAlgorithm::Rsa, bits) => KeyPair::Rsa(Box::new(
                rsa::RsaPrivateKey::new(&mut rng, bits as usize)
                    .map_err(|e| LifecycleError::Crypto(format!("RSA key generation: {e}")))?,
            )),
            (KeyAlgorithm::Ec, 384) => KeyPair::P384(
                p384::ecdsa::SigningKey::try_generate_from_rng(&mut SysRng).map_err(rng_failed)?,
            ),
            (KeyAlgorithm::Ec, _) => KeyPair::P256(
                p256::ecdsa::SigningKey::try_generate_from_rng(&mut SysRng).map_err(rng_failed)?,
            ),
        })
    }

    /// The algorithm and size.
    pub fn spec(&self) -> KeySpec {
        match self {
            KeyPair::Rsa(k) => KeySpec {
                algorithm: KeyAlgorithm::Rsa,
                bits: (rsa::traits::PublicKeyParts::size(k.as_ref()) * 8) as u32,
            },
            KeyPair::P256(_) => KeySpec {
                algorithm: KeyAlgorithm::Ec,
                bits: 256,
            },
            KeyPair::P384(_) => KeySpec {
                algorithm: KeyAlgorithm::Ec,
                bits: 384,
            },
        }
    }

    /// The private key as a PKCS#8 `PrivateKeyInfo` (DER), in a zeroizing buffer.
    pub fn pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>, LifecycleError> {
        let doc = match self {
            KeyPair::Rsa(k) => k.to_pkcs8_der(),
            KeyPair::P256(k) => k.to_pkcs8_der(),
            KeyPair::P384(k) => k.to_pkcs8_der(),
        }
        .map_err(|e| LifecycleError::Crypto(format!("encoding the private key: {e}")))?;
        Ok(Zeroizing::new(doc.as_bytes().to_vec()))
    }

    /// The public key as a `SubjectPublicKeyInfo` (DER).
    pub fn spki_der(&self) -> Result<Vec<u8>, LifecycleError> {
        let doc = match self {
            KeyPair::Rsa(k) => k.to_public_key().to_public_key_der(),
            KeyPair::P256(k) => k.verifying_key().to_public_key_der(),
            KeyPair::P384(k) => k.verifying_key().to_public_key_der(),
        }
        .map_err(|e| LifecycleError::Crypto(format!("encoding the public key: {e}")))?;
        Ok(doc.as_bytes().to_vec())
    }

    /// The signature `AlgorithmIdentifier` (DER): sha256WithRSAEncryption (NULL parameters,
    /// RFC 4055 §5), ecdsa-with-SHA256 or, for P-384, ecdsa-with-SHA384 (absent parameters,
    /// RFC 5758 §3.2).
    pub(crate) fn signature_algorithm(&self) -> Vec<u8> {
        match self {
            KeyPair::Rsa(_) => der::seq(&[&der::oid(OID_SHA256_RSA), &der::tlv(der::NULL, &[])]),
            KeyPair::P256(_) => der::seq(&[&der::oid(OID_ECDSA_SHA256)]),
            KeyPair::P384(_) => der::seq(&[&der::oid(OID_ECDSA_SHA384)]),
        }
    }

    /// Signs `message` (the DER of a TBSCertificate or CertificationRequestInfo): the
    /// signature value's bytes (PKCS#1 v1.5, or the DER `Ecdsa-Sig-Value`).
    pub(crate) fn sign(&self, message: &[u8]) -> Result<Vec<u8>, LifecycleError> {
        Ok(match self {
            KeyPair::Rsa(k) => {
                let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(k.as_ref().clone());
                let sig: rsa::pkcs1v15::Signature = signer
                    .try_sign(message)
                    .map_err(|e| LifecycleError::Crypto(format!("RSA signature: {e}")))?;
                Box::<[u8]>::from(sig).into_vec()
            }
            KeyPair::P256(k) => {
                let sig: p256::ecdsa::Signature = k
                    .try_sign(message)
                    .map_err(|e| LifecycleError::Crypto(format!("ECDSA signature: {e}")))?;
                sig.to_der().as_bytes().to_vec()
            }
            KeyPair::P384(k) => {
                let sig: p384::ecdsa::Signature = k
                    .try_sign(message)
                    .map_err(|e| LifecycleError::Crypto(format!("ECDSA signature: {e}")))?;
                sig.to_der().as_bytes().to_vec()
            }
        })
    }
}
