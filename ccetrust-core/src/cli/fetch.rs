//! `ccetrust fetch`: the chain a live server presents, printed as `inspect` prints files, or
//! saved as PEM files named the way the Collect procedure names them.

use clap::Args;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::fetch::{fetch_chain, pem_file_name, FetchTarget, FetchedChain, Sni, Timeouts};
use crate::{report, Error};

#[derive(Args, Debug)]
pub(crate) struct FetchArgs {
    /// Print JSON: {"host","port","sni","tls_version","cipher_suite","chain":[...]}.
    #[arg(long)]
    pub json: bool,
    /// Send NAME as SNI (default: the host when it is a DNS name, nothing for an IP address).
    #[arg(long, value_name = "NAME", conflicts_with = "no_sni")]
    pub sni: Option<String>,
    /// Send no SNI, even for a DNS name (what a client that reaches the server by IP does).
    #[arg(long)]
    pub no_sni: bool,
    /// Seconds allowed to connect, and again for the TLS handshake (default 5 and 10).
    #[arg(long, value_name = "S", value_parser = parse_seconds)]
    pub timeout: Option<Duration>,
    /// Also write each certificate as a PEM file into DIR: {host}[_{port}].pem for the
    /// leaf, {host}[_{port}].ca{N}.pem for the N-th certificate after it (port omitted when 443).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The server: HOST, HOST:PORT, [IPv6]:PORT or an https:// URL (port 443 by default).
    #[arg(value_name = "HOST[:PORT]")]
    pub target: String,
}

fn parse_seconds(s: &str) -> Result<Duration, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= 3600.0 => Ok(Duration::from_secs_f64(v)),
        _ => Err(format!(
            "{s:?} is not a number of seconds between 0 and 3600"
        )),
    }
}

pub(crate) fn run(args: &FetchArgs) -> Result<(), Error> {
    let target = FetchTarget::parse(&args.target)?;
    let sni = match (&args.sni, args.no_sni) {
        (Some(name), _) => Sni::Name(name.clone()),
        (None, true) => Sni::Off,
        (None, false) => Sni::Auto,
    };
    let timeouts = args.timeout.map(Timeouts::both).unwrap_or_default();
    let fetched = fetch_chain(&target.host, target.port, sni, timeouts)?;
    let files = match &args.out {
        Some(dir) => write_pem_files(dir, &fetched)?,
        None => Vec::new(),
    };
    let source = target.display();
    if args.json {
        let chain: Vec<_> = fetched
            .certificates
            .iter()
            .enumerate()
            .map(|(i, c)| report::certificate_json(c, &source, i))
            .collect();
        let mut v = json!({
            "host": fetched.host,
            "port": fetched.port,
            "sni": fetched.sni,
            "tls_version": fetched.tls_version,
            "cipher_suite": fetched.cipher_suite,
            "chain": chain,
        });
        if let Some(obj) = v.as_object_mut() {
            obj.insert("address".into(), json!(fetched.address.to_string()));
            obj.insert(
                "handshake_completed".into(),
                json!(fetched.handshake_completed),
            );
            obj.insert(
                "client_certificate_requested".into(),
                json!(fetched.client_certificate_requested),
            );
            let cas: Vec<String> = fetched
                .acceptable_client_cas
                .iter()
                .map(|n| n.to_rfc4514())
                .collect();
            obj.insert("acceptable_client_cas".into(), json!(cas));
            if args.out.is_some() {
                let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
                obj.insert("files".into(), json!(names));
            }
        }
        super::print_json(&v);
    } else {
        let mut text = format!(
            "{} ({}): {} {}, SNI {}, {} certificate{}\n\n",
            super::esc(&source),
            super::esc(&fetched.address.to_string()),
            fetched.tls_version,
            fetched.cipher_suite,
            super::esc(fetched.sni.as_deref().unwrap_or("(none)")),
            fetched.certificates.len(),
            if fetched.certificates.len() == 1 {
                ""
            } else {
                "s"
            },
        );
        if fetched.client_certificate_requested {
            text.push_str(&format!(
                "The server asks for a client certificate (mutual TLS){}.\n",
                if fetched.handshake_completed {
                    ""
                } else {
                    "; without one it ended the handshake after sending its chain"
                }
            ));
            if fetched.acceptable_client_cas.is_empty() {
                text.push_str("  It names no acceptable CAs.\n");
            } else {
                text.push_str("  Acceptable client certificate issuers:\n");
                for n in &fetched.acceptable_client_cas {
                    text.push_str(&format!("    {}\n", super::esc(&n.to_rfc4514())));
                }
            }
            text.push('\n');
        }
        for (i, c) in fetched.certificates.iter().enumerate() {
            text.push_str(&report::certificate_text(c, &source, i));
            text.push('\n');
        }
        for f in &files {
            text.push_str(&format!("Wrote {}\n", super::esc(&f.display().to_string())));
        }
        super::out(&text);
    }
    Ok(())
}

/// Writes one PEM file per certificate, named by [`pem_file_name`]; creates `dir` if needed.
fn write_pem_files(dir: &Path, fetched: &FetchedChain) -> Result<Vec<PathBuf>, Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::new();
    for (i, c) in fetched.certificates.iter().enumerate() {
        let path = dir.join(pem_file_name(&fetched.host, fetched.port, i));
        std::fs::write(&path, c.to_pem()).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}
