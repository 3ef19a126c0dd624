//! `ccetrust.x509`: certificates, CSRs and names, read from any encoding, with every field
//! `ccetrust inspect` reports as a property; `inspect_many` for bulk work.

use std::borrow::Cow;
use std::net::IpAddr;

use pyo3::prelude::*;
use pyo3::pyclass::CompareOp;
use pyo3::types::{PyBytes, PyDict, PyList, PyTuple};

use ccetrust::cert::{
    CertificateRequest, CsrComparison, DistinguishedName, ExtensionInfo, SubjectAltNames,
};
use ccetrust::{report, Certificate, Loaded};

use crate::convert::{datetime, json_to_py, timestamp};
use crate::errors::IntoPyResult;
use crate::input::{Data, FsPath};

// ---------------------------------------------------------------------------------------
// Names

/// A subject or issuer name. Compares equal to another name with the same DER encoding.
#[pyclass(module = "ccetrust._ccetrust", name = "Name", frozen)]
#[derive(Clone)]
pub struct PyName {
    pub inner: DistinguishedName,
}

/// One attribute of a name, e.g. `CN=rgra.example.com`.
#[pyclass(module = "ccetrust._ccetrust", name = "NameAttribute", frozen, get_all)]
#[derive(Clone)]
pub struct PyNameAttribute {
    /// Dotted OID of the attribute type.
    oid: String,
    /// Short name (`CN`, `O`, …) when known.
    short_name: Option<&'static str>,
    /// The value as text.
    value: String,
    /// Index of the RDN the attribute belongs to (0 = first in the encoding).
    rdn: usize,
}

#[pymethods]
impl PyNameAttribute {
    fn __repr__(&self) -> String {
        format!(
            "<NameAttribute {}={:?}>",
            self.short_name
                .map(str::to_string)
                .unwrap_or_else(|| self.oid.clone()),
            self.value
        )
    }
}

#[pymethods]
impl PyName {
    /// Decodes a DER-encoded Name.
    #[staticmethod]
    fn from_der(py: Python<'_>, data: Data<'_>) -> PyResult<Self> {
        Ok(PyName {
            inner: DistinguishedName::from_der(&data.0).py_err(py)?,
        })
    }

    /// The RFC 4514 string (`CN=…,O=…`, most significant RDN last).
    fn rfc4514_string(&self) -> String {
        self.inner.to_rfc4514()
    }

    /// The DER encoding, exactly as it appears in the certificate.
    fn to_der<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.inner.der())
    }

    /// The most specific common name, if any.
    #[getter]
    fn common_name(&self) -> Option<String> {
        self.inner.common_name()
    }

    /// Every attribute, in encoding order.
    #[getter]
    fn attributes(&self) -> Vec<PyNameAttribute> {
        self.inner
            .attributes()
            .into_iter()
            .map(|a| PyNameAttribute {
                oid: a.oid.to_string(),
                short_name: a.short_name,
                value: a.value,
                rdn: a.rdn,
            })
            .collect()
    }

    /// The values of one attribute, by short name (`"OU"`) or dotted OID.
    fn get(&self, attribute: &str) -> Vec<String> {
        self.inner
            .attributes()
            .into_iter()
            .filter(|a| a.short_name == Some(attribute) || a.oid.to_string() == attribute)
            .map(|a| a.value)
            .collect()
    }

    fn __str__(&self) -> String {
        self.inner.to_rfc4514()
    }

    fn __repr__(&self) -> String {
        format!("<Name {:?}>", self.inner.to_rfc4514())
    }

    fn __len__(&self) -> usize {
        self.inner.attributes().len()
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        let py = other.py();
        let Ok(other) = other.cast::<PyName>() else {
            return Ok(py.NotImplemented());
        };
        let eq = self.inner.der() == other.get().inner.der();
        match op {
            CompareOp::Eq => Ok(eq.into_pyobject(py)?.to_owned().into_any().unbind()),
            CompareOp::Ne => Ok((!eq).into_pyobject(py)?.to_owned().into_any().unbind()),
            _ => Ok(py.NotImplemented()),
        }
    }

    fn __hash__(&self) -> u64 {
        fnv(self.inner.der())
    }
}

fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

// ---------------------------------------------------------------------------------------
// Subject alternative names, extensions

/// Subject alternative names, by kind (RFC 5280 §4.2.1.6).
#[pyclass(module = "ccetrust._ccetrust", name = "SubjectAltNames", frozen)]
pub struct PySubjectAltNames {
    inner: SubjectAltNames,
}

#[pymethods]
impl PySubjectAltNames {
    /// dNSName entries, as written.
    #[getter]
    fn dns(&self) -> Vec<String> {
        self.inner.dns.clone()
    }
    /// iPAddress entries, as `ipaddress` objects.
    #[getter]
    fn ip(&self) -> Vec<IpAddr> {
        self.inner.ip.clone()
    }
    /// rfc822Name entries.
    #[getter]
    fn email(&self) -> Vec<String> {
        self.inner.email.clone()
    }
    /// URI entries.
    #[getter]
    fn uri(&self) -> Vec<String> {
        self.inner.uri.clone()
    }
    /// directoryName entries.
    #[getter]
    fn directory(&self) -> Vec<PyName> {
        self.inner
            .directory
            .iter()
            .map(|d| PyName { inner: d.clone() })
            .collect()
    }
    /// Anything else, described (`otherName:<oid>`, …).
    #[getter]
    fn other(&self) -> Vec<String> {
        self.inner.other.clone()
    }
    /// Every name as `DNS:x`, `IP:x`, `email:x`, `URI:x`, `DirName:x`, in that order.
    fn to_list(&self) -> Vec<String> {
        san_strings(&self.inner)
    }
    fn __len__(&self) -> usize {
        san_strings(&self.inner).len()
    }
    fn __bool__(&self) -> bool {
        !self.inner.is_empty()
    }
    fn __repr__(&self) -> String {
        format!("<SubjectAltNames {:?}>", san_strings(&self.inner))
    }
}

fn san_strings(s: &SubjectAltNames) -> Vec<String> {
    let mut names: Vec<String> = s.dns.iter().map(|d| format!("DNS:{d}")).collect();
    names.extend(s.ip.iter().map(|i| format!("IP:{i}")));
    names.extend(s.email.iter().map(|e| format!("email:{e}")));
    names.extend(s.uri.iter().map(|u| format!("URI:{u}")));
    names.extend(
        s.directory
            .iter()
            .map(|d| format!("DirName:{d}", d = d.to_rfc4514())),
    );
    names.extend(s.other.iter().cloned());
    names
}

/// One extension: OID, name, critical flag and raw value.
#[pyclass(module = "ccetrust._ccetrust", name = "Extension", frozen)]
pub struct PyExtension {
    inner: ExtensionInfo,
}

#[pymethods]
impl PyExtension {
    /// Dotted OID.
    #[getter]
    fn oid(&self) -> String {
        self.inner.oid.to_string()
    }
    /// Name (`subjectAltName`, …) when known.
    #[getter]
    fn name(&self) -> Option<&'static str> {
        self.inner.name
    }
    /// Whether the issuer marked it critical.
    #[getter]
    fn critical(&self) -> bool {
        self.inner.critical
    }
    /// The DER inside the extension's OCTET STRING.
    #[getter]
    fn value<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.value)
    }
    fn __repr__(&self) -> String {
        format!(
            "<Extension {}{}>",
            self.inner
                .name
                .map(str::to_string)
                .unwrap_or_else(|| self.inner.oid.to_string()),
            if self.inner.critical { " critical" } else { "" }
        )
    }
}

// ---------------------------------------------------------------------------------------
// Certificate

/// An X.509 certificate. Keeps the exact bytes it was read from.
#[pyclass(module = "ccetrust._ccetrust", name = "Certificate", frozen)]
#[derive(Clone)]
pub struct PyCertificate {
    pub inner: Certificate,
}

impl PyCertificate {
    pub fn new(inner: Certificate) -> Self {
        PyCertificate { inner }
    }
}

/// Extracts exactly one certificate from any encoding ([`ccetrust::cert::load_one`]).
fn one_certificate(py: Python<'_>, bytes: &[u8]) -> PyResult<Certificate> {
    py.detach(|| ccetrust::cert::load_one(bytes)).py_err(py)
}

#[pymethods]
impl PyCertificate {
    /// Reads one certificate in any encoding (DER, PEM, base64, a PKCS#7 holding one).
    #[new]
    fn py_new(py: Python<'_>, data: Data<'_>) -> PyResult<Self> {
        Ok(Self::new(one_certificate(py, &data.0)?))
    }

    /// Decodes one DER certificate; trailing bytes are an error.
    #[staticmethod]
    fn from_der(py: Python<'_>, data: Data<'_>) -> PyResult<Self> {
        Ok(Self::new(Certificate::from_der(&data.0).py_err(py)?))
    }

    /// Reads one PEM certificate (text around the block is ignored).
    #[staticmethod]
    fn from_pem(py: Python<'_>, data: Data<'_>) -> PyResult<Self> {
        if !ccetrust::cert::pem::looks_like_pem(trim_ascii(&data.0)) {
            return Err(crate::errors::not_pem(py));
        }
        Ok(Self::new(one_certificate(py, &data.0)?))
    }

    /// Converts a `cryptography.x509.Certificate`.
    #[staticmethod]
    fn from_cryptography(py: Python<'_>, cert: &Bound<'_, PyAny>) -> PyResult<Self> {
        let der_enc = py
            .import("cryptography.hazmat.primitives.serialization")?
            .getattr("Encoding")?
            .getattr("DER")?;
        let der = cert.call_method1("public_bytes", (der_enc,))?;
        let der: &[u8] = der.cast::<PyBytes>()?.as_bytes();
        Ok(Self::new(Certificate::from_der(der).py_err(py)?))
    }

    /// The DER encoding, exactly as read.
    fn to_der<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.inner.der())
    }

    /// PEM text (`-----BEGIN CERTIFICATE-----`, 64-column base64).
    fn to_pem(&self) -> String {
        self.inner.to_pem()
    }

    /// The same certificate as a `cryptography.x509.Certificate` (needs `cryptography`:
    /// without it, an `ImportError` that says how to install it).
    fn to_cryptography<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let module = py.import("cryptography.x509").map_err(|e| {
            let err = pyo3::exceptions::PyImportError::new_err(
                "Certificate.to_cryptography() needs the 'cryptography' package: \
                 pip install cryptography (or ccetrust[cryptography])",
            );
            err.set_cause(py, Some(e));
            err
        })?;
        module.call_method1(
            "load_der_x509_certificate",
            (PyBytes::new(py, self.inner.der()),),
        )
    }

    /// Everything `ccetrust inspect --json` reports, as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let mut v = report::certificate_json(&self.inner, "", 0);
        if let Some(o) = v.as_object_mut() {
            o.remove("source");
            o.remove("index");
        }
        json_to_py(py, &v)
    }

    /// The text `ccetrust inspect` prints.
    fn to_text(&self) -> String {
        report::certificate_text(&self.inner, "python", 0)
    }

    /// X.509 version (3 for nearly every certificate).
    #[getter]
    fn version(&self) -> u8 {
        self.inner.version()
    }

    /// Serial number as lowercase hex.
    #[getter]
    fn serial(&self) -> String {
        self.inner.serial_hex()
    }

    /// Serial number as an integer.
    #[getter]
    fn serial_number<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let int = py.import("builtins")?.getattr("int")?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("signed", true)?;
        int.call_method(
            "from_bytes",
            (PyBytes::new(py, self.inner.serial()), "big"),
            Some(&kwargs),
        )
    }

    /// The subject name.
    #[getter]
    fn subject(&self) -> PyName {
        PyName {
            inner: self.inner.subject().clone(),
        }
    }

    /// The issuer name.
    #[getter]
    fn issuer(&self) -> PyName {
        PyName {
            inner: self.inner.issuer().clone(),
        }
    }

    /// The subject's most specific common name.
    #[getter]
    fn common_name(&self) -> Option<String> {
        self.inner.common_name()
    }

    /// Start of validity, an aware UTC datetime.
    #[getter]
    fn not_before<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        datetime(py, self.inner.not_before())
    }

    /// End of validity, an aware UTC datetime.
    #[getter]
    fn not_after<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        datetime(py, self.inner.not_after())
    }

    /// Whether the certificate is within its validity at `when` (a datetime or Unix
    /// seconds; now if omitted).
    #[pyo3(signature = (when=None))]
    fn is_valid_at(&self, when: Option<&Bound<'_, PyAny>>) -> PyResult<bool> {
        let at = match when {
            Some(w) => timestamp(w)?,
            None => ccetrust::Timestamp::now(),
        };
        Ok(self.inner.is_valid_at(at))
    }

    /// Subject alternative names (empty when the extension is absent).
    #[getter]
    fn san(&self) -> PySubjectAltNames {
        PySubjectAltNames {
            inner: self.inner.subject_alt_names(),
        }
    }

    /// Public key algorithm: `RSA`, `EC`, `Ed25519`, … or a dotted OID.
    #[getter]
    fn key_algorithm(&self) -> String {
        self.inner.public_key().algorithm
    }

    /// Key size in bits (RSA modulus, curve size), when known.
    #[getter]
    fn key_size(&self) -> Option<u32> {
        self.inner.public_key().bits
    }

    /// Named curve of an EC key (`P-256`, …).
    #[getter]
    fn key_curve(&self) -> Option<String> {
        self.inner.public_key().curve
    }

    /// "RSA 2048", "EC P-256".
    #[getter]
    fn key_description(&self) -> String {
        self.inner.public_key().describe()
    }

    /// The DER SubjectPublicKeyInfo.
    #[getter]
    fn public_key_der<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.inner.spki_der())
    }

    /// SHA-256 of the SubjectPublicKeyInfo, hex (the key's identity across reissues).
    #[getter]
    fn public_key_sha256(&self) -> String {
        ccetrust::hex(&self.inner.public_key_sha256())
    }

    /// Signature algorithm name (`sha256WithRSAEncryption`, …).
    #[getter]
    fn signature_algorithm(&self) -> String {
        self.inner.signature_algorithm()
    }

    /// basicConstraints cA.
    #[getter]
    fn is_ca(&self) -> bool {
        self.inner.is_ca()
    }

    /// basicConstraints pathLenConstraint.
    #[getter]
    fn path_len(&self) -> Option<u8> {
        self.inner.path_len()
    }

    /// keyUsage bit names, or None when the extension is absent.
    #[getter]
    fn key_usage(&self) -> Option<Vec<&'static str>> {
        self.inner.key_usage().map(|k| k.names())
    }

    /// extendedKeyUsage purposes (`serverAuth`, … or dotted OIDs).
    #[getter]
    fn extended_key_usage(&self) -> Vec<String> {
        self.inner.extended_key_usage()
    }

    /// subjectKeyIdentifier.
    #[getter]
    fn subject_key_id<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        self.inner.subject_key_id().map(|k| PyBytes::new(py, k))
    }

    /// authorityKeyIdentifier keyIdentifier.
    #[getter]
    fn authority_key_id<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        self.inner
            .authority_key_id()
            .and_then(|a| a.key_id.as_deref())
            .map(|k| PyBytes::new(py, k))
    }

    /// authorityInfoAccess caIssuers URLs.
    #[getter]
    fn ca_issuers_urls(&self) -> Vec<String> {
        self.inner.ca_issuers_urls().to_vec()
    }

    /// authorityInfoAccess OCSP URLs.
    #[getter]
    fn ocsp_urls(&self) -> Vec<String> {
        self.inner.ocsp_urls().to_vec()
    }

    /// cRLDistributionPoints URLs.
    #[getter]
    fn crl_urls(&self) -> Vec<String> {
        self.inner.crl_urls().to_vec()
    }

    /// Every extension, in order.
    #[getter]
    fn extensions(&self) -> Vec<PyExtension> {
        self.inner
            .extension_list()
            .iter()
            .map(|e| PyExtension { inner: e.clone() })
            .collect()
    }

    /// SHA-256 fingerprint of the DER.
    #[getter]
    fn sha256<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.sha256())
    }

    /// SHA-256 fingerprint, lowercase hex.
    #[getter]
    fn sha256_hex(&self) -> String {
        self.inner.sha256_hex()
    }

    /// SHA-1 fingerprint, lowercase hex (what keytool and VOS still display).
    #[getter]
    fn sha1_hex(&self) -> String {
        self.inner.sha1_hex()
    }

    /// Subject equals issuer.
    #[getter]
    fn self_issued(&self) -> bool {
        self.inner.is_self_issued()
    }

    /// Self-issued and its signature verifies with its own key.
    #[getter]
    fn self_signed(&self) -> bool {
        self.inner.is_self_signed()
    }

    /// Whether `issuer`'s key verifies this certificate's signature.
    fn is_signed_by(&self, py: Python<'_>, issuer: &PyCertificate) -> bool {
        py.detach(|| self.inner.verify_signed_by(&issuer.inner).is_ok())
    }

    fn __repr__(&self) -> String {
        format!(
            "<Certificate subject={:?} sha256={}>",
            self.inner.subject().to_rfc4514(),
            &self.inner.sha256_hex()[..16]
        )
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        let py = other.py();
        let Ok(other) = other.cast::<PyCertificate>() else {
            return Ok(py.NotImplemented());
        };
        let eq = self.inner.der() == other.get().inner.der();
        match op {
            CompareOp::Eq => Ok(eq.into_pyobject(py)?.to_owned().into_any().unbind()),
            CompareOp::Ne => Ok((!eq).into_pyobject(py)?.to_owned().into_any().unbind()),
            _ => Ok(py.NotImplemented()),
        }
    }

    fn __hash__(&self) -> u64 {
        u64::from_be_bytes(self.inner.sha256()[..8].try_into().unwrap_or([0u8; 8]))
    }

    fn __bytes__<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.inner.der())
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let cls = slf.get_type().getattr("from_der")?;
        let args = PyTuple::new(py, [PyBytes::new(py, slf.get().inner.der())])?;
        Ok((cls, args))
    }
}

fn trim_ascii(b: &[u8]) -> &[u8] {
    let b = b.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(b);
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    &b[start..]
}

// ---------------------------------------------------------------------------------------
// CSR

/// A certificate signing request (PKCS#10).
#[pyclass(module = "ccetrust._ccetrust", name = "CertificateRequest", frozen)]
#[derive(Clone)]
pub struct PyCertificateRequest {
    pub inner: CertificateRequest,
}

#[pymethods]
impl PyCertificateRequest {
    /// Reads one CSR in DER or PEM.
    #[new]
    fn py_new(py: Python<'_>, data: Data<'_>) -> PyResult<Self> {
        Ok(PyCertificateRequest {
            inner: ccetrust::cert::load_one_csr(&data.0).py_err(py)?,
        })
    }

    /// Decodes one DER CSR.
    #[staticmethod]
    fn from_der(py: Python<'_>, data: Data<'_>) -> PyResult<Self> {
        Ok(PyCertificateRequest {
            inner: CertificateRequest::from_der(&data.0).py_err(py)?,
        })
    }

    /// Reads one PEM CSR.
    #[staticmethod]
    fn from_pem(py: Python<'_>, data: Data<'_>) -> PyResult<Self> {
        Self::py_new(py, data)
    }

    /// The DER encoding, exactly as read.
    fn to_der<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.inner.der())
    }

    /// PEM text.
    fn to_pem(&self) -> String {
        self.inner.to_pem()
    }

    /// The `inspect --json` view.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let mut v = report::csr_json(&self.inner, "", 0);
        if let Some(o) = v.as_object_mut() {
            o.remove("source");
            o.remove("index");
        }
        json_to_py(py, &v)
    }

    /// The requested subject.
    #[getter]
    fn subject(&self) -> PyName {
        PyName {
            inner: self.inner.subject().clone(),
        }
    }

    /// The requested subject alternative names.
    #[getter]
    fn san(&self) -> PySubjectAltNames {
        PySubjectAltNames {
            inner: self.inner.requested_sans(),
        }
    }

    /// Public key algorithm.
    #[getter]
    fn key_algorithm(&self) -> String {
        self.inner.public_key().algorithm
    }

    /// Key size in bits.
    #[getter]
    fn key_size(&self) -> Option<u32> {
        self.inner.public_key().bits
    }

    /// SHA-256 of the SubjectPublicKeyInfo, hex.
    #[getter]
    fn public_key_sha256(&self) -> String {
        ccetrust::hex(&self.inner.public_key_sha256())
    }

    /// Signature algorithm name.
    #[getter]
    fn signature_algorithm(&self) -> String {
        self.inner.signature_algorithm()
    }

    /// Whether the CSR's self-signature verifies.
    #[getter]
    fn signature_valid(&self) -> bool {
        self.inner.signature_valid()
    }

    /// Compares this CSR with the certificate a CA issued for it (what VOS checks on
    /// upload: same key, same SANs).
    fn compare(&self, certificate: &PyCertificate) -> PyCsrComparison {
        PyCsrComparison {
            inner: self.inner.compare(&certificate.inner),
        }
    }

    fn __repr__(&self) -> String {
        format!(
            "<CertificateRequest subject={:?}>",
            self.inner.subject().to_rfc4514()
        )
    }
}

/// The outcome of `CertificateRequest.compare`.
#[pyclass(module = "ccetrust._ccetrust", name = "CsrComparison", frozen)]
pub struct PyCsrComparison {
    inner: CsrComparison,
}

#[pymethods]
impl PyCsrComparison {
    /// SAN names the CA added.
    #[getter]
    fn san_added(&self) -> Vec<String> {
        self.inner.san_added.clone()
    }
    /// SAN names the CA dropped.
    #[getter]
    fn san_missing(&self) -> Vec<String> {
        self.inner.san_missing.clone()
    }
    /// Whether the subjects carry the same attributes.
    #[getter]
    fn subject_equal(&self) -> bool {
        self.inner.subject_equal
    }
    /// Each subject difference, in words.
    #[getter]
    fn subject_differences(&self) -> Vec<String> {
        self.inner.subject_differences.clone()
    }
    /// Whether the certificate carries the CSR's key.
    #[getter]
    fn key_match(&self) -> bool {
        self.inner.key_match
    }
    /// True when VOS would accept the certificate for this CSR.
    #[getter]
    fn matches(&self) -> bool {
        self.inner.matches()
    }
    /// The `csr compare --json` view.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &report::comparison_json(&self.inner))
    }
    fn __bool__(&self) -> bool {
        self.inner.matches()
    }
    fn __repr__(&self) -> String {
        format!(
            "<CsrComparison matches={} key_match={} san_added={:?} san_missing={:?}>",
            self.inner.matches(),
            self.inner.key_match,
            self.inner.san_added,
            self.inner.san_missing
        )
    }
}

// ---------------------------------------------------------------------------------------
// Loading

/// Everything certificate-like found in one input.
#[pyclass(module = "ccetrust._ccetrust", name = "Loaded", frozen)]
pub struct PyLoaded {
    inner: Loaded,
}

#[pymethods]
impl PyLoaded {
    /// Certificates, in order.
    #[getter]
    fn certificates(&self) -> Vec<PyCertificate> {
        self.inner
            .certificates
            .iter()
            .cloned()
            .map(PyCertificate::new)
            .collect()
    }
    /// CSRs, in order.
    #[getter]
    fn csrs(&self) -> Vec<PyCertificateRequest> {
        self.inner
            .csrs
            .iter()
            .cloned()
            .map(|inner| PyCertificateRequest { inner })
            .collect()
    }
    /// Descriptions of private keys that were present (never their content).
    #[getter]
    fn private_keys(&self) -> Vec<String> {
        self.inner.private_keys.clone()
    }
    fn __repr__(&self) -> String {
        format!(
            "<Loaded certificates={} csrs={} private_keys={}>",
            self.inner.certificates.len(),
            self.inner.csrs.len(),
            self.inner.private_keys.len()
        )
    }
}

/// Reads certificates, CSRs and PKCS#7 bundles from bytes (or PEM text) of any encoding.
#[pyfunction]
pub fn load(py: Python<'_>, data: Data<'_>) -> PyResult<PyLoaded> {
    let bytes: &[u8] = &data.0;
    let inner = py.detach(|| ccetrust::load(bytes)).py_err(py)?;
    Ok(PyLoaded { inner })
}

/// Reads a file with `load`.
#[pyfunction]
pub fn load_file(py: Python<'_>, path: FsPath) -> PyResult<PyLoaded> {
    let inner = py.detach(|| ccetrust::load_file(&path.0)).py_err(py)?;
    Ok(PyLoaded { inner })
}

/// Every certificate in bytes/text of any encoding (a bundle, a PKCS#7: all of them).
#[pyfunction]
pub fn load_certificates(py: Python<'_>, data: Data<'_>) -> PyResult<Vec<PyCertificate>> {
    let bytes: &[u8] = &data.0;
    let certs = py
        .detach(|| ccetrust::load_certificates(bytes))
        .py_err(py)?;
    Ok(certs.into_iter().map(PyCertificate::new).collect())
}

/// Every certificate in a file.
#[pyfunction]
pub fn load_certificates_file(py: Python<'_>, path: FsPath) -> PyResult<Vec<PyCertificate>> {
    let certs = py
        .detach(|| ccetrust::cert::load_certificates_file(&path.0))
        .py_err(py)?;
    Ok(certs.into_iter().map(PyCertificate::new).collect())
}

/// A PKCS#7 (certs-only, DER) bundle of the certificates, in order.
#[pyfunction]
pub fn to_pkcs7<'py>(
    py: Python<'py>,
    certificates: Vec<PyRef<'py, PyCertificate>>,
) -> Bound<'py, PyBytes> {
    let certs: Vec<Certificate> = certificates.iter().map(|c| c.inner.clone()).collect();
    PyBytes::new(py, &ccetrust::cert::pkcs7::encode(&certs))
}

// ---------------------------------------------------------------------------------------
// Bulk inspection

/// One item's result: the summary ([`report::certificate_summary_json`]) or its error.
type ItemResult = Result<serde_json::Value, ccetrust::ParseError>;

fn summarize(bytes: &[u8]) -> ItemResult {
    Ok(report::certificate_summary_json(&ccetrust::cert::load_one(
        bytes,
    )?))
}

/// Inspects many certificates at once (DER or PEM `bytes`, one certificate each): parsing
/// and formatting run without the GIL, over every core. Returns one dict per certificate,
/// the fields of `Certificate.to_dict()` named in `report::SUMMARY_FIELDS`: `subject`,
/// `issuer`, `serial`, `not_before`, `not_after` (RFC 3339), `san` (`dns`, `ip`, …),
/// `public_key` (`algorithm`, `bits`, `curve`), `sha256` (hex). With `errors="raise"` (the
/// default) the first bad item raises `ParseError` with its `index`; with
/// `errors="collect"` a bad item's `ParseError` (with `index`) takes its place in the list
/// and the others are still reported.
#[pyfunction]
#[pyo3(signature = (certificates, *, threads=None, errors="raise"))]
pub fn inspect_many<'py>(
    py: Python<'py>,
    certificates: &Bound<'py, PyAny>,
    threads: Option<usize>,
    errors: &str,
) -> PyResult<Bound<'py, PyList>> {
    let collect = match errors {
        "raise" => false,
        "collect" => true,
        other => {
            return Err(crate::errors::usage_error(
                py,
                format!("errors must be \"raise\" or \"collect\", not {other:?}"),
            ))
        }
    };
    let items: Vec<Bound<'py, PyAny>> = certificates.try_iter()?.collect::<PyResult<_>>()?;
    let mut owned: Vec<Cow<'_, [u8]>> = Vec::with_capacity(items.len());
    for item in &items {
        owned.push(item.extract::<Data<'_>>()?.0);
    }
    let slices: Vec<&[u8]> = owned.iter().map(|c| c.as_ref()).collect();
    let workers = threads
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        })
        .clamp(1, 64);
    let results = py
        .detach(|| summarize_all(&slices, workers, summarize))
        .map_err(|()| crate::errors::worker_panicked(py, "inspect_many"))?;

    let list = PyList::empty(py);
    for (index, r) in results.into_iter().enumerate() {
        match r {
            Ok(v) => list.append(json_to_py(py, &v)?)?,
            Err(e) => {
                let err = crate::errors::parse_error_at(py, &e, index);
                if !collect {
                    return Err(err);
                }
                list.append(err.into_value(py))?;
            }
        }
    }
    Ok(list)
}

/// Runs `f` over `items` on up to `workers` threads, results in item order. A worker that
/// panics makes the whole batch `Err(())`: its items have no result, and reporting them as
/// bad input would blame the caller for a bug.
fn summarize_all<F>(items: &[&[u8]], workers: usize, f: F) -> Result<Vec<ItemResult>, ()>
where
    F: Fn(&[u8]) -> ItemResult + Sync,
{
    // Small batches are not worth a thread.
    if workers <= 1 || items.len() < 256 {
        return Ok(items.iter().map(|b| f(b)).collect());
    }
    let chunk = items.len().div_ceil(workers);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(|b| f(b)).collect::<Vec<_>>()))
            .collect();
        // Join every worker before deciding: a panicked thread left unjoined would make
        // the scope itself panic.
        let mut out = Vec::with_capacity(items.len());
        let mut panicked = false;
        for h in handles {
            match h.join() {
                Ok(part) => out.extend(part),
                Err(_) => panicked = true,
            }
        }
        if panicked {
            Err(())
        } else {
            Ok(out)
        }
    })
}

/// Registers this module's classes and functions.
/// Makes a private key and a CSR for `fqdn` and writes them into `out`, as `ccetrust csr
/// new` does: `FQDN.key` (PKCS#8 PEM, encrypted with `key_password`, owner-only) and
/// `FQDN.csr` (or `host.key`/`host.csr` with `layout="cisco-cert-util"`), the SANs exactly
/// `sans` (the FQDN alone when empty). Returns the request and the two paths.
#[pyfunction]
#[pyo3(signature = (fqdn, out, *, sans=Vec::new(), eku=None, keyalg="rsa", keysize=None, subject=None, key_password=None, role=None, product=None, version=None, layout="fqdn"))]
#[allow(clippy::too_many_arguments)]
fn new_csr(
    py: Python<'_>,
    fqdn: &str,
    out: FsPath,
    sans: Vec<String>,
    eku: Option<&str>,
    keyalg: &str,
    keysize: Option<u32>,
    subject: Option<&str>,
    key_password: Option<crate::keystore::PyPassword>,
    role: Option<&str>,
    product: Option<&str>,
    version: Option<&str>,
    layout: &str,
) -> PyResult<(PyCertificateRequest, String, String)> {
    let ask = ccetrust::lifecycle::Ask {
        fqdn,
        sans: &sans,
        keyalg: Some(keyalg),
        keysize,
        eku,
        subject,
        role: crate::lifecycle::role(py, role, product, version)?,
    };
    let (inner, key, csr) = crate::lifecycle::new_csr(
        py,
        &ask,
        &out.0,
        key_password.as_ref().map(|p| &p.0),
        layout,
    )?;
    Ok((PyCertificateRequest { inner }, key, csr))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyCertificate>()?;
    m.add_class::<PyCertificateRequest>()?;
    m.add_class::<PyCsrComparison>()?;
    m.add_class::<PyName>()?;
    m.add_class::<PyNameAttribute>()?;
    m.add_class::<PySubjectAltNames>()?;
    m.add_class::<PyExtension>()?;
    m.add_class::<PyLoaded>()?;
    m.add_function(pyo3::wrap_pyfunction!(load, m)?)?;
    m.add_function(pyo3::wrap_pyfunction!(load_file, m)?)?;
    m.add_function(pyo3::wrap_pyfunction!(load_certificates, m)?)?;
    m.add_function(pyo3::wrap_pyfunction!(load_certificates_file, m)?)?;
    m.add_function(pyo3::wrap_pyfunction!(to_pkcs7, m)?)?;
    m.add_function(pyo3::wrap_pyfunction!(inspect_many, m)?)?;
    m.add_function(pyo3::wrap_pyfunction!(new_csr, m)?)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A panicking worker is an error for the batch, never an "empty input" item.
    #[test]
    fn a_panicking_worker_fails_the_batch() {
        let data = vec![0u8; 4];
        let items: Vec<&[u8]> = (0..600).map(|_| data.as_slice()).collect();
        let r = summarize_all(&items, 4, |_| panic!("boom"));
        assert!(r.is_err());
        let ok = summarize_all(&items, 4, |_| Err(ccetrust::ParseError::Empty))
            .expect("no panic, no batch error");
        assert_eq!(ok.len(), 600);
    }
}
