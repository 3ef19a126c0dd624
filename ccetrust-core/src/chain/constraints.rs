//! Name constraints (RFC 5280 §4.2.1.10, §6.1.3 (b)-(c), §6.1.4 (g)).
//!
//! A CA's permitted and excluded subtrees apply to every certificate below it on the path,
//! except self-issued intermediates. For each name form (DNS, IP, e-mail, directory name):
//! when the CA permits any subtree of that form, every name of that form must fall in one;
//! no name may fall in an excluded subtree. A constraint or presented name that is not
//! well-formed fails the path rather than being guessed at; so does a name of a form we
//! cannot evaluate (URI, otherName, …) when the CA constrains that form.

use der::Encode;
use std::net::IpAddr;
use x509_cert::ext::pkix::constraints::name::{GeneralSubtrees, NameConstraints};
use x509_cert::ext::pkix::name::GeneralName;

use crate::cert::Certificate;

/// Why a name failed a constraint.
pub(crate) enum NcError {
    /// The name is outside the permitted or inside an excluded subtree.
    Violation(String),
    /// The comparison budget ran out.
    Budget,
}

/// The names a certificate presents to name constraints.
struct Presented<'a> {
    dns: Vec<&'a str>,
    ip: Vec<IpAddr>,
    bad_ip: bool,
    email: Vec<&'a str>,
    dirs: Vec<Vec<Vec<u8>>>,
    /// Name forms we cannot evaluate: (form, text).
    other: Vec<&'a str>,
    uri: Vec<&'a str>,
}

fn rdns(name: &x509_cert::name::Name) -> Vec<Vec<u8>> {
    name.iter_rdn()
        .map(|r| r.to_der().unwrap_or_default())
        .collect()
}

fn presented(cert: &Certificate) -> Presented<'_> {
    let mut p = Presented {
        dns: Vec::new(),
        ip: Vec::new(),
        bad_ip: false,
        email: Vec::new(),
        dirs: Vec::new(),
        other: Vec::new(),
        uri: Vec::new(),
    };
    // Names `x509-cert` refuses never get here: the certificate policy rejects them first.
    if !cert.subject().is_empty() {
        if let Some(n) = cert.subject().as_x509() {
            p.dirs.push(rdns(n));
        }
    }
    if let Some(san) = cert.san() {
        p.dns.extend(san.dns.iter().map(String::as_str));
        p.ip.extend(san.ip.iter().copied());
        p.email.extend(san.email.iter().map(String::as_str));
        p.uri.extend(san.uri.iter().map(String::as_str));
        for d in &san.directory {
            if let Some(n) = d.as_x509() {
                p.dirs.push(rdns(n));
            }
        }
        for o in &san.other {
            if o.starts_with("IP:") {
                p.bad_ip = true;
            } else {
                p.other.push(o.as_str());
            }
        }
    }
    p
}

/// Counts comparisons against a limit shared by the whole verification.
pub(crate) struct Counter<'a> {
    pub used: &'a mut usize,
    pub limit: usize,
}

impl Counter<'_> {
    fn tick(&mut self) -> Result<(), NcError> {
        *self.used += 1;
        if *self.used > self.limit {
            Err(NcError::Budget)
        } else {
            Ok(())
        }
    }
}

/// Checks `cert`'s names against `nc`.
pub(crate) fn check(
    nc: &NameConstraints,
    cert: &Certificate,
    counter: &mut Counter<'_>,
) -> Result<(), NcError> {
    let names = presented(cert);
    if names.bad_ip {
        return Err(NcError::Violation(
            "an iPAddress SAN that is neither 4 nor 16 octets".into(),
        ));
    }
    let permitted: &[_] = nc.permitted_subtrees.as_deref().unwrap_or(&[]);
    let excluded: &[_] = nc.excluded_subtrees.as_deref().unwrap_or(&[]);
    validate_subtrees(permitted)?;
    validate_subtrees(excluded)?;

    for dns in &names.dns {
        let ok = normalize_presented_dns(dns).ok_or_else(|| {
            NcError::Violation(format!("DNS name '{dns}' is not a valid host name"))
        })?;
        subject_to(
            permitted,
            excluded,
            counter,
            |g| match g {
                GeneralName::DnsName(c) => Some(c.as_str()),
                _ => None,
            },
            |c, excluded| dns_in_subtree(&ok, c, excluded),
            &format!("DNS name '{dns}'"),
        )?;
    }
    for ip in &names.ip {
        subject_to(
            permitted,
            excluded,
            counter,
            |g| match g {
                GeneralName::IpAddress(o) => Some(o.as_bytes()),
                _ => None,
            },
            |c, _| ip_in_subtree(ip, c),
            &format!("IP address {ip}"),
        )?;
    }
    for email in &names.email {
        if !valid_mailbox(email) {
            return Err(NcError::Violation(format!(
                "e-mail address '{email}' is not a valid mailbox"
            )));
        }
        subject_to(
            permitted,
            excluded,
            counter,
            |g| match g {
                GeneralName::Rfc822Name(c) => Some(c.as_str()),
                _ => None,
            },
            |c, _| email_in_subtree(email, c),
            &format!("e-mail address '{email}'"),
        )?;
    }
    for dir in &names.dirs {
        subject_to(
            permitted,
            excluded,
            counter,
            |g| match g {
                GeneralName::DirectoryName(n) => Some(n),
                _ => None,
            },
            |c, _| {
                let c = rdns(c);
                c.len() <= dir.len() && c.iter().zip(dir.iter()).all(|(a, b)| a == b)
            },
            "the subject name",
        )?;
    }
    // Forms we do not evaluate: fail if the CA constrains that form at all.
    let constrains = |pred: &dyn Fn(&GeneralName) -> bool| {
        permitted.iter().chain(excluded).any(|s| pred(&s.base))
    };
    if !names.uri.is_empty()
        && constrains(&|g| matches!(g, GeneralName::UniformResourceIdentifier(_)))
    {
        return Err(NcError::Violation(
            "a URI name under URI name constraints, which ccetrust does not evaluate".into(),
        ));
    }
    if !names.other.is_empty()
        && constrains(&|g| {
            matches!(
                g,
                GeneralName::OtherName(_)
                    | GeneralName::RegisteredId(_)
                    | GeneralName::EdiPartyName(_)
            )
        })
    {
        return Err(NcError::Violation(format!(
            "{} under constraints of that form, which ccetrust does not evaluate",
            names.other.join(", ")
        )));
    }
    Ok(())
}

/// Applies the permitted/excluded rule for one presented name of one form.
fn subject_to<'g, T: ?Sized + 'g>(
    permitted: &'g [x509_cert::ext::pkix::constraints::name::GeneralSubtree],
    excluded: &'g [x509_cert::ext::pkix::constraints::name::GeneralSubtree],
    counter: &mut Counter<'_>,
    form: impl Fn(&'g GeneralName) -> Option<&'g T>,
    within: impl Fn(&'g T, bool) -> bool,
    what: &str,
) -> Result<(), NcError> {
    let mut any_permitted_of_form = false;
    let mut permitted_hit = false;
    for s in permitted {
        if let Some(c) = form(&s.base) {
            counter.tick()?;
            any_permitted_of_form = true;
            if within(c, false) {
                permitted_hit = true;
                break;
            }
        }
    }
    if any_permitted_of_form && !permitted_hit {
        return Err(NcError::Violation(format!(
            "{what} is outside the permitted subtrees"
        )));
    }
    for s in excluded {
        if let Some(c) = form(&s.base) {
            counter.tick()?;
            if within(c, true) {
                return Err(NcError::Violation(format!(
                    "{what} is in an excluded subtree"
                )));
            }
        }
    }
    Ok(())
}

/// Rejects constraints that are not well-formed: DNS constraints with wildcards or a
/// leading dot (RFC 5280 §4.2.1.10 gives DNS constraints as host names), IP constraints that
/// are not address + contiguous mask, e-mail constraints that are not mailbox or domain,
/// and minimum/maximum other than the defaults (RFC 5280: "MUST be zero", "MUST be absent").
fn validate_subtrees(
    subtrees: &[x509_cert::ext::pkix::constraints::name::GeneralSubtree],
) -> Result<(), NcError> {
    for s in subtrees {
        if s.minimum != 0 || s.maximum.is_some() {
            return Err(NcError::Violation(
                "a name constraint with minimum/maximum set (RFC 5280 §4.2.1.10)".into(),
            ));
        }
        match &s.base {
            GeneralName::DnsName(c) => {
                let c = c.as_str();
                if !c.is_empty() && (c.starts_with('.') || !valid_dns_constraint(c)) {
                    return Err(NcError::Violation(format!(
                        "the DNS name constraint '{c}' is not a valid domain"
                    )));
                }
            }
            GeneralName::IpAddress(o) => {
                let b = o.as_bytes();
                if (b.len() != 8 && b.len() != 32) || !contiguous_mask(&b[b.len() / 2..]) {
                    return Err(NcError::Violation(
                        "an iPAddress name constraint that is not an address and a contiguous mask"
                            .into(),
                    ));
                }
            }
            GeneralName::Rfc822Name(c) => {
                let c = c.as_str();
                let ok = if c.contains('@') {
                    valid_mailbox(c)
                } else {
                    let d = c.strip_prefix('.').unwrap_or(c);
                    valid_dns_constraint(d)
                };
                if !ok {
                    return Err(NcError::Violation(format!(
                        "the e-mail name constraint '{c}' is not a mailbox or domain"
                    )));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn contiguous_mask(mask: &[u8]) -> bool {
    let mut seen_zero = false;
    for byte in mask {
        for i in (0..8).rev() {
            let bit = byte >> i & 1 == 1;
            if bit && seen_zero {
                return false;
            }
            if !bit {
                seen_zero = true;
            }
        }
    }
    true
}

fn valid_dns_constraint(c: &str) -> bool {
    let n = c.strip_suffix('.').unwrap_or(c).to_ascii_lowercase();
    !n.is_empty()
        && n.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

/// A presented dNSName, lowercased, if it is a host name or a left-most wildcard name.
fn normalize_presented_dns(dns: &str) -> Option<String> {
    let rest = dns.strip_prefix("*.").unwrap_or(dns);
    if valid_dns_constraint(rest) {
        Some(dns.strip_suffix('.').unwrap_or(dns).to_ascii_lowercase())
    } else {
        None
    }
}

/// Whether DNS name `name` (lowercase, maybe `*.`-prefixed) lies in subtree `c`: equal to
/// it, or ending in `.c`. A wildcard name is in an *excluded* subtree also when the
/// wildcard could expand into it (`*.example.com` vs excluded `a.example.com`).
fn dns_in_subtree(name: &str, c: &str, excluded: bool) -> bool {
    let c = c.strip_suffix('.').unwrap_or(c).to_ascii_lowercase();
    if c.is_empty() {
        return true;
    }
    let suffix_of = |n: &str| n == c || n.ends_with(&format!(".{c}"));
    if suffix_of(name) {
        return true;
    }
    if excluded {
        if let Some(base) = name.strip_prefix("*.") {
            // The wildcard expands to exactly one label over `base`.
            if let Some((_, parent)) = c.split_once('.') {
                return parent == base;
            }
        }
    }
    false
}

fn ip_in_subtree(ip: &IpAddr, c: &[u8]) -> bool {
    let addr: Vec<u8> = match ip {
        IpAddr::V4(v) => v.octets().to_vec(),
        IpAddr::V6(v) => v.octets().to_vec(),
    };
    if c.len() != addr.len() * 2 {
        return false;
    }
    let (net, mask) = c.split_at(addr.len());
    addr.iter()
        .zip(net)
        .zip(mask)
        .all(|((a, n), m)| a & m == n & m)
}

fn valid_mailbox(m: &str) -> bool {
    match m.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !local.contains('@')
                && m.is_ascii()
                && valid_dns_constraint(domain)
        }
        None => false,
    }
}

/// RFC 5280 §4.2.1.10: a mailbox constraint matches that mailbox; a host constraint all
/// mailboxes at that host; a `.domain` constraint all mailboxes in subdomains of it. Local
/// parts compare exactly (an asterisk in a constraint is a literal character), host parts
/// case-insensitively.
fn email_in_subtree(email: &str, c: &str) -> bool {
    let Some((_, host)) = email.rsplit_once('@') else {
        return false;
    };
    if c.contains('@') {
        email_equal(email, c)
    } else if let Some(dom) = c.strip_prefix('.') {
        host.len() > dom.len() + 1
            && host
                .to_ascii_lowercase()
                .ends_with(&format!(".{}", dom.to_ascii_lowercase()))
    } else {
        host.eq_ignore_ascii_case(c)
    }
}

/// Two mailboxes are equal when the local parts are identical and the hosts equal ignoring
/// case (RFC 5280 §7.5).
pub(crate) fn email_equal(a: &str, b: &str) -> bool {
    match (a.rsplit_once('@'), b.rsplit_once('@')) {
        (Some((la, ha)), Some((lb, hb))) => la == lb && ha.eq_ignore_ascii_case(hb),
        _ => false,
    }
}

/// True when the subtrees hold any constraint (used to skip work).
#[allow(dead_code)]
pub(crate) fn is_empty(s: &Option<GeneralSubtrees>) -> bool {
    s.as_ref().is_none_or(|v| v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_subtrees() {
        // (name, constraint, excluded?, expected, rule)
        let rows: &[(&str, &str, bool, bool, &str)] = &[
            (
                "example.com",
                "example.com",
                false,
                true,
                "RFC 5280 §4.2.1.10: the domain itself",
            ),
            (
                "a.example.com",
                "example.com",
                false,
                true,
                "RFC 5280 §4.2.1.10: subdomains",
            ),
            (
                "aexample.com",
                "example.com",
                false,
                false,
                "RFC 5280 §4.2.1.10: label boundary",
            ),
            ("example.org", "example.com", false, false, "outside"),
            (
                "*.example.com",
                "example.com",
                false,
                true,
                "wildcard under the subtree",
            ),
            (
                "*.example.com",
                "a.example.com",
                true,
                true,
                "wildcard may expand into an excluded name",
            ),
            (
                "*.example.com",
                "a.example.com",
                false,
                false,
                "wildcard is not within a narrower permit",
            ),
            (
                "anything.test",
                "",
                false,
                true,
                "RFC 5280: empty constraint matches all",
            ),
        ];
        for (n, c, ex, want, rule) in rows {
            assert_eq!(dns_in_subtree(n, c, *ex), *want, "{n} vs {c}: {rule}");
        }
    }

    #[test]
    fn email_subtrees() {
        let rows: &[(&str, &str, bool)] = &[
            ("agent@example.com", "agent@example.com", true),
            ("agent@EXAMPLE.com", "agent@example.com", true),
            ("Agent@example.com", "agent@example.com", false),
            ("agent@example.com", "example.com", true),
            ("agent@mail.example.com", "example.com", false),
            ("agent@mail.example.com", ".example.com", true),
            ("agent@example.com", ".example.com", false),
            ("agent@example.com", "*@example.com", false),
            ("*@example.com", "*@example.com", true),
        ];
        for (e, c, want) in rows {
            assert_eq!(
                email_in_subtree(e, c),
                *want,
                "{e} vs {c} (RFC 5280 §4.2.1.10)"
            );
        }
    }

    #[test]
    fn ip_masks() {
        assert!(contiguous_mask(&[255, 255, 0, 0]));
        assert!(!contiguous_mask(&[255, 0, 255, 0]));
        let ip: IpAddr = "10.1.2.3".parse().unwrap();
        assert!(ip_in_subtree(&ip, &[10, 0, 0, 0, 255, 0, 0, 0]));
        assert!(!ip_in_subtree(&ip, &[11, 0, 0, 0, 255, 0, 0, 0]));
        let v6: IpAddr = "::1".parse().unwrap();
        assert!(!ip_in_subtree(&v6, &[10, 0, 0, 0, 255, 0, 0, 0]));
    }
}
