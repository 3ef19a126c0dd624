//! One trust relationship decided in named steps: claim the conventional alias, stop on missing
//! evidence, take the validator's (cached) decision, report a stale alias, attach the
//! re-import of a certificate its server will replace, then trusted, anchored-but-failed,
//! untrusted self-signed (import the certificate) or untrusted CA-signed (import the CAs).
//!
//! [`Auditor::requirements`] enumerates the relationships the catalog's requirements give the
//! deployment; each step below is a function a reader holds in one view.

use std::collections::HashMap;

use crate::Certificate;

use super::super::catalog::{
    AliasConvention, Condition, ExporterScope, Requirement, Service, StoreKind, EXPORTER_IS_CLIENT,
    ONLY_KU_BC_CRITICAL, REQUIREMENTS,
};
use super::super::evidence::{decide, Client, Decision, EvidenceItem, StoreContents};
use super::super::finding::{CertRole, Code, Finding, Fix, Severity};
use super::super::inventory::CertificateModel;
use super::rules::uccx_rejected_critical;
use super::{ca_alias, store_label, Auditor, Edge, EdgeCode, EdgeStatus};

/// One relationship to decide: `importer` must trust `exporter`'s `service` certificate in
/// the `req.store` of `store_host`.
#[derive(Debug, Clone, Copy)]
struct Relationship {
    req: &'static Requirement,
    /// The host that must trust (the edge's importer).
    importer: usize,
    /// The host whose store is judged: the importer, or the VOS publisher whose replicated
    /// store it uses.
    store_host: usize,
    exporter: usize,
    service: Service,
    conv: AliasConvention,
}

impl Relationship {
    fn kind(&self) -> StoreKind {
        self.req.store
    }
}

/// A relationship whose chain and store are both in the evidence.
struct Judged<'e> {
    rel: Relationship,
    /// The store's index on `rel.store_host`.
    si: usize,
    store: &'e StoreContents,
    chain: &'e [Certificate],
    alias: Option<String>,
    label: String,
}

impl Auditor<'_> {
    /// Every relationship of every requirement the deployment's roles give, each decided.
    pub(super) fn requirements(&mut self) {
        let inv = self.inv;
        let ca_signed = inv.certificates == CertificateModel::CaSigned;
        for req in REQUIREMENTS {
            if req.condition == Condition::CaSignedOnly && !ca_signed {
                continue;
            }
            // The hosts of each side once, so the work is the number of edges, not hosts².
            let exporters: Vec<usize> = (0..inv.hosts.len())
                .filter(|&i| req.exporters.iter().any(|r| inv.hosts[i].has(*r)))
                .collect();
            for (ii, imp) in inv.hosts.iter().enumerate() {
                if !req.importers.iter().any(|r| imp.has(*r)) {
                    continue;
                }
                // A VOS subscriber is an importer too: with its own collected store, or with
                // its publisher's replica.
                let store_host = self.store_host(ii, req.store);
                for &ei in &exporters {
                    let exp = &inv.hosts[ei];
                    if ei == ii && req.scope != ExporterScope::EveryAndItself {
                        continue;
                    }
                    if req.scope == ExporterScope::Publisher && exp.is_subscriber() {
                        continue;
                    }
                    for &(svc, conv) in req.services {
                        if !exp.roles.iter().any(|r| r.info().presents.contains(&svc)) {
                            continue;
                        }
                        self.edge(Relationship {
                            req,
                            importer: ii,
                            store_host,
                            exporter: ei,
                            service: svc,
                            conv,
                        });
                    }
                }
            }
        }
    }

    /// Decides one relationship, step by step.
    fn edge(&mut self, rel: Relationship) {
        let ev = self.ev;
        let chain = ev.hosts[rel.exporter].chain(rel.service);
        let alias = self.claim_alias(&rel, chain);
        let mut edge = Edge {
            requirement: rel.req.id,
            importer: rel.importer,
            exporter: rel.exporter,
            service: rel.service,
            store: rel.kind(),
            alias: alias.clone(),
            status: EdgeStatus::Unknown,
            code: EdgeCode::Finding(Code::EvidenceMissing),
            reason: String::new(),
        };
        let Some(chain) = chain.filter(|c| !c.is_empty()) else {
            self.missing_chain(&rel, &mut edge);
            self.edges.push(edge);
            return;
        };
        let hev = &ev.hosts[rel.store_host];
        let Some(si) = hev.stores.iter().position(|s| s.kind == rel.kind()) else {
            self.missing_store(&rel, &mut edge);
            self.edges.push(edge);
            return;
        };
        let store = &hev.stores[si];
        let label = store_label(store, &self.inv.hosts[rel.store_host]);
        let j = Judged {
            rel,
            si,
            store,
            chain,
            alias,
            label,
        };
        let (d, anchors) = self.cached_decision(&j);
        edge.code = d.code;
        edge.reason = d.reason.clone();
        let stale = self.stale_alias(&j, d.trusted);
        self.reimport_after_reissue(&j);
        if d.trusted {
            self.trusted(&j, edge);
            return;
        }
        if anchored(&j, &anchors) {
            edge.status = EdgeStatus::Failed;
            self.edges.push(edge);
            return;
        }
        edge.status = EdgeStatus::Untrusted;
        let leaf = &chain[0];
        if leaf.is_self_signed() || (chain.len() == 1 && leaf.is_self_issued()) {
            self.untrusted_self_signed(&j, stale);
        } else {
            self.untrusted_ca_signed(&j);
        }
        self.edges.push(edge);
    }

    /// Step 1, claim the alias: the conventional alias of the exporter's certificate in the
    /// store. Two different certificates the same store must hold under one conventional name
    /// (CVP's VXML and Call Server certificates share the server's CN, and VVB's uploads are
    /// named by CN): the later one gets the service as a suffix, or each import would replace
    /// the other and the plan would never converge.
    fn claim_alias(&mut self, rel: &Relationship, chain: Option<&[Certificate]>) -> Option<String> {
        let exp = &self.inv.hosts[rel.exporter];
        let leaf = chain.and_then(|c| c.first());
        let leaf_cn = leaf.and_then(|c| c.common_name());
        let mut alias = rel.conv.alias(&exp.fqdn, leaf_cn.as_deref());
        if let (Some(a), Some(leaf)) = (alias.as_mut(), leaf) {
            let key = (rel.store_host, rel.kind(), a.to_ascii_lowercase());
            match self.alias_claims.get(&key) {
                Some(h) if *h != leaf.sha256() => {
                    a.push('_');
                    a.push_str(rel.service.key());
                    self.alias_claims.insert(
                        (rel.store_host, rel.kind(), a.to_ascii_lowercase()),
                        leaf.sha256(),
                    );
                }
                Some(_) => {}
                None => {
                    self.alias_claims.insert(key, leaf.sha256());
                }
            }
        }
        alias
    }

    /// Step 2a, missing evidence: the exporter's chain was not collected or not listed.
    fn missing_chain(&mut self, rel: &Relationship, edge: &mut Edge) {
        let (exp, svc) = (&self.inv.hosts[rel.exporter], rel.service);
        let hev = &self.ev.hosts[rel.exporter];
        if let Some(u) = hev.unreadable(EvidenceItem::Presents(svc)) {
            // Reported once per file by `unreadable`.
            edge.code = EdgeCode::Finding(Code::EvidenceUnreadable);
            edge.reason = format!(
                "the {svc} certificate of {} could not be read from {}: {}",
                exp.fqdn,
                u.path.display(),
                u.reason
            );
        } else if let Some(u) = hev.unreachable.iter().find(|u| u.services.contains(&svc)) {
            // Reported once per host and port by `collection`.
            edge.code = EdgeCode::Finding(Code::EvidenceUnreachable);
            edge.reason = format!(
                "the {svc} certificate of {} could not be collected: {}",
                exp.fqdn, u.message
            );
        } else if hev.not_collected.is_some() {
            edge.code = EdgeCode::Finding(Code::EvidenceNotCollected);
            edge.reason = format!("no {svc} certificate of {} in the evidence", exp.fqdn);
        } else {
            edge.code = EdgeCode::Finding(Code::EvidenceMissing);
            edge.reason = format!("no {svc} certificate of {} in the evidence", exp.fqdn);
            self.missing_once(rel.exporter, format!("presents:{}", svc.key()), || {
                Finding::new(
                    Code::EvidenceMissing,
                    Severity::Info,
                    &exp.fqdn,
                    format!(
                        "no {svc} certificate of {} is listed, so who trusts it was not checked",
                        exp.fqdn
                    ),
                )
                .remedy(format!(
                    "Export it ({}) and add `{} = \"file\"` under [host.presents]",
                    svc.info().export_hint,
                    svc.key()
                ))
            });
        }
    }

    /// Step 2b, missing evidence: the store is not listed (`fetch = true` collects what a host
    /// presents, never its stores).
    fn missing_store(&mut self, rel: &Relationship, edge: &mut Edge) {
        let kind = rel.kind();
        let host = &self.inv.hosts[rel.store_host];
        if let Some(u) = self.ev.hosts[rel.store_host].unreadable(EvidenceItem::Store(kind)) {
            // Reported once per file by `unreadable`.
            edge.code = EdgeCode::Finding(Code::EvidenceUnreadable);
            edge.reason = format!(
                "the {} of {} could not be read from {}: {}",
                kind.info().title,
                host.fqdn,
                u.path.display(),
                u.reason
            );
            return;
        }
        edge.code = EdgeCode::Finding(Code::EvidenceMissing);
        edge.reason = format!("no {} of {} in the evidence", kind.info().title, host.fqdn);
        self.missing_once(rel.store_host, format!("store:{}", kind.key()), || {
            Finding::new(
                Code::EvidenceMissing,
                Severity::Info,
                &host.fqdn,
                format!(
                    "the {} of {} is not listed, so what it trusts was not checked",
                    kind.info().title,
                    host.fqdn
                ),
            )
            .remedy(format!(
                "Copy the store and add a [[host.store]] with kind = \"{}\"",
                kind.key()
            ))
        });
    }

    pub(super) fn missing_once(&mut self, host: usize, what: String, f: impl FnOnce() -> Finding) {
        if self.reported_missing.insert((host, what)) {
            let f = f();
            self.push(f);
        }
    }

    /// Step 3, cached decision: the same chain judged against the same anchors for the same
    /// name gives the same verdict (every AW/ADS holds the same imports), so each combination
    /// is validated once. Returns the decision and the candidate anchors.
    fn cached_decision(&mut self, j: &Judged<'_>) -> (Decision, Vec<Certificate>) {
        // Where the exporter is the TLS client, no host name is checked.
        let name = (!EXPORTER_IS_CLIENT.contains(&j.rel.req.id))
            .then(|| self.inv.hosts[j.rel.exporter].fqdn.clone());
        let client = if j.rel.kind() == StoreKind::BrowserRoot {
            Client::Browser
        } else {
            Client::Java
        };
        let anchors = self.candidate_anchors(j.rel.store_host, j.si, j.chain);
        let key = (
            j.chain
                .iter()
                .chain(anchors.iter())
                .map(|c| c.sha256())
                .collect::<Vec<_>>(),
            j.chain.len(),
            name,
            client,
        );
        let d = match self.decisions.get(&key) {
            Some(d) => d.clone(),
            None => {
                let d = decide(j.chain, &anchors, key.2.as_deref(), self.opts.at, client);
                self.decisions.insert(key, d.clone());
                d
            }
        };
        (d, anchors)
    }

    fn index(&mut self, host: usize, store: usize) -> &HashMap<Vec<u8>, Vec<usize>> {
        let ev = self.ev;
        self.indexes.entry((host, store)).or_insert_with(|| {
            let mut m: HashMap<Vec<u8>, Vec<usize>> = HashMap::new();
            for (i, c) in ev.hosts[host].stores[store].anchors.iter().enumerate() {
                m.entry(c.subject().der().to_vec()).or_default().push(i);
            }
            m
        })
    }

    /// The anchors of a store that can end a path for `chain`: those named as a subject or
    /// issuer in the chain. Anything else cannot be part of a path, so leaving it out changes
    /// no verdict and keeps each decision independent of the store's size.
    fn candidate_anchors(
        &mut self,
        host: usize,
        store: usize,
        chain: &[Certificate],
    ) -> Vec<Certificate> {
        let mut want: Vec<usize> = Vec::new();
        {
            let idx = self.index(host, store);
            for c in chain {
                for key in [c.subject().der(), c.issuer().der()] {
                    if let Some(v) = idx.get(key) {
                        want.extend(v.iter().copied());
                    }
                }
            }
        }
        want.sort_unstable();
        want.dedup();
        let anchors = &self.ev.hosts[host].stores[store].anchors;
        want.iter()
            .filter_map(|&i| anchors.get(i).cloned())
            .collect()
    }

    /// Step 4, stale alias: the conventional alias holds an older certificate (the server's
    /// certificate was replaced, the store kept the old one), which keytool refuses to import
    /// over. Returns whether it does.
    fn stale_alias(&mut self, j: &Judged<'_>, trusted: bool) -> bool {
        let (store, chain, leaf) = (j.store, j.chain, &j.chain[0]);
        let by_alias = self
            .alias_index
            .entry((j.rel.store_host, j.si))
            .or_insert_with(|| {
                store
                    .entries
                    .iter()
                    .rev() // the first entry of an alias wins, as in by_alias
                    .map(|e| (e.alias.to_ascii_lowercase(), e.anchor))
                    .collect()
            });
        let stale = j
            .alias
            .as_ref()
            .and_then(|a| by_alias.get(&a.to_ascii_lowercase()))
            .and_then(|&i| store.anchors.get(i))
            .filter(|c| {
                c.sha256() != leaf.sha256() && !chain.iter().any(|x| x.sha256() == c.sha256())
            });
        let (Some(old), Some(a)) = (stale, j.alias.as_ref()) else {
            return false;
        };
        if j.rel.importer != j.rel.store_host {
            return true; // said on the node whose store it is
        }
        let (imp, exp) = (
            &self.inv.hosts[j.rel.importer],
            &self.inv.hosts[j.rel.exporter],
        );
        let mut f = Finding::new(
            Code::StoreStaleAlias,
            if trusted { Severity::Warning } else { Severity::Error },
            &imp.fqdn,
            format!(
                "alias `{a}` in the {} holds an older certificate of {} ({}), not the one it presents now",
                j.label,
                exp.fqdn,
                old.sha256_hex()
            ),
        )
        .cert(old)
        .remedy(format!("Delete alias `{a}` and import the current certificate under it"));
        f.importer = Some(imp.fqdn.clone());
        f.exporter = Some(exp.fqdn.clone());
        f.store = Some(j.label.clone());
        f.alias = Some(a.clone());
        f.requirement = Some(j.rel.req.id);
        // When the leaf itself is what is missing, the import replaces the alias.
        if trusted || !leaf.is_self_signed() {
            f = f.with_fix(Fix::Delete {
                host: j.rel.store_host,
                store: j.si,
                alias: a.clone(),
            });
        }
        self.push(f);
        true
    }

    /// Step 5, re-import: a self-signed certificate that its server will replace must be
    /// re-imported here; the fix joins the exporter's regenerate or re-issue finding.
    fn reimport_after_reissue(&mut self, j: &Judged<'_>) {
        let (ei, svc) = (j.rel.exporter, j.rel.service);
        if !self.reissue.contains(&(ei, svc)) || !j.chain[0].is_self_signed() {
            return;
        }
        let Some(a) = j.alias.clone() else { return };
        let fix = Fix::ImportAfterReissue {
            host: j.rel.store_host,
            store: Some(j.si),
            kind: j.rel.kind(),
            alias: a,
            exporter: ei,
            service: svc,
        };
        let exp = self.inv.hosts[ei].fqdn.as_str();
        if let Some(f) = self.findings.iter_mut().find(|f| {
            f.exporter.as_deref() == Some(exp)
                && f.service == Some(svc)
                && f.fix
                    .iter()
                    .any(|x| matches!(x, Fix::Regenerate { .. } | Fix::Reissue { .. }))
        }) {
            f.fix.push(fix);
        }
    }

    /// Step 6, trusted — unless the importer's client refuses what the validator accepts:
    /// UCCX's Java client rejects a CUCM chain with any other extension than keyUsage and
    /// basicConstraints marked critical (the finding is the exporter's
    /// `ext.critical-unsupported`; the edge shows the failed handshake).
    fn trusted(&mut self, j: &Judged<'_>, mut edge: Edge) {
        if ONLY_KU_BC_CRITICAL.contains(&j.rel.req.id) {
            let bad: Vec<String> = j.chain.iter().flat_map(uccx_rejected_critical).collect();
            if !bad.is_empty() {
                edge.status = EdgeStatus::Failed;
                edge.code = EdgeCode::Finding(Code::ExtCriticalUnsupported);
                edge.reason = format!(
                    "{} rejects the chain of {}: {} marked critical (only keyUsage and basicConstraints may be)",
                    self.inv.hosts[j.rel.importer].fqdn,
                    self.inv.hosts[j.rel.exporter].fqdn,
                    bad.join(", ")
                );
                self.edges.push(edge);
                return;
            }
        }
        edge.status = EdgeStatus::Trusted;
        self.edges.push(edge);
    }

    /// The `chain.untrusted` finding of a relationship, message and fixes still to fill.
    fn untrusted_finding(&self, j: &Judged<'_>) -> Finding {
        let imp = &self.inv.hosts[j.rel.importer];
        let mut f = Finding::new(
            Code::ChainUntrusted,
            Severity::Error,
            &imp.fqdn,
            String::new(),
        )
        .cert(&j.chain[0]);
        f.importer = Some(imp.fqdn.clone());
        f.exporter = Some(self.inv.hosts[j.rel.exporter].fqdn.clone());
        f.service = Some(j.rel.service);
        f.store = Some(j.label.clone());
        f.alias = j.alias.clone();
        f.requirement = Some(j.rel.req.id);
        f
    }

    /// Step 8, untrusted self-signed: the store lacks the certificate itself; import it, or
    /// its replacement once the server has one.
    fn untrusted_self_signed(&mut self, j: &Judged<'_>, stale: bool) {
        let rel = &j.rel;
        let (imp, exp, svc) = (
            &self.inv.hosts[rel.importer],
            &self.inv.hosts[rel.exporter],
            rel.service,
        );
        let label = &j.label;
        let mut f = self.untrusted_finding(j);
        let whose = if rel.importer == rel.exporter {
            "its own".to_string()
        } else {
            format!("{}'s", exp.fqdn)
        };
        f.message = format!(
            "{} does not trust {whose} self-signed {} certificate: its {label} lacks it ({}; Java reports \"PKIX path building failed\")",
            imp.name, svc, rel.req.why
        );
        let alias = j.alias.clone().unwrap_or_else(|| exp.fqdn.clone());
        if self.reissue.contains(&(rel.exporter, svc)) {
            f.remediation = format!("After {} regenerates or re-issues its {svc} certificate, import the new one on {} as `{alias}`", exp.fqdn, imp.fqdn);
            f = f.with_fix(Fix::ImportAfterReissue {
                host: rel.store_host,
                store: Some(j.si),
                kind: rel.kind(),
                alias,
                exporter: rel.exporter,
                service: svc,
            });
        } else {
            f.remediation = format!(
                "Import {}'s {svc} certificate into the {label} as `{alias}`",
                exp.fqdn
            );
            f = f.with_fix(Fix::Import {
                host: rel.store_host,
                store: j.si,
                kind: rel.kind(),
                alias,
                cert: Box::new(j.chain[0].clone()),
                role: CertRole::Leaf,
                replace: stale,
            });
        }
        self.push(f);
    }

    /// Step 9, untrusted CA-signed: find the CAs the store needs (root and any intermediates
    /// the server does not send), from the presented chain and the deployment's CA files, and
    /// import them root first (the VOS upload order).
    fn untrusted_ca_signed(&mut self, j: &Judged<'_>) {
        let rel = &j.rel;
        let (imp, exp, svc) = (
            &self.inv.hosts[rel.importer],
            &self.inv.hosts[rel.exporter],
            rel.service,
        );
        let (leaf, label, why) = (&j.chain[0], &j.label, rel.req.why);
        let mut f = self.untrusted_finding(j);
        let (path, from_files) = self.path_to_root(j.chain);
        let rooted = path.last().is_some_and(|c| c.is_self_signed());
        let incomplete = from_files
            .iter()
            .enumerate()
            .any(|(i, ff)| *ff && !path[i].is_self_signed());
        if incomplete {
            f.code = Code::ChainIncomplete;
            f.message = format!(
                "{} sends only part of its {} chain and {}'s {label} lacks the missing intermediate ({why})",
                exp.fqdn, svc, imp.name
            );
        } else {
            // Name what is missing: the issuing CA itself, or (when the server sends its
            // intermediate) the root the intermediate chains to.
            let lacks = match (path.get(1), path.last()) {
                (Some(issuer), Some(root)) if rooted && !issuer.is_self_signed() => format!(
                    "lacks the root CA {} that its issuer chains to",
                    root.subject().to_rfc4514()
                ),
                _ => "lacks the issuing CA".to_string(),
            };
            f.message = format!(
                "{} does not trust {}'s {} certificate issued by {}: its {label} {lacks} ({why}; Java reports \"PKIX path building failed\")",
                imp.name,
                exp.fqdn,
                svc,
                leaf.issuer().to_rfc4514()
            );
        }
        if !rooted {
            f.remediation = format!(
                "Obtain the root CA certificate of {} (add it to [deployment] ca) and import it into the {label}",
                path.last().map(|c| c.issuer().to_rfc4514()).unwrap_or_default()
            );
            f = f.with_fix(Fix::Configure {
                host: rel.store_host,
                what: format!(
                    "Obtain the root CA of {} and import it",
                    leaf.issuer().to_rfc4514()
                ),
            });
        } else {
            let imports = self.ca_imports(j, &path, &from_files);
            let names: Vec<String> = imports
                .iter()
                .filter_map(|x| match x {
                    Fix::Import { alias, .. } => Some(format!("`{alias}`")),
                    _ => None,
                })
                .collect();
            f.remediation = format!("Import the CA certificate(s) {} into the {label} once; every server they issued is then trusted", names.join(", "));
            f.fix.extend(imports);
        }
        self.push(f);
    }

    /// The presented chain extended with the deployment's CA files up to a root (at most
    /// eight more), and for each certificate whether it came from the files.
    fn path_to_root(&self, chain: &[Certificate]) -> (Vec<Certificate>, Vec<bool>) {
        let mut path: Vec<Certificate> = chain.to_vec();
        let mut from_files: Vec<bool> = vec![false; path.len()];
        for _ in 0..8 {
            let Some(top) = path.last() else { break };
            if top.is_self_signed() {
                break;
            }
            let issuer = self.ev.ca.iter().find(|c| {
                c.subject().der() == top.issuer().der() && top.verify_signed_by(c).is_ok()
            });
            match issuer {
                Some(c) if !path.iter().any(|p| p.sha256() == c.sha256()) => {
                    path.push(c.clone());
                    from_files.push(true);
                }
                _ => break,
            }
        }
        (path, from_files)
    }

    /// The imports of the CAs of `path` the store lacks, root first, then intermediates
    /// downwards (the VOS upload order).
    fn ca_imports(
        &mut self,
        j: &Judged<'_>,
        path: &[Certificate],
        from_files: &[bool],
    ) -> Vec<Fix> {
        let (ii, si, kind) = (j.rel.store_host, j.si, j.rel.kind());
        let mut imports = Vec::new();
        for (i, c) in path.iter().enumerate().skip(1).rev() {
            let needs = c.is_self_signed() || from_files[i];
            if needs && !j.store.contains(c) {
                let role = if c.is_self_signed() {
                    CertRole::Root
                } else {
                    CertRole::Intermediate
                };
                imports.push(Fix::Import {
                    host: ii,
                    store: si,
                    kind,
                    alias: self.ca_import_alias(ii, si, kind, c),
                    cert: Box::new(c.clone()),
                    role,
                    replace: false,
                });
            }
        }
        imports
    }

    /// The alias a CA certificate is imported under in store `si` of host `ii`: the name
    /// [`ca_alias`] gives it, unless the store already holds another certificate under that
    /// name or another import of this audit claimed it (a CA renewed with a new key and the
    /// same name, whose old root still anchors servers): then that name with the first eight
    /// hex digits of its SHA-256, so keytool accepts it and the old root stays.
    fn ca_import_alias(
        &mut self,
        ii: usize,
        si: usize,
        kind: StoreKind,
        c: &Certificate,
    ) -> String {
        let base = ca_alias(c);
        let lower = base.to_ascii_lowercase();
        let store = &self.ev.hosts[ii].stores[si];
        let in_store = self
            .alias_index
            .get(&(ii, si))
            .and_then(|m| m.get(&lower))
            .and_then(|&i| store.anchors.get(i))
            .is_some_and(|held| held.sha256() != c.sha256());
        let claimed = self
            .alias_claims
            .get(&(ii, kind, lower))
            .is_some_and(|h| *h != c.sha256());
        let alias = if in_store || claimed {
            format!("{base}-{}", &c.sha256_hex()[..8])
        } else {
            base
        };
        self.alias_claims
            .entry((ii, kind, alias.to_ascii_lowercase()))
            .or_insert_with(|| c.sha256());
        alias
    }
}

/// Step 7, anchored: the store already holds the leaf or an issuer of the chain. Then the
/// failure is the certificate's own (expired, wrong name…), reported by the rules.
fn anchored(j: &Judged<'_>, anchors: &[Certificate]) -> bool {
    !anchors.is_empty()
        && j.chain.iter().any(|c| {
            j.store.contains(c)
                || anchors
                    .iter()
                    .any(|a| a.subject().der() == c.issuer().der() && c.verify_signed_by(a).is_ok())
        })
}
