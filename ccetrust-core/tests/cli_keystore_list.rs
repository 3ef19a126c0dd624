//! `ccetrust keystore list` against `keytool -list -v` on the same files, entry for entry
//! (issue 13): the alias as keytool shows it, the entry type, and the SHA-256 of every
//! certificate of the entry's chain, in order. Both listings are read by one parser (the
//! text listing uses keytool's labels: `Alias name:`, `Entry type:`, `SHA256:`).
//!
//! Fixtures: `tests/data/keystore/` (made by keytool and openssl, `gen.sh` and
//! `gen-aliases.sh` beside them).
#![cfg(feature = "cli")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

mod tool_support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// One entry as listed: alias, entry type, SHA-256 fingerprints of its certificates.
type Listed = (String, String, Vec<String>);

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data/keystore")
        .join(name)
}

/// Entries of a `keytool -list -v` style listing, sorted by alias.
fn parse(listing: &str) -> Vec<Listed> {
    let mut v: Vec<Listed> = Vec::new();
    for l in listing.lines() {
        if let Some(a) = l.strip_prefix("Alias name: ") {
            v.push((a.to_string(), String::new(), Vec::new()));
        } else if let (Some(t), Some(e)) = (l.strip_prefix("Entry type: "), v.last_mut()) {
            e.1 = t.to_string();
        } else if let (Some(h), Some(e)) = (l.trim_start().strip_prefix("SHA256: "), v.last_mut()) {
            e.2.push(h.to_string());
        }
    }
    v.sort();
    v
}

fn keytool_list(path: &Path, storetype: &str, pass: Option<&str>) -> String {
    let mut args = vec![
        "-J-Duser.language=en".to_string(),
        "-list".into(),
        "-v".into(),
        "-keystore".into(),
        path.display().to_string(),
        "-storetype".into(),
        storetype.into(),
    ];
    if let Some(p) = pass {
        args.extend(["-storepass".to_string(), p.to_string()]);
    }
    let out = Command::new("keytool")
        .args(&args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "keytool {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn ccetrust(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ccetrust"))
        .args(args)
        .env("STOREPASS", "changeit")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// `keytool -list` reads a JKS or JCEKS without its password, warning that integrity was
/// not checked; so does `ccetrust keystore list` (stdin not a terminal, no password given):
/// the same entries, a warning on stderr, `"integrity_checked": false` in JSON.
#[test]
fn jks_and_jceks_are_listed_without_a_password_as_keytool_lists_them() {
    if !tool_support::require("keytool", "the keytool -list comparison") {
        return;
    }
    for (file, storetype) in [("ece.jks", "JKS"), ("cvp.jceks", "JCEKS")] {
        let path = fixture(file);
        let ours = ccetrust(&["keystore", "list", path.to_str().unwrap()]);
        assert_eq!(
            ours.status.code(),
            Some(0),
            "{file}: {}",
            String::from_utf8_lossy(&ours.stderr)
        );
        let stderr = String::from_utf8_lossy(&ours.stderr);
        assert!(
            stderr.contains("integrity was not checked"),
            "{file}: {stderr}"
        );
        let theirs = keytool_list(&path, storetype, None);
        let ours = parse(&String::from_utf8_lossy(&ours.stdout));
        assert!(!ours.is_empty(), "{file}: nothing listed");
        assert_eq!(
            ours,
            parse(&theirs),
            "{file}: ccetrust (left) and keytool -list -v (right)"
        );
        let json = ccetrust(&["keystore", "list", "--json", path.to_str().unwrap()]);
        let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(v["integrity_checked"], false, "{file}");
        // With the password (any of the three ways), integrity is checked.
        let json = ccetrust(&[
            "keystore",
            "list",
            "--json",
            "--storepass-env",
            "STOREPASS",
            path.to_str().unwrap(),
        ]);
        let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(v["integrity_checked"], true, "{file}");
    }
}

/// With the password, every fixture (JKS, JCEKS, keytool- and openssl-written PKCS#12)
/// lists what `keytool -list -v` lists, entry for entry.
#[test]
fn listings_equal_keytool_entry_for_entry() {
    if !tool_support::require("keytool", "the keytool -list -v comparison") {
        return;
    }
    let mut wrong = Vec::new();
    for (file, storetype) in [
        ("ece.jks", "JKS"),
        ("cvp.jceks", "JCEKS"),
        ("keytool-modern.p12", "PKCS12"),
        ("keytool-legacy.p12", "PKCS12"),
        ("openssl-default.p12", "PKCS12"),
        ("openssl-legacy.p12", "PKCS12"),
        ("openssl-sha512.p12", "PKCS12"),
        // gen-aliases.sh: mixed-case friendly names; JDK's chain-certificate bag.
        ("jdk-chain.p12", "PKCS12"),
        ("openssl-chain.p12", "PKCS12"),
    ] {
        let path = fixture(file);
        let ours = ccetrust(&[
            "keystore",
            "list",
            "--storepass",
            "changeit",
            path.to_str().unwrap(),
        ]);
        let ours = parse(&String::from_utf8_lossy(&ours.stdout));
        let theirs = parse(&keytool_list(&path, storetype, Some("changeit")));
        if ours != theirs || ours.is_empty() {
            wrong.push(format!(
                "{file}:\n  ccetrust {ours:?}\n  keytool  {theirs:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// PKCS#12 aliases as keytool has them: found in any case (`delete --alias ROOTCA`), listed
/// in lower case, the stored friendly name kept in JSON `friendly_name`; JDK's extra bag
/// for the key's chain CA is in the key's chain, and `--all-bags` shows every bag.
#[test]
fn pkcs12_aliases_are_keytools() {
    let dir = tempfile::tempdir().unwrap();
    let p12 = dir.path().join("x.p12");
    std::fs::copy(fixture("jdk-chain.p12"), &p12).unwrap();
    let p = p12.to_str().unwrap();
    let list = |extra: &[&str]| -> serde_json::Value {
        let mut args = vec!["keystore", "list", "--json", "--storepass-env", "STOREPASS"];
        args.extend_from_slice(extra);
        args.push(p);
        let o = ccetrust(&args);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let v = list(&[]);
    let entries = v["entries"].as_array().unwrap();
    let names: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| {
            (
                e["alias"].as_str().unwrap(),
                e["friendly_name"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(names, [("tomcat", "tomcat"), ("rootca", "RootCA")]);
    assert_eq!(
        entries[0]["certificates"].as_array().unwrap().len(),
        2,
        "the chain CA is in the chain"
    );
    let bags = list(&["--all-bags"]);
    assert_eq!(
        bags["bags"].as_array().unwrap().len(),
        4,
        "key, leaf, chain CA, trusted CA: {bags}"
    );
    assert_eq!(
        bags["bags"][2]["friendly_name"],
        "CN=Lab Issuing CA,O=Example Contact Center,C=US"
    );
    // Found in any case, as keytool finds it.
    let o = ccetrust(&[
        "keystore",
        "delete",
        "--storepass-env",
        "STOREPASS",
        "--alias",
        "ROOTCA",
        "--no-backup",
        p,
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v = list(&[]);
    assert_eq!(v["entries"].as_array().unwrap().len(), 1);
    if tool_support::require("keytool", "the keytool read-back") {
        assert_eq!(
            parse(&keytool_list(&p12, "PKCS12", Some("changeit"))).len(),
            1
        );
    }
}
