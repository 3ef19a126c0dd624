//! Renewing a CA-signed identity certificate that has expired or is about to (issue 15,
//! "Renewal in the plan"): the request for the same host with what the current certificate
//! has (its SAN set exactly, its EKU, its key type and size, at least RSA 2048), the CA
//! step, and the install in the order the product accepts. Importers that trust the CA need
//! nothing: the new certificate chains to the same root.
//!
//! - Windows (IIS, the CTI server, LDAPS, other https): `ccetrust csr new` where ccetrust
//!   runs on the server (CiscoCertUtil's file names for the CTI server), the native request
//!   otherwise, then the install of the signed certificate with its key.
//! - VOS (tomcat): OS Administration's Generate CSR — on the publisher for a multi-server
//!   certificate, with an empty parent domain — then the upload order VOS accepts: root,
//!   intermediates as tomcat-trust, then the signed certificate naming its issuer.
//!
//! Text only, like [`super::commands`]: every value taken from the certificate or the
//! inventory passes through the same cmd.exe checks.

use crate::cce::catalog::Service;
use crate::cce::inventory::{Host, Inventory};
use crate::Certificate;

use super::commands::{arg, checked, Unsafe, FQDN};
use super::WINDOWS_STAGING;

/// What the values are, for [`Unsafe`]'s sentence.
const SAN: &str = "subject alternative name of the current certificate";

/// What the request asks for, read from the current certificate.
struct Request {
    /// `DNS:name` / `IP:addr`, in the certificate's order.
    sans: Vec<String>,
    /// `server`, `client` or `server,client`.
    eku: &'static str,
    /// `rsa` or `ec`.
    keyalg: &'static str,
    /// 2048/3072/4096 or 256/384.
    keysize: u32,
}

impl Request {
    fn of(current: &Certificate, service: Service) -> Request {
        let san = current.subject_alt_names();
        let mut sans: Vec<String> = san.dns.iter().map(|d| format!("DNS:{d}")).collect();
        sans.extend(san.ip.iter().map(|ip| format!("IP:{ip}")));
        let ekus = current.extended_key_usage();
        let (server, client) = (
            ekus.iter().any(|e| e == "serverAuth"),
            ekus.iter().any(|e| e == "clientAuth"),
        );
        let eku = match (server, client) {
            (true, true) => "server,client",
            (false, true) => "client",
            // The CTI server is both ends of its links (CCE-TRUST.md, CiscoCertUtil).
            _ if service == Service::CtiSecure => "server,client",
            _ => "server",
        };
        let key = current.public_key();
        let (keyalg, keysize) = match key.algorithm.as_str() {
            "EC" => (
                "ec",
                if key.curve.as_deref() == Some("P-384") {
                    384
                } else {
                    256
                },
            ),
            // RSA (and anything else: the request is RSA, at least the 2048 bits every
            // release accepts).
            _ => (
                "rsa",
                match key.bits.unwrap_or(2048) {
                    b if b > 3072 => 4096,
                    b if b > 2048 => 3072,
                    _ => 2048,
                },
            ),
        };
        Request {
            sans,
            eku,
            keyalg,
            keysize,
        }
    }

    /// ` --san "DNS:a" --san "IP:…"`, each value checked for cmd.exe.
    fn san_args(&self) -> Result<String, Unsafe> {
        let mut out = String::new();
        for s in &self.sans {
            out.push_str(" --san ");
            out.push_str(&arg(SAN, s)?);
        }
        Ok(out)
    }

    /// The SANs for prose (`a, b`).
    fn san_list(&self) -> Result<String, Unsafe> {
        let listed: Result<Vec<&str>, Unsafe> = self
            .sans
            .iter()
            .map(|s| checked(SAN, s.split_once(':').map_or(s, |(_, v)| v)))
            .collect();
        Ok(listed?.join(", "))
    }
}

/// The commands of the renewal of `service`'s CA-signed certificate on `h`.
pub(super) fn renewal_commands(
    inv: &Inventory,
    h: &Host,
    service: Service,
    current: &Certificate,
) -> Result<Vec<String>, Unsafe> {
    let fqdn = checked(FQDN, &h.fqdn)?;
    let req = Request::of(current, service);
    let issuer = current.issuer().to_rfc4514();
    let issuer = checked("issuer of the current certificate", &issuer)?;
    let mut commands = match service {
        Service::Tomcat | Service::TomcatEcdsa => vos(inv, h, fqdn, &req, issuer)?,
        _ => windows(h, service, fqdn, &req, issuer)?,
    };
    commands.push(format!(
        "Nothing to re-import on the importers that trust {issuer}: the renewed certificate chains to the same CA"
    ));
    Ok(commands)
}

/// The Windows side: `ccetrust csr new` (or the native request), the CA, the install.
fn windows(
    h: &Host,
    service: Service,
    fqdn: &str,
    req: &Request,
    issuer: &str,
) -> Result<Vec<String>, Unsafe> {
    let cti = service == Service::CtiSecure;
    // One folder per service: two requests of one host never meet (ccetrust never replaces a
    // key or a request a CA may be signing).
    let out = if cti {
        r"C:\icm\ssl\certs".to_string()
    } else {
        renew_dir(service)
    };
    let layout = if cti { " --layout cisco-cert-util" } else { "" };
    let (key, csr) = if cti {
        (format!(r"{out}\host.key"), format!(r"{out}\host.csr"))
    } else {
        (format!(r"{out}\{fqdn}.key"), format!(r"{out}\{fqdn}.csr"))
    };
    let mut c = vec![format!(
        "ccetrust csr new --fqdn {}{} --eku {} --keyalg {} --keysize {}{layout} --out {}   (where ccetrust runs on {}: writes {key}, owner-only, and {csr}; the SANs are the current certificate's, exactly)",
        arg(FQDN, fqdn)?,
        req.san_args()?,
        req.eku,
        req.keyalg,
        req.keysize,
        arg("output folder", &out)?,
        h.name
    )];
    c.push(match service {
        Service::CtiSecure => "(without ccetrust: CiscoCertUtil /generateCSR, which writes the same two files)".into(),
        _ => format!(
            "(without ccetrust: IIS Manager › Server Certificates › Create Certificate Request for CN={fqdn}, or certreq -new with SANs {})",
            req.san_list()?
        ),
    });
    c.push(format!(
        "Submit {csr} to the CA that issued the current certificate ({issuer}) with a template giving EKU {}; it must keep exactly the SANs {} and add none",
        req.eku,
        req.san_list()?
    ));
    c.extend(install(service, fqdn));
    Ok(c)
}

/// Where a Windows renewal's files are written: `C:\ccetrust\renew\<service>`.
fn renew_dir(service: Service) -> String {
    format!(r"{WINDOWS_STAGING}\renew\{}", service.key())
}

/// Installing the signed certificate with its key, per service.
fn install(service: Service, fqdn: &str) -> Vec<String> {
    if service == Service::CtiSecure {
        return vec![
            r"Save the signed certificate as C:\icm\ssl\certs\host.pem (keep host.key beside it), then: CiscoCertUtil /install C:\icm\ssl\certs\host.pem".into(),
            "Restart the PG; on Finesse restart Cisco Finesse Tomcat".into(),
        ];
    }
    let dir = renew_dir(service);
    vec![
        format!(
            r"Save the signed certificate as {dir}\{fqdn}.cer, then: copy /b {dir}\{fqdn}.key+{dir}\{fqdn}.cer {dir}\{fqdn}.pem"
        ),
        format!(
            r"set PFX_PW to a password of your choice, then: ccetrust keystore import --alias {fqdn} --storetype pkcs12 --storepass-env PFX_PW {dir}\{fqdn}.pfx {dir}\{fqdn}.pem"
        ),
        format!(
            r#"certutil -f -p "%PFX_PW%" -importPFX {dir}\{fqdn}.pfx   (Local Computer › Personal), then bind it to the {service} (IIS Manager › Sites › Bindings › https) and delete {dir}\{fqdn}.key and .pfx"#
        ),
    ]
}

/// The VOS side: the CSR on the node that owns the certificate (the publisher for a
/// multi-server one), the CA, and the upload order VOS accepts.
fn vos(
    inv: &Inventory,
    h: &Host,
    fqdn: &str,
    req: &Request,
    issuer: &str,
) -> Result<Vec<String>, Unsafe> {
    let multi = req.sans.len() > 1;
    let publisher = h
        .cluster
        .as_deref()
        .and_then(|c| inv.publisher_of(c))
        .map(|i| inv.hosts[i].fqdn.as_str());
    let on = match (multi, publisher) {
        (true, Some(p)) => checked(FQDN, p)?,
        _ => fqdn,
    };
    let distribution = if multi {
        format!("Multi-server (SAN) with {}", req.san_list()?)
    } else {
        format!("this node ({fqdn})")
    };
    let key = if req.keyalg == "ec" {
        format!("EC {}", req.keysize)
    } else {
        format!("RSA {}", req.keysize)
    };
    let trust_on = match publisher {
        Some(p) => checked(FQDN, p)?,
        None => fqdn,
    };
    Ok(vec![
        format!("On {on}: OS Administration › Security › Certificate Management › Generate CSR: purpose tomcat, distribution {distribution}, key {key}, hash SHA256, parent domain empty (a CA that adds www.{fqdn} or other names makes the upload fail)"),
        format!("Download the CSR and have the CA that issued the current certificate ({issuer}) sign it with exactly the SANs {} and EKU {}", req.san_list()?, req.eku),
        format!("On {trust_on} (the publisher: replication carries them to the cluster), in this order: upload the root CA as tomcat-trust, then each intermediate CA as tomcat-trust, unless they are there already"),
        format!("Then on {on}: upload the signed certificate as tomcat, naming its issuer in the description (VOS refuses a certificate whose issuer it does not hold yet)"),
        if multi {
            "utils service restart Cisco Tomcat on every node the certificate names".into()
        } else {
            "utils service restart Cisco Tomcat".into()
        },
    ])
}
