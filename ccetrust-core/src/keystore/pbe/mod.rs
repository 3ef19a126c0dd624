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

/// The most iterations one key derivation (a PBE, PBKDF2 or the MAC) may ask for: keytool's
/// own limit, `MAX_ITERATION_COUNT = 5000000` in OpenJDK's `sun.security.pkcs12.PKCS12KeyStore`
/// ("key PBE iteration count too large", "cert PBE iteration count too large", "MAC
/// iteration count too large") and in `com.sun.crypto.provider.KeyProtector` for JCEKS
/// ("PBE iteration count too large"). A file over it is one keytool cannot open either.
pub(crate) const MAX_ITERATIONS: u64 = 5_000_000;

/// The most iterations reading one file (its MAC and encrypted contents) or unlocking its
/// keys may cost in total: each derivation under keytool's limit is not enough when a file
/// holds thirty of them. Two derivations at keytool's limit fit; JDK 17's defaults (10,000
/// per key) allow a thousand keys.
pub(crate) const MAX_FILE_ITERATIONS: u64 = 10_000_000;

/// What key derivation may still cost for one file: each derivation is checked against
/// keytool's per-derivation limit and charged to the file's total before it runs.
#[derive(Debug)]
pub(crate) struct WorkBudget {
    left: u64,
    about: String,
}

impl WorkBudget {
    /// A fresh budget of [`MAX_FILE_ITERATIONS`].
    pub(crate) fn per_file() -> Self {
        WorkBudget {
            left: MAX_FILE_ITERATIONS,
            about: String::new(),
        }
    }

    /// Names what the next derivations are for ("the MAC", "the encrypted contents at
    /// byte 812"), for the error.
    pub(crate) fn about(&mut self, what: impl Into<String>) -> &mut Self {
        self.about = what.into();
        self
    }

    /// Charges one derivation of `iterations` (`scheme` names it), or refuses it.
    pub(crate) fn spend(&mut self, iterations: u64, scheme: &str) -> Result<(), KeystoreError> {
        let what = if self.about.is_empty() {
            scheme.to_string()
        } else {
            format!("{} ({scheme})", self.about)
        };
        if iterations > MAX_ITERATIONS {
            return Err(KeystoreError::WorkLimit {
                what,
                iterations,
                limit: MAX_ITERATIONS,
                total: false,
            });
        }
        if iterations > self.left {
            return Err(KeystoreError::WorkLimit {
                what,
                iterations,
                limit: MAX_FILE_ITERATIONS,
                total: true,
            });
        }
        self.left -= iterations;
        Ok(())
    }
}

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
    budget: &mut WorkBudget,
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
        OID_SUN_JCE => jceks::recover_key(params.as_ref(), data.value, password, format, budget),
        OID_PBES2 => pkcs12::pbes2_decrypt(alg.raw, data.value, password, budget),
        o if o.starts_with("1.2.840.113549.1.12.1.") => {
            pkcs12::pbe_decrypt(&oid, params.as_ref(), data.value, password, format, budget)
        }
        other => Err(KeystoreError::Unsupported(format!(
            "private key protection algorithm {other}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_derivation_over_keytools_limit_is_refused_before_it_runs() {
        // OpenJDK PKCS12KeyStore: MAX_ITERATION_COUNT = 5000000.
        let mut b = WorkBudget::per_file();
        b.about("alias 'x'");
        assert!(b.spend(5_000_000, "PBKDF2").is_ok());
        let e = b.spend(5_000_001, "PBKDF2").unwrap_err();
        assert_eq!(e.kind(), "work_limit");
        let m = e.to_string();
        assert!(
            m.contains("alias 'x'") && m.contains("5000001") && m.contains("5000000"),
            "{m}"
        );
        assert!(m.contains("iteration count too large"), "{m}");
    }

    #[test]
    fn derivations_under_the_limit_add_up_to_the_files_budget() {
        // Thirty keys at 4,999,999 each: the third is refused, whatever the first two cost.
        let mut b = WorkBudget::per_file();
        assert!(b.spend(4_999_999, "k1").is_ok());
        assert!(b.spend(4_999_999, "k2").is_ok());
        let e = b.spend(4_999_999, "k3").unwrap_err();
        assert!(
            matches!(e, KeystoreError::WorkLimit { total: true, .. }),
            "{e}"
        );
        assert!(e.to_string().contains("10000000"), "{e}");
        // JDK 17's defaults (10,000 per derivation) leave room for a thousand keys.
        let mut b = WorkBudget::per_file();
        for _ in 0..1000 {
            assert!(b.spend(10_000, "key").is_ok());
        }
    }

    #[test]
    fn a_pbes2_key_over_the_limit_fails_fast_with_work_limit() {
        // PBES2 parameters naming 9,999,999 PBKDF2 iterations; the ciphertext is never
        // touched.
        let params = pkcs5::pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(
            9_999_999, &[1; 16], [2; 16],
        )
        .unwrap();
        let alg = der::Encode::to_der(&pkcs5::EncryptionScheme::from(params)).unwrap();
        let start = std::time::Instant::now();
        let e = pkcs12::pbes2_decrypt(
            &alg,
            &[0; 32],
            &Password::new("changeit"),
            &mut WorkBudget::per_file(),
        )
        .unwrap_err();
        assert_eq!(e.kind(), "work_limit", "{e}");
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
    }
}
