//! What the audit found: one [`Finding`] per broken or risky fact, with the code of
//! `CCE-TRUST.md` §3, where it is (host, importer, exporter, store, alias, fingerprint), a
//! sentence in the administrator's words and the remediation. The plan is built from the
//! machine-readable [`Fix`] each finding carries.

use std::fmt;

use crate::Certificate;

use super::catalog::{Service, StoreKind};
use super::evidence::Unreachable;

/// The finding codes. The first group is `CCE-TRUST.md` §3; `store.stale-alias` and the
/// `evidence.*` codes are ccetrust's own (hygiene and what could not be checked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    /// `name.not-fqdn`
    NameNotFqdn,
    /// `name.mismatch`
    NameMismatch,
    /// `name.cn-not-in-san`
    NameCnNotInSan,
    /// `key.too-small`
    KeyTooSmall,
    /// `key.algorithm`
    KeyAlgorithm,
    /// `sig.weak-hash`
    SigWeakHash,
    /// `ext.critical-unsupported`
    ExtCriticalUnsupported,
    /// `eku.missing-client-server`
    EkuMissingClientServer,
    /// `validity.expired`
    ValidityExpired,
    /// `validity.not-yet`
    ValidityNotYet,
    /// `validity.expiring`
    ValidityExpiring,
    /// `chain.untrusted`
    ChainUntrusted,
    /// `chain.incomplete`
    ChainIncomplete,
    /// `csr.san-mismatch`
    CsrSanMismatch,
    /// `csr.key-mismatch`
    CsrKeyMismatch,
    /// `store.wrong-type`
    StoreWrongType,
    /// `store.duplicate`
    StoreDuplicate,
    /// `store.stale-alias`: the conventional alias holds an older certificate of the exporter.
    StoreStaleAlias,
    /// `store.replication-drift`: a VOS subscriber's collected `tomcat-trust` differs from its
    /// publisher's (replication did not carry some certificates).
    StoreReplicationDrift,
    /// `store.unsafe-alias`: an alias a plan command would have to print that `cmd.exe` cannot
    /// quote safely.
    StoreUnsafeAlias,
    /// `iis.sni`
    IisSni,
    /// `pfx.no-private-key`
    PfxNoPrivateKey,
    /// `evidence.not-collected`: `fetch = true` and no collector ran (offline, or a build
    /// without the `fetch` feature).
    EvidenceNotCollected,
    /// `evidence.unreachable`: `fetch = true` and a service's server could not be reached
    /// or did not complete a TLS handshake.
    EvidenceUnreachable,
    /// `evidence.missing`: a presented chain or store the audit needs is not in the inventory.
    EvidenceMissing,
    /// `evidence.unreadable`: a file the inventory names (chain, CSR, store, PFX) is missing,
    /// unreadable or malformed; what needs it is not judged, the rest of the audit runs.
    EvidenceUnreadable,
}

impl Code {
    /// Every code, in report order.
    pub const ALL: &'static [Code] = &[
        Code::NameNotFqdn,
        Code::NameMismatch,
        Code::NameCnNotInSan,
        Code::KeyTooSmall,
        Code::KeyAlgorithm,
        Code::SigWeakHash,
        Code::ExtCriticalUnsupported,
        Code::EkuMissingClientServer,
        Code::ValidityExpired,
        Code::ValidityNotYet,
        Code::ValidityExpiring,
        Code::ChainUntrusted,
        Code::ChainIncomplete,
        Code::CsrSanMismatch,
        Code::CsrKeyMismatch,
        Code::StoreWrongType,
        Code::StoreDuplicate,
        Code::StoreStaleAlias,
        Code::StoreReplicationDrift,
        Code::StoreUnsafeAlias,
        Code::IisSni,
        Code::PfxNoPrivateKey,
        Code::EvidenceNotCollected,
        Code::EvidenceUnreachable,
        Code::EvidenceMissing,
        Code::EvidenceUnreadable,
    ];

    /// The stable code string (`chain.untrusted`).
    pub fn as_str(self) -> &'static str {
        match self {
            Code::NameNotFqdn => "name.not-fqdn",
            Code::NameMismatch => "name.mismatch",
            Code::NameCnNotInSan => "name.cn-not-in-san",
            Code::KeyTooSmall => "key.too-small",
            Code::KeyAlgorithm => "key.algorithm",
            Code::SigWeakHash => "sig.weak-hash",
            Code::ExtCriticalUnsupported => "ext.critical-unsupported",
            Code::EkuMissingClientServer => "eku.missing-client-server",
            Code::ValidityExpired => "validity.expired",
            Code::ValidityNotYet => "validity.not-yet",
            Code::ValidityExpiring => "validity.expiring",
            Code::ChainUntrusted => "chain.untrusted",
            Code::ChainIncomplete => "chain.incomplete",
            Code::CsrSanMismatch => "csr.san-mismatch",
            Code::CsrKeyMismatch => "csr.key-mismatch",
            Code::StoreWrongType => "store.wrong-type",
            Code::StoreDuplicate => "store.duplicate",
            Code::StoreStaleAlias => "store.stale-alias",
            Code::StoreReplicationDrift => "store.replication-drift",
            Code::StoreUnsafeAlias => "store.unsafe-alias",
            Code::IisSni => "iis.sni",
            Code::PfxNoPrivateKey => "pfx.no-private-key",
            Code::EvidenceNotCollected => "evidence.not-collected",
            Code::EvidenceUnreachable => "evidence.unreachable",
            Code::EvidenceMissing => "evidence.missing",
            Code::EvidenceUnreadable => "evidence.unreadable",
        }
    }

    /// Parses a code string.
    pub fn from_str_code(s: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == s)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Something works now but violates guidance or will break (expiring, hygiene).
    Info,
    /// Will break under a condition, or a vendor rule is violated.
    Warning,
    /// A connection fails today.
    Error,
}

impl Severity {
    /// `error`, `warning`, `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The certificate's place in what is imported: decides VOS upload order and purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CertRole {
    /// A self-signed root CA.
    Root,
    /// An intermediate CA.
    Intermediate,
    /// A server's own certificate.
    Leaf,
}

/// What the plan must do about a finding. Hosts and stores are indexes into the inventory.
#[derive(Debug, Clone)]
pub enum Fix {
    /// Import `cert` into the store under `alias`.
    Import {
        /// Importer host.
        host: usize,
        /// Store index in that host.
        store: usize,
        /// The store kind.
        kind: StoreKind,
        /// Conventional alias (or file name for folders).
        alias: String,
        /// What to import.
        cert: Box<Certificate>,
        /// Root, intermediate or leaf.
        role: CertRole,
        /// Delete what the alias holds first (a stale certificate).
        replace: bool,
    },
    /// Import a certificate that does not exist yet: the exporter must regenerate or re-issue
    /// first, then export it (instructions only).
    ImportAfterReissue {
        /// Importer host.
        host: usize,
        /// Store index, if the importer's store is known.
        store: Option<usize>,
        /// The store kind.
        kind: StoreKind,
        /// Conventional alias.
        alias: String,
        /// The exporter host.
        exporter: usize,
        /// The exporter's service.
        service: Service,
    },
    /// Upload on a VOS node a certificate its cluster peer holds and replication did not
    /// carry (`store.replication-drift`).
    Replicate {
        /// The node that lacks it.
        host: usize,
        /// Store index in that host.
        store: usize,
        /// The store kind.
        kind: StoreKind,
        /// The name it has on the peer (its `.pem` file stem).
        alias: String,
        /// What to upload.
        cert: Box<Certificate>,
        /// Root, intermediate or leaf.
        role: CertRole,
        /// The node that holds it.
        peer: usize,
    },
    /// Delete an alias from the store.
    Delete {
        /// Host.
        host: usize,
        /// Store index.
        store: usize,
        /// The alias to delete.
        alias: String,
    },
    /// Regenerate a self-signed certificate on its own server (CVP keytool `genkeypair`).
    Regenerate {
        /// Host.
        host: usize,
        /// Which certificate.
        service: Service,
    },
    /// Have a certificate re-issued (new CSR, CA signature or new self-signed).
    Reissue {
        /// Host.
        host: usize,
        /// Which certificate.
        service: Service,
        /// What the new certificate must have.
        needs: String,
        /// For a renewal (`validity.*` on a CA-signed certificate): the current certificate,
        /// whose SANs, EKU and key the request repeats.
        renews: Option<Box<Certificate>>,
    },
    /// A configuration change that only the administrator can make.
    Configure {
        /// Host.
        host: usize,
        /// What to change.
        what: String,
    },
}

impl Fix {
    /// The host the fix is carried out on.
    pub fn host(&self) -> usize {
        match self {
            Fix::Import { host, .. }
            | Fix::Replicate { host, .. }
            | Fix::ImportAfterReissue { host, .. }
            | Fix::Delete { host, .. }
            | Fix::Regenerate { host, .. }
            | Fix::Reissue { host, .. }
            | Fix::Configure { host, .. } => *host,
        }
    }
}

/// One thing the audit found.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The code.
    pub code: Code,
    /// How much it matters.
    pub severity: Severity,
    /// The host the finding is about (FQDN).
    pub host: String,
    /// The host that must trust, for trust findings.
    pub importer: Option<String>,
    /// The host whose certificate is concerned.
    pub exporter: Option<String>,
    /// The presented certificate concerned.
    pub service: Option<Service>,
    /// The store concerned (`cacerts at C:\…`).
    pub store: Option<String>,
    /// The alias concerned.
    pub alias: Option<String>,
    /// SHA-256 of the certificate concerned, lowercase hex.
    pub sha256: Option<String>,
    /// The certificate's subject.
    pub subject: Option<String>,
    /// The requirement (`aw.trusts.cvp`) for trust findings.
    pub requirement: Option<&'static str>,
    /// What is wrong, in the administrator's words.
    pub message: String,
    /// What to do about it.
    pub remediation: String,
    /// What the plan does about it.
    pub fix: Vec<Fix>,
    /// For `evidence.unreachable`: which port failed and how.
    pub unreachable: Option<Unreachable>,
}

impl Finding {
    /// A finding about `host` with the rest empty; callers fill in what they know.
    pub fn new(code: Code, severity: Severity, host: &str, message: String) -> Finding {
        Finding {
            code,
            severity,
            host: host.to_string(),
            importer: None,
            exporter: None,
            service: None,
            store: None,
            alias: None,
            sha256: None,
            subject: None,
            requirement: None,
            message,
            remediation: String::new(),
            fix: Vec::new(),
            unreachable: None,
        }
    }

    /// Sets the certificate concerned.
    pub fn cert(mut self, c: &Certificate) -> Finding {
        self.sha256 = Some(c.sha256_hex());
        self.subject = Some(c.subject().to_rfc4514());
        self
    }

    /// Sets the exporter and the service concerned.
    pub fn with_exporter(mut self, fqdn: &str, service: Service) -> Finding {
        self.exporter = Some(fqdn.to_string());
        self.service = Some(service);
        self
    }

    /// Sets the remediation sentence.
    pub fn remedy(mut self, r: impl Into<String>) -> Finding {
        self.remediation = r.into();
        self
    }

    /// Adds a fix.
    pub fn with_fix(mut self, f: Fix) -> Finding {
        self.fix.push(f);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_match_the_domain_file() {
        for c in Code::ALL {
            assert_eq!(Code::from_str_code(c.as_str()), Some(*c));
        }
        // The §3 codes, spelled as the domain file spells them.
        for s in [
            "name.not-fqdn",
            "name.mismatch",
            "name.cn-not-in-san",
            "key.too-small",
            "key.algorithm",
            "sig.weak-hash",
            "ext.critical-unsupported",
            "eku.missing-client-server",
            "validity.expired",
            "validity.not-yet",
            "validity.expiring",
            "chain.untrusted",
            "chain.incomplete",
            "csr.san-mismatch",
            "csr.key-mismatch",
            "store.wrong-type",
            "store.duplicate",
            "iis.sni",
            "pfx.no-private-key",
        ] {
            assert!(Code::from_str_code(s).is_some(), "{s}");
        }
    }
}
