//! The one place where ccetrust's Rust errors become Python exceptions.
//!
//! The exception classes live in `ccetrust/exceptions.py` (Python lets `ParseError` be both a
//! `CcetrustError` and a `ValueError`, which a class made in Rust cannot). Each Rust error is
//! mapped to one class here, carrying the byte offset, line, alias and file it concerns as
//! attributes. Messages come from the core's `Display`, which never contains a password.

use std::path::PathBuf;

use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use ccetrust::keystore::KeystoreError;
use ccetrust::{Error, ParseError};

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

/// Builds an instance of `ccetrust.exceptions.<class>` with a message and context.
pub fn raise(py: Python<'_>, class: &str, kind: &str, message: String, ctx: Context) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let module = py.import("ccetrust.exceptions")?;
        let cls = module.getattr(class)?;
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
    raise(
        py,
        "UsageError",
        "usage",
        message.into(),
        Context::default(),
    )
}

/// A certificate/CSR/PKCS#7 parse error: `ccetrust.exceptions.ParseError` (also a `ValueError`).
pub fn parse_error(py: Python<'_>, err: &ParseError) -> PyErr {
    let kind = Error::Parse(err.clone()).kind();
    raise(
        py,
        "ParseError",
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
            raise(py, "ParseError", kind, message, ctx)
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
        Error::Fetch(f) => crate::fetch::fetch_error(py, f),
        Error::Inventory(e) => {
            ctx.line = Some(e.line);
            raise(py, "InventoryError", kind, message, ctx)
        }
        Error::Usage(_) => raise(py, "UsageError", kind, message, ctx),
        Error::Input(e) => {
            ctx.path = Some(e.path.clone());
            raise(py, "InputError", kind, message, ctx)
        }
        _ => raise(py, "CcetrustError", kind, message, ctx),
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
    let class = match inner {
        KeystoreError::ConcurrentModification { .. } => "ConcurrentModificationError",
        KeystoreError::Input(e) => {
            ctx.path = Some(e.path.clone());
            "InputError"
        }
        KeystoreError::Io { path, source } => {
            let errno = source.raw_os_error().unwrap_or(0);
            return PyOSError::new_err((errno, source.to_string(), path.clone().into_os_string()));
        }
        KeystoreError::Integrity { .. } => "KeystoreIntegrityError",
        KeystoreError::Malformed { .. }
        | KeystoreError::UnknownFormat(_)
        | KeystoreError::WrongFormat { .. } => "KeystoreFormatError",
        KeystoreError::Usage(_) => "UsageError",
        _ => "KeystoreError",
    };
    raise(py, class, err.kind(), err.to_string(), ctx)
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
