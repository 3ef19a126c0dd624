//! `ccetrust inspect` and `ccetrust csr compare`.

use clap::{Args, Subcommand};
use serde_json::json;
use std::path::PathBuf;

use crate::cert::{load_certificates_file, load_file};
use crate::{report, Error};

#[path = "csr_new.rs"]
mod csr_new;

#[derive(Args, Debug)]
pub(crate) struct InspectArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Compare two files' certificates (or chains) field by field: what a renewal changed.
    #[arg(long)]
    pub diff: bool,
    /// Files (or folders, read recursively) to inspect; with `--diff`, exactly two files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub(crate) enum CsrCommand {
    /// Compare a CSR with the certificate issued for it (the check VOS makes at upload).
    Compare {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// The CSR file.
        csr: PathBuf,
        /// The certificate file.
        cert: PathBuf,
    },
    /// Make a private key and a CSR for a host (SANs exactly as asked, EKU, role rules).
    New(Box<csr_new::CsrNewArgs>),
}

impl CsrCommand {
    pub fn json(&self) -> bool {
        match self {
            CsrCommand::Compare { json, .. } => *json,
            CsrCommand::New(a) => a.json(),
        }
    }
}

/// Expands folders into the certificate-looking files inside them, sorted.
fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut stack = vec![p.clone()];
            let mut found = Vec::new();
            while let Some(dir) = stack.pop() {
                let entries = std::fs::read_dir(&dir).map_err(|source| Error::Io {
                    path: dir.clone(),
                    source,
                })?;
                for entry in entries.flatten() {
                    let path = entry.path();
                    if path.is_dir() {
                        stack.push(path);
                    } else if is_cert_file(&path) {
                        found.push(path);
                    }
                }
            }
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn is_cert_file(path: &std::path::Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    matches!(
        ext.as_str(),
        "pem" | "crt" | "cer" | "der" | "p7b" | "p7c" | "csr"
    )
}

/// A file `inspect` cannot read that is a keystore (JKS, JCEKS, PKCS#12): an error saying
/// so and naming the command that reads it, instead of a DER parse error at byte 4.
fn keystore_hint(file: &std::path::Path) -> Option<Error> {
    use crate::keystore::Format;
    let bytes = crate::error::read_file_as(file, crate::input::InputKind::Keystore).ok()?;
    let format = crate::keystore::detect(&bytes).ok()?;
    if !matches!(format, Format::Jks | Format::Jceks | Format::Pkcs12) {
        return None;
    }
    // A hint for the reader, not a command run: quoted for spaces, escaped when printed.
    let shown = format!("\"{}\"", file.display());
    Some(
        Error::from(crate::ParseError::WrongKind {
            expected: "a certificate or CSR",
            found: format!(
                "a {format} keystore: list it with `ccetrust keystore list {shown}` (a certificate in it: `ccetrust keystore export --alias ALIAS {shown}`)"
            ),
            line: None,
        })
        .in_file(file),
    )
}

pub(crate) fn run(args: &InspectArgs) -> Result<(), Error> {
    if args.diff {
        let [a, b] = args.files.as_slice() else {
            return Err(Error::Usage(format!(
                "inspect --diff takes two files, got {}",
                args.files.len()
            )));
        };
        return super::inspect_diff::run(a, b, args.json);
    }
    let files = expand(&args.files)?;
    let mut certs = Vec::new();
    let mut csrs = Vec::new();
    let mut text = String::new();
    for file in &files {
        let loaded = load_file(file).map_err(|e| keystore_hint(file).unwrap_or(e))?;
        if loaded.certificates.is_empty() && loaded.csrs.is_empty() {
            return Err(Error::from(crate::ParseError::WrongKind {
                expected: "a certificate or CSR",
                found: loaded
                    .private_keys
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "nothing usable".into()),
                line: None,
            })
            .in_file(file));
        }
        let source = file.display().to_string();
        for (i, c) in loaded.certificates.iter().enumerate() {
            if args.json {
                certs.push(report::certificate_json(c, &source, i));
            } else {
                text.push_str(&report::certificate_text(c, &source, i));
                text.push('\n');
            }
        }
        for (i, c) in loaded.csrs.iter().enumerate() {
            if args.json {
                csrs.push(report::csr_json(c, &source, i));
            } else {
                text.push_str(&report::csr_text(c, &source, i));
                text.push('\n');
            }
        }
    }
    if args.json {
        super::print_json(&json!({"certificates": certs, "csrs": csrs}));
    } else {
        super::out(&text);
    }
    Ok(())
}

/// Runs `csr compare`; exit 3 when VOS would reject the certificate for this CSR.
pub(crate) fn run_csr(cmd: &CsrCommand) -> Result<i32, Error> {
    match cmd {
        CsrCommand::New(a) => csr_new::csr_new(a),
        CsrCommand::Compare { json, csr, cert } => {
            let loaded = load_file(csr)?;
            let Some(request) = loaded.csrs.first() else {
                return Err(Error::from(crate::ParseError::WrongKind {
                    expected: "a certificate signing request",
                    found: if loaded.certificates.is_empty() {
                        "nothing usable".into()
                    } else {
                        "a certificate".into()
                    },
                    line: None,
                })
                .in_file(csr));
            };
            let certs = load_certificates_file(cert)?;
            let Some(leaf) = certs.first() else {
                return Err(super::verify::no_certificate(cert));
            };
            let cmp = request.compare(leaf);
            let mut t = String::new();
            if *json {
                super::print_json(&report::comparison_json(&cmp));
            } else {
                t.push_str(&format!(
                    "SAN names the CA added:   {}",
                    if cmp.san_added.is_empty() {
                        "(none)".into()
                    } else {
                        super::esc(&cmp.san_added.join(", ")).into_owned()
                    }
                ));
                t.push('\n');
                t.push_str(&format!(
                    "SAN names the CA dropped: {}",
                    if cmp.san_missing.is_empty() {
                        "(none)".into()
                    } else {
                        super::esc(&cmp.san_missing.join(", ")).into_owned()
                    }
                ));
                t.push('\n');
                t.push_str(&format!(
                    "Subject:                  {}",
                    if cmp.subject_equal {
                        "equal".into()
                    } else {
                        super::esc(&cmp.subject_differences.join("; ")).into_owned()
                    }
                ));
                t.push('\n');
                t.push_str(&format!(
                    "Public key:               {}",
                    if cmp.key_match {
                        "matches the CSR"
                    } else {
                        "DIFFERS from the CSR"
                    }
                ));
                t.push('\n');
                t.push_str(&format!(
                    "Verdict:                  {}",
                    if cmp.matches() {
                        "VOS will accept this certificate for this CSR"
                    } else {
                        "VOS will reject the upload (CSR SAN and Certificate SAN does not match / key mismatch)"
                    }
                ));
                t.push('\n');
                super::out(&t);
            }
            Ok(super::exit::answer(cmp.matches()))
        }
    }
}
