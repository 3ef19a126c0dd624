//! The deployment as the administrator describes it: a TOML file naming the product, version,
//! size and domain, and each host with its FQDN, roles, side, VOS cluster position, and where the
//! evidence of its certificates is (files it presents, stores it validates with, or `fetch`).
//!
//! The format is documented in `docs/inventory.md`; every example under `examples/` is one.
//! Errors point at a line and column and say what was expected, because this file is written by
//! hand, often by someone reading a vendor guide at the same time.
//!
//! ```toml
//! [deployment]
//! name = "PCCE lab"
//! product = "pcce"          # pcce | ucce | uccx
//! version = "12.5"
//! size = 2000               # agents: 2000 | 4000 | 12000 (PCCE)
//! domain = "lab.example.com"
//! system_id = 1             # ICM system ID: CTI secure port 42030 + 2000 × (id − 1)
//! ca = ["ca/root.pem"]      # CA certificates the administrator can import (optional)
//!
//! [[host]]
//! name = "awa"
//! fqdn = "awa.lab.example.com"
//! roles = ["aw"]
//! side = "A"
//! [host.presents]           # service = certificate chain file (PEM or DER, leaf first)
//! iis = "presented/awa-iis.pem"
//! [[host.store]]
//! kind = "cacerts"          # a store of the catalog
//! path = "stores/awa/cacerts"
//! password_file = "stores/awa/cacerts.password"   # or password_env = "VAR"
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::shell::{cmd_unsafe, escape_control};

use super::catalog::{Product, Role, Service, StoreFormat, StoreKind, Version, SIZES};

/// An inventory that could not be read: where, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct InventoryError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// Byte offset into the file.
    pub offset: usize,
    /// What was wrong and what was expected.
    pub message: String,
}

/// Whether the deployment's servers use self-signed or CA-signed identity certificates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateModel {
    /// Each server's own self-signed certificate is imported everywhere (the 12.5 default).
    SelfSigned,
    /// Servers carry CA-signed certificates; importers need each CA once.
    CaSigned,
}

/// Side A or B of a duplexed pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Side A.
    A,
    /// Side B.
    B,
}

/// A VOS node's position in its cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node {
    /// The publisher (primary): CA certificates are uploaded here and replicate.
    Publisher,
    /// A subscriber (secondary).
    Subscriber,
}

/// Where a store's password comes from when ccetrust reads the collected copy.
#[derive(Clone, PartialEq, Eq)]
pub enum PasswordRef {
    /// An environment variable's name.
    Env(String),
    /// A file holding the password (or a CVP `security.properties`).
    File(PathBuf),
    /// The catalog's documented default for this store (`changeit` for `cacerts`).
    CatalogDefault,
}

impl fmt::Debug for PasswordRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Names where the secret is, never the secret.
        match self {
            PasswordRef::Env(v) => write!(f, "Env({v})"),
            PasswordRef::File(p) => write!(f, "File({})", p.display()),
            PasswordRef::CatalogDefault => f.write_str("CatalogDefault"),
        }
    }
}

/// A store of one host, as collected for the audit.
#[derive(Debug, Clone)]
pub struct StoreRef {
    /// Which store of the catalog.
    pub kind: StoreKind,
    /// The collected copy ccetrust reads (a keystore file or a folder of certificates).
    pub path: PathBuf,
    /// The declared format; `None` means the catalog's (sniffed for files).
    pub format: Option<StoreFormat>,
    /// Where its password comes from.
    pub password: PasswordRef,
    /// The store's path on the server, for the plan's commands (the catalog default if unset).
    pub server_path: Option<String>,
    /// Line of the `[[host.store]]` table.
    pub line: usize,
}

/// A certificate chain file a host presents for one service.
#[derive(Debug, Clone)]
pub struct PresentedFile {
    /// The service.
    pub service: Service,
    /// The chain file (leaf first).
    pub path: PathBuf,
    /// Line of the inventory that names the file.
    pub line: usize,
}

/// A `[deployment] ca` file: the deployment's CA certificates (roots and intermediates).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaFile {
    /// The file.
    pub path: PathBuf,
    /// Line of the inventory that names it.
    pub line: usize,
}

/// The IIS https binding of an ECE web server (from `netsh http show sslcert` / IIS Manager).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IisBinding {
    /// The binding's host name (must be empty for SPOG).
    pub host_name: String,
    /// "Require Server Name Indication" (must be off).
    pub sni_required: bool,
}

/// A PFX shared by several web servers behind an SSL-passthrough load balancer.
#[derive(Debug, Clone)]
pub struct SharedPfx {
    /// The file.
    pub path: PathBuf,
    /// Its password.
    pub password: PasswordRef,
}

/// One server (or desktop) of the deployment.
#[derive(Debug, Clone)]
pub struct Host {
    /// Short name used in reports (defaults to the FQDN's first label).
    pub name: String,
    /// The name the deployment reaches it by.
    pub fqdn: String,
    /// What it does.
    pub roles: Vec<Role>,
    /// Side A/B.
    pub side: Option<Side>,
    /// VOS cluster name.
    pub cluster: Option<String>,
    /// Publisher or subscriber in that cluster.
    pub node: Option<Node>,
    /// Chain files per service.
    pub presents: Vec<PresentedFile>,
    /// CSR files per service (checked against the certificate VOS would receive).
    pub csrs: Vec<PresentedFile>,
    /// Its stores.
    pub stores: Vec<StoreRef>,
    /// Collect the presented chains over the network (services without a file under
    /// `[host.presents]`), from the catalog's ports or the `ports` overrides.
    pub fetch: bool,
    /// Where to connect when fetching, instead of resolving the FQDN: an IP address or another
    /// name (a jump host without the deployment's DNS). The FQDN is still sent as SNI.
    pub address: Option<String>,
    /// Ports that differ from the catalog's (`ports = { iis = 8443 }`), per service.
    pub ports: Vec<(Service, u16)>,
    /// ECE web server's IIS binding, when described.
    pub iis_binding: Option<IisBinding>,
    /// ECE web server's shared PFX, when behind an SSL-passthrough load balancer.
    pub shared_pfx: Option<SharedPfx>,
    /// Line of the `[[host]]` table.
    pub line: usize,
}

impl Host {
    /// Whether the host has `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether this host is a VOS subscriber (its replicated stores come from the publisher).
    pub fn is_subscriber(&self) -> bool {
        self.node == Some(Node::Subscriber)
    }

    /// The port clients reach `service` on: the inventory's override, else the catalog's port
    /// for the first of the host's roles that presents it (`system_id` places the CTI port).
    pub fn port(&self, service: Service, system_id: u32) -> u16 {
        if let Some(&(_, p)) = self.ports.iter().find(|(s, _)| *s == service) {
            return p;
        }
        let role = self
            .roles
            .iter()
            .copied()
            .find(|r| r.info().presents.contains(&service));
        match role {
            Some(r) => service.port(r, system_id),
            None => service.info().port,
        }
    }

    /// The presented-chain file for a service, if declared.
    pub fn presented(&self, service: Service) -> Option<&Path> {
        self.presents
            .iter()
            .find(|p| p.service == service)
            .map(|p| p.path.as_path())
    }
}

/// A whole deployment.
#[derive(Debug, Clone)]
pub struct Inventory {
    /// Display name.
    pub name: String,
    /// Product line.
    pub product: Product,
    /// Version.
    pub version: Version,
    /// Agents (2000/4000/12000) when declared.
    pub size: Option<u32>,
    /// DNS domain.
    pub domain: Option<String>,
    /// ICM system ID (CTI secure port).
    pub system_id: u32,
    /// Self-signed or CA-signed.
    pub certificates: CertificateModel,
    /// CA certificate files the administrator can import.
    pub ca_files: Vec<CaFile>,
    /// The hosts, in file order.
    pub hosts: Vec<Host>,
    /// The folder relative paths are resolved against.
    pub base_dir: PathBuf,
}

impl Inventory {
    /// Reads and checks an inventory file; relative paths are resolved against its folder.
    pub fn load(path: &Path) -> Result<Inventory, crate::Error> {
        let bytes = crate::error::read_file_as(path, crate::input::InputKind::Inventory)?;
        let text = String::from_utf8(bytes).map_err(|e| {
            crate::Error::from(InventoryError {
                line: 1,
                column: 1,
                offset: e.utf8_error().valid_up_to(),
                message: "the file is not UTF-8 text".into(),
            })
            .in_file(path)
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        Inventory::parse(&text, base).map_err(|e| crate::Error::from(e).in_file(path))
    }

    /// Parses inventory text; relative paths are resolved against `base_dir`.
    pub fn parse(text: &str, base_dir: &Path) -> Result<Inventory, InventoryError> {
        let raw: RawInventory = toml::from_str(text).map_err(|e| {
            let offset = e.span().map(|s| s.start).unwrap_or(0);
            at(text, offset, e.message().trim_end().to_string())
        })?;
        // Where each line starts, so positions cost a binary search, not a scan from the top
        // (an inventory of 10,000 hosts stays linear to read).
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Checker {
            text,
            base_dir,
            line_starts,
        }
        .check(raw)
    }

    /// The publisher of a VOS cluster.
    pub fn publisher_of(&self, cluster: &str) -> Option<usize> {
        self.hosts
            .iter()
            .position(|h| h.cluster.as_deref() == Some(cluster) && h.node == Some(Node::Publisher))
    }

    /// Index of the host with this FQDN or name.
    pub fn host_index(&self, name: &str) -> Option<usize> {
        self.hosts
            .iter()
            .position(|h| h.fqdn.eq_ignore_ascii_case(name) || h.name.eq_ignore_ascii_case(name))
    }
}

/// Whether `s` can be dialled: an IPv4/IPv6 address, or a host name of letters, digits,
/// hyphens and dots (RFC 1123 labels, 1–63 characters, not starting or ending with `-`).
fn is_address(s: &str) -> bool {
    if s.parse::<std::net::IpAddr>().is_ok() {
        return true;
    }
    let name = s.strip_suffix('.').unwrap_or(s);
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// Why `s` is not an RFC 1123 host name (RFC 1123 §2.1, RFC 952: labels of 1–63 letters,
/// digits and hyphens, not starting or ending with a hyphen, 253 characters in all, never in
/// dotted-decimal form), or `None` when it is one. A trailing dot is refused too: the FQDN goes
/// into certificates and commands, and Java clients do not match `host.example.com.`.
///
/// With `ip_ok`, an IP address passes: a host the inventory names by address is a finding
/// (`name.not-fqdn`, with the administrator's fix), not an unreadable inventory.
fn host_name_error(s: &str, ip_ok: bool) -> Option<String> {
    if s.is_empty() {
        return Some("it is empty".into());
    }
    if s.len() > 253 {
        return Some(format!("it is {} characters long; at most 253", s.len()));
    }
    if s.parse::<std::net::IpAddr>().is_ok() {
        return (!ip_ok).then(|| "it is an IP address, not a name".into());
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '.'))
    {
        let c = match c {
            ' ' => "a space".to_string(),
            c => format!("`{}`", escape_control(&c.to_string())),
        };
        return Some(format!("{c} is not a letter, digit, hyphen or dot"));
    }
    if s.ends_with('.') {
        return Some("it ends with a dot; write the name without it".into());
    }
    for label in s.split('.') {
        if label.is_empty() {
            return Some("it has an empty label (two dots in a row, or a leading dot)".into());
        }
        if label.len() > 63 {
            return Some(format!("label `{label}` is longer than 63 characters"));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some(format!("label `{label}` starts or ends with a hyphen"));
        }
    }
    None
}

/// Turns a byte offset into a positioned error.
fn at(text: &str, offset: usize, message: String) -> InventoryError {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count() + 1)
        .unwrap_or(1);
    InventoryError {
        line,
        column,
        offset,
        message,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInventory {
    deployment: Spanned<RawDeployment>,
    #[serde(default)]
    host: Vec<Spanned<RawHost>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeployment {
    name: Option<Spanned<String>>,
    product: Spanned<String>,
    version: Spanned<String>,
    size: Option<Spanned<u32>>,
    domain: Option<Spanned<String>>,
    system_id: Option<Spanned<u32>>,
    certificates: Option<Spanned<String>>,
    #[serde(default)]
    ca: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHost {
    name: Option<Spanned<String>>,
    fqdn: Spanned<String>,
    roles: Spanned<Vec<Spanned<String>>>,
    side: Option<Spanned<String>>,
    cluster: Option<Spanned<String>>,
    node: Option<Spanned<String>>,
    #[serde(default)]
    presents: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    csr: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    store: Vec<Spanned<RawStore>>,
    #[serde(default)]
    fetch: bool,
    address: Option<Spanned<String>>,
    #[serde(default)]
    ports: BTreeMap<String, Spanned<i64>>,
    iis_binding: Option<RawIisBinding>,
    shared_pfx: Option<RawPfx>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStore {
    kind: Spanned<String>,
    path: Spanned<String>,
    format: Option<Spanned<String>>,
    password_env: Option<Spanned<String>>,
    password_file: Option<Spanned<String>>,
    server_path: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIisBinding {
    host_name: Option<Spanned<String>>,
    #[serde(default)]
    sni_required: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPfx {
    path: Spanned<String>,
    password_env: Option<Spanned<String>>,
    password_file: Option<Spanned<String>>,
}

struct Checker<'a> {
    text: &'a str,
    base_dir: &'a Path,
    line_starts: Vec<usize>,
}

fn one_of<'i>(items: impl Iterator<Item = &'i str>) -> String {
    items
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Checker<'_> {
    /// 1-based line of a byte offset.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset).max(1)
    }

    fn err<T>(&self, span: std::ops::Range<usize>, message: String) -> Result<T, InventoryError> {
        Err(at(self.text, span.start, message))
    }

    /// `v` (trimmed) when it is an RFC 1123 host name (or, with `ip_ok`, an IP address);
    /// `what` names the field.
    fn host_name(
        &self,
        what: &str,
        v: &Spanned<String>,
        ip_ok: bool,
    ) -> Result<String, InventoryError> {
        let name = v.get_ref().trim();
        match host_name_error(name, ip_ok) {
            None => Ok(name.to_string()),
            Some(why) => self.err(
                v.span(),
                format!(
                    "{what} `{}` is not an RFC 1123 host name: {why}; expected e.g. \"awa.lab.example.com\"",
                    escape_control(name)
                ),
            ),
        }
    }

    /// `v` when the plan can place it in a `cmd.exe` command ([`cmd_unsafe`]).
    fn typed(&self, what: &str, v: Spanned<String>) -> Result<String, InventoryError> {
        match cmd_unsafe(v.get_ref()) {
            None => Ok(v.into_inner()),
            Some(why) => self.err(
                v.span(),
                format!(
                    "{what} `{}` goes into the plan's commands, and {why}; expected no \" % ! ^ & | < > or control characters",
                    escape_control(v.get_ref())
                ),
            ),
        }
    }

    /// `v` when it holds no control character (it is shown in reports, never typed).
    fn text(&self, what: &str, v: Spanned<String>) -> Result<String, InventoryError> {
        if v.get_ref().chars().any(char::is_control) {
            return self.err(
                v.span(),
                format!(
                    "{what} `{}` holds a control character; expected printable text",
                    escape_control(v.get_ref())
                ),
            );
        }
        Ok(v.into_inner())
    }

    /// A file the inventory names, resolved against its folder (no control characters).
    fn file(&self, what: &str, v: &Spanned<String>) -> Result<PathBuf, InventoryError> {
        let p = self.text(what, v.clone())?;
        Ok(self.path(&p))
    }

    fn path(&self, p: &str) -> PathBuf {
        let p = Path::new(p);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base_dir.join(p)
        }
    }

    fn password(
        &self,
        env: Option<Spanned<String>>,
        file: Option<Spanned<String>>,
        span: std::ops::Range<usize>,
    ) -> Result<PasswordRef, InventoryError> {
        match (env, file) {
            (Some(_), Some(_)) => self.err(
                span,
                "give the password as `password_env` or `password_file`, not both".into(),
            ),
            (Some(v), None) => Ok(PasswordRef::Env(self.text("password_env", v)?)),
            (None, Some(f)) => Ok(PasswordRef::File(self.file("password_file", &f)?)),
            (None, None) => Ok(PasswordRef::CatalogDefault),
        }
    }

    fn check(&self, raw: RawInventory) -> Result<Inventory, InventoryError> {
        let dspan = raw.deployment.span();
        let d = raw.deployment.into_inner();
        let product = Product::from_key(d.product.get_ref()).ok_or_else(|| {
            at(
                self.text,
                d.product.span().start,
                format!(
                    "unknown product `{}`; expected `pcce`, `ucce` or `uccx`",
                    d.product.get_ref()
                ),
            )
        })?;
        let version = Version::parse(d.version.get_ref()).ok_or_else(|| {
            at(
                self.text,
                d.version.span().start,
                format!(
                    "version `{}` is not `major.minor` (e.g. \"12.5\")",
                    d.version.get_ref()
                ),
            )
        })?;
        let size = match d.size {
            Some(s) if !SIZES.contains(s.get_ref()) => {
                return self.err(
                    s.span(),
                    format!(
                        "size {} is not a deployment model; expected 2000, 4000 or 12000 agents",
                        s.get_ref()
                    ),
                )
            }
            Some(s) => Some(s.into_inner()),
            None => None,
        };
        let system_id = match d.system_id {
            Some(s) if *s.get_ref() == 0 || *s.get_ref() > 11 => return self.err(
                s.span(),
                "system_id must be between 1 and 11 (CTI port 42030 + 2000 × (id − 1) must fit)"
                    .into(),
            ),
            Some(s) => s.into_inner(),
            None => 1,
        };
        let certificates = match d.certificates {
            None => CertificateModel::SelfSigned,
            Some(c) => match c.get_ref().as_str() {
                "self-signed" => CertificateModel::SelfSigned,
                "ca-signed" => CertificateModel::CaSigned,
                other => {
                    return self.err(
                        c.span(),
                        format!("certificates = `{other}`; expected `self-signed` or `ca-signed`"),
                    )
                }
            },
        };
        let ca_files =
            d.ca.iter()
                .map(|c| {
                    Ok(CaFile {
                        path: self.file("ca", c)?,
                        line: self.line_of(c.span().start),
                    })
                })
                .collect::<Result<_, InventoryError>>()?;
        let name = match d.name {
            Some(n) => self.text("name", n)?,
            None => "deployment".into(),
        };
        let domain = match &d.domain {
            Some(v) => Some(self.host_name("domain", v, false)?),
            None => None,
        };
        let _ = dspan;

        let mut hosts = Vec::with_capacity(raw.host.len());
        let mut seen = BTreeSet::new();
        for h in raw.host {
            let span = h.span();
            let host = self.host(h.into_inner(), span.clone())?;
            if !seen.insert(host.fqdn.to_ascii_lowercase()) {
                return self.err(
                    span,
                    format!("host `{}` is listed twice; each FQDN once", host.fqdn),
                );
            }
            hosts.push(host);
        }
        let inv = Inventory {
            name,
            product,
            version,
            size,
            domain,
            system_id,
            certificates,
            ca_files,
            hosts,
            base_dir: self.base_dir.to_path_buf(),
        };
        // Every VOS cluster with nodes needs its publisher: that is where CA certificates go.
        let mut publishers: BTreeMap<&str, usize> = BTreeMap::new();
        for h in &inv.hosts {
            if let Some(c) = &h.cluster {
                *publishers.entry(c).or_default() += usize::from(h.node == Some(Node::Publisher));
            }
        }
        for h in &inv.hosts {
            if let Some(c) = &h.cluster {
                let n = publishers.get(c.as_str()).copied().unwrap_or(0);
                if n != 1 {
                    let at_line = self
                        .line_starts
                        .get(h.line.saturating_sub(1))
                        .copied()
                        .unwrap_or(0);
                    return self.err(
                        at_line..at_line,
                        format!(
                            "cluster `{c}` has {n} publishers; expected exactly one host with node = \"publisher\""
                        ),
                    );
                }
            }
        }
        Ok(inv)
    }

    fn host(&self, h: RawHost, span: std::ops::Range<usize>) -> Result<Host, InventoryError> {
        let line = self.line_of(span.start);
        if h.fqdn.get_ref().trim().is_empty() {
            return self.err(
                h.fqdn.span(),
                "fqdn is empty; expected the server's FQDN".into(),
            );
        }
        let fqdn = self.host_name("fqdn", &h.fqdn, true)?;
        let name = match h.name {
            Some(n) => Some(self.typed("name", n)?),
            None => None,
        };
        let cluster = match h.cluster {
            Some(c) => Some(self.typed("cluster", c)?),
            None => None,
        };
        let roles = self.roles(&h.roles)?;
        let (side, node) = self.position(&h.side, &h.node, cluster.is_some(), &span)?;
        let presented_by_roles: Vec<Service> = roles
            .iter()
            .flat_map(|r| r.info().presents.iter().copied())
            .collect();
        let mut presents = Vec::new();
        for (map, out) in [(&h.presents, &mut presents)] {
            for (key, file) in map {
                let service = self.service(key, file.span(), &presented_by_roles, &roles)?;
                out.push(PresentedFile {
                    service,
                    path: self.file(key, file)?,
                    line: self.line_of(file.span().start),
                });
            }
        }
        let mut csrs = Vec::new();
        for (key, file) in &h.csr {
            let service = self.service(key, file.span(), &presented_by_roles, &roles)?;
            csrs.push(PresentedFile {
                service,
                path: self.file(key, file)?,
                line: self.line_of(file.span().start),
            });
        }
        let stores = h
            .store
            .into_iter()
            .map(|st| self.store(st, &roles))
            .collect::<Result<Vec<_>, _>>()?;
        let mut ports = Vec::new();
        for (key, port) in &h.ports {
            let service = self.service(key, port.span(), &presented_by_roles, &roles)?;
            let p = match u16::try_from(*port.get_ref()) {
                Ok(p) if p != 0 => p,
                _ => {
                    return self.err(
                        port.span(),
                        format!(
                        "port {} for `{key}` is not a TCP port; expected a number from 1 to 65535",
                        port.get_ref()
                    ),
                    )
                }
            };
            ports.push((service, p));
        }
        let address = match &h.address {
            None => None,
            Some(a) => {
                let v = a.get_ref().trim();
                if !is_address(v) {
                    return self.err(
                        a.span(),
                        format!(
                            "address `{}` is not an IP address or host name; expected e.g. \"10.10.10.21\" or \"awa.lab.example.com\"",
                            escape_control(a.get_ref())
                        ),
                    );
                }
                Some(v.to_string())
            }
        };
        let shared_pfx = match h.shared_pfx {
            None => None,
            Some(p) => Some(SharedPfx {
                path: self.file("path", &p.path)?,
                password: self.password(p.password_env, p.password_file, span.clone())?,
            }),
        };
        let iis_binding = match h.iis_binding {
            Some(b) => Some(IisBinding {
                host_name: match b.host_name {
                    Some(n) => self.text("host_name", n)?,
                    None => String::new(),
                },
                sni_required: b.sni_required,
            }),
            None => None,
        };
        Ok(Host {
            name: name.unwrap_or_else(|| fqdn.split('.').next().unwrap_or(&fqdn).to_string()),
            fqdn,
            roles,
            side,
            cluster,
            node,
            presents,
            csrs,
            stores,
            fetch: h.fetch,
            address,
            ports,
            iis_binding,
            shared_pfx,
            line,
        })
    }

    /// Side A/B and the VOS node position; `cluster` says whether the host names its cluster.
    fn position(
        &self,
        side: &Option<Spanned<String>>,
        node: &Option<Spanned<String>>,
        cluster: bool,
        span: &std::ops::Range<usize>,
    ) -> Result<(Option<Side>, Option<Node>), InventoryError> {
        let side_pos = match side {
            None => None,
            Some(s) => match s.get_ref().to_ascii_uppercase().as_str() {
                "A" => Some(Side::A),
                "B" => Some(Side::B),
                other => {
                    return self.err(s.span(), format!("side `{other}`; expected \"A\" or \"B\""))
                }
            },
        };
        let node_pos = match node {
            None => None,
            Some(n) => match n.get_ref().to_ascii_lowercase().as_str() {
                "publisher" | "primary" => Some(Node::Publisher),
                "subscriber" | "secondary" => Some(Node::Subscriber),
                other => {
                    return self.err(
                        n.span(),
                        format!("node `{other}`; expected \"publisher\" or \"subscriber\""),
                    )
                }
            },
        };
        if node_pos.is_some() && !cluster {
            let s = node.as_ref().map(|n| n.span()).unwrap_or(span.clone());
            return self.err(
                s,
                "node is set but cluster is not; name the VOS cluster".into(),
            );
        }
        if cluster && node_pos.is_none() {
            return self.err(
                span.clone(),
                "cluster is set but node is not; expected node = \"publisher\" or \"subscriber\""
                    .into(),
            );
        }
        Ok((side_pos, node_pos))
    }

    /// The host's roles, each once, in file order.
    fn roles(&self, v: &Spanned<Vec<Spanned<String>>>) -> Result<Vec<Role>, InventoryError> {
        let mut roles = Vec::new();
        if v.get_ref().is_empty() {
            return self.err(
                v.span(),
                "roles is empty; expected at least one role".into(),
            );
        }
        for r in v.get_ref() {
            match Role::from_key(r.get_ref()) {
                Some(role) if !roles.contains(&role) => roles.push(role),
                Some(_) => {}
                None => {
                    return self.err(
                        r.span(),
                        format!(
                            "unknown role `{}`; expected one of {}",
                            r.get_ref(),
                            one_of(super::catalog::ROLES.iter().map(|i| i.key))
                        ),
                    )
                }
            }
        }
        Ok(roles)
    }

    /// One `[[host.store]]` table of a host with `roles`.
    fn store(&self, s: Spanned<RawStore>, roles: &[Role]) -> Result<StoreRef, InventoryError> {
        let sspan = s.span();
        let s = s.into_inner();
        let kind = StoreKind::from_key(s.kind.get_ref()).ok_or_else(|| {
            at(
                self.text,
                s.kind.span().start,
                format!(
                    "unknown store kind `{}`; expected one of {}",
                    s.kind.get_ref(),
                    one_of(super::catalog::STORES.iter().map(|i| i.key))
                ),
            )
        })?;
        let allowed: Vec<StoreKind> = roles
            .iter()
            .flat_map(|r| r.info().stores.iter().copied())
            .collect();
        if !allowed.contains(&kind) {
            return self.err(
                s.kind.span(),
                format!(
                    "roles {} do not validate with a `{}` store; expected one of [{}]",
                    one_of(roles.iter().map(|r| r.key())),
                    kind.key(),
                    one_of(allowed.iter().map(|k| k.key()))
                ),
            );
        }
        let format = match &s.format {
            None => None,
            Some(f) => Some(StoreFormat::from_key(f.get_ref()).ok_or_else(|| {
                at(
                    self.text,
                    f.span().start,
                    format!(
                        "unknown store format `{}`; expected `jks`, `jceks`, `pkcs12` or `pem-folder`",
                        f.get_ref()
                    ),
                )
            })?),
        };
        if s.path.get_ref().is_empty() {
            return self.err(
                s.path.span(),
                "path is empty; expected the collected store".into(),
            );
        }
        let password = self.password(s.password_env, s.password_file, sspan.clone())?;
        let server_path = match s.server_path {
            Some(p) => Some(self.typed("server_path", p)?),
            None => None,
        };
        Ok(StoreRef {
            kind,
            path: self.file("path", &s.path)?,
            format,
            password,
            server_path,
            line: self.line_of(sspan.start),
        })
    }

    fn service(
        &self,
        key: &str,
        span: std::ops::Range<usize>,
        presented: &[Service],
        roles: &[Role],
    ) -> Result<Service, InventoryError> {
        match Service::from_key(key) {
            Some(s) if presented.contains(&s) => Ok(s),
            _ => self.err(
                span,
                format!(
                    "`{key}` is not a certificate that roles {} present; expected one of {}",
                    one_of(roles.iter().map(|r| r.key())),
                    one_of(presented.iter().map(|s| s.key()))
                ),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[deployment]
product = "pcce"
version = "12.5"
size = 2000

[[host]]
fqdn = "awa.lab.example.com"
roles = ["aw"]
side = "A"
[host.presents]
iis = "awa-iis.pem"
[[host.store]]
kind = "cacerts"
path = "awa/cacerts"
"#;

    #[test]
    fn reads_a_host_with_presents_and_store() {
        let inv = Inventory::parse(GOOD, Path::new("/inv")).unwrap();
        assert_eq!(inv.hosts.len(), 1);
        let h = &inv.hosts[0];
        assert_eq!(h.name, "awa");
        assert_eq!(h.roles, vec![Role::AwAds]);
        assert_eq!(
            h.presented(Service::Iis),
            Some(Path::new("/inv/awa-iis.pem"))
        );
        assert_eq!(h.stores[0].kind, StoreKind::JavaCacerts);
        assert_eq!(h.stores[0].password, PasswordRef::CatalogDefault);
        assert_eq!(h.line, 7);
    }

    fn error_of(text: &str) -> InventoryError {
        Inventory::parse(text, Path::new(".")).unwrap_err()
    }

    #[test]
    fn unknown_role_points_at_the_role() {
        let e = error_of(&GOOD.replace("[\"aw\"]", "[\"aw\", \"roger\"]"));
        assert_eq!((e.line, e.column), (9, 16));
        assert!(e.message.contains("unknown role `roger`"), "{}", e.message);
        assert!(e.message.contains("`rogger`"));
    }

    #[test]
    fn store_not_used_by_role_is_refused() {
        let e = error_of(&GOOD.replace("kind = \"cacerts\"", "kind = \"cvp-keystore\""));
        assert_eq!(e.line, 14);
        assert!(
            e.message.contains("expected one of [`cacerts`]"),
            "{}",
            e.message
        );
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let e = error_of(&GOOD.replace("side = \"A\"", "side = A"));
        assert_eq!(e.line, 10);
        assert!(e.column >= 8, "{e}");
    }

    #[test]
    fn unknown_fields_are_named() {
        let e = error_of(&GOOD.replace("side = \"A\"", "sid = \"A\""));
        assert!(e.message.contains("unknown field `sid`"), "{}", e.message);
        assert_eq!(e.line, 10);
    }

    #[test]
    fn presented_service_must_belong_to_a_role() {
        let e = error_of(&GOOD.replace("iis = ", "tomcat = "));
        assert_eq!(e.line, 12);
        assert!(
            e.message.contains("expected one of `iis`, `dfp`"),
            "{}",
            e.message
        );
    }

    #[test]
    fn subscribers_need_a_publisher() {
        let text = r#"
[deployment]
product = "pcce"
version = "12.5"
[[host]]
fqdn = "fina.lab"
roles = ["finesse"]
cluster = "finesse"
node = "subscriber"
"#;
        let e = error_of(text);
        assert!(e.message.contains("0 publishers"), "{}", e.message);
        assert_eq!(e.line, 5);
    }

    #[test]
    fn bad_size_and_version() {
        assert!(error_of(&GOOD.replace("2000", "3000"))
            .message
            .contains("2000, 4000 or 12000"));
        assert!(error_of(&GOOD.replace("\"12.5\"", "\"twelve\""))
            .message
            .contains("major.minor"));
    }

    #[test]
    fn password_sources() {
        let e = error_of(&GOOD.replace(
            "path = \"awa/cacerts\"",
            "path = \"awa/cacerts\"\npassword_env = \"X\"\npassword_file = \"f\"",
        ));
        assert!(e.message.contains("not both"));
        let inv = Inventory::parse(
            &GOOD.replace(
                "path = \"awa/cacerts\"",
                "path = \"awa/cacerts\"\npassword_env = \"X\"",
            ),
            Path::new("."),
        )
        .unwrap();
        assert_eq!(
            inv.hosts[0].stores[0].password,
            PasswordRef::Env("X".into())
        );
    }

    #[test]
    fn port_overrides_and_address_for_fetching() {
        let text = GOOD.replace(
            "side = \"A\"",
            "side = \"A\"\nfetch = true\naddress = \"127.0.0.1\"\nports = { dfp = 17890 }",
        );
        let inv = Inventory::parse(&text, Path::new(".")).unwrap();
        let h = &inv.hosts[0];
        assert!(h.fetch);
        assert_eq!(h.address.as_deref(), Some("127.0.0.1"));
        assert_eq!(h.port(Service::Dfp, 1), 17890);
        // Not overridden: the catalog's port.
        assert_eq!(h.port(Service::Iis, 1), 443);
    }

    #[test]
    fn bad_ports_point_at_the_value() {
        // (override, line, column, message part)
        for (ports, col, part) in [
            (
                "ports = { dfp = 0 }",
                17,
                "port 0 for `dfp` is not a TCP port",
            ),
            (
                "ports = { dfp = 70000 }",
                17,
                "expected a number from 1 to 65535",
            ),
            ("ports = { iis = -1 }", 17, "port -1 for `iis`"),
            (
                "ports = { tomcat = 8443 }",
                20,
                "`tomcat` is not a certificate that roles `aw` present",
            ),
        ] {
            let e = error_of(&GOOD.replace("side = \"A\"", &format!("side = \"A\"\n{ports}")));
            assert_eq!((e.line, e.column), (11, col), "{ports}: {e}");
            assert!(e.message.contains(part), "{ports}: {}", e.message);
        }
        let e = error_of(&GOOD.replace("side = \"A\"", "side = \"A\"\nports = { dfp = \"x\" }"));
        assert_eq!(e.line, 11, "{e}");
    }

    #[test]
    fn bad_addresses_point_at_the_value() {
        for bad in ["", "bad name", "-x.example.com", "a..b", "https://x"] {
            let e = error_of(&GOOD.replace(
                "side = \"A\"",
                &format!("side = \"A\"\naddress = \"{bad}\""),
            ));
            assert_eq!((e.line, e.column), (11, 11), "{bad:?}: {e}");
            assert!(
                e.message.contains("not an IP address or host name"),
                "{}",
                e.message
            );
        }
        for good in ["10.0.0.1", "::1", "awa", "awa.lab.example.com."] {
            let inv = Inventory::parse(
                &GOOD.replace(
                    "side = \"A\"",
                    &format!("side = \"A\"\naddress = \"{good}\""),
                ),
                Path::new("."),
            )
            .unwrap();
            assert!(inv.hosts[0].address.is_some(), "{good}");
        }
    }

    /// `(fqdn, why)`: RFC 1123 §2.1 host names only; the FQDN goes into certificates and the
    /// plan's commands. The value's opening quote is at line 8, column 8.
    const BAD_FQDNS: &[(&str, &str)] = &[
        (
            "x.example.com & calc & rem",
            "a space is not a letter, digit, hyphen or dot",
        ),
        ("x.example.com\\u001b[2J", "`\\u{1b}` is not a letter"),
        ("a\\\"b.example.com", "`\"` is not a letter"),
        ("%COMSPEC%.example.com", "`%` is not a letter"),
        ("-a.example.com", "label `-a` starts or ends with a hyphen"),
        ("a-.example.com", "label `a-` starts or ends with a hyphen"),
        ("a..example.com", "empty label"),
        (".a.example.com", "empty label"),
        ("a.example.com.", "ends with a dot"),
        ("ümlaut.example.com", "`ü` is not a letter"),
        ("under_score.example.com", "`_` is not a letter"),
    ];

    #[test]
    fn fqdn_must_be_an_rfc_1123_host_name_refused_at_its_line_and_column() {
        for (bad, why) in BAD_FQDNS {
            let e = error_of(&GOOD.replace("awa.lab.example.com", bad));
            assert_eq!((e.line, e.column), (8, 8), "{bad:?}: {e}");
            assert!(
                e.message.contains("is not an RFC 1123 host name"),
                "{bad:?}: {e}"
            );
            assert!(e.message.contains(why), "{bad:?}: {e}");
            assert!(!e.message.contains('\u{1b}'), "escaped in the message: {e}");
        }
        let long = format!("{}.example.com", "a".repeat(64));
        let e = error_of(&GOOD.replace("awa.lab.example.com", &long));
        assert!(e.message.contains("longer than 63"), "{e}");
        // An address or a short name is read: the audit reports it as `name.not-fqdn`.
        for good in [
            "awa",
            "AWA-1.lab.example.com",
            "x1.a-b.example.com",
            "10.0.0.5",
            "fd00::5",
        ] {
            let inv = Inventory::parse(&GOOD.replace("awa.lab.example.com", good), Path::new("."));
            assert_eq!(
                inv.map(|i| i.hosts[0].fqdn.clone()).ok().as_deref(),
                Some(good)
            );
        }
    }

    /// `(line added to the host, line, column, message part)`: values the plan places in
    /// `cmd.exe` commands refuse what cmd.exe cannot quote (`shell::cmd_unsafe`); files and
    /// report-only text refuse control characters.
    const BAD_VALUES: &[(&str, usize, usize, &str)] = &[
        (
            "name = \"awa & calc\"",
            11,
            8,
            "name `awa & calc` goes into the plan's commands",
        ),
        (
            "cluster = \"c1\\\" & calc & \\\"\"\nnode = \"publisher\"",
            11,
            11,
            "cluster `c1\" & calc & \"`",
        ),
        (
            "cluster = \"%PATH%\"\nnode = \"publisher\"",
            11,
            11,
            "expands %NAME%",
        ),
    ];

    #[test]
    fn values_that_go_into_commands_refuse_what_cmd_exe_cannot_quote() {
        for (extra, line, col, part) in BAD_VALUES {
            let e = error_of(&GOOD.replace("side = \"A\"", &format!("side = \"A\"\n{extra}")));
            assert_eq!((e.line, e.column), (*line, *col), "{extra}: {e}");
            assert!(e.message.contains(part), "{extra}: {e}");
        }
        // In the store table: the server path is typed, the collected path only shown.
        for (field, value, part) in [
            (
                "server_path",
                "C:\\\\x\\\" & calc & \\\"\\\\cacerts",
                "server_path `C:\\x\" & calc",
            ),
            ("server_path", "C:\\\\%TEMP%\\\\cacerts", "expands %NAME%"),
            (
                "path",
                "awa/cacerts\\u001b]0;pwned\\u0007",
                "path `awa/cacerts\\u{1b}]0;pwned\\u{7}` holds a control character",
            ),
        ] {
            let text = GOOD.replace(
                "path = \"awa/cacerts\"",
                &format!("path = \"awa/cacerts\"\n{field} = \"{value}\""),
            );
            let text = if field == "path" {
                text.replacen("path = \"awa/cacerts\"\n", "", 1)
            } else {
                text
            };
            let e = error_of(&text);
            // `path` replaces the line-15 path; `server_path` follows it on line 16.
            let line = if field == "path" { 15 } else { 16 };
            assert_eq!(e.line, line, "{field}: {e}");
            assert!(e.message.contains(part), "{field}: {e}");
        }
        // The same characters in a file the inventory only reads are fine.
        let inv = Inventory::parse(
            &GOOD.replace("awa-iis.pem", "R&D 100%/awa-iis.pem"),
            Path::new("/inv"),
        );
        assert!(inv.is_ok(), "{inv:?}");
    }

    #[test]
    fn domain_is_a_host_name() {
        let e = error_of(&GOOD.replace(
            "size = 2000",
            "size = 2000\ndomain = \"lab.example.com & calc\"",
        ));
        assert_eq!((e.line, e.column), (6, 10), "{e}");
        assert!(
            e.message
                .contains("domain `lab.example.com & calc` is not an RFC 1123 host name"),
            "{e}"
        );
    }
}
