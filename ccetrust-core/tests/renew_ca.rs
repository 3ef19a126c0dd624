//! Renewal of CA-signed certificates in the plan (issue 15, "Renewal in the plan"; CCE-TRUST.md
//! on CiscoCertUtil, IIS and the VOS upload order). `examples/ca-signed` audited three weeks
//! before its identity certificates expire: every one gets a renewal step — `ccetrust csr new`
//! with the current certificate's SANs exactly on Windows, OS Administration's Generate CSR
//! and the root → intermediate → identity upload order on VOS (trust uploads on the
//! publisher) — and no importer re-imports anything, since they trust the CA. The printed
//! `csr new` line is run as it stands; openssl verifies the request and signs it; `csr
//! compare` finds the pair consistent; `openssl verify` accepts the new certificate.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

mod cce_support;
mod tool_support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// Three weeks before the example's identity certificates expire (2028-11-22).
const AT: &str = "2028-11-01T00:00:00Z";

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/ca-signed")
}

fn ccetrust(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ccetrust"))
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

fn openssl(args: &[&str]) -> String {
    let o = Command::new("openssl").args(args).output().unwrap();
    assert!(
        o.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `ccetrust plan --json --at AT` of the example: its `plan`.
fn plan() -> Vec<Value> {
    let inv = example().join("inventory.toml");
    let o = ccetrust(&["plan", "--json", "--at", AT, inv.to_str().unwrap()]);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    doc["plan"].as_array().unwrap().clone()
}

/// The steps of `host` of kind `kind`, with their commands.
fn steps<'a>(plan: &'a [Value], host: &str, kind: &str) -> Vec<&'a Value> {
    plan.iter()
        .filter(|h| h["host"] == host)
        .flat_map(|h| h["steps"].as_array().unwrap())
        .filter(|s| s["kind"] == kind)
        .collect()
}

fn commands(step: &Value) -> Vec<String> {
    step["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect()
}

/// The SAN line openssl prints.
fn san_line(text: &str) -> String {
    let at = text.find("Subject Alternative Name").unwrap();
    text[at..].lines().nth(1).unwrap().trim().to_string()
}

/// The `ccetrust csr new …` command of a step as argv (the plan double-quotes each value
/// it did not write itself), with `--out` pointed at `out`.
fn csr_new_argv(line: &str, out: &Path) -> Vec<String> {
    let cmd = line.split("   (").next().unwrap();
    let mut args: Vec<String> = cmd
        .split_whitespace()
        .skip(1) // `ccetrust`
        .map(|a| a.trim_matches('"').to_string())
        .collect();
    let o = args.iter().position(|a| a == "--out").unwrap();
    args[o + 1] = out.to_str().unwrap().to_string();
    args
}

/// The printed request for awa's IIS certificate, run as it stands, carries the current
/// certificate's SANs exactly; a CA signs it; csr compare and openssl verify accept the result.
#[test]
fn the_printed_csr_new_line_renews_the_iis_certificate() {
    if !tool_support::require("openssl", "the request and the CA signature") {
        return;
    }
    let plan = plan();
    let renew = steps(&plan, "awa.corp.example.com", "reissue");
    let iis = renew
        .iter()
        .find(|s| s["title"].as_str().unwrap().contains("IIS"))
        .unwrap();
    let cmds = commands(iis);
    let line = cmds
        .iter()
        .find(|c| c.starts_with("ccetrust csr new "))
        .unwrap_or_else(|| panic!("{cmds:#?}"));
    assert!(line.contains(r#"--out "C:\ccetrust\renew\iis""#), "{line}");
    assert!(
        cmds.iter()
            .any(|c| c.starts_with("Nothing to re-import on the importers that trust")),
        "{cmds:#?}"
    );

    let dir = cce_support::temp_dir("renew-ca");
    let out = dir.join("req");
    let o = Command::new(env!("CARGO_BIN_EXE_ccetrust"))
        .args(csr_new_argv(line, &out))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csr = out.join("awa.corp.example.com.csr");
    let req = openssl(&[
        "req",
        "-in",
        csr.to_str().unwrap(),
        "-noout",
        "-verify",
        "-text",
    ]);
    let current = example().join("presented/awa-iis.pem");
    let cur = openssl(&["x509", "-in", current.to_str().unwrap(), "-noout", "-text"]);
    assert_eq!(san_line(&req), san_line(&cur), "the SANs exactly");
    assert!(req.contains("TLS Web Server Authentication"), "{req}");

    let (ca_key, ca) = (dir.join("ca.key"), dir.join("ca.pem"));
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        ca_key.to_str().unwrap(),
        "-out",
        ca.to_str().unwrap(),
        "-subj",
        "/CN=Renewal Test CA",
        "-days",
        "30",
    ]);
    let cert = dir.join("awa-iis-renewed.pem");
    openssl(&[
        "x509",
        "-req",
        "-in",
        csr.to_str().unwrap(),
        "-CA",
        ca.to_str().unwrap(),
        "-CAkey",
        ca_key.to_str().unwrap(),
        "-CAcreateserial",
        "-copy_extensions",
        "copy",
        "-days",
        "30",
        "-out",
        cert.to_str().unwrap(),
    ]);
    let o = ccetrust(&[
        "csr",
        "compare",
        "--json",
        csr.to_str().unwrap(),
        cert.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let v = openssl(&[
        "verify",
        "-CAfile",
        ca.to_str().unwrap(),
        cert.to_str().unwrap(),
    ]);
    assert!(v.contains(": OK"), "{v}");
    let new = openssl(&["x509", "-in", cert.to_str().unwrap(), "-noout", "-text"]);
    assert_eq!(san_line(&new), san_line(&cur));
}

/// Every expiring identity certificate has its renewal; nothing is re-imported anywhere
/// (the importers trust the CA); VOS nodes generate the CSR on themselves, upload root and
/// intermediates on the publisher, then the identity certificate, in that order.
#[test]
fn every_expiring_certificate_is_renewed_and_no_importer_reimports() {
    let plan = plan();
    for host in [
        "awa.corp.example.com",
        "rgrb.corp.example.com",
        "eceweb.corp.example.com",
        "fina.corp.example.com",
        "cuicb.corp.example.com",
    ] {
        assert!(!steps(&plan, host, "reissue").is_empty(), "{host}");
    }
    let reimports: Vec<_> = plan
        .iter()
        .flat_map(|h| h["steps"].as_array().unwrap())
        .filter(|s| s["kind"] == "import-after-reissue")
        .collect();
    assert!(reimports.is_empty(), "{reimports:#?}");

    let sub = commands(steps(&plan, "cuicb.corp.example.com", "reissue")[0]);
    let pos = |what: &str| {
        sub.iter()
            .position(|c| c.contains(what))
            .unwrap_or_else(|| panic!("{what}: {sub:#?}"))
    };
    let (csr, root, leaf) = (
        pos("Generate CSR"),
        pos("upload the root CA as tomcat-trust, then each intermediate"),
        pos("upload the signed certificate as tomcat"),
    );
    assert!(csr < root && root < leaf, "{sub:#?}");
    assert!(
        sub[csr].starts_with("On cuicb.corp.example.com:"),
        "{}",
        sub[csr]
    );
    assert!(
        sub[root].starts_with("On cuica.corp.example.com (the publisher"),
        "{}",
        sub[root]
    );
    assert!(sub[csr].contains("parent domain empty"), "{}", sub[csr]);
}
