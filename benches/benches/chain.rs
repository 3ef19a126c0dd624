//! Chain verification, side by side with rustls-webpki (ring) on the same inputs: 10,000
//! RSA-2048 server certificates under one RSA-2048 intermediate and root, made by OpenSSL
//! (`benches/data/chain/gen.sh 10000 DIR`, run on first use into `target/bench-data/`).
//! Each iteration verifies all 10,000 chains (signatures, validity, EKU, name), so chains
//! per second = 10,000 / time per iteration.
//!
//! Every contender starts from what a server sends (DER leaf and intermediate) and a trust
//! store already loaded:
//! - webpki: `EndEntityCert::try_from` + `verify_for_usage` + the name check;
//! - ccetrust, warm: `Certificate::from_der` ×2 + `chain::verify`, as a long-running caller
//!   uses it: issuer keys decoded once and the intermediate's good signature remembered
//!   across verifications (`chain::cache`), every leaf's signature checked;
//! - ccetrust, cold: the same with `chain::clear_caches()` before every chain, so every
//!   chain pays for both signatures and both key set-ups, as webpki does.
//!
//! The signatures run in ccetrust's active backend (ring here, as the CLI builds it);
//! `CCETRUST_SIGNATURE_BACKEND=pure` runs the same binary on the pure-Rust backend.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use ccetrust::chain::{self, Profile, Usage, VerifyOptions};
use ccetrust::{load_certificates, Certificate, Timestamp};
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};

const CHAINS: usize = 10_000;

/// The 10,000-leaf set under `target/bench-data/`, made by `gen.sh` if it is not there.
fn data_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../target"));
    let dir = target.join(format!("bench-data/chain-{CHAINS}"));
    if !dir.join("leaves.pem").exists() {
        eprintln!(
            "making {CHAINS} chains with openssl in {} (once)",
            dir.display()
        );
        let status = std::process::Command::new("bash")
            .arg(manifest.join("data/chain/gen.sh"))
            .arg(CHAINS.to_string())
            .arg(&dir)
            .status()
            .expect("bash and openssl are needed to make the bench inputs");
        assert!(status.success(), "gen.sh failed");
    }
    dir
}

struct Inputs {
    root: Certificate,
    ica: Certificate,
    leaves: Vec<Certificate>,
    names: Vec<String>,
    time: Timestamp,
}

fn inputs() -> Inputs {
    let dir = data_dir();
    let read = |f: &str| load_certificates(&std::fs::read(dir.join(f)).unwrap()).unwrap();
    let leaves = read("leaves.pem");
    let names = leaves
        .iter()
        .map(|c| c.subject_alt_names().dns[0].clone())
        .collect();
    let ica = read("ica.pem").remove(0);
    Inputs {
        time: ica.not_before().plus_days(30),
        root: read("root.pem").remove(0),
        ica,
        leaves,
        names,
    }
}

fn bench(c: &mut Criterion) {
    let inp = inputs();
    let n = inp.leaves.len() as u64;
    let anchors = vec![inp.root.clone()];
    let ica_der = inp.ica.der().to_vec();
    let leaf_ders: Vec<Vec<u8>> = inp.leaves.iter().map(|l| l.der().to_vec()).collect();
    let opts: Vec<VerifyOptions> = inp
        .names
        .iter()
        .map(|name| VerifyOptions {
            name: Some(name.clone()),
            time: inp.time,
            profile: Profile::Browser,
            usage: Usage::Server,
        })
        .collect();

    // Both verifiers must accept every chain before we time them.
    for (leaf, o) in inp.leaves.iter().zip(&opts) {
        let v = chain::verify(leaf, std::slice::from_ref(&inp.ica), &anchors, o);
        assert!(v.valid, "{}", v.reason);
    }
    let root_der = CertificateDer::from(inp.root.der().to_vec());
    let webpki_anchors = vec![webpki::anchor_from_trusted_cert(&root_der)
        .unwrap()
        .to_owned()];
    let ica_cd = vec![CertificateDer::from(ica_der.clone())];
    let now = UnixTime::since_unix_epoch(Duration::from_secs(inp.time.unix() as u64));
    let webpki_verify = |leaf_der: &[u8], name: &str| {
        let der = CertificateDer::from(leaf_der);
        let ee = webpki::EndEntityCert::try_from(&der).unwrap();
        ee.verify_for_usage(
            webpki::ALL_VERIFICATION_ALGS,
            &webpki_anchors,
            &ica_cd,
            now,
            webpki::KeyUsage::server_auth(),
            None,
            None,
        )
        .unwrap();
        let sn = ServerName::try_from(name).unwrap();
        ee.verify_is_valid_for_subject_name(&sn).unwrap();
    };
    for (der, name) in leaf_ders.iter().zip(&inp.names) {
        webpki_verify(der, name);
    }

    assert_eq!(leaf_ders.len(), CHAINS);
    let mut g = c.benchmark_group("chain_rsa2048_leaf+intermediate_10000");
    g.throughput(Throughput::Elements(n));
    g.sample_size(10);
    // CCETRUST_BENCH_SECS shortens the run on a shared machine (ratios stay comparable).
    let secs = std::env::var("CCETRUST_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    g.measurement_time(Duration::from_secs(secs));
    g.bench_function("webpki_ring_from_der", |b| {
        b.iter(|| {
            for (der, name) in leaf_ders.iter().zip(&inp.names) {
                webpki_verify(der, name);
            }
        })
    });
    g.bench_function("ccetrust_from_der_warm", |b| {
        b.iter(|| {
            for (der, o) in leaf_ders.iter().zip(&opts) {
                let leaf = Certificate::from_der(der).unwrap();
                let ica = Certificate::from_der(&ica_der).unwrap();
                let v = chain::verify(&leaf, std::slice::from_ref(&ica), &anchors, o);
                black_box(v.valid);
            }
        })
    });
    g.bench_function("ccetrust_from_der_cold", |b| {
        b.iter(|| {
            for (der, o) in leaf_ders.iter().zip(&opts) {
                chain::clear_caches();
                let leaf = Certificate::from_der(der).unwrap();
                let ica = Certificate::from_der(&ica_der).unwrap();
                let v = chain::verify(&leaf, std::slice::from_ref(&ica), &anchors, o);
                black_box(v.valid);
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
