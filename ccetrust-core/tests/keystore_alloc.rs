//! No keystore parse allocates far beyond the size of its input: every length read from a
//! file is checked against what is left before anything is allocated. The global allocator
//! is capped around each parse; going over the cap aborts this test binary (a failure).
//! One test only in this binary, so nothing else allocates meanwhile.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use std::alloc::System;
use std::path::Path;

use cap::Cap;
use ccetrust::keystore::{Keystore, Password};

#[global_allocator]
static ALLOCATOR: Cap<System> = Cap::new(System, usize::MAX);

/// Allowed growth for an input of `len` bytes: a small multiple of the file (the model holds
/// the file's certificates decoded, next to their DER) plus a fixed allowance.
fn budget(len: usize) -> usize {
    8 * len + 256 * 1024
}

fn parse_capped(bytes: &[u8]) {
    let pw = Password::new("changeit");
    let base = ALLOCATOR.allocated();
    ALLOCATOR.set_limit(base + budget(bytes.len())).unwrap();
    let r = Keystore::from_bytes(bytes, &pw);
    let unverified = Keystore::from_bytes_unverified(bytes);
    drop((r, unverified));
    ALLOCATOR.set_limit(usize::MAX).unwrap();
}

#[test]
fn parses_stay_within_a_multiple_of_the_input() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/keystore");
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    for name in [
        "cvp.jceks",
        "ece.jks",
        "keytool-modern.p12",
        "keytool-legacy.p12",
        "openssl-default.p12",
        "openssl-legacy.p12",
        "leaf-chain.pem",
    ] {
        let b = std::fs::read(dir.join(name)).unwrap();
        // The file, truncations, and single-byte damage at a spread of offsets.
        for n in (0..b.len()).step_by((b.len() / 16).max(1)) {
            inputs.push(b[..n].to_vec());
            let mut c = b.clone();
            c[n] = 0xff;
            inputs.push(c);
        }
        inputs.push(b);
    }
    // Hostile lengths: 2^31 entries, a 2 GiB certificate, a 2 GiB DER element, a 2^31-
    // element serialized array inside a JCEKS secret key.
    let mut jks = vec![0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0x7f, 0xff, 0xff, 0xff];
    jks.extend_from_slice(&[0; 40]);
    inputs.push(jks);
    let mut jks = vec![
        0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 1, b'a',
    ];
    jks.extend_from_slice(&[0; 8]);
    jks.extend_from_slice(&[0, 5]);
    jks.extend_from_slice(b"X.509");
    jks.extend_from_slice(&[0x7f, 0xff, 0xff, 0xff]);
    jks.extend_from_slice(&[0; 20]);
    inputs.push(jks);
    inputs.push(vec![0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x02, 0x01, 0x03]);
    let mut jceks = vec![
        0xce, 0xce, 0xce, 0xce, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 3, 0, 1, b's',
    ];
    jceks.extend_from_slice(&[0; 8]);
    // ACED0005, TC_ARRAY, TC_CLASSDESC "[B" uid flags 0 fields, TC_ENDBLOCKDATA, TC_NULL, length 2^31-1
    jceks.extend_from_slice(&[0xac, 0xed, 0x00, 0x05, 0x75, 0x72, 0x00, 0x02, b'[', b'B']);
    jceks.extend_from_slice(&[0; 8]);
    jceks.extend_from_slice(&[0x02, 0x00, 0x00, 0x78, 0x70, 0x7f, 0xff, 0xff, 0xff]);
    jceks.extend_from_slice(&[0; 20]);
    inputs.push(jceks);
    for input in &inputs {
        parse_capped(input);
    }
}
