//! Carrying out a plan: the only part of planning that touches files. [`apply`] backs up and
//! changes the stores ccetrust can reach (the collected keystore files), [`write_files`] writes
//! the certificates the plan's commands name; the plan itself ([`super::plan`]) stays a pure
//! function of the findings.

use std::path::{Path, PathBuf};

use crate::{Error, Timestamp};

use super::inventory::Inventory;
use super::plan::{Action, Plan};

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
