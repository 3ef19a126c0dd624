//! The `ccetrust` binary as a user runs it: `inspect` and `csr compare`, text and JSON,
//! exit codes, and the JSON error object.
#![cfg(feature = "cli")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data/certs")
        .join(name)
}

fn ccetrust(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ccetrust"))
        .args(args)
        .output()
        .unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn inspect_json_schema() {
    let f = data("finesse.pem");
    let out = ccetrust(&["inspect", "--json", f.to_str().unwrap()]);
    assert!(out.status.success());
    let v = json(&out);
    let c = &v["certificates"][0];
    for key in [
        "source",
        "index",
        "subject",
        "issuer",
        "serial",
        "not_before",
        "not_after",
        "san",
        "public_key",
        "signature_algorithm",
        "is_ca",
        "path_len",
        "key_usage",
        "extended_key_usage",
        "extensions",
        "sha256",
        "sha1",
        "self_signed",
    ] {
        assert!(c.get(key).is_some(), "missing {key}");
    }
    assert_eq!(c["public_key"]["algorithm"], "RSA");
    assert_eq!(c["public_key"]["bits"], 2048);
    assert_eq!(c["san"]["dns"][0], "finesse-a.example.local");
    assert_eq!(
        c["extended_key_usage"],
        serde_json::json!(["serverAuth", "clientAuth"])
    );
    // RFC 3339 UTC and bare lowercase hex.
    assert!(c["not_after"].as_str().unwrap().ends_with('Z'));
    let sha = c["sha256"].as_str().unwrap();
    assert_eq!(sha.len(), 64);
    assert!(sha
        .chars()
        .all(|ch| ch.is_ascii_hexdigit() && !ch.is_ascii_uppercase()));
    assert_eq!(v["csrs"], serde_json::json!([]));
}

#[test]
fn inspect_many_files_and_csrs() {
    let out = ccetrust(&[
        "inspect",
        "--json",
        data("chain.p7b").to_str().unwrap(),
        data("finesse.csr").to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let v = json(&out);
    assert_eq!(v["certificates"].as_array().unwrap().len(), 3);
    assert_eq!(v["certificates"][2]["index"], 2);
    assert_eq!(v["csrs"][0]["signature_valid"], true);
    assert_eq!(v["csrs"][0]["san"]["dns"][1], "finesse-a");
}

#[test]
fn inspect_text_is_readable() {
    let out = ccetrust(&["inspect", data("issuing.pem").to_str().unwrap()]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("CN=Example Issuing CA 2,DC=example,DC=local"),
        "{text}"
    );
    assert!(text.contains("CA:TRUE, pathlen:0"), "{text}");
}

#[test]
fn errors_are_json_with_kind_and_offset_and_exit_non_zero() {
    let dir = std::env::temp_dir().join(format!("ccetrust-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let der = std::fs::read(data("finesse.der")).unwrap();
    let truncated = dir.join("truncated.der");
    std::fs::write(&truncated, &der[..100]).unwrap();
    let out = ccetrust(&["inspect", "--json", truncated.to_str().unwrap()]);
    assert!(!out.status.success());
    let v = json(&out);
    assert_eq!(v["error"]["kind"], "malformed");
    assert_eq!(v["error"]["offset"], 1);
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("truncated.der"));

    let out = ccetrust(&["inspect", "--json", data("iis.key").to_str().unwrap()]);
    assert!(!out.status.success());
    assert_eq!(json(&out)["error"]["kind"], "wrong_kind");

    let out = ccetrust(&[
        "inspect",
        "--json",
        dir.join("missing.pem").to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert_eq!(json(&out)["error"]["kind"], "io");

    // Without --json: a sentence on stderr, nothing on stdout.
    let out = ccetrust(&["inspect", truncated.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("malformed DER at byte 1"));
}

#[test]
fn csr_compare_json() {
    let out = ccetrust(&[
        "csr",
        "compare",
        "--json",
        data("finesse.csr").to_str().unwrap(),
        data("finesse.pem").to_str().unwrap(),
    ]);
    // The CA added a SAN name: the verdict is "VOS will reject the upload", exit 3 (the exit table).
    assert_eq!(out.status.code(), Some(3));
    let v = json(&out);
    assert_eq!(v["key_match"], true);
    assert_eq!(v["subject_equal"], true);
    assert_eq!(v["san_missing"], serde_json::json!([]));
    let added: Vec<String> = v["san_added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect();
    assert!(added.contains(&"www.finesse-a.example.local".to_string()));
    // names without their DNS:/IP: prefix
    assert!(added
        .iter()
        .all(|n| !n.starts_with("DNS:") && !n.starts_with("IP:")));
}
