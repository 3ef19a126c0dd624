//! The audit: for every trust requirement of the deployment, decide whether the importer's store
//! trusts the exporter's presented chain (Java rules, or browser rules for desktops) at the audit
//! time with the configured FQDN; check every rule of `CCE-TRUST.md` §3 on every presented
//! certificate; and check store hygiene (duplicates, stale conventional aliases, wrong type, and
//! the validity of the CA entries the deployment relies on).
//!
//! The result is an [`Audit`]: the trust edges with their status (for the report and the graph)
//! and the [`Finding`]s, each with the [`Fix`]es the plan turns into steps.
//!
//! The work is split by what a maintainer changes: [`rules`] holds one function per certificate
//! rule, listed with its code in one table; `edge` decides one trust relationship in named
//! steps; `drift` compares a VOS subscriber's collected replica with its publisher's; `stores`
//! inspects the stores themselves (and the aliases no command can carry); this file holds the
//! public types, the host checks and the order the parts run in.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use crate::chain::VerdictCode;
use crate::{Certificate, Timestamp};

use super::catalog::{Service, StoreKind};
use super::evidence::{
    Client, Decision, Evidence, EvidenceItem, HostEvidence, NotCollected, Source, StoreContents,
};
use super::finding::{Code, Finding, Fix, Severity};
use super::inventory::{Host, Inventory};

mod drift;
mod edge;
pub mod rules;
mod stores;

/// What the audit is asked.
#[derive(Debug, Clone, Copy)]
pub struct AuditOptions {
    /// The moment connections are judged at.
    pub at: Timestamp,
    /// Certificates expiring within this many days are reported (`validity.expiring`).
    pub expiring_days: u32,
}

impl AuditOptions {
    /// Now, with a 60-day window.
    pub fn now() -> AuditOptions {
        AuditOptions {
            at: Timestamp::now(),
            expiring_days: 60,
        }
    }
}

/// The state of one trust relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EdgeStatus {
    /// The importer trusts the exporter's chain for its FQDN.
    Trusted,
    /// The importer's store lacks what the chain needs.
    Untrusted,
    /// The chain is anchored but fails for another reason (expired, name, weak…).
    Failed,
    /// The exporter's chain or the importer's store is not in the evidence.
    Unknown,
}

impl EdgeStatus {
    /// `trusted`, `untrusted`, `failed`, `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeStatus::Trusted => "trusted",
            EdgeStatus::Untrusted => "untrusted",
            EdgeStatus::Failed => "failed",
            EdgeStatus::Unknown => "unknown",
        }
    }
}

/// Why a trust relationship has its status: the chain validator's verdict, or an audit code
/// that decided it without (or against) the validator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EdgeCode {
    /// The validator's verdict (`valid`, `chain.untrusted_issuer`, `validity.expired`…).
    Verdict(VerdictCode),
    /// The exporter presented no certificate at all (`chain.empty`).
    ChainEmpty,
    /// A finding code that decides the relationship: `evidence.*` (nothing to judge) or
    /// `ext.critical-unsupported` (the importer's client refuses what the validator accepts).
    Finding(Code),
}

impl EdgeCode {
    /// The stable code string of the `edges[].code` field.
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeCode::Verdict(v) => v.as_str(),
            EdgeCode::ChainEmpty => "chain.empty",
            EdgeCode::Finding(c) => c.as_str(),
        }
    }
}

impl fmt::Display for EdgeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for EdgeCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl serde::Serialize for EdgeCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One trust relationship: `importer` must trust `exporter`'s `service` certificate in `store`.
#[derive(Debug, Clone)]
pub struct Edge {
    /// The requirement's id.
    pub requirement: &'static str,
    /// Importer host index.
    pub importer: usize,
    /// Exporter host index.
    pub exporter: usize,
    /// Which certificate.
    pub service: Service,
    /// Which store.
    pub store: StoreKind,
    /// Conventional alias, where the store has aliases.
    pub alias: Option<String>,
    /// Status.
    pub status: EdgeStatus,
    /// The validator's code (`valid`, `chain.untrusted_issuer`…) or `evidence.*`.
    pub code: EdgeCode,
    /// The validator's sentence.
    pub reason: String,
}

/// The audit of a deployment.
#[derive(Debug, Clone)]
pub struct Audit {
    /// When connections were judged.
    pub at: Timestamp,
    /// The expiring window, days.
    pub expiring_days: u32,
    /// Every trust relationship the deployment needs.
    pub edges: Vec<Edge>,
    /// What is wrong, most severe first, then by host.
    pub findings: Vec<Finding>,
    /// Where each presented chain the audit judged came from, in inventory order.
    pub evidence: Vec<EvidenceSource>,
}

/// Where the audit's copy of one presented chain came from: an exported file, or the live
/// server at a given moment. Reports show it so nobody mistakes a stale export for the truth.
#[derive(Debug, Clone)]
pub struct EvidenceSource {
    /// Host index in the inventory.
    pub host: usize,
    /// The service.
    pub service: Service,
    /// The port clients reach the service on (the inventory's override, else the catalog's).
    pub port: u16,
    /// File or fetch.
    pub source: Source,
    /// SHA-256 of each certificate of the chain, leaf first, lowercase hex.
    pub chain_sha256: Vec<String>,
}

impl Audit {
    /// Number of findings of each severity: (errors, warnings, infos).
    pub fn counts(&self) -> (usize, usize, usize) {
        let c = |s| self.findings.iter().filter(|f| f.severity == s).count();
        (c(Severity::Error), c(Severity::Warning), c(Severity::Info))
    }

    /// Findings with this code.
    pub fn with_code(&self, code: Code) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.code == code)
    }
}

/// Audits `inv` with the evidence read for it.
pub fn audit(inv: &Inventory, ev: &Evidence, opts: &AuditOptions) -> Audit {
    let mut a = Auditor {
        inv,
        ev,
        opts,
        findings: Vec::new(),
        edges: Vec::new(),
        reissue: BTreeSet::new(),
        reported_missing: BTreeSet::new(),
        indexes: HashMap::new(),
        decisions: HashMap::new(),
        alias_index: HashMap::new(),
        alias_claims: HashMap::new(),
    };
    a.hosts();
    a.certificates();
    a.requirements();
    a.replication_drift();
    a.stores();
    a.unsafe_aliases();
    let mut findings = a.findings;
    let edges = a.edges;
    findings.sort_by(|x, y| {
        y.severity
            .cmp(&x.severity)
            .then_with(|| x.code.cmp(&y.code))
            .then_with(|| x.host.cmp(&y.host))
            .then_with(|| x.exporter.cmp(&y.exporter))
    });
    let evidence = inv
        .hosts
        .iter()
        .zip(&ev.hosts)
        .enumerate()
        .flat_map(|(hi, (h, hev))| {
            hev.presented.iter().map(move |p| EvidenceSource {
                host: hi,
                service: p.service,
                port: h.port(p.service, inv.system_id),
                source: p.source.clone(),
                chain_sha256: p.chain.iter().map(|c| c.sha256_hex()).collect(),
            })
        })
        .collect();
    Audit {
        at: opts.at,
        expiring_days: opts.expiring_days,
        edges,
        findings,
        evidence,
    }
}

struct Auditor<'a> {
    inv: &'a Inventory,
    ev: &'a Evidence,
    opts: &'a AuditOptions,
    findings: Vec<Finding>,
    edges: Vec<Edge>,
    /// (host, service) whose certificate must be regenerated or re-issued: importing the
    /// current one would be wasted work.
    reissue: BTreeSet<(usize, Service)>,
    reported_missing: BTreeSet<(usize, String)>,
    /// Per store (host, store index): subject DER → anchor indexes, so each decision only
    /// hands the validator the anchors that can matter (keeps the audit linear in hosts).
    indexes: HashMap<(usize, usize), HashMap<Vec<u8>, Vec<usize>>>,
    /// Verdicts already computed.
    decisions: HashMap<DecisionKey, Decision>,
    /// Per store: lower-cased alias → anchor index (keytool's aliases are case-insensitive).
    alias_index: HashMap<(usize, usize), HashMap<String, usize>>,
    /// Per importer store (host, kind): lower-cased conventional alias → the certificate it
    /// was given to, so two different certificates never share one.
    alias_claims: HashMap<(usize, StoreKind, String), [u8; 32]>,
}

/// (chain + anchors fingerprints, chain length, the name a server is reached by — `None` for
/// a TLS client's chain —, the client's rules).
type DecisionKey = (Vec<[u8; 32]>, usize, Option<String>, Client);

fn store_label(s: &StoreContents, host: &Host) -> String {
    let server = host
        .stores
        .get(s.index)
        .and_then(|r| r.server_path.clone())
        .unwrap_or_else(|| s.kind.info().default_path.to_string());
    if server.is_empty() {
        format!("{} on {}", s.kind.info().title, host.fqdn)
    } else {
        format!("{} ({server}) on {}", s.kind.info().title, host.fqdn)
    }
}

/// The alias ccetrust gives a CA certificate: its CN, lower-cased, spaces as dashes (keytool
/// lower-cases JKS aliases anyway).
pub fn ca_alias(cert: &Certificate) -> String {
    let cn = cert
        .common_name()
        .unwrap_or_else(|| cert.sha256_hex()[..16].to_string());
    cn.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

fn is_ip(s: &str) -> bool {
    s.parse::<std::net::IpAddr>().is_ok()
}

impl Auditor<'_> {
    fn push(&mut self, f: Finding) {
        self.findings.push(f);
    }

    /// The host whose store an importer's relationships are judged with: its own when the
    /// inventory lists one; a VOS subscriber without one uses its publisher's replicated store.
    fn store_host(&self, host: usize, kind: StoreKind) -> usize {
        let h = &self.inv.hosts[host];
        if h.stores.iter().any(|s| s.kind == kind) {
            return host;
        }
        if kind.info().replicates && h.is_subscriber() {
            if let Some(p) = h.cluster.as_deref().and_then(|c| self.inv.publisher_of(c)) {
                return p;
            }
        }
        host
    }

    /// Host checks: every host is named by its FQDN; what the collection of a `fetch = true`
    /// host could not do.
    fn hosts(&mut self) {
        for (hi, h) in self.inv.hosts.iter().enumerate() {
            if !h.fqdn.contains('.') || is_ip(&h.fqdn) {
                self.not_fqdn(h);
            }
            if let Some(hev) = self.ev.hosts.get(hi) {
                self.collection(h, hev);
                self.unreadable(h, hev);
            }
        }
        self.unreadable_ca();
    }

    /// `evidence.unreadable` for a `[deployment] ca` file: the CA certificates it holds are
    /// not offered for imports (the plan asks for the root instead); the rest of the audit runs.
    fn unreadable_ca(&mut self) {
        for u in &self.ev.ca_unreadable {
            let f = Finding::new(
                Code::EvidenceUnreadable,
                Severity::Error,
                &self.inv.name,
                format!(
                    "the deployment's CA file {} (line {} of the inventory) cannot be read: {}; the CA certificates it holds are not offered for imports",
                    u.path.display(),
                    u.line,
                    u.reason
                ),
            )
            .remedy(format!(
                "Export the CA certificates again (Base-64 X.509) to {} (or correct the path at line {} of the inventory) and audit again",
                u.path.display(),
                u.line
            ));
            self.push(f);
        }
    }

    /// `name.not-fqdn`: a short name or an IP address where the FQDN belongs.
    fn not_fqdn(&mut self, h: &Host) {
        let what = if is_ip(&h.fqdn) {
            "an IP address"
        } else {
            "a short host name"
        };
        self.push(
            Finding::new(
                Code::NameNotFqdn,
                Severity::Error,
                &h.fqdn,
                format!("`{}` is {what}; components are added to the inventory and reached by FQDN", h.fqdn),
            )
            .remedy(format!(
                "Use the server's fully qualified domain name (e.g. `{}.{}`) in the inventory and in CCE Administration",
                h.fqdn,
                self.inv.domain.as_deref().unwrap_or("example.com")
            ))
            .with_fix(Fix::Configure {
                host: self.inv.host_index(&h.fqdn).unwrap_or(0),
                what: "Add and reach this component by its FQDN, not a short name or IP address".into(),
            }),
        );
    }

    /// `evidence.unreadable`: a file the inventory names for this host that could not be read;
    /// what needs it is `unknown` (see the edge steps), the rest of the audit runs.
    fn unreadable(&mut self, h: &Host, hev: &HostEvidence) {
        for u in &hev.unreadable {
            let what = match u.item {
                EvidenceItem::Presents(s) => format!("{s} certificate"),
                EvidenceItem::Csr(s) => format!("{s} CSR"),
                EvidenceItem::Store(k) => k.info().title.to_string(),
                EvidenceItem::SharedPfx => "shared PFX".to_string(),
                EvidenceItem::DeploymentCa => "CA".to_string(),
            };
            let needs = match u.item {
                EvidenceItem::Presents(_) => "who trusts it is not judged",
                EvidenceItem::Store(_) => "what it trusts is not judged",
                EvidenceItem::Csr(_) => "the certificate is not compared with its CSR",
                EvidenceItem::SharedPfx => "whether it holds its private key is not known",
                EvidenceItem::DeploymentCa => "its certificates are not offered for imports",
            };
            let mut f = Finding::new(
                Code::EvidenceUnreadable,
                Severity::Error,
                &h.fqdn,
                format!(
                    "the {what} file of {} ({}, line {} of the inventory) cannot be read: {}; {needs}",
                    h.fqdn,
                    u.path.display(),
                    u.line,
                    u.reason
                ),
            )
            .remedy(format!(
                "Copy the {what} of {} again (or correct the path or password at line {} of the inventory) and audit again",
                h.fqdn, u.line
            ));
            match u.item {
                EvidenceItem::Presents(s) | EvidenceItem::Csr(s) => {
                    f.exporter = Some(h.fqdn.clone());
                    f.service = Some(s);
                }
                EvidenceItem::Store(_) => f.store = Some(format!("{what} on {}", h.fqdn)),
                EvidenceItem::SharedPfx | EvidenceItem::DeploymentCa => {}
            }
            self.push(f);
        }
    }

    /// What the network collection of a `fetch = true` host could not do: nothing attempted
    /// (offline, or no `fetch` feature), or a port that did not give its chain.
    fn collection(&mut self, h: &Host, hev: &HostEvidence) {
        if let Some(why) = hev.not_collected {
            let (reason, remedy) = match why {
                NotCollected::Offline => (
                    "fetching is switched off (--offline)",
                    "Audit again from a machine that reaches the servers, or export their certificates (`ccetrust fetch --out DIR`) and list them under [host.presents]",
                ),
                NotCollected::NoFetchFeature => (
                    "this build of ccetrust lacks the `fetch` feature",
                    "Use a build with the `fetch` feature (the ccetrust CLI has it), or export the certificates (`ccetrust fetch --out DIR`) and list them under [host.presents]",
                ),
            };
            self.push(
                Finding::new(
                    Code::EvidenceNotCollected,
                    Severity::Info,
                    &h.fqdn,
                    format!(
                        "{} is marked `fetch = true`, but {reason}: the certificates it presents were not collected and its connections are not judged",
                        h.fqdn
                    ),
                )
                .remedy(remedy),
            );
        }
        for u in &hev.unreachable {
            let services = u
                .services
                .iter()
                .map(|s| s.key())
                .collect::<Vec<_>>()
                .join(" and ");
            let kind = match u.alert {
                Some(alert) => format!("{} {alert}", u.kind),
                None => u.kind.to_string(),
            };
            let port = u.port;
            let first = u.services.first().map(|s| s.key()).unwrap_or("iis");
            let remedy = match u.kind {
                "dns" => "The name does not resolve from this machine: fix DNS, or give the host an `address` in the inventory".to_string(),
                "refused" => format!("Nothing listens on port {port}: start the service, or correct the port in the inventory (`ports = {{ {first} = N }}`)"),
                "timeout_connect" | "connect" => format!("Port {port} cannot be reached from this machine (a firewall, or the server is down): open it, or audit from exported files with --offline"),
                "timeout_handshake" | "closed" => format!("Port {port} accepts connections but does not complete a TLS handshake: check the service listening there"),
                "not_tls" => format!("Port {port} does not speak TLS: correct the port in the inventory (`ports = {{ {first} = N }}`)"),
                "tls_alert" => format!("The service on port {port} refused the handshake (see the alert); an IIS binding that requires SNI is finding iis.sni"),
                _ => format!("Check the TLS service on port {port}"),
            };
            let mut f = Finding::new(
                Code::EvidenceUnreachable,
                Severity::Warning,
                &h.fqdn,
                format!(
                    "the {services} certificate{} of {} could not be collected from {} ({kind}): {}; its connections are not judged",
                    if u.services.len() > 1 { "s" } else { "" },
                    h.fqdn,
                    u.target,
                    u.message
                ),
            )
            .remedy(remedy);
            f.exporter = Some(h.fqdn.clone());
            f.service = u.services.first().copied();
            f.unreachable = Some(u.clone());
            self.push(f);
        }
    }
}
