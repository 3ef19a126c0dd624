//! JCEKS specifics: Sun's PBEWithMD5AndTripleDES key protector, and finding where a
//! secret-key entry (a Java-serialized `SealedObject`) ends without deserializing it.
//!
//! The key protector (OID 1.3.6.1.4.1.42.2.19.1): PBE parameters are an 8-byte salt and an
//! iteration count (JDK 17 writes 200,000). Each 4-byte half of the salt (the first half
//! reversed when both are equal) is hashed with MD5 together with the password's bytes,
//! `iterations` times; the two 16-byte results give the 24-byte DES-EDE3 key and the 8-byte
//! CBC IV. The password must be printable ASCII, as the JDK's `PBEKey` requires.

use cbc::cipher::{block_padding::Pkcs7, BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use md5::{Digest, Md5};
use zeroize::Zeroizing;

use super::der::{self, Der, INTEGER, OCTET_STRING, SEQUENCE};
use super::jks::Reader;
use super::{Format, KeystoreError, Password};
use crate::cert::der_reader::Tlv;

/// Iterations JDK 17 uses for JCEKS keys (`jdk.jceks.iterationCount`).
pub(crate) const DEFAULT_ITERATIONS: u32 = 200_000;
/// Refuse more than this: a hostile file must not keep us busy for minutes.
pub(crate) const MAX_ITERATIONS: u64 = 10_000_000;

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
    if iterations > MAX_ITERATIONS {
        return Err(KeystoreError::Unsupported(format!(
            "{iterations} PBE iterations (more than {MAX_ITERATIONS})"
        )));
    }
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
    super::write::random(&mut salt)?;
    let km = derive(&pw, &salt, iterations);
    let enc = TdesCbcEnc::new_from_slices(&km[..24], &km[24..])
        .map_err(|_| KeystoreError::Unsupported("DES-EDE3 key setup".into()))?;
    let ct = enc.encrypt_padded_vec::<Pkcs7>(pkcs8);
    let params = der::seq(&[&der::octets(&salt), &der::uint(iterations as u64)]);
    let algid = der::seq(&[&der::oid(super::private_key::OID_SUN_JCE), &params]);
    let _ = SEQUENCE;
    Ok(der::seq(&[&algid, &der::octets(&ct)]))
}

// ---- Java serialization: extent only -------------------------------------------------

const TC_NULL: u8 = 0x70;
const TC_REFERENCE: u8 = 0x71;
const TC_CLASSDESC: u8 = 0x72;
const TC_OBJECT: u8 = 0x73;
const TC_STRING: u8 = 0x74;
const TC_ARRAY: u8 = 0x75;
const TC_CLASS: u8 = 0x76;
const TC_BLOCKDATA: u8 = 0x77;
const TC_ENDBLOCKDATA: u8 = 0x78;
const TC_RESET: u8 = 0x79;
const TC_BLOCKDATALONG: u8 = 0x7a;
const TC_LONGSTRING: u8 = 0x7c;
const TC_PROXYCLASSDESC: u8 = 0x7d;
const TC_ENUM: u8 = 0x7e;
const SC_WRITE_METHOD: u8 = 0x01;
const SC_SERIALIZABLE: u8 = 0x02;
const SC_EXTERNALIZABLE: u8 = 0x04;
const SC_BLOCK_DATA: u8 = 0x08;
const MAX_DEPTH: usize = 64;

#[derive(Clone)]
struct ClassDesc {
    name: String,
    flags: u8,
    /// Field type codes, in order ('B','C','D','F','I','J','S','Z','[','L').
    fields: Vec<u8>,
    superclass: Option<usize>,
}

enum Handle {
    Class(usize),
    Other,
}

/// Walks one serialized object (stream header included) and returns how many bytes it
/// takes. Nothing is instantiated: the walker only follows the grammar (Java Object
/// Serialization Specification, chapter 6) to find the end. `base` is the absolute offset
/// of `data`, for errors.
pub(crate) fn serialized_object_len(data: &[u8], base: usize) -> Result<usize, KeystoreError> {
    let mut w = Walker {
        r: Reader::new(data, Format::Jceks),
        base,
        classes: Vec::new(),
        handles: Vec::new(),
    };
    let magic = w.r.u16("serialization stream magic")?;
    let version = w.r.u16("serialization stream version")?;
    if magic != 0xaced || version != 5 {
        return Err(w.err(
            0,
            "secret key entry is not a Java serialization stream (ACED0005)",
        ));
    }
    w.content(0)?;
    Ok(w.r.pos())
}

struct Walker<'a> {
    r: Reader<'a>,
    base: usize,
    classes: Vec<ClassDesc>,
    handles: Vec<Handle>,
}

impl Walker<'_> {
    fn err(&self, at: usize, detail: &str) -> KeystoreError {
        KeystoreError::malformed(Format::Jceks, self.base + at, detail.to_string())
    }

    fn lift<T>(&self, r: Result<T, KeystoreError>) -> Result<T, KeystoreError> {
        r.map_err(|e| match e {
            KeystoreError::Malformed { offset, detail, .. } => {
                KeystoreError::malformed(Format::Jceks, self.base + offset, detail)
            }
            e => e,
        })
    }

    fn u8(&mut self) -> Result<u8, KeystoreError> {
        let r = self.r.u8("serialized object");
        self.lift(r)
    }

    fn skip(&mut self, n: usize) -> Result<(), KeystoreError> {
        let r = self.r.bytes(n, "serialized object").map(|_| ());
        self.lift(r)
    }

    fn u16(&mut self) -> Result<u16, KeystoreError> {
        let r = self.r.u16("serialized object");
        self.lift(r)
    }

    fn u32(&mut self) -> Result<u32, KeystoreError> {
        let r = self.r.u32("serialized object");
        self.lift(r)
    }

    fn utf(&mut self) -> Result<String, KeystoreError> {
        let r = self.r.utf("serialized string");
        self.lift(r)
    }

    fn check_depth(&self, depth: usize) -> Result<(), KeystoreError> {
        if depth > MAX_DEPTH {
            return Err(self.err(self.r.pos(), "serialized object nested too deeply"));
        }
        Ok(())
    }

    /// One `content` item: an object or block data. Returns the class index for class
    /// descriptors, so callers needing one can check.
    fn content(&mut self, depth: usize) -> Result<Option<usize>, KeystoreError> {
        self.check_depth(depth)?;
        let at = self.r.pos();
        let tc = self.u8()?;
        match tc {
            TC_NULL | TC_RESET => Ok(None),
            TC_REFERENCE => {
                let h = self.u32()?;
                let idx = h.wrapping_sub(0x7e_0000) as usize;
                match self.handles.get(idx) {
                    Some(Handle::Class(c)) => Ok(Some(*c)),
                    Some(Handle::Other) => Ok(None),
                    None => Err(self.err(at, "reference to an unknown handle")),
                }
            }
            TC_CLASSDESC => self.class_desc(depth).map(Some),
            TC_PROXYCLASSDESC => {
                let handle = self.handles.len();
                self.handles.push(Handle::Other);
                let n = self.u32()? as usize;
                if n > self.r.remaining() / 2 {
                    return Err(self.err(at, "proxy interface count past the end"));
                }
                for _ in 0..n {
                    self.utf()?;
                }
                self.annotation(depth)?;
                let superclass = self.content(depth + 1)?;
                let idx = self.classes.len();
                self.classes.push(ClassDesc {
                    name: String::new(),
                    flags: SC_SERIALIZABLE,
                    fields: Vec::new(),
                    superclass,
                });
                self.handles[handle] = Handle::Class(idx);
                Ok(Some(idx))
            }
            TC_OBJECT => {
                let class = self.class_ref(depth, at)?;
                self.handles.push(Handle::Other);
                let mut hierarchy = Vec::new();
                let mut c = Some(class);
                while let Some(i) = c {
                    if hierarchy.len() > MAX_DEPTH || hierarchy.contains(&i) {
                        return Err(self.err(at, "class hierarchy loops or is too deep"));
                    }
                    hierarchy.push(i);
                    c = self.classes[i].superclass;
                }
                for &i in hierarchy.iter().rev() {
                    let desc = self.classes[i].clone();
                    if desc.flags & SC_EXTERNALIZABLE != 0 {
                        if desc.flags & SC_BLOCK_DATA == 0 {
                            return Err(KeystoreError::Unsupported(
                                "serialization protocol 1 externalizable data".into(),
                            ));
                        }
                        self.annotation(depth)?;
                    } else if desc.flags & SC_SERIALIZABLE != 0 {
                        for f in &desc.fields {
                            self.value(*f, depth)?;
                        }
                        if desc.flags & SC_WRITE_METHOD != 0 {
                            self.annotation(depth)?;
                        }
                    }
                }
                Ok(None)
            }
            TC_CLASS => {
                self.class_ref(depth, at)?;
                self.handles.push(Handle::Other);
                Ok(None)
            }
            TC_ARRAY => {
                let class = self.class_ref(depth, at)?;
                self.handles.push(Handle::Other);
                let n = self.u32()? as usize;
                let elem = self.classes[class]
                    .name
                    .as_bytes()
                    .get(1)
                    .copied()
                    .unwrap_or(b'L');
                let size = prim_size(elem);
                let need = n.checked_mul(size.unwrap_or(1));
                if need.is_none_or(|need| need > self.r.remaining()) {
                    return Err(self.err(at, "array length past the end"));
                }
                match size {
                    Some(s) => self.skip(n * s)?,
                    None => {
                        for _ in 0..n {
                            self.content(depth + 1)?;
                        }
                    }
                }
                Ok(None)
            }
            TC_STRING => {
                self.handles.push(Handle::Other);
                self.utf()?;
                Ok(None)
            }
            TC_LONGSTRING => {
                self.handles.push(Handle::Other);
                let hi = self.u32()? as u64;
                let lo = self.u32()? as u64;
                let n = (hi << 32) | lo;
                if n > self.r.remaining() as u64 {
                    return Err(self.err(at, "long string past the end"));
                }
                self.skip(n as usize)?;
                Ok(None)
            }
            TC_ENUM => {
                self.class_ref(depth, at)?;
                self.handles.push(Handle::Other);
                self.content(depth + 1)?;
                Ok(None)
            }
            TC_BLOCKDATA => {
                let n = self.u8()? as usize;
                self.skip(n)?;
                Ok(None)
            }
            TC_BLOCKDATALONG => {
                let n = self.u32()? as usize;
                self.skip(n)?;
                Ok(None)
            }
            other => Err(self.err(
                at,
                &format!("unsupported serialization type code 0x{other:02x}"),
            )),
        }
    }

    fn class_ref(&mut self, depth: usize, at: usize) -> Result<usize, KeystoreError> {
        match self.content(depth + 1)? {
            Some(c) => Ok(c),
            None => Err(self.err(at, "expected a class descriptor")),
        }
    }

    fn class_desc(&mut self, depth: usize) -> Result<usize, KeystoreError> {
        let name = self.utf()?;
        self.skip(8)?; // serialVersionUID
        let handle = self.handles.len();
        self.handles.push(Handle::Other);
        let flags = self.u8()?;
        let at = self.r.pos();
        let n = self.u16()? as usize;
        if n > self.r.remaining() / 3 {
            return Err(self.err(at, "field count past the end"));
        }
        let mut fields = Vec::with_capacity(n);
        for _ in 0..n {
            let fat = self.r.pos();
            let t = self.u8()?;
            self.utf()?;
            match t {
                b'B' | b'C' | b'D' | b'F' | b'I' | b'J' | b'S' | b'Z' => {}
                b'[' | b'L' => {
                    self.content(depth + 1)?; // the field's class name, a String
                }
                _ => return Err(self.err(fat, "unknown field type code")),
            }
            fields.push(t);
        }
        self.annotation(depth)?;
        let superclass = self.content(depth + 1)?;
        let idx = self.classes.len();
        self.classes.push(ClassDesc {
            name,
            flags,
            fields,
            superclass,
        });
        self.handles[handle] = Handle::Class(idx);
        Ok(idx)
    }

    /// Contents up to and including TC_ENDBLOCKDATA.
    fn annotation(&mut self, depth: usize) -> Result<(), KeystoreError> {
        loop {
            if self.r.remaining() == 0 {
                return Err(self.err(self.r.pos(), "serialized object ends inside an annotation"));
            }
            if self.r_peek() == Some(TC_ENDBLOCKDATA) {
                self.u8()?;
                return Ok(());
            }
            self.content(depth + 1)?;
        }
    }

    fn r_peek(&self) -> Option<u8> {
        self.r.peek()
    }

    fn value(&mut self, t: u8, depth: usize) -> Result<(), KeystoreError> {
        match prim_size(t) {
            Some(n) => self.skip(n),
            None => self.content(depth + 1).map(|_| ()),
        }
    }
}

fn prim_size(t: u8) -> Option<usize> {
    match t {
        b'B' | b'Z' => Some(1),
        b'C' | b'S' => Some(2),
        b'I' | b'F' => Some(4),
        b'J' | b'D' => Some(8),
        _ => None,
    }
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
        )
        .unwrap();
        assert_eq!(plain.as_slice(), &key[..]);
        // A wrong password fails the padding check or yields other bytes.
        match recover_key(
            Some(&params),
            data.value,
            &Password::new("changeme"),
            Format::Jceks,
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

    #[test]
    fn serialized_walker_rejects_garbage_without_panicking() {
        for data in [
            &b""[..],
            b"\xac\xed",
            b"\xac\xed\x00\x05",
            b"\xac\xed\x00\x05\x73\x71\x00\x7e\x00\x09",
            b"\xac\xed\x00\x05\x75\x70",
        ] {
            assert!(serialized_object_len(data, 0).is_err());
        }
    }
}
