//! Distinguished names: the subject and issuer of a certificate, as RFC 4514 strings and as
//! attributes.
//!
//! ```text
//! Name ::= CHOICE { rdnSequence RDNSequence }
//! RDNSequence ::= SEQUENCE OF RelativeDistinguishedName
//! RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue
//! AttributeTypeAndValue ::= SEQUENCE { type OBJECT IDENTIFIER, value ANY }
//! ```
//! (RFC 5280 §4.1.2.4; string form: RFC 4514 §2, last RDN first.)
//!
//! A name keeps only its original bytes; it is validated once when read and walked again
//! when a string is asked for. That keeps reading a certificate cheap: most names are
//! compared (as bytes) far more often than they are printed.

use const_oid::ObjectIdentifier;
use std::fmt;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use super::der_reader::DerBytes;
use super::der_reader::{DerReader, Tlv, OID, SEQUENCE, SET};
use super::{oids, ParseError};

/// One attribute of a name, e.g. `CN=rgra.example.com`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameAttribute {
    /// The attribute type.
    pub oid: ObjectIdentifier,
    /// Its short name (`CN`, `O`, `OU`, `DC`…) when known.
    pub short_name: Option<&'static str>,
    /// The value as text (string types decoded; anything else as `#` + hex of its DER, as
    /// RFC 4514 §2.4 prescribes).
    pub value: String,
    /// Index of the relative distinguished name this attribute belongs to (0 = first in
    /// the encoding, the most significant).
    pub rdn: usize,
}

/// A subject or issuer name, keeping its original encoding for exact comparisons.
#[derive(Clone)]
pub struct DistinguishedName {
    /// The Name's DER, shared with the certificate it was read from.
    der: DerBytes,
    x509: OnceLock<Option<x509_cert::name::Name>>,
}

impl PartialEq for DistinguishedName {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der
    }
}
impl Eq for DistinguishedName {}
impl std::hash::Hash for DistinguishedName {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.der.hash(state)
    }
}

/// Walks a Name, calling `f(rdn_index, oid_bytes, value_tlv)` for each attribute.
fn walk<'a>(
    der: &'a [u8],
    base: usize,
    mut f: impl FnMut(usize, &'a [u8], Tlv<'a>),
) -> Result<(), ParseError> {
    let mut top = DerReader::new(der, base);
    let seq = top.expect(SEQUENCE, "a Name (SEQUENCE)")?;
    if !top.is_empty() {
        return Err(ParseError::Der {
            offset: top.offset(),
            expected: "the end of the Name",
            detail: "trailing bytes".into(),
        });
    }
    let mut rdns = DerReader::inside(&seq);
    let mut i = 0;
    while !rdns.is_empty() {
        // One attribute per RDN, short lengths: read in one step.
        if let Some((oid, value)) = rdns.single_attribute_rdn() {
            f(i, oid, value);
            i += 1;
            continue;
        }
        let set = rdns.expect(SET, "a RelativeDistinguishedName (SET)")?;
        let mut atvs = DerReader::inside(&set);
        if atvs.is_empty() {
            return Err(ParseError::Der {
                offset: set.offset,
                expected: "at least one attribute in the RDN (SIZE 1..MAX)",
                detail: "empty SET".into(),
            });
        }
        while !atvs.is_empty() {
            let atv = atvs.expect(SEQUENCE, "an AttributeTypeAndValue")?;
            let mut parts = DerReader::inside(&atv);
            let oid = parts.expect(OID, "the attribute type OID")?;
            let value = parts.any("the attribute value")?;
            if !parts.is_empty() {
                return Err(ParseError::Der {
                    offset: parts.offset(),
                    expected: "the end of the AttributeTypeAndValue",
                    detail: "trailing bytes".into(),
                });
            }
            f(i, oid.value, value);
        }
        i += 1;
    }
    Ok(())
}

impl DistinguishedName {
    /// Validates and keeps a DER-encoded name; `base` is its offset in the enclosing input
    /// (for error messages).
    pub(crate) fn parse(der: &[u8], base: usize) -> Result<Self, ParseError> {
        // Structure only: attribute OIDs are checked when a name is turned into text
        // (an unreadable one prints as `?`), which keeps reading large stores cheap.
        walk(der, base, |_, _, _| {})?;
        Ok(DistinguishedName {
            der: DerBytes::from(der),
            x509: OnceLock::new(),
        })
    }

    /// Validates the name at `buf[range]` and keeps it without copying; offsets in errors
    /// are offsets in `buf`.
    pub(crate) fn parse_shared(buf: &Arc<[u8]>, range: Range<usize>) -> Result<Self, ParseError> {
        let der = buf.get(range.clone()).unwrap_or_default();
        walk(der, range.start, |_, _, _| {})?;
        Ok(DistinguishedName {
            der: DerBytes::shared(buf, range),
            x509: OnceLock::new(),
        })
    }

    /// Decodes a DER-encoded name.
    pub fn from_der(der: &[u8]) -> Result<Self, ParseError> {
        Self::parse(der, 0)
    }

    /// The DER encoding of the name (a SEQUENCE), as read.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The name decoded by `x509-cert`, for code that needs that type (`None` if that crate
    /// is stricter than ours about this name's encoding).
    pub fn as_x509(&self) -> Option<&x509_cert::name::Name> {
        self.x509
            .get_or_init(|| {
                use der::Decode;
                x509_cert::name::Name::from_der(&self.der).ok()
            })
            .as_ref()
    }

    /// Every attribute, in encoding order.
    pub fn attributes(&self) -> Vec<NameAttribute> {
        let mut out = Vec::new();
        let _ = walk(&self.der, 0, |rdn, oid, v| {
            if let Ok(oid) = ObjectIdentifier::from_bytes(oid) {
                out.push(NameAttribute {
                    short_name: oids::attribute_name(&oid),
                    oid,
                    value: value_text(&v),
                    rdn,
                });
            }
        });
        out
    }

    /// The values of one attribute type, in encoding order.
    pub fn values(&self, oid: &ObjectIdentifier) -> Vec<String> {
        let mut out = Vec::new();
        let _ = walk(&self.der, 0, |_, o, v| {
            if o == oid.as_bytes() {
                out.push(value_text(&v));
            }
        });
        out
    }

    /// The most specific common name (the last CN in the encoding, as JSSE and browsers pick).
    pub fn common_name(&self) -> Option<String> {
        self.values(&oids::known::COMMON_NAME).pop()
    }

    /// True for an empty name (a SEQUENCE with no RDNs).
    pub fn is_empty(&self) -> bool {
        self.der.len() <= 2
    }

    /// RFC 4514 string: most significant RDN last, `+` inside multi-valued RDNs, special
    /// characters escaped with a backslash.
    pub fn to_rfc4514(&self) -> String {
        // RFC 4514 prints the RDNs in reverse order: gather the attributes first, on the
        // stack for any usual name (a spill vector past 16 attributes).
        const SMALL: usize = 16;
        let empty = Atv {
            rdn: 0,
            oid: &[],
            tag: 0,
            value: &[],
            raw: &[],
        };
        let mut small = [empty; SMALL];
        let mut n = 0;
        let mut spill = Vec::new();
        let _ = walk(&self.der, 0, |rdn, oid, v| {
            let atv = Atv {
                rdn,
                oid,
                tag: v.tag,
                value: v.value,
                raw: v.raw,
            };
            match small.get_mut(n) {
                Some(slot) => {
                    *slot = atv;
                    n += 1;
                }
                None => spill.push(atv),
            }
        });
        let atvs = || small[..n].iter().chain(spill.iter()).rev();
        // Written as bytes and checked as UTF-8 once at the end; a value that is not valid
        // UTF-8 (rare) sends the name through again with lossy decoding per value.
        let out = write_rfc4514(atvs(), self.der.len(), false);
        String::from_utf8(out).unwrap_or_else(|_| {
            String::from_utf8(write_rfc4514(atvs(), self.der.len(), true)).unwrap_or_default()
        })
    }
}

/// The RFC 4514 text of the attributes, given last first.
fn write_rfc4514<'a, 'b: 'a>(
    atvs: impl Iterator<Item = &'a Atv<'b>>,
    capacity: usize,
    lossy: bool,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(capacity);
    // Within a multi-valued RDN the order is free (RFC 4514 §2.2); printing every
    // attribute in reverse encoding order matches OpenSSL's `-nameopt RFC2253`.
    let mut prev_rdn = None;
    for atv in atvs {
        if let Some(p) = prev_rdn {
            out.push(if p == atv.rdn { b'+' } else { b',' });
        }
        prev_rdn = Some(atv.rdn);
        match attribute_key(atv.oid) {
            Some(k) => out.extend_from_slice(k.as_bytes()),
            None => match ObjectIdentifier::from_bytes(atv.oid) {
                Ok(o) => out.extend_from_slice(o.to_string().as_bytes()),
                Err(_) => out.push(b'?'),
            },
        }
        out.push(b'=');
        atv.write_value(&mut out, lossy);
    }
    out
}

/// One attribute met while walking a name, kept by reference for printing.
#[derive(Clone, Copy)]
struct Atv<'a> {
    rdn: usize,
    oid: &'a [u8],
    tag: u8,
    value: &'a [u8],
    raw: &'a [u8],
}

impl Atv<'_> {
    /// The value as RFC 4514 text: strings escaped (§2.4), anything else `#` + hex.
    /// Unless `lossy`, UTF8String, PrintableString, IA5String and the other
    /// ASCII-compatible types are copied from the bytes unchecked (the caller checks the
    /// whole text once).
    fn write_value(&self, out: &mut Vec<u8>, lossy: bool) {
        if !lossy && matches!(self.tag, 0x0c | 0x12 | 0x13 | 0x16 | 0x1a | 0x1b) {
            escape_rfc4514_bytes(self.value, out);
            return;
        }
        let v = Tlv {
            tag: self.tag,
            offset: 0,
            raw: self.raw,
            value: self.value,
            value_offset: 0,
        };
        match string_value(&v) {
            Some(s) => escape_rfc4514_bytes(s.as_bytes(), out),
            None => {
                out.push(b'#');
                out.extend_from_slice(crate::hex(self.raw).as_bytes());
            }
        }
    }
}

/// Short names of the id-at arc (2.5.4.n) looked up by the last arc, others by table
/// (compared as encoded bytes: no OID is decoded to print a name).
fn attribute_key(oid: &[u8]) -> Option<&'static str> {
    if let [0x55, 0x04, n] = oid {
        match n {
            3 => return Some("CN"),
            6 => return Some("C"),
            7 => return Some("L"),
            8 => return Some("ST"),
            10 => return Some("O"),
            11 => return Some("OU"),
            _ => {}
        }
    }
    oids::attribute_name_bytes(oid)
}

impl fmt::Display for DistinguishedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc4514())
    }
}

impl fmt::Debug for DistinguishedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DistinguishedName({})", self.to_rfc4514())
    }
}

/// The text of a directory-string value, or `None` for a non-string type.
fn string_value(v: &Tlv<'_>) -> Option<String> {
    let b = v.value;
    Some(match v.tag {
        // UTF8String, NumericString, PrintableString, IA5String, VisibleString, GeneralString
        0x0c | 0x12 | 0x13 | 0x16 | 0x1a | 0x1b => String::from_utf8_lossy(b).into_owned(),
        // TeletexString: in practice Latin-1.
        0x14 => b.iter().map(|&c| c as char).collect(),
        // BMPString: UTF-16BE.
        0x1e => {
            let units: Vec<u16> = b
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c.get(1).copied().unwrap_or(0)]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        // UniversalString: UTF-32BE.
        0x1c => b
            .chunks(4)
            .map(|c| {
                let mut w = [0u8; 4];
                w[..c.len()].copy_from_slice(c);
                char::from_u32(u32::from_be_bytes(w)).unwrap_or('\u{fffd}')
            })
            .collect(),
        _ => return None,
    })
}

/// A value as text: decoded strings, anything else `#` + hex of its DER (RFC 4514 §2.4).
fn value_text(v: &Tlv<'_>) -> String {
    string_value(v).unwrap_or_else(|| format!("#{}", crate::hex(v.raw)))
}

/// Bytes RFC 4514 §2.4 escapes wherever they stand (NUL is written `\00`).
const ESCAPED: [bool; 256] = {
    let mut t = [false; 256];
    let specials = b"\"+,;<>\\\0";
    let mut i = 0;
    while i < specials.len() {
        t[specials[i] as usize] = true;
        i += 1;
    }
    t
};

/// RFC 4514 §2.4 escaping of UTF-8 text. Every byte that needs it is ASCII, so the scan
/// is over bytes and unescaped runs are copied whole.
fn escape_rfc4514_bytes(s: &[u8], out: &mut Vec<u8>) {
    let Some((&first, _)) = s.split_first() else {
        return;
    };
    let mut body = s;
    // A leading '#' or space, and a trailing space, are escaped too.
    if first == b'#' || first == b' ' {
        out.push(b'\\');
        out.push(first);
        body = &s[1..];
    }
    let trailing_space = body.last() == Some(&b' ');
    if trailing_space {
        body = &body[..body.len() - 1];
    }
    while let Some(i) = body.iter().position(|&c| ESCAPED[c as usize]) {
        out.extend_from_slice(&body[..i]);
        out.push(b'\\');
        match body[i] {
            0 => out.extend_from_slice(b"00"),
            c => out.push(c),
        }
        body = &body[i + 1..];
    }
    out.extend_from_slice(body);
    if trailing_space {
        out.extend_from_slice(b"\\ ");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esc(s: &str) -> String {
        let mut o = Vec::new();
        escape_rfc4514_bytes(s.as_bytes(), &mut o);
        String::from_utf8(o).unwrap()
    }

    #[test]
    fn escapes_per_rfc4514() {
        assert_eq!(esc("a,b"), "a\\,b");
        assert_eq!(esc(" lead"), "\\ lead");
        assert_eq!(esc("trail "), "trail\\ ");
        assert_eq!(esc("#x"), "\\#x");
        assert_eq!(esc("plain"), "plain");
        assert_eq!(esc("a\0b"), "a\\00b");
        assert_eq!(esc("Zürich, \"HQ\" "), "Zürich\\, \\\"HQ\\\"\\ ");
        assert_eq!(esc(" "), "\\ ");
        assert_eq!(esc(""), "");
    }

    #[test]
    fn invalid_utf8_is_replaced_not_copied() {
        // CN as a UTF8String holding 61 ff 62: the fast writer's whole-text check fails and
        // the name is written again with lossy decoding.
        let der = [
            0x30, 0x0e, 0x31, 0x0c, 0x30, 0x0a, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x03, 0x61,
            0xff, 0x62,
        ];
        let n = DistinguishedName::from_der(&der).unwrap();
        assert_eq!(n.to_rfc4514(), "CN=a\u{fffd}b");
    }

    #[test]
    fn multi_valued_rdn_and_unknown_attribute() {
        // SET { CN=a, OU=b } (read element by element, not by the one-attribute fast path),
        // then an RDN with an attribute type that has no short name (2.5.4.99).
        let der = [
            0x30, 0x22, 0x31, 0x14, 0x30, 0x08, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x01, 0x61,
            0x30, 0x08, 0x06, 0x03, 0x55, 0x04, 0x0b, 0x0c, 0x01, 0x62, 0x31, 0x0a, 0x30, 0x08,
            0x06, 0x03, 0x55, 0x04, 0x63, 0x0c, 0x01, 0x2c,
        ];
        let n = DistinguishedName::from_der(&der).unwrap();
        assert_eq!(n.to_rfc4514(), "2.5.4.99=\\,,OU=b+CN=a");
        assert_eq!(n.attributes().len(), 3);
    }

    #[test]
    fn empty_rdn_set_is_refused() {
        // SEQUENCE { SET {} }
        assert!(DistinguishedName::from_der(&[0x30, 0x02, 0x31, 0x00]).is_err());
        assert!(DistinguishedName::from_der(&[0x30, 0x00])
            .unwrap()
            .is_empty());
    }
}
