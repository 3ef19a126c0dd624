//! `ccetrust.cce`: the contact-center trust model from Python — read an inventory, audit
//! every trust relationship it implies, plan the fixes, render the report, apply the steps
//! ccetrust can carry out. Reading evidence (certificates, keystores) and auditing run
//! without the GIL.

use std::path::PathBuf;

use pyo3::prelude::*;

use ccetrust::cce::{self, render, Audit, AuditOptions, FetchOptions, Inventory, Plan};
use ccetrust::report;

use crate::convert::{json_to_py, timestamp};
use crate::errors::{error, usage_error, IntoPyResult};
use crate::input::FsPath;

/// A deployment inventory (TOML): hosts, roles, what each presents, its trust stores.
#[pyclass(module = "ccetrust._ccetrust", name = "Inventory", frozen)]
pub struct PyInventory {
    inner: Inventory,
}

#[pymethods]
impl PyInventory {
    /// Reads and checks an inventory file; relative paths resolve against its folder.
    /// Errors are `InventoryError` with `line` and `offset`.
    #[staticmethod]
    fn load(py: Python<'_>, path: FsPath) -> PyResult<Self> {
        let inner = py.detach(|| Inventory::load(&path.0)).py_err(py)?;
        Ok(PyInventory { inner })
    }

    /// Parses inventory text; relative paths resolve against `base_dir`.
    #[staticmethod]
    #[pyo3(signature = (text, base_dir=None))]
    fn parse(py: Python<'_>, text: &str, base_dir: Option<FsPath>) -> PyResult<Self> {
        let base = base_dir.map(|b| b.0).unwrap_or_else(|| PathBuf::from("."));
        let inner =
            Inventory::parse(text, &base).map_err(|e| error(py, &ccetrust::Error::Inventory(e)))?;
        Ok(PyInventory { inner })
    }

    /// Display name of the deployment.
    #[getter]
    fn name(&self) -> String {
        self.inner.name.clone()
    }

    /// Product line key (`pcce`, `ucce`, `uccx`).
    #[getter]
    fn product(&self) -> &'static str {
        self.inner.product.key()
    }

    /// Product version (`12.5`).
    #[getter]
    fn version(&self) -> String {
        self.inner.version.to_string()
    }

    /// Host names, in file order.
    #[getter]
    fn hosts(&self) -> Vec<String> {
        self.inner.hosts.iter().map(|h| h.name.clone()).collect()
    }

    /// Fully qualified names of the hosts, in file order.
    #[getter]
    fn fqdns(&self) -> Vec<String> {
        self.inner.hosts.iter().map(|h| h.fqdn.clone()).collect()
    }

    fn __len__(&self) -> usize {
        self.inner.hosts.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "<Inventory {:?} {} {} hosts={}>",
            self.inner.name,
            self.inner.product.key(),
            self.inner.version,
            self.inner.hosts.len()
        )
    }
}

/// An audit with its plan: every requirement decided, the findings, the ordered steps.
#[pyclass(module = "ccetrust._ccetrust", name = "AuditReport", frozen)]
pub struct PyAuditReport {
    inventory: Inventory,
    audit: Audit,
    plan: Plan,
    /// The evidence's certificates (the document's `certificates`), computed once.
    certificates: serde_json::Value,
}

impl PyAuditReport {
    fn doc(&self) -> serde_json::Value {
        let mut doc = report::audit::json(&self.inventory, &self.audit, &self.plan);
        doc["certificates"] = self.certificates.clone();
        doc
    }

    fn part<'py>(&self, py: Python<'py>, key: &str) -> PyResult<Bound<'py, PyAny>> {
        let doc = self.doc();
        json_to_py(py, doc.get(key).unwrap_or(&serde_json::Value::Null))
    }
}

#[pymethods]
impl PyAuditReport {
    /// The `ccetrust audit --json` document (schema, summary, hosts, edges, findings, plan,
    /// certificates).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.doc())
    }
    /// Counts: hosts, requirements, trusted/untrusted/failed/unknown, errors/warnings/info, steps.
    #[getter]
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.part(py, "summary")
    }
    /// What is wrong, most severe first: dicts with `code`, `severity`, `host`, `message`, …
    #[getter]
    fn findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.part(py, "findings")
    }
    /// Every trust relationship the deployment needs, with its status.
    #[getter]
    fn edges<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.part(py, "edges")
    }
    /// The ordered, idempotent fix steps, per host.
    #[getter]
    fn plan<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.part(py, "plan")
    }
    /// Whether the audit found errors.
    #[getter]
    fn has_errors(&self) -> bool {
        self.audit.counts().0 > 0
    }
    /// The executable steps as data, one dict per import or delete, for automation that
    /// applies them on the real servers (the Ansible `trust_audit` module feeds these to
    /// `keystore_entry`): `action`, `host`, `fqdn`, `store` (catalog kind), `store_path`
    /// (the collected copy), `server_path` (the path on the server: declared, else the
    /// catalog's default; null for VOS), `alias`, and for imports `certificate_pem`, `sha256`, `subject`; `title` says it in words.
    fn actions<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(
            py,
            &report::audit::plan_actions_json(&self.inventory, &self.plan),
        )
    }
    /// The text report (summary, findings, plan).
    fn to_text(&self) -> String {
        render::text(&self.inventory, &self.audit, &self.plan)
    }
    /// The report as Markdown, for a change ticket.
    fn to_markdown(&self) -> String {
        render::markdown(&self.inventory, &self.audit, &self.plan)
    }
    /// The trust graph as Graphviz DOT.
    fn to_dot(&self) -> String {
        render::dot(&self.inventory, &self.audit)
    }
    /// The plan alone, as text.
    fn plan_text(&self) -> String {
        render::plan_text(&self.plan)
    }
    /// Carries out the executable steps on the stores the inventory points at (a backup of
    /// each store before its first change; self-signed CVP certificates regenerated in
    /// collected keystores and imported on their importers in the same run); returns
    /// `ccetrust apply --json`'s `{"schema", "backups", "applied", "regenerated",
    /// "manual_steps"}` (without `after`: audit again).
    fn apply<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let (inv, plan, at) = (&self.inventory, &self.plan, self.audit.at);
        let done = py.detach(|| cce::apply_at(inv, plan, at)).py_err(py)?;
        json_to_py(py, &report::audit::apply_json(&done))
    }
    fn __repr__(&self) -> String {
        let (e, w, i) = self.audit.counts();
        format!(
            "<AuditReport {:?} errors={e} warnings={w} info={i} steps={}>",
            self.inventory.name,
            self.plan.len()
        )
    }
}

/// Audits an inventory: reads what it points at (presented certificates, trust stores),
/// collects the chains of `fetch = true` hosts from the live servers (unless `offline`;
/// at most `fetch_concurrency` connections at once, `fetch_timeout` seconds each to connect
/// and to complete the handshake), decides every trust relationship at `at` (a datetime or
/// Unix seconds; now by default), and plans the fixes. Certificates expiring within
/// `expiring_days` are reported.
#[pyfunction]
#[pyo3(signature = (inventory, *, at=None, expiring_days=60, offline=false, fetch_concurrency=8, fetch_timeout=None))]
pub fn audit(
    py: Python<'_>,
    inventory: &PyInventory,
    at: Option<&Bound<'_, PyAny>>,
    expiring_days: u32,
    offline: bool,
    fetch_concurrency: usize,
    fetch_timeout: Option<f64>,
) -> PyResult<PyAuditReport> {
    let mut opts = AuditOptions::now();
    if let Some(t) = at {
        opts.at = timestamp(t)?;
    }
    opts.expiring_days = expiring_days;
    if !(1..=cce::collect::MAX_CONCURRENCY).contains(&fetch_concurrency) {
        return Err(usage_error(
            py,
            format!(
                "fetch_concurrency must be between 1 and {}",
                cce::collect::MAX_CONCURRENCY
            ),
        ));
    }
    let mut fetch = FetchOptions {
        enabled: !offline,
        concurrency: fetch_concurrency,
        ..FetchOptions::default()
    };
    if let Some(s) = fetch_timeout {
        fetch = fetch.with_timeout_secs(s).ok_or_else(|| {
            usage_error(
                py,
                "fetch_timeout must be a number of seconds between 0 and 3600",
            )
        })?;
    }
    let inv = &inventory.inner;
    // `cce::run_with` step by step, as the CLI does: the document lists the evidence's
    // certificates too (`report::audit::document` is the CLI's whole document).
    let (a, p, certificates) = py
        .detach(|| -> Result<_, ccetrust::Error> {
            let ev = cce::Evidence::collect_with(inv, &fetch)?;
            let a = cce::audit(inv, &ev, &opts);
            let p = cce::plan(inv, &a);
            let certificates = cce::certificates::json(&cce::certificates::rows(inv, &ev));
            Ok((a, p, certificates))
        })
        .map_err(|e| error(py, &e))?;
    Ok(PyAuditReport {
        inventory: inventory.inner.clone(),
        audit: a,
        plan: p,
        certificates,
    })
}

/// Registers this module's classes and functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyInventory>()?;
    m.add_class::<PyAuditReport>()?;
    m.add_function(pyo3::wrap_pyfunction!(audit, m)?)?;
    Ok(())
}
