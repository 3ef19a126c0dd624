//! Format detection and reading of anything: JKS, JCEKS, PKCS#12, PEM, DER, PKCS#7.
#![no_main]
use ccetrust::keystore::{detect, Keystore, Password};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let detected = detect(data);
    if let Ok(ks) = Keystore::from_bytes(data, &Password::new("")) {
        assert_eq!(Some(ks.format), detected.ok());
    }
});
