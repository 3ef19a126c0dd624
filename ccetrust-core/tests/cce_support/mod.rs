//! A small builder for contact-center test deployments: an inventory written as TOML into a
//! fresh temporary folder, presenting the openssl-made certificates of `tests/data/cce`
//! (see its gen.sh), with folder stores assembled per test.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use ccetrust::cce::{self, Audit, AuditOptions, Code, Inventory, Plan};
use ccetrust::{Certificate, Timestamp};

pub mod schema;

pub fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data/cce")
        .join(rel)
}

pub fn cert(rel: &str) -> Certificate {
    ccetrust::load_certificates(&std::fs::read(data(rel)).unwrap())
        .unwrap()
        .remove(0)
}

pub fn temp_dir(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let d = std::env::temp_dir().join(format!(
        "ccetrust-{tag}-{}-{}-{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// (kind, extra TOML lines, [(alias, fixture)]).
pub type Store<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);

pub struct Lab {
    pub dir: PathBuf,
    pub toml: String,
}

/// A host: fqdn, roles, extra TOML lines, presented (service, fixture), stores.
pub struct H<'a> {
    pub fqdn: &'a str,
    pub roles: &'a [&'a str],
    pub extra: &'a str,
    pub presents: &'a [(&'a str, &'a str)],
    /// (kind, extra lines, [(alias, fixture)]): a folder store with one .pem per alias.
    pub stores: &'a [Store<'a>],
}

impl Lab {
    pub fn new(product: &str, version: &str, extra: &str) -> Lab {
        let mut toml = String::new();
        writeln!(toml, "[deployment]\nname = \"test\"\nproduct = \"{product}\"\nversion = \"{version}\"\n{extra}\n").unwrap();
        Lab {
            dir: temp_dir("lab"),
            toml,
        }
    }

    pub fn host(&mut self, h: H<'_>) -> &mut Lab {
        let roles: Vec<String> = h.roles.iter().map(|r| format!("\"{r}\"")).collect();
        writeln!(
            self.toml,
            "[[host]]\nfqdn = \"{}\"\nroles = [{}]\n{}",
            h.fqdn,
            roles.join(", "),
            h.extra
        )
        .unwrap();
        if !h.presents.is_empty() {
            self.toml.push_str("[host.presents]\n");
            for (svc, file) in h.presents {
                writeln!(self.toml, "{svc} = '{}'", data(file).display()).unwrap();
            }
        }
        for (i, (kind, extra, certs)) in h.stores.iter().enumerate() {
            let folder = self.dir.join(format!("{}-{kind}-{i}", h.fqdn));
            std::fs::create_dir_all(&folder).unwrap();
            for (alias, file) in certs.iter() {
                std::fs::copy(data(file), folder.join(format!("{alias}.pem"))).unwrap();
            }
            writeln!(
                self.toml,
                "[[host.store]]\nkind = \"{kind}\"\npath = '{}'\n{extra}",
                folder.display()
            )
            .unwrap();
        }
        self.toml.push('\n');
        self
    }

    pub fn store_dir(&self, fqdn: &str, kind: &str) -> PathBuf {
        self.dir.join(format!("{fqdn}-{kind}-0"))
    }

    pub fn write(&self) -> PathBuf {
        let p = self.dir.join("inventory.toml");
        std::fs::write(&p, &self.toml).unwrap();
        p
    }

    pub fn inventory(&self) -> Inventory {
        Inventory::load(&self.write()).unwrap_or_else(|e| panic!("{e}\n{}", self.toml))
    }

    pub fn audit_at(&self, at: Timestamp, expiring_days: u32) -> (Inventory, Audit, Plan) {
        let inv = self.inventory();
        let (a, p) = cce::run(&inv, &AuditOptions { at, expiring_days }).unwrap();
        (inv, a, p)
    }

    /// Audits at a time when every fixture is valid and none expires within 60 days.
    pub fn audit(&self) -> (Inventory, Audit, Plan) {
        self.audit_at(now(), 60)
    }
}

/// A time inside every fixture's validity: a day after the self-signed fixtures were made.
pub fn now() -> Timestamp {
    cert("ss/awa.pem").not_before().plus_days(1)
}

pub fn codes(a: &Audit) -> Vec<Code> {
    a.findings.iter().map(|f| f.code).collect()
}

pub fn has(a: &Audit, code: Code) -> bool {
    a.findings.iter().any(|f| f.code == code)
}

pub fn count(a: &Audit, code: Code) -> usize {
    a.findings.iter().filter(|f| f.code == code).count()
}
