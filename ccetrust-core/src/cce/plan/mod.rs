//! The plan: from the audit's findings, the ordered steps that fix them, grouped by host, with the
//! exact commands an administrator runs (keytool on Windows with the store's real path and type,
//! OS Administration uploads on VOS in root → intermediate → leaf order on the publisher only,
//! CiscoCertUtil on the CTI server), the backups before and the restarts after.
//!
//! The plan is a pure function of the findings: a deployment with no findings has an empty plan,
//! and re-auditing after the steps were carried out gives an empty plan (idempotence). Nothing
//! here reads or writes a file: [`super::apply`] carries out the steps that touch a store
//! ccetrust can reach and writes the certificates the commands name.
//!
//! - [`builder`] (private): one function per kind of [`Fix`], then the backups, restarts and
//!   ordering that tie the steps together.
//! - [`commands`] (private): the exact command text per platform and store kind.

mod builder;
mod commands;

use crate::Certificate;

use super::audit::Audit;
use super::finding::{CertRole, Code, Finding, Fix};
use super::inventory::Inventory;

/// Where certificates to import are staged on a Windows server.
pub const WINDOWS_STAGING: &str = r"C:\ccetrust";

/// What kind of step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StepKind {
    /// Regenerate a self-signed certificate on its server.
    Regenerate,
    /// Have a certificate re-issued.
    Reissue,
    /// Copy a store before changing it.
    Backup,
    /// Delete an alias.
    Delete,
    /// Import (or upload) a certificate.
    Import,
    /// Import a certificate once its server has a new one.
    ImportAfterReissue,
    /// A configuration change.
    Configure,
    /// Restart what reads the changed store.
    Restart,
}

impl StepKind {
    /// `backup`, `import`, …
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Regenerate => "regenerate",
            StepKind::Reissue => "reissue",
            StepKind::Backup => "backup",
            StepKind::Delete => "delete",
            StepKind::Import => "import",
            StepKind::ImportAfterReissue => "import-after-reissue",
            StepKind::Configure => "configure",
            StepKind::Restart => "restart",
        }
    }
}

/// What [`super::apply::apply`] does for a step (on the collected copy of the store).
#[derive(Debug, Clone)]
pub enum Action {
    /// Copy the store aside.
    Backup {
        /// Store index in the host.
        store: usize,
    },
    /// Import a certificate.
    Import {
        /// Store index.
        store: usize,
        /// Alias (file stem for folders).
        alias: String,
        /// The certificate.
        cert: Box<Certificate>,
    },
    /// Delete an alias.
    Delete {
        /// Store index.
        store: usize,
        /// Alias.
        alias: String,
    },
    /// Nothing ccetrust can do: the administrator follows the instructions.
    Manual,
}

/// One step.
#[derive(Debug, Clone)]
pub struct PlanStep {
    /// What kind.
    pub kind: StepKind,
    /// One line for the administrator.
    pub title: String,
    /// Exact commands or UI paths, in order.
    pub commands: Vec<String>,
    /// The finding codes this step addresses.
    pub fixes: Vec<Code>,
    /// The certificate to import (written to files by `plan --out`).
    pub certificate: Option<Box<Certificate>>,
    /// The file name the commands refer to for [`PlanStep::certificate`].
    pub file_name: Option<String>,
    /// What `apply` does.
    pub action: Action,
}

impl PlanStep {
    /// Whether `apply` carries this step out (it touches a collected keystore file or folder).
    pub fn executable(&self) -> bool {
        !matches!(self.action, Action::Manual)
    }
}

/// The steps of one host.
#[derive(Debug, Clone)]
pub struct HostPlan {
    /// Host index in the inventory.
    pub host: usize,
    /// Its FQDN.
    pub fqdn: String,
    /// Ordered steps.
    pub steps: Vec<PlanStep>,
}

/// The whole plan.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Hosts with steps: hosts that regenerate or re-issue first (importers need their new
    /// certificates), then the rest in inventory order.
    pub hosts: Vec<HostPlan>,
}

impl Plan {
    /// Whether there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.hosts.is_empty()
    }

    /// Number of steps.
    pub fn len(&self) -> usize {
        self.hosts.iter().map(|h| h.steps.len()).sum()
    }

    /// Every step, in order.
    pub fn steps(&self) -> impl Iterator<Item = (&HostPlan, &PlanStep)> {
        self.hosts
            .iter()
            .flat_map(|h| h.steps.iter().map(move |s| (h, s)))
    }
}

/// Builds the plan for an audit. The backups it names carry the audit's time
/// (`NAME.YYYYMMDDTHHMMSSZ.bak`), so the same audit always gives the same plan.
pub fn plan(inv: &Inventory, audit: &Audit) -> Plan {
    // Imports sorted root → intermediates → leaf so VOS uploads happen in the order it accepts.
    let mut fixes: Vec<(&Fix, &Finding)> = audit
        .findings
        .iter()
        .flat_map(|f| f.fix.iter().map(move |x| (x, f)))
        .collect();
    fixes.sort_by_key(|(f, _)| match f {
        Fix::Regenerate { .. } | Fix::Reissue { .. } => (0, CertRole::Leaf),
        Fix::Delete { .. } => (1, CertRole::Leaf),
        Fix::Import { role, .. } | Fix::Replicate { role, .. } => (2, *role),
        Fix::ImportAfterReissue { .. } => (3, CertRole::Leaf),
        Fix::Configure { .. } => (4, CertRole::Leaf),
    });
    let mut b = builder::Builder::new(inv, audit.at);
    for (fix, finding) in fixes {
        b.add(fix, finding.code, finding.sha256.as_deref());
    }
    b.finish()
}
