//! Store hygiene: what is wrong with a store itself, whatever it must trust — the wrong type
//! (CVP's JCEKS opened as anything else), the same certificate under two aliases or aliases
//! keytool lower-cases into one, and the validity of the CA entries the deployment relies on.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::Certificate;

use super::super::catalog::{Service, StoreFormat, StoreKind};
use super::super::evidence::{Evidence, StoreContents};
use super::super::finding::{Code, Finding, Fix, Severity};
use super::{store_label, Auditor};
use crate::shell::{cmd_unsafe, escape_control};

impl Auditor<'_> {
    /// Store hygiene and type.
    pub(super) fn stores(&mut self) {
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

impl Auditor<'_> {
    /// `store.unsafe-alias`: every alias a plan command would have to print (a delete, an
    /// import under a store's alias or under one derived from a certificate's CN) that
    /// `cmd.exe` cannot quote safely ([`cmd_unsafe`]). The plan gives a manual step for it
    /// instead of a command; this finding says why, once per host, store and alias.
    pub(super) fn unsafe_aliases(&mut self) {
        let mut seen: BTreeSet<(usize, Option<usize>, String)> = BTreeSet::new();
        let mut out = Vec::new();
        for f in &self.findings {
            for fix in &f.fix {
                let (host, store, alias) = match fix {
                    Fix::Import {
                        host, store, alias, ..
                    }
                    | Fix::Replicate {
                        host, store, alias, ..
                    }
                    | Fix::Delete { host, store, alias } => (*host, Some(*store), alias),
                    Fix::ImportAfterReissue {
                        host, store, alias, ..
                    } => (*host, *store, alias),
                    _ => continue,
                };
                let Some(why) = cmd_unsafe(alias) else {
                    continue;
                };
                if seen.insert((host, store, alias.clone())) {
                    out.push(self.unsafe_alias(host, store, alias, why, f.code));
                }
            }
        }
        self.findings.extend(out);
    }

    fn unsafe_alias(
        &self,
        hi: usize,
        store: Option<usize>,
        alias: &str,
        why: &str,
        code: Code,
    ) -> Finding {
        let h = &self.inv.hosts[hi];
        let contents = store.and_then(|i| self.ev.hosts[hi].stores.iter().find(|s| s.index == i));
        let label = contents
            .map(|s| store_label(s, h))
            .unwrap_or_else(|| format!("store on {}", h.fqdn));
        let shown = escape_control(alias);
        let mut f = Finding::new(
            Code::StoreUnsafeAlias,
            Severity::Warning,
            &h.fqdn,
            format!(
                "alias `{shown}` in the {label} cannot go into a cmd.exe command ({why}): the plan gives a manual step for it instead of a command (for {code})"
            ),
        )
        .remedy(format!(
            "Carry out that step by hand with a keystore editor or the server's own console; for a name taken from a certificate's CN, import it under a name of letters, digits, `.`, `-` and `_` instead of `{shown}`"
        ));
        f.store = Some(label);
        f.alias = Some(alias.to_string());
        f
    }
}
