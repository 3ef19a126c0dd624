//! The contact-center inventory parser on arbitrary text: a typed, positioned error or an
//! inventory, never a panic. Paths are only resolved, never opened.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        match ccetrust::cce::Inventory::parse(text, std::path::Path::new(".")) {
            Ok(inv) => {
                for h in &inv.hosts {
                    assert!(!h.roles.is_empty());
                    assert!(!h.fqdn.is_empty());
                }
            }
            Err(e) => {
                assert!(e.line >= 1 && e.column >= 1);
                assert!(e.offset <= text.len());
            }
        }
    }
});
