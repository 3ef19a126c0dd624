//! Private-key entries: the certificate chain, the key as stored (encrypted by the
//! format's key protector) and, once unlocked, the PKCS#8 key itself in wiped memory.

use std::fmt;

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::der::{self, Der, BIT_STRING, CONTEXT_0, INTEGER, NULL, OCTET_STRING, OID, SEQUENCE};
use super::pbe::{self, jceks, jks, pkcs12, WorkBudget};
use super::{Format, KeystoreError, Password, Pkcs12Profile};
use crate::Certificate;

const OID_RSA: &str = "1.2.840.113549.1.1.1";
const OID_EC: &str = "1.2.840.10045.2.1";
const OID_P256: &str = "1.2.840.10045.3.1.7";
const OID_P384: &str = "1.3.132.0.34";

/// A private key entry: the key and its certificate chain (end-entity first).
#[derive(Clone)]
pub struct PrivateKeyEntry {
    /// The certificate chain, end-entity certificate first.
    pub chain: Vec<Certificate>,
    key: Option<Zeroizing<Vec<u8>>>,
    protected: Option<ProtectedKey>,
    pub(crate) local_key_id: Option<Vec<u8>>,
}

/// A private key as a keystore stores it: a DER `EncryptedPrivateKeyInfo` whose algorithm
/// is the format's key protector. Kept so that an untouched key is written back unchanged.
#[derive(Clone, PartialEq, Eq)]
pub struct ProtectedKey {
    /// The format the key was read from.
    pub format: Format,
    pub(crate) der: Vec<u8>,
}

impl ProtectedKey {
    /// The protection algorithm's OID (dotted), if the structure can be read.
    pub fn algorithm(&self) -> Option<String> {
        let mut r = Der::new(&self.der, 0, self.format);
        let epki = r.expect(SEQUENCE, "EncryptedPrivateKeyInfo").ok()?;
        let mut e = Der::inside(&epki, self.format);
        let alg = e.expect(SEQUENCE, "AlgorithmIdentifier").ok()?;
        Der::inside(&alg, self.format).oid("algorithm").ok()
    }

    /// The DER `EncryptedPrivateKeyInfo`.
    pub fn der(&self) -> &[u8] {
        &self.der
    }
}

impl fmt::Debug for ProtectedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ProtectedKey({}, {})",
            self.format,
            self.algorithm().unwrap_or_else(|| "?".into())
        )
    }
}

impl PrivateKeyEntry {
    /// An entry from a PKCS#8 `PrivateKeyInfo` (DER) and its chain. The key is checked to
    /// be PKCS#8 and, when its public key can be derived, to match the first certificate.
    pub fn new(
        pkcs8_der: &[u8],
        chain: Vec<Certificate>,
    ) -> Result<PrivateKeyEntry, KeystoreError> {
        check_pkcs8(pkcs8_der, Format::Pem)?;
        let entry = PrivateKeyEntry {
            chain,
            key: Some(Zeroizing::new(pkcs8_der.to_vec())),
            protected: None,
            local_key_id: None,
        };
        if entry.matches_certificate() == Some(false) {
            return Err(KeystoreError::Usage(
                "the private key does not belong to the first certificate of the chain".into(),
            ));
        }
        Ok(entry)
    }

    pub(crate) fn from_protected(
        protected: ProtectedKey,
        chain: Vec<Certificate>,
    ) -> PrivateKeyEntry {
        PrivateKeyEntry {
            chain,
            key: None,
            protected: Some(protected),
            local_key_id: None,
        }
    }

    /// Whether the key has been decrypted.
    pub fn is_unlocked(&self) -> bool {
        self.key.is_some()
    }

    /// Decrypts the key with its key password, with the algorithm it is protected by.
    ///
    /// A wrong password is an `integrity` error; the key protectors of JKS (a SHA-1 check
    /// value) and of PKCS#8/PKCS#12 (padding, then the PKCS#8 structure) tell it apart from
    /// a damaged store.
    pub fn unlock(&mut self, password: &Password) -> Result<(), KeystoreError> {
        self.unlock_within(password, &mut WorkBudget::per_file())
    }

    /// [`PrivateKeyEntry::unlock`], charging the key derivation to `budget` (one budget
    /// for all the keys of a file).
    pub(crate) fn unlock_within(
        &mut self,
        password: &Password,
        budget: &mut WorkBudget,
    ) -> Result<(), KeystoreError> {
        if self.key.is_some() {
            return Ok(());
        }
        let Some(p) = &self.protected else {
            return Ok(());
        };
        budget.about("the private key");
        let plain = decrypt_epki(&p.der, p.format, password, budget)?;
        self.key = Some(plain);
        Ok(())
    }

    /// The PKCS#8 `PrivateKeyInfo` DER, once unlocked.
    pub fn pkcs8_der(&self) -> Option<&[u8]> {
        self.key.as_ref().map(|k| k.as_slice())
    }

    /// The key as stored, if it was read from a keystore and not re-protected since.
    pub fn protected_key(&self) -> Option<&ProtectedKey> {
        self.protected.as_ref()
    }

    /// Forgets the stored encryption, so the next write protects the key anew (new
    /// password or format). The key must be unlocked.
    pub fn reprotect(&mut self, alias: &str) -> Result<(), KeystoreError> {
        if self.key.is_none() {
            return Err(KeystoreError::Locked {
                alias: alias.to_string(),
            });
        }
        self.protected = None;
        Ok(())
    }

    /// The PKCS#12 local key ID the key was stored with, if any.
    pub fn local_key_id(&self) -> Option<&[u8]> {
        self.local_key_id.as_deref()
    }

    /// The key's SubjectPublicKeyInfo DER, derived from the unlocked key (RSA, EC P-256 and
    /// P-384; other algorithms when the PKCS#8 carries the public key).
    pub fn public_key_der(&self) -> Option<Vec<u8>> {
        spki_from_pkcs8(self.key.as_ref()?).ok().flatten()
    }

    /// SHA-256 of [`PrivateKeyEntry::public_key_der`].
    pub fn public_key_sha256(&self) -> Option<[u8; 32]> {
        self.public_key_der().map(|d| Sha256::digest(&d).into())
    }

    /// The key algorithm's name (`RSA`, `EC`, or the OID), once unlocked.
    pub fn key_algorithm(&self) -> Option<String> {
        let k = self.key.as_ref()?;
        let (alg, _, _) = pkcs8_parts(k).ok()?;
        Some(match alg.as_str() {
            OID_RSA => "RSA".into(),
            OID_EC => "EC".into(),
            "1.3.101.112" => "Ed25519".into(),
            "1.2.840.10040.4.1" => "DSA".into(),
            other => other.to_string(),
        })
    }

    /// Whether the unlocked key belongs to the chain's first certificate (`None` when the
    /// key is locked, there is no chain, or its public key cannot be derived).
    pub fn matches_certificate(&self) -> Option<bool> {
        let spki = self.public_key_der()?;
        let cert = self.chain.first()?;
        Some(cert.spki_der() == spki.as_slice())
    }

    /// The stored form for `format`, protecting the key anew if it was not read in that
    /// format (or was re-protected).
    pub(crate) fn protected_for(
        &self,
        format: Format,
        password: &Password,
        options: &super::WriteOptions,
        alias: &str,
        same_password: bool,
    ) -> Result<Vec<u8>, KeystoreError> {
        // The key is written back as stored when it stays in its format. JKS and JCEKS
        // keys keep their own password; keytool opens a PKCS#12 key with the password the
        // file is written with, so a stored PKCS#12 key is kept when the store is written
        // under the password it was read with (`same_password`) or when the new one opens
        // it, and is encrypted anew otherwise (a store saved under a new password).
        let mut stored_under_another = false;
        if let Some(p) = &self.protected {
            if p.format == format {
                if format != Format::Pkcs12 || same_password {
                    return Ok(p.der.clone());
                }
                match decrypt_epki(&p.der, p.format, password, &mut WorkBudget::per_file()) {
                    Ok(_) => return Ok(p.der.clone()),
                    // Too much work to tell: say so, not "another password".
                    Err(e @ KeystoreError::WorkLimit { .. }) => return Err(e.with_alias(alias)),
                    Err(_) => stored_under_another = true,
                }
            }
        }
        let Some(key) = &self.key else {
            if stored_under_another {
                return Err(KeystoreError::Alias {
                    alias: alias.to_string(),
                    detail: "the private key is encrypted with another password than the one \
                             this PKCS#12 file is written with (keytool opens PKCS#12 keys with \
                             it): unlock the key with its own password first"
                        .into(),
                });
            }
            return Err(KeystoreError::Locked {
                alias: alias.to_string(),
            });
        };
        match format {
            Format::Jks => jks::protect_key(key, password),
            Format::Jceks => jceks::protect_key(
                key,
                password,
                options.iterations.unwrap_or(jceks::DEFAULT_ITERATIONS),
            ),
            Format::Pkcs12 => pkcs12::encrypt_key(
                key,
                password,
                options.pkcs12.unwrap_or_default(),
                pkcs12::iterations(options),
            ),
            Format::Pem => pkcs12::encrypt_key(
                key,
                password,
                Pkcs12Profile::Modern,
                pkcs12::iterations(options),
            ),
        }
    }
}

impl fmt::Debug for PrivateKeyEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKeyEntry")
            .field(
                "chain",
                &self
                    .chain
                    .iter()
                    .map(|c| c.subject().to_rfc4514())
                    .collect::<Vec<_>>(),
            )
            .field("unlocked", &self.key.is_some())
            .field("protected", &self.protected)
            .finish()
    }
}

/// Decrypts a DER `EncryptedPrivateKeyInfo` with whichever protector it names, and checks
/// the result is PKCS#8.
pub(crate) fn decrypt_epki(
    epki_der: &[u8],
    format: Format,
    password: &Password,
    budget: &mut WorkBudget,
) -> Result<Zeroizing<Vec<u8>>, KeystoreError> {
    let plain = pbe::decrypt_epki(epki_der, format, password, budget)?;
    if check_pkcs8(&plain, format).is_err() {
        return Err(KeystoreError::integrity(
            "wrong key password (the decrypted key is not a PKCS#8 private key)",
        ));
    }
    Ok(plain)
}

/// Checks that bytes are a PKCS#8 `PrivateKeyInfo` (version 0 or 1, algorithm, key).
pub(crate) fn check_pkcs8(der: &[u8], format: Format) -> Result<(), KeystoreError> {
    pkcs8_parts_in(der, format).map(|_| ())
}

fn pkcs8_parts(der: &[u8]) -> Result<(String, Vec<u8>, Vec<u8>), KeystoreError> {
    pkcs8_parts_in(der, Format::Pem)
}

/// (algorithm OID, raw algorithm parameters, private key octets)
fn pkcs8_parts_in(der: &[u8], format: Format) -> Result<(String, Vec<u8>, Vec<u8>), KeystoreError> {
    let mut r = Der::new(der, 0, format);
    let pki = r.expect(SEQUENCE, "a PrivateKeyInfo SEQUENCE")?;
    r.end("the PrivateKeyInfo")?;
    let mut p = Der::inside(&pki, format);
    let v = p.expect(INTEGER, "the PrivateKeyInfo version")?;
    if der::read_uint(&v, format)? > 1 {
        return Err(KeystoreError::malformed(
            format,
            v.offset,
            "PKCS#8 version above 1",
        ));
    }
    let alg = p.expect(SEQUENCE, "the key AlgorithmIdentifier")?;
    let key = p.expect(OCTET_STRING, "the private key OCTET STRING")?;
    let mut a = Der::inside(&alg, format);
    let oid = a.oid("the key algorithm OID")?;
    let params = if a.is_empty() {
        Vec::new()
    } else {
        a.any("parameters")?.raw.to_vec()
    };
    Ok((oid, params, key.value.to_vec()))
}

/// Derives the SubjectPublicKeyInfo of a PKCS#8 key.
fn spki_from_pkcs8(pkcs8: &[u8]) -> Result<Option<Vec<u8>>, KeystoreError> {
    let f = Format::Pem;
    let (alg, params, key) = pkcs8_parts(pkcs8)?;
    let key = Zeroizing::new(key);
    match alg.as_str() {
        OID_RSA => {
            let mut r = Der::new(&key, 0, f);
            let seq = r.expect(SEQUENCE, "RSAPrivateKey")?;
            let mut s = Der::inside(&seq, f);
            s.expect(INTEGER, "version")?;
            let n = s.expect(INTEGER, "modulus")?;
            let e = s.expect(INTEGER, "public exponent")?;
            let rsa_pub = der::seq(&[n.raw, e.raw]);
            let mut bits = vec![0u8];
            bits.extend_from_slice(&rsa_pub);
            let algid = der::seq(&[&der::oid(OID_RSA), &[NULL, 0]]);
            Ok(Some(der::seq(&[&algid, &der::tlv(BIT_STRING, &bits)])))
        }
        OID_EC => {
            let mut pr = Der::new(&params, 0, f);
            let curve = pr.oid("the named curve")?;
            let mut r = Der::new(&key, 0, f);
            let seq = r.expect(SEQUENCE, "ECPrivateKey")?;
            let mut s = Der::inside(&seq, f);
            s.expect(INTEGER, "version")?;
            let d = s.expect(OCTET_STRING, "private key")?;
            let mut point: Option<Vec<u8>> = None;
            while !s.is_empty() {
                let t = s.any("ECPrivateKey field")?;
                if t.tag == 0xa1 {
                    let mut inner = Der::inside(&t, f);
                    let bs = inner.expect(BIT_STRING, "public key")?;
                    point = Some(bs.value.to_vec());
                }
            }
            let point = match point {
                Some(p) => p,
                None => {
                    let sec1 = match curve.as_str() {
                        OID_P256 => p256::SecretKey::from_slice(d.value)
                            .ok()
                            .map(|k| k.public_key().to_sec1_bytes().to_vec()),
                        OID_P384 => p384::SecretKey::from_slice(d.value)
                            .ok()
                            .map(|k| k.public_key().to_sec1_bytes().to_vec()),
                        _ => None,
                    };
                    let Some(sec1) = sec1 else { return Ok(None) };
                    let mut bits = vec![0u8];
                    bits.extend_from_slice(&sec1);
                    bits
                }
            };
            let algid = der::seq(&[&der::oid(OID_EC), &der::oid(&curve)]);
            Ok(Some(der::seq(&[&algid, &der::tlv(BIT_STRING, &point)])))
        }
        _ => {
            // Ed25519 and others: only when the PKCS#8 v2 structure carries the key ([1]).
            let mut r = Der::new(pkcs8, 0, f);
            let pki = r.expect(SEQUENCE, "PrivateKeyInfo")?;
            let mut p = Der::inside(&pki, f);
            while !p.is_empty() {
                let t = p.any("PrivateKeyInfo field")?;
                if t.tag == 0x81 {
                    let mut algid = vec![];
                    algid.extend_from_slice(&der::oid(&alg));
                    algid.extend_from_slice(&params);
                    return Ok(Some(der::seq(&[
                        &der::tlv(SEQUENCE, &algid),
                        &der::tlv(BIT_STRING, t.value),
                    ])));
                }
            }
            let _ = (CONTEXT_0, OID);
            Ok(None)
        }
    }
}
