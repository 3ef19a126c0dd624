//! The signature primitive behind a small trait, with two implementations (issue 17):
//!
//! - [`pure`]: RustCrypto and our own RSA public operation, always built, and the only one a
//!   library user with `default-features = false` gets;
//! - `ring` (feature `ring`, turned on by `cli` and by the Python wheel): ring's RSA and
//!   ECDSA verifiers, the ones webpki uses, already linked there through rustls. ring lacks
//!   some cases (P-521, ECDSA with SHA-1 or SHA-512, RSA below 2048 bits, RSA-PSS with a
//!   salt other than the hash length, compressed EC points); those, and Ed25519 (ring does
//!   not refuse small-order keys as `verify_strict` does), go to the pure-Rust code, so both
//!   backends give the same answer for every input.
//!
//! Keys are decoded and checked here once for both backends ([`PublicKey::from_spki`]): a key
//! one backend refuses, the other refuses with the same error. The environment variable
//! `CCETRUST_SIGNATURE_BACKEND` (`pure` or `ring`, read once) overrides the built-in choice,
//! which is how CI runs x509-limbo through each backend with one binary.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

use der::asn1::ObjectIdentifier;
use spki::SubjectPublicKeyInfoOwned;

use super::oids::known;
use super::rsa_public::{pkcs1_bits, RsaPublic};
use super::signature::{SignatureAlgorithm, SignatureError};

pub(crate) mod pure;
#[cfg(feature = "ring")]
pub(crate) mod ring;

#[cfg(test)]
#[cfg(feature = "ring")]
mod differential;

/// One way of checking a signature over a message with a decoded key.
pub(crate) trait SignatureBackend: Sync {
    /// The name reported by [`signature_backend`] (`pure` or `ring`).
    fn name(&self) -> &'static str;
    /// Checks `signature` over `message` (the to-be-signed bytes, not a digest). The caller
    /// has already checked that `alg` fits the key's kind.
    fn verify(
        &self,
        alg: SignatureAlgorithm,
        key: &PublicKey,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), SignatureError>;
}

/// A decoded and checked public key, ready to verify signatures with either backend.
pub(crate) enum PublicKey {
    Rsa(Box<RsaKey>),
    Ec(Box<EcKey>),
    Ed25519(ed25519_dalek::VerifyingKey),
}

/// An RSA key: its checked PKCS#1 bytes (what ring and the `rsa` crate read) and, made on
/// first use, the pure-Rust public operation's Montgomery form.
pub(crate) struct RsaKey {
    pub(crate) pkcs1: Vec<u8>,
    /// The modulus length (ring takes 2048 bits up; the pure-Rust side 1024).
    #[cfg_attr(not(feature = "ring"), allow(dead_code))]
    pub(crate) bits: usize,
    fast: OnceLock<Option<RsaPublic>>,
    /// Signatures checked with this key so far (the ring backend's choice, see
    /// [`RsaKey::reused`]).
    #[cfg_attr(not(feature = "ring"), allow(dead_code))]
    uses: AtomicU32,
}

impl RsaKey {
    /// Counts one more signature checked with this key; true from the second on. ring parses
    /// the key at every call, the pure-Rust operation sets it up once (`R² mod n`) and is then
    /// faster per signature: a key seen once (a cold chain, a one-shot `ccetrust verify`) goes
    /// to ring, a cached issuer key to the set-up form.
    #[cfg_attr(not(feature = "ring"), allow(dead_code))]
    pub(crate) fn reused(&self) -> bool {
        self.uses.fetch_add(1, Ordering::Relaxed) > 0
    }

    /// The pure-Rust form of the key (set up once).
    pub(crate) fn fast(&self) -> Result<&RsaPublic, SignatureError> {
        self.fast
            .get_or_init(|| RsaPublic::from_pkcs1(&self.pkcs1).ok())
            .as_ref()
            .ok_or_else(|| SignatureError::BadKey("RSA public key".into()))
    }

    /// The key as the `rsa` crate reads it (for RSA-PSS on the pure-Rust side).
    pub(crate) fn for_pss(&self) -> Result<rsa::RsaPublicKey, SignatureError> {
        use rsa::pkcs1::DecodeRsaPublicKey;
        rsa::RsaPublicKey::from_pkcs1_der(&self.pkcs1)
            .map_err(|e| SignatureError::BadKey(format!("RSA public key: {e}")))
    }
}

/// A named-curve EC key: the validated point and its SEC1 bytes as the certificate has them.
pub(crate) struct EcKey {
    pub(crate) point: EcPoint,
    /// What ring reads (uncompressed points only).
    #[cfg_attr(not(feature = "ring"), allow(dead_code))]
    pub(crate) sec1: Vec<u8>,
}

/// The point, decoded (and checked to lie on its curve) by RustCrypto.
pub(crate) enum EcPoint {
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    P521(p521::ecdsa::VerifyingKey),
}

const P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");

impl PublicKey {
    /// Decodes and checks a SubjectPublicKeyInfo (RSA, EC on P-256/384/521, Ed25519).
    pub(crate) fn from_spki(spki: &SubjectPublicKeyInfoOwned) -> Result<Self, SignatureError> {
        let bits = spki.subject_public_key.as_bytes().ok_or_else(|| {
            SignatureError::BadKey("public key bit string has unused bits".into())
        })?;
        let oid = spki.algorithm.oid;
        if oid == known::RSA_ENCRYPTION || oid == known::RSA_PSS {
            let n_bits = pkcs1_bits(bits)
                .map_err(|e| SignatureError::BadKey(format!("RSA public key: {}", e.0)))?;
            Ok(PublicKey::Rsa(Box::new(RsaKey {
                pkcs1: bits.to_vec(),
                bits: n_bits,
                fast: OnceLock::new(),
                uses: AtomicU32::new(0),
            })))
        } else if oid == known::EC_PUBLIC_KEY {
            ec_key(spki, bits)
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
                super::oids::key_algorithm_name(&oid)
            )))
        }
    }

    /// The kind of signature the key makes, for an error message.
    fn kind(&self) -> &'static str {
        match self {
            PublicKey::Rsa(_) => "RSA",
            PublicKey::Ec(_) => "ECDSA",
            PublicKey::Ed25519(_) => "Ed25519",
        }
    }
}

/// Named curves only: explicit curve parameters are forbidden by RFC 5480 §2.1.1 in practice
/// (CA/B BR §7.1.3.1.2) and a known attack vector (CVE-2020-0601).
fn ec_key(spki: &SubjectPublicKeyInfoOwned, bits: &[u8]) -> Result<PublicKey, SignatureError> {
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
    let bad = |c: &str| SignatureError::BadKey(format!("invalid {c} point"));
    let point = match curve {
        Some(P256) => p256::ecdsa::VerifyingKey::from_sec1_bytes(bits)
            .map(EcPoint::P256)
            .map_err(|_| bad("P-256"))?,
        Some(P384) => p384::ecdsa::VerifyingKey::from_sec1_bytes(bits)
            .map(EcPoint::P384)
            .map_err(|_| bad("P-384"))?,
        Some(P521) => p521::ecdsa::VerifyingKey::from_sec1_bytes(bits)
            .map(EcPoint::P521)
            .map_err(|_| bad("P-521"))?,
        None => {
            return Err(SignatureError::BadKey(
                "EC key with explicit or missing curve parameters".into(),
            ))
        }
        Some(other) => return Err(SignatureError::Unsupported(format!("EC curve {other}"))),
    };
    Ok(PublicKey::Ec(Box::new(EcKey {
        point,
        sec1: bits.to_vec(),
    })))
}

/// Verifies with the active backend after checking that the algorithm fits the key.
pub(crate) fn verify(
    alg: SignatureAlgorithm,
    key: &PublicKey,
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    verify_with(active(), alg, key, message, signature)
}

/// Verifies with the given backend after checking that the algorithm fits the key.
pub(crate) fn verify_with(
    backend: &dyn SignatureBackend,
    alg: SignatureAlgorithm,
    key: &PublicKey,
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    let fits = matches!(
        (alg, key),
        (
            SignatureAlgorithm::RsaPkcs1(_) | SignatureAlgorithm::RsaPss(..),
            PublicKey::Rsa(_)
        ) | (SignatureAlgorithm::Ecdsa(_), PublicKey::Ec(_))
            | (SignatureAlgorithm::Ed25519, PublicKey::Ed25519(_))
    );
    if !fits {
        let what = match alg {
            SignatureAlgorithm::RsaPkcs1(_) | SignatureAlgorithm::RsaPss(..) => "RSA",
            SignatureAlgorithm::Ecdsa(_) => "ECDSA",
            SignatureAlgorithm::Ed25519 => "Ed25519",
        };
        return Err(SignatureError::BadKey(format!(
            "a {what} signature cannot be made by this issuer's {} key",
            key.kind()
        )));
    }
    backend.verify(alg, key, message, signature)
}

/// The backend compiled in by default: ring where the `ring` feature is on, else pure Rust.
fn built_in() -> &'static dyn SignatureBackend {
    #[cfg(feature = "ring")]
    {
        &ring::Ring
    }
    #[cfg(not(feature = "ring"))]
    {
        &pure::PureRust
    }
}

/// The backend in use: `CCETRUST_SIGNATURE_BACKEND` (`pure`, or `ring` when built in), read
/// once, else the built-in one. An unknown value keeps the built-in one.
pub(crate) fn active() -> &'static dyn SignatureBackend {
    static CHOSEN: OnceLock<&'static dyn SignatureBackend> = OnceLock::new();
    *CHOSEN.get_or_init(
        || match std::env::var("CCETRUST_SIGNATURE_BACKEND").as_deref() {
            Ok("pure") => &pure::PureRust,
            _ => built_in(),
        },
    )
}

/// The name of the signature backend this process uses: `ring` (feature `ring`, the CLI's
/// and the Python wheel's) or `pure` (RustCrypto and our RSA code, `default-features =
/// false`); `CCETRUST_SIGNATURE_BACKEND=pure` selects the pure-Rust one at run time.
pub fn signature_backend() -> &'static str {
    active().name()
}
