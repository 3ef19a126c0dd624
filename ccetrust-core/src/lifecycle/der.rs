//! The few DER building blocks the certificate and CSR encoders need (X.690 §8, DER rules
//! of §10): definite lengths, minimal INTEGERs, OIDs from dotted text, times as RFC 5280
//! §4.1.2.5 wants them (UTCTime through 2049, GeneralizedTime from 2050).

use crate::time::Timestamp;

pub(crate) const BOOLEAN: u8 = 0x01;
pub(crate) const INTEGER: u8 = 0x02;
pub(crate) const BIT_STRING: u8 = 0x03;
pub(crate) const OCTET_STRING: u8 = 0x04;
pub(crate) const NULL: u8 = 0x05;
pub(crate) const OID: u8 = 0x06;
pub(crate) const UTF8_STRING: u8 = 0x0c;
pub(crate) const PRINTABLE_STRING: u8 = 0x13;
pub(crate) const UTC_TIME: u8 = 0x17;
pub(crate) const GENERALIZED_TIME: u8 = 0x18;
pub(crate) const SET: u8 = 0x31;

// Tag, length and content: the keystore writer's (one DER writer for the crate).
pub(crate) use crate::keystore::der::{cons, seq, tlv};

/// A SET OF `parts`, sorted by their encodings as DER requires (X.690 §11.6).
pub(crate) fn set_of(parts: &[Vec<u8>]) -> Vec<u8> {
    let mut sorted: Vec<&Vec<u8>> = parts.iter().collect();
    sorted.sort();
    let refs: Vec<&[u8]> = sorted.iter().map(|p| p.as_slice()).collect();
    cons(SET, &refs)
}

/// A non-negative INTEGER from big-endian magnitude bytes (leading zeros dropped, a zero
/// byte added when the top bit is set).
pub(crate) fn uint_bytes(magnitude: &[u8]) -> Vec<u8> {
    let skip = magnitude.iter().take_while(|b| **b == 0).count();
    let m = &magnitude[skip.min(magnitude.len().saturating_sub(1))..];
    let mut content = Vec::with_capacity(m.len() + 1);
    if m.first().is_none_or(|b| b & 0x80 != 0) {
        content.push(0);
    }
    content.extend_from_slice(m);
    tlv(INTEGER, &content)
}

/// An OBJECT IDENTIFIER from its dotted form. Only called with the constants of this
/// module's callers, which are well-formed.
pub(crate) fn oid(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u64> = dotted.split('.').filter_map(|a| a.parse().ok()).collect();
    let mut content = Vec::new();
    let (first, rest) = match arcs.as_slice() {
        [a, b, rest @ ..] => (a * 40 + b, rest),
        _ => (0, &[][..]),
    };
    for arc in std::iter::once(first).chain(rest.iter().copied()) {
        let mut chunk = vec![(arc & 0x7f) as u8];
        let mut v = arc >> 7;
        while v > 0 {
            chunk.push(0x80 | (v & 0x7f) as u8);
            v >>= 7;
        }
        chunk.reverse();
        content.extend_from_slice(&chunk);
    }
    tlv(OID, &content)
}

/// A BIT STRING with no unused bits.
pub(crate) fn bit_string(bytes: &[u8]) -> Vec<u8> {
    let mut content = Vec::with_capacity(bytes.len() + 1);
    content.push(0);
    content.extend_from_slice(bytes);
    tlv(BIT_STRING, &content)
}

/// An X.509 `Time`: UTCTime for 1950–2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5).
pub(crate) fn time(t: Timestamp) -> Vec<u8> {
    let (y, mo, d, h, mi, s) = t.to_civil();
    if (1950..2050).contains(&y) {
        let text = format!("{:02}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z", y % 100);
        tlv(UTC_TIME, text.as_bytes())
    } else {
        let text = format!("{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z");
        tlv(GENERALIZED_TIME, text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// X.690 §8.19: 1.2.840.113549 is 06 06 2a 86 48 86 f7 0d.
    #[test]
    fn oid_encodes_multi_byte_arcs() {
        assert_eq!(
            oid("1.2.840.113549"),
            [0x06, 0x06, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d]
        );
    }

    /// X.690 §8.3.2: minimal two's complement; a set top bit needs a leading zero.
    #[test]
    fn uint_is_minimal_and_positive() {
        assert_eq!(uint_bytes(&[0, 0, 0x7f]), [0x02, 1, 0x7f]);
        assert_eq!(uint_bytes(&[0x80]), [0x02, 2, 0, 0x80]);
        assert_eq!(uint_bytes(&[0, 0]), [0x02, 1, 0]);
    }

    /// RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
    #[test]
    fn time_switches_encoding_in_2050() {
        let Some(a) = Timestamp::from_civil(2049, 12, 31, 23, 59, 59) else {
            panic!("valid date")
        };
        let Some(b) = Timestamp::from_civil(2050, 1, 1, 0, 0, 0) else {
            panic!("valid date")
        };
        assert_eq!(time(a)[0], UTC_TIME);
        assert_eq!(&time(a)[2..], b"491231235959Z");
        assert_eq!(time(b)[0], GENERALIZED_TIME);
        assert_eq!(&time(b)[2..], b"20500101000000Z");
    }
}
