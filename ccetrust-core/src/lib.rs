//! ccetrust: certificates and trust for Cisco contact centers.
//!
//! - [`cert`]: certificates, CSRs and PKCS#7 bundles from any encoding, every field inspected.
//! - [`keystore`]: JKS, JCEKS, PKCS#12 and PEM keystores: read, write, keytool's operations.
//! - [`name`]: does a certificate carry the host name a client dialled (browser and Java rules).
//! - [`chain`]: path building and validation with reasons an administrator can act on.
//! - `fetch` (feature `fetch`): the chain a live TLS server presents, collected without trusting it.
//! - [`cce`]: the contact-center trust model: catalog, inventory, audit, plan, report.
//! - [`report`]: every JSON and text view, shared by the CLI and the Python binding
//!   (`docs/json-schema.md`).
//! - [`input`]: bounded reading of files and standard input, with the limit per kind.
//!
//! The chain validator, the keystores and the contact-center model build on [`Certificate`].
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// The library surface, curated as rustls-webpki's is: the modules a caller needs a path into
// are public; the rest are private, their types re-exported below (`Error`, `Timestamp`).
// `cli` (the binary's implementation) and `chain::fuzz` (the fuzz targets' entry point) are
// reachable for the binary, the fuzz targets and their replay test, and are not API.
pub mod cce;
pub mod cert;
pub mod chain;
mod error;
#[cfg(feature = "fetch")]
pub mod fetch;
pub mod input;
pub mod keystore;
pub mod lifecycle;
pub mod name;
pub mod report;
mod shell;
mod time;

#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod cli;

/// The type of extension values and key identifiers: bytes shared with their certificate.
pub use cert::der_reader::DerBytes;
pub use cert::{
    load, load_certificates, load_file, Certificate, CertificateRequest, DistinguishedName, Loaded,
    ParseError,
};
pub use chain::{verify, Profile, Usage, Verdict, VerdictCode, VerifyOptions};
pub use error::Error;
#[cfg(feature = "fetch")]
pub use fetch::{fetch_chain, fetch_many, FetchError, FetchTarget, FetchedChain, Sni, Timeouts};
pub use name::NameCheck;
pub use time::Timestamp;

/// Lowercase hex without separators: how ccetrust prints fingerprints, serials and key IDs.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 0xf) as usize] as char);
    }
    s
}
