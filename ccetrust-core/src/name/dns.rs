//! DNS-name comparison (RFC 6125 §6.4, RFC 5280 §4.2.1.6, RFC 2818 §3.1).
//!
//! Both sides are compared as ASCII, case-insensitively, with one trailing dot ignored
//! (`ece.example.local.` is the absolute form of the same name). Internationalised names
//! are compared in their A-label form (`xn--…`) as certificates carry them; a U-label
//! reference is not converted and therefore never matches. A wildcard is only accepted as
//! the whole left-most label of a name with at least two labels after it, and matches
//! exactly one label: `*.example.com` matches `a.example.com` but neither `example.com` nor
//! `a.b.example.com`; `w*.example.com` and `a.*.example.com` match nothing.

/// Lowercases ASCII and drops one trailing dot.
pub fn normalize_dns(name: &str) -> String {
    let n = name.strip_suffix('.').unwrap_or(name);
    n.to_ascii_lowercase()
}

/// Whether `label` is a valid host-name label: 1–63 letters, digits and `-`, not starting
/// or ending with `-` (RFC 1123 §2.1, the "preferred name syntax" RFC 5280 §4.2.1.6 requires
/// of dNSName; `_` is not allowed, as CA/B BR §7.1.4.2.1 and pyca/webpki agree).
fn valid_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

/// Whether a normalised name is a valid reference identifier: at most 253 octets of valid
/// labels, no wildcard (a client never dials `*`).
pub fn is_valid_dns_reference(normalized: &str) -> bool {
    !normalized.is_empty() && normalized.len() <= 253 && normalized.split('.').all(valid_label)
}

/// Whether the presented DNS identifier (from a dNSName SAN, or a CN under the Java
/// profile) matches the reference name.
pub fn dns_name_matches(presented: &str, reference: &str) -> bool {
    if !presented.is_ascii() || !reference.is_ascii() {
        return false;
    }
    let p = normalize_dns(presented);
    let r = normalize_dns(reference);
    if !is_valid_dns_reference(&r) {
        return false;
    }
    if let Some(rest) = p.strip_prefix("*.") {
        // RFC 6125 §6.4.3: the wildcard is the complete left-most label and matches one
        // label. CA/B BR §3.2.2.6: at least two labels follow it (no `*.com`).
        if rest.split('.').count() < 2 || !is_valid_dns_reference(rest) {
            return false;
        }
        return match r.split_once('.') {
            Some((first, r_rest)) => !first.is_empty() && r_rest == rest,
            None => false,
        };
    }
    is_valid_dns_reference(&p) && p == r
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (presented, reference, expected, rule)
    const CASES: &[(&str, &str, bool, &str)] = &[
        (
            "ece.example.local",
            "ece.example.local",
            true,
            "RFC 6125 §6.4.1 exact match",
        ),
        (
            "ECE.Example.Local",
            "ece.example.local",
            true,
            "RFC 6125 §6.4.1 / RFC 4343: case-insensitive",
        ),
        (
            "ece.example.local",
            "ECE.EXAMPLE.LOCAL",
            true,
            "RFC 4343: case-insensitive",
        ),
        (
            "ece.example.local.",
            "ece.example.local",
            true,
            "RFC 1034 §3.1: trailing dot = absolute form",
        ),
        (
            "ece.example.local",
            "ece.example.local.",
            true,
            "RFC 1034 §3.1: trailing dot = absolute form",
        ),
        (
            "ece.example.local",
            "ece-web.example.local",
            false,
            "RFC 6125 §6.4.1: labels must be equal",
        ),
        (
            "ece.example.local",
            "example.local",
            false,
            "RFC 6125 §6.4.1: label count differs",
        ),
        (
            "*.example.local",
            "ece.example.local",
            true,
            "RFC 6125 §6.4.3: wildcard = one left-most label",
        ),
        (
            "*.example.local",
            "a.b.example.local",
            false,
            "RFC 6125 §6.4.3: wildcard matches one label only",
        ),
        (
            "*.example.local",
            "example.local",
            false,
            "RFC 6125 §6.4.3: wildcard needs a label to match",
        ),
        (
            "*.EXAMPLE.local",
            "Finesse.example.LOCAL",
            true,
            "RFC 6125 §6.4.3 + RFC 4343 case",
        ),
        (
            "w*.example.local",
            "www.example.local",
            false,
            "RFC 6125 §6.4.3 rule 2 (partial wildcard): not accepted",
        ),
        (
            "*w.example.local",
            "www.example.local",
            false,
            "RFC 6125 §6.4.3: partial wildcard not accepted",
        ),
        (
            "a.*.example.local",
            "a.b.example.local",
            false,
            "RFC 6125 §6.4.3 rule 1: wildcard only left-most",
        ),
        (
            "*.*.example.local",
            "a.b.example.local",
            false,
            "RFC 6125 §6.4.3: one wildcard, left-most only",
        ),
        (
            "*.local",
            "ece.local",
            false,
            "CA/B BR §3.2.2.6: no wildcard directly over a single label",
        ),
        (
            "*",
            "local",
            false,
            "RFC 6125 §6.4.3: bare wildcard is not a name",
        ),
        (
            "xn--bcher-kva.example",
            "xn--bcher-kva.example",
            true,
            "RFC 5280 §7.2: IDNs compared as A-labels",
        ),
        (
            "xn--bcher-kva.example",
            "XN--BCHER-KVA.example",
            true,
            "RFC 5280 §7.2: A-labels case-insensitive",
        ),
        (
            "xn--bcher-kva.example",
            "bücher.example",
            false,
            "RFC 5280 §7.2: U-label not converted, no match",
        ),
        (
            "*.xn--bcher-kva.example",
            "www.xn--bcher-kva.example",
            true,
            "RFC 6125 §6.4.3 over an A-label domain",
        ),
        (
            "ece.example.local",
            "ece.example.local\u{0}.evil",
            false,
            "RFC 5280 §4.2.1.6: no NUL tricks",
        ),
        (
            "ece.example.local\u{0}.evil",
            "ece.example.local",
            false,
            "RFC 5280 §4.2.1.6: invalid presented id",
        ),
        (
            "exa mple.local",
            "exa mple.local",
            false,
            "RFC 1123 §2.1: spaces are not LDH",
        ),
        (
            "ece..example.local",
            "ece..example.local",
            false,
            "RFC 1034 §3.5: empty label",
        ),
        (
            "-ece.example.local",
            "-ece.example.local",
            false,
            "RFC 1123 §2.1: label starts with hyphen",
        ),
        (
            "ece_web.example.local",
            "ece_web.example.local",
            false,
            "RFC 5280 §4.2.1.6 preferred name syntax (RFC 1123 LDH): no underscore",
        ),
        (
            "192.168.1.10",
            "192.168.1.10",
            true,
            "dNSName written as digits compares as text (IP refs never reach here)",
        ),
        (
            "*.example.local",
            "*.example.local",
            false,
            "RFC 6125 §6.4.3: reference ids never contain wildcards",
        ),
    ];

    #[test]
    fn dns_matching_table() {
        for (presented, reference, expected, rule) in CASES {
            assert_eq!(
                dns_name_matches(presented, reference),
                *expected,
                "presented {presented:?} reference {reference:?}: {rule}"
            );
        }
    }

    #[test]
    fn reference_validation() {
        assert!(is_valid_dns_reference("ece.example.local"));
        assert!(!is_valid_dns_reference(""));
        assert!(!is_valid_dns_reference(&"a.".repeat(130)));
        assert!(!is_valid_dns_reference(&"a".repeat(64)));
        assert!(is_valid_dns_reference(&"a".repeat(63)));
    }
}
