//! JKS: the container walk (without the trailer check, so the fuzzer gets past it), then
//! with a password, then Sun's key protector on every key.
#![no_main]
use ccetrust::keystore::{Keystore, Password};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() >= 4 && data[..4] != [0xfe, 0xed, 0xfe, 0xed] {
        return;
    }
    if let Ok(mut ks) = Keystore::from_bytes_unverified(data) {
        let _ = ks.unlock_keys(&Password::new("changeit"));
        for e in &ks.entries {
            let _ = e.certificate().map(|c| c.subject().to_rfc4514());
        }
    }
    let _ = Keystore::from_bytes(data, &Password::new("changeit"));
});
