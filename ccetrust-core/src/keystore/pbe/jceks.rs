//! JCEKS key protection: Sun's PBEWithMD5AndTripleDES key protector.
//!
//! The key protector (OID 1.3.6.1.4.1.42.2.19.1): PBE parameters are an 8-byte salt and an
//! iteration count (JDK 17 writes 200,000). Each 4-byte half of the salt (the first half
//! reversed when both are equal) is hashed with MD5 together with the password's bytes,
//! `iterations` times; the two 16-byte results give the 24-byte DES-EDE3 key and the 8-byte
//! CBC IV. The password must be printable ASCII, as the JDK's `PBEKey` requires.

use cbc::cipher::{block_padding::Pkcs7, BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use md5::{Digest, Md5};
use zeroize::Zeroizing;

use super::{WorkBudget, OID_SUN_JCE};
use crate::cert::der_reader::Tlv;
use crate::keystore::der::{self, Der, INTEGER, OCTET_STRING, SEQUENCE};
use crate::keystore::{Format, KeystoreError, Password};

/// Iterations JDK 17 uses for JCEKS keys (`jdk.jceks.iterationCount`).
pub(crate) const DEFAULT_ITERATIONS: u32 = 200_000;

type TdesCbcDec = cbc::Decryptor<des::TdesEde3>;
type TdesCbcEnc = cbc::Encryptor<des::TdesEde3>;

fn password_bytes(password: &Password) -> Result<Zeroizing<Vec<u8>>, KeystoreError> {
    let s = password.as_str();
    if !s.bytes().all(|b| (0x20..=0x7e).contains(&b)) {
        return Err(KeystoreError::Unsupported(
            "JCEKS key passwords must be printable ASCII (the JDK refuses others)".into(),
        ));
    }
    Ok(Zeroizing::new(s.as_bytes().to_vec()))
}

/// Derives the DES-EDE3 key and IV. The two salt halves are independent, so they are
/// hashed on two threads: this is where all of a JCEKS key's unlock time goes.
fn derive(pw: &[u8], salt: &[u8; 8], iterations: u32) -> Zeroizing<[u8; 32]> {
    let mut s = *salt;
    if s[..4] == s[4..] {
        s[..4].reverse();
    }
    let chain = |half: &[u8]| -> [u8; 16] { md5_chain(half, pw, iterations) };
    let (a, b) = std::thread::scope(|scope| {
        let second = scope.spawn(|| chain(&s[4..]));
        let first = chain(&s[..4]);
        (first, second.join().unwrap_or_else(|_| chain(&s[4..])))
    });
    let mut out = Zeroizing::new([0u8; 32]);
    out[..16].copy_from_slice(&a);
    out[16..].copy_from_slice(&b);
    out
}

/// `iterations` rounds of `t = MD5(t || pw)` starting from `start`.
///
/// After the first round the input is always 16 bytes plus the password, so when that fits
/// one MD5 block the padded block is built once and only its first 16 bytes change: each
/// round is then a single compression, without the digest object's buffering.
fn md5_chain(start: &[u8], pw: &[u8], iterations: u32) -> [u8; 16] {
    use md5::digest::block_api::{BlockSizeUser as _, UpdateCore};
    use md5::digest::common::hazmat::SerializableState;
    let mut out = [0u8; 16];
    if iterations == 0 {
        out[..start.len().min(16)].copy_from_slice(&start[..start.len().min(16)]);
        return out;
    }
    let mut h = Md5::new();
    h.update(start);
    h.update(pw);
    out = h.finalize().into();
    let n = 16 + pw.len();
    if n + 9 > md5::block_api::Md5Core::block_size() {
        for _ in 1..iterations {
            let mut h = Md5::new();
            h.update(out);
            h.update(pw);
            out = h.finalize().into();
        }
        return out;
    }
    let mut block = Zeroizing::new([0u8; 64]);
    block[16..n].copy_from_slice(pw);
    block[n] = 0x80;
    block[56..].copy_from_slice(&((n as u64) * 8).to_le_bytes());
    for _ in 1..iterations {
        block[..16].copy_from_slice(&out);
        let mut core = md5::block_api::Md5Core::default();
        core.update_blocks(std::slice::from_ref((&*block).into()));
        let state = core.serialize();
        out.copy_from_slice(&state[..16]);
    }
    out
}

/// Decrypts a key protected by PBEWithMD5AndTripleDES.
pub(crate) fn recover_key(
    params: Option<&Tlv<'_>>,
    data: &[u8],
    password: &Password,
    format: Format,
    budget: &mut WorkBudget,
) -> Result<Zeroizing<Vec<u8>>, KeystoreError> {
    let Some(params) = params else {
        return Err(KeystoreError::malformed(
            format,
            0,
            "PBEWithMD5AndTripleDES without parameters",
        ));
    };
    let mut p = Der::inside(params, format);
    let salt = p.expect(OCTET_STRING, "the PBE salt")?;
    let iters = p.expect(INTEGER, "the PBE iteration count")?;
    let iterations = der::read_uint(&iters, format)?;
    budget.spend(iterations, "PBEWithMD5AndTripleDES")?;
    let salt: [u8; 8] = salt.value.try_into().map_err(|_| {
        KeystoreError::malformed(
            format,
            salt.offset,
            "PBEWithMD5AndTripleDES salt must be 8 bytes",
        )
    })?;
    if data.is_empty() || !data.len().is_multiple_of(8) {
        return Err(KeystoreError::malformed(
            format,
            0,
            "encrypted key length is not a multiple of the DES block size",
        ));
    }
    let pw = password_bytes(password)?;
    let km = derive(&pw, &salt, iterations as u32);
    let mut buf = Zeroizing::new(data.to_vec());
    let dec = TdesCbcDec::new_from_slices(&km[..24], &km[24..])
        .map_err(|_| KeystoreError::Unsupported("DES-EDE3 key setup".into()))?;
    let n = dec
        .decrypt_padded::<Pkcs7>(&mut buf)
        .map_err(|_| {
            KeystoreError::integrity(
                "wrong key password (bad padding after PBEWithMD5AndTripleDES)",
            )
        })?
        .len();
    buf.truncate(n);
    Ok(buf)
}

/// Protects a PKCS#8 key with PBEWithMD5AndTripleDES, as JDK 17 does for JCEKS.
pub(crate) fn protect_key(
    pkcs8: &[u8],
    password: &Password,
    iterations: u32,
) -> Result<Vec<u8>, KeystoreError> {
    let pw = password_bytes(password)?;
    let mut salt = [0u8; 8];
    super::random(&mut salt)?;
    let km = derive(&pw, &salt, iterations);
    let enc = TdesCbcEnc::new_from_slices(&km[..24], &km[24..])
        .map_err(|_| KeystoreError::Unsupported("DES-EDE3 key setup".into()))?;
    let ct = enc.encrypt_padded_vec::<Pkcs7>(pkcs8);
    let params = der::seq(&[&der::octets(&salt), &der::uint(iterations as u64)]);
    let algid = der::seq(&[&der::oid(OID_SUN_JCE), &params]);
    let _ = SEQUENCE;
    Ok(der::seq(&[&algid, &der::octets(&ct)]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pbe_round_trip_and_wrong_password() {
        let key = b"a PKCS#8 key would go here, any length at all".to_vec();
        let epki = protect_key(&key, &Password::new("changeit"), 1000).unwrap();
        let mut r = Der::new(&epki, 0, Format::Jceks);
        let seq = r.expect(SEQUENCE, "x").unwrap();
        let mut s = Der::inside(&seq, Format::Jceks);
        let alg = s.expect(SEQUENCE, "alg").unwrap();
        let data = s.expect(OCTET_STRING, "data").unwrap();
        let mut a = Der::inside(&alg, Format::Jceks);
        a.oid("oid").unwrap();
        let params = a.any("params").unwrap();
        let plain = recover_key(
            Some(&params),
            data.value,
            &Password::new("changeit"),
            Format::Jceks,
            &mut WorkBudget::per_file(),
        )
        .unwrap();
        assert_eq!(plain.as_slice(), &key[..]);
        // A wrong password fails the padding check or yields other bytes.
        match recover_key(
            Some(&params),
            data.value,
            &Password::new("changeme"),
            Format::Jceks,
            &mut WorkBudget::per_file(),
        ) {
            Err(e) => assert_eq!(e.kind(), "integrity"),
            Ok(p) => assert_ne!(p.as_slice(), &key[..]),
        }
    }

    #[test]
    fn fast_md5_chain_equals_the_plain_one() {
        for (pw, iters) in [
            (&b"changeit"[..], 1000u32),
            (&[b'x'; 39][..], 7),
            (&[b'y'; 40][..], 7),
            (b"", 3),
            (b"a", 1),
        ] {
            let mut t: Vec<u8> = b"salt".to_vec();
            for _ in 0..iters {
                let mut h = Md5::new();
                h.update(&t);
                h.update(pw);
                t = h.finalize().to_vec();
            }
            assert_eq!(
                md5_chain(b"salt", pw, iters).to_vec(),
                t,
                "pw len {}",
                pw.len()
            );
        }
    }

    #[test]
    fn non_ascii_password_is_refused() {
        let e = protect_key(b"k", &Password::new("pässword"), 10).unwrap_err();
        assert_eq!(e.kind(), "unsupported");
    }
}
