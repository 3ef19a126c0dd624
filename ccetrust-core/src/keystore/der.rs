//! A few DER building blocks for writing keystores (PKCS#12 structures, PKCS#8 wrappers),
//! and the reading side's bridge from the certificate module's walker to keystore errors.

use crate::cert::der_reader::{DerReader, Tlv};
use crate::cert::ParseError;

use super::{Format, KeystoreError};

pub(crate) use crate::cert::der_reader::{INTEGER, OCTET_STRING, OID, SEQUENCE, SET};
pub(crate) const NULL: u8 = 0x05;
pub(crate) const BIT_STRING: u8 = 0x03;
pub(crate) const BMP_STRING: u8 = 0x1e;
pub(crate) const CONTEXT_0: u8 = 0xa0;
pub(crate) const CONTEXT_0_PRIMITIVE: u8 = 0x80;

/// One element: tag, length, content.
pub(crate) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(tag);
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes = (n as u64).to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (8 - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// A constructed element from already-encoded parts.
pub(crate) fn cons(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
    tlv(tag, &parts.concat())
}

pub(crate) fn seq(parts: &[&[u8]]) -> Vec<u8> {
    cons(SEQUENCE, parts)
}

pub(crate) fn octets(content: &[u8]) -> Vec<u8> {
    tlv(OCTET_STRING, content)
}

/// A non-negative INTEGER.
pub(crate) fn uint(v: u64) -> Vec<u8> {
    let bytes = v.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count().min(7);
    let mut content = bytes[skip..].to_vec();
    if content[0] & 0x80 != 0 {
        content.insert(0, 0);
    }
    tlv(INTEGER, &content)
}

/// An OBJECT IDENTIFIER from its dotted form (a constant of this crate).
pub(crate) fn oid(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u64> = dotted.split('.').filter_map(|a| a.parse().ok()).collect();
    let mut content = Vec::new();
    if arcs.len() >= 2 {
        push_base128(&mut content, arcs[0] * 40 + arcs[1]);
        for a in &arcs[2..] {
            push_base128(&mut content, *a);
        }
    }
    tlv(OID, &content)
}

fn push_base128(out: &mut Vec<u8>, mut v: u64) {
    let mut tmp = [0u8; 10];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = (v & 0x7f) as u8 | if i == tmp.len() - 1 { 0 } else { 0x80 };
        v >>= 7;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&tmp[i..]);
}

/// The dotted form of an OID's content octets.
pub(crate) fn oid_string(content: &[u8]) -> String {
    let mut arcs: Vec<u64> = Vec::new();
    let mut v: u64 = 0;
    for &b in content {
        v = (v << 7) | (b & 0x7f) as u64;
        if b & 0x80 == 0 {
            if arcs.is_empty() {
                let first = (v / 40).min(2);
                arcs.push(first);
                arcs.push(v - first * 40);
            } else {
                arcs.push(v);
            }
            v = 0;
        }
        if v > u64::MAX >> 8 {
            return "(invalid OID)".to_string();
        }
    }
    arcs.iter()
        .map(|a| a.to_string())
        .collect::<Vec<_>>()
        .join(".")
}

/// A BMPString (UTF-16BE), as PKCS#12 friendly names are.
pub(crate) fn bmp(text: &str) -> Vec<u8> {
    let mut content = Vec::with_capacity(text.len() * 2);
    for u in text.encode_utf16() {
        content.extend_from_slice(&u.to_be_bytes());
    }
    tlv(BMP_STRING, &content)
}

/// Reads an INTEGER's content as a u64 (non-negative, at most 8 octets).
pub(crate) fn read_uint(t: &Tlv<'_>, format: Format) -> Result<u64, KeystoreError> {
    let v = t.value;
    if t.tag != INTEGER
        || v.is_empty()
        || v[0] & 0x80 != 0
        || v.len() > 9
        || (v.len() == 9 && v[0] != 0)
    {
        return Err(KeystoreError::malformed(
            format,
            t.offset,
            "expected a small non-negative INTEGER",
        ));
    }
    Ok(v.iter().fold(0u64, |acc, b| (acc << 8) | *b as u64))
}

/// Maps the walker's error into a keystore error of `format`.
pub(crate) fn err(format: Format) -> impl Fn(ParseError) -> KeystoreError {
    move |e| match e {
        ParseError::Der {
            offset,
            expected,
            detail,
        } => KeystoreError::malformed(format, offset, format!("expected {expected}: {detail}")),
        other => KeystoreError::malformed(format, other.offset().unwrap_or(0), other.to_string()),
    }
}

/// A reader whose errors are already keystore errors.
pub(crate) struct Der<'a> {
    inner: DerReader<'a>,
    format: Format,
}

impl<'a> Der<'a> {
    pub(crate) fn new(input: &'a [u8], base: usize, format: Format) -> Self {
        Der {
            inner: DerReader::new(input, base),
            format,
        }
    }

    pub(crate) fn inside(t: &Tlv<'a>, format: Format) -> Self {
        Der {
            inner: DerReader::inside(t),
            format,
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    pub(crate) fn any(&mut self, what: &'static str) -> Result<Tlv<'a>, KeystoreError> {
        self.inner.any(what).map_err(err(self.format))
    }

    pub(crate) fn expect(&mut self, tag: u8, what: &'static str) -> Result<Tlv<'a>, KeystoreError> {
        self.inner.expect(tag, what).map_err(err(self.format))
    }

    pub(crate) fn oid(&mut self, what: &'static str) -> Result<String, KeystoreError> {
        Ok(oid_string(self.expect(OID, what)?.value))
    }

    pub(crate) fn end(&self, what: &str) -> Result<(), KeystoreError> {
        if self.inner.is_empty() {
            Ok(())
        } else {
            Err(KeystoreError::malformed(
                self.format,
                self.inner.offset(),
                format!("unexpected data after {what}"),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oid_round_trip() {
        for o in [
            "1.2.840.113549.1.12.10.1.3",
            "2.16.840.1.113894.746875.1.1",
            "1.3.6.1.4.1.42.2.17.1.1",
        ] {
            let enc = oid(o);
            assert_eq!(oid_string(&enc[2..]), o);
        }
    }

    #[test]
    fn long_lengths() {
        let v = vec![7u8; 300];
        let t = tlv(OCTET_STRING, &v);
        assert_eq!(&t[..4], &[0x04, 0x82, 0x01, 0x2c]);
        assert_eq!(uint(128), vec![2, 2, 0, 128]);
        assert_eq!(uint(0), vec![2, 1, 0]);
    }
}
