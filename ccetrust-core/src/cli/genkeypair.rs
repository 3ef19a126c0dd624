//! `ccetrust keystore genkeypair`: keytool's `-genkeypair` with the fields Cisco's
//! importers need and the role's rules applied before any key is made (see
//! [`crate::lifecycle`]). The entry is written like every other keystore change: the
//! store's lock, the safe replace, a backup; a store that does not exist is created.
//!
//! A submodule of `cli/keystore.rs` so that it shares that file's password and write
//! options; everything else lives here.

use std::path::PathBuf;

use clap::Args;
use serde_json::json;

use super::{in_file, report_write, PassArgs, WriteArgs};
use crate::cli::{esc, out};
use crate::keystore::{Format, ImportOutcome, ImportPolicy, Keystore, PrivateKeyEntry};
use crate::lifecycle::{self, KeyPair};
use crate::Error;

/// `keystore genkeypair` arguments.
#[derive(Args, Debug)]
pub(crate) struct GenkeypairArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    pass: PassArgs,
    #[command(flatten)]
    write: WriteArgs,
    /// Alias of the new key entry (refused if the store already has it).
    #[arg(long)]
    alias: String,
    /// The host's fully qualified name: the CN and the first DNS SAN.
    #[arg(long)]
    fqdn: String,
    /// A further subject alternative name (`DNS:name`, `IP:addr`, or a bare name or
    /// address); repeat for more.
    #[arg(long, value_name = "DNS-or-IP")]
    san: Vec<String>,
    /// Key algorithm: rsa (default) or ec.
    #[arg(long, default_value = "rsa")]
    keyalg: String,
    /// Key size: RSA 2048 (default), 3072, 4096; EC 256 (default) or 384.
    #[arg(long)]
    keysize: Option<u32>,
    /// Validity in days (default 1825, the CVP procedures' choice).
    #[arg(long, default_value_t = lifecycle::DEFAULT_VALIDITY_DAYS)]
    validity: u32,
    /// Extended key usage: server, client or server,client (default: the role's, else
    /// server).
    #[arg(long)]
    eku: Option<String>,
    /// Format of a store that does not exist yet: jks, jceks or pkcs12 (default: the
    /// role's, else pkcs12). An existing store keeps its format.
    #[arg(long, value_name = "FORMAT")]
    storetype: Option<String>,
    /// The role the certificate is for (`cvp`, `cti`, `aw`…): refuses what its product
    /// and release reject. Needs --product and --version.
    #[arg(long, requires_all = ["product", "version"])]
    role: Option<String>,
    /// The product (pcce, ucce, uccx), with --role.
    #[arg(long, requires = "role")]
    product: Option<String>,
    /// The release (`12.5`), with --role.
    #[arg(long, requires = "role")]
    version: Option<String>,
    /// The keystore (created when it does not exist).
    keystore: PathBuf,
}

impl GenkeypairArgs {
    pub(crate) fn json(&self) -> bool {
        self.json
    }
}

/// Runs `keystore genkeypair`.
pub(crate) fn genkeypair(a: &GenkeypairArgs) -> Result<(), Error> {
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
        subject: None,
        role,
    })?;
    let defaults = check.as_ref().and_then(|c| c.defaults);
    let eku = subject.eku;
    let store_pw = a.pass.store()?;
    let key_pw = a.pass.key(&store_pw)?;
    let file = a.write.open(&a.keystore)?;
    let mut ks = match file.load(&store_pw).map_err(in_file(&a.keystore))? {
        Some(ks) => {
            if let Some(t) = &a.storetype {
                let asked: Format = t.parse()?;
                if asked != ks.format {
                    return Err(Error::Usage(format!(
                        "--storetype {asked}: {} is an existing {} store (convert it first)",
                        esc(&a.keystore.display().to_string()),
                        ks.format
                    )));
                }
            }
            ks
        }
        None => {
            let t = a
                .storetype
                .as_deref()
                .or(defaults.and_then(|d| d.storetype))
                .unwrap_or("pkcs12");
            Keystore::new(t.parse()?)
        }
    };
    if ks.format == Format::Pem {
        return Err(Error::Usage(
            "genkeypair writes JKS, JCEKS or PKCS#12 stores; for a key file and a CSR use `ccetrust csr new`".into(),
        ));
    }
    if let Some(e) = ks.entry(&a.alias) {
        return Err(Error::Usage(format!(
            "alias '{}' already exists in {} (a {}): delete or rename it first, as keytool requires",
            esc(&e.alias),
            esc(&a.keystore.display().to_string()),
            e.kind.keytool_name()
        )));
    }
    let key = KeyPair::generate(spec)?;
    let cert = lifecycle::self_signed(&key, &subject, a.validity)?;
    let entry = PrivateKeyEntry::new(&key.pkcs8_der()?, vec![cert.clone()])?;
    let outcome = ks.import_key_pair(&a.alias, entry, ImportPolicy::Refuse)?;
    let report = file.save(&ks, &store_pw, &super::save_opts(&a.write, Some(key_pw)))?;
    let sans: Vec<String> = subject.all_sans().iter().map(ToString::to_string).collect();
    if !a.json {
        out(&format!(
            "generated {} key pair '{}': CN={}, SAN {}, EKU {}, valid until {}, SHA-256 {}\n",
            spec.describe(),
            esc(stored_alias(&outcome)),
            esc(&subject.fqdn),
            sans.join(", "),
            eku.name(),
            cert.not_after().to_rfc3339(),
            cert.sha256_hex()
        ));
    }
    report_write(
        a.json,
        &a.keystore,
        ks.format,
        true,
        Some(&report),
        json!({
            "alias": stored_alias(&outcome),
            "key": spec.describe(),
            "subject": cert.subject().to_rfc4514(),
            "sans": sans,
            "eku": eku.name(),
            "serial": cert.serial_hex(),
            "not_before": cert.not_before().to_rfc3339(),
            "not_after": cert.not_after().to_rfc3339(),
            "sha256": cert.sha256_hex(),
            "role_rule": check.as_ref().map(|c| c.key_rule),
        }),
    );
    Ok(())
}

/// The alias the entry was stored under (JKS and JCEKS lower-case aliases).
fn stored_alias(o: &ImportOutcome) -> &str {
    match o {
        ImportOutcome::Added { alias, .. } | ImportOutcome::Replaced { alias, .. } => alias,
        ImportOutcome::AlreadyPresent { existing, .. } => existing,
    }
}
