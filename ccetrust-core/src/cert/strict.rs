//! The strict DER rules of RFC 5280's certificate syntax that the fast reader
//! (`certificate.rs`) does not check, checked once before a certificate is trusted.
//!
//! Reading a certificate for `inspect` or a keystore is deliberately tolerant: an
//! administrator must see a certificate with an odd encoding to be able to replace it. The
//! validator is not: a chain is only trusted if every certificate also obeys the encoding
//! rules a strict decoder enforces (the rules `x509-cert` applies when it decodes the
//! whole structure). Walking the bytes once more with our own reader costs a few hundred
//! nanoseconds, where decoding into `x509-cert`'s owned types cost several microseconds
//! per leaf. The test `strict_der_is_at_least_x509_cert` checks, on thousands of mutated
//! real certificates, that nothing passes here that `x509-cert` refuses.
//!
//! What is checked beyond the fast reader:
//! - every tag is one a DER decoder knows (no constructed strings, no unknown universal
//!   types) wherever a value of any type may stand (name values, algorithm parameters);
//! - OBJECT IDENTIFIERs are well formed: a last byte that ends a sub-identifier, arcs that
//!   fit 32 bits, at most 39 content bytes, the first two arcs in one byte;
//! - INTEGERs (version, serial number) are minimally encoded;
//! - BIT STRINGs (public key, unique identifiers) have 0–7 unused bits, none when empty;
//! - UTCTime and GeneralizedTime are from 1970 on.
//!
//! It runs on certificates the reader has accepted: what the reader checks (the structure,
//! lengths, a time's form and date) is not checked again.

use super::certificate::digits;
use super::der_reader::{DerReader, Tlv, INTEGER, OCTET_STRING, OID, SEQUENCE, SET};

/// Where a certificate breaks a strict DER rule, and which.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Offset of the element at fault from the start of the certificate.
    pub offset: usize,
    /// The rule, in words.
    pub rule: &'static str,
}

type Checked = Result<(), Violation>;

fn bad(t: &Tlv<'_>, rule: &'static str) -> Violation {
    Violation {
        offset: t.offset,
        rule,
    }
}

/// Reads the next element with `tag`, mapping a structural error to a violation at `at`.
fn expect<'a>(r: &mut DerReader<'a>, tag: u8, rule: &'static str) -> Result<Tlv<'a>, Violation> {
    let at = r.offset();
    r.expect(tag, rule)
        .map_err(|_| Violation { offset: at, rule })
}

fn next<'a>(r: &mut DerReader<'a>, rule: &'static str) -> Result<Tlv<'a>, Violation> {
    let at = r.offset();
    let t = r.any(rule).map_err(|_| Violation { offset: at, rule })?;
    known_tag(&t)?;
    Ok(t)
}

fn end(r: &DerReader<'_>, rule: &'static str) -> Checked {
    if r.is_empty() {
        Ok(())
    } else {
        Err(Violation {
            offset: r.offset(),
            rule,
        })
    }
}

/// Checks the certificate `der`, which the reader has accepted, against the strict rules.
pub(crate) fn check(der: &[u8]) -> Checked {
    let mut top = DerReader::new(der, 0);
    let cert = expect(&mut top, SEQUENCE, "a Certificate SEQUENCE")?;
    end(&top, "nothing after the certificate")?;
    let mut c = DerReader::inside(&cert);
    let tbs = expect(&mut c, SEQUENCE, "a TBSCertificate SEQUENCE")?;
    algorithm(&expect(&mut c, SEQUENCE, "an AlgorithmIdentifier")?)?;
    bit_string(&expect(&mut c, 0x03, "a signature BIT STRING")?)?;
    end(&c, "nothing after the signature")?;

    let mut t = DerReader::inside(&tbs);
    if t.peek_tag() == Some(0xa0) {
        let v = expect(&mut t, 0xa0, "the version [0]")?;
        let mut vr = DerReader::inside(&v);
        let n = expect(&mut vr, INTEGER, "the version INTEGER")?;
        end(&vr, "nothing after the version INTEGER")?;
        if !matches!(n.value, [0] | [1] | [2]) {
            return Err(bad(&n, "version v1, v2 or v3"));
        }
    }
    integer(&expect(&mut t, INTEGER, "the serial number INTEGER")?)?;
    algorithm(&expect(
        &mut t,
        SEQUENCE,
        "the signature AlgorithmIdentifier",
    )?)?;
    name(&expect(&mut t, SEQUENCE, "the issuer Name")?)?;
    let validity = expect(&mut t, SEQUENCE, "the Validity")?;
    let mut v = DerReader::inside(&validity);
    time(&next(&mut v, "notBefore")?)?;
    time(&next(&mut v, "notAfter")?)?;
    end(&v, "nothing after notAfter")?;
    name(&expect(&mut t, SEQUENCE, "the subject Name")?)?;
    let spki = expect(&mut t, SEQUENCE, "the SubjectPublicKeyInfo")?;
    let mut s = DerReader::inside(&spki);
    algorithm(&expect(
        &mut s,
        SEQUENCE,
        "the public key AlgorithmIdentifier",
    )?)?;
    bit_string(&expect(&mut s, 0x03, "the subjectPublicKey BIT STRING")?)?;
    end(&s, "nothing after the subjectPublicKey")?;
    // issuerUniqueID [1], subjectUniqueID [2]: IMPLICIT BIT STRING, so primitive.
    for tag in [0x81, 0x82] {
        if t.peek_tag() == Some(tag) {
            bit_string(&expect(&mut t, tag, "a unique identifier")?)?;
        }
    }
    if t.peek_tag() == Some(0xa3) {
        let e = expect(&mut t, 0xa3, "the extensions [3]")?;
        let mut er = DerReader::inside(&e);
        let list = expect(&mut er, SEQUENCE, "the Extensions SEQUENCE")?;
        end(&er, "nothing after the Extensions")?;
        let mut l = DerReader::inside(&list);
        while !l.is_empty() {
            let ext = expect(&mut l, SEQUENCE, "an Extension SEQUENCE")?;
            let mut x = DerReader::inside(&ext);
            oid(&expect(&mut x, OID, "the extension OID")?)?;
            if x.peek_tag() == Some(0x01) {
                let b = expect(&mut x, 0x01, "the critical BOOLEAN")?;
                if b.value != [0xff] && b.value != [0x00] {
                    return Err(bad(&b, "a DER BOOLEAN (0x00 or 0xff)"));
                }
            }
            expect(&mut x, OCTET_STRING, "the extension value OCTET STRING")?;
            end(&x, "nothing after the extension value")?;
        }
    }
    end(&t, "nothing after the extensions")
}

/// A tag a strict DER decoder knows: the universal types of X.509 in their only DER form,
/// SEQUENCE and SET constructed, and any application, context-specific or private tag.
fn known_tag(t: &Tlv<'_>) -> Checked {
    match t.tag {
        0x01..=0x06 | 0x09 | 0x0a | 0x0c | 0x0d | 0x12..=0x18 | 0x1a | 0x1b | 0x1e => Ok(()),
        0x30 | 0x31 => Ok(()),
        0x40..=0x7e | 0x80..=0xbe | 0xc0..=0xfe => Ok(()),
        _ => Err(bad(t, "a known ASN.1 tag in its DER form")),
    }
}

/// AlgorithmIdentifier: an OID and optional parameters of any (known) type.
fn algorithm(t: &Tlv<'_>) -> Checked {
    let mut r = DerReader::inside(t);
    oid(&expect(&mut r, OID, "the algorithm OID")?)?;
    if !r.is_empty() {
        next(&mut r, "the algorithm parameters")?;
    }
    end(&r, "nothing after the algorithm parameters")
}

/// Name: a SEQUENCE of non-empty SETs of AttributeTypeAndValue. The order of a
/// multi-valued RDN's attributes is not checked (`x509-cert` does not either).
fn name(t: &Tlv<'_>) -> Checked {
    let mut rdns = DerReader::inside(t);
    while !rdns.is_empty() {
        let set = expect(&mut rdns, SET, "a RelativeDistinguishedName SET")?;
        let mut atvs = DerReader::inside(&set);
        if atvs.is_empty() {
            return Err(bad(&set, "at least one attribute in an RDN"));
        }
        while !atvs.is_empty() {
            let atv = expect(&mut atvs, SEQUENCE, "an AttributeTypeAndValue")?;
            let mut parts = DerReader::inside(&atv);
            oid(&expect(&mut parts, OID, "the attribute type OID")?)?;
            next(&mut parts, "the attribute value")?;
            end(&parts, "nothing after the attribute value")?;
        }
    }
    Ok(())
}

/// OBJECT IDENTIFIER content: 1–39 bytes, the last byte ending a sub-identifier, every arc
/// within 32 bits, and the first two arcs in the first byte (`x509-cert`'s OID type holds
/// a second arc of at most 39, so `2.40` and beyond are refused).
fn oid(t: &Tlv<'_>) -> Checked {
    let v = t.value;
    let well_formed =
        !v.is_empty() && v.len() <= 39 && v[0] < 0x78 && v.last().is_some_and(|b| b & 0x80 == 0);
    if !well_formed {
        return Err(bad(t, "a well-formed OBJECT IDENTIFIER"));
    }
    let mut arc: u64 = 0;
    for &b in &v[1..] {
        arc = (arc << 7) | u64::from(b & 0x7f);
        if arc > u64::from(u32::MAX) {
            return Err(bad(t, "OBJECT IDENTIFIER arcs within 32 bits"));
        }
        if b & 0x80 == 0 {
            arc = 0;
        }
    }
    Ok(())
}

/// INTEGER: non-empty and minimally encoded (no redundant leading 0x00 or 0xff).
fn integer(t: &Tlv<'_>) -> Checked {
    match t.value {
        [] => Err(bad(t, "a non-empty INTEGER")),
        [0x00, b, ..] if b & 0x80 == 0 => Err(bad(t, "a minimally encoded INTEGER")),
        [0xff, b, ..] if b & 0x80 != 0 => Err(bad(t, "a minimally encoded INTEGER")),
        _ => Ok(()),
    }
}

/// BIT STRING: an unused-bits count of 0–7, and 0 when there are no content bits.
fn bit_string(t: &Tlv<'_>) -> Checked {
    match t.value {
        [unused, rest @ ..] if *unused <= 7 && (*unused == 0 || !rest.is_empty()) => Ok(()),
        _ => Err(bad(t, "a BIT STRING with 0-7 unused bits")),
    }
}

/// UTCTime or GeneralizedTime from 1970 on (`x509-cert`'s dates count from the epoch).
/// Their form and that they name a real date and time are the reader's checks.
fn time(t: &Tlv<'_>) -> Checked {
    let year = match t.tag {
        0x17 => digits(t.value, 0, 2).map(|yy| if yy < 50 { 2000 + yy } else { 1900 + yy }),
        _ => digits(t.value, 0, 4),
    };
    match year {
        Some(y) if y >= 1970 => Ok(()),
        _ => Err(bad(t, "a time from 1970 on")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tlv(tag: u8, v: &[u8]) -> Vec<u8> {
        assert!(v.len() < 128);
        let mut out = vec![tag, v.len() as u8];
        out.extend_from_slice(v);
        out
    }

    fn atv(oid_last: u8, value: &str) -> Vec<u8> {
        let mut v = tlv(OID, &[0x55, 0x04, oid_last]);
        v.extend(tlv(0x0c, value.as_bytes()));
        tlv(SEQUENCE, &v)
    }

    /// A multi-valued RDN in each order: accepted exactly when `x509-cert` decodes the Name.
    #[test]
    fn rdn_order_agrees_with_x509_cert() {
        use der::Decode;
        // CN (2.5.4.3) with a long value, O (2.5.4.10) with a short one: by whole encoding
        // O sorts first (shorter SEQUENCE), by type OID CN would.
        let (cn, o) = (atv(3, "a rather long common name"), atv(10, "b"));
        for (first, second) in [(&cn, &o), (&o, &cn)] {
            let set = tlv(SET, &[first.as_slice(), second.as_slice()].concat());
            let name = tlv(SEQUENCE, &set);
            let ours = {
                let mut r = DerReader::new(&name, 0);
                let t = r.expect(SEQUENCE, "Name").unwrap();
                super::name(&t).is_ok()
            };
            let theirs = x509_cert::name::Name::from_der(&name).is_ok();
            assert_eq!(ours, theirs, "order {:02x?}…", &first[..8]);
            assert!(ours);
        }
    }
}
