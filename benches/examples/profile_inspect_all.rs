//! The inspect bench's work, one contender at a time, for `valgrind --tool=callgrind`
//! (instruction counts are repeatable where wall time on a shared machine is not):
//! `cargo build --release -p ccetrust-benches --example profile_inspect_all`, then
//! `valgrind --tool=callgrind target/release/examples/profile_inspect_all ccetrust 1`.
//! The per-certificate functions are the bench's own (`benches/support/inspect_work.rs`).
#[path = "../benches/support/inspect_work.rs"]
mod inspect_work;
use inspect_work::{ccetrust_inspect, x509_parser_inspect};
use sha2::{Digest, Sha256};
use std::hint::black_box;
use std::time::Instant;

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
