//! PKCS#7 / CMS certificate bundles (`.p7b`, `.p7c`): what a Microsoft CA's "download CA
//! certificate chain" and `openssl crl2pkcs7 -nocrl` produce. Only the certificates are read.
//!
//! ```text
//! ContentInfo ::= SEQUENCE { contentType OBJECT IDENTIFIER, content [0] EXPLICIT ANY }
//! SignedData ::= SEQUENCE { version, digestAlgorithms SET, encapContentInfo SEQUENCE,
//!                           certificates [0] IMPLICIT SET OF CertificateChoices OPTIONAL,
//!                           crls [1] IMPLICIT ... OPTIONAL, signerInfos SET }
//! ```
//! (RFC 5652 §3 and §5.1.)

use super::der_reader::{DerReader, INTEGER, OID, SEQUENCE, SET};
use super::{Certificate, ParseError};

/// DER of `pkcs7-signedData` (1.2.840.113549.1.7.2).
const SIGNED_DATA: [u8; 9] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];

/// True when the DER is a ContentInfo of type signedData.
pub fn is_pkcs7(der: &[u8]) -> bool {
    let mut r = DerReader::new(der, 0);
    let Ok(seq) = r.expect(SEQUENCE, "ContentInfo") else {
        return false;
    };
    let mut inner = DerReader::inside(&seq);
    matches!(inner.expect(OID, "contentType"), Ok(oid) if oid.value == SIGNED_DATA)
}

/// The certificates of a PKCS#7 signedData bundle, in the order they are stored.
pub fn certificates(der: &[u8]) -> Result<Vec<Certificate>, ParseError> {
    let mut top = DerReader::new(der, 0);
    let ci = top.expect(SEQUENCE, "a PKCS#7 ContentInfo")?;
    let mut r = DerReader::inside(&ci);
    let oid = r.expect(OID, "the contentType OID")?;
    if oid.value != SIGNED_DATA {
        return Err(ParseError::Der {
            offset: oid.offset,
            expected: "contentType pkcs7-signedData (1.2.840.113549.1.7.2)",
            detail: "another content type".into(),
        });
    }
    let explicit = r.expect(0xa0, "the [0] content")?;
    let mut e = DerReader::inside(&explicit);
    let sd = e.expect(SEQUENCE, "SignedData")?;
    let mut s = DerReader::inside(&sd);
    s.expect(INTEGER, "the SignedData version")?;
    s.expect(SET, "digestAlgorithms")?;
    s.expect(SEQUENCE, "encapContentInfo")?;
    let mut out = Vec::new();
    if s.peek_tag() == Some(0xa0) {
        let certs = s.any("certificates")?;
        let mut c = DerReader::inside(&certs);
        let mut index = 0usize;
        while !c.is_empty() {
            let item = c.any("a certificate")?;
            index += 1;
            if item.tag != SEQUENCE {
                // Attribute certificates and other CertificateChoices are not X.509 certs.
                continue;
            }
            let cert = Certificate::from_der(item.raw)
                .map_err(|e| shift(e, item.offset).nested(format!("PKCS#7 certificate {index}")))?;
            out.push(cert);
        }
    }
    Ok(out)
}

/// Builds a degenerate (certificates-only) PKCS#7 bundle, as `openssl crl2pkcs7 -nocrl` does.
pub fn encode(certs: &[Certificate]) -> Vec<u8> {
    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        let n = content.len();
        if n < 0x80 {
            out.push(n as u8);
        } else {
            let bytes = (n as u32).to_be_bytes();
            let skip = bytes.iter().take_while(|b| **b == 0).count();
            out.push(0x80 | (4 - skip) as u8);
            out.extend_from_slice(&bytes[skip..]);
        }
        out.extend_from_slice(content);
        out
    }
    let mut cert_bytes = Vec::new();
    for c in certs {
        cert_bytes.extend_from_slice(c.der());
    }
    let data_oid = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
    let mut sd = Vec::new();
    sd.extend(tlv(INTEGER, &[1]));
    sd.extend(tlv(SET, &[]));
    sd.extend(tlv(SEQUENCE, &tlv(OID, &data_oid)));
    sd.extend(tlv(0xa0, &cert_bytes));
    sd.extend(tlv(SET, &[]));
    let mut ci = tlv(OID, &SIGNED_DATA);
    ci.extend(tlv(0xa0, &tlv(SEQUENCE, &sd)));
    tlv(SEQUENCE, &ci)
}

/// Moves an error's offset from the inner certificate to the bundle.
fn shift(e: ParseError, by: usize) -> ParseError {
    match e {
        ParseError::Der {
            offset,
            expected,
            detail,
        } => ParseError::Der {
            offset: offset + by,
            expected,
            detail,
        },
        other => other,
    }
}
