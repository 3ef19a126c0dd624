//! `ccetrust.chain` and `ccetrust.names`: is this certificate trusted for this host, and if
//! not, why not — the core's path building and name matching, run without the GIL.

use std::str::FromStr;

use pyo3::prelude::*;

use ccetrust::chain::{self, Profile, Usage, Verdict, VerifyOptions};
use ccetrust::name::{self, NameCheck, NameProfile};
use ccetrust::{Certificate, Timestamp};

use crate::convert::{json_to_py, timestamp};
use crate::errors::usage_error;
use crate::x509::PyCertificate;

fn name_profile(py: Python<'_>, profile: &str) -> PyResult<NameProfile> {
    Profile::from_str(profile)
        .map(Profile::name_profile)
        .map_err(|e| usage_error(py, e))
}

/// The outcome of a name check.
#[pyclass(module = "ccetrust._ccetrust", name = "NameCheck", frozen)]
pub struct PyNameCheck {
    inner: NameCheck,
}

#[pymethods]
impl PyNameCheck {
    /// The reference name checked, as given.
    #[getter]
    fn checked(&self) -> String {
        self.inner.checked.clone()
    }
    /// Whether the certificate presents it.
    #[getter]
    fn matched(&self) -> bool {
        self.inner.matched
    }
    /// The names the certificate presents under the profile's rule.
    #[getter]
    fn presented(&self) -> Vec<String> {
        self.inner.presented.clone()
    }
    /// One sentence: what matched, or what the certificate presents instead.
    fn explain(&self) -> String {
        self.inner.explain()
    }
    fn __bool__(&self) -> bool {
        self.inner.matched
    }
    fn __repr__(&self) -> String {
        format!(
            "<NameCheck {:?} matched={} presented={:?}>",
            self.inner.checked, self.inner.matched, self.inner.presented
        )
    }
}

/// Checks a reference name (DNS name or IP address, as a client dialled it) against a
/// certificate under a profile (`browser`: SANs only; `java`: CN when there is no DNS SAN).
#[pyfunction]
#[pyo3(signature = (certificate, reference, *, profile="browser"))]
pub fn check_name(
    py: Python<'_>,
    certificate: &PyCertificate,
    reference: &str,
    profile: &str,
) -> PyResult<PyNameCheck> {
    let p = name_profile(py, profile)?;
    Ok(PyNameCheck {
        inner: name::check(&certificate.inner, reference, p),
    })
}

/// The names a certificate presents for host-name checks under a profile.
#[pyfunction]
#[pyo3(signature = (certificate, *, profile="browser"))]
pub fn presented_names(
    py: Python<'_>,
    certificate: &PyCertificate,
    profile: &str,
) -> PyResult<Vec<String>> {
    let p = name_profile(py, profile)?;
    Ok(name::presented_names(&certificate.inner, p))
}

/// Whether one presented DNS name (possibly a wildcard) matches a reference name
/// (RFC 6125 §6.4).
#[pyfunction]
pub fn dns_name_matches(presented: &str, reference: &str) -> bool {
    name::dns_name_matches(presented, reference)
}

/// Whether `text` is a valid reference name (a DNS name or an IP address).
#[pyfunction]
pub fn is_valid_reference(text: &str) -> bool {
    name::ReferenceName::parse(text).is_some()
}

/// The outcome of `ccetrust.chain.verify`.
#[pyclass(module = "ccetrust._ccetrust", name = "Verdict", frozen)]
pub struct PyVerdict {
    inner: Verdict,
}

#[pymethods]
impl PyVerdict {
    /// Trusted, and the name (if given) matches.
    #[getter]
    fn valid(&self) -> bool {
        self.inner.valid
    }
    /// Stable machine code: `valid`, `chain.untrusted_issuer`, `name.mismatch`, …
    #[getter]
    fn code(&self) -> &'static str {
        self.inner.code.as_str()
    }
    /// One sentence for the administrator, naming the certificate and what to do.
    #[getter]
    fn reason(&self) -> String {
        self.inner.reason.clone()
    }
    /// The accepted path, target first, anchor last (empty when none).
    #[getter]
    fn path(&self) -> Vec<PyCertificate> {
        self.inner
            .path
            .iter()
            .cloned()
            .map(PyCertificate::new)
            .collect()
    }
    /// The name check, when a name was given.
    #[getter]
    fn name(&self) -> Option<PyNameCheck> {
        self.inner.name.clone().map(|inner| PyNameCheck { inner })
    }
    /// Accepted, but worth attention.
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.inner.warnings.clone()
    }
    /// The certificate a failure is about.
    #[getter]
    fn concerns(&self) -> Option<PyCertificate> {
        self.inner.concerns.clone().map(PyCertificate::new)
    }
    /// The `ccetrust verify --json` document.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &ccetrust::report::verdict_json(&self.inner))
    }
    /// Raises `VerificationError` (with `.code` and `.verdict`) unless the verdict is valid.
    fn raise_if_invalid(slf: &Bound<'_, Self>) -> PyResult<()> {
        let v = &slf.get().inner;
        if v.valid {
            return Ok(());
        }
        let py = slf.py();
        let err = crate::errors::verification_error(py, v.code.as_str(), v.reason.clone());
        let _ = err.value(py).setattr("verdict", slf);
        Err(err)
    }
    fn __bool__(&self) -> bool {
        self.inner.valid
    }
    fn __repr__(&self) -> String {
        format!(
            "<Verdict {} valid={} reason={:?}>",
            self.inner.code.as_str(),
            self.inner.valid,
            self.inner.reason
        )
    }
}

fn certificates(items: &Bound<'_, PyAny>) -> PyResult<Vec<Certificate>> {
    let mut out = Vec::new();
    for item in items.try_iter()? {
        let item = item?;
        // A Keystore counts as its trusted certificates.
        if let Ok(ks) = item.cast::<crate::keystore::PyKeystore>() {
            out.extend(ks.borrow().trusted());
            continue;
        }
        out.push(item.cast::<PyCertificate>()?.get().inner.clone());
    }
    Ok(out)
}

/// Verifies `leaf`: builds a path through `intermediates` (any order; decoys allowed) to one
/// of `anchors`, checks it as the profile's client would, then the name. The work runs
/// without the GIL and within a budget, so a hostile pool cannot hang the caller.
#[pyfunction]
#[pyo3(signature = (leaf, intermediates=None, anchors=None, *, name=None, time=None, profile="browser", usage="server"))]
#[allow(clippy::too_many_arguments)]
pub fn verify(
    py: Python<'_>,
    leaf: &PyCertificate,
    intermediates: Option<&Bound<'_, PyAny>>,
    anchors: Option<&Bound<'_, PyAny>>,
    name: Option<String>,
    time: Option<&Bound<'_, PyAny>>,
    profile: &str,
    usage: &str,
) -> PyResult<PyVerdict> {
    let intermediates = match intermediates {
        Some(i) => certificates(i)?,
        None => Vec::new(),
    };
    let anchors = match anchors {
        Some(a) => anchors_of(a)?,
        None => Vec::new(),
    };
    let opts = VerifyOptions {
        name,
        time: match time {
            Some(t) => timestamp(t)?,
            None => Timestamp::now(),
        },
        profile: Profile::from_str(profile).map_err(|e| usage_error(py, e))?,
        usage: Usage::from_str(usage).map_err(|e| usage_error(py, e))?,
    };
    let leaf = &leaf.inner;
    let inner = py.detach(|| chain::verify(leaf, &intermediates, &anchors, &opts));
    Ok(PyVerdict { inner })
}

fn anchors_of(a: &Bound<'_, PyAny>) -> PyResult<Vec<Certificate>> {
    if let Ok(ks) = a.cast::<crate::keystore::PyKeystore>() {
        return Ok(ks.borrow().trusted());
    }
    certificates(a)
}

/// How a certificate is named in a sentence: `'CN=Issuing CA 2' (sha256 ab12…)`.
#[pyfunction]
pub fn describe(certificate: &PyCertificate) -> String {
    chain::describe(&certificate.inner)
}

/// Registers this module's classes and functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyNameCheck>()?;
    m.add_class::<PyVerdict>()?;
    m.add_function(pyo3::wrap_pyfunction!(check_name, m)?)?;
    m.add_function(pyo3::wrap_pyfunction!(presented_names, m)?)?;
    m.add_function(pyo3::wrap_pyfunction!(dns_name_matches, m)?)?;
    m.add_function(pyo3::wrap_pyfunction!(is_valid_reference, m)?)?;
    m.add_function(pyo3::wrap_pyfunction!(verify, m)?)?;
    m.add_function(pyo3::wrap_pyfunction!(describe, m)?)?;
    Ok(())
}
