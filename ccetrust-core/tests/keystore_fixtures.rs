//! Keystores made by keytool and openssl (committed, with `tests/data/keystore/gen.sh`):
//! read like keytool listed them when they were made, keys decrypt, bad input gives typed
//! errors, writes round-trip in every format, and saving never loses the original.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use std::path::{Path, PathBuf};

use ccetrust::keystore::{
    save, EntryKind, Format, Keystore, KeystoreError, Password, PrivateKeyEntry, SaveOptions,
    WriteOptions,
};
use ccetrust::Certificate;
use proptest::prelude::*;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data/keystore")
        .join(name)
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(data(name)).unwrap()
}

fn pw(s: &str) -> Password {
    Password::new(s)
}

/// (alias, entry type, SHA-256 fingerprints) from a captured `keytool -list -v`.
fn keytool_listing(name: &str) -> Vec<(String, String, Vec<String>)> {
    let text = std::fs::read_to_string(data(&format!("{name}.keytool.txt"))).unwrap();
    let mut v: Vec<(String, String, Vec<String>)> = Vec::new();
    for line in text.lines() {
        if let Some(a) = line.strip_prefix("Alias name: ") {
            v.push((a.to_string(), String::new(), vec![]));
        } else if let Some(k) = line.strip_prefix("Entry type: ") {
            v.last_mut().unwrap().1 = k.to_string();
        } else if let Some(f) = line.trim().strip_prefix("SHA256: ") {
            v.last_mut()
                .unwrap()
                .2
                .push(f.replace(':', "").to_lowercase());
        }
    }
    v.sort();
    v
}

fn listing(ks: &Keystore) -> Vec<(String, String, Vec<String>)> {
    let mut v: Vec<_> = ks
        .entries
        .iter()
        .map(|e| {
            (
                e.alias.to_lowercase(),
                e.kind.keytool_name().to_string(),
                e.certificates().iter().map(|c| c.sha256_hex()).collect(),
            )
        })
        .collect();
    v.sort();
    v
}

const STORES: [(&str, Format); 7] = [
    ("cvp.jceks", Format::Jceks),
    ("ece.jks", Format::Jks),
    ("keytool-modern.p12", Format::Pkcs12),
    ("keytool-legacy.p12", Format::Pkcs12),
    ("openssl-default.p12", Format::Pkcs12),
    ("openssl-legacy.p12", Format::Pkcs12),
    ("openssl-sha512.p12", Format::Pkcs12),
];

#[test]
fn fixtures_read_like_keytool_listed_them_and_keys_decrypt() {
    for (name, format) in STORES {
        let mut ks = Keystore::from_bytes(&read(name), &pw("changeit"))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(ks.format, format, "{name}");
        assert_eq!(listing(&ks), keytool_listing(name), "{name}");
        let key_pw = if name == "ece.jks" {
            pw("tomcat-key")
        } else {
            pw("changeit")
        };
        assert!(ks.unlock_keys(&key_pw).is_empty(), "{name}");
        for e in &ks.entries {
            if let EntryKind::PrivateKey(k) = &e.kind {
                assert_eq!(k.matches_certificate(), Some(true), "{name}/{}", e.alias);
            }
        }
    }
}

#[test]
fn wrong_key_password_is_an_integrity_error_naming_the_alias() {
    let mut ks = Keystore::from_bytes(&read("ece.jks"), &pw("changeit")).unwrap();
    let failed = ks.unlock_keys(&pw("changeit"));
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].0, "tomcat");
    assert_eq!(failed[0].1.kind(), "integrity");
    assert!(failed[0].1.to_string().contains("tomcat"));
}

#[test]
fn pem_key_and_chain() {
    let ks = Keystore::from_bytes(&read("leaf-chain.pem"), &pw("changeit")).unwrap();
    assert_eq!(ks.format, Format::Pem);
    let EntryKind::PrivateKey(k) = &ks.entries[0].kind else {
        panic!()
    };
    assert!(k.is_unlocked());
    let leaf = ccetrust::load_certificates(&read("leaf.pem"))
        .unwrap()
        .remove(0);
    assert_eq!(k.chain[0].der(), leaf.der());
    assert_eq!(k.chain.len(), 2);
    // A wrong password leaves the key locked (listing still works).
    let ks = Keystore::from_bytes(&read("leaf-chain.pem"), &pw("nope")).unwrap();
    let EntryKind::PrivateKey(k) = &ks.entries[0].kind else {
        panic!()
    };
    assert!(!k.is_unlocked());
}

#[test]
fn jceks_secret_keys_are_written_back_unchanged() {
    let ks = Keystore::from_bytes(&read("cvp.jceks"), &pw("changeit")).unwrap();
    let secret = ks.entries.iter().find_map(|e| match &e.kind {
        EntryKind::SecretKey(s) => Some(s.stored_bytes().to_vec()),
        _ => None,
    });
    let secret = secret.unwrap();
    let out = ks
        .to_bytes(&pw("changeit"), &WriteOptions::default())
        .unwrap();
    // The serialized object appears verbatim in what we wrote.
    assert!(out.windows(secret.len()).any(|w| w == secret.as_slice()));
    let back = Keystore::from_bytes(&out, &pw("changeit")).unwrap();
    assert_eq!(listing(&back), listing(&ks));
    // It cannot go to a format where it would have to be deserialized.
    assert_eq!(
        ks.convert(Format::Pkcs12).unwrap_err().kind(),
        "unsupported"
    );
}

// ---- bad input ------------------------------------------------------------------------

fn kind_of(bytes: &[u8], password: &str) -> Result<(), KeystoreError> {
    Keystore::from_bytes(bytes, &pw(password)).map(|_| ())
}

#[test]
fn truncated_inputs_are_typed_errors() {
    for (name, _) in STORES {
        let b = read(name);
        let step = (b.len() / 40).max(1);
        for n in (0..b.len())
            .step_by(step)
            .chain([b.len() - 1, b.len() - 20, 4, 12])
        {
            let e = kind_of(&b[..n], "changeit")
                .expect_err(&format!("{name} truncated to {n} read fine"));
            assert!(
                matches!(e.kind(), "malformed" | "integrity"),
                "{name}[..{n}]: {} {e}",
                e.kind()
            );
        }
    }
}

#[test]
fn flipped_bytes_never_read_as_valid() {
    for (name, _) in STORES {
        let b = read(name);
        let step = (b.len() / 12).max(1);
        for i in (0..b.len()).step_by(step) {
            let mut c = b.clone();
            c[i] ^= 0x01;
            match kind_of(&c, "changeit") {
                Ok(()) => panic!("{name}: flipping byte {i} went unnoticed"),
                Err(e) => assert!(
                    matches!(e.kind(), "malformed" | "integrity" | "unsupported"),
                    "{name} byte {i}: {} {e}",
                    e.kind()
                ),
            }
        }
    }
}

#[test]
fn wrong_magic_and_lengths_past_the_end() {
    let mut b = read("ece.jks");
    b[0] = 0x00;
    assert_eq!(kind_of(&b, "changeit").unwrap_err().kind(), "malformed");
    // The first entry's alias length claims 65,535 bytes.
    let mut b = read("ece.jks");
    b[16] = 0xff;
    b[17] = 0xff;
    let e = kind_of(&b, "changeit").unwrap_err();
    assert_eq!((e.kind(), e.offset()), ("malformed", Some(16)), "{e}");
    // The entry count claims 2^31 entries.
    let mut b = read("cvp.jceks");
    b[8..12].copy_from_slice(&0x7fff_ffffu32.to_be_bytes());
    let e = kind_of(&b, "changeit").unwrap_err();
    assert_eq!((e.kind(), e.offset()), ("malformed", Some(8)), "{e}");
    // PKCS#12: the outer SEQUENCE claims more bytes than the file has.
    let mut b = read("openssl-default.p12");
    let n = b.len();
    b.truncate(n - 10);
    let e = kind_of(&b, "changeit").unwrap_err();
    assert_eq!((e.kind(), e.offset()), ("malformed", Some(1)), "{e}");
}

#[test]
fn wrong_password_and_modified_file_are_told_apart_where_possible() {
    // JKS/JCEKS: a wrong password is "wrong password, or modified"; with a key the password
    // opens, that is said too (most often the store's old password after `passwd --store`,
    // which keeps key passwords, so it is not called tampering: issue 13).
    let b = read("cvp.jceks");
    let e = kind_of(&b, "wrong").unwrap_err();
    assert_eq!(e.kind(), "integrity");
    assert!(
        e.to_string()
            .contains("wrong password, or the file was modified"),
        "{e}"
    );
    let mut m = b.clone();
    let at = m.len() - 30; // inside the last entry, before the trailer
    m[at] ^= 0x40;
    let e = kind_of(&m, "changeit").unwrap_err();
    if e.kind() == "integrity" {
        assert!(
            e.to_string()
                .contains("this password opens a private key in it"),
            "{e}"
        );
    }
    // PKCS#12: the MAC value changed, right password: a modification.
    let b = read("keytool-modern.p12");
    let mut m = b.clone();
    let n = m.len();
    m[n - 30] ^= 0x01; // inside the MAC value
    let e = kind_of(&m, "changeit").unwrap_err();
    assert!(e.to_string().contains("password is right"), "{e}");
    let e = kind_of(&b, "wrong").unwrap_err();
    assert!(e.to_string().starts_with("wrong password"), "{e}");
}

// ---- writing --------------------------------------------------------------------------

fn key_pool() -> &'static [PrivateKeyEntry] {
    static POOL: std::sync::OnceLock<Vec<PrivateKeyEntry>> = std::sync::OnceLock::new();
    POOL.get_or_init(make_key_pool)
}

fn make_key_pool() -> Vec<PrivateKeyEntry> {
    let mut out = Vec::new();
    for name in ["cvp.jceks", "openssl-default.p12"] {
        let mut ks = Keystore::from_bytes(&read(name), &pw("changeit")).unwrap();
        ks.unlock_keys(&pw("changeit"));
        for e in ks.entries {
            if let EntryKind::PrivateKey(k) = e.kind {
                out.push(PrivateKeyEntry::new(k.pkcs8_der().unwrap(), k.chain.clone()).unwrap());
            }
        }
    }
    out
}

fn cert_pool() -> &'static [Certificate] {
    static POOL: std::sync::OnceLock<Vec<Certificate>> = std::sync::OnceLock::new();
    POOL.get_or_init(make_cert_pool)
}

fn make_cert_pool() -> Vec<Certificate> {
    let mut v = ccetrust::load_certificates(&read("ca.pem")).unwrap();
    v.extend(ccetrust::load_certificates(&read("leaf.pem")).unwrap());
    for (name, _) in STORES {
        let ks = Keystore::from_bytes(&read(name), &pw("changeit")).unwrap();
        for e in &ks.entries {
            v.extend(e.certificates().iter().cloned());
        }
    }
    v.sort_by(|a, b| a.der().cmp(b.der()));
    v.dedup_by(|a, b| a.der() == b.der());
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Any store we can represent writes and reads back to the same entries, in every
    /// format (PEM's names travel in its friendlyName lines).
    #[test]
    fn round_trip_in_every_format(
        picks in proptest::collection::vec((any::<bool>(), 0usize..64, "[a-z][a-z0-9 ._-]{0,12}"), 0..6),
        format in prop::sample::select(Format::ALL.to_vec()),
        legacy in any::<bool>(),
        store in "[ -~]{0,12}",
    ) {
        let keys = key_pool();
        let certs = cert_pool();
        let mut ks = Keystore::new(format);
        for (i, (is_key, n, alias)) in picks.into_iter().enumerate() {
            let alias = format!("{alias}{i}");
            if is_key {
                let _ = ks.import_key_pair(&alias, keys[n % keys.len()].clone(), Default::default()).unwrap();
            } else {
                let _ = ks.import_trusted(&alias, certs[n % certs.len()].clone(), Default::default()).unwrap();
            }
        }
        // Any password round-trips through our own reader; keytool's password rules are
        // tested in keystore_keytool_use.rs.
        let options = WriteOptions {
            allow_non_keytool_password: true,
            iterations: Some(3),
            pkcs12: Some(if legacy { ccetrust::keystore::Pkcs12Profile::Legacy } else { ccetrust::keystore::Pkcs12Profile::Modern }),
            ..Default::default()
        };
        let store = pw(&store);
        let bytes = ks.to_bytes(&store, &options).unwrap();
        let mut back = Keystore::from_bytes_as(&bytes, format, &store).unwrap();
        prop_assert_eq!(back.format, format);
        prop_assert!(back.unlock_keys(&store).is_empty());
        prop_assert_eq!(back.entries.len(), ks.entries.len());
        for e in &ks.entries {
            let b = back.entry(&e.alias).unwrap();
            prop_assert_eq!(b.kind.name(), e.kind.name());
            let want: Vec<&[u8]> = e.certificates().iter().map(|c| c.der()).collect();
            let got: Vec<&[u8]> = b.certificates().iter().map(|c| c.der()).collect();
            prop_assert_eq!(got, want);
            if let (EntryKind::PrivateKey(x), EntryKind::PrivateKey(y)) = (&e.kind, &b.kind) {
                prop_assert_eq!(x.pkcs8_der(), y.pkcs8_der());
            }
        }
    }
}

#[test]
fn save_keeps_a_backup_and_refuses_a_format_change() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cvp.jceks");
    std::fs::write(&path, read("cvp.jceks")).unwrap();
    let mut ks = Keystore::load(&path, &pw("changeit")).unwrap();
    ks.delete("ops").unwrap();
    let report = save(&path, &ks, &pw("changeit"), &SaveOptions::default()).unwrap();
    let backup = report.backup.unwrap();
    assert_eq!(std::fs::read(&backup).unwrap(), read("cvp.jceks"));
    assert_eq!(
        Keystore::load(&path, &pw("changeit"))
            .unwrap()
            .entries
            .len(),
        ks.entries.len()
    );
    // Writing JKS over the JCEKS file is refused; the file is untouched; no temp files.
    let before = std::fs::read(&path).unwrap();
    let mut as_jks = ks.clone();
    as_jks.format = Format::Jks;
    let e = save(&path, &as_jks, &pw("changeit"), &SaveOptions::default()).unwrap_err();
    assert!(e.to_string().contains("convert"), "{e}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // A write that fails (a locked key cannot be re-protected for another format) leaves
    // the original whole and no temporary file behind.
    let mut locked = Keystore::load(&path, &pw("changeit")).unwrap();
    locked.format = Format::Pkcs12;
    let opts = SaveOptions {
        allow_format_change: true,
        ..Default::default()
    };
    assert_eq!(
        save(&path, &locked, &pw("changeit"), &opts)
            .unwrap_err()
            .kind(),
        "locked"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
    // The store, its backup and the writers' lock file (kept: README, "What a write
    // guarantees").
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(
        names.iter().any(|n| n.ends_with(".ccetrust.lock")),
        "{names:?}"
    );
}

#[test]
fn jks_alias_collisions_are_reported() {
    let certs = cert_pool();
    // PEM aliases are case-sensitive (PKCS#12 finds them in any case, as keytool does).
    let mut ks = Keystore::new(Format::Pem);
    ks.import_trusted("Root", certs[0].clone(), Default::default())
        .unwrap();
    ks.import_trusted("root", certs[1].clone(), Default::default())
        .unwrap();
    assert_eq!(
        ks.alias_collisions(),
        vec![("Root".to_string(), "root".to_string())]
    );
    let e = ks.convert(Format::Jks).unwrap_err();
    assert_eq!(e.kind(), "alias");
    assert!(e.to_string().contains("lower case"), "{e}");
}
