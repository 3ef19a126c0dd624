//! Chain verification, side by side with rustls-webpki (ring) on the same inputs: 100
//! RSA-2048 server certificates under one RSA-2048 intermediate and root
//! (`benches/data/chain/gen.sh`). Each iteration verifies all 100 chains (signatures,
//! validity, EKU, name), so chains per second = 100 / time per iteration.
//!
//! Three variants, all starting from what a server sends (DER) and a trust store already
//! loaded: ccetrust from DER (parse leaf + intermediate, then verify), ccetrust from parsed
//! certificates (the `chain::verify` API alone), and webpki from DER (its parse is zero-copy).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use ccetrust::chain::{self, Profile, Usage, VerifyOptions};
use ccetrust::{load_certificates, Certificate, Timestamp};
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};

struct Inputs {
    root: Certificate,
    ica: Certificate,
    leaves: Vec<Certificate>,
    names: Vec<String>,
    time: Timestamp,
}

fn inputs() -> Inputs {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/chain");
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

    let mut g = c.benchmark_group("chain_rsa2048_leaf+intermediate");
    g.throughput(Throughput::Elements(n));
    g.sample_size(20);
    g.bench_function("ccetrust_from_der", |b| {
        b.iter(|| {
            for (der, o) in leaf_ders.iter().zip(&opts) {
                let leaf = Certificate::from_der(der).unwrap();
                let ica = Certificate::from_der(&ica_der).unwrap();
                let v = chain::verify(&leaf, std::slice::from_ref(&ica), &anchors, o);
                black_box(v.valid);
            }
        })
    });
    g.bench_function("ccetrust_parsed", |b| {
        b.iter(|| {
            for (leaf, o) in inp.leaves.iter().zip(&opts) {
                let v = chain::verify(leaf, std::slice::from_ref(&inp.ica), &anchors, o);
                black_box(v.valid);
            }
        })
    });
    g.bench_function("webpki_ring_from_der", |b| {
        b.iter(|| {
            for (der, name) in leaf_ders.iter().zip(&inp.names) {
                webpki_verify(der, name);
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
