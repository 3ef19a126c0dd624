//! The contact-center audit as data: the `ccetrust audit --json` document (schema [`SCHEMA`],
//! described in `docs/audit-schema.md`) that `AuditReport.to_dict()` returns in Python, the
//! plan's executable steps as actions (`AuditReport.actions()`, what the Ansible `trust_audit`
//! module feeds to `keystore_entry`) and the report of `apply`.
//!
//! JSON needs no escaping of control characters beyond serde's; the text views of the same
//! facts are in [`crate::cce::render`].

use serde_json::{json, Value};

use crate::cce::apply::ApplyReport;
use crate::cce::audit::{Audit, EvidenceSource};
use crate::cce::certificates;
use crate::cce::evidence::{Source, Unreachable};
use crate::cce::finding::Finding;
use crate::cce::inventory::{CertificateModel, Inventory, Node, Side};
use crate::cce::plan::{Action, Plan};
use crate::cce::render::edge_counts;
use crate::cce::Evidence;

/// The JSON schema identifier; bumped when a field changes meaning or disappears.
pub const SCHEMA: &str = "ccetrust.cce-audit/1";

/// The whole `audit --json` document: [`json`] plus `certificates`, every certificate the
/// evidence holds (`ccetrust diff` and the Prometheus rows read it). The CLI and
/// `AuditReport.to_dict()` both print this.
pub fn document(inv: &Inventory, ev: &Evidence, audit: &Audit, plan: &Plan) -> Value {
    let mut doc = json(inv, audit, plan);
    doc["certificates"] = certificates::json(&certificates::rows(inv, ev));
    doc
}

/// One finding, as in the document's `findings`.
pub fn finding_json(f: &Finding) -> Value {
    json!({
        "code": f.code.as_str(),
        "severity": f.severity.as_str(),
        "host": f.host,
        "importer": f.importer,
        "exporter": f.exporter,
        "service": f.service.map(|s| s.key()),
        "store": f.store,
        "alias": f.alias,
        "sha256": f.sha256,
        "subject": f.subject,
        "requirement": f.requirement,
        "message": f.message,
        "remediation": f.remediation,
        "unreachable": f.unreachable.as_ref().map(unreachable_json),
    })
}

fn unreachable_json(u: &Unreachable) -> Value {
    json!({
        "services": u.services.iter().map(|s| s.key()).collect::<Vec<_>>(),
        "target": u.target,
        "port": u.port,
        "error_kind": u.kind,
        "tls_alert": u.alert,
        "error": u.message,
        "at": u.at.to_rfc3339(),
    })
}

fn source_json(e: &EvidenceSource) -> Value {
    let mut v = match &e.source {
        Source::File(p) => json!({
            "service": e.service.key(),
            "port": e.port,
            "source": "file",
            "path": p.display().to_string(),
        }),
        Source::Fetched(f) => json!({
            "service": e.service.key(),
            "port": e.port,
            "source": "fetched",
            "target": f.target,
            "address": f.address,
            "sni": f.sni,
            "fetched_at": f.at.to_rfc3339(),
            "tls_version": f.tls_version,
            "cipher_suite": f.cipher_suite,
            "handshake_completed": f.handshake_completed,
        }),
    };
    v["chain_sha256"] = json!(e.chain_sha256);
    v
}

/// The plan, as in the document's `plan`: per host, its ordered steps.
pub fn plan_json(plan: &Plan) -> Value {
    Value::Array(
        plan.hosts
            .iter()
            .map(|h| {
                json!({
                    "host": h.fqdn,
                    "steps": h.steps.iter().map(|s| json!({
                        "kind": s.kind.as_str(),
                        "title": s.title,
                        "commands": s.commands,
                        "fixes": s.fixes.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
                        "executable": s.executable(),
                        "file": s.file_name,
                        "certificate_pem": s.certificate.as_ref().map(|c| c.to_pem()),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

/// The JSON document (schema [`SCHEMA`]).
pub fn json(inv: &Inventory, audit: &Audit, plan: &Plan) -> Value {
    let [trusted, untrusted, failed, unknown] = edge_counts(audit);
    let (errors, warnings, infos) = audit.counts();
    json!({
        "schema": SCHEMA,
        "deployment": {
            "name": inv.name,
            "product": inv.product.key(),
            "version": inv.version.to_string(),
            "size": inv.size,
            "domain": inv.domain,
            "certificates": match inv.certificates { CertificateModel::SelfSigned => "self-signed", CertificateModel::CaSigned => "ca-signed" },
        },
        "at": audit.at.to_rfc3339(),
        "expiring_days": audit.expiring_days,
        "summary": {
            "hosts": inv.hosts.len(),
            "requirements": audit.edges.len(),
            "trusted": trusted, "untrusted": untrusted, "failed": failed, "unknown": unknown,
            "errors": errors, "warnings": warnings, "info": infos,
            "steps": plan.len(),
        },
        "hosts": inv.hosts.iter().enumerate().map(|(hi, h)| json!({
            "name": h.name,
            "fqdn": h.fqdn,
            "roles": h.roles.iter().map(|r| r.key()).collect::<Vec<_>>(),
            "side": h.side.map(|s| match s { Side::A => "A", Side::B => "B" }),
            "cluster": h.cluster,
            "node": h.node.map(|n| match n { Node::Publisher => "publisher", Node::Subscriber => "subscriber" }),
            "fetch": h.fetch,
            "address": h.address,
            "evidence": audit.evidence.iter().filter(|e| e.host == hi).map(source_json).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "edges": audit.edges.iter().map(|e| {
            let exp = &inv.hosts[e.exporter];
            json!({
                "requirement": e.requirement,
                "importer": inv.hosts[e.importer].fqdn,
                "exporter": exp.fqdn,
                "service": e.service.key(),
                "port": exp.port(e.service, inv.system_id),
                "store": e.store.key(),
                "alias": e.alias,
                "status": e.status.as_str(),
                "code": e.code,
                "reason": e.reason,
            })
        }).collect::<Vec<_>>(),
        "findings": audit.findings.iter().map(finding_json).collect::<Vec<_>>(),
        "plan": plan_json(plan),
    })
}

/// The plan's executable steps as data, one object per import or delete, in plan order:
/// `action` (`import`, `delete`), `host`, `fqdn`, `store` (catalog kind), `store_path` (the
/// collected copy), `server_path` (declared path on the server, if any), `alias`, and for
/// imports `certificate_pem`, `sha256`, `subject` (null for deletes); `title` says it in
/// words. Steps on a store the inventory does not declare are left out (they are manual), and
/// so are regenerations and the imports of their new certificates: the certificate does not
/// exist before the run, so `ccetrust apply` carries those out.
pub fn plan_actions_json(inv: &Inventory, plan: &Plan) -> Value {
    let mut out = Vec::new();
    for hp in &plan.hosts {
        let Some(host) = inv.hosts.get(hp.host) else {
            continue;
        };
        for step in &hp.steps {
            let (action, store, alias, cert) = match &step.action {
                Action::Import { store, alias, cert } => ("import", *store, alias, Some(cert)),
                Action::Delete { store, alias } => ("delete", *store, alias, None),
                _ => continue,
            };
            let Some(s) = host.stores.get(store) else {
                continue;
            };
            out.push(json!({
                "action": action,
                "host": host.name,
                "fqdn": host.fqdn,
                "store": s.kind.key(),
                "store_path": s.path.display().to_string(),
                "server_path": crate::cce::plan::server_path(host, store),
                "alias": alias,
                "certificate_pem": cert.map(|c| c.to_pem()),
                "sha256": cert.map(|c| c.sha256_hex()),
                "subject": cert.map(|c| c.subject().to_rfc4514()),
                "title": step.title,
            }));
        }
    }
    Value::Array(out)
}

/// What `apply` did: `schema`, `backups` (paths), `applied` (sentences), `regenerated` (one
/// object per certificate regenerated in a collected keystore: `host`, `service`, `alias`,
/// `store`, `presents` (the refreshed collected copy, or null), `subject`, `sha256`,
/// `not_after`), `manual_steps` (steps left to the administrator). `ccetrust apply --json`
/// adds `after`, the audit document of the stores once changed.
pub fn apply_json(report: &ApplyReport) -> Value {
    json!({
        "schema": SCHEMA,
        "backups": report.backups.iter().map(|b| b.display().to_string()).collect::<Vec<_>>(),
        "applied": report.applied,
        "regenerated": report.regenerated.iter().map(|r| json!({
            "host": r.host,
            "service": r.service.key(),
            "alias": r.alias,
            "store": r.store.display().to_string(),
            "presents": r.presents.as_ref().map(|p| p.display().to_string()),
            "subject": r.certificate.subject().to_rfc4514(),
            "sha256": r.certificate.sha256_hex(),
            "not_after": r.certificate.not_after().to_rfc3339(),
        })).collect::<Vec<_>>(),
        "manual_steps": report.manual,
    })
}
