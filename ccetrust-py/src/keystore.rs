//! `ccetrust.keystore`: JKS, JCEKS, PKCS#12 and PEM keystores — load, list, change, save —
//! with the core's safe writes (the store's lock, temporary file, read back, a check that
//! nobody changed the file since it was loaded, atomic rename; mode, owner and links kept;
//! a backup).
//!
//! Passwords arrive as `str` or `bytes` and go straight into the core's `Password`, which is
//! wiped on drop; no repr or exception shows them. Key derivation and integrity checks (which
//! can take a noticeable time on a 200,000-iteration store) run without the GIL.

use std::str::FromStr;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyString};

use ccetrust::keystore::{
    self, Entry, EntryKind, Fingerprint, Format, ImportOutcome, ImportPolicy, Keystore,
    KeystoreError, Password, Pkcs12Profile, PrivateKeyEntry, SaveOptions, WriteOptions,
};
use ccetrust::Certificate;

use crate::convert::datetime;
use crate::errors::{keystore_error, IntoPyResult};
use crate::input::{Data, FsPath};
use crate::x509::PyCertificate;

/// A password from Python: `str`, or `bytes` that must be UTF-8. The error never shows it.
pub struct PyPassword(pub Password);

impl<'a, 'py> FromPyObject<'a, 'py> for PyPassword {
    type Error = PyErr;

    fn extract(ob: pyo3::Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let py = ob.py();
        if let Ok(s) = ob.cast::<PyString>() {
            return Ok(PyPassword(Password::new(s.to_str()?)));
        }
        let bytes = if let Ok(b) = ob.cast::<PyBytes>() {
            Some(zeroize::Zeroizing::new(b.as_bytes().to_vec()))
        } else {
            ob.cast::<PyByteArray>()
                .ok()
                .map(|b| zeroize::Zeroizing::new(b.to_vec()))
        };
        match bytes {
            Some(b) => Password::from_bytes(&b)
                .map(PyPassword)
                .map_err(|e| keystore_error(py, &e)),
            None => Err(PyTypeError::new_err(format!(
                "a password must be str or bytes, not {}",
                ob.get_type().name()?
            ))),
        }
    }
}

fn format_of(py: Python<'_>, name: &str) -> PyResult<Format> {
    Format::from_str(name).py_err(py)
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Jks => "JKS",
        Format::Jceks => "JCEKS",
        Format::Pkcs12 => "PKCS12",
        Format::Pem => "PEM",
    }
}

/// One keystore entry (a snapshot: changing the keystore does not change it).
#[pyclass(module = "ccetrust._ccetrust", name = "Entry", frozen)]
pub struct PyEntry {
    inner: Entry,
}

#[pymethods]
impl PyEntry {
    /// The alias (PKCS#12: the friendly name).
    #[getter]
    fn alias(&self) -> String {
        self.inner.alias.clone()
    }
    /// `trusted_cert`, `private_key` or `secret_key`.
    #[getter]
    fn kind(&self) -> &'static str {
        self.inner.kind.name()
    }
    /// keytool's name: `trustedCertEntry`, `PrivateKeyEntry`, `SecretKeyEntry`.
    #[getter]
    fn keytool_kind(&self) -> &'static str {
        self.inner.kind.keytool_name()
    }
    /// Creation time, where the format records it (JKS, JCEKS).
    #[getter]
    fn created<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner.created.map(|t| datetime(py, t)).transpose()
    }
    /// The trusted certificate, or the key's end-entity certificate.
    #[getter]
    fn certificate(&self) -> Option<PyCertificate> {
        self.inner.certificate().cloned().map(PyCertificate::new)
    }
    /// The trusted certificate, or the key's chain (end-entity first).
    #[getter]
    fn certificates(&self) -> Vec<PyCertificate> {
        self.inner
            .certificates()
            .iter()
            .cloned()
            .map(PyCertificate::new)
            .collect()
    }
    /// For a private key entry: whether the key's password has opened it.
    #[getter]
    fn key_unlocked(&self) -> Option<bool> {
        match &self.inner.kind {
            EntryKind::PrivateKey(k) => Some(k.is_unlocked()),
            _ => None,
        }
    }
    /// For an unlocked private key entry: the key's algorithm (`RSA`, `EC`, …), as
    /// `ccetrust keystore list` prints it; None otherwise.
    #[getter]
    fn key_algorithm(&self) -> Option<String> {
        match &self.inner.kind {
            EntryKind::PrivateKey(k) => k.key_algorithm(),
            _ => None,
        }
    }
    /// For an unlocked private key entry: SHA-256 (hex) of the public key derived from the
    /// private key, to compare with `certificate.public_key_sha256`; None otherwise.
    #[getter]
    fn public_key_sha256(&self) -> Option<String> {
        match &self.inner.kind {
            EntryKind::PrivateKey(k) => k.public_key_sha256().map(|h| ccetrust::hex(&h)),
            _ => None,
        }
    }
    /// For a private key entry: whether the unlocked key belongs to the entry's certificate
    /// (None while the key is locked or when it cannot be told).
    #[getter]
    fn key_matches_certificate(&self) -> Option<bool> {
        match &self.inner.kind {
            EntryKind::PrivateKey(k) => k.matches_certificate(),
            _ => None,
        }
    }
    fn __repr__(&self) -> String {
        format!(
            "<Entry {:?} {}{}>",
            self.inner.alias,
            self.inner.kind.keytool_name(),
            self.inner
                .certificate()
                .map(|c| format!(" subject={:?}", c.subject().to_rfc4514()))
                .unwrap_or_default()
        )
    }
}

/// What identifies the file at `path` for "saved where it was loaded": the path with its
/// links resolved when it exists, else as given.
fn same_file_key(path: &std::path::Path) -> std::path::PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// A keystore: a format and its entries, in file order.
#[pyclass(module = "ccetrust._ccetrust", name = "Keystore")]
pub struct PyKeystore {
    pub inner: Keystore,
    /// The file this keystore was loaded from (or last saved to) and what it was then:
    /// a save to that file replaces it only if it is still that content.
    pub read_from: Option<(std::path::PathBuf, Fingerprint)>,
}

impl PyKeystore {
    /// The trusted certificates, for use as verification anchors.
    pub fn trusted(&self) -> Vec<Certificate> {
        self.inner
            .trusted_certificates()
            .map(|(_, c)| c.clone())
            .collect()
    }
}

#[pymethods]
impl PyKeystore {
    /// An empty keystore of a format (`jks`, `jceks`, `pkcs12`, `pem`).
    #[new]
    #[pyo3(signature = (format="pkcs12"))]
    fn py_new(py: Python<'_>, format: &str) -> PyResult<Self> {
        Ok(PyKeystore {
            inner: Keystore::new(format_of(py, format)?),
            read_from: None,
        })
    }

    /// Reads a keystore file; the format is detected from the content and integrity is
    /// checked with the store password. Private keys stay encrypted until `unlock_keys`.
    /// What the file was is remembered: `save` to the same file refuses to overwrite a
    /// change made since (`ConcurrentModificationError`).
    #[staticmethod]
    fn load(py: Python<'_>, path: FsPath, password: PyPassword) -> PyResult<Self> {
        let (inner, fingerprint) = py
            .detach(|| -> Result<_, KeystoreError> {
                let (bytes, fingerprint) = keystore::read_store(&path.0)?;
                Ok((Keystore::from_bytes(&bytes, &password.0)?, fingerprint))
            })
            .py_err(py)?;
        Ok(PyKeystore {
            inner,
            read_from: Some((same_file_key(&path.0), fingerprint)),
        })
    }

    /// Reads a keystore from bytes; `format` insists on one format.
    #[staticmethod]
    #[pyo3(signature = (data, password, *, format=None))]
    fn from_bytes(
        py: Python<'_>,
        data: Data<'_>,
        password: PyPassword,
        format: Option<&str>,
    ) -> PyResult<Self> {
        let bytes: &[u8] = &data.0;
        let inner = match format {
            Some(f) => {
                let f = format_of(py, f)?;
                py.detach(|| Keystore::from_bytes_as(bytes, f, &password.0))
            }
            None => py.detach(|| Keystore::from_bytes(bytes, &password.0)),
        }
        .py_err(py)?;
        Ok(PyKeystore {
            inner,
            read_from: None,
        })
    }

    /// Reads a JKS or JCEKS keystore without its password (as `keytool -list` does with
    /// none): the integrity trailer is not checked.
    #[staticmethod]
    fn from_bytes_unverified(py: Python<'_>, data: Data<'_>) -> PyResult<Self> {
        let inner = Keystore::from_bytes_unverified(&data.0).py_err(py)?;
        Ok(PyKeystore {
            inner,
            read_from: None,
        })
    }

    /// The keystore's format: `JKS`, `JCEKS`, `PKCS12` or `PEM`.
    #[getter]
    fn format(&self) -> &'static str {
        format_name(self.inner.format)
    }

    /// For a keystore read from PKCS#12: `modern` or `legacy`, the algorithms it was written
    /// with (and is written back with unless `pkcs12_profile` says otherwise); else None.
    #[getter]
    fn pkcs12_profile(&self) -> Option<&'static str> {
        self.inner.pkcs12_profile.map(|p| match p {
            Pkcs12Profile::Modern => "modern",
            Pkcs12Profile::Legacy => "legacy",
        })
    }

    /// Every entry, in order.
    #[getter]
    fn entries(&self) -> Vec<PyEntry> {
        self.inner
            .entries
            .iter()
            .cloned()
            .map(|inner| PyEntry { inner })
            .collect()
    }

    /// The listing `ccetrust keystore list --json` prints: `{"format", "entries": [{"alias",
    /// "kind", "created", "certificates": [{"sha256", "subject", "issuer", "not_after"}],
    /// "public_key_sha256"}]}` (`public_key_sha256` once the key is unlocked).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::convert::json_to_py(py, &ccetrust::report::listing_json(&self.inner, true))
    }

    /// The aliases, in order.
    fn aliases(&self) -> Vec<String> {
        self.inner.entries.iter().map(|e| e.alias.clone()).collect()
    }

    /// The entry with this alias (compared as the format compares aliases: JKS and JCEKS
    /// case-insensitively), or None.
    fn get(&self, alias: &str) -> Option<PyEntry> {
        self.inner
            .entry(alias)
            .cloned()
            .map(|inner| PyEntry { inner })
    }

    /// The entry holding exactly this certificate (as a trusted certificate or a key's
    /// certificate), whatever its alias, or None.
    fn find(&self, certificate: &PyCertificate) -> Option<PyEntry> {
        self.inner
            .find_by_certificate(&certificate.inner)
            .cloned()
            .map(|inner| PyEntry { inner })
    }

    /// `(alias, Certificate)` for each trusted-certificate entry.
    fn trusted_certificates(&self) -> Vec<(String, PyCertificate)> {
        self.inner
            .trusted_certificates()
            .map(|(a, c)| (a.to_string(), PyCertificate::new(c.clone())))
            .collect()
    }

    /// Tries a key password on every still-encrypted private key; returns
    /// `{alias: reason}` for those it did not open.
    fn unlock_keys(
        &mut self,
        py: Python<'_>,
        password: PyPassword,
    ) -> std::collections::BTreeMap<String, String> {
        let inner = &mut self.inner;
        py.detach(|| inner.unlock_keys(&password.0))
            .into_iter()
            .map(|(a, e)| (a, e.to_string()))
            .collect()
    }

    /// Encodes the keystore in its format. `key_password` protects keys that need
    /// (re-)protecting (default: the store password); `pkcs12_profile` is `keep` (the
    /// algorithms the store was read with; modern for a new store), `modern` (keytool 17 /
    /// OpenSSL 3) or `legacy` (Windows Server 2016, Java 8 before 8u301). A password JDK
    /// keytool cannot use (non-ASCII for PKCS#12, a new store password under 6 characters)
    /// raises `KeystoreError` (kind `password`) unless `allow_non_keytool_password`.
    #[pyo3(signature = (password, *, key_password=None, pkcs12_profile="keep", allow_non_keytool_password=false))]
    fn to_bytes<'py>(
        &self,
        py: Python<'py>,
        password: PyPassword,
        key_password: Option<PyPassword>,
        pkcs12_profile: &str,
        allow_non_keytool_password: bool,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let options = write_options(py, key_password, pkcs12_profile, allow_non_keytool_password)?;
        let inner = &self.inner;
        let bytes = py
            .detach(|| inner.to_bytes(&password.0, &options))
            .py_err(py)?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// Writes the keystore to `path` safely, under the store's lock: a temporary file
    /// (owner-only) in the same folder, read back and compared, given the store's mode,
    /// owner and group, then renamed over the original (through a symbolic link: over the
    /// file it points to), whose previous content is kept as `NAME.YYYYMMDDTHHMMSSZ.bak`
    /// when `backup`. Refused: a file of another format unless `allow_format_change`; a
    /// read-only store, or one whose owner cannot be kept, unless `force`; the file this
    /// keystore was loaded from if it changed since (`ConcurrentModificationError`);
    /// passwords as for `to_bytes`. Returns `{"path", "backup", "bytes"}`.
    #[pyo3(signature = (path, password, *, backup=true, allow_format_change=false, key_password=None, pkcs12_profile="keep", allow_non_keytool_password=false, force=false, lock_timeout=60.0))]
    #[allow(clippy::too_many_arguments)]
    fn save(
        &mut self,
        py: Python<'_>,
        path: FsPath,
        password: PyPassword,
        backup: bool,
        allow_format_change: bool,
        key_password: Option<PyPassword>,
        pkcs12_profile: &str,
        allow_non_keytool_password: bool,
        force: bool,
        lock_timeout: f64,
    ) -> PyResult<SaveResult> {
        if !(lock_timeout.is_finite() && lock_timeout >= 0.0) {
            return Err(crate::errors::usage_error(
                py,
                "lock_timeout must be a number of seconds, 0 or more",
            ));
        }
        let key = same_file_key(&path.0);
        let expect = match &self.read_from {
            Some((loaded, fingerprint)) if *loaded == key => Some(fingerprint.clone()),
            _ => None,
        };
        let options = SaveOptions {
            write: write_options(py, key_password, pkcs12_profile, allow_non_keytool_password)?,
            backup,
            allow_format_change,
            force,
            lock_timeout: std::time::Duration::from_secs_f64(lock_timeout.min(86_400.0)),
            expect,
        };
        let inner = &self.inner;
        let report = py
            .detach(|| keystore::save(&path.0, inner, &password.0, &options))
            .map_err(|e| keystore_error(py, &e))?;
        self.read_from = Some((key, report.fingerprint.clone()));
        Ok(SaveResult {
            path: report.path.display().to_string(),
            backup: report.backup.map(|b| b.display().to_string()),
            bytes: report.bytes,
        })
    }

    /// Imports a trusted certificate under `alias`, idempotently by certificate identity:
    /// the same certificate already present under any alias is reported, not added again;
    /// an alias holding a different certificate is an error unless `replace`. Returns
    /// `{"result": "added"|"already_present"|"replaced", "alias", "changed", …}`, as `ccetrust keystore import --json`.
    #[pyo3(signature = (alias, certificate, *, replace=false))]
    fn import_certificate<'py>(
        &mut self,
        py: Python<'py>,
        alias: &str,
        certificate: &PyCertificate,
        replace: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let outcome = self
            .inner
            .import_trusted(alias, certificate.inner.clone(), policy(replace))
            .py_err(py)?;
        outcome_dict(py, &outcome)
    }

    /// Imports every certificate of a bundle or PKCS#7 chain: the first under `alias`,
    /// the next under `alias-2`, `alias-3`… Each is idempotent by identity as in
    /// `import_certificate`. Stops at the first error (earlier imports stay in the model).
    #[pyo3(signature = (alias, certificates, *, replace=false))]
    fn import_certificates<'py>(
        &mut self,
        py: Python<'py>,
        alias: &str,
        certificates: Vec<PyRef<'py, PyCertificate>>,
        replace: bool,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let certs: Vec<Certificate> = certificates.iter().map(|c| c.inner.clone()).collect();
        let outcomes = self
            .inner
            .import_trusted_bundle(alias, certs, policy(replace))
            .py_err(py)?;
        outcomes.iter().map(|o| outcome_dict(py, o)).collect()
    }

    /// Imports every entry of another keystore, as `ccetrust keystore import` does with a
    /// keystore file (JKS, JCEKS, PKCS#12, PEM key + chain): trusted certificates and key
    /// pairs keep their aliases, each idempotent by identity, except that a source holding
    /// a single key pair puts it under `alias` when given. The source's keys must be
    /// unlocked first (`source.unlock_keys(password)`); they are protected anew with this
    /// keystore's key password when it is saved. `source` is left as it was.
    #[pyo3(signature = (source, *, alias=None, replace=false))]
    fn import_keystore<'py>(
        &mut self,
        py: Python<'py>,
        source: &PyKeystore,
        alias: Option<&str>,
        replace: bool,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let outcomes = self
            .inner
            .import_keystore(source.inner.clone(), alias, policy(replace))
            .py_err(py)?;
        outcomes.iter().map(|o| outcome_dict(py, o)).collect()
    }

    /// Imports a private key (PKCS#8, DER or PEM `PRIVATE KEY`) with its chain (end-entity
    /// first) under `alias`. The key must belong to the first certificate.
    #[pyo3(signature = (alias, private_key, chain, *, replace=false))]
    fn import_key_pair<'py>(
        &mut self,
        py: Python<'py>,
        alias: &str,
        private_key: Data<'_>,
        chain: Vec<PyRef<'py, PyCertificate>>,
        replace: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let der = pkcs8_der(py, &private_key.0)?;
        let certs: Vec<Certificate> = chain.iter().map(|c| c.inner.clone()).collect();
        let entry = PrivateKeyEntry::new(&der, certs).py_err(py)?;
        let outcome = self
            .inner
            .import_key_pair(alias, entry, policy(replace))
            .py_err(py)?;
        outcome_dict(py, &outcome)
    }

    /// Generates a key pair and a self-signed certificate under `alias`, as `ccetrust
    /// keystore genkeypair` does (CN = FQDN, the FQDN as first DNS SAN then `sans`, SHA-256,
    /// CA:FALSE, the EKU, 1825 days), refusing what `role` on `product` `version` rejects.
    /// Returns the new entry; `save` writes it.
    #[pyo3(signature = (alias, fqdn, *, sans=Vec::new(), keyalg="rsa", keysize=None, validity=1825, eku=None, role=None, product=None, version=None))]
    #[allow(clippy::too_many_arguments)]
    fn generate_key_pair(
        &mut self,
        py: Python<'_>,
        alias: &str,
        fqdn: &str,
        sans: Vec<String>,
        keyalg: &str,
        keysize: Option<u32>,
        validity: u32,
        eku: Option<&str>,
        role: Option<&str>,
        product: Option<&str>,
        version: Option<&str>,
    ) -> PyResult<PyEntry> {
        let ask = ccetrust::lifecycle::Ask {
            fqdn,
            sans: &sans,
            keyalg: Some(keyalg),
            keysize,
            eku,
            subject: None,
            role: crate::lifecycle::role(py, role, product, version)?,
        };
        let stored =
            crate::lifecycle::generate_key_pair(py, &mut self.inner, alias, &ask, validity)?;
        let inner = self.inner.entry(&stored).cloned().ok_or_else(|| {
            crate::errors::usage_error(py, format!("alias '{stored}' not found after the import"))
        })?;
        Ok(PyEntry { inner })
    }

    /// Removes the entry with `alias` and returns it (`KeystoreError` with `.alias` when
    /// there is none).
    fn delete(&mut self, py: Python<'_>, alias: &str) -> PyResult<PyEntry> {
        let inner = self.inner.delete(alias).py_err(py)?;
        Ok(PyEntry { inner })
    }

    /// Renames an entry; the new alias must be free.
    fn rename(&mut self, py: Python<'_>, old: &str, new: &str) -> PyResult<()> {
        self.inner.rename(old, new).py_err(py)
    }

    /// Opens the private key(s) with the `old` key password and marks them to be
    /// protected with the `key_password` of the next `save`/`to_bytes`. `alias`: one entry,
    /// or every key entry. Returns how many keys.
    #[pyo3(signature = (old, *, alias=None))]
    fn change_key_password(
        &mut self,
        py: Python<'_>,
        old: PyPassword,
        alias: Option<&str>,
    ) -> PyResult<usize> {
        let inner = &mut self.inner;
        py.detach(|| inner.change_key_password(alias, &old.0))
            .py_err(py)
    }

    /// The same entries in another format (keys must be unlocked; JCEKS secret keys stay in
    /// JCEKS). Save the result with `allow_format_change=True` to replace the file.
    fn convert(&self, py: Python<'_>, format: &str) -> PyResult<PyKeystore> {
        let f = format_of(py, format)?;
        let inner = self.inner.convert(f).py_err(py)?;
        Ok(PyKeystore {
            inner,
            read_from: None,
        })
    }

    fn __len__(&self) -> usize {
        self.inner.entries.len()
    }

    fn __contains__(&self, alias: &str) -> bool {
        self.inner.entry(alias).is_some()
    }

    fn __repr__(&self) -> String {
        format!(
            "<Keystore {} entries={}>",
            format_name(self.inner.format),
            self.inner.entries.len()
        )
    }
}

fn policy(replace: bool) -> ImportPolicy {
    if replace {
        ImportPolicy::Replace
    } else {
        ImportPolicy::Refuse
    }
}

/// `ccetrust keystore import --json`'s object for one import ([`report::import_outcome_json`]).
fn outcome_dict<'py>(py: Python<'py>, o: &ImportOutcome) -> PyResult<Bound<'py, PyAny>> {
    crate::convert::json_to_py(py, &ccetrust::report::import_outcome_json(o))
}

/// A PKCS#8 key from DER, or from a PEM `PRIVATE KEY` block.
fn pkcs8_der(py: Python<'_>, bytes: &[u8]) -> PyResult<zeroize::Zeroizing<Vec<u8>>> {
    if bytes.first() == Some(&0x30) {
        return Ok(zeroize::Zeroizing::new(bytes.to_vec()));
    }
    let blocks =
        ccetrust::cert::pem::parse_blocks(bytes).map_err(|e| crate::errors::parse_error(py, &e))?;
    for b in blocks {
        if b.label == "PRIVATE KEY" {
            return Ok(zeroize::Zeroizing::new(b.der));
        }
    }
    Err(keystore_error(
        py,
        &KeystoreError::Usage(
            "expected a PKCS#8 private key (DER, or PEM 'PRIVATE KEY'; convert others with openssl pkcs8 -topk8)"
                .into(),
        ),
    ))
}

/// What `Keystore.save` returns.
#[derive(IntoPyObject)]
pub struct SaveResult {
    path: String,
    backup: Option<String>,
    bytes: usize,
}

fn write_options(
    py: Python<'_>,
    key_password: Option<PyPassword>,
    pkcs12_profile: &str,
    allow_non_keytool_password: bool,
) -> PyResult<WriteOptions> {
    let pkcs12 = match pkcs12_profile.to_ascii_lowercase().as_str() {
        "keep" => None,
        "modern" => Some(Pkcs12Profile::Modern),
        "legacy" => Some(Pkcs12Profile::Legacy),
        other => {
            return Err(keystore_error(
                py,
                &KeystoreError::Usage(format!(
                    "unknown PKCS#12 profile '{other}': expected keep, modern or legacy"
                )),
            ))
        }
    };
    Ok(WriteOptions {
        key_password: key_password.map(|p| p.0),
        pkcs12,
        allow_non_keytool_password,
        ..WriteOptions::default()
    })
}

/// The format of keystore bytes, from their content: `JKS`, `JCEKS`, `PKCS12` or `PEM`.
#[pyfunction]
pub fn detect_format(py: Python<'_>, data: Data<'_>) -> PyResult<&'static str> {
    keystore::detect(&data.0).map(format_name).py_err(py)
}

/// Registers this module's classes and functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyKeystore>()?;
    m.add_class::<PyEntry>()?;
    m.add_function(pyo3::wrap_pyfunction!(detect_format, m)?)?;
    Ok(())
}
