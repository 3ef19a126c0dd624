//! Keystore benches, side by side with the reference figures in benches/README.md:
//! load + parse a 1,000-certificate JKS, unlock the 3 private keys of a keytool 17 JCEKS
//! (200,000 PBE iterations each), load a 1,000-certificate PKCS#12 (keytool 17's scheme).

#![allow(clippy::unwrap_used, clippy::expect_used)] // benches may panic on broken fixtures

use std::path::{Path, PathBuf};

use ccetrust::keystore::{Entry, Format, Keystore, Password, WriteOptions};
use ccetrust::Certificate;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data/keystore")
        .join(name)
}

/// Real certificates: the JDK's cacerts when present, else the fixtures' certificates.
fn certificates() -> Vec<Certificate> {
    for p in ["/etc/ssl/certs/java/cacerts"] {
        if let Ok(b) = std::fs::read(p) {
            if let Ok(ks) = Keystore::from_bytes(&b, &Password::new("changeit")) {
                return ks.trusted_certificates().map(|(_, c)| c.clone()).collect();
            }
        }
    }
    let ks = Keystore::from_bytes(
        &std::fs::read(data("ece.jks")).unwrap(),
        &Password::new("changeit"),
    )
    .unwrap();
    ks.entries
        .iter()
        .flat_map(|e| e.certificates().to_vec())
        .collect()
}

fn store_of(format: Format, n: usize) -> Vec<u8> {
    let certs = certificates();
    let mut ks = Keystore::new(format);
    for i in 0..n {
        ks.entries.push(Entry::trusted(
            format!("ca-{i}"),
            certs[i % certs.len()].clone(),
        ));
    }
    ks.to_bytes(&Password::new("changeit"), &WriteOptions::default())
        .unwrap()
}

fn benches(c: &mut Criterion) {
    let pw = Password::new("changeit");

    let jks = store_of(Format::Jks, 1000);
    c.bench_function("jks_1000_certs_load_parse", |b| {
        b.iter(|| {
            let ks = Keystore::from_bytes(std::hint::black_box(&jks), &pw).unwrap();
            assert_eq!(ks.entries.len(), 1000);
        })
    });

    // The share of certificate decoding in the JKS figure: the same 1,000 DER blobs alone.
    let ders: Vec<Vec<u8>> = {
        let certs = certificates();
        (0..1000)
            .map(|i| certs[i % certs.len()].der().to_vec())
            .collect()
    };
    c.bench_function("certificate_from_der_1000", |b| {
        b.iter(|| {
            for d in &ders {
                std::hint::black_box(Certificate::from_der(d).unwrap());
            }
        })
    });

    let p12 = store_of(Format::Pkcs12, 1000);
    c.bench_function("pkcs12_1000_certs_load", |b| {
        b.iter(|| {
            let ks = Keystore::from_bytes(std::hint::black_box(&p12), &pw).unwrap();
            assert_eq!(ks.entries.len(), 1000);
        })
    });

    let jceks = Keystore::from_bytes(&std::fs::read(data("cvp.jceks")).unwrap(), &pw).unwrap();
    let mut g = c.benchmark_group("jceks");
    g.sample_size(10);
    g.bench_function("jceks_keytool17_3_keys_unlock", |b| {
        b.iter_batched(
            || jceks.clone(),
            |mut ks| {
                assert!(ks.unlock_keys(&pw).is_empty());
                ks
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(keystore, benches);
criterion_main!(keystore);
