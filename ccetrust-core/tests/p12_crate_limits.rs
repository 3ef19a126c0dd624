//! Why ccetrust does not use the `p12` 0.6 crate the design card names: it cannot read the
//! PKCS#12 files JDK 17 keytool and OpenSSL 3 write by default (PBES2/AES-256, HMAC-SHA256
//! MAC), only the legacy scheme (on the modern MAC it fails, or panics in debug builds).
//! The same fixtures read fully with ccetrust.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use std::path::Path;

use ccetrust::keystore::{Keystore, Password};

fn read(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/data/keystore")
            .join(name),
    )
    .unwrap()
}

#[test]
fn p12_0_6_reads_legacy_but_not_modern_pkcs12() {
    // Legacy (openssl -legacy): p12 verifies the MAC and finds the key.
    let legacy = p12::PFX::parse(&read("openssl-legacy.p12")).unwrap();
    assert!(legacy.verify_mac("changeit"));
    assert_eq!(legacy.key_bags("changeit").unwrap().len(), 1);
    // Modern (keytool 17 and openssl 3 defaults): the MAC does not verify and no key or
    // certificate comes out.
    for name in ["keytool-modern.p12", "openssl-default.p12"] {
        let b = read(name);
        let parsed = p12::PFX::parse(&b);
        // (In debug builds p12 0.6 even panics on the SHA-256 MAC: a debug_assert.)
        let usable = parsed.as_ref().is_ok_and(|pfx| {
            std::panic::catch_unwind(|| {
                pfx.verify_mac("changeit") && pfx.key_bags("changeit").is_ok_and(|k| !k.is_empty())
            })
            .unwrap_or(false)
        });
        assert!(!usable, "{name}: p12 0.6 read it after all");
        let mut ks = Keystore::from_bytes(&b, &Password::new("changeit")).unwrap();
        assert!(
            ks.unlock_keys(&Password::new("changeit")).is_empty(),
            "{name}"
        );
    }
}
