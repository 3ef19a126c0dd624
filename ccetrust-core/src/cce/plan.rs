//! The plan: from the audit's findings, the ordered steps that fix them, grouped by host, with the
//! exact commands an administrator runs (keytool on Windows with the store's real path and type,
//! OS Administration uploads on VOS in root → intermediate → leaf order on the publisher only,
//! CiscoCertUtil on the CTI server), the backups before and the restarts after.
//!
//! The plan is a pure function of the findings: a deployment with no findings has an empty plan,
//! and re-auditing after the steps were carried out gives an empty plan (idempotence). [`apply`]
//! carries out the steps that touch a store ccetrust can reach (the collected keystore files and
//! certificate folders), each after a backup, and leaves the rest as instructions.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::{Certificate, Error, Timestamp};

use super::audit::Audit;
use super::catalog::{
    PasswordSource, Platform, Service, StoreFormat, StoreKind, EXTRA_RESTARTS,
    REGENERATE_VALIDITY_DAYS,
};
use super::finding::{CertRole, Code, Fix};
use super::inventory::{Host, Inventory};

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

/// What [`apply`] does for a step (on the collected copy of the store).
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

fn server_path(host: &Host, store: Option<usize>, kind: StoreKind) -> String {
    store
        .and_then(|i| host.stores.get(i))
        .and_then(|s| s.server_path.clone())
        .unwrap_or_else(|| kind.info().default_path.to_string())
}

fn quote(p: &str) -> String {
    format!("\"{p}\"")
}

/// `-keystore "<path>" [-storetype JCEKS] [-storepass changeit]` for a Windows store.
fn keytool_store_args(host: &Host, store: Option<usize>, kind: StoreKind) -> String {
    let path = server_path(host, store, kind);
    let mut s = format!("-keystore {}", quote(&path));
    if kind.info().format == StoreFormat::Jceks {
        s.push_str(" -storetype JCEKS");
    }
    match kind.info().password {
        PasswordSource::Default(p) => {
            // Only the documented public default is printed; any other password is typed at
            // keytool's prompt, never written into a plan.
            let custom = store
                .and_then(|i| host.stores.get(i))
                .is_some_and(|s| s.password != super::inventory::PasswordRef::CatalogDefault);
            if !custom {
                s.push_str(&format!(" -storepass {p}"));
            }
        }
        PasswordSource::CvpSecurityProperties | PasswordSource::Chosen | PasswordSource::None => {}
    }
    s
}

fn password_hint(kind: StoreKind) -> Option<&'static str> {
    match kind.info().password {
        PasswordSource::CvpSecurityProperties => Some(
            r"keytool prompts for the store password: Security.keystorePW in %CVP_HOME%\conf\security.properties",
        ),
        PasswordSource::Chosen => {
            Some("keytool prompts for the store password chosen when the store was made")
        }
        _ => None,
    }
}

fn platform_of(host: &Host, kind: StoreKind) -> Platform {
    match kind {
        StoreKind::TomcatTrust => Platform::Vos,
        StoreKind::BrowserRoot => Platform::Desktop,
        _ => host
            .roles
            .first()
            .map(|r| r.info().platform)
            .unwrap_or(Platform::Windows),
    }
}

fn cert_file_name(alias: &str, kind: StoreKind) -> String {
    let safe: String = alias
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    match kind {
        StoreKind::TomcatTrust | StoreKind::CtiCerts => format!("{safe}.pem"),
        _ => format!("{safe}.cer"),
    }
}

struct Builder<'a> {
    inv: &'a Inventory,
    steps: Vec<Vec<PlanStep>>,
    seen: BTreeSet<String>,
    changed_stores: BTreeSet<(usize, usize, StoreKind)>,
    manual_stores: BTreeSet<(usize, StoreKind)>,
    reissuers: BTreeSet<usize>,
}

/// Builds the plan for an audit.
pub fn plan(inv: &Inventory, audit: &Audit) -> Plan {
    let mut b = Builder {
        inv,
        steps: vec![Vec::new(); inv.hosts.len()],
        seen: BTreeSet::new(),
        changed_stores: BTreeSet::new(),
        manual_stores: BTreeSet::new(),
        reissuers: BTreeSet::new(),
    };
    // Imports sorted root → intermediates → leaf so VOS uploads happen in the order it accepts.
    let mut fixes: Vec<(&Fix, Code)> = audit
        .findings
        .iter()
        .flat_map(|f| f.fix.iter().map(move |x| (x, f.code)))
        .collect();
    fixes.sort_by_key(|(f, _)| match f {
        Fix::Regenerate { .. } | Fix::Reissue { .. } => (0, CertRole::Leaf),
        Fix::Delete { .. } => (1, CertRole::Leaf),
        Fix::Import { role, .. } => (2, *role),
        Fix::ImportAfterReissue { .. } => (3, CertRole::Leaf),
        Fix::Configure { .. } => (4, CertRole::Leaf),
    });
    for (fix, code) in fixes {
        b.add(fix, code);
    }
    b.finish()
}

impl Builder<'_> {
    fn once(&mut self, key: String) -> bool {
        self.seen.insert(key)
    }

    fn push(&mut self, host: usize, step: PlanStep) {
        if let Some(v) = self.steps.get_mut(host) {
            v.push(step);
        }
    }

    /// Adds `code` to the step already planned under `key`, if any.
    fn also_fixes(&mut self, host: usize, title_key: &str, code: Code) {
        if let Some(step) = self
            .steps
            .get_mut(host)
            .and_then(|v| v.iter_mut().find(|s| s.title == title_key))
        {
            if !step.fixes.contains(&code) {
                step.fixes.push(code);
            }
        }
    }

    fn add(&mut self, fix: &Fix, code: Code) {
        let inv = self.inv;
        match fix {
            Fix::Import {
                host,
                store,
                kind,
                alias,
                cert,
                role,
                replace,
            } => {
                let h = &inv.hosts[*host];
                let key = format!("import {host} {store} {}", cert.sha256_hex());
                let title = self.import_title(h, *kind, alias, *role);
                if !self.once(key) {
                    self.also_fixes(*host, &title, code);
                    return;
                }
                if *replace {
                    self.delete(*host, *store, *kind, alias, code);
                }
                let file = cert_file_name(alias, *kind);
                let commands = self.import_commands(h, Some(*store), *kind, alias, &file, *role);
                let reachable = self.reachable(*host, *store, *kind);
                self.changed(*host, *store, *kind, reachable);
                self.push(
                    *host,
                    PlanStep {
                        kind: StepKind::Import,
                        title,
                        commands,
                        fixes: vec![code],
                        certificate: Some(cert.clone()),
                        file_name: Some(file),
                        action: if reachable {
                            Action::Import {
                                store: *store,
                                alias: alias.clone(),
                                cert: cert.clone(),
                            }
                        } else {
                            Action::Manual
                        },
                    },
                );
            }
            Fix::ImportAfterReissue {
                host,
                store,
                kind,
                alias,
                exporter,
                service,
            } => {
                let h = &inv.hosts[*host];
                let e = &inv.hosts[*exporter];
                if !self.once(format!("after {host} {kind:?} {exporter} {service:?}")) {
                    return;
                }
                let file = cert_file_name(alias, *kind);
                let mut commands = vec![format!(
                    "Copy the new {} certificate of {} ({}) here as {}",
                    service,
                    e.fqdn,
                    service.info().export_hint,
                    file
                )];
                commands.extend(self.import_commands(
                    h,
                    *store,
                    *kind,
                    alias,
                    &file,
                    CertRole::Leaf,
                ));
                // The alias may still hold the old certificate: keytool refuses to import over it.
                commands.insert(
                    1,
                    format!(
                        "{}   (if `{alias}` holds the old certificate)",
                        self.delete_command(h, *store, *kind, alias)
                    ),
                );
                if let Some(s) = store {
                    self.changed(*host, *s, *kind, false);
                } else {
                    self.manual_stores.insert((*host, *kind));
                }
                self.push(*host, PlanStep {
                    kind: StepKind::ImportAfterReissue,
                    title: format!("After {} has its new {} certificate, import it into the {} as `{alias}`", e.fqdn, service, kind.info().title),
                    commands,
                    fixes: vec![code],
                    certificate: None,
                    file_name: Some(file),
                    action: Action::Manual,
                });
            }
            Fix::Delete { host, store, alias } => {
                let kind = inv.hosts[*host]
                    .stores
                    .get(*store)
                    .map(|s| s.kind)
                    .unwrap_or(StoreKind::JavaCacerts);
                self.delete(*host, *store, kind, alias, code);
            }
            Fix::Regenerate { host, service } => {
                self.reissuers.insert(*host);
                let h = &inv.hosts[*host];
                let title = format!(
                    "Regenerate the self-signed {service} certificate of {}",
                    h.fqdn
                );
                if !self.once(format!("regen {host} {service:?}")) {
                    self.also_fixes(*host, &title, code);
                    return;
                }
                let commands = regenerate_commands(h, *service);
                self.push(
                    *host,
                    PlanStep {
                        kind: StepKind::Regenerate,
                        title,
                        commands,
                        fixes: vec![code],
                        certificate: None,
                        file_name: None,
                        action: Action::Manual,
                    },
                );
            }
            Fix::Reissue {
                host,
                service,
                needs,
            } => {
                self.reissuers.insert(*host);
                let h = &inv.hosts[*host];
                let title = format!("Re-issue the {service} certificate of {}", h.fqdn);
                if !self.once(format!("reissue {host} {service:?}")) {
                    if let Some(step) = self
                        .steps
                        .get_mut(*host)
                        .and_then(|v| v.iter_mut().find(|s| s.title == title))
                    {
                        if !step.fixes.contains(&code) {
                            step.fixes.push(code);
                        }
                        let line = format!("The new certificate must have {needs}");
                        if !step.commands.contains(&line) {
                            step.commands.insert(0, line);
                        }
                    }
                    return;
                }
                let mut commands = vec![format!("The new certificate must have {needs}")];
                commands.extend(reissue_commands(h, *service));
                self.push(
                    *host,
                    PlanStep {
                        kind: StepKind::Reissue,
                        title,
                        commands,
                        fixes: vec![code],
                        certificate: None,
                        file_name: None,
                        action: Action::Manual,
                    },
                );
            }
            Fix::Configure { host, what } => {
                if !self.once(format!("configure {host} {what}")) {
                    return;
                }
                self.push(
                    *host,
                    PlanStep {
                        kind: StepKind::Configure,
                        title: what.clone(),
                        commands: Vec::new(),
                        fixes: vec![code],
                        certificate: None,
                        file_name: None,
                        action: Action::Manual,
                    },
                );
            }
        }
    }

    fn reachable(&self, host: usize, store: usize, kind: StoreKind) -> bool {
        // apply writes the collected copy; a VOS or browser store copy is a folder ccetrust
        // can update too, but the appliance still needs the upload, so it stays manual.
        // Only keytool stores: a VOS or browser folder is a copy of an appliance's state (the
        // upload must happen there), and CiscoCertUtil manages the CTI folder itself.
        self.inv.hosts[host].stores.get(store).is_some()
            && matches!(
                kind,
                StoreKind::JavaCacerts | StoreKind::CvpKeystore | StoreKind::EceLdapsJks
            )
    }

    fn changed(&mut self, host: usize, store: usize, kind: StoreKind, _reachable: bool) {
        self.changed_stores.insert((host, store, kind));
    }

    fn delete(&mut self, host: usize, store: usize, kind: StoreKind, alias: &str, code: Code) {
        let h = &self.inv.hosts[host];
        let title = format!(
            "Delete alias `{alias}` from the {} of {}",
            kind.info().title,
            h.fqdn
        );
        if !self.once(format!(
            "delete {host} {store} {}",
            alias.to_ascii_lowercase()
        )) {
            self.also_fixes(host, &title, code);
            return;
        }
        let reachable = self.reachable(host, store, kind);
        let cmd = self.delete_command(h, Some(store), kind, alias);
        self.changed(host, store, kind, reachable);
        self.push(
            host,
            PlanStep {
                kind: StepKind::Delete,
                title,
                commands: vec![cmd],
                fixes: vec![code],
                certificate: None,
                file_name: None,
                action: if reachable {
                    Action::Delete {
                        store,
                        alias: alias.to_string(),
                    }
                } else {
                    Action::Manual
                },
            },
        );
    }

    fn delete_command(
        &self,
        h: &Host,
        store: Option<usize>,
        kind: StoreKind,
        alias: &str,
    ) -> String {
        match platform_of(h, kind) {
            Platform::Vos => format!("OS Administration › Security › Certificate Management › find tomcat-trust `{alias}` › Delete (CLI: set cert delete tomcat-trust {alias}.pem)"),
            Platform::Desktop => format!("certutil -delstore Root \"{alias}\""),
            _ if kind == StoreKind::CtiCerts => format!("del {}", quote(&format!("{}\\{}", server_path(h, store, kind), cert_file_name(alias, kind)))),
            _ => format!("keytool -delete -noprompt {} -alias {alias}", keytool_store_args(h, store, kind)),
        }
    }

    fn import_title(&self, h: &Host, kind: StoreKind, alias: &str, role: CertRole) -> String {
        let what = match role {
            CertRole::Root => "root CA",
            CertRole::Intermediate => "intermediate CA",
            CertRole::Leaf => "certificate",
        };
        match platform_of(h, kind) {
            Platform::Vos => {
                let cluster = h
                    .cluster
                    .as_deref()
                    .map(|c| format!(" (publisher of cluster {c}; replicates to subscribers)"))
                    .unwrap_or_default();
                format!(
                    "Upload {what} `{alias}` as tomcat-trust on {}{cluster}",
                    h.fqdn
                )
            }
            Platform::Desktop => format!("Add {what} `{alias}` to the trusted roots of {}", h.fqdn),
            _ => format!(
                "Import {what} `{alias}` into the {} of {}",
                kind.info().title,
                h.fqdn
            ),
        }
    }

    fn import_commands(
        &self,
        h: &Host,
        store: Option<usize>,
        kind: StoreKind,
        alias: &str,
        file: &str,
        role: CertRole,
    ) -> Vec<String> {
        match platform_of(h, kind) {
            Platform::Vos => {
                let mut v = vec![format!(
                    "OS Administration › Security › Certificate Management › Upload Certificate/Certificate chain: Certificate Purpose = tomcat-trust, file = {file}{}",
                    if role == CertRole::Intermediate { " (Root Certificate = the root's .pem)" } else { "" }
                )];
                v.push("(CLI alternative: set cert import trust tomcat, then paste the PEM)".into());
                v
            }
            Platform::Desktop => vec![format!("certutil -addstore -f Root {file} (or push it to Trusted Root Certification Authorities by group policy)")],
            _ if kind == StoreKind::CtiCerts => {
                let path = format!("{WINDOWS_STAGING}\\{file}");
                vec![stage_dir(), format!("copy {file} {WINDOWS_STAGING}\\"), format!("CiscoCertUtil /install {}", quote(&path))]
            }
            _ => {
                let path = format!("{WINDOWS_STAGING}\\{file}");
                let trustcacerts = matches!(kind, StoreKind::CvpKeystore | StoreKind::EceLdapsJks);
                let mut v = vec![
                    stage_dir(),
                    format!("copy {file} {WINDOWS_STAGING}\\"),
                    format!(
                        "keytool -import -noprompt{} {} -alias {alias} -file {}",
                        if trustcacerts { " -trustcacerts" } else { "" },
                        keytool_store_args(h, store, kind),
                        quote(&path)
                    ),
                ];
                if let Some(hint) = password_hint(kind) {
                    v.push(format!("({hint})"));
                }
                v
            }
        }
    }

    fn finish(mut self) -> Plan {
        let inv = self.inv;
        let date = Timestamp::now().to_rfc3339()[..10].replace('-', "");
        let changed: Vec<(usize, usize, StoreKind)> = self.changed_stores.iter().copied().collect();
        for (host, store, kind) in changed.iter().copied() {
            let h = &inv.hosts[host];
            // apply backs up a store only when it is about to change it.
            let reachable = self.steps[host].iter().any(|s| match &s.action {
                Action::Import { store: i, .. } | Action::Delete { store: i, .. } => *i == store,
                _ => false,
            });
            let (title, commands) = backup_step(h, Some(store), kind, &date);
            self.steps[host].insert(
                0,
                PlanStep {
                    kind: StepKind::Backup,
                    title,
                    commands,
                    fixes: Vec::new(),
                    certificate: None,
                    file_name: None,
                    action: if reachable {
                        Action::Backup { store }
                    } else {
                        Action::Manual
                    },
                },
            );
        }
        // Restarts: once per host and store kind that changed.
        let mut restarted: BTreeSet<(usize, StoreKind)> = BTreeSet::new();
        let mut kinds: Vec<(usize, StoreKind)> = changed.iter().map(|(h, _, k)| (*h, *k)).collect();
        kinds.extend(self.manual_stores.iter().copied());
        for (host, kind) in kinds {
            if !restarted.insert((host, kind)) {
                continue;
            }
            let h = &inv.hosts[host];
            let mut restart = kind.info().restart.to_string();
            if kind == StoreKind::TomcatTrust {
                if let Some(c) = &h.cluster {
                    restart = format!(
                        "utils system restart on every node of cluster {c} (publisher first)"
                    );
                }
            }
            for (role, _, extra) in EXTRA_RESTARTS.iter().filter(|(_, k, _)| *k == kind) {
                if h.has(*role) {
                    restart.push_str("; ");
                    restart.push_str(extra);
                }
            }
            self.steps[host].push(PlanStep {
                kind: StepKind::Restart,
                title: format!("Restart what reads the {} on {}", kind.info().title, h.fqdn),
                commands: vec![restart],
                fixes: Vec::new(),
                certificate: None,
                file_name: None,
                action: Action::Manual,
            });
        }
        // Within a host: backups, deletes, imports, then the rest; restarts last. The sort is
        // stable, so imports keep their root → intermediate → leaf order.
        for steps in &mut self.steps {
            steps.sort_by_key(|s| match s.kind {
                StepKind::Regenerate | StepKind::Reissue => 1,
                StepKind::Backup => 0,
                StepKind::Delete => 2,
                StepKind::Import => 3,
                StepKind::ImportAfterReissue => 4,
                StepKind::Configure => 5,
                StepKind::Restart => 6,
            });
        }
        let mut order: Vec<usize> = (0..inv.hosts.len())
            .filter(|h| !self.steps[*h].is_empty())
            .collect();
        order.sort_by_key(|h| (!self.reissuers.contains(h), *h));
        Plan {
            hosts: order
                .into_iter()
                .map(|h| HostPlan {
                    host: h,
                    fqdn: inv.hosts[h].fqdn.clone(),
                    steps: std::mem::take(&mut self.steps[h]),
                })
                .collect(),
        }
    }
}

fn backup_step(
    h: &Host,
    store: Option<usize>,
    kind: StoreKind,
    date: &str,
) -> (String, Vec<String>) {
    match platform_of(h, kind) {
        Platform::Vos => (
            format!("Back up tomcat-trust of {}", h.fqdn),
            vec!["Run a Disaster Recovery System backup (or download the tomcat-trust certificates from Certificate Management) first".into()],
        ),
        Platform::Desktop => (format!("Note the current trusted roots of {}", h.fqdn), vec!["certutil -store Root > roots-before.txt".into()]),
        _ if kind == StoreKind::CvpKeystore => {
            let path = server_path(h, store, kind);
            let dir = path.rsplit_once('\\').map(|(d, _)| d.to_string()).unwrap_or(path.clone());
            (
                format!("Back up {dir} on {}", h.fqdn),
                vec![format!("xcopy {} {} /E /I /Y", quote(&dir), quote(&format!("{dir}.ccetrust-{date}.bak")))],
            )
        }
        _ if kind == StoreKind::CtiCerts => {
            let dir = server_path(h, store, kind);
            (format!("Back up {dir} on {}", h.fqdn), vec![format!("xcopy {} {} /E /I /Y", quote(&dir), quote(&format!("{dir}.ccetrust-{date}.bak")))])
        }
        _ => {
            let path = server_path(h, store, kind);
            (
                format!("Back up the {} of {}", kind.info().title, h.fqdn),
                vec![format!("copy {} {}", quote(&path), quote(&format!("{path}.ccetrust-{date}.bak")))],
            )
        }
    }
}

/// Creates the staging folder the commands copy certificates into (cmd.exe).
fn stage_dir() -> String {
    format!("if not exist {WINDOWS_STAGING} mkdir {WINDOWS_STAGING}")
}

fn regenerate_commands(h: &Host, service: Service) -> Vec<String> {
    let fqdn = &h.fqdn;
    let days = REGENERATE_VALIDITY_DAYS;
    if let Some(alias) = service.info().own_alias {
        // The server's own keystore path when the inventory names it, else CVP's default.
        let store = h
            .stores
            .iter()
            .position(|s| s.kind == StoreKind::CvpKeystore);
        let path = server_path(h, store, StoreKind::CvpKeystore);
        let dir = path
            .rsplit_once('\\')
            .map(|(d, _)| d.to_string())
            .unwrap_or_else(|| path.clone());
        let ks = format!("-storetype JCEKS -keystore {}", quote(&path));
        return vec![
            format!("xcopy {} {} /E /I /Y", quote(&dir), quote(&format!("{dir}.bak"))),
            format!("keytool {ks} -delete -alias {alias}"),
            format!("keytool {ks} -genkeypair -alias {alias} -keysize 2048 -keyalg RSA -sigalg SHA256withRSA -validity {days} -dname \"CN={fqdn}\" -ext \"SAN=dns:{fqdn}\""),
            stage_dir(),
            format!("keytool {ks} -export -alias {alias} -file \"{WINDOWS_STAGING}\\{fqdn}_{}.crt\"", service.key()),
            r"(keytool prompts for the store password: Security.keystorePW in %CVP_HOME%\conf\security.properties)".into(),
            "Restart the Cisco CVP Call Server service (reboot a reporting server), then import the new certificate on every importer".into(),
        ];
    }
    match service {
        Service::Tomcat | Service::TomcatEcdsa => vec![
            format!("On {fqdn}: set cert regen tomcat (or OS Administration › Certificate Management › tomcat › Regenerate, RSA 2048, SHA256)"),
            "utils service restart Cisco Tomcat".into(),
            "Download the new tomcat.pem and import it on every importer".into(),
        ],
        _ => vec![format!("Create a new self-signed {service} certificate for CN={fqdn} with DNS SAN {fqdn} (RSA 2048, SHA-256, {days} days) and bind it; then re-import it on every importer")],
    }
}

fn reissue_commands(h: &Host, service: Service) -> Vec<String> {
    let fqdn = &h.fqdn;
    match service {
        Service::CtiSecure => vec![
            "CiscoCertUtil /generateCSR  (writes C:\\icm\\ssl\\certs\\host.csr)".into(),
            "Have the CA sign host.csr with a template that has both Client and Server Authentication".into(),
            r"rename C:\icm\ssl\certs\host.pem selfhost.pem; save the signed certificate as C:\icm\ssl\certs\host.pem".into(),
            r"CiscoCertUtil /install <root CA .pem>; CiscoCertUtil /install C:\icm\ssl\certs\host.pem".into(),
            "Restart the PG; on Finesse set the CTI secure port and enable SSL, then restart Finesse".into(),
        ],
        Service::Tomcat | Service::TomcatEcdsa => vec![
            format!("On {fqdn}: OS Administration › Certificate Management › Generate CSR: purpose tomcat, RSA 2048, SHA256, SAN {fqdn} (empty parent domain)"),
            "Have the CA sign it without adding SANs; upload the root and intermediates as tomcat-trust on the publisher, then the signed certificate as tomcat on this node".into(),
            "utils system restart".into(),
        ],
        Service::Iis | Service::Https | Service::LdapsGc => vec![
            format!("Issue a certificate for CN={fqdn} with DNS SAN {fqdn} (RSA 2048, SHA-256) and bind it to the {service} (IIS Manager › Server Certificates / Bindings)"),
            "Then re-import it (self-signed) or its CA (CA-signed) on every importer".into(),
        ],
        _ => regenerate_commands(h, service),
    }
}

/// What [`apply`] did.
#[derive(Debug, Clone, Default)]
pub struct ApplyReport {
    /// Backups made.
    pub backups: Vec<PathBuf>,
    /// Steps carried out, as sentences.
    pub applied: Vec<String>,
    /// Steps left to the administrator.
    pub manual: usize,
}

/// Carries out the executable steps of `plan` on the collected stores of `inv`: a backup of each
/// store before its first change, then deletes and imports. Steps that need a server, an
/// appliance or a CA are left as instructions.
pub fn apply(inv: &Inventory, plan: &Plan) -> Result<ApplyReport, Error> {
    let mut report = ApplyReport::default();
    let stamp = Timestamp::now().unix();
    for hp in &plan.hosts {
        let host = &inv.hosts[hp.host];
        for step in &hp.steps {
            match &step.action {
                Action::Manual => report.manual += 1,
                Action::Backup { store } => {
                    let Some(s) = host.stores.get(*store) else {
                        continue;
                    };
                    let b = super::evidence::backup_store(&s.path, stamp)?;
                    report.backups.push(b);
                }
                Action::Import { store, alias, cert } => {
                    let Some(s) = host.stores.get(*store) else {
                        continue;
                    };
                    super::evidence::import_into(s, alias, cert)?;
                    report.applied.push(format!(
                        "{}: imported `{alias}` into {}",
                        host.fqdn,
                        s.path.display()
                    ));
                }
                Action::Delete { store, alias } => {
                    let Some(s) = host.stores.get(*store) else {
                        continue;
                    };
                    super::evidence::delete_from(s, alias)?;
                    report.applied.push(format!(
                        "{}: deleted `{alias}` from {}",
                        host.fqdn,
                        s.path.display()
                    ));
                }
            }
        }
    }
    Ok(report)
}

/// Writes each certificate the plan imports into `dir/<host>/<file>`, so the commands' file
/// names exist; returns the files written.
pub fn write_files(plan: &Plan, dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    for (hp, step) in plan.steps() {
        if let (Some(cert), Some(name)) = (&step.certificate, &step.file_name) {
            let folder = dir.join(&hp.fqdn);
            std::fs::create_dir_all(&folder).map_err(|source| Error::Io {
                path: folder.clone(),
                source,
            })?;
            let path = folder.join(name);
            std::fs::write(&path, cert.to_pem()).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            out.push(path);
        }
    }
    Ok(out)
}
