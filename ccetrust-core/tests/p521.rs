//! ECDSA P-521 (issue 17): roots on secp521r1 signed with ecdsa-with-SHA512 are recognised
//! as self-signed and verify chains (RFC 5758 §3.2 for the algorithm, RFC 5480 §2.1.1.1 for
//! the curve). Fixtures: `tests/data/p521/` (OpenSSL-made, `gen.sh`; certifi's P-521 root
//! copied with its origin in the README there). `openssl verify` is the cross-check.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

mod tool_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use ccetrust::chain::{self, Profile, Usage, VerifyOptions};
use ccetrust::{load_certificates, Certificate};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/p521")
}

fn cert(name: &str) -> Certificate {
    let bytes = std::fs::read(dir().join(format!("{name}.pem"))).unwrap();
    load_certificates(&bytes).unwrap().remove(0)
}

fn opts(root: &Certificate) -> VerifyOptions {
    VerifyOptions {
        name: Some("p521.example.local".into()),
        time: root.not_before().plus_days(1),
        profile: Profile::Browser,
        usage: Usage::Server,
    }
}

/// A P-521 root is self-signed (its own SHA-512 signature verifies), as is certifi's.
#[test]
fn p521_roots_are_self_signed() {
    for name in ["root", "certifi-p521"] {
        let c = cert(name);
        assert!(
            c.is_self_signed(),
            "{name} must verify under its own P-521 key"
        );
    }
    // Tampering with the signature's last byte breaks it.
    let mut der = cert("root").der().to_vec();
    let n = der.len();
    der[n - 1] ^= 1;
    assert!(!Certificate::from_der(&der).unwrap().is_self_signed());
}

/// Leaves signed by the P-521 root with SHA-512 and SHA-384 chain to it, and openssl agrees.
#[test]
fn chains_through_a_p521_root_verify() {
    let root = cert("root");
    for leaf in ["leaf", "leaf384"] {
        let v = chain::verify(&cert(leaf), &[], std::slice::from_ref(&root), &opts(&root));
        assert!(v.valid, "{leaf}: {}", v.reason);
        if tool_support::require("openssl", "the P-521 cross-check") {
            let out = Command::new("openssl")
                .arg("verify")
                .arg("-CAfile")
                .arg(dir().join("root.pem"))
                .arg(dir().join(format!("{leaf}.pem")))
                .output()
                .unwrap();
            assert!(out.status.success(), "openssl refuses {leaf}");
        }
    }
    // A leaf whose signature was altered does not verify under the P-521 root.
    let mut der = cert("leaf").der().to_vec();
    let n = der.len();
    der[n - 2] ^= 0x10;
    let bad = Certificate::from_der(&der).unwrap();
    let v = chain::verify(&bad, &[], std::slice::from_ref(&root), &opts(&root));
    assert!(!v.valid);
}

/// Every P-521 root in the installed certifi bundle (when python3 has certifi) is
/// self-signed, so none is reported `self_signed: false` again.
#[test]
fn every_p521_root_of_the_installed_certifi_is_self_signed() {
    if !tool_support::require("python3", "certifi's bundle") {
        return;
    }
    let out = Command::new("python3")
        .args(["-c", "import certifi; print(certifi.where())"])
        .output()
        .unwrap();
    if !out.status.success() {
        tool_support::missing("python3 has no certifi module");
        return;
    }
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let all = load_certificates(&std::fs::read(path).unwrap()).unwrap();
    let p521: Vec<&Certificate> = all
        .iter()
        .filter(|c| {
            c.subject_public_key_info()
                .and_then(|k| k.algorithm.parameters.as_ref())
                .and_then(|p| p.decode_as::<der::asn1::ObjectIdentifier>().ok())
                .is_some_and(|o| o.to_string() == "1.3.132.0.35")
        })
        .collect();
    assert!(!p521.is_empty(), "certifi carries at least one P-521 root");
    for c in p521 {
        assert!(c.is_self_signed(), "{}", c.subject());
    }
}
