//! Issue 17's inspect figures on its two corpora, side by side with x509-parser in one run:
//! 10,000 RSA-2048 leaves of about 1,280 bytes under an RSA-2048 intermediate and an RSA-4096
//! root, and the certifi + JDK roots (about 260). The work per certificate is the issue's
//! first row: parse, subject and issuer (RFC 4514), notAfter, SAN DNS names, key bits and
//! SHA-256. Corpora: `benches/data/corpora/gen.sh` (recipe there), made under
//! `target/bench-data/` on first use.
//!
//! Short measurement times (the machine has 2 shared cores): compare the ratio within a run.

#[path = "support/inspect_work.rs"]
mod inspect_work;
use inspect_work::{ccetrust_row, x509_parser_row};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

const LEAVES: usize = 10_000;

fn data_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../target"));
    let dir = target.join(format!("bench-data/corpora-{LEAVES}"));
    if !dir.join("roots.pem").exists() {
        eprintln!("making the corpora in {} (once)", dir.display());
        let status = std::process::Command::new("bash")
            .arg(manifest.join("data/corpora/gen.sh"))
            .arg(LEAVES.to_string())
            .arg(&dir)
            .status()
            .expect("bash, openssl, python3 (certifi) and keytool make the corpora");
        assert!(status.success(), "gen.sh failed");
    }
    dir
}

fn ders(path: &Path) -> Vec<Vec<u8>> {
    let bytes = std::fs::read(path).unwrap();
    ccetrust::cert::pem::parse_blocks(&bytes)
        .unwrap()
        .into_iter()
        .map(|b| b.der)
        .collect()
}

fn bench(c: &mut Criterion) {
    let dir = data_dir();
    for (group, corpus) in [
        ("row1_10k_leaves", ders(&dir.join("leaves.pem"))),
        ("row1_certifi_jdk_roots", ders(&dir.join("roots.pem"))),
    ] {
        // Both must read every certificate, or the comparison is unfair.
        let readable: Vec<Vec<u8>> = corpus
            .into_iter()
            .filter(|d| x509_parser_row(d) > 0)
            .collect();
        assert!(readable.iter().all(|d| ccetrust_row(d) > 0), "{group}");
        eprintln!("{group}: {} certificates", readable.len());
        let mut g = c.benchmark_group(group);
        g.throughput(Throughput::Elements(readable.len() as u64));
        g.sample_size(10);
        g.warm_up_time(Duration::from_millis(500));
        g.measurement_time(Duration::from_secs(3));
        g.bench_function("ccetrust", |b| {
            b.iter(|| {
                readable
                    .iter()
                    .map(|d| ccetrust_row(black_box(d)))
                    .sum::<usize>()
            })
        });
        g.bench_function("x509-parser", |b| {
            b.iter(|| {
                readable
                    .iter()
                    .map(|d| x509_parser_row(black_box(d)))
                    .sum::<usize>()
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
