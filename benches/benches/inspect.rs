//! "Inspect" a corpus of 10,000 RSA-2048 contact-center leaves: parse, then read subject,
//! issuer, serial, validity, SANs, public key, signature algorithm, basic constraints, key
//! usage, extended key usage, the extension list and the SHA-256 fingerprint — the fields
//! `ccetrust inspect` prints. Side by side with `x509-parser` and `x509-cert` doing the same.

#[path = "support/inspect_work.rs"]
mod inspect_work;
use inspect_work::{ccetrust_inspect, x509_cert_inspect, x509_parser_inspect};
use sha2::{Digest, Sha256};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let corpus = ccetrust_benches::contact_center_leaves();
    assert_eq!(corpus.len(), 10_000, "run tests/data/bench/gen.sh");
    // All three must read every certificate, or the comparison is unfair.
    assert!(corpus.iter().all(|d| ccetrust_inspect(d) > 0
        && x509_parser_inspect(d) > 0
        && x509_cert_inspect(d) > 0));
    let mut g = c.benchmark_group("inspect_10k_leaves");
    g.throughput(Throughput::Elements(corpus.len() as u64));
    g.sample_size(10);
    g.bench_function("ccetrust", |b| {
        b.iter(|| {
            corpus
                .iter()
                .map(|d| ccetrust_inspect(black_box(d)))
                .sum::<usize>()
        })
    });
    g.bench_function("x509-parser", |b| {
        b.iter(|| {
            corpus
                .iter()
                .map(|d| x509_parser_inspect(black_box(d)))
                .sum::<usize>()
        })
    });
    g.bench_function("x509-cert", |b| {
        b.iter(|| {
            corpus
                .iter()
                .map(|d| x509_cert_inspect(black_box(d)))
                .sum::<usize>()
        })
    });
    g.bench_function("sha256-only", |b| {
        b.iter(|| {
            corpus
                .iter()
                .map(|d| Sha256::digest(black_box(d))[0] as usize)
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
