//! Replays `fuzz/corpus/chain_build/` and `fuzz/artifacts/chain_build/` (past crashes)
//! through the chain fuzz driver, on stable Rust, with the fuzz target's certificate pool.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use std::path::Path;

const FIXTURES: &[&str] = &[
    "ece",
    "issuing",
    "issuing-old",
    "root",
    "sub",
    "deep",
    "constrained",
    "nc-ok",
    "nc-bad",
    "cvp",
    "sha1",
    "client",
    "ec-root",
    "ec-leaf",
    "ed-root",
    "ed-leaf",
];

#[test]
fn chain_build_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let pool: Vec<ccetrust::Certificate> = FIXTURES
        .iter()
        .flat_map(|n| {
            let pem = std::fs::read(root.join(format!("tests/data/chain/{n}.pem"))).unwrap();
            ccetrust::load_certificates(&pem).unwrap()
        })
        .collect();
    assert_eq!(pool.len(), FIXTURES.len());
    let mut n = 0;
    for dir in ["corpus", "artifacts"] {
        let Ok(entries) = std::fs::read_dir(root.join("fuzz").join(dir).join("chain_build")) else {
            continue;
        };
        for e in entries.flatten() {
            ccetrust::chain::fuzz::run(&pool, &std::fs::read(e.path()).unwrap());
            n += 1;
        }
    }
    assert!(n >= 8, "the seed corpus is missing ({n} inputs)");
}
