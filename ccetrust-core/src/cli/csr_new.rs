//! `ccetrust csr new`: a private key and a PKCS#10 request for a host, with the SANs
//! exactly as asked (the FQDN alone when none are), the EKU in the extensionRequest, and
//! the role's key rules applied (see [`crate::lifecycle`]). The key file is PKCS#8 PEM,
//! encrypted (PBES2, AES-256-CBC) when a password is given, and created owner-only.
//!
//! Neither file is ever overwritten: a request that already exists next to its key is
//! the one a CA may be signing, and replacing the key would orphan the certificate.

use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::json;

use crate::cli::{esc, out, print_json};
use crate::keystore::Password;
use crate::lifecycle::{self, KeyPair};
use crate::Error;

/// `csr new` arguments.
#[derive(Args, Debug)]
pub(crate) struct CsrNewArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// The host's fully qualified name: the subject CN.
    #[arg(long)]
    fqdn: String,
    /// A subject alternative name (`DNS:name`, `IP:addr`, or bare); repeat for more. The
    /// request carries exactly these (the FQDN alone when none is given): list the FQDN
    /// too when you give others.
    #[arg(long, value_name = "DNS-or-IP")]
    san: Vec<String>,
    /// Extended key usage: server, client or server,client (default: the role's, else
    /// server).
    #[arg(long)]
    eku: Option<String>,
    /// Key algorithm: rsa (default) or ec.
    #[arg(long, default_value = "rsa")]
    keyalg: String,
    /// Key size: RSA 2048 (default), 3072, 4096; EC 256 (default) or 384.
    #[arg(long)]
    keysize: Option<u32>,
    /// Subject attributes before the CN: "O=Example,OU=Contact Center,L=…,ST=…,C=US".
    #[arg(long)]
    subject: Option<String>,
    /// Encrypt the key file with the password in this environment variable.
    #[arg(long, value_name = "VAR")]
    key_password_env: Option<String>,
    /// The role the request is for: refuses what its product and release reject.
    #[arg(long, requires_all = ["product", "version"])]
    role: Option<String>,
    /// The product (pcce, ucce, uccx), with --role.
    #[arg(long, requires = "role")]
    product: Option<String>,
    /// The release (`12.5`), with --role.
    #[arg(long, requires = "role")]
    version: Option<String>,
    /// File names: `fqdn` (FQDN.key, FQDN.csr; default) or `cisco-cert-util` (host.key,
    /// host.csr, as CiscoCertUtil /generateCSR writes them).
    #[arg(long, default_value = "fqdn", value_parser = ["fqdn", "cisco-cert-util"])]
    layout: String,
    /// The folder to write into (created if missing).
    #[arg(long)]
    out: PathBuf,
}

impl CsrNewArgs {
    pub(crate) fn json(&self) -> bool {
        self.json
    }
}

fn exists_error(p: &Path) -> Error {
    Error::Usage(format!(
        "{} already exists: ccetrust never replaces a key or a request (a CA may be signing it); \
         move it away or choose another --out",
        esc(&p.display().to_string())
    ))
}

/// Runs `csr new`.
pub(crate) fn csr_new(a: &CsrNewArgs) -> Result<i32, Error> {
    let role = match (&a.role, &a.product, &a.version) {
        (Some(r), Some(p), Some(v)) => Some((r.as_str(), p.as_str(), v.as_str())),
        _ => None,
    };
    let lifecycle::Checked {
        spec,
        subject,
        role: check,
    } = lifecycle::check(&lifecycle::Ask {
        fqdn: &a.fqdn,
        sans: &a.san,
        keyalg: Some(&a.keyalg),
        keysize: a.keysize,
        eku: a.eku.as_deref(),
        subject: a.subject.as_deref(),
        role,
    })?;
    let eku = subject.eku;
    let password = match &a.key_password_env {
        Some(var) => Some(Password::from_env(var)?),
        None => None,
    };
    let stem = if a.layout == "cisco-cert-util" {
        "host".to_string()
    } else {
        subject.fqdn.clone()
    };
    let (key_path, csr_path) = lifecycle::request_paths(&a.out, &stem);
    for p in [&key_path, &csr_path] {
        if p.symlink_metadata().is_ok() {
            return Err(exists_error(p));
        }
    }
    let key = KeyPair::generate(spec)?;
    let csr = lifecycle::new_csr(&key, &subject)?;
    let (report, _) = lifecycle::write_request(&a.out, &stem, &key, &csr, password.as_ref())?;
    let sans: Vec<String> = lifecycle::csr_sans(&subject)
        .iter()
        .map(ToString::to_string)
        .collect();
    let fqdn_missing = !sans.contains(&format!("DNS:{}", subject.fqdn));
    if a.json {
        print_json(&json!({
            "key": key_path.display().to_string(),
            "csr": csr_path.display().to_string(),
            "key_algorithm": spec.describe(),
            "encrypted": report.encrypted,
            "owner_only": report.owner_only,
            "subject": csr.subject().to_rfc4514(),
            "sans": sans,
            "eku": eku.name(),
            "public_key_sha256": crate::hex(&csr.public_key_sha256()),
            "role_rule": check.as_ref().map(|c| c.key_rule),
        }));
    } else {
        out(&format!(
            "wrote {} ({}{}) and {}: {}, SAN {}, EKU {}\n",
            esc(&key_path.display().to_string()),
            spec.describe(),
            if report.encrypted { ", encrypted" } else { "" },
            esc(&csr_path.display().to_string()),
            esc(&csr.subject().to_rfc4514()),
            sans.join(", "),
            eku.name()
        ));
        if fqdn_missing {
            eprintln!("note: the FQDN is not among the SANs asked; TLS clients match SANs only");
        }
        if !report.owner_only {
            eprintln!(
                "note: the key file inherits the ACL of {}; keep that folder private",
                esc(&a.out.display().to_string())
            );
        }
    }
    Ok(crate::cli::exit::YES)
}
