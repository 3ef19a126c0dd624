//! The exact commands of the plan, per platform and store kind: keytool on Windows with the
//! store's real path, type and (documented default only) password; OS Administration and CLI on
//! VOS; certutil on desktops; CiscoCertUtil on the CTI server. Text only: no step is decided here.

use super::super::catalog::{
    PasswordSource, Platform, Service, StoreFormat, StoreKind, REGENERATE_VALIDITY_DAYS,
};
use super::super::finding::CertRole;
use super::super::inventory::{Host, PasswordRef};
use super::WINDOWS_STAGING;

fn server_path(host: &Host, store: Option<usize>, kind: StoreKind) -> String {
    store
        .and_then(|i| host.stores.get(i))
        .and_then(|s| s.server_path.clone())
        .unwrap_or_else(|| kind.info().default_path.to_string())
}

fn quote(p: &str) -> String {
    format!("\"{p}\"")
}

/// `-keystore "<path>" [-storetype JCEKS] [-storepass changeit]` for a Windows store.
fn keytool_store_args(host: &Host, store: Option<usize>, kind: StoreKind) -> String {
    let path = server_path(host, store, kind);
    let mut s = format!("-keystore {}", quote(&path));
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
    s
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
pub(super) fn backup_step(
    h: &Host,
    store: Option<usize>,
    kind: StoreKind,
    date: &str,
) -> (String, Vec<String>) {
    match platform_of(h, kind) {
        Platform::Vos => (
            format!("Back up tomcat-trust of {}", h.fqdn),
            vec!["Run a Disaster Recovery System backup (or download the tomcat-trust certificates from Certificate Management) first".into()],
        ),
        Platform::Desktop => (format!("Note the current trusted roots of {}", h.fqdn), vec!["certutil -store Root > roots-before.txt".into()]),
        _ if kind == StoreKind::CvpKeystore => {
            let path = server_path(h, store, kind);
            let dir = path.rsplit_once('\\').map(|(d, _)| d.to_string()).unwrap_or(path.clone());
            (
                format!("Back up {dir} on {}", h.fqdn),
                vec![format!("xcopy {} {} /E /I /Y", quote(&dir), quote(&format!("{dir}.ccetrust-{date}.bak")))],
            )
        }
        _ if kind == StoreKind::CtiCerts => {
            let dir = server_path(h, store, kind);
            (format!("Back up {dir} on {}", h.fqdn), vec![format!("xcopy {} {} /E /I /Y", quote(&dir), quote(&format!("{dir}.ccetrust-{date}.bak")))])
        }
        _ => {
            let path = server_path(h, store, kind);
            (
                format!("Back up the {} of {}", kind.info().title, h.fqdn),
                vec![format!("copy {} {}", quote(&path), quote(&format!("{path}.ccetrust-{date}.bak")))],
            )
        }
    }
}

/// Creates the staging folder the commands copy certificates into (cmd.exe).
fn stage_dir() -> String {
    format!("if not exist {WINDOWS_STAGING} mkdir {WINDOWS_STAGING}")
}

pub(super) fn regenerate_commands(h: &Host, service: Service) -> Vec<String> {
    let fqdn = &h.fqdn;
    let days = REGENERATE_VALIDITY_DAYS;
    if let Some(alias) = service.info().own_alias {
        // The server's own keystore path when the inventory names it, else CVP's default.
        let store = h
            .stores
            .iter()
            .position(|s| s.kind == StoreKind::CvpKeystore);
        let path = server_path(h, store, StoreKind::CvpKeystore);
        let dir = path
            .rsplit_once('\\')
            .map(|(d, _)| d.to_string())
            .unwrap_or_else(|| path.clone());
        let ks = format!("-storetype JCEKS -keystore {}", quote(&path));
        return vec![
            format!("xcopy {} {} /E /I /Y", quote(&dir), quote(&format!("{dir}.bak"))),
            format!("keytool {ks} -delete -alias {alias}"),
            format!("keytool {ks} -genkeypair -alias {alias} -keysize 2048 -keyalg RSA -sigalg SHA256withRSA -validity {days} -dname \"CN={fqdn}\" -ext \"SAN=dns:{fqdn}\""),
            stage_dir(),
            format!("keytool {ks} -export -alias {alias} -file \"{WINDOWS_STAGING}\\{fqdn}_{}.crt\"", service.key()),
            r"(keytool prompts for the store password: Security.keystorePW in %CVP_HOME%\conf\security.properties)".into(),
            "Restart the Cisco CVP Call Server service (reboot a reporting server), then import the new certificate on every importer".into(),
        ];
    }
    match service {
        Service::Tomcat | Service::TomcatEcdsa => vec![
            format!("On {fqdn}: set cert regen tomcat (or OS Administration › Certificate Management › tomcat › Regenerate, RSA 2048, SHA256)"),
            "utils service restart Cisco Tomcat".into(),
            "Download the new tomcat.pem and import it on every importer".into(),
        ],
        _ => vec![format!("Create a new self-signed {service} certificate for CN={fqdn} with DNS SAN {fqdn} (RSA 2048, SHA-256, {days} days) and bind it; then re-import it on every importer")],
    }
}

pub(super) fn reissue_commands(h: &Host, service: Service) -> Vec<String> {
    let fqdn = &h.fqdn;
    match service {
        Service::CtiSecure => vec![
            "CiscoCertUtil /generateCSR  (writes C:\\icm\\ssl\\certs\\host.csr)".into(),
            "Have the CA sign host.csr with a template that has both Client and Server Authentication".into(),
            r"rename C:\icm\ssl\certs\host.pem selfhost.pem; save the signed certificate as C:\icm\ssl\certs\host.pem".into(),
            r"CiscoCertUtil /install <root CA .pem>; CiscoCertUtil /install C:\icm\ssl\certs\host.pem".into(),
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
        _ => regenerate_commands(h, service),
    }
}
/// The command that deletes `alias` from the store.
pub(super) fn delete_command(
    h: &Host,
    store: Option<usize>,
    kind: StoreKind,
    alias: &str,
) -> String {
    match platform_of(h, kind) {
            Platform::Vos => format!("OS Administration › Security › Certificate Management › find tomcat-trust `{alias}` › Delete (CLI: set cert delete tomcat-trust {alias}.pem)"),
            Platform::Desktop => format!("certutil -delstore Root \"{alias}\""),
            _ if kind == StoreKind::CtiCerts => format!("del {}", quote(&format!("{}\\{}", server_path(h, store, kind), cert_file_name(alias, kind)))),
            _ => format!("keytool -delete -noprompt {} -alias {alias}", keytool_store_args(h, store, kind)),
        }
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
) -> Vec<String> {
    match platform_of(h, kind) {
            Platform::Vos => {
                let mut v = vec![format!(
                    "OS Administration › Security › Certificate Management › Upload Certificate/Certificate chain: Certificate Purpose = tomcat-trust, file = {file}{}",
                    if role == CertRole::Intermediate { " (Root Certificate = the root's .pem)" } else { "" }
                )];
                v.push("(CLI alternative: set cert import trust tomcat, then paste the PEM)".into());
                v
            }
            Platform::Desktop => vec![format!("certutil -addstore -f Root {file} (or push it to Trusted Root Certification Authorities by group policy)")],
            _ if kind == StoreKind::CtiCerts => {
                let path = format!("{WINDOWS_STAGING}\\{file}");
                vec![stage_dir(), format!("copy {file} {WINDOWS_STAGING}\\"), format!("CiscoCertUtil /install {}", quote(&path))]
            }
            _ => {
                let path = format!("{WINDOWS_STAGING}\\{file}");
                let trustcacerts = matches!(kind, StoreKind::CvpKeystore | StoreKind::EceLdapsJks);
                let mut v = vec![
                    stage_dir(),
                    format!("copy {file} {WINDOWS_STAGING}\\"),
                    format!(
                        "keytool -import -noprompt{} {} -alias {alias} -file {}",
                        if trustcacerts { " -trustcacerts" } else { "" },
                        keytool_store_args(h, store, kind),
                        quote(&path)
                    ),
                ];
                if let Some(hint) = password_hint(kind) {
                    v.push(format!("({hint})"));
                }
                v
            }
        }
}
