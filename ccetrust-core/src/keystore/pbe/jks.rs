//! JKS key protection: Sun's proprietary key protector (OID 1.3.6.1.4.1.42.2.17.1.1), a
//! SHA-1 keystream keyed by the password (UTF-16BE) and a check digest.

use sha1::{Digest, Sha1};
use zeroize::Zeroizing;

use super::OID_SUN_JKS;
use crate::keystore::der;
use crate::keystore::{Format, KeystoreError, Password};

const DIGEST_LEN: usize = 20;

/// Sun's JKS key protector: `EncryptedPrivateKeyInfo` whose data is salt (20) ‖ key XOR a
/// SHA-1 keystream ‖ SHA-1(password ‖ key). The check digest makes a wrong key password
/// certain, not a guess.
pub(crate) fn recover_key(
    data: &[u8],
    password: &Password,
) -> Result<Zeroizing<Vec<u8>>, KeystoreError> {
    if data.len() < 2 * DIGEST_LEN + 1 {
        return Err(KeystoreError::malformed(
            Format::Jks,
            0,
            "protected key shorter than its salt and check digest",
        ));
    }
    let pw = password.utf16be();
    let salt = &data[..DIGEST_LEN];
    let enc = &data[DIGEST_LEN..data.len() - DIGEST_LEN];
    let check = &data[data.len() - DIGEST_LEN..];
    let mut plain = Zeroizing::new(enc.to_vec());
    xor_keystream(&pw, salt, &mut plain);
    let mut h = Sha1::new();
    h.update(pw.as_slice());
    h.update(plain.as_slice());
    let d: [u8; DIGEST_LEN] = h.finalize().into();
    if d[..] != check[..] {
        return Err(KeystoreError::integrity(
            "wrong key password (Sun key protector check failed)",
        ));
    }
    Ok(plain)
}

fn xor_keystream(pw: &[u8], salt: &[u8], buf: &mut [u8]) {
    let mut digest: [u8; DIGEST_LEN] = [0; DIGEST_LEN];
    digest.copy_from_slice(salt);
    for chunk in buf.chunks_mut(DIGEST_LEN) {
        let mut h = Sha1::new();
        h.update(pw);
        h.update(digest);
        digest = h.finalize().into();
        for (b, k) in chunk.iter_mut().zip(digest.iter()) {
            *b ^= k;
        }
    }
}

/// Protects a PKCS#8 key with Sun's JKS key protector (random salt).
pub(crate) fn protect_key(pkcs8: &[u8], password: &Password) -> Result<Vec<u8>, KeystoreError> {
    let pw = password.utf16be();
    let mut salt = [0u8; DIGEST_LEN];
    super::random(&mut salt)?;
    let mut enc = pkcs8.to_vec();
    xor_keystream(&pw, &salt, &mut enc);
    let mut h = Sha1::new();
    h.update(pw.as_slice());
    h.update(pkcs8);
    let check: [u8; DIGEST_LEN] = h.finalize().into();
    let mut data = Vec::with_capacity(enc.len() + 2 * DIGEST_LEN);
    data.extend_from_slice(&salt);
    data.extend_from_slice(&enc);
    data.extend_from_slice(&check);
    let algid = der::seq(&[&der::oid(OID_SUN_JKS), &[der::NULL, 0]]);
    Ok(der::seq(&[&algid, &der::octets(&data)]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keystore::der::Der;

    #[test]
    fn sun_protector_round_trip_and_wrong_password() {
        let key = b"0123456789abcdefghijklmnopqrstuvwxyz-not-really-pkcs8".to_vec();
        let epki = protect_key(&key, &Password::new("secret")).unwrap();
        let mut r = Der::new(&epki, 0, Format::Jks);
        let seq = r.expect(0x30, "x").unwrap();
        let mut s = Der::inside(&seq, Format::Jks);
        s.any("alg").unwrap();
        let data = s.any("data").unwrap().value;
        assert_eq!(
            recover_key(data, &Password::new("secret"))
                .unwrap()
                .as_slice(),
            &key[..]
        );
        assert_eq!(
            recover_key(data, &Password::new("Secret"))
                .unwrap_err()
                .kind(),
            "integrity"
        );
    }
}
