//! DER certificate decoding, then every accessor `inspect` uses, then the strict DER check
//! the validator runs before trusting a certificate.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(cert) = ccetrust::Certificate::from_der(data) {
        let _ = ccetrust::report::certificate_json(&cert, "fuzz", 0);
        let _ = ccetrust::report::certificate_text(&cert, "fuzz", 0);
        if let Err(v) = cert.check_strict_der() {
            assert!(v.offset <= data.len(), "a violation points into the certificate");
        }
    }
});
