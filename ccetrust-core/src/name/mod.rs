//! Reference-name matching: does this certificate belong to the host the client dialled?
//!
//! A contact center has two kinds of TLS clients, and they disagree about where a server's
//! name may live. Browsers (Finesse and CUIC agents, since Chrome 58) read only the subject
//! alternative names; Java clients (the AW's JSSE, CVP's call server) fall back to the subject
//! common name when the certificate has no DNS SAN. [`NameProfile`] picks the rule; the
//! matching itself — wildcards, case, IP addresses — is the same for both and follows
//! RFC 6125 §6.4 and RFC 2818 §3.1. They differ on one more point: a browser takes a
//! reference name with a trailing dot (`host.example.com.`, the absolute form) as the same
//! host, JSSE compares the name as written and refuses it.

mod dns;

pub use dns::{dns_name_matches, is_valid_dns_reference, normalize_dns};

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use crate::cert::Certificate;

/// The name a client checks a certificate against: what it dialled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferenceName {
    /// A host name, stored lowercase without a trailing dot.
    Dns(String),
    /// An IP address (RFC 2818 §3.1: matched against iPAddress SANs only).
    Ip(IpAddr),
}

impl ReferenceName {
    /// Parses what a user typed: an IPv4/IPv6 address (brackets allowed) or a DNS name.
    /// Returns `None` for text that is neither (e.g. `ece..example.local`, a bare `*`).
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        let unbracketed = t
            .strip_prefix('[')
            .and_then(|s| s.strip_suffix(']'))
            .unwrap_or(t);
        if let Ok(ip) = IpAddr::from_str(unbracketed) {
            return Some(ReferenceName::Ip(ip));
        }
        let n = normalize_dns(t);
        if is_valid_dns_reference(&n) {
            Some(ReferenceName::Dns(n))
        } else {
            None
        }
    }
}

impl fmt::Display for ReferenceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReferenceName::Dns(d) => f.write_str(d),
            ReferenceName::Ip(ip) => write!(f, "{ip}"),
        }
    }
}

/// Which client's rule decides where a server name may appear in the certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameProfile {
    /// Subject alternative names only; the CN is ignored (Chrome 58+, Firefox, Edge;
    /// CA/Browser Forum BR §7.1.4.2.1).
    Browser,
    /// JSSE's HTTPS hostname check (`sun.security.util.HostnameChecker`): DNS SANs when the
    /// certificate has any, otherwise the most specific subject CN. IP addresses only match
    /// iPAddress SANs. A reference name with a trailing dot matches nothing: JSSE compares
    /// the name as the client was given it, and `host.example.com.` is not
    /// `host.example.com` to it.
    Java,
}

/// The outcome of a name check, as `ccetrust verify` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameCheck {
    /// The reference name that was checked, as given.
    pub checked: String,
    /// Whether the certificate presents it.
    pub matched: bool,
    /// The names the certificate presents under the profile's rule (DNS SANs, IP SANs,
    /// and the CN where the profile falls back to it), so a mismatch says what *is* there.
    pub presented: Vec<String>,
}

impl NameCheck {
    /// A sentence for a mismatch: "name 'x' not in the certificate; it presents a, b".
    pub fn explain(&self) -> String {
        let dotless = self.checked.trim().strip_suffix('.').map(normalize_dns);
        if self.matched {
            format!("name '{}' matches the certificate", self.checked)
        } else if let Some(d) = dotless.filter(|d| {
            self.presented
                .iter()
                .any(|p| dns_name_matches(p.strip_prefix("CN=").unwrap_or(p), d))
        }) {
            // Only the Java rule refuses a name that matches once its dot is gone.
            format!(
                "name '{}' does not match: Java clients compare the name as written, and the trailing dot makes it differ from '{d}', which the certificate presents; configure the name without the dot",
                self.checked
            )
        } else if self.presented.is_empty() {
            format!(
                "name '{}' not in the certificate; it presents no host names",
                self.checked
            )
        } else {
            format!(
                "name '{}' not in the certificate; it presents {}",
                self.checked,
                self.presented.join(", ")
            )
        }
    }
}

/// The names a certificate presents for host-name checks under `profile`, in the order a
/// client considers them.
pub fn presented_names(cert: &Certificate, profile: NameProfile) -> Vec<String> {
    let mut out = Vec::new();
    let san = cert.san();
    let dns: &[String] = san.map(|s| &s.dns[..]).unwrap_or(&[]);
    out.extend(dns.iter().cloned());
    if let Some(s) = san {
        out.extend(s.ip.iter().map(|ip| ip.to_string()));
    }
    if profile == NameProfile::Java && dns.is_empty() {
        if let Some(cn) = cert.common_name() {
            out.push(format!("CN={cn}"));
        }
    }
    out
}

/// Checks `reference` (as typed: DNS name or IP address) against `cert` under `profile`.
pub fn check(cert: &Certificate, reference: &str, profile: NameProfile) -> NameCheck {
    let presented = presented_names(cert, profile);
    let matched = match ReferenceName::parse(reference) {
        Some(r) => !java_refuses(reference, &r, profile) && matches(cert, &r, profile),
        None => false,
    };
    NameCheck {
        checked: reference.to_string(),
        matched,
        presented,
    }
}

/// JSSE's `HostnameChecker` compares a DNS reference name as given (`equalsIgnoreCase`, no
/// normalisation), so `host.example.com.` matches no certificate under the Java profile;
/// browsers (RFC 1034 §3.1 absolute form, what Chrome and webpki do) strip the dot.
fn java_refuses(text: &str, parsed: &ReferenceName, profile: NameProfile) -> bool {
    profile == NameProfile::Java
        && matches!(parsed, ReferenceName::Dns(_))
        && text.trim().ends_with('.')
}

/// Whether `cert` presents `reference` under `profile`.
pub fn matches(cert: &Certificate, reference: &ReferenceName, profile: NameProfile) -> bool {
    let san = cert.san();
    match reference {
        // RFC 2818 §3.1: an IP reference must appear as an iPAddress SAN; a DNS SAN or CN
        // that happens to read like the address does not count (RFC 6125 §6.2.1 / BR).
        ReferenceName::Ip(ip) => san.is_some_and(|s| s.ip.iter().any(|p| p == ip)),
        ReferenceName::Dns(name) => {
            let dns: &[String] = san.map(|s| &s.dns[..]).unwrap_or(&[]);
            if dns.iter().any(|p| dns_name_matches(p, name)) {
                return true;
            }
            // JSSE falls back to the most specific CN only when there is no DNS SAN at all.
            profile == NameProfile::Java
                && dns.is_empty()
                && cert
                    .common_name()
                    .is_some_and(|cn| dns_name_matches(&cn, name))
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // fixtures are ours

    use super::*;

    fn fixture(name: &str) -> Certificate {
        let bytes = match name {
            // SAN DNS:ece.example.local, IP:10.10.20.40 (tests/data/chain/gen.sh)
            "ece" => &include_bytes!("../../../tests/data/chain/ece.pem")[..],
            // CN=cvp.example.local, no SAN (keytool-style)
            _ => &include_bytes!("../../../tests/data/chain/cvp.pem")[..],
        };
        crate::load_certificates(bytes).unwrap().remove(0)
    }

    /// (certificate, reference, profile, matches, rule)
    const PROFILE_CASES: &[(&str, &str, NameProfile, bool, &str)] = &[
        (
            "ece",
            "ece.example.local",
            NameProfile::Browser,
            true,
            "RFC 6125 §6.4.1: DNS SAN",
        ),
        (
            "ece",
            "ece.example.local",
            NameProfile::Java,
            true,
            "JSSE HostnameChecker: DNS SAN",
        ),
        (
            "ece",
            "ece.example.local.",
            NameProfile::Browser,
            true,
            "RFC 1034 §3.1 absolute form: browsers (Chrome, webpki) drop the trailing dot",
        ),
        (
            "ece",
            "ece.example.local.",
            NameProfile::Java,
            false,
            "JSSE HostnameChecker compares the name as given: a trailing dot does not match",
        ),
        (
            "ece",
            "ECE.Example.Local.",
            NameProfile::Java,
            false,
            "JSSE: the trailing dot still fails whatever the case",
        ),
        (
            "cvp",
            "cvp.example.local.",
            NameProfile::Java,
            false,
            "JSSE: no trailing dot through the CN fallback either",
        ),
        (
            "cvp",
            "cvp.example.local",
            NameProfile::Java,
            true,
            "JSSE: CN when there is no DNS SAN",
        ),
        (
            "cvp",
            "cvp.example.local",
            NameProfile::Browser,
            false,
            "CA/B BR §7.1.4.2.1: browsers ignore the CN",
        ),
        (
            "ece",
            "10.10.20.40",
            NameProfile::Java,
            true,
            "RFC 2818 §3.1: iPAddress SAN",
        ),
        (
            "ece",
            "10.10.20.40",
            NameProfile::Browser,
            true,
            "RFC 2818 §3.1: iPAddress SAN",
        ),
    ];

    #[test]
    fn profile_rules_table() {
        for (cert, reference, profile, expected, rule) in PROFILE_CASES {
            let c = check(&fixture(cert), reference, *profile);
            assert_eq!(
                c.matched, *expected,
                "{cert} {reference:?} {profile:?}: {rule}"
            );
        }
    }

    #[test]
    fn a_trailing_dot_refused_by_java_is_explained() {
        let c = check(&fixture("ece"), "ece.example.local.", NameProfile::Java);
        assert!(!c.matched);
        let why = c.explain();
        assert!(why.contains("trailing dot"), "{why}");
        assert!(why.contains("'ece.example.local'"), "{why}");
        // A plain mismatch keeps the plain sentence.
        let other = check(&fixture("ece"), "cvp.example.local.", NameProfile::Java);
        assert!(!other.explain().contains("trailing dot"));
        assert!(other.explain().contains("it presents ece.example.local"));
    }
}
