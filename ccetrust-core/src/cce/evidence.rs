//! The seam between the contact-center model and the certificate machinery: turns an inventory
//! host into what it presents (chains per service) and what its stores hold (alias →
//! certificate), and asks the chain validator whether a connection would be trusted.
//!
//! Everything that reads keystores or validates chains goes through this one file, so the audit
//! and the plan only see [`Evidence`] and [`Decision`].

use std::path::{Path, PathBuf};

use crate::cert::{load_certificates_file, load_file};
use crate::{Certificate, CertificateRequest, Error, Timestamp};

use super::audit::EdgeCode;
use super::catalog::{PasswordSource, Service, StoreFormat, StoreKind};
use super::collect::FetchOptions;
use super::inventory::{Host, Inventory, PasswordRef, StoreRef};
use crate::chain::{Profile, Usage, VerdictCode, VerifyOptions};
use crate::keystore::{Format as KsFormat, Keystore, Password, SaveOptions, StoreFile};

/// One certificate in a store, under its alias (a folder store's alias is the file's stem).
#[derive(Debug, Clone)]
pub struct StoreEntry {
    /// The alias (or file stem).
    pub alias: String,
    /// Index of the certificate in [`StoreContents::anchors`].
    pub anchor: usize,
}

/// What one store of one host holds.
#[derive(Debug, Clone)]
pub struct StoreContents {
    /// The catalog store.
    pub kind: StoreKind,
    /// Index of the host that owns the store in the inventory.
    pub host: usize,
    /// Index of the store in the host's `stores`.
    pub index: usize,
    /// The collected copy.
    pub path: PathBuf,
    /// The format found in the file (or `PemFolder`).
    pub format: StoreFormat,
    /// Aliases, in store order.
    pub entries: Vec<StoreEntry>,
    /// The trusted certificates (what the validator gets as anchors).
    pub anchors: Vec<Certificate>,
}

impl StoreContents {
    /// The certificate under `alias` (case-insensitive, as keytool treats JKS/JCEKS aliases).
    pub fn by_alias(&self, alias: &str) -> Option<&Certificate> {
        self.entries
            .iter()
            .find(|e| e.alias.eq_ignore_ascii_case(alias))
            .and_then(|e| self.anchors.get(e.anchor))
    }

    /// Aliases holding a certificate with this SHA-256.
    pub fn aliases_of(&self, sha256: &[u8; 32]) -> Vec<&str> {
        self.entries
            .iter()
            .filter(|e| {
                self.anchors
                    .get(e.anchor)
                    .is_some_and(|c| &c.sha256() == sha256)
            })
            .map(|e| e.alias.as_str())
            .collect()
    }

    /// Whether the store holds this exact certificate.
    pub fn contains(&self, cert: &Certificate) -> bool {
        let h = cert.sha256();
        self.anchors.iter().any(|a| a.sha256() == h)
    }
}

/// Where a presented chain came from, so a report can say whether it judged an exported file
/// (possibly stale) or what the server presented at a given moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Read from a file listed under `[host.presents]`.
    File(PathBuf),
    /// Collected from the live server (`fetch = true`).
    Fetched(Fetched),
}

impl From<PathBuf> for Source {
    fn from(p: PathBuf) -> Source {
        Source::File(p)
    }
}

impl From<&str> for Source {
    fn from(p: &str) -> Source {
        Source::File(PathBuf::from(p))
    }
}

impl Source {
    /// `file presented/awa-iis.pem` or `fetched from 10.0.0.5:443 at 2026-11-23T08:00:00Z`.
    pub fn describe(&self) -> String {
        match self {
            Source::File(p) => format!("file {}", p.display()),
            Source::Fetched(f) => format!(
                "fetched from {} at {} ({}, {})",
                f.target,
                f.at.to_rfc3339(),
                f.tls_version,
                f.cipher_suite
            ),
        }
    }
}

/// The facts of one collection from a live server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// `host:port` as dialled (the inventory's `address`, else the FQDN).
    pub target: String,
    /// The socket address connected to.
    pub address: String,
    /// The SNI name sent, if any.
    pub sni: Option<String>,
    /// When the server's chain was received.
    pub at: Timestamp,
    /// `TLSv1.2` or `TLSv1.3`.
    pub tls_version: String,
    /// IANA name of the negotiated cipher suite.
    pub cipher_suite: String,
    /// False when a mutual-TLS server ended the handshake after sending its chain.
    pub handshake_completed: bool,
}

/// A chain a host presents for one service, leaf first.
#[derive(Debug, Clone)]
pub struct Presented {
    /// The service.
    pub service: Service,
    /// Leaf first, then whatever the server sends.
    pub chain: Vec<Certificate>,
    /// Where it came from.
    pub source: Source,
}

/// A service of a `fetch = true` host whose chain could not be collected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreachable {
    /// The services served on that port (usually one).
    pub services: Vec<Service>,
    /// `host:port` as dialled.
    pub target: String,
    /// The port.
    pub port: u16,
    /// The failure's stable name: `dns`, `refused`, `timeout_connect`, `timeout_handshake`,
    /// `tls_alert`, `not_tls`, `closed`, `tls`, `connect`, `no_certificate`, `malformed`…
    pub kind: &'static str,
    /// The TLS alert's registered name when `kind` is `tls_alert` (`unrecognized_name`).
    pub alert: Option<&'static str>,
    /// The full error sentence.
    pub message: String,
    /// When the collection run it was part of ended (the attempt ended at or before it).
    pub at: Timestamp,
}

/// Why the chains of a `fetch = true` host were not collected at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotCollected {
    /// Fetching was switched off (`--offline`, or [`super::FetchOptions::offline`]).
    Offline,
    /// The library was built without its `fetch` feature.
    NoFetchFeature,
}

impl NotCollected {
    /// `offline` or `no-fetch-feature`.
    pub fn as_str(self) -> &'static str {
        match self {
            NotCollected::Offline => "offline",
            NotCollected::NoFetchFeature => "no-fetch-feature",
        }
    }
}

/// What is known about one host.
#[derive(Debug, Clone, Default)]
pub struct HostEvidence {
    /// Chains it presents.
    pub presented: Vec<Presented>,
    /// Its stores.
    pub stores: Vec<StoreContents>,
    /// CSRs per service.
    pub csrs: Vec<(Service, CertificateRequest)>,
    /// Whether its shared PFX holds a private key (`None`: no PFX declared).
    pub shared_pfx_has_key: Option<bool>,
    /// Services of a `fetch = true` host that could not be collected, one per port.
    pub unreachable: Vec<Unreachable>,
    /// Set when the host asked to be fetched and nothing was attempted.
    pub not_collected: Option<NotCollected>,
    /// Files the inventory names for this host that could not be read: each is a finding
    /// (`evidence.unreadable`) and what needs it is not judged; the rest of the audit runs.
    pub unreadable: Vec<Unreadable>,
}

/// What an unreadable evidence file was to give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceItem {
    /// The chain a service presents (`[host.presents]`).
    Presents(Service),
    /// The CSR of a service (`[host.csr]`).
    Csr(Service),
    /// A store (`[[host.store]]`).
    Store(StoreKind),
    /// The PFX shared by ECE web servers (`shared_pfx`).
    SharedPfx,
    /// A `[deployment] ca` file.
    DeploymentCa,
}

/// An evidence file named by the inventory that could not be read (missing, unreadable,
/// malformed, wrong password).
#[derive(Debug, Clone)]
pub struct Unreadable {
    /// What it was to give.
    pub item: EvidenceItem,
    /// The file (or folder).
    pub path: PathBuf,
    /// The inventory line that names it (the host's line for `shared_pfx`).
    pub line: usize,
    /// Why it could not be read (the reader's error; never a password).
    pub reason: String,
}

impl HostEvidence {
    /// The chain presented for a service.
    pub fn chain(&self, service: Service) -> Option<&[Certificate]> {
        self.presented
            .iter()
            .find(|p| p.service == service)
            .map(|p| p.chain.as_slice())
    }

    /// The store of a kind.
    pub fn store(&self, kind: StoreKind) -> Option<&StoreContents> {
        self.stores.iter().find(|s| s.kind == kind)
    }

    /// Why the file that was to give `item` could not be read, if it could not.
    pub fn unreadable(&self, item: EvidenceItem) -> Option<&Unreadable> {
        self.unreadable.iter().find(|u| u.item == item)
    }
}

/// Everything read for a deployment, host by host (same order as the inventory).
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// Per host.
    pub hosts: Vec<HostEvidence>,
    /// The deployment's CA certificates (`[deployment] ca`).
    pub ca: Vec<Certificate>,
    /// The `[deployment] ca` files that could not be read (item [`EvidenceItem::DeploymentCa`]).
    pub ca_unreadable: Vec<Unreadable>,
}

impl Evidence {
    /// Reads every file the inventory names and collects the chains of `fetch = true` hosts
    /// with the default [`FetchOptions`] (see [`Evidence::collect_with`]).
    pub fn collect(inv: &Inventory) -> Result<Evidence, Error> {
        Evidence::collect_with(inv, &FetchOptions::default())
    }

    /// Reads every file the inventory names. A host's file that cannot be read (missing,
    /// malformed, wrong password) is recorded in [`HostEvidence::unreadable`] with its
    /// inventory line and the reason, and the rest is read: the audit reports it
    /// (`evidence.unreadable`) and judges nothing that needs it; a `[deployment] ca` file that
    /// cannot be read likewise, in [`Evidence::ca_unreadable`]. Then, for
    /// `fetch = true` hosts, collects each service's chain from the live server (see
    /// [`super::collect`]); a server that cannot be reached is recorded in
    /// [`HostEvidence::unreachable`], not an error, so the rest of the audit still runs.
    pub fn collect_with(inv: &Inventory, fetch: &FetchOptions) -> Result<Evidence, Error> {
        let (mut ca, mut ca_unreadable) = (Vec::new(), Vec::new());
        for f in &inv.ca_files {
            match load_certificates_file(&f.path) {
                Ok(certs) => ca.extend(certs),
                Err(e) => {
                    ca_unreadable.push(unread(EvidenceItem::DeploymentCa, &f.path, f.line, &e))
                }
            }
        }
        let mut hosts = Vec::with_capacity(inv.hosts.len());
        for (i, h) in inv.hosts.iter().enumerate() {
            hosts.push(collect_host(i, h));
        }
        let mut ev = Evidence {
            hosts,
            ca,
            ca_unreadable,
        };
        super::collect::fetch_into(inv, &mut ev, fetch);
        Ok(ev)
    }
}

fn collect_host(index: usize, h: &Host) -> HostEvidence {
    let mut ev = HostEvidence::default();
    for p in &h.presents {
        match load_certificates_file(&p.path) {
            Ok(chain) => ev.presented.push(Presented {
                service: p.service,
                chain,
                source: Source::File(p.path.clone()),
            }),
            Err(e) => ev.unreadable.push(unread(
                EvidenceItem::Presents(p.service),
                &p.path,
                p.line,
                &e,
            )),
        }
    }
    for c in &h.csrs {
        match load_file(&c.path).map(|l| l.csrs.into_iter().next()) {
            Ok(Some(csr)) => ev.csrs.push((c.service, csr)),
            Ok(None) => ev.unreadable.push(unread(
                EvidenceItem::Csr(c.service),
                &c.path,
                c.line,
                &Error::Usage("expected a certificate signing request".into()),
            )),
            Err(e) => ev
                .unreadable
                .push(unread(EvidenceItem::Csr(c.service), &c.path, c.line, &e)),
        }
    }
    for (si, s) in h.stores.iter().enumerate() {
        match read_store(index, si, s) {
            Ok(contents) => ev.stores.push(contents),
            Err(e) => ev
                .unreadable
                .push(unread(EvidenceItem::Store(s.kind), &s.path, s.line, &e)),
        }
    }
    if let Some(pfx) = &h.shared_pfx {
        match pfx_has_private_key(&pfx.path, &pfx.password) {
            Ok(has) => ev.shared_pfx_has_key = Some(has),
            Err(e) => ev
                .unreadable
                .push(unread(EvidenceItem::SharedPfx, &pfx.path, h.line, &e)),
        }
    }
    ev
}

fn unread(item: EvidenceItem, path: &Path, line: usize, e: &Error) -> Unreadable {
    Unreadable {
        item,
        path: path.to_path_buf(),
        line,
        reason: e.to_string(),
    }
}

/// Reads a folder store: every certificate file in it (not recursive), alias = file stem.
fn read_folder(path: &Path) -> Result<Vec<(String, Certificate)>, Error> {
    let rd = std::fs::read_dir(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut files: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .and_then(|e| e.to_str())
                    .map(|e| {
                        matches!(
                            e.to_ascii_lowercase().as_str(),
                            "pem" | "cer" | "crt" | "der"
                        )
                    })
                    .unwrap_or(false)
        })
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let stem = f
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("certificate")
            .to_string();
        let certs = load_certificates_file(&f)?;
        let n = certs.len();
        for (i, c) in certs.into_iter().enumerate() {
            let alias = if n == 1 {
                stem.clone()
            } else {
                format!("{stem}#{}", i + 1)
            };
            out.push((alias, c));
        }
    }
    Ok(out)
}

fn read_store(host: usize, index: usize, s: &StoreRef) -> Result<StoreContents, Error> {
    let (format, pairs) = if s.path.is_dir() {
        (StoreFormat::PemFolder, read_folder(&s.path)?)
    } else {
        read_keystore_file(s)?
    };
    let mut entries = Vec::with_capacity(pairs.len());
    let mut anchors = Vec::with_capacity(pairs.len());
    for (i, (alias, cert)) in pairs.into_iter().enumerate() {
        entries.push(StoreEntry { alias, anchor: i });
        anchors.push(cert);
    }
    Ok(StoreContents {
        kind: s.kind,
        host,
        index,
        path: s.path.clone(),
        format,
        entries,
        anchors,
    })
}

/// The store password, from where the inventory says (never logged, zeroized on drop). A CVP
/// `security.properties` given as the password file yields its `Security.keystorePW`.
pub fn password(kind: StoreKind, r: &PasswordRef) -> Result<Password, Error> {
    match r {
        PasswordRef::Env(var) => Ok(Password::from_env(var)?),
        PasswordRef::File(path) => {
            let bytes = zeroize::Zeroizing::new(crate::error::read_file_as(
                path,
                crate::input::InputKind::Password,
            )?);
            let text = String::from_utf8_lossy(&bytes);
            let props = text.lines().find_map(|l| {
                let (k, v) = l.split_once('=')?;
                (k.trim() == "Security.keystorePW").then(|| v.trim().to_string())
            });
            match props {
                Some(v) => {
                    let v = zeroize::Zeroizing::new(v);
                    Ok(Password::new(&v))
                }
                None => Ok(Password::from_file(path)?),
            }
        }
        PasswordRef::CatalogDefault => match kind.info().password {
            PasswordSource::Default(p) => Ok(Password::new(p)),
            _ => Err(Error::Usage(format!(
                "the {} needs its password: add password_env or password_file to its [[host.store]]",
                kind.info().title
            ))),
        },
    }
}

fn store_format(f: KsFormat) -> StoreFormat {
    match f {
        KsFormat::Jks => StoreFormat::Jks,
        KsFormat::Jceks => StoreFormat::Jceks,
        KsFormat::Pkcs12 => StoreFormat::Pkcs12,
        KsFormat::Pem => StoreFormat::PemFolder,
    }
}

/// Reads a keystore file (JKS, JCEKS, PKCS#12, PEM bundle) through the keystore module. What
/// a Java client trusts from it: every trusted-certificate entry and, as the JDK's
/// `TrustStoreUtil` does, the end-entity certificate of every key entry.
fn read_keystore_file(s: &StoreRef) -> Result<(StoreFormat, Vec<(String, Certificate)>), Error> {
    // A missing variable or password file is named with the store it is for.
    let pw = password(s.kind, &s.password).map_err(|e| e.in_file(&s.path))?;
    let ks = Keystore::load(&s.path, &pw).map_err(|e| Error::from(e).in_file(&s.path))?;
    let pairs = ks
        .entries
        .iter()
        .filter_map(|e| e.certificate().map(|c| (e.alias.clone(), c.clone())))
        .collect();
    Ok((store_format(ks.format), pairs))
}

fn pfx_has_private_key(path: &Path, password_ref: &PasswordRef) -> Result<bool, Error> {
    let pw = password(StoreKind::EceLdapsJks, password_ref).map_err(|e| e.in_file(path))?;
    let ks = Keystore::load(path, &pw).map_err(|e| Error::from(e).in_file(path))?;
    Ok(ks
        .entries
        .iter()
        .any(|e| matches!(e.kind, crate::keystore::EntryKind::PrivateKey(_))))
}

/// Whose rules decide a connection: a Java client or a browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Client {
    /// JSSE (AW/ADS Tomcat, CVP, ECE services, VOS Tomcat).
    Java,
    /// A browser on a desktop.
    Browser,
}

/// Whether a TLS connection would be trusted, and why not.
#[derive(Debug, Clone)]
pub struct Decision {
    /// Trusted and the name matches.
    pub trusted: bool,
    /// The validator's code (`valid`, `chain.untrusted_issuer`, `validity.expired`…).
    pub code: EdgeCode,
    /// The validator's sentence.
    pub reason: String,
}

/// Asks the chain validator whether a client of kind `client` trusts `chain` (leaf first, then
/// what the peer sends) with `anchors` (the store) at `at`. `name` is the FQDN the client
/// connects to when the chain is a TLS server's (checked, with the serverAuth EKU); `None` when
/// the chain is a TLS client's (mutual TLS: the clientAuth EKU, never a host name).
pub fn decide(
    chain: &[Certificate],
    anchors: &[Certificate],
    name: Option<&str>,
    at: Timestamp,
    client: Client,
) -> Decision {
    let Some((leaf, intermediates)) = chain.split_first() else {
        return Decision {
            trusted: false,
            code: EdgeCode::ChainEmpty,
            reason: "the server presented no certificate".into(),
        };
    };
    let opts = VerifyOptions {
        name: name.map(str::to_string),
        time: at,
        profile: match client {
            Client::Java => Profile::Java,
            Client::Browser => Profile::Browser,
        },
        usage: if name.is_some() {
            Usage::Server
        } else {
            Usage::Client
        },
    };
    let v = crate::chain::verify(leaf, intermediates, anchors, &opts);
    // A desktop whose administrator installed this very self-signed certificate among the
    // trusted roots (the vendor's desktop procedure) trusts it as its own anchor, which the
    // strict browser path builder does not model: judge the certificate itself (validity,
    // signature, Java's anchor rule) and then the browser's name rule (SANs only).
    if client == Client::Browser
        && !v.valid
        && v.code == VerdictCode::UntrustedIssuer
        && anchors.iter().any(|a| a.der() == leaf.der())
    {
        let java = crate::chain::verify(
            leaf,
            intermediates,
            anchors,
            &VerifyOptions {
                profile: Profile::Java,
                name: None,
                ..opts
            },
        );
        let name = name.map(|n| crate::name::check(leaf, n, crate::name::NameProfile::Browser));
        return match (java.valid, name.as_ref().is_none_or(|n| n.matched)) {
            (true, true) => Decision {
                trusted: true,
                code: EdgeCode::Verdict(VerdictCode::Valid),
                reason: "trusted: the certificate itself is installed as a trusted root".into(),
            },
            (false, _) => Decision {
                trusted: false,
                code: EdgeCode::Verdict(java.code),
                reason: java.reason,
            },
            (true, false) => Decision {
                trusted: false,
                code: EdgeCode::Verdict(VerdictCode::NameMismatch),
                reason: name.map(|n| n.explain()).unwrap_or_default(),
            },
        };
    }
    Decision {
        trusted: v.valid,
        code: EdgeCode::Verdict(v.code),
        reason: v.reason,
    }
}

/// Whether `cert` names `fqdn` the way a Java client reads it (the audit's `name.mismatch`
/// rule): a DNS SAN equals the FQDN when the certificate has any DNS SAN — JSSE ignores the CN
/// then, as browsers always do (RFC 6125 §6.4.4) —, else the CN does; a `*.` wildcard covers
/// one label; case-insensitive.
pub fn names_host(cert: &Certificate, fqdn: &str) -> bool {
    let dns = cert.subject_alt_names().dns;
    if dns.is_empty() {
        cert.common_name().is_some_and(|cn| names(&cn, fqdn))
    } else {
        dns.iter().any(|d| names(d, fqdn))
    }
}

/// Whether one presented name (a CN or a DNS SAN) covers `fqdn`: equal, or a `*.` wildcard
/// for its first label; case-insensitive, trailing dots ignored.
pub fn names(presented: &str, fqdn: &str) -> bool {
    let fqdn = fqdn.trim_end_matches('.');
    let p = presented.trim_end_matches('.');
    if p.eq_ignore_ascii_case(fqdn) {
        return true;
    }
    match (p.strip_prefix("*."), fqdn.split_once('.')) {
        (Some(suffix), Some((label, rest))) => {
            !label.is_empty() && suffix.eq_ignore_ascii_case(rest)
        }
        _ => false,
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Copies a store (file or folder) to `NAME.YYYYMMDDTHHMMSSZ.bak` beside it (`-2`, `-3`, …
/// when taken), named for the unix time `stamp`, written the keystore module's safe way
/// (temporary file, fsync, the original's mode and owner, never over an existing backup);
/// returns the backup's path.
pub fn backup_store(path: &Path, stamp: i64) -> Result<PathBuf, Error> {
    crate::keystore::backup_store(
        path,
        crate::Timestamp::from_unix(stamp),
        crate::keystore::DEFAULT_LOCK_TIMEOUT,
    )
    .map_err(Error::from)
}

/// Writes `bytes` to `path` through an owner-only temporary file in the same folder and a
/// rename, keeping the replaced file's mode and owner: a crash leaves the old content or
/// the new, never half of one.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    crate::keystore::write_file(path, bytes).map_err(Error::from)
}

/// Imports `cert` under `alias` into a collected store: a `.pem` file in a folder store, or a
/// trusted-certificate entry written through the keystore module's safe save (temporary file,
/// read back, rename; the store keeps its own format, so a JCEKS stays JCEKS).
pub fn import_into(store: &StoreRef, alias: &str, cert: &Certificate) -> Result<(), Error> {
    if store.path.is_dir() {
        let file = store.path.join(format!("{alias}.pem"));
        return write_atomic(&file, cert.to_pem().as_bytes());
    }
    let pw = password(store.kind, &store.password).map_err(|e| e.in_file(&store.path))?;
    let (file, mut ks) = open_for_update(store, &pw)?;
    if ks.format.lowercases_aliases() {
        // keytool stores JKS/JCEKS aliases lower-cased; so does ccetrust, so re-audits match.
        ks.entries.retain(|e| !e.alias.eq_ignore_ascii_case(alias));
        ks.entries.push(crate::keystore::Entry::trusted(
            alias.to_ascii_lowercase(),
            cert.clone(),
        ));
    } else {
        ks.entries.retain(|e| e.alias != alias);
        ks.entries
            .push(crate::keystore::Entry::trusted(alias, cert.clone()));
    }
    save_store(file, &ks, &pw)
}

/// Locks a store file for a read–modify–write and reads it.
pub(super) fn open_for_update(
    store: &StoreRef,
    pw: &Password,
) -> Result<(StoreFile, Keystore), Error> {
    let file = StoreFile::open(&store.path, crate::keystore::DEFAULT_LOCK_TIMEOUT)?;
    match file.load_existing(pw) {
        Ok(ks) => Ok((file, ks)),
        Err(e @ crate::keystore::KeystoreError::Io { .. }) => Err(Error::from(e)),
        Err(e) => Err(Error::from(e).in_file(&store.path)),
    }
}

pub(super) fn save_store(file: StoreFile, ks: &Keystore, pw: &Password) -> Result<(), Error> {
    // The plan's backup step has already copied the store.
    let opts = SaveOptions {
        backup: false,
        ..SaveOptions::default()
    };
    file.save(ks, pw, &opts)?;
    Ok(())
}

/// Deletes `alias` from a collected store.
pub fn delete_from(store: &StoreRef, alias: &str) -> Result<(), Error> {
    if store.path.is_dir() {
        for entry in std::fs::read_dir(&store.path)
            .map_err(io(&store.path))?
            .flatten()
        {
            let p = entry.path();
            let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            if p.is_file() && stem.eq_ignore_ascii_case(alias) {
                std::fs::remove_file(&p).map_err(io(&p))?;
            }
        }
        return Ok(());
    }
    let pw = password(store.kind, &store.password).map_err(|e| e.in_file(&store.path))?;
    let (file, mut ks) = open_for_update(store, &pw)?;
    let before = ks.entries.len();
    ks.entries.retain(|e| !e.alias.eq_ignore_ascii_case(alias));
    if ks.entries.len() == before {
        return Ok(()); // already gone: the plan is idempotent
    }
    save_store(file, &ks, &pw)
}
