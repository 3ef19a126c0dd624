//! `ccetrust verify`: is this certificate trusted by these anchors, for this name, in the
//! eyes of a browser or a Java client? And `ccetrust limbo`, the x509-limbo harness.

use clap::Args;
use std::path::PathBuf;

use crate::cert::load_certificates_file;
use crate::chain::{self, Profile, Usage, VerifyOptions};
use crate::{Certificate, Error, Timestamp};

#[derive(Args, Debug)]
pub(crate) struct VerifyArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Trust anchors: certificate files (PEM, DER, PKCS#7) or keystores (JKS, JCEKS,
    /// PKCS#12: their trusted-certificate entries, as a Java trust store is read).
    /// One file per flag; repeat the flag for more (`--trust a.pem --trust b.jks`).
    #[arg(long, required = true, value_name = "FILE", action = clap::ArgAction::Append)]
    pub trust: Vec<PathBuf>,
    /// Store password of a --trust keystore, from this environment variable. JKS/JCEKS
    /// can be read without it (like `keytool -list`), but then their integrity is not checked.
    #[arg(long, value_name = "VAR", conflicts_with = "storepass_file")]
    pub storepass_env: Option<String>,
    /// Store password of a --trust keystore itself, as keytool's `-storepass` (visible to
    /// any local user in the process list: prefer --storepass-env or --storepass-file).
    #[arg(long, value_name = "PASSWORD", conflicts_with_all = ["storepass_env", "storepass_file"])]
    pub storepass: Option<String>,
    /// Store password of a --trust keystore, from the first line of this file.
    #[arg(long, value_name = "FILE")]
    pub storepass_file: Option<PathBuf>,
    /// Untrusted intermediates the server would send. Certificates after the first one in
    /// LEAF are added to these. One file per flag, repeatable.
    #[arg(long, value_name = "FILE", action = clap::ArgAction::Append)]
    pub intermediates: Vec<PathBuf>,
    /// The host name or IP address clients connect to.
    #[arg(long)]
    pub name: Option<String>,
    /// Check validity at this time (RFC 3339) instead of now.
    #[arg(long)]
    pub time: Option<String>,
    /// Whose rules: browser (SAN only, CA/B Forum) or java (JSSE: CN fallback, imported
    /// self-signed certificates trusted).
    #[arg(long, default_value = "browser")]
    pub profile: Profile,
    /// What the certificate is for: server, client or any.
    #[arg(long, default_value = "server")]
    pub usage: Usage,
    /// The certificate to verify (its file may also hold the rest of the chain).
    pub leaf: PathBuf,
}

/// A file that parsed but held no certificate: a parse failure of that file (exit 1).
pub(crate) fn no_certificate(path: &std::path::Path) -> Error {
    Error::from(crate::ParseError::WrongKind {
        expected: "a certificate",
        found: "no certificate in this file".into(),
        line: None,
    })
    .in_file(path)
}

fn load_all(paths: &[PathBuf]) -> Result<Vec<Certificate>, Error> {
    let mut out = Vec::new();
    for p in paths {
        let certs = load_certificates_file(p)?;
        if certs.is_empty() {
            return Err(no_certificate(p));
        }
        out.extend(certs);
    }
    Ok(out)
}

/// Trust anchors from certificate files and keystores. Returns the anchors and warnings.
fn load_trust(args: &VerifyArgs) -> Result<(Vec<Certificate>, Vec<String>), Error> {
    use crate::keystore::{self, Format, Keystore, Password};
    let password = match (&args.storepass_env, &args.storepass_file) {
        _ if args.storepass.is_some() => args.storepass.as_deref().map(Password::from),
        (Some(v), _) => Some(Password::from_env(v)?),
        (None, Some(f)) => Some(Password::from_file(f)?),
        (None, None) => None,
    };
    let mut anchors = Vec::new();
    let mut warnings = Vec::new();
    for path in &args.trust {
        // A keystore or a certificate bundle (a PEM `cacerts` export can be large).
        let bytes = crate::error::read_file_as(path, crate::input::InputKind::Keystore)?;
        let format = keystore::detect(&bytes).ok();
        let store = match (format, &password) {
            (Some(Format::Jks | Format::Jceks | Format::Pkcs12), Some(pw)) => {
                Some(Keystore::from_bytes(&bytes, pw).map_err(|e| Error::from(e).in_file(path))?)
            }
            (Some(Format::Jks | Format::Jceks), None) => {
                warnings.push(format!(
                    "{}: read without its store password, so its integrity was not checked",
                    path.display()
                ));
                Some(Keystore::from_bytes_unverified(&bytes).map_err(|e| Error::from(e).in_file(path))?)
            }
            (Some(Format::Pkcs12), None) => {
                return Err(Error::Usage(format!(
                    "{}: a PKCS#12 trust store needs its password: use --storepass-env, --storepass-file or --storepass",
                    path.display()
                )))
            }
            _ => None,
        };
        match store {
            Some(ks) => {
                let before = anchors.len();
                anchors.extend(ks.trusted_certificates().map(|(_, c)| c.clone()));
                if anchors.len() == before {
                    return Err(Error::Usage(format!(
                        "{}: the keystore has no trusted-certificate entry",
                        path.display()
                    )));
                }
            }
            None => anchors.extend(load_all(std::slice::from_ref(path))?),
        }
    }
    Ok((anchors, warnings))
}

/// Runs `verify`; the exit code is 0 when trusted, 3 when not ([`super::exit`]).
pub(crate) fn run(args: &VerifyArgs) -> Result<i32, Error> {
    let mut presented = load_certificates_file(&args.leaf)?;
    if presented.is_empty() {
        return Err(no_certificate(&args.leaf));
    }
    let leaf = presented.remove(0);
    let mut intermediates = presented;
    intermediates.extend(load_all(&args.intermediates)?);
    let (anchors, trust_warnings) = load_trust(args)?;
    let time = match &args.time {
        Some(t) => Timestamp::parse_rfc3339(t).ok_or_else(|| {
            Error::Usage(format!(
                "--time '{t}' is not an RFC 3339 time (2026-11-23T08:00:00Z)"
            ))
        })?,
        None => Timestamp::now(),
    };
    let opts = VerifyOptions {
        name: args.name.clone(),
        time,
        profile: args.profile,
        usage: args.usage,
    };
    let mut verdict = chain::verify(&leaf, &intermediates, &anchors, &opts);
    verdict.warnings.extend(trust_warnings);
    if args.json {
        super::print_json(&verdict.to_json());
    } else {
        let mut text = String::new();
        if verdict.valid {
            text.push_str(&format!("VALID ({} profile)\n", opts.profile));
        } else {
            text.push_str(&format!(
                "NOT VALID [{}] ({} profile)\n",
                verdict.code, opts.profile
            ));
        }
        text.push_str(&format!("  {}\n", super::esc(&verdict.reason)));
        if !verdict.path.is_empty() {
            text.push_str("  path:\n");
            for (i, c) in verdict.path.iter().enumerate() {
                text.push_str(&format!(
                    "    {i}. {}  sha256 {}\n",
                    super::esc(&c.subject().to_rfc4514()),
                    c.sha256_hex()
                ));
            }
        }
        if let Some(n) = &verdict.name {
            text.push_str(&format!(
                "  name: {} {} (presents: {})\n",
                super::esc(&n.checked),
                if n.matched {
                    "matches"
                } else {
                    "does NOT match"
                },
                if n.presented.is_empty() {
                    "nothing".to_string()
                } else {
                    super::esc(&n.presented.join(", ")).into_owned()
                }
            ));
        }
        for w in &verdict.warnings {
            text.push_str(&format!("  warning: {}\n", super::esc(w)));
        }
        super::out(&text);
    }
    Ok(super::exit::answer(verdict.valid))
}
