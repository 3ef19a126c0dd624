//! Key protection: how each format encrypts a private key (and PKCS#12 its contents and
//! MAC key), and the randomness for salts and IVs.
//!
//! One file per scheme: `jks.rs` (Sun's SHA-1 keystream protector), `jceks.rs`
//! (PBEWithMD5AndTripleDES), `pkcs12.rs` (the PKCS#12 KDF, its PBE schemes, PBES2). The
//! container formats (`jks`, `pkcs12`, `pem` one level up) call these and never each
//! other; nothing here knows a container.

pub(crate) mod jceks;
pub(crate) mod jks;
pub(crate) mod pkcs12;

use zeroize::Zeroizing;

use super::der::{Der, OCTET_STRING, SEQUENCE};
use super::{Format, KeystoreError, Password};

/// Sun's JKS key protector.
pub(crate) const OID_SUN_JKS: &str = "1.3.6.1.4.1.42.2.17.1.1";
/// Sun's PBEWithMD5AndTripleDES (JCEKS).
pub(crate) const OID_SUN_JCE: &str = "1.3.6.1.4.1.42.2.19.1";
/// PKCS#5 PBES2.
pub(crate) const OID_PBES2: &str = "1.2.840.113549.1.5.13";

/// Refuse more than this: a hostile file must not keep us busy for minutes.
pub(crate) const MAX_ITERATIONS: u64 = 10_000_000;

/// Fills `buf` from the operating system's random source (salts, IVs).
pub(crate) fn random(buf: &mut [u8]) -> Result<(), KeystoreError> {
    getrandom::fill(buf)
        .map_err(|e| KeystoreError::Unsupported(format!("no system random source: {e}")))
}

/// Decrypts a DER `EncryptedPrivateKeyInfo` with whichever protector it names. The
/// result is whatever the ciphertext held: the caller checks it is PKCS#8.
pub(crate) fn decrypt_epki(
    epki_der: &[u8],
    format: Format,
    password: &Password,
) -> Result<Zeroizing<Vec<u8>>, KeystoreError> {
    let mut r = Der::new(epki_der, 0, format);
    let epki = r.expect(SEQUENCE, "an EncryptedPrivateKeyInfo SEQUENCE")?;
    r.end("the EncryptedPrivateKeyInfo")?;
    let mut e = Der::inside(&epki, format);
    let alg = e.expect(SEQUENCE, "the encryption AlgorithmIdentifier")?;
    let data = e.expect(OCTET_STRING, "the encrypted key OCTET STRING")?;
    let mut a = Der::inside(&alg, format);
    let oid = a.oid("the encryption algorithm OID")?;
    let params = if a.is_empty() {
        None
    } else {
        Some(a.any("the algorithm parameters")?)
    };
    match oid.as_str() {
        OID_SUN_JKS => jks::recover_key(data.value, password),
        OID_SUN_JCE => jceks::recover_key(params.as_ref(), data.value, password, format),
        OID_PBES2 => pkcs12::pbes2_decrypt(alg.raw, data.value, password),
        o if o.starts_with("1.2.840.113549.1.12.1.") => {
            pkcs12::pbe_decrypt(&oid, params.as_ref(), data.value, password, format)
        }
        other => Err(KeystoreError::Unsupported(format!(
            "private key protection algorithm {other}"
        ))),
    }
}
