//! `store.replication-drift`: a VOS subscriber's collected `tomcat-trust` is meant to be a
//! replica of its publisher's. When both are collected and they differ, the certificates on
//! one side only are named, and each is uploaded on the node that lacks it: replication did
//! not carry it. An error when the difference breaks a relationship that works on the other
//! node, a warning otherwise.

use std::collections::{HashMap, HashSet};

use crate::Certificate;

use super::super::evidence::StoreContents;
use super::super::finding::{CertRole, Code, Finding, Fix, Severity};
use super::{store_label, Auditor, EdgeStatus};

impl Auditor<'_> {
    /// Every subscriber's replicated store compared with its publisher's.
    pub(super) fn replication_drift(&mut self) {
        let inv = self.inv;
        // The edges of each importer, once, so the comparison stays linear in relationships.
        let mut by_importer: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, e) in self.edges.iter().enumerate() {
            by_importer.entry(e.importer).or_default().push(i);
        }
        for (sub, h) in inv.hosts.iter().enumerate() {
            if !h.is_subscriber() {
                continue;
            }
            let Some(publ) = h.cluster.as_deref().and_then(|c| inv.publisher_of(c)) else {
                continue;
            };
            for s in &self.ev.hosts[sub].stores {
                if !s.kind.info().replicates {
                    continue;
                }
                if let Some(p) = self.ev.hosts[publ].store(s.kind) {
                    self.drift((publ, p), (sub, s), &by_importer);
                }
            }
        }
    }

    /// One pair of stores of a cluster.
    fn drift(
        &mut self,
        (publ, p): (usize, &StoreContents),
        (sub, s): (usize, &StoreContents),
        by_importer: &HashMap<usize, Vec<usize>>,
    ) {
        let only_pub = only_in(p, s);
        let only_sub = only_in(s, p);
        if only_pub.is_empty() && only_sub.is_empty() {
            return;
        }
        let broken = self.broken_by_drift(publ, sub, s.kind, by_importer);
        let (ph, sh) = (&self.inv.hosts[publ], &self.inv.hosts[sub]);
        let side = |v: &[(&str, &Certificate)]| {
            v.iter()
                .map(|(a, c)| format!("`{a}` ({})", c.subject().to_rfc4514()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut parts = Vec::new();
        if !only_pub.is_empty() {
            parts.push(format!(
                "only the publisher {} holds {}",
                ph.fqdn,
                side(&only_pub)
            ));
        }
        if !only_sub.is_empty() {
            parts.push(format!(
                "only the subscriber {} holds {}",
                sh.fqdn,
                side(&only_sub)
            ));
        }
        let effect = if broken.is_empty() {
            "no relationship depends on the difference today".to_string()
        } else {
            format!("this breaks {}", broken.join(", "))
        };
        let mut f = Finding::new(
            Code::StoreReplicationDrift,
            if broken.is_empty() { Severity::Warning } else { Severity::Error },
            &sh.fqdn,
            format!(
                "the {} of subscriber {} differs from its publisher's: {}; replication did not carry them ({effect})",
                s.kind.info().title,
                sh.fqdn,
                parts.join("; ")
            ),
        )
        .remedy(format!(
            "Upload each certificate named on the node that lacks it (OS Administration › Security › Certificate Management › Upload as {}): replication between {} and {} did not carry it; then check the cluster's replication (utils dbreplication runtimestate)",
            s.kind.info().title, ph.fqdn, sh.fqdn
        ));
        f.store = Some(store_label(s, sh));
        for (alias, c) in &only_pub {
            f.fix.push(replicate(sub, s, alias, c, publ));
        }
        for (alias, c) in &only_sub {
            f.fix.push(replicate(publ, p, alias, c, sub));
        }
        self.push(f);
    }

    /// The relationships whose status differs between the two nodes and is not trusted on the
    /// node whose own store decides it: "finb.example.com → cuica.example.com tomcat".
    fn broken_by_drift(
        &self,
        publ: usize,
        sub: usize,
        kind: super::StoreKind,
        by_importer: &HashMap<usize, Vec<usize>>,
    ) -> Vec<String> {
        let status = |imp: usize| {
            by_importer
                .get(&imp)
                .into_iter()
                .flatten()
                .filter_map(|&i| self.edges.get(i))
                .filter(move |e| e.store == kind)
                .map(|e| ((e.requirement, e.exporter, e.service), e.status))
        };
        let on_pub: HashMap<_, _> = status(publ).collect();
        let mut out = Vec::new();
        for (key, st) in status(sub) {
            let Some(other) = on_pub.get(&key) else {
                continue;
            };
            let (bad, node) = match (st, *other) {
                (EdgeStatus::Untrusted | EdgeStatus::Failed, EdgeStatus::Trusted) => (true, sub),
                (EdgeStatus::Trusted, EdgeStatus::Untrusted | EdgeStatus::Failed) => (true, publ),
                _ => (false, sub),
            };
            if bad {
                out.push(format!(
                    "{} → {} {}",
                    self.inv.hosts[node].fqdn,
                    self.inv.hosts[key.1].fqdn,
                    key.2.key()
                ));
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

/// The entries of `a` whose certificate `b` does not hold: (alias, certificate).
fn only_in<'s>(a: &'s StoreContents, b: &StoreContents) -> Vec<(&'s str, &'s Certificate)> {
    let held: HashSet<[u8; 32]> = b.anchors.iter().map(|c| c.sha256()).collect();
    let mut seen = HashSet::new();
    a.entries
        .iter()
        .filter_map(|e| a.anchors.get(e.anchor).map(|c| (e.alias.as_str(), c)))
        .filter(|(_, c)| !held.contains(&c.sha256()) && seen.insert(c.sha256()))
        .collect()
}

/// The upload on `host` of a certificate only its cluster peer `peer` holds.
fn replicate(host: usize, s: &StoreContents, alias: &str, c: &Certificate, peer: usize) -> Fix {
    let role = if !c.is_ca() {
        CertRole::Leaf
    } else if c.is_self_signed() {
        CertRole::Root
    } else {
        CertRole::Intermediate
    };
    Fix::Replicate {
        host,
        store: s.index,
        kind: s.kind,
        alias: alias.to_string(),
        cert: Box::new(c.clone()),
        role,
        peer,
    }
}
