//! A minimal, bounds-checked DER walker that knows where it is.
//!
//! The `der` crate decodes typed structures; this walker is for the places where we need the
//! *original bytes* of an element (the to-be-signed part of a certificate, which must be
//! verified as received, never re-encoded) or a byte offset to put in an error message
//! (PKCS#7 bundles, RSA public keys, sniffing an unknown blob).

use super::ParseError;

mod der_bytes;
pub use der_bytes::DerBytes;

/// One DER element: its tag, where it starts, and its content.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tlv<'a> {
    /// The identifier octet (single-byte tags only; high tag numbers are rejected).
    pub tag: u8,
    /// Offset of the identifier octet from the start of the outermost input.
    pub offset: usize,
    /// The whole element: identifier, length and content.
    pub raw: &'a [u8],
    /// The content octets.
    pub value: &'a [u8],
    /// Offset of the first content octet from the start of the outermost input.
    pub value_offset: usize,
}

/// Reads consecutive DER elements from a slice, tracking absolute offsets.
pub(crate) struct DerReader<'a> {
    input: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> DerReader<'a> {
    /// A reader over `input`, whose first byte sits at absolute offset `base`.
    pub fn new(input: &'a [u8], base: usize) -> Self {
        DerReader {
            input,
            pos: 0,
            base,
        }
    }

    /// A reader over the content of `tlv`.
    pub fn inside(tlv: &Tlv<'a>) -> Self {
        DerReader::new(tlv.value, tlv.value_offset)
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.pos >= self.input.len()
    }

    /// Absolute offset of the next element.
    pub fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// The tag of the next element, if any.
    #[inline]
    pub fn peek_tag(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    /// Checks that nothing is left after the last element of `what`.
    #[inline]
    pub fn finish(&self, what: &'static str) -> Result<(), ParseError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self.trailing(what))
        }
    }

    #[cold]
    #[inline(never)]
    fn trailing(&self, what: &'static str) -> ParseError {
        ParseError::Der {
            offset: self.offset(),
            expected: what,
            detail: "unexpected bytes after it".into(),
        }
    }

    /// Reads the next element, whatever its tag. Inlined everywhere: the walk of a
    /// certificate is ~100 of these, and the short path is a handful of instructions.
    #[inline(always)]
    pub fn any(&mut self, what: &'static str) -> Result<Tlv<'a>, ParseError> {
        let start = self.pos;
        let input = self.input;
        // Fast path: a low tag number with a short, one- or two-octet length (every element
        // of a certificate but the outer two); the rest, and anything broken, the long way.
        let Some((tag, header, len)) = short_header(input, start) else {
            return self.any_general(what);
        };
        let value_start = start + header;
        let end = value_start + len;
        match (input.get(start..end), input.get(value_start..end)) {
            (Some(raw), Some(value)) => {
                self.pos = end;
                Ok(Tlv {
                    tag,
                    offset: self.base + start,
                    raw,
                    value,
                    value_offset: self.base + value_start,
                })
            }
            _ => self.any_general(what),
        }
    }

    /// The general reader: every header form, and the error that says what is wrong.
    /// The fast path above hands over to it for long lengths and for anything broken, so
    /// both agree on what is accepted and errors are built only off the hot path.
    #[cold]
    #[inline(never)]
    fn any_general(&mut self, what: &'static str) -> Result<Tlv<'a>, ParseError> {
        let start = self.pos;
        let abs = self.base + start;
        let tag = *self.input.get(start).ok_or_else(|| ParseError::Der {
            offset: abs,
            expected: what,
            detail: "input ended".into(),
        })?;
        if tag & 0x1f == 0x1f {
            return Err(ParseError::Der {
                offset: abs,
                expected: what,
                detail: format!("high tag number form (0x{tag:02x}) not supported"),
            });
        }
        let len_off = start + 1;
        let first = *self.input.get(len_off).ok_or_else(|| ParseError::Der {
            offset: abs + 1,
            expected: what,
            detail: "length missing".into(),
        })?;
        let (len, header) = if first < 0x80 {
            (first as usize, 2)
        } else {
            let n = (first & 0x7f) as usize;
            if n == 0 {
                return Err(ParseError::Der {
                    offset: abs + 1,
                    expected: what,
                    detail: "indefinite length is not DER".into(),
                });
            }
            if n > 4 {
                return Err(ParseError::Der {
                    offset: abs + 1,
                    expected: what,
                    detail: format!("length of {n} octets is too large"),
                });
            }
            let bytes = self
                .input
                .get(len_off + 1..len_off + 1 + n)
                .ok_or_else(|| ParseError::Der {
                    offset: abs + 1,
                    expected: what,
                    detail: "length octets past the end".into(),
                })?;
            let mut len = 0usize;
            for b in bytes {
                len = (len << 8) | *b as usize;
            }
            (len, 2 + n)
        };
        let value_start = start + header;
        let end = value_start
            .checked_add(len)
            .ok_or_else(|| ParseError::Der {
                offset: abs + 1,
                expected: what,
                detail: "length overflows".into(),
            })?;
        if end > self.input.len() {
            return Err(ParseError::Der {
                offset: abs + 1,
                expected: what,
                detail: format!(
                    "length {len} runs past the end of the input ({} bytes left)",
                    self.input.len() - value_start.min(self.input.len())
                ),
            });
        }
        self.pos = end;
        Ok(Tlv {
            tag,
            offset: abs,
            raw: &self.input[start..end],
            value: &self.input[value_start..end],
            value_offset: self.base + value_start,
        })
    }

    /// Reads a `SET { SEQUENCE { OID, value } }` with short-form lengths throughout: the
    /// shape of nearly every relative distinguished name (one attribute). Returns the OID's
    /// content and the value; `None` (nothing consumed) for any other shape or anything
    /// broken, which the caller then reads element by element, with errors.
    #[inline]
    pub fn single_attribute_rdn(&mut self) -> Option<(&'a [u8], Tlv<'a>)> {
        let start = self.pos;
        let p = self.input.get(start..)?;
        let [0x31, set_len, 0x30, seq_len, 0x06, oid_len, ..] = *p else {
            return None;
        };
        let (set_len, seq_len, oid_len) = (set_len as usize, seq_len as usize, oid_len as usize);
        if set_len >= 0x80 || seq_len + 2 != set_len || oid_len >= 0x80 {
            return None;
        }
        let oid = p.get(6..6 + oid_len)?;
        let v = 6 + oid_len;
        let (tag, len) = match *p.get(v..v + 2)? {
            [tag, len] => (tag, len as usize),
            _ => return None,
        };
        if tag & 0x1f == 0x1f || len >= 0x80 || v + 2 + len != 2 + set_len {
            return None;
        }
        let raw = p.get(v..v + 2 + len)?;
        let value = p.get(v + 2..v + 2 + len)?;
        self.pos = start + 2 + set_len;
        Some((
            oid,
            Tlv {
                tag,
                offset: self.base + start + v,
                raw,
                value,
                value_offset: self.base + start + v + 2,
            },
        ))
    }

    /// Reads the next element and checks its tag.
    #[inline(always)]
    pub fn expect(&mut self, tag: u8, what: &'static str) -> Result<Tlv<'a>, ParseError> {
        if self.peek_tag() == Some(tag) {
            self.any(what)
        } else {
            Err(self.wrong_tag(tag, what))
        }
    }

    #[cold]
    #[inline(never)]
    fn wrong_tag(&self, tag: u8, what: &'static str) -> ParseError {
        let at = self.offset();
        match self.peek_tag() {
            Some(t) => ParseError::Der {
                offset: at,
                expected: what,
                detail: format!("found tag 0x{t:02x}, wanted 0x{tag:02x}"),
            },
            None => ParseError::Der {
                offset: at,
                expected: what,
                detail: "input ended".into(),
            },
        }
    }
}

/// Tag, header length and content length of the element at `start`, for the common forms.
#[inline(always)]
fn short_header(input: &[u8], start: usize) -> Option<(u8, usize, usize)> {
    let tag = *input.get(start)?;
    let first = *input.get(start + 1)?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    match first {
        0..=0x7f => Some((tag, 2, first as usize)),
        0x81 => Some((tag, 3, *input.get(start + 2)? as usize)),
        0x82 => {
            let b = input.get(start + 2..start + 4)?;
            Some((tag, 4, ((b[0] as usize) << 8) | b[1] as usize))
        }
        _ => None,
    }
}

pub(crate) const SEQUENCE: u8 = 0x30;
pub(crate) const SET: u8 = 0x31;
pub(crate) const INTEGER: u8 = 0x02;
pub(crate) const OID: u8 = 0x06;
pub(crate) const OCTET_STRING: u8 = 0x04;

/// Splits a certificate (or CSR, or CRL: any `SEQUENCE { tbs, algorithm, signature }`) into
/// the original to-be-signed bytes. Signatures are verified over exactly these bytes.
pub(crate) fn signed_part(der: &[u8]) -> Result<&[u8], ParseError> {
    let mut outer = DerReader::new(der, 0);
    let seq = outer.expect(SEQUENCE, "a signed SEQUENCE")?;
    let mut inner = DerReader::inside(&seq);
    Ok(inner.expect(SEQUENCE, "the to-be-signed SEQUENCE")?.raw)
}

/// Bit length of a DER INTEGER's magnitude (leading zero octets ignored).
pub(crate) fn integer_bits(value: &[u8]) -> u32 {
    let mut v = value;
    while let [0, rest @ ..] = v {
        v = rest;
    }
    match v.first() {
        None => 0,
        Some(first) => (v.len() as u32 - 1) * 8 + (8 - first.leading_zeros()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_past_end_is_an_error_with_offset() {
        let mut r = DerReader::new(&[0x30, 0x05, 0x01], 10);
        match r.any("x") {
            Err(ParseError::Der { offset, .. }) => assert_eq!(offset, 11),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn long_form_length() {
        let mut data = vec![0x04, 0x81, 0x80];
        data.extend(std::iter::repeat_n(7u8, 0x80));
        let mut r = DerReader::new(&data, 0);
        let t = r.any("x").unwrap();
        assert_eq!(t.value.len(), 0x80);
        assert_eq!(t.value_offset, 3);
        assert!(r.is_empty());
    }

    #[test]
    fn integer_bits_ignores_sign_octet() {
        assert_eq!(integer_bits(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(integer_bits(&[0x01]), 1);
        assert_eq!(integer_bits(&[]), 0);
    }

    /// Every element reachable from `r` (descending into constructed ones), read with
    /// `read`, as (tag, offset, value offset, length) or the error's text.
    fn elements(
        r: &mut DerReader<'_>,
        read: for<'r, 'b> fn(&'r mut DerReader<'b>) -> Result<Tlv<'b>, ParseError>,
        out: &mut Vec<String>,
    ) {
        while !r.is_empty() {
            match read(r) {
                Ok(t) => {
                    out.push(format!(
                        "{:02x}@{}/{}+{} raw {}",
                        t.tag,
                        t.offset,
                        t.value_offset,
                        t.value.len(),
                        t.raw.len()
                    ));
                    if t.tag & 0x20 != 0 {
                        elements(&mut DerReader::inside(&t), read, out);
                    }
                }
                Err(e) => {
                    out.push(e.to_string());
                    return;
                }
            }
        }
    }

    fn real_certificates() -> Vec<Vec<u8>> {
        let pem = include_bytes!("../../../tests/data/bench/leaves.pem");
        crate::cert::pem::parse_blocks(pem)
            .unwrap()
            .into_iter()
            .take(5)
            .map(|b| b.der)
            .collect()
    }

    /// The fast path and the general reader agree on every element and every error.
    fn same_reading(data: &[u8]) {
        let (mut fast, mut general) = (Vec::new(), Vec::new());
        elements(&mut DerReader::new(data, 7), |r| r.any("x"), &mut fast);
        elements(
            &mut DerReader::new(data, 7),
            |r| r.any_general("x"),
            &mut general,
        );
        assert_eq!(fast, general);
    }

    #[test]
    fn fast_path_reads_real_certificates_like_the_general_reader() {
        for der in real_certificates() {
            same_reading(&der);
            for cut in [1, 2, 3, 4, 5, 17, 100, der.len() / 2, der.len() - 1] {
                same_reading(&der[..cut]);
            }
        }
    }

    /// The one-step RDN reader returns what reading element by element returns, and
    /// declines (consuming nothing) whenever the shape differs.
    fn same_rdn(data: &[u8]) -> bool {
        let mut fast = DerReader::new(data, 3);
        let got = fast.single_attribute_rdn();
        let mut slow = DerReader::new(data, 3);
        let general = (|| {
            let set = slow.expect(SET, "set").ok()?;
            let mut atvs = DerReader::inside(&set);
            let atv = atvs.expect(SEQUENCE, "atv").ok()?;
            atvs.finish("set").ok()?;
            let mut parts = DerReader::inside(&atv);
            let oid = parts.expect(OID, "oid").ok()?;
            let v = parts.any("value").ok()?;
            parts.finish("atv").ok()?;
            Some((oid.value, v))
        })();
        match got {
            Some((oid, v)) => {
                let (goid, gv) = general.expect("fast path accepted what the reader refuses");
                assert_eq!(oid, goid);
                assert_eq!(
                    (v.tag, v.offset, v.value_offset, v.value, v.raw),
                    (gv.tag, gv.offset, gv.value_offset, gv.value, gv.raw)
                );
                assert_eq!(fast.offset(), slow.offset());
                true
            }
            None => {
                assert_eq!(fast.offset(), 3, "declined but consumed");
                false
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn fast_path_agrees_on_arbitrary_bytes(data in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::strategy::Just(0x30u8), proptest::strategy::Just(0x31u8),
                proptest::strategy::Just(0x06u8), proptest::strategy::Just(0x81u8),
                proptest::strategy::Just(0x82u8), proptest::strategy::Just(0x00u8),
                proptest::strategy::Just(0x1fu8), 0u8..0x10, proptest::num::u8::ANY,
            ], 0..64)) {
            same_reading(&data);
            let _ = same_rdn(&data);
        }

        #[test]
        fn fast_path_agrees_on_damaged_certificates(pos in 0usize..1200, byte in proptest::num::u8::ANY) {
            for mut der in real_certificates().into_iter().take(2) {
                let at = pos % der.len();
                der[at] = byte;
                same_reading(&der);
            }
        }
    }

    #[test]
    fn rdn_fast_path_matches_real_names() {
        for der in real_certificates() {
            // Every offset: real RDNs where they start, everything else declined.
            let taken = (0..der.len()).filter(|&at| same_rdn(&der[at..])).count();
            // Subject (4 RDNs) and issuer (3), plus any look-alike inside other fields.
            assert!(taken >= 7, "fast path taken {taken} times");
        }
    }
}
