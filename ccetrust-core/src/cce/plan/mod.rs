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
//! - [`renewal`] (private): the renewal of a CA-signed certificate (request, CA, install).

mod builder;
mod commands;
mod renewal;

use crate::Certificate;

use super::audit::Audit;
use super::catalog::Service;
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
    /// Regenerate a self-signed certificate in a collected keystore (CVP's JCEKS): a new key
    /// pair and certificate under the same alias.
    Regenerate {
        /// Store index in the host.
        store: usize,
        /// The key entry's alias.
        alias: String,
        /// Whose certificate.
        service: Service,
    },
    /// Import the certificate that the regeneration of `exporter`'s `service` made earlier in
    /// the same `apply` run, in place of what `alias` holds.
    ImportRegenerated {
        /// Store index in the importer.
        store: usize,
        /// The alias.
        alias: String,
        /// The host that regenerates.
        exporter: usize,
        /// Its service.
        service: Service,
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

/// The path on the server of store `store` of `host`: the inventory's `server_path`, else the
/// catalog's default for its kind (which may name a variable: `%CVP_HOME%`); `None` for a store
/// without a path (VOS `tomcat-trust`, the browser's root store) or an unknown index. The path
/// the plan's commands and the audit's findings name, for automation that carries out an
/// [`Action`] on the real server instead of the collected copy.
pub fn server_path(host: &super::inventory::Host, store: usize) -> Option<String> {
    let s = host.stores.get(store)?;
    let path = s
        .server_path
        .clone()
        .unwrap_or_else(|| s.kind.info().default_path.to_string());
    (!path.is_empty()).then_some(path)
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::builder::Builder;
    use super::*;
    use crate::cce::catalog::{Service, StoreKind};
    use crate::Timestamp;

    /// One host per way a plan reaches a store: keytool (cacerts, CVP JCEKS), the VOS web page
    /// and CLI (tomcat-trust), certutil (a desktop), CiscoCertUtil's folder (CTI).
    const INVENTORY: &str = r#"
[deployment]
product = "pcce"
version = "12.5"

[[host]]
fqdn = "awa.lab.example.com"
roles = ["aw"]
[[host.store]]
kind = "cacerts"
path = "awa/cacerts"

[[host]]
fqdn = "fina.lab.example.com"
roles = ["finesse"]
cluster = "finesse"
node = "publisher"
[[host.store]]
kind = "tomcat-trust"
path = "fina/tomcat-trust"

[[host]]
fqdn = "cg.lab.example.com"
roles = ["cti"]
[[host.store]]
kind = "cti-certs"
path = "cg/certs"

[[host]]
fqdn = "desk.lab.example.com"
roles = ["desktop"]
[[host.store]]
kind = "browser"
path = "desk/roots"

[[host]]
fqdn = "cvpa.lab.example.com"
roles = ["cvp"]
[[host.store]]
kind = "cvp-keystore"
path = "cvpa/keystore"
"#;

    fn inventory() -> Inventory {
        Inventory::parse(INVENTORY, Path::new("/inv")).unwrap()
    }

    fn certificate() -> Certificate {
        let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/cce/ss/awa.pem");
        crate::load_certificates(&std::fs::read(p).unwrap())
            .unwrap()
            .remove(0)
    }

    fn at() -> Timestamp {
        Timestamp::parse_rfc3339("2026-11-24T05:07:56Z").unwrap()
    }

    /// `server_path` is the declared path, else the catalog's default, else none (a store
    /// reached through a web page has no file path).
    #[test]
    fn server_path_falls_back_to_the_catalog() {
        let mut inv = inventory();
        let h =
            |inv: &Inventory, fqdn: &str| inv.hosts.iter().position(|h| h.fqdn == fqdn).unwrap();
        let aw = h(&inv, "awa.lab.example.com");
        let cvp = h(&inv, "cvpa.lab.example.com");
        let fin = h(&inv, "fina.lab.example.com");
        assert_eq!(
            server_path(&inv.hosts[aw], 0).as_deref(),
            Some(StoreKind::JavaCacerts.info().default_path)
        );
        assert_eq!(
            server_path(&inv.hosts[cvp], 0).as_deref(),
            Some(r"%CVP_HOME%\conf\security\keystore")
        );
        assert_eq!(server_path(&inv.hosts[fin], 0), None);
        assert_eq!(server_path(&inv.hosts[aw], 9), None);
        inv.hosts[aw].stores[0].server_path = Some(r"D:\java\cacerts".into());
        assert_eq!(
            server_path(&inv.hosts[aw], 0).as_deref(),
            Some(r"D:\java\cacerts")
        );
    }

    /// The three fixes that name an alias, on store 0 of `host`.
    fn fixes(host: usize, kind: StoreKind, alias: &str) -> Vec<Fix> {
        vec![
            Fix::Delete {
                host,
                store: 0,
                alias: alias.into(),
            },
            Fix::Import {
                host,
                store: 0,
                kind,
                alias: alias.into(),
                cert: Box::new(certificate()),
                role: CertRole::Root,
                replace: false,
            },
            Fix::ImportAfterReissue {
                host,
                store: Some(0),
                kind,
                alias: alias.into(),
                exporter: 0,
                service: Service::Iis,
            },
        ]
    }

    fn plan_of(fix: &Fix) -> Plan {
        let inv = inventory();
        let mut b = Builder::new(&inv, at());
        b.add(fix, Code::StoreDuplicate, Some("07ab"));
        b.finish()
    }

    /// `(alias, why)`: aliases `cmd.exe` cannot quote (`shell::cmd_unsafe`): issue 12's example
    /// and one per kind of character.
    const HOSTILE: &[(&str, &str)] = &[
        (
            "old rgra\" & calc.exe & \"x",
            "a double quote, which ends the quoted argument",
        ),
        ("rgra %COMSPEC%", "a percent sign"),
        ("rgra!x!", "delayed expansion"),
        ("rgra ^& calc", "a caret"),
        ("rgra | calc", "a vertical bar"),
        ("rgra > C:\\x", "an angle bracket"),
        ("rgra\r\ncalc.exe", "a control character"),
        ("rgra\u{1b}[31m", "a control character"),
    ];

    /// `(host, store kind, does the step type the alias: delete, import)`.
    const STORES: &[(usize, StoreKind, bool, bool)] = &[
        (0, StoreKind::JavaCacerts, true, true),
        (1, StoreKind::TomcatTrust, true, false),
        (2, StoreKind::CtiCerts, true, false),
        (3, StoreKind::BrowserRoot, true, false),
        (4, StoreKind::CvpKeystore, true, true),
    ];

    #[test]
    fn an_alias_cmd_exe_cannot_quote_is_never_in_a_command() {
        for (alias, why) in HOSTILE {
            for &(host, kind, delete_types, import_types) in STORES {
                for fix in fixes(host, kind, alias) {
                    let p = plan_of(&fix);
                    let (_, step) = p
                        .steps()
                        .find(|(_, s)| s.fixes.contains(&Code::StoreDuplicate))
                        .unwrap();
                    for (_, s) in p.steps() {
                        for c in &s.commands {
                            assert!(!c.contains(alias), "{kind:?} {fix:?}: {c}");
                        }
                    }
                    let types = match fix {
                        Fix::Import { .. } => import_types,
                        _ => delete_types,
                    };
                    if types {
                        let first = step.commands.first().map(String::as_str).unwrap_or("");
                        assert!(
                            step.commands.iter().any(|c| c.starts_with(
                                "No command is given: the alias holds a character cmd.exe cannot quote safely"
                            ) && c.contains(why)),
                            "{kind:?} {alias:?}: {first}"
                        );
                        assert!(!step.executable(), "{kind:?} {alias:?}");
                        // Pasted whole, the explanation and its advice run nothing either.
                        let at = step
                            .commands
                            .iter()
                            .position(|c| c.starts_with("No command is given"))
                            .unwrap();
                        for c in &step.commands[at..] {
                            assert!(crate::shell::cmd_unsafe(c).is_none(), "{c}");
                        }
                    }
                }
            }
        }
    }

    /// The entry of an alias nobody can type is named by its fingerprint.
    #[test]
    fn an_untypable_entry_is_deleted_by_its_fingerprint() {
        let p = plan_of(&Fix::Delete {
            host: 0,
            store: 0,
            alias: HOSTILE[0].0.into(),
        });
        let (_, del) = p.steps().find(|(_, s)| s.kind == StepKind::Delete).unwrap();
        assert!(
            del.commands[1].contains("SHA-256 07ab"),
            "{:?}",
            del.commands
        );
        // The store still gets its backup and restart.
        let kinds: Vec<StepKind> = p.steps().map(|(_, s)| s.kind).collect();
        assert_eq!(
            kinds,
            [StepKind::Backup, StepKind::Delete, StepKind::Restart]
        );
    }

    /// `(alias, the keytool argument)`: what cmd.exe can quote is typed, double-quoted.
    #[test]
    fn an_alias_cmd_exe_can_quote_is_typed_double_quoted() {
        for (alias, arg) in [
            ("old rgra", "-alias \"old rgra\""),
            ("rgra (2019) café", "-alias \"rgra (2019) café\""),
            (
                "awa.lab.example.com_IIS",
                "-alias \"awa.lab.example.com_IIS\"",
            ),
        ] {
            for fix in fixes(0, StoreKind::JavaCacerts, alias) {
                let p = plan_of(&fix);
                let typed = p
                    .steps()
                    .flat_map(|(_, s)| s.commands.iter())
                    .filter(|c| c.starts_with("keytool "))
                    .count();
                assert!(typed > 0, "{fix:?}");
                for (_, s) in p.steps() {
                    for c in s.commands.iter().filter(|c| c.starts_with("keytool ")) {
                        assert!(c.contains(arg), "{c}");
                    }
                }
            }
        }
    }

    /// Backups are `NAME.YYYYMMDDTHHMMSSZ.bak` at the audit's time, for files and folders.
    #[test]
    fn backups_carry_the_audit_time() {
        let stamp = "20261124T050756Z";
        for (fix, backup) in [
            (
                fixes(0, StoreKind::JavaCacerts, "x").remove(0),
                format!(
                    r#"copy "C:\Program Files (x86)\Java\jre1.8.0_221\lib\security\cacerts" "C:\Program Files (x86)\Java\jre1.8.0_221\lib\security\cacerts.{stamp}.bak""#
                ),
            ),
            (
                fixes(2, StoreKind::CtiCerts, "x").remove(0),
                format!(r#"xcopy "C:\icm\ssl\certs" "C:\icm\ssl\certs.{stamp}.bak" /E /I /Y"#),
            ),
            (
                fixes(4, StoreKind::CvpKeystore, "x").remove(0),
                format!(
                    r#"xcopy "%CVP_HOME%\conf\security" "%CVP_HOME%\conf\security.{stamp}.bak" /E /I /Y"#
                ),
            ),
            (
                Fix::Regenerate {
                    host: 4,
                    service: Service::CvpWsm,
                },
                format!(
                    r#"xcopy "%CVP_HOME%\conf\security" "%CVP_HOME%\conf\security.{stamp}.bak" /E /I /Y"#
                ),
            ),
        ] {
            let p = plan_of(&fix);
            let all: Vec<&String> = p.steps().flat_map(|(_, s)| s.commands.iter()).collect();
            assert!(all.contains(&&backup), "{all:#?}");
            assert!(!all.iter().any(|c| c.contains("ccetrust-")), "{all:#?}");
        }
    }
}
