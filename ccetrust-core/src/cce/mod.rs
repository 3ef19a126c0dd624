//! The contact-center trust model: who must trust whom in a Cisco PCCE/UCCE/UCCX deployment,
//! what is really there, what is wrong, and the exact ordered steps that fix it.
//!
//! - [`catalog`]: the domain facts as data (roles, certificates, stores, requirements, rules).
//! - [`inventory`]: the deployment file (TOML) an administrator writes.
//! - [`evidence`]: reads what the inventory points at and asks the chain validator.
//! - [`collect`]: for `fetch = true` hosts, the chains their servers present, over the network.
//! - [`audit`]: every requirement decided, every rule checked, stores inspected.
//! - [`finding`]: what the audit reports, with codes from `CCE-TRUST.md` §3.
//! - [`plan`]: the ordered, idempotent steps (a pure function of the findings).
//! - [`apply`]: carries out the steps on the stores ccetrust can reach; writes the plan's files.
//! - [`diff`]: what changed between two audit documents (`ccetrust diff`).
//! - [`render`]: text, JSON, Markdown and Graphviz DOT; [`report_prometheus`]: the Prometheus
//!   text format; [`report_html`]: one self-contained HTML page; [`certificates`]: every certificate the evidence holds, one row each.
//!
//! ```no_run
//! use ccetrust::cce::{self, AuditOptions, Inventory};
//! let inv = Inventory::load("examples/pcce-2k-lab/inventory.toml".as_ref())?;
//! let (audit, plan) = cce::run(&inv, &AuditOptions::now())?;
//! print!("{}", cce::render::text(&inv, &audit, &plan));
//! # Ok::<(), ccetrust::Error>(())
//! ```

pub mod apply;
pub mod audit;
pub mod catalog;
pub mod certificates;
pub mod collect;
pub mod diff;
pub mod evidence;
pub mod finding;
pub mod inventory;
pub mod plan;
pub mod render;
pub mod report_html;
pub mod report_prometheus;

pub use apply::{apply, apply_at, write_files, ApplyReport, Regenerated};
pub use audit::{audit, Audit, AuditOptions, Edge, EdgeCode, EdgeStatus};
pub use catalog::{Role, Service, StoreKind};
pub use collect::FetchOptions;
pub use evidence::Evidence;
pub use finding::{Code, Finding, Severity};
pub use inventory::{Inventory, InventoryError};
pub use plan::{plan, Plan, PlanStep, StepKind};

/// Reads the evidence of `inv` (collecting the chains of `fetch = true` hosts with the
/// default [`FetchOptions`]), audits it and plans the fixes.
pub fn run(inv: &Inventory, opts: &AuditOptions) -> Result<(Audit, Plan), crate::Error> {
    run_with(inv, opts, &FetchOptions::default())
}

/// [`run`] with explicit fetch options: [`FetchOptions::offline`] for no network at all, or
/// another concurrency bound and timeouts.
pub fn run_with(
    inv: &Inventory,
    opts: &AuditOptions,
    fetch: &FetchOptions,
) -> Result<(Audit, Plan), crate::Error> {
    let ev = Evidence::collect_with(inv, fetch)?;
    let a = audit(inv, &ev, opts);
    let p = plan(inv, &a);
    Ok((a, p))
}
