//! PKCS#12 key protection (RFC 7292 appendix B and C, RFC 8018): the PKCS#12 key
//! derivation function, the PKCS#12 PBE schemes (SHA1-3DES, SHA1-RC2-40, SHA1-RC2-128),
//! PBES2 with PBKDF2, and the MAC key. Passwords: the KDF takes UTF-16BE with a NUL
//! terminator (BMPString), PBES2 UTF-8.

use cbc::cipher::{
    block_padding::Pkcs7, BlockModeDecrypt, BlockModeEncrypt, InnerIvInit, KeyIvInit,
};
use der::Encode as _;
use hmac::{Mac, SimpleHmac};
use sha1::Sha1;
use sha2::{Sha224, Sha256, Sha384, Sha512};
use zeroize::Zeroizing;

use super::{WorkBudget, MAX_ITERATIONS, OID_PBES2};
use crate::cert::der_reader::Tlv;
use crate::keystore::der::{self as d, Der, INTEGER, OCTET_STRING};
use crate::keystore::{Format, KeystoreError, Password, WriteOptions};

const F: Format = Format::Pkcs12;
const OID_PBE_SHA1_3DES: &str = "1.2.840.113549.1.12.1.3";
const OID_PBE_SHA1_RC2_128: &str = "1.2.840.113549.1.12.1.5";
const OID_PBE_SHA1_RC2_40: &str = "1.2.840.113549.1.12.1.6";
pub(crate) const OID_SHA1: &str = "1.3.14.3.2.26";
const OID_SHA224: &str = "2.16.840.1.101.3.4.2.4";
pub(crate) const OID_SHA256: &str = "2.16.840.1.101.3.4.2.1";
const OID_SHA384: &str = "2.16.840.1.101.3.4.2.2";
const OID_SHA512: &str = "2.16.840.1.101.3.4.2.3";
const ITERATIONS: u32 = 10_000;

/// The iteration count to write with.
pub(crate) fn iterations(options: &WriteOptions) -> u32 {
    options.iterations.unwrap_or(ITERATIONS).max(1)
}

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

pub(crate) fn kdf(
    hash: &str,
    pw: &Password,
    salt: &[u8],
    id: ::pkcs12::kdf::Pkcs12KeyType,
    rounds: u64,
    len: usize,
) -> Result<Zeroizing<Vec<u8>>, KeystoreError> {
    if rounds > MAX_ITERATIONS || rounds == 0 {
        return Err(KeystoreError::Unsupported(format!(
            "{rounds} PKCS#12 KDF iterations"
        )));
    }
    let p = pw.bmp_string();
    let r = rounds as i32;
    use ::pkcs12::kdf::derive_key as dk;
    Ok(Zeroizing::new(match hash {
        OID_SHA1 => dk::<Sha1>(&p, salt, id, r, len),
        OID_SHA224 => dk::<Sha224>(&p, salt, id, r, len),
        OID_SHA256 => dk::<Sha256>(&p, salt, id, r, len),
        OID_SHA384 => dk::<Sha384>(&p, salt, id, r, len),
        OID_SHA512 => dk::<Sha512>(&p, salt, id, r, len),
        other => {
            return Err(KeystoreError::Unsupported(format!(
                "PKCS#12 MAC digest {other}"
            )))
        }
    }))
}

pub(crate) fn hmac(hash: &str, key: &[u8], data: &[u8]) -> Result<Vec<u8>, KeystoreError> {
    fn run<D: hmac::digest::Digest + hmac::digest::block_api::BlockSizeUser + Clone>(
        key: &[u8],
        data: &[u8],
    ) -> Vec<u8> {
        let mut m = <SimpleHmac<D> as hmac::digest::KeyInit>::new_from_slice(key)
            .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
        m.update(data);
        m.finalize().into_bytes().to_vec()
    }
    Ok(match hash {
        OID_SHA1 => run::<Sha1>(key, data),
        OID_SHA224 => run::<Sha224>(key, data),
        OID_SHA256 => run::<Sha256>(key, data),
        OID_SHA384 => run::<Sha384>(key, data),
        OID_SHA512 => run::<Sha512>(key, data),
        other => {
            return Err(KeystoreError::Unsupported(format!(
                "PKCS#12 MAC digest {other}"
            )))
        }
    })
}

pub(crate) fn hash_len(hash: &str) -> usize {
    match hash {
        OID_SHA1 => 20,
        OID_SHA224 => 28,
        OID_SHA256 => 32,
        OID_SHA384 => 48,
        _ => 64,
    }
}

/// Decrypts with one of the PKCS#12 PBE schemes (RFC 7292 appendix C).
pub(crate) fn pbe_decrypt(
    oid: &str,
    params: Option<&Tlv<'_>>,
    data: &[u8],
    pw: &Password,
    format: Format,
    budget: &mut WorkBudget,
) -> Result<Zeroizing<Vec<u8>>, KeystoreError> {
    let Some(params) = params else {
        return Err(KeystoreError::malformed(
            format,
            0,
            "PKCS#12 PBE without parameters",
        ));
    };
    let mut p = Der::inside(params, format);
    let salt = p.expect(OCTET_STRING, "the PBE salt")?;
    let it = p.expect(INTEGER, "the PBE iteration count")?;
    let iterations = d::read_uint(&it, format)?;
    let (key_len, rc2_bits) = match oid {
        OID_PBE_SHA1_3DES => (24, None),
        OID_PBE_SHA1_RC2_128 => (16, Some(128)),
        OID_PBE_SHA1_RC2_40 => (5, Some(40)),
        other => {
            return Err(KeystoreError::Unsupported(format!(
                "PKCS#12 encryption algorithm {other}"
            )))
        }
    };
    if data.is_empty() || !data.len().is_multiple_of(8) {
        return Err(KeystoreError::malformed(
            format,
            0,
            "encrypted data is not a whole number of 8-byte blocks",
        ));
    }
    use ::pkcs12::kdf::Pkcs12KeyType::{EncryptionKey, Iv};
    // Two derivations: the key and the IV.
    budget.spend(iterations, "PKCS#12 PBE key")?;
    budget.spend(iterations, "PKCS#12 PBE IV")?;
    let key = kdf(OID_SHA1, pw, salt.value, EncryptionKey, iterations, key_len)?;
    let iv = kdf(OID_SHA1, pw, salt.value, Iv, iterations, 8)?;
    let mut buf = Zeroizing::new(data.to_vec());
    let bad = || KeystoreError::integrity("wrong password (decryption failed)");
    let n = match rc2_bits {
        None => cbc::Decryptor::<des::TdesEde3>::new_from_slices(&key, &iv)
            .map_err(|_| bad())?
            .decrypt_padded::<Pkcs7>(&mut buf)
            .map_err(|_| bad())?
            .len(),
        Some(bits) => {
            let c = rc2::Rc2::new_with_eff_key_len(&key, bits);
            cbc::Decryptor::<rc2::Rc2>::inner_iv_slice_init(c, &iv)
                .map_err(|_| bad())?
                .decrypt_padded::<Pkcs7>(&mut buf)
                .map_err(|_| bad())?
                .len()
        }
    };
    buf.truncate(n);
    Ok(buf)
}

fn pbe_encrypt(
    oid: &str,
    plain: &[u8],
    pw: &Password,
    iters: u32,
) -> Result<(Vec<u8>, Vec<u8>), KeystoreError> {
    let mut salt = [0u8; 20];
    super::random(&mut salt)?;
    use ::pkcs12::kdf::Pkcs12KeyType::{EncryptionKey, Iv};
    let (key_len, bits) = if oid == OID_PBE_SHA1_3DES {
        (24, None)
    } else {
        (5, Some(40))
    };
    let key = kdf(OID_SHA1, pw, &salt, EncryptionKey, iters as u64, key_len)?;
    let iv = kdf(OID_SHA1, pw, &salt, Iv, iters as u64, 8)?;
    let err = |_| KeystoreError::Unsupported("cipher setup".into());
    let ct = match bits {
        None => cbc::Encryptor::<des::TdesEde3>::new_from_slices(&key, &iv)
            .map_err(err)?
            .encrypt_padded_vec::<Pkcs7>(plain),
        Some(b) => cbc::Encryptor::<rc2::Rc2>::inner_iv_slice_init(
            rc2::Rc2::new_with_eff_key_len(&key, b),
            &iv,
        )
        .map_err(err)?
        .encrypt_padded_vec::<Pkcs7>(plain),
    };
    let algid = d::seq(&[
        &d::oid(oid),
        &d::seq(&[&d::octets(&salt), &d::uint(iters as u64)]),
    ]);
    Ok((algid, ct))
}

/// Decrypts PBES2 (`alg` is the whole AlgorithmIdentifier DER). Passwords are UTF-8.
pub(crate) fn pbes2_decrypt(
    alg: &[u8],
    data: &[u8],
    pw: &Password,
    budget: &mut WorkBudget,
) -> Result<Zeroizing<Vec<u8>>, KeystoreError> {
    let scheme = pkcs5::EncryptionScheme::try_from(alg)
        .map_err(|e| KeystoreError::Unsupported(format!("PBES2 parameters: {e}")))?;
    let Some(p) = scheme.pbes2() else {
        return Err(KeystoreError::Unsupported("PBES1 inside PBES2".into()));
    };
    match p.kdf.pbkdf2() {
        Some(k) => budget.spend(u64::from(k.iteration_count), "PBES2 PBKDF2")?,
        None => {
            return Err(KeystoreError::Unsupported(format!(
                "PBES2 key derivation {}",
                p.kdf.oid()
            )))
        }
    }
    p.decrypt(pw.as_str().as_bytes(), data)
        .map(Zeroizing::new)
        .map_err(|e| match e {
            pkcs5::Error::DecryptFailed => {
                KeystoreError::integrity("wrong password (decryption failed)")
            }
            other => KeystoreError::Unsupported(format!("PBES2: {other}")),
        })
}

fn pbes2_encrypt(
    plain: &[u8],
    pw: &Password,
    iters: u32,
) -> Result<(Vec<u8>, Vec<u8>), KeystoreError> {
    let mut salt = [0u8; 16];
    let mut iv = [0u8; 16];
    super::random(&mut salt)?;
    super::random(&mut iv)?;
    let params = pkcs5::pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(iters, &salt, iv)
        .map_err(|e| KeystoreError::Unsupported(format!("PBES2: {e}")))?;
    let ct = params
        .encrypt(pw.as_str().as_bytes(), plain)
        .map_err(|e| KeystoreError::Unsupported(format!("PBES2: {e}")))?;
    let algid = pkcs5::EncryptionScheme::from(params)
        .to_der()
        .map_err(|e| KeystoreError::Unsupported(format!("PBES2: {e}")))?;
    Ok((algid, ct))
}

pub(crate) fn encrypt(
    profile: Pkcs12Profile,
    for_keys: bool,
    plain: &[u8],
    pw: &Password,
    iters: u32,
) -> Result<(Vec<u8>, Vec<u8>), KeystoreError> {
    match (profile, for_keys) {
        (Pkcs12Profile::Modern, _) => pbes2_encrypt(plain, pw, iters),
        (Pkcs12Profile::Legacy, true) => pbe_encrypt(OID_PBE_SHA1_3DES, plain, pw, iters),
        (Pkcs12Profile::Legacy, false) => pbe_encrypt(OID_PBE_SHA1_RC2_40, plain, pw, iters),
    }
}

/// An `EncryptedPrivateKeyInfo` for a PKCS#8 key.
pub(crate) fn encrypt_key(
    pkcs8: &[u8],
    pw: &Password,
    profile: Pkcs12Profile,
    iters: u32,
) -> Result<Vec<u8>, KeystoreError> {
    let (algid, ct) = encrypt(profile, true, pkcs8, pw, iters)?;
    Ok(d::seq(&[&algid, &d::octets(&ct)]))
}

/// Decrypts an AlgorithmIdentifier + ciphertext with whatever scheme it names.
pub(crate) fn decrypt_with(
    alg: &Tlv<'_>,
    data: &[u8],
    pw: &Password,
    budget: &mut WorkBudget,
) -> Result<Zeroizing<Vec<u8>>, KeystoreError> {
    let mut a = Der::inside(alg, F);
    let oid = a.oid("the encryption algorithm")?;
    let params = if a.is_empty() {
        None
    } else {
        Some(a.any("the algorithm parameters")?)
    };
    if oid == OID_PBES2 {
        pbes2_decrypt(alg.raw, data, pw, budget)
    } else {
        pbe_decrypt(&oid, params.as_ref(), data, pw, F, budget)
    }
}

/// The PFX MAC over `content`: HMAC keyed by the PKCS#12 KDF (RFC 7292 appendix B.4).
pub(crate) fn mac(
    hash: &str,
    pw: &Password,
    salt: &[u8],
    iterations: u64,
    content: &[u8],
    budget: &mut WorkBudget,
) -> Result<Vec<u8>, KeystoreError> {
    budget.spend(iterations, "PKCS#12 MAC key")?;
    let key = kdf(
        hash,
        pw,
        salt,
        ::pkcs12::kdf::Pkcs12KeyType::Mac,
        iterations,
        hash_len(hash),
    )?;
    hmac(hash, &key, content)
}
