//! `ccetrust.fetch`: the chain a live TLS server presents, collected without trusting it —
//! what an administrator otherwise exports from a browser padlock, one server at a time.
//! Network waits run without the GIL.

use std::time::Duration;

use pyo3::prelude::*;
use pyo3::types::PyTuple;

use ccetrust::fetch::{self, FetchTarget, FetchedChain, Sni, Timeouts};

use ccetrust::cce::collect::MAX_CONCURRENCY;

use crate::errors::{fetch_error, usage_error};
use crate::x509::{PyCertificate, PyName};

/// What a server presented.
#[pyclass(module = "ccetrust._ccetrust", name = "FetchedChain", frozen)]
pub struct PyFetchedChain {
    inner: FetchedChain,
}

#[pymethods]
impl PyFetchedChain {
    /// The host as given.
    #[getter]
    fn host(&self) -> String {
        self.inner.host.clone()
    }
    /// The port.
    #[getter]
    fn port(&self) -> u16 {
        self.inner.port
    }
    /// The address connected to, `ip:port`.
    #[getter]
    fn address(&self) -> String {
        self.inner.address.to_string()
    }
    /// The SNI name sent, if any.
    #[getter]
    fn sni(&self) -> Option<String> {
        self.inner.sni.clone()
    }
    /// `TLSv1.2` or `TLSv1.3`.
    #[getter]
    fn tls_version(&self) -> String {
        self.inner.tls_version.clone()
    }
    /// IANA name of the negotiated cipher suite.
    #[getter]
    fn cipher_suite(&self) -> String {
        self.inner.cipher_suite.clone()
    }
    /// Every certificate the server sent, in the order sent (leaf first when configured
    /// correctly).
    #[getter]
    fn certificates(&self) -> Vec<PyCertificate> {
        self.inner
            .certificates
            .iter()
            .cloned()
            .map(PyCertificate::new)
            .collect()
    }
    /// Whether the handshake completed. False when the server asked for a client
    /// certificate and ended the handshake without one: the chain was still collected.
    #[getter]
    fn handshake_completed(&self) -> bool {
        self.inner.handshake_completed
    }
    /// Whether the server asked for a client certificate (mutual TLS).
    #[getter]
    fn client_certificate_requested(&self) -> bool {
        self.inner.client_certificate_requested
    }
    /// The issuer names the server said it accepts for client certificates, in the order
    /// sent (empty when it asked for none or named none).
    #[getter]
    fn acceptable_client_cas(&self) -> Vec<PyName> {
        self.inner
            .acceptable_client_cas
            .iter()
            .map(|n| PyName { inner: n.clone() })
            .collect()
    }
    fn __len__(&self) -> usize {
        self.inner.certificates.len()
    }
    fn __repr__(&self) -> String {
        format!(
            "<FetchedChain {}:{} {} certificates {}>",
            self.inner.host,
            self.inner.port,
            self.inner.certificates.len(),
            self.inner.tls_version
        )
    }
}

fn sni_of(sni: Option<&Bound<'_, PyAny>>) -> PyResult<Sni> {
    Ok(match sni {
        None => Sni::Auto,
        Some(v) if v.is_none() => Sni::Auto,
        Some(v) => {
            if let Ok(b) = v.extract::<bool>() {
                if b {
                    Sni::Auto
                } else {
                    Sni::Off
                }
            } else {
                Sni::Name(v.extract::<String>()?)
            }
        }
    })
}

/// The longest `timeout` accepted, as by `ccetrust fetch --timeout` and the audit.
const MAX_TIMEOUT_SECS: f64 = 3600.0;

/// `timeout` seconds for each of the connect and the handshake: a number of seconds in
/// (0, 3600], as the CLI accepts; anything else is a `UsageError`, not a silent default.
fn timeouts(py: Python<'_>, timeout: f64) -> PyResult<Timeouts> {
    if !(timeout.is_finite() && timeout > 0.0 && timeout <= MAX_TIMEOUT_SECS) {
        return Err(usage_error(
            py,
            format!("timeout must be a number of seconds between 0 and 3600, not {timeout}"),
        ));
    }
    Ok(Timeouts::both(Duration::from_secs_f64(timeout)))
}

/// Connects to `host:port`, completes a TLS handshake without trusting the server, and
/// returns what it presented. `sni`: None/True sends the host name (not for an IP),
/// False sends none, a string sends that name. `timeout` (seconds) bounds each of the
/// connect and the handshake.
#[pyfunction]
#[pyo3(signature = (host, port=443, *, sni=None, timeout=10.0))]
pub fn fetch_chain(
    py: Python<'_>,
    host: &str,
    port: i64,
    sni: Option<&Bound<'_, PyAny>>,
    timeout: f64,
) -> PyResult<PyFetchedChain> {
    let port = port_of(py, port)?;
    let sni = sni_of(sni)?;
    let t = timeouts(py, timeout)?;
    let inner = py
        .detach(|| fetch::fetch_chain(host, port, sni, t))
        .map_err(|e| fetch_error(py, &e))?;
    Ok(PyFetchedChain { inner })
}

/// A TCP port, 1 to 65535: anything else (`70000`, `0`, `-1`) is a `UsageError` naming
/// the value, not an `OverflowError` from the argument conversion.
fn port_of(py: Python<'_>, port: i64) -> PyResult<u16> {
    match u16::try_from(port) {
        Ok(p) if p != 0 => Ok(p),
        _ => Err(usage_error(
            py,
            format!("port must be between 1 and 65535, not {port}"),
        )),
    }
}

/// Reads `HOST`, `HOST:PORT`, `[IPv6]:PORT` or an `https://` URL into `(host, port)`.
#[pyfunction]
pub fn parse_target(py: Python<'_>, text: &str) -> PyResult<(String, u16)> {
    let t = FetchTarget::parse(text).map_err(|e| fetch_error(py, &e))?;
    Ok((t.host, t.port))
}

/// Fetches many servers at once (at most `concurrency` connections open). `targets` are
/// strings as `parse_target` reads them, or `(host, port)` tuples. Returns, in order, a
/// `FetchedChain` or the `FetchError` for each: one dead server does not stop the rest.
#[pyfunction]
#[pyo3(signature = (targets, *, concurrency=8, timeout=10.0))]
pub fn fetch_many<'py>(
    py: Python<'py>,
    targets: &Bound<'py, PyAny>,
    concurrency: usize,
    timeout: f64,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    // At most as many connections as the audit opens: a thread each.
    if !(1..=MAX_CONCURRENCY).contains(&concurrency) {
        return Err(usage_error(
            py,
            format!("concurrency must be between 1 and {MAX_CONCURRENCY}, not {concurrency}"),
        ));
    }
    let t = timeouts(py, timeout)?;
    let mut list = Vec::new();
    for item in targets.try_iter()? {
        let item = item?;
        if let Ok(t) = item.cast::<PyTuple>() {
            let (host, port): (String, i64) = t.extract()?;
            list.push(FetchTarget::new(host, port_of(py, port)?));
        } else {
            let text: String = item.extract()?;
            list.push(FetchTarget::parse(&text).map_err(|e| fetch_error(py, &e))?);
        }
    }
    let results = py.detach(|| fetch::fetch_many(&list, concurrency, t));
    results
        .into_iter()
        .map(|(_, r)| match r {
            Ok(inner) => Ok(Bound::new(py, PyFetchedChain { inner })?.into_any()),
            Err(e) => Ok(fetch_error(py, &e).into_value(py).into_bound(py).into_any()),
        })
        .collect()
}

/// The PEM file name a browser-style export gives the certificate at `position` of a
/// server's chain (`host.pem`, `host_7890.ca1.pem`).
#[pyfunction]
pub fn pem_file_name(host: &str, port: u16, position: usize) -> String {
    fetch::pem_file_name(host, port, position)
}

/// Registers this module's classes and functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyFetchedChain>()?;
    m.add_function(pyo3::wrap_pyfunction!(fetch_chain, m)?)?;
    m.add_function(pyo3::wrap_pyfunction!(fetch_many, m)?)?;
    m.add_function(pyo3::wrap_pyfunction!(parse_target, m)?)?;
    m.add_function(pyo3::wrap_pyfunction!(pem_file_name, m)?)?;
    Ok(())
}
