//! `ccetrust keystore …` end to end: the binary against stores made by keytool/openssl,
//! and keytool reading back what the binary wrote.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

mod tool_support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn tools() -> bool {
    tool_support::require("keytool", "the keytool read-back")
        && tool_support::require("openssl", "the openssl fixtures")
}

fn run(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs ccetrust with the store password in STOREPASS (and NEWPASS for passwd).
fn ccetrust(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ccetrust"))
        .args(args)
        .env("STOREPASS", "changeit")
        .env("NEWPASS", "n3w-pass")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

fn ok_json(args: &[&str]) -> Value {
    let o = ccetrust(args);
    assert!(
        o.status.success(),
        "ccetrust {args:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

fn keytool_aliases(path: &Path, storetype: &str, pass: &str) -> Vec<(String, String)> {
    let out = run(
        "keytool",
        &[
            "-J-Duser.language=en",
            "-list",
            "-v",
            "-keystore",
            path.to_str().unwrap(),
            "-storetype",
            storetype,
            "-storepass",
            pass,
        ],
    );
    let mut v = Vec::new();
    let mut alias = String::new();
    for l in out.lines() {
        if let Some(a) = l.strip_prefix("Alias name: ") {
            alias = a.to_string();
        } else if let Some(k) = l.strip_prefix("Entry type: ") {
            v.push((alias.clone(), k.to_string()));
        }
    }
    v.sort();
    v
}

struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let f = Fixture { _dir: dir, root };
        let s = |n: &str| f.s(n);
        run(
            "openssl",
            &[
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                &s("ca.key"),
                "-out",
                &s("ca.pem"),
                "-subj",
                "/CN=Contact Center Root CA",
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
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                &s("ca2.key"),
                "-out",
                &s("ca2.pem"),
                "-subj",
                "/CN=Second CA",
                "-days",
                "30",
            ],
        );
        run(
            "keytool",
            &[
                "-genkeypair",
                "-alias",
                "tomcat",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=cvp.example.com",
                "-keystore",
                &s("cvp.jks"),
                "-storetype",
                "JKS",
                "-storepass",
                "changeit",
                "-keypass",
                "changeit",
            ],
        );
        f
    }
    fn p(&self, n: &str) -> PathBuf {
        self.root.join(n)
    }
    fn s(&self, n: &str) -> String {
        self.p(n).to_str().unwrap().to_string()
    }
}

#[test]
fn list_json_matches_keytool_and_the_certificate() {
    if !tools() {
        return;
    }
    let f = Fixture::new();
    let v = ok_json(&[
        "keystore",
        "list",
        "--json",
        "--storepass-env",
        "STOREPASS",
        &f.s("cvp.jks"),
    ]);
    assert_eq!(v["format"], "JKS");
    let e = &v["entries"][0];
    assert_eq!(e["alias"], "tomcat");
    assert_eq!(e["kind"], "private_key");
    assert!(e["created"].as_str().unwrap().ends_with('Z'));
    let cert = &e["certificates"][0];
    assert_eq!(cert["subject"], "CN=cvp.example.com");
    // The fingerprint keytool prints, and the key's public key is the certificate's.
    let kt = run(
        "keytool",
        &[
            "-J-Duser.language=en",
            "-list",
            "-v",
            "-keystore",
            &f.s("cvp.jks"),
            "-storepass",
            "changeit",
        ],
    );
    let fp = kt
        .lines()
        .find_map(|l| l.trim().strip_prefix("SHA256: "))
        .unwrap()
        .replace(':', "")
        .to_lowercase();
    assert_eq!(cert["sha256"], fp);
    let exported = f.p("tomcat.der");
    run(
        "keytool",
        &[
            "-exportcert",
            "-alias",
            "tomcat",
            "-keystore",
            &f.s("cvp.jks"),
            "-storepass",
            "changeit",
            "-file",
            exported.to_str().unwrap(),
        ],
    );
    let c = ccetrust::Certificate::from_der(&std::fs::read(&exported).unwrap()).unwrap();
    assert_eq!(
        e["public_key_sha256"],
        ccetrust::hex(&c.public_key_sha256())
    );
}

#[test]
fn import_is_idempotent_by_identity_and_refuses_silent_replacement() {
    if !tools() {
        return;
    }
    let f = Fixture::new();
    let ks = f.s("cvp.jks");
    let v = ok_json(&[
        "keystore",
        "import",
        "--json",
        "--storepass-env",
        "STOREPASS",
        "--alias",
        "RootCA",
        &ks,
        &f.s("ca.pem"),
    ]);
    assert_eq!(v["outcomes"][0]["result"], "added");
    // JKS stores aliases lower-case: reported.
    assert_eq!(v["outcomes"][0]["alias"], "rootca");
    assert_eq!(v["outcomes"][0]["requested_alias"], "RootCA");
    assert!(v["backup"].as_str().is_some_and(|b| Path::new(b).exists()));
    let before = std::fs::read(&ks).unwrap();
    // Same certificate under another alias: reported, file untouched.
    let v = ok_json(&[
        "keystore",
        "import",
        "--json",
        "--storepass-env",
        "STOREPASS",
        "--alias",
        "root-ca-again",
        &ks,
        &f.s("ca.pem"),
    ]);
    assert_eq!(v["outcomes"][0]["result"], "already_present");
    assert_eq!(v["outcomes"][0]["existing_alias"], "rootca");
    assert_eq!(v["changed"], false);
    assert_eq!(std::fs::read(&ks).unwrap(), before);
    // A different certificate under a taken alias: an error, unless --replace.
    let o = ccetrust(&[
        "keystore",
        "import",
        "--json",
        "--storepass-env",
        "STOREPASS",
        "--alias",
        "rootca",
        &ks,
        &f.s("ca2.pem"),
    ]);
    assert!(!o.status.success());
    let err: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(err["error"]["kind"], "alias");
    assert_eq!(std::fs::read(&ks).unwrap(), before);
    let v = ok_json(&[
        "keystore",
        "import",
        "--json",
        "--replace",
        "--storepass-env",
        "STOREPASS",
        "--alias",
        "rootca",
        &ks,
        &f.s("ca2.pem"),
    ]);
    assert_eq!(v["outcomes"][0]["result"], "replaced");
    assert_eq!(
        keytool_aliases(&f.p("cvp.jks"), "JKS", "changeit"),
        vec![
            ("rootca".to_string(), "trustedCertEntry".to_string()),
            ("tomcat".to_string(), "PrivateKeyEntry".to_string())
        ]
    );
}

#[test]
fn delete_rename_export_passwd_convert_are_read_by_keytool() {
    if !tools() {
        return;
    }
    let f = Fixture::new();
    let ks = f.s("cvp.jks");
    ok_json(&[
        "keystore",
        "import",
        "--json",
        "--storepass-env",
        "STOREPASS",
        "--alias",
        "ca",
        &ks,
        &f.s("ca.pem"),
    ]);
    ok_json(&[
        "keystore",
        "import",
        "--json",
        "--storepass-env",
        "STOREPASS",
        "--alias",
        "ca2",
        &ks,
        &f.s("ca2.pem"),
    ]);
    ok_json(&[
        "keystore",
        "delete",
        "--json",
        "--storepass-env",
        "STOREPASS",
        "--alias",
        "ca2",
        &ks,
    ]);
    ok_json(&[
        "keystore",
        "rename",
        "--json",
        "--storepass-env",
        "STOREPASS",
        "--alias",
        "ca",
        "--to",
        "root",
        &ks,
    ]);
    assert_eq!(
        keytool_aliases(&f.p("cvp.jks"), "JKS", "changeit"),
        vec![
            ("root".to_string(), "trustedCertEntry".to_string()),
            ("tomcat".to_string(), "PrivateKeyEntry".to_string())
        ]
    );
    // Export in DER equals what keytool exports.
    let ours = f.p("ours.der");
    let o = ccetrust(&[
        "keystore",
        "export",
        "--storepass-env",
        "STOREPASS",
        "--alias",
        "tomcat",
        "--der",
        "-o",
        ours.to_str().unwrap(),
        &ks,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let theirs = f.p("theirs.der");
    run(
        "keytool",
        &[
            "-exportcert",
            "-alias",
            "tomcat",
            "-keystore",
            &ks,
            "-storepass",
            "changeit",
            "-file",
            theirs.to_str().unwrap(),
        ],
    );
    assert_eq!(std::fs::read(ours).unwrap(), std::fs::read(theirs).unwrap());
    // Convert to JCEKS and PKCS#12: keytool lists the same entries; keys extract.
    for (to, name, storetype) in [
        ("jceks", "cvp.jceks", "JCEKS"),
        ("pkcs12", "cvp.p12", "PKCS12"),
    ] {
        ok_json(&[
            "keystore",
            "convert",
            "--json",
            "--storepass-env",
            "STOREPASS",
            "--to",
            to,
            &ks,
            &f.s(name),
        ]);
        assert_eq!(
            keytool_aliases(&f.p(name), storetype, "changeit"),
            keytool_aliases(&f.p("cvp.jks"), "JKS", "changeit")
        );
        run(
            "keytool",
            &[
                "-importkeystore",
                "-srckeystore",
                &f.s(name),
                "-srcstoretype",
                storetype,
                "-srcstorepass",
                "changeit",
                "-destkeystore",
                &f.s(&format!("{name}.x.p12")),
                "-deststoretype",
                "PKCS12",
                "-deststorepass",
                "changeit",
                "-noprompt",
            ],
        );
    }
    // Converting over an existing file of the same name keeps a backup.
    let v = ok_json(&[
        "keystore",
        "convert",
        "--json",
        "--storepass-env",
        "STOREPASS",
        "--to",
        "pkcs12",
        &ks,
        &f.s("cvp.p12"),
    ]);
    assert!(v["backup"].as_str().is_some());
    // Store password change: keytool opens it with the new one only.
    ok_json(&[
        "keystore",
        "passwd",
        "--json",
        "--storepass-env",
        "STOREPASS",
        "--new-storepass-env",
        "NEWPASS",
        &f.s("cvp.p12"),
    ]);
    assert_eq!(
        keytool_aliases(&f.p("cvp.p12"), "PKCS12", "n3w-pass").len(),
        2
    );
    run(
        "keytool",
        &[
            "-importkeystore",
            "-srckeystore",
            &f.s("cvp.p12"),
            "-srcstoretype",
            "PKCS12",
            "-srcstorepass",
            "n3w-pass",
            "-destkeystore",
            &f.s("after-passwd.p12"),
            "-deststoretype",
            "PKCS12",
            "-deststorepass",
            "changeit",
            "-noprompt",
        ],
    );
    let o = Command::new("keytool")
        .args([
            "-list",
            "-keystore",
            &f.s("cvp.p12"),
            "-storepass",
            "changeit",
        ])
        .output()
        .unwrap();
    assert!(!o.status.success());
    // JKS key password change: keytool needs the new key password to extract the key.
    ok_json(&[
        "keystore",
        "passwd",
        "--json",
        "--storepass-env",
        "STOREPASS",
        "--key",
        "--alias",
        "tomcat",
        "--new-keypass-env",
        "NEWPASS",
        &ks,
    ]);
    run(
        "keytool",
        &[
            "-importkeystore",
            "-srckeystore",
            &ks,
            "-srcstoretype",
            "JKS",
            "-srcstorepass",
            "changeit",
            "-srcalias",
            "tomcat",
            "-srckeypass",
            "n3w-pass",
            "-destkeystore",
            &f.s("k.p12"),
            "-deststoretype",
            "PKCS12",
            "-deststorepass",
            "changeit",
            "-destkeypass",
            "changeit",
            "-noprompt",
        ],
    );
}

#[test]
fn a_missing_password_says_how_to_give_one() {
    let p12 =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/keystore/keytool-modern.p12");
    // A PKCS#12 needs its password; none given and stdin is not a terminal: could not do
    // it (exit 1, kind "password", the table's row), naming the ways to give it.
    let o = ccetrust(&["keystore", "list", "--json", p12.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(err["error"]["kind"], "password");
    let msg = err["error"]["message"].as_str().unwrap();
    assert!(
        msg.contains("--storepass-env") && msg.contains("--storepass"),
        "{msg}"
    );
    // keytool's habit, `--storepass VALUE`, is accepted (documented as visible in ps).
    let v = ok_json(&[
        "keystore",
        "list",
        "--json",
        "--storepass",
        "changeit",
        p12.to_str().unwrap(),
    ]);
    assert_eq!(v["integrity_checked"], true);
    assert_eq!(v["entries"].as_array().unwrap().len(), 2);
}

#[test]
fn errors_are_typed_with_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let ks = dir.path().join("bad.jks");
    // A JKS header claiming 1 entry whose certificate length runs past the end.
    let mut b = vec![
        0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 1, b'a',
    ];
    b.extend_from_slice(&[0; 8]);
    b.extend_from_slice(&[0, 5]);
    b.extend_from_slice(b"X.509");
    b.extend_from_slice(&[0x7f, 0xff, 0xff, 0xff]);
    b.extend_from_slice(&[0; 20]);
    std::fs::write(&ks, &b).unwrap();
    let o = ccetrust(&[
        "keystore",
        "list",
        "--json",
        "--storepass-env",
        "STOREPASS",
        ks.to_str().unwrap(),
    ]);
    let err: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(err["error"]["kind"], "malformed");
    assert_eq!(err["error"]["offset"], 34);
}

/// A `ccetrust keystore import` killed (SIGKILL on Unix, TerminateProcess on Windows) at
/// varying moments leaves the keystore either as it was or as it should become: whole,
/// never partly written.
#[test]
fn a_killed_write_leaves_the_old_file_or_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/keystore");
    let certs: Vec<ccetrust::Certificate> = {
        let ks = ccetrust::keystore::Keystore::from_bytes(
            &std::fs::read(fixtures.join("ece.jks")).unwrap(),
            &ccetrust::keystore::Password::new("changeit"),
        )
        .unwrap();
        ks.entries
            .iter()
            .flat_map(|e| e.certificates().to_vec())
            .collect()
    };
    // A large store widens the window in which the process can be killed mid-write.
    let mut big = ccetrust::keystore::Keystore::new(ccetrust::keystore::Format::Jks);
    for i in 0..3000 {
        big.entries.push(ccetrust::keystore::Entry::trusted(
            format!("ca-{i}"),
            certs[i % certs.len()].clone(),
        ));
    }
    let original = big
        .to_bytes(
            &ccetrust::keystore::Password::new("changeit"),
            &Default::default(),
        )
        .unwrap();
    let new_cert = fixtures.join("leaf.pem");
    for attempt in 0..12u64 {
        let ks = dir.path().join(format!("big-{attempt}.jks"));
        std::fs::write(&ks, &original).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_ccetrust"))
            .args([
                "keystore",
                "import",
                "--no-backup",
                "--storepass-env",
                "STOREPASS",
                "--alias",
                "new",
                ks.to_str().unwrap(),
                new_cert.to_str().unwrap(),
            ])
            .env("STOREPASS", "changeit")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(attempt * 40));
        let _ = child.kill();
        let _ = child.wait();
        let after = std::fs::read(&ks).unwrap();
        let read = ccetrust::keystore::Keystore::from_bytes(
            &after,
            &ccetrust::keystore::Password::new("changeit"),
        )
        .unwrap_or_else(|e| panic!("attempt {attempt}: the keystore is damaged: {e}"));
        let n = read.entries.len();
        eprintln!(
            "attempt {attempt}: {}",
            if after == original {
                "old file"
            } else {
                "new file"
            }
        );
        assert!(
            after == original || (n == 3001 && read.entry("new").is_some()),
            "attempt {attempt}: {n} entries"
        );
    }
}

/// A key pair from a PKCS#12 made by keytool (store password `changeit`) imported into a
/// PKCS#12 and a JKS whose store password is another: keytool opens the imported key with
/// the target's password (it was written still encrypted with the source's), and a second
/// import changes nothing.
#[test]
fn import_of_a_key_pair_into_a_store_with_another_password_is_read_by_keytool() {
    if !tools() {
        return;
    }
    let f = Fixture::new();
    run(
        "keytool",
        &[
            "-genkeypair",
            "-alias",
            "iis",
            "-keyalg",
            "RSA",
            "-keysize",
            "2048",
            "-dname",
            "CN=awa.example.com",
            "-keystore",
            &f.s("src.p12"),
            "-storetype",
            "PKCS12",
            "-storepass",
            "changeit",
        ],
    );
    for (name, storetype) in [("dst.p12", "PKCS12"), ("dst.jks", "JKS")] {
        run(
            "keytool",
            &[
                "-importcert",
                "-noprompt",
                "-alias",
                "ca",
                "-file",
                &f.s("ca.pem"),
                "-keystore",
                &f.s(name),
                "-storetype",
                storetype,
                "-storepass",
                "n3w-pass",
            ],
        );
        let args = [
            "keystore",
            "import",
            "--json",
            "--storepass-env",
            "NEWPASS",
            "--srcstorepass-env",
            "STOREPASS",
            "--alias",
            "tomcat",
            &f.s(name),
            &f.s("src.p12"),
        ];
        let v = ok_json(&args);
        assert_eq!(v["changed"], true, "{v}");
        assert_eq!(v["outcomes"][0]["result"], "added", "{v}");
        // keytool copies the key out only if it decrypts with the target's password (JKS:
        // the key password, which defaults to the store password).
        let copy = f.s(&format!("copy-of-{name}.p12"));
        run(
            "keytool",
            &[
                "-importkeystore",
                "-noprompt",
                "-srckeystore",
                &f.s(name),
                "-srcstoretype",
                storetype,
                "-srcstorepass",
                "n3w-pass",
                "-srcalias",
                "tomcat",
                "-srckeypass",
                "n3w-pass",
                "-destkeystore",
                &copy,
                "-deststoretype",
                "PKCS12",
                "-deststorepass",
                "dest-pass",
            ],
        );
        let listed = keytool_aliases(Path::new(&copy), "PKCS12", "dest-pass");
        assert_eq!(listed.len(), 1, "{listed:?}");
        assert!(listed[0].1.contains("PrivateKeyEntry"), "{listed:?}");
        let again = ok_json(&args);
        assert_eq!(again["changed"], false, "{again}");
        assert_eq!(again["outcomes"][0]["result"], "already_present", "{again}");
    }
}
