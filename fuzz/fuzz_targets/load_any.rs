//! Encoding detection and loading (PEM with surrounding text, DER, PKCS#7, bare base64).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(loaded) = ccetrust::load(data) {
        for c in &loaded.certificates {
            let _ = c.subject().to_rfc4514();
            let _ = c.subject_alt_names();
        }
    }
});
