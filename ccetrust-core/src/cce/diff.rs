//! `ccetrust diff OLD.json NEW.json`: what changed between two audits of a deployment, for the
//! change ticket ("what this change fixed, what it broke") and for a pipeline that must stop
//! when a change made things worse.
//!
//! It reads two `ccetrust audit --json` documents (schema `ccetrust.cce-audit/1`), never the
//! deployment itself, so yesterday's saved audit compares with today's. Findings are matched by
//! code, host, relationship (importer, exporter, service, requirement) and certificate (alias,
//! SHA-256): each is new, resolved or unchanged. Presented certificates are compared per host and
//! service (a new leaf fingerprint is a replacement); store entries per host, store, alias and
//! fingerprint (from the `certificates` list; a document without it is said to be so); and
//! relationships whose status changed. The JSON form is documented in `docs/diff-schema.md`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{json, Value};

use crate::shell;

/// The JSON schema identifier of [`AuditDiff::json`].
pub const SCHEMA: &str = "ccetrust.cce-diff/1";

/// Why a document cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{which} document: {reason}")]
pub struct DiffError {
    /// `old` or `new`.
    pub which: &'static str,
    /// What is wrong with it.
    pub reason: String,
}

/// One finding as the audit document gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingRef {
    /// Code (`chain.untrusted`…).
    pub code: String,
    /// `error`, `warning`, `info`.
    pub severity: String,
    /// Where.
    pub host: String,
    /// The relationship and the certificate it concerns, as `(field, value)` pairs that are set.
    pub about: Vec<(&'static str, String)>,
    /// The sentence.
    pub message: String,
}

/// A presented certificate whose fingerprint changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replaced {
    /// Host FQDN.
    pub host: String,
    /// Service key.
    pub service: String,
    /// Old leaf SHA-256.
    pub old_sha256: String,
    /// New leaf SHA-256.
    pub new_sha256: String,
}

/// A store entry present in one document only.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct StoreEntryRef {
    /// Host FQDN.
    pub host: String,
    /// Store key.
    pub store: String,
    /// Alias.
    pub alias: String,
    /// SHA-256 of the certificate.
    pub sha256: String,
    /// Its subject.
    pub subject: String,
}

/// A relationship whose status changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationshipChange {
    /// `importer ← exporter service (requirement)`, the pieces.
    pub importer: String,
    /// Exporter FQDN.
    pub exporter: String,
    /// Service key.
    pub service: String,
    /// Requirement id.
    pub requirement: String,
    /// Status before (`absent` when the relationship is new).
    pub old_status: String,
    /// Status after (`absent` when it is gone).
    pub new_status: String,
    /// The new code.
    pub code: String,
}

/// What changed between two audits.
#[derive(Debug, Clone, Default)]
pub struct AuditDiff {
    /// `at` of the old document.
    pub old_at: String,
    /// `at` of the new document.
    pub new_at: String,
    /// Findings only in the new audit.
    pub new: Vec<FindingRef>,
    /// Findings only in the old audit.
    pub resolved: Vec<FindingRef>,
    /// Findings in both.
    pub unchanged: Vec<FindingRef>,
    /// Presented certificates with a new fingerprint.
    pub replaced: Vec<Replaced>,
    /// Store entries only in the new audit.
    pub store_added: Vec<StoreEntryRef>,
    /// Store entries only in the old audit.
    pub store_removed: Vec<StoreEntryRef>,
    /// Whether both documents list their certificates (else store entries are not compared).
    pub stores_compared: bool,
    /// Relationships whose status changed.
    pub relationships: Vec<RelationshipChange>,
}

fn s(v: &Value, k: &str) -> String {
    match v.get(k) {
        Some(Value::String(x)) => x.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

const ABOUT: [&str; 6] = [
    "importer",
    "exporter",
    "service",
    "requirement",
    "alias",
    "sha256",
];

fn findings(doc: &Value) -> Vec<FindingRef> {
    let list = doc.get("findings").and_then(Value::as_array);
    list.into_iter()
        .flatten()
        .map(|f| FindingRef {
            code: s(f, "code"),
            severity: s(f, "severity"),
            host: s(f, "host"),
            about: ABOUT
                .iter()
                .filter_map(|k| Some((*k, f.get(*k)?.as_str()?.to_string())))
                .collect(),
            message: s(f, "message"),
        })
        .collect()
}

fn check(doc: &Value, which: &'static str) -> Result<(), DiffError> {
    let schema = doc.get("schema").and_then(Value::as_str);
    if schema != Some(super::render::SCHEMA) {
        return Err(DiffError {
            which,
            reason: format!(
                "schema is {}, expected \"{}\" (the output of `ccetrust audit --json`)",
                schema.map_or("absent".to_string(), |s| format!("{s:?}")),
                super::render::SCHEMA
            ),
        });
    }
    if doc.get("findings").and_then(Value::as_array).is_none() {
        return Err(DiffError {
            which,
            reason: "has no `findings` list".into(),
        });
    }
    Ok(())
}

type FindingKey = (String, String, Vec<(&'static str, String)>);

/// Matches findings as multisets: two identical findings in the old audit and one in the new
/// are one unchanged and one resolved.
fn match_findings(d: &mut AuditDiff, old: Vec<FindingRef>, new: Vec<FindingRef>) {
    let key = |f: &FindingRef| -> FindingKey { (f.code.clone(), f.host.clone(), f.about.clone()) };
    let mut pool: BTreeMap<FindingKey, Vec<FindingRef>> = BTreeMap::new();
    for f in old {
        pool.entry(key(&f)).or_default().push(f);
    }
    for f in new {
        match pool.get_mut(&key(&f)).and_then(Vec::pop) {
            Some(_) => d.unchanged.push(f),
            None => d.new.push(f),
        }
    }
    d.resolved = pool.into_values().flatten().collect();
}

/// host → service → leaf SHA-256, from `hosts[].evidence` (every document has it).
fn leaves(doc: &Value) -> BTreeMap<(String, String), String> {
    let mut m = BTreeMap::new();
    for h in doc
        .get("hosts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for e in h
            .get("evidence")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let leaf = e
                .get("chain_sha256")
                .and_then(|c| c.get(0))
                .and_then(Value::as_str);
            if let Some(leaf) = leaf {
                m.insert((s(h, "fqdn"), s(e, "service")), leaf.to_string());
            }
        }
    }
    m
}

fn store_entries(doc: &Value) -> Option<Vec<StoreEntryRef>> {
    let list = doc.get("certificates")?.as_array()?;
    let mut v: Vec<StoreEntryRef> = list
        .iter()
        .filter(|c| c.get("source").and_then(Value::as_str) == Some("store"))
        .map(|c| StoreEntryRef {
            host: s(c, "host"),
            store: s(c, "store"),
            alias: s(c, "alias"),
            sha256: s(c, "sha256"),
            subject: s(c, "subject"),
        })
        .collect();
    v.sort();
    Some(v)
}

fn relationships(doc: &Value) -> BTreeMap<(String, String, String, String), (String, String)> {
    let list = doc.get("edges").and_then(Value::as_array);
    list.into_iter()
        .flatten()
        .map(|e| {
            let k = (
                s(e, "importer"),
                s(e, "exporter"),
                s(e, "service"),
                s(e, "requirement"),
            );
            (k, (s(e, "status"), s(e, "code")))
        })
        .collect()
}

/// Compares two audit documents.
pub fn diff(old: &Value, new: &Value) -> Result<AuditDiff, DiffError> {
    check(old, "old")?;
    check(new, "new")?;
    let mut d = AuditDiff {
        old_at: s(old, "at"),
        new_at: s(new, "at"),
        ..AuditDiff::default()
    };
    match_findings(&mut d, findings(old), findings(new));
    let (lo, ln) = (leaves(old), leaves(new));
    for (k, o) in &lo {
        if let Some(n) = ln.get(k).filter(|n| *n != o) {
            d.replaced.push(Replaced {
                host: k.0.clone(),
                service: k.1.clone(),
                old_sha256: o.clone(),
                new_sha256: n.clone(),
            });
        }
    }
    if let (Some(so), Some(sn)) = (store_entries(old), store_entries(new)) {
        d.stores_compared = true;
        d.store_added = sn.iter().filter(|e| !so.contains(e)).cloned().collect();
        d.store_removed = so.iter().filter(|e| !sn.contains(e)).cloned().collect();
    }
    let (ro, rn) = (relationships(old), relationships(new));
    let absent = ("absent".to_string(), String::new());
    for k in ro.keys().chain(rn.keys().filter(|k| !ro.contains_key(*k))) {
        let (o, n) = (ro.get(k).unwrap_or(&absent), rn.get(k).unwrap_or(&absent));
        if o.0 != n.0 {
            d.relationships.push(RelationshipChange {
                importer: k.0.clone(),
                exporter: k.1.clone(),
                service: k.2.clone(),
                requirement: k.3.clone(),
                old_status: o.0.clone(),
                new_status: n.0.clone(),
                code: n.1.clone(),
            });
        }
    }
    Ok(d)
}

impl AuditDiff {
    /// Number of new findings of severity `error` (the CLI exits 3 when it is not zero).
    pub fn new_errors(&self) -> usize {
        self.new.iter().filter(|f| f.severity == "error").count()
    }

    /// The JSON document (schema [`SCHEMA`], `docs/diff-schema.md`).
    pub fn json(&self) -> Value {
        let finding = |f: &FindingRef| {
            let mut v = json!({"code": f.code, "severity": f.severity, "host": f.host,
                               "message": f.message});
            for (k, x) in &f.about {
                v[*k] = json!(x);
            }
            v
        };
        let entry = |e: &StoreEntryRef| {
            json!({"host": e.host, "store": e.store, "alias": e.alias,
                   "sha256": e.sha256, "subject": e.subject})
        };
        json!({
            "schema": SCHEMA,
            "old_at": self.old_at,
            "new_at": self.new_at,
            "summary": {
                "new": self.new.len(), "resolved": self.resolved.len(),
                "unchanged": self.unchanged.len(), "new_errors": self.new_errors(),
                "replaced": self.replaced.len(), "store_added": self.store_added.len(),
                "store_removed": self.store_removed.len(),
                "relationships_changed": self.relationships.len(),
            },
            "findings": {
                "new": self.new.iter().map(finding).collect::<Vec<_>>(),
                "resolved": self.resolved.iter().map(finding).collect::<Vec<_>>(),
                "unchanged": self.unchanged.iter().map(finding).collect::<Vec<_>>(),
            },
            "certificates_replaced": self.replaced.iter().map(|r| json!({
                "host": r.host, "service": r.service,
                "old_sha256": r.old_sha256, "new_sha256": r.new_sha256,
            })).collect::<Vec<_>>(),
            "stores_compared": self.stores_compared,
            "store_entries_added": self.store_added.iter().map(entry).collect::<Vec<_>>(),
            "store_entries_removed": self.store_removed.iter().map(entry).collect::<Vec<_>>(),
            "relationships_changed": self.relationships.iter().map(|r| json!({
                "importer": r.importer, "exporter": r.exporter, "service": r.service,
                "requirement": r.requirement, "old_status": r.old_status,
                "new_status": r.new_status, "code": r.code,
            })).collect::<Vec<_>>(),
        })
    }

    /// One line per change, for a terminal (values escaped with [`shell::escape_control`]),
    /// or Markdown for a change ticket (`|` escaped too).
    fn lines(&self, md: bool) -> String {
        let e = |v: &str| {
            let t = shell::escape_control(v);
            if md {
                t.replace('|', "\\|").replace('`', "'")
            } else {
                t.into_owned()
            }
        };
        let mut out = String::new();
        let head = |out: &mut String, title: &str, n: usize| {
            let _ = if md {
                writeln!(out, "\n## {title} ({n})\n")
            } else {
                writeln!(out, "\n{} ({n})", title.to_uppercase())
            };
        };
        let item = if md { "- " } else { "  " };
        let finding_line = |f: &FindingRef| {
            let mut what: Vec<String> = f
                .about
                .iter()
                .filter(|(k, _)| *k != "sha256" && *k != "requirement")
                .map(|(k, v)| format!("{k} {}", e(v)))
                .collect();
            what.retain(|w| !w.is_empty());
            let code = if md {
                format!("`{}`", e(&f.code))
            } else {
                e(&f.code)
            };
            format!(
                "{item}{} {code} {}{}: {}",
                e(&f.severity).to_uppercase(),
                e(&f.host),
                if what.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", what.join(", "))
                },
                e(&f.message)
            )
        };
        if md {
            let _ = writeln!(
                out,
                "# Audit comparison: {} → {}",
                e(&self.old_at),
                e(&self.new_at)
            );
        } else {
            let _ = writeln!(
                out,
                "Audit {} compared with {}",
                e(&self.new_at),
                e(&self.old_at)
            );
        }
        let _ = writeln!(
            out,
            "{}{} new findings ({} errors), {} resolved, {} unchanged; {} certificates replaced; {} relationships changed",
            if md { "\n" } else { "" },
            self.new.len(),
            self.new_errors(),
            self.resolved.len(),
            self.unchanged.len(),
            self.replaced.len(),
            self.relationships.len()
        );
        for (title, list) in [
            ("What this change broke: new findings", &self.new),
            ("What this change fixed: resolved findings", &self.resolved),
        ] {
            head(&mut out, title, list.len());
            for f in list {
                let _ = writeln!(out, "{}", finding_line(f));
            }
        }
        head(&mut out, "Relationships changed", self.relationships.len());
        for r in &self.relationships {
            let _ = writeln!(
                out,
                "{item}{} ← {} {} ({}): {} → {} ({})",
                e(&r.importer),
                e(&r.exporter),
                e(&r.service),
                e(&r.requirement),
                e(&r.old_status),
                e(&r.new_status),
                e(&r.code)
            );
        }
        head(&mut out, "Certificates replaced", self.replaced.len());
        for r in &self.replaced {
            let _ = writeln!(
                out,
                "{item}{} {}: sha256 {} → {}",
                e(&r.host),
                e(&r.service),
                e(&r.old_sha256),
                e(&r.new_sha256)
            );
        }
        if self.stores_compared {
            for (title, list, sign) in [
                ("Store entries added", &self.store_added, "+"),
                ("Store entries removed", &self.store_removed, "-"),
            ] {
                head(&mut out, title, list.len());
                for s in list {
                    let _ = writeln!(
                        out,
                        "{item}{sign} {} {} alias {} ({}, sha256 {})",
                        e(&s.host),
                        e(&s.store),
                        e(&s.alias),
                        e(&s.subject),
                        e(&s.sha256)
                    );
                }
            }
        } else {
            let _ = writeln!(
                out,
                "\nStore entries not compared: a document has no `certificates` list (made by `ccetrust audit --json`)."
            );
        }
        out
    }

    /// Text for a terminal.
    pub fn text(&self) -> String {
        self.lines(false)
    }

    /// Markdown for a change ticket.
    pub fn markdown(&self) -> String {
        self.lines(true)
    }
}
