//! Writing a private key file: PKCS#8 PEM (`PRIVATE KEY`), or, with a password, an
//! `ENCRYPTED PRIVATE KEY` under PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC; RFC 8018 §6.2),
//! what `openssl pkcs8 -topk8 -v2 aes-256-cbc` writes and Java 17+ reads.
//!
//! The file is created new (an existing file is refused, never overwritten) and owner-only
//! from the start: on Unix with mode 0600 in the `open` call, so the key is never readable
//! by others even for a moment. On Windows a new file inherits the folder's ACL; the key
//! is written into a folder the caller chose, and the report says so
//! ([`KeyFileReport::owner_only`] is `false`) so the caller can tell the user to keep that
//! folder private.

use std::io::Write;
use std::path::{Path, PathBuf};

use pem_rfc7468::LineEnding;
use zeroize::Zeroizing;

use super::der;
use super::keypair::random_bytes;
use super::{KeyPair, LifecycleError};
use crate::keystore::Password;

/// PBKDF2 rounds for an encrypted key file (what keytool 17 and OpenSSL 3 use for PKCS#12).
pub const KEY_FILE_ITERATIONS: u32 = 10_000;

const OID_PBES2: &str = "1.2.840.113549.1.5.13";

/// What [`write_key_file`] wrote.
#[derive(Debug, Clone)]
pub struct KeyFileReport {
    /// The key file.
    pub path: PathBuf,
    /// Whether the key is encrypted.
    pub encrypted: bool,
    /// Whether the file was created readable by its owner only (Unix mode 0600).
    pub owner_only: bool,
}

/// Writes `key` to a new file `path` as PKCS#8 PEM, encrypted when `password` is given
/// and not empty.
pub fn write_key_file(
    path: &Path,
    key: &KeyPair,
    password: Option<&Password>,
) -> Result<KeyFileReport, LifecycleError> {
    let pkcs8 = key.pkcs8_der()?;
    let password = password.filter(|p| !p.is_empty());
    let (label, body) = match password {
        Some(pw) => (
            "ENCRYPTED PRIVATE KEY",
            Zeroizing::new(encrypt(&pkcs8, pw)?),
        ),
        None => ("PRIVATE KEY", pkcs8),
    };
    let pem = Zeroizing::new(
        pem_rfc7468::encode_string(label, LineEnding::LF, &body)
            .map_err(|e| LifecycleError::Crypto(format!("PEM encoding: {e}")))?,
    );
    let io = |source| LifecycleError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = create_owner_only(path).map_err(io)?;
    file.write_all(pem.as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)?;
    Ok(KeyFileReport {
        path: path.to_path_buf(),
        encrypted: password.is_some(),
        owner_only: cfg!(unix),
    })
}

#[cfg(unix)]
fn create_owner_only(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn create_owner_only(path: &Path) -> std::io::Result<std::fs::File> {
    // Windows: the file inherits the folder's ACL (see the module documentation).
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

/// An `EncryptedPrivateKeyInfo` (RFC 5958 §3) under PBES2 with a random salt and IV.
fn encrypt(pkcs8: &[u8], pw: &Password) -> Result<Vec<u8>, LifecycleError> {
    use ::der::Encode;
    let salt = random_bytes(16)?;
    let mut iv = [0u8; 16];
    iv.copy_from_slice(&random_bytes(16)?);
    let err = |e: String| LifecycleError::Crypto(format!("PBES2: {e}"));
    let params =
        pkcs5::pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(KEY_FILE_ITERATIONS, &salt, iv)
            .map_err(|e| err(e.to_string()))?;
    let ct = params
        .encrypt(pw.as_str().as_bytes(), pkcs8)
        .map_err(|e| err(e.to_string()))?;
    let params_der = params.to_der().map_err(|e| err(e.to_string()))?;
    let alg = der::seq(&[&der::oid(OID_PBES2), &params_der]);
    Ok(der::seq(&[&alg, &der::tlv(der::OCTET_STRING, &ct)]))
}

/// The files a request is written to in `dir`: `STEM.key` and `STEM.csr`, where the stem
/// is the FQDN, or `host` for CiscoCertUtil's layout.
pub fn request_paths(dir: &Path, stem: &str) -> (PathBuf, PathBuf) {
    (
        dir.join(format!("{stem}.key")),
        dir.join(format!("{stem}.csr")),
    )
}

/// Writes `key` (see [`write_key_file`]) and `csr` (PEM) as [`request_paths`] names them,
/// creating `dir` if needed. Refused, before anything is written, when either file exists:
/// a request next to its key may be the one a CA is signing.
pub fn write_request(
    dir: &Path,
    stem: &str,
    key: &KeyPair,
    csr: &crate::cert::CertificateRequest,
    password: Option<&Password>,
) -> Result<(KeyFileReport, PathBuf), LifecycleError> {
    let (key_path, csr_path) = request_paths(dir, stem);
    for p in [&key_path, &csr_path] {
        if p.symlink_metadata().is_ok() {
            return Err(LifecycleError::Exists { path: p.clone() });
        }
    }
    std::fs::create_dir_all(dir).map_err(|source| LifecycleError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let report = write_key_file(&key_path, key, password)?;
    let io = |source| LifecycleError::Io {
        path: csr_path.clone(),
        source,
    };
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&csr_path)
        .map_err(io)?;
    f.write_all(csr.to_pem().as_bytes()).map_err(io)?;
    f.sync_all().map_err(io)?;
    Ok((report, csr_path))
}
