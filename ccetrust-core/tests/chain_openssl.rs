//! Chain validation on fixtures made by OpenSSL (`tests/data/chain/gen.sh`), checked two
//! ways: the verdict and reason ccetrust gives, and — where the rules coincide — that
//! `openssl verify` (run at test time) reaches the same yes/no answer on the same files.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

mod tool_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use ccetrust::chain::{self, Profile, Usage, VerdictCode, VerifyOptions};
use ccetrust::{load_certificates, Certificate, Timestamp};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/chain")
}

fn cert(name: &str) -> Certificate {
    let bytes = std::fs::read(dir().join(format!("{name}.pem"))).unwrap();
    load_certificates(&bytes).unwrap().remove(0)
}

/// One day after the one-day "old cross-certificate" expired: every other fixture is valid.
fn test_time() -> Timestamp {
    cert("issuing-old").not_after().plus_days(1)
}

fn opts(name: Option<&str>, profile: Profile) -> VerifyOptions {
    VerifyOptions {
        name: name.map(str::to_string),
        time: test_time(),
        profile,
        usage: Usage::Server,
    }
}

fn verify(leaf: &str, inter: &[&str], anchors: &[&str], o: &VerifyOptions) -> chain::Verdict {
    let inter: Vec<Certificate> = inter.iter().map(|n| cert(n)).collect();
    let anchors: Vec<Certificate> = anchors.iter().map(|n| cert(n)).collect();
    chain::verify(&cert(leaf), &inter, &anchors, o)
}

/// `openssl verify` on the same files at the same time; `None` when openssl is missing.
fn openssl_ok(leaf: &str, inter: &[&str], anchor: &str, name: Option<&str>) -> Option<bool> {
    openssl_ok_at(test_time(), leaf, inter, anchor, name)
}

/// [`openssl_ok`] at `at`.
fn openssl_ok_at(
    at: Timestamp,
    leaf: &str,
    inter: &[&str],
    anchor: &str,
    name: Option<&str>,
) -> Option<bool> {
    if !tool_support::require("openssl", "the openssl verify cross-check") {
        return None;
    }
    let d = dir();
    let mut cmd = Command::new("openssl");
    cmd.arg("verify")
        .arg("-attime")
        .arg(at.unix().to_string())
        .arg("-purpose")
        .arg("sslserver")
        .arg("-CAfile")
        .arg(d.join(format!("{anchor}.pem")));
    if let Some(n) = name {
        let flag = if n.parse::<std::net::IpAddr>().is_ok() {
            "-verify_ip"
        } else {
            "-verify_hostname"
        };
        cmd.arg(flag).arg(n);
    }
    if !inter.is_empty() {
        let bundle = std::env::temp_dir().join(format!(
            "ccetrust-chain-{}-{}.pem",
            std::process::id(),
            inter.join("-")
        ));
        let mut pem = String::new();
        for i in inter {
            pem.push_str(&std::fs::read_to_string(d.join(format!("{i}.pem"))).unwrap());
        }
        std::fs::write(&bundle, pem).unwrap();
        cmd.arg("-untrusted").arg(bundle);
    }
    cmd.arg(d.join(format!("{leaf}.pem")));
    Some(cmd.output().unwrap().status.success())
}

#[test]
fn valid_chain_with_name_and_ip() {
    for name in ["ece.example.local", "ECE.example.local.", "10.10.20.40"] {
        let v = verify(
            "ece",
            &["issuing"],
            &["root"],
            &opts(Some(name), Profile::Browser),
        );
        assert!(v.valid, "{name}: {}", v.reason);
        assert_eq!(v.code, VerdictCode::Valid);
        let subjects: Vec<String> = v.path.iter().map(|c| c.subject().to_rfc4514()).collect();
        assert_eq!(
            subjects,
            [
                "CN=ece.example.local,O=Example",
                "CN=Issuing CA 2,O=Example",
                "CN=CCE Test Root CA,O=Example"
            ]
        );
        // (openssl's host check knows no trailing-dot form; compare the other two.)
        if !name.ends_with('.') {
            assert!(openssl_ok("ece", &["issuing"], "root", Some(name)).unwrap_or(true));
        }
    }
}

#[test]
fn json_shape_is_the_documented_one() {
    let v = verify(
        "ece",
        &["issuing"],
        &["root"],
        &opts(Some("ece.example.local"), Profile::Browser),
    );
    let j = v.to_json();
    assert_eq!(j["valid"], true);
    assert_eq!(j["code"], "valid");
    assert_eq!(j["path"][0]["sha256"], cert("ece").sha256_hex());
    assert_eq!(j["path"].as_array().unwrap().len(), 3);
    assert_eq!(j["name"]["checked"], "ece.example.local");
    assert_eq!(j["name"]["matched"], true);
    assert_eq!(j["name"]["presented"][0], "ece.example.local");
    assert!(j["warnings"].is_array());
}

#[test]
fn name_mismatch_says_what_the_certificate_presents() {
    let v = verify(
        "ece",
        &["issuing"],
        &["root"],
        &opts(Some("ece-web.example.local"), Profile::Browser),
    );
    assert!(!v.valid);
    assert_eq!(v.code, VerdictCode::NameMismatch);
    assert_eq!(
        v.reason,
        "name 'ece-web.example.local' not in the certificate; it presents ece.example.local, 10.10.20.40"
    );
    assert_eq!(v.concerns.as_ref().unwrap(), &cert("ece"));
    if let Some(ok) = openssl_ok("ece", &["issuing"], "root", Some("ece-web.example.local")) {
        assert!(!ok);
    }
}

#[test]
fn missing_intermediate_names_the_ca_to_import() {
    let v = verify("ece", &[], &["root"], &opts(None, Profile::Browser));
    assert!(!v.valid);
    assert_eq!(v.code, VerdictCode::UntrustedIssuer);
    assert!(
        v.reason.contains("'CN=ece.example.local,O=Example'"),
        "{}",
        v.reason
    );
    assert!(v.reason.contains(&cert("ece").sha256_hex()), "{}", v.reason);
    assert!(
        v.reason.contains("its issuer 'CN=Issuing CA 2,O=Example'"),
        "{}",
        v.reason
    );
    assert!(
        v.reason.ends_with("import that CA into the store"),
        "{}",
        v.reason
    );
    if let Some(ok) = openssl_ok("ece", &[], "root", None) {
        assert!(!ok);
    }
}

#[test]
fn backtracks_past_an_expired_cross_certificate() {
    // The expired copy comes first in the pool; the search must try the other one.
    let v = verify(
        "ece",
        &["issuing-old", "issuing"],
        &["root"],
        &opts(None, Profile::Browser),
    );
    assert!(v.valid, "{}", v.reason);
    assert_eq!(v.path[1], cert("issuing"));
}

#[test]
fn expired_intermediate_is_the_reason_when_it_is_the_only_path() {
    let v = verify(
        "ece",
        &["issuing-old"],
        &["root"],
        &opts(None, Profile::Browser),
    );
    assert!(!v.valid);
    assert_eq!(v.code, VerdictCode::Expired);
    let old = cert("issuing-old");
    assert_eq!(
        v.reason,
        format!(
            "intermediate 'CN=Issuing CA 2,O=Example' (sha256 {}) expired on {}",
            old.sha256_hex(),
            old.not_after().to_rfc3339()
        )
    );
    assert_eq!(v.concerns.as_ref().unwrap(), &old);
    if let Some(ok) = openssl_ok("ece", &["issuing-old"], "root", None) {
        assert!(!ok);
    }
}

#[test]
fn sha1_is_refused_by_browsers_and_warned_about_in_java() {
    let b = verify(
        "sha1",
        &["issuing"],
        &["root"],
        &opts(Some("legacy.example.local"), Profile::Browser),
    );
    assert_eq!(b.code, VerdictCode::WeakCrypto, "{}", b.reason);
    let j = verify(
        "sha1",
        &["issuing"],
        &["root"],
        &opts(Some("legacy.example.local"), Profile::Java),
    );
    assert!(j.valid, "{}", j.reason);
    assert!(
        j.warnings.iter().any(|w| w.contains("SHA-1")),
        "{:?}",
        j.warnings
    );
}

#[test]
fn rsa_pss_ecdsa_and_ed25519_chains_verify() {
    let cases = [
        ("pss", "issuing", "root", "pss.example.local"),
        ("ec-leaf", "", "ec-root", "uccx.example.local"),
        ("ed-leaf", "", "ed-root", "cuic.example.local"),
    ];
    for (leaf, inter, root, name) in cases {
        let inter: Vec<&str> = if inter.is_empty() {
            vec![]
        } else {
            vec![inter]
        };
        let v = verify(leaf, &inter, &[root], &opts(Some(name), Profile::Browser));
        assert!(v.valid, "{leaf}: {}", v.reason);
        if let Some(ok) = openssl_ok(leaf, &inter, root, Some(name)) {
            assert!(ok, "openssl disagrees on {leaf}");
        }
    }
    // A signature by the wrong key: the EC leaf presented under the Ed25519 root's name
    // cannot chain (different issuer), and a tampered signature fails.
    let mut der = cert("ed-leaf").der().to_vec();
    let n = der.len();
    der[n - 1] ^= 1;
    let tampered = Certificate::from_der(&der).unwrap();
    let v = chain::verify(
        &tampered,
        &[],
        &[cert("ed-root")],
        &opts(None, Profile::Browser),
    );
    assert_eq!(v.code, VerdictCode::BadSignature, "{}", v.reason);
}

#[test]
fn client_certificate_is_not_a_server_certificate() {
    let v = verify(
        "client",
        &["issuing"],
        &["root"],
        &opts(None, Profile::Browser),
    );
    assert_eq!(v.code, VerdictCode::ExtendedKeyUsage, "{}", v.reason);
    let mut o = opts(None, Profile::Browser);
    o.usage = Usage::Client;
    assert!(verify("client", &["issuing"], &["root"], &o).valid);
    if let Some(ok) = openssl_ok("client", &["issuing"], "root", None) {
        assert!(!ok);
    }
}

#[test]
fn path_length_constraint_is_enforced() {
    let v = verify(
        "deep",
        &["sub", "issuing"],
        &["root"],
        &opts(None, Profile::Browser),
    );
    assert_eq!(v.code, VerdictCode::PathTooLong, "{}", v.reason);
    assert!(v.reason.contains("Issuing CA 2"), "{}", v.reason);
    if let Some(ok) = openssl_ok("deep", &["sub", "issuing"], "root", None) {
        assert!(!ok);
    }
}

#[test]
fn name_constraints_are_enforced() {
    let ok = verify(
        "nc-ok",
        &["constrained"],
        &["root"],
        &opts(Some("finesse.example.local"), Profile::Browser),
    );
    assert!(ok.valid, "{}", ok.reason);
    let bad = verify(
        "nc-bad",
        &["constrained"],
        &["root"],
        &opts(Some("finesse.example.com"), Profile::Browser),
    );
    assert_eq!(bad.code, VerdictCode::NameConstraints, "{}", bad.reason);
    assert!(bad.reason.contains("finesse.example.com"), "{}", bad.reason);
    assert!(openssl_ok("nc-ok", &["constrained"], "root", None).unwrap_or(true));
    if let Some(ok) = openssl_ok("nc-bad", &["constrained"], "root", None) {
        assert!(!ok);
    }
}

#[test]
fn self_signed_server_in_the_store_is_trusted_as_its_own_anchor() {
    let o = opts(Some("cvp.example.local"), Profile::Java);
    let j = verify("cvp", &[], &["cvp"], &o);
    assert!(j.valid, "{}", j.reason);
    assert_eq!(j.path.len(), 1);
    // No SAN: Java falls back to the CN; a browser has no name to match.
    assert_eq!(j.name.as_ref().unwrap().presented, ["CN=cvp.example.local"]);
    let b = verify(
        "cvp",
        &[],
        &["cvp"],
        &opts(Some("cvp.example.local"), Profile::Browser),
    );
    assert!(!b.valid);
    // Not in the store: no trusted issuer, with the certificate named.
    let none = verify("cvp", &[], &["root"], &o);
    assert_eq!(none.code, VerdictCode::UntrustedIssuer, "{}", none.reason);
}

/// One row: (leaf, anchors, name, profile, trusted, code, rule).
type InStoreCase = (
    &'static str,
    &'static [&'static str],
    &'static str,
    Profile,
    bool,
    VerdictCode,
    &'static str,
);

/// A self-signed certificate that is itself in the trust store, per profile.
const ITSELF_IN_STORE: &[InStoreCase] = &[
    (
        "vos-ss",
        &["vos-ss"],
        "finesse.example.local",
        Profile::Browser,
        true,
        VerdictCode::Valid,
        "Windows CryptoAPI / Chrome: a self-signed certificate imported into the trusted roots is its own anchor",
    ),
    (
        "vos-ss",
        &["vos-ss"],
        "finesse.example.local",
        Profile::Java,
        true,
        VerdictCode::Valid,
        "JSSE PKIXValidator: a chain whose first certificate is trusted is accepted",
    ),
    (
        "vos-ss",
        &["root", "vos-ss"],
        "finesse.example.local",
        Profile::Browser,
        true,
        VerdictCode::Valid,
        "other roots beside it change nothing",
    ),
    (
        "vos-ss",
        &["vos-ss"],
        "cuic.example.local",
        Profile::Browser,
        false,
        VerdictCode::NameMismatch,
        "RFC 6125 §6.4: trusted, but the name is still checked",
    ),
    (
        "vos-ss",
        &["root"],
        "finesse.example.local",
        Profile::Browser,
        false,
        VerdictCode::UntrustedIssuer,
        "RFC 5280 §6.1: not in the store, no anchor",
    ),
    (
        "cvp",
        &["cvp"],
        "cvp.example.local",
        Profile::Browser,
        false,
        VerdictCode::NotCa,
        "the target's own rules still apply: this openssl-req certificate is basicConstraints cA, which browsers refuse as a server certificate (webpki CaUsedAsEndEntity)",
    ),
    (
        "ece",
        &["ece"],
        "ece.example.local",
        Profile::Browser,
        false,
        VerdictCode::UntrustedIssuer,
        "a CA-issued leaf placed among the roots is not self-signed, so not an anchor (openssl agrees without -partial_chain)",
    ),
];

#[test]
fn a_self_signed_certificate_in_the_store_is_trusted_by_both_profiles() {
    // vos-ss.pem was added after the other fixtures: judge a day into its validity.
    let at = cert("vos-ss").not_before().plus_days(1);
    for (leaf, anchors, name, profile, trusted, code, rule) in ITSELF_IN_STORE {
        let o = VerifyOptions {
            time: at,
            ..opts(Some(name), *profile)
        };
        let v = verify(leaf, &[], anchors, &o);
        assert_eq!(
            (v.valid, v.code),
            (*trusted, *code),
            "{leaf} in {anchors:?} as {name} ({profile}): {rule}: {}",
            v.reason
        );
        if *trusted {
            assert_eq!(v.path.len(), 1, "{rule}");
            assert!(
                v.reason.contains("is itself in the trust store"),
                "{}",
                v.reason
            );
            assert!(
                v.warnings.iter().any(|w| w.contains("itself")),
                "{rule}: {:?}",
                v.warnings
            );
        } else if *code == VerdictCode::UntrustedIssuer {
            assert!(!v.reason.contains("itself"), "{rule}: {}", v.reason);
        }
    }
    // openssl agrees on the browser rows it can judge (its own rules: no SAN requirement).
    for (leaf, anchor, name, ok) in [
        ("vos-ss", "vos-ss", "finesse.example.local", true),
        ("vos-ss", "vos-ss", "cuic.example.local", false),
        ("vos-ss", "root", "finesse.example.local", false),
        ("ece", "ece", "ece.example.local", false),
    ] {
        if let Some(got) = openssl_ok_at(at, leaf, &[], anchor, Some(name)) {
            assert_eq!(got, ok, "openssl verify {leaf} with {anchor} as {name}");
        }
    }
}

#[test]
fn wrong_trust_anchor_is_untrusted() {
    let v = verify(
        "ece",
        &["issuing"],
        &["ec-root"],
        &opts(None, Profile::Browser),
    );
    assert_eq!(v.code, VerdictCode::UntrustedIssuer);
    assert!(
        v.reason
            .contains("intermediate 'CN=Issuing CA 2,O=Example'"),
        "{}",
        v.reason
    );
    assert!(
        v.reason.contains("'CN=CCE Test Root CA,O=Example'"),
        "{}",
        v.reason
    );
}

#[test]
fn cli_verify_json_and_exit_codes() {
    let exe = env!("CARGO_BIN_EXE_ccetrust");
    let d = dir();
    let t = test_time().to_rfc3339();
    let run = |name: &str| {
        Command::new(exe)
            .args(["verify", "--json", "--trust"])
            .arg(d.join("root.pem"))
            .arg("--intermediates")
            .arg(d.join("issuing.pem"))
            .args(["--name", name, "--time", &t])
            .arg(d.join("ece.pem"))
            .output()
            .unwrap()
    };
    let ok = run("ece.example.local");
    assert_eq!(ok.status.code(), Some(0));
    let j: serde_json::Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!(j["valid"], true);
    assert_eq!(j["path"].as_array().unwrap().len(), 3);
    let bad = run("ece-web.example.local");
    assert_eq!(bad.status.code(), Some(3));
    let j: serde_json::Value = serde_json::from_slice(&bad.stdout).unwrap();
    assert_eq!(j["code"], "name.mismatch");
    assert_eq!(j["name"]["presented"][1], "10.10.20.40");
}

#[test]
fn cli_verify_against_keytool_trust_stores() {
    if !tool_support::require("keytool", "verifying against keytool trust stores") {
        return;
    }
    let exe = env!("CARGO_BIN_EXE_ccetrust");
    let d = dir();
    let t = test_time().to_rfc3339();
    let work = std::env::temp_dir().join(format!("ccetrust-chain-ks-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    for (kind, file) in [("JKS", "trust.jks"), ("PKCS12", "trust.p12")] {
        let store = work.join(file);
        let _ = std::fs::remove_file(&store);
        let st = Command::new("keytool")
            .args([
                "-importcert",
                "-noprompt",
                "-alias",
                "cce-root",
                "-storetype",
                kind,
            ])
            .arg("-file")
            .arg(d.join("root.pem"))
            .arg("-keystore")
            .arg(&store)
            .args(["-storepass", "changeit"])
            .output()
            .unwrap();
        assert!(
            st.status.success(),
            "keytool: {}",
            String::from_utf8_lossy(&st.stderr)
        );
        let out = Command::new(exe)
            .env("CCE_STOREPASS", "changeit")
            .args([
                "verify",
                "--json",
                "--storepass-env",
                "CCE_STOREPASS",
                "--trust",
            ])
            .arg(&store)
            .arg("--intermediates")
            .arg(d.join("issuing.pem"))
            .args(["--name", "ece.example.local", "--time", &t])
            .arg(d.join("ece.pem"))
            .output()
            .unwrap();
        let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(j["valid"], true, "{kind}: {j}");
        assert_eq!(j["path"][2]["sha256"], cert("root").sha256_hex());
    }
    // The keytool-imported self-signed CVP certificate, Java profile.
    let store = work.join("cvp.jks");
    let _ = std::fs::remove_file(&store);
    let st = Command::new("keytool")
        .args([
            "-importcert",
            "-noprompt",
            "-alias",
            "cvp",
            "-storetype",
            "JKS",
            "-file",
        ])
        .arg(d.join("cvp.pem"))
        .arg("-keystore")
        .arg(&store)
        .args(["-storepass", "changeit"])
        .output()
        .unwrap();
    assert!(st.status.success());
    let out = Command::new(exe)
        .args(["verify", "--json", "--profile", "java", "--trust"])
        .arg(&store)
        .args(["--name", "cvp.example.local", "--time", &t])
        .arg(d.join("cvp.pem"))
        .output()
        .unwrap();
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["valid"], true, "{j}");
    assert!(
        j["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().contains("integrity")),
        "{j}"
    );
    let _ = std::fs::remove_dir_all(&work);
}

/// What the validator remembers between verifications (issuer keys, good CA signatures,
/// strictly decoded CAs) never changes a verdict: after the genuine chain was verified, an
/// impostor root with the same name but its own key (made by openssl now) and an
/// intermediate with one flipped signature bit are still refused, with the same verdict as
/// on empty caches; and the genuine chain still verifies after the caches are emptied.
#[test]
fn remembered_keys_and_signatures_never_change_a_verdict() {
    if !tool_support::require("openssl", "the impostor certificates") {
        return;
    }
    let tmp = std::env::temp_dir().join(format!("ccetrust-impostor-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let ok = Command::new("openssl")
        .current_dir(&tmp)
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "7300",
        ])
        .args(["-keyout", "root.key", "-out", "root.pem"])
        .args(["-subj", "/O=Example/CN=CCE Test Root CA"])
        .args(["-addext", "basicConstraints=critical,CA:TRUE"])
        .args(["-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        .output()
        .unwrap();
    assert!(ok.status.success());
    let impostor = load_certificates(&std::fs::read(tmp.join("root.pem")).unwrap())
        .unwrap()
        .remove(0);
    std::fs::remove_dir_all(&tmp).unwrap();
    assert_eq!(impostor.subject().der(), cert("root").subject().der());

    let o = opts(Some("ece.example.local"), Profile::Browser);
    let (leaf, issuing, root) = (cert("ece"), cert("issuing"), cert("root"));
    let mut flipped = issuing.der().to_vec();
    *flipped.last_mut().unwrap() ^= 1;
    let tampered = Certificate::from_der(&flipped).unwrap();

    let genuine = chain::verify(
        &leaf,
        std::slice::from_ref(&issuing),
        std::slice::from_ref(&root),
        &o,
    );
    assert!(genuine.valid, "{}", genuine.reason);
    let warm_impostor = chain::verify(
        &leaf,
        std::slice::from_ref(&issuing),
        std::slice::from_ref(&impostor),
        &o,
    );
    let warm_tampered = chain::verify(
        &leaf,
        std::slice::from_ref(&tampered),
        std::slice::from_ref(&root),
        &o,
    );
    assert!(!warm_impostor.valid && !warm_tampered.valid);

    chain::clear_caches();
    let cold_impostor = chain::verify(
        &leaf,
        std::slice::from_ref(&issuing),
        std::slice::from_ref(&impostor),
        &o,
    );
    chain::clear_caches();
    let cold_tampered = chain::verify(
        &leaf,
        std::slice::from_ref(&tampered),
        std::slice::from_ref(&root),
        &o,
    );
    assert_eq!(
        (warm_impostor.code, &warm_impostor.reason),
        (cold_impostor.code, &cold_impostor.reason)
    );
    assert_eq!(
        (warm_tampered.code, &warm_tampered.reason),
        (cold_tampered.code, &cold_tampered.reason)
    );
    chain::clear_caches();
    let again = chain::verify(
        &leaf,
        std::slice::from_ref(&issuing),
        std::slice::from_ref(&root),
        &o,
    );
    assert!(again.valid);
    assert_eq!(again.to_json(), genuine.to_json());
}
