//! Every certificate the evidence of an audit holds, one row each: the chains the hosts present
//! (every certificate of the chain, leaf first) and the entries of their trust stores.
//!
//! Expiry monitoring (`audit --format prometheus`), the `certificates` list of the JSON document
//! and `ccetrust diff` (certificates replaced, store entries added and removed) read this one
//! list, so a sample, a JSON row and a diff line about the same certificate always agree.

use serde_json::{json, Value};

use super::catalog::Service;
use super::evidence::Evidence;
use super::inventory::Inventory;
use crate::Timestamp;

/// Where a certificate was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    /// In the chain a host presents for a service, at this position (0 = leaf).
    Presented {
        /// The service.
        service: Service,
        /// Position in the chain, leaf first.
        index: usize,
    },
    /// In a trust store under an alias (a folder store's alias is the file stem).
    Store {
        /// The store's catalog key (`cacerts`, `tomcat-trust`…).
        store: &'static str,
        /// The alias.
        alias: String,
    },
}

/// One certificate of the evidence.
#[derive(Debug, Clone)]
pub struct CertificateRow {
    /// The host's FQDN.
    pub host: String,
    /// Where on the host.
    pub seen: Seen,
    /// The subject's most specific common name (empty when it has none).
    pub subject_cn: String,
    /// The subject, RFC 4514.
    pub subject: String,
    /// The issuer, RFC 4514.
    pub issuer: String,
    /// SHA-256 of the DER, lowercase hex.
    pub sha256: String,
    /// Start of validity.
    pub not_before: Timestamp,
    /// End of validity.
    pub not_after: Timestamp,
}

/// The rows of `ev` in inventory order: per host, presented chains, then stores.
pub fn rows(inv: &Inventory, ev: &Evidence) -> Vec<CertificateRow> {
    let mut out = Vec::new();
    for (h, he) in inv.hosts.iter().zip(&ev.hosts) {
        let row = |seen: Seen, c: &crate::Certificate| CertificateRow {
            host: h.fqdn.clone(),
            seen,
            subject_cn: c.common_name().unwrap_or_default(),
            subject: c.subject().to_string(),
            issuer: c.issuer().to_string(),
            sha256: c.sha256_hex(),
            not_before: c.not_before(),
            not_after: c.not_after(),
        };
        for p in &he.presented {
            for (index, c) in p.chain.iter().enumerate() {
                let seen = Seen::Presented {
                    service: p.service,
                    index,
                };
                out.push(row(seen, c));
            }
        }
        for s in &he.stores {
            for e in &s.entries {
                if let Some(c) = s.anchors.get(e.anchor) {
                    let seen = Seen::Store {
                        store: s.kind.key(),
                        alias: e.alias.clone(),
                    };
                    out.push(row(seen, c));
                }
            }
        }
    }
    out
}

/// The JSON form of the rows: the `certificates` list of the audit document
/// (`docs/audit-schema.md`).
pub fn json(rows: &[CertificateRow]) -> Value {
    Value::Array(
        rows.iter()
            .map(|r| {
                let (source, service, index, store, alias) = match &r.seen {
                    Seen::Presented { service, index } => {
                        ("presented", Some(service.key()), Some(*index), None, None)
                    }
                    Seen::Store { store, alias } => {
                        ("store", None, None, Some(*store), Some(alias.as_str()))
                    }
                };
                json!({
                    "host": r.host,
                    "source": source,
                    "service": service,
                    "chain_index": index,
                    "store": store,
                    "alias": alias,
                    "subject_cn": r.subject_cn,
                    "subject": r.subject,
                    "issuer": r.issuer,
                    "sha256": r.sha256,
                    "not_before": r.not_before.to_rfc3339(),
                    "not_after": r.not_after.to_rfc3339(),
                    "not_after_unix": r.not_after.unix(),
                })
            })
            .collect(),
    )
}
