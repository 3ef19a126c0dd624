//! JKS and JCEKS, Sun's keystore containers (both read and written here, one grammar for both; key
//! protection is in `pbe/`, Java's stream encodings and serialized objects in `java.rs`).
//!
//! Layout (big-endian): magic (`FEEDFEED` JKS, `CECECECE` JCEKS), version (1 or 2), entry
//! count, entries, then a 20-byte SHA-1 over the password (UTF-16BE), the ASCII words
//! "Mighty Aphrodite" and every byte before it. An entry is a tag (1 private key, 2 trusted
//! certificate, 3 secret key: JCEKS only), an alias in Java's modified UTF-8, a creation
//! time in milliseconds, then: for a key, its protected `EncryptedPrivateKeyInfo` and its
//! chain; for a certificate, its type ("X.509", version 2 only) and DER; for a secret key,
//! a Java-serialized object. Every length read is checked against what is left before
//! anything is allocated.

use sha1::{Digest, Sha1};

use super::error::WRONG_PASSWORD_OR_MODIFIED;
use super::java::{
    decode_modified_utf8, encode_modified_utf8, serialized_object_len, Reader, JCEKS_MAGIC,
    JKS_MAGIC,
};
use super::pbe::WorkBudget;
use super::private_key::{PrivateKeyEntry, ProtectedKey};
use super::{Entry, EntryKind, Format, Keystore, KeystoreError, Password, SecretKeyEntry};
use crate::{Certificate, Timestamp};

const TAG_PRIVATE_KEY: u32 = 1;
const TAG_TRUSTED_CERT: u32 = 2;
const TAG_SECRET_KEY: u32 = 3;
const DIGEST_LEN: usize = 20;
const WHITENER: &[u8] = b"Mighty Aphrodite";

/// The keyed SHA-1 of the JKS/JCEKS trailer.
fn integrity_digest(password: &Password, body: &[u8]) -> [u8; DIGEST_LEN] {
    let mut h = keyed_sha1(password);
    h.update(body);
    h.finalize().into()
}

/// The trailer's SHA-1 with the password and the whitener already fed; the body follows.
fn keyed_sha1(password: &Password) -> Sha1 {
    let mut h = Sha1::new();
    h.update(password.utf16be().as_slice());
    h.update(WHITENER);
    h
}

/// Reads a JKS or JCEKS keystore. With a password the trailer is checked; without, it is
/// skipped (keytool's `-list` without `-storepass`).
pub(crate) fn read(data: &[u8], password: Option<&Password>) -> Result<Keystore, KeystoreError> {
    let magic = data
        .get(..4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
    let format = match magic {
        Some(JKS_MAGIC) => Format::Jks,
        Some(JCEKS_MAGIC) => Format::Jceks,
        _ => {
            return Err(KeystoreError::malformed(
                Format::Jks,
                0,
                "no JKS (FEEDFEED) or JCEKS (CECECECE) magic number",
            ))
        }
    };
    if data.len() < 12 + DIGEST_LEN {
        return Err(KeystoreError::malformed(
            format,
            data.len(),
            format!(
                "file of {} bytes is too short for a header and trailer",
                data.len()
            ),
        ));
    }
    let body_len = data.len() - DIGEST_LEN;
    let mut r = Reader::new(&data[..body_len], format);
    r.u32("magic")?;
    let version_at = r.pos();
    let version = r.u32("version")?;
    if version != 1 && version != 2 {
        return Err(KeystoreError::malformed(
            format,
            version_at,
            format!("version {version} (only 1 and 2 exist)"),
        ));
    }
    if format == Format::Jceks && version != 2 {
        return Err(KeystoreError::malformed(
            format,
            version_at,
            "JCEKS version must be 2",
        ));
    }
    let count_at = r.pos();
    let count = r.u32("entry count")? as usize;
    // Each entry takes at least 4 (tag) + 2 (alias) + 8 (date) bytes.
    if count > r.remaining() / 14 {
        return Err(KeystoreError::malformed(
            format,
            count_at,
            format!(
                "entry count {count} cannot fit in the {} bytes left",
                r.remaining()
            ),
        ));
    }
    // Structure first (raw pieces), so a damaged length is reported where it is.
    let mut raw = Vec::with_capacity(count);
    for i in 0..count {
        raw.push(read_entry(&mut r, format, version, i)?);
    }
    if r.remaining() != 0 {
        return Err(KeystoreError::malformed(
            format,
            r.pos(),
            format!(
                "{} bytes between the last entry and the trailer",
                r.remaining()
            ),
        ));
    }
    // Then the trailer and the certificates, in one pass over the entries: each entry's
    // bytes are hashed and its certificates decoded while they are in cache (the store is
    // read from memory once, not twice). The trailer still decides first: when it does not
    // match, that is the error, whatever a certificate holds; otherwise the first
    // certificate that does not decode is (decoding stops there).
    let proof_key = raw.iter().find_map(|e| match &e.kind {
        RawKind::Key { epki, .. } => Some(*epki),
        _ => None,
    });
    let mut digest = password.map(keyed_sha1);
    let mut hashed = 0;
    let mut entries = Vec::with_capacity(count);
    let mut bad_certificate = None;
    for e in raw {
        if let Some(h) = digest.as_mut() {
            h.update(data.get(hashed..e.end).unwrap_or_default());
            hashed = e.end;
        }
        if bad_certificate.is_none() {
            match e.into_entry(format) {
                Ok(entry) => entries.push(entry),
                Err(err) => bad_certificate = Some(err),
            }
        }
    }
    if let (Some(mut h), Some(pw)) = (digest, password) {
        h.update(data.get(hashed..body_len).unwrap_or_default());
        let expected: [u8; DIGEST_LEN] = h.finalize().into();
        if expected[..] != data[body_len..] {
            return Err(integrity_failure(proof_key, pw, format));
        }
    }
    match bad_certificate {
        Some(err) => Err(err),
        None => Ok(Keystore {
            format,
            entries,
            pkcs12_profile: None,
            read_with: None,
        }),
    }
}

/// The trailer did not match: wrong password or a modified file. When a private key opens
/// with the password, it is likely an old store password (key passwords do not change
/// with the store's), which is said too.
fn integrity_failure(proof_key: Option<&[u8]>, pw: &Password, format: Format) -> KeystoreError {
    // One key is enough to prove the password, and bounds the work a wrong password costs.
    if let Some(epki) = proof_key {
        {
            if super::private_key::decrypt_epki(epki, format, pw, &mut WorkBudget::per_file())
                .is_ok()
            {
                // A key's password is not the store's: after `passwd --store` the old store
                // password still opens the keys. Both causes stay possible; say which is likely.
                return KeystoreError::integrity(
                    "integrity check failed: wrong password, or the file was modified (this password opens a private key in it: it may be the store's old password, from before a password change)",
                );
            }
        }
    }
    KeystoreError::integrity(WRONG_PASSWORD_OR_MODIFIED)
}

struct RawEntry<'a> {
    alias: String,
    millis: i64,
    kind: RawKind<'a>,
    /// Offset just past the entry in the file.
    end: usize,
}

enum RawKind<'a> {
    Key {
        epki: &'a [u8],
        chain: Vec<(usize, &'a [u8])>,
    },
    Cert {
        offset: usize,
        der: &'a [u8],
    },
    Secret(&'a [u8]),
}

fn read_entry<'a>(
    r: &mut Reader<'a>,
    format: Format,
    version: u32,
    index: usize,
) -> Result<RawEntry<'a>, KeystoreError> {
    let tag_at = r.pos();
    let tag = r.u32("entry tag")?;
    let alias = r.utf("alias")?;
    let millis = r.i64("creation date")?;
    let kind = match tag {
        TAG_PRIVATE_KEY => {
            let (_, epki) = r.sized("protected private key")?;
            let n_at = r.pos();
            let n = r.u32("chain length")? as usize;
            if n > r.remaining() / 4 {
                return Err(KeystoreError::malformed(
                    format,
                    n_at,
                    format!("alias '{alias}': chain length {n} cannot fit in the bytes left"),
                ));
            }
            let mut chain = Vec::with_capacity(n);
            for _ in 0..n {
                chain.push(read_cert(r, version, &alias)?);
            }
            RawKind::Key { epki, chain }
        }
        TAG_TRUSTED_CERT => {
            let (offset, der) = read_cert(r, version, &alias)?;
            RawKind::Cert { offset, der }
        }
        TAG_SECRET_KEY if format == Format::Jceks => {
            let start = r.pos();
            let len = serialized_object_len(r.rest(), start)?;
            RawKind::Secret(r.bytes(len, "secret key object")?)
        }
        other => {
            return Err(KeystoreError::malformed(
                format,
                tag_at,
                format!("entry {index} ('{alias}') has unknown tag {other}"),
            ))
        }
    };
    Ok(RawEntry {
        alias,
        millis,
        kind,
        end: r.pos(),
    })
}

fn read_cert<'a>(
    r: &mut Reader<'a>,
    version: u32,
    alias: &str,
) -> Result<(usize, &'a [u8]), KeystoreError> {
    if version == 2 {
        let at = r.pos();
        // The type is "X.509" in every store: compared as bytes, decoded only to say
        // what else it is.
        let n = r.u16("certificate type")? as usize;
        let t = r.bytes(n, "certificate type")?;
        if t != b"X.509" {
            let t = decode_modified_utf8(t).ok_or_else(|| {
                KeystoreError::malformed(r.format(), at, "certificate type: invalid modified UTF-8")
            })?;
            return Err(KeystoreError::Unsupported(format!(
                "alias '{alias}': certificate type '{t}' at byte {at} (only X.509)"
            )));
        }
    }
    r.sized("certificate")
}

impl RawEntry<'_> {
    /// The entry with its certificates decoded; an error names the alias.
    fn into_entry(self, format: Format) -> Result<Entry, KeystoreError> {
        let RawEntry {
            alias,
            millis,
            kind,
            ..
        } = self;
        match Self::decode_kind(kind, format) {
            Ok(kind) => Ok(Entry {
                alias,
                created: Some(Timestamp::from_unix(millis.div_euclid(1000))),
                kind,
            }),
            Err(err) => Err(err.with_alias(&alias)),
        }
    }

    fn decode_kind(kind: RawKind<'_>, format: Format) -> Result<EntryKind, KeystoreError> {
        let cert = |offset: usize, der: &[u8]| {
            Certificate::from_der(der).map_err(|e| {
                KeystoreError::malformed(
                    format,
                    offset + e.offset().unwrap_or(0),
                    format!("certificate: {e}"),
                )
            })
        };
        Ok(match kind {
            RawKind::Cert { offset, der } => EntryKind::TrustedCert(cert(offset, der)?),
            RawKind::Key { epki, chain } => {
                let chain = chain
                    .into_iter()
                    .map(|(o, d)| cert(o, d))
                    .collect::<Result<Vec<_>, _>>()?;
                EntryKind::PrivateKey(PrivateKeyEntry::from_protected(
                    ProtectedKey {
                        format,
                        der: epki.to_vec(),
                    },
                    chain,
                ))
            }
            RawKind::Secret(data) => EntryKind::SecretKey(SecretKeyEntry {
                format,
                data: data.to_vec(),
            }),
        })
    }
}

/// Encodes a JKS or JCEKS keystore (version 2). Aliases are written lower-case, as the
/// JDK looks them up.
pub(crate) fn write(
    ks: &Keystore,
    store_password: &Password,
    key_password: &Password,
    options: &super::WriteOptions,
) -> Result<Vec<u8>, KeystoreError> {
    let format = ks.format;
    let mut out = Vec::new();
    out.extend_from_slice(
        &if format == Format::Jks {
            JKS_MAGIC
        } else {
            JCEKS_MAGIC
        }
        .to_be_bytes(),
    );
    out.extend_from_slice(&2u32.to_be_bytes());
    let count = u32::try_from(ks.entries.len())
        .map_err(|_| KeystoreError::Usage("too many entries".into()))?;
    out.extend_from_slice(&count.to_be_bytes());
    for e in &ks.entries {
        let alias = e.alias.to_lowercase();
        let alias_bytes = encode_modified_utf8(&alias).ok_or_else(|| KeystoreError::Alias {
            alias: e.alias.clone(),
            detail: "longer than 65,535 bytes".into(),
        })?;
        let millis = e
            .created
            .unwrap_or_else(Timestamp::now)
            .unix()
            .saturating_mul(1000);
        let tag = match &e.kind {
            EntryKind::PrivateKey(_) => TAG_PRIVATE_KEY,
            EntryKind::TrustedCert(_) => TAG_TRUSTED_CERT,
            EntryKind::SecretKey(_) => TAG_SECRET_KEY,
        };
        let mut body = Vec::new();
        match &e.kind {
            EntryKind::TrustedCert(c) => put_cert(&mut body, c)?,
            EntryKind::PrivateKey(k) => {
                let epki = k.protected_for(format, key_password, options, &e.alias, true)?;
                put_sized(&mut body, &epki)?;
                body.extend_from_slice(&(k.chain.len() as u32).to_be_bytes());
                for c in &k.chain {
                    put_cert(&mut body, c)?;
                }
            }
            EntryKind::SecretKey(s) => {
                if format != Format::Jceks || s.format != Format::Jceks {
                    return Err(KeystoreError::Unsupported(format!(
                        "alias '{}': a {} secret key cannot be written to {format}",
                        e.alias, s.format
                    )));
                }
                body.extend_from_slice(&s.data);
            }
        }
        out.extend_from_slice(&tag.to_be_bytes());
        out.extend_from_slice(&alias_bytes);
        out.extend_from_slice(&millis.to_be_bytes());
        out.extend_from_slice(&body);
    }
    let digest = integrity_digest(store_password, &out);
    out.extend_from_slice(&digest);
    Ok(out)
}

fn put_sized(out: &mut Vec<u8>, data: &[u8]) -> Result<(), KeystoreError> {
    let n =
        u32::try_from(data.len()).map_err(|_| KeystoreError::Usage("object too large".into()))?;
    out.extend_from_slice(&n.to_be_bytes());
    out.extend_from_slice(data);
    Ok(())
}

fn put_cert(out: &mut Vec<u8>, c: &Certificate) -> Result<(), KeystoreError> {
    out.extend_from_slice(&[0, 5]);
    out.extend_from_slice(b"X.509");
    put_sized(out, c.der())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JKS of two trusted certificates whose trailer is recomputed after `damage`.
    fn damaged_store(damage: impl FnMut(&mut Vec<u8>, &[u8])) -> Result<Keystore, KeystoreError> {
        damaged_store_read_with(damage, &Password::new("changeit"))
    }

    fn damaged_store_read_with(
        mut damage: impl FnMut(&mut Vec<u8>, &[u8]),
        read_password: &Password,
    ) -> Result<Keystore, KeystoreError> {
        let pem = include_bytes!("../../../tests/data/bench/leaves.pem");
        let certs: Vec<_> = crate::cert::pem::parse_blocks(pem)
            .unwrap()
            .into_iter()
            .take(2)
            .map(|b| Certificate::from_der(&b.der).unwrap())
            .collect();
        let pw = Password::new("changeit");
        let mut ks = Keystore::new(Format::Jks);
        for (i, c) in certs.iter().enumerate() {
            ks.entries
                .push(Entry::trusted(format!("ca-{i}"), c.clone()));
        }
        let mut bytes = ks
            .to_bytes(&pw, &super::super::WriteOptions::default())
            .unwrap();
        damage(&mut bytes, certs[1].der());
        let body = bytes.len() - DIGEST_LEN;
        let trailer = integrity_digest(&pw, &bytes[..body]);
        bytes[body..].copy_from_slice(&trailer);
        read(&bytes, Some(read_password))
    }

    fn find(hay: &[u8], needle: &[u8]) -> usize {
        hay.windows(needle.len()).position(|w| w == needle).unwrap()
    }

    #[test]
    fn a_malformed_certificate_is_an_error_at_load_with_alias_and_offset() {
        assert_eq!(damaged_store(|_, _| {}).unwrap().entries.len(), 2);
        let mut at = 0;
        let err = damaged_store(|b, der| {
            // The serial number's INTEGER tag (byte 13 of these certificates) made an
            // OCTET STRING: the certificate no longer decodes.
            at = find(b, der) + 13;
            assert_eq!(b[at], 0x02);
            b[at] = 0x04;
        })
        .unwrap_err();
        assert_eq!(err.kind(), "malformed");
        assert_eq!(err.offset(), Some(at));
        assert!(err.to_string().contains("ca-1"), "{err}");
    }

    #[test]
    fn a_wrong_password_is_told_before_a_bad_certificate() {
        let err = damaged_store_read_with(
            |b, der| {
                let at = find(b, der) + 13;
                b[at] = 0x04;
            },
            &Password::new("not-changeit"),
        )
        .unwrap_err();
        assert_eq!(err.kind(), "integrity");
        // And with no password the trailer is not checked: the certificate is the error.
        let pem = include_bytes!("../../../tests/data/bench/leaves.pem");
        let der = crate::cert::pem::parse_blocks(pem).unwrap().remove(0).der;
        let mut ks = Keystore::new(Format::Jks);
        ks.entries
            .push(Entry::trusted("only", Certificate::from_der(&der).unwrap()));
        let mut bytes = ks
            .to_bytes(
                &Password::new("xxxxxx"),
                &super::super::WriteOptions::default(),
            )
            .unwrap();
        let at = find(&bytes, &der) + 13;
        bytes[at] = 0x04;
        let err = read(&bytes, None).unwrap_err();
        assert_eq!((err.kind(), err.offset()), ("malformed", Some(at)));
    }

    #[test]
    fn a_certificate_type_other_than_x509_is_named() {
        let err = damaged_store(|b, der| {
            let at = find(b, der) - 4 - 5;
            assert_eq!(&b[at..at + 5], b"X.509");
            b[at..at + 5].copy_from_slice(b"X.510");
        })
        .unwrap_err();
        assert_eq!(err.kind(), "unsupported");
        assert!(err.to_string().contains("'X.510'"), "{err}");
        assert!(err.to_string().contains("ca-1"), "{err}");
    }
}
