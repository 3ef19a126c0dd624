//! Turns fixes into steps: one function per kind of [`Fix`], each planning its step once (the same
//! fix found by several findings adds their codes to one step), then [`Builder::finish`] adds
//! the backup before and the restart after every changed store and orders the hosts.

use std::collections::BTreeSet;

use crate::{Certificate, Timestamp};

use super::commands::Unsafe;

use super::commands::{
    backup_step, cert_file_name, delete_command, import_commands, import_title,
    regenerate_commands, reissue_commands,
};
use super::{Action, HostPlan, Plan, PlanStep, StepKind};
use crate::cce::catalog::{Service, StoreKind, EXTRA_RESTARTS};
use crate::cce::finding::{CertRole, Code, Fix};
use crate::cce::inventory::Inventory;

/// The plan being built: steps per host, and what has been planned already.
pub(super) struct Builder<'a> {
    inv: &'a Inventory,
    steps: Vec<Vec<PlanStep>>,
    seen: BTreeSet<String>,
    changed_stores: BTreeSet<(usize, usize, StoreKind)>,
    manual_stores: BTreeSet<(usize, StoreKind)>,
    reissuers: BTreeSet<usize>,
    /// The audit time as backups name it: `YYYYMMDDTHHMMSSZ`.
    stamp: String,
}

impl<'a> Builder<'a> {
    /// An empty plan for `inv`.
    pub(super) fn new(inv: &'a Inventory, at: Timestamp) -> Self {
        Builder {
            inv,
            steps: vec![Vec::new(); inv.hosts.len()],
            seen: BTreeSet::new(),
            changed_stores: BTreeSet::new(),
            manual_stores: BTreeSet::new(),
            reissuers: BTreeSet::new(),
            stamp: backup_stamp(at),
        }
    }

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

    /// Plans the step(s) of one fix, found by a finding with `code`.
    /// `sha256` is the finding's certificate (it names a store entry whose alias cannot be
    /// typed).
    pub(super) fn add(&mut self, fix: &Fix, code: Code, sha256: Option<&str>) {
        match fix {
            Fix::Import {
                host,
                store,
                kind,
                alias,
                cert,
                role,
                replace,
            } => self.import(
                Target::new(*host, *store, *kind),
                alias,
                cert,
                *role,
                *replace,
                code,
            ),
            Fix::Replicate {
                host,
                store,
                kind,
                alias,
                cert,
                role,
                peer,
            } => self.replicate(
                Target::new(*host, *store, *kind),
                alias,
                cert,
                *role,
                *peer,
                code,
            ),
            Fix::ImportAfterReissue {
                host,
                store,
                kind,
                alias,
                exporter,
                service,
            } => self.import_after_reissue(*host, *store, *kind, alias, *exporter, *service, code),
            Fix::Delete { host, store, alias } => {
                self.delete_alias(*host, *store, alias, code, sha256)
            }
            Fix::Regenerate { host, service } => self.regenerate(*host, *service, code),
            Fix::Reissue {
                host,
                service,
                needs,
                renews,
            } => self.reissue(*host, *service, needs, renews.as_deref(), code),
            Fix::Configure { host, what } => self.configure(*host, what, code),
        }
    }

    /// [`Fix::Import`]: the import (after a delete of the stale certificate when `replace`),
    /// carried out by `apply` when the store is a collected keytool store.
    fn import(
        &mut self,
        t: Target,
        alias: &str,
        cert: &Certificate,
        role: CertRole,
        replace: bool,
        code: Code,
    ) {
        let h = &self.inv.hosts[t.host];
        let key = format!("import {} {} {}", t.host, t.store, cert.sha256_hex());
        let title = import_title(h, t.kind, alias, role);
        if !self.once(key) {
            self.also_fixes(t.host, &title, code);
            return;
        }
        if replace {
            self.delete(t.host, t.store, t.kind, alias, code, None);
        }
        let file = cert_file_name(alias, t.kind);
        let (commands, typed) =
            match import_commands(h, Some(t.store), t.kind, alias, &file, role) {
                Ok(c) => (c, true),
                Err(u) => (
                    vec![
                        u.sentence(),
                        format!(
                            "Import {file} (SHA-256 {}) into the {} under an alias of letters, digits, `.`, `-` and `_`, with a keystore editor or keytool",
                            cert.sha256_hex(),
                            t.kind.info().title
                        ),
                    ],
                    false,
                ),
            };
        // An alias that cannot be typed is left to the administrator, even on a collected copy.
        let reachable = typed && self.reachable(t.host, t.store, t.kind);
        self.changed(t.host, t.store, t.kind);
        let cert = Box::new(cert.clone());
        self.push(
            t.host,
            PlanStep {
                kind: StepKind::Import,
                title,
                commands,
                fixes: vec![code],
                certificate: Some(cert.clone()),
                file_name: Some(file),
                action: if reachable {
                    Action::Import {
                        store: t.store,
                        alias: alias.to_string(),
                        cert,
                    }
                } else {
                    Action::Manual
                },
            },
        );
    }

    /// [`Fix::Replicate`]: the import on the node that lacks the certificate, titled so the
    /// administrator knows replication from `peer` did not carry it.
    fn replicate(
        &mut self,
        t: Target,
        alias: &str,
        cert: &Certificate,
        role: CertRole,
        peer: usize,
        code: Code,
    ) {
        let title = import_title(&self.inv.hosts[t.host], t.kind, alias, role);
        self.import(t, alias, cert, role, false, code);
        let (host, peer) = (&self.inv.hosts[t.host].fqdn, &self.inv.hosts[peer].fqdn);
        if let Some(step) = self
            .steps
            .get_mut(t.host)
            .and_then(|v| v.iter_mut().find(|s| s.title == title))
        {
            step.title = format!(
                "Upload `{alias}` as {} on {host}: replication from {peer} did not carry it",
                t.kind.info().title
            );
        }
    }

    /// [`Fix::ImportAfterReissue`]: instructions to copy the exporter's new certificate and
    /// import it once it exists.
    #[allow(clippy::too_many_arguments)]
    fn import_after_reissue(
        &mut self,
        host: usize,
        store: Option<usize>,
        kind: StoreKind,
        alias: &str,
        exporter: usize,
        service: Service,
        code: Code,
    ) {
        let h = &self.inv.hosts[host];
        let e = &self.inv.hosts[exporter];
        if !self.once(format!("after {host} {kind:?} {exporter} {service:?}")) {
            return;
        }
        let file = cert_file_name(alias, kind);
        let mut commands = vec![format!(
            "Copy the new {} certificate of {} ({}) here as {}",
            service,
            e.fqdn,
            service.info().export_hint,
            file
        )];
        let typed = import_commands(h, store, kind, alias, &file, CertRole::Leaf).and_then(|c| {
            // The alias may still hold the old certificate: keytool refuses to import over it.
            let delete = delete_command(h, store, kind, alias)?;
            Ok((c, delete))
        });
        let typed_ok = typed.is_ok();
        match typed {
            Ok((import, delete)) => {
                commands.push(format!(
                    "{delete}   (if `{alias}` holds the old certificate)"
                ));
                commands.extend(import);
            }
            Err(u) => {
                commands.push(u.sentence());
                commands.push(format!(
                    "Import {file} into the {} under an alias of letters, digits, `.`, `-` and `_` (after deleting the old certificate), with a keystore editor or keytool",
                    kind.info().title
                ));
            }
        }
        if let Some(s) = store {
            self.changed(host, s, kind);
        } else {
            self.manual_stores.insert((host, kind));
        }
        let title = format!(
            "After {} has its new {} certificate, import it into the {} as `{alias}`",
            e.fqdn,
            service,
            kind.info().title
        );
        let mut step = manual(StepKind::ImportAfterReissue, title, commands, code);
        step.file_name = Some(file);
        if let Some(s) = store.filter(|s| self.reachable(host, *s, kind)) {
            if typed_ok && self.regenerable(exporter, service).is_some() {
                step.action = Action::ImportRegenerated {
                    store: s,
                    alias: alias.to_string(),
                    exporter,
                    service,
                };
            }
        }
        self.push(host, step);
    }

    /// [`Fix::Delete`]: the alias removed from the store.
    fn delete_alias(
        &mut self,
        host: usize,
        store: usize,
        alias: &str,
        code: Code,
        sha256: Option<&str>,
    ) {
        let kind = self.inv.hosts[host]
            .stores
            .get(store)
            .map(|s| s.kind)
            .unwrap_or(StoreKind::JavaCacerts);
        self.delete(host, store, kind, alias, code, sha256);
    }

    /// [`Fix::Regenerate`]: a new self-signed certificate on its own server.
    fn regenerate(&mut self, host: usize, service: Service, code: Code) {
        self.reissuers.insert(host);
        let h = &self.inv.hosts[host];
        let title = format!(
            "Regenerate the self-signed {service} certificate of {}",
            h.fqdn
        );
        if !self.once(format!("regen {host} {service:?}")) {
            self.also_fixes(host, &title, code);
            return;
        }
        let commands =
            regenerate_commands(h, service, &self.stamp).unwrap_or_else(|u| vec![u.sentence()]);
        let mut step = manual(StepKind::Regenerate, title, commands, code);
        if let Some((store, alias)) = self.regenerable(host, service) {
            step.action = Action::Regenerate {
                store,
                alias: alias.to_string(),
                service,
            };
        }
        self.push(host, step);
    }

    /// The collected keystore and alias in which `apply` can regenerate `service`'s
    /// certificate on `host`: a CVP certificate (the catalog names its alias) whose host's
    /// CVP keystore was collected.
    fn regenerable(&self, host: usize, service: Service) -> Option<(usize, &'static str)> {
        let alias = service.info().own_alias?;
        let store = self.inv.hosts[host]
            .stores
            .iter()
            .position(|s| s.kind == StoreKind::CvpKeystore && s.path.is_file())?;
        Some((store, alias))
    }

    /// [`Fix::Reissue`]: a new certificate from its CA (or a new self-signed one), with every
    /// property the findings ask of it.
    fn reissue(
        &mut self,
        host: usize,
        service: Service,
        needs: &str,
        renews: Option<&Certificate>,
        code: Code,
    ) {
        self.reissuers.insert(host);
        let h = &self.inv.hosts[host];
        let title = format!("Re-issue the {service} certificate of {}", h.fqdn);
        let line = format!("The new certificate must have {needs}");
        if !self.once(format!("reissue {host} {service:?}")) {
            if let Some(step) = self
                .steps
                .get_mut(host)
                .and_then(|v| v.iter_mut().find(|s| s.title == title))
            {
                if !step.fixes.contains(&code) {
                    step.fixes.push(code);
                }
                if !step.commands.contains(&line) {
                    step.commands.insert(0, line);
                }
            }
            return;
        }
        let mut commands = vec![line];
        let text = match renews {
            Some(current) => super::renewal::renewal_commands(self.inv, h, service, current),
            None => reissue_commands(h, service, &self.stamp),
        };
        commands.extend(text.unwrap_or_else(|u| vec![u.sentence()]));
        self.push(host, manual(StepKind::Reissue, title, commands, code));
    }

    /// [`Fix::Configure`]: a configuration change, in the finding's words.
    fn configure(&mut self, host: usize, what: &str, code: Code) {
        if !self.once(format!("configure {host} {what}")) {
            return;
        }
        self.push(
            host,
            manual(StepKind::Configure, what.to_string(), Vec::new(), code),
        );
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

    fn changed(&mut self, host: usize, store: usize, kind: StoreKind) {
        self.changed_stores.insert((host, store, kind));
    }

    /// Deletes `alias` from the store (once per store and alias, case-insensitively as keytool).
    /// `sha256` identifies the entry when its alias cannot be typed.
    fn delete(
        &mut self,
        host: usize,
        store: usize,
        kind: StoreKind,
        alias: &str,
        code: Code,
        sha256: Option<&str>,
    ) {
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
        let (commands, typed) = match delete_command(h, Some(store), kind, alias) {
            Ok(c) => (vec![c], true),
            Err(u) => (vec![u.sentence(), delete_by_hand(kind, sha256)], false),
        };
        let reachable = typed && self.reachable(host, store, kind);
        self.changed(host, store, kind);
        self.push(
            host,
            PlanStep {
                kind: StepKind::Delete,
                title,
                commands,
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

    /// Backups first and restarts last on each host; hosts that regenerate or re-issue first.
    pub(super) fn finish(mut self) -> Plan {
        let inv = self.inv;
        let changed: Vec<(usize, usize, StoreKind)> = self.changed_stores.iter().copied().collect();
        for (host, store, kind) in changed.iter().copied() {
            let h = &inv.hosts[host];
            // apply backs up a store only when it is about to change it.
            let reachable = self.steps[host].iter().any(|s| match &s.action {
                Action::Import { store: i, .. }
                | Action::Delete { store: i, .. }
                | Action::ImportRegenerated { store: i, .. } => *i == store,
                _ => false,
            });
            let (title, commands) = backup_step(h, Some(store), kind, &self.stamp)
                .unwrap_or_else(|u| backup_by_hand(h, kind, u));
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

/// The store a step changes.
#[derive(Clone, Copy)]
struct Target {
    host: usize,
    store: usize,
    kind: StoreKind,
}

impl Target {
    fn new(host: usize, store: usize, kind: StoreKind) -> Self {
        Target { host, store, kind }
    }
}

/// A step only the administrator carries out.
fn manual(kind: StepKind, title: String, commands: Vec<String>, code: Code) -> PlanStep {
    PlanStep {
        kind,
        title,
        commands,
        fixes: vec![code],
        certificate: None,
        file_name: None,
        action: Action::Manual,
    }
}

/// `2026-12-03T10:57:14Z` as backups name it: `20261203T105714Z`.
fn backup_stamp(at: Timestamp) -> String {
    at.to_rfc3339()
        .chars()
        .filter(|c| !matches!(c, '-' | ':'))
        .collect()
}

/// How to delete an entry whose alias cannot be typed: by its fingerprint, in a tool that
/// takes no command line.
fn delete_by_hand(kind: StoreKind, sha256: Option<&str>) -> String {
    let which = sha256
        .map(|h| format!("the certificate with SHA-256 {h}"))
        .unwrap_or_else(|| "the certificate".into());
    match kind {
        StoreKind::TomcatTrust => format!(
            "In OS Administration › Security › Certificate Management, find {which} among the tomcat-trust certificates and Delete it"
        ),
        StoreKind::BrowserRoot => format!(
            "In certlm.msc › Trusted Root Certification Authorities › Certificates, find {which} and delete it"
        ),
        StoreKind::CtiCerts => format!(
            "In Explorer, delete the file of {which} from the {} folder",
            kind.info().title
        ),
        _ => format!(
            "Delete {which} with a keystore editor that takes no command line (KeyStore Explorer: open the {}, select the entry, Delete, Save)",
            kind.info().title
        ),
    }
}

/// The backup step of a store whose path on the server cannot be typed.
fn backup_by_hand(
    h: &crate::cce::inventory::Host,
    kind: StoreKind,
    u: Unsafe,
) -> (String, Vec<String>) {
    (
        format!("Back up the {} of {}", kind.info().title, h.fqdn),
        vec![
            u.sentence(),
            "Copy the store (file or folder) beside itself as NAME.YYYYMMDDTHHMMSSZ.bak before changing it".into(),
        ],
    )
}
