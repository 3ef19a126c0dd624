//! A plain driver for the chain-verification hot path, for `perf record` or
//! `valgrind --tool=callgrind`: verifies the 100 bench chains (`benches/data/chain`) many
//! times. `cargo build --release -p ccetrust-benches --example profile_chain`, then
//! `profile_chain [ROUNDS] [webpki|cold|der]`: `webpki` runs rustls-webpki instead, so that
//! instruction counts of both can be compared under callgrind; `cold` empties ccetrust's
//! key and signature caches before every chain; `der` parses leaf and intermediate from DER
//! for every chain, as the criterion bench does.
use ccetrust::chain::{self, Profile, Usage, VerifyOptions};
use ccetrust::load_certificates;
use std::path::Path;
use std::time::Instant;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/chain");
    let read = |f: &str| load_certificates(&std::fs::read(dir.join(f)).unwrap()).unwrap();
    let leaves = read("leaves.pem");
    let ica = read("ica.pem");
    let anchors = read("root.pem");
    let time = ica[0].not_before().plus_days(30);
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20);
    if std::env::args().nth(2).as_deref() == Some("webpki") {
        return webpki_rounds(&leaves, &ica[0], &anchors[0], time, rounds);
    }
    let mode = std::env::args().nth(2).unwrap_or_default();
    let cold = mode == "cold";
    let from_der = mode == "der";
    let t = Instant::now();
    let mut ok = 0;
    for _ in 0..rounds {
        for leaf in &leaves {
            if cold {
                chain::clear_caches();
            }
            let o = VerifyOptions {
                name: Some(leaf.subject_alt_names().dns[0].clone()),
                time,
                profile: Profile::Browser,
                usage: Usage::Server,
            };
            ok += if from_der {
                let leaf = ccetrust::Certificate::from_der(leaf.der()).unwrap();
                let ica = ccetrust::Certificate::from_der(ica[0].der()).unwrap();
                chain::verify(&leaf, std::slice::from_ref(&ica), &anchors, &o).valid
            } else {
                chain::verify(leaf, &ica, &anchors, &o).valid
            } as usize;
        }
    }
    let n = rounds * leaves.len();
    println!("{ok}/{n} valid, {:?} per chain", t.elapsed() / n as u32);
}

fn webpki_rounds(
    leaves: &[ccetrust::Certificate],
    ica: &ccetrust::Certificate,
    root: &ccetrust::Certificate,
    time: ccetrust::Timestamp,
    rounds: usize,
) {
    use rustls_pki_types::{CertificateDer, ServerName, UnixTime};
    let root_der = CertificateDer::from(root.der().to_vec());
    let anchors = vec![webpki::anchor_from_trusted_cert(&root_der)
        .unwrap()
        .to_owned()];
    let ica = vec![CertificateDer::from(ica.der().to_vec())];
    let now = UnixTime::since_unix_epoch(std::time::Duration::from_secs(time.unix() as u64));
    let t = Instant::now();
    let mut ok = 0;
    for _ in 0..rounds {
        for leaf in leaves {
            let der = CertificateDer::from(leaf.der());
            let ee = webpki::EndEntityCert::try_from(&der).unwrap();
            let name = leaf.subject_alt_names().dns[0].clone();
            let valid = ee
                .verify_for_usage(
                    webpki::ALL_VERIFICATION_ALGS,
                    &anchors,
                    &ica,
                    now,
                    webpki::KeyUsage::server_auth(),
                    None,
                    None,
                )
                .is_ok()
                && ee
                    .verify_is_valid_for_subject_name(&ServerName::try_from(name.as_str()).unwrap())
                    .is_ok();
            ok += valid as usize;
        }
    }
    let n = rounds * leaves.len();
    println!(
        "webpki: {ok}/{n} valid, {:?} per chain",
        t.elapsed() / n as u32
    );
}
