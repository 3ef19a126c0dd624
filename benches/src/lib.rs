//! Shared corpora for the criterion benches (setup stays out of the timed loops).

use std::path::Path;

/// 10,000 distinct RSA-2048 contact-center leaves: the 100 real certificates made by
/// `tests/data/bench/gen.sh`, each in 100 variants that differ in their serial number.
pub fn contact_center_leaves() -> Vec<Vec<u8>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/bench/leaves.pem");
    let bytes = std::fs::read(&path).unwrap_or_default();
    let blocks = ccetrust::cert::pem::parse_blocks(&bytes).unwrap_or_default();
    let mut out = Vec::with_capacity(blocks.len() * 100);
    for (i, b) in blocks.iter().enumerate() {
        // 30 82 LL LL | 30 82 LL LL | a0 03 02 01 02 | 02 03 s s s : the 3-byte serial at 15..18.
        if b.der.len() < 18 || b.der[13] != 0x02 || b.der[14] != 0x03 {
            continue;
        }
        for v in 0..100u8 {
            let mut der = b.der.clone();
            der[15] = 0x10 + (v % 100);
            der[16] = i as u8;
            out.push(der);
        }
    }
    out
}
