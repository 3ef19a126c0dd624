//! Carrying out a plan: the only part of planning that touches files. [`apply`] backs up and
//! changes the stores ccetrust can reach (the collected keystore files), [`write_files`] writes
//! the certificates the plan's commands name; the plan itself ([`super::plan`]) stays a pure
//! function of the findings.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::{Certificate, Error, Timestamp};

use super::catalog::Service;
use super::inventory::Inventory;
use super::plan::{Action, Plan};

mod regenerate;

pub use regenerate::Regenerated;

/// What [`apply`] did.
#[derive(Debug, Clone, Default)]
pub struct ApplyReport {
    /// Backups made.
    pub backups: Vec<PathBuf>,
    /// Steps carried out, as sentences.
    pub applied: Vec<String>,
    /// Certificates regenerated in collected keystores.
    pub regenerated: Vec<Regenerated>,
    /// Steps left to the administrator.
    pub manual: usize,
}

/// Carries out the executable steps of `plan` on the collected stores of `inv`, in two
/// passes: first every regeneration (a host's importers need its new certificate, whatever
/// the host order), then the deletes and imports in plan order. Each file is backed up once,
/// before its first change. A failed step stops the run with its error, so an import never
/// runs without the certificate it depends on. Steps that need a server, an appliance or a
/// CA are left as instructions.
pub fn apply(inv: &Inventory, plan: &Plan) -> Result<ApplyReport, Error> {
    apply_at(inv, plan, Timestamp::now())
}

/// [`apply`] for a plan judged at `at` (`ccetrust apply --at`): a regenerated certificate is
/// valid at `at` as well as for its 1825 days from now.
pub fn apply_at(inv: &Inventory, plan: &Plan, at: Timestamp) -> Result<ApplyReport, Error> {
    let mut run = Run {
        inv,
        at,
        stamp: Timestamp::now().unix(),
        backed_up: BTreeSet::new(),
        new_certs: BTreeMap::new(),
        report: ApplyReport::default(),
    };
    for hp in &plan.hosts {
        for step in &hp.steps {
            if let Action::Regenerate {
                store,
                alias,
                service,
            } = &step.action
            {
                run.regenerate(hp.host, *store, alias, *service)?;
            }
        }
    }
    for hp in &plan.hosts {
        for step in &hp.steps {
            run.step(hp.host, &step.action)?;
        }
    }
    Ok(run.report)
}

/// One run of [`apply`]: what was backed up and regenerated so far.
struct Run<'a> {
    inv: &'a Inventory,
    at: Timestamp,
    stamp: i64,
    backed_up: BTreeSet<PathBuf>,
    /// (host, service) → the certificate regenerated for it in this run.
    new_certs: BTreeMap<(usize, Service), Certificate>,
    report: ApplyReport,
}

impl Run<'_> {
    /// Copies `path` aside unless this run already did.
    fn backup(&mut self, path: &Path) -> Result<(), Error> {
        if self.backed_up.insert(path.to_path_buf()) {
            let b = super::evidence::backup_store(path, self.stamp)?;
            self.report.backups.push(b);
        }
        Ok(())
    }

    fn regenerate(
        &mut self,
        host: usize,
        store: usize,
        alias: &str,
        service: Service,
    ) -> Result<(), Error> {
        let inv = self.inv;
        let h = &inv.hosts[host];
        let Some(s) = h.stores.get(store) else {
            return Ok(());
        };
        let at = self.at;
        let done = regenerate::regenerate(inv, h, s, alias, service, at, &mut |p: &Path| {
            self.backup(p)
        })?;
        let presents = done.presents.as_ref().map_or(String::new(), |p| {
            format!(
                "; once its {service} service restarts it presents the new certificate (collected copy {} updated)",
                p.display()
            )
        });
        self.report.applied.push(format!(
            "{}: regenerated `{alias}`, the self-signed {service} certificate, in {} (SHA-256 {}, valid until {}){presents}",
            h.fqdn,
            s.path.display(),
            done.certificate.sha256_hex(),
            done.certificate.not_after().to_rfc3339()
        ));
        self.new_certs
            .insert((host, service), (*done.certificate).clone());
        self.report.regenerated.push(done);
        Ok(())
    }

    /// Carries out one step of the second pass.
    fn step(&mut self, host: usize, action: &Action) -> Result<(), Error> {
        let inv = self.inv;
        let h = &inv.hosts[host];
        match action {
            Action::Manual => self.report.manual += 1,
            Action::Regenerate { .. } => {}
            Action::Backup { store } => {
                if let Some(s) = h.stores.get(*store) {
                    self.backup(&s.path)?;
                }
            }
            Action::Import { store, alias, cert } => {
                if let Some(s) = h.stores.get(*store) {
                    super::evidence::import_into(s, alias, cert)?;
                    self.report.applied.push(format!(
                        "{}: imported `{alias}` into {}",
                        h.fqdn,
                        s.path.display()
                    ));
                }
            }
            Action::ImportRegenerated {
                store,
                alias,
                exporter,
                service,
            } => self.import_regenerated(host, *store, alias, *exporter, *service)?,
            Action::Delete { store, alias } => {
                if let Some(s) = h.stores.get(*store) {
                    super::evidence::delete_from(s, alias)?;
                    self.report.applied.push(format!(
                        "{}: deleted `{alias}` from {}",
                        h.fqdn,
                        s.path.display()
                    ));
                }
            }
        }
        Ok(())
    }

    /// Imports the certificate the first pass regenerated for `exporter`'s `service`, in
    /// place of what `alias` held; without one (the regeneration was not in this plan) the
    /// step stays the administrator's.
    fn import_regenerated(
        &mut self,
        host: usize,
        store: usize,
        alias: &str,
        exporter: usize,
        service: Service,
    ) -> Result<(), Error> {
        let inv = self.inv;
        let h = &inv.hosts[host];
        let (Some(s), Some(cert)) = (
            h.stores.get(store),
            self.new_certs.get(&(exporter, service)).cloned(),
        ) else {
            self.report.manual += 1;
            return Ok(());
        };
        self.backup(&s.path)?;
        super::evidence::import_into(s, alias, &cert)?;
        self.report.applied.push(format!(
            "{}: imported `{alias}`, the new {service} certificate of {}, into {}",
            h.fqdn,
            inv.hosts[exporter].fqdn,
            s.path.display()
        ));
        Ok(())
    }
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
