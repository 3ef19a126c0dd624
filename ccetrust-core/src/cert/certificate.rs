//! `Certificate`: one X.509 certificate, its original DER and every field ccetrust reports.

use der::Decode;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use std::fmt;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use super::der_reader::{DerReader, Tlv, INTEGER, SEQUENCE};
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
/// those, never a re-encoding. The structure is walked and validated once when read; the
/// fields are then served from the original bytes, so that reading a large trust store or
/// a bundle costs little more than hashing it.
///
/// A `Certificate` is a shared handle: cloning one (into a verified path, a report, a
/// keystore entry) copies a pointer, and the clones share what was decoded or hashed on
/// demand (fingerprint, strict decoding, public key).
#[derive(Clone)]
pub struct Certificate {
    inner: Arc<CertificateInner>,
}

/// The fields of a [`Certificate`].
struct CertificateInner {
    /// The DER as read: the one copy, shared by the names and extension values.
    der: Arc<[u8]>,
    version: u8,
    serial: Range<usize>,
    tbs: Range<usize>,
    tbs_signature_algorithm: Range<usize>,
    spki_range: Range<usize>,
    signature: Range<usize>,
    not_before: Timestamp,
    not_after: Timestamp,
    subject: DistinguishedName,
    issuer: DistinguishedName,
    signature_algorithm_range: Range<usize>,
    // Decoded on first use only, and boxed so that an undecoded certificate stays small
    // (it is moved and stored by the thousand in trust stores).
    spki: OnceLock<Option<Box<SubjectPublicKeyInfoOwned>>>,
    signature_algorithm: OnceLock<Option<Box<AlgorithmIdentifierOwned>>>,
    extensions: Extensions,
    x509: OnceLock<Option<Box<x509_cert::Certificate>>>,
    /// The SHA-256 fingerprint, computed on first use: the validator, the audit and the
    /// reports each name a certificate by it, often several times.
    fingerprint: OnceLock<[u8; 32]>,
}

/// Reads a UTCTime (YYMMDDHHMMSSZ) or GeneralizedTime (YYYYMMDDHHMMSSZ), the only forms
/// RFC 5280 §4.1.2.5 allows.
fn parse_time(t: &Tlv<'_>, what: &'static str) -> Result<Timestamp, ParseError> {
    let bad = |detail: &str| ParseError::Der {
        offset: t.offset,
        expected: what,
        detail: detail.to_string(),
    };
    let v = t.value;
    let (year, rest) = match (t.tag, v.len()) {
        (0x17, 13) => {
            let yy = digits(v, 0, 2).ok_or_else(|| bad("non-digit in time"))? as i64;
            (if yy < 50 { 2000 + yy } else { 1900 + yy }, 2)
        }
        (0x18, 15) => (
            digits(v, 0, 4).ok_or_else(|| bad("non-digit in time"))? as i64,
            4,
        ),
        (0x17, _) => return Err(bad("UTCTime must be YYMMDDHHMMSSZ")),
        (0x18, _) => return Err(bad("GeneralizedTime must be YYYYMMDDHHMMSSZ")),
        (other, _) => return Err(bad(&format!("tag 0x{other:02x} is not a time"))),
    };
    if v.last() != Some(&b'Z') {
        return Err(bad("time must end in Z (UTC)"));
    }
    let two = |at: usize| digits(v, rest + at, 2).ok_or_else(|| bad("non-digit in time"));
    let (mo, d, h, mi, se) = (two(0)?, two(2)?, two(4)?, two(6)?, two(8)?);
    if se > 59 {
        return Err(bad("seconds out of range"));
    }
    Timestamp::from_civil(year, mo, d, h, mi, se).ok_or_else(|| bad("date out of range"))
}

/// The decimal number in `v[at..at + n]`, `None` if a byte is not a digit (or missing).
#[inline]
/// `n` ASCII digits at `at` as a number.
pub(super) fn digits(v: &[u8], at: usize, n: usize) -> Option<u32> {
    v.get(at..at + n)?.iter().try_fold(0u32, |a, &b| {
        let d = b.wrapping_sub(b'0');
        (d < 10).then_some(a * 10 + d as u32)
    })
}

fn range(t: &Tlv<'_>) -> Range<usize> {
    t.offset..t.offset + t.raw.len()
}

impl Certificate {
    /// Decodes one DER certificate. Trailing bytes after the certificate are an error.
    pub fn from_der(der: &[u8]) -> Result<Self, ParseError> {
        if der.is_empty() {
            return Err(ParseError::Empty);
        }
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
        let sig_alg = body.expect(SEQUENCE, "the signatureAlgorithm")?;
        let sig = body.expect(0x03, "the signature BIT STRING")?;
        body.finish("the end of the Certificate SEQUENCE")?;
        if sig.value.first() != Some(&0) {
            return Err(ParseError::Der {
                offset: sig.offset,
                expected: "a signature BIT STRING with no unused bits",
                detail: "unused bits or empty".into(),
            });
        }

        let mut t = DerReader::inside(&tbs);
        let mut version = 1u8;
        if t.peek_tag() == Some(0xa0) {
            let v = t.any("the version [0]")?;
            let mut vr = DerReader::inside(&v);
            let n = vr.expect(INTEGER, "the version INTEGER")?;
            vr.finish("the version")?;
            version = match n.value {
                [0] => 1,
                [1] => 2,
                [2] => 3,
                _ => {
                    return Err(ParseError::Der {
                        offset: n.offset,
                        expected: "version v1, v2 or v3",
                        detail: format!("value {}", crate::hex(n.value)),
                    })
                }
            };
        }
        let serial = t.expect(INTEGER, "the serial number")?;
        if serial.value.is_empty() {
            return Err(ParseError::Der {
                offset: serial.offset,
                expected: "a serial number",
                detail: "empty INTEGER".into(),
            });
        }
        let tbs_sig = t.expect(SEQUENCE, "the signature AlgorithmIdentifier")?;
        let issuer = t.expect(SEQUENCE, "the issuer Name")?;
        let validity = t.expect(SEQUENCE, "the Validity")?;
        let subject = t.expect(SEQUENCE, "the subject Name")?;
        let spki = t.expect(SEQUENCE, "the SubjectPublicKeyInfo")?;
        let mut ext_tlv = None;
        while !t.is_empty() {
            let f = t.any("issuerUniqueID [1], subjectUniqueID [2] or extensions [3]")?;
            match f.tag {
                0x81 | 0x82 | 0xa1 | 0xa2 => {}
                0xa3 if ext_tlv.is_none() => ext_tlv = Some(f),
                other => {
                    return Err(ParseError::Der {
                        offset: f.offset,
                        expected: "issuerUniqueID [1], subjectUniqueID [2] or extensions [3]",
                        detail: format!("tag 0x{other:02x}"),
                    })
                }
            }
        }

        let mut vr = DerReader::inside(&validity);
        let nb = vr.any("notBefore")?;
        let na = vr.any("notAfter")?;
        vr.finish("the Validity")?;
        let not_before = parse_time(&nb, "notBefore (UTCTime or GeneralizedTime)")?;
        let not_after = parse_time(&na, "notAfter (UTCTime or GeneralizedTime)")?;

        let ext_range = match ext_tlv {
            Some(e) => {
                let mut er = DerReader::inside(&e);
                let seq = er.expect(SEQUENCE, "Extensions")?;
                er.finish("the extensions [3]")?;
                Some(range(&seq))
            }
            None => None,
        };
        check_algorithm(&sig_alg, "the signatureAlgorithm")?;
        check_algorithm(&tbs_sig, "the TBSCertificate signature algorithm")?;
        {
            let mut sr = DerReader::inside(&spki);
            let alg = sr.expect(SEQUENCE, "the SubjectPublicKeyInfo algorithm")?;
            check_algorithm(&alg, "the SubjectPublicKeyInfo algorithm")?;
            sr.expect(0x03, "the subjectPublicKey BIT STRING")?;
            sr.finish("the SubjectPublicKeyInfo")?;
        }

        // The one copy of the bytes; names and extension values share it.
        let shared: Arc<[u8]> = Arc::from(der);
        let extensions = match ext_range {
            Some(r) => Extensions::parse(&shared, r)?,
            None => Extensions::default(),
        };
        Ok(Certificate::from_inner(CertificateInner {
            version,
            serial: serial.value_offset..serial.value_offset + serial.value.len(),
            tbs: range(&tbs),
            tbs_signature_algorithm: range(&tbs_sig),
            spki_range: range(&spki),
            signature: sig.value_offset + 1..sig.value_offset + sig.value.len(),
            not_before,
            not_after,
            subject: DistinguishedName::parse_shared(&shared, range(&subject))?,
            issuer: DistinguishedName::parse_shared(&shared, range(&issuer))?,
            signature_algorithm_range: range(&sig_alg),
            spki: OnceLock::new(),
            signature_algorithm: OnceLock::new(),
            extensions,
            x509: OnceLock::new(),
            fingerprint: OnceLock::new(),
            der: shared,
        }))
    }

    fn from_inner(inner: CertificateInner) -> Self {
        Certificate {
            inner: Arc::new(inner),
        }
    }

    /// The certificate's DER encoding, exactly as read.
    pub fn der(&self) -> &[u8] {
        &self.inner.der
    }

    /// PEM (`-----BEGIN CERTIFICATE-----`, LF line endings, 64 columns).
    pub fn to_pem(&self) -> String {
        crate::cert::pem::encode("CERTIFICATE", &self.inner.der)
    }

    /// The certificate decoded by `x509-cert`, for callers that need a field we do not
    /// expose; decoded on first use. `None` when that crate refuses an encoding we accept.
    pub fn as_x509(&self) -> Option<&x509_cert::Certificate> {
        self.inner
            .x509
            .get_or_init(|| {
                x509_cert::Certificate::from_der(&self.inner.der)
                    .ok()
                    .map(Box::new)
            })
            .as_deref()
    }

    /// Checks the strict DER rules of RFC 5280's syntax that reading does not (see
    /// `cert/strict.rs`): the validator trusts no certificate that breaks one.
    pub fn check_strict_der(&self) -> Result<(), super::StrictDerViolation> {
        super::strict::check(&self.inner.der)
    }

    /// The to-be-signed bytes, as read (what the issuer's signature covers).
    pub fn tbs_der(&self) -> &[u8] {
        &self.inner.der[self.inner.tbs.clone()]
    }

    /// The SubjectPublicKeyInfo DER, as read.
    pub fn spki_der(&self) -> &[u8] {
        &self.inner.der[self.inner.spki_range.clone()]
    }

    /// The SubjectPublicKeyInfo, decoded on first use (`None` if the `spki` crate refuses
    /// an encoding our reader accepted).
    pub fn subject_public_key_info(&self) -> Option<&SubjectPublicKeyInfoOwned> {
        self.inner
            .spki
            .get_or_init(|| {
                SubjectPublicKeyInfoOwned::from_der(self.spki_der())
                    .ok()
                    .map(Box::new)
            })
            .as_deref()
    }

    /// The outer signatureAlgorithm, decoded on first use.
    pub fn signature_algorithm_id(&self) -> Option<&AlgorithmIdentifierOwned> {
        self.inner
            .signature_algorithm
            .get_or_init(|| {
                AlgorithmIdentifierOwned::from_der(
                    &self.inner.der[self.inner.signature_algorithm_range.clone()],
                )
                .ok()
                .map(Box::new)
            })
            .as_deref()
    }

    /// The DER of the outer signatureAlgorithm, as read.
    pub fn signature_algorithm_der(&self) -> &[u8] {
        &self.inner.der[self.inner.signature_algorithm_range.clone()]
    }

    /// The DER of the signature AlgorithmIdentifier inside the TBSCertificate (RFC 5280
    /// §4.1.1.2 requires it to equal the outer one).
    pub fn tbs_signature_algorithm_der(&self) -> &[u8] {
        &self.inner.der[self.inner.tbs_signature_algorithm.clone()]
    }

    /// X.509 version: 1, 2 or 3.
    pub fn version(&self) -> u8 {
        self.inner.version
    }

    /// The serial number's content octets (big-endian, as encoded).
    pub fn serial(&self) -> &[u8] {
        &self.inner.der[self.inner.serial.clone()]
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
        &self.inner.subject
    }

    /// The issuer name.
    pub fn issuer(&self) -> &DistinguishedName {
        &self.inner.issuer
    }

    /// notBefore.
    pub fn not_before(&self) -> Timestamp {
        self.inner.not_before
    }

    /// notAfter.
    pub fn not_after(&self) -> Timestamp {
        self.inner.not_after
    }

    /// Whether `at` lies within [notBefore, notAfter] (RFC 5280 §4.1.2.5: both inclusive).
    pub fn is_valid_at(&self, at: Timestamp) -> bool {
        self.not_before() <= at && at <= self.not_after()
    }

    /// Subject alternative names (empty when the extension is absent).
    pub fn subject_alt_names(&self) -> SubjectAltNames {
        self.inner
            .extensions
            .san
            .as_ref()
            .map(|(_, s)| s.clone())
            .unwrap_or_default()
    }

    /// Subject alternative names without cloning, `None` when the extension is absent.
    pub fn san(&self) -> Option<&SubjectAltNames> {
        self.inner.extensions.san.as_ref().map(|(_, s)| s)
    }

    /// The most specific common name of the subject.
    pub fn common_name(&self) -> Option<String> {
        self.inner.subject.common_name()
    }

    /// Public key algorithm, size and curve.
    pub fn public_key(&self) -> PublicKeyInfo {
        PublicKeyInfo::from_spki_der(self.spki_der())
    }

    /// The encoded OID (content bytes) of the public key's algorithm, read from the
    /// SubjectPublicKeyInfo without decoding it.
    pub(crate) fn public_key_algorithm_oid(&self) -> Option<&[u8]> {
        let mut r = DerReader::new(self.spki_der(), 0);
        let seq = r.expect(SEQUENCE, "SubjectPublicKeyInfo").ok()?;
        let alg = DerReader::inside(&seq)
            .expect(SEQUENCE, "AlgorithmIdentifier")
            .ok()?;
        algorithm_oid_bytes(alg.raw)
    }

    /// The issuer's signature algorithm, named as OpenSSL names it.
    pub fn signature_algorithm(&self) -> String {
        let oid = algorithm_oid_bytes(self.signature_algorithm_der());
        if let Some(name) = oid.and_then(oids::signature_name_bytes) {
            return name.to_string();
        }
        oid.and_then(|o| const_oid::ObjectIdentifier::from_bytes(o).ok())
            .map(|o| oids::signature_name(&o))
            .unwrap_or_else(|| "?".into())
    }

    /// The signature bits.
    pub fn signature_bytes(&self) -> &[u8] {
        &self.inner.der[self.inner.signature.clone()]
    }

    /// basicConstraints, if present.
    pub fn basic_constraints(&self) -> Option<BasicConstraints> {
        self.inner.extensions.basic_constraints
    }

    /// True when basicConstraints says cA.
    pub fn is_ca(&self) -> bool {
        self.inner
            .extensions
            .basic_constraints
            .is_some_and(|b| b.ca)
    }

    /// pathLenConstraint, if any.
    pub fn path_len(&self) -> Option<u8> {
        self.inner
            .extensions
            .basic_constraints
            .and_then(|b| b.path_len)
    }

    /// keyUsage, if present.
    pub fn key_usage(&self) -> Option<KeyUsage> {
        self.inner.extensions.key_usage
    }

    /// extendedKeyUsage as names (`serverAuth`, …; unknown ones as dotted OIDs).
    pub fn extended_key_usage(&self) -> Vec<String> {
        self.inner
            .extensions
            .extended_key_usage
            .iter()
            .flatten()
            .map(oids::eku_name)
            .collect()
    }

    /// subjectKeyIdentifier.
    pub fn subject_key_id(&self) -> Option<&[u8]> {
        self.inner.extensions.subject_key_id.as_deref()
    }

    /// authorityKeyIdentifier.
    pub fn authority_key_id(&self) -> Option<&AuthorityKeyId> {
        self.inner.extensions.authority_key_id.as_ref()
    }

    /// authorityInfoAccess caIssuers URLs.
    pub fn ca_issuers_urls(&self) -> &[String] {
        &self.inner.extensions.ca_issuers_urls
    }

    /// authorityInfoAccess OCSP URLs.
    pub fn ocsp_urls(&self) -> &[String] {
        &self.inner.extensions.ocsp_urls
    }

    /// cRLDistributionPoints URLs.
    pub fn crl_urls(&self) -> &[String] {
        &self.inner.extensions.crl_urls
    }

    /// Every extension with OID, name and critical flag, in order.
    pub fn extension_list(&self) -> &[ExtensionInfo] {
        &self.inner.extensions.list
    }

    /// All decoded extensions (for the validator).
    pub fn extensions(&self) -> &Extensions {
        &self.inner.extensions
    }

    /// SHA-256 of the DER: the certificate's identity in ccetrust.
    pub fn sha256(&self) -> [u8; 32] {
        *self
            .inner
            .fingerprint
            .get_or_init(|| Sha256::digest(&self.inner.der).into())
    }

    /// SHA-256 fingerprint, lowercase hex without separators.
    pub fn sha256_hex(&self) -> String {
        crate::hex(&self.sha256())
    }

    /// SHA-1 of the DER (what keytool and Windows show as the thumbprint).
    pub fn sha1(&self) -> [u8; 20] {
        Sha1::digest(&self.inner.der).into()
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
        self.inner.subject.der() == self.inner.issuer.der()
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
        let (Some(alg), Some(key)) = (
            self.signature_algorithm_id(),
            issuer.subject_public_key_info(),
        ) else {
            return Err(SignatureError::BadKey(
                "the algorithm identifier or public key could not be decoded".into(),
            ));
        };
        verify_signature(alg, key, self.tbs_der(), self.signature_bytes())
    }
}

/// Checks `AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }`.
fn check_algorithm(t: &Tlv<'_>, what: &'static str) -> Result<(), ParseError> {
    let mut r = DerReader::inside(t);
    // The OID's arcs are checked when the algorithm is used, not here.
    r.expect(super::der_reader::OID, what)?;
    if !r.is_empty() {
        r.any(what)?;
    }
    r.finish(what)
}

/// The encoded OID (content octets) of an AlgorithmIdentifier's DER.
fn algorithm_oid_bytes(der: &[u8]) -> Option<&[u8]> {
    let mut r = DerReader::new(der, 0);
    let seq = r.expect(SEQUENCE, "AlgorithmIdentifier").ok()?;
    let oid = DerReader::inside(&seq)
        .expect(super::der_reader::OID, "OID")
        .ok()?;
    Some(oid.value)
}

impl PartialEq for Certificate {
    fn eq(&self, other: &Self) -> bool {
        self.inner.der == other.inner.der
    }
}
impl Eq for Certificate {}

impl std::hash::Hash for Certificate {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.inner.der.hash(state)
    }
}

impl fmt::Debug for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Certificate")
            .field("subject", &self.inner.subject.to_rfc4514())
            .field("issuer", &self.inner.issuer.to_rfc4514())
            .field("sha256", &self.sha256_hex())
            .finish()
    }
}
