//! PKCS#7 certificate bundles.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = ccetrust::cert::pkcs7::certificates(data);
});
