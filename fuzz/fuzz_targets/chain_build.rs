//! Path building over arbitrary certificate sets: subsets, orders, duplicates and cycles of
//! the real certificates of `tests/data/chain`, plus arbitrary DER. See `chain::fuzz`.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const FIXTURES: &[&str] = &[
    include_str!("../../tests/data/chain/ece.pem"),
    include_str!("../../tests/data/chain/issuing.pem"),
    include_str!("../../tests/data/chain/issuing-old.pem"),
    include_str!("../../tests/data/chain/root.pem"),
    include_str!("../../tests/data/chain/sub.pem"),
    include_str!("../../tests/data/chain/deep.pem"),
    include_str!("../../tests/data/chain/constrained.pem"),
    include_str!("../../tests/data/chain/nc-ok.pem"),
    include_str!("../../tests/data/chain/nc-bad.pem"),
    include_str!("../../tests/data/chain/cvp.pem"),
    include_str!("../../tests/data/chain/sha1.pem"),
    include_str!("../../tests/data/chain/client.pem"),
    include_str!("../../tests/data/chain/ec-root.pem"),
    include_str!("../../tests/data/chain/ec-leaf.pem"),
    include_str!("../../tests/data/chain/ed-root.pem"),
    include_str!("../../tests/data/chain/ed-leaf.pem"),
];

fn pool() -> &'static [ccetrust::Certificate] {
    static POOL: OnceLock<Vec<ccetrust::Certificate>> = OnceLock::new();
    POOL.get_or_init(|| {
        FIXTURES
            .iter()
            .flat_map(|p| ccetrust::load_certificates(p.as_bytes()).unwrap_or_default())
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    ccetrust::chain::fuzz::run(pool(), data);
});
