//! JKS and JCEKS, Sun's keystore containers (both read and written here; JCEKS's own key
//! protector and secret-key entries are in `jceks.rs`).
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
use zeroize::Zeroizing;

use super::error::WRONG_PASSWORD_OR_MODIFIED;
use super::private_key::{PrivateKeyEntry, ProtectedKey};
use super::{jceks, Entry, EntryKind, Format, Keystore, KeystoreError, Password, SecretKeyEntry};
use crate::{Certificate, Timestamp};

pub(crate) const JKS_MAGIC: u32 = 0xFEED_FEED;
pub(crate) const JCEKS_MAGIC: u32 = 0xCECE_CECE;
const TAG_PRIVATE_KEY: u32 = 1;
const TAG_TRUSTED_CERT: u32 = 2;
const TAG_SECRET_KEY: u32 = 3;
const DIGEST_LEN: usize = 20;
const WHITENER: &[u8] = b"Mighty Aphrodite";

/// A bounds-checked big-endian reader that knows its offset.
pub(crate) struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    format: Format,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(data: &'a [u8], format: Format) -> Self {
        Reader {
            data,
            pos: 0,
            format,
        }
    }

    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    pub(crate) fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    pub(crate) fn bytes(&mut self, n: usize, what: &str) -> Result<&'a [u8], KeystoreError> {
        if n > self.remaining() {
            return Err(KeystoreError::malformed(
                self.format,
                self.pos,
                format!("{what}: {n} bytes needed, {} left", self.remaining()),
            ));
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    pub(crate) fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    pub(crate) fn u8(&mut self, what: &str) -> Result<u8, KeystoreError> {
        Ok(self.bytes(1, what)?[0])
    }

    pub(crate) fn u16(&mut self, what: &str) -> Result<u16, KeystoreError> {
        let b = self.bytes(2, what)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    pub(crate) fn u32(&mut self, what: &str) -> Result<u32, KeystoreError> {
        let b = self.bytes(4, what)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub(crate) fn i64(&mut self, what: &str) -> Result<i64, KeystoreError> {
        let b = self.bytes(8, what)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(i64::from_be_bytes(a))
    }

    /// A u32 length followed by that many bytes.
    fn sized(&mut self, what: &str) -> Result<(usize, &'a [u8]), KeystoreError> {
        let at = self.pos;
        let n = self.u32(what)? as usize;
        if n > self.remaining() {
            return Err(KeystoreError::malformed(
                self.format,
                at,
                format!(
                    "{what}: length {n} runs past the end ({} bytes left)",
                    self.remaining()
                ),
            ));
        }
        Ok((self.pos, self.bytes(n, what)?))
    }

    /// Java's `readUTF`: a u16 length and modified UTF-8.
    pub(crate) fn utf(&mut self, what: &str) -> Result<String, KeystoreError> {
        let at = self.pos;
        let n = self.u16(what)? as usize;
        if n > self.remaining() {
            return Err(KeystoreError::malformed(
                self.format,
                at,
                format!(
                    "{what}: length {n} runs past the end ({} bytes left)",
                    self.remaining()
                ),
            ));
        }
        let b = self.bytes(n, what)?;
        decode_modified_utf8(b).ok_or_else(|| {
            KeystoreError::malformed(self.format, at, format!("{what}: invalid modified UTF-8"))
        })
    }
}

/// Java's modified UTF-8 (NUL as C0 80, supplementary characters as surrogate pairs).
pub(crate) fn decode_modified_utf8(b: &[u8]) -> Option<String> {
    // Plain ASCII without NUL (nearly every alias) reads the same in both encodings.
    if b.iter().all(|&c| c != 0 && c < 0x80) {
        return std::str::from_utf8(b).ok().map(str::to_owned);
    }
    let mut units: Vec<u16> = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c & 0x80 == 0 {
            if c == 0 {
                return None;
            }
            units.push(c as u16);
            i += 1;
        } else if c & 0xe0 == 0xc0 {
            let c2 = *b.get(i + 1)?;
            if c2 & 0xc0 != 0x80 {
                return None;
            }
            units.push((((c & 0x1f) as u16) << 6) | (c2 & 0x3f) as u16);
            i += 2;
        } else if c & 0xf0 == 0xe0 {
            let c2 = *b.get(i + 1)?;
            let c3 = *b.get(i + 2)?;
            if c2 & 0xc0 != 0x80 || c3 & 0xc0 != 0x80 {
                return None;
            }
            units.push(
                (((c & 0x0f) as u16) << 12) | (((c2 & 0x3f) as u16) << 6) | (c3 & 0x3f) as u16,
            );
            i += 3;
        } else {
            return None;
        }
    }
    String::from_utf16(&units).ok()
}

/// Java's `writeUTF` encoding; `None` when longer than 65,535 bytes.
pub(crate) fn encode_modified_utf8(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() + 2);
    out.extend_from_slice(&[0, 0]);
    for u in s.encode_utf16() {
        match u {
            0x0001..=0x007f => out.push(u as u8),
            0x0000 | 0x0080..=0x07ff => {
                out.push(0xc0 | (u >> 6) as u8);
                out.push(0x80 | (u & 0x3f) as u8);
            }
            _ => {
                out.push(0xe0 | (u >> 12) as u8);
                out.push(0x80 | ((u >> 6) & 0x3f) as u8);
                out.push(0x80 | (u & 0x3f) as u8);
            }
        }
    }
    let n = u16::try_from(out.len() - 2).ok()?;
    out[..2].copy_from_slice(&n.to_be_bytes());
    Some(out)
}

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

/// The trailer did not match: if a private key opens with the password, the password is
/// right and the file was changed; otherwise say both are possible.
fn integrity_failure(proof_key: Option<&[u8]>, pw: &Password, format: Format) -> KeystoreError {
    // One key is enough to prove the password, and bounds the work a wrong password costs.
    if let Some(epki) = proof_key {
        {
            if super::private_key::decrypt_epki(epki, format, pw).is_ok() {
                return KeystoreError::integrity(
                    "integrity check failed: the password is right (it opens a private key) but the file was modified",
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
            let len = jceks::serialized_object_len(&r.data[start..], start)?;
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
                KeystoreError::malformed(r.format, at, "certificate type: invalid modified UTF-8")
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
    use super::der;
    let pw = password.utf16be();
    let mut salt = [0u8; DIGEST_LEN];
    super::write::random(&mut salt)?;
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
    let algid = der::seq(&[&der::oid(super::private_key::OID_SUN_JKS), &[der::NULL, 0]]);
    Ok(der::seq(&[&algid, &der::octets(&data)]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modified_utf8_round_trip() {
        for s in ["alias", "äöü", "日本", "emoji 😀", "nul\0inside"] {
            let enc = encode_modified_utf8(s).unwrap();
            assert_eq!(decode_modified_utf8(&enc[2..]).unwrap(), s);
        }
        // NUL is two bytes in Java's encoding, never a zero byte.
        assert_eq!(encode_modified_utf8("\0").unwrap(), vec![0, 2, 0xc0, 0x80]);
        // A supplementary character is a surrogate pair, 3 bytes each.
        assert_eq!(encode_modified_utf8("😀").unwrap().len(), 2 + 6);
        // A raw zero byte is not modified UTF-8 (the ASCII shortcut must not take it).
        assert_eq!(decode_modified_utf8(b"a\0b"), None);
        assert_eq!(
            decode_modified_utf8(b"plain-alias").as_deref(),
            Some("plain-alias")
        );
    }

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
            .to_bytes(&Password::new("x"), &super::super::WriteOptions::default())
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

    #[test]
    fn sun_protector_round_trip_and_wrong_password() {
        let key = b"0123456789abcdefghijklmnopqrstuvwxyz-not-really-pkcs8".to_vec();
        let epki = protect_key(&key, &Password::new("secret")).unwrap();
        let mut r = super::super::der::Der::new(&epki, 0, Format::Jks);
        let seq = r.expect(0x30, "x").unwrap();
        let mut s = super::super::der::Der::inside(&seq, Format::Jks);
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
