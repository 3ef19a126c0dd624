//! The checks on one certificate in its role on a path (target, intermediate, trust anchor),
//! per profile.
//!
//! The browser profile is the CA/Browser Forum Baseline Requirements as Chrome, rustls-webpki
//! and pyca/cryptography enforce them on top of RFC 5280. The Java profile is what JSSE's
//! PKIX validator accepts: RFC 5280 without the CA/B Forum extras, and trust anchors taken
//! as they are (Java never checks an anchor's own validity or extensions).

use const_oid::ObjectIdentifier;

use super::build::Failure;
use super::{describe, Profile, Requirements, Usage, VerdictCode, VerifyOptions};
use crate::cert::oids::known;
use crate::cert::{Certificate, KeyUsage, SignatureAlgorithm};

/// A certificate's place on a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// The certificate being verified.
    Target,
    /// An issuing CA from the untrusted pool.
    Intermediate,
    /// A certificate from the trust store ending the path.
    Anchor,
}

impl Role {
    fn word(self) -> &'static str {
        match self {
            Role::Target => "certificate",
            Role::Intermediate => "intermediate",
            Role::Anchor => "trust anchor",
        }
    }
}

const CERTIFICATE_POLICIES: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.32");
const POLICY_MAPPINGS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.33");
const POLICY_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.36");
const INHIBIT_ANY_POLICY: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.54");

/// Extensions whose meaning a validator must understand when they are critical
/// (RFC 5280 §4.2: "MUST reject a certificate if it encounters a critical extension it
/// does not recognize"). The policy extensions are recognised: with the default
/// (any-policy) inputs of RFC 5280 §6.1.1 they never make a path fail.
const UNDERSTOOD: &[ObjectIdentifier] = &[
    known::SUBJECT_ALT_NAME,
    known::KEY_USAGE,
    known::EXT_KEY_USAGE,
    known::BASIC_CONSTRAINTS,
    known::NAME_CONSTRAINTS,
    known::SUBJECT_KEY_ID,
    known::AUTHORITY_KEY_ID,
    CERTIFICATE_POLICIES,
    POLICY_MAPPINGS,
    POLICY_CONSTRAINTS,
    INHIBIT_ANY_POLICY,
];

fn fail(code: VerdictCode, cert: &Certificate, reason: String) -> Failure<'_> {
    Failure {
        code,
        reason,
        concerns: Some(cert),
        warnings: Vec::new(),
    }
}

fn critical(cert: &Certificate, oid: &ObjectIdentifier) -> Option<bool> {
    cert.extension_list()
        .iter()
        .find(|e| &e.oid == oid)
        .map(|e| e.critical)
}

/// The extended key usage the options ask for.
pub(crate) fn required_eku(usage: Usage) -> Option<ObjectIdentifier> {
    match usage {
        Usage::Server => Some(known::KP_SERVER_AUTH),
        Usage::Client => Some(known::KP_CLIENT_AUTH),
        Usage::Any => None,
    }
}

/// How a message names the certificate ("intermediate 'CN=…' (sha256 …)"), formatted only
/// when a message is written: a certificate that passes costs no fingerprint or name string.
#[derive(Clone, Copy)]
struct Who<'a>(Role, &'a Certificate);

impl std::fmt::Display for Who<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.0.word(), describe(self.1))
    }
}

/// Checks `cert` in `role`. Returns warnings for what is accepted but notable.
///
/// The steps run in the order a reader of RFC 5280 expects, each a function of its own:
/// validity, critical extensions, encoding, names, extension criticality, keyUsage, the
/// signature hash, and under the browser profile the key and serial rules; then the
/// CA or target rules of the role.
pub(crate) fn check<'a>(
    cert: &'a Certificate,
    role: Role,
    opts: &VerifyOptions,
    req: &Requirements,
) -> Result<Vec<String>, Failure<'a>> {
    let browser = opts.profile == Profile::Browser;
    let who = Who(role, cert);
    let mut warnings = Vec::new();
    // Java takes a trust anchor as configured: name and key, nothing else is examined
    // (PKIXParameters with a TrustAnchor built from the certificate).
    if role == Role::Anchor && !browser {
        return Ok(warnings);
    }
    validity(cert, &who, opts)?;
    unknown_critical(cert, &who)?;
    encoding(cert, &who)?;
    names(cert, &who, role)?;
    extension_criticality(cert, &who)?;
    key_cert_sign(cert, &who)?;
    warnings.extend(signature_hash(cert, &who, browser)?);
    if browser {
        key_policy(cert, &who)?;
        serial_and_version(cert, &who, role)?;
    }
    if role == Role::Target {
        check_target(cert, browser, &who, opts, req)?;
        if let Some(w) = cn_not_in_san(cert, &who) {
            warnings.push(w);
        }
    } else {
        check_ca(cert, role, browser, &who, opts)?;
    }
    Ok(warnings)
}

/// RFC 5280 §4.1.2.5: both bounds inclusive.
fn validity<'a>(
    cert: &'a Certificate,
    who: &Who<'_>,
    opts: &VerifyOptions,
) -> Result<(), Failure<'a>> {
    if opts.time > cert.not_after() {
        return Err(fail(
            VerdictCode::Expired,
            cert,
            format!("{who} expired on {}", cert.not_after().to_rfc3339()),
        ));
    }
    if opts.time < cert.not_before() {
        return Err(fail(
            VerdictCode::NotYetValid,
            cert,
            format!(
                "{who} is not valid before {}",
                cert.not_before().to_rfc3339()
            ),
        ));
    }

    Ok(())
}

/// RFC 5280 §4.2: a critical extension the validator does not understand fails the path.
fn unknown_critical<'a>(cert: &'a Certificate, who: &Who<'_>) -> Result<(), Failure<'a>> {
    for e in cert.extension_list() {
        if e.critical && !UNDERSTOOD.contains(&e.oid) {
            return Err(fail(
                VerdictCode::UnknownCriticalExtension,
                cert,
                format!(
                    "{who} has a critical extension ccetrust does not understand ({}); RFC 5280 §4.2 requires rejecting it",
                    e.name.map(str::to_string).unwrap_or_else(|| e.oid.to_string())
                ),
            ));
        }
    }

    Ok(())
}

/// The strict DER rules and the two signature algorithm fields.
fn encoding<'a>(cert: &'a Certificate, who: &Who<'_>) -> Result<(), Failure<'a>> {
    // Every field must also obey the strict DER rules the tolerant reader leaves out
    // (`cert/strict.rs`: tags, OIDs, INTEGERs, BIT STRINGs, times).
    if let Err(v) = cert.check_strict_der() {
        return Err(fail(
            VerdictCode::ProfileViolation,
            cert,
            format!(
                "{who} is not a well-formed RFC 5280 certificate: at byte {} it breaks the DER rule of {}",
                v.offset, v.rule
            ),
        ));
    }
    // RFC 5280 §4.1.1.2: the signature field inside the TBS must equal the outer one (both
    // read as DER above, so equal values are equal bytes).
    if cert.tbs_signature_algorithm_der() != cert.signature_algorithm_der() {
        return Err(fail(
            VerdictCode::ProfileViolation,
            cert,
            format!("{who} names two different signature algorithms (RFC 5280 §4.1.1.2)"),
        ));
    }
    Ok(())
}

/// RFC 5280 §4.1.2.4 / §4.1.2.6: issuer never empty; a CA's subject never empty.
fn names<'a>(cert: &'a Certificate, who: &Who<'_>, role: Role) -> Result<(), Failure<'a>> {
    if cert.issuer().is_empty() {
        return Err(fail(
            VerdictCode::ProfileViolation,
            cert,
            format!("{who} has an empty issuer name (RFC 5280 §4.1.2.4)"),
        ));
    }
    if role != Role::Target && cert.subject().is_empty() {
        return Err(fail(
            VerdictCode::ProfileViolation,
            cert,
            format!("{who} is a CA with an empty subject (RFC 5280 §4.1.2.6)"),
        ));
    }

    Ok(())
}

/// Extensions RFC 5280 requires critical or non-critical.
fn extension_criticality<'a>(cert: &'a Certificate, who: &Who<'_>) -> Result<(), Failure<'a>> {
    // RFC 5280 §4.2.1.1 / §4.2.1.2: AKI and SKI MUST be non-critical.
    for (oid, what) in [
        (known::AUTHORITY_KEY_ID, "authorityKeyIdentifier"),
        (known::SUBJECT_KEY_ID, "subjectKeyIdentifier"),
    ] {
        if critical(cert, &oid) == Some(true) {
            return Err(fail(
                VerdictCode::ProfileViolation,
                cert,
                format!("{who} marks {what} critical (RFC 5280 §4.2.1.1-2: MUST be non-critical)"),
            ));
        }
    }
    // RFC 5280 §4.2.2.1: authorityInfoAccess MUST be non-critical.
    if critical(cert, &known::AUTHORITY_INFO_ACCESS) == Some(true) {
        return Err(fail(
            VerdictCode::ProfileViolation,
            cert,
            format!("{who} marks authorityInfoAccess critical (RFC 5280 §4.2.2.1)"),
        ));
    }
    // RFC 5280 §4.2.1.11: policyConstraints MUST be critical.
    if critical(cert, &POLICY_CONSTRAINTS) == Some(false) {
        return Err(fail(
            VerdictCode::ProfileViolation,
            cert,
            format!("{who} has a non-critical policyConstraints (RFC 5280 §4.2.1.11)"),
        ));
    }
    // RFC 5280 §4.2.1.6: with an empty subject the SAN MUST be critical.
    if cert.subject().is_empty() {
        if let Some(false) = critical(cert, &known::SUBJECT_ALT_NAME) {
            return Err(fail(
                VerdictCode::ProfileViolation,
                cert,
                format!("{who} has an empty subject and a non-critical subjectAltName (RFC 5280 §4.2.1.6)"),
            ));
        }
    }

    Ok(())
}

/// RFC 5280 §4.2.1.3: keyCertSign only in CA certificates.
fn key_cert_sign<'a>(cert: &'a Certificate, who: &Who<'_>) -> Result<(), Failure<'a>> {
    if let Some(ku) = cert.key_usage() {
        if ku.has(KeyUsage::KEY_CERT_SIGN) && !cert.basic_constraints().is_some_and(|b| b.ca) {
            return Err(fail(
                VerdictCode::KeyUsage,
                cert,
                format!("{who} asserts keyCertSign without being a CA (RFC 5280 §4.2.1.3)"),
            ));
        }
    }

    Ok(())
}

/// SHA-1 signatures: refused by browsers, a warning for Java.
fn signature_hash<'a>(
    cert: &'a Certificate,
    who: &Who<'_>,
    browser: bool,
) -> Result<Option<String>, Failure<'a>> {
    // CA/B BR §7.1.3.
    let sig_alg = cert
        .signature_algorithm_id()
        .map(SignatureAlgorithm::from_identifier);
    if let Some(Ok(alg)) = sig_alg {
        if alg.hash() == Some(crate::cert::HashAlgorithm::Sha1) {
            if browser {
                return Err(fail(
                    VerdictCode::WeakCrypto,
                    cert,
                    format!("{who} is signed with SHA-1, which browsers refuse: reissue it with SHA-256"),
                ));
            }
            return Ok(Some(format!(
                "{who} is signed with SHA-1: Java accepts it, browsers do not"
            )));
        }
    }
    Ok(None)
}

/// Browser profile: the serial number (RFC 5280 §4.1.2.2: positive, at most 20 octets) and
/// version 3. Not for trust anchors: a root is trusted as configured (Starfield G2 has
/// serial 0).
fn serial_and_version<'a>(
    cert: &'a Certificate,
    who: &Who<'_>,
    role: Role,
) -> Result<(), Failure<'a>> {
    if role != Role::Anchor {
        let s = cert.serial();
        let too_long = s.len() > 21 || (s.len() == 21 && s[0] != 0);
        let negative = s.first().is_some_and(|b| b & 0x80 != 0);
        let zero = s.iter().all(|b| *b == 0);
        if too_long || negative || zero {
            return Err(fail(
                VerdictCode::ProfileViolation,
                cert,
                format!("{who} has a serial number that is zero, negative or longer than 20 octets (RFC 5280 §4.1.2.2)"),
            ));
        }
        if cert.version() != 3 {
            return Err(fail(
                VerdictCode::ProfileViolation,
                cert,
                format!(
                    "{who} is an X.509 v{} certificate; browsers require v3",
                    cert.version()
                ),
            ));
        }
    }

    Ok(())
}

fn key_policy<'a>(cert: &'a Certificate, who: &Who<'_>) -> Result<(), Failure<'a>> {
    // Compared as encoded OIDs, read from the SubjectPublicKeyInfo as it stands.
    let Some(oid) = cert.public_key_algorithm_oid() else {
        return Err(fail(
            VerdictCode::ProfileViolation,
            cert,
            format!("{who} has a SubjectPublicKeyInfo that does not decode"),
        ));
    };
    let info = cert.public_key();
    if oid == known::RSA_ENCRYPTION.as_bytes() {
        let bits = info.bits.unwrap_or(0);
        if bits < 2048 || !bits.is_multiple_of(8) {
            return Err(fail(
                VerdictCode::WeakCrypto,
                cert,
                format!("{who} has an RSA key of {bits} bits; browsers require at least 2048, a multiple of 8 (CA/B BR §6.1.5)"),
            ));
        }
    } else if oid == known::EC_PUBLIC_KEY.as_bytes() {
        match info.curve.as_deref() {
            Some("P-256") | Some("P-384") | Some("P-521") => {}
            other => {
                return Err(fail(
                    VerdictCode::WeakCrypto,
                    cert,
                    format!(
                        "{who} has an EC key on curve {}; browsers accept P-256, P-384 and P-521 only (CA/B BR §6.1.5)",
                        other.unwrap_or("(explicit parameters)")
                    ),
                ))
            }
        }
    } else if oid != known::ED25519.as_bytes() {
        return Err(fail(
            VerdictCode::WeakCrypto,
            cert,
            format!(
                "{who} has a {} key, which browsers do not accept",
                info.algorithm
            ),
        ));
    }
    Ok(())
}

fn check_ca<'a>(
    cert: &'a Certificate,
    role: Role,
    browser: bool,
    who: &Who<'_>,
    opts: &VerifyOptions,
) -> Result<(), Failure<'a>> {
    // basicConstraints (RFC 5280 §4.2.1.9): cA asserted; browsers also want it critical.
    match cert.basic_constraints() {
        Some(b) if b.ca => {}
        _ => {
            return Err(fail(
                VerdictCode::NotCa,
                cert,
                format!("{who} is not a CA certificate (basicConstraints cA is not set), so it cannot issue certificates"),
            ))
        }
    }
    if browser && critical(cert, &known::BASIC_CONSTRAINTS) == Some(false) {
        return Err(fail(
            VerdictCode::ProfileViolation,
            cert,
            format!("{who} has a non-critical basicConstraints (RFC 5280 §4.2.1.9: MUST be critical in CA certificates)"),
        ));
    }
    if let Some(ku) = cert.key_usage() {
        if !ku.has(KeyUsage::KEY_CERT_SIGN) {
            return Err(fail(
                VerdictCode::KeyUsage,
                cert,
                format!("{who} does not allow keyCertSign in its keyUsage, so it cannot issue certificates"),
            ));
        }
    }
    // Name constraints: only in CAs, never with both subtree lists empty, and critical
    // (RFC 5280 §4.2.1.10 "MUST mark this extension as critical"; the CA/B BR allow a
    // non-critical one, Java's PKIX follows the RFC only loosely and accepts it).
    if browser && critical(cert, &known::NAME_CONSTRAINTS) == Some(false) {
        return Err(fail(
            VerdictCode::ProfileViolation,
            cert,
            format!("{who} has a non-critical nameConstraints extension (RFC 5280 §4.2.1.10: MUST be critical)"),
        ));
    }
    if let Some(nc) = &cert.extensions().name_constraints {
        let empty = |s: &Option<x509_cert::ext::pkix::constraints::name::GeneralSubtrees>| {
            s.as_ref().is_none_or(|v| v.is_empty())
        };
        if empty(&nc.permitted_subtrees) && empty(&nc.excluded_subtrees) {
            return Err(fail(
                VerdictCode::ProfileViolation,
                cert,
                format!("{who} has a nameConstraints extension with neither permitted nor excluded subtrees (RFC 5280 §4.2.1.10)"),
            ));
        }
    }
    if browser {
        // RFC 5280 §4.2.1.2: CAs MUST carry a subjectKeyIdentifier.
        if cert.subject_key_id().is_none() {
            return Err(fail(
                VerdictCode::ProfileViolation,
                cert,
                format!("{who} has no subjectKeyIdentifier (RFC 5280 §4.2.1.2: required in CA certificates)"),
            ));
        }
        match (role, cert.authority_key_id()) {
            // RFC 5280 §4.2.1.1: required except in self-signed certificates.
            (Role::Intermediate, None) => {
                return Err(fail(
                    VerdictCode::ProfileViolation,
                    cert,
                    format!("{who} has no authorityKeyIdentifier (RFC 5280 §4.2.1.1)"),
                ))
            }
            (Role::Anchor, Some(aki))
                if cert.is_self_issued()
                    && (aki.key_id.is_none()
                        || aki.has_issuer
                        || aki.serial.is_some()
                        || aki.key_id.as_deref() != cert.subject_key_id()) =>
            {
                return Err(fail(
                    VerdictCode::ProfileViolation,
                    cert,
                    format!("{who} has an authorityKeyIdentifier other than its own key identifier (CA/B BR §7.1.2.1.3)"),
                ));
            }
            _ => {}
        }
    }
    // Extended key usage in CAs: a root carries none (CA/B BR §7.1.2.1.2); an intermediate
    // that carries one limits what it may issue for (Chrome and webpki "EKU chaining").
    if let Some(ekus) = &cert.extensions().extended_key_usage {
        if browser && role == Role::Anchor {
            return Err(fail(
                VerdictCode::ExtendedKeyUsage,
                cert,
                format!("{who} is a root with an extendedKeyUsage extension (CA/B BR §7.1.2.1.2)"),
            ));
        }
        if let Some(want) = required_eku(opts.usage) {
            if !ekus.contains(&want) && !ekus.contains(&known::ANY_EKU) {
                return Err(fail(
                    VerdictCode::ExtendedKeyUsage,
                    cert,
                    format!(
                        "{who} restricts its extendedKeyUsage to {} and so cannot issue {} certificates",
                        cert.extended_key_usage().join(", "),
                        opts.usage
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn check_target<'a>(
    cert: &'a Certificate,
    browser: bool,
    who: &Who<'_>,
    opts: &VerifyOptions,
    req: &Requirements,
) -> Result<(), Failure<'a>> {
    if cert.extensions().name_constraints.is_some() {
        return Err(fail(
            VerdictCode::ProfileViolation,
            cert,
            format!("{who} is not a CA but has nameConstraints (RFC 5280 §4.2.1.10)"),
        ));
    }
    if browser {
        if cert.is_ca() {
            return Err(fail(
                VerdictCode::NotCa,
                cert,
                format!("{who} is a CA certificate (basicConstraints cA) used as a server certificate; browsers refuse that"),
            ));
        }
        // RFC 5280 §4.2.1.1: AKI is required except in self-signed certificates.
        if cert.authority_key_id().is_none() && !cert.is_self_issued() {
            return Err(fail(
                VerdictCode::ProfileViolation,
                cert,
                format!("{who} has no authorityKeyIdentifier (RFC 5280 §4.2.1.1)"),
            ));
        }
        match critical(cert, &known::SUBJECT_ALT_NAME) {
            None if opts.usage == Usage::Server => {
                return Err(fail(
                    VerdictCode::ProfileViolation,
                    cert,
                    format!("{who} has no subjectAltName; browsers require the server name there (CA/B BR §7.1.2.7.12)"),
                ))
            }
            Some(true) if !cert.subject().is_empty() => {
                return Err(fail(
                    VerdictCode::ProfileViolation,
                    cert,
                    format!("{who} marks subjectAltName critical although its subject is not empty (CA/B BR §7.1.2.7.12)"),
                ))
            }
            _ => {}
        }
    }
    // Extended key usage (RFC 5280 §4.2.1.12: absent means any use). Browsers require it in
    // a server certificate (CA/B BR §7.1.2.7.10); Java follows the RFC.
    if browser && cert.extensions().extended_key_usage.is_none() && opts.usage != Usage::Any {
        return Err(fail(
            VerdictCode::ExtendedKeyUsage,
            cert,
            format!(
                "{who} has no extendedKeyUsage; browsers require {} in it (CA/B BR §7.1.2.7.10)",
                match opts.usage {
                    Usage::Client => "clientAuth",
                    _ => "serverAuth",
                }
            ),
        ));
    }
    if let (Some(ekus), Some(want)) = (
        &cert.extensions().extended_key_usage,
        required_eku(opts.usage),
    ) {
        let any = ekus.contains(&known::ANY_EKU);
        if browser && (any || critical(cert, &known::EXT_KEY_USAGE) == Some(true)) {
            return Err(fail(
                VerdictCode::ExtendedKeyUsage,
                cert,
                format!("{who} has a critical or anyExtendedKeyUsage extendedKeyUsage, which browsers refuse (CA/B BR §7.1.2.7.10)"),
            ));
        }
        if !ekus.contains(&want) && !any {
            let have = cert.extended_key_usage();
            return Err(fail(
                VerdictCode::ExtendedKeyUsage,
                cert,
                format!(
                    "{who} is not allowed for {} authentication; its extendedKeyUsage is {}",
                    opts.usage,
                    if have.is_empty() {
                        "empty".to_string()
                    } else {
                        have.join(", ")
                    }
                ),
            ));
        }
    }
    if req.key_usage != 0 {
        if let Some(ku) = cert.key_usage() {
            if !ku.has(req.key_usage) {
                return Err(fail(
                    VerdictCode::KeyUsage,
                    cert,
                    format!(
                        "{who} has keyUsage {} which lacks a required bit",
                        ku.names().join(", ")
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// CA/B BR §7.1.4.3: a subject CN, when present, repeats one of the SANs byte for byte (a
/// DNS name as written, an IP address in its RFC 5952 / dotted-quad text form). No browser
/// enforces it (and BetterTLS expects it not to be), so it is a warning: a CN that differs
/// from every SAN misleads whoever reads the certificate in a dialog.
fn cn_not_in_san(cert: &Certificate, who: &Who<'_>) -> Option<String> {
    let san = cert.san()?;
    for cn in cert.subject().values(&known::COMMON_NAME) {
        let in_dns = san.dns.contains(&cn);
        let in_ip = san.ip.iter().any(|ip| ip.to_string() == cn);
        if !in_dns && !in_ip {
            return Some(format!(
                "{who} has common name '{cn}', which is not one of its subjectAltNames (CA/B BR §7.1.4.3)"
            ));
        }
    }
    None
}
