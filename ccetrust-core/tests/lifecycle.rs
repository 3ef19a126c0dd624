//! Certificate lifecycle end to end (issue 15): `keystore genkeypair` and `csr new` through
//! the binary, read back by the real tools — keytool lists the entry as a PrivateKeyEntry
//! with its chain and `-importkeystore` extracts it (JKS, JCEKS, PKCS#12), `openssl x509
//! -text` shows the fields, `openssl req -verify` accepts the CSR with exactly the SANs
//! asked, openssl `x509 -req` signs it and `csr compare` finds the pair consistent — and the
//! audit has no key/sig/name/eku finding on a certificate generated for its role.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

mod cce_support;
mod tool_support;

use std::path::Path;
use std::process::{Command, Output};

use cce_support::{temp_dir, Lab, H};

fn tools() -> bool {
    tool_support::require("keytool", "the keytool read-back of generated entries")
        && tool_support::require("openssl", "the openssl read-back of generated certificates")
}

fn run(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn ccetrust(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ccetrust"))
        .args(args)
        .env("STOREPASS", "changeit")
        .env("KEYPASS", "k3y-pass")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

fn ok_json(args: &[&str]) -> serde_json::Value {
    let o = ccetrust(args);
    assert!(
        o.status.success(),
        "ccetrust {args:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// keytool's view of one generated entry, exported as PEM for openssl.
fn keytool_export(store: &Path, storetype: &str, alias: &str, pem: &Path) -> String {
    keytool_export_pw(store, storetype, alias, pem, "changeit")
}

/// [`keytool_export`] with the store password `pw`.
fn keytool_export_pw(store: &Path, storetype: &str, alias: &str, pem: &Path, pw: &str) -> String {
    let list = run(
        "keytool",
        &[
            "-list",
            "-v",
            "-keystore",
            s(store),
            "-storetype",
            storetype,
            "-storepass",
            pw,
            "-alias",
            alias,
        ],
    );
    run(
        "keytool",
        &[
            "-exportcert",
            "-rfc",
            "-keystore",
            s(store),
            "-storetype",
            storetype,
            "-storepass",
            pw,
            "-alias",
            alias,
            "-file",
            s(pem),
        ],
    );
    list
}

/// The field list (RFC 5280 §4.2.1.3, §4.2.1.9, §4.2.1.12), as openssl prints it.
#[test]
fn genkeypair_makes_a_private_key_entry_keytool_and_openssl_read_in_every_format() {
    if !tools() {
        return;
    }
    let dir = temp_dir("genkeypair");
    for (storetype, keytool_type) in [("jks", "JKS"), ("jceks", "JCEKS"), ("pkcs12", "PKCS12")] {
        let store = dir.join(format!("store.{storetype}"));
        let v = ok_json(&[
            "keystore",
            "genkeypair",
            "--json",
            "--alias",
            "cvp-wsm",
            "--fqdn",
            "CVP1.example.com",
            "--san",
            "IP:10.1.2.3",
            "--san",
            "cvp1",
            "--storetype",
            storetype,
            "--role",
            "cvp",
            "--product",
            "pcce",
            "--version",
            "12.5",
            "--storepass-env",
            "STOREPASS",
            s(&store),
        ]);
        assert_eq!(v["changed"], true);
        assert_eq!(v["key"], "RSA 2048");
        assert_eq!(v["eku"], "server,client", "CVP's row in the role table");
        let pem = dir.join(format!("{storetype}.pem"));
        let list = keytool_export(&store, keytool_type, "cvp-wsm", &pem);
        assert!(list.contains("Entry type: PrivateKeyEntry"), "{list}");
        assert!(list.contains("Certificate chain length: 1"), "{list}");
        // -importkeystore can read the key with the store password: the entry is usable.
        let out = dir.join(format!("{storetype}-copy.p12"));
        run(
            "keytool",
            &[
                "-importkeystore",
                "-noprompt",
                "-srckeystore",
                s(&store),
                "-srcstoretype",
                keytool_type,
                "-srcstorepass",
                "changeit",
                "-srcalias",
                "cvp-wsm",
                "-destkeystore",
                s(&out),
                "-deststoretype",
                "PKCS12",
                "-deststorepass",
                "changeit",
            ],
        );
        let copy = run(
            "keytool",
            &["-list", "-keystore", s(&out), "-storepass", "changeit"],
        );
        assert!(copy.contains("PrivateKeyEntry"), "{copy}");
        let text = run("openssl", &["x509", "-in", s(&pem), "-noout", "-text"]);
        for want in [
            "Subject: CN = cvp1.example.com",
            "Issuer: CN = cvp1.example.com",
            "Signature Algorithm: sha256WithRSAEncryption",
            "Public-Key: (2048 bit)",
            "X509v3 Basic Constraints: critical",
            "CA:FALSE",
            "X509v3 Key Usage: critical",
            "Digital Signature, Key Encipherment",
            "TLS Web Server Authentication, TLS Web Client Authentication",
            "DNS:cvp1.example.com, IP Address:10.1.2.3, DNS:cvp1",
            "X509v3 Subject Key Identifier",
        ] {
            assert!(
                text.contains(want),
                "{storetype}: `{want}` missing:\n{text}"
            );
        }
        let serial = v["serial"].as_str().unwrap();
        assert_eq!(
            serial.replace(':', "").len(),
            32,
            "16-byte serial: {serial}"
        );
        // The self-signature verifies.
        run(
            "openssl",
            &[
                "verify",
                "-check_ss_sig",
                "-partial_chain",
                "-CAfile",
                s(&pem),
                s(&pem),
            ],
        );
        let days = run(
            "openssl",
            &[
                "x509",
                "-in",
                s(&pem),
                "-noout",
                "-checkend",
                &(1824 * 86_400).to_string(),
            ],
        );
        assert!(days.contains("will not expire"), "valid 1825 days: {days}");
    }
}

#[test]
fn genkeypair_ec_p384_signs_with_sha384_and_has_no_key_encipherment() {
    if !tools() {
        return;
    }
    let dir = temp_dir("genkeypair-ec");
    let store = dir.join("ec.p12");
    ok_json(&[
        "keystore",
        "genkeypair",
        "--json",
        "--alias",
        "fin",
        "--fqdn",
        "fin.example.com",
        "--keyalg",
        "ec",
        "--keysize",
        "384",
        "--eku",
        "server",
        "--storepass-env",
        "STOREPASS",
        s(&store),
    ]);
    let pem = dir.join("ec.pem");
    let list = keytool_export(&store, "PKCS12", "fin", &pem);
    assert!(list.contains("PrivateKeyEntry"), "{list}");
    let text = run("openssl", &["x509", "-in", s(&pem), "-noout", "-text"]);
    assert!(text.contains("ecdsa-with-SHA384"), "{text}");
    assert!(text.contains("NIST CURVE: P-384"), "{text}");
    assert!(!text.contains("Key Encipherment"), "{text}");
    assert!(!text.contains("TLS Web Client Authentication"), "{text}");
}

/// CCE-TRUST.md `key.algorithm` / `key.too-small`: CVP 12.5 takes RSA ≥ 2048 only; the
/// refusal says why and no store is created.
#[test]
fn genkeypair_refuses_what_the_role_release_rejects() {
    let dir = temp_dir("genkeypair-refuse");
    let store = dir.join("refused.jceks");
    for extra in [
        &["--keyalg", "ec"][..],
        &["--keyalg", "rsa", "--keysize", "1024"][..],
    ] {
        let mut args = vec![
            "keystore",
            "genkeypair",
            "--alias",
            "x",
            "--fqdn",
            "cvp1.example.com",
            "--role",
            "cvp",
            "--product",
            "pcce",
            "--version",
            "12.5",
            "--storepass-env",
            "STOREPASS",
        ];
        args.extend_from_slice(extra);
        args.push(s(&store));
        let o = ccetrust(&args);
        assert_eq!(o.status.code(), Some(2), "{extra:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("key.") || err.contains("2048"),
            "{extra:?}: {err}"
        );
        assert!(!store.exists(), "nothing written on a refusal");
    }
    // An alias already there is refused, as keytool does.
    ok_json(&[
        "keystore",
        "genkeypair",
        "--json",
        "--alias",
        "x",
        "--fqdn",
        "cvp1.example.com",
        "--storepass-env",
        "STOREPASS",
        s(&store),
    ]);
    let o = ccetrust(&[
        "keystore",
        "genkeypair",
        "--alias",
        "x",
        "--fqdn",
        "cvp1.example.com",
        "--storepass-env",
        "STOREPASS",
        s(&store),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("already exists"));
}

/// The audit has no key.*, sig.*, name.* or eku.* finding on a certificate generated for
/// the role it was generated for (CVP on PCCE 12.5, presented as the WSM certificate).
#[test]
fn audit_finds_nothing_wrong_with_a_certificate_generated_for_its_role() {
    if !tools() {
        return;
    }
    let dir = temp_dir("genkeypair-audit");
    let store = dir.join("cvp.jceks");
    ok_json(&[
        "keystore",
        "genkeypair",
        "--json",
        "--alias",
        "wsm_certificate",
        "--fqdn",
        "cvp1.t.example.com",
        "--storetype",
        "jceks",
        "--role",
        "cvp",
        "--product",
        "pcce",
        "--version",
        "12.5",
        "--storepass-env",
        "STOREPASS",
        s(&store),
    ]);
    let pem = dir.join("wsm.pem");
    keytool_export(&store, "JCEKS", "wsm_certificate", &pem);
    let mut lab = Lab::new("pcce", "12.5", "");
    let pem_s = pem.to_str().unwrap().to_string();
    lab.host(H {
        fqdn: "cvp1.t.example.com",
        roles: &["cvp"],
        extra: "",
        presents: &[("wsm", &pem_s)],
        stores: &[],
    });
    let (_, a, _) = lab.audit_at(ccetrust::Timestamp::now(), 60);
    let bad: Vec<_> = a
        .findings
        .iter()
        .filter(|f| {
            ["key.", "sig.", "name.", "eku."]
                .iter()
                .any(|p| f.code.as_str().starts_with(p))
        })
        .map(|f| format!("{}: {}", f.code.as_str(), f.message))
        .collect();
    assert!(bad.is_empty(), "{bad:?}");
    // The control: the same audit on an EC certificate (made without --role) flags it, so
    // the check above did read the generated certificate.
    let ec_store = dir.join("ec.p12");
    ok_json(&[
        "keystore",
        "genkeypair",
        "--json",
        "--alias",
        "ec",
        "--fqdn",
        "cvp1.t.example.com",
        "--keyalg",
        "ec",
        "--storepass-env",
        "STOREPASS",
        s(&ec_store),
    ]);
    let ec_pem = dir.join("ec.pem");
    keytool_export(&ec_store, "PKCS12", "ec", &ec_pem);
    let mut lab = Lab::new("pcce", "12.5", "");
    let ec_s = ec_pem.to_str().unwrap().to_string();
    lab.host(H {
        fqdn: "cvp1.t.example.com",
        roles: &["cvp"],
        extra: "",
        presents: &[("wsm", &ec_s)],
        stores: &[],
    });
    let (_, a, _) = lab.audit_at(ccetrust::Timestamp::now(), 60);
    assert!(
        cce_support::has(&a, ccetrust::cce::Code::KeyAlgorithm),
        "{:?}",
        cce_support::codes(&a)
    );
}

/// The SAN line openssl prints for a request or certificate.
fn san_line(text: &str) -> String {
    let mut lines = text.lines();
    while let Some(l) = lines.next() {
        if l.contains("X509v3 Subject Alternative Name") {
            return lines.next().unwrap_or("").trim().to_string();
        }
    }
    String::new()
}

/// RFC 2986 + the issue: `openssl req -verify` accepts the request, its SAN set is exactly
/// what was asked, the EKU is in the extensionRequest, the key file is encrypted (PBES2)
/// and owner-only; a CA's `openssl x509 -req` certificate for it passes `csr compare`.
#[test]
fn csr_new_is_verified_by_openssl_and_consistent_with_the_certificate_issued_for_it() {
    if !tools() {
        return;
    }
    let dir = temp_dir("csr-new");
    let out = dir.join("req");
    let v = ok_json(&[
        "csr",
        "new",
        "--json",
        "--fqdn",
        "pg1a.example.com",
        "--san",
        "pg1a.example.com",
        "--san",
        "IP:10.0.0.5",
        "--san",
        "pg1b.example.com",
        "--eku",
        "server,client",
        "--subject",
        "O=Example,OU=Contact Center",
        "--key-password-env",
        "KEYPASS",
        "--role",
        "cti",
        "--product",
        "pcce",
        "--version",
        "12.5",
        "--out",
        s(&out),
    ]);
    assert_eq!(v["encrypted"], true);
    let csr = out.join("pg1a.example.com.csr");
    let key = out.join("pg1a.example.com.key");
    let text = run(
        "openssl",
        &["req", "-in", s(&csr), "-noout", "-verify", "-text"],
    );
    assert_eq!(
        san_line(&text),
        "DNS:pg1a.example.com, IP Address:10.0.0.5, DNS:pg1b.example.com"
    );
    assert!(
        text.contains("TLS Web Server Authentication, TLS Web Client Authentication"),
        "{text}"
    );
    assert!(
        text.contains("Subject: O = Example, OU = Contact Center, CN = pg1a.example.com"),
        "{text}"
    );
    assert!(text.contains("sha256WithRSAEncryption"), "{text}");
    let pem = std::fs::read_to_string(&key).unwrap();
    assert!(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    let asn1 = run("openssl", &["asn1parse", "-in", s(&key)]);
    assert!(
        asn1.contains("PBES2") && asn1.contains("aes-256-cbc") && asn1.contains("hmacWithSHA256"),
        "{asn1}"
    );
    run(
        "openssl",
        &["pkey", "-in", s(&key), "-passin", "pass:k3y-pass", "-noout"],
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "key file owner-only");
    }
    // A CA signs it, copying the requested extensions; csr compare finds it consistent.
    let ca_key = dir.join("ca.key");
    let ca = dir.join("ca.pem");
    run(
        "openssl",
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            s(&ca_key),
            "-out",
            s(&ca),
            "-subj",
            "/CN=Test CA",
            "-days",
            "30",
        ],
    );
    let cert = dir.join("pg1a.pem");
    run(
        "openssl",
        &[
            "x509",
            "-req",
            "-in",
            s(&csr),
            "-CA",
            s(&ca),
            "-CAkey",
            s(&ca_key),
            "-CAcreateserial",
            "-copy_extensions",
            "copy",
            "-days",
            "30",
            "-out",
            s(&cert),
        ],
    );
    let o = ccetrust(&["csr", "compare", "--json", s(&csr), s(&cert)]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    // Neither file is ever replaced.
    let again = ccetrust(&["csr", "new", "--fqdn", "pg1a.example.com", "--out", s(&out)]);
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&key).unwrap(), pem, "key untouched");
}

/// `--layout cisco-cert-util` names the files as CiscoCertUtil does; without --san the
/// request names the FQDN alone; an EC key is refused for a 12.5 role.
#[test]
fn csr_new_layout_default_san_and_role_refusal() {
    if !tools() {
        return;
    }
    let dir = temp_dir("csr-new-layout");
    ok_json(&[
        "csr",
        "new",
        "--json",
        "--fqdn",
        "aw1.example.com",
        "--layout",
        "cisco-cert-util",
        "--keyalg",
        "ec",
        "--out",
        s(&dir),
    ]);
    let csr = dir.join("host.csr");
    assert!(dir.join("host.key").exists());
    let text = run(
        "openssl",
        &["req", "-in", s(&csr), "-noout", "-verify", "-text"],
    );
    assert_eq!(san_line(&text), "DNS:aw1.example.com");
    assert!(text.contains("ecdsa-with-SHA256"), "{text}");
    let key = std::fs::read_to_string(dir.join("host.key")).unwrap();
    assert!(
        key.starts_with("-----BEGIN PRIVATE KEY-----"),
        "no password: plain PKCS#8"
    );
    let refused = dir.join("refused");
    let o = ccetrust(&[
        "csr",
        "new",
        "--fqdn",
        "cvp1.example.com",
        "--keyalg",
        "ec",
        "--role",
        "cvp",
        "--product",
        "ucce",
        "--version",
        "12.5",
        "--out",
        s(&refused),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("key.algorithm"));
    assert!(!refused.exists(), "nothing written on a refusal");
}

/// The plan's printed ccetrust line works as an administrator runs it on the server: on a
/// copy of `examples/pcce-2k-lab` (cvpb's CVP certificates expired) the regeneration step
/// keeps the keytool form and names `ccetrust keystore genkeypair`; run by hand on the
/// collected keystore it regenerates each certificate; `apply` then imports the new
/// certificates into each AW's cacerts; the next audit has no finding on cvpb. (`apply` doing
/// all of it in one run: `tests/renew_apply.rs`.)
#[test]
fn expired_cvp_certificate_plan_regenerate_apply_then_no_finding() {
    use ccetrust::cce::{self, Code, StepKind};
    if !tools() {
        return;
    }
    let dir = temp_dir("renew-cvp");
    cce_support::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/pcce-2k-lab"),
        &dir,
    );
    let inv = cce::Inventory::load(&dir.join("inventory.toml")).unwrap();
    let opts = cce::AuditOptions {
        at: ccetrust::Timestamp::now().plus_days(1),
        expiring_days: 60,
    };
    let cvpb = "cvpb.lab.example.com";
    let (a, p) = cce::run(&inv, &opts).unwrap();
    let expired: Vec<_> = a
        .with_code(Code::ValidityExpired)
        .filter(|f| f.host == cvpb)
        .map(|f| f.service)
        .collect();
    assert!(
        !expired.is_empty(),
        "the example's cvpb has expired certificates"
    );
    let h = inv.hosts.iter().find(|h| h.fqdn == cvpb).unwrap();
    let keystore = &h
        .stores
        .iter()
        .find(|s| s.kind.key() == "cvp-keystore")
        .unwrap()
        .path;
    let mut regenerated = 0;
    for (hp, step) in p
        .steps()
        .filter(|(hp, s)| hp.fqdn == cvpb && s.kind == StepKind::Regenerate)
    {
        assert!(
            step.commands
                .iter()
                .any(|c| c.starts_with("keytool ") && c.contains("-genkeypair")),
            "keytool form kept: {:?}",
            step.commands
        );
        let line = step
            .commands
            .iter()
            .find(|c| c.contains("ccetrust keystore genkeypair"))
            .unwrap_or_else(|| panic!("{}: {:?}", hp.fqdn, step.commands));
        let cmd = line.split("then: ").nth(1).unwrap();
        // As a shell reads it: the plan quotes each argument it did not write itself.
        let args: Vec<&str> = cmd
            .split_whitespace()
            .map(|a| a.trim_matches('"'))
            .collect();
        let alias = args[args.iter().position(|a| *a == "--alias").unwrap() + 1];
        // The command runs on the server against its keystore: here the collected copy
        // (the plan's keytool -delete comes first; ccetrust's delete does it here).
        let env = [("CVP_KEYSTORE_PW", "Cvp-Lab-Keystore-1")];
        let del = Command::new(env!("CARGO_BIN_EXE_ccetrust"))
            .args([
                "keystore",
                "delete",
                "--no-backup",
                "--alias",
                alias,
                "--storepass-env",
                "CVP_KEYSTORE_PW",
                s(keystore),
            ])
            .envs(env)
            .output()
            .unwrap();
        assert!(
            del.status.success(),
            "{}",
            String::from_utf8_lossy(&del.stderr)
        );
        let pos = args.iter().position(|a| *a == "--storepass-env").unwrap();
        let mut gen: Vec<&str> = args[1..pos + 2].to_vec();
        gen.push("--json");
        gen.push(s(keystore));
        let o = Command::new(env!("CARGO_BIN_EXE_ccetrust"))
            .args(&gen)
            .envs(env)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{gen:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        // After the restart the server presents its new certificate: the collected copy of
        // what it presents is that certificate.
        let svc = h
            .presents
            .iter()
            .find(|f| f.service.info().own_alias == Some(alias))
            .unwrap();
        let list = keytool_export_pw(keystore, "JCEKS", alias, &svc.path, "Cvp-Lab-Keystore-1");
        assert!(list.contains("PrivateKeyEntry"), "{list}");
        regenerated += 1;
    }
    assert!(
        regenerated >= expired.len().min(1),
        "{regenerated} regenerated"
    );
    // The next plan imports the new certificates into the AWs' cacerts; apply does it.
    let (a2, p2) = cce::run(&inv, &opts).unwrap();
    assert!(
        !a2.findings
            .iter()
            .any(|f| f.host == cvpb && f.code == Code::ValidityExpired),
        "regenerated"
    );
    let report = cce::apply(&inv, &p2).unwrap();
    assert!(
        report.applied.iter().any(|l| l.contains("imported")),
        "{:?}",
        report.applied
    );
    let (a3, _) = cce::run(&inv, &opts).unwrap();
    let left: Vec<String> = a3
        .findings
        .iter()
        .filter(|f| f.host == cvpb || f.exporter.as_deref() == Some(cvpb))
        .map(|f| format!("{} {}: {}", f.host, f.code.as_str(), f.message))
        .collect();
    assert!(left.is_empty(), "{left:#?}");
}
