//! What ccetrust writes, keytool can use (issue 12): a private key without its certificate
//! is refused in every keytool format (library and CLI) with what to give instead, and
//! passwords keytool cannot use are refused unless allowed; every store written on these
//! paths is read by JDK 17's keytool (`-list` and `-importkeystore`). Needs openssl and
//! keytool: skipped with a reason on a developer's machine without them, failed under CI.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

mod tool_support;

use std::path::Path;
use std::process::{Command, Output};

use ccetrust::keystore::{Format, ImportPolicy, Keystore, Password, PrivateKeyEntry, WriteOptions};

fn tools() -> bool {
    tool_support::require("openssl", "making the key pair")
        && tool_support::require("keytool", "reading back what ccetrust wrote")
}

/// A P-256 key (PKCS#8 PEM) and its self-signed certificate, made by openssl in `dir`.
fn key_pair(dir: &Path) {
    let out = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
        ])
        .args([
            "-keyout",
            "bare.key",
            "-out",
            "cert.pem",
            "-days",
            "30",
            "-subj",
            "/CN=x.example.com",
        ])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut both = std::fs::read(dir.join("bare.key")).unwrap();
    both.extend(std::fs::read(dir.join("cert.pem")).unwrap());
    std::fs::write(dir.join("with-chain.pem"), both).unwrap();
}

fn ccetrust(dir: &Path, pass: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ccetrust"))
        .args(args)
        .env("KS_PW", pass)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn keytool(dir: &Path, args: &[&str]) -> Output {
    Command::new("keytool")
        .args(["-J-Duser.language=en"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn keytool_reads(dir: &Path, store: &str, storetype: &str, pass: &str) {
    let list = keytool(
        dir,
        &[
            "-list",
            "-keystore",
            store,
            "-storetype",
            storetype,
            "-storepass",
            pass,
        ],
    );
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(
        list.status.success(),
        "keytool -list {store}: {text}{}",
        String::from_utf8_lossy(&list.stderr)
    );
    assert!(text.contains("PrivateKeyEntry"), "{text}");
    let dest = format!("{store}.copy.p12");
    let _ = std::fs::remove_file(dir.join(&dest));
    let copy = keytool(
        dir,
        &[
            "-importkeystore",
            "-noprompt",
            "-srckeystore",
            store,
            "-srcstoretype",
            storetype,
            "-srcstorepass",
            pass,
            "-srcalias",
            "x",
            "-destkeystore",
            &dest,
            "-deststoretype",
            "PKCS12",
            "-deststorepass",
            "changeit",
            "-destkeypass",
            "changeit",
            "-srckeypass",
            pass,
        ],
    );
    assert!(
        copy.status.success(),
        "keytool -importkeystore {store}: {}{}",
        String::from_utf8_lossy(&copy.stdout),
        String::from_utf8_lossy(&copy.stderr)
    );
}

#[test]
fn a_key_without_its_certificate_is_refused_and_what_is_written_keytool_reads() {
    if !tools() {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    key_pair(dir);
    for (store, storetype) in [("s.jks", "JKS"), ("s.jceks", "JCEKS"), ("s.p12", "PKCS12")] {
        let t = storetype.to_ascii_lowercase();
        let args = [
            "keystore",
            "import",
            "--storepass-env",
            "KS_PW",
            "--storetype",
            &t,
            "--alias",
            "x",
            store,
        ];
        let bare = ccetrust(dir, "changeit", &[&args[..], &["bare.key"]].concat());
        let err = String::from_utf8_lossy(&bare.stderr);
        assert_eq!(bare.status.code(), Some(1), "{store}: {err}");
        assert!(
            err.contains("alias 'x'")
                && err.contains("certificate chain")
                && err.contains("PKCS#12"),
            "{err}"
        );
        assert!(!dir.join(store).exists(), "{store} written after a refusal");
        let ok = ccetrust(dir, "changeit", &[&args[..], &["with-chain.pem"]].concat());
        assert!(
            ok.status.success(),
            "{store}: {}",
            String::from_utf8_lossy(&ok.stderr)
        );
        keytool_reads(dir, store, storetype, "changeit");
        // A second refusal leaves the store as it was, still keytool's.
        let again = ccetrust(
            dir,
            "changeit",
            &[
                "keystore",
                "import",
                "--storepass-env",
                "KS_PW",
                "--alias",
                "y",
                store,
                "bare.key",
            ],
        );
        assert_eq!(again.status.code(), Some(1));
        keytool_reads(dir, store, storetype, "changeit");
    }
}

#[test]
fn the_library_refuses_a_key_without_its_certificate_in_every_keytool_format() {
    let key = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/keystore/leaf-chain.pem"),
    )
    .unwrap();
    let mut pem = Keystore::from_bytes(&key, &Password::new("changeit")).unwrap();
    pem.unlock_keys(&Password::new("changeit"));
    let pkcs8 = match &pem.entries[0].kind {
        ccetrust::keystore::EntryKind::PrivateKey(k) => k.pkcs8_der().unwrap().to_vec(),
        _ => panic!("the fixture starts with its key"),
    };
    for f in [Format::Jks, Format::Jceks, Format::Pkcs12] {
        let mut ks = Keystore::new(f);
        let e = ks
            .import_key_pair(
                "x",
                PrivateKeyEntry::new(&pkcs8, Vec::new()).unwrap(),
                ImportPolicy::Refuse,
            )
            .unwrap_err();
        assert_eq!(e.kind(), "alias", "{f}: {e}");
        assert!(e.to_string().contains("certificate chain"), "{e}");
        // A PEM key alone (legitimate in PEM) cannot be converted to a keytool format.
        let mut bare = Keystore::new(Format::Pem);
        bare.import_key_pair(
            "x",
            PrivateKeyEntry::new(&pkcs8, Vec::new()).unwrap(),
            ImportPolicy::Refuse,
        )
        .unwrap();
        let converted = bare.convert(f).unwrap();
        let e = converted
            .to_bytes(&Password::new("changeit"), &WriteOptions::default())
            .unwrap_err();
        assert_eq!(e.kind(), "alias", "{f}: {e}");
    }
}

#[test]
fn passwords_keytool_cannot_use_are_refused_unless_allowed() {
    if !tools() {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    key_pair(dir);
    // (store, storetype, password, what the refusal says)
    for (store, t, pass, why) in [
        ("short.p12", "pkcs12", "abc", "at least 6 characters"),
        ("short.jks", "jks", "abc", "at least 6 characters"),
        ("ascii.p12", "pkcs12", "pässwörd", "not ASCII"),
    ] {
        let args = [
            "keystore",
            "import",
            "--storepass-env",
            "KS_PW",
            "--storetype",
            t,
            "--alias",
            "x",
            store,
            "with-chain.pem",
        ];
        let out = ccetrust(dir, pass, &args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{store}: {err}");
        assert!(
            err.contains(why) && err.contains("--allow-non-keytool-password"),
            "{err}"
        );
        assert!(!dir.join(store).exists());
        let allowed = ccetrust(
            dir,
            pass,
            &[&args[..], &["--allow-non-keytool-password"]].concat(),
        );
        assert!(
            allowed.status.success(),
            "{}",
            String::from_utf8_lossy(&allowed.stderr)
        );
    }
    // keytool opens the short-password stores it would not have made; the non-ASCII
    // PKCS#12 it cannot open at all, as the refusal said.
    keytool_reads(dir, "short.p12", "PKCS12", "abc");
    keytool_reads(dir, "short.jks", "JKS", "abc");
    let na = keytool(
        dir,
        &["-list", "-keystore", "ascii.p12", "-storepass", "pässwörd"],
    );
    assert!(!na.status.success());
    // Rewriting a store under the short password it already has is allowed (not new).
    let again = ccetrust(
        dir,
        "abc",
        &[
            "keystore",
            "rename",
            "--storepass-env",
            "KS_PW",
            "--alias",
            "x",
            "--to",
            "y",
            "short.p12",
        ],
    );
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    // A new short password is not.
    std::fs::write(dir.join("new.txt"), "abcd\n").unwrap();
    let passwd = ccetrust(
        dir,
        "abc",
        &[
            "keystore",
            "passwd",
            "--storepass-env",
            "KS_PW",
            "--new-storepass-file",
            "new.txt",
            "short.p12",
        ],
    );
    assert_eq!(passwd.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&passwd.stderr).contains("at least 6 characters"));
}
