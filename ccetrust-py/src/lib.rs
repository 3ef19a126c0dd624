//! Python binding of ccetrust: the private extension module `ccetrust._ccetrust`, which the
//! small `ccetrust` Python package re-exports as `ccetrust.x509`, `ccetrust.chain`, …
//!
//! The binding is thin: each function converts its arguments, releases the GIL around the
//! core's work, and converts the result. Errors become Python exceptions in one place,
//! [`errors`].
#![forbid(unsafe_code)]

use pyo3::prelude::*;

// Decoding a certificate makes many small allocations; mimalloc makes bulk inspection about
// twice as fast as the system allocator (pydantic-core makes the same choice).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod cce;
mod chain;
mod convert;
mod errors;
mod fetch;
mod input;
mod keystore;
mod lifecycle;
mod x509;

/// The private extension module.
#[pymodule]
fn _ccetrust(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    x509::register(m)?;
    chain::register(m)?;
    keystore::register(m)?;
    fetch::register(m)?;
    cce::register(m)?;
    Ok(())
}
