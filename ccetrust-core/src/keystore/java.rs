//! Java's stream formats, as `DataInputStream`/`ObjectInputStream` write them: a
//! bounds-checked big-endian reader, modified UTF-8 (`readUTF`), and the extent of one
//! Java-serialized object (a JCEKS secret-key entry) found without deserializing it.
//!
//! Shared by the JKS/JCEKS container (`jks.rs`); it knows no keystore format itself, so
//! the formats depend on it and it on none of them.

use super::{Format, KeystoreError};

/// The first four bytes of a JKS keystore.
pub(crate) const JKS_MAGIC: u32 = 0xFEED_FEED;
/// The first four bytes of a JCEKS keystore.
pub(crate) const JCEKS_MAGIC: u32 = 0xCECE_CECE;

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

    /// The bytes not read yet.
    pub(crate) fn rest(&self) -> &'a [u8] {
        &self.data[self.pos..]
    }

    /// The format errors are reported in.
    pub(crate) fn format(&self) -> Format {
        self.format
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
    pub(crate) fn sized(&mut self, what: &str) -> Result<(usize, &'a [u8]), KeystoreError> {
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
