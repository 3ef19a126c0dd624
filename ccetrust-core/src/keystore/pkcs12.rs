//! PKCS#12 (RFC 7292), as JDK 17 keytool, OpenSSL 3 and Windows write it.
//!
//! Read: the PFX's MAC (HMAC with SHA-1/224/256/384/512, key from the PKCS#12 KDF), then
//! each ContentInfo of the AuthenticatedSafe (plain, or EncryptedData under PBES2 or the
//! PKCS#12 PBE schemes: SHA1-3DES, SHA1-RC2-40, SHA1-RC2-128), then the SafeBags: shrouded
//! and plain key bags, certificate bags, secret bags (kept opaque), nested SafeContents.
//! Keys and their leaf certificates are paired by local key ID; chains are completed by
//! issuer name as the JDK does. Certificates carrying Java's trusted-certificate attribute
//! become trusted entries. Certificates that belong to no key and carry no such attribute
//! (what `openssl pkcs12 -nokeys` or `-certfile` produces) also become trusted entries:
//! keytool skips them, but dropping them would lose them on the next write.
//!
//! Write: keys in a plain ContentInfo as shrouded key bags, certificates in an
//! EncryptedData, then the MAC. [`Pkcs12Profile::Modern`] (PBES2 with PBKDF2-HMAC-SHA256
//! and AES-256-CBC, HMAC-SHA256 MAC, 10,000 iterations) is keytool 17's and OpenSSL 3's
//! default; [`Pkcs12Profile::Legacy`] (SHA1-3DES keys, SHA1-RC2-40 certificates, SHA-1
//! MAC) is for Windows Server 2016 and older Java.

use sha1::Sha1;
use zeroize::Zeroizing;

use super::der::{
    self as d, Der, CONTEXT_0, CONTEXT_0_PRIMITIVE, INTEGER, OCTET_STRING, SEQUENCE, SET,
};
use super::error::WRONG_PASSWORD_OR_MODIFIED;
use super::pbe::pkcs12::{
    self as pbe12, decrypt_with, encrypt, iterations, Pkcs12Profile, OID_SHA1, OID_SHA256,
};
use super::pbe::{WorkBudget, OID_PBES2};
use super::private_key::{PrivateKeyEntry, ProtectedKey};
use super::{
    Entry, EntryKind, Format, Keystore, KeystoreError, Password, SecretKeyEntry, WriteOptions,
};
use crate::cert::der_reader::Tlv;
use crate::Certificate;

const F: Format = Format::Pkcs12;
const OID_DATA: &str = "1.2.840.113549.1.7.1";
const OID_ENCRYPTED_DATA: &str = "1.2.840.113549.1.7.6";
const OID_KEY_BAG: &str = "1.2.840.113549.1.12.10.1.1";
const OID_SHROUDED_KEY_BAG: &str = "1.2.840.113549.1.12.10.1.2";
const OID_CERT_BAG: &str = "1.2.840.113549.1.12.10.1.3";
const OID_SECRET_BAG: &str = "1.2.840.113549.1.12.10.1.5";
const OID_SAFE_CONTENTS_BAG: &str = "1.2.840.113549.1.12.10.1.6";
const OID_X509_CERT: &str = "1.2.840.113549.1.9.22.1";
const OID_FRIENDLY_NAME: &str = "1.2.840.113549.1.9.20";
const OID_LOCAL_KEY_ID: &str = "1.2.840.113549.1.9.21";
/// Oracle's attribute marking a certificate as trusted (keytool's `trustedCertEntry`).
pub(crate) const OID_JAVA_TRUSTED: &str = "2.16.840.1.113894.746875.1.1";
const OID_ANY_EKU: &str = "2.5.29.37.0";
const MAX_NESTING: usize = 8;

// ---- reading -------------------------------------------------------------------------

struct CertBag {
    cert: Certificate,
    friendly: Option<String>,
    local_key_id: Option<Vec<u8>>,
    trusted: bool,
}

enum KeyMaterial {
    Shrouded(Vec<u8>),
    Plain(Zeroizing<Vec<u8>>),
}

struct KeyBag {
    key: KeyMaterial,
    friendly: Option<String>,
    local_key_id: Option<Vec<u8>>,
}

#[derive(Default)]
struct Bags {
    keys: Vec<KeyBag>,
    certs: Vec<CertBag>,
    secrets: Vec<(Option<String>, Vec<u8>)>,
    /// Encrypted pieces, kept to tell a wrong password from a modified file.
    encrypted: usize,
    /// Encrypted pieces that use PBES2 (the modern profile).
    pbes2: usize,
}

pub(crate) fn read(data: &[u8], pw: &Password) -> Result<Keystore, KeystoreError> {
    let (bags, profile) = open_bags(data, pw)?;
    let mut ks = assemble(bags)?;
    ks.pkcs12_profile = Some(profile);
    Ok(ks)
}

/// One bag of a PKCS#12 file as stored, before bags are grouped into entries
/// (`keystore list --all-bags`).
#[derive(Debug, Clone)]
pub struct Pkcs12Bag {
    /// `key` (shrouded or plain key bag), `certificate` or `secret`.
    pub kind: &'static str,
    /// The friendlyName attribute, as stored.
    pub friendly_name: Option<String>,
    /// The localKeyId attribute.
    pub local_key_id: Option<Vec<u8>>,
    /// Whether the bag carries Oracle's trusted-certificate attribute.
    pub trusted: bool,
    /// The certificate of a certificate bag.
    pub certificate: Option<Certificate>,
}

/// Every bag of the file, in file order within each kind (keys, certificates, secrets).
pub(crate) fn raw_bags(data: &[u8], pw: &Password) -> Result<Vec<Pkcs12Bag>, KeystoreError> {
    let (bags, _) = open_bags(data, pw)?;
    let keys = bags.keys.into_iter().map(|k| Pkcs12Bag {
        kind: "key",
        friendly_name: k.friendly,
        local_key_id: k.local_key_id,
        trusted: false,
        certificate: None,
    });
    let certs = bags.certs.into_iter().map(|c| Pkcs12Bag {
        kind: "certificate",
        friendly_name: c.friendly,
        local_key_id: c.local_key_id,
        trusted: c.trusted,
        certificate: Some(c.cert),
    });
    let secrets = bags.secrets.into_iter().map(|(name, _)| Pkcs12Bag {
        kind: "secret",
        friendly_name: name,
        local_key_id: None,
        trusted: false,
        certificate: None,
    });
    Ok(keys.chain(certs).chain(secrets).collect())
}

/// Checks the MAC and decrypts every bag; returns them with the file's profile.
fn open_bags(data: &[u8], pw: &Password) -> Result<(Bags, Pkcs12Profile), KeystoreError> {
    let mut top = Der::new(data, 0, F);
    let pfx = top.expect(SEQUENCE, "the PFX SEQUENCE")?;
    top.end("the PFX")?;
    let mut p = Der::inside(&pfx, F);
    let v = p.expect(INTEGER, "the PFX version")?;
    if d::read_uint(&v, F)? != 3 {
        return Err(KeystoreError::malformed(
            F,
            v.offset,
            "PFX version must be 3",
        ));
    }
    let auth = p.expect(SEQUENCE, "the authSafe ContentInfo")?;
    let mac = if p.is_empty() {
        None
    } else {
        Some(p.expect(SEQUENCE, "the MacData")?)
    };
    p.end("the MacData")?;

    let mut ci = Der::inside(&auth, F);
    let ct = ci.oid("the authSafe content type")?;
    if ct != OID_DATA {
        return Err(KeystoreError::Unsupported(format!(
            "PKCS#12 authSafe of type {ct} (public-key integrity mode)"
        )));
    }
    let wrapped = ci.expect(CONTEXT_0, "the authSafe [0] content")?;
    let mut w = Der::inside(&wrapped, F);
    let safe = w.expect(OCTET_STRING, "the AuthenticatedSafe OCTET STRING")?;

    // One budget for the MAC and every encrypted content of the file.
    let mut budget = WorkBudget::per_file();
    let mac_ok = match &mac {
        None => true,
        Some(m) => verify_mac(m, safe.value, pw, &mut budget)?,
    };
    // Walk the whole structure, decrypting with the password, even when the MAC failed:
    // what decrypts tells the two causes apart.
    let walked = walk_auth_safe(&safe, pw, &mut budget);
    if !mac_ok {
        return Err(match walked {
            Ok(b) if b.encrypted > 0 => KeystoreError::integrity(
                "integrity check failed: the password is right (it decrypts the contents) but the file was modified",
            ),
            Ok(_) => KeystoreError::integrity(WRONG_PASSWORD_OR_MODIFIED),
            Err(KeystoreError::Integrity { .. }) => KeystoreError::integrity(
                "wrong password: the MAC does not verify and the contents do not decrypt with it",
            ),
            Err(_) => KeystoreError::integrity(WRONG_PASSWORD_OR_MODIFIED),
        });
    }
    let bags = walked?;
    // Legacy: a SHA-1 MAC (or none) and no PBES2 anywhere, as keytool with
    // -J-Dkeystore.pkcs12.legacy and `openssl pkcs12 -legacy` write.
    let sha1_mac = match &mac {
        None => true,
        Some(m) => mac_digest(m)? == OID_SHA1,
    };
    let profile = if sha1_mac && bags.pbes2 == 0 {
        Pkcs12Profile::Legacy
    } else {
        Pkcs12Profile::Modern
    };
    Ok((bags, profile))
}

/// The MAC's digest algorithm OID.
fn mac_digest(mac: &Tlv<'_>) -> Result<String, KeystoreError> {
    let mut m = Der::inside(mac, F);
    let digest_info = m.expect(SEQUENCE, "the MAC DigestInfo")?;
    let alg = Der::inside(&digest_info, F).expect(SEQUENCE, "the MAC algorithm")?;
    Der::inside(&alg, F).oid("the MAC digest algorithm")
}

fn verify_mac(
    mac: &Tlv<'_>,
    content: &[u8],
    pw: &Password,
    budget: &mut WorkBudget,
) -> Result<bool, KeystoreError> {
    let mut m = Der::inside(mac, F);
    let digest_info = m.expect(SEQUENCE, "the MAC DigestInfo")?;
    let salt = m.expect(OCTET_STRING, "the MAC salt")?;
    let iterations = if m.is_empty() {
        1
    } else {
        d::read_uint(&m.expect(INTEGER, "the MAC iterations")?, F)?
    };
    m.end("the MacData")?;
    let mut di = Der::inside(&digest_info, F);
    let alg = di.expect(SEQUENCE, "the MAC algorithm")?;
    let value = di.expect(OCTET_STRING, "the MAC value")?;
    let hash = Der::inside(&alg, F).oid("the MAC digest algorithm")?;
    if hash == "1.2.840.113549.1.5.14" {
        return Err(KeystoreError::Unsupported("PBMAC1 (RFC 9579) MACs".into()));
    }
    budget.about("the MAC");
    let got = pbe12::mac(&hash, pw, salt.value, iterations, content, budget)?;
    Ok(constant_time_eq(&got, value.value))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn walk_auth_safe(
    safe: &Tlv<'_>,
    pw: &Password,
    budget: &mut WorkBudget,
) -> Result<Bags, KeystoreError> {
    let mut bags = Bags::default();
    let mut r = Der::inside(safe, F);
    let seq = r.expect(SEQUENCE, "the AuthenticatedSafe SEQUENCE")?;
    r.end("the AuthenticatedSafe")?;
    let mut items = Der::inside(&seq, F);
    while !items.is_empty() {
        let ci = items.expect(SEQUENCE, "a ContentInfo")?;
        let mut c = Der::inside(&ci, F);
        let ty = c.oid("the ContentInfo type")?;
        let content = c.expect(CONTEXT_0, "the ContentInfo [0] content")?;
        let mut inner = Der::inside(&content, F);
        match ty.as_str() {
            OID_DATA => {
                let o = inner.expect(OCTET_STRING, "the SafeContents OCTET STRING")?;
                safe_contents(o.value, o.value_offset, &mut bags, 0)?;
            }
            OID_ENCRYPTED_DATA => {
                let ed = inner.expect(SEQUENCE, "EncryptedData")?;
                let mut e = Der::inside(&ed, F);
                e.expect(INTEGER, "the EncryptedData version")?;
                let eci = e.expect(SEQUENCE, "EncryptedContentInfo")?;
                let mut x = Der::inside(&eci, F);
                x.oid("the encrypted content type")?;
                let alg = x.expect(SEQUENCE, "the content encryption algorithm")?;
                let body = x.any("the encrypted content")?;
                let ciphertext: Vec<u8> = match body.tag {
                    CONTEXT_0_PRIMITIVE => body.value.to_vec(),
                    CONTEXT_0 => {
                        // Constructed (BER-style) octets: concatenate the pieces.
                        let mut out = Vec::new();
                        let mut pieces = Der::inside(&body, F);
                        while !pieces.is_empty() {
                            out.extend_from_slice(
                                pieces
                                    .expect(OCTET_STRING, "an encrypted content piece")?
                                    .value,
                            );
                        }
                        out
                    }
                    t => {
                        return Err(KeystoreError::malformed(
                            F,
                            body.offset,
                            format!("encrypted content has tag 0x{t:02x}"),
                        ))
                    }
                };
                bags.encrypted += 1;
                if Der::inside(&alg, F).oid("the encryption algorithm")? == OID_PBES2 {
                    bags.pbes2 += 1;
                }
                budget.about(format!("the encrypted contents at byte {}", ed.offset));
                let plain = decrypt_with(&alg, &ciphertext, pw, budget)?;
                // Offsets inside decrypted content are reported from the EncryptedData.
                safe_contents(&plain, ed.offset, &mut bags, 0)?;
            }
            other => {
                return Err(KeystoreError::Unsupported(format!(
                    "PKCS#12 content type {other} (public-key privacy mode)"
                )))
            }
        }
    }
    Ok(bags)
}

fn safe_contents(
    bytes: &[u8],
    base: usize,
    bags: &mut Bags,
    depth: usize,
) -> Result<(), KeystoreError> {
    if depth > MAX_NESTING {
        return Err(KeystoreError::malformed(
            F,
            base,
            "SafeContents nested too deeply",
        ));
    }
    let mut r = Der::new(bytes, base, F);
    let seq = r.expect(SEQUENCE, "a SafeContents SEQUENCE")?;
    let mut list = Der::inside(&seq, F);
    while !list.is_empty() {
        let bag = list.expect(SEQUENCE, "a SafeBag")?;
        let mut b = Der::inside(&bag, F);
        let id = b.oid("the SafeBag type")?;
        let value_wrapper = b.expect(CONTEXT_0, "the SafeBag [0] value")?;
        let mut vw = Der::inside(&value_wrapper, F);
        let value = vw.any("the SafeBag value")?;
        let (friendly, local_key_id, trusted) = if b.is_empty() {
            (None, None, false)
        } else {
            attributes(&b.expect(SET, "the bag attributes")?)?
        };
        match id.as_str() {
            OID_SHROUDED_KEY_BAG => {
                bags.encrypted += 1;
                // Check the password now only in the sense of structure; decryption waits
                // for unlock.
                bags.keys.push(KeyBag {
                    key: KeyMaterial::Shrouded(value.raw.to_vec()),
                    friendly,
                    local_key_id,
                });
            }
            OID_KEY_BAG => {
                super::private_key::check_pkcs8(value.raw, F)?;
                bags.keys.push(KeyBag {
                    key: KeyMaterial::Plain(Zeroizing::new(value.raw.to_vec())),
                    friendly,
                    local_key_id,
                });
            }
            OID_CERT_BAG => {
                let mut cb = Der::inside(&value, F);
                let ty = cb.oid("the certificate type")?;
                if ty != OID_X509_CERT {
                    return Err(KeystoreError::Unsupported(format!(
                        "certificate bag of type {ty} (only X.509)"
                    )));
                }
                let w = cb.expect(CONTEXT_0, "the certificate [0] value")?;
                let o = Der::inside(&w, F).expect(OCTET_STRING, "the certificate OCTET STRING")?;
                let cert = Certificate::from_der(o.value).map_err(|e| {
                    KeystoreError::malformed(
                        F,
                        o.value_offset + e.offset().unwrap_or(0),
                        format!("certificate: {e}"),
                    )
                })?;
                bags.certs.push(CertBag {
                    cert,
                    friendly,
                    local_key_id,
                    trusted,
                });
            }
            OID_SECRET_BAG => {
                // Kept whole without its attributes; written back as is.
                let mut kept = d::oid(OID_SECRET_BAG);
                kept.extend_from_slice(value_wrapper.raw);
                bags.secrets.push((friendly, d::tlv(SEQUENCE, &kept)));
            }
            OID_SAFE_CONTENTS_BAG => {
                safe_contents(value.raw, value.offset, bags, depth + 1)?;
            }
            _ => {
                // CRL bags and unknown bags carry nothing a keystore entry needs.
            }
        }
    }
    Ok(())
}

/// A bag's friendly name, local key ID, and whether it carries Java's trusted attribute.
type BagAttributes = (Option<String>, Option<Vec<u8>>, bool);

fn attributes(set: &Tlv<'_>) -> Result<BagAttributes, KeystoreError> {
    let mut friendly = None;
    let mut lkid = None;
    let mut trusted = false;
    let mut r = Der::inside(set, F);
    while !r.is_empty() {
        let attr = r.expect(SEQUENCE, "a bag attribute")?;
        let mut a = Der::inside(&attr, F);
        let oid = a.oid("the attribute type")?;
        let values = a.expect(SET, "the attribute values")?;
        let mut v = Der::inside(&values, F);
        match oid.as_str() {
            OID_FRIENDLY_NAME => {
                let t = v.expect(d::BMP_STRING, "the friendly name BMPString")?;
                if !t.value.len().is_multiple_of(2) {
                    return Err(KeystoreError::malformed(
                        F,
                        t.offset,
                        "odd-length BMPString",
                    ));
                }
                let units: Vec<u16> = t
                    .value
                    .chunks(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .collect();
                friendly = Some(String::from_utf16(&units).map_err(|_| {
                    KeystoreError::malformed(F, t.offset, "friendly name is not valid UTF-16")
                })?);
            }
            OID_LOCAL_KEY_ID => {
                lkid = Some(v.expect(OCTET_STRING, "the local key ID")?.value.to_vec());
            }
            OID_JAVA_TRUSTED => trusted = true,
            _ => {}
        }
    }
    Ok((friendly, lkid, trusted))
}

/// Turns bags into entries the way the JDK's PKCS12KeyStore does.
fn assemble(bags: Bags) -> Result<Keystore, KeystoreError> {
    let mut used = vec![false; bags.certs.len()];
    let mut entries = Vec::new();
    let mut unnamed = 0usize;
    let only_key = bags.keys.len() == 1;
    for k in bags.keys {
        // Leaf: same local key ID; else, for a lone key, the lone certificate with a key ID
        // or a matching friendly name.
        let leaf = bags
            .certs
            .iter()
            .position(|c| k.local_key_id.is_some() && c.local_key_id == k.local_key_id)
            .or_else(|| {
                if only_key && k.local_key_id.is_none() {
                    bags.certs.iter().position(|c| {
                        !c.trusted && (c.friendly == k.friendly || c.local_key_id.is_some())
                    })
                } else {
                    None
                }
            });
        let mut chain_idx = Vec::new();
        if let Some(mut i) = leaf {
            chain_idx.push(i);
            // Follow issuers by name, stopping at a self-issued certificate.
            while !bags.certs[i].cert.is_self_issued() && chain_idx.len() <= bags.certs.len() {
                let issuer = bags.certs[i].cert.issuer().der();
                // A chain bag (no Java trusted attribute) before a trusted entry holding
                // the same CA: JDK keytool writes both, and the trusted one stays an entry.
                let fits = |j: &usize| {
                    bags.certs[*j].cert.subject().der() == issuer && !chain_idx.contains(j)
                };
                let mut candidates = (0..bags.certs.len()).filter(fits);
                let first = candidates.clone().find(|&j| !bags.certs[j].trusted);
                match first.or_else(|| candidates.next()) {
                    Some(j) => {
                        chain_idx.push(j);
                        i = j;
                    }
                    None => break,
                }
            }
        }
        for &i in &chain_idx {
            used[i] = true;
        }
        let alias = match k.friendly {
            Some(f) => f,
            None => {
                unnamed += 1;
                unnamed.to_string()
            }
        };
        let chain: Vec<Certificate> = chain_idx
            .iter()
            .map(|&i| bags.certs[i].cert.clone())
            .collect();
        let mut entry = match k.key {
            KeyMaterial::Shrouded(epki) => PrivateKeyEntry::from_protected(
                ProtectedKey {
                    format: F,
                    der: epki,
                },
                chain,
            ),
            KeyMaterial::Plain(pkcs8) => {
                PrivateKeyEntry::new(&pkcs8, chain).map_err(|e| e.with_alias(&alias))?
            }
        };
        entry.local_key_id = k.local_key_id;
        entries.push(Entry {
            alias,
            created: None,
            kind: EntryKind::PrivateKey(entry),
        });
    }
    // JDK keytool writes each key's chain certificates as bags of their own, named after
    // their subject: a bag holding a certificate of a key's chain is that chain's, not an
    // entry (keytool lists none of them), even when it was not needed to complete it.
    let chained: std::collections::HashSet<Vec<u8>> = entries
        .iter()
        .flat_map(|e| e.certificates().iter().map(|c| c.der().to_vec()))
        .collect();
    for (i, c) in bags.certs.iter().enumerate() {
        if !c.trusted && chained.contains(c.cert.der()) {
            used[i] = true;
        }
    }
    for (i, c) in bags.certs.into_iter().enumerate() {
        // Trusted certificates always; others only if no key uses them (kept, not lost).
        if c.trusted || !used[i] {
            let alias = c.friendly.unwrap_or_else(|| {
                c.cert
                    .common_name()
                    .map(|n| n.to_lowercase())
                    .unwrap_or_else(|| format!("cert-{}", i + 1))
            });
            entries.push(Entry {
                alias,
                created: None,
                kind: EntryKind::TrustedCert(c.cert),
            });
        }
    }
    for (name, data) in bags.secrets {
        let alias = name.unwrap_or_else(|| {
            unnamed += 1;
            unnamed.to_string()
        });
        entries.push(Entry {
            alias,
            created: None,
            kind: EntryKind::SecretKey(SecretKeyEntry { format: F, data }),
        });
    }
    // Unique aliases (generated ones can clash with given ones).
    let mut seen = std::collections::HashSet::new();
    for e in &mut entries {
        let base = e.alias.clone();
        let mut n = 1;
        while !seen.insert(e.alias.to_lowercase()) {
            n += 1;
            e.alias = format!("{base}-{n}");
        }
    }
    Ok(Keystore {
        format: F,
        entries,
        pkcs12_profile: None,
        read_with: None,
    })
}

// ---- writing -------------------------------------------------------------------------

fn attr(oid: &str, value: &[u8]) -> Vec<u8> {
    d::seq(&[&d::oid(oid), &d::tlv(SET, value)])
}

fn bag(id: &str, value: &[u8], attrs: &[Vec<u8>]) -> Vec<u8> {
    let mut parts = vec![d::oid(id), d::tlv(CONTEXT_0, value)];
    if !attrs.is_empty() {
        parts.push(d::tlv(SET, &attrs.concat()));
    }
    d::tlv(SEQUENCE, &parts.concat())
}

fn cert_bag(c: &Certificate, attrs: &[Vec<u8>]) -> Vec<u8> {
    let value = d::seq(&[
        &d::oid(OID_X509_CERT),
        &d::tlv(CONTEXT_0, &d::octets(c.der())),
    ]);
    bag(OID_CERT_BAG, &value, attrs)
}

pub(crate) fn write(
    ks: &Keystore,
    store_pw: &Password,
    key_pw: &Password,
    options: &WriteOptions,
) -> Result<Vec<u8>, KeystoreError> {
    // The profile asked for, else the one the store was read with, else modern; keys that
    // need encrypting anew get the same.
    let profile = options.pkcs12.or(ks.pkcs12_profile).unwrap_or_default();
    let resolved = WriteOptions {
        pkcs12: Some(profile),
        ..options.clone()
    };
    let options = &resolved;
    let mut key_bags = Vec::new();
    let mut cert_bags = Vec::new();
    let mut written: Vec<&[u8]> = Vec::new();
    // Trusted certificates first claim their DER, so a CA that is both trusted and in a
    // chain is written once, with the trusted attribute.
    let trusted_ders: Vec<&[u8]> = ks.trusted_certificates().map(|(_, c)| c.der()).collect();
    for e in &ks.entries {
        match &e.kind {
            EntryKind::PrivateKey(k) => {
                let epki = k.protected_for(F, key_pw, options, &e.alias, ks.read_with(key_pw))?;
                let lkid = match (&k.local_key_id, k.chain.first()) {
                    (Some(id), _) => id.clone(),
                    (None, Some(c)) => c.sha1().to_vec(),
                    (None, None) => {
                        use sha1::Digest;
                        Sha1::digest(e.alias.as_bytes()).to_vec()
                    }
                };
                let attrs = vec![
                    attr(OID_FRIENDLY_NAME, &d::bmp(&e.alias)),
                    attr(OID_LOCAL_KEY_ID, &d::octets(&lkid)),
                ];
                key_bags.push(bag(OID_SHROUDED_KEY_BAG, &epki, &attrs));
                for (i, c) in k.chain.iter().enumerate() {
                    if i == 0 {
                        cert_bags.push(cert_bag(c, &attrs));
                    } else if !written.contains(&c.der()) && !trusted_ders.contains(&c.der()) {
                        written.push(c.der());
                        cert_bags.push(cert_bag(c, &[]));
                    }
                }
            }
            EntryKind::TrustedCert(c) => {
                let attrs = vec![
                    attr(OID_FRIENDLY_NAME, &d::bmp(&e.alias)),
                    attr(OID_JAVA_TRUSTED, &d::oid(OID_ANY_EKU)),
                ];
                cert_bags.push(cert_bag(c, &attrs));
            }
            EntryKind::SecretKey(s) => {
                if s.format != F {
                    return Err(KeystoreError::Unsupported(format!(
                        "alias '{}': a {} secret key cannot be written to PKCS#12 (it would have to be deserialized)",
                        e.alias, s.format
                    )));
                }
                // Stored as SEQUENCE { bagId, [0] value }: add the friendly name.
                let mut r = Der::new(&s.data, 0, F);
                let seq = r.expect(SEQUENCE, "the secret bag")?;
                let mut b = Der::inside(&seq, F);
                b.oid("the bag type")?;
                let v = b.expect(CONTEXT_0, "the bag value")?;
                let attrs = [attr(OID_FRIENDLY_NAME, &d::bmp(&e.alias))];
                key_bags.push(d::seq(&[
                    &d::oid(OID_SECRET_BAG),
                    v.raw,
                    &d::tlv(SET, &attrs.concat()),
                ]));
            }
        }
    }
    let mut contents = Vec::new();
    if !cert_bags.is_empty() {
        let plain = d::tlv(SEQUENCE, &cert_bags.concat());
        let (algid, ct) = encrypt(profile, false, &plain, store_pw, iterations(options))?;
        let eci = d::seq(&[&d::oid(OID_DATA), &algid, &d::tlv(CONTEXT_0_PRIMITIVE, &ct)]);
        let ed = d::seq(&[&d::uint(0), &eci]);
        contents.push(d::seq(&[
            &d::oid(OID_ENCRYPTED_DATA),
            &d::tlv(CONTEXT_0, &ed),
        ]));
    }
    if !key_bags.is_empty() {
        let sc = d::tlv(SEQUENCE, &key_bags.concat());
        contents.push(d::seq(&[
            &d::oid(OID_DATA),
            &d::tlv(CONTEXT_0, &d::octets(&sc)),
        ]));
    }
    let auth_safe = d::tlv(SEQUENCE, &contents.concat());
    let hash = match profile {
        Pkcs12Profile::Modern => OID_SHA256,
        Pkcs12Profile::Legacy => OID_SHA1,
    };
    let mut salt = [0u8; 20];
    super::pbe::random(&mut salt)?;
    let mac = pbe12::mac(
        hash,
        store_pw,
        &salt,
        iterations(options) as u64,
        &auth_safe,
        &mut WorkBudget::per_file(),
    )?;
    let digest_info = d::seq(&[&d::seq(&[&d::oid(hash), &[d::NULL, 0]]), &d::octets(&mac)]);
    let mac_data = d::seq(&[
        &digest_info,
        &d::octets(&salt),
        &d::uint(iterations(options) as u64),
    ]);
    let auth = d::seq(&[
        &d::oid(OID_DATA),
        &d::tlv(CONTEXT_0, &d::octets(&auth_safe)),
    ]);
    Ok(d::seq(&[&d::uint(3), &auth, &mac_data]))
}
