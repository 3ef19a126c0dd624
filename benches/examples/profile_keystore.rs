//! The keystore bench's JKS job (load + parse a 1,000-certificate JKS) as a plain loop, for
//! `valgrind --tool=callgrind` or a quick timing:
//! `cargo build --release -p ccetrust-benches --example profile_keystore`, then
//! `target/release/examples/profile_keystore 200` (rounds). The store is built as in
//! `benches/keystore.rs`: the JDK's cacerts certificates, cycled, under 1,000 aliases.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ccetrust::keystore::{Entry, Format, Keystore, Password, WriteOptions};
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let rounds: u32 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let pw = Password::new("changeit");
    let cacerts = std::fs::read("/etc/ssl/certs/java/cacerts").expect("the JDK's cacerts");
    let certs: Vec<_> = Keystore::from_bytes(&cacerts, &pw)
        .unwrap()
        .trusted_certificates()
        .map(|(_, c)| c.clone())
        .collect();
    let mut ks = Keystore::new(Format::Jks);
    for i in 0..1000 {
        ks.entries.push(Entry::trusted(
            format!("ca-{i}"),
            certs[i % certs.len()].clone(),
        ));
    }
    let jks = ks.to_bytes(&pw, &WriteOptions::default()).unwrap();
    let t = Instant::now();
    for _ in 0..rounds {
        let ks = Keystore::from_bytes(black_box(&jks), &pw).unwrap();
        assert_eq!(ks.entries.len(), 1000);
    }
    println!(
        "jks 1,000 certificates: {:?} per load ({} bytes)",
        t.elapsed() / rounds,
        jks.len()
    );
}
