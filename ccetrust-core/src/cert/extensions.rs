//! The certificate extensions ccetrust reasons about, decoded once when a certificate is
//! read (RFC 5280 §4.2). Extensions we do not know are listed by OID and never fatal; a known
//! extension whose content is malformed, or any extension that appears twice, is an error,
//! because a validator that guessed would be unsafe.

use const_oid::ObjectIdentifier;
use std::net::IpAddr;
use std::ops::Range;
use std::sync::Arc;
use x509_cert::ext::pkix;

use super::der_reader::DerBytes;
use super::der_reader::{DerReader, Tlv, OCTET_STRING, OID, SEQUENCE};
use super::oids::{self, known};
use super::{DistinguishedName, ParseError};

/// One extension as listed by `inspect`: OID, name, critical flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionInfo {
    /// The extension's OID.
    pub oid: ObjectIdentifier,
    /// Its name (`subjectAltName`, …) when known.
    pub name: Option<&'static str>,
    /// Whether the issuer marked it critical.
    pub critical: bool,
    /// The raw `extnValue` content (the DER inside the OCTET STRING), sharing the
    /// certificate's bytes.
    pub value: DerBytes,
}

/// Subject alternative names, by kind (RFC 5280 §4.2.1.6).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubjectAltNames {
    /// dNSName entries, as written in the certificate.
    pub dns: Vec<String>,
    /// iPAddress entries (4 or 16 octets).
    pub ip: Vec<IpAddr>,
    /// rfc822Name entries.
    pub email: Vec<String>,
    /// uniformResourceIdentifier entries.
    pub uri: Vec<String>,
    /// directoryName entries.
    pub directory: Vec<DistinguishedName>,
    /// Anything else, rendered as `otherName:<oid>`, `registeredID:<oid>`, `IP:<hex>` (an
    /// address of a bad length) or `ediPartyName`.
    pub other: Vec<String>,
}

impl SubjectAltNames {
    /// True when no name of any kind is present.
    pub fn is_empty(&self) -> bool {
        self.dns.is_empty()
            && self.ip.is_empty()
            && self.email.is_empty()
            && self.uri.is_empty()
            && self.directory.is_empty()
            && self.other.is_empty()
    }

    /// Decodes `GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName` (RFC 5280 §4.2.1.6).
    pub(crate) fn parse(buf: &Arc<[u8]>, der: &[u8], base: usize) -> Result<Self, ParseError> {
        let mut top = DerReader::new(der, base);
        let seq = top.expect(SEQUENCE, "GeneralNames (SEQUENCE)")?;
        top.finish("GeneralNames")?;
        let mut r = DerReader::inside(&seq);
        let mut out = SubjectAltNames::default();
        while !r.is_empty() {
            let gn = r.any("a GeneralName")?;
            match gn.tag {
                0x81 => out.email.push(ia5(&gn, "an rfc822Name")?),
                0x82 => out.dns.push(ia5(&gn, "a dNSName")?),
                0x86 => out.uri.push(ia5(&gn, "a uniformResourceIdentifier")?),
                0x87 => match ip_from_octets(gn.value) {
                    Some(ip) => out.ip.push(ip),
                    None => out.other.push(format!("IP:{}", crate::hex(gn.value))),
                },
                0xa4 => {
                    let mut inner = DerReader::inside(&gn);
                    let name = inner.expect(SEQUENCE, "a directoryName")?;
                    inner.finish("directoryName")?;
                    out.directory.push(DistinguishedName::parse_shared(
                        buf,
                        name.offset..name.offset + name.raw.len(),
                    )?);
                }
                0xa0 => {
                    let mut inner = DerReader::inside(&gn);
                    let oid = inner.expect(OID, "an otherName type-id")?;
                    let oid = ObjectIdentifier::from_bytes(oid.value)
                        .map(|o| o.to_string())
                        .unwrap_or_else(|_| "?".into());
                    out.other.push(format!("otherName:{oid}"));
                }
                0x88 => {
                    let oid = ObjectIdentifier::from_bytes(gn.value)
                        .map(|o| o.to_string())
                        .unwrap_or_else(|_| "?".into());
                    out.other.push(format!("registeredID:{oid}"));
                }
                0xa3 => out.other.push("x400Address".into()),
                0xa5 => out.other.push("ediPartyName".into()),
                t => {
                    return Err(ParseError::Der {
                        offset: gn.offset,
                        expected: "a GeneralName",
                        detail: format!("unknown tag 0x{t:02x}"),
                    })
                }
            }
        }
        Ok(out)
    }
}

/// IA5String content: ASCII only (RFC 5280 §4.2.1.6).
fn ia5(t: &Tlv<'_>, what: &'static str) -> Result<String, ParseError> {
    if !t.value.is_ascii() {
        return Err(ParseError::Der {
            offset: t.value_offset,
            expected: what,
            detail: "non-ASCII byte in an IA5String".into(),
        });
    }
    Ok(std::str::from_utf8(t.value).unwrap_or_default().to_string())
}

fn ip_from_octets(b: &[u8]) -> Option<IpAddr> {
    match b.len() {
        4 => Some(IpAddr::from(<[u8; 4]>::try_from(b).ok()?)),
        16 => Some(IpAddr::from(<[u8; 16]>::try_from(b).ok()?)),
        _ => None,
    }
}

/// keyUsage bits (RFC 5280 §4.2.1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KeyUsage(u16);

impl KeyUsage {
    /// digitalSignature (0)
    pub const DIGITAL_SIGNATURE: u16 = 1 << 0;
    /// nonRepudiation / contentCommitment (1)
    pub const NON_REPUDIATION: u16 = 1 << 1;
    /// keyEncipherment (2)
    pub const KEY_ENCIPHERMENT: u16 = 1 << 2;
    /// dataEncipherment (3)
    pub const DATA_ENCIPHERMENT: u16 = 1 << 3;
    /// keyAgreement (4)
    pub const KEY_AGREEMENT: u16 = 1 << 4;
    /// keyCertSign (5)
    pub const KEY_CERT_SIGN: u16 = 1 << 5;
    /// cRLSign (6)
    pub const CRL_SIGN: u16 = 1 << 6;
    /// encipherOnly (7)
    pub const ENCIPHER_ONLY: u16 = 1 << 7;
    /// decipherOnly (8)
    pub const DECIPHER_ONLY: u16 = 1 << 8;

    const NAMES: [&'static str; 9] = [
        "digitalSignature",
        "nonRepudiation",
        "keyEncipherment",
        "dataEncipherment",
        "keyAgreement",
        "keyCertSign",
        "cRLSign",
        "encipherOnly",
        "decipherOnly",
    ];

    /// The raw bit set (bit 0 = digitalSignature).
    pub fn bits(self) -> u16 {
        self.0
    }

    /// Whether every bit of `mask` is set.
    pub fn has(self, mask: u16) -> bool {
        self.0 & mask == mask
    }

    /// RFC 5280 names of the bits that are set, in bit order.
    pub fn names(self) -> Vec<&'static str> {
        (0..9)
            .filter(|i| self.0 & (1 << i) != 0)
            .map(|i| Self::NAMES[i])
            .collect()
    }
}

/// basicConstraints (RFC 5280 §4.2.1.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BasicConstraints {
    /// cA: the key may sign certificates.
    pub ca: bool,
    /// pathLenConstraint: how many non-self-issued intermediates may follow.
    pub path_len: Option<u8>,
}

/// authorityKeyIdentifier (RFC 5280 §4.2.1.1).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuthorityKeyId {
    /// keyIdentifier: usually the issuer's subjectKeyIdentifier.
    pub key_id: Option<DerBytes>,
    /// authorityCertSerialNumber, big-endian.
    pub serial: Option<DerBytes>,
    /// Whether authorityCertIssuer is present.
    pub has_issuer: bool,
}

/// The extensions of one certificate, decoded.
#[derive(Debug, Clone, Default)]
pub struct Extensions {
    /// Every extension, in order.
    pub list: Vec<ExtensionInfo>,
    /// subjectAltName and its critical flag.
    pub san: Option<(bool, SubjectAltNames)>,
    /// keyUsage.
    pub key_usage: Option<KeyUsage>,
    /// extendedKeyUsage OIDs.
    pub extended_key_usage: Option<Vec<ObjectIdentifier>>,
    /// basicConstraints.
    pub basic_constraints: Option<BasicConstraints>,
    /// subjectKeyIdentifier.
    pub subject_key_id: Option<DerBytes>,
    /// authorityKeyIdentifier.
    pub authority_key_id: Option<AuthorityKeyId>,
    /// authorityInfoAccess caIssuers URLs.
    pub ca_issuers_urls: Vec<String>,
    /// authorityInfoAccess OCSP URLs.
    pub ocsp_urls: Vec<String>,
    /// cRLDistributionPoints URLs.
    pub crl_urls: Vec<String>,
    /// nameConstraints, decoded.
    pub name_constraints: Option<pkix::constraints::name::NameConstraints>,
}

impl Extensions {
    /// Decodes `Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension` from its DER (the
    /// content of a certificate's `[3]`, or a CSR's extensionRequest value); `base` is the
    /// offset of `der` in the enclosing input, so errors point into the original bytes.
    ///
    /// The extensions are `buf[range]`; values are kept as shared slices of `buf`, and
    /// offsets in errors are offsets in `buf`.
    pub(crate) fn parse(buf: &Arc<[u8]>, range: Range<usize>) -> Result<Self, ParseError> {
        let der = buf.get(range.clone()).unwrap_or_default();
        let mut top = DerReader::new(der, range.start);
        let seq = top.expect(SEQUENCE, "Extensions (SEQUENCE)")?;
        top.finish("Extensions")?;
        let mut r = DerReader::inside(&seq);
        let mut out = Extensions {
            // A leaf carries 5-10 extensions; one allocation for the usual case.
            list: Vec::with_capacity(10),
            ..Extensions::default()
        };
        // Known extensions met so far, one bit per row of the name table; unknown ones are
        // compared by their encoded OID.
        let mut seen_known = 0u64;
        while !r.is_empty() {
            let ext = r.expect(SEQUENCE, "an Extension")?;
            let mut e = DerReader::inside(&ext);
            let oid_tlv = e.expect(OID, "the extnID OID")?;
            let known = oids::known_extension(oid_tlv.value);
            let (oid, name) = match known {
                Some((oid, name, _)) => (oid, Some(name)),
                None => (
                    ObjectIdentifier::from_bytes(oid_tlv.value).map_err(|_| ParseError::Der {
                        offset: oid_tlv.offset,
                        expected: "a valid extnID",
                        detail: "malformed OBJECT IDENTIFIER".into(),
                    })?,
                    None,
                ),
            };
            let mut critical = false;
            if e.peek_tag() == Some(0x01) {
                let b = e.any("the critical BOOLEAN")?;
                critical = match b.value {
                    [0xff] => true,
                    [0x00] => false,
                    _ => {
                        return Err(ParseError::Der {
                            offset: b.offset,
                            expected: "a DER BOOLEAN (0x00 or 0xff)",
                            detail: format!("content {}", crate::hex(b.value)),
                        })
                    }
                };
            }
            let value = e.expect(OCTET_STRING, "the extnValue OCTET STRING")?;
            e.finish("the Extension")?;
            let duplicate = match known {
                Some((_, _, row)) => {
                    let bit = 1u64 << (row % 64);
                    let dup = seen_known & bit != 0;
                    seen_known |= bit;
                    dup
                }
                None => out
                    .list
                    .iter()
                    .any(|x| x.name.is_none() && x.oid.as_bytes() == oid_tlv.value),
            };
            if duplicate {
                return Err(ParseError::Der {
                    offset: ext.offset,
                    expected: "each extension at most once (RFC 5280 §4.2)",
                    detail: format!("extension {oid} appears twice"),
                });
            }
            if known.is_some() {
                out.decode_known(
                    buf,
                    oid_tlv.value,
                    critical,
                    value.value,
                    value.value_offset,
                )?;
            }
            let value_range = value.value_offset..value.value_offset + value.value.len();
            out.list.push(ExtensionInfo {
                oid,
                name,
                critical,
                value: DerBytes::shared(buf, value_range),
            });
        }
        Ok(out)
    }

    /// Decodes the content of an extension we reason about; `oid` is its encoded OID
    /// (matched as bytes), `v` its extnValue content at offset `at` of `buf`.
    fn decode_known(
        &mut self,
        buf: &Arc<[u8]>,
        oid: &[u8],
        critical: bool,
        v: &[u8],
        at: usize,
    ) -> Result<(), ParseError> {
        const SUBJECT_ALT_NAME: &[u8] = known::SUBJECT_ALT_NAME.as_bytes();
        const KEY_USAGE: &[u8] = known::KEY_USAGE.as_bytes();
        const EXT_KEY_USAGE: &[u8] = known::EXT_KEY_USAGE.as_bytes();
        const BASIC_CONSTRAINTS: &[u8] = known::BASIC_CONSTRAINTS.as_bytes();
        const SUBJECT_KEY_ID: &[u8] = known::SUBJECT_KEY_ID.as_bytes();
        const AUTHORITY_KEY_ID: &[u8] = known::AUTHORITY_KEY_ID.as_bytes();
        const AUTHORITY_INFO_ACCESS: &[u8] = known::AUTHORITY_INFO_ACCESS.as_bytes();
        const CRL_DISTRIBUTION_POINTS: &[u8] = known::CRL_DISTRIBUTION_POINTS.as_bytes();
        const NAME_CONSTRAINTS: &[u8] = known::NAME_CONSTRAINTS.as_bytes();
        let shared =
            |t: &Tlv<'_>| DerBytes::shared(buf, t.value_offset..t.value_offset + t.value.len());
        match oid {
            SUBJECT_ALT_NAME => {
                self.san = Some((critical, SubjectAltNames::parse(buf, v, at)?));
            }
            KEY_USAGE => {
                let mut r = DerReader::new(v, at);
                let bits = r.expect(0x03, "a keyUsage BIT STRING")?;
                r.finish("keyUsage")?;
                let (unused, bytes) = match bits.value {
                    [u, rest @ ..] if *u < 8 && !(rest.is_empty() && *u != 0) => (*u, rest),
                    _ => {
                        return Err(ParseError::Der {
                            offset: bits.offset,
                            expected: "a keyUsage BIT STRING",
                            detail: "bad unused-bits octet".into(),
                        })
                    }
                };
                let _ = unused;
                let mut ku = 0u16;
                for i in 0..9usize {
                    if bytes.get(i / 8).is_some_and(|b| b & (0x80 >> (i % 8)) != 0) {
                        ku |= 1 << i;
                    }
                }
                self.key_usage = Some(KeyUsage(ku));
            }
            EXT_KEY_USAGE => {
                let mut r = DerReader::new(v, at);
                let seq = r.expect(SEQUENCE, "an extendedKeyUsage SEQUENCE")?;
                r.finish("extendedKeyUsage")?;
                let mut s = DerReader::inside(&seq);
                let mut list = Vec::with_capacity(4);
                while !s.is_empty() {
                    let o = s.expect(OID, "a KeyPurposeId OID")?;
                    list.push(oids::eku_oid_from_bytes(o.value).ok_or_else(|| {
                        ParseError::Der {
                            offset: o.offset,
                            expected: "a valid KeyPurposeId",
                            detail: "malformed OBJECT IDENTIFIER".into(),
                        }
                    })?);
                }
                self.extended_key_usage = Some(list);
            }
            BASIC_CONSTRAINTS => {
                let mut r = DerReader::new(v, at);
                let seq = r.expect(SEQUENCE, "a basicConstraints SEQUENCE")?;
                r.finish("basicConstraints")?;
                let mut s = DerReader::inside(&seq);
                let mut ca = false;
                if s.peek_tag() == Some(0x01) {
                    let b = s.any("cA")?;
                    ca = b.value == [0xff];
                }
                let mut path_len = None;
                if s.peek_tag() == Some(0x02) {
                    let i = s.any("pathLenConstraint")?;
                    if i.value.first().is_some_and(|b| b & 0x80 != 0) || i.value.is_empty() {
                        return Err(ParseError::Der {
                            offset: i.offset,
                            expected: "a non-negative pathLenConstraint",
                            detail: "negative or empty INTEGER".into(),
                        });
                    }
                    // Values above 255 mean "unlimited" for every real chain.
                    let n = i
                        .value
                        .iter()
                        .fold(0u64, |a, b| a.saturating_mul(256).saturating_add(*b as u64));
                    path_len = Some(n.min(255) as u8);
                }
                s.finish("basicConstraints")?;
                self.basic_constraints = Some(BasicConstraints { ca, path_len });
            }
            SUBJECT_KEY_ID => {
                let mut r = DerReader::new(v, at);
                let k = r.expect(OCTET_STRING, "a subjectKeyIdentifier OCTET STRING")?;
                r.finish("subjectKeyIdentifier")?;
                self.subject_key_id = Some(shared(&k));
            }
            AUTHORITY_KEY_ID => {
                let mut r = DerReader::new(v, at);
                let seq = r.expect(SEQUENCE, "an authorityKeyIdentifier SEQUENCE")?;
                r.finish("authorityKeyIdentifier")?;
                let mut s = DerReader::inside(&seq);
                let mut aki = AuthorityKeyId::default();
                while !s.is_empty() {
                    let f = s.any("an authorityKeyIdentifier field")?;
                    match f.tag {
                        0x80 => aki.key_id = Some(shared(&f)),
                        0xa1 => aki.has_issuer = true,
                        0x82 => aki.serial = Some(shared(&f)),
                        t => {
                            return Err(ParseError::Der {
                                offset: f.offset,
                                expected:
                                    "keyIdentifier [0], authorityCertIssuer [1] or serial [2]",
                                detail: format!("tag 0x{t:02x}"),
                            })
                        }
                    }
                }
                self.authority_key_id = Some(aki);
            }
            AUTHORITY_INFO_ACCESS => {
                let mut r = DerReader::new(v, at);
                let seq = r.expect(SEQUENCE, "an authorityInfoAccess SEQUENCE")?;
                r.finish("authorityInfoAccess")?;
                let mut s = DerReader::inside(&seq);
                while !s.is_empty() {
                    let ad = s.expect(SEQUENCE, "an AccessDescription")?;
                    let mut a = DerReader::inside(&ad);
                    let method = a.expect(OID, "an accessMethod OID")?;
                    let loc = a.any("an accessLocation")?;
                    if loc.tag == 0x86 {
                        let url = ia5(&loc, "a URI")?;
                        if method.value == known::AD_CA_ISSUERS.as_bytes() {
                            self.ca_issuers_urls.push(url);
                        } else if method.value == known::AD_OCSP.as_bytes() {
                            self.ocsp_urls.push(url);
                        }
                    }
                }
            }
            CRL_DISTRIBUTION_POINTS => {
                let mut r = DerReader::new(v, at);
                let seq = r.expect(SEQUENCE, "a cRLDistributionPoints SEQUENCE")?;
                r.finish("cRLDistributionPoints")?;
                let mut s = DerReader::inside(&seq);
                while !s.is_empty() {
                    let dp = s.expect(SEQUENCE, "a DistributionPoint")?;
                    let mut d = DerReader::inside(&dp);
                    if d.peek_tag() == Some(0xa0) {
                        let dpn = d.any("a distributionPoint")?;
                        let mut n = DerReader::inside(&dpn);
                        if n.peek_tag() == Some(0xa0) {
                            let full = n.any("a fullName")?;
                            let mut g = DerReader::inside(&full);
                            while !g.is_empty() {
                                let gn = g.any("a GeneralName")?;
                                if gn.tag == 0x86 {
                                    self.crl_urls.push(ia5(&gn, "a URI")?);
                                }
                            }
                        }
                    }
                }
            }
            NAME_CONSTRAINTS => {
                use der::Decode;
                let nc = pkix::constraints::name::NameConstraints::from_der(v).map_err(|e| {
                    ParseError::Der {
                        offset: at + e.position().map(|p| u32::from(p) as usize).unwrap_or(0),
                        expected: "a nameConstraints extension",
                        detail: e.kind().to_string(),
                    }
                })?;
                self.name_constraints = Some(nc);
            }
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// subjectKeyIdentifier = aa
    const SKI: [u8; 12] = [
        0x30, 0x0a, 0x06, 0x03, 0x55, 0x1d, 0x0e, 0x04, 0x03, 0x04, 0x01, 0xaa,
    ];
    /// 1.2.3.4, unknown to ccetrust, content NULL
    const UNKNOWN: [u8; 11] = [
        0x30, 0x09, 0x06, 0x03, 0x2a, 0x03, 0x04, 0x04, 0x02, 0x05, 0x00,
    ];

    fn parse(exts: &[&[u8]]) -> Result<Extensions, ParseError> {
        let body: Vec<u8> = exts.concat();
        let mut der = vec![0x30, body.len() as u8];
        der.extend_from_slice(&body);
        let len = der.len();
        Extensions::parse(&Arc::from(der), 0..len)
    }

    #[test]
    fn known_and_unknown_extensions_are_listed_with_shared_values() {
        let e = parse(&[&SKI, &UNKNOWN]).unwrap();
        assert_eq!(e.list.len(), 2);
        assert_eq!(e.list[0].name, Some("subjectKeyIdentifier"));
        assert_eq!(e.list[0].oid, known::SUBJECT_KEY_ID);
        assert_eq!(e.list[1].name, None);
        assert_eq!(e.list[1].oid.to_string(), "1.2.3.4");
        assert_eq!(&*e.list[1].value, &[0x05, 0x00]);
        assert_eq!(e.subject_key_id.as_deref(), Some(&[0xaa][..]));
    }

    #[test]
    fn an_extension_twice_is_an_error_known_or_not() {
        for twice in [[&SKI[..], &SKI[..]], [&UNKNOWN[..], &UNKNOWN[..]]] {
            let err = parse(&twice).unwrap_err();
            assert!(err.to_string().contains("appears twice"), "{err}");
            // The offset is the second occurrence's.
            assert_eq!(err.offset(), Some(2 + twice[0].len()));
        }
    }
}
