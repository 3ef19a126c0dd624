//! Certificates, CSRs and PKCS#7 bundles: reading them from any encoding, and every field
//! ccetrust reports about them.

pub(crate) mod backend;
mod certificate;
mod csr;
pub(crate) mod der_reader;
mod error;
mod extensions;
mod load;
mod name;
pub mod oids;
pub mod pem;
pub mod pkcs7;
mod public_key;
pub(crate) mod rsa_public;
pub(crate) mod signature;
mod strict;

pub use backend::signature_backend;
pub use certificate::Certificate;
pub use csr::{CertificateRequest, CsrComparison};
pub use error::ParseError;
pub use extensions::{
    AuthorityKeyId, BasicConstraints, ExtensionInfo, Extensions, KeyUsage, SubjectAltNames,
};
pub use load::{
    load, load_certificates, load_certificates_file, load_file, load_one, load_one_csr, Loaded,
};
pub use name::{DistinguishedName, NameAttribute};
pub use public_key::PublicKeyInfo;
pub use signature::{verify_signature, HashAlgorithm, SignatureAlgorithm, SignatureError};
pub use strict::Violation as StrictDerViolation;
