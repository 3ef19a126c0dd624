//! `ccetrust inspect --diff A B`: two certificates, or the chains two files hold, compared field
//! by field, so a renewal can be checked before it is installed: what changed (key, SANs, EKU,
//! issuer, validity) and what it kept. Certificates are paired by position (leaf with leaf,
//! first CA with first CA); a chain longer on one side lists the certificates the other lacks.
//!
//! The fields are those of `inspect --json` (`report::certificate_json`), so the two commands
//! never disagree about what a certificate holds.

use serde_json::{json, Value};
use std::path::Path;

use crate::cert::load_certificates_file;
use crate::{report, Certificate, Error};

/// The fields compared, in the order shown, with the name a reader knows them by.
const FIELDS: [(&str, &str); 17] = [
    ("subject", "subject"),
    ("issuer", "issuer"),
    ("serial", "serial"),
    ("not_before", "not before"),
    ("not_after", "not after"),
    ("public_key", "key type"),
    ("public_key_sha256", "key"),
    ("san", "subject alt names"),
    ("extended_key_usage", "extended key usage"),
    ("key_usage", "key usage"),
    ("signature_algorithm", "signature algorithm"),
    ("is_ca", "CA"),
    ("path_len", "path length"),
    ("subject_key_id", "subject key ID"),
    ("authority_key_id", "authority key ID"),
    ("ca_issuers_urls", "CA issuers (AIA)"),
    ("crl_urls", "CRL distribution points"),
];

/// One field of a pair: `(field, a, b)`; equal when `a == b`.
fn compare(a: &Certificate, b: &Certificate) -> Vec<(&'static str, &'static str, Value, Value)> {
    let (ja, jb) = (
        report::certificate_json(a, "", 0),
        report::certificate_json(b, "", 0),
    );
    FIELDS
        .iter()
        .map(|(k, name)| (*k, *name, ja[*k].clone(), jb[*k].clone()))
        .collect()
}

/// A JSON value as one line of text: strings bare, lists joined, objects as `k=v`.
fn show(v: &Value) -> String {
    match v {
        Value::Null => "(absent)".into(),
        Value::String(s) => s.clone(),
        Value::Array(a) if a.is_empty() => "(none)".into(),
        Value::Array(a) => a.iter().map(show).collect::<Vec<_>>().join(", "),
        Value::Object(o) => {
            let parts: Vec<String> = o
                .iter()
                .filter(|(_, v)| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
                .map(|(k, v)| format!("{k}: {}", show(v)))
                .collect();
            if parts.is_empty() {
                "(none)".into()
            } else {
                parts.join("; ")
            }
        }
        other => other.to_string(),
    }
}

fn chain(path: &Path) -> Result<Vec<Certificate>, Error> {
    let certs = load_certificates_file(path)?;
    if certs.is_empty() {
        return Err(Error::Usage(format!("{}: no certificate", path.display())));
    }
    Ok(certs)
}

/// Runs the comparison and prints it (JSON with `json`).
pub(crate) fn run(a: &Path, b: &Path, json: bool) -> Result<(), Error> {
    let (ca, cb) = (chain(a)?, chain(b)?);
    let mut pairs = Vec::new();
    let mut text = format!(
        "Comparing {} with {}\n",
        super::esc(&a.display().to_string()),
        super::esc(&b.display().to_string())
    );
    for (i, (x, y)) in ca.iter().zip(&cb).enumerate() {
        let fields = compare(x, y);
        let what = if i == 0 {
            "leaf".to_string()
        } else {
            format!("chain certificate {i}")
        };
        text.push_str(&format!(
            "\nCertificate {i} ({what}): {}\n",
            if x.sha256() == y.sha256() {
                "identical"
            } else {
                "differs"
            }
        ));
        let (mut changed, mut kept) = (Vec::new(), Vec::new());
        for (k, name, va, vb) in &fields {
            if va == vb {
                kept.push(*k);
                text.push_str(&format!(
                    "  kept     {name:<24} {}\n",
                    super::esc(&show(va))
                ));
            } else {
                changed.push(json!({"field": k, "a": va, "b": vb}));
                text.push_str(&format!(
                    "  CHANGED  {name:<24} {}\n           {:<24} → {}\n",
                    super::esc(&show(va)),
                    "",
                    super::esc(&show(vb))
                ));
            }
        }
        pairs.push(json!({
            "index": i, "a_sha256": x.sha256_hex(), "b_sha256": y.sha256_hex(),
            "identical": x.sha256() == y.sha256(), "changed": changed, "kept": kept,
        }));
    }
    let extra = |c: &[Certificate]| -> Vec<Value> {
        c.iter()
            .skip(ca.len().min(cb.len()))
            .map(|c| json!({"subject": c.subject().to_rfc4514(), "sha256": c.sha256_hex()}))
            .collect()
    };
    let (only_a, only_b) = (extra(&ca), extra(&cb));
    for (side, list) in [("A", &only_a), ("B", &only_b)] {
        for c in list {
            text.push_str(&format!(
                "\nOnly in {side}: {} (sha256 {})\n",
                super::esc(c["subject"].as_str().unwrap_or("")),
                c["sha256"].as_str().unwrap_or("")
            ));
        }
    }
    if json {
        super::print_json(&json!({
            "a": a.display().to_string(), "b": b.display().to_string(),
            "pairs": pairs, "only_in_a": only_a, "only_in_b": only_b,
        }));
    } else {
        super::out(&text);
    }
    Ok(())
}
