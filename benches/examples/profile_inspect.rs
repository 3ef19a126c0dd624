//! A plain timing/profiling driver for the inspect hot path, for use under
//! `valgrind --tool=callgrind` (instruction counts are repeatable where wall time is not):
//! `cargo build --release -p ccetrust-benches --example profile_inspect`.
use der::Decode;
use std::time::Instant;
fn main() {
    let corpus = ccetrust_benches::contact_center_leaves();
    let t = Instant::now();
    let mut n = 0;
    for d in &corpus {
        if x509_cert::Certificate::from_der(d).is_ok() {
            n += 1;
        }
    }
    println!(
        "x509-cert decode: {:?} per cert ({n})",
        t.elapsed() / corpus.len() as u32
    );
    let t = Instant::now();
    for d in &corpus {
        if ccetrust::Certificate::from_der(d).is_ok() {
            n += 1;
        }
    }
    println!(
        "ccetrust from_der: {:?} per cert",
        t.elapsed() / corpus.len() as u32
    );
    let certs: Vec<_> = corpus
        .iter()
        .map(|d| ccetrust::Certificate::from_der(d).unwrap())
        .collect();
    let t = Instant::now();
    for c in &certs {
        n += c.subject().to_rfc4514().len();
    }
    println!("subject string: {:?}", t.elapsed() / corpus.len() as u32);
    let t = Instant::now();
    for c in &certs {
        n += c.public_key().bits.unwrap_or(0) as usize;
    }
    println!("public_key: {:?}", t.elapsed() / corpus.len() as u32);
    let t = Instant::now();
    for c in &certs {
        n += c.sha256()[0] as usize;
    }
    println!("sha256: {:?} {n}", t.elapsed() / corpus.len() as u32);
}
