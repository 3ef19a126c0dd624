//! Certificate lifecycle: key pairs, self-signed certificates (keytool's `-genkeypair`) and
//! certificate signing requests, with the Cisco rules for the role already applied.
//!
//! Every procedure the project models starts by making a key and a certificate or a CSR
//! (CVP's `keytool -genkeypair -storetype JCEKS`, CiscoCertUtil's `/generateCSR`, VOS
//! "Generate CSR"); done by hand they get the key size, the SANs or the EKU wrong. This
//! module makes them with the fields those procedures need and refuses, before any key is
//! made, what the deployment's release would reject ([`rules`]).
//!
//! Randomness comes from the operating system (`getrandom`); private keys live in
//! zeroizing buffers and never appear in `Debug` or `Display`.

mod csr;
mod der;
mod key_file;
mod keypair;
pub mod rules;
mod selfsigned;

use std::fmt;
use std::net::IpAddr;

pub use csr::{csr_sans, new_csr};
pub use key_file::{request_paths, write_key_file, write_request, KeyFileReport};
pub use keypair::{KeyAlgorithm, KeyPair, KeySpec};
pub use selfsigned::{self_signed, self_signed_at};

/// Default validity of a generated certificate: 1825 days, the CVP procedures' choice
/// (keytool's own default of 90 days is the trap `CCE-TRUST.md` describes).
pub const DEFAULT_VALIDITY_DAYS: u32 = 1825;

/// The longest validity accepted (about 100 years): beyond it the dates mean a typo.
pub const MAX_VALIDITY_DAYS: u32 = 36_500;

/// Extended key usages a generated certificate or CSR asks for (RFC 5280 §4.2.1.12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Eku {
    /// `id-kp-serverAuth` only.
    Server,
    /// `id-kp-clientAuth` only.
    Client,
    /// Both (what CiscoCertUtil asks for the CTI server, and the CCE default).
    ServerClient,
}

impl Eku {
    /// Parses `server`, `client` or `server,client` (either order).
    pub fn parse(text: &str) -> Result<Eku, LifecycleError> {
        let mut server = false;
        let mut client = false;
        for part in text.split(',').map(str::trim) {
            match part.to_ascii_lowercase().as_str() {
                "server" | "serverauth" => server = true,
                "client" | "clientauth" => client = true,
                _ => {
                    return Err(LifecycleError::Option {
                        option: "--eku",
                        detail: format!(
                            "`{}` is not server, client or server,client",
                            crate::shell::escape_control(part)
                        ),
                    })
                }
            }
        }
        Ok(match (server, client) {
            (true, true) => Eku::ServerClient,
            (false, true) => Eku::Client,
            _ => Eku::Server,
        })
    }

    /// The key-purpose OIDs, dotted.
    pub fn oids(self) -> &'static [&'static str] {
        match self {
            Eku::Server => &[OID_SERVER_AUTH],
            Eku::Client => &[OID_CLIENT_AUTH],
            Eku::ServerClient => &[OID_SERVER_AUTH, OID_CLIENT_AUTH],
        }
    }

    /// `server`, `client` or `server,client`.
    pub fn name(self) -> &'static str {
        match self {
            Eku::Server => "server",
            Eku::Client => "client",
            Eku::ServerClient => "server,client",
        }
    }
}

const OID_SERVER_AUTH: &str = "1.3.6.1.5.5.7.3.1";
const OID_CLIENT_AUTH: &str = "1.3.6.1.5.5.7.3.2";

/// A subject alternative name to put in a certificate or request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum San {
    /// A `dNSName` (lower-cased; `*.` wildcards allowed as the first label only).
    Dns(String),
    /// An `iPAddress`.
    Ip(IpAddr),
}

impl San {
    /// Reads `DNS:name`, `IP:addr`, or a bare name or address.
    pub fn parse(text: &str) -> Result<San, LifecycleError> {
        let t = text.trim();
        let lower = t.to_ascii_lowercase();
        if let Some(rest) = lower.strip_prefix("ip:") {
            return rest
                .parse()
                .map(San::Ip)
                .map_err(|_| bad_san(t, "not an IP address"));
        }
        let name = lower.strip_prefix("dns:").unwrap_or(&lower);
        if let Ok(ip) = name.parse::<IpAddr>() {
            return Ok(San::Ip(ip));
        }
        check_dns_name(name).map_err(|why| bad_san(t, why))?;
        Ok(San::Dns(name.to_string()))
    }
}

impl fmt::Display for San {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            San::Dns(n) => write!(f, "DNS:{n}"),
            San::Ip(ip) => write!(f, "IP:{ip}"),
        }
    }
}

fn bad_san(text: &str, why: &str) -> LifecycleError {
    LifecycleError::Option {
        option: "--san",
        detail: format!("`{}`: {why}", crate::shell::escape_control(text)),
    }
}

/// RFC 1035 §2.3.1 preferred syntax (letters, digits, hyphens; labels of 1–63, at most 253
/// in all), with a leading `*.` wildcard label allowed (RFC 6125 §6.4.3).
fn check_dns_name(name: &str) -> Result<(), &'static str> {
    let body = name.strip_prefix("*.").unwrap_or(name);
    if body.is_empty() || name.len() > 253 {
        return Err("not a DNS name (empty or over 253 characters)");
    }
    for label in body.split('.') {
        let ok = !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !ok {
            return Err("not a DNS name (labels of letters, digits and inner hyphens)");
        }
    }
    Ok(())
}

/// Checks a host's fully qualified name: a DNS name of at least two labels, no wildcard.
pub fn check_fqdn(fqdn: &str) -> Result<String, LifecycleError> {
    let lower = fqdn.trim().trim_end_matches('.').to_ascii_lowercase();
    let bad = |detail: String| LifecycleError::Option {
        option: "--fqdn",
        detail,
    };
    let shown = crate::shell::escape_control(fqdn).into_owned();
    check_dns_name(&lower).map_err(|why| bad(format!("`{shown}`: {why}")))?;
    if lower.starts_with("*.") {
        return Err(bad(format!(
            "`{shown}`: a host's FQDN cannot be a wildcard"
        )));
    }
    if !lower.contains('.') {
        return Err(bad(format!(
            "`{shown}` is a short name: give the fully qualified name (CN = FQDN; Cisco's \
             importers match the FQDN they connect to)"
        )));
    }
    Ok(lower)
}

/// What a certificate or request is made for.
#[derive(Debug, Clone)]
pub struct Subject {
    /// The host's FQDN: the CN, and the first DNS SAN.
    pub fqdn: String,
    /// Further SANs, in the order given (duplicates of the FQDN dropped).
    pub sans: Vec<San>,
    /// Attributes before the CN (`O=…,OU=…`), in the order given.
    pub attributes: Vec<(String, String)>,
    /// The extended key usages.
    pub eku: Eku,
}

impl Subject {
    /// A subject for `fqdn` (checked) with `sans` and `eku`.
    pub fn new(fqdn: &str, sans: Vec<San>, eku: Eku) -> Result<Subject, LifecycleError> {
        Ok(Subject {
            fqdn: check_fqdn(fqdn)?,
            sans,
            attributes: Vec::new(),
            eku,
        })
    }

    /// The SANs in the certificate or request: the FQDN first, then the others, each once.
    pub fn all_sans(&self) -> Vec<San> {
        let mut out = vec![San::Dns(self.fqdn.clone())];
        for s in &self.sans {
            if !out.contains(s) {
                out.push(s.clone());
            }
        }
        out
    }

    /// Reads `--subject "O=Example,OU=Contact Center,L=…,ST=…,C=US"` (RDNs in the order
    /// written; CN is always the FQDN and cannot be given). A comma inside a value is
    /// written `\,`.
    pub fn with_attributes(mut self, text: &str) -> Result<Subject, LifecycleError> {
        self.attributes = parse_attributes(text)?;
        Ok(self)
    }
}

/// The attribute types `--subject` accepts and their OIDs (RFC 4519 / X.520).
pub(crate) const ATTRIBUTES: &[(&str, &str)] = &[
    ("C", "2.5.4.6"),
    ("ST", "2.5.4.8"),
    ("L", "2.5.4.7"),
    ("O", "2.5.4.10"),
    ("OU", "2.5.4.11"),
];

fn parse_attributes(text: &str) -> Result<Vec<(String, String)>, LifecycleError> {
    let bad = |detail: String| LifecycleError::Option {
        option: "--subject",
        detail,
    };
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => cur.extend(chars.next()),
            ',' => parts.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    parts.push(cur);
    let mut out = Vec::new();
    for p in parts.iter().filter(|p| !p.trim().is_empty()) {
        let Some((k, v)) = p.split_once('=') else {
            return Err(bad(format!(
                "`{}` is not TYPE=value",
                crate::shell::escape_control(p)
            )));
        };
        let key = k.trim().to_ascii_uppercase();
        let value = v.trim().to_string();
        if key == "CN" {
            return Err(bad(
                "CN is the FQDN (--fqdn); do not give it in --subject".into()
            ));
        }
        if !ATTRIBUTES.iter().any(|(n, _)| *n == key) {
            return Err(bad(format!(
                "`{}` is not one of C, ST, L, O, OU",
                crate::shell::escape_control(k)
            )));
        }
        if value.is_empty() || value.chars().count() > 64 || value.chars().any(char::is_control) {
            return Err(bad(format!(
                "{key}: the value must be 1–64 printable characters"
            )));
        }
        if key == "C" && (value.len() != 2 || !value.bytes().all(|b| b.is_ascii_alphabetic())) {
            return Err(bad("C: a two-letter country code (ISO 3166)".into()));
        }
        out.push((key, value));
    }
    Ok(out)
}

/// Why a key, certificate or request was not made. Codes are stable (`code`).
#[derive(Debug, thiserror::Error)]
pub enum LifecycleError {
    /// An option's value is unusable.
    #[error("{option}: {detail}")]
    Option {
        /// The option (`--fqdn`, `--san`, …).
        option: &'static str,
        /// What is wrong.
        detail: String,
    },
    /// The role's product and release would reject what was asked; says which rule.
    #[error("refused for {role} on {product} {version}: {detail}")]
    Refused {
        /// The role key (`cvp`, …).
        role: String,
        /// The product key.
        product: String,
        /// The release.
        version: String,
        /// The rule and its source.
        detail: String,
    },
    /// The operating system's random generator failed, or a key could not be made or used.
    #[error("{0}")]
    Crypto(String),
    /// A key or request file is already there: never replaced (a CA may be signing it).
    #[error("{}: already exists; ccetrust never replaces a key or a request (a CA may be signing it): move it away or write elsewhere", path.display())]
    Exists {
        /// The file.
        path: std::path::PathBuf,
    },
    /// A file could not be written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file concerned.
        path: std::path::PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
}

impl LifecycleError {
    /// A stable machine code: `option`, `refused`, `crypto`, `exists`, `io`.
    pub fn code(&self) -> &'static str {
        match self {
            LifecycleError::Option { .. } => "option",
            LifecycleError::Refused { .. } => "refused",
            LifecycleError::Crypto(_) => "crypto",
            LifecycleError::Exists { .. } => "exists",
            LifecycleError::Io { .. } => "io",
        }
    }
}

impl From<LifecycleError> for crate::Error {
    fn from(e: LifecycleError) -> crate::Error {
        match e {
            LifecycleError::Io { path, source } => crate::Error::Io { path, source },
            other => crate::Error::Usage(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests;

/// What a caller asks for, as text (the CLI's options, the Python keywords).
#[derive(Debug, Clone, Default)]
pub struct Ask<'a> {
    /// `--fqdn`.
    pub fqdn: &'a str,
    /// `--san`, each once.
    pub sans: &'a [String],
    /// `--keyalg` (default `rsa`).
    pub keyalg: Option<&'a str>,
    /// `--keysize`.
    pub keysize: Option<u32>,
    /// `--eku` (default: the role's, else `server`).
    pub eku: Option<&'a str>,
    /// `--subject` attributes.
    pub subject: Option<&'a str>,
    /// `--role`, `--product`, `--version`: all three or none.
    pub role: Option<(&'a str, &'a str, &'a str)>,
}

/// An [`Ask`] checked: the key spec, the subject, the role's rule when one was named.
#[derive(Debug, Clone)]
pub struct Checked {
    /// Algorithm and size.
    pub spec: KeySpec,
    /// CN, SANs, attributes, EKU.
    pub subject: Subject,
    /// The role check, when a role was named.
    pub role: Option<rules::RoleCheck>,
}

/// Checks every option of `ask` before any key is made (the role rules included).
pub fn check(ask: &Ask<'_>) -> Result<Checked, LifecycleError> {
    let spec = KeySpec::new(
        KeyAlgorithm::parse(ask.keyalg.unwrap_or("rsa"))?,
        ask.keysize,
    )?;
    let role = match ask.role {
        Some((r, p, v)) => Some(rules::check_role(r, p, v, spec)?),
        None => None,
    };
    let eku = match ask.eku {
        Some(e) => Eku::parse(e)?,
        None => role
            .as_ref()
            .and_then(|c| c.defaults)
            .map_or(Eku::Server, |d| d.eku),
    };
    let sans = ask
        .sans
        .iter()
        .map(|s| San::parse(s))
        .collect::<Result<Vec<_>, _>>()?;
    let mut subject = Subject::new(ask.fqdn, sans, eku)?;
    if let Some(text) = ask.subject {
        subject = subject.with_attributes(text)?;
    }
    Ok(Checked {
        spec,
        subject,
        role,
    })
}
