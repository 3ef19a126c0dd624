//! PKCS#12 (placeholder, filled in next).
use super::{Format, Keystore, KeystoreError, Password, WriteOptions};
use crate::cert::der_reader::Tlv;
use zeroize::Zeroizing;

/// Which algorithms a PKCS#12 file is written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pkcs12Profile {
    /// PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) and an HMAC-SHA256 MAC: JDK 17 keytool's
    /// and OpenSSL 3's default.
    #[default]
    Modern,
    /// PBE-SHA1-3DES keys, PBE-SHA1-RC2-40 certificates, HMAC-SHA1 MAC: for Windows Server
    /// 2016 and older, and Java 8 before 8u301.
    Legacy,
}

pub(crate) fn read(_d: &[u8], _p: &Password) -> Result<Keystore, KeystoreError> {
    Err(KeystoreError::Unsupported("PKCS#12 not yet".into()))
}
pub(crate) fn write(
    _k: &Keystore,
    _s: &Password,
    _kp: &Password,
    _o: &WriteOptions,
) -> Result<Vec<u8>, KeystoreError> {
    Err(KeystoreError::Unsupported("PKCS#12 not yet".into()))
}
pub(crate) fn encrypt_key(
    _k: &[u8],
    _p: &Password,
    _pr: Pkcs12Profile,
) -> Result<Vec<u8>, KeystoreError> {
    Err(KeystoreError::Unsupported("PKCS#12 not yet".into()))
}
pub(crate) fn pbes2_decrypt(
    _a: &[u8],
    _d: &[u8],
    _p: &Password,
) -> Result<Zeroizing<Vec<u8>>, KeystoreError> {
    Err(KeystoreError::Unsupported("PBES2 not yet".into()))
}
pub(crate) fn pbe_decrypt(
    _o: &str,
    _t: Option<&Tlv<'_>>,
    _d: &[u8],
    _p: &Password,
    _f: Format,
) -> Result<Zeroizing<Vec<u8>>, KeystoreError> {
    Err(KeystoreError::Unsupported("PKCS#12 PBE not yet".into()))
}
