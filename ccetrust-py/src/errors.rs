//! The one place where ccetrust's Rust errors become Python exceptions: every exception the
//! binding raises is built in this file.
//!
//! The exception classes live in `ccetrust/exceptions.py` (Python lets `ParseError` be both a
//! `CcetrustError` and a `ValueError`, which a class made in Rust cannot); [`exc`] holds typed
//! handles to them, so a misspelt class is a compile error, not a runtime `AttributeError`.
//! Each Rust error is mapped to one class here ([`error`], the one conversion of
//! `ccetrust::Error`; [`IntoPyResult`] applies it with `?`), carrying the byte offset, line,
//! alias and file it concerns as attributes. Messages come from the core's `Display`, which
//! never contains a password.

use std::path::PathBuf;

use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use pyo3::PyTypeInfo;

use ccetrust::fetch::FetchError;
use ccetrust::keystore::KeystoreError;
use ccetrust::{Error, ParseError};

/// Typed handles to the classes of `ccetrust.exceptions`.
pub mod exc {
    pyo3::import_exception!(ccetrust.exceptions, CcetrustError);
    pyo3::import_exception!(ccetrust.exceptions, ParseError);
    pyo3::import_exception!(ccetrust.exceptions, UsageError);
    pyo3::import_exception!(ccetrust.exceptions, KeystoreError);
    pyo3::import_exception!(ccetrust.exceptions, KeystoreIntegrityError);
    pyo3::import_exception!(ccetrust.exceptions, KeystoreFormatError);
    pyo3::import_exception!(ccetrust.exceptions, ConcurrentModificationError);
    pyo3::import_exception!(ccetrust.exceptions, VerificationError);
    pyo3::import_exception!(ccetrust.exceptions, InventoryError);
    pyo3::import_exception!(ccetrust.exceptions, FetchError);
    pyo3::import_exception!(ccetrust.exceptions, InputError);
}

/// Where an error happened, as the exception's attributes.
#[derive(Default)]
pub struct Context {
    pub offset: Option<usize>,
    pub line: Option<usize>,
    pub alias: Option<String>,
    /// The file, as Python names it (`os.fsdecode`: undecodable bytes kept as surrogates).
    pub path: Option<PathBuf>,
    pub index: Option<usize>,
}

/// Builds an instance of the exception class `E` with a message, a machine `kind` and context.
fn raise<E: PyTypeInfo>(py: Python<'_>, kind: &str, message: String, ctx: Context) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let cls = E::type_object(py);
        let kwargs = PyDict::new(py);
        kwargs.set_item("kind", kind)?;
        kwargs.set_item("offset", ctx.offset)?;
        kwargs.set_item("line", ctx.line)?;
        kwargs.set_item("alias", ctx.alias)?;
        // A str as os.fsdecode makes it (PyO3 would make a PathBuf a pathlib.Path).
        kwargs.set_item("path", ctx.path.map(PathBuf::into_os_string))?;
        kwargs.set_item("index", ctx.index)?;
        let exc = cls.call((PyString::new(py, &message),), Some(&kwargs))?;
        Ok(PyErr::from_value(exc))
    };
    build().unwrap_or_else(|e| e)
}

/// A bad argument value: `ccetrust.exceptions.UsageError` (also a `ValueError`).
pub fn usage_error(py: Python<'_>, message: impl Into<String>) -> PyErr {
    raise::<exc::UsageError>(py, "usage", message.into(), Context::default())
}

/// Text given to a `from_pem` that has no PEM block.
pub fn not_pem(py: Python<'_>) -> PyErr {
    raise::<exc::ParseError>(
        py,
        "malformed",
        "not PEM: no '-----BEGIN' line".into(),
        Context::default(),
    )
}

/// `ccetrust.exceptions.VerificationError` for a verdict that is not valid: `kind` is the
/// verdict's code.
pub fn verification_error(py: Python<'_>, code: &str, reason: String) -> PyErr {
    raise::<exc::VerificationError>(py, code, reason, Context::default())
}

/// A `FetchError` as `ccetrust.exceptions.FetchError` (kind: `dns`, `refused`,
/// `timeout_connect`, `tls_alert`, `not_tls`, …); a bad target is a `UsageError`.
pub fn fetch_error(py: Python<'_>, e: &FetchError) -> PyErr {
    if e.kind() == "usage" {
        raise::<exc::UsageError>(py, e.kind(), e.to_string(), Context::default())
    } else {
        raise::<exc::FetchError>(py, e.kind(), e.to_string(), Context::default())
    }
}

/// A batch worker that panicked: a `CcetrustError` (kind `internal`) for the whole batch,
/// never an empty or partial result that looks like bad input.
pub fn worker_panicked(py: Python<'_>, what: &str) -> PyErr {
    raise::<exc::CcetrustError>(
        py,
        "internal",
        format!("{what}: a worker thread panicked (a bug in ccetrust; please report it)"),
        Context::default(),
    )
}

/// A bad item of a batch: the item's error with its `index`, the message prefixed with
/// `certificate N: `.
pub fn parse_error_at(py: Python<'_>, err: &ParseError, index: usize) -> PyErr {
    let e = parse_error(py, err);
    let v = e.value(py);
    let _ = v.setattr("index", index);
    let _ = v.setattr("args", (format!("certificate {index}: {err}"),));
    e
}

/// A certificate/CSR/PKCS#7 parse error: `ccetrust.exceptions.ParseError` (also a `ValueError`).
pub fn parse_error(py: Python<'_>, err: &ParseError) -> PyErr {
    let kind = Error::Parse(err.clone()).kind();
    raise::<exc::ParseError>(
        py,
        kind,
        err.to_string(),
        Context {
            offset: err.offset(),
            line: err.line(),
            ..Context::default()
        },
    )
}

/// Any core error.
pub fn error(py: Python<'_>, err: &Error) -> PyErr {
    error_in(py, err, None)
}

fn error_in(py: Python<'_>, err: &Error, path: Option<PathBuf>) -> PyErr {
    let kind = err.kind();
    let message = err.to_string();
    let mut ctx = Context {
        offset: err.offset(),
        path,
        ..Context::default()
    };
    match err {
        Error::Parse(p) => {
            ctx.line = p.line();
            raise::<exc::ParseError>(py, kind, message, ctx)
        }
        Error::Io { path, source } => {
            // Python's own OSError (FileNotFoundError, PermissionError…), with errno and file.
            let errno = source.raw_os_error().unwrap_or(0);
            PyOSError::new_err((errno, source.to_string(), path.clone().into_os_string()))
        }
        Error::File { path, source } => {
            // Keep the class and context of the inner error, and add the file to the message.
            let inner = error_in(py, source, Some(path.clone()));
            if source_is_io(source) {
                return inner;
            }
            let _ = inner
                .value(py)
                .setattr("args", (format!("{}: {}", path.display(), source),));
            inner
        }
        Error::Keystore(k) => keystore_error_in(py, k, ctx.path),
        Error::Fetch(f) => fetch_error(py, f),
        Error::Inventory(e) => {
            ctx.line = Some(e.line);
            raise::<exc::InventoryError>(py, kind, message, ctx)
        }
        Error::Usage(_) => raise::<exc::UsageError>(py, kind, message, ctx),
        Error::Input(e) => {
            ctx.path = Some(e.path.clone());
            raise::<exc::InputError>(py, kind, message, ctx)
        }
        _ => raise::<exc::CcetrustError>(py, kind, message, ctx),
    }
}

/// A keystore error: `KeystoreIntegrityError` for a wrong password or a modified file,
/// `ConcurrentModificationError` for a store changed on disk since it was read (nothing
/// written), `KeystoreFormatError` (also a `ValueError`) for bytes that are not the format, Python's
/// `OSError` for files, `KeystoreError` for the rest; `alias` and `offset` set when known.
pub fn keystore_error(py: Python<'_>, err: &KeystoreError) -> PyErr {
    keystore_error_in(py, err, None)
}

fn keystore_error_in(py: Python<'_>, err: &KeystoreError, path: Option<PathBuf>) -> PyErr {
    let mut alias = None;
    let mut inner = err;
    // The alias an error is about, from the outermost wrapper that names one.
    loop {
        match inner {
            KeystoreError::InEntry { alias: a, source } => {
                alias.get_or_insert_with(|| a.clone());
                inner = source;
            }
            KeystoreError::Alias { alias: a, .. } | KeystoreError::Locked { alias: a } => {
                alias.get_or_insert_with(|| a.clone());
                break;
            }
            _ => break,
        }
    }
    // The store a write-safety error is about, as the exception's `path`.
    let path = match inner {
        KeystoreError::ConcurrentModification { path: p, .. }
        | KeystoreError::ReadOnly { path: p, .. }
        | KeystoreError::Ownership { path: p, .. }
        | KeystoreError::Busy { path: p, .. } => Some(p.clone()),
        _ => path,
    };
    let mut ctx = Context {
        offset: err.offset(),
        alias,
        path,
        ..Context::default()
    };
    let kind = err.kind();
    let message = err.to_string();
    match inner {
        KeystoreError::ConcurrentModification { .. } => {
            raise::<exc::ConcurrentModificationError>(py, kind, message, ctx)
        }
        KeystoreError::Input(e) => {
            ctx.path = Some(e.path.clone());
            raise::<exc::InputError>(py, kind, message, ctx)
        }
        KeystoreError::Io { path, source } => {
            let errno = source.raw_os_error().unwrap_or(0);
            PyOSError::new_err((errno, source.to_string(), path.clone().into_os_string()))
        }
        KeystoreError::Integrity { .. } => {
            raise::<exc::KeystoreIntegrityError>(py, kind, message, ctx)
        }
        KeystoreError::Malformed { .. }
        | KeystoreError::UnknownFormat(_)
        | KeystoreError::WrongFormat { .. } => {
            raise::<exc::KeystoreFormatError>(py, kind, message, ctx)
        }
        KeystoreError::Usage(_) => raise::<exc::UsageError>(py, kind, message, ctx),
        _ => raise::<exc::KeystoreError>(py, kind, message, ctx),
    }
}

fn source_is_io(err: &Error) -> bool {
    matches!(err, Error::Io { .. })
}

/// `?`-friendly conversions for the binding's functions.
pub trait IntoPyResult<T> {
    /// Converts the core's result into a Python one.
    fn py_err(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for Result<T, ParseError> {
    fn py_err(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| parse_error(py, &e))
    }
}

impl<T> IntoPyResult<T> for Result<T, Error> {
    fn py_err(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| error(py, &e))
    }
}

impl<T> IntoPyResult<T> for Result<T, KeystoreError> {
    fn py_err(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| keystore_error(py, &e))
    }
}
