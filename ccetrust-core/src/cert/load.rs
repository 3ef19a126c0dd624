//! Loading certificate material from whatever an administrator was handed: DER, PEM (any
//! label of a certificate, with text around it), Windows "Base-64 encoded X.509 (.CER)",
//! PKCS#7 bundles in DER or PEM, bare base64, many certificates in one file. The encoding is
//! detected from the content, never from the file name.

use std::path::Path;

use super::der_reader::{DerReader, INTEGER, OCTET_STRING, SEQUENCE};
use super::pem::{self, PemBlock};
use super::{pkcs7, Certificate, CertificateRequest, ParseError};
use crate::Error;

/// Everything certificate-like found in one input.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// Certificates, in the order they appear.
    pub certificates: Vec<Certificate>,
    /// Certificate signing requests, in the order they appear.
    pub csrs: Vec<CertificateRequest>,
    /// Descriptions of private keys that were present (never their content).
    pub private_keys: Vec<String>,
}

const CERT_LABELS: [&str; 3] = ["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"];
const CSR_LABELS: [&str; 2] = ["CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"];
const PKCS7_LABELS: [&str; 2] = ["PKCS7", "CERTIFICATE CHAIN"];
const KEY_LABELS: [&str; 5] = [
    "PRIVATE KEY",
    "ENCRYPTED PRIVATE KEY",
    "RSA PRIVATE KEY",
    "EC PRIVATE KEY",
    "DSA PRIVATE KEY",
];

/// Reads certificates, CSRs and PKCS#7 bundles from bytes of any supported encoding.
pub fn load(bytes: &[u8]) -> Result<Loaded, ParseError> {
    let trimmed = trim(bytes);
    if trimmed.is_empty() {
        return Err(ParseError::Empty);
    }
    if pem::looks_like_pem(trimmed) {
        return load_pem(trimmed);
    }
    if trimmed[0] == SEQUENCE {
        return load_der(
            bytes.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(bytes),
            None,
        );
    }
    // Bare base64 (a .CER body without its armour).
    if trimmed.iter().all(|b| {
        b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'\r' | b'\n' | b' ')
    }) {
        let body: Vec<String> = String::from_utf8_lossy(trimmed)
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let mut text = String::from("-----BEGIN CERTIFICATE-----\n");
        for l in body {
            text.push_str(&l);
            text.push('\n');
        }
        text.push_str("-----END CERTIFICATE-----\n");
        if let Ok(blocks) = pem::parse_blocks(text.as_bytes()) {
            if let Some(b) = blocks.first() {
                if b.der.first() == Some(&SEQUENCE) {
                    return load_der(&b.der, None);
                }
            }
        }
    }
    Err(ParseError::UnknownEncoding)
}

/// Reads the certificates of an input; an input that holds none (only a key, say) is an
/// error that says what it holds instead.
pub fn load_certificates(bytes: &[u8]) -> Result<Vec<Certificate>, ParseError> {
    let loaded = load(bytes)?;
    if loaded.certificates.is_empty() {
        let found = if let Some(k) = loaded.private_keys.first() {
            k.clone()
        } else if !loaded.csrs.is_empty() {
            "a certificate signing request".to_string()
        } else {
            "no certificate".to_string()
        };
        return Err(ParseError::WrongKind {
            expected: "a certificate",
            found,
            line: None,
        });
    }
    Ok(loaded.certificates)
}

/// Reads exactly one certificate in any encoding (DER, PEM, base64, a PKCS#7 holding one):
/// the rule every "one certificate" caller shares (`Certificate(data)` in Python, bulk
/// inspection). A bundle of several is [`ParseError::WrongKind`] naming how many it holds.
pub fn load_one(bytes: &[u8]) -> Result<Certificate, ParseError> {
    let mut certs = if bytes.first() == Some(&0x30) {
        // The common case, DER, without the sniffing of [`load`].
        match Certificate::from_der(bytes) {
            Ok(c) => return Ok(c),
            Err(_) => load_certificates(bytes)?,
        }
    } else {
        load_certificates(bytes)?
    };
    if certs.len() != 1 {
        return Err(ParseError::WrongKind {
            expected: "exactly one certificate",
            found: format!("{} certificates", certs.len()),
            line: None,
        });
    }
    Ok(certs.remove(0))
}

/// Reads exactly one certificate signing request (DER or PEM), as [`load_one`] does for
/// certificates.
pub fn load_one_csr(bytes: &[u8]) -> Result<CertificateRequest, ParseError> {
    let mut csrs = load(bytes)?.csrs;
    if csrs.len() != 1 {
        return Err(ParseError::WrongKind {
            expected: "exactly one certificate signing request",
            found: format!("{} certificate signing requests", csrs.len()),
            line: None,
        });
    }
    Ok(csrs.remove(0))
}

/// Reads a file with [`load`], naming the file in any error.
pub fn load_file(path: &Path) -> Result<Loaded, Error> {
    let bytes = crate::error::read_file(path)?;
    load(&bytes).map_err(|e| Error::from(e).in_file(path))
}

/// Reads the certificates of a file with [`load_certificates`], naming the file in errors.
pub fn load_certificates_file(path: &Path) -> Result<Vec<Certificate>, Error> {
    let bytes = crate::error::read_file(path)?;
    load_certificates(&bytes).map_err(|e| Error::from(e).in_file(path))
}

fn trim(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

fn load_pem(bytes: &[u8]) -> Result<Loaded, ParseError> {
    let blocks = pem::parse_blocks(bytes)?;
    let mut out = Loaded::default();
    for (n, PemBlock { label, der, line }) in blocks.into_iter().enumerate() {
        let ctx = || format!("PEM block {} '{}' (line {line})", n + 1, label);
        let label = label.as_str();
        if CERT_LABELS.contains(&label) {
            // OpenSSL's TRUSTED CERTIFICATE is the certificate followed by its trust
            // settings: the certificate is the first element.
            let der = if label == "TRUSTED CERTIFICATE" {
                DerReader::new(&der, 0)
                    .expect(SEQUENCE, "a certificate")
                    .map(|t| t.raw.to_vec())
                    .map_err(|e| e.nested(ctx()))?
            } else {
                der
            };
            out.certificates
                .push(Certificate::from_der(&der).map_err(|e| e.nested(ctx()))?);
        } else if CSR_LABELS.contains(&label) {
            out.csrs
                .push(CertificateRequest::from_der(&der).map_err(|e| e.nested(ctx()))?);
        } else if PKCS7_LABELS.contains(&label) {
            out.certificates
                .extend(pkcs7::certificates(&der).map_err(|e| e.nested(ctx()))?);
        } else if KEY_LABELS.contains(&label) {
            out.private_keys
                .push(format!("a private key ('{label}' at line {line})"));
        }
        // Other blocks (parameters, CRLs) are not certificate material: skipped.
    }
    if out.certificates.is_empty() && out.csrs.is_empty() && out.private_keys.is_empty() {
        return Err(ParseError::WrongKind {
            expected: "a certificate, CSR or PKCS#7 PEM block",
            found: "no such block".into(),
            line: None,
        });
    }
    Ok(out)
}

fn load_der(der: &[u8], _hint: Option<&str>) -> Result<Loaded, ParseError> {
    let mut out = Loaded::default();
    if pkcs7::is_pkcs7(der) {
        out.certificates = pkcs7::certificates(der)?;
        return Ok(out);
    }
    match Certificate::from_der(der) {
        Ok(c) => {
            out.certificates.push(c);
            Ok(out)
        }
        Err(cert_err) => {
            if let Ok(csr) = CertificateRequest::from_der(der) {
                out.csrs.push(csr);
                return Ok(out);
            }
            if let Some(kind) = private_key_kind(der) {
                return Err(ParseError::WrongKind {
                    expected: "a certificate",
                    found: kind.into(),
                    line: None,
                });
            }
            Err(cert_err)
        }
    }
}

/// Recognises DER private keys (PKCS#8 and PKCS#1 RSA) so the error can say so.
fn private_key_kind(der: &[u8]) -> Option<&'static str> {
    let mut r = DerReader::new(der, 0);
    let seq = r.expect(SEQUENCE, "key").ok()?;
    let mut i = DerReader::inside(&seq);
    let first = i.any("first").ok()?;
    if first.tag == INTEGER && first.value == [0] {
        let second = i.any("second").ok()?;
        if second.tag == SEQUENCE && i.peek_tag() == Some(OCTET_STRING) {
            return Some("a private key (PKCS#8)");
        }
        if second.tag == INTEGER {
            return Some("an RSA private key (PKCS#1)");
        }
    }
    if first.tag == SEQUENCE && i.peek_tag() == Some(OCTET_STRING) {
        return Some("an encrypted private key (PKCS#8)");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `load_one`: one certificate in any encoding is accepted; a bundle of two, or input
    /// with no certificate, is `WrongKind` saying what it holds.
    #[test]
    fn load_one_takes_exactly_one() {
        let one = include_bytes!("../../../tests/data/chain/cvp.pem");
        let cert = load_one(one).expect("one PEM certificate");
        assert_eq!(
            load_one(cert.der()).expect("its DER").sha256(),
            cert.sha256()
        );
        let two = [&one[..], &one[..]].concat();
        match load_one(&two) {
            Err(ParseError::WrongKind { found, .. }) => assert_eq!(found, "2 certificates"),
            other => panic!("a bundle of two: {other:?}"),
        }
        assert!(load_one(b"-----BEGIN X-----\n-----END X-----\n").is_err());
    }
}
