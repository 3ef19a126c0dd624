//! Chain validation: is this server (or client) certificate trusted, and if not, why not?
//!
//! [`verify`] builds every candidate path from the target certificate through a pool of
//! untrusted intermediates to one of the trust anchors, backtracking over each candidate
//! issuer (RFC 4158), and checks each path as RFC 5280 §6 and the chosen [`Profile`] say:
//! signatures, validity at a time, basic constraints and path length, key usage, extended key
//! usage, name constraints and unknown critical extensions. A work [`Budget`] bounds the search
//! so that a hostile pool (cycles, exponential fan-out) cannot hang the caller.
//!
//! When no path is acceptable the [`Verdict`] carries the *most specific* failure met along
//! the way, phrased for the administrator who has to act on it, and the certificate it is
//! about: "no trusted issuer for 'CN=Issuing CA 2' (sha256 …): import that CA into the
//! store" rather than "unknown issuer".

mod build;
mod cache;
mod constraints;
#[doc(hidden)]
pub mod fuzz;
mod keys;
mod policy;

use serde_json::Value;
use std::fmt;
use std::str::FromStr;

use crate::cert::Certificate;
use crate::name::{NameCheck, NameProfile};
use crate::Timestamp;

pub use build::Budget;
pub use cache::clear_caches;

/// Which kind of client's rules to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Profile {
    /// A browser (Finesse, CUIC, the ECE agent console): CA/Browser Forum rules as Chrome
    /// and rustls-webpki apply them. Names from SANs only; SHA-1 refused; a CA certificate
    /// is never a server certificate; strict extension profile.
    #[default]
    Browser,
    /// A Java client (the AW, CVP, ECE services): JSSE's PKIX checks. The CN counts when
    /// there is no DNS SAN; a self-signed server certificate imported into the trust store
    /// is trusted as it is (how keytool-imported IIS, DFP and CVP certificates work); SHA-1
    /// is accepted with a warning.
    Java,
}

impl Profile {
    /// The name-matching rule of this profile.
    pub fn name_profile(self) -> NameProfile {
        match self {
            Profile::Browser => NameProfile::Browser,
            Profile::Java => NameProfile::Java,
        }
    }
}

impl FromStr for Profile {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "browser" => Ok(Profile::Browser),
            "java" => Ok(Profile::Java),
            other => Err(format!(
                "unknown profile '{other}' (expected browser or java)"
            )),
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Profile::Browser => "browser",
            Profile::Java => "java",
        })
    }
}

/// What the target certificate is used for (the extended key usage it must allow).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Usage {
    /// A TLS server certificate (serverAuth).
    #[default]
    Server,
    /// A TLS client certificate (clientAuth), e.g. mutual TLS between CVP and VVB.
    Client,
    /// No extended key usage requirement.
    Any,
}

impl FromStr for Usage {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "server" => Ok(Usage::Server),
            "client" => Ok(Usage::Client),
            "any" => Ok(Usage::Any),
            other => Err(format!(
                "unknown usage '{other}' (expected server, client or any)"
            )),
        }
    }
}

impl fmt::Display for Usage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Usage::Server => "server",
            Usage::Client => "client",
            Usage::Any => "any",
        })
    }
}

/// What to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyOptions {
    /// The host name or IP address the client connects to; `None` checks the chain only.
    pub name: Option<String>,
    /// The time at which the certificates must be valid.
    pub time: Timestamp,
    /// Whose rules apply.
    pub profile: Profile,
    /// What the target certificate is for.
    pub usage: Usage,
}

impl VerifyOptions {
    /// Server certificate, browser profile, no name, at `time`.
    pub fn new(time: Timestamp) -> Self {
        VerifyOptions {
            name: None,
            time,
            profile: Profile::Browser,
            usage: Usage::Server,
        }
    }
}

/// Further requirements that only some callers have (the x509-limbo harness, mutual TLS).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Requirements {
    /// The most intermediates allowed between target and anchor.
    pub max_intermediates: Option<usize>,
    /// keyUsage bits the target must assert (see [`crate::cert::KeyUsage`]), when it has
    /// a keyUsage extension.
    pub key_usage: u16,
    /// E-mail addresses (rfc822Name SANs) the target must carry, e.g. for client
    /// certificates checked under e-mail name constraints.
    pub emails: Vec<String>,
    /// The work budget; `None` for the default.
    pub budget: Option<Budget>,
}

/// A stable, machine-readable verdict code (`valid`, `chain.untrusted_issuer`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum VerdictCode {
    /// A trusted path was found and the name matches.
    Valid,
    /// The chain is trusted but the name is not in the certificate.
    NameMismatch,
    /// The reference name is not a valid host name or IP address.
    InvalidReferenceName,
    /// No path leads to a trust anchor: an issuer is missing.
    UntrustedIssuer,
    /// A certificate's notAfter has passed.
    Expired,
    /// A certificate's notBefore lies in the future.
    NotYetValid,
    /// A signature does not verify with the issuer's key.
    BadSignature,
    /// A signature or key algorithm ccetrust does not implement.
    UnsupportedAlgorithm,
    /// An algorithm or key the profile forbids (SHA-1, RSA below 2048, P-192, DSA).
    WeakCrypto,
    /// An issuing certificate is not a CA (basicConstraints), or a CA is used as a server.
    NotCa,
    /// A pathLenConstraint or the maximum chain depth is exceeded.
    PathTooLong,
    /// keyUsage does not allow the use.
    KeyUsage,
    /// extendedKeyUsage does not allow the use.
    ExtendedKeyUsage,
    /// A name in the chain is outside a CA's name constraints.
    NameConstraints,
    /// An extension marked critical that ccetrust does not understand.
    UnknownCriticalExtension,
    /// An extension or field violates the certificate profile (RFC 5280 / CA/B Forum).
    ProfileViolation,
    /// Path building ran out of its work budget (a hostile or absurd certificate pool).
    BudgetExceeded,
}

impl VerdictCode {
    /// The stable code string.
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictCode::Valid => "valid",
            VerdictCode::NameMismatch => "name.mismatch",
            VerdictCode::InvalidReferenceName => "name.invalid_reference",
            VerdictCode::UntrustedIssuer => "chain.untrusted_issuer",
            VerdictCode::Expired => "validity.expired",
            VerdictCode::NotYetValid => "validity.not_yet_valid",
            VerdictCode::BadSignature => "signature.invalid",
            VerdictCode::UnsupportedAlgorithm => "signature.unsupported",
            VerdictCode::WeakCrypto => "crypto.forbidden",
            VerdictCode::NotCa => "chain.not_ca",
            VerdictCode::PathTooLong => "chain.path_too_long",
            VerdictCode::KeyUsage => "usage.key_usage",
            VerdictCode::ExtendedKeyUsage => "usage.extended_key_usage",
            VerdictCode::NameConstraints => "chain.name_constraints",
            VerdictCode::UnknownCriticalExtension => "extension.unknown_critical",
            VerdictCode::ProfileViolation => "profile.violation",
            VerdictCode::BudgetExceeded => "chain.budget_exceeded",
        }
    }

    /// How specific a failure is, for picking the reason to report among failed paths:
    /// a missing issuer says least; a budget overrun ends the search and is always reported.
    pub(crate) fn rank(self) -> u8 {
        match self {
            VerdictCode::Valid => 0,
            VerdictCode::UntrustedIssuer => 1,
            VerdictCode::BadSignature => 2,
            VerdictCode::BudgetExceeded => 9,
            _ => 5,
        }
    }
}

impl fmt::Display for VerdictCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The outcome of [`verify`].
#[derive(Debug, Clone)]
pub struct Verdict {
    /// Trusted, and the name (if given) matches.
    pub valid: bool,
    /// The machine-readable outcome.
    pub code: VerdictCode,
    /// One sentence for the administrator, naming the certificate and what to do.
    pub reason: String,
    /// The accepted path, target first, anchor last (empty when none was accepted).
    pub path: Vec<Certificate>,
    /// The name check, when a name was given.
    pub name: Option<NameCheck>,
    /// Things that are accepted but deserve attention (SHA-1 under the Java profile, a
    /// certificate about to expire…).
    pub warnings: Vec<String>,
    /// The certificate the failure is about.
    pub concerns: Option<Certificate>,
}

impl Verdict {
    /// The `ccetrust verify --json` document ([`crate::report::verdict_json`]).
    pub fn to_json(&self) -> Value {
        crate::report::verdict_json(self)
    }
}

/// How a certificate is named in a sentence: `'CN=Issuing CA 2' (sha256 ab12…)`.
pub fn describe(cert: &Certificate) -> String {
    let subject = cert.subject().to_rfc4514();
    let subject = if subject.is_empty() {
        "(empty subject)".to_string()
    } else {
        subject
    };
    format!("'{}' (sha256 {})", subject, cert.sha256_hex())
}

/// Verifies `leaf` for `opts`: builds a path through `intermediates` (any order, decoys
/// allowed) to one of `anchors`, checks it, then checks the name.
pub fn verify(
    leaf: &Certificate,
    intermediates: &[Certificate],
    anchors: &[Certificate],
    opts: &VerifyOptions,
) -> Verdict {
    verify_with(leaf, intermediates, anchors, opts, &Requirements::default())
}

/// [`verify`] with further [`Requirements`].
pub fn verify_with(
    leaf: &Certificate,
    intermediates: &[Certificate],
    anchors: &[Certificate],
    opts: &VerifyOptions,
    req: &Requirements,
) -> Verdict {
    let name = opts
        .name
        .as_deref()
        .map(|n| crate::name::check(leaf, n, opts.profile.name_profile()));
    let outcome = build::find_path(leaf, intermediates, anchors, opts, req);
    let (path, mut warnings) = match outcome {
        Ok(ok) => (ok.path, ok.warnings),
        Err(f) => {
            return Verdict {
                valid: false,
                code: f.code,
                reason: f.reason,
                path: Vec::new(),
                name,
                warnings: f.warnings,
                concerns: f.concerns.cloned(),
            }
        }
    };
    if let Some(check) = &name {
        if crate::name::ReferenceName::parse(&check.checked).is_none() {
            return Verdict {
                valid: false,
                code: VerdictCode::InvalidReferenceName,
                reason: format!("'{}' is not a valid host name or IP address", check.checked),
                path,
                name,
                warnings,
                concerns: None,
            };
        }
        if !check.matched {
            return Verdict {
                valid: false,
                code: VerdictCode::NameMismatch,
                reason: check.explain(),
                path,
                concerns: Some(leaf.clone()),
                name,
                warnings,
            };
        }
    }
    for email in &req.emails {
        let present = leaf
            .san()
            .is_some_and(|s| s.email.iter().any(|e| constraints::email_equal(e, email)));
        if !present {
            return Verdict {
                valid: false,
                code: VerdictCode::NameMismatch,
                reason: format!("e-mail address '{email}' not in the certificate"),
                path,
                concerns: Some(leaf.clone()),
                name,
                warnings,
            };
        }
    }
    warnings.dedup();
    let reason = match path.last() {
        // A one-certificate path: the certificate is its own anchor (build.rs).
        Some(anchor) if path.len() == 1 => {
            format!("trusted: {} is itself in the trust store", describe(anchor))
        }
        anchor => format!(
            "trusted: {} chains to trust anchor {}",
            describe(leaf),
            anchor.map(describe).unwrap_or_default()
        ),
    };
    Verdict {
        valid: true,
        code: VerdictCode::Valid,
        reason,
        path,
        name,
        warnings,
        concerns: None,
    }
}
