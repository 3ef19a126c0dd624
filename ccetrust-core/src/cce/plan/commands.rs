//! The exact commands of the plan, per platform and store kind: keytool on Windows with the
//! store's real path, type and (documented default only) password; OS Administration and CLI on
//! VOS; certutil on desktops; CiscoCertUtil on the CTI server. Text only: no step is decided here.
//!
//! Every value taken from the inventory or a store (alias, path, FQDN) goes into a command
//! through [`arg`]: double-quoted when `cmd.exe` can quote it, refused with the reason
//! ([`Unsafe`]) when it cannot, so the builder gives a manual step instead of a command that
//! would run what follows a `&` or a `"` once pasted.

use crate::shell::{cmd_quote, cmd_unsafe};

use super::super::catalog::{
    PasswordSource, Platform, Service, StoreFormat, StoreKind, REGENERATE_VALIDITY_DAYS,
};
use super::super::finding::CertRole;
use super::super::inventory::{Host, PasswordRef};
use super::WINDOWS_STAGING;

/// A value that cannot be placed in a `cmd.exe` command: which one, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Unsafe {
    /// What the value is ("alias", "store path on the server", "FQDN").
    pub what: &'static str,
    /// The first character cmd.exe cannot quote, and what cmd.exe would do with it, in words:
    /// the sentence lands in a block of commands an administrator may paste whole, so it holds
    /// none of the characters it names.
    pub why: &'static str,
}

impl Unsafe {
    /// The sentence a manual step opens with.
    pub(super) fn sentence(&self) -> String {
        format!(
            "No command is given: the {} holds a character cmd.exe cannot quote safely ({}); pasted into a command it could run something else",
            self.what, self.why
        )
    }
}

/// What cmd.exe does with the first character of `value` that [`cmd_unsafe`] refuses.
fn refused(what: &'static str, value: &str) -> Option<Unsafe> {
    cmd_unsafe(value)?;
    let c = value
        .chars()
        .find(|c| cmd_unsafe(c.encode_utf8(&mut [0; 4])).is_some())?;
    let why = match c {
        '"' => "a double quote, which ends the quoted argument",
        '%' => "a percent sign, which expands a variable even inside quotes",
        '!' => "an exclamation mark, which expands a variable under delayed expansion",
        '^' => "a caret, the escape character",
        '&' => "an ampersand, which starts another command",
        '|' => "a vertical bar, which pipes into another command",
        '<' | '>' => "an angle bracket, which redirects to or from a file",
        _ => "a control character, which ends or garbles the command line",
    };
    Some(Unsafe { what, why })
}

/// `value` double-quoted for cmd.exe, or why it cannot be.
pub(super) fn arg(what: &'static str, value: &str) -> Result<String, Unsafe> {
    match refused(what, value) {
        Some(u) => Err(u),
        None => Ok(cmd_quote(value)),
    }
}

/// `value` checked for cmd.exe but not quoted: for the VOS CLI and for prose.
pub(super) fn checked<'v>(what: &'static str, value: &'v str) -> Result<&'v str, Unsafe> {
    match refused(what, value) {
        Some(u) => Err(u),
        None => Ok(value),
    }
}

const ALIAS: &str = "alias";
const SERVER_PATH: &str = "store path on the server";
pub(super) const FQDN: &str = "FQDN";

/// The store's path on the server, double-quoted: the inventory's `server_path` (checked), or
/// the catalog's default, which may name a variable on purpose (`%CVP_HOME%`) for cmd.exe to
/// expand.
fn server_path(host: &Host, store: Option<usize>, kind: StoreKind) -> Result<ServerPath, Unsafe> {
    match store
        .and_then(|i| host.stores.get(i))
        .and_then(|s| s.server_path.as_deref())
    {
        Some(p) => Ok(ServerPath(checked(SERVER_PATH, p)?.to_string())),
        None => Ok(ServerPath(kind.info().default_path.to_string())),
    }
}

/// A store path on the server that may be placed in a command (see [`server_path`]).
struct ServerPath(String);

impl ServerPath {
    /// The path itself, for titles.
    fn as_str(&self) -> &str {
        &self.0
    }

    /// Its folder (the path itself when it has none).
    fn folder(&self) -> ServerPath {
        ServerPath(
            self.0
                .rsplit_once('\\')
                .map(|(d, _)| d)
                .unwrap_or(&self.0)
                .to_string(),
        )
    }

    /// `NAME.YYYYMMDDTHHMMSSZ.bak` beside it.
    fn backup(&self, stamp: &str) -> ServerPath {
        ServerPath(backup_name(&self.0, stamp))
    }

    /// `self\\file` for a file name made by [`cert_file_name`].
    fn join(&self, file: &str) -> ServerPath {
        ServerPath(format!("{}\\{file}", self.0))
    }

    /// Double-quoted for cmd.exe.
    fn quoted(&self) -> String {
        cmd_quote(&self.0)
    }
}

/// `-keystore "<path>" [-storetype JCEKS] [-storepass changeit]` for a Windows store.
fn keytool_store_args(
    host: &Host,
    store: Option<usize>,
    kind: StoreKind,
) -> Result<String, Unsafe> {
    let mut s = format!("-keystore {}", server_path(host, store, kind)?.quoted());
    if kind.info().format == StoreFormat::Jceks {
        s.push_str(" -storetype JCEKS");
    }
    match kind.info().password {
        PasswordSource::Default(p) => {
            // Only the documented public default is printed; any other password is typed at
            // keytool's prompt, never written into a plan.
            let custom = store
                .and_then(|i| host.stores.get(i))
                .is_some_and(|s| s.password != PasswordRef::CatalogDefault);
            if !custom {
                s.push_str(&format!(" -storepass {p}"));
            }
        }
        PasswordSource::CvpSecurityProperties | PasswordSource::Chosen | PasswordSource::None => {}
    }
    Ok(s)
}

fn password_hint(kind: StoreKind) -> Option<&'static str> {
    match kind.info().password {
        PasswordSource::CvpSecurityProperties => Some(
            r"keytool prompts for the store password: Security.keystorePW in %CVP_HOME%\conf\security.properties",
        ),
        PasswordSource::Chosen => {
            Some("keytool prompts for the store password chosen when the store was made")
        }
        _ => None,
    }
}

fn platform_of(host: &Host, kind: StoreKind) -> Platform {
    match kind {
        StoreKind::TomcatTrust => Platform::Vos,
        StoreKind::BrowserRoot => Platform::Desktop,
        _ => host
            .roles
            .first()
            .map(|r| r.info().platform)
            .unwrap_or(Platform::Windows),
    }
}

/// The file a certificate to import is written to (and the commands name): the alias with
/// every character but letters, digits, `.`, `_` and `-` replaced by `_`.
pub(super) fn cert_file_name(alias: &str, kind: StoreKind) -> String {
    let safe: String = alias
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    match kind {
        StoreKind::TomcatTrust | StoreKind::CtiCerts => format!("{safe}.pem"),
        _ => format!("{safe}.cer"),
    }
}
/// The name of the backup of `path` taken at `stamp`: `NAME.YYYYMMDDTHHMMSSZ.bak` (UTC), for
/// files and folders alike; the scheme `apply` and `ccetrust keystore` use.
pub(super) fn backup_name(path: &str, stamp: &str) -> String {
    format!("{path}.{stamp}.bak")
}

/// The title and commands of the backup of a store before its first change; `stamp` is the
/// audit time (`YYYYMMDDTHHMMSSZ`).
pub(super) fn backup_step(
    h: &Host,
    store: Option<usize>,
    kind: StoreKind,
    stamp: &str,
) -> Result<(String, Vec<String>), Unsafe> {
    let path = server_path(h, store, kind)?;
    let copy = |dir: bool, p: &ServerPath| {
        let (from, to) = (p.quoted(), p.backup(stamp).quoted());
        if dir {
            format!("xcopy {from} {to} /E /I /Y")
        } else {
            format!("copy {from} {to}")
        }
    };
    Ok(match platform_of(h, kind) {
        Platform::Vos => (
            format!("Back up tomcat-trust of {}", h.fqdn),
            vec!["Run a Disaster Recovery System backup (or download the tomcat-trust certificates from Certificate Management) first".into()],
        ),
        Platform::Desktop => (
            format!("Note the current trusted roots of {}", h.fqdn),
            vec![format!("certutil -store Root > roots.{stamp}.txt")],
        ),
        _ if kind == StoreKind::CvpKeystore => {
            let dir = path.folder();
            (
                format!("Back up {} on {}", dir.as_str(), h.fqdn),
                vec![copy(true, &dir)],
            )
        }
        _ if kind == StoreKind::CtiCerts => (
            format!("Back up {} on {}", path.as_str(), h.fqdn),
            vec![copy(true, &path)],
        ),
        _ => (
            format!("Back up the {} of {}", kind.info().title, h.fqdn),
            vec![copy(false, &path)],
        ),
    })
}

/// Creates the staging folder the commands copy certificates into (cmd.exe).
fn stage_dir() -> String {
    format!("if not exist {WINDOWS_STAGING} mkdir {WINDOWS_STAGING}")
}

/// How to regenerate a self-signed certificate on its own server: keytool on CVP (after a
/// backup of the keystore's folder named with `stamp`), the VOS CLI, or the instructions.
pub(super) fn regenerate_commands(
    h: &Host,
    service: Service,
    stamp: &str,
) -> Result<Vec<String>, Unsafe> {
    let fqdn = checked(FQDN, &h.fqdn)?;
    let days = REGENERATE_VALIDITY_DAYS;
    if let Some(alias) = service.info().own_alias {
        // The server's own keystore path when the inventory names it, else CVP's default.
        let store = h
            .stores
            .iter()
            .position(|s| s.kind == StoreKind::CvpKeystore);
        let path = server_path(h, store, StoreKind::CvpKeystore)?;
        let dir = path.folder();
        let ks = format!("-storetype JCEKS -keystore {}", path.quoted());
        let alias = arg(ALIAS, alias)?;
        let exported = arg(
            FQDN,
            &format!("{WINDOWS_STAGING}\\{fqdn}_{}.crt", service.key()),
        )?;
        return Ok(vec![
            format!("xcopy {} {} /E /I /Y", dir.quoted(), dir.backup(stamp).quoted()),
            format!("keytool {ks} -delete -alias {alias}"),
            format!("keytool {ks} -genkeypair -alias {alias} -keysize 2048 -keyalg RSA -sigalg SHA256withRSA -validity {days} -dname {} -ext {}", cmd_quote(&format!("CN={fqdn}")), cmd_quote(&format!("SAN=dns:{fqdn}"))),
            // The same regeneration as one ccetrust command, where ccetrust runs on the
            // server (issue 15); the keytool form stays for servers without it.
            format!("(or, where ccetrust runs on the server, instead of -genkeypair: set CVP_KEYSTORE_PW to Security.keystorePW, then: ccetrust keystore genkeypair --alias {alias} --fqdn {fqdn} --keyalg rsa --keysize 2048 --validity {days} --eku server,client --storetype jceks --storepass-env CVP_KEYSTORE_PW {})", path.quoted()),
            stage_dir(),
            format!("keytool {ks} -export -alias {alias} -file {exported}"),
            r"(keytool prompts for the store password: Security.keystorePW in %CVP_HOME%\conf\security.properties)".into(),
            "Restart the Cisco CVP Call Server service (reboot a reporting server), then import the new certificate on every importer".into(),
        ]);
    }
    Ok(match service {
        Service::Tomcat | Service::TomcatEcdsa => vec![
            format!("On {fqdn}: set cert regen tomcat (or OS Administration › Certificate Management › tomcat › Regenerate, RSA 2048, SHA256)"),
            "utils service restart Cisco Tomcat".into(),
            "Download the new tomcat.pem and import it on every importer".into(),
        ],
        _ => vec![format!("Create a new self-signed {service} certificate for CN={fqdn} with DNS SAN {fqdn} (RSA 2048, SHA-256, {days} days) and bind it; then re-import it on every importer")],
    })
}

/// How to have a certificate re-issued (a CSR signed by the CA, or a new self-signed one).
pub(super) fn reissue_commands(
    h: &Host,
    service: Service,
    stamp: &str,
) -> Result<Vec<String>, Unsafe> {
    let fqdn = checked(FQDN, &h.fqdn)?;
    Ok(match service {
        Service::CtiSecure => vec![
            "CiscoCertUtil /generateCSR  (writes C:\\icm\\ssl\\certs\\host.csr)".into(),
            "Have the CA sign host.csr with a template that has both Client and Server Authentication".into(),
            r"rename C:\icm\ssl\certs\host.pem selfhost.pem; save the signed certificate as C:\icm\ssl\certs\host.pem".into(),
            r"CiscoCertUtil /install ROOT-CA.pem (the root CA's certificate); CiscoCertUtil /install C:\icm\ssl\certs\host.pem".into(),
            "Restart the PG; on Finesse set the CTI secure port and enable SSL, then restart Finesse".into(),
        ],
        Service::Tomcat | Service::TomcatEcdsa => vec![
            format!("On {fqdn}: OS Administration › Certificate Management › Generate CSR: purpose tomcat, RSA 2048, SHA256, SAN {fqdn} (empty parent domain)"),
            "Have the CA sign it without adding SANs; upload the root and intermediates as tomcat-trust on the publisher, then the signed certificate as tomcat on this node".into(),
            "utils system restart".into(),
        ],
        Service::Iis | Service::Https | Service::LdapsGc => vec![
            format!("Issue a certificate for CN={fqdn} with DNS SAN {fqdn} (RSA 2048, SHA-256) and bind it to the {service} (IIS Manager › Server Certificates / Bindings)"),
            "Then re-import it (self-signed) or its CA (CA-signed) on every importer".into(),
        ],
        _ => return regenerate_commands(h, service, stamp),
    })
}

/// The command that deletes `alias` from the store.
pub(super) fn delete_command(
    h: &Host,
    store: Option<usize>,
    kind: StoreKind,
    alias: &str,
) -> Result<String, Unsafe> {
    Ok(match platform_of(h, kind) {
        Platform::Vos => {
            let alias = checked(ALIAS, alias)?;
            format!("OS Administration › Security › Certificate Management › find tomcat-trust `{alias}` › Delete (CLI: set cert delete tomcat-trust {alias}.pem)")
        }
        Platform::Desktop => format!("certutil -delstore Root {}", arg(ALIAS, alias)?),
        _ if kind == StoreKind::CtiCerts => {
            // The file is named after the alias: an alias cmd.exe cannot quote names a file
            // the command could not name either.
            checked(ALIAS, alias)?;
            let file = server_path(h, store, kind)?.join(&cert_file_name(alias, kind));
            format!("del {}", file.quoted())
        }
        _ => format!(
            "keytool -delete -noprompt {} -alias {}",
            keytool_store_args(h, store, kind)?,
            arg(ALIAS, alias)?
        ),
    })
}

/// The step's title for importing `alias`.
pub(super) fn import_title(h: &Host, kind: StoreKind, alias: &str, role: CertRole) -> String {
    let what = match role {
        CertRole::Root => "root CA",
        CertRole::Intermediate => "intermediate CA",
        CertRole::Leaf => "certificate",
    };
    match platform_of(h, kind) {
        Platform::Vos => {
            let cluster = h
                .cluster
                .as_deref()
                .map(|c| format!(" (publisher of cluster {c}; replicates to subscribers)"))
                .unwrap_or_default();
            format!(
                "Upload {what} `{alias}` as tomcat-trust on {}{cluster}",
                h.fqdn
            )
        }
        Platform::Desktop => format!("Add {what} `{alias}` to the trusted roots of {}", h.fqdn),
        _ => format!(
            "Import {what} `{alias}` into the {} of {}",
            kind.info().title,
            h.fqdn
        ),
    }
}

/// The commands that import `file` as `alias`.
pub(super) fn import_commands(
    h: &Host,
    store: Option<usize>,
    kind: StoreKind,
    alias: &str,
    file: &str,
    role: CertRole,
) -> Result<Vec<String>, Unsafe> {
    // `file` is made by `cert_file_name`: letters, digits, `.`, `_` and `-` only.
    let staged = cmd_quote(&format!("{WINDOWS_STAGING}\\{file}"));
    let copy = format!("copy {} {WINDOWS_STAGING}\\", cmd_quote(file));
    Ok(match platform_of(h, kind) {
        Platform::Vos => vec![
            format!(
                "OS Administration › Security › Certificate Management › Upload Certificate/Certificate chain: Certificate Purpose = tomcat-trust, file = {file}{}",
                if role == CertRole::Intermediate { " (Root Certificate = the root's .pem)" } else { "" }
            ),
            "(CLI alternative: set cert import trust tomcat, then paste the PEM)".into(),
        ],
        Platform::Desktop => vec![format!("certutil -addstore -f Root {} (or push it to Trusted Root Certification Authorities by group policy)", cmd_quote(file))],
        _ if kind == StoreKind::CtiCerts => {
            vec![stage_dir(), copy, format!("CiscoCertUtil /install {staged}")]
        }
        _ => {
            let trustcacerts = matches!(kind, StoreKind::CvpKeystore | StoreKind::EceLdapsJks);
            let mut v = vec![
                stage_dir(),
                copy,
                format!(
                    "keytool -import -noprompt{} {} -alias {} -file {staged}",
                    if trustcacerts { " -trustcacerts" } else { "" },
                    keytool_store_args(h, store, kind)?,
                    arg(ALIAS, alias)?,
                ),
            ];
            if let Some(hint) = password_hint(kind) {
                v.push(format!("({hint})"));
            }
            v
        }
    })
}
