//! The inspect bench's work, one contender at a time, for `valgrind --tool=callgrind`
//! (instruction counts are repeatable where wall time on a shared machine is not):
//! `cargo build --release -p ccetrust-benches --example profile_inspect_all`, then
//! `valgrind --tool=callgrind target/release/examples/profile_inspect_all ccetrust 1`.
//! The per-certificate functions are copies of those in `benches/inspect.rs`.
use sha2::{Digest, Sha256};
use std::hint::black_box;
use std::time::Instant;

fn ccetrust_inspect(der: &[u8]) -> usize {
    let Ok(c) = ccetrust::Certificate::from_der(der) else {
        return 0;
    };
    let mut n = c.subject().to_rfc4514().len() + c.issuer().to_rfc4514().len();
    n += c.serial_hex().len();
    n += (c.not_before().unix() ^ c.not_after().unix()) as usize & 1;
    n += c.san().map(|s| s.dns.len() + s.ip.len()).unwrap_or(0);
    n += c.public_key().bits.unwrap_or(0) as usize;
    n += c.signature_algorithm().len();
    n += c.is_ca() as usize + c.path_len().unwrap_or(0) as usize;
    n += c.key_usage().map(|k| k.bits() as usize).unwrap_or(0);
    n += c.extended_key_usage().len();
    n += c.extension_list().len();
    n + c.sha256()[0] as usize
}

fn x509_parser_inspect(der: &[u8]) -> usize {
    use x509_parser::prelude::*;
    let Ok((_, c)) = parse_x509_certificate(der) else {
        return 0;
    };
    let mut n = c.subject().to_string().len() + c.issuer().to_string().len();
    n += c.raw_serial_as_string().len();
    n += (c.validity().not_before.timestamp() ^ c.validity().not_after.timestamp()) as usize & 1;
    if let Ok(Some(san)) = c.subject_alternative_name() {
        n += san.value.general_names.len();
    }
    if let Ok(pk) = c.public_key().parsed() {
        n += pk.key_size();
    }
    n += c.signature_algorithm.algorithm.to_id_string().len();
    if let Ok(Some(bc)) = c.basic_constraints() {
        n += bc.value.ca as usize;
    }
    if let Ok(Some(ku)) = c.key_usage() {
        n += ku.value.flags as usize;
    }
    if let Ok(Some(eku)) = c.extended_key_usage() {
        n += eku.value.server_auth as usize + eku.value.other.len();
    }
    n += c.extensions().len();
    n + Sha256::digest(der)[0] as usize
}

fn main() {
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_else(|| "ccetrust".into());
    let rounds: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let corpus = ccetrust_benches::contact_center_leaves();
    let f: fn(&[u8]) -> usize = match which.as_str() {
        "ccetrust" => ccetrust_inspect,
        "x509-parser" => x509_parser_inspect,
        "sha256" => |d| Sha256::digest(d)[0] as usize,
        other => panic!("unknown contender {other}"),
    };
    let t = Instant::now();
    let mut n = 0;
    for _ in 0..rounds {
        n += corpus.iter().map(|d| f(black_box(d))).sum::<usize>();
    }
    let per = t.elapsed() / (rounds * corpus.len()) as u32;
    println!("{which}: {per:?} per certificate ({n})");
}
