//! PKCS#10 certificate signing requests (RFC 2986) for a host: subject CN = FQDN (after
//! the `--subject` attributes), and an extensionRequest (PKCS#9, RFC 2985 §5.4.2) holding
//! the SANs exactly as asked, the EKU, keyUsage and basicConstraints CA:FALSE. Signed with
//! SHA-256 (SHA-384 for P-384). The request is read back by [`CertificateRequest`] and its
//! signature checked, so what is written is what `csr compare` will read.

use super::der;
use super::selfsigned::{eku_value, encode_name, extension, san_value};
use super::{KeyAlgorithm, KeyPair, LifecycleError, San, Subject};
use crate::cert::CertificateRequest;

const OID_EXTENSION_REQUEST: &str = "1.2.840.113549.1.9.14";

/// The SANs a request asks for: exactly those given; the FQDN alone when none are.
pub fn csr_sans(subject: &Subject) -> Vec<San> {
    if subject.sans.is_empty() {
        return vec![San::Dns(subject.fqdn.clone())];
    }
    let mut out: Vec<San> = Vec::new();
    for s in &subject.sans {
        if !out.contains(s) {
            out.push(s.clone());
        }
    }
    out
}

/// Makes and signs a CSR for `subject` with `key`; checked by parsing it back.
pub fn new_csr(key: &KeyPair, subject: &Subject) -> Result<CertificateRequest, LifecycleError> {
    let ku: &[u8] = match key.spec().algorithm {
        KeyAlgorithm::Rsa => &[0x03, 0x02, 5, 0xa0],
        KeyAlgorithm::Ec => &[0x03, 0x02, 7, 0x80],
    };
    let extensions = der::seq(&[
        &extension("2.5.29.19", true, &der::seq(&[])),
        &extension("2.5.29.15", true, ku),
        &extension("2.5.29.37", false, &eku_value(subject)),
        &extension("2.5.29.17", false, &san_value(&csr_sans(subject))),
    ]);
    let attribute = der::seq(&[
        &der::oid(OID_EXTENSION_REQUEST),
        &der::set_of(&[extensions]),
    ]);
    let info = der::seq(&[
        &der::uint_bytes(&[0]),
        &encode_name(subject),
        &key.spki_der()?,
        &der::tlv(0xa0, &attribute),
    ]);
    let alg = key.signature_algorithm();
    let signature = key.sign(&info)?;
    let csr = der::seq(&[&info, &alg, &der::bit_string(&signature)]);
    let parsed = CertificateRequest::from_der(&csr)
        .map_err(|e| LifecycleError::Crypto(format!("the request made does not parse: {e}")))?;
    if !parsed.signature_valid() {
        return Err(LifecycleError::Crypto(
            "the request made does not verify with its own key".into(),
        ));
    }
    Ok(parsed)
}
