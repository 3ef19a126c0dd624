//! The views of certificates and CSRs that `inspect` prints: a JSON object with the field
//! names of the CLI's documented schema (`docs/json-schema.md`), and a text rendering like a
//! tidy `openssl x509 -text`. The CLI, the Python binding (`Certificate.to_dict()`,
//! `inspect_many`) and `fetch` all use these, so a certificate has one JSON shape.
//!
//! The text views escape control characters ([`crate::shell::escape_control`]): a subject,
//! SAN, URL or file name holding an ANSI escape sequence is shown as `\u{1b}`, never sent raw
//! to the terminal.

use serde_json::{json, Value};

use crate::cert::{Certificate, CertificateRequest, CsrComparison, SubjectAltNames};
use crate::shell::escape_control;

fn san_json(s: &SubjectAltNames) -> Value {
    json!({
        "dns": s.dns,
        "ip": s.ip.iter().map(|i| i.to_string()).collect::<Vec<_>>(),
        "email": s.email,
        "uri": s.uri,
        "directory": s.directory.iter().map(|d| d.to_rfc4514()).collect::<Vec<_>>(),
        "other": s.other,
    })
}

/// The `inspect` JSON object of one certificate.
pub fn certificate_json(cert: &Certificate, source: &str, index: usize) -> Value {
    let pk = cert.public_key();
    let san = cert.subject_alt_names();
    json!({
        "source": source,
        "index": index,
        "version": cert.version(),
        "subject": cert.subject().to_rfc4514(),
        "issuer": cert.issuer().to_rfc4514(),
        "serial": cert.serial_hex(),
        "not_before": cert.not_before().to_rfc3339(),
        "not_after": cert.not_after().to_rfc3339(),
        "san": san_json(&san),
        "public_key": {"algorithm": pk.algorithm, "bits": pk.bits, "curve": pk.curve},
        "public_key_sha256": crate::hex(&cert.public_key_sha256()),
        "signature_algorithm": cert.signature_algorithm(),
        "is_ca": cert.is_ca(),
        "path_len": cert.path_len(),
        "key_usage": cert.key_usage().map(|k| k.names()).unwrap_or_default(),
        "extended_key_usage": cert.extended_key_usage(),
        "subject_key_id": cert.subject_key_id().map(crate::hex),
        "authority_key_id": cert.authority_key_id().and_then(|a| a.key_id.as_deref()).map(crate::hex),
        "ca_issuers_urls": cert.ca_issuers_urls(),
        "ocsp_urls": cert.ocsp_urls(),
        "crl_urls": cert.crl_urls(),
        "extensions": cert.extension_list().iter().map(|e| json!({
            "oid": e.oid.to_string(),
            "name": e.name,
            "critical": e.critical,
        })).collect::<Vec<_>>(),
        "sha256": cert.sha256_hex(),
        "sha1": cert.sha1_hex(),
        "self_issued": cert.is_self_issued(),
        "self_signed": cert.is_self_signed(),
    })
}

/// The fields of [`certificate_json`] that `inspect_many` reports per certificate, in the
/// same shape (`san` an object, `public_key` an object): a summary is a sub-object of the
/// full view, never a differently named one.
pub const SUMMARY_FIELDS: &[&str] = &[
    "subject",
    "issuer",
    "serial",
    "not_before",
    "not_after",
    "san",
    "public_key",
    "sha256",
];

/// The short view of one certificate for bulk inspection: the [`SUMMARY_FIELDS`] of
/// [`certificate_json`], computed without building the rest.
pub fn certificate_summary_json(cert: &Certificate) -> Value {
    let pk = cert.public_key();
    let san = cert.subject_alt_names();
    json!({
        "subject": cert.subject().to_rfc4514(),
        "issuer": cert.issuer().to_rfc4514(),
        "serial": cert.serial_hex(),
        "not_before": cert.not_before().to_rfc3339(),
        "not_after": cert.not_after().to_rfc3339(),
        "san": san_json(&san),
        "public_key": {"algorithm": pk.algorithm, "bits": pk.bits, "curve": pk.curve},
        "sha256": cert.sha256_hex(),
    })
}

/// The `inspect` JSON object of one CSR.
pub fn csr_json(csr: &CertificateRequest, source: &str, index: usize) -> Value {
    let pk = csr.public_key();
    json!({
        "source": source,
        "index": index,
        "subject": csr.subject().to_rfc4514(),
        "san": san_json(&csr.requested_sans()),
        "public_key": {"algorithm": pk.algorithm, "bits": pk.bits, "curve": pk.curve},
        "public_key_sha256": crate::hex(&csr.public_key_sha256()),
        "signature_algorithm": csr.signature_algorithm(),
        "signature_valid": csr.signature_valid(),
    })
}

/// The `csr compare` JSON object.
pub fn comparison_json(c: &CsrComparison) -> Value {
    json!({
        "san_added": c.san_added,
        "san_missing": c.san_missing,
        "subject_equal": c.subject_equal,
        "subject_differences": c.subject_differences,
        "key_match": c.key_match,
        "matches": c.matches(),
    })
}

fn colon_hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Text rendering of one certificate, in the spirit of `openssl x509 -text -noout`.
pub fn certificate_text(cert: &Certificate, source: &str, index: usize) -> String {
    let mut s = String::new();
    let mut line = |k: &str, v: String| {
        s.push_str(&format!("  {k:<22} {}\n", escape_control(&v)));
    };
    let pk = cert.public_key();
    let san = cert.subject_alt_names();
    line("Source:", format!("{source} #{index}"));
    line("Version:", cert.version().to_string());
    line("Serial:", cert.serial_hex());
    line("Subject:", cert.subject().to_rfc4514());
    line("Issuer:", cert.issuer().to_rfc4514());
    line("Not before:", cert.not_before().to_rfc3339());
    line("Not after:", cert.not_after().to_rfc3339());
    line("Public key:", pk.describe());
    line("Signature algorithm:", cert.signature_algorithm());
    let mut names: Vec<String> = san.dns.iter().map(|d| format!("DNS:{d}")).collect();
    names.extend(san.ip.iter().map(|i| format!("IP:{i}")));
    names.extend(san.email.iter().map(|e| format!("email:{e}")));
    names.extend(san.uri.iter().map(|u| format!("URI:{u}")));
    names.extend(san.directory.iter().map(|d| format!("DirName:{d}")));
    names.extend(san.other.iter().cloned());
    line(
        "Subject alt names:",
        if names.is_empty() {
            "(none)".into()
        } else {
            names.join(", ")
        },
    );
    match cert.basic_constraints() {
        Some(bc) => line(
            "Basic constraints:",
            format!(
                "CA:{}{}",
                if bc.ca { "TRUE" } else { "FALSE" },
                bc.path_len
                    .map(|p| format!(", pathlen:{p}"))
                    .unwrap_or_default()
            ),
        ),
        None => line("Basic constraints:", "(absent)".into()),
    }
    if let Some(ku) = cert.key_usage() {
        line("Key usage:", ku.names().join(", "));
    }
    let eku = cert.extended_key_usage();
    if !eku.is_empty() {
        line("Extended key usage:", eku.join(", "));
    }
    if let Some(ski) = cert.subject_key_id() {
        line("Subject key ID:", colon_hex(ski));
    }
    if let Some(aki) = cert.authority_key_id().and_then(|a| a.key_id.as_deref()) {
        line("Authority key ID:", colon_hex(aki));
    }
    for u in cert.ca_issuers_urls() {
        line("CA issuers:", u.clone());
    }
    for u in cert.ocsp_urls() {
        line("OCSP:", u.clone());
    }
    for u in cert.crl_urls() {
        line("CRL:", u.clone());
    }
    let exts: Vec<String> = cert
        .extension_list()
        .iter()
        .map(|e| {
            format!(
                "{}{}",
                e.name
                    .map(str::to_string)
                    .unwrap_or_else(|| e.oid.to_string()),
                if e.critical { " (critical)" } else { "" }
            )
        })
        .collect();
    line("Extensions:", exts.join(", "));
    line("SHA-256:", colon_hex(&cert.sha256()));
    line("SHA-1:", colon_hex(&cert.sha1()));
    line(
        "Self-signed:",
        if cert.is_self_signed() {
            "yes".into()
        } else if cert.is_self_issued() {
            "self-issued (signature does not verify with its own key)".into()
        } else {
            "no".into()
        },
    );
    format!("Certificate:\n{s}")
}

/// Text rendering of one CSR.
pub fn csr_text(csr: &CertificateRequest, source: &str, index: usize) -> String {
    let san = csr.requested_sans();
    let mut names: Vec<String> = san.dns.iter().map(|d| format!("DNS:{d}")).collect();
    names.extend(san.ip.iter().map(|i| format!("IP:{i}")));
    format!(
        "Certificate request:\n  {:<22} {} #{index}\n  {:<22} {}\n  {:<22} {}\n  {:<22} {}\n  {:<22} {}\n",
        "Source:",
        escape_control(source),
        "Subject:",
        escape_control(&csr.subject().to_rfc4514()),
        "Requested SANs:",
        if names.is_empty() { "(none)".to_string() } else { escape_control(&names.join(", ")).into_owned() },
        "Public key:",
        csr.public_key().describe(),
        "Signature:",
        if csr.signature_valid() { "valid" } else { "INVALID" },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bulk summary is the full view restricted to [`SUMMARY_FIELDS`]: one shape for one
    /// certificate, whether `inspect --json`, `Certificate.to_dict()` or `inspect_many` asks.
    #[test]
    fn summary_is_the_full_view_restricted() {
        let pem = include_bytes!("../../../tests/data/chain/cvp.pem");
        let certs = crate::load_certificates(pem).expect("fixture parses");
        for cert in &certs {
            let full = certificate_json(cert, "x", 0);
            let summary = certificate_summary_json(cert);
            let obj = summary.as_object().expect("an object");
            assert_eq!(obj.len(), SUMMARY_FIELDS.len());
            for k in SUMMARY_FIELDS {
                assert_eq!(obj.get(*k), full.get(*k), "field {k}");
            }
        }
    }
}
