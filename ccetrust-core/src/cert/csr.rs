//! PKCS#10 certificate signing requests (RFC 2986) and the check VOS makes when a signed
//! certificate is uploaded: the certificate must carry the CSR's SANs and key ("CSR SAN and
//! Certificate SAN does not match").

use der::Decode;
use sha2::{Digest, Sha256};

use super::der_reader::{signed_part, DerReader, SEQUENCE};
use super::extensions::{Extensions, SubjectAltNames};
use super::oids::known;
use super::public_key::PublicKeyInfo;
use super::signature::verify_signature;
use super::{Certificate, DistinguishedName, ParseError};

/// A PKCS#10 certification request.
#[derive(Clone)]
pub struct CertificateRequest {
    der: Vec<u8>,
    inner: x509_cert::request::CertReq,
    subject: DistinguishedName,
    spki: Vec<u8>,
    extensions: Extensions,
}

impl CertificateRequest {
    /// Decodes a DER CSR.
    pub fn from_der(der: &[u8]) -> Result<Self, ParseError> {
        if der.is_empty() {
            return Err(ParseError::Empty);
        }
        let info = signed_part(der)?;
        let mut r = DerReader::new(info, 0);
        let info_seq = r.expect(SEQUENCE, "CertificationRequestInfo")?;
        let mut i = DerReader::inside(&info_seq);
        i.any("the version")?;
        let subject = i.expect(SEQUENCE, "the subject Name")?;
        let spki = i.expect(SEQUENCE, "the SubjectPublicKeyInfo")?;
        let inner = x509_cert::request::CertReq::from_der(der)
            .map_err(|e| ParseError::from_der(e, "a PKCS#10 certification request"))?;
        let mut extensions = Extensions::default();
        for attr in inner.info.attributes.iter() {
            if attr.oid == known::EXTENSION_REQUEST {
                for v in attr.values.iter() {
                    use der::Encode;
                    let der = v
                        .to_der()
                        .map_err(|e| ParseError::from_der(e, "an extensionRequest attribute"))?;
                    let len = der.len();
                    extensions = Extensions::parse(&std::sync::Arc::from(der), 0..len)?;
                }
            }
        }
        Ok(CertificateRequest {
            subject: DistinguishedName::parse(subject.raw, subject.offset)?,
            spki: spki.raw.to_vec(),
            der: der.to_vec(),
            inner,
            extensions,
        })
    }

    /// The DER, as read.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// PEM (`CERTIFICATE REQUEST`).
    pub fn to_pem(&self) -> String {
        super::pem::encode("CERTIFICATE REQUEST", &self.der)
    }

    /// The requested subject.
    pub fn subject(&self) -> &DistinguishedName {
        &self.subject
    }

    /// The SANs requested in the extensionRequest attribute (empty when none).
    pub fn requested_sans(&self) -> SubjectAltNames {
        self.extensions
            .san
            .as_ref()
            .map(|(_, s)| s.clone())
            .unwrap_or_default()
    }

    /// Every requested extension.
    pub fn extensions(&self) -> &Extensions {
        &self.extensions
    }

    /// The public key.
    pub fn public_key(&self) -> PublicKeyInfo {
        PublicKeyInfo::from_spki_der(&self.spki)
    }

    /// The SubjectPublicKeyInfo DER, as read.
    pub fn spki_der(&self) -> &[u8] {
        &self.spki
    }

    /// SHA-256 of the SubjectPublicKeyInfo DER.
    pub fn public_key_sha256(&self) -> [u8; 32] {
        Sha256::digest(&self.spki).into()
    }

    /// The signature algorithm's name.
    pub fn signature_algorithm(&self) -> String {
        super::oids::signature_name(&self.inner.algorithm.oid)
    }

    /// Whether the CSR is signed by its own key (proof of possession).
    pub fn signature_valid(&self) -> bool {
        let Ok(tbs) = signed_part(&self.der) else {
            return false;
        };
        let Some(sig) = self.inner.signature.as_bytes() else {
            return false;
        };
        verify_signature(&self.inner.algorithm, &self.inner.info.public_key, tbs, sig).is_ok()
    }

    /// Compares this CSR with the certificate a CA issued for it.
    pub fn compare(&self, cert: &Certificate) -> CsrComparison {
        let requested = san_strings(&self.requested_sans());
        let issued = san_strings(&cert.subject_alt_names());
        let san_added: Vec<String> = issued
            .iter()
            .filter(|n| !requested.contains(n))
            .cloned()
            .collect();
        let san_missing: Vec<String> = requested
            .iter()
            .filter(|n| !issued.contains(n))
            .cloned()
            .collect();
        let mine = self.subject.attributes();
        let theirs = cert.subject().attributes();
        let mut subject_differences = Vec::new();
        for a in &mine {
            if !theirs.iter().any(|b| b.oid == a.oid && b.value == a.value) {
                subject_differences.push(format!(
                    "requested {}={} is not in the certificate",
                    a.short_name
                        .map(str::to_string)
                        .unwrap_or(a.oid.to_string()),
                    a.value
                ));
            }
        }
        for b in &theirs {
            if !mine.iter().any(|a| a.oid == b.oid && a.value == b.value) {
                subject_differences.push(format!(
                    "the certificate adds {}={}",
                    b.short_name
                        .map(str::to_string)
                        .unwrap_or(b.oid.to_string()),
                    b.value
                ));
            }
        }
        CsrComparison {
            san_added,
            san_missing,
            subject_equal: subject_differences.is_empty(),
            subject_differences,
            key_match: self.spki == cert.spki_der(),
        }
    }
}

impl std::fmt::Debug for CertificateRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CertificateRequest")
            .field("subject", &self.subject.to_rfc4514())
            .finish()
    }
}

/// SAN names without their kind prefix, lower-cased DNS names (DNS is case-insensitive).
fn san_strings(s: &SubjectAltNames) -> Vec<String> {
    let mut out: Vec<String> = s.dns.iter().map(|d| d.to_ascii_lowercase()).collect();
    out.extend(s.ip.iter().map(|i| i.to_string()));
    out.extend(s.email.iter().cloned());
    out.extend(s.uri.iter().cloned());
    out
}

/// The outcome of comparing a CSR with the certificate issued for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsrComparison {
    /// SAN names in the certificate that the CSR did not request (the CA added them).
    pub san_added: Vec<String>,
    /// SAN names the CSR requested that the certificate lacks (the CA dropped them).
    pub san_missing: Vec<String>,
    /// Whether the subjects carry the same attributes.
    pub subject_equal: bool,
    /// Each subject difference, in words.
    pub subject_differences: Vec<String>,
    /// Whether the certificate's public key is the CSR's.
    pub key_match: bool,
}

impl CsrComparison {
    /// True when VOS would accept the certificate for this CSR.
    pub fn matches(&self) -> bool {
        self.san_added.is_empty() && self.san_missing.is_empty() && self.key_match
    }
}
