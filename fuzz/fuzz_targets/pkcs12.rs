//! PKCS#12: PFX, MAC, AuthenticatedSafe, bags (seeds include a file without MAC, so the
//! fuzzer reaches the bags), then key unlocking.
#![no_main]
use ccetrust::keystore::{Keystore, Password};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let pw = Password::new("changeit");
    if let Ok(mut ks) = Keystore::from_bytes(data, &pw) {
        let _ = ks.unlock_keys(&pw);
        for e in &ks.entries {
            let _ = e.certificates().len();
        }
    }
});
