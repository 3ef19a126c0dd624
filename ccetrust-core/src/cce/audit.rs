//! The audit: for every trust requirement of the deployment, decide whether the importer's store
//! trusts the exporter's presented chain (Java rules, or browser rules for desktops) at the audit
//! time with the configured FQDN; check every rule of `CCE-TRUST.md` §3 on every presented
//! certificate; and check store hygiene (duplicates, stale conventional aliases, wrong type, and
//! the validity of the CA entries the deployment relies on).
//!
//! The result is an [`Audit`]: the trust edges with their status (for the report and the graph)
//! and the [`Finding`]s, each with the [`Fix`]es the plan turns into steps.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::{Certificate, Timestamp};

use super::catalog::{
    browser_facing, AliasConvention, Condition, ExporterScope, KeyPolicy, Requirement, Service,
    StoreFormat, StoreKind, CLIENT_SERVER_EKU, ONLY_KU_BC_CRITICAL, REQUIREMENTS,
    UCCX_ALLOWED_CRITICAL,
};
use super::evidence::{
    decide, names_host, Client, Decision, Evidence, HostEvidence, NotCollected, Source,
    StoreContents,
};
use super::finding::{CertRole, Code, Finding, Fix, Severity};
use super::inventory::{CertificateModel, Host, Inventory};

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
    pub code: String,
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
    a.stores();
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
    /// Verdicts already computed, by (chain + anchors fingerprints, chain length, name, client).
    decisions: HashMap<DecisionKey, Decision>,
    /// Per store: lower-cased alias → anchor index (keytool's aliases are case-insensitive).
    alias_index: HashMap<(usize, usize), HashMap<String, usize>>,
    /// Per importer store (host, kind): lower-cased conventional alias → the certificate it
    /// was given to, so two different certificates never share one.
    alias_claims: HashMap<(usize, StoreKind, String), [u8; 32]>,
}

type DecisionKey = (Vec<[u8; 32]>, usize, String, Client);

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

    /// The host an importer's store lives on: a VOS subscriber's replicated store is the
    /// publisher's.
    fn store_host(&self, host: usize, kind: StoreKind) -> usize {
        let h = &self.inv.hosts[host];
        if kind.info().replicates && h.is_subscriber() {
            if let Some(p) = h.cluster.as_deref().and_then(|c| self.inv.publisher_of(c)) {
                return p;
            }
        }
        host
    }

    fn hosts(&mut self) {
        for (hi, h) in self.inv.hosts.iter().enumerate() {
            if !h.fqdn.contains('.') || is_ip(&h.fqdn) {
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
            if let Some(hev) = self.ev.hosts.get(hi) {
                self.collection(h, hev);
            }
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

    /// Every §3 rule on every presented certificate.
    fn certificates(&mut self) {
        let policy = KeyPolicy::for_product(self.inv.product, self.inv.version);
        // The requirements whose importer rejects critical extensions other than KU/BC, where
        // the deployment has an importer: their exporters' chains are checked.
        let critical_only: Vec<&Requirement> = ONLY_KU_BC_CRITICAL
            .iter()
            .filter_map(|id| Requirement::by_id(id))
            .filter(|r| {
                self.inv
                    .hosts
                    .iter()
                    .any(|h| r.importers.iter().any(|i| h.has(*i)))
            })
            .collect();
        let mutual_tls = self.inv.hosts.iter().any(|h| h.has(CLIENT_SERVER_EKU.when));
        let window = i64::from(self.opts.expiring_days);
        let at = self.opts.at;
        for (hi, h) in self.inv.hosts.iter().enumerate() {
            for p in &self.ev.hosts[hi].presented {
                let Some(leaf) = p.chain.first() else {
                    continue;
                };
                let svc = p.service;
                let reissue_fix = |needs: &str| -> Fix {
                    if svc.info().own_alias.is_some()
                        || (svc == Service::Tomcat && leaf.is_self_signed())
                    {
                        Fix::Regenerate {
                            host: hi,
                            service: svc,
                        }
                    } else {
                        Fix::Reissue {
                            host: hi,
                            service: svc,
                            needs: needs.to_string(),
                        }
                    }
                };
                let mk = |code, sev, msg: String| {
                    let mut f = Finding::new(code, sev, &h.fqdn, msg).cert(leaf);
                    f.service = Some(svc);
                    f.exporter = Some(h.fqdn.clone());
                    f
                };
                let cn = leaf.common_name();
                let dns = leaf.subject_alt_names().dns;
                // name.mismatch
                if !names_host(leaf, &h.fqdn) {
                    let mut presented: Vec<String> =
                        cn.iter().cloned().chain(dns.iter().cloned()).collect();
                    presented.sort_by_key(|n| n.to_ascii_lowercase());
                    presented.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
                    let needs = format!("CN={} with DNS SAN {}", h.fqdn, h.fqdn);
                    self.reissue.insert((hi, svc));
                    self.push(
                        mk(
                            Code::NameMismatch,
                            Severity::Error,
                            format!(
                                "{}'s {} certificate is issued to [{}], not to the configured FQDN {}: Java clients fail the hostname check",
                                h.name,
                                svc,
                                presented.join(", "),
                                h.fqdn
                            ),
                        )
                        .remedy(format!("Re-issue the {svc} certificate on {} with {needs}, then re-import it where it is trusted", h.fqdn))
                        .with_fix(reissue_fix(&needs)),
                    );
                }
                // name.cn-not-in-san
                if let Some(cn) = &cn {
                    if !dns.iter().any(|d| d.eq_ignore_ascii_case(cn)) {
                        let needs = format!("DNS SAN {cn} repeating the CN");
                        let browser_facing = h.roles.iter().any(|r| browser_facing(*r, svc));
                        self.reissue.insert((hi, svc));
                        self.push(
                            mk(
                                Code::NameCnNotInSan,
                                if browser_facing { Severity::Error } else { Severity::Warning },
                                format!(
                                    "{}'s {} certificate has CN {cn} but {}: browsers (Chrome 58+) ignore the CN and show NET::ERR_CERT_COMMON_NAME_INVALID",
                                    h.name,
                                    svc,
                                    if dns.is_empty() { "no DNS subjectAltName".to_string() } else { format!("its DNS SANs are [{}]", dns.join(", ")) }
                                ),
                            )
                            .remedy(format!("Re-issue the certificate on {} with the CN repeated as a DNS SAN", h.fqdn))
                            .with_fix(reissue_fix(&needs)),
                        );
                    }
                }
                // key.too-small / key.algorithm
                let key = leaf.public_key();
                let is_rsa = key.algorithm == "RSA";
                if is_rsa {
                    let bits = key.bits.unwrap_or(0);
                    let bad = match policy.allowed_rsa_bits {
                        Some(allowed) => !allowed.contains(&bits),
                        None => bits < policy.min_rsa_bits,
                    };
                    if bad {
                        self.reissue.insert((hi, svc));
                        self.push(
                            mk(
                                Code::KeyTooSmall,
                                Severity::Error,
                                format!(
                                    "{}'s {} certificate has an RSA {bits}-bit key: {}",
                                    h.name, svc, policy.source
                                ),
                            )
                            .remedy(format!(
                                "Re-issue the certificate on {} with an RSA 2048-bit key",
                                h.fqdn
                            ))
                            .with_fix(reissue_fix("an RSA 2048-bit key")),
                        );
                    }
                } else if policy.rsa_only && policy.ecdsa_service != Some(svc) {
                    self.reissue.insert((hi, svc));
                    self.push(
                        mk(
                            Code::KeyAlgorithm,
                            Severity::Error,
                            format!(
                                "{}'s {} certificate has a {} key; {} {} accepts only RSA here",
                                h.name,
                                svc,
                                key.describe(),
                                self.inv.product.key().to_uppercase(),
                                self.inv.version
                            ),
                        )
                        .remedy(format!(
                            "Re-issue the certificate on {} with an RSA 2048-bit key",
                            h.fqdn
                        ))
                        .with_fix(reissue_fix("an RSA 2048-bit key")),
                    );
                }
                // sig.weak-hash: the leaf and every CA it was issued by (a root's own
                // signature is not relied on, unless the root is the leaf itself).
                for (i, c) in p.chain.iter().enumerate() {
                    if i > 0 && c.is_self_signed() {
                        continue;
                    }
                    let alg = c.signature_algorithm().to_ascii_lowercase();
                    if alg.contains("sha1") || alg.contains("md5") || alg.contains("md2") {
                        if i == 0 {
                            self.reissue.insert((hi, svc));
                        }
                        let f = Finding::new(
                            Code::SigWeakHash,
                            Severity::Error,
                            &h.fqdn,
                            format!(
                                "{}'s {} chain: {} is signed with {}; 12.5 and VOS require SHA-256",
                                h.name,
                                svc,
                                c.subject().to_rfc4514(),
                                c.signature_algorithm()
                            ),
                        )
                        .cert(c)
                        .remedy(if i == 0 {
                            format!("Re-issue the certificate on {} signed with SHA-256", h.fqdn)
                        } else {
                            "Have the CA re-issue its intermediate with SHA-256, then re-issue the server certificate".to_string()
                        });
                        let f = if i == 0 {
                            f.with_fix(reissue_fix("a SHA-256 signature"))
                        } else {
                            f
                        };
                        self.push(Finding {
                            service: Some(svc),
                            exporter: Some(h.fqdn.clone()),
                            ..f
                        });
                    }
                }
                // ext.critical-unsupported: UCCX trusts CUCM's tomcat only with KU/BC critical.
                let critical_checked = critical_only.iter().any(|r| {
                    r.exporters.iter().any(|e| h.has(*e))
                        && r.services.iter().any(|(s, _)| *s == svc)
                });
                if critical_checked {
                    for c in &p.chain {
                        let bad = uccx_rejected_critical(c);
                        if !bad.is_empty() {
                            self.reissue.insert((hi, svc));
                            self.push(
                                Finding::new(
                                    Code::ExtCriticalUnsupported,
                                    Severity::Error,
                                    &h.fqdn,
                                    format!(
                                        "CUCM {}'s tomcat chain has {} marked critical in {}: UCCX fails with SSLHandshakeException (agents get \"Invalid User ID/Password\")",
                                        h.name,
                                        bad.join(", "),
                                        c.subject().to_rfc4514()
                                    ),
                                )
                                .cert(c)
                                .with_exporter(&h.fqdn, svc)
                                .remedy("Re-issue with only keyUsage and basicConstraints marked critical")
                                .with_fix(reissue_fix("only keyUsage and basicConstraints marked critical")),
                            );
                        }
                    }
                }
                // eku.missing-client-server: the CTI server and Finesse authenticate each other.
                let needs_both = mutual_tls
                    && CLIENT_SERVER_EKU
                        .certificates
                        .iter()
                        .any(|(r, s)| *s == svc && h.has(*r));
                if needs_both {
                    let eku = leaf.extended_key_usage();
                    let has = |n: &str| eku.iter().any(|e| e == n);
                    if !(eku.is_empty() || has("serverAuth") && has("clientAuth")) {
                        self.reissue.insert((hi, svc));
                        self.push(
                            mk(
                                Code::EkuMissingClientServer,
                                Severity::Error,
                                format!(
                                    "{}'s {} certificate allows [{}]; CTI server and Finesse certificates need both serverAuth and clientAuth",
                                    h.name,
                                    svc,
                                    eku.join(", ")
                                ),
                            )
                            .remedy("Re-issue it from a CA template with both client and server authentication")
                            .with_fix(reissue_fix("extendedKeyUsage serverAuth and clientAuth")),
                        );
                    }
                }
                // csr.*: what VOS checks at upload.
                if let Some((_, csr)) = self.ev.hosts[hi].csrs.iter().find(|(s, _)| *s == svc) {
                    let cmp = csr.compare(leaf);
                    if !cmp.san_added.is_empty() || !cmp.san_missing.is_empty() {
                        self.push(
                            mk(
                                Code::CsrSanMismatch,
                                Severity::Error,
                                format!(
                                    "{}'s {} certificate does not carry its CSR's SANs (added by the CA: [{}]; missing: [{}]): VOS refuses the upload with \"CSR SAN and Certificate SAN does not match\"",
                                    h.name,
                                    svc,
                                    cmp.san_added.join(", "),
                                    cmp.san_missing.join(", ")
                                ),
                            )
                            .remedy("Have the CA sign the CSR without adding SANs (generate the CSR with an empty parent domain)")
                            .with_fix(Fix::Reissue { host: hi, service: svc, needs: "exactly the CSR's SANs".into() }),
                        );
                    }
                    if !cmp.key_match {
                        self.push(
                            mk(
                                Code::CsrKeyMismatch,
                                Severity::Error,
                                format!("{}'s {} certificate was not issued for its CSR: the public keys differ", h.name, svc),
                            )
                            .remedy("Upload the certificate the CA issued for this CSR (or generate a new CSR and have it signed)")
                            .with_fix(Fix::Reissue { host: hi, service: svc, needs: "the CSR's public key".into() }),
                        );
                    }
                }
                // validity.* on every certificate of the chain.
                for c in &p.chain {
                    let is_leaf = std::ptr::eq(c, leaf);
                    let (code, sev, msg) = if c.not_after() < at {
                        (
                            Code::ValidityExpired,
                            Severity::Error,
                            format!("expired on {}", c.not_after().to_rfc3339()),
                        )
                    } else if c.not_before() > at {
                        (
                            Code::ValidityNotYet,
                            Severity::Error,
                            format!("is not valid until {}", c.not_before().to_rfc3339()),
                        )
                    } else if c.not_after() < at.plus_days(window) {
                        (
                            Code::ValidityExpiring,
                            Severity::Warning,
                            format!(
                                "expires on {} (within {window} days)",
                                c.not_after().to_rfc3339()
                            ),
                        )
                    } else {
                        continue;
                    };
                    if is_leaf {
                        self.reissue.insert((hi, svc));
                    }
                    let what = if is_leaf {
                        format!("{}'s {} certificate", h.name, svc)
                    } else {
                        format!(
                            "CA {} in {}'s {} chain",
                            c.subject().to_rfc4514(),
                            h.name,
                            svc
                        )
                    };
                    let mut f = Finding::new(code, sev, &h.fqdn, format!("{what} {msg}")).cert(c);
                    f.service = Some(svc);
                    f.exporter = Some(h.fqdn.clone());
                    if is_leaf {
                        let days = super::catalog::REGENERATE_VALIDITY_DAYS;
                        f = f
                            .remedy(if leaf.is_self_signed() {
                                format!("Regenerate the self-signed certificate on {} (RSA 2048, SHA-256, {days} days), then re-import it on every importer", h.fqdn)
                            } else {
                                format!("Renew the certificate of {} with its CA", h.fqdn)
                            })
                            .with_fix(reissue_fix("a new validity period"));
                    } else {
                        f = f.remedy("Renew the CA certificate and distribute the new one to every store that trusts it");
                    }
                    self.push(f);
                }
            }
            // iis.sni
            if let Some(b) = &h.iis_binding {
                if !b.host_name.is_empty() || b.sni_required {
                    self.push(
                        Finding::new(
                            Code::IisSni,
                            Severity::Error,
                            &h.fqdn,
                            format!(
                                "the IIS https binding on {} has host name `{}` and SNI {}: CCE Administration cannot load the ECE gadget",
                                h.fqdn,
                                b.host_name,
                                if b.sni_required { "required" } else { "not required" }
                            ),
                        )
                        .remedy("In IIS Manager, edit the https binding: empty host name, clear \"Require Server Name Indication\"")
                        .with_fix(Fix::Configure { host: hi, what: "IIS Manager › Sites › Default Web Site › Bindings › https: empty Host name, clear \"Require Server Name Indication\"".into() }),
                    );
                }
            }
            // pfx.no-private-key
            if self.ev.hosts[hi].shared_pfx_has_key == Some(false) {
                self.push(
                    Finding::new(
                        Code::PfxNoPrivateKey,
                        Severity::Error,
                        &h.fqdn,
                        format!("the certificate shared by the ECE web servers behind the load balancer ({}) holds no private key", h.fqdn),
                    )
                    .remedy("Export the certificate again as PFX with \"Yes, export the private key\" and import it on every web server")
                    .with_fix(Fix::Configure { host: hi, what: "Export the shared certificate as PFX including its private key; import it on each ECE web server".into() }),
                );
            }
        }
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

    fn missing_once(&mut self, host: usize, what: String, f: impl FnOnce() -> Finding) {
        if self.reported_missing.insert((host, what)) {
            let f = f();
            self.push(f);
        }
    }

    fn requirements(&mut self) {
        let inv = self.inv;
        let ca_signed = inv.certificates == CertificateModel::CaSigned;
        for req in REQUIREMENTS {
            if req.condition == Condition::CaSignedOnly && !ca_signed {
                continue;
            }
            let mut done: BTreeSet<(usize, usize, Service)> = BTreeSet::new();
            // The hosts of each side once, so the work is the number of edges, not hosts².
            let exporters: Vec<usize> = (0..inv.hosts.len())
                .filter(|&i| req.exporters.iter().any(|r| inv.hosts[i].has(*r)))
                .collect();
            for (ii, imp) in inv.hosts.iter().enumerate() {
                if !req.importers.iter().any(|r| imp.has(*r)) {
                    continue;
                }
                let store_host = self.store_host(ii, req.store);
                for &ei in &exporters {
                    let exp = &inv.hosts[ei];
                    if ei == ii {
                        continue;
                    }
                    if req.scope == ExporterScope::Publisher && exp.is_subscriber() {
                        continue;
                    }
                    for &(svc, conv) in req.services {
                        if !exp.roles.iter().any(|r| r.info().presents.contains(&svc)) {
                            continue;
                        }
                        if !done.insert((store_host, ei, svc)) {
                            continue; // a subscriber shares its publisher's replicated store
                        }
                        self.edge(req.id, req.why, store_host, ei, svc, req.store, conv);
                    }
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn edge(
        &mut self,
        req: &'static str,
        why: &'static str,
        ii: usize,
        ei: usize,
        svc: Service,
        kind: StoreKind,
        conv: AliasConvention,
    ) {
        let inv = self.inv;
        let ev = self.ev;
        let imp = &inv.hosts[ii];
        let exp = &inv.hosts[ei];
        let chain = ev.hosts[ei].chain(svc);
        let leaf_cn = chain.and_then(|c| c.first()).and_then(|c| c.common_name());
        let mut alias = conv.alias(&exp.fqdn, leaf_cn.as_deref());
        // Two different certificates the same store must hold under one conventional name
        // (CVP's VXML and Call Server certificates share the server's CN, and VVB's uploads
        // are named by CN): the later one gets the service as a suffix, or each import would
        // replace the other and the plan would never converge.
        if let (Some(a), Some(leaf)) = (alias.as_mut(), chain.and_then(|c| c.first())) {
            let key = (ii, kind, a.to_ascii_lowercase());
            match self.alias_claims.get(&key) {
                Some(h) if *h != leaf.sha256() => {
                    a.push('_');
                    a.push_str(svc.key());
                    self.alias_claims
                        .insert((ii, kind, a.to_ascii_lowercase()), leaf.sha256());
                }
                Some(_) => {}
                None => {
                    self.alias_claims.insert(key, leaf.sha256());
                }
            }
        }
        let mut edge = Edge {
            requirement: req,
            importer: ii,
            exporter: ei,
            service: svc,
            store: kind,
            alias: alias.clone(),
            status: EdgeStatus::Unknown,
            code: String::new(),
            reason: String::new(),
        };
        let Some(chain) = chain.filter(|c| !c.is_empty()) else {
            let hev = &ev.hosts[ei];
            if let Some(u) = hev.unreachable.iter().find(|u| u.services.contains(&svc)) {
                // Reported once per host and port by `collection`.
                edge.code = "evidence.unreachable".into();
                edge.reason = format!(
                    "the {svc} certificate of {} could not be collected: {}",
                    exp.fqdn, u.message
                );
            } else if hev.not_collected.is_some() {
                edge.code = "evidence.not-collected".into();
                edge.reason = format!("no {svc} certificate of {} in the evidence", exp.fqdn);
            } else {
                edge.code = "evidence.missing".into();
                edge.reason = format!("no {svc} certificate of {} in the evidence", exp.fqdn);
                self.missing_once(ei, format!("presents:{}", svc.key()), || {
                    Finding::new(
                        Code::EvidenceMissing,
                        Severity::Info,
                        &exp.fqdn,
                        format!("no {svc} certificate of {} is listed, so who trusts it was not checked", exp.fqdn),
                    )
                    .remedy(format!("Export it ({}) and add `{} = \"file\"` under [host.presents]", svc.info().export_hint, svc.key()))
                });
            }
            self.edges.push(edge);
            return;
        };
        let Some(si) = ev.hosts[ii].stores.iter().position(|s| s.kind == kind) else {
            edge.code = "evidence.missing".into();
            edge.reason = format!("no {} of {} in the evidence", kind.info().title, imp.fqdn);
            // `fetch = true` collects what a host presents, never its stores.
            {
                self.missing_once(ii, format!("store:{}", kind.key()), || {
                    Finding::new(
                        Code::EvidenceMissing,
                        Severity::Info,
                        &imp.fqdn,
                        format!(
                            "the {} of {} is not listed, so what it trusts was not checked",
                            kind.info().title,
                            imp.fqdn
                        ),
                    )
                    .remedy(format!(
                        "Copy the store and add a [[host.store]] with kind = \"{}\"",
                        kind.key()
                    ))
                });
            }
            self.edges.push(edge);
            return;
        };
        let store = &ev.hosts[ii].stores[si];
        let client = if kind == StoreKind::BrowserRoot {
            Client::Browser
        } else {
            Client::Java
        };
        let anchors = self.candidate_anchors(ii, si, chain);
        // The same chain judged against the same anchors for the same name gives the same
        // verdict (every AW/ADS holds the same imports): validate each combination once.
        let key = (
            chain
                .iter()
                .chain(anchors.iter())
                .map(|c| c.sha256())
                .collect::<Vec<_>>(),
            chain.len(),
            exp.fqdn.clone(),
            client,
        );
        let d = match self.decisions.get(&key) {
            Some(d) => d.clone(),
            None => {
                let d = decide(chain, &anchors, &exp.fqdn, self.opts.at, client);
                self.decisions.insert(key, d.clone());
                d
            }
        };
        edge.code = d.code.clone();
        edge.reason = d.reason.clone();
        let leaf = &chain[0];
        let label = store_label(store, imp);

        // A stale certificate under the conventional alias (the server's certificate was
        // replaced, the store kept the old one): keytool refuses to import over it.
        let by_alias = self.alias_index.entry((ii, si)).or_insert_with(|| {
            store
                .entries
                .iter()
                .rev() // the first entry of an alias wins, as in by_alias
                .map(|e| (e.alias.to_ascii_lowercase(), e.anchor))
                .collect()
        });
        let stale = alias
            .as_ref()
            .and_then(|a| by_alias.get(&a.to_ascii_lowercase()))
            .and_then(|&i| store.anchors.get(i))
            .filter(|c| {
                c.sha256() != leaf.sha256() && !chain.iter().any(|x| x.sha256() == c.sha256())
            });
        if let (Some(old), Some(a)) = (stale, alias.as_ref()) {
            let mut f = Finding::new(
                Code::StoreStaleAlias,
                if d.trusted { Severity::Warning } else { Severity::Error },
                &imp.fqdn,
                format!(
                    "alias `{a}` in the {label} holds an older certificate of {} ({}), not the one it presents now",
                    exp.fqdn,
                    old.sha256_hex()
                ),
            )
            .cert(old)
            .remedy(format!("Delete alias `{a}` and import the current certificate under it"));
            f.importer = Some(imp.fqdn.clone());
            f.exporter = Some(exp.fqdn.clone());
            f.store = Some(label.clone());
            f.alias = Some(a.clone());
            f.requirement = Some(req);
            if d.trusted || !leaf.is_self_signed() {
                f = f.with_fix(Fix::Delete {
                    host: ii,
                    store: si,
                    alias: a.clone(),
                });
            }
            // When the leaf itself is what is missing, the import below replaces the alias.
            self.push(f);
        }

        // A self-signed certificate that its server will replace must be re-imported here.
        if self.reissue.contains(&(ei, svc)) && leaf.is_self_signed() {
            if let Some(a) = alias.clone() {
                let fix = Fix::ImportAfterReissue {
                    host: ii,
                    store: Some(si),
                    kind,
                    alias: a,
                    exporter: ei,
                    service: svc,
                };
                if let Some(f) = self.findings.iter_mut().find(|f| {
                    f.exporter.as_deref() == Some(exp.fqdn.as_str())
                        && f.service == Some(svc)
                        && f.fix
                            .iter()
                            .any(|x| matches!(x, Fix::Regenerate { .. } | Fix::Reissue { .. }))
                }) {
                    f.fix.push(fix);
                }
            }
        }
        if d.trusted {
            // UCCX's Java client rejects a CUCM chain with any other extension marked
            // critical, whatever the chain otherwise says (the finding is the exporter's
            // `ext.critical-unsupported`; the edge shows the failed handshake).
            if ONLY_KU_BC_CRITICAL.contains(&req) {
                let bad: Vec<String> = chain.iter().flat_map(uccx_rejected_critical).collect();
                if !bad.is_empty() {
                    let bad = bad.join(", ");
                    edge.status = EdgeStatus::Failed;
                    edge.code = Code::ExtCriticalUnsupported.as_str().into();
                    edge.reason = format!(
                        "{} rejects the chain of {}: {bad} marked critical (only keyUsage and basicConstraints may be)",
                        imp.fqdn, exp.fqdn
                    );
                    self.edges.push(edge);
                    return;
                }
            }
            edge.status = EdgeStatus::Trusted;
            self.edges.push(edge);
            return;
        }

        // Anchored: the store already holds the leaf or an issuer of the chain. Then the
        // failure is the certificate's own (expired, wrong name…), reported by the rules.
        let anchored = !anchors.is_empty()
            && chain.iter().any(|c| {
                store.contains(c)
                    || anchors.iter().any(|a| {
                        a.subject().der() == c.issuer().der() && c.verify_signed_by(a).is_ok()
                    })
            });
        if anchored {
            edge.status = EdgeStatus::Failed;
            self.edges.push(edge);
            return;
        }
        edge.status = EdgeStatus::Untrusted;
        let mut f = Finding::new(
            Code::ChainUntrusted,
            Severity::Error,
            &imp.fqdn,
            String::new(),
        )
        .cert(leaf);
        f.importer = Some(imp.fqdn.clone());
        f.exporter = Some(exp.fqdn.clone());
        f.service = Some(svc);
        f.store = Some(label.clone());
        f.alias = alias.clone();
        f.requirement = Some(req);

        if leaf.is_self_signed() || (chain.len() == 1 && leaf.is_self_issued()) {
            f.message = format!(
                "{} does not trust {}'s self-signed {} certificate: its {label} lacks it ({why}; Java reports \"PKIX path building failed\")",
                imp.name, exp.fqdn, svc
            );
            let alias = alias.unwrap_or_else(|| exp.fqdn.clone());
            if self.reissue.contains(&(ei, svc)) {
                f.remediation = format!("After {} regenerates or re-issues its {svc} certificate, import the new one on {} as `{alias}`", exp.fqdn, imp.fqdn);
                f = f.with_fix(Fix::ImportAfterReissue {
                    host: ii,
                    store: Some(si),
                    kind,
                    alias,
                    exporter: ei,
                    service: svc,
                });
            } else {
                f.remediation = format!(
                    "Import {}'s {svc} certificate into the {label} as `{alias}`",
                    exp.fqdn
                );
                let replace = stale.is_some();
                f = f.with_fix(Fix::Import {
                    host: ii,
                    store: si,
                    kind,
                    alias,
                    cert: Box::new(leaf.clone()),
                    role: CertRole::Leaf,
                    replace,
                });
            }
            self.push(f);
            self.edges.push(edge);
            return;
        }

        // CA-signed: find the CAs the store needs (root and any intermediates the server does
        // not send), from the presented chain and the deployment's CA files.
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
            f.message = format!(
                "{} does not trust {}'s {} certificate issued by {}: its {label} lacks the issuing CA ({why}; Java reports \"PKIX path building failed\")",
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
                host: ii,
                what: format!(
                    "Obtain the root CA of {} and import it",
                    leaf.issuer().to_rfc4514()
                ),
            });
        } else {
            // Root first, then intermediates downwards: the VOS upload order.
            let mut imports = Vec::new();
            for (i, c) in path.iter().enumerate().skip(1).rev() {
                let needs = c.is_self_signed() || from_files[i];
                if needs && !store.contains(c) {
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
        self.edges.push(edge);
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

    /// Store hygiene and type.
    fn stores(&mut self) {
        // Conventional aliases every store should use, from the trust edges.
        let mut conventional: BTreeMap<(usize, StoreKind), BTreeSet<String>> = BTreeMap::new();
        for e in &self.edges {
            if let Some(a) = &e.alias {
                conventional
                    .entry((e.importer, e.store))
                    .or_default()
                    .insert(a.to_ascii_lowercase());
            }
        }
        let relied = ReliedOn::new(self.ev);
        for (hi, h) in self.inv.hosts.iter().enumerate() {
            for s in &self.ev.hosts[hi].stores {
                let label = store_label(s, h);
                let sref = &h.stores[s.index];
                // store.wrong-type: CVP's keystore is JCEKS; opened as anything else it is corrupted.
                let expected = s.kind.info().format;
                let declared = sref.format;
                let wrong = match (expected, declared) {
                    (StoreFormat::Jceks, Some(d)) if d != StoreFormat::Jceks => {
                        Some(format!("declared as {}", d.key()))
                    }
                    (StoreFormat::Jceks, _)
                        if s.format != StoreFormat::Jceks && s.format != StoreFormat::PemFolder =>
                    {
                        Some(format!("the file is {}", s.format.key()))
                    }
                    _ => None,
                };
                if let Some(why) = wrong {
                    let mut f = Finding::new(
                        Code::StoreWrongType,
                        Severity::Error,
                        &h.fqdn,
                        format!("the {label} must be handled as JCEKS, but {why}: opening it as JKS or PKCS12 with keytool corrupts it"),
                    )
                    .remedy("Pass -storetype JCEKS to every keytool command on the CVP keystore (and restore the backup if it was rewritten)")
                    .with_fix(Fix::Configure { host: hi, what: "Use -storetype JCEKS for every keytool command on the CVP keystore; restore the backup if another type rewrote it".into() });
                    f.store = Some(label.clone());
                    self.push(f);
                }
                self.store_validity(hi, s, &label, &relied);
                // store.duplicate: the same certificate under two aliases, or aliases that
                // keytool's lower-casing makes collide.
                let conv = conventional.get(&(hi, s.kind)).cloned().unwrap_or_default();
                let mut by_hash: BTreeMap<[u8; 32], Vec<&str>> = BTreeMap::new();
                for e in &s.entries {
                    if let Some(c) = s.anchors.get(e.anchor) {
                        by_hash.entry(c.sha256()).or_default().push(&e.alias);
                    }
                }
                for (hash, aliases) in by_hash {
                    if aliases.len() < 2 {
                        continue;
                    }
                    let keep = aliases
                        .iter()
                        .find(|a| conv.contains(&a.to_ascii_lowercase()))
                        .copied()
                        .unwrap_or(aliases[0]);
                    let Some(cert) = s
                        .entries
                        .iter()
                        .find(|e| e.alias == keep)
                        .and_then(|e| s.anchors.get(e.anchor))
                    else {
                        continue;
                    };
                    for extra in aliases.iter().filter(|a| **a != keep) {
                        let mut f = Finding::new(
                            Code::StoreDuplicate,
                            Severity::Warning,
                            &h.fqdn,
                            format!("the {label} holds the same certificate under `{keep}` and `{extra}`: replacing one later leaves the other behind"),
                        )
                        .cert(cert)
                        .remedy(format!("Delete alias `{extra}` (keep `{keep}`)"))
                        .with_fix(Fix::Delete { host: hi, store: s.index, alias: extra.to_string() });
                        f.store = Some(label.clone());
                        f.alias = Some(extra.to_string());
                        let _ = hash;
                        self.push(f);
                    }
                }
                let mut lower: BTreeMap<String, Vec<&str>> = BTreeMap::new();
                for e in &s.entries {
                    lower
                        .entry(e.alias.to_ascii_lowercase())
                        .or_default()
                        .push(&e.alias);
                }
                for (l, v) in lower {
                    let distinct: BTreeSet<&&str> = v.iter().collect();
                    if distinct.len() > 1 {
                        let mut f = Finding::new(
                            Code::StoreDuplicate,
                            Severity::Warning,
                            &h.fqdn,
                            format!(
                                "the {label} has aliases {} that keytool lower-cases into the same `{l}`",
                                v.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(" and ")
                            ),
                        )
                        .remedy("Rename or delete all but one of them");
                        f.store = Some(label.clone());
                        f.alias = Some(l);
                        self.push(f);
                    }
                }
            }
        }
    }
}

/// What the deployment relies on in its stores: the certificates its hosts present (their
/// validity is reported on the host that presents them, with the fix there) and, by issuer
/// name, which presented certificates a store entry may have issued.
struct ReliedOn<'e> {
    presented: HashSet<[u8; 32]>,
    /// Issuer DER → (presenting host, service, certificate).
    by_issuer: HashMap<Vec<u8>, Vec<(usize, Service, &'e Certificate)>>,
    /// The deployment's CA files (`[deployment] ca`).
    ca: HashSet<[u8; 32]>,
}

impl<'e> ReliedOn<'e> {
    fn new(ev: &'e Evidence) -> ReliedOn<'e> {
        let mut presented = HashSet::new();
        let mut by_issuer: HashMap<Vec<u8>, Vec<(usize, Service, &'e Certificate)>> =
            HashMap::new();
        for (hi, hev) in ev.hosts.iter().enumerate() {
            for p in &hev.presented {
                for c in &p.chain {
                    presented.insert(c.sha256());
                    by_issuer
                        .entry(c.issuer().der().to_vec())
                        .or_default()
                        .push((hi, p.service, c));
                }
            }
        }
        let ca = ev.ca.iter().map(|c| c.sha256()).collect();
        ReliedOn {
            presented,
            by_issuer,
            ca,
        }
    }

    /// The presented certificates `ca` signed: (host, service), each once.
    fn issued_by(&self, ca: &Certificate) -> Vec<(usize, Service)> {
        let mut out: Vec<(usize, Service)> = self
            .by_issuer
            .get(ca.subject().der())
            .into_iter()
            .flatten()
            .filter(|(_, _, c)| c.verify_signed_by(ca).is_ok())
            .map(|(h, s, _)| (*h, *s))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

impl Auditor<'_> {
    /// Store hygiene, validity: a certificate in a store that the deployment relies on (a
    /// deployment CA, or the issuer of a certificate some host presents) that has expired or
    /// expires within the window. A server's own certificate is reported on that server (the
    /// fix is there); certificates nothing in the deployment chains to (the JRE's public roots)
    /// are left alone, so a stock `cacerts` does not bury the report.
    fn store_validity(&mut self, hi: usize, s: &StoreContents, label: &str, relied: &ReliedOn<'_>) {
        let at = self.opts.at;
        let window = i64::from(self.opts.expiring_days);
        let h = &self.inv.hosts[hi];
        let mut seen: BTreeSet<[u8; 32]> = BTreeSet::new();
        for e in &s.entries {
            let Some(c) = s.anchors.get(e.anchor) else {
                continue;
            };
            let expired = c.not_after() < at;
            if !expired && c.not_after() >= at.plus_days(window) {
                continue;
            }
            let hash = c.sha256();
            if relied.presented.contains(&hash) || !seen.insert(hash) {
                continue;
            }
            let issued = relied.issued_by(c);
            if issued.is_empty() && !relied.ca.contains(&hash) {
                continue;
            }
            let when = c.not_after().to_rfc3339();
            let subject = c.subject().to_rfc4514();
            let anchors = if issued.is_empty() {
                "it is one of the deployment's CA certificates".to_string()
            } else {
                format!(
                    "it issued the certificates of {}",
                    issued
                        .iter()
                        .map(|(x, svc)| format!("{} {}", self.inv.hosts[*x].fqdn, svc.key()))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let (code, severity, msg) = if expired {
                // Java takes a trust anchor as it is and never checks its dates; a browser does.
                let (sev, effect) = if s.kind == StoreKind::BrowserRoot {
                    (
                        Severity::Error,
                        "the browser no longer trusts what it issued",
                    )
                } else {
                    (Severity::Warning, "Java takes a trust anchor as it is, so connections from this store still work, but clients that check an anchor's dates (OpenSSL, for one) reject what it issued")
                };
                (
                    Code::ValidityExpired,
                    sev,
                    format!(
                        "`{}` ({subject}) in the {label} expired on {when}; {anchors}: {effect}",
                        e.alias
                    ),
                )
            } else {
                (
                    Code::ValidityExpiring,
                    Severity::Warning,
                    format!(
                        "`{}` ({subject}) in the {label} expires on {when} (within {window} days); {anchors}",
                        e.alias
                    ),
                )
            };
            let mut f = Finding::new(code, severity, &h.fqdn, msg)
                .cert(c)
                .remedy(format!(
                    "Obtain the CA's renewed certificate and import it into the {label}, and wherever else the old one is trusted"
                ))
                .with_fix(Fix::Configure {
                    host: hi,
                    what: format!(
                        "Replace `{}` ({subject}, valid until {when}) in the {} with the CA's renewed certificate",
                        e.alias,
                        s.kind.info().title
                    ),
                });
            f.store = Some(label.to_string());
            f.alias = Some(e.alias.clone());
            self.push(f);
        }
    }
}

/// The critical extensions of `cert` that UCCX does not accept (anything but keyUsage and
/// basicConstraints), named.
fn uccx_rejected_critical(cert: &Certificate) -> Vec<String> {
    cert.extension_list()
        .iter()
        .filter(|e| e.critical && !UCCX_ALLOWED_CRITICAL.contains(&e.oid.to_string().as_str()))
        .map(|e| {
            e.name
                .map(str::to_string)
                .unwrap_or_else(|| e.oid.to_string())
        })
        .collect()
}
