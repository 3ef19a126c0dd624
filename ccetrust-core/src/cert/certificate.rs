//! `Certificate`: one X.509 certificate, its original DER and every field ccetrust reports.

use der::Decode;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use std::fmt;

use super::der_reader::{DerReader, SEQUENCE};
use super::extensions::{
    AuthorityKeyId, BasicConstraints, ExtensionInfo, Extensions, KeyUsage, SubjectAltNames,
};
use super::oids;
use super::public_key::PublicKeyInfo;
use super::signature::{verify_signature, SignatureAlgorithm, SignatureError};
use super::{DistinguishedName, ParseError};
use crate::time::Timestamp;

/// An X.509 certificate (RFC 5280 §4.1).
///
/// It keeps the bytes it was read from: fingerprints, signatures and keystore writes use
/// those, never a re-encoding.
#[derive(Clone)]
pub struct Certificate {
    der: Vec<u8>,
    inner: x509_cert::Certificate,
    subject: DistinguishedName,
    issuer: DistinguishedName,
    tbs: (usize, usize),
    spki: (usize, usize),
    extensions: Extensions,
}

impl Certificate {
    /// Decodes one DER certificate. Trailing bytes after the certificate are an error.
    pub fn from_der(der: &[u8]) -> Result<Self, ParseError> {
        if der.is_empty() {
            return Err(ParseError::Empty);
        }
        // Walk the structure first: it gives byte-accurate errors for truncation and
        // lengths past the end, and the original bytes of the parts we keep.
        let mut top = DerReader::new(der, 0);
        let outer = top.expect(SEQUENCE, "a Certificate SEQUENCE")?;
        if !top.is_empty() {
            return Err(ParseError::Der {
                offset: top.offset(),
                expected: "the end of the certificate",
                detail: format!("{} trailing bytes", der.len() - top.offset()),
            });
        }
        let mut body = DerReader::inside(&outer);
        let tbs = body.expect(SEQUENCE, "the TBSCertificate SEQUENCE")?;
        let mut t = DerReader::inside(&tbs);
        if t.peek_tag() == Some(0xa0) {
            t.any("the version")?;
        }
        t.any("the serial number")?;
        t.expect(SEQUENCE, "the signature AlgorithmIdentifier")?;
        let issuer = t.expect(SEQUENCE, "the issuer Name")?;
        t.expect(SEQUENCE, "the Validity")?;
        let subject = t.expect(SEQUENCE, "the subject Name")?;
        let spki = t.expect(SEQUENCE, "the SubjectPublicKeyInfo")?;

        let inner = x509_cert::Certificate::from_der(der)
            .map_err(|e| ParseError::from_der(e, "an X.509 certificate"))?;
        let tbs_cert = inner.tbs_certificate();
        let extensions = Extensions::decode(tbs_cert.extensions().map(|e| &e[..]).unwrap_or(&[]))?;
        Ok(Certificate {
            subject: DistinguishedName::new(subject.raw, tbs_cert.subject()),
            issuer: DistinguishedName::new(issuer.raw, tbs_cert.issuer()),
            tbs: (tbs.offset, tbs.offset + tbs.raw.len()),
            spki: (spki.offset, spki.offset + spki.raw.len()),
            der: der.to_vec(),
            inner,
            extensions,
        })
    }

    /// The certificate's DER encoding, exactly as read.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// PEM (`-----BEGIN CERTIFICATE-----`, LF line endings, 64 columns).
    pub fn to_pem(&self) -> String {
        crate::cert::pem::encode("CERTIFICATE", &self.der)
    }

    /// The decoded `x509-cert` structure, for callers that need a field we do not expose.
    pub fn as_x509(&self) -> &x509_cert::Certificate {
        &self.inner
    }

    /// The to-be-signed bytes, as read (what the issuer's signature covers).
    pub fn tbs_der(&self) -> &[u8] {
        &self.der[self.tbs.0..self.tbs.1]
    }

    /// The SubjectPublicKeyInfo DER, as read.
    pub fn spki_der(&self) -> &[u8] {
        &self.der[self.spki.0..self.spki.1]
    }

    /// X.509 version: 1, 2 or 3.
    pub fn version(&self) -> u8 {
        self.inner.tbs_certificate().version() as u8 + 1
    }

    /// The serial number's content octets (big-endian, as encoded).
    pub fn serial(&self) -> &[u8] {
        self.inner.tbs_certificate().serial_number().as_bytes()
    }

    /// The serial number as lowercase hex without separators (a sign octet dropped), as
    /// `openssl x509 -serial` prints it.
    pub fn serial_hex(&self) -> String {
        let s = self.serial();
        let s = match s {
            [0, rest @ ..] if !rest.is_empty() => rest,
            _ => s,
        };
        crate::hex(s)
    }

    /// The subject name.
    pub fn subject(&self) -> &DistinguishedName {
        &self.subject
    }

    /// The issuer name.
    pub fn issuer(&self) -> &DistinguishedName {
        &self.issuer
    }

    /// notBefore.
    pub fn not_before(&self) -> Timestamp {
        to_ts(&self.inner.tbs_certificate().validity().not_before)
    }

    /// notAfter.
    pub fn not_after(&self) -> Timestamp {
        to_ts(&self.inner.tbs_certificate().validity().not_after)
    }

    /// Whether `at` lies within [notBefore, notAfter] (RFC 5280 §4.1.2.5: both inclusive).
    pub fn is_valid_at(&self, at: Timestamp) -> bool {
        self.not_before() <= at && at <= self.not_after()
    }

    /// Subject alternative names (empty when the extension is absent).
    pub fn subject_alt_names(&self) -> SubjectAltNames {
        self.extensions
            .san
            .as_ref()
            .map(|(_, s)| s.clone())
            .unwrap_or_default()
    }

    /// Subject alternative names without cloning, `None` when the extension is absent.
    pub fn san(&self) -> Option<&SubjectAltNames> {
        self.extensions.san.as_ref().map(|(_, s)| s)
    }

    /// The most specific common name of the subject.
    pub fn common_name(&self) -> Option<String> {
        self.subject.common_name()
    }

    /// Public key algorithm, size and curve.
    pub fn public_key(&self) -> PublicKeyInfo {
        PublicKeyInfo::from_spki(self.inner.tbs_certificate().subject_public_key_info())
    }

    /// The issuer's signature algorithm, named as OpenSSL names it.
    pub fn signature_algorithm(&self) -> String {
        oids::signature_name(&self.inner.signature_algorithm().oid)
    }

    /// The signature bits.
    pub fn signature_bytes(&self) -> &[u8] {
        self.inner.signature().raw_bytes()
    }

    /// basicConstraints, if present.
    pub fn basic_constraints(&self) -> Option<BasicConstraints> {
        self.extensions.basic_constraints
    }

    /// True when basicConstraints says cA.
    pub fn is_ca(&self) -> bool {
        self.extensions.basic_constraints.is_some_and(|b| b.ca)
    }

    /// pathLenConstraint, if any.
    pub fn path_len(&self) -> Option<u8> {
        self.extensions.basic_constraints.and_then(|b| b.path_len)
    }

    /// keyUsage, if present.
    pub fn key_usage(&self) -> Option<KeyUsage> {
        self.extensions.key_usage
    }

    /// extendedKeyUsage as names (`serverAuth`, …; unknown ones as dotted OIDs).
    pub fn extended_key_usage(&self) -> Vec<String> {
        self.extensions
            .extended_key_usage
            .iter()
            .flatten()
            .map(oids::eku_name)
            .collect()
    }

    /// subjectKeyIdentifier.
    pub fn subject_key_id(&self) -> Option<&[u8]> {
        self.extensions.subject_key_id.as_deref()
    }

    /// authorityKeyIdentifier.
    pub fn authority_key_id(&self) -> Option<&AuthorityKeyId> {
        self.extensions.authority_key_id.as_ref()
    }

    /// authorityInfoAccess caIssuers URLs.
    pub fn ca_issuers_urls(&self) -> &[String] {
        &self.extensions.ca_issuers_urls
    }

    /// authorityInfoAccess OCSP URLs.
    pub fn ocsp_urls(&self) -> &[String] {
        &self.extensions.ocsp_urls
    }

    /// cRLDistributionPoints URLs.
    pub fn crl_urls(&self) -> &[String] {
        &self.extensions.crl_urls
    }

    /// Every extension with OID, name and critical flag, in order.
    pub fn extension_list(&self) -> &[ExtensionInfo] {
        &self.extensions.list
    }

    /// All decoded extensions (for the validator).
    pub fn extensions(&self) -> &Extensions {
        &self.extensions
    }

    /// SHA-256 of the DER: the certificate's identity in ccetrust.
    pub fn sha256(&self) -> [u8; 32] {
        Sha256::digest(&self.der).into()
    }

    /// SHA-256 fingerprint, lowercase hex without separators.
    pub fn sha256_hex(&self) -> String {
        crate::hex(&self.sha256())
    }

    /// SHA-1 of the DER (what keytool and Windows show as the thumbprint).
    pub fn sha1(&self) -> [u8; 20] {
        Sha1::digest(&self.der).into()
    }

    /// SHA-1 fingerprint, lowercase hex without separators.
    pub fn sha1_hex(&self) -> String {
        crate::hex(&self.sha1())
    }

    /// SHA-256 of the SubjectPublicKeyInfo DER: equal for a certificate, its CSR and its key.
    pub fn public_key_sha256(&self) -> [u8; 32] {
        Sha256::digest(self.spki_der()).into()
    }

    /// Subject equals issuer (RFC 5280 §6.1: "self-issued").
    pub fn is_self_issued(&self) -> bool {
        self.subject.der() == self.issuer.der()
    }

    /// Self-issued and its signature verifies with its own key.
    pub fn is_self_signed(&self) -> bool {
        self.is_self_issued() && self.verify_signed_by(self).is_ok()
    }

    /// Verifies this certificate's signature with `issuer`'s public key.
    pub fn verify_signed_by(
        &self,
        issuer: &Certificate,
    ) -> Result<SignatureAlgorithm, SignatureError> {
        verify_signature(
            self.inner.signature_algorithm(),
            issuer.inner.tbs_certificate().subject_public_key_info(),
            self.tbs_der(),
            self.signature_bytes(),
        )
    }
}

fn to_ts(t: &x509_cert::time::Time) -> Timestamp {
    Timestamp::from_unix(t.to_unix_duration().as_secs() as i64)
}

impl PartialEq for Certificate {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der
    }
}
impl Eq for Certificate {}

impl std::hash::Hash for Certificate {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.der.hash(state)
    }
}

impl fmt::Debug for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Certificate")
            .field("subject", &self.subject.to_rfc4514())
            .field("issuer", &self.issuer.to_rfc4514())
            .field("sha256", &self.sha256_hex())
            .finish()
    }
}
