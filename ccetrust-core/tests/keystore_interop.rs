//! Interop with the real tools: keystores made by JDK 17 keytool and OpenSSL 3 are read
//! with the same aliases, kinds and fingerprints keytool lists, their keys decrypt; the
//! keystores we write are listed identically by keytool, their keys extracted by
//! `keytool -importkeystore`, and our PKCS#12 read by `openssl pkcs12` without -legacy.
//! Each test skips (printing why) when the tool it needs is missing, and fails under CI=true.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

mod tool_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use ccetrust::keystore::{EntryKind, Format, Keystore, Password, WriteOptions};

fn have(tool: &str) -> bool {
    tool_support::require(tool, "the keytool/openssl interop checks")
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

/// Our entries as keytool would list them (keytool shows PKCS#12, JKS and JCEKS aliases
/// lower-case).
fn ours(ks: &Keystore) -> Vec<Listed> {
    let mut v: Vec<Listed> = ks
        .entries
        .iter()
        .map(|e| Listed {
            alias: if ks.format == Format::Pem {
                e.alias.clone()
            } else {
                e.alias.to_lowercase()
            },
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
    let want = ours(&copy);
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
        tool_support::missing("no JDK cacerts found (JAVA_HOME/lib/security/cacerts)");
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

#[test]
fn keytool_pkcs12_modern_and_legacy() {
    if !have("keytool") {
        return;
    }
    let dir = Dir::new();
    for (name, extra) in [
        ("modern.p12", &[][..]),
        ("legacy.p12", &["-J-Dkeystore.pkcs12.legacy"][..]),
    ] {
        let path = keytool_store(&dir, name, "PKCS12", extra);
        let ks = assert_reads_like_keytool(&path, "PKCS12", Format::Pkcs12);
        assert_eq!(ks.entries.len(), 3, "{name}");
        assert_keytool_reads_ours(&dir, &ks, Format::Pkcs12, &format!("ours-{name}"));
        assert_keytool_reads_ours(&dir, &ks, Format::Jks, &format!("ours-{name}.jks"));
    }
}

/// A CA, a leaf signed by it (EC), and an unrelated self-signed CA, made by openssl.
fn openssl_material(dir: &Dir) {
    let s = |n: &str| dir.s(n);
    run(
        "openssl",
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            &s("ca.key"),
            "-out",
            &s("ca.pem"),
            "-subj",
            "/CN=Test CA/O=Example",
            "-days",
            "30",
        ],
    );
    run(
        "openssl",
        &[
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            &s("leaf.key"),
            "-out",
            &s("leaf.csr"),
            "-subj",
            "/CN=finesse.example.com",
        ],
    );
    run(
        "openssl",
        &[
            "x509",
            "-req",
            "-in",
            &s("leaf.csr"),
            "-CA",
            &s("ca.pem"),
            "-CAkey",
            &s("ca.key"),
            "-CAcreateserial",
            "-out",
            &s("leaf.pem"),
            "-days",
            "30",
        ],
    );
    run(
        "openssl",
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-384",
            "-nodes",
            "-keyout",
            &s("other.key"),
            "-out",
            &s("other.pem"),
            "-subj",
            "/CN=Other CA",
            "-days",
            "30",
        ],
    );
}

#[test]
fn openssl_pkcs12_variants_read_like_keytool() {
    if !have("openssl") || !have("keytool") {
        return;
    }
    let dir = Dir::new();
    openssl_material(&dir);
    let variants: &[(&str, &[&str])] = &[
        ("default.p12", &[]),
        ("legacy.p12", &["-legacy"]),
        (
            "sha512-mac.p12",
            &["-macalg", "sha512", "-iter", "1000", "-maciter"],
        ),
        (
            "sha1-mac-aes128.p12",
            &[
                "-macalg",
                "sha1",
                "-keypbe",
                "AES-128-CBC",
                "-certpbe",
                "AES-128-CBC",
            ],
        ),
        ("nocertenc.p12", &["-certpbe", "NONE"]),
        ("named.p12", &["-name", "Finesse Tomcat"]),
    ];
    for (name, extra) in variants {
        let (leaf, key, ca, out) = (
            dir.s("leaf.pem"),
            dir.s("leaf.key"),
            dir.s("ca.pem"),
            dir.s(name),
        );
        let mut a = vec![
            "pkcs12",
            "-export",
            "-in",
            &leaf,
            "-inkey",
            &key,
            "-certfile",
            &ca,
            "-out",
            &out,
            "-passout",
            "pass:changeit",
        ];
        a.extend_from_slice(extra);
        run("openssl", &a);
        let ks = assert_reads_like_keytool(&dir.p(name), "PKCS12", Format::Pkcs12);
        let key = ks
            .entries
            .iter()
            .find(|e| matches!(e.kind, EntryKind::PrivateKey(_)))
            .unwrap();
        assert_eq!(key.certificates().len(), 2, "{name}: leaf and CA");
    }
}

#[test]
fn openssl_orphan_certificates_are_kept_as_trusted() {
    if !have("openssl") || !have("keytool") {
        return;
    }
    let dir = Dir::new();
    openssl_material(&dir);
    let bundle = dir.p("cas.pem");
    let cas = [
        std::fs::read(dir.p("ca.pem")).unwrap(),
        std::fs::read(dir.p("other.pem")).unwrap(),
    ]
    .concat();
    std::fs::write(&bundle, cas).unwrap();
    run(
        "openssl",
        &[
            "pkcs12",
            "-export",
            "-nokeys",
            "-in",
            bundle.to_str().unwrap(),
            "-out",
            &dir.s("cas.p12"),
            "-passout",
            "pass:changeit",
        ],
    );
    let ks = Keystore::from_bytes(
        &std::fs::read(dir.p("cas.p12")).unwrap(),
        &Password::new("changeit"),
    )
    .unwrap();
    // keytool lists none of them (no Java trust attribute); we keep both, and once we
    // write the file keytool lists them as trustedCertEntry.
    assert!(keytool_list(&dir.p("cas.p12"), "PKCS12", "changeit").is_empty());
    assert_eq!(ks.trusted_certificates().count(), 2);
    assert_keytool_reads_ours(&dir, &ks, Format::Pkcs12, "ours-cas.p12");
}

#[test]
fn openssl_reads_our_pkcs12_without_legacy() {
    if !have("openssl") || !have("keytool") {
        return;
    }
    let dir = Dir::new();
    let path = keytool_store(&dir, "k.jks", "JKS", &[]);
    let mut ks =
        Keystore::from_bytes(&std::fs::read(&path).unwrap(), &Password::new("changeit")).unwrap();
    assert!(ks.unlock_keys(&Password::new("changeit")).is_empty());
    ks.format = Format::Pkcs12;
    let bytes = ks
        .to_bytes(&Password::new("changeit"), &WriteOptions::default())
        .unwrap();
    let p12 = dir.p("ours.p12");
    std::fs::write(&p12, bytes).unwrap();
    let info = Command::new("openssl")
        .args([
            "pkcs12",
            "-info",
            "-noout",
            "-in",
            p12.to_str().unwrap(),
            "-passin",
            "pass:changeit",
        ])
        .output()
        .unwrap();
    assert!(
        info.status.success(),
        "{}",
        String::from_utf8_lossy(&info.stderr)
    );
    let text = String::from_utf8_lossy(&info.stderr);
    assert!(text.contains("MAC: sha256"), "{text}");
    assert!(text.contains("AES-256-CBC"), "{text}");
    // openssl's PEM dump of our file reads back to the same keys and certificates.
    let pem = run(
        "openssl",
        &[
            "pkcs12",
            "-in",
            p12.to_str().unwrap(),
            "-passin",
            "pass:changeit",
            "-nodes",
        ],
    );
    let from_pem = Keystore::from_bytes(pem.as_bytes(), &Password::new("")).unwrap();
    assert_eq!(from_pem.format, Format::Pem);
    for e in &ks.entries {
        let x = from_pem
            .entry(&e.alias)
            .unwrap_or_else(|| panic!("{} not in openssl's output", e.alias));
        assert_eq!(x.kind.name(), e.kind.name(), "{}", e.alias);
        assert_eq!(
            x.certificates()
                .iter()
                .map(|c| c.sha256())
                .collect::<Vec<_>>(),
            e.certificates()
                .iter()
                .map(|c| c.sha256())
                .collect::<Vec<_>>()
        );
        if let (EntryKind::PrivateKey(a), EntryKind::PrivateKey(b)) = (&e.kind, &x.kind) {
            assert_eq!(a.public_key_sha256(), b.public_key_sha256());
        }
    }
    // And the legacy profile too (openssl 3 needs -legacy for RC2-40 certificates).
    let legacy = ks
        .to_bytes(
            &Password::new("changeit"),
            &WriteOptions {
                pkcs12: Some(ccetrust::keystore::Pkcs12Profile::Legacy),
                ..Default::default()
            },
        )
        .unwrap();
    let lp = dir.p("ours-legacy.p12");
    std::fs::write(&lp, legacy).unwrap();
    run(
        "openssl",
        &[
            "pkcs12",
            "-legacy",
            "-info",
            "-noout",
            "-in",
            lp.to_str().unwrap(),
            "-passin",
            "pass:changeit",
        ],
    );
    assert_eq!(keytool_list(&lp, "PKCS12", "changeit"), ours(&ks));
}

#[test]
fn pem_round_trip_through_keytool() {
    if !have("openssl") || !have("keytool") {
        return;
    }
    let dir = Dir::new();
    openssl_material(&dir);
    // A PEM with an encrypted PKCS#8 key and its chain, as openssl writes it.
    let enc = run(
        "openssl",
        &[
            "pkcs8",
            "-topk8",
            "-in",
            &dir.s("leaf.key"),
            "-passout",
            "pass:changeit",
            "-v2",
            "aes-256-cbc",
        ],
    );
    let pem = [
        enc.into_bytes(),
        std::fs::read(dir.p("leaf.pem")).unwrap(),
        std::fs::read(dir.p("ca.pem")).unwrap(),
    ]
    .concat();
    let ks = Keystore::from_bytes(&pem, &Password::new("changeit")).unwrap();
    assert_eq!(ks.format, Format::Pem);
    assert_eq!(ks.entries.len(), 1);
    let EntryKind::PrivateKey(k) = &ks.entries[0].kind else {
        panic!("not a key")
    };
    assert!(k.is_unlocked());
    assert_eq!(k.matches_certificate(), Some(true));
    assert_eq!(k.chain.len(), 2);
    assert_keytool_reads_ours(&dir, &ks, Format::Pkcs12, "from-pem.p12");
    assert_keytool_reads_ours(&dir, &ks, Format::Jceks, "from-pem.jceks");
    // Our PEM (encrypted key) is read by openssl with the password.
    let mut copy = ks.clone();
    if let EntryKind::PrivateKey(k) = &mut copy.entries[0].kind {
        k.reprotect("x").unwrap();
    }
    let out = copy
        .to_bytes(&Password::new("changeit"), &WriteOptions::default())
        .unwrap();
    std::fs::write(dir.p("ours.pem"), &out).unwrap();
    run(
        "openssl",
        &[
            "pkey",
            "-in",
            &dir.s("ours.pem"),
            "-passin",
            "pass:changeit",
            "-noout",
        ],
    );
    let back = Keystore::from_bytes(&out, &Password::new("changeit")).unwrap();
    assert_eq!(ours(&back), ours(&ks));
}

/// A keytool PKCS#12 written back under a new password: keytool opens the store and its key
/// pair with the new one (the key was re-encrypted, since keytool opens PKCS#12 keys with the
/// store password); written under the same password, the key's bytes are kept as they were;
/// a key never unlocked cannot follow and is an error naming its alias, nothing written.
#[test]
fn pkcs12_written_under_a_new_password_takes_its_keys_along() {
    if !have("keytool") {
        return;
    }
    let dir = Dir::new();
    let path = keytool_store(&dir, "passwd.p12", "PKCS12", &[]);
    let old = Password::from("changeit");
    let new = Password::from("n3w-Pa55");
    let options = WriteOptions::default();

    let locked = Keystore::load(&path, &old).unwrap();
    let err = locked.to_bytes(&new, &options).unwrap_err();
    assert_eq!(err.kind(), "alias", "{err}");
    assert!(err.to_string().contains("another password"), "{err}");
    // Same password: every entry as it was read (the keys' encryption included).
    let same = Keystore::from_bytes(&locked.to_bytes(&old, &options).unwrap(), &old).unwrap();
    for (a, b) in locked.entries.iter().zip(&same.entries) {
        if let (EntryKind::PrivateKey(x), EntryKind::PrivateKey(y)) = (&a.kind, &b.kind) {
            assert_eq!(
                x.protected_key().unwrap().der(),
                y.protected_key().unwrap().der()
            );
        }
    }

    let mut ks = Keystore::load(&path, &old).unwrap();
    assert!(ks.unlock_keys(&old).is_empty());
    let out = dir.s("passwd-new.p12");
    std::fs::write(&out, ks.to_bytes(&new, &options).unwrap()).unwrap();
    // keytool decrypts every key pair with the new password to copy it into a JKS.
    let jks = dir.s("passwd-new.jks");
    keytool(&[
        "-importkeystore",
        "-srckeystore",
        &out,
        "-srcstoretype",
        "PKCS12",
        "-srcstorepass",
        "n3w-Pa55",
        "-destkeystore",
        &jks,
        "-deststoretype",
        "JKS",
        "-deststorepass",
        "n3w-Pa55",
        "-noprompt",
    ]);
    let copied = keytool_list(Path::new(&jks), "JKS", "n3w-Pa55");
    let keys = ks
        .entries
        .iter()
        .filter(|e| matches!(e.kind, EntryKind::PrivateKey(_)))
        .count();
    assert!(keys > 0);
    assert_eq!(
        copied
            .iter()
            .filter(|l| l.kind == "PrivateKeyEntry")
            .count(),
        keys
    );
}

/// A PKCS#12 store written back keeps the algorithms it was read with: a legacy file (made by
/// keytool with -J-Dkeystore.pkcs12.legacy, as old Java 8 and Windows Server 2016 need) stays
/// legacy after an import, a modern one stays modern, and `WriteOptions::pkcs12` still
/// chooses. openssl names the algorithms of each file written.
#[test]
fn pkcs12_written_back_keeps_its_algorithms() {
    if !have("keytool") || !have("openssl") {
        return;
    }
    let dir = Dir::new();
    let pw = Password::from("changeit");
    // `openssl pkcs12 -info` prints the MAC and the certificate encryption on stderr.
    let algorithms = |bytes: Vec<u8>, name: &str| -> String {
        let p = dir.p(name);
        std::fs::write(&p, bytes).unwrap();
        let out = Command::new("openssl")
            .args([
                "pkcs12",
                "-info",
                "-noout",
                "-legacy",
                "-passin",
                "pass:changeit",
                "-in",
            ])
            .arg(&p)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let extra_ca = ccetrust::load_certificates(
        &std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/keystore/ca.pem"))
            .unwrap(),
    )
    .unwrap()
    .remove(0);
    for (name, extra, legacy) in [
        ("legacy.p12", &["-J-Dkeystore.pkcs12.legacy"][..], true),
        ("modern.p12", &[][..], false),
    ] {
        let path = keytool_store(&dir, name, "PKCS12", extra);
        let mut ks = Keystore::load(&path, &pw).unwrap();
        let want = if legacy {
            ccetrust::keystore::Pkcs12Profile::Legacy
        } else {
            ccetrust::keystore::Pkcs12Profile::Modern
        };
        assert_eq!(ks.pkcs12_profile, Some(want), "{name}");
        ks.import_trusted("added ca", extra_ca.clone(), Default::default())
            .unwrap();
        let info = algorithms(
            ks.to_bytes(&pw, &WriteOptions::default()).unwrap(),
            &format!("back-{name}"),
        );
        if legacy {
            assert!(info.contains("MAC: sha1"), "{name}: {info}");
            assert!(
                info.contains("pbeWithSHA1And40BitRC2-CBC")
                    || info.contains("pbeWithSHA1And3-KeyTripleDES-CBC"),
                "{name}: {info}"
            );
            assert!(!info.contains("PBES2"), "{name}: {info}");
        } else {
            assert!(info.contains("MAC: sha256"), "{name}: {info}");
            assert!(info.contains("PBES2"), "{name}: {info}");
        }
        // An explicit choice wins.
        let other = if legacy {
            ccetrust::keystore::Pkcs12Profile::Modern
        } else {
            ccetrust::keystore::Pkcs12Profile::Legacy
        };
        let chosen = WriteOptions {
            pkcs12: Some(other),
            ..Default::default()
        };
        let info = algorithms(ks.to_bytes(&pw, &chosen).unwrap(), &format!("other-{name}"));
        assert_eq!(info.contains("MAC: sha1"), !legacy, "{name}: {info}");
    }
}
