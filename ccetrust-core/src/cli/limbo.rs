//! `ccetrust limbo [FILE|-]`: runs every x509-limbo test case through [`crate::chain`] and
//! writes one result document (the harness protocol of `shared/conformance/LIMBO-FORMAT.md`)
//! to stdout or `--output`. Progress and a summary go to stderr.
//!
//! Cases are run under the browser profile, the one limbo's expectations follow (CA/B Forum
//! on top of RFC 5280). A case is SKIPPED only when it needs something ccetrust does not
//! implement (CRLs, public-suffix lists, signature-algorithm lists, other EKUs); the list
//! and the reasons are in `tests/limbo/DIVERGENCES.md`.

use clap::Args;
use serde_json::{json, Value};
use std::io::Read;
use std::path::PathBuf;
use std::time::Instant;

use crate::cert::{load_certificates, KeyUsage};
use crate::chain::{self, Profile, Requirements, Usage, VerifyOptions};
use crate::{Certificate, Error, Timestamp};

#[derive(Args, Debug)]
pub(crate) struct LimboArgs {
    /// The suite (`limbo.json`); `-` reads standard input.
    #[arg(default_value = "/work/shared/conformance/limbo.json")]
    pub input: String,
    /// Write the results here instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Only run cases whose id starts with this prefix.
    #[arg(long)]
    pub only: Option<String>,
    /// Errors as JSON; with `--output`, a JSON summary (`{"output", "cases"}`) on stdout.
    /// The results document is JSON either way.
    #[arg(long)]
    pub json: bool,
}

/// Features whose cases are skipped, with the reason.
const UNIMPLEMENTED: &[(&str, &str)] = &[
    ("has-crl", "CRL revocation checking is not implemented"),
    (
        "pedantic-rfc5280",
        "trust anchors are taken as configured (name and key, RFC 5280 §6.1.1 (d)); their AKI is not examined",
    ),
    (
        "pedantic-public-suffix-wildcard",
        "no public-suffix list is shipped, so wildcards over public suffixes are not detected",
    ),
];

fn text_of(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

fn list(v: &Value) -> Vec<Value> {
    v.as_array().cloned().unwrap_or_default()
}

fn pems(v: &Value) -> (Vec<Certificate>, usize) {
    let mut out = Vec::new();
    let mut bad = 0;
    for p in list(v) {
        match load_certificates(text_of(&p).as_bytes()) {
            Ok(mut c) if c.len() == 1 => out.append(&mut c),
            _ => bad += 1,
        }
    }
    (out, bad)
}

/// Cases skipped by id: behaviour the suite's own notes list as absent from every
/// validator in its matrix, whose expectations conflict with other families.
const UNIMPLEMENTED_IDS: &[(&str, &str)] = &[(
    "webpki::cn::",
    "CN/SAN consistency (CA/B BR §7.1.4.3) is reported as a warning, not enforced: BetterTLS and rfc5280::nc expect certificates whose CN is not a SAN to verify",
)];

fn run_case(case: &Value) -> (&'static str, String) {
    let id = text_of(&case["id"]);
    if let Some((_, why)) = UNIMPLEMENTED_IDS.iter().find(|(p, _)| id.starts_with(p)) {
        return ("SKIPPED", why.to_string());
    }
    for f in list(&case["features"]) {
        if let Some((_, why)) = UNIMPLEMENTED.iter().find(|(n, _)| *n == text_of(&f)) {
            return ("SKIPPED", why.to_string());
        }
    }
    if !list(&case["signature_algorithms"]).is_empty() {
        return (
            "SKIPPED",
            "signature algorithm lists are not supported".into(),
        );
    }
    let client = text_of(&case["validation_kind"]) == "CLIENT";
    let mut usage = if client { Usage::Client } else { Usage::Server };
    let ekus = list(&case["extended_key_usage"]);
    if !ekus.is_empty() {
        let names: Vec<&str> = ekus.iter().map(text_of).collect();
        usage = match names.as_slice() {
            ["serverAuth"] => Usage::Server,
            ["clientAuth"] => Usage::Client,
            _ => {
                return (
                    "SKIPPED",
                    format!("EKU requirement {names:?} not supported"),
                )
            }
        };
    }
    let mut req = Requirements::default();
    for ku in list(&case["key_usage"]) {
        req.key_usage |= match text_of(&ku) {
            "digitalSignature" => KeyUsage::DIGITAL_SIGNATURE,
            "nonRepudiation" | "contentCommitment" => KeyUsage::NON_REPUDIATION,
            "keyEncipherment" => KeyUsage::KEY_ENCIPHERMENT,
            "dataEncipherment" => KeyUsage::DATA_ENCIPHERMENT,
            "keyAgreement" => KeyUsage::KEY_AGREEMENT,
            "keyCertSign" => KeyUsage::KEY_CERT_SIGN,
            "cRLSign" => KeyUsage::CRL_SIGN,
            "encipherOnly" => KeyUsage::ENCIPHER_ONLY,
            "decipherOnly" => KeyUsage::DECIPHER_ONLY,
            other => return ("SKIPPED", format!("key usage {other} not supported")),
        };
    }
    req.max_intermediates = case["max_chain_depth"].as_u64().map(|d| d as usize);

    // Fractions of a second are dropped: validity bounds have whole-second granularity, so
    // the time is compared at that granularity (floor), as limbo's validity cases expect.
    let time = match case["validation_time"].as_str() {
        Some(t) => match Timestamp::parse_rfc3339(t) {
            Some(x) => x,
            None => return ("FAILURE", format!("unreadable validation time {t}")),
        },
        None => Timestamp::now(),
    };

    let mut name = None;
    let mut names = Vec::new();
    if client {
        names = list(&case["expected_peer_names"]);
    } else if case["expected_peer_name"].is_object() {
        names.push(case["expected_peer_name"].clone());
    }
    for n in names {
        let value = text_of(&n["value"]).to_string();
        match text_of(&n["kind"]) {
            "DNS" | "IP" => name = Some(value),
            "RFC822" => req.emails.push(value),
            other => return ("SKIPPED", format!("peer name kind {other} not supported")),
        }
    }

    let leaf = match load_certificates(text_of(&case["peer_certificate"]).as_bytes()) {
        Ok(mut c) if c.len() == 1 => c.remove(0),
        Ok(_) => {
            return (
                "FAILURE",
                "the peer certificate PEM holds no single certificate".into(),
            )
        }
        Err(e) => return ("FAILURE", format!("peer certificate rejected: {e}")),
    };
    let (intermediates, bad_i) = pems(&case["untrusted_intermediates"]);
    let (anchors, bad_a) = pems(&case["trusted_certs"]);
    let opts = VerifyOptions {
        name,
        time,
        profile: Profile::Browser,
        usage,
    };
    let verdict = chain::verify_with(&leaf, &intermediates, &anchors, &opts, &req);
    let mut context = verdict.reason.clone();
    if bad_i + bad_a > 0 {
        context.push_str(&format!(
            " ({} unreadable pool certificate(s) ignored)",
            bad_i + bad_a
        ));
    }
    (if verdict.valid { "SUCCESS" } else { "FAILURE" }, context)
}

/// Runs the suite; exit code 0 unless the harness itself broke.
pub(crate) fn run(args: &LimboArgs) -> Result<i32, Error> {
    let bytes = if args.input == "-" {
        let mut b = Vec::new();
        let limit = crate::input::InputKind::TestSuite.limit();
        std::io::stdin()
            .take(limit + 1)
            .read_to_end(&mut b)
            .map_err(|source| Error::Io {
                path: PathBuf::from("-"),
                source,
            })?;
        if b.len() as u64 > limit {
            return Err(Error::Usage(format!(
                "-: standard input is larger than the {} MiB a test suite document may be",
                limit >> 20
            )));
        }
        b
    } else {
        crate::error::read_file_as(
            std::path::Path::new(&args.input),
            crate::input::InputKind::TestSuite,
        )?
    };
    let suite: Value = serde_json::from_slice(&bytes)
        .map_err(|e| Error::Usage(format!("{}: not a limbo JSON document: {e}", args.input)))?;
    let cases: Vec<&Value> = suite["testcases"]
        .as_array()
        .ok_or_else(|| Error::Usage(format!("{}: no testcases array", args.input)))?
        .iter()
        .filter(|c| {
            args.only
                .as_deref()
                .is_none_or(|p| text_of(&c["id"]).starts_with(p))
        })
        .collect();
    let start = Instant::now();
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    let chunk = cases.len().div_ceil(threads).max(1);
    let mut results: Vec<(Value, f64)> = Vec::with_capacity(cases.len());
    std::thread::scope(|s| {
        let handles: Vec<_> = cases
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|case| {
                            let t = Instant::now();
                            let (result, context) = run_case(case);
                            let secs = t.elapsed().as_secs_f64();
                            (
                                json!({"id": case["id"], "actual_result": result, "context": context}),
                                secs,
                            )
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            match h.join() {
                Ok(mut part) => results.append(&mut part),
                Err(_) => eprintln!("ccetrust limbo: a worker thread panicked"),
            }
        }
    });
    if results.len() != cases.len() {
        return Err(Error::Usage(
            "the limbo run lost results (worker panicked)".into(),
        ));
    }
    let elapsed = start.elapsed().as_secs_f64();
    let slowest = results
        .iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(v, t)| (text_of(&v["id"]).to_string(), *t));
    eprintln!(
        "ccetrust limbo: {} cases in {elapsed:.2} s; slowest {}",
        results.len(),
        slowest
            .map(|(id, t)| format!("{id} ({:.3} s)", t))
            .unwrap_or_default()
    );
    for (v, t) in &results {
        if *t > 1.0 {
            eprintln!("ccetrust limbo: SLOW {} took {t:.2} s", text_of(&v["id"]));
        }
    }
    let doc = json!({
        "version": 1,
        "harness": format!("ccetrust-{}", env!("CARGO_PKG_VERSION")),
        "results": results.into_iter().map(|(v, _)| v).collect::<Vec<_>>(),
    });
    let text = format!(
        "{}\n",
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    );
    let cases = doc["results"].as_array().map_or(0, Vec::len);
    match &args.output {
        Some(p) => {
            std::fs::write(p, text).map_err(|source| Error::Io {
                path: p.clone(),
                source,
            })?;
            if args.json {
                super::print_json(&json!({"output": p.display().to_string(), "cases": cases}));
            }
        }
        None => super::out(&text),
    }
    Ok(0)
}
