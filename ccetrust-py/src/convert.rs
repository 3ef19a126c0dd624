//! Conversions of core values into Python ones: JSON views into dicts and lists, timestamps
//! into aware `datetime`s (UTC).

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyType};
use serde_json::Value;

use ccetrust::Timestamp;

/// A `serde_json::Value` (the core's `--json` views) as plain Python objects.
pub fn json_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => s.into_pyobject(py)?.into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, json_to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static UTC: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// A timestamp as an aware `datetime.datetime` in UTC.
pub fn datetime<'py>(py: Python<'py>, t: Timestamp) -> PyResult<Bound<'py, PyAny>> {
    let cls = DATETIME.import(py, "datetime", "datetime")?;
    let utc = UTC.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py
            .import("datetime")?
            .getattr("timezone")?
            .getattr("utc")?
            .unbind())
    })?;
    cls.call_method1("fromtimestamp", (t.unix(), utc.bind(py)))
}

/// A `datetime` (naive ones are taken as UTC) or an `int` of Unix seconds, as a timestamp.
pub fn timestamp(value: &Bound<'_, PyAny>) -> PyResult<Timestamp> {
    if let Ok(secs) = value.extract::<i64>() {
        return Ok(Timestamp::from_unix(secs));
    }
    let py = value.py();
    let aware = if value.getattr("tzinfo")?.is_none() {
        let utc = UTC.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
            Ok(py
                .import("datetime")?
                .getattr("timezone")?
                .getattr("utc")?
                .unbind())
        })?;
        let kwargs = pyo3::types::PyDict::new(py);
        kwargs.set_item("tzinfo", utc.bind(py))?;
        value.call_method("replace", (), Some(&kwargs))?
    } else {
        value.clone()
    };
    let secs: f64 = aware.call_method0("timestamp")?.extract()?;
    Ok(Timestamp::from_unix(secs.floor() as i64))
}
