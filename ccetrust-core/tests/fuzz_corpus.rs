//! Replays every input kept under `fuzz/corpus/<target>/` and `fuzz/artifacts/<target>/`
//! (past crashes) through the same code the fuzz targets drive, so a regression fails
//! `cargo test` on stable without a fuzzer.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use std::path::Path;

fn replay(target: &str, run: impl Fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut n = 0;
    for dir in ["corpus", "artifacts"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for e in entries.flatten() {
            if let Ok(bytes) = std::fs::read(e.path()) {
                run(&bytes);
                n += 1;
            }
        }
    }
    n
}

#[test]
fn cert_der() {
    let n = replay("cert_der", |d| {
        if let Ok(c) = ccetrust::Certificate::from_der(d) {
            let _ = ccetrust::report::certificate_json(&c, "fuzz", 0);
            let _ = ccetrust::report::certificate_text(&c, "fuzz", 0);
        }
    });
    assert!(n > 0, "the cert_der corpus is empty");
}

#[test]
fn load_any() {
    let n = replay("load_any", |d| {
        if let Ok(l) = ccetrust::load(d) {
            for c in &l.certificates {
                let _ = c.subject().to_rfc4514();
            }
        }
    });
    assert!(n > 0, "the load_any corpus is empty");
}

#[test]
fn pkcs7() {
    let n = replay("pkcs7", |d| {
        let _ = ccetrust::cert::pkcs7::certificates(d);
    });
    assert!(n > 0, "the pkcs7 corpus is empty");
}

#[test]
fn csr() {
    let n = replay("csr", |d| {
        if let Ok(c) = ccetrust::CertificateRequest::from_der(d) {
            let _ = c.signature_valid();
            let _ = ccetrust::report::csr_json(&c, "fuzz", 0);
        }
    });
    assert!(n > 0, "the csr corpus is empty");
}

#[test]
fn inventory() {
    // As fuzz/fuzz_targets/inventory.rs: an inventory, or an error whose line, column and
    // offset are inside the text.
    let n = replay("inventory", |d| {
        if let Ok(text) = std::str::from_utf8(d) {
            match ccetrust::cce::Inventory::parse(text, Path::new(".")) {
                Ok(inv) => {
                    assert!(inv
                        .hosts
                        .iter()
                        .all(|h| !h.roles.is_empty() && !h.fqdn.is_empty()));
                }
                Err(e) => {
                    assert!(e.line >= 1 && e.column >= 1, "{e}");
                    assert!(e.offset <= text.len(), "{e}");
                    assert!(e.line <= text.lines().count().max(1), "{e}");
                }
            }
        }
    });
    assert!(n > 0, "the inventory corpus is empty");
}
