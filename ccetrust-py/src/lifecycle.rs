//! The binding's side of certificate lifecycle (issue 15): `Keystore.generate_key_pair` and
//! `x509.new_csr` with the options and checks of `ccetrust keystore genkeypair` and
//! `ccetrust csr new` (both go through `ccetrust::lifecycle::check`). Kept in this file so
//! the classes' own files gain one thin method each.

use std::path::Path;

use pyo3::prelude::*;

use ccetrust::cert::CertificateRequest;
use ccetrust::keystore::{ImportOutcome, ImportPolicy, Keystore, Password, PrivateKeyEntry};
use ccetrust::lifecycle::{self, Ask, KeyPair};

use crate::errors::{error, usage_error};

/// The role triple: all three or none.
pub(crate) fn role<'a>(
    py: Python<'_>,
    role: Option<&'a str>,
    product: Option<&'a str>,
    version: Option<&'a str>,
) -> PyResult<Option<(&'a str, &'a str, &'a str)>> {
    match (role, product, version) {
        (Some(r), Some(p), Some(v)) => Ok(Some((r, p, v))),
        (None, None, None) => Ok(None),
        _ => Err(usage_error(py, "role, product and version go together")),
    }
}

fn lerr(py: Python<'_>, e: lifecycle::LifecycleError) -> PyErr {
    error(py, &ccetrust::Error::from(e))
}

/// Generates a key pair and its self-signed certificate into `ks` under `alias`; returns
/// the alias it is stored under.
pub(crate) fn generate_key_pair(
    py: Python<'_>,
    ks: &mut Keystore,
    alias: &str,
    ask: &Ask<'_>,
    validity: u32,
) -> PyResult<String> {
    let checked = lifecycle::check(ask).map_err(|e| lerr(py, e))?;
    if let Some(e) = ks.entry(alias) {
        return Err(usage_error(
            py,
            format!(
                "alias '{}' already exists (a {})",
                e.alias,
                e.kind.keytool_name()
            ),
        ));
    }
    let spec = checked.spec;
    let (key, cert) = py
        .detach(|| -> Result<_, lifecycle::LifecycleError> {
            let key = KeyPair::generate(spec)?;
            let cert = lifecycle::self_signed(&key, &checked.subject, validity)?;
            Ok((key, cert))
        })
        .map_err(|e| lerr(py, e))?;
    let pkcs8 = key.pkcs8_der().map_err(|e| lerr(py, e))?;
    let entry = PrivateKeyEntry::new(&pkcs8, vec![cert])
        .map_err(|e| error(py, &ccetrust::Error::from(e)))?;
    let outcome = ks
        .import_key_pair(alias, entry, ImportPolicy::Refuse)
        .map_err(|e| error(py, &ccetrust::Error::from(e)))?;
    Ok(match outcome {
        ImportOutcome::Added { alias, .. } | ImportOutcome::Replaced { alias, .. } => alias,
        ImportOutcome::AlreadyPresent { existing, .. } => existing,
    })
}

/// Makes a key and a CSR and writes them into `out` (`FQDN.key`/`FQDN.csr`, or
/// `host.key`/`host.csr` for `layout="cisco-cert-util"`); returns the request and both paths.
pub(crate) fn new_csr(
    py: Python<'_>,
    ask: &Ask<'_>,
    out: &Path,
    key_password: Option<&Password>,
    layout: &str,
) -> PyResult<(CertificateRequest, String, String)> {
    let checked = lifecycle::check(ask).map_err(|e| lerr(py, e))?;
    let stem = match layout {
        "fqdn" => checked.subject.fqdn.clone(),
        "cisco-cert-util" => "host".to_string(),
        other => {
            return Err(usage_error(
                py,
                format!("layout must be 'fqdn' or 'cisco-cert-util', not '{other}'"),
            ))
        }
    };
    py.detach(|| -> Result<_, lifecycle::LifecycleError> {
        let key = KeyPair::generate(checked.spec)?;
        let csr = lifecycle::new_csr(&key, &checked.subject)?;
        let (report, csr_path) = lifecycle::write_request(out, &stem, &key, &csr, key_password)?;
        Ok((
            csr,
            report.path.display().to_string(),
            csr_path.display().to_string(),
        ))
    })
    .map_err(|e| lerr(py, e))
}
