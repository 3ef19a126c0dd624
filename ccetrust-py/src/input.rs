//! What the binding accepts from Python: certificate data as `bytes`/`bytearray`/`memoryview`
//! or PEM text as `str`; paths as `str`, `bytes` or `os.PathLike`.

use std::borrow::Cow;
use std::path::PathBuf;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyString};

/// Certificate material handed over from Python: borrowed when it is `bytes`.
pub struct Data<'a>(pub Cow<'a, [u8]>);

impl<'a, 'py> FromPyObject<'a, 'py> for Data<'a> {
    type Error = PyErr;

    fn extract(ob: pyo3::Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if let Ok(b) = <&'a [u8] as FromPyObject<'a, 'py>>::extract(ob) {
            return Ok(Data(Cow::Borrowed(b)));
        }
        if let Ok(s) = ob.cast::<PyString>() {
            return Ok(Data(Cow::Owned(s.to_str()?.as_bytes().to_vec())));
        }
        if let Ok(b) = ob.cast::<PyByteArray>() {
            return Ok(Data(Cow::Owned(b.to_vec())));
        }
        if let Ok(view) = ob.call_method0("tobytes") {
            if let Ok(b) = view.cast::<PyBytes>() {
                return Ok(Data(Cow::Owned(b.as_bytes().to_vec())));
            }
        }
        Err(PyTypeError::new_err(format!(
            "expected bytes, bytearray, memoryview or str (PEM text), not {}",
            ob.get_type().name()?
        )))
    }
}

/// A file path given as `str`, `bytes` or any `os.PathLike`.
pub struct FsPath(pub PathBuf);

impl<'a, 'py> FromPyObject<'a, 'py> for FsPath {
    type Error = PyErr;

    fn extract(ob: pyo3::Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let py = ob.py();
        // os.fsdecode takes str, bytes and os.PathLike, and decodes bytes the way the
        // operating system does (surrogateescape on POSIX).
        let text = py
            .import("os")?
            .call_method1("fsdecode", (ob,))
            .map_err(|_| {
                PyTypeError::new_err(format!(
                    "expected a path (str, bytes or os.PathLike), not {}",
                    ob.get_type()
                        .name()
                        .map(|n| n.to_string())
                        .unwrap_or_default()
                ))
            })?;
        Ok(FsPath(text.extract::<PathBuf>()?))
    }
}
