//! Interop with the real tools: keystores made by JDK 17 keytool and OpenSSL 3 are read
//! with the same aliases, kinds and fingerprints keytool lists, their keys decrypt; the
//! keystores we write are listed identically by keytool, their keys extracted by
//! `keytool -importkeystore`, and our PKCS#12 read by `openssl pkcs12` without -legacy.
//! Each test skips (printing why) when the tool it needs is missing.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use std::path::{Path, PathBuf};
use std::process::Command;

use ccetrust::keystore::{EntryKind, Format, Keystore, Password, WriteOptions};

fn have(tool: &str) -> bool {
    let arg = if tool == "keytool" {
        "-help"
    } else {
        "version"
    };
    let ok = Command::new(tool)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success() || tool == "keytool");
    if !ok {
        eprintln!("SKIP: {tool} not found on PATH");
    }
    ok
}

fn run(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd}: {e}"));
    assert!(
        out.status.success(),
        "{cmd} {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn keytool(args: &[&str]) -> String {
    let mut a = vec!["-J-Duser.language=en", "-J-Duser.country=US"];
    a.extend_from_slice(args);
    run("keytool", &a)
}

/// One entry as `keytool -list -v` shows it: alias, entry type, SHA-256 of every
/// certificate (upper-case hex with colons, as keytool prints them).
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Clone)]
struct Listed {
    alias: String,
    kind: String,
    sha256: Vec<String>,
}

fn keytool_list(path: &Path, storetype: &str, pass: &str) -> Vec<Listed> {
    let out = keytool(&[
        "-list",
        "-v",
        "-keystore",
        path.to_str().unwrap(),
        "-storetype",
        storetype,
        "-storepass",
        pass,
    ]);
    let mut v: Vec<Listed> = Vec::new();
    for line in out.lines() {
        if let Some(a) = line.strip_prefix("Alias name: ") {
            v.push(Listed {
                alias: a.to_string(),
                kind: String::new(),
                sha256: vec![],
            });
        } else if let Some(k) = line.strip_prefix("Entry type: ") {
            v.last_mut().unwrap().kind = k.to_string();
        } else if let Some(f) = line.trim().strip_prefix("SHA256: ") {
            v.last_mut().unwrap().sha256.push(f.to_string());
        }
    }
    v.sort();
    v
}

fn colon_hex(b: &[u8]) -> String {
    b.iter()
        .map(|x| format!("{x:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn ours(ks: &Keystore) -> Vec<Listed> {
    let mut v: Vec<Listed> = ks
        .entries
        .iter()
        .map(|e| Listed {
            alias: e.alias.clone(),
            kind: e.kind.keytool_name().to_string(),
            sha256: e
                .certificates()
                .iter()
                .map(|c| colon_hex(&c.sha256()))
                .collect(),
        })
        .collect();
    v.sort();
    v
}

struct Dir(tempfile::TempDir);

impl Dir {
    fn new() -> Dir {
        Dir(tempfile::tempdir().unwrap())
    }
    fn p(&self, name: &str) -> PathBuf {
        self.0.path().join(name)
    }
    fn s(&self, name: &str) -> String {
        self.p(name).to_str().unwrap().to_string()
    }
}

/// Two key pairs (RSA, EC) and a trusted certificate, made by keytool in `storetype`.
fn keytool_store(dir: &Dir, name: &str, storetype: &str, extra: &[&str]) -> PathBuf {
    let ks = dir.s(name);
    let common = |alias: &str, alg: &[&str]| {
        let mut a = vec![
            "-genkeypair",
            "-alias",
            alias,
            "-dname",
            "CN=ccetrust test, O=Example",
            "-validity",
            "365",
            "-keystore",
            &ks,
            "-storetype",
            storetype,
            "-storepass",
            "changeit",
            "-keypass",
            "changeit",
        ];
        a.extend_from_slice(alg);
        a.extend_from_slice(extra);
        keytool(&a);
    };
    common("rsakey", &["-keyalg", "RSA", "-keysize", "2048"]);
    common("eckey", &["-keyalg", "EC", "-groupname", "secp256r1"]);
    // A trusted certificate: export the EC key's certificate and import it under another alias.
    let cer = dir.s(&format!("{name}.cer"));
    let mut a = vec![
        "-exportcert",
        "-alias",
        "eckey",
        "-keystore",
        &ks,
        "-storetype",
        storetype,
        "-storepass",
        "changeit",
        "-file",
        &cer,
    ];
    a.extend_from_slice(extra);
    keytool(&a);
    let mut a = vec![
        "-importcert",
        "-noprompt",
        "-alias",
        "Trusted CA",
        "-keystore",
        &ks,
        "-storetype",
        storetype,
        "-storepass",
        "changeit",
        "-file",
        &cer,
    ];
    a.extend_from_slice(extra);
    keytool(&a);
    dir.p(name)
}

fn assert_reads_like_keytool(path: &Path, storetype: &str, want_format: Format) -> Keystore {
    let bytes = std::fs::read(path).unwrap();
    let mut ks = Keystore::from_bytes(&bytes, &Password::new("changeit")).unwrap();
    assert_eq!(ks.format, want_format);
    assert_eq!(ours(&ks), keytool_list(path, storetype, "changeit"));
    let failed = ks.unlock_keys(&Password::new("changeit"));
    assert!(failed.is_empty(), "keys did not decrypt: {failed:?}");
    for e in &ks.entries {
        if let EntryKind::PrivateKey(k) = &e.kind {
            assert_eq!(
                k.matches_certificate(),
                Some(true),
                "{}: key does not match its certificate",
                e.alias
            );
        }
    }
    ks
}

/// Writes `ks` as `format`, then checks keytool lists it identically and can extract
/// every key (`-importkeystore` into a fresh PKCS#12 needs each key to decrypt).
fn assert_keytool_reads_ours(dir: &Dir, ks: &Keystore, format: Format, name: &str) {
    let mut copy = ks.clone();
    copy.format = format;
    let bytes = copy
        .to_bytes(&Password::new("changeit"), &WriteOptions::default())
        .unwrap();
    let path = dir.p(name);
    std::fs::write(&path, &bytes).unwrap();
    let storetype = format.to_string();
    let mut want = ours(&copy);
    if format.lowercases_aliases() {
        for l in &mut want {
            l.alias = l.alias.to_lowercase();
        }
        want.sort();
    }
    assert_eq!(
        keytool_list(&path, &storetype, "changeit"),
        want,
        "keytool lists our {format} differently"
    );
    let dest = dir.s(&format!("{name}.extracted.p12"));
    keytool(&[
        "-importkeystore",
        "-srckeystore",
        path.to_str().unwrap(),
        "-srcstoretype",
        &storetype,
        "-srcstorepass",
        "changeit",
        "-destkeystore",
        &dest,
        "-deststoretype",
        "PKCS12",
        "-deststorepass",
        "changeit",
        "-noprompt",
    ]);
    let extracted =
        Keystore::from_bytes(&std::fs::read(&dest).unwrap(), &Password::new("changeit")).ok();
    if let Some(x) = extracted {
        assert_eq!(x.entries.len(), copy.entries.len());
    }
}

#[test]
fn keytool_jks_reads_and_round_trips() {
    if !have("keytool") {
        return;
    }
    let dir = Dir::new();
    let path = keytool_store(&dir, "k.jks", "JKS", &[]);
    let ks = assert_reads_like_keytool(&path, "JKS", Format::Jks);
    assert_eq!(ks.entries.len(), 3);
    assert_keytool_reads_ours(&dir, &ks, Format::Jks, "ours.jks");
    assert_keytool_reads_ours(&dir, &ks, Format::Jceks, "ours.jceks");
}

#[test]
fn keytool_jceks_reads_and_round_trips() {
    if !have("keytool") {
        return;
    }
    let dir = Dir::new();
    let path = keytool_store(&dir, "k.jceks", "JCEKS", &[]);
    let ks = path_secret(&dir, &path);
    assert_keytool_reads_ours(&dir, &ks, Format::Jceks, "ours.jceks");
    // Untouched keys and secret keys are written back byte for byte.
    let again = ks
        .to_bytes(&Password::new("changeit"), &WriteOptions::default())
        .unwrap();
    let reread = Keystore::from_bytes(&again, &Password::new("changeit")).unwrap();
    assert_eq!(ours(&reread), ours(&ks));
}

/// Adds a secret key with keytool, then reads the JCEKS.
fn path_secret(_dir: &Dir, path: &Path) -> Keystore {
    keytool(&[
        "-genseckey",
        "-alias",
        "aeskey",
        "-keyalg",
        "AES",
        "-keysize",
        "128",
        "-keystore",
        path.to_str().unwrap(),
        "-storetype",
        "JCEKS",
        "-storepass",
        "changeit",
        "-keypass",
        "changeit",
    ]);
    let ks = assert_reads_like_keytool(path, "JCEKS", Format::Jceks);
    assert!(ks
        .entries
        .iter()
        .any(|e| matches!(e.kind, EntryKind::SecretKey(_))));
    ks
}

#[test]
fn jdk_cacerts_reads_in_full() {
    let candidates = [
        std::env::var("JAVA_HOME")
            .map(|h| PathBuf::from(h).join("lib/security/cacerts"))
            .ok(),
        Some(PathBuf::from("/etc/ssl/certs/java/cacerts")),
    ];
    let Some(path) = candidates.into_iter().flatten().find(|p| p.exists()) else {
        eprintln!("SKIP: no JDK cacerts found");
        return;
    };
    let bytes = std::fs::read(&path).unwrap();
    let ks = Keystore::from_bytes(&bytes, &Password::new("changeit")).unwrap();
    assert!(ks.entries.len() > 50, "only {} entries", ks.entries.len());
    assert!(ks
        .entries
        .iter()
        .all(|e| matches!(e.kind, EntryKind::TrustedCert(_))));
    if have("keytool") {
        let storetype = ks.format.to_string();
        assert_eq!(ours(&ks), keytool_list(&path, &storetype, "changeit"));
    }
    // The wrong password is an integrity error, not a parse error.
    let e = Keystore::from_bytes(&bytes, &Password::new("changeme")).unwrap_err();
    assert_eq!(e.kind(), "integrity");
}
