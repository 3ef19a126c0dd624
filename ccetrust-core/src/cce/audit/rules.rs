//! The rules of `CCE-TRUST.md` §3 that a certificate must meet, one function per rule, each
//! listed with the finding code it reports in [`CERTIFICATE_RULES`] (rules on what a host
//! presents) or [`HOST_RULES`] (rules on a host's configuration). Adding a rule is one function
//! and one row; the tests hold every row to a deployment that breaks it ([`rule_codes`]).

use crate::{Certificate, CertificateRequest, Timestamp};

use super::super::catalog::{
    browser_facing, KeyPolicy, Requirement, Service, CLIENT_SERVER_EKU, EXPORTER_IS_CLIENT,
    ONLY_KU_BC_CRITICAL, REGENERATE_VALIDITY_DAYS, REQUIREMENTS, UCCX_ALLOWED_CRITICAL,
};
use super::super::evidence::{names, names_host, HostEvidence, Presented};
use super::super::finding::{Code, Finding, Fix, Severity};
use super::super::inventory::{Host, Inventory};
use super::{AuditOptions, Auditor};

/// One presented chain, with what the rules need to judge it.
pub struct Subject<'a> {
    hi: usize,
    host: &'a Host,
    inv: &'a Inventory,
    service: Service,
    chain: &'a [Certificate],
    leaf: &'a Certificate,
    csr: Option<&'a CertificateRequest>,
    policy: &'a KeyPolicy,
    at: Timestamp,
    window: i64,
    /// An importer of this certificate accepts only keyUsage and basicConstraints as critical.
    critical_checked: bool,
    /// The certificate authenticates both as a TLS server and client (CTI mutual TLS).
    needs_both_eku: bool,
}

/// What the rules found on one subject.
#[derive(Default)]
pub struct Found {
    findings: Vec<Finding>,
    /// The certificate must be regenerated or re-issued: importing it as it is would be
    /// wasted work.
    reissue: bool,
}

/// A rule on one presented chain.
pub type CertificateRule = fn(&Subject<'_>, &mut Found);

/// A rule on one host's configuration.
pub type HostRule = fn(usize, &Host, &HostEvidence, &mut Found);

/// Every rule on a presented chain, with the code it reports, in report order.
const CERTIFICATE_RULES: &[(Code, CertificateRule)] = &[
    (Code::NameMismatch, name_mismatch),
    (Code::NameCnNotInSan, name_cn_not_in_san),
    (Code::KeyTooSmall, key_too_small),
    (Code::KeyAlgorithm, key_algorithm),
    (Code::SigWeakHash, sig_weak_hash),
    (Code::ExtCriticalUnsupported, ext_critical_unsupported),
    (Code::EkuMissingClientServer, eku_missing_client_server),
    (Code::CsrSanMismatch, csr_san_mismatch),
    (Code::CsrKeyMismatch, csr_key_mismatch),
    (Code::ValidityExpired, validity_expired),
    (Code::ValidityNotYet, validity_not_yet),
    (Code::ValidityExpiring, validity_expiring),
];

/// Every rule on a host's configuration, with the code it reports.
const HOST_RULES: &[(Code, HostRule)] = &[
    (Code::IisSni, iis_sni),
    (Code::PfxNoPrivateKey, pfx_no_private_key),
];

/// The codes of every rule of the tables, certificate rules first: what the tests must break.
pub fn rule_codes() -> impl Iterator<Item = Code> {
    CERTIFICATE_RULES
        .iter()
        .map(|(c, _)| *c)
        .chain(HOST_RULES.iter().map(|(c, _)| *c))
}

impl Auditor<'_> {
    /// Every rule of the tables on every presented chain and every host.
    pub(super) fn certificates(&mut self) {
        let policy = KeyPolicy::for_product(self.inv.product, self.inv.version);
        let scope = RuleScope::new(self.inv);
        for (hi, h) in self.inv.hosts.iter().enumerate() {
            let hev = &self.ev.hosts[hi];
            for p in &hev.presented {
                let Some(s) = Subject::new(hi, h, hev, p, self.inv, &policy, self.opts, &scope)
                else {
                    continue;
                };
                let mut found = Found::default();
                for (_, rule) in CERTIFICATE_RULES {
                    rule(&s, &mut found);
                }
                if found.reissue {
                    self.reissue.insert((hi, p.service));
                }
                self.findings.extend(found.findings);
            }
            let mut found = Found::default();
            for (_, rule) in HOST_RULES {
                rule(hi, h, hev, &mut found);
            }
            self.findings.extend(found.findings);
        }
    }
}

/// Which role-bound rules the deployment's roles switch on.
struct RuleScope {
    /// The requirements whose importer rejects critical extensions other than KU/BC, where
    /// the deployment has such an importer: their exporters' chains are checked.
    critical_only: Vec<&'static Requirement>,
    /// A CTI server is in the deployment: its certificates and Finesse's need both EKUs.
    mutual_tls: bool,
}

impl RuleScope {
    fn new(inv: &Inventory) -> RuleScope {
        let critical_only = ONLY_KU_BC_CRITICAL
            .iter()
            .filter_map(|id| Requirement::by_id(id))
            .filter(|r| {
                inv.hosts
                    .iter()
                    .any(|h| r.importers.iter().any(|i| h.has(*i)))
            })
            .collect();
        let mutual_tls = inv.hosts.iter().any(|h| h.has(CLIENT_SERVER_EKU.when));
        RuleScope {
            critical_only,
            mutual_tls,
        }
    }
}

impl<'a> Subject<'a> {
    #[allow(clippy::too_many_arguments)]
    fn new(
        hi: usize,
        host: &'a Host,
        hev: &'a HostEvidence,
        p: &'a Presented,
        inv: &'a Inventory,
        policy: &'a KeyPolicy,
        opts: &AuditOptions,
        scope: &RuleScope,
    ) -> Option<Subject<'a>> {
        let leaf = p.chain.first()?;
        let svc = p.service;
        let critical_checked = scope.critical_only.iter().any(|r| {
            r.exporters.iter().any(|e| host.has(*e)) && r.services.iter().any(|(s, _)| *s == svc)
        });
        let needs_both_eku = scope.mutual_tls
            && CLIENT_SERVER_EKU
                .certificates
                .iter()
                .any(|(r, s)| *s == svc && host.has(*r));
        Some(Subject {
            hi,
            host,
            inv,
            service: svc,
            chain: &p.chain,
            leaf,
            csr: hev.csrs.iter().find(|(s, _)| *s == svc).map(|(_, c)| c),
            policy,
            at: opts.at,
            window: i64::from(opts.expiring_days),
            critical_checked,
            needs_both_eku,
        })
    }

    /// A finding on the leaf, with the exporter and service set.
    fn finding(&self, code: Code, severity: Severity, message: String) -> Finding {
        self.finding_on(self.leaf, code, severity, message)
    }

    /// A finding on one certificate of the chain, with the exporter and service set.
    fn finding_on(
        &self,
        c: &Certificate,
        code: Code,
        severity: Severity,
        message: String,
    ) -> Finding {
        let mut f = Finding::new(code, severity, &self.host.fqdn, message).cert(c);
        f.service = Some(self.service);
        f.exporter = Some(self.host.fqdn.clone());
        f
    }

    /// What fixes the leaf: CVP and self-signed VOS certificates are regenerated on their
    /// server; anything else is re-issued with `needs`.
    fn reissue_fix(&self, needs: &str) -> Fix {
        if self.service.info().own_alias.is_some()
            || (self.service == Service::Tomcat && self.leaf.is_self_signed())
        {
            Fix::Regenerate {
                host: self.hi,
                service: self.service,
            }
        } else {
            Fix::Reissue {
                host: self.hi,
                service: self.service,
                needs: needs.to_string(),
                renews: None,
            }
        }
    }

    /// What renews the leaf when only its validity is wrong: a regeneration (as
    /// [`Self::reissue_fix`]) or, for a CA-signed certificate, a renewal that repeats its
    /// SANs, EKU and key.
    fn renew_fix(&self) -> Fix {
        match self.reissue_fix("a new validity period") {
            Fix::Reissue {
                host,
                service,
                needs,
                ..
            } if !self.leaf.is_self_signed() => Fix::Reissue {
                host,
                service,
                needs,
                renews: Some(Box::new(self.leaf.clone())),
            },
            other => other,
        }
    }
}

impl Found {
    /// A finding whose fix is a new leaf.
    fn reissue(&mut self, f: Finding) {
        self.reissue = true;
        self.findings.push(f);
    }
}

/// `name.mismatch`: no name a Java client reads matches the configured FQDN — a DNS SAN when
/// the certificate has any (JSSE, like every browser, ignores the CN then; RFC 6125 §6.4.4),
/// else the CN. The message names the clients of the deployment that fail.
fn name_mismatch(s: &Subject<'_>, out: &mut Found) {
    let (h, svc, leaf) = (s.host, s.service, s.leaf);
    if names_host(leaf, &h.fqdn) {
        return;
    }
    let dns = leaf.subject_alt_names().dns;
    let cn = leaf.common_name();
    let clients = clients_of(s.inv, h, svc);
    let message = match cn.as_deref() {
        Some(cn) if !dns.is_empty() && names(cn, &h.fqdn) => format!(
            "{}'s {} certificate has DNS SANs [{}] without its FQDN {}; its CN names it, but Java clients ignore the CN when a DNS SAN is present, as browsers do: {clients} fail the hostname check",
            h.name,
            svc,
            dns.join(", "),
            h.fqdn
        ),
        _ => {
            let mut presented: Vec<String> = cn.into_iter().chain(dns).collect();
            presented.sort_by_key(|n| n.to_ascii_lowercase());
            presented.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
            format!(
                "{}'s {} certificate is issued to [{}], not to the configured FQDN {}: {clients} fail the hostname check",
                h.name,
                svc,
                presented.join(", "),
                h.fqdn
            )
        }
    };
    let needs = format!("CN={} with DNS SAN {}", h.fqdn, h.fqdn);
    out.reissue(
        s.finding(Code::NameMismatch, Severity::Error, message)
            .remedy(format!("Re-issue the {svc} certificate on {} with {needs}, then re-import it where it is trusted", h.fqdn))
            .with_fix(s.reissue_fix(&needs)),
    );
}

/// Who reaches `svc` of `h` by its FQDN, from the requirements whose importers the deployment
/// has: "AW/ADS (CCE Administration configures the VOS applications over HTTPS)"… A
/// requirement whose exporter is the TLS client checks no name and is left out.
fn clients_of(inv: &Inventory, h: &Host, svc: Service) -> String {
    let mut out: Vec<String> = Vec::new();
    for r in REQUIREMENTS {
        let concerned = r.exporters.iter().any(|e| h.has(*e))
            && r.services.iter().any(|(x, _)| *x == svc)
            && !EXPORTER_IS_CLIENT.contains(&r.id);
        if !concerned {
            continue;
        }
        let present: Vec<&str> = r
            .importers
            .iter()
            .filter(|i| inv.hosts.iter().any(|o| o.has(**i)))
            .map(|i| i.info().title)
            .collect();
        if !present.is_empty() {
            let c = format!("{} ({})", present.join(", "), r.why);
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    if out.is_empty() {
        "every Java client and browser that reaches it by FQDN".to_string()
    } else {
        out.join("; ")
    }
}

/// `name.cn-not-in-san`: the FQDN matches only through the CN (no DNS SAN at all). Java
/// clients accept it; browsers (Chrome 58+) ignore the CN and refuse it.
fn name_cn_not_in_san(s: &Subject<'_>, out: &mut Found) {
    let (h, svc) = (s.host, s.service);
    let Some(cn) = s.leaf.common_name() else {
        return;
    };
    if !s.leaf.subject_alt_names().dns.is_empty() || !names(&cn, &h.fqdn) {
        return;
    }
    let needs = format!("DNS SAN {cn} repeating the CN");
    let browser_facing = h.roles.iter().any(|r| browser_facing(*r, svc));
    out.reissue(
        s.finding(
            Code::NameCnNotInSan,
            if browser_facing { Severity::Error } else { Severity::Warning },
            format!(
                "{}'s {} certificate names {} only in its CN {cn} and has no DNS subjectAltName: Java clients accept it, but browsers (Chrome 58+) ignore the CN and show NET::ERR_CERT_COMMON_NAME_INVALID",
                h.name, svc, h.fqdn
            ),
        )
        .remedy(format!("Re-issue the certificate on {} with the CN repeated as a DNS SAN", h.fqdn))
        .with_fix(s.reissue_fix(&needs)),
    );
}

/// `key.too-small`: an RSA key outside what the product version accepts.
fn key_too_small(s: &Subject<'_>, out: &mut Found) {
    let key = s.leaf.public_key();
    if key.algorithm != "RSA" {
        return;
    }
    let bits = key.bits.unwrap_or(0);
    let bad = match s.policy.allowed_rsa_bits {
        Some(allowed) => !allowed.contains(&bits),
        None => bits < s.policy.min_rsa_bits,
    };
    if !bad {
        return;
    }
    out.reissue(
        s.finding(
            Code::KeyTooSmall,
            Severity::Error,
            format!(
                "{}'s {} certificate has an RSA {bits}-bit key: {}",
                s.host.name, s.service, s.policy.source
            ),
        )
        .remedy(format!(
            "Re-issue the certificate on {} with an RSA 2048-bit key",
            s.host.fqdn
        ))
        .with_fix(s.reissue_fix("an RSA 2048-bit key")),
    );
}

/// `key.algorithm`: a key other than RSA where the product version accepts only RSA.
fn key_algorithm(s: &Subject<'_>, out: &mut Found) {
    let key = s.leaf.public_key();
    // The release's ECDSA support is per role (`ECDSA_SUPPORT` in the catalog).
    let ecdsa_ok = s
        .host
        .roles
        .iter()
        .any(|r| s.policy.accepts_ecdsa(*r, s.service));
    if key.algorithm == "RSA" || ecdsa_ok {
        return;
    }
    out.reissue(
        s.finding(
            Code::KeyAlgorithm,
            Severity::Error,
            format!(
                "{}'s {} certificate has a {} key; {} {} accepts only RSA here",
                s.host.name,
                s.service,
                key.describe(),
                s.inv.product.key().to_uppercase(),
                s.inv.version
            ),
        )
        .remedy(format!(
            "Re-issue the certificate on {} with an RSA 2048-bit key",
            s.host.fqdn
        ))
        .with_fix(s.reissue_fix("an RSA 2048-bit key")),
    );
}

/// `sig.weak-hash`: the leaf and every CA it was issued by (a root's own signature is not
/// relied on, unless the root is the leaf itself).
fn sig_weak_hash(s: &Subject<'_>, out: &mut Found) {
    let (h, svc) = (s.host, s.service);
    for (i, c) in s.chain.iter().enumerate() {
        if i > 0 && c.is_self_signed() {
            continue;
        }
        let alg = c.signature_algorithm().to_ascii_lowercase();
        if !(alg.contains("sha1") || alg.contains("md5") || alg.contains("md2")) {
            continue;
        }
        let f = s
            .finding_on(
                c,
                Code::SigWeakHash,
                Severity::Error,
                format!(
                    "{}'s {} chain: {} is signed with {}; 12.5 and VOS require SHA-256",
                    h.name,
                    svc,
                    c.subject().to_rfc4514(),
                    c.signature_algorithm()
                ),
            )
            .remedy(if i == 0 {
                format!("Re-issue the certificate on {} signed with SHA-256", h.fqdn)
            } else {
                "Have the CA re-issue its intermediate with SHA-256, then re-issue the server certificate".to_string()
            });
        if i == 0 {
            out.reissue(f.with_fix(s.reissue_fix("a SHA-256 signature")));
        } else {
            out.findings.push(f);
        }
    }
}

/// `ext.critical-unsupported`: UCCX trusts CUCM's tomcat only with KU/BC critical.
fn ext_critical_unsupported(s: &Subject<'_>, out: &mut Found) {
    if !s.critical_checked {
        return;
    }
    for c in s.chain {
        let bad = uccx_rejected_critical(c);
        if bad.is_empty() {
            continue;
        }
        out.reissue(
            s.finding_on(
                c,
                Code::ExtCriticalUnsupported,
                Severity::Error,
                format!(
                    "CUCM {}'s tomcat chain has {} marked critical in {}: UCCX fails with SSLHandshakeException (agents get \"Invalid User ID/Password\")",
                    s.host.name,
                    bad.join(", "),
                    c.subject().to_rfc4514()
                ),
            )
            .remedy("Re-issue with only keyUsage and basicConstraints marked critical")
            .with_fix(s.reissue_fix("only keyUsage and basicConstraints marked critical")),
        );
    }
}

/// `eku.missing-client-server`: the CTI server and Finesse authenticate each other.
fn eku_missing_client_server(s: &Subject<'_>, out: &mut Found) {
    if !s.needs_both_eku {
        return;
    }
    let eku = s.leaf.extended_key_usage();
    let has = |n: &str| eku.iter().any(|e| e == n);
    if eku.is_empty() || has("serverAuth") && has("clientAuth") {
        return;
    }
    out.reissue(
        s.finding(
            Code::EkuMissingClientServer,
            Severity::Error,
            format!(
                "{}'s {} certificate allows [{}]; CTI server and Finesse certificates need both serverAuth and clientAuth",
                s.host.name,
                s.service,
                eku.join(", ")
            ),
        )
        .remedy("Re-issue it from a CA template with both client and server authentication")
        .with_fix(s.reissue_fix("extendedKeyUsage serverAuth and clientAuth")),
    );
}

/// `csr.san-mismatch`: what VOS checks at upload, the CSR's SANs exactly.
fn csr_san_mismatch(s: &Subject<'_>, out: &mut Found) {
    let Some(csr) = s.csr else { return };
    let cmp = csr.compare(s.leaf);
    if cmp.san_added.is_empty() && cmp.san_missing.is_empty() {
        return;
    }
    out.findings.push(
        s.finding(
            Code::CsrSanMismatch,
            Severity::Error,
            format!(
                "{}'s {} certificate does not carry its CSR's SANs (added by the CA: [{}]; missing: [{}]): VOS refuses the upload with \"CSR SAN and Certificate SAN does not match\"",
                s.host.name,
                s.service,
                cmp.san_added.join(", "),
                cmp.san_missing.join(", ")
            ),
        )
        .remedy("Have the CA sign the CSR without adding SANs (generate the CSR with an empty parent domain)")
        .with_fix(Fix::Reissue { host: s.hi, service: s.service, needs: "exactly the CSR's SANs".into(), renews: None }),
    );
}

/// `csr.key-mismatch`: the certificate's public key is not the CSR's.
fn csr_key_mismatch(s: &Subject<'_>, out: &mut Found) {
    let Some(csr) = s.csr else { return };
    if csr.compare(s.leaf).key_match {
        return;
    }
    out.findings.push(
        s.finding(
            Code::CsrKeyMismatch,
            Severity::Error,
            format!("{}'s {} certificate was not issued for its CSR: the public keys differ", s.host.name, s.service),
        )
        .remedy("Upload the certificate the CA issued for this CSR (or generate a new CSR and have it signed)")
        .with_fix(Fix::Reissue { host: s.hi, service: s.service, needs: "the CSR's public key".into(), renews: None }),
    );
}

/// `validity.expired` on every certificate of the chain.
fn validity_expired(s: &Subject<'_>, out: &mut Found) {
    for c in s.chain {
        if c.not_after() < s.at {
            let msg = format!("expired on {}", c.not_after().to_rfc3339());
            validity(s, c, Code::ValidityExpired, Severity::Error, &msg, out);
        }
    }
}

/// `validity.not-yet` on every certificate of the chain (one that has not also expired).
fn validity_not_yet(s: &Subject<'_>, out: &mut Found) {
    for c in s.chain {
        if c.not_after() >= s.at && c.not_before() > s.at {
            let msg = format!("is not valid until {}", c.not_before().to_rfc3339());
            validity(s, c, Code::ValidityNotYet, Severity::Error, &msg, out);
        }
    }
}

/// `validity.expiring` on every certificate of the chain valid now.
fn validity_expiring(s: &Subject<'_>, out: &mut Found) {
    for c in s.chain {
        let valid_now = c.not_after() >= s.at && c.not_before() <= s.at;
        if valid_now && c.not_after() < s.at.plus_days(s.window) {
            let msg = format!(
                "expires on {} (within {} days)",
                c.not_after().to_rfc3339(),
                s.window
            );
            validity(s, c, Code::ValidityExpiring, Severity::Warning, &msg, out);
        }
    }
}

/// The finding of the `validity.*` rules: on the leaf, a new certificate; on a CA, its renewal.
fn validity(
    s: &Subject<'_>,
    c: &Certificate,
    code: Code,
    sev: Severity,
    msg: &str,
    out: &mut Found,
) {
    let (h, svc, leaf) = (s.host, s.service, s.leaf);
    let is_leaf = std::ptr::eq(c, leaf);
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
    let f = s.finding_on(c, code, sev, format!("{what} {msg}"));
    if is_leaf {
        let days = REGENERATE_VALIDITY_DAYS;
        out.reissue(
            f.remedy(if leaf.is_self_signed() {
                format!("Regenerate the self-signed certificate on {} (RSA 2048, SHA-256, {days} days), then re-import it on every importer", h.fqdn)
            } else {
                format!("Renew the certificate of {} with its CA", h.fqdn)
            })
            .with_fix(s.renew_fix()),
        );
    } else {
        out.findings.push(f.remedy(
            "Renew the CA certificate and distribute the new one to every store that trusts it",
        ));
    }
}

/// `iis.sni`: the ECE IIS https binding must have an empty host name and SNI not required.
fn iis_sni(hi: usize, h: &Host, _: &HostEvidence, out: &mut Found) {
    let Some(b) = &h.iis_binding else { return };
    if b.host_name.is_empty() && !b.sni_required {
        return;
    }
    out.findings.push(
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

/// `pfx.no-private-key`: the certificate the ECE web servers share must carry its key.
fn pfx_no_private_key(hi: usize, h: &Host, hev: &HostEvidence, out: &mut Found) {
    if hev.shared_pfx_has_key != Some(false) {
        return;
    }
    out.findings.push(
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

/// The critical extensions of `cert` that UCCX does not accept (anything but keyUsage and
/// basicConstraints), named.
pub(super) fn uccx_rejected_critical(cert: &Certificate) -> Vec<String> {
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
