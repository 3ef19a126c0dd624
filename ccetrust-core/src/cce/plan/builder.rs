//! Turns fixes into steps: one function per kind of [`Fix`], each planning its step once (the same
//! fix found by several findings adds their codes to one step), then [`Builder::finish`] adds
//! the backup before and the restart after every changed store and orders the hosts.

use std::collections::BTreeSet;

use crate::{Certificate, Timestamp};

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
}

impl<'a> Builder<'a> {
    /// An empty plan for `inv`.
    pub(super) fn new(inv: &'a Inventory) -> Self {
        Builder {
            inv,
            steps: vec![Vec::new(); inv.hosts.len()],
            seen: BTreeSet::new(),
            changed_stores: BTreeSet::new(),
            manual_stores: BTreeSet::new(),
            reissuers: BTreeSet::new(),
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
    pub(super) fn add(&mut self, fix: &Fix, code: Code) {
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
            Fix::ImportAfterReissue {
                host,
                store,
                kind,
                alias,
                exporter,
                service,
            } => self.import_after_reissue(*host, *store, *kind, alias, *exporter, *service, code),
            Fix::Delete { host, store, alias } => self.delete_alias(*host, *store, alias, code),
            Fix::Regenerate { host, service } => self.regenerate(*host, *service, code),
            Fix::Reissue {
                host,
                service,
                needs,
            } => self.reissue(*host, *service, needs, code),
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
            self.delete(t.host, t.store, t.kind, alias, code);
        }
        let file = cert_file_name(alias, t.kind);
        let commands = import_commands(h, Some(t.store), t.kind, alias, &file, role);
        let reachable = self.reachable(t.host, t.store, t.kind);
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
        commands.extend(import_commands(
            h,
            store,
            kind,
            alias,
            &file,
            CertRole::Leaf,
        ));
        // The alias may still hold the old certificate: keytool refuses to import over it.
        commands.insert(
            1,
            format!(
                "{}   (if `{alias}` holds the old certificate)",
                delete_command(h, store, kind, alias)
            ),
        );
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
        self.push(host, step);
    }

    /// [`Fix::Delete`]: the alias removed from the store.
    fn delete_alias(&mut self, host: usize, store: usize, alias: &str, code: Code) {
        let kind = self.inv.hosts[host]
            .stores
            .get(store)
            .map(|s| s.kind)
            .unwrap_or(StoreKind::JavaCacerts);
        self.delete(host, store, kind, alias, code);
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
        let commands = regenerate_commands(h, service);
        self.push(host, manual(StepKind::Regenerate, title, commands, code));
    }

    /// [`Fix::Reissue`]: a new certificate from its CA (or a new self-signed one), with every
    /// property the findings ask of it.
    fn reissue(&mut self, host: usize, service: Service, needs: &str, code: Code) {
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
        commands.extend(reissue_commands(h, service));
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
        let cmd = delete_command(h, Some(store), kind, alias);
        self.changed(host, store, kind);
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

    /// Backups first and restarts last on each host; hosts that regenerate or re-issue first.
    pub(super) fn finish(mut self) -> Plan {
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
