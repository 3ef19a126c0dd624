//! Python binding of ccetrust (`ccetrust._ccetrust`); the Python package re-exports it.
#![forbid(unsafe_code)]

use pyo3::prelude::*;

/// The private extension module.
#[pymodule]
fn _ccetrust(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
