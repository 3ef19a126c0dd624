//! Paired timings, robust to a busy machine: each chain (or signature) is verified by
//! ccetrust and by the reference right after each other, thousands of times, and the
//! quantiles of both series are compared. The criterion bench (`benches/chain.rs`) times
//! each contender in its own block, so load that comes and goes during a run shifts its
//! ratio; here both sides see the same load.
//!
//! `cargo run --release -p ccetrust-benches --example paired [ROUNDS]` on the 100 chains of
//! `benches/data/chain` (made by its `gen.sh`):
//! - `chain warm`: `Certificate::from_der` ×2 + `chain::verify` against rustls-webpki's
//!   `EndEntityCert::try_from` + `verify_for_usage` + name check (the criterion bench's
//!   work per chain);
//! - `chain cold`: the same after `chain::clear_caches()` (both signatures and both key
//!   set-ups every time, as webpki does);
//! - `signature`: one RSA-2048 PKCS#1 v1.5 SHA-256 signature with the key set up each
//!   time, `cert::verify_signature` against ring's `UnparsedPublicKey::verify` (the RSA
//!   code webpki uses: `mulx`/`adcx`/`adox` assembly where the CPU has them).
use ccetrust::chain::{self, Profile, Usage, VerifyOptions};
use ccetrust::{load_certificates, Certificate};
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};
use std::path::Path;
use std::time::{Duration, Instant};

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/chain");
    let read = |f: &str| load_certificates(&std::fs::read(dir.join(f)).unwrap()).unwrap();
    let (leaves, ica, anchors) = (read("leaves.pem"), read("ica.pem"), read("root.pem"));
    for cold in [false, true] {
        let (ours, theirs) = chains(&leaves, &ica[0], &anchors, rounds, cold);
        report(if cold { "chain cold" } else { "chain warm" }, ours, theirs);
    }
    let (ours, theirs) = signatures(&leaves[0], &ica[0], rounds * leaves.len());
    report("signature", ours, theirs);
}

/// Prints the 10 %, 25 % and 50 % quantiles of both series and webpki's time over ours
/// (above 1: ccetrust is faster).
fn report(what: &str, mut ours: Vec<Duration>, mut theirs: Vec<Duration>) {
    ours.sort();
    theirs.sort();
    for q in [0.10, 0.25, 0.50] {
        let i = (q * ours.len() as f64) as usize;
        println!(
            "{what:<10} q{:<2} ccetrust {:>9.2?}  reference {:>9.2?}  reference/ccetrust {:.2}",
            (q * 100.0) as u32,
            ours[i],
            theirs[i],
            theirs[i].as_secs_f64() / ours[i].as_secs_f64()
        );
    }
}

fn chains(
    leaves: &[Certificate],
    ica: &Certificate,
    anchors: &[Certificate],
    rounds: usize,
    cold: bool,
) -> (Vec<Duration>, Vec<Duration>) {
    let time = ica.not_before().plus_days(30);
    let root_der = CertificateDer::from(anchors[0].der().to_vec());
    let webpki_anchors = vec![webpki::anchor_from_trusted_cert(&root_der)
        .unwrap()
        .to_owned()];
    let webpki_ica = vec![CertificateDer::from(ica.der().to_vec())];
    let now = UnixTime::since_unix_epoch(Duration::from_secs(time.unix() as u64));
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        for leaf in leaves {
            let name = leaf.subject_alt_names().dns[0].clone();
            if cold {
                chain::clear_caches();
            }
            let t = Instant::now();
            let l = Certificate::from_der(leaf.der()).unwrap();
            let i = Certificate::from_der(ica.der()).unwrap();
            let o = VerifyOptions {
                name: Some(name.clone()),
                time,
                profile: Profile::Browser,
                usage: Usage::Server,
            };
            assert!(chain::verify(&l, std::slice::from_ref(&i), anchors, &o).valid);
            ours.push(t.elapsed());
            let t = Instant::now();
            let der = CertificateDer::from(leaf.der());
            let ee = webpki::EndEntityCert::try_from(&der).unwrap();
            assert!(ee
                .verify_for_usage(
                    webpki::ALL_VERIFICATION_ALGS,
                    &webpki_anchors,
                    &webpki_ica,
                    now,
                    webpki::KeyUsage::server_auth(),
                    None,
                    None,
                )
                .is_ok());
            assert!(ee
                .verify_is_valid_for_subject_name(&ServerName::try_from(name.as_str()).unwrap())
                .is_ok());
            theirs.push(t.elapsed());
        }
    }
    (ours, theirs)
}

fn signatures(leaf: &Certificate, ica: &Certificate, n: usize) -> (Vec<Duration>, Vec<Duration>) {
    let x = leaf.as_x509().unwrap();
    let spki = ica
        .as_x509()
        .unwrap()
        .tbs_certificate()
        .subject_public_key_info()
        .clone();
    let (tbs, sig, alg) = (
        leaf.tbs_der(),
        x.signature().raw_bytes(),
        x.signature_algorithm(),
    );
    let key_bits = spki.subject_public_key.raw_bytes();
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..n {
        let t = Instant::now();
        assert!(ccetrust::cert::verify_signature(alg, &spki, tbs, sig).is_ok());
        ours.push(t.elapsed());
        let t = Instant::now();
        let key = ring::signature::UnparsedPublicKey::new(
            &ring::signature::RSA_PKCS1_2048_8192_SHA256,
            key_bits,
        );
        assert!(key.verify(tbs, sig).is_ok());
        theirs.push(t.elapsed());
    }
    (ours, theirs)
}
