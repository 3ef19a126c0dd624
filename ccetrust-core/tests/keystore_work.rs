//! PKCS#12 key derivation work (issue 12): a PBE, PBKDF2 or MAC asking for more
//! iterations than keytool accepts (5,000,000, OpenJDK `PKCS12KeyStore`'s
//! `MAX_ITERATION_COUNT`: "iteration count too large") is refused before it runs, naming
//! what asked (the MAC, an alias) and the limit; a file of thirty such keys with a valid
//! MAC is listed in well under a second. The fixtures are made by OpenSSL 3
//! (`tests/data/keystore/work/gen.sh`), with keytool's answer beside each.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use ccetrust::keystore::{EntryKind, Keystore, Password, WriteOptions};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data/keystore/work")
        .join(name)
}

fn pw() -> Password {
    Password::new("changeit")
}

#[test]
fn a_mac_over_keytools_limit_is_refused_at_once_as_keytool_does() {
    let start = Instant::now();
    let e = Keystore::load(&fixture("iter-9999999.p12"), &pw()).unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(e.kind(), "work_limit", "{e}");
    let m = e.to_string();
    assert!(
        m.contains("the MAC") && m.contains("9999999") && m.contains("5000000"),
        "{m}"
    );
    // keytool refuses the same file (its answer, recorded by gen.sh).
    let kt = std::fs::read_to_string(fixture("iter-9999999.p12.keytool.txt")).unwrap();
    assert!(kt.contains("iteration count too large"), "{kt}");
}

#[test]
fn a_key_over_keytools_limit_stays_locked_and_names_its_alias() {
    let mut ks = Keystore::load(&fixture("key-iter-9999999.p12"), &pw()).unwrap();
    let start = Instant::now();
    let failed = ks.unlock_keys(&pw());
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(failed.len(), 1);
    let (alias, e) = &failed[0];
    assert_eq!(alias, "hostile");
    assert_eq!(e.kind(), "work_limit", "{e}");
    let m = e.to_string();
    assert!(
        m.contains("alias 'hostile'") && m.contains("5000000"),
        "{m}"
    );
}

/// Thirty shrouded key bags at 9,999,999 PBKDF2 iterations, with a valid MAC (10,000
/// iterations): the file of the issue, where `keystore list` took 51 seconds.
fn thirty_hostile_keys(dir: &std::path::Path) -> PathBuf {
    let mut ks = Keystore::load(&fixture("key-iter-9999999.p12"), &pw()).unwrap();
    let one = ks.entries.remove(0);
    for i in 0..30 {
        let mut e = one.clone();
        e.alias = format!("key-{i:02}");
        if let EntryKind::PrivateKey(k) = &mut e.kind {
            assert!(!k.is_unlocked());
        }
        ks.entries.push(e);
    }
    // Locked keys under the same password are written back as stored.
    let bytes = ks.to_bytes(&pw(), &WriteOptions::default()).unwrap();
    let p = dir.join("thirty.p12");
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn thirty_keys_at_9999999_iterations_are_refused_in_under_a_second() {
    let dir = tempfile::tempdir().unwrap();
    let p = thirty_hostile_keys(dir.path());
    let start = Instant::now();
    let mut ks = Keystore::load(&p, &pw()).unwrap();
    let failed = ks.unlock_keys(&pw());
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(failed.len(), 30);
    for (i, (alias, e)) in failed.iter().enumerate() {
        assert_eq!(alias, &format!("key-{i:02}"));
        assert_eq!(e.kind(), "work_limit");
    }
    // The CLI says the same, per alias, as quickly.
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_ccetrust"))
        .args(["keystore", "list", "--storepass-env", "KS_PW"])
        .arg(&p)
        .env("KS_PW", "changeit")
        .output()
        .unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        text.matches("are more than the 5000000 keytool accepts")
            .count(),
        30,
        "{text}"
    );
    assert!(text.contains("alias 'key-29'"), "{text}");
}
