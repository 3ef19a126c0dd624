//! DER certificate decoding, then every accessor `inspect` uses.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(cert) = ccetrust::Certificate::from_der(data) {
        let _ = ccetrust::report::certificate_json(&cert, "fuzz", 0);
        let _ = ccetrust::report::certificate_text(&cert, "fuzz", 0);
    }
});
